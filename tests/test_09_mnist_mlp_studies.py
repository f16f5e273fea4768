"""Notebook 09's helpers (confusion matrix, study plots, the confusion and training views), its claims checked on
other seeds (3, 4, 5) than the notebook uses (0, 1, 2), on the same validation split, and its exercises."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from tests import exercise_runner
from utils import analysis, data, models, plots, train, widgets

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "09_mnist_mlp_studies.ipynb"

SEEDS = (3, 4, 5)            # not the notebook's seeds
EPOCHS, BATCH = 5, 10


@pytest.fixture(scope="module")
def digits():
    X, y = data.load_digits("train")
    X_test, y_test = data.load_digits("test")
    return X, y, X_test, y_test


@pytest.fixture(scope="module")
def split(digits):
    """The notebook's split: 3,500 digits to train on, 500 validation digits (seed 0)."""
    return data.split_validation(digits[0], digits[1], n_val=500, seed=0)


def make_net(sizes, seed, output_scale=1.0):
    net = models.MLP(list(sizes), "sigmoid", seed=seed)
    with torch.no_grad():
        net.layers[-1].weight.mul_(output_scale)
        net.layers[-1].bias.mul_(output_scale)
    return net


def accuracies(split, sizes=(784, 30, 10), loss="cross_entropy", lr=0.5, output_scale=1.0, n=None, epochs=EPOCHS):
    """Training and validation accuracy, each (seeds, epochs), of the notebook's recipe on SEEDS; n: n/10 per class."""
    X, y, X_val, y_val = split
    if n is not None:
        keep = np.concatenate([np.flatnonzero(y == c)[:n // 10] for c in range(10)])
        X, y = X[keep], y[keep]
    train_acc, val_acc = [], []
    for seed in SEEDS:
        h = train.fit(make_net(sizes, seed, output_scale), X, y, loss=loss, optimizer="sgd", lr=lr, epochs=epochs,
                      batch_size=BATCH, seed=seed, evals={"val": (X_val, y_val)})
        train_acc.append(h["train_acc"])
        val_acc.append(h["val_acc"])
    return np.array(train_acc), np.array(val_acc)


def val_acc(split, **settings):
    return accuracies(split, **settings)[1]


@pytest.fixture(scope="module")
def baseline_runs(split):
    return accuracies(split)


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
    fig = plots.plot_curves(groups, logy=False, percent=True, pair_names=("training", "validation"),
                            band_label="shaded: min–max over seeds")
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "a: validation" in texts and "shaded: min–max over seeds" in texts
    with pytest.raises(ValueError, match="pair_names"):
        plots.plot_curves(groups, pair_names=("training",))
    with pytest.raises(ValueError, match="same shape"):
        plots.plot_curves({"a": (np.ones((3, 5)), np.ones((3, 4)))})
    with pytest.raises(ValueError, match="pair"):
        plots.plot_curves({"a": (np.ones((3, 5)),) * 3})


def test_plot_accuracy_vs_size_needs_one_row_per_size():
    fig = plots.plot_accuracy_vs_size([500, 1000], [[1.0, 1.0], [0.99, 0.98]], [[0.88, 0.87], [0.9, 0.89]],
                                      eval_name="validation")
    assert fig.axes[0].get_xscale() == "log"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()][1].startswith("validation accuracy")
    with pytest.raises(ValueError, match="one row per size"):
        plots.plot_accuracy_vs_size([500, 1000, 2000], [[1.0], [1.0]], [[0.9], [0.9]])


def test_plot_confusion_matrix_writes_every_nonzero_count():
    C = np.array([[5, 1], [0, 4]])
    fig = plots.plot_confusion_matrix(C)
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["1", "4", "5"]
    assert "mistakes" in fig.axes[1].get_ylabel()                    # the colour bar says what red counts
    assert all(float(t).is_integer() for t in fig.axes[1].get_yticks())
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
        fig, message = widgets.confusion_pair_view(X_test, y_test, predicted, true_class, predicted_class,
                                                   digits_name="validation")
        assert fig is not None
        assert message.startswith(f"{C[true_class, predicted_class]} of the {C[true_class].sum()} validation digits")
        plt.close(fig)


def test_confusion_pair_view_rejects_a_class_out_of_range(predictions):
    with pytest.raises(ValueError, match="true_class"):
        widgets.confusion_pair_view(*predictions, true_class=10)


# --- the training widget's view ------------------------------------------------------------------------------------

def test_mlp_training_view_at_its_defaults_is_the_baseline_run(split):
    X, y, X_val, y_val = split
    fig, message = widgets.mlp_training_view(X, y, X_val, y_val, eval_name="validation")
    h = train.fit(make_net((784, 30, 10), 0), X, y, loss="cross_entropy", optimizer="sgd", lr=0.5, epochs=5,
                  batch_size=BATCH, seed=0, evals={"val": (X_val, y_val)})
    assert f"validation accuracy {100 * h['val_acc'][-1]:.1f} %" in message and fig is not None
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert any(label.endswith(": validation") for label in labels)


def test_mlp_training_view_depth_0_is_the_linear_classifier_and_a_huge_eta_is_reported(digits):
    X, y, X_test, y_test = digits
    fig, message = widgets.mlp_training_view(X[:500], y[:500], X_test, y_test, hidden=5, depth=0, epochs=1)
    assert message.startswith("[784, 10],") and "test accuracy" in message and fig is not None
    fig, message = widgets.mlp_training_view(X[:500], y[:500], X_test, y_test, lr=10.0, loss="mse_sigmoid", epochs=2)
    assert fig is not None and "quadratic" in message
    with pytest.raises(ValueError, match="loss"):
        widgets.mlp_training_view(X, y, X_test, y_test, loss="hinge")
    with pytest.raises(ValueError, match="start"):
        widgets.mlp_training_view(X, y, X_test, y_test, start="zeros")


def test_mlp_training_view_at_the_sliders_far_ends_and_nielsens_start(digits):
    X, y, X_test, y_test = digits
    for kwargs in (dict(hidden=100, depth=4, epochs=30, lr=10.0, start="nielsen", seed=9),
                   dict(hidden=1, depth=0, epochs=1, lr=0.01, start="nielsen", loss="mse_sigmoid")):
        fig, message = widgets.mlp_training_view(X[:200], y[:200], X_test[:100], y_test[:100], **kwargs)
        assert fig is not None and "Nielsen's start" in message
    # Nielsen's start is the notebook's (models.init_weights_), not the default one
    _, default = widgets.mlp_training_view(X[:300], y[:300], X_test, y_test, depth=4, hidden=10, epochs=3)
    _, nielsen = widgets.mlp_training_view(X[:300], y[:300], X_test, y_test, depth=4, hidden=10, epochs=3,
                                           start="nielsen")
    assert default.split("[time")[0] != nielsen.split("[time")[0]


def test_the_training_widget_reaches_15_epochs_and_nielsens_start():
    from tests import widget_catalogue as cat
    import ipywidgets
    captured = {}

    def fake_app(view, busy_message=None, per_row=3, **controls):
        captured.update(controls)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(widgets, "button_app", fake_app)
        widgets.mlp_training_widget(*cat._digit_split()[:4], eval_name="validation")
    assert captured["epochs"].max >= 15 and captured["epochs"].value == 5
    assert "nielsen" in [v for _, v in captured["start"].options] and isinstance(captured["start"], ipywidgets.Dropdown)


# --- the notebook's claims, on other seeds --------------------------------------------------------------------------

def test_a_fresh_network_starts_near_ln_10_and_the_saturated_start_far_above(split):
    X, y = torch.from_numpy(split[0]).double(), torch.from_numpy(split[1])
    with torch.no_grad():
        for seed in SEEDS:
            assert abs(train.classification_loss(make_net((784, 30, 10), seed)(X), y).item() - np.log(10)) < 0.1
            assert train.classification_loss(make_net((784, 30, 10), seed, 32.0)(X), y).item() > 5


def test_sigmoid_cross_entropy_is_nielsens_formula_and_the_quadratic_lacks_the_half():
    scores = torch.tensor([[2.0, -1.0, 0.5], [0.0, 3.0, -2.0]], dtype=torch.float64, requires_grad=True)
    labels = torch.tensor([0, 2])
    y = torch.eye(3, dtype=torch.float64)[labels]
    a = torch.sigmoid(scores)
    nielsen = (-(y * torch.log(a) + (1 - y) * torch.log(1 - a))).sum(1).mean()
    assert torch.isclose(train.classification_loss(scores, labels, "cross_entropy_sigmoid"), nielsen)
    half = 0.5 * ((a - y) ** 2).sum(1).mean()                    # Nielsen's quadratic, with the ½
    assert torch.isclose(train.classification_loss(scores, labels, "mse_sigmoid"), 2 * half)
    # its output error: (a − y)·σ'(z) for the quadratic, a − y for the cross-entropy (per example, before the mean)
    g_quad, = torch.autograd.grad(half, scores, retain_graph=True)
    g_xent, = torch.autograd.grad(nielsen, scores, retain_graph=True)
    a, y = a.detach(), y.detach()
    assert torch.allclose(g_quad, (a - y) * a * (1 - a) / 2) and torch.allclose(g_xent, (a - y) / 2)


def test_the_cost_alone_puts_cross_entropy_ahead_from_a_saturated_start(split):
    quad = val_acc(split, loss="mse_sigmoid", lr=0.25, output_scale=32.0)      # Nielsen's ½Σ(a−y)² at η = 0.5
    sig = val_acc(split, loss="cross_entropy_sigmoid", output_scale=32.0)
    soft = val_acc(split, loss="cross_entropy", output_scale=32.0)
    assert np.all(sig[:, 0] > quad[:, 0]) and np.all(sig[:, -1] > quad[:, -1])
    assert sig[:, -1].mean() > quad[:, -1].mean() + 0.05
    assert soft[:, -1].mean() > sig[:, -1].mean() - 0.02


def test_eta_05_beats_30_and_01_after_5_epochs_and_01_is_still_climbing(split, baseline_runs):
    train_base, val_base = baseline_runs
    train_fast, val_fast = accuracies(split, lr=3.0)
    slow = val_acc(split, lr=0.1)
    assert np.all(val_base[:, -1] > val_fast[:, -1] + 0.01) and np.all(val_base[:, -1] > slow[:, -1])
    assert np.all(train_fast[:, -1] < train_base[:, -1] - 0.03)     # η = 3.0 fits even its training digits worse
    assert np.all(np.diff(slow, axis=1)[:, -2:].mean(axis=1) > 0)


def test_a_hidden_layer_helps_and_the_deep_sigmoid_network_is_slow_not_stuck(split, baseline):
    assert np.all(baseline[:, -1] > val_acc(split, sizes=(784, 10))[:, -1])
    deep = val_acc(split, sizes=(784, 30, 10, 5, 10, 10), epochs=20)
    assert np.all(deep[:, :EPOCHS] < 0.15)                          # 5 epochs: at chance
    assert np.all(deep[:, -1] > 0.25) and np.all(deep[:, -1] > deep[:, EPOCHS - 1] + 0.15)   # 20: learning
    assert deep[:, -1].mean() > deep[:, 14].mean()                 # and higher after 20 epochs than after 15


def test_the_deep_network_from_nielsens_start_learns_within_15_epochs(split):
    X, y, X_val, y_val = split
    for seed in SEEDS:
        net = models.init_weights_(models.MLP([784, 30, 10, 5, 10, 10], "sigmoid", seed=seed), "scaled", seed=seed,
                                   bias_std=1.0)
        h = train.fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=0.5, epochs=15, batch_size=BATCH,
                      seed=seed, evals={"val": (X_val, y_val)})
        assert h["val_acc"][-1] > 0.6 and h["val_acc"][-1] > h["val_acc"][4] + 0.2


def test_width_10_to_30_helps_and_100_is_not_worse(split, baseline):
    assert np.all(baseline[:, -1] > val_acc(split, sizes=(784, 10, 10))[:, -1] + 0.01)
    gain = val_acc(split, sizes=(784, 100, 10))[:, -1] - baseline[:, -1]
    assert np.all(gain > -0.005)


def test_the_nearest_neighbour_is_as_good_as_the_networks(split, baseline):
    X, y, X_val, y_val = split
    d = torch.cdist(torch.from_numpy(X_val).double(), torch.from_numpy(X).double())
    nn_acc = np.mean(y[d.argmin(dim=1).numpy()] == y_val)
    assert abs(nn_acc - baseline[:, -1].mean()) < 0.02


def test_more_training_digits_help_the_network_more_than_the_linear_classifier(split, baseline):
    small = val_acc(split, n=350, epochs=50)[:, -1]
    middle = val_acc(split, n=1750, epochs=10)[:, -1]
    assert small.mean() < middle.mean() < baseline[:, -1].mean() and np.all(small < baseline[:, -1])
    linear_small = val_acc(split, sizes=(784, 10), n=350, epochs=50)[:, -1]
    linear_all = val_acc(split, sizes=(784, 10))[:, -1]
    assert baseline[:, -1].mean() - small.mean() > linear_all.mean() - linear_small.mean() > 0


# --- the exercises ----------------------------------------------------------------------------------------------

RIGHT_ANSWERS = {
    "answer_1 = None": "answer_1 = int(np.argmin(np.diag(C) / C.sum(axis=1)))",
    "answer_2 = None": ("net_2 = nielsen_start(models.MLP(list(deep_sizes), 'sigmoid', seed=0), seed=0)\n"
                        "answer_2 = train.fit(net_2, X_fit, y_fit, loss='cross_entropy', optimizer='sgd', lr=0.5, "
                        "epochs=15, batch_size=10, seed=0, evals={'val': (X_val, y_val)})['val_acc']"),
    "answer_3 = None": ("r30 = train.predict_classes(widths[30][2][0], X_val) == y_val\n"
                        "r100 = train.predict_classes(widths[100][2][0], X_val) == y_val\n"
                        "answer_3 = (np.sum(r100 & ~r30) - np.sum(r30 & ~r100)) / np.sqrt(np.sum(r100 != r30))"),
}
WRONG_ANSWERS = {
    "answer_1 = None": "answer_1 = int(np.argmin(np.diag(C)))",                  # counts, not shares
    "answer_2 = None": "answer_2 = shapes[deep_sizes][1][0, :15]",             # the default start's curve
    "answer_3 = None": "answer_3 = 0.012 / np.sqrt(0.95 * 0.05 / 500)",        # the unpaired standard error
}


@pytest.fixture(scope="module")
def verdicts():
    return {"right": exercise_runner.check_cell_verdicts(NOTEBOOK, RIGHT_ANSWERS),
            "wrong": exercise_runner.check_cell_verdicts(NOTEBOOK, WRONG_ANSWERS)}


def test_each_check_cell_accepts_a_right_answer(verdicts, one_thread):
    right = verdicts["right"]
    assert len(right) == 3 and all(v.startswith("Correct!") for v in right), right
    assert "never stuck" in right[1]
    assert "b = " in right[2] and "not a difference" in right[2]      # z ≈ 1.7: the paired test cannot tell


def test_each_check_cell_rejects_a_wrong_answer(verdicts, one_thread):
    wrong = verdicts["wrong"]
    assert len(wrong) == 3 and all(v.startswith("Not yet") for v in wrong), wrong
    assert "Nielsen's start" in wrong[1]
