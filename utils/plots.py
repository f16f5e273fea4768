"""Plotting helpers: each takes numbers and returns a matplotlib Figure (no training, no state)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .checks import as_1d, as_2d, same_length

COURSE_COLORS = {"ML2021": "tab:blue", "GenAI2024": "tab:orange", "GenAI-ML2025": "tab:green"}


def plot_courses(table: dict, courses=None, ax=None):
    """Scatter slides (x1) against minutes (y), one colour per course; the test lecture is a star."""
    if not isinstance(table, dict) or "course" not in table:
        raise TypeError("table must be the dict that utils.data.load_lectures() returns")
    courses = list(COURSE_COLORS) if courses is None else list(courses)
    unknown = [c for c in courses if c not in COURSE_COLORS]
    if unknown:
        raise ValueError(f"unknown course(s) {unknown}; choose from {list(COURSE_COLORS)}")
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    for course in courses:
        keep = (table["course"] == course) & (table["role"] != "test")
        ax.scatter(table["slides"][keep], table["minutes"][keep], s=28, color=COURSE_COLORS[course],
                   label=f"{course} ({keep.sum()} lectures, simulated)")
    test = table["role"] == "test"
    if test.any() and "GenAI-ML2025" in courses:
        ax.scatter(table["slides"][test], table["minutes"][test], marker="*", s=200, color="black",
                   label="GenAI-ML2025 L05: the test lecture (real)")
    ax.set(xlabel="slides  x1", ylabel="minutes  y")
    ax.legend(fontsize=8)
    return fig


def plot_fit(x, y, w1, b, ax=None, title=None):
    """The data, the line y = w1·x1 + b, and each residual as a vertical segment."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    y_hat = w1 * x + b
    ax.vlines(x, y, y_hat, color="tab:red", alpha=0.6, lw=1, label="residual  y − ŷ")
    ax.scatter(x, y, s=28, color="tab:blue", zorder=3, label="lectures")
    xs = np.linspace(0, max(x.max() * 1.1, 1), 2)
    ax.plot(xs, w1 * xs + b, color="black", label=f"y = {w1:.2f}·x1 + {b:.2f}")
    ax.set(xlabel="slides  x1", ylabel="minutes  y", title=title)
    ax.legend(fontsize=8)
    return fig


def plot_contour(w1_values, b_values, losses, ax=None, mark=None, paths=None, levels=30):
    """Contour map of the loss L(w1, b) (log-spaced levels), with optional marked points and paths.

    mark: dict label → (w1, b); paths: dict label → (w1 array, b array)."""
    w1_values, b_values = as_1d("w1_values", w1_values), as_1d("b_values", b_values)
    losses = as_2d("losses", losses)
    if losses.shape != (len(b_values), len(w1_values)):
        raise ValueError(f"losses must have shape (len(b_values), len(w1_values)) = "
                         f"{(len(b_values), len(w1_values))}, got {losses.shape}")
    fig, ax = _fig_ax(ax, figsize=(6, 4.5))
    lo, hi = max(losses.min(), 1e-9), losses.max()
    cs = ax.contourf(w1_values, b_values, losses, levels=np.geomspace(lo, hi, levels), cmap="viridis_r",
                     norm=plt.matplotlib.colors.LogNorm(lo, hi))
    fig.colorbar(cs, ax=ax, label="loss L (log scale)", format="%.0f")
    for label, (w_path, b_path) in (paths or {}).items():
        ax.plot(w_path, b_path, ".-", ms=3, lw=1.2, label=label)
    for label, (w, b) in (mark or {}).items():
        ax.plot(w, b, "x", ms=10, mew=2.5, label=label)
    ax.set(xlim=(w1_values[0], w1_values[-1]), ylim=(b_values[0], b_values[-1]), xlabel="w1", ylabel="b")
    if mark or paths:
        ax.legend(fontsize=8, loc="upper right")
    return fig


def plot_surface_3d(w1_values, b_values, losses):
    """The loss L(w1, b) as a 3-D surface."""
    w1_values, b_values = as_1d("w1_values", w1_values), as_1d("b_values", b_values)
    losses = as_2d("losses", losses)
    if losses.shape != (len(b_values), len(w1_values)):
        raise ValueError(f"losses must have shape {(len(b_values), len(w1_values))}, got {losses.shape}")
    fig = plt.figure(figsize=(7, 5))
    ax = fig.add_subplot(projection="3d")
    W, B = np.meshgrid(w1_values, b_values)
    ax.plot_surface(W, B, losses, cmap="viridis_r", linewidth=0, antialiased=True)
    ax.set(xlabel="w1", ylabel="b", zlabel="L(w1, b)")
    return fig


def plot_loss_curves(curves: dict, xlabel="update", ax=None, logy=True, title=None):
    """Loss against updates (or epochs) for several runs; curves: dict label → 1-D loss array."""
    if not isinstance(curves, dict) or not curves:
        raise ValueError("curves must be a non-empty dict: label → array of losses")
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    for label, values in curves.items():
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(len(values)), values, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel="loss (MSE)", title=title)
    ax.legend(fontsize=8)
    return fig


def plot_learning_curves(train_loss, val_loss, best_epoch=None, ax=None, title=None):
    """Training and validation loss per epoch, with the early-stopping epoch marked."""
    train_loss, val_loss = as_1d("train_loss", train_loss), as_1d("val_loss", val_loss)
    same_length("train_loss", train_loss, "val_loss", val_loss)
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    epochs = np.arange(1, len(train_loss) + 1)
    ax.plot(epochs, train_loss, label="training loss")
    ax.plot(epochs, val_loss, label="validation loss")
    if best_epoch is not None:
        ax.axvline(best_epoch, color="gray", ls="--",
                   label=f"early stopping: epoch {best_epoch}, validation {val_loss[best_epoch - 1]:.0f}")
    ax.set(xlabel="epoch", ylabel="loss (MSE)", yscale="log", title=title)
    ax.legend(fontsize=8)
    return fig


def _fig_ax(ax, figsize):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        return fig, ax
    return ax.figure, ax


# --- notebook 02: gradient descent (add this notebook's helpers below this line) ---


# --- notebook 03: batches and epochs (add this notebook's helpers below this line) ---


# --- notebook 04: validation and overfitting (add this notebook's helpers below this line) ---
