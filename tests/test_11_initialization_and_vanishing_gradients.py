"""Notebook 11's helpers and claims: initialisation schemes (against torch.nn.init), the per-layer probe (against
autograd by hand), and the notebook's claims re-checked on seeds the notebook does not use."""
import itertools
from pathlib import Path

import exercise_runner
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

from utils import analysis, data, models, plots, train, widgets

OTHER_SEEDS = range(100, 104)   # the notebook uses seeds 0–19; the claims must hold on others too
NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "11_initialization_and_vanishing_gradients.ipynb"


@pytest.fixture(scope="module")
def digits():
    X, y = data.load_digits("train")
    X_test, y_test = data.load_digits("test")
    return X.astype(float), y, X_test.astype(float), y_test


@pytest.fixture(scope="module")
def split(digits):
    """The notebook's split: 3,500 digits to train on, 500 validation digits (the test digits stay unused)."""
    return data.split_validation(digits[0], digits[1], n_val=500, seed=0)


def deep_model(activation, scheme, seed, sizes=(784, 30, 30, 30, 30, 30, 10)):
    return models.init_weights_(models.MLP(list(sizes), activation, seed=seed), scheme, seed=seed)


# --- init_std and init_weights_ -------------------------------------------------------------------------------

@pytest.mark.parametrize("n_in, n_out", [(784, 30), (30, 10), (7, 300)])
def test_init_std_is_what_torch_nn_init_draws(n_in, n_out):
    W = torch.empty(n_out, n_in, dtype=torch.float64)
    for scheme, library in (("xavier", nn.init.xavier_normal_), ("he", nn.init.kaiming_normal_)):
        library(W, generator=torch.Generator().manual_seed(3))
        mine = torch.empty_like(W).normal_(0, models.init_std(scheme, n_in, n_out),
                                           generator=torch.Generator().manual_seed(3))
        assert torch.equal(W, mine), scheme


def test_init_std_formulas_and_scale():
    assert models.init_std("normal", 50) == 1.0
    assert np.isclose(models.init_std("scaled", 100), 0.1)
    assert np.isclose(models.init_std("xavier", 30, 10), np.sqrt(2 / 40))
    assert np.isclose(models.init_std("he", 200, 7), np.sqrt(2 / 200))
    assert np.isclose(models.init_std("scaled", 100, scale=3.0), 0.3)


def test_init_weights_draws_reproducible_float64_weights_of_the_right_size():
    a, b = deep_model("relu", "he", 5), deep_model("relu", "he", 5)
    for p, q in zip(a.parameters(), b.parameters()):
        assert p.dtype == torch.float64 and torch.equal(p, q)
    big = models.init_weights_(models.MLP([1000, 2000, 10]), "xavier", seed=1, bias_std=0.5)
    W, bias = big.layers[0].weight, big.layers[0].bias
    assert abs(W.std().item() / np.sqrt(2 / 3000) - 1) < 0.01
    assert abs(bias.std().item() / 0.5 - 1) < 0.1
    assert torch.all(models.init_weights_(models.MLP([4, 3, 2]), "he", seed=0).layers[0].bias == 0)


def test_schemes_scale_the_same_draws():
    a, b = deep_model("relu", "scaled", 7), deep_model("relu", "he", 7)
    ratio = (b.layers[0].weight / a.layers[0].weight).detach().numpy()
    assert np.allclose(ratio, np.sqrt(2))


def test_init_weights_rejects_a_model_without_linear_layers():
    with pytest.raises(ValueError, match="nn.Linear"):
        models.init_weights_(nn.ReLU())


# --- analysis.layer_statistics --------------------------------------------------------------------------------

def test_layer_statistics_matches_backprop_by_hand(digits):
    X, y = digits[0][:50], digits[1][:50]
    model = deep_model("sigmoid", "scaled", 0, sizes=(784, 12, 8, 10))
    stats = analysis.layer_statistics(model, X, y)
    assert [z.shape for z in stats["z"]] == [(50, 12), (50, 8), (50, 10)]
    assert [a.shape for a in stats["a"]] == [(50, 12), (50, 8)]
    probs = torch.softmax(torch.as_tensor(stats["z"][-1]), dim=1).numpy()
    assert np.allclose(stats["delta"][-1], probs - np.eye(10)[y], atol=1e-14)           # softmax − one-hot
    W = [m.weight.detach().numpy() for m in model.layers if isinstance(m, nn.Linear)]
    for l in (1, 0):                                                                    # BP2, by hand
        a = stats["a"][l]
        assert np.allclose((stats["delta"][l + 1] @ W[l + 1]) * a * (1 - a), stats["delta"][l], atol=1e-15)
    for l, d in enumerate(stats["delta"]):                                              # BP3: ∂C/∂b = mean δ
        assert np.isclose(stats["grad_b_norm"][l], np.linalg.norm(d.mean(axis=0)))


# --- the notebook's claims, on other seeds -------------------------------------------------------------------

def test_sigmoid_gradients_vanish_relu_less_and_relu_with_he_not(digits):
    X, y = digits[0][:1000], digits[1][:1000]
    ratio = {}
    for key in (("sigmoid", "scaled"), ("relu", "scaled"), ("relu", "he")):
        g = np.array([analysis.layer_statistics(deep_model(*key, s), X, y)["grad_b_norm"][:-1] for s in OTHER_SEEDS])
        ratio[key] = g[:, 0] / g[:, -1]
    assert ratio[("sigmoid", "scaled")].max() < 0.01
    assert ratio[("relu", "scaled")].min() > 10 * ratio[("sigmoid", "scaled")].max()
    assert np.all((ratio[("relu", "he")] > 1 / 3) & (ratio[("relu", "he")] < 3))


def test_activation_variance_steady_with_the_fitting_init_and_not_with_the_wrong_one(digits):
    X, y = digits[0][:300], digits[1][:300]
    sizes = [784] + [256] * 10 + [10]

    def variances(activation, scheme):
        return np.array([[a.var() for a in analysis.layer_statistics(deep_model(activation, scheme, s, sizes), X, y)["a"]]
                         for s in OTHER_SEEDS[:3]])

    he, xavier, large = variances("relu", "he"), variances("relu", "xavier"), variances("relu", "normal")
    assert (he.max(axis=1) / he.min(axis=1)).max() < 3
    assert (xavier[:, -1] / xavier[:, 0]).max() < 0.01
    assert (large[:, -1] / large[:, 0]).min() > 1e10
    tanh = variances("tanh", "xavier")
    assert (tanh.max(axis=1) / tanh.min(axis=1)).max() < 4


def test_small_initialisation_beats_large_in_every_other_seed(split):
    X, y, X_val, y_val = split
    X, y = X[:2000], y[:2000]
    for s in OTHER_SEEDS[:3]:
        acc = {init: train.sgd_numpy(models.NumpyNet([784, 30, 10], seed=s, init=init), X, y, X_val, y_val, lr=0.5,
                                     epochs=1, batch_size=10, seed=s, cost="cross_entropy")["test_acc"][-1]
               for init in ("normal", "scaled")}
        assert acc["scaled"] > acc["normal"] + 0.03, (s, acc)


def test_the_chain_product_matches_autograd_on_other_chains():
    rng = np.random.default_rng(11)
    for _ in range(5):
        w, b = rng.normal(0, 1, 6), rng.normal(0, 1, 6)
        a, zs = 0.7, []
        for w_l, b_l in zip(w, b):
            zs.append(w_l * a + b_l)
            a = models.sigmoid(zs[-1])
        s = models.sigmoid_prime(np.array(zs))
        product = [s[l] * np.prod(w[l + 1:] * s[l + 1:]) * (a - 1.0) for l in range(6)]
        b_t = torch.tensor(b, requires_grad=True)
        a_t = torch.tensor(0.7, dtype=torch.float64)
        for l in range(6):
            a_t = torch.sigmoid(torch.tensor(w[l]) * a_t + b_t[l])
        (0.5 * (a_t - 1.0) ** 2).backward()
        assert np.allclose(product, b_t.grad.numpy(), rtol=1e-12, atol=0)


# --- plots and the slider's view --------------------------------------------------------------------------------

def test_plots_return_figures():
    fig = plots.plot_layer_histograms([np.random.default_rng(0).normal(size=100), np.array([]), np.ones(5)],
                                      shade=[(-3, -2)], layer_names=["a", "b", "c"])
    assert len(fig.axes[0].collections) >= 3
    fig2 = plots.plot_curves({"x": np.ones((2, 4)), "y": 2 * np.ones((3, 4))}, x="layer", summary="median",
                             xticklabels=list("abcd"))
    assert len(fig2.axes[0].lines) == 2 + 1 + 3 + 1
    with pytest.raises(ValueError, match="layer_names"):
        plots.plot_layer_histograms([np.ones(3)], layer_names=["a", "b"])
    plt.close("all")


def test_view_tells_sigmoid_vanishing_and_relu_explosion(digits):
    X, y = digits[0][:200], digits[1][:200]
    _, msg = widgets.init_view(X, y, scale=1.0, depth=10, activation="sigmoid")
    ratio = float(msg.split("hidden layer 10 = ")[1])
    assert ratio < 1e-4
    _, msg = widgets.init_view(X, y, scale=10.0, depth=10, activation="relu")
    assert float(msg.split("hidden layer 10 = ")[1]) > 1e5
    _, msg = widgets.init_view(X, y, scale=10.0, depth=3, activation="tanh")
    assert "saturated" in msg
    plt.close("all")


def test_view_gives_a_figure_at_every_slider_extreme(digits):
    X, y = digits[0][:200], digits[1][:200]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)                                  # as the notebook's imports cell sets it
    try:
        widgets.init_view(X, y)                               # warm up (imports, first allocation)
        plt.close("all")
        for scale, depth, activation in itertools.product((0.1, 1.0, 10.0), (1, 5, 10), widgets.INIT_ACTIVATIONS):
            fig, message = widgets.init_view(X, y, scale, depth, activation)
            plt.close("all")
            assert fig is not None and message and "nan" not in message.lower().split()
    finally:
        torch.set_num_threads(threads)


def test_view_rejects_a_huge_batch(digits):
    with pytest.raises(ValueError, match="2,000"):
        widgets.init_view(digits[0][:2001], digits[1][:2001])


def test_the_deep_sigmoid_network_is_stuck_where_relu_with_he_learns(split, one_thread):
    X, y, X_val, y_val = split
    acc = {}
    for key in (("sigmoid", "scaled"), ("relu", "he")):
        acc[key] = [train.fit(deep_model(*key, s), X, y, loss="cross_entropy", lr=0.1, epochs=2, batch_size=20, seed=s,
                              evals={"val": (X_val, y_val)})["val_acc"][-1] for s in OTHER_SEEDS[:2]]
    assert max(acc[("sigmoid", "scaled")]) < 0.2 and min(acc[("relu", "he")]) > 0.7, acc


# --- L2 from the large start, LeCun ≤ Xavier ≤ He, exercise 3 ----------------------------------------------------

def test_l2_helps_the_large_start_and_hardly_the_small_one_on_other_seeds(split, one_thread):
    X, y, X_val, y_val = split
    small = data.first_per_class(y, per_class=100)
    acc, w_std, sat = {}, {}, {}
    for init in ("normal", "scaled"):
        for lam in (0.0, 1.0):
            runs = []
            for s in OTHER_SEEDS:
                net = models.init_weights_(models.MLP([784, 30, 10], seed=s), init, seed=s, bias_std=1.0)
                a = train.fit(net, X[small], y[small], loss="cross_entropy", lr=0.5, epochs=20, batch_size=10, seed=s,
                              l2=lam, evals={"val": (X_val, y_val)})["val_acc"][-1]
                z = net.layers[0](torch.as_tensor(X_val)).detach().numpy()
                runs.append((a, net.layers[0].weight.std().item(), np.mean(models.sigmoid_prime(z) < 0.01)))
            acc[init, lam], w_std[init, lam], sat[init, lam] = np.array(runs).T
    # the decay alone, (1 − ηλ/n)^2000 ≈ e^{-1}, sets the large start's weights; still ~3× the small start's, and
    # their saturation is about halved, yet stays above the small start's
    assert np.all(np.abs(w_std["normal", 1.0] / (1 - 0.5 / 1000) ** 2000 - 1) < 0.1), w_std
    assert w_std["normal", 1.0].min() > 2 * w_std["scaled", 0.0].max(), w_std
    assert sat["normal", 1.0].max() < sat["normal", 0.0].min() - 0.2, sat
    assert sat["normal", 1.0].min() > sat["scaled", 0.0].max() + 0.05, sat
    gain_large, gain_small = acc["normal", 1.0] - acc["normal", 0.0], acc["scaled", 1.0] - acc["scaled", 0.0]
    assert gain_large.min() > 0.03, gain_large
    assert np.abs(gain_small).max() < 0.02 and gain_large.min() > gain_small.max() + 0.02, gain_small
    assert np.all(acc["scaled", 0.0] > acc["normal", 1.0])


@pytest.mark.parametrize("n_in, n_out", [(784, 30), (30, 30), (30, 10), (784, 256), (256, 256), (256, 10), (64, 10)])
def test_lecun_is_at_most_xavier_and_half_of_he_where_layers_narrow(n_in, n_out):
    lecun, xavier, he = (models.init_std(s, n_in, n_out) ** 2 for s in ("scaled", "xavier", "he"))
    assert lecun <= xavier * (1 + 1e-12) <= he * (1 + 1e-12) and np.isclose(he, 2 * lecun)
    assert np.isclose(xavier, lecun) == (n_in == n_out)
    assert models.init_std("xavier", 10, 30) < models.init_std("scaled", 10, 30)   # a widening layer: Xavier < LeCun


def test_nielsens_window_is_widest_near_w_6_9_and_under_half_wide():
    w = np.linspace(4, 20, 1601)
    exact = 2 / w * np.log(w * (1 + np.sqrt(1 - 4 / w)) / 2 - 1)      # Nielsen's chapter-5 bound on the window's width
    assert abs(w[exact.argmax()] - 6.9) < 0.1 and abs(exact.max() - 0.448) < 0.002


RIGHT_ANSWERS = {
    "answer_1 = None  # TODO: a number": "answer_1 = np.sqrt(2 / 256)",
    "answer_2 = None  # TODO: a number": "answer_2 = np.sqrt(800 / 2000 + 1)",
    "widths = np.zeros(len(w_grid))": "widths = np.array([(np.abs(w * models.sigmoid_prime(w * a_grid)) >= 1).sum() "
                                      "* (a_grid[1] - a_grid[0]) for w in w_grid])",
    "answer_3 = None  # TODO: (the w with the widest window, that width)":
        "answer_3 = (w_grid[widths.argmax()], widths.max())",
}


def test_each_check_cell_accepts_a_right_answer_and_rejects_a_wrong_one(one_thread):
    verdicts = exercise_runner.check_cell_verdicts(NOTEBOOK, RIGHT_ANSWERS)
    assert len(verdicts) == 3 and all(v.startswith("Correct!") for v in verdicts), verdicts
    wrong = dict(RIGHT_ANSWERS)
    wrong["answer_1 = None  # TODO: a number"] = "answer_1 = 2 / 256"                      # the variance, not the std
    wrong["answer_3 = None  # TODO: (the w with the widest window, that width)"] = "answer_3 = (w_grid[-1], widths[-1])"
    verdicts = exercise_runner.check_cell_verdicts(NOTEBOOK, wrong)
    assert verdicts[0].startswith("Not yet") and verdicts[1].startswith("Correct!") and verdicts[2].startswith("Not yet")
