"""Slider apps. Each *_view function is plain and unit-tested: numbers in, (figure, message) out.
The *_widget functions only wire ipywidgets sliders to a view (API common to ipywidgets 7 and 8)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from . import plots
from .checks import as_1d, number, same_length
from .models import loss_grid


def show(fig, message: str = "") -> None:
    """Print a view's message and display its figure once (then close it so it is not shown twice)."""
    if message:
        print(message)
    if fig is not None:
        from IPython.display import display
        display(fig)
        plt.close(fig)


def slider_app(view, **sliders):
    """Wire sliders to `view(**values) -> (figure, message)`; a bad value prints a clear message, not a traceback."""
    from ipywidgets import interact

    if not callable(view):
        raise TypeError("view must be a function that returns (figure, message)")

    def update(**values):
        try:
            fig, message = view(**values)
        except (ValueError, TypeError) as err:  # e.g. a slider combination the model cannot use
            fig, message = None, f"⚠ {err}"
        show(fig, message)

    return interact(update, **sliders)


# --- notebook 01: choose w1 and b by hand -------------------------------------------------------------

def manual_fit_view(x, y, w1, b, w1_values=None, b_values=None, losses=None):
    """The line for (w1, b) with its residuals and MSE, beside the contour map with your point on it."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    w1, b = number("w1", w1), number("b", b)
    if losses is None:
        w1_values = np.linspace(0, 3, 100) if w1_values is None else as_1d("w1_values", w1_values)
        b_values = np.linspace(0, 20, 300) if b_values is None else as_1d("b_values", b_values)
        losses = loss_grid(x, y, w1_values, b_values)
    L = float(np.mean((w1 * x + b - y) ** 2))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    plots.plot_fit(x, y, w1, b, ax=left, title=f"MSE L = {L:.1f}  (≈ {np.sqrt(L):.1f} min off)")
    plots.plot_contour(w1_values, b_values, losses, ax=right, mark={"your (w1, b)": (w1, b)})
    return fig, f"w1 = {w1:.2f}, b = {b:.2f} → L = {L:.1f}"


def manual_fit_widget(x, y):
    """Sliders for w1 and b over the lecture's brute-force grid: see the line, residuals, MSE and contour point."""
    from ipywidgets import FloatSlider

    x, y = as_1d("x", x), as_1d("y", y)
    w1_values, b_values = np.linspace(0, 3, 100), np.linspace(0, 20, 300)
    losses = loss_grid(x, y, w1_values, b_values)  # computed once, not at every slider move
    return slider_app(
        lambda w1, b: manual_fit_view(x, y, w1, b, w1_values, b_values, losses),
        w1=FloatSlider(value=1.0, min=0.0, max=3.0, step=0.01, description="w1"),
        b=FloatSlider(value=15.0, min=0.0, max=20.0, step=0.1, description="b"))


# --- notebook 02: gradient descent (add this notebook's helpers below this line) ---


# --- notebook 03: batches and epochs (add this notebook's helpers below this line) ---


# --- notebook 04: validation and overfitting (add this notebook's helpers below this line) ---
