"""Slider and button apps. Each *_view function is plain and unit-tested: numbers in, (figure, message) out.

The *_widget functions only wire controls to a view: `slider_app` redraws at every slider move, `button_app`
runs the view when its button is pressed (for views that train for seconds). Both use only the ipywidgets API
common to ipywidgets 7 and 8 (Colab ships 7.7), and import ipywidgets and IPython.display when they are called,
so that the views can be imported and tested without a front end."""
from __future__ import annotations

import time

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from . import analysis, data, models, plots, train
from .checks import (CourseError, as_1d, as_2d, as_array, as_digit_images, as_labels, choice, flag, non_empty_dict,
                     number, same_length)


def show(fig, message: str = "") -> None:
    """Print a view's message and display its figure once (then close it so it is not shown twice).

    Taught in notebook 01."""
    if message:
        print(message)
    if fig is not None:
        from IPython.display import display
        display(fig)
        plt.close(fig)


def _check_view(view) -> None:
    if not callable(view):
        raise CourseError("view must be a function that returns (figure, message)")


def _run_view(view, values: dict):
    """view(**values), with a `CourseError` turned into (None, "⚠ message"); any other exception is a bug in the
    view and propagates as a traceback."""
    try:
        return view(**values)
    except CourseError as err:   # a combination the helpers refuse, with a message that says what to fix
        return None, f"⚠ {err}"


def slider_app(view, **sliders):
    """Wire sliders to `view(**values) -> (figure, message)`: the view runs again at every slider move.

    A `CourseError` (a value the helpers refuse, with a message that says what to fix) is shown as "⚠ message";
    any other exception is a bug in the view and propagates as a traceback. Used inside utils by every slider
    widget (manual_fit_widget, descent_widget, …)."""
    from ipywidgets import interact

    _check_view(view)
    return interact(lambda **values: show(*_run_view(view, values)), **sliders)


def button_app(view, label: str = "Train", busy_message=None, per_row: int = 3, **controls):
    """Wire controls and a button to `view(**values) -> (figure, message)`: the view runs when the button is pressed.

    For views that train for seconds, where redrawing at every slider move would be too slow. The controls are
    laid out in rows of `per_row` (the button after the last one), the figure and message appear below them.
    busy_message: shown while the view runs, a text or a function of the controls' values that returns one.
    A `CourseError` is shown as "⚠ message"; any other exception is a bug in the view and propagates.
    Displays the app and returns it (a VBox). Used inside utils by network_training_widget and mlp_training_widget."""
    from IPython.display import display
    from ipywidgets import Button, HBox, Output, VBox

    _check_view(view)
    if not isinstance(label, str) or not label.strip():
        raise CourseError(f"label must be the button's text, e.g. 'Train', got {label!r}")
    if busy_message is not None and not (isinstance(busy_message, str) or callable(busy_message)):
        raise CourseError("busy_message must be a text, or a function of the controls' values that returns one")
    per_row = number("per_row (controls per row)", per_row, low=1, integer=True)
    if not controls:
        raise CourseError("button_app needs at least one control, e.g. seed=IntSlider(...)")
    button, out = Button(description=label), Output()

    def on_click(_):
        values = {name: control.value for name, control in controls.items()}
        with out:
            if busy_message is not None:         # something to read while it trains
                out.clear_output()
                print(busy_message(**values) if callable(busy_message) else busy_message)
            fig, message = _run_view(view, values)
            out.clear_output(wait=True)
            show(fig, message)

    button.on_click(on_click)
    items = list(controls.values())
    rows = [items[i:i + per_row] for i in range(0, len(items), per_row)]
    box = VBox([HBox(row) for row in rows[:-1]] + [HBox(rows[-1] + [button]), out])
    display(box)
    return box


def manual_fit_view(x, y, w1, b, w1_values=None, b_values=None, losses=None):
    """The line for (w1, b) with its residuals and MSE, beside the contour map with your point on it.

    Taught in notebook 01."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    w1, b = number("w1", w1), number("b", b)
    if losses is None:
        w1_values = np.linspace(0, 3, 100) if w1_values is None else as_1d("w1_values", w1_values)
        b_values = np.linspace(0, 20, 300) if b_values is None else as_1d("b_values", b_values)
        losses = models.loss_grid(x, y, w1_values, b_values)
    L = float(np.mean((w1 * x + b - y) ** 2))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    plots.plot_fit(x, y, w1, b, ax=left, title=f"MSE L = {L:.1f}  (RMSE √L = {np.sqrt(L):.1f} min)")
    plots.plot_contour(w1_values, b_values, losses, ax=right, mark={"your (w1, b)": (w1, b)}, mark_color="red",
                       above_minimum=True)
    right.get_legend().remove()   # a legend could hide the ✕ (it reaches every corner); the title names it instead
    right.set_title("the red ✕ is your (w1, b)")
    return fig, f"w1 = {w1:.2f}, b = {b:.2f} → L = {L:.1f}"


def manual_fit_widget(x, y):
    """Sliders for w1 and b over the lecture's brute-force grid: see the line, residuals, MSE and contour point.

    Taught in notebook 01."""
    from ipywidgets import FloatSlider

    x, y = as_1d("x", x), as_1d("y", y)
    w1_values, b_values = np.linspace(0, 3, 100), np.linspace(0, 20, 300)
    losses = models.loss_grid(x, y, w1_values, b_values)  # computed once, not at every slider move
    return slider_app(
        lambda w1, b: manual_fit_view(x, y, w1, b, w1_values, b_values, losses),
        w1=FloatSlider(value=1.0, min=0.0, max=3.0, step=0.01, description="w1"),
        b=FloatSlider(value=15.0, min=0.0, max=20.0, step=0.1, description="b"))


def descent_view(x, y, lr=1e-4, steps=100, w1_start=1.0, b_start=15.0, standardize=False,
                 w1_values=None, b_values=None, losses=None):
    """One gradient-descent run (raw or standardised slides) on the contour map and as a loss curve, with a message.

    Taught in notebook 02."""
    x, y = as_1d("x", x, min_len=2), as_1d("y", y)
    same_length("x", x, "y", y)
    steps = number("steps (number of updates)", steps, low=0, high=100_000, integer=True)
    w1_start, b_start = number("w1_start", w1_start), number("b_start", b_start)
    standardize = flag("standardize", standardize)
    if losses is None:
        w1_values = np.linspace(0, 3, 100) if w1_values is None else as_1d("w1_values", w1_values)
        b_values = np.linspace(0, 20, 300) if b_values is None else as_1d("b_values", b_values)
        losses = models.loss_grid(x, y, w1_values, b_values)
    run = train.standardized_descent if standardize else train.gradient_descent
    history = run(x, y, w1_start, b_start, lr, steps)
    w1_star, b_star = models.fit_linear(x, y)
    L_star = models.mse(w1_star * x + b_star, y)
    # The learning rate explodes past 2/λmax, λmax = the largest curvature of the loss (Hessian eigenvalue).
    z = (x - x.mean()) / x.std() if standardize else x
    lam_max = np.linalg.eigvalsh(2 * np.array([[np.mean(z * z), np.mean(z)], [np.mean(z), 1.0]]))[-1]
    feature = "standardised slides" if standardize else "raw slides"
    label = f"η = {history['lr']:.2g} ({feature})"
    fig = plots.plot_descent(w1_values, b_values, losses, {label: history}, optimum=(w1_star, b_star, L_star),
                             title=f"gradient descent from (w1, b) = ({w1_start:.2f}, {b_start:.2f})")
    message = (f"{train.describe_run(history)}\n"
               f"optimum: L* = {L_star:.1f} at w1 = {w1_star:.3f}, b = {b_star:.3f}; "
               f"on {feature} η explodes above 2/λmax = {2 / lam_max:.2g}")
    return fig, message


def descent_widget(x, y):
    """Sliders for η (log scale), the number of updates, the start (w1⁰, b⁰) and standardising: watch the descent.

    Taught in notebook 02."""
    from ipywidgets import Checkbox, FloatLogSlider, FloatSlider, IntSlider

    x, y = as_1d("x", x, min_len=2), as_1d("y", y)
    w1_values, b_values = np.linspace(0, 3, 100), np.linspace(0, 20, 300)
    losses = models.loss_grid(x, y, w1_values, b_values)  # computed once, not at every slider move
    return slider_app(
        lambda lr, steps, w1_start, b_start, standardize: descent_view(
            x, y, lr, steps, w1_start, b_start, standardize, w1_values, b_values, losses),
        lr=FloatLogSlider(value=1e-4, base=10, min=-6, max=0, step=0.1, description="η"),
        steps=IntSlider(value=100, min=10, max=10_000, step=10, description="updates"),
        w1_start=FloatSlider(value=1.0, min=0.0, max=3.0, step=0.05, description="w1⁰"),
        b_start=FloatSlider(value=15.0, min=0.0, max=20.0, step=0.5, description="b⁰"),
        standardize=Checkbox(value=False, description="standardise x1"))


def _grid_around(start, stop, n=80):
    """n values covering start and stop with a margin on both sides (for a contour map that shows a whole path)."""
    lo, hi = min(start, stop), max(start, stop)
    margin = 0.6 * max(hi - lo, 1.0)
    return np.linspace(lo - margin, hi + margin, n)


def batch_view(x, y, batch_size=5, shuffle=True, lr=0.1, epochs=20, w1=0.0, b=0.0, seed=0,
               w1_values=None, b_values=None, losses=None):
    """One mini-batch run (batch size, shuffle on/off, η): its path on the contour map, loss per epoch and per update.

    Taught in notebook 03."""
    x, y = as_1d("x", x, min_len=2), as_1d("y", y)
    same_length("x", x, "y", y)
    shuffle = flag("shuffle", shuffle)
    history = train.minibatch_descent(x, y, w1, b, lr, batch_size, epochs, shuffle, seed)
    w1_star, b_star = models.fit_linear(x, y)
    L_star = models.mse(w1_star * x + b_star, y)
    if losses is None:
        w1_values = _grid_around(w1, w1_star) if w1_values is None else as_1d("w1_values", w1_values)
        b_values = _grid_around(b, b_star) if b_values is None else as_1d("b_values", b_values)
        losses = models.loss_grid(x, y, w1_values, b_values)
    B, u = history["batch_size"], history["updates_per_epoch"]
    label = f"B = {B}, η = {history['lr']:.3g}, shuffle {'on' if shuffle else 'off'}"
    fig = plots.plot_batch_runs(w1_values, b_values, losses, {label: history}, optimum=(w1_star, b_star, L_star),
                                title=f"N = {len(x)} examples, batch size B = {B}: updates per epoch = {u}")
    message = (f"{train.describe_run(history)}\n"
               f"B = {B} → updates per epoch: {u}, {u * epochs} in {epochs} epochs; shuffle {'on' if shuffle else 'off'}; "
               f"the optimum: L* = {L_star:.1f}")
    return fig, message


def batch_widget(x, y, w1=0.0, b=0.0, epochs=20, seed=0, w1_values=None, b_values=None):
    """Sliders for the batch size, shuffle on/off and η (log scale): watch mini-batch descent for `epochs` epochs.

    Taught in notebook 03."""
    from ipywidgets import Checkbox, FloatLogSlider, IntSlider

    x, y = as_1d("x", x, min_len=2), as_1d("y", y)
    same_length("x", x, "y", y)
    w1_star, b_star = models.fit_linear(x, y)
    w1_values = _grid_around(w1, w1_star) if w1_values is None else as_1d("w1_values", w1_values)
    b_values = _grid_around(b, b_star) if b_values is None else as_1d("b_values", b_values)
    losses = models.loss_grid(x, y, w1_values, b_values)  # computed once, not at every slider move
    return slider_app(
        lambda batch_size, shuffle, lr: batch_view(x, y, batch_size, shuffle, lr, epochs, w1, b, seed,
                                                   w1_values, b_values, losses),
        batch_size=IntSlider(value=5, min=1, max=len(x), step=1, description="batch size B"),
        shuffle=Checkbox(value=True, description="shuffle every epoch"),
        lr=FloatLogSlider(value=0.1, base=10, min=-3, max=0, step=0.1, description="η"))


def target_curve(x) -> np.ndarray:
    """The smooth, wiggly curve that relu_pieces_view builds out of pieces (any curve would do).

    Used inside utils by relu_pieces_view (notebook 04)."""
    x = as_1d("x", x)
    return 40 + 0.4 * x + 15 * np.sin(x / 9)


def relu_pieces_view(H=3, show_pieces=True):
    """Build target_curve on [0, 100] from b + H pieces c_i·max(0, w_i·x1 + b_i) (even knots); report the largest gap.

    Taught in notebook 04."""
    H = number("H (number of pieces)", H, low=1, high=100, integer=True)
    show_pieces = flag("show_pieces", show_pieces)
    x = np.linspace(0, 100, 501)                          # (501,)
    knots = np.linspace(0, 100, H + 1)                    # (H + 1,) the curve is exact here
    c, w, b_i, b = models.interpolating_pieces(knots, target_curve(knots))
    total = models.relu_pieces(x, c, w, b_i, b)           # (501,)
    gap = float(np.max(np.abs(total - target_curve(x))))
    pieces = c[:, None] * np.maximum(0.0, w[:, None] * x + b_i[:, None]) if show_pieces else None  # (H, 501)
    pieces_word = "piece" if H == 1 else "pieces"
    fig = plots.plot_pieces(x, total, pieces, constant=b, target=target_curve(x),
                            title=f"H = {H} {pieces_word}: largest gap to the curve {gap:.1f}")
    return fig, (f"H = {H} {pieces_word} (+ the constant b = {b:.1f}): "
                 f"largest gap between the curve and b + Σ pieces = {gap:.2f}")


def relu_pieces_widget():
    """A slider for H (the number of pieces) and a switch to show the pieces themselves.

    Taught in notebook 04."""
    from ipywidgets import Checkbox, IntSlider

    return slider_app(relu_pieces_view,
                      H=IntSlider(value=3, min=1, max=40, step=1, description="H pieces"),
                      show_pieces=Checkbox(value=True, description="show the pieces"))


# optimiser, learning rate, standardize the input?  (the set-ups notebook 04 compares: the lecture's plain GD with
# η = 1e-4 > 2/λmax on raw slides; the same with η below 2/λmax; and the three remedies, one change at a time)
NETWORK_SETUPS = {
    "plain GD, raw input, lr 1e-4": ("sgd", 1e-4, False),
    "plain GD, raw input, lr 1e-5": ("sgd", 1e-5, False),
    "plain GD, standardised input, lr 5e-3": ("sgd", 5e-3, True),
    "Adam, raw input, lr 1e-2": ("adam", 1e-2, False),
    "Adam, standardised input, lr 1e-2": ("adam", 1e-2, True),
}
TRAIN_VAL_COLORS = ("tab:orange", "tab:green")   # the training course and the 2025 validation lectures, as everywhere
TRAIN_VAL_STYLES = {"training loss": {"color": TRAIN_VAL_COLORS[0]},      # plot_curves(styles=) for the two curves
                    "validation loss": {"color": TRAIN_VAL_COLORS[1]}}


FEATURE_SETS = {"slides": ("slides",), "slides + words": ("slides", "words"),
                "slides + words per slide": ("slides", "words_per_slide")}


def network_training_view(train_rows: dict, val_rows: dict, features="slides",
                          setup="Adam, standardised input, lr 1e-2", seed=0, epochs=1000, hidden=100):
    """Train ReluNet(hidden) on train_rows with one set-up and seed: learning curves, predicted vs true, a message.

    Taught in notebook 04."""
    for name, rows in (("train_rows", train_rows), ("val_rows", val_rows)):
        if not isinstance(rows, dict) or "id" not in rows:
            raise CourseError(f"{name} must be lecture rows from data.select(...), got {type(rows).__name__}")
    choice("features", features, FEATURE_SETS)
    choice("setup", setup, NETWORK_SETUPS)
    seed = number("seed", seed, low=0, integer=True)
    epochs = number("epochs", epochs, low=1, high=3000, integer=True)
    names = FEATURE_SETS[features]
    X, y = data.features(train_rows, names), data.target(train_rows)    # (N, k), (N,)
    Xv, yv = data.features(val_rows, names), data.target(val_rows)      # (M, k), (M,)
    optimizer, lr, standardize = NETWORK_SETUPS[setup]
    start = time.perf_counter()
    model = models.ReluNet(X.shape[1], hidden, x_mean=X.mean(0) if standardize else None,
                           x_std=X.std(0) if standardize else None, seed=seed)
    h = train.fit(model, X, y, loss="mse", optimizer=optimizer, lr=lr, epochs=epochs, shuffle=False,
                  evals={"val": (Xv, yv)})                                # full batch, the examples in order
    seconds = time.perf_counter() - start
    wb = models.fit_linear(X, y)
    lin_train, lin_val = models.mse(X @ wb[:-1] + wb[-1], y), models.mse(Xv @ wb[:-1] + wb[-1], yv)
    linear = f"the linear model on the same features: training {lin_train:.1f}, validation {lin_val:.1f}"
    if h["diverged_at"] is not None:  # keep only the epochs before the explosion
        n = h["diverged_at"] - 1
        text = (f"{setup}, {features}, seed {seed}: diverged at epoch {h['diverged_at']} "
                f"(training loss passed {train.DIVERGED_LOSS:.0e}); the curves are cut off there. {linear}.")
        if n == 0:
            return None, text
        tr, va = h["train_loss"][:n], h["val_loss"][:n]
        fig = plots.plot_curves({"training loss": tr, "validation loss": va}, mark_best="validation loss",
                                styles=TRAIN_VAL_STYLES, title=f"{features}: {setup}, seed {seed} (diverged)")
        return fig, text
    tr, va, best = h["train_loss"], h["val_loss"], h["best_epoch"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    plots.plot_curves({"training loss": tr, "validation loss": va}, mark_best="validation loss", ax=left,
                      styles=TRAIN_VAL_STYLES, title=f"{features}: {setup}, seed {seed}")   # marks epoch `best`
    left.axhline(lin_train, color=TRAIN_VAL_COLORS[0], ls=":", lw=1.5, label=f"linear model, training {lin_train:.0f}")
    left.axhline(lin_val, color=TRAIN_VAL_COLORS[1], ls=":", lw=1.5, label=f"linear model, validation {lin_val:.0f}")
    left.legend(fontsize=8)
    plots.plot_predicted_vs_true({"training lectures": (y, train.predict(model, X)),
                                  "validation lectures": (yv, train.predict(model, Xv))}, ax=right,
                                 title=f"after epoch {len(tr)}")
    for dots, color in zip(right.collections, TRAIN_VAL_COLORS):   # plot_predicted_vs_true colours by its cycle
        dots.set_color(color)
    right.legend(fontsize=8)
    text = (f"{setup}, {features}, seed {seed}: after {len(tr)} epochs training loss {tr[-1]:.1f}, validation "
            f"loss {va[-1]:.1f}; lowest validation loss {va[best - 1]:.1f} at epoch {best} (early stopping); "
            f"{linear}.  [time: {seconds:.1f} s]")
    return fig, text


def network_training_widget(train_rows: dict, val_rows: dict):
    """Pick features, set-up, seed and epochs, then press Train (≈ 1–3 s) to see the learning curves.

    Taught in notebook 04."""
    from ipywidgets import Dropdown, IntSlider

    return button_app(
        lambda features, setup, seed, epochs: network_training_view(train_rows, val_rows, features, setup, seed,
                                                                    epochs),
        per_row=2,
        features=Dropdown(options=list(FEATURE_SETS), value="slides", description="features"),
        setup=Dropdown(options=list(NETWORK_SETUPS), value="Adam, standardised input, lr 1e-2", description="set-up"),
        seed=IntSlider(value=0, min=0, max=9, step=1, description="seed"),
        epochs=IntSlider(value=1000, min=100, max=2000, step=100, description="epochs"))


def logistic_boundary_view(X, labels, w1=1.0, w2=1.0, b=0.0, feature_names=("x1", "x2"), class_names=("0", "1"),
                           readable=False):
    """The logistic model y' = σ(w1·x1 + w2·x2 + b): its decision boundary over the data and every example on the
    sigmoid, with accuracy, cross-entropy and MSE.

    readable=True adds a colour bar for the shading y' and puts both legends where the two classes' data are not
    (lower right of the plane, upper left of the sigmoid; for standardised features where a class-1 example has
    less of both, as notebook 05's digits).

    Taught in notebook 05."""
    w = np.array([number("w1", w1), number("w2", w2)])
    if as_2d("X", X).shape[1] != 2:
        raise CourseError(f"X must have exactly two features (x1, x2), got {as_2d('X', X).shape[1]}")
    X, labels, w, b = models.logistic_inputs(X, labels, w, b)
    z = X @ w + b                                            # (N,) scores
    accuracy = float(np.mean((z > 0) == (labels == 1)))
    ce = models.logistic_loss(X, labels, w, b, "cross_entropy")
    mse = models.logistic_loss(X, labels, w, b, "mse")
    readable = flag("readable", readable)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11.5 if readable else 11, 4.2), layout="constrained")
    plots.plot_logistic_boundary(X, labels, w, b, ax=left, feature_names=feature_names, class_names=class_names,
                                 title=f"w = ({w[0]:.2f}, {w[1]:.2f}), b = {b:.2f}: accuracy {100 * accuracy:.1f} %",
                                 **({"colorbar": True, "legend_loc": "lower right"} if readable else {}))
    plots.plot_sigmoid_scores(z, labels, ax=right, class_names=class_names,
                              title=f"cross-entropy {ce:.3f}, MSE {mse:.3f}",
                              **({"legend_loc": "upper left"} if readable else {}))
    message = (f"w1 = {w[0]:.2f}, w2 = {w[1]:.2f}, b = {b:.2f}: accuracy {100 * accuracy:.1f} %, "
               f"cross-entropy {ce:.3f}, MSE {mse:.3f}")
    if not w.any():
        message += (f"; with w = (0, 0) there is no boundary: every digit gets y' = σ(b) = "
                    f"{float(models.sigmoid(b)):.3f}")
    return fig, message


def logistic_boundary_widget(X, labels, feature_names=("x1", "x2"), class_names=("0", "1"), readable=False):
    """Sliders for w1, w2 and b of the 2-D logistic model: watch the decision boundary and the sigmoid move.
    readable: as in logistic_boundary_view.

    Taught in notebook 05."""
    from ipywidgets import FloatSlider

    readable = flag("readable", readable)
    return slider_app(
        lambda w1, w2, b: logistic_boundary_view(X, labels, w1, w2, b, feature_names, class_names, readable),
        w1=FloatSlider(value=1.0, min=-8.0, max=8.0, step=0.1, description="w1"),
        w2=FloatSlider(value=1.0, min=-8.0, max=8.0, step=0.1, description="w2"),
        b=FloatSlider(value=0.0, min=-5.0, max=5.0, step=0.1, description="b"))


def neuron_view(w=2.0, b=2.0, x=1.0, y=0):
    """One sigmoid output neuron a = σ(w·x + b) with target y: σ, σ′ and the output error δ of both costs at this z.

    Taught in notebook 06."""
    w, b = number("w", w), number("b", b)
    x = number("x (the input)", x)
    if y not in (0, 1) or isinstance(y, bool):
        raise CourseError(f"y (the target) must be 0 or 1, got {y!r}")
    z = w * x + b
    a, sp = float(models.sigmoid(z)), float(models.sigmoid_prime(z))
    d_quad, d_xent = (a - y) * sp, a - y
    fig = plots.plot_output_neuron(np.linspace(-10, 10, 401), int(y), z)

    def signed(v):   # 4 decimals with a sign, and no "−0.0000" for a value that rounds to zero
        return f"{round(v, 4) + 0.0:+.4f}"

    message = (f"z = w·x + b = {w:.2f}·{x:.2f} {'+' if b >= 0 else '−'} {abs(b):.2f} = {z:.2f};  "
               f"a = σ(z) = {a:.4f},  σ′(z) = {sp:.4f};  target y = {y}\n"
               f"quadratic:     δ = (a − y)·σ′(z) = {signed(d_quad)}  →  ∂C/∂w = x·δ = {signed(x * d_quad)},  ∂C/∂b = δ\n"
               f"cross-entropy: δ = a − y        = {signed(d_xent)}  →  ∂C/∂w = x·δ = {signed(x * d_xent)},  ∂C/∂b = δ")
    return fig, message


def neuron_widget():
    """Sliders for one output neuron's weight w, bias b and input x, and its target y: watch δ under both costs.

    Taught in notebook 06."""
    from ipywidgets import Dropdown, FloatSlider

    return slider_app(neuron_view,
                      w=FloatSlider(value=2.0, min=-5.0, max=5.0, step=0.1, description="weight w"),
                      b=FloatSlider(value=2.0, min=-5.0, max=5.0, step=0.1, description="bias b"),
                      x=FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05, description="input x"),
                      y=Dropdown(options=[0, 1], value=0, description="target y"))


def saddle_slice_view(x, y, theta, u, v, t=0.5, span=2.0, n=41):
    """The loss of tiny_net around θ on the plane θ + a·u + b·v, a step t along u marked, and the loss along u alone.

    Taught in notebook 07."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    theta = models.tiny_theta(theta).detach().numpy()
    if theta.ndim != 1:
        raise CourseError(f"theta must be one parameter vector (P,), got shape {theta.shape}")
    u, v = as_1d("u", u), as_1d("v", v)
    for name, d in (("u", u), ("v", v)):
        if d.shape != theta.shape or np.linalg.norm(d) == 0:
            raise CourseError(f"{name} must be a non-zero direction with one entry per parameter ({len(theta)})")
    u, v = u / np.linalg.norm(u), v / np.linalg.norm(v)
    if abs(u @ v) > 0.99:
        raise CourseError("u and v point (almost) the same way: pick two different directions, e.g. two eigenvectors")
    t = number("t (step along u)", t, low=-10, high=10)
    span = number("span", span, low=0, high=10, low_open=True)
    n = number("n (grid points per side)", n, low=5, high=301, integer=True)
    half = max(span, 1.05 * abs(t))                       # the grid always shows the step
    a_values = b_values = np.linspace(-half, half, n)     # (n,)
    A, B = np.meshgrid(a_values, b_values)                # (n, n) each
    thetas = theta + A.reshape(-1, 1) * u + B.reshape(-1, 1) * v            # (n·n, P)
    losses = models.tiny_net_gradient(thetas, x, y)[0].reshape(n, n)        # (n, n)
    ts = np.linspace(-half, half, 201)                                      # (201,)
    profile = models.tiny_net_gradient(theta + ts[:, None] * u, x, y)[0]    # (201,)
    L_t = float(models.tiny_net_gradient(theta + t * u, x, y)[0])
    L0, g = models.tiny_net_gradient(theta, x, y)
    lam = float(u @ analysis.tiny_net_hessian(theta, x, y) @ u)    # curvature along u: uᵀHu
    quadratic = L0 + ts * (g @ u) + 0.5 * lam * ts ** 2   # L(θ) + t·gᵀu + ½·t²·uᵀHu
    L_q = L0 + t * (g @ u) + 0.5 * lam * t ** 2
    fig = plots.plot_loss_slice(a_values, b_values, losses, ts, profile, quadratic, t=t, level=L0,
                                title=f"loss around θ (L = {L0:.4f}, |gradient| {_gradient_size(g)}, "
                                      f"curvature along u: {lam:.3g})")
    return fig, (f"step t = {t:+.2f} along u: loss {L_t:.4f} (at θ: {L0:.4f}, change {L_t - L0:+.4f}); "
                 f"the quadratic model predicts a change of {L_q - L0:+.4f}")


def _gradient_size(g) -> str:
    """'= 3.2e-04', or '< 1e-12' where the length is rounding noise (a critical point computed in float64)."""
    norm = float(np.linalg.norm(g))
    return "< 1e-12" if norm < 1e-12 else f"= {norm:.1e}"


def saddle_slice_widget(x, y, points: dict):
    """A slider for the step t along u, a choice of point and a zoom: points is a dict name → (θ, u, v).

    Taught in notebook 07."""
    from ipywidgets import Dropdown, FloatLogSlider, FloatSlider

    non_empty_dict("points", points, "name → (theta, u, v)")
    for name, point in points.items():
        if not isinstance(point, (tuple, list)) or len(point) != 3:
            raise CourseError(f"points[{name!r}] must be a tuple (theta, u, v)")
    return slider_app(
        lambda t, point, span: saddle_slice_view(x, y, *points[point], t=t, span=span),
        t=FloatSlider(value=0.5, min=-2.0, max=2.0, step=0.05, description="step t"),
        point=Dropdown(options=list(points), value=next(iter(points)), description="point"),
        span=FloatLogSlider(value=2.0, base=10, min=-2, max=0.5, step=0.1, description="zoom ±"))


OPTIMIZER_NAMES = {"gd": "gradient descent", "momentum": "momentum", "adagrad": "Adagrad", "rmsprop": "RMSProp",
                   "adam": "Adam"}
CANYON_LOCAL_MIN = (-2.1287, 0.0)   # the local minimum in front of the second ridge (tests/test_08_optimizers.py)


def canyon_grid(n1: int = 260, n2: int = 160):
    """(w1_values, w2_values, losses) of the rugged canyon on the map that notebook 08 draws.

    Taught in notebook 08."""
    n1 = number("n1", n1, low=2, high=2000, integer=True)
    n2 = number("n2", n2, low=2, high=2000, integer=True)
    w1_values, w2_values = np.linspace(-5.0, 1.0, n1), np.linspace(-2.2, 2.2, n2)
    return w1_values, w2_values, models.canyon_loss(w1_values[None, :], w2_values[:, None])   # (n2, n1)


def describe_path(path, loss, diverged_at=None, floor: float = 1e-10) -> str:
    """Where a path on the rugged canyon ended: the global minimum, the local one, flown off, or still on its way.

    A last loss below `floor` is written as the bound "L < 1e-10": at the global minimum the claim is that the loss
    got there, not its last digits (which depend on the CPU). Taught in notebook 08."""
    path = as_array("path", path, "an array (T+1, 2) of points (w1, w2)")
    loss = as_1d("loss", loss)
    if path.ndim != 2 or path.shape[1] != 2 or len(path) != len(loss):
        raise CourseError("path must have shape (T+1, 2), with one loss per point")
    floor = number("floor", floor, low=0, low_open=True)
    last = f"L < {floor:g}" if loss[-1] < floor else f"L = {loss[-1]:.3g}"
    end = f"(w1, w2) = ({path[-1, 0]:.2f}, {path[-1, 1]:.2f}), {last}"
    if diverged_at is not None:
        return f"flew off at step {diverged_at} (|w| passed 10⁶); last point {end}"
    hits = np.flatnonzero(loss < 1e-3)
    if loss[-1] < 1e-3:
        return f"reached the global minimum: L < 0.001 from step {hits[0]}; ends at {end}"
    if np.hypot(path[-1, 0] - CANYON_LOCAL_MIN[0], path[-1, 1] - CANYON_LOCAL_MIN[1]) < 0.1:
        return f"stuck in the local minimum in front of the ridge: ends at {end}"
    return f"still on its way (or wandering): ends at {end}"


def optimizer_view(lr=0.1, beta=0.9, optimizer="adam", schedule="constant", steps=300, grid=None):
    """One optimiser's path over the rugged canyon from models.CANYON_START, its loss and η per step, and a message.

    Taught in notebook 08."""
    steps = number("steps", steps, low=1, high=100_000, integer=True)
    w1_values, w2_values, losses = canyon_grid() if grid is None else grid
    run = train.descend(models.canyon_grad, models.CANYON_START, optimizer=optimizer, lr=lr, steps=steps,
                        beta=beta, schedule=schedule)
    path = run["path"]                                              # (T+1, 2)
    loss = models.canyon_loss(path[:, 0], path[:, 1])               # (T+1,)
    name = OPTIMIZER_NAMES[optimizer]
    uses_beta = optimizer in ("momentum", "adam")
    label = f"{name}, η = {lr:.3g}" + (f", β = {beta:.2f}" if uses_beta else "") + f", {schedule}"
    fig = plots.plot_trajectories(w1_values, w2_values, losses, {label: (path, loss)},
                                  marks={"global minimum": (0.0, 0.0), "local minimum": CANYON_LOCAL_MIN},
                                  lrs={label: run["lr"]}, title=f"{name} on the rugged canyon, {steps} steps")
    first = f"first step {np.hypot(*(path[1] - path[0])):.3f} long" if len(path) > 1 else "flew off at the first step"
    message = (f"{label}: {describe_path(path, loss, run['diverged_at'])}\n{first}"
               + ("" if uses_beta else f"; β is not used by {name}"))
    return fig, message


def optimizer_widget():
    """Sliders for η (log scale) and β, the optimiser and the learning-rate schedule: a path over the rugged canyon.

    Taught in notebook 08."""
    from ipywidgets import Dropdown, FloatLogSlider, FloatSlider

    grid = canyon_grid()   # computed once, not at every slider move
    return slider_app(
        lambda lr, beta, optimizer, schedule: optimizer_view(lr, beta, optimizer, schedule, 300, grid),
        lr=FloatLogSlider(value=0.1, base=10, min=-3, max=0.5, step=0.05, description="η"),
        beta=FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01, description="β (momentum)"),
        optimizer=Dropdown(options=[(label, key) for key, label in OPTIMIZER_NAMES.items()], value="adam",
                           description="optimiser"),
        schedule=Dropdown(options=list(train.SCHEDULES), value="constant", description="schedule"))


def confusion_pair_view(images, labels, predicted, true_class=4, predicted_class=9, n_show=16, digits_name="test"):
    """How the digits of one true class were classified (a row of the confusion matrix), and those predicted as one
    class; digits_name: what the digits are called in the labels and the message (e.g. "validation").

    Taught in notebook 09."""
    images, labels = as_digit_images("images", images), as_labels("labels", labels)
    same_length("images", images, "labels", labels)
    predicted = as_labels("predicted", predicted, 10)
    same_length("labels", labels, "predicted", predicted)
    true_class = number("true_class", true_class, low=0, high=9, integer=True)
    predicted_class = number("predicted_class", predicted_class, low=0, high=9, integer=True)
    n_show = number("n_show (digits shown, two rows of 8)", n_show, low=1, high=16, integer=True)
    if not isinstance(digits_name, str) or not digits_name.strip():
        raise CourseError(f"digits_name must be a text naming the digits, e.g. 'validation'; got {digits_name!r}")
    row = analysis.confusion_matrix(labels, predicted)[true_class]                     # (10,)
    chosen = np.flatnonzero((labels == true_class) & (predicted == predicted_class))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained", width_ratios=(1, 1.4))
    colors = ["tab:blue" if c == true_class else "tab:red" if c == predicted_class else "0.6" for c in range(10)]
    left.bar(range(10), row, color=colors)
    left.set_xticks(range(10))
    left.set(xlabel="predicted digit", ylabel=f"{digits_name} digits",
             title=f"the {row.sum()} {digits_name} digits labelled {true_class}")
    for c in np.flatnonzero(row):
        left.text(c, row[c], str(row[c]), ha="center", va="bottom", fontsize=8)
    left.set_ylim(0, max(row.max(), 1) * 1.15)
    size, per_row = 30, 8                                      # one mosaic: 28 × 28 digits with a 2-pixel gap
    mosaic = np.zeros((2 * size - 2, per_row * size - 2))
    for k in range(2 * per_row):                              # faint empty slots, so that "3 of 16" is visible
        r, c = divmod(k, per_row)
        mosaic[r * size:r * size + 28, c * size:c * size + 28] = 0.04
    for k, i in enumerate(chosen[:n_show]):
        r, c = divmod(k, per_row)
        mosaic[r * size:r * size + 28, c * size:c * size + 28] = images[i]
    right.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    right.axis("off")
    verdict = "classified correctly" if true_class == predicted_class else f"predicted as {predicted_class}"
    right.set_title(f"labelled {true_class}, {verdict}: {len(chosen)}" + ("" if len(chosen) else " (none)"))
    share = len(chosen) / max(row.sum(), 1)
    message = f"{len(chosen)} of the {row.sum()} {digits_name} digits labelled {true_class} were {verdict} ({100 * share:.1f} %)"
    return fig, message


def confusion_pair_widget(images, labels, predicted, digits_name="test"):
    """Sliders for a true digit and a predicted digit: the confusion-matrix row and the digits in that cell.

    Taught in notebook 09."""
    from ipywidgets import IntSlider

    return slider_app(
        lambda true_class, predicted_class: confusion_pair_view(images, labels, predicted, true_class, predicted_class,
                                                                 digits_name=digits_name),
        true_class=IntSlider(value=4, min=0, max=9, step=1, description="true digit"),
        predicted_class=IntSlider(value=9, min=0, max=9, step=1, description="predicted"))


MLP_LOSSES = {"cross-entropy (softmax)": "cross_entropy", "quadratic (sigmoid outputs)": "mse_sigmoid"}
MLP_STARTS = {"PyTorch's default": "default", "Nielsen's: N(0, 1/n_in), biases N(0, 1)": "nielsen"}


def mlp_training_view(X, y, X_test, y_test, hidden=30, depth=1, loss="cross_entropy", lr=0.5, epochs=5, seed=0,
                      start="default", eval_name="test"):
    """Train a sigmoid MLP [784, hidden × depth, 10] with mini-batches of 10: its training and test accuracy per epoch.

    start: "default" (PyTorch's) or "nielsen" (weights N(0, 1/n_in), biases N(0, 1)); eval_name: what the message
    and the legend call (X_test, y_test), e.g. "validation". Taught in notebook 09."""
    hidden = number("hidden (neurons per hidden layer)", hidden, low=1, high=1000, integer=True)
    depth = number("depth (hidden layers)", depth, low=0, high=10, integer=True)
    choice("loss", loss, MLP_LOSSES.values())
    epochs = number("epochs", epochs, low=1, high=50, integer=True)
    seed = number("seed", seed, low=0, integer=True)
    choice("start", start, MLP_STARTS.values())
    if not isinstance(eval_name, str) or not eval_name.strip():
        raise CourseError(f"eval_name must be a text naming the scored digits, e.g. 'validation'; got {eval_name!r}")
    sizes = [784] + [hidden] * depth + [10]
    t0 = time.perf_counter()
    model = models.MLP(sizes, "sigmoid", seed=seed)
    if start == "nielsen":
        models.init_weights_(model, "scaled", seed=seed, bias_std=1.0)
    h = train.fit(model, X, y, loss=loss, optimizer="sgd", lr=lr, epochs=epochs, batch_size=10, seed=seed,
                  evals={"test": (X_test, y_test)})
    seconds = time.perf_counter() - t0
    name = {v: k for k, v in MLP_LOSSES.items()}[loss]
    label = f"{sizes}, {name.split(' ')[0]}, η = {lr:.3g}" + (", Nielsen's start" if start == "nielsen" else "")
    fig = plots.plot_curves({label: (h["train_acc"], h["test_acc"])}, ylabel="accuracy (%)", logy=False,
                            percent=True, title=f"{label}, seed {seed}", pair_names=("training", eval_name))
    lowest = min(h["train_acc"].min(), h["test_acc"].min())
    fig.axes[0].set_ylim(max(0.0, 100 * lowest - 5), 100)      # the same top for every click, so runs compare
    stop = f"diverged at epoch {h['diverged_at']}; " if h["diverged_at"] is not None else ""
    message = (f"{label}: {stop}after {len(h['test_acc'])} epochs training accuracy {100 * h['train_acc'][-1]:.1f} %, "
               f"{eval_name} accuracy {100 * h['test_acc'][-1]:.1f} % (best {100 * h['test_acc'].max():.1f} %)  "
               f"[time: {seconds:.1f} s]")
    return fig, message


def mlp_training_widget(X, y, X_test, y_test, eval_name="test"):
    """Pick hidden size, depth, cost, η, epochs and the start, then press Train (≈ 1 s at the defaults) for the
    learning curves; eval_name: what (X_test, y_test) are called, e.g. "validation". Taught in notebook 09."""
    from ipywidgets import Dropdown, FloatLogSlider, IntSlider

    return button_app(
        lambda hidden, depth, loss, lr, epochs, seed, start: mlp_training_view(
            X, y, X_test, y_test, hidden, depth, loss, lr, epochs, seed, start, eval_name),
        busy_message=lambda hidden, depth, epochs, **_: (f"training [784, {', '.join([str(hidden)] * depth + ['10'])}]"
                                                         f" for {epochs} epochs …"),
        per_row=3,
        hidden=IntSlider(value=30, min=1, max=100, step=1, description="hidden size"),
        depth=IntSlider(value=1, min=0, max=4, step=1, description="hidden layers"),
        loss=Dropdown(options=list(MLP_LOSSES.items()), value="cross_entropy", description="cost"),
        lr=FloatLogSlider(value=0.5, base=10, min=-2, max=1, step=0.1, description="η"),
        epochs=IntSlider(value=5, min=1, max=30, step=1, description="epochs"),   # 30: the deep net needs 15+
        seed=IntSlider(value=0, min=0, max=9, step=1, description="seed"),
        start=Dropdown(options=list(MLP_STARTS.items()), value="default", description="start"))


def _check_lambda_results(results):
    keys = ("lambdas", "weights", "train_acc", "test_acc")
    if isinstance(results, dict) and "val_acc" in results and "test_acc" not in results:
        keys = ("lambdas", "weights", "train_acc", "val_acc")         # scored on validation digits instead
    if not isinstance(results, dict) or any(k not in results for k in keys):
        raise CourseError(f"results must be a dict with the keys {list(keys)} (precomputed in notebook 10)")
    lambdas = as_1d("results['lambdas']", results["lambdas"])
    if len(results["weights"]) != len(lambdas) or np.shape(results["train_acc"])[0] != len(lambdas):
        raise CourseError("results must hold one weight array and one row of accuracies per λ in results['lambdas']")
    return lambdas


def lambda_view(results: dict, index: int = 0):
    """A precomputed λ: its first-layer weight histogram beside λ = 0's, and training/test (or validation) accuracy.

    Taught in notebook 10."""
    lambdas = _check_lambda_results(results)
    index = number("index (position in the λ grid)", index, low=0, high=len(lambdas) - 1, integer=True)
    lam = lambdas[index]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    w0, w = as_1d("weights", results["weights"][0]), as_1d("weights", results["weights"][index])
    top = max(float(np.abs(w0).max()), float(np.abs(w).max()))
    hists = {"λ = 0": w0} if index == 0 else {"λ = 0": w0, f"λ = {lam:g}": w}
    plots.plot_weight_histograms(hists, bins=np.linspace(-top, top, 61), ax=left,
                                 title=f"first-layer weights after training, λ = {lam:g}")
    other = "test" if "test_acc" in results else "val"                # which digits the second accuracy is on
    other_name = {"test": "test", "val": "validation"}[other]
    train_acc, test_acc = np.asarray(results["train_acc"], float), np.asarray(results[f"{other}_acc"], float)
    plots.plot_accuracy_gap([f"{v:g}" for v in lambdas], train_acc, test_acc, current=f"{lam:g}", ax=right,
                            title="accuracy after training against λ", names=("training", other_name))
    right.set_xlabel("λ (L2)")
    gap = 100 * (train_acc[index] - test_acc[index])                  # (seeds,) points
    spread = gap.std(ddof=1) if len(gap) > 1 else 0.0
    message = (f"λ = {lam:g} (SGD weight_decay λ/n): training {100 * train_acc[index].mean():.1f} %, "
               f"{other_name} {100 * test_acc[index].mean():.1f} %, gap {gap.mean():.1f} ± {spread:.1f} "
               f"points over {len(gap)} seeds; mean |w| = {np.abs(w).mean():.4f} (λ = 0: {np.abs(w0).mean():.4f})")
    return fig, message


def lambda_widget(results: dict):
    """Slide through the precomputed λ grid: weight histogram and the training–test gap (no training on a move).

    Taught in notebook 10."""
    from ipywidgets import IntSlider

    lambdas = _check_lambda_results(results)
    return slider_app(lambda index: lambda_view(results, index),
                      index=IntSlider(value=0, min=0, max=len(lambdas) - 1, step=1, description="λ step"))


INIT_ACTIVATIONS = ("sigmoid", "tanh", "relu")
SATURATED_BELOW = 0.01   # a sigmoid or tanh neuron counts as saturated where its slope σ′(z) (or tanh′) is below this


def init_view(X, y, scale=1.0, depth=5, activation="sigmoid", width=64, seed=0):
    """Weights from N(0, scale²/n_in) in `depth` hidden layers: each layer's activations and errors δ = ∂C/∂z on X,
    as histograms.

    Taught in notebook 11."""
    scale = number("scale (the weights' std × √n_in)", scale, low=0, low_open=True)
    depth = number("depth (hidden layers)", depth, low=1, high=20, integer=True)
    choice("activation", activation, INIT_ACTIVATIONS)
    width = number("width (neurons per hidden layer)", width, low=1, high=1024, integer=True)
    X = as_2d("X", X, keep_float=True)
    if len(X) > 2000:
        raise CourseError(f"X holds {len(X)} digits; give at most 2,000 so that the view follows the slider")
    model = models.MLP([X.shape[1]] + [width] * depth + [10], activation, seed=seed)
    models.init_weights_(model, "scaled", seed=seed, scale=scale)        # redraws every weight and bias
    stats = analysis.layer_statistics(model, X, y)
    acts, deltas = stats["a"], stats["delta"][:-1]     # hidden layers only
    names = [f"hidden {i + 1}" for i in range(depth)]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), layout="constrained")
    if activation == "relu":
        zero = [float(np.mean(a == 0)) for a in acts]
        plots.plot_layer_histograms([np.log10(a[a > 0]) for a in acts], ax=left, xlabel="log₁₀ a  (a > 0 only)",
                                    layer_names=names, title="activations a = max(0, z) per layer")
        state_text = f"a = 0 (inactive): {zero[0]:.0%} → {zero[-1]:.0%}"
    else:
        lo, hi = (0.0, 1.0) if activation == "sigmoid" else (-1.0, 1.0)
        slope = [a * (1 - a) if activation == "sigmoid" else 1 - a ** 2 for a in acts]   # σ′ = a(1 − a), tanh′ = 1 − a²
        saturated = [float(np.mean(s < SATURATED_BELOW)) for s in slope]
        edge = 0.0101 if activation == "sigmoid" else 0.995                      # where the slope drops below 0.01
        shade = [(lo, lo + edge), (hi - edge, hi)] if activation == "sigmoid" else [(lo, -edge), (edge, hi)]
        plots.plot_layer_histograms(acts, ax=left, value_range=(lo, hi), xlabel=f"a = {activation}(z)", shade=shade,
                                    layer_names=names, title=f"activations per layer (grey: saturated, slope < {SATURATED_BELOW})")
        state_text = f"saturated (slope < {SATURATED_BELOW}): {saturated[0]:.0%} → {saturated[-1]:.0%}"
    nonzero = [np.abs(d[d != 0]) for d in deltas]
    plots.plot_layer_histograms([np.log10(d) for d in nonzero], ax=right, xlabel="log₁₀ |δ| = log₁₀ |∂C/∂z| per example",
                                layer_names=names, title="errors δ per layer (backpropagated from the output)")
    g = stats["grad_b_norm"][:-1]                      # ‖∂C/∂b‖ of each hidden layer
    stds = [float(a.std()) for a in acts]
    fig.suptitle(f"{depth} hidden {activation} layers of {width}, weights N(0, {scale:.3g}²/n_in), {len(X)} digits")
    if g[-1] == 0 or g[0] == 0:
        grad_text = "no gradient reaches hidden layer 1 (every δ there is exactly 0)"
    else:
        grad_text = f"‖∂C/∂b‖ of hidden layer 1 / hidden layer {depth} = {g[0] / g[-1]:.3g}"
    message = (f"{activation}, {depth} hidden layers of {width}, weights N(0, {scale:.3g}²/n_in): "
               f"activation std {stds[0]:.3g} → {stds[-1]:.3g} (first → last hidden layer); {state_text}\n{grad_text}")
    return fig, message


def init_widget(X, y):
    """Sliders for the initial weights' scale (std = scale/√n_in) and the depth, and a choice of activation.

    Taught in notebook 11."""
    from ipywidgets import Dropdown, FloatLogSlider, IntSlider

    return slider_app(
        lambda scale, depth, activation: init_view(X, y, scale, depth, activation),
        scale=FloatLogSlider(value=1.0, base=10, min=-1, max=1, step=0.05, description="scale"),
        depth=IntSlider(value=5, min=1, max=10, step=1, description="depth"),
        activation=Dropdown(options=list(INIT_ACTIVATIONS), value="sigmoid", description="activation"))


def convolution_view(images, index=0, filter="vertical edge", stride=1, pool=1):
    """One digit, one hand-made 5×5 filter, its feature map at this stride and (pool > 1) the map after ReLU and max
    pooling.

    Taught in notebook 12."""
    imgs = as_digit_images("images", images)            # (N, 28, 28)
    index = number("index (which digit)", index, low=0, high=len(imgs) - 1, integer=True)
    kernels = models.edge_filters()
    choice("filter", filter, kernels)
    stride = number("stride", stride, low=1, high=24, integer=True)
    pool = number("pool (pooling size)", pool, low=1, high=24, integer=True)
    image, kernel = imgs[index], kernels[filter]
    z = F.conv2d(torch.as_tensor(image)[None, None], torch.as_tensor(kernel)[None, None], stride=stride)[0, 0]
    side = z.shape[-1]                                  # (28 − 5) // stride + 1
    if pool > side:
        raise CourseError(f"pool ({pool}) is larger than the {side}×{side} feature map; use at most {side}")
    row, col = divmod(int(z.argmax()), side)
    panels = {f"digit {index} (28×28)": image, f"{filter} filter (5×5)": kernel,
              f"feature map ({side}×{side})": z.numpy()}
    message = (f"{filter} filter, stride {stride}: (28 − 5) // {stride} + 1 = {side} → a {side}×{side} feature map; "
               f"strongest response {z.max().item():+.2f} at row {row}, column {col}, weakest {z.min().item():+.2f}")
    if pool > 1:
        pooled = F.max_pool2d(torch.relu(z)[None], pool)[0]
        panels[f"ReLU, {pool}×{pool} max pool ({pooled.shape[0]}×{pooled.shape[1]})"] = pooled.numpy()
        message += f"; ReLU and {pool}×{pool} max pooling keep {pooled.numel()} of its {z.numel()} values"
    return plots.plot_image_grid(panels, title=f"convolution with the {filter} filter\n(filter and maps: red > 0, blue < 0, "
                                               "white = 0, each on its own scale)"), message


def convolution_widget(images, index=0):
    """Pick a digit, a hand-made filter, the stride and the pooling size: watch the feature map change.

    Taught in notebook 12."""
    from ipywidgets import Dropdown, IntSlider

    last = max(0, min(len(images), 100) - 1)          # at most 100 digits: a slider step per digit stays usable
    index = number("index (which digit)", index, low=0, high=last, integer=True)
    return slider_app(
        lambda index, filter, stride, pool: convolution_view(images, index, filter, stride, pool),
        index=IntSlider(value=index, min=0, max=last, step=1, description="digit"),
        filter=Dropdown(options=list(models.edge_filters()), value="vertical edge", description="filter"),
        stride=IntSlider(value=1, min=1, max=4, step=1, description="stride"),
        pool=IntSlider(value=1, min=1, max=4, step=1, description="pool"))
