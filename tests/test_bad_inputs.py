"""Table-driven bad-input tests for every public function of `utils`.

Each entry of SPECS gives a function, a call that works, and the kind of each argument to attack. For
every argument, the bad values of its kind (wrong type, wrong shape, NaN/inf, empty, zero or negative
learning rates, batch sizes ≤ 0 or > N, unknown names, …) are substituted one at a time into the good call,
and each must raise a clear error:

- the type is `utils.checks.CourseError`, the course's own argument check (slider apps show exactly these as
  "⚠ message"). The only exceptions are listed in OTHER_ERRORS: a KeyError where the argument is looked up in
  a table, a FileNotFoundError where the argument names a file. Any other exception (a library's TypeError
  from deep inside, an IndexError, …) means the argument was not checked, and fails the test;
- the message names the argument as a whole word (or the word a spec's `names` gives for it): "x must be …"
  names x, but "x1", "X", "max" or "y_pred" do not. The match is case-sensitive, as Python's names are: the
  helpers take both X (a matrix, e.g. train.fit) and x (a vector, e.g. gradient_descent), so "X must …"
  does not name x. A string bad value echoed in the message does not count: it is blanked out before the
  search, so an unknown name "no-such-name" cannot name the argument `name` for the message;
- and it is at least 15 characters long.

`test_every_public_function_has_a_spec` fails when a new public function has no entry, so the table grows
with the course; `test_the_table_is_large` pins the exact number of cases and of attacked functions.
"""
import inspect
import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from utils import analysis, checks, data, models, plots, train, widgets
from utils.checks import CourseError

MODULES = (analysis, checks, data, models, plots, train, widgets)

# (function, argument) → (the one other exception it may raise for a bad value, why). Everything else: CourseError.
OTHER_ERRORS = {
    ("data.expected_sha256", "name"): (KeyError, "name is looked up in data/README.md's checksum table"),
    ("data.check_file", "name"): (FileNotFoundError, "name is the file to open in data/"),
    ("data.read_csv_checked", "name"): (FileNotFoundError, "name is the file to open in data/"),
    ("data.sha256_of", "path"): (FileNotFoundError, "path is the file to read"),
}

TABLE = data.load_lectures()
ML = data.select(TABLE, "ML2021")
GEN, VAL = data.select(TABLE, "GenAI2024"), data.select(TABLE, role="validation")
X = data.features(ML)[:, 0]              # (20,) slides
Y = data.target(ML)                      # (20,) minutes
N = len(X)
W_GRID, B_GRID = np.linspace(0, 3, 5), np.linspace(0, 20, 4)
LOSSES = models.loss_grid(X, Y, W_GRID, B_GRID)      # (4, 5)
DIGITS, LABELS = data.load_digits("train")
DIGITS, LABELS = DIGITS[:40], LABELS[:40]


def relu_net():
    return models.ReluNet(1, 4, seed=0)


def mlp():
    return models.MLP([784, 5, 10], seed=0)


# Bad values by kind of argument: (description, value).
BAD = {
    "x1d": [("a string", "abc"), ("a 3-D array", np.ones((2, 2, 2))), ("NaN inside", np.r_[X[:-1], np.nan]),
            ("inf inside", np.r_[X[:-1], np.inf]), ("an empty array", np.array([])),
            ("one example too few", X[:-1])],
    "not_numbers": [("a string", "abc"), ("a dict", {"a": 1})],
    "x1d_any": [("a string", "abc"), ("a 3-D array", np.ones((2, 2, 2))), ("NaN inside", [1.0, np.nan]),
                ("an empty array", np.array([]))],
    "X2d": [("a string", "abc"), ("a 3-D array", np.ones((2, 2, 2))), ("NaN inside", np.full((N, 1), np.nan)),
            ("no rows", np.zeros((0, 1))), ("one row too few", X[:-1, None])],
    "X2d_any": [("a string", "abc"), ("a 3-D array", np.ones((2, 2, 2))), ("NaN inside", np.full((3, 1), np.nan)),
                ("no rows", np.zeros((0, 1)))],
    "digits": [("a string", "abc"), ("NaN inside", np.full(DIGITS.shape, np.nan)), ("one row too few", DIGITS[:-1])],
    "labels_any": [("fractions", [0.5, 1.0]), ("negative classes", [-1, 0]), ("a 2-D array", LABELS[:, None]),
                   ("a string", "abc")],
    "scores_np": [("a string", "abc"), ("NaN inside", [0.0, np.nan]), ("inf inside", [np.inf])],
    "evals": [("a number", 5), ("a set that is not a pair", {"val": [1, 2, 3]})],
    "labels": [("fractions", np.full(len(LABELS), 0.5)), ("negative classes", -np.ones(len(LABELS), int)),
               ("a 2-D array", LABELS[:, None]), ("one label too few", LABELS[:-1])],
    "lr": [("zero", 0.0), ("negative", -0.1), ("NaN", math.nan), ("inf", math.inf), ("a string", "fast")],
    "count0": [("negative", -3), ("a fraction", 2.5), ("NaN", math.nan), ("a string", "ten")],
    "count": [("zero", 0), ("negative", -3), ("a fraction", 2.5), ("NaN", math.nan), ("a string", "ten")],
    "batch": [("zero", 0), ("negative", -1), ("larger than the data", 10_000), ("a fraction", 1.5)],
    "number": [("NaN", math.nan), ("inf", -math.inf), ("a string", "one"), ("None", None)],
    "seed": [("negative", -1), ("a fraction", 0.5), ("a string", "zero")],
    "seeds": [("empty", []), ("negative", [-1]), ("fractions", [0.5])],
    "name": [("an unknown name", "no-such-name"), ("a number", 3)],
    "file_name_type": [("a number", 3), ("None", None)],
    "text": [("a number", 3), ("None", None), ("an empty string", ""), ("blanks only", "   ")],
    "bool": [("a string", "yes"), ("a number", 2)],
    "table": [("a number", 5), ("an empty dict", {}), ("None", None)],
    "model": [("a string", "abc"), ("None", None)],   # not "net": an echoed bad value is blanked out, argument and all
    "dict": [("a number", 5), ("an empty dict", {})],
    "styles": [("a number", 5), ("an unknown curve", {"no-such-curve": {"color": "red"}}),
               ("a keyword no line takes", {"a": {"no_such_keyword": 1}}), ("a colour that is none", {"a": {"color": "nope"}})],
    "grid": [("a 1-D array", np.ones(5)), ("the wrong shape", np.ones((5, 4))), ("NaN inside", np.full((4, 5), np.nan))],
    "callable": [("a number", 5), ("a string", "view")],
    "scores": [("a string", "abc"), ("a NumPy array", np.zeros((2, 3))), ("a 1-D tensor", torch.zeros(3)),
               ("NaN inside", torch.full((2, 3), math.nan))],
    "class_tensor": [("a string", "abc"), ("fractions", torch.tensor([0.5, 1.0])),
                     ("a class too large", torch.tensor([0, 3])), ("negative classes", torch.tensor([0, -1])),
                     ("one label too few", torch.tensor([0]))],
}


def spec(fn, good, attack, names=None):
    """fn(**good) works; attack: argument → kind; names: argument → the word the error message must contain."""
    return fn, good, attack, names or {}


# Public function → spec. Good calls are small so that the whole table runs in a few seconds.
SPECS = {
    # checks
    "checks.CourseError": spec(None, None, {}),
    "checks.agree": spec(checks.agree, dict(label="ours vs theirs", ours=[1.0, 2.0], theirs=[1.0, 2.0], tol=1e-9),
                         {"label": "text", "ours": "x1d_any", "theirs": "x1d_any", "tol": "lr"}),
    "checks.as_1d": spec(checks.as_1d, dict(name="x", values=X), {"values": "x1d_any"}, {"values": "x"}),
    "checks.as_array": spec(checks.as_array, dict(name="curves", values=np.ones((2, 3))),
                            {"values": "not_numbers"}, {"values": "curves"}),
    "checks.as_2d": spec(checks.as_2d, dict(name="X", values=X[:, None]), {"values": "X2d_any"}, {"values": "X"}),
    "checks.choice": spec(checks.choice, dict(name="course", value="ML2021", options=data.COURSES),
                          {"value": "name"}, {"value": "course"}),
    "checks.number": spec(checks.number, dict(name="lr", value=0.1, low=0, low_open=True), {"value": "lr"},
                          {"value": "lr"}),
    "checks.same_length": spec(checks.same_length, dict(name_a="x", a=X, name_b="y", b=Y), {}, {}),
    "checks.as_grid": spec(checks.as_grid, dict(name="losses", values=LOSSES, rows=("b", B_GRID), cols=("w1", W_GRID)),
                           {"values": "grid"}, {"values": "losses"}),
    "checks.flag": spec(checks.flag, dict(name="shuffle", value=True), {"value": "bool"}, {"value": "shuffle"}),
    "checks.non_empty_dict": spec(checks.non_empty_dict, dict(name="curves", value={"a": Y}, what="label → losses"),
                                  {"value": "dict"}, {"value": "curves"}),
    "checks.torch_module": spec(checks.torch_module, dict(name="model", value=torch.nn.Linear(2, 2)),
                                {"value": "model"}, {"value": "model"}),
    "checks.batch_size_for": spec(checks.batch_size_for, dict(value=5, n=N), {"value": "batch"},
                                  {"value": "batch_size"}),
    "checks.as_labels": spec(checks.as_labels, dict(name="y", values=LABELS), {"values": "labels_any"}, {"values": "y"}),
    "checks.as_examples": spec(checks.as_examples, dict(name="X", values=DIGITS, shape=(784,)), {"values": "X2d_any"},
                               {"values": "X"}),
    "checks.as_digit_images": spec(checks.as_digit_images, dict(name="images", values=DIGITS), {"values": "X2d_any"},
                                   {"values": "images"}),
    # data
    "data.check_file": spec(data.check_file, dict(name="lectures.csv"), {"name": "name"}),
    "data.expected_sha256": spec(data.expected_sha256, dict(name="lectures.csv"), {"name": "name"}),
    "data.expected_rows": spec(data.expected_rows, dict(name="lectures.csv"), {"name": "file_name_type"}),
    "data.features": spec(data.features, dict(table=ML, names=("slides",)), {"table": "table", "names": "name"}),
    "data.linear_summary": spec(data.linear_summary, dict(table=TABLE), {"table": "table"}),
    "data.load_digits": spec(data.load_digits, dict(split="test"), {"split": "name", "flatten": "bool"}),
    "data.load_lectures": spec(data.load_lectures, dict(), {}),
    "data.load_mnist_full": spec(None, None, {"split": "name", "download": "bool"}),
    "data.load_public_lectures": spec(data.load_public_lectures, dict(), {}),
    "data.read_csv_checked": spec(data.read_csv_checked, dict(name="lectures.csv"), {"name": "name"}),
    "data.select": spec(data.select, dict(table=TABLE, course="ML2021", role="train"),
                        {"table": "table", "course": "name", "role": "name"}),
    "data.sha256_of": spec(data.sha256_of, dict(path=data.DATA_DIR / "lectures.csv"), {"path": "name"}),
    "data.simulate_lectures": spec(data.simulate_lectures, dict(seed=1), {"seed": "seed"}),
    "data.target": spec(data.target, dict(table=ML), {"table": "table"}),
    "data.typical_seed": spec(data.typical_seed, dict(candidates=range(2), reference=range(3)),
                              {"candidates": "seeds", "reference": "seeds"}),
    "data.write_lectures_csv": spec(None, None, {"seed": "seed"}),
    # models
    "models.MLP": spec(models.MLP, dict(sizes=[784, 5, 10], activation="relu"),
                       {"sizes": "x1d_any", "activation": "name", "seed": "seed"}),
    "models.ReluNet": spec(models.ReluNet, dict(n_features=1, hidden=4, depth=1),
                           {"n_features": "count", "hidden": "count", "depth": "count", "x_mean": "x1d_any",
                            "x_std": "x1d_any", "seed": "seed"}),
    "models.example_shape": spec(models.example_shape, dict(model=mlp()), {"model": "model"}),
    "models.f_lazy": spec(models.f_lazy, dict(train_inputs=X, train_minutes=Y),
                          {"train_inputs": "x1d", "train_minutes": "x1d"}),
    "models.fit_linear": spec(models.fit_linear, dict(X=X, y=Y), {"X": "X2d", "y": "x1d"}),
    "models.interpolating_pieces": spec(models.interpolating_pieces, dict(x_knots=[0, 1, 2], y_knots=[0, 1, 0]),
                                        {"x_knots": "x1d_any", "y_knots": "x1d_any"}),
    "models.loss_grid": spec(models.loss_grid, dict(x=X, y=Y, w1_values=W_GRID, b_values=B_GRID),
                             {"x": "x1d", "y": "x1d", "w1_values": "x1d_any", "b_values": "x1d_any"}),
    "models.mse": spec(models.mse, dict(y_pred=Y, y_true=Y), {"y_pred": "x1d", "y_true": "x1d"}),
    "models.predict_linear": spec(models.predict_linear, dict(x=X, w1=1.0, b=2.0),
                                  {"x": "x1d_any", "w1": "number", "b": "number"}),
    "models.relu_net_pieces": spec(models.relu_net_pieces, dict(model=relu_net()), {"model": "model"}),
    "models.relu_pieces": spec(models.relu_pieces, dict(x=X, c=[1.0], w=[1.0], b_i=[0.0], b=0.0),
                               {"x": "x1d_any", "c": "x1d_any", "w": "x1d_any", "b_i": "x1d_any", "b": "number"}),
    # train
    "train.classification_loss": spec(train.classification_loss,
                                      dict(scores=torch.zeros(2, 3), labels=torch.tensor([0, 2])),
                                      {"scores": "scores", "labels": "class_tensor", "loss": "name"}),
    "train.describe_run": spec(train.describe_run, dict(history=train.gradient_descent(X, Y, steps=3)),
                               {"history": "dict"}),
    "train.gradient_descent": spec(train.gradient_descent, dict(x=X, y=Y, lr=1e-4, steps=3),
                                   {"x": "x1d", "y": "x1d", "w1": "number", "b": "number", "lr": "lr",
                                    "steps": "count0"}),
    "train.linear_gradient": spec(train.linear_gradient, dict(x=X, y=Y, w1=1.0, b=2.0),
                                  {"x": "x1d", "y": "x1d", "w1": "number", "b": "number"}),
    "train.minibatch_descent": spec(train.minibatch_descent, dict(x=X, y=Y, lr=1e-4, batch_size=5, epochs=1),
                                    {"x": "x1d", "y": "x1d", "lr": "lr", "batch_size": "batch", "epochs": "count",
                                     "shuffle": "bool", "seed": "seed", "w1": "number", "b": "number"}),
    "train.minibatches": spec(train.minibatches, dict(n=N, batch_size=5, rng=np.random.default_rng(0)),
                              {"n": "count", "batch_size": "batch", "shuffle": "bool", "rng": "model"}),
    "train.predict": spec(train.predict, dict(model=relu_net(), X=X), {"model": "model", "X": "X2d_any"}),
    "train.predict_classes": spec(train.predict_classes, dict(model=mlp(), X=DIGITS),
                                  {"model": "model", "X": "X2d_any", "batch_size": "count"}),
    "train.standardized_descent": spec(train.standardized_descent, dict(x=X, y=Y, lr=0.1, steps=3),
                                       {"x": "x1d", "y": "x1d", "lr": "lr", "steps": "count0", "w1": "number",
                                        "b": "number"}),
    "train.dtype_of": spec(train.dtype_of, dict(model=mlp()), {"model": "model"}),
    "train.fit": spec(train.fit, dict(model=mlp(), X=DIGITS, y=LABELS, loss="cross_entropy", epochs=1, batch_size=10,
                                      evals={"val": (DIGITS, LABELS)}),
                      {"model": "model", "X": "digits", "y": "labels", "loss": "name", "optimizer": "name", "lr": "lr",
                       "epochs": "count", "batch_size": "batch", "seed": "seed", "shuffle": "bool", "evals": "evals",
                       "momentum": "number", "weight_decay": "number", "l2": "number", "l1": "number",
                       "stop_on_divergence": "bool"}),
    "train.train_relu_nets": spec(train.train_relu_nets, dict(X=X, y=Y, seeds=[0], hidden=3, epochs=2),
                                  {"X": "X2d", "y": "x1d", "seeds": "seeds", "hidden": "count", "lr": "lr",
                                   "epochs": "count", "optimizer": "name", "standardize": "bool"}),
    # plots
    "plots.plot_batch_runs": spec(plots.plot_batch_runs,
                                  dict(w1_values=W_GRID, b_values=B_GRID, losses=LOSSES,
                                       runs={"B = 5": train.minibatch_descent(X, Y, 1.0, 15.0, 1e-4, 5, 1)}),
                                  {"w1_values": "x1d_any", "b_values": "x1d_any", "losses": "grid", "runs": "dict"}),
    "plots.plot_contour": spec(plots.plot_contour, dict(w1_values=W_GRID, b_values=B_GRID, losses=LOSSES),
                               {"w1_values": "x1d_any", "b_values": "x1d_any", "losses": "grid",
                                "mark_color": "name", "above_minimum": "bool"}),
    "plots.plot_courses": spec(plots.plot_courses, dict(table=TABLE), {"table": "table"}),
    "plots.plot_curve_1d": spec(plots.plot_curve_1d, dict(w_values=W_GRID, losses=W_GRID ** 2),
                                {"w_values": "x1d_any", "losses": "x1d_any", "curve_label": "text"}),
    "plots.plot_curves": spec(plots.plot_curves,
                              dict(curves={"a": Y, "seeds": np.vstack([Y, Y + 1]), "pair": (Y[None], Y[None] + 1)},
                                   baseline=70.0, mark_best="a"),
                              {"curves": "dict", "x": "name", "summary": "name", "logy": "bool", "percent": "bool",
                               "mark_best": "name", "xticklabels": "not_numbers", "legend": "name", "styles": "styles",
                               "pair_names": "text"}),
    "plots.plot_curves_on_data": spec(plots.plot_curves_on_data, dict(x=X, y=Y, curves={"line": (X, Y)}),
                                      {"x": "x1d", "y": "x1d", "curves": "dict"}),
    "plots.plot_descent": spec(plots.plot_descent,
                               dict(w1_values=W_GRID, b_values=B_GRID, losses=LOSSES,
                                    runs={"GD": train.gradient_descent(X, Y, steps=3)}, optimum=(1.7, 5.0, 216.0)),
                               {"w1_values": "x1d_any", "b_values": "x1d_any", "losses": "grid", "runs": "dict",
                                "param_names": "text"}),
    "plots.plot_fit": spec(plots.plot_fit, dict(x=X, y=Y, w1=1.0, b=2.0),
                           {"x": "x1d", "y": "x1d", "w1": "number", "b": "number"}),
    "plots.plot_lines_on_courses": spec(plots.plot_lines_on_courses, dict(table=TABLE, lines={"a": (1.0, 2.0)}),
                                        {"table": "table", "lines": "dict"}),
    "plots.plot_param_trace": spec(plots.plot_param_trace, dict(traces={"a": Y}, updates_per_epoch=5),
                                   {"traces": "dict", "updates_per_epoch": "count"}),
    "plots.plot_pieces": spec(plots.plot_pieces, dict(x=X, total=Y, pieces=np.ones((2, N)), target=Y),
                              {"x": "x1d", "total": "x1d", "pieces": "X2d_any", "target": "x1d"}),
    "plots.plot_predicted_vs_true": spec(plots.plot_predicted_vs_true, dict(groups={"a": (Y, Y)}),
                                         {"groups": "dict"}),
    "plots.plot_selection": spec(plots.plot_selection,
                                 dict(n_candidates=[1, 2], val_loss=[[1.0, 2.0]], test_loss=[[1.0, 2.0]]),
                                 {"n_candidates": "x1d_any", "val_loss": "grid", "test_loss": "grid"}),
    "plots.plot_surface_3d": spec(plots.plot_surface_3d, dict(w1_values=W_GRID, b_values=B_GRID, losses=LOSSES),
                                  {"w1_values": "x1d_any", "b_values": "x1d_any", "losses": "grid"}),
    # widgets: the views (the *_widget functions wire sliders to them; tested in the notebooks' tests)
    "widgets.batch_view": spec(widgets.batch_view, dict(x=X, y=Y, epochs=1),
                               {"x": "x1d", "y": "x1d", "batch_size": "batch", "lr": "lr", "epochs": "count",
                                "shuffle": "bool", "seed": "seed"}),
    "widgets.batch_widget": spec(None, None, {"x": "x1d"}),
    "widgets.descent_view": spec(widgets.descent_view, dict(x=X, y=Y, steps=3),
                                 {"x": "x1d", "y": "x1d", "lr": "lr", "steps": "count0", "w1_start": "number",
                                  "b_start": "number", "standardize": "bool"}),
    "widgets.descent_widget": spec(None, None, {"x": "x1d"}),
    "widgets.manual_fit_view": spec(widgets.manual_fit_view, dict(x=X, y=Y, w1=1.0, b=2.0),
                                    {"x": "x1d", "y": "x1d", "w1": "number", "b": "number"}),
    "widgets.manual_fit_widget": spec(None, None, {"x": "x1d"}),
    "widgets.network_training_view": spec(widgets.network_training_view,
                                          dict(train_rows=GEN, val_rows=VAL, epochs=2, hidden=3),
                                          {"train_rows": "table", "val_rows": "table", "features": "name",
                                           "setup": "name", "seed": "seed", "epochs": "count", "hidden": "count"}),
    "widgets.network_training_widget": spec(None, None, {"train_rows": "table"}),
    "widgets.relu_pieces_view": spec(widgets.relu_pieces_view, dict(H=3), {"H": "count", "show_pieces": "bool"}),
    "widgets.relu_pieces_widget": spec(None, None, {}),
    "widgets.show": spec(None, None, {}),
    "widgets.slider_app": spec(None, None, {"view": "callable"}),
    "widgets.button_app": spec(None, None, {"view": "callable"}),
    "widgets.target_curve": spec(widgets.target_curve, dict(x=X), {"x": "x1d_any"}),
}

# Functions whose arguments are not attacked through a good call above, and why.
NOT_CALLED = {
    "checks.CourseError": "the exception type itself: every case below expects it",
    "data.load_mnist_full": "needs the full MNIST; its bad arguments are attacked below without a good call",
    "data.write_lectures_csv": "writes a file; its seed check is the one simulate_lectures runs",
    "widgets.batch_widget": "needs a widget front end; wires batch_view, which is attacked",
    "widgets.descent_widget": "needs a widget front end; wires descent_view, which is attacked",
    "widgets.manual_fit_widget": "needs a widget front end; wires manual_fit_view, which is attacked",
    "widgets.network_training_widget": "needs a widget front end; wires network_training_view, which is attacked",
    "widgets.relu_pieces_widget": "takes no arguments",
    "widgets.show": "displays whatever it is given (None shows nothing)",
    "widgets.slider_app": "attacked in test_slider_app_rejects_a_view_that_is_not_a_function",
    "widgets.button_app": "needs a widget front end; its arguments are attacked in tests/test_widget_extremes.py",
}

# notebook 06: a neural network from scratch
SPECS.update({
    "models.NumpyNet": spec(models.NumpyNet, dict(sizes=[784, 5, 10]),
                            {"sizes": "x1d_any", "seed": "seed", "init": "name"}),
    "models.one_hot": spec(models.one_hot, dict(labels=LABELS), {"labels": "x1d_any", "n_classes": "count"}),
    "models.sigmoid": spec(models.sigmoid, dict(z=X), {"z": "number"}),
    "models.sigmoid_prime": spec(models.sigmoid_prime, dict(z=X), {"z": "number"}),
    "train.sgd_numpy": spec(train.sgd_numpy, dict(net=models.NumpyNet([784, 5, 10]), X=DIGITS, y=LABELS, epochs=1),
                            {"net": "model", "X": "digits", "y": "labels", "lr": "lr", "epochs": "count",
                             "batch_size": "batch", "seed": "seed", "cost": "name"}),
    "train.sgd_per_sample": spec(train.sgd_per_sample, dict(X=DIGITS, y=LABELS, sizes=[784, 5, 10], epochs=1),
                                 {"X": "digits", "y": "labels", "sizes": "x1d_any", "lr": "lr", "epochs": "count",
                                  "batch_size": "batch", "seed": "seed"}),
    "plots.plot_output_neuron": spec(plots.plot_output_neuron, dict(z_values=W_GRID, target=0, z_now=1.0),
                                     {"z_values": "x1d_any", "target": "name", "z_now": "number"}),
    "plots.plot_weight_images": spec(plots.plot_weight_images, dict(W=np.zeros((3, 784))),
                                     {"W": "X2d_any", "n_cols": "count"}),
    "widgets.neuron_view": spec(widgets.neuron_view, dict(), {"w": "number", "b": "number", "x": "number",
                                                              "y": "name"}),
    "widgets.neuron_widget": spec(None, None, {}),
})
NOT_CALLED["widgets.neuron_widget"] = "takes no arguments"

# notebook 05: classification (a two-feature, two-class set of N examples)
X_2F = np.column_stack([np.linspace(-1, 1, N), np.linspace(1, -1, N) ** 3])    # (N, 2)
T_01 = np.arange(N) % 2                                                          # (N,) labels 0/1
SPECS.update({
    "data.ink_and_width": spec(data.ink_and_width, dict(images=DIGITS), {"images": "X2d_any"}),
    "models.logistic_inputs": spec(models.logistic_inputs, dict(X=X_2F, labels=T_01, w=[1.0, -1.0]),
                                   {"X": "X2d", "labels": "x1d", "w": "x1d_any", "b": "number"}),
    "models.logistic_probability": spec(models.logistic_probability, dict(z=X), {"z": "scores_np"}),
    "models.logistic_mean_loss": spec(models.logistic_mean_loss, dict(z=X, labels=T_01, loss="mse"),
                                      {"z": "scores_np", "labels": "x1d", "loss": "name"}),
    "models.logistic_loss": spec(models.logistic_loss, dict(X=X_2F, labels=T_01, w=[1.0, -1.0]),
                                 {"X": "X2d", "labels": "x1d", "w": "x1d_any", "b": "number", "loss": "name"}),
    "models.logistic_loss_grid": spec(models.logistic_loss_grid,
                                      dict(X=X_2F, labels=T_01, w1_values=W_GRID, w2_values=B_GRID),
                                      {"X": "X2d", "labels": "x1d", "w1_values": "x1d_any", "w2_values": "x1d_any",
                                       "b": "number", "loss": "name"}),
    "train.logistic_gradient": spec(train.logistic_gradient, dict(X=X_2F, labels=T_01, w=[1.0, -1.0]),
                                    {"X": "X2d", "labels": "x1d", "w": "x1d_any", "b": "number", "loss": "name"}),
    "train.logistic_descent": spec(train.logistic_descent, dict(X=X_2F, labels=T_01, w_start=[1.0, -1.0], steps=3),
                                   {"X": "X2d", "labels": "x1d", "w_start": "x1d_any", "lr": "lr", "steps": "count0",
                                    "loss": "name", "b": "number"}),
    "plots.plot_digit_grid": spec(plots.plot_digit_grid, dict(images=DIGITS, labels=LABELS, per_class=2),
                                  {"images": "digits", "labels": "labels", "per_class": "count"}),
    "plots.plot_logistic_boundary": spec(plots.plot_logistic_boundary, dict(X=X_2F, labels=T_01, w=[1.0, -1.0]),
                                         {"X": "X2d", "labels": "x1d", "w": "x1d_any", "b": "number",
                                          "colorbar": "bool", "legend_loc": "name"}),
    "plots.plot_sigmoid_scores": spec(plots.plot_sigmoid_scores, dict(z=X, labels=T_01),
                                      {"z": "x1d", "labels": "x1d", "legend_loc": "name"}),
    "plots.plot_error_surfaces": spec(plots.plot_error_surfaces,
                                      dict(w1_values=W_GRID, w2_values=B_GRID, surfaces={"MSE": LOSSES}),
                                      {"w1_values": "x1d_any", "w2_values": "x1d_any", "surfaces": "dict"}),
    "widgets.logistic_boundary_view": spec(widgets.logistic_boundary_view, dict(X=X_2F, labels=T_01),
                                           {"X": "X2d", "labels": "x1d", "w1": "number", "w2": "number",
                                            "b": "number", "readable": "bool"}),
    "widgets.logistic_boundary_widget": spec(None, None, {}),
})
NOT_CALLED["widgets.logistic_boundary_widget"] = ("needs a widget front end; wires logistic_boundary_view, "
                                                  "which is attacked")

# notebook 07: training guide and critical points (the tiny tanh network: θ has 3·2 + 1 = 7 entries)
TH7 = models.tiny_net_init(2, seed=0)                                  # (7,)
U7, V7 = np.eye(7)[0], np.eye(7)[4]                                    # two directions in parameter space
SPECS.update({
    "models.tiny_net": spec(models.tiny_net, dict(theta=TH7, x=X), {"theta": "x1d_any", "x": "x1d_any"}),
    "models.tiny_net_loss": spec(models.tiny_net_loss, dict(theta=TH7, x=X, y=Y),
                                 {"theta": "x1d_any", "x": "x1d", "y": "x1d"}),
    "models.tiny_net_init": spec(models.tiny_net_init, dict(hidden=2, seed=0), {"hidden": "count", "seed": "seed"}),
    "models.tiny_net_gradient": spec(models.tiny_net_gradient, dict(thetas=TH7, x=X, y=Y),
                                     {"thetas": "x1d_any", "x": "x1d", "y": "x1d"}),
    "analysis.diagnose": spec(analysis.diagnose, dict(train_loss=50.0, val_loss=60.0, target_loss=81.0),
                           {"train_loss": "number", "val_loss": "number", "target_loss": "lr", "slack": "lr"}),
    "train.descend_until_stall": spec(train.descend_until_stall, dict(thetas=TH7, x=X, y=Y, max_steps=3),
                                      {"thetas": "x1d_any", "x": "x1d", "y": "x1d", "lr": "lr", "max_steps": "count0",
                                       "grad_tol": "number", "record_every": "count", "record_grad": "bool"}),
    "models.tiny_theta": spec(models.tiny_theta, dict(theta=TH7), {"theta": "x1d_any"}),
    "analysis.tiny_net_hessian": spec(analysis.tiny_net_hessian, dict(theta=TH7, x=X, y=Y),
                                   {"theta": "x1d_any", "x": "x1d", "y": "x1d"}),
    "analysis.classify_stall": spec(analysis.classify_stall, dict(theta=TH7, x=X, y=Y),
                                    {"theta": "x1d_any", "x": "x1d", "y": "x1d", "newton_tol": "lr", "tol": "number"}),
    "analysis.classify_hessian": spec(analysis.classify_hessian, dict(hessian=np.eye(3)), {"hessian": "grid", "tol": "number"}),
    "plots.plot_diagnosis": spec(plots.plot_diagnosis, dict(cases={"a": dict(train=1.0, val=2.0, target=1.0,
                                                                             branch="fine")}), {"cases": "dict"}),
    "plots.plot_training_guide": spec(plots.plot_training_guide, dict(highlight="optimisation"),
                                      {"highlight": "name"}),
    "plots.plot_eigenvalues": spec(plots.plot_eigenvalues, dict(spectra={"a": [-1.0, 2.0]}), {"spectra": "dict"}),
    "plots.plot_stall_census": spec(plots.plot_stall_census,
                                    dict(curves=np.ones((2, 3)), record_every=10, minimum_ratios=[0.5, 1.0],
                                         stall_losses=[0.2, 0.1], kinds=["saddle point", "local minimum"]),
                                    {"curves": "X2d_any", "minimum_ratios": "x1d_any", "stall_losses": "x1d_any",
                                     "record_every": "count"}),
    "plots.plot_loss_slice": spec(plots.plot_loss_slice, dict(a_values=W_GRID, b_values=B_GRID, losses=LOSSES,
                                                              profile_t=[0.0, 1.0], profile_loss=[1.0, 2.0]),
                                  {"a_values": "x1d_any", "b_values": "x1d_any", "losses": "grid",
                                   "profile_t": "x1d_any", "profile_loss": "x1d_any"}),
    "widgets.saddle_slice_view": spec(widgets.saddle_slice_view, dict(x=X, y=Y, theta=TH7, u=U7, v=V7, n=5),
                                      {"x": "x1d", "y": "x1d", "theta": "x1d_any", "u": "x1d_any", "v": "x1d_any",
                                       "t": "number", "span": "lr", "n": "count"}),
    "widgets.saddle_slice_widget": spec(None, None, {"points": "dict"}),
})
NOT_CALLED["widgets.saddle_slice_widget"] = "needs a widget front end; wires saddle_slice_view, which is attacked"


# notebook 08: optimisers
SPECS.update({
    "models.canyon_grad": spec(models.canyon_grad, dict(theta=[-4.0, 1.0]), {"theta": "x1d_any"}),
    "models.canyon_loss": spec(models.canyon_loss, dict(w1=-4.0, w2=1.0), {"w1": "number", "w2": "number"}),
    "train.lr_schedule": spec(train.lr_schedule, dict(schedule="decay", steps=10),
                              {"schedule": "name", "steps": "count", "warmup": "count"}),
    "train.descend": spec(train.descend, dict(grad_fn=models.canyon_grad, start=[-4.0, 1.0], steps=3),
                          {"grad_fn": "callable", "start": "x1d_any", "optimizer": "name", "lr": "lr",
                           "steps": "count0", "beta": "number", "schedule": "name", "alpha": "number",
                           "beta2": "number", "warmup": "count", "loss_fn": "callable", "max_loss": "lr",
                           "max_size": "lr"}),
    "train.train_relu_nets_jointly": spec(train.train_relu_nets_jointly, dict(X=X, y=Y, seeds=[0], hidden=3, epochs=2),
                                          {"X": "X2d", "y": "x1d", "seeds": "seeds", "hidden": "count",
                                           "optimizer": "name", "lr": "lr", "epochs": "count", "standardize": "bool",
                                           "momentum": "number"}),
    "train.train_mlps_jointly": spec(train.train_mlps_jointly,
                                     dict(nets=[models.MLP([784, 3, 10], seed=0)], X=DIGITS, y=LABELS, epochs=1,
                                          seeds=[0]),
                                     {"nets": "model", "X": "digits", "y": "labels", "lr": "lr", "epochs": "count",
                                      "batch_size": "batch", "seeds": "seeds", "l2": "number", "evals": "evals",
                                      "score_every": "count"}),
    "plots.plot_trajectories": spec(plots.plot_trajectories,
                                    dict(w1_values=W_GRID, w2_values=B_GRID, losses=LOSSES,
                                         runs={"a": (np.zeros((3, 2)), np.ones(3))}),
                                    {"w1_values": "x1d_any", "w2_values": "x1d_any", "losses": "grid", "runs": "dict"}),
    "plots.plot_final_losses": spec(plots.plot_final_losses, dict(groups={"a": [1.0, 2.0]}), {"groups": "dict"}),
    "plots.plot_batch_tradeoff": spec(plots.plot_batch_tradeoff,
                                      dict(batch_sizes=[10, 100], seconds_per_epoch=[1.0, 0.5], gradient_noise=[2.0, 0.5]),
                                      {"batch_sizes": "x1d_any", "seconds_per_epoch": "x1d_any",
                                       "gradient_noise": "x1d_any", "n_examples": "lr"}),
    "widgets.canyon_grid": spec(widgets.canyon_grid, dict(n1=5, n2=4), {"n1": "count", "n2": "count"}),
    "widgets.describe_path": spec(widgets.describe_path, dict(path=np.zeros((2, 2)), loss=[1.0, 1.0]),
                                  {"path": "X2d_any", "loss": "x1d_any", "floor": "lr"}),
    "widgets.optimizer_view": spec(widgets.optimizer_view, dict(steps=3),
                                   {"lr": "lr", "beta": "number", "optimizer": "name", "schedule": "name",
                                    "steps": "count"}),
    "widgets.optimizer_widget": spec(None, None, {}),
})
NOT_CALLED["widgets.optimizer_widget"] = "needs a widget front end; wires optimizer_view, which is attacked"

# notebook 09: MNIST MLP studies
SPECS.update({
    "analysis.confusion_matrix": spec(analysis.confusion_matrix, dict(labels=LABELS, predicted=LABELS),
                                   {"labels": "labels", "predicted": "labels", "n_classes": "count"}),
    "plots.plot_accuracy_vs_size": spec(plots.plot_accuracy_vs_size,
                                        dict(sizes=[500, 1000], train_acc=[[1.0, 1.0], [0.99, 1.0]],
                                             test_acc=[[0.88, 0.87], [0.9, 0.89]]),
                                        {"sizes": "x1d_any", "train_acc": "X2d_any", "test_acc": "X2d_any",
                                         "eval_name": "text"}),
    "plots.plot_confusion_matrix": spec(plots.plot_confusion_matrix, dict(matrix=np.eye(3)), {"matrix": "X2d_any"}),
    "plots.plot_misclassified": spec(plots.plot_misclassified,
                                     dict(images=DIGITS, labels=LABELS, predicted=(LABELS + 1) % 10, n=4),
                                     {"images": "digits", "labels": "labels", "predicted": "labels", "n": "count",
                                      "n_cols": "count"}),
    "widgets.confusion_pair_view": spec(widgets.confusion_pair_view, dict(images=DIGITS, labels=LABELS, predicted=LABELS),
                                        {"images": "digits", "labels": "labels", "predicted": "labels",
                                         "true_class": "number", "predicted_class": "number", "n_show": "count",
                                          "digits_name": "text"}),
    "widgets.confusion_pair_widget": spec(None, None, {}),
    "widgets.mlp_training_view": spec(widgets.mlp_training_view,
                                      dict(X=DIGITS, y=LABELS, X_test=DIGITS, y_test=LABELS, hidden=3, epochs=1),
                                      {"X": "digits", "y": "labels", "hidden": "count", "depth": "count0",
                                       "loss": "name", "lr": "lr", "epochs": "count", "seed": "seed",
                                       "start": "name", "eval_name": "text"}),
    "widgets.mlp_training_widget": spec(None, None, {}),
})
NOT_CALLED["widgets.confusion_pair_widget"] = ("needs a widget front end; wires confusion_pair_view, "
                                               "which is attacked")
NOT_CALLED["widgets.mlp_training_widget"] = "needs a widget front end; wires mlp_training_view, which is attacked"

# notebook 10: regularisation
SPECS.update({
    "data.split_validation": spec(data.split_validation, dict(X=DIGITS, y=LABELS, n_val=2),
                                  {"X": "X2d_any", "y": "x1d_any", "n_val": "count", "seed": "seed"}),
    "data.first_per_class": spec(data.first_per_class, dict(labels=LABELS, per_class=1),
                                 {"labels": "x1d_any", "per_class": "count", "skip": "count0"}),
    "data.augment_digits": spec(data.augment_digits, dict(images=DIGITS[:5], copies=1),
                                {"images": "X2d_any", "copies": "count", "degrees": "number", "shift": "number",
                                 "seed": "seed", "chunk": "count"}),
    "models.with_dropout": spec(models.with_dropout, dict(model=mlp()),
                                {"model": "model", "p": "number"}),
    "plots.plot_weight_histograms": spec(plots.plot_weight_histograms, dict(weights={"a": [0.1, -0.2, 0.3]}),
                                         {"weights": "dict"}),
    "plots.plot_accuracy_gap": spec(plots.plot_accuracy_gap,
                                    dict(labels=["a", "b"], train_acc=np.ones((2, 3)), test_acc=np.ones((2, 3))),
                                    {"train_acc": "X2d_any", "test_acc": "X2d_any"}),
    "widgets.lambda_view": spec(widgets.lambda_view,
                                dict(results={"lambdas": [0.0, 5.0], "weights": [np.ones(4), np.zeros(4)],
                                              "train_acc": np.ones((2, 3)), "test_acc": np.ones((2, 3))}),
                                {"results": "dict", "index": "count0"}),
    "widgets.lambda_widget": spec(None, None, {"results": "dict"}),
})
NOT_CALLED["widgets.lambda_widget"] = "needs a widget front end; wires lambda_view, which is attacked"

# notebook 11: initialisation and vanishing gradients
SPECS.update({
    "models.init_std": spec(models.init_std, dict(scheme="he", n_in=4, n_out=3),
                            {"scheme": "name", "n_in": "count", "n_out": "count", "scale": "lr"}),
    "models.init_weights_": spec(models.init_weights_, dict(model=mlp()),
                                 {"model": "model", "scheme": "name", "seed": "seed", "scale": "lr",
                                  "bias_std": "number"}),
    "analysis.layer_statistics": spec(analysis.layer_statistics, dict(model=mlp(), X=DIGITS, y=LABELS),
                                   {"model": "model", "X": "digits", "y": "labels", "loss": "name"}),
    "plots.plot_layer_histograms": spec(plots.plot_layer_histograms, dict(layers=[np.ones(3), np.zeros(2)]),
                                        {"layers": "dict", "bins": "count"}),
    "widgets.init_view": spec(widgets.init_view, dict(X=DIGITS, y=LABELS, depth=2, width=4),
                              {"X": "digits", "y": "labels", "scale": "lr", "depth": "count", "activation": "name",
                               "width": "count", "seed": "seed"}),
    "widgets.init_widget": spec(None, None, {}),
})
NOT_CALLED["widgets.init_widget"] = "needs a widget front end; wires init_view, which is attacked"

# notebook 12: convolutional networks
SPECS.update({
    "data.read_idx": spec(None, None, {"path": "file_name_type"}),
    "data.load_fashion_mnist": spec(None, None, {"split": "name", "flatten": "bool"}),
    "models.edge_filters": spec(models.edge_filters, dict(), {}),
    "models.SmallCNN": spec(models.SmallCNN, dict(maps=2), {"maps": "count", "kernel": "count", "pool": "count",
                                                            "n_classes": "count", "image_size": "count",
                                                            "seed": "seed"}),
    "plots.plot_image_grid": spec(plots.plot_image_grid, dict(images={"a": np.zeros((3, 3)), "b": -np.ones((2, 2))}),
                                  {"images": "dict", "n_cols": "count", "shared_scale": "bool"}),
    "widgets.convolution_view": spec(widgets.convolution_view, dict(images=DIGITS[:3], index=1),
                                     {"images": "X2d_any", "index": "count0", "filter": "name", "stride": "count",
                                      "pool": "count"}),
    "widgets.convolution_widget": spec(None, None, {"index": "count0"}),
})
NOT_CALLED["data.read_idx"] = "needs an IDX file; tests/test_12_cnn.py writes small ones and checks its errors"
NOT_CALLED["data.load_fashion_mnist"] = ("needs Fashion-MNIST on disk; tests/test_12_cnn.py builds a tiny copy and "
                                         "checks its errors")
NOT_CALLED["widgets.convolution_widget"] = "needs a widget front end; wires convolution_view, which is attacked"


def public_functions():
    names = []
    for module in MODULES:
        short = module.__name__.split(".")[-1]
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                names.append(f"{short}.{name}")
    return sorted(names)


def cases():
    out = []
    for key, (fn, good, attack, names) in SPECS.items():
        if fn is None:
            continue
        for arg, kind in attack.items():
            for description, value in BAD[kind]:
                out.append(pytest.param(key, arg, value, id=f"{key}-{arg}-{description}"))
    return out


CASES = cases()


def test_every_public_function_has_a_spec():
    missing = [name for name in public_functions() if name not in SPECS]
    assert not missing, f"add these public utils functions to SPECS in tests/test_bad_inputs.py: {missing}"
    for key, (fn, good, attack, _) in SPECS.items():
        assert fn is not None or key in NOT_CALLED, f"{key}: give a good call, or say in NOT_CALLED why not"
        if fn is not None:
            params = inspect.signature(fn).parameters
            assert set(attack) <= set(params), f"{key}: attacks unknown arguments {set(attack) - set(params)}"


def test_the_table_is_large():
    n_functions = sum(1 for s in SPECS.values() if s[0] is not None)
    print(f"{len(CASES)} bad-input cases over {n_functions} functions")
    assert (len(CASES), n_functions) == (1888, 144), "update these numbers (and the README's) when the table grows"


@pytest.mark.parametrize("key", [k for k, s in SPECS.items() if s[0] is not None])
def test_the_good_call_works(key):
    fn, good, _, _ = SPECS[key]
    fn(**good)
    plt.close("all")


def names_the_argument(message: str, word: str, value=None) -> bool:
    """Whether `message` names `word` as a whole word (case-sensitive), or in quotes or backticks.

    A string bad value is blanked out first: echoing it back ("unknown feature 'no-such-name'") does not name
    the argument `name`, nor does a path that happens to contain the word."""
    if isinstance(value, str) and value.strip():
        message = message.replace(value, "…")
    if any(f"{q}{word}{q}" in message for q in ("'", '"', "`")):
        return True
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", message) is not None


@pytest.mark.parametrize("message, word, value, expected", [
    ("x must be a list or array of numbers, got str", "x", "abc", True),
    ("x1 must be finite", "x", None, False),                 # x1 is another argument
    ("X must have shape (N, features)", "x", None, False),   # X is another argument (case matters)
    ("the maximum of y_pred", "y", None, False),
    ("unknown feature(s) ['no-such-name']", "name", "no-such-name", False),   # only the echoed value
    ("name 'no-such-name' is not a data file", "name", "no-such-name", True),
    ("steps (number of updates) must be ≥ 0", "steps (number of updates)", -3, True),
    ("seeds[0] must be ≥ 0, got -1", "seeds", None, True),
    ("unknown `activation`", "activation", None, True),
])
def test_names_the_argument_matches_whole_words_only(message, word, value, expected):
    assert names_the_argument(message, word, value) is expected


@pytest.mark.parametrize("key, arg, value", CASES)
def test_bad_input_raises_a_clear_error(key, arg, value):
    fn, good, _, names = SPECS[key]
    call = dict(good, **{arg: value})
    allowed = (CourseError,) + ((OTHER_ERRORS[key, arg][0],) if (key, arg) in OTHER_ERRORS else ())
    try:
        fn(**call)
    except allowed as err:
        message = str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)
        kind = type(err).__name__
    else:
        pytest.fail(f"{key}({arg}={value!r}) raised nothing: the bad value was accepted")
    finally:       # any other exception propagates and fails the test with its traceback: the argument is unchecked
        plt.close("all")
    word = names.get(arg, arg)
    assert names_the_argument(message, word, value), \
        f"{key}({arg}={value!r}) raised {kind}: {message!r}, which does not name {word!r} as a whole word"
    assert len(message) >= 15, f"{key}({arg}={value!r}): the message {message!r} is too short to help"


def test_other_errors_are_listed_for_real_cases():
    for key, arg in OTHER_ERRORS:
        assert key in SPECS and arg in SPECS[key][2], f"OTHER_ERRORS lists {key}({arg}), which is not attacked"


@pytest.mark.parametrize("kwargs, word", [(dict(split="validation"), "split"), (dict(download="yes"), "download")])
def test_load_mnist_full_rejects_bad_arguments_before_any_download(tmp_path, kwargs, word):
    with pytest.raises(CourseError) as err:
        data.load_mnist_full(root=tmp_path, **kwargs)
    assert names_the_argument(str(err.value), word, kwargs.get("split"))
    assert list(tmp_path.iterdir()) == []


def test_slider_app_rejects_a_view_that_is_not_a_function():
    with pytest.raises(CourseError) as err:
        widgets.slider_app(5)
    assert names_the_argument(str(err.value), "view")
