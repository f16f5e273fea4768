"""The classification helpers shared by notebooks 05 onwards: MLP, losses, train.fit on class labels, predict_classes."""
import numpy as np
import pytest
import torch

from utils import data, models, train


@pytest.fixture(scope="module")
def digits():
    X, y = data.load_digits("train")
    X_test, y_test = data.load_digits("test")
    return X[:1000], y[:1000], X_test, y_test


def test_mlp_layers_and_scores():
    net = models.MLP([784, 30, 10], seed=0)
    assert [m.__class__.__name__ for m in net.layers] == ["Linear", "Sigmoid", "Linear"]
    assert net(torch.zeros(4, 784, dtype=torch.float64)).shape == (4, 10)
    deep = models.MLP([784, 30, 10, 5, 10, 10], activation="relu")
    assert sum(isinstance(m, torch.nn.ReLU) for m in deep.layers) == 4


@pytest.mark.parametrize("sizes, match", [([784], "at least two"), ("784,10", "at least two"),
                                          ([784, 0, 10], "sizes\\[1\\]"), ([784, 2.5, 10], "whole number")])
def test_mlp_rejects_bad_sizes(sizes, match):
    with pytest.raises((ValueError, TypeError), match=match):
        models.MLP(sizes)


def test_mlp_rejects_unknown_activation():
    with pytest.raises(ValueError, match="activation"):
        models.MLP([784, 10], activation="softplus")


def test_losses_agree_with_their_definitions():
    scores = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0]], dtype=torch.float64)
    labels = torch.tensor([0, 2])
    p = torch.softmax(scores, 1)
    assert np.isclose(train.classification_loss(scores, labels).item(), -torch.log(p[[0, 1], [0, 2]]).mean().item())
    one_hot = torch.eye(3, dtype=torch.float64)[labels]
    assert np.isclose(train.classification_loss(scores, labels, "mse_softmax").item(),
                      ((p - one_hot) ** 2).sum(1).mean().item())
    assert np.isclose(train.classification_loss(scores, labels, "mse_sigmoid").item(),
                      ((torch.sigmoid(scores) - one_hot) ** 2).sum(1).mean().item())
    a = torch.sigmoid(scores)                          # Nielsen's sigmoid cross-entropy, written out
    assert np.isclose(train.classification_loss(scores, labels, "cross_entropy_sigmoid").item(),
                      (-(one_hot * torch.log(a) + (1 - one_hot) * torch.log(1 - a))).sum(1).mean().item())
    with pytest.raises(ValueError, match="unknown loss"):
        train.classification_loss(scores, labels, "hinge")


def test_fit_learns_digits_and_reports_per_epoch(digits):
    X, y, X_test, y_test = digits
    net = models.MLP([784, 30, 10], seed=0)
    h = train.fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=0.5, epochs=3, batch_size=10, seed=0,
                  evals={"test": (X_test, y_test)})
    assert set(h) == {"train_loss", "train_acc", "test_loss", "test_acc", "seconds", "diverged_at"}
    assert len(h["train_acc"]) == len(h["test_acc"]) == len(h["seconds"]) == 3 and h["diverged_at"] is None
    assert h["train_loss"][-1] < h["train_loss"][0] and h["test_acc"][-1] > 0.8
    assert np.isclose(np.mean(train.predict_classes(net, X_test) == y_test), h["test_acc"][-1])


def test_fit_is_reproducible_from_its_seed_alone(digits):
    X, y, _, _ = digits
    runs = []
    for seed, global_seed in [(3, 1), (3, 2), (4, 1)]:
        torch.manual_seed(global_seed)          # torch's global generator plays no part in the model or the run
        state = torch.random.get_rng_state()
        runs.append(train.fit(models.MLP([784, 10], seed=1), X, y, loss="cross_entropy", epochs=2, batch_size=10,
                              seed=seed)["train_loss"])
        assert torch.equal(torch.random.get_rng_state(), state)
    assert np.array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])     # another seed: another order of the examples


def test_fit_with_batch_size_none_makes_one_full_batch_update_per_epoch(digits):
    X, y, _, _ = digits
    X, y = X[:200], y[:200]
    net = models.MLP([784, 10], seed=2)
    h = train.fit(net, X, y, loss="cross_entropy", lr=0.5, epochs=2, shuffle=False)
    hand = models.MLP([784, 10], seed=2)
    Xt, yt = torch.as_tensor(X, dtype=torch.float64), torch.as_tensor(y)
    for epoch in range(2):
        hand.zero_grad()
        torch.nn.functional.cross_entropy(hand(Xt), yt).backward()
        with torch.no_grad():
            for p in hand.parameters():
                p -= 0.5 * p.grad                           # θ ← θ − η ∇C(θ), all 200 digits at once
        with torch.no_grad():
            assert np.isclose(h["train_loss"][epoch], torch.nn.functional.cross_entropy(hand(Xt), yt).item(),
                              rtol=1e-12)
    for p, q in zip(net.parameters(), hand.parameters()):
        assert torch.allclose(p, q, rtol=0, atol=1e-12)
    shuffled = train.fit(models.MLP([784, 10], seed=2), X, y, loss="cross_entropy", lr=0.5, epochs=2)
    assert np.allclose(shuffled["train_loss"], h["train_loss"], rtol=1e-10)   # the same sum, in another order


def test_fit_records_extra_metrics_on_every_set(digits):
    X, y, X_test, y_test = digits

    def top2(scores, labels):
        return (scores.topk(2, dim=1).indices == labels[:, None]).any(dim=1).double().mean()

    net = models.MLP([784, 10], seed=0)
    h = train.fit(net, X, y, loss="cross_entropy", epochs=2, batch_size=50, evals={"test": (X_test, y_test)},
                  metrics={"top2": top2})
    assert {"train_top2", "test_top2"} <= set(h) and h["test_top2"].shape == (2,)
    assert np.all(h["train_top2"] >= h["train_acc"]) and np.all(h["test_top2"] >= h["test_acc"])
    with torch.no_grad():
        assert np.isclose(h["test_top2"][-1], top2(net(torch.as_tensor(X_test, dtype=torch.float64)),
                                                  torch.as_tensor(y_test)).item())


def test_fit_stops_when_the_loss_is_no_longer_a_number_unless_told_not_to(digits):
    X, y, _, _ = digits

    def broken():
        net = models.MLP([784, 10], seed=0)
        with torch.no_grad():
            net.layers[0].weight[0, 0] = float("nan")
        return net

    h = train.fit(broken(), X, y, loss="cross_entropy", lr=0.1, epochs=20, batch_size=10, seed=0)
    assert h["diverged_at"] == 1 and len(h["train_loss"]) == 1 and np.isnan(h["train_loss"][0])
    h = train.fit(broken(), X, y, loss="cross_entropy", lr=0.1, epochs=3, batch_size=100, seed=0,
                  stop_on_divergence=False)
    assert h["diverged_at"] is None and len(h["train_loss"]) == 3 and np.all(np.isnan(h["train_loss"]))


def test_fit_needs_a_loss(digits):
    X, y, _, _ = digits
    with pytest.raises(TypeError, match="loss"):
        train.fit(models.MLP([784, 10]), X[:50], y[:50])


@pytest.mark.parametrize("kwargs, match", [
    (dict(lr=0), "lr"), (dict(lr=-1), "lr"), (dict(epochs=0), "epochs"), (dict(batch_size=0), "batch_size"),
    (dict(batch_size=10_001), "larger than the data"), (dict(optimizer="lbfgs"), "optimizer"),
    (dict(loss="hinge"), "loss"), (dict(momentum=0.9, optimizer="adam"), "momentum"),
    (dict(weight_decay=-0.1), "weight_decay"), (dict(seed=-1), "seed"), (dict(shuffle="yes"), "shuffle"),
    (dict(stop_on_divergence=1), "stop_on_divergence"), (dict(evals=[1]), "evals must be a dict"),
    (dict(evals={"test": [1, 2]}), r"evals\['test'\] must be a pair"), (dict(metrics={}), "metrics"),
    (dict(metrics={"top2": 2}), "metrics"), (dict(evals={"train": (np.ones((5, 784)), np.zeros(5))}), "'train'"),
    (dict(metrics={"acc": lambda scores, labels: 0.0}), "metrics")])
def test_fit_rejects_bad_arguments(digits, kwargs, match):
    X, y, _, _ = digits
    with pytest.raises((ValueError, TypeError), match=match):
        train.fit(models.MLP([784, 10]), X[:50], y[:50], **dict(dict(loss="cross_entropy", batch_size=10), **kwargs))


def test_fit_rejects_bad_labels_and_shapes(digits):
    X, y, _, _ = digits
    net = models.MLP([784, 10])
    with pytest.raises(TypeError, match="whole class numbers"):
        train.fit(net, X[:5], [0.5, 1, 2, 3, 4], loss="cross_entropy")
    with pytest.raises(ValueError, match="class numbers"):
        train.fit(net, X[:5], [-1, 1, 2, 3, 4], loss="cross_entropy")
    with pytest.raises(ValueError, match="examples"):
        train.fit(net, X[:5], y[:4], loss="cross_entropy")
    with pytest.raises(ValueError, match=r"evals\['test'\] X must have examples of shape \(784,\), got \(100,\)"):
        train.fit(net, X[:5], y[:5], loss="cross_entropy", evals={"test": (X[:5, :100], y[:5])})
    with pytest.raises(ValueError, match=r"evals\['test'\] y must hold whole class numbers"):
        train.fit(net, X[:5], y[:5], loss="cross_entropy", evals={"test": (X[:5], y[:5] + 0.5)})
    with pytest.raises(TypeError, match="torch.nn.Module"):
        train.fit("net", X[:5], y[:5], loss="cross_entropy")
