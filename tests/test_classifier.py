"""The classification helpers shared by notebooks 05 onwards: MLP, losses, train_classifier, predict_classes."""
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
    torch.manual_seed(0)
    net = models.MLP([784, 30, 10])
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
    with pytest.raises(ValueError, match="unknown loss"):
        train.classification_loss(scores, labels, "hinge")


def test_train_classifier_learns_digits_and_reports_per_epoch(digits):
    X, y, X_test, y_test = digits
    torch.manual_seed(0)
    net = models.MLP([784, 30, 10])
    h = train.train_classifier(net, X, y, X_test, y_test, "sgd", lr=0.5, epochs=3, batch_size=10, seed=0)
    assert len(h["train_acc"]) == len(h["test_acc"]) == len(h["seconds"]) == 3 and h["diverged_at"] is None
    assert h["train_loss"][-1] < h["train_loss"][0] and h["test_acc"][-1] > 0.8
    assert np.isclose(np.mean(train.predict_classes(net, X_test) == y_test), h["test_acc"][-1])


def test_train_classifier_is_reproducible_from_its_seeds(digits):
    X, y, _, _ = digits
    runs = []
    for _ in range(2):
        torch.manual_seed(1)
        runs.append(train.train_classifier(models.MLP([784, 10]), X, y, epochs=2, seed=3)["train_loss"])
    assert np.array_equal(*runs)


def test_train_classifier_stops_when_the_loss_is_no_longer_a_number(digits):
    X, y, _, _ = digits
    torch.manual_seed(0)
    net = models.MLP([784, 10])
    with torch.no_grad():
        net.layers[0].weight[0, 0] = float("nan")
    h = train.train_classifier(net, X, y, lr=0.1, epochs=20, seed=0)
    assert h["diverged_at"] == 1 and len(h["train_loss"]) == 1


@pytest.mark.parametrize("kwargs, match", [
    (dict(lr=0), "lr"), (dict(lr=-1), "lr"), (dict(epochs=0), "epochs"), (dict(batch_size=0), "batch_size"),
    (dict(batch_size=10_001), "larger than the data"), (dict(optimizer="lbfgs"), "optimizer"),
    (dict(loss="hinge"), "loss"), (dict(momentum=0.9, optimizer="adam"), "momentum"),
    (dict(weight_decay=-0.1), "weight_decay"), (dict(seed=-1), "seed")])
def test_train_classifier_rejects_bad_arguments(digits, kwargs, match):
    X, y, _, _ = digits
    with pytest.raises((ValueError, TypeError), match=match):
        train.train_classifier(models.MLP([784, 10]), X[:50], y[:50], **kwargs)


def test_train_classifier_rejects_bad_labels_and_shapes(digits):
    X, y, _, _ = digits
    net = models.MLP([784, 10])
    with pytest.raises(TypeError, match="whole class numbers"):
        train.train_classifier(net, X[:5], [0.5, 1, 2, 3, 4])
    with pytest.raises(ValueError, match="class numbers"):
        train.train_classifier(net, X[:5], [-1, 1, 2, 3, 4])
    with pytest.raises(ValueError, match="examples"):
        train.train_classifier(net, X[:5], y[:4])
    with pytest.raises(ValueError, match="shape"):
        train.train_classifier(net, X[:5], y[:5], X[:5, :100], y[:5])
    with pytest.raises(TypeError, match="torch.nn.Module"):
        train.train_classifier("net", X[:5], y[:5])
