"""Models and training loops: checked against finite differences, autograd, lstsq and simple truths."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from utils import data, models, train, widgets


@pytest.fixture(scope="module")
def ml():
    t = data.load_lectures()
    rows = data.select(t, course="ML2021")
    return data.features(rows)[:, 0], data.target(rows)


def test_gradient_matches_finite_differences_and_autograd(ml):
    x, y = ml
    for w1, b in [(1.0, 15.0), (1.76, 5.1), (-2.0, 40.0)]:
        gw, gb = train.linear_gradient(x, y, w1, b)
        h = 1e-5
        fd_w = (models.mse((w1 + h) * x + b, y) - models.mse((w1 - h) * x + b, y)) / (2 * h)
        fd_b = (models.mse(w1 * x + b + h, y) - models.mse(w1 * x + b - h, y)) / (2 * h)
        assert np.allclose([gw, gb], [fd_w, fd_b], rtol=1e-6, atol=1e-6)
        wt = torch.tensor(w1, dtype=torch.float64, requires_grad=True)
        bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
        loss = torch.mean((wt * torch.as_tensor(x) + bt - torch.as_tensor(y)) ** 2)
        loss.backward()
        assert np.allclose([gw, gb], [wt.grad.item(), bt.grad.item()], rtol=1e-10)


def test_fit_linear_matches_lstsq_and_the_normal_equations(ml):
    x, y = ml
    w1, b = models.fit_linear(x, y)
    ref = np.linalg.lstsq(np.c_[x, np.ones_like(x)], y, rcond=None)[0]
    assert np.allclose([w1, b], ref)
    assert np.isclose(w1, np.polyfit(x, y, 1)[0])
    grid = models.loss_grid(x, y, np.linspace(0, 3, 100), np.linspace(0, 20, 300))
    assert grid.min() >= models.mse(w1 * x + b, y)   # no grid line beats the optimum


def test_loss_grid_matches_a_loop(ml):
    x, y = ml
    ws, bs = np.array([0.5, 1.0, 2.0]), np.array([0.0, 10.0])
    grid = models.loss_grid(x, y, ws, bs)
    assert grid.shape == (2, 3)
    for i, b in enumerate(bs):
        for j, w in enumerate(ws):
            assert np.isclose(grid[i, j], models.mse(w * x + b, y))


def test_gradient_descent_matches_a_plain_loop_and_decreases_the_loss(ml):
    x, y = ml
    h = train.gradient_descent(x, y, 1.0, 15.0, lr=1e-4, steps=300)
    w1, b = 1.0, 15.0
    for _ in range(300):
        gw, gb = train.linear_gradient(x, y, w1, b)
        w1, b = w1 - 1e-4 * gw, b - 1e-4 * gb
    assert np.allclose([h["w1"][-1], h["b"][-1]], [w1, b], rtol=1e-9)
    assert np.all(np.diff(h["loss"]) <= 1e-9) and h["diverged_at"] is None
    assert np.isclose(h["loss"][-1], models.mse(w1 * x + b, y))


def test_gradient_descent_converges_when_the_feature_is_standardised(ml):
    x, y = ml
    z = (x - x.mean()) / x.std()
    h = train.gradient_descent(z, y, 0.0, 0.0, lr=0.1, steps=500)
    w_star, b_star = models.fit_linear(z, y)
    assert np.allclose([h["w1"][-1], h["b"][-1]], [w_star, b_star], atol=1e-6)


def test_gradient_descent_reports_divergence_instead_of_overflowing(ml):
    x, y = ml
    with np.errstate(all="raise"):   # no overflow may happen on the way
        h = train.gradient_descent(x, y, 1.0, 15.0, lr=0.01, steps=10_000)
    assert h["diverged_at"] is not None and h["diverged_at"] < 20
    assert np.all(np.isfinite(h["loss"])) and len(h["loss"]) == h["diverged_at"]
    assert "diverged after" in train.describe_run(h)


def test_minibatches_visit_every_example_once_and_shuffle_when_asked():
    rng = np.random.default_rng(0)
    epochs = [train.minibatches(23, 5, shuffle=True, rng=rng) for _ in range(3)]
    for batches in epochs:
        assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
        assert sorted(np.concatenate(batches).tolist()) == list(range(23))
    orders = [np.concatenate(b).tolist() for b in epochs]
    assert orders[0] != orders[1] != orders[2]
    plain = np.concatenate(train.minibatches(23, 5, shuffle=False)).tolist()
    assert plain == list(range(23))


def test_minibatch_descent_makes_n_over_b_updates_per_epoch(ml):
    x, y = ml
    for B, per_epoch in [(20, 1), (5, 4), (1, 20), (3, 7)]:
        h = train.minibatch_descent(x, y, lr=1e-5, batch_size=B, epochs=3, seed=0)
        assert h["updates_per_epoch"] == per_epoch
        assert len(h["loss"]) == 1 + 3 * per_epoch and len(h["epoch_loss"]) == 4
    full = train.minibatch_descent(x, y, lr=1e-4, batch_size=20, epochs=50, shuffle=False)
    gd = train.gradient_descent(x, y, lr=1e-4, steps=50)
    assert np.allclose(full["loss"], gd["loss"])   # full batch = plain gradient descent


def test_fit_lowers_the_mse_and_tracks_validation():
    X = np.linspace(-1, 1, 30)[:, None]
    y = 3 * X[:, 0] ** 2
    net = models.ReluNet(1, 20, seed=0)
    h = train.fit(net, X[::2], y[::2], loss="mse", optimizer="adam", lr=1e-2, epochs=300, shuffle=False,
                  evals={"val": (X[1::2], y[1::2])})
    assert set(h) == {"train_loss", "val_loss", "best_epoch", "diverged_at", "seconds"}   # no accuracy for MSE
    assert h["train_loss"][-1] < 0.05 * h["train_loss"][0] and h["diverged_at"] is None
    assert len(h["val_loss"]) == len(h["seconds"]) == 300 and 1 <= h["best_epoch"] <= 300
    assert h["best_epoch"] == int(np.argmin(h["val_loss"])) + 1
    assert np.isclose(h["val_loss"][-1], models.mse(train.predict(net, X[1::2]), y[1::2]), rtol=1e-12)


def test_fit_shuffle_false_is_full_batch_descent_in_the_data_order():
    X = np.linspace(-1, 1, 12)[:, None]
    y = np.abs(X[:, 0])
    net = models.ReluNet(1, 4, seed=2)
    h = train.fit(net, X, y, loss="mse", optimizer="sgd", lr=0.05, epochs=5, shuffle=False)
    hand = models.ReluNet(1, 4, seed=2)
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
    losses = []
    for _ in range(5):
        loss = torch.mean((hand(Xt) - yt) ** 2)
        hand.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in hand.parameters():
                p.add_(p.grad, alpha=-0.05)                  # θ ← θ − η ∇L(θ), as torch.optim.SGD writes it
            losses.append(torch.mean((hand(Xt) - yt) ** 2).item())
    assert np.array_equal(h["train_loss"], losses)
    assert all(torch.equal(p, q) for p, q in zip(net.parameters(), hand.parameters()))


def test_fit_stops_a_run_that_explodes_and_says_when():
    X = np.linspace(0, 100, 20)[:, None]
    y = 2 * X[:, 0]
    h = train.fit(models.ReluNet(1, 10, seed=0), X, y, loss="mse", optimizer="sgd", lr=1.0, epochs=500,
                  shuffle=False)
    assert h["diverged_at"] is not None and len(h["train_loss"]) == h["diverged_at"] < 500
    last = h["train_loss"][-1]
    assert not np.isfinite(last) or last > train.DIVERGED_LOSS
    assert np.all(np.isfinite(h["train_loss"][:-1]) & (h["train_loss"][:-1] <= train.DIVERGED_LOSS))


@pytest.mark.parametrize("build", [
    lambda seed: models.ReluNet(2, 30, depth=2, seed=seed),
    lambda seed: models.MLP([784, 30, 10], "relu", seed=seed),
    lambda seed: models.SmallCNN(maps=4, seed=seed)], ids=["ReluNet", "MLP", "SmallCNN"])
def test_models_start_from_their_seed_alone_and_leave_the_global_generator_alone(build):
    torch.manual_seed(11)
    state = torch.random.get_rng_state()
    a = build(3)
    assert torch.equal(torch.random.get_rng_state(), state)   # building a model draws nothing from it
    torch.manual_seed(12)                                       # … and what it holds does not matter
    b, c = build(3), build(4)
    pa, pb, pc = list(a.parameters()), list(b.parameters()), list(c.parameters())
    assert all(p.dtype == torch.float64 for p in pa)
    assert all(torch.equal(p, q) for p, q in zip(pa, pb))
    assert all(not torch.equal(p, q) for p, q in zip(pa, pc))   # every layer's weights and biases differ


def test_relu_pieces_matches_the_torch_model():
    net = models.ReluNet(1, 5, seed=1)
    first, last = net.layers[0], net.layers[2]
    x = np.linspace(0, 100, 7)
    ours = models.relu_pieces(x, last.weight.detach().numpy()[0], first.weight.detach().numpy()[:, 0],
                              first.bias.detach().numpy(), last.bias.item())
    assert np.allclose(ours, train.predict(net, x[:, None]), rtol=1e-5, atol=1e-4)


def test_f_lazy_memorises_training_decks_and_answers_zero_elsewhere():
    f = models.f_lazy([[10, 300], [20, 500]], [10.0, 20.0])
    assert list(f([[10, 300], [20, 500], [15, 400]])) == [10.0, 20.0, 0.0]


@pytest.mark.parametrize("call, match", [
    (lambda x, y: train.gradient_descent(x, y, lr=-0.1), r"lr \(learning rate η\) must be > 0"),
    (lambda x, y: train.gradient_descent(x, y, lr=0), r"lr \(learning rate η\) must be > 0"),
    (lambda x, y: train.gradient_descent(x, y, lr=float("nan")), "must be finite"),
    (lambda x, y: train.gradient_descent(x, y, steps=-1), "steps must be ≥ 0"),
    (lambda x, y: train.gradient_descent(x, y, steps=2.5), "whole number"),
    (lambda x, y: train.gradient_descent(x, y[:5]), "x has 20 examples but y has 5"),
    (lambda x, y: train.gradient_descent(x, y, w1="one"), "w1 must be a number"),
    (lambda x, y: train.linear_gradient([], [], 1, 1), "at least 1"),
    (lambda x, y: train.linear_gradient([1.0, np.nan], [1.0, 2.0], 1, 1), "NaN or inf"),
    (lambda x, y: train.linear_gradient(np.ones((2, 2)), [1, 2], 1, 1), "must be 1-D"),
    (lambda x, y: train.minibatches(20, 21), r"batch_size \(21\) is larger than the data"),
    (lambda x, y: train.minibatches(20, 0), "batch_size must be ≥ 1"),
    (lambda x, y: train.minibatches(20, 5, shuffle=True), "needs rng"),
    (lambda x, y: train.minibatch_descent(x, y, batch_size=50), "larger than the data"),
    (lambda x, y: train.minibatch_descent(x, y, epochs=0), "epochs must be ≥ 1"),
    (lambda x, y: train.describe_run({}), "history must be"),
    (lambda x, y: models.mse([1, 2], [1, 2, 3]), "y_pred has 2 examples but y_true has 3"),
    (lambda x, y: models.fit_linear([1.0], [2.0]), "at least 2"),
    (lambda x, y: models.loss_grid(x, y, [], [1.0]), "at least 1"),
    (lambda x, y: models.relu_pieces(x, [1, 2], [1], [0, 0], 0), "c has 2 examples but w has 1"),
    (lambda x, y: models.ReluNet(hidden=0), "hidden must be ≥ 1"),
    (lambda x, y: models.ReluNet(n_features=2, x_std=[1.0, 0.0]), "x_std must be positive"),
    (lambda x, y: models.ReluNet(seed=-1), "seed must be ≥ 0"),
    (lambda x, y: models.MLP([4, 2], seed=1.5), "seed must be a whole number"),
    (lambda x, y: train.fit("net", x, y, loss="mse"), "model must be a torch.nn.Module"),
    (lambda x, y: train.fit(models.ReluNet(), x, y), "loss"),
    (lambda x, y: train.fit(models.ReluNet(), x, y, loss="mae"), "unknown loss 'mae'"),
    (lambda x, y: train.fit(models.ReluNet(), x, y, loss="mse", optimizer="adamw"), "unknown optimizer 'adamw'"),
    (lambda x, y: train.fit(models.ReluNet(), x, y, loss="mse", batch_size=21), "larger than the data"),
    (lambda x, y: train.fit(models.ReluNet(), x, y, loss="mse", lr=0), "must be > 0"),
    (lambda x, y: train.fit(models.ReluNet(), x, y, loss="mse", evals={"val": (x[:, None].repeat(2, 1), y)}),
     r"evals\['val'\] X must have examples of shape \(1,\), got \(2,\)"),
    (lambda x, y: train.fit(models.ReluNet(), x, y, loss="mse", evals={"val": (x, y[:5])}),
     r"evals\['val'\] X has 20 examples but evals\['val'\] y has 5"),
    (lambda x, y: train.predict(models.ReluNet(), np.ones((2, 2, 2))), "shape"),
])
def test_bad_arguments_say_what_to_fix(ml, call, match):
    x, y = ml
    with pytest.raises((ValueError, TypeError), match=match):
        call(x, y)


@pytest.mark.parametrize("w1", [0.0, 3.0])
@pytest.mark.parametrize("b", [0.0, 20.0])
def test_manual_fit_view_at_every_slider_extreme(ml, w1, b):
    x, y = ml
    fig, message = widgets.manual_fit_view(x, y, w1, b)
    assert isinstance(fig, plt.Figure) and message.startswith(f"w1 = {w1:.2f}")
    plt.close("all")


def test_relunet_starts_like_nn_linear_and_identically_on_every_cpu():
    """ReluNet's weights are PyTorch's default draw, and bit-identical under every CPU kernel set."""
    import hashlib
    import os
    import subprocess
    import sys

    torch.manual_seed(3)
    reference = torch.nn.Sequential(torch.nn.Linear(2, 50), torch.nn.ReLU(), torch.nn.Linear(50, 1))
    net = models.ReluNet(2, 50, seed=3)
    for p, q in zip(reference.parameters(), net.layers.parameters()):
        assert q.dtype == torch.float64
        assert torch.allclose(p.double(), q, atol=1e-6)
    code = ("import hashlib, torch; from utils import models; net = models.ReluNet(2, 50, seed=3);"
            "print(hashlib.sha256(b''.join(p.detach().numpy().tobytes() for p in net.parameters())).hexdigest())")
    here = hashlib.sha256(b"".join(p.detach().numpy().tobytes() for p in net.parameters())).hexdigest()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for capability in ("default", "avx2"):
        env = dict(os.environ, ATEN_CPU_CAPABILITY=capability, PYTHONPATH=root)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == here, f"ReluNet's initial weights differ under ATEN_CPU_CAPABILITY={capability}"
