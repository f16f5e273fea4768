"""Notebook 06's helpers: the NumPy network and its backpropagation (checked against autograd and finite
differences), the vectorised and the per-sample (Nielsen) SGD loops, the plots and the neuron slider's view."""
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from utils import data, models, plots, train, widgets


@pytest.fixture(scope="module")
def digits():
    X, y = data.load_digits("train")
    X_test, y_test = data.load_digits("test")
    return X[:600].astype(float), y[:600], X_test[:200].astype(float), y_test[:200]


def torch_cost(zL, Y, cost):
    """Nielsen's costs written with PyTorch: the reference the hand-written gradients are checked against."""
    if cost == "quadratic":
        return 0.5 * ((torch.sigmoid(zL) - Y) ** 2).sum() / len(Y)
    return torch.nn.functional.binary_cross_entropy_with_logits(zL, Y, reduction="sum") / len(Y)


def autograd_gradients(net, X, Y, cost):
    model = net.to_torch()
    torch_cost(model(torch.as_tensor(X, dtype=torch.float64)), torch.as_tensor(Y, dtype=torch.float64), cost).backward()
    linears = [m for m in model.layers if isinstance(m, torch.nn.Linear)]
    return [m.weight.grad.numpy() for m in linears], [m.bias.grad.numpy() for m in linears]


# --- sigmoid, sigmoid_prime, one_hot ------------------------------------------------------------------------------

def test_sigmoid_and_its_derivative_match_torch():
    z = torch.linspace(-30, 30, 121, dtype=torch.float64, requires_grad=True)
    s = torch.sigmoid(z)
    s.sum().backward()
    assert np.allclose(models.sigmoid(z.detach().numpy()), s.detach().numpy(), rtol=1e-14, atol=0)
    assert np.allclose(models.sigmoid_prime(z.detach().numpy()), z.grad.numpy(), rtol=1e-12, atol=1e-300)
    assert models.sigmoid_prime(0.0) == 0.25 and np.all(models.sigmoid_prime(np.linspace(-9, 9, 99)) <= 0.25)


def test_sigmoid_is_quiet_and_exact_at_the_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")        # no overflow warning for very negative z
        s = models.sigmoid(np.array([-1e4, -800.0, 0.0, 800.0, 1e4]))
    assert s[0] >= 0 and s[1] < 1e-200 and s[2] == 0.5 and s[3] == 1.0 and s[4] == 1.0


def test_sigmoid_rejects_nan_and_strings():
    with pytest.raises(ValueError, match="NaN"):
        models.sigmoid([0.0, np.nan])
    with pytest.raises(TypeError, match="z"):
        models.sigmoid_prime("zero")


def test_one_hot():
    Y = models.one_hot(np.array([0, 3, 9]))
    assert Y.shape == (3, 10) and np.array_equal(Y.argmax(axis=1), [0, 3, 9]) and Y.sum() == 3
    with pytest.raises(ValueError, match="between 0 and 2"):
        models.one_hot(np.array([0, 3]), n_classes=3)
    with pytest.raises(ValueError, match="whole class numbers"):
        models.one_hot(np.array([0.5, 1.0]))


# --- NumpyNet: construction, forward pass, torch round trip --------------------------------------------------------

def test_numpy_net_shapes_seeds_and_initialisations():
    a, b = models.NumpyNet([784, 30, 10], seed=3), models.NumpyNet([784, 30, 10], seed=3)
    assert [W.shape for W in a.weights] == [(30, 784), (10, 30)] and [v.shape for v in a.biases] == [(30,), (10,)]
    assert a.n_params == 23_860 and "23860" in repr(a)
    assert all(np.array_equal(W, V) for W, V in zip(a.weights, b.weights))          # same seed, same weights
    assert not np.array_equal(a.weights[0], models.NumpyNet([784, 30, 10], seed=4).weights[0])
    big = models.NumpyNet([784, 30, 10], seed=0, init="normal")
    assert abs(a.weights[0].std() - 1 / np.sqrt(784)) < 0.002                       # N(0, 1/n_in)
    assert abs(big.weights[0].std() - 1.0) < 0.02                                    # N(0, 1), network.py
    assert abs(a.biases[0].std() - big.biases[0].std()) < 0.5                        # biases N(0, 1) in both


def test_copy_is_independent():
    net = models.NumpyNet([4, 3, 2], seed=0)
    twin = net.copy()
    twin.weights[0][0, 0] += 1.0
    twin.biases[1][0] += 1.0
    assert net.weights[0][0, 0] != twin.weights[0][0, 0] and net.biases[1][0] != twin.biases[1][0]


def test_forward_matches_the_layer_formula_and_models_mlp(digits):
    X = digits[0][:7]
    net = models.NumpyNet([784, 30, 10], seed=1)
    zs, acts = net.forward(X)
    assert [z.shape for z in zs] == [(7, 30), (7, 10)] and [a.shape for a in acts] == [(7, 784), (7, 30), (7, 10)]
    j, k = 4, 2   # z^2_j of example k = Σ_i w_ji x_i + b_j
    assert np.isclose(zs[0][k, j], np.dot(net.weights[0][j], X[k]) + net.biases[0][j])
    state = torch.random.get_rng_state()
    mlp = net.to_torch()
    assert torch.equal(torch.random.get_rng_state(), state)       # building it leaves the global generator alone
    assert isinstance(mlp, models.MLP) and mlp.activation == "sigmoid"
    with torch.no_grad():
        out = torch.sigmoid(mlp(torch.from_numpy(X))).numpy()
    assert np.allclose(out, acts[-1], rtol=0, atol=1e-14)
    assert np.array_equal(net.predict(X), acts[-1].argmax(axis=1))


def test_from_torch_round_trip_and_errors():
    mlp = models.MLP([6, 5, 4, 3], "sigmoid", seed=0)
    net = models.NumpyNet.from_torch(mlp)
    assert net.sizes == [6, 5, 4, 3]
    back = net.to_torch()
    X = torch.randn(5, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    assert torch.allclose(back(X), mlp(X))
    with pytest.raises(TypeError, match="model"):
        models.NumpyNet.from_torch("net")
    with pytest.raises(ValueError, match="no nn.Linear"):
        models.NumpyNet.from_torch(torch.nn.Sigmoid())
    with pytest.raises(ValueError, match="do not chain"):
        models.NumpyNet.from_torch(torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(5, 2)))


def test_costs_match_their_formulas_and_torch(digits):
    X, y = digits[0][:20], digits[1][:20]
    net = models.NumpyNet([784, 30, 10], seed=2)
    aL, Y = net.forward(X)[1][-1], models.one_hot(y)
    assert np.isclose(net.cost(X, y, "quadratic"), 0.5 * np.sum((Y - aL) ** 2) / 20, rtol=1e-13)
    xent = -np.sum(Y * np.log(aL) + (1 - Y) * np.log(1 - aL)) / 20
    assert np.isclose(net.cost(X, y, "cross_entropy"), xent, rtol=1e-12)
    zL = torch.from_numpy(net.forward(X)[0][-1])
    for cost in models.NUMPY_COSTS:
        assert np.isclose(net.cost(X, Y, cost), torch_cost(zL, torch.from_numpy(Y), cost).item(), rtol=1e-12)


def test_cross_entropy_cost_stays_finite_when_outputs_saturate():
    net = models.NumpyNet([3, 2], seed=0)
    net.weights[0][:] = 1000.0                     # σ(z) rounds to exactly 1.0 for every output
    C = net.cost(np.ones((2, 3)), np.array([0, 1]), "cross_entropy")
    assert np.isfinite(C) and C > 1000


@pytest.mark.parametrize("bad, match", [(np.ones((3, 5)), "shape"), (np.full((2, 784), np.nan), "NaN")])
def test_numpy_net_rejects_bad_inputs(bad, match):
    with pytest.raises(ValueError, match=match):
        models.NumpyNet([784, 5, 10]).forward(bad)


def test_numpy_net_rejects_bad_targets_and_costs(digits):
    net, X = models.NumpyNet([784, 5, 10]), digits[0][:4]
    with pytest.raises(ValueError, match="labels or one-hot"):
        net.backprop(X, np.zeros((4, 3)))
    with pytest.raises(ValueError, match="unknown cost"):
        net.cost(X, digits[1][:4], "hinge")
    with pytest.raises(ValueError, match="one integer label per row"):
        net.accuracy(X, digits[1][:3])


# --- backpropagation against autograd and finite differences --------------------------------------------------------

@pytest.mark.parametrize("cost", models.NUMPY_COSTS)
@pytest.mark.parametrize("sizes, n", [([784, 30, 10], 10), ([784, 30, 10], 1), ([6, 5, 4, 3], 7), ([3, 2], 4)])
def test_backprop_equals_autograd(digits, cost, sizes, n):
    rng = np.random.default_rng(n)
    X = digits[0][:n] if sizes[0] == 784 else rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, sizes[-1], size=n)
    for init in models.NUMPY_INITS:
        net = models.NumpyNet(sizes, seed=n, init=init)
        grad_W, grad_b = net.backprop(X, y, cost)
        ref_W, ref_b = autograd_gradients(net, X, models.one_hot(y, sizes[-1]), cost)
        for mine, ref in zip(grad_W + grad_b, ref_W + ref_b):
            assert mine.shape == ref.shape
            assert np.allclose(mine, ref, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("cost", models.NUMPY_COSTS)
def test_backprop_equals_finite_differences_on_every_parameter(cost):
    rng = np.random.default_rng(0)
    X, y = rng.uniform(0, 1, size=(5, 6)), np.array([0, 2, 1, 2, 0])
    net = models.NumpyNet([6, 4, 3, 3], seed=1)
    grad_W, grad_b = net.backprop(X, y, cost)
    h = 1e-6
    for P, G in zip(net.weights + net.biases, grad_W + grad_b):
        for i in np.ndindex(P.shape):
            old = P[i]
            P[i] = old + h
            c_plus = net.cost(X, y, cost)
            P[i] = old - h
            c_minus = net.cost(X, y, cost)
            P[i] = old
            assert abs((c_plus - c_minus) / (2 * h) - G[i]) < 1e-8


def test_cross_entropy_output_error_is_a_minus_y():
    net = models.NumpyNet([4, 3], seed=0)        # one layer: ∂C/∂bᴸ = δᴸ = aᴸ − y for a batch of one
    x, y = np.array([[0.2, 0.9, 0.0, 0.5]]), np.array([1])
    aL = net.forward(x)[1][-1][0]
    assert np.allclose(net.backprop(x, y, "cross_entropy")[1][0], aL - np.eye(3)[1])
    sp = aL * (1 - aL)
    assert np.allclose(net.backprop(x, y, "quadratic")[1][0], (aL - np.eye(3)[1]) * sp)



def test_softmax_cross_entropy_output_error_is_softmax_minus_y():
    """Notebook 06 derives ∂L/∂z = softmax(z) − y for L = −ln softmax(z)_label, and its chain-rule form through the
    softmax Jacobian s_k(1[k = j] − s_j): both against autograd, on scores of every size (saturated ones too)."""
    z = torch.tensor(np.random.default_rng(3).normal(0, 6, size=(7, 10)), requires_grad=True)
    labels = torch.tensor([0, 3, 9, 1, 1, 5, 7])
    torch.nn.functional.cross_entropy(z, labels, reduction="sum").backward()
    s, Y = torch.softmax(z, dim=1).detach().numpy(), models.one_hot(labels.numpy())
    assert np.allclose(z.grad.numpy(), s - Y, rtol=0, atol=1e-13)
    for k in range(7):
        jacobian = s[k][:, None] * (np.eye(10) - s[k][None, :])
        assert np.allclose(Y[k] @ np.diag(-1 / s[k]) @ jacobian, s[k] - Y[k], rtol=0, atol=1e-9)


def test_backward_pass_products_count_twice_the_forward_only_with_the_input_gradient():
    """Notebook 06: per layer, the forward pass does one product (N, n_in)·(n_in, n_out); the backward pass does the
    weight gradient (n_out, N)·(N, n_in) and, except for the input layer, the error (N, n_out)·(n_out, n_in)."""
    for sizes in ([784, 30, 10], [784, 100, 100, 10], [5, 4, 3, 2]):
        layer = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
        backward = sum(layer) + sum(layer[1:])
        assert sum(layer) <= backward < 2 * sum(layer)          # fewer than twice: the input layer's error is skipped
        assert backward + layer[0] == 2 * sum(layer)              # exactly twice with ∂C/∂x


def test_cross_entropy_does_not_unsaturate_the_hidden_layer(digits):
    """Notebook 06's claim: the cross-entropy cost removes σ′ at the output only; a large N(0, 1) initialisation
    saturates most hidden neurons and they stay saturated under cross-entropy training, while the 1/√n_in
    initialisation (the only change) starts unsaturated and trains better with the same cost."""
    X, y, X_val, y_val = digits

    def hidden_saturated(net):
        a2 = net.forward(X)[1][1]
        return np.mean(a2 * (1 - a2) < 0.05)

    for s in (0, 1):
        large = models.NumpyNet([784, 30, 10], seed=s, init="normal")
        small = models.NumpyNet([784, 30, 10], seed=s, init="scaled")
        assert hidden_saturated(large) > 0.5 and hidden_saturated(small) < 0.01
        h_large = train.sgd_numpy(large, X, y, X_val, y_val, lr=0.5, epochs=4, batch_size=10, seed=s,
                                  cost="cross_entropy")
        h_small = train.sgd_numpy(small, X, y, X_val, y_val, lr=0.5, epochs=4, batch_size=10, seed=s,
                                  cost="cross_entropy")
        assert hidden_saturated(large) > 0.5
        assert h_small["test_acc"][-1] > h_large["test_acc"][-1]

def test_quadratic_cost_gap_is_partly_step_size_and_partly_a_slow_start(digits):
    """Notebook 06's claim: from N(0, 1), at the same η = 0.5 the cross-entropy cost beats the quadratic cost; raising
    only the quadratic cost's η to 3.0 closes part of the gap, but after one epoch it is still clearly behind."""
    X, y, X_val, y_val = digits
    for s in (0, 1):
        def run(cost, lr):
            return train.sgd_numpy(models.NumpyNet([784, 30, 10], seed=s, init="normal"), X, y, X_val, y_val, lr=lr,
                                   epochs=4, batch_size=10, seed=s, cost=cost)["test_acc"]
        quad, quad_3, xent = run("quadratic", 0.5), run("quadratic", 3.0), run("cross_entropy", 0.5)
        assert xent[0] > quad[0] and xent[-1] > quad[-1]           # the cost, at the same η
        assert quad_3[0] > quad[0] and quad_3[-1] > quad[-1]       # only η changed
        assert xent[0] - quad_3[0] > 0.05                          # still a slower start


def test_exercise_1_softmax_output_with_the_quadratic_cost():
    """Exercise 1's answer: for C = ½‖y − s‖², s = softmax(z), δ_j = s_j((s_j − y_j) − Σ_k (s_k − y_k)s_k), which is
    not s − y, and vanishes when the softmax saturates on a wrong class."""
    z = torch.tensor(np.random.default_rng(5).normal(0, 3, size=(6, 10)), requires_grad=True)
    Y = models.one_hot(np.array([0, 3, 9, 1, 5, 7]))
    (0.5 * ((torch.from_numpy(Y) - torch.softmax(z, dim=1)) ** 2).sum()).backward()
    s = torch.softmax(z, dim=1).detach().numpy()
    g = s - Y
    delta = s * (g - (g * s).sum(axis=1, keepdims=True))
    assert np.allclose(z.grad.numpy(), delta, rtol=0, atol=1e-13)
    assert not np.allclose(delta, s - Y, atol=1e-3)
    z_wrong = np.zeros((1, 10))
    z_wrong[0, 4] = 30.0                                          # confidently 4, the label is 0
    s_w = np.exp(z_wrong - z_wrong.max()) / np.exp(z_wrong - z_wrong.max()).sum()
    g_w = s_w - models.one_hot(np.array([0]))
    assert np.abs(s_w * (g_w - (g_w * s_w).sum(axis=1, keepdims=True))).max() < 1e-11


def test_exercise_2_window_where_a_large_weight_can_grow_the_gradient():
    """Exercise 2's answer: |8·σ′(8a − 4)| ≥ 1 on an interval of a about 0.4407 wide (a grid and the closed form
    (2/|w|)·ln(|w|(1 + √(1 − 4/|w|))/2 − 1) agree); no weight opens a window wider than about 0.45."""
    a = np.linspace(0, 1, 100_001)
    inside = np.abs(8 * models.sigmoid_prime(8 * a - 4)) >= 1
    width_grid = a[inside].max() - a[inside].min()
    width = lambda w: 2 / w * np.log(w * (1 + np.sqrt(1 - 4 / w)) / 2 - 1)   # noqa: E731
    assert abs(width_grid - 0.4407) < 0.001 and abs(width(8.0) - 0.4407) < 1e-4
    ws = np.linspace(4.001, 50, 20_000)
    assert abs(ws[np.argmax(width(ws))] - 6.9) < 0.05 and 0.447 < width(ws).max() < 0.448
    assert not np.any(np.abs(models.sigmoid_prime(np.linspace(-9, 9, 999))) * 4 > 1 + 1e-12)   # |w| ≤ 4: never


def test_exercise_3_finite_differences_cost_about_one_backprop_per_parameter():
    """Exercise 3's answer: finite differences / (forward + our backward) ≈ 79,000 for [784, 100, 10], close to its
    79,510 parameters; 23,711 for [784, 30, 10] (the notebook's printed ratio)."""
    def ratio(sizes):
        layer = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
        forward, backward = sum(layer), sum(layer) + sum(layer[1:])
        n_params = sum(layer) + sum(sizes[1:])
        return 2 * n_params * forward / (forward + backward), n_params
    r30, p30 = ratio([784, 30, 10])
    r100, p100 = ratio([784, 100, 10])
    assert round(r30) == 23_711 and p30 == 23_860
    assert abs(r100 - 79_012.4) < 0.1 and 0.99 < r100 / p100 < 1
    assert r100 > r30


# --- training loops ------------------------------------------------------------------------------------------------------

def test_sgd_numpy_is_plain_minibatch_sgd(digits):
    X, y, X_test, y_test = digits
    net = models.NumpyNet([784, 8, 10], seed=0)
    manual = net.copy()
    h = train.sgd_numpy(net, X, y, X_test, y_test, lr=0.5, epochs=2, batch_size=25, seed=4, cost="cross_entropy")
    rng = np.random.default_rng(4)
    for _ in range(2):
        for idx in train.minibatches(len(X), 25, True, rng):
            g_W, g_b = manual.backprop(X[idx], y[idx], "cross_entropy")
            for l in range(2):
                manual.weights[l] -= 0.5 * g_W[l]
                manual.biases[l] -= 0.5 * g_b[l]
    assert h["net"] is net
    assert all(np.array_equal(W, V) for W, V in zip(net.weights, manual.weights))
    assert set(h) >= {"train_loss", "train_acc", "test_loss", "test_acc", "seconds", "diverged_at"}
    assert len(h["test_acc"]) == 2 and h["diverged_at"] is None
    assert np.isclose(h["train_loss"][-1], net.cost(X, y, "cross_entropy"))
    assert np.isclose(h["test_acc"][-1], net.accuracy(X_test, y_test))


def test_sgd_numpy_learns(digits):
    X, y, X_test, y_test = digits
    h = train.sgd_numpy(models.NumpyNet([784, 30, 10], seed=0), X, y, X_test, y_test, lr=3.0, epochs=3)
    assert h["train_loss"][-1] < h["train_loss"][0] and h["test_acc"][-1] > 0.6
    no_test = train.sgd_numpy(models.NumpyNet([784, 5, 10]), X, y, epochs=1)
    assert "test_acc" not in no_test and len(no_test["train_acc"]) == 1


@pytest.mark.parametrize("cost", models.NUMPY_COSTS)
def test_sgd_numpy_equals_a_torch_sgd_loop_on_the_same_batches(digits, cost):
    X, y = digits[0][:300], digits[1][:300]
    start = models.NumpyNet([784, 12, 10], seed=5)
    h = train.sgd_numpy(start.copy(), X, y, lr=0.7, epochs=2, batch_size=10, seed=1, cost=cost)
    model = start.to_torch()
    opt = torch.optim.SGD(model.parameters(), lr=0.7)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(models.one_hot(y))
    rng = np.random.default_rng(1)
    for _ in range(2):
        for idx in train.minibatches(len(X), 10, True, rng):
            idx = torch.from_numpy(idx)
            loss = torch_cost(model(Xt[idx]), Yt[idx], cost)
            opt.zero_grad()
            loss.backward()
            opt.step()
    back = models.NumpyNet.from_torch(model)
    for W, V in zip(h["net"].weights + h["net"].biases, back.weights + back.biases):
        assert np.allclose(W, V, rtol=0, atol=1e-11)


def test_sgd_per_sample_equals_sgd_numpy_from_the_same_start(digits):
    X, y, X_test, y_test = digits
    start = models.NumpyNet([784, 30, 10], seed=0, init="normal")
    slow = train.sgd_per_sample(X, y, lr=3.0, epochs=2, batch_size=10, seed=2, net=start.copy(),
                                X_test=X_test, y_test=y_test)
    fast = train.sgd_numpy(start.copy(), X, y, X_test, y_test, lr=3.0, epochs=2, batch_size=10, seed=2)
    for W, V in zip(slow["net"].weights + slow["net"].biases, fast["net"].weights + fast["net"].biases):
        assert W.shape == V.shape and np.allclose(W, V, rtol=0, atol=1e-11)
    assert np.array_equal(slow["test_acc"], fast["test_acc"]) and len(slow["seconds"]) == 2


def test_sgd_per_sample_defaults_to_network_py(digits):
    X, y = digits[0][:100], digits[1][:100]
    h = train.sgd_per_sample(X, y, sizes=[784, 30, 10], lr=3.0, epochs=1, batch_size=10, seed=0)   # the benchmark's call
    net = h["net"]
    assert net.sizes == [784, 30, 10] and abs(net.weights[0].std() - 1.0) < 0.05          # N(0, 1) weights
    assert "test_acc" not in h and len(h["seconds"]) == 1
    with pytest.raises(TypeError, match="net"):
        train.sgd_per_sample(X, y, net="network")
    with pytest.raises(ValueError, match="784"):
        train.sgd_per_sample(X[:, :100], y)


@pytest.mark.parametrize("kwargs, match", [(dict(batch_size=0), "batch_size"), (dict(batch_size=601), "larger"),
                                           (dict(cost="softmax"), "cost"), (dict(lr=0), "lr"),
                                           (dict(X_test=np.zeros((3, 5)), y_test=np.zeros(3, int)), "784")])
def test_sgd_numpy_rejects_bad_arguments(digits, kwargs, match):
    X, y = digits[0], digits[1]
    with pytest.raises((ValueError, TypeError), match=match):
        train.sgd_numpy(models.NumpyNet([784, 5, 10]), X, y, **kwargs)


# --- plots and the neuron slider ------------------------------------------------------------------------------------------

def test_plots_return_figures():
    fig = plots.plot_output_neuron(np.linspace(-5, 5, 11), 1, 0.5)
    assert len(fig.axes) == 2
    fig = plots.plot_curves({"a": [[0.1, 0.5], [0.2, 0.6]], "b": np.array([[0.3, 0.4]])}, logy=False, percent=True)
    assert len(fig.axes[0].lines) == 5            # 3 runs + 2 means
    fig = plots.plot_weight_images(np.random.default_rng(0).normal(size=(12, 784)), n_cols=5)
    assert sum(len(ax.images) > 0 for ax in fig.axes) == 12
    plt.close("all")
    with pytest.raises(ValueError, match="target"):
        plots.plot_output_neuron(np.linspace(-5, 5, 11), 2, 0.5)
    with pytest.raises(ValueError, match="784 columns"):
        plots.plot_weight_images(np.zeros((2, 100)))


def test_neuron_view_default_is_nielsens_saturated_neuron():
    fig, message = widgets.neuron_view()
    assert fig is not None and "z = w·x + b = 2.00·1.00 + 2.00 = 4.00" in message
    s = 1 / (1 + np.exp(-4.0))
    assert f"{(s - 0) * s * (1 - s):+.4f}" in message and f"{s:+.4f}" in message
    plt.close("all")


@pytest.mark.parametrize("w", [-5.0, 5.0])
@pytest.mark.parametrize("b", [-5.0, 5.0])
@pytest.mark.parametrize("x", [0.0, 1.0])
@pytest.mark.parametrize("y", [0, 1])
def test_neuron_view_at_the_slider_extremes_is_clean(w, b, x, y):
    fig, message = widgets.neuron_view(w, b, x, y)
    plt.close("all")
    assert fig is not None and "nan" not in message and "−0.0000" not in message and "-0.0000" not in message
    if x == 0.0:
        assert message.count("∂C/∂w = x·δ = +0.0000") == 2     # a black pixel's weight gets no gradient


def test_neuron_view_rejects_bad_values():
    with pytest.raises(ValueError, match="target"):
        widgets.neuron_view(y=2)
    with pytest.raises(TypeError, match="w"):
        widgets.neuron_view(w="big")
