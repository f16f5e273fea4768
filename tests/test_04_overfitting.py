"""Notebook 04's helpers: pieces, ReluNet ↔ formula, seeded training, plots and the two slider/button views."""
import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from utils import data, models, plots, train, widgets


@pytest.fixture(scope="module")
def rows():
    t = data.load_lectures()
    return data.select(t, course="GenAI2024"), data.select(t, role="validation")


# --- models --------------------------------------------------------------------------------------------

def test_interpolating_pieces_pass_through_every_knot_and_run_straight_between():
    rng = np.random.default_rng(0)
    xk = np.sort(rng.uniform(0, 100, 8))
    yk = rng.normal(50, 20, 8)
    c, w, b_i, b = models.interpolating_pieces(xk, yk)
    assert len(c) == len(w) == len(b_i) == 7
    assert np.allclose(models.relu_pieces(xk, c, w, b_i, b), yk)
    mid = (xk[:-1] + xk[1:]) / 2                     # straight between knots: the midpoint is the mean
    assert np.allclose(models.relu_pieces(mid, c, w, b_i, b), (yk[:-1] + yk[1:]) / 2)
    assert np.allclose(np.interp(np.linspace(xk[0], xk[-1], 50), xk, yk),
                       models.relu_pieces(np.linspace(xk[0], xk[-1], 50), c, w, b_i, b))


def test_interpolating_pieces_rejects_bad_knots():
    with pytest.raises(ValueError, match="strictly increasing"):
        models.interpolating_pieces([0, 2, 1], [1, 2, 3])
    with pytest.raises(ValueError, match="at least 2"):
        models.interpolating_pieces([0], [1])
    with pytest.raises(ValueError, match="examples"):
        models.interpolating_pieces([0, 1, 2], [1, 2])


@pytest.mark.parametrize("standardize", [False, True])
def test_relu_net_pieces_reproduce_the_network(standardize):
    kwargs = dict(x_mean=[45.0], x_std=[20.0]) if standardize else {}
    net = models.ReluNet(1, 7, seed=3, **kwargs)
    x = np.linspace(-10, 120, 57)
    assert np.allclose(models.relu_pieces(x, *models.relu_net_pieces(net)), train.predict(net, x), atol=1e-4)


def test_relu_net_pieces_refuses_other_networks():
    with pytest.raises(ValueError, match="one feature"):
        models.relu_net_pieces(models.ReluNet(2, 5))
    with pytest.raises(ValueError, match="one hidden layer"):
        models.relu_net_pieces(models.ReluNet(1, 5, depth=2))
    with pytest.raises(ValueError, match="ReluNet"):
        models.relu_net_pieces(torch.nn.Linear(1, 1))


# --- training ------------------------------------------------------------------------------------------

def test_train_relu_nets_matches_the_loop_written_out(rows):
    gen, val = rows
    X, y = data.features(gen), data.target(gen)
    Xv, yv = data.features(val), data.target(val)
    runs = train.train_relu_nets(X, y, Xv, yv, seeds=[0, 2], hidden=10, lr=1e-2, epochs=30)
    assert set(runs) == {0, 2}
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
    Xvt, yvt = torch.as_tensor(Xv), torch.as_tensor(yv)
    for seed in (0, 2):
        # The loop the notebook writes out: full-batch Adam on the MSE, the losses after every epoch.
        net = models.ReluNet(1, 10, x_mean=X.mean(0), x_std=X.std(0), seed=seed)
        opt = torch.optim.Adam(net.parameters(), lr=1e-2, foreach=False)
        train_loss, val_loss = [], []
        for _ in range(30):
            loss = torch.mean((net(Xt) - yt) ** 2)
            opt.zero_grad()
            loss.backward()
            opt.step()
            with torch.no_grad():
                train_loss.append(torch.mean((net(Xt) - yt) ** 2).item())
                val_loss.append(torch.mean((net(Xvt) - yvt) ** 2).item())
        assert np.allclose(runs[seed][1]["train_loss"], train_loss)
        assert np.allclose(runs[seed][1]["val_loss"], val_loss)
        assert runs[seed][1]["best_epoch"] == int(np.argmin(val_loss)) + 1
    assert not np.allclose(runs[0][1]["train_loss"], runs[2][1]["train_loss"])   # the seed matters


def test_retraining_to_the_best_epoch_reproduces_that_epoch(rows):
    """What the notebook's early stopping relies on: full-batch training is deterministic."""
    gen, val = rows
    X, y = data.features(gen, ("slides", "words")), data.target(gen)
    Xv, yv = data.features(val, ("slides", "words")), data.target(val)
    h = train.train_relu_nets(X, y, Xv, yv, seeds=[1], hidden=20, epochs=200)[1][1]
    again = train.train_relu_nets(X, y, Xv, yv, seeds=[1], hidden=20, epochs=h["best_epoch"])[1][1]
    assert np.isclose(again["val_loss"][-1], h["val_loss"][h["best_epoch"] - 1], rtol=1e-5)


def test_train_relu_nets_rejects_bad_arguments(rows):
    gen, _ = rows
    X, y = data.features(gen), data.target(gen)
    with pytest.raises(ValueError, match="at least one seed"):
        train.train_relu_nets(X, y, seeds=[])
    with pytest.raises(ValueError, match="seed"):
        train.train_relu_nets(X, y, seeds=[-1])
    with pytest.raises(TypeError, match="standardize must be True or False"):
        train.train_relu_nets(X, y, standardize="yes")
    with pytest.raises(ValueError, match="x_std"):
        train.train_relu_nets(np.ones((5, 1)), np.arange(5.0), epochs=1)


# --- plots ---------------------------------------------------------------------------------------------

def test_plots_return_figures(rows):
    gen, val = rows
    t = data.load_lectures()
    x, y = data.features(gen)[:, 0], data.target(gen)
    figs = [
        plots.plot_lines_on_courses(t, {"a": (1.0, 5.0), "b": (0.5, 10.0)}),
        plots.plot_pieces(x, y, np.vstack([x, -x]), constant=3.0, target=y),
        plots.plot_pieces(x, y),
        plots.plot_curves_on_data(x, y, {"line": (x, 0.7 * x + 10)}, x[:3], y[:3]),
        plots.plot_curves({"a": [3.0, 2.0, 1.0]}, baseline=1.5),
        plots.plot_predicted_vs_true({"train": (y, y + 1)}),
        plots.plot_selection([1, 10, 100], [[9.0, 5.0, 1.0], [8.0, 4.0, 2.0]], [[9.0, 6.0, 7.0], [9.0, 7.0, 8.0]], floor=4),
    ]
    assert all(isinstance(f, plt.Figure) for f in figs)
    plt.close("all")


def test_plots_reject_bad_arguments(rows):
    with pytest.raises(ValueError, match="non-empty"):
        plots.plot_lines_on_courses(data.load_lectures(), {})
    with pytest.raises(ValueError, match="columns"):
        plots.plot_pieces([1, 2, 3], [1, 2, 3], np.ones((2, 4)))
    with pytest.raises(ValueError, match="non-empty"):
        plots.plot_curves({})
    with pytest.raises(ValueError, match="examples"):
        plots.plot_predicted_vs_true({"a": ([1, 2], [1])})
    with pytest.raises(ValueError, match="shape"):
        plots.plot_selection([1, 10], [[1, 2, 3]], [[1, 2, 3]])
    plt.close("all")


# --- the pieces slider ---------------------------------------------------------------------------------

def test_relu_pieces_view_every_extreme_and_the_gap_shrinks():
    gaps = []
    for H, show in itertools.product([1, 3, 40], [True, False]):
        fig, message = widgets.relu_pieces_view(H, show)
        assert isinstance(fig, plt.Figure) and f"H = {H}" in message
        gaps.append(float(message.rsplit("=", 1)[1]))
        plt.close(fig)
    assert gaps[0] > gaps[2] > gaps[4]


def test_relu_pieces_view_is_exact_at_the_knots_and_rejects_bad_values():
    H = 5
    knots = np.linspace(0, 100, H + 1)
    c, w, b_i, b = models.interpolating_pieces(knots, widgets.target_curve(knots))
    assert np.allclose(models.relu_pieces(knots, c, w, b_i, b), widgets.target_curve(knots))
    with pytest.raises(ValueError, match="H"):
        widgets.relu_pieces_view(0)
    with pytest.raises(TypeError, match="show_pieces"):
        widgets.relu_pieces_view(3, "yes")


# --- the training button -------------------------------------------------------------------------------

@pytest.mark.parametrize("features", list(widgets.FEATURE_SETS))
@pytest.mark.parametrize("setup", list(widgets.NETWORK_SETUPS))
def test_network_training_view_every_choice_gives_a_figure_and_a_message(rows, features, setup):
    gen, val = rows
    for seed in (0, 9):
        fig, message = widgets.network_training_view(gen, val, features, setup, seed=seed, epochs=100)
        assert "linear model" in message
        if fig is None:   # only a run that explodes in its very first epoch has nothing to draw
            assert "diverged at epoch 1 " in message
        else:
            assert isinstance(fig, plt.Figure) and ("training loss" in message or "diverged" in message)
    plt.close("all")


def test_network_training_view_cuts_off_a_diverged_run(rows, monkeypatch):
    gen, val = rows
    monkeypatch.setitem(widgets.NETWORK_SETUPS, "too fast", ("sgd", 1.0, False))
    fig, message = widgets.network_training_view(gen, val, "slides + words", "too fast", seed=0, epochs=100)
    assert "diverged at epoch" in message
    plt.close("all")


def test_network_training_view_rejects_bad_choices(rows):
    gen, val = rows
    with pytest.raises(ValueError, match="features"):
        widgets.network_training_view(gen, val, "pages")
    with pytest.raises(ValueError, match="setup"):
        widgets.network_training_view(gen, val, "slides", "SGD")
    with pytest.raises(ValueError, match="epochs"):
        widgets.network_training_view(gen, val, "slides", epochs=0)




# --- the claims notebook 04 makes about its own experiments -----------------------------------------------

def _output_curvature(net, x):
    """λmax of the output layer's Hessian 2/N·AᵀA (A: hidden activations with a column of ones), as in notebook 04."""
    c, w, b_i, b = models.relu_net_pieces(net)
    A = np.column_stack([np.maximum(0, x[:, None] * w + b_i), np.ones(len(x))])
    return np.linalg.eigvalsh(2 / len(x) * A.T @ A)[-1]


def _units_on(net, x):
    c, w, b_i, b = models.relu_net_pieces(net)
    return int((np.maximum(0, w[:, None] * x + b_i[:, None]) > 0).any(axis=1).sum())


@pytest.mark.parametrize("seed", range(5))
def test_the_lectures_learning_rate_is_above_two_over_lambda_max_and_kills_the_units(rows, seed):
    """η = 1e-4 > 2/λmax on raw slides: the first update overshoots and almost every unit dies; η = 1e-5 < 2/λmax
    changes only the learning rate and keeps every unit; standardising makes the bowl over 100× flatter."""
    gen, _ = rows
    X, y = data.features(gen), data.target(gen)
    x = X[:, 0]
    start = models.ReluNet(1, 100, seed=seed)
    lam = _output_curvature(start, x)
    assert 1e-5 < 2 / lam < 1e-4
    assert _units_on(start, x) >= 40
    start_loss = models.mse(train.predict(start, X), y)
    for lr, survive in ((1e-4, False), (1e-5, True)):
        net = models.ReluNet(1, 100, seed=seed)
        h = train.fit(net, X, y, loss="mse", optimizer="sgd", lr=lr, epochs=3, shuffle=False)
        if survive:
            assert _units_on(net, x) == _units_on(start, x) and h["train_loss"][0] < start_loss
        else:
            assert _units_on(net, x) <= 5 and h["train_loss"][0] > 10 * start_loss
    std = models.ReluNet(1, 100, x_mean=X.mean(0), x_std=X.std(0), seed=seed)
    assert _output_curvature(std, x) < lam / 100


def test_network_setups_offer_each_remedy_on_its_own():
    setups = set(widgets.NETWORK_SETUPS.values())
    for optimizer in ("sgd", "adam"):
        for standardize in (False, True):
            assert any(o == optimizer and s == standardize for o, _, s in setups), (optimizer, standardize)
    assert ("sgd", 1e-4, False) in setups and ("sgd", 1e-5, False) in setups   # the lecture's η, and one below 2/λmax


def test_network_training_view_uses_the_course_colours_and_both_baselines(rows):
    gen, val = rows
    fig, message = widgets.network_training_view(gen, val, "slides", seed=0, epochs=50)
    left, right = fig.axes[:2]
    colours = {line.get_label(): line.get_color() for line in left.get_lines()}
    assert colours["training loss"] == "tab:orange" and colours["validation loss"] == "tab:green"
    assert any(label.startswith("linear model, validation") for label in colours)
    assert [tuple(c.get_facecolor()[0]) for c in right.collections[:2]] == [
        plt.matplotlib.colors.to_rgba("tab:orange"), plt.matplotlib.colors.to_rgba("tab:green")]
    plt.close("all")


def test_relu_pieces_view_says_one_piece_in_the_singular():
    fig, message = widgets.relu_pieces_view(1, False)
    assert message.startswith("H = 1 piece ") and "H = 1 piece:" in fig.axes[0].get_title()
    plt.close(fig)


def test_the_constant_is_too_small_on_validation(rows):
    """The 'too small' end of notebook 04's U: the best constant is worse than the line on the validation lectures."""
    gen, val = rows
    x, y = data.features(gen)[:, 0], data.target(gen)
    xv, yv = data.features(val)[:, 0], data.target(val)
    w1, b = models.fit_linear(x, y)
    assert models.mse(0 * yv + y.mean(), yv) > 5 * models.mse(w1 * xv + b, yv)


def test_the_real_test_lecture_lies_far_above_the_simulated_2025_line():
    """By construction: the generator's 2025 line predicts the real test lecture short by more than 3 sd."""
    test = data.select(data.load_lectures(), role="test")
    g = data.GENERATOR["GenAI-ML2025"]
    assert test["source"][0].startswith("real")
    assert 3.5 < (data.target(test)[0] - (g["w"] * test["slides"][0] + g["b"])) / g["sd"] < 3.8


def test_early_stopping_helps_on_fresh_lectures(rows):
    """Judged on lectures not used to choose the epoch (fresh simulated 2025 lectures), the early-stopped network
    beats the same network trained on (one seed, slides, a shorter run than the notebook's)."""
    gen, val = rows
    X, y, Xv, yv = data.features(gen), data.target(gen), data.features(val), data.target(val)
    fresh = [data.select(data.simulate_lectures(s), role="validation") for s in range(100, 110)]
    Xf, yf = np.vstack([data.features(r) for r in fresh]), np.concatenate([data.target(r) for r in fresh])
    net, h = train.train_relu_nets(X, y, Xv, yv, seeds=[0], epochs=800)[0]
    early = train.train_relu_nets(X, y, Xv, yv, seeds=[0], epochs=h["best_epoch"])[0][0]
    assert h["best_epoch"] < 800
    assert models.mse(train.predict(early, Xf), yf) < models.mse(train.predict(net, Xf), yf)


def _place_kinks(net, kinks):
    """As notebook 04's place_kinks: b_i = −w_i·k_i (in the net's input units), so unit i's kink lies at kinks[i]."""
    with torch.no_grad():
        w = net.layers[0].weight[:, 0]
        net.layers[0].bias.copy_(-w * (torch.as_tensor(kinks) - net.x_mean[0]) / net.x_std[0])
    return net


@pytest.mark.parametrize("seed", [0, 2])
def test_kinks_decide_whether_the_network_beats_the_line(rows, seed):
    """Notebook 04's second cause, each way round: on raw slides with η = 1e-5 (units alive), the default start (kinks
    left of the data) stays above the line after 500 epochs, the same net with its kinks placed among the data goes
    below it; on standardised input (η = 5e-3), kinks moved left of the data give exactly the line's loss."""
    gen, _ = rows
    X, y = data.features(gen), data.target(gen)
    x = X[:, 0]
    w1, b = models.fit_linear(x, y)
    line = models.mse(w1 * x + b, y)
    default = models.ReluNet(1, 100, seed=seed)
    inside = _place_kinks(models.ReluNet(1, 100, seed=seed), np.random.default_rng(seed).uniform(x.min(), x.max(), 100))
    fit = dict(loss="mse", optimizer="sgd", lr=1e-5, epochs=500, shuffle=False)
    assert train.fit(default, X, y, **fit)["train_loss"][-1] > line + 10
    assert train.fit(inside, X, y, **fit)["train_loss"][-1] < line - 1
    left = _place_kinks(models.ReluNet(1, 100, x_mean=X.mean(0), x_std=X.std(0), seed=seed),
                        np.random.default_rng(seed).uniform(-10, 5, 100))
    assert 5e-3 < 2 / _output_curvature(left, x)
    h = train.fit(left, X, y, loss="mse", optimizer="sgd", lr=5e-3, epochs=300, shuffle=False)
    assert abs(h["train_loss"][-1] - line) < 0.05


def test_above_the_limit_a_small_overshoot_spares_the_units(rows):
    """1.5 × 2/λmax overshoots in the first step but kills at most one unit; 3 × kills nearly all (notebook 04)."""
    gen, _ = rows
    X, y = data.features(gen), data.target(gen)
    x = X[:, 0]
    for seed in (0, 3):
        start = models.ReluNet(1, 100, seed=seed)
        lam, on, L0 = _output_curvature(start, x), _units_on(start, x), models.mse(train.predict(start, X), y)
        for k, check in ((1.5, lambda n: n >= on - 1), (3.0, lambda n: n <= 5)):
            net = models.ReluNet(1, 100, seed=seed)
            h = train.fit(net, X, y, loss="mse", optimizer="sgd", lr=k * 2 / lam, epochs=3, shuffle=False)
            assert h["train_loss"][0] > 2 * L0 and check(_units_on(net, x))


def test_the_line_falls_short_beyond_the_training_range_by_construction():
    """Why notebook 04's early-stopped networks can beat the line on fresh 2025 lectures: the generator's 2025 slope
    is steeper than the GenAI2024 line, so above the largest training lecture the line predicts short."""
    t = data.load_lectures()
    gen = data.select(t, course="GenAI2024")
    w1, b = models.fit_linear(data.features(gen)[:, 0], data.target(gen))
    g = data.GENERATOR["GenAI-ML2025"]
    assert w1 < g["w"] and w1 * 90 + b < g["w"] * 90 + g["b"] - 5
