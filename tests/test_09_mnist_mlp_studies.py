"""Notebook 09's helpers (confusion matrix, study plots, the confusion and training views) and its claims,
checked on other seeds (3, 4, 5) than the notebook uses (0, 1, 2)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from utils import analysis, data, models, plots, train, widgets

SEEDS = (3, 4, 5)            # not the notebook's seeds
EPOCHS, BATCH = 5, 10


@pytest.fixture(scope="module")
def digits():
    X, y = data.load_digits("train")
    X_test, y_test = data.load_digits("test")
    return X, y, X_test, y_test


def make_net(sizes, seed, output_scale=1.0):
    net = models.MLP(list(sizes), "sigmoid", seed=seed)
    with torch.no_grad():
        net.layers[-1].weight.mul_(output_scale)
        net.layers[-1].bias.mul_(output_scale)
    return net


def accuracies(digits, sizes=(784, 30, 10), loss="cross_entropy", lr=0.5, output_scale=1.0, n=None, epochs=EPOCHS):
    """Training and test accuracy, each (seeds, epochs), of the notebook's recipe on SEEDS; n: n/10 digits per class."""
    X, y, X_test, y_test = digits
    if n is not None:
        keep = np.concatenate([np.flatnonzero(y == c)[:n // 10] for c in range(10)])
        X, y = X[keep], y[keep]
    train_acc, test_acc = [], []
    for seed in SEEDS:
        h = train.fit(make_net(sizes, seed, output_scale), X, y, loss=loss, optimizer="sgd", lr=lr, epochs=epochs,
                      batch_size=BATCH, seed=seed, evals={"test": (X_test, y_test)})
        train_acc.append(h["train_acc"])
        test_acc.append(h["test_acc"])
    return np.array(train_acc), np.array(test_acc)


def final_test_acc(digits, **settings):
    return accuracies(digits, **settings)[1]


@pytest.fixture(scope="module")
def baseline_runs(digits):
    return accuracies(digits)


@pytest.fixture(scope="module")
def baseline(baseline_runs):
    return baseline_runs[1]


@pytest.fixture(autouse=True)
def one_thread_and_no_open_figures(one_thread):
    yield
    plt.close("all")


# --- analysis.confusion_matrix -------------------------------------------------------------------------------------

def test_confusion_matrix_matches_a_double_loop():
    rng = np.random.default_rng(0)
    labels, predicted = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    C = analysis.confusion_matrix(labels, predicted)
    loop = np.zeros((10, 10), int)
    for i, j in zip(labels, predicted):
        loop[i, j] += 1
    assert np.array_equal(C, loop) and C.sum() == 500
    assert np.array_equal(C.sum(axis=1), np.bincount(labels, minlength=10))      # rows: the labels
    assert np.array_equal(C.sum(axis=0), np.bincount(predicted, minlength=10))   # columns: the predictions


def test_confusion_matrix_is_diagonal_when_all_right_and_keeps_empty_classes():
    C = analysis.confusion_matrix([0, 1, 1, 2], [0, 1, 1, 2], n_classes=4)
    assert np.array_equal(C, np.diag([1, 2, 1, 0]))


def test_confusion_matrix_rejects_classes_out_of_range_and_mismatched_lengths():
    with pytest.raises(ValueError, match="predicted"):
        analysis.confusion_matrix([0, 1], [0, 10])
    with pytest.raises(ValueError, match="labels"):
        analysis.confusion_matrix([0, 1, 2], [0, 1])


# --- plots ---------------------------------------------------------------------------------------------------------

def test_plot_curves_draws_a_test_and_a_training_line_per_pair():
    groups = {"a": (np.full((3, 5), 0.9), np.full((3, 5), 0.8)), "b": (np.full((2, 4), 0.7), np.full((2, 4), 0.6))}
    fig = plots.plot_curves(groups, logy=False, percent=True)
    assert len(fig.axes[0].get_lines()) == 4
    with pytest.raises(ValueError, match="same shape"):
        plots.plot_curves({"a": (np.ones((3, 5)), np.ones((3, 4)))})
    with pytest.raises(ValueError, match="pair"):
        plots.plot_curves({"a": (np.ones((3, 5)),) * 3})


def test_plot_accuracy_vs_size_needs_one_row_per_size():
    fig = plots.plot_accuracy_vs_size([500, 1000], [[1.0, 1.0], [0.99, 0.98]], [[0.88, 0.87], [0.9, 0.89]])
    assert fig.axes[0].get_xscale() == "log"
    with pytest.raises(ValueError, match="one row per size"):
        plots.plot_accuracy_vs_size([500, 1000, 2000], [[1.0], [1.0]], [[0.9], [0.9]])


def test_plot_confusion_matrix_writes_every_nonzero_count():
    C = np.array([[5, 1], [0, 4]])
    fig = plots.plot_confusion_matrix(C)
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["1", "4", "5"]
    with pytest.raises(ValueError, match="square"):
        plots.plot_confusion_matrix(np.ones((2, 3)))


def test_plot_misclassified_shows_only_the_wrong_ones(digits):
    X, y = digits[0][:50], digits[1][:50]
    predicted = y.copy()
    predicted[[3, 7]] = (y[[3, 7]] + 1) % 10
    fig = plots.plot_misclassified(X, y, predicted, n=24)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == [f"{predicted[i]} (true {y[i]})" for i in (3, 7)]
    with pytest.raises(ValueError, match="no misclassified"):
        plots.plot_misclassified(X, y, y)


# --- the confusion slider's view -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def predictions(digits):
    X, y, X_test, y_test = digits
    net = make_net((784, 30, 10), 0)
    train.fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=0.5, epochs=1, batch_size=BATCH, seed=0)
    return X_test, y_test, train.predict_classes(net, X_test)


def test_confusion_pair_view_counts_the_cell(predictions):
    X_test, y_test, predicted = predictions
    C = analysis.confusion_matrix(y_test, predicted)
    for true_class, predicted_class in [(4, 9), (0, 0), (9, 9), (0, 9), (9, 0)]:
        fig, message = widgets.confusion_pair_view(X_test, y_test, predicted, true_class, predicted_class)
        assert fig is not None
        assert message.startswith(f"{C[true_class, predicted_class]} of the {C[true_class].sum()} test digits")
        plt.close(fig)


def test_confusion_pair_view_rejects_a_class_out_of_range(predictions):
    with pytest.raises(ValueError, match="true_class"):
        widgets.confusion_pair_view(*predictions, true_class=10)


# --- the training widget's view ------------------------------------------------------------------------------------

def test_mlp_training_view_at_its_defaults_is_the_baseline_run(digits):
    X, y, X_test, y_test = digits
    fig, message = widgets.mlp_training_view(X, y, X_test, y_test)
    h = train.fit(make_net((784, 30, 10), 0), X, y, loss="cross_entropy", optimizer="sgd", lr=0.5, epochs=5,
                  batch_size=BATCH, seed=0, evals={"test": (X_test, y_test)})
    assert f"test accuracy {100 * h['test_acc'][-1]:.1f} %" in message and fig is not None


def test_mlp_training_view_depth_0_is_the_linear_classifier_and_a_huge_eta_is_reported(digits):
    X, y, X_test, y_test = digits
    fig, message = widgets.mlp_training_view(X[:500], y[:500], X_test, y_test, hidden=5, depth=0, epochs=1)
    assert message.startswith("[784, 10],") and fig is not None
    fig, message = widgets.mlp_training_view(X[:500], y[:500], X_test, y_test, lr=10.0, loss="mse_sigmoid", epochs=2)
    assert fig is not None and "quadratic" in message
    with pytest.raises(ValueError, match="loss"):
        widgets.mlp_training_view(X, y, X_test, y_test, loss="hinge")


# --- the notebook's claims, on other seeds --------------------------------------------------------------------------

def test_cross_entropy_beats_the_quadratic_cost_from_a_saturated_output_layer(digits):
    quad = final_test_acc(digits, loss="mse_sigmoid", output_scale=32.0)
    xent = final_test_acc(digits, loss="cross_entropy", output_scale=32.0)
    assert np.all(xent[:, 0] > quad[:, 0] + 0.2) and np.all(xent[:, -1] > quad[:, -1] + 0.15)
    assert np.all(xent[:, -1] > 0.85) and np.all(quad[:, -1] < 0.75)


def test_eta_05_beats_30_and_01_after_5_epochs(digits, baseline_runs):
    train_base, test_base = baseline_runs
    train_fast, test_fast = accuracies(digits, lr=3.0)
    assert np.all(test_base[:, -1] > test_fast[:, -1] + 0.01)
    assert np.all(test_base[:, -1] > final_test_acc(digits, lr=0.1)[:, -1] + 0.005)
    assert np.all(train_fast[:, -1] < train_base[:, -1] - 0.03)     # η = 3.0 fits even its training digits worse


def test_a_hidden_layer_helps_and_the_deep_sigmoid_network_does_not_learn_in_2000_updates(digits, baseline):
    assert np.all(baseline[:, -1] > final_test_acc(digits, sizes=(784, 10))[:, -1])
    assert np.all(final_test_acc(digits, sizes=(784, 30, 10, 5, 10, 10))[:, -1] < 0.15)


def test_width_10_to_30_helps_but_30_to_100_is_within_a_point(digits, baseline):
    assert np.all(baseline[:, -1] > final_test_acc(digits, sizes=(784, 10, 10))[:, -1] + 0.01)
    gain = final_test_acc(digits, sizes=(784, 100, 10))[:, -1] - baseline[:, -1]
    assert abs(gain.mean()) < 0.01


def test_more_training_digits_give_a_higher_test_accuracy_at_the_same_number_of_updates(digits, baseline):
    small = final_test_acc(digits, n=500, epochs=40)[:, -1]
    middle = final_test_acc(digits, n=2000, epochs=10)[:, -1]
    assert small.mean() < middle.mean() < baseline[:, -1].mean()
    assert np.all(small < baseline[:, -1])
