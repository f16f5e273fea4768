"""Every widget of the course, with arguments like the ones its notebook gives it.

Used by tests/test_widget_extremes.py (every combination of slider extremes must give a figure or a clear
message; every button app's controls fit its view) and by benchmarks/run.py (how long each slider callback
computes). A new *_widget function in utils/widgets.py must get an entry here: test_every_widget_is_catalogued
fails until it does.
"""
from __future__ import annotations

import itertools
from contextlib import contextmanager
from unittest import mock

import numpy as np
from matplotlib.figure import Figure

from utils import analysis, data, models, train, widgets


def _lecture_args():
    table = data.load_lectures()
    ml = data.select(table, "ML2021")
    x, y = data.features(ml)[:, 0], data.target(ml)
    return table, x, y


def _zeros_and_ones():
    """Notebook 05's two-class set: the training 0s and 1s as standardised (ink, width), and their labels."""
    X, y = data.load_digits("train")
    keep = (y == 0) | (y == 1)
    features = data.ink_and_width(X[keep])
    return (features - features.mean(axis=0)) / features.std(axis=0), y[keep]


def _saddle_points():
    """Notebook 07: standardised GenAI2024 slides and minutes; two points of the tiny network, two directions each."""
    gen = data.select(data.load_lectures(), "GenAI2024")
    x, y = data.features(gen)[:, 0], data.target(gen)
    xs, ys = (x - x.mean()) / x.std(), (y - y.mean()) / y.std()
    u, v = np.zeros(7), np.zeros(7)
    u[[0, 4]], u[[1, 5]] = 2.0, 1.0                       # an eigenvector of the negative eigenvalue at θ = 0
    v[[0, 4]], v[[1, 5]] = (2.0, -2.0), (1.0, -1.0)       # ... and of the positive one
    start = models.tiny_net_init(2, seed=0)
    vectors = analysis.classify_hessian(analysis.tiny_net_hessian(start, xs, ys))["eigenvectors"]
    points = {"θ = 0": (np.zeros(7), u / np.linalg.norm(u), v / np.linalg.norm(v)),
              "a random start": (start, vectors[:, 0], vectors[:, -1])}
    return xs, ys, points


def _test_digits_and_predictions():
    """Notebook 09: the 1,000 test digits, their labels and a [784, 30, 10] network's predictions (1 epoch, seed 0)."""
    X, y = data.load_digits("train")
    X_test, y_test = data.load_digits("test")
    net = models.MLP([784, 30, 10], seed=0)
    train.fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=0.5, epochs=1, batch_size=10, seed=0)
    return X_test, y_test, train.predict_classes(net, X_test)


def _digit_split():
    """Notebook 09's training widget: the 4,000 training and 1,000 test digits with their labels."""
    return data.load_digits("train") + data.load_digits("test")


def _lambda_results():
    """Notebook 10's precomputed λ runs, in miniature: 100 training digits, 2 epochs, λ ∈ {0, 5}, 2 seeds."""
    X, y = data.load_digits("train")
    X_test, y_test = data.load_digits("test")
    rows = data.first_per_class(y, 10)
    lambdas, weights, train_acc, test_acc = [0.0, 5.0], [], [], []
    for lam in lambdas:
        accs = []
        for seed in (0, 1):
            net = models.MLP([784, 30, 10], seed=seed)
            h = train.fit(net, X[rows], y[rows], loss="cross_entropy", optimizer="sgd", lr=0.5, epochs=2,
                          batch_size=10, seed=seed, l2=lam, evals={"test": (X_test, y_test)})
            accs.append((h["train_acc"][-1], h["test_acc"][-1]))
            if seed == 0:
                weights.append(net.layers[0].weight.detach().numpy().ravel())
        train_acc.append([a for a, _ in accs])
        test_acc.append([b for _, b in accs])
    return {"lambdas": lambdas, "weights": weights, "train_acc": np.array(train_acc), "test_acc": np.array(test_acc)}


def _init_batch():
    """Notebook 11: the fixed batch of the first 200 training digits (float64) and their labels."""
    X, y = data.load_digits("train")
    return X[:200].astype(float), y[:200]


def _digit_pictures():
    """Notebook 12: the first 100 training digits as 28 × 28 pictures."""
    return data.load_digits("train", flatten=False)[0][:100]


def catalogue() -> dict:
    """name → (widget function, args, kwargs, kind); kind is "sliders" (slider_app) or "button" (button_app: trains
    on click)."""
    table, x, y = _lecture_args()
    z = (x - x.mean()) / x.std()
    gen, val = data.select(table, "GenAI2024"), data.select(table, role="validation")
    return {
        "manual_fit_widget": (widgets.manual_fit_widget, (x, y), {}, "sliders"),   # notebook 01
        "descent_widget": (widgets.descent_widget, (x, y), {}, "sliders"),   # notebook 02
        "batch_widget": (widgets.batch_widget, (z, y), dict(w1=0.0, b=0.0, epochs=20, seed=0), "sliders"),   # 03
        "relu_pieces_widget": (widgets.relu_pieces_widget, (), {}, "sliders"),   # notebook 04
        "network_training_widget": (widgets.network_training_widget, (gen, val), {}, "button"),   # notebook 04
        "logistic_boundary_widget": (widgets.logistic_boundary_widget, _zeros_and_ones(),
                                     dict(feature_names=("ink", "width")), "sliders"),   # notebook 05
        "neuron_widget": (widgets.neuron_widget, (), {}, "sliders"),   # notebook 06
        "saddle_slice_widget": (widgets.saddle_slice_widget, _saddle_points(), {}, "sliders"),   # notebook 07
        "optimizer_widget": (widgets.optimizer_widget, (), {}, "sliders"),   # notebook 08
        "confusion_pair_widget": (widgets.confusion_pair_widget, _test_digits_and_predictions(), {},
                                  "sliders"),   # notebook 09
        "mlp_training_widget": (widgets.mlp_training_widget, _digit_split(), {}, "button"),   # notebook 09
        "lambda_widget": (widgets.lambda_widget, (_lambda_results(),), {}, "sliders"),   # notebook 10
        "init_widget": (widgets.init_widget, _init_batch(), {}, "sliders"),   # notebook 11
        "convolution_widget": (widgets.convolution_widget, (_digit_pictures(),), dict(index=3), "sliders"),   # notebook 12
    }


def widget_functions() -> list[str]:
    """The names of all *_widget functions in utils.widgets."""
    return sorted(n for n in dir(widgets) if n.endswith("_widget") and callable(getattr(widgets, n)))


@contextmanager
def capturing():
    """Within this block, widgets.slider_app and widgets.button_app record (view, controls) instead of building an
    app (button_app's label, busy_message and per_row are not controls and are left out)."""
    captured = []

    def record_sliders(view, **sliders):
        captured.append((view, sliders))

    def record_button(view, label="Train", busy_message=None, per_row=3, **controls):
        captured.append((view, controls))

    with mock.patch.object(widgets, "slider_app", record_sliders), \
            mock.patch.object(widgets, "button_app", record_button):
        yield captured


def _apps(kind: str) -> dict:
    apps = {}
    for name, (fn, args, kwargs, widget_kind) in catalogue().items():
        if widget_kind != kind:
            continue
        with capturing() as captured:
            fn(*args, **kwargs)
        apps[name] = captured
    return apps


def slider_apps() -> dict:
    """name → list of (view, sliders) for every widget that uses slider_app."""
    return _apps("sliders")


def button_apps() -> dict:
    """name → list of (view, controls) for every widget that uses button_app (the view trains: not called here)."""
    return _apps("button")


def values_of(control, extremes_only=True) -> list:
    """The values a control can take that matter most: min and max of a slider, every option, both checkbox states."""
    kind = type(control).__name__
    if kind == "FloatLogSlider":
        return [control.base ** control.min, control.base ** control.max]
    if kind in ("IntSlider", "FloatSlider"):
        return [control.min, control.max]
    if kind == "Checkbox":
        return [False, True]
    options = getattr(control, "_options_values", None)
    if options is not None:
        return list(options)
    raise TypeError(f"values_of does not know controls of type {kind}")


def default_values(sliders: dict) -> dict:
    return {name: control.value for name, control in sliders.items()}


def extreme_combinations(sliders: dict):
    """Every combination of the controls' extreme values (dicts name → value)."""
    names = list(sliders)
    for combo in itertools.product(*(values_of(sliders[n]) for n in names)):
        yield dict(zip(names, combo))


def is_figure(obj) -> bool:
    return isinstance(obj, Figure)

