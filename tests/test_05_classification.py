"""Notebook 05's helpers: digit features, the logistic model's losses, gradients and descent, its plots and the
decision-boundary slider; and the notebook's two CE-vs-MSE claims on seeds the notebook does not use."""
import itertools
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from utils import data, models, plots, train, widgets


@pytest.fixture(scope="module")
def zeros_ones():
    """The notebook's two-class set: the 800 training 0s and 1s as standardised (ink, width), labels 1 for a one."""
    X, y = data.load_digits("train")
    keep = (y == 0) | (y == 1)
    features = data.ink_and_width(X[keep])
    return (features - features.mean(axis=0)) / features.std(axis=0), y[keep]


# --- data.ink_and_width ----------------------------------------------------------------------------------

def test_ink_and_width_of_drawn_images():
    img = np.zeros((3, 28, 28))
    img[0, :, 10] = 1.0                       # one full column: no spread
    img[1, :, 4] = img[1, :, 14] = 1.0        # two equal columns 10 apart: spread 5
    img[2, 5:9, 3:7] = 0.5                    # a square over columns 3–6: the std of 3, 4, 5, 6
    f = data.ink_and_width(img)
    assert f.shape == (3, 2)
    assert np.allclose(f[:, 0], img.mean(axis=(1, 2)))
    assert np.allclose(f[:, 1], [0.0, 5.0, np.std([3, 4, 5, 6])])
    assert np.allclose(data.ink_and_width(img.reshape(3, 784)), f)      # flat rows give the same


def test_ink_and_width_tell_zeros_from_ones():
    X, y = data.load_digits("train")
    f0, f1 = data.ink_and_width(X[y == 0]), data.ink_and_width(X[y == 1])
    assert f0[:, 0].mean() > 2 * f1[:, 0].mean() and f0[:, 1].mean() > 2 * f1[:, 1].mean()


@pytest.mark.parametrize("images, error, match", [
    (np.zeros((2, 28, 28)), ValueError, "blank"), (np.ones((2, 27, 28)), ValueError, "shape"),
    (np.full((1, 784), 2.0), ValueError, "between 0 and 1"), (np.full((1, 784), np.nan), ValueError, "NaN"),
    ("digits", TypeError, "images"), (np.zeros((0, 784)), ValueError, "N ≥ 1")])
def test_ink_and_width_rejects_bad_images(images, error, match):
    with pytest.raises(error, match=match):
        data.ink_and_width(images)


# --- models: the logistic model's losses -----------------------------------------------------------------

@pytest.mark.parametrize("w, b", [((1.0, -2.0), 0.3), ((-3.0, -3.0), -1.0), ((40.0, 40.0), 0.0), ((0.0, 0.0), 0.0)])
def test_logistic_losses_match_torch(zeros_ones, w, b):
    Z, t = zeros_ones
    z = torch.from_numpy(Z @ np.array(w) + b)
    labels = torch.from_numpy(t).double()
    assert np.isclose(models.logistic_loss(Z, t, w, b),
                      F.binary_cross_entropy_with_logits(z, labels).item(), rtol=1e-12)
    assert np.isclose(models.logistic_loss(Z, t, w, b, loss="mse"),
                      torch.mean((torch.sigmoid(z) - labels) ** 2).item(), rtol=1e-12)


def test_logistic_losses_are_finite_and_silent_far_out(zeros_ones):
    Z, t = zeros_ones
    with warnings.catch_warnings():
        warnings.simplefilter("error")                 # an overflow warning would fail the test
        ce = models.logistic_loss(Z, t, [1e4, 1e4])
        mse = models.logistic_loss(Z, t, [1e4, 1e4], loss="mse")
        g = train.logistic_gradient(Z, t, [-1e4, 1e4], loss="mse")
    assert np.isfinite(ce) and ce > 1000 and 0.9 < mse <= 1.0 and np.all(np.isfinite(g))


def test_logistic_loss_grid_holds_the_loss_at_every_point(zeros_ones):
    Z, t = zeros_ones
    w1_values, w2_values = np.linspace(-5, 5, 4), np.linspace(-6, 2, 3)
    for loss in models.LOGISTIC_LOSSES:
        grid = models.logistic_loss_grid(Z, t, w1_values, w2_values, b=0.5, loss=loss)
        assert grid.shape == (3, 4)
        for (i, w2), (j, w1) in itertools.product(enumerate(w2_values), enumerate(w1_values)):
            assert np.isclose(grid[i, j], models.logistic_loss(Z, t, [w1, w2], 0.5, loss))


def test_logistic_losses_reject_bad_arguments(zeros_ones):
    Z, t = zeros_ones
    with pytest.raises(ValueError, match="0 or 1"):
        models.logistic_loss(Z, t + 1, [1.0, 1.0])
    with pytest.raises(ValueError, match="one weight per feature"):
        models.logistic_loss(Z, t, [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="unknown loss"):
        models.logistic_loss(Z, t, [1.0, 1.0], loss="hinge")
    with pytest.raises(ValueError, match="examples"):
        models.logistic_loss(Z, t[:-1], [1.0, 1.0])
    with pytest.raises(ValueError, match="two features"):
        models.logistic_loss_grid(np.ones((5, 3)), np.ones(5), [0.0], [0.0])


# --- train: gradients and gradient descent ---------------------------------------------------------------

@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("w, b", [((4.0, 4.0), 0.0), ((-1.0, 2.5), 0.7), ((0.0, 0.0), -2.0)])
def test_logistic_gradient_matches_autograd(zeros_ones, loss, w, b):
    Z, t = zeros_ones
    w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    z = torch.from_numpy(Z) @ w_t + b
    labels = torch.from_numpy(t).double()
    L = (F.binary_cross_entropy_with_logits(z, labels) if loss == "cross_entropy"
         else torch.mean((torch.sigmoid(z) - labels) ** 2))
    L.backward()
    assert np.allclose(train.logistic_gradient(Z, t, w, b, loss), w_t.grad.numpy(), rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_logistic_descent_follows_torch_sgd(zeros_ones, loss):
    Z, t = zeros_ones
    h = train.logistic_descent(Z, t, [5.0, 4.0], lr=2.0, steps=30, loss=loss, b=0.2)
    w_t = torch.tensor([5.0, 4.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w_t], lr=2.0)
    labels = torch.from_numpy(t).double()
    for step in range(30):
        z = torch.from_numpy(Z) @ w_t + 0.2
        L = (F.binary_cross_entropy_with_logits(z, labels) if loss == "cross_entropy"
             else torch.mean((torch.sigmoid(z) - labels) ** 2))
        assert np.isclose(h["loss"][step], L.item(), rtol=1e-10)
        opt.zero_grad()
        L.backward()
        assert np.isclose(h["grad_norm"][step], w_t.grad.norm().item(), rtol=1e-8)
        opt.step()
        assert np.allclose(h["w"][step + 1], w_t.detach().numpy(), rtol=1e-10)


def test_logistic_descent_history(zeros_ones):
    Z, t = zeros_ones
    h = train.logistic_descent(Z, t, [0.0, 0.0], lr=1.0, steps=50)
    assert h["w"].shape == (51, 2) and len(h["loss"]) == len(h["accuracy"]) == len(h["grad_norm"]) == 51
    assert np.all(np.diff(h["loss"]) <= 1e-12)           # cross-entropy of a logistic model: downhill all the way
    assert h["accuracy"][0] == 0.5 and h["accuracy"][-1] > 0.95
    assert np.isclose(h["accuracy"][-1], np.mean((Z @ h["w"][-1] > 0) == (t == 1)))
    assert train.logistic_descent(Z, t, [1.0, 1.0], steps=0)["w"].shape == (1, 2)


def test_logistic_descent_rejects_bad_arguments(zeros_ones):
    Z, t = zeros_ones
    with pytest.raises(ValueError, match="lr"):
        train.logistic_descent(Z, t, [0.0, 0.0], lr=0)
    with pytest.raises(ValueError, match="steps"):
        train.logistic_descent(Z, t, [0.0, 0.0], steps=-1)
    with pytest.raises(ValueError, match="loss"):
        train.logistic_descent(Z, t, [0.0, 0.0], loss="mse_softmax")
    with pytest.raises(ValueError, match="one weight per feature"):
        train.logistic_descent(Z, t, [0.0])


def test_cross_entropy_leaves_the_wrong_quadrant_and_mse_stalls_on_ten_starts(zeros_ones):
    """The notebook's claim (seeds 0–4) holds on seeds 0–9: after 100 updates, CE right and MSE still wrong."""
    Z, t = zeros_ones
    for seed in range(10):
        w0 = np.random.default_rng(seed).uniform(3, 7, size=2)
        ce = train.logistic_descent(Z, t, w0, lr=1.0, steps=100)
        mse = train.logistic_descent(Z, t, w0, lr=1.0, steps=100, loss="mse")
        assert ce["accuracy"][-1] > 0.95 and mse["accuracy"][-1] < 0.1, seed
        assert ce["grad_norm"][0] > 50 * mse["grad_norm"][0], seed
        assert np.argmax(ce["accuracy"] >= 0.9) <= 10, seed


def test_large_start_mse_lags_cross_entropy_on_other_seeds(one_thread):
    """The notebook's MNIST claim (seeds 0–2) on seeds 3–5: from weights × 32, MSE trails CE by > 5 points."""
    X, y = data.load_digits("train")
    X_test, y_test = data.load_digits("test")
    for seed in (3, 4, 5):
        acc = {}
        for loss in ("cross_entropy", "mse_softmax"):
            net = models.MLP([784, 10], seed=seed)
            with torch.no_grad():
                for p in net.parameters():
                    p *= 32.0
            acc[loss] = train.fit(net, X, y, loss=loss, lr=0.1, epochs=3, batch_size=10, seed=seed,
                                  evals={"test": (X_test, y_test)})["test_acc"][-1]
        assert acc["cross_entropy"] > acc["mse_softmax"] + 0.05, (seed, acc)


# --- plots -----------------------------------------------------------------------------------------------

def test_plots_return_figures(zeros_ones):
    Z, t = zeros_ones
    X, y = data.load_digits("test")
    w_values = np.linspace(-8, 8, 9)
    grid = models.logistic_loss_grid(Z, t, w_values, w_values, loss="mse")
    path = train.logistic_descent(Z, t, [4.0, 4.0], steps=5, loss="mse")["w"]
    figs = [
        plots.plot_digit_grid(X, y, per_class=3),
        plots.plot_digit_grid(X[:20].reshape(-1, 28, 28), y[:20], per_class=1, title="t"),
        plots.plot_logistic_boundary(Z, t, [1.0, 1.0], 0.0),
        plots.plot_logistic_boundary(Z, t, [0.0, 0.0], 1.0),      # no boundary to draw
        plots.plot_logistic_boundary(Z, t, [3.0, 0.0], -1.0),     # a vertical boundary
        plots.plot_sigmoid_scores(Z @ [1.0, 1.0], t),
        plots.plot_sigmoid_scores(Z @ [500.0, 500.0], t),
        plots.plot_error_surfaces(w_values, w_values, {"MSE": grid}, {"MSE": [path]}, flat_below=0.01),
        plots.plot_error_surfaces(w_values, w_values, {"a": grid, "b": grid}, title="two"),
    ]
    assert all(isinstance(f, plt.Figure) for f in figs)
    plt.close("all")


def test_plots_reject_bad_arguments(zeros_ones):
    Z, t = zeros_ones
    with pytest.raises(ValueError, match="shape"):
        plots.plot_digit_grid(np.ones((3, 10)), [0, 1, 2])
    with pytest.raises(ValueError, match="per_class"):
        plots.plot_digit_grid(np.ones((3, 784)), [0, 1, 2], per_class=0)
    with pytest.raises(ValueError, match="two features"):
        plots.plot_logistic_boundary(np.ones((4, 3)), [0, 1, 0, 1], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="non-empty"):
        plots.plot_error_surfaces([0, 1], [0, 1], {})
    with pytest.raises(ValueError, match="shape"):
        plots.plot_error_surfaces([0, 1], [0, 1, 2], {"a": np.ones((2, 2))})
    plt.close("all")


# --- the decision-boundary slider ------------------------------------------------------------------------

EXTREMES = list(itertools.product([-8.0, 8.0], [-8.0, 8.0], [-5.0, 5.0])) + [(1.0, 1.0, 0.0), (0.0, 0.0, -5.0)]


@pytest.mark.parametrize("w1, w2, b", EXTREMES)
def test_logistic_boundary_view_at_default_and_extremes(zeros_ones, w1, w2, b):
    Z, t = zeros_ones
    fig, message = widgets.logistic_boundary_view(Z, t, w1, w2, b, ("ink", "width"), ("0", "1"))
    assert isinstance(fig, plt.Figure) and "accuracy" in message and "cross-entropy" in message
    assert "nan" not in message.lower().split() and "inf" not in message.lower().split()
    plt.close(fig)


def test_logistic_boundary_view_numbers(zeros_ones):
    Z, t = zeros_ones
    for w in ([1.0, 1.0], [-4.0, -4.0]):
        fig, message = widgets.logistic_boundary_view(Z, t, *w, 0.0)
        plt.close(fig)
        acc = 100 * np.mean((Z @ w > 0) == (t == 1))
        assert f"accuracy {acc:.1f} %" in message
        assert f"cross-entropy {models.logistic_loss(Z, t, w):.3f}" in message
        assert f"MSE {models.logistic_loss(Z, t, w, loss='mse'):.3f}" in message
    fig, message = widgets.logistic_boundary_view(Z, t, 0.0, 0.0, 0.0)
    plt.close(fig)
    assert "no boundary" in message and "0.500" in message


def test_logistic_boundary_view_rejects_bad_values(zeros_ones):
    Z, t = zeros_ones
    with pytest.raises(TypeError, match="w1"):
        widgets.logistic_boundary_view(Z, t, "one")
    with pytest.raises(ValueError, match="w2"):
        widgets.logistic_boundary_view(Z, t, 1.0, np.nan)
    with pytest.raises(ValueError, match="two features"):
        widgets.logistic_boundary_view(np.ones((4, 3)), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="two features"):
        widgets.logistic_boundary_view(np.ones((4, 1)), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="0 or 1"):
        widgets.logistic_boundary_view(Z, t * 3)


def test_logistic_boundary_widget_wires_three_sliders(zeros_ones, monkeypatch):
    Z, t = zeros_ones
    captured = []
    monkeypatch.setattr(widgets, "slider_app", lambda view, **sliders: captured.append((view, sliders)))
    widgets.logistic_boundary_widget(Z, t)
    (view, sliders), = captured
    assert list(sliders) == ["w1", "w2", "b"] and type(sliders["w1"]).__name__ == "FloatSlider"
    fig, message = view(**{k: s.value for k, s in sliders.items()})
    assert isinstance(fig, plt.Figure) and message.startswith("w1 = 1.00")
    plt.close("all")
