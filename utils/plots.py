"""Plotting helpers: each takes numbers (no training, no state) and returns a matplotlib Figure.

A helper with an `ax` argument draws into that Axes (and returns its figure), so notebooks can put several plots
side by side; without one it makes a new figure. `plot_curves` is the one plotter of curves against the epoch, the
update or the layer (losses, accuracies, per-layer quantities, one run or many seeds); the others each draw one kind
of picture (contour maps, paths, scatters, histograms, image grids). Every argument is checked: a bad one raises
`utils.checks.CourseError` naming it. Each docstring ends with the notebook that first uses the helper."""
from __future__ import annotations

from collections.abc import Hashable

import itertools

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

from . import models
from .checks import (CourseError, as_1d, as_2d, as_array, as_digit_images, as_grid, as_labels, choice, flag,
                     non_empty_dict, number, same_length)

COURSE_COLORS = {"ML2021": "tab:blue", "GenAI2024": "tab:orange", "GenAI-ML2025": "tab:green"}
CLASS_COLORS = ("tab:blue", "tab:red")   # class 0, class 1 of a two-class picture
DIAGNOSIS_COLORS = {"train": "tab:blue", "val": "tab:green", "heldout": "tab:purple"}
CURVE_X = {"epoch": (1, "epoch"), "update": (0, "update"), "layer": (1, "layer")}   # x of the first point, label
LEGEND_PLACES = ("best", "upper right", "upper left", "lower left", "lower right", "center left", "center right",
                 "lower center", "upper center", "center", "outside", None)


def _fig_ax(ax, figsize):
    """The figure and Axes to draw on: a new figure of `figsize` if ax is None."""
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        return fig, ax
    if not isinstance(ax, plt.Axes):
        raise CourseError(f"ax must be a matplotlib Axes (or None for a new figure), got {type(ax).__name__}")
    return ax.figure, ax


def _curve_values(name: str, values) -> np.ndarray:
    """One curve (1-D) or one curve per run (2-D: runs, points), finite, at least one point."""
    arr = as_array(name, values, "a 1-D array (one curve) or a 2-D array (runs, points)")
    if arr.ndim == 1:
        return as_1d(name, arr)
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise CourseError(f"{name} must be a 1-D array (one curve) or a 2-D array (runs, points), "
                          f"got shape {arr.shape}")
    return as_2d(name, arr)


def plot_courses(table: dict, courses=None, ax=None):
    """Scatter slides (x1) against minutes (y), one colour per course; the test lecture is a star.

    Taught in notebook 01."""
    if not isinstance(table, dict) or "course" not in table:
        raise CourseError("table must be the dict that utils.data.load_lectures() returns")
    courses = list(COURSE_COLORS) if courses is None else list(courses)
    unknown = [c for c in courses if c not in COURSE_COLORS]
    if unknown:
        raise CourseError(f"unknown course(s) {unknown}; choose from {list(COURSE_COLORS)}")
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    for course in courses:
        keep = (table["course"] == course) & (table["role"] != "test")
        ax.scatter(table["slides"][keep], table["minutes"][keep], s=28, color=COURSE_COLORS[course],
                   label=f"{course} ({keep.sum()} lectures, simulated)")
    test = table["role"] == "test"
    if test.any() and "GenAI-ML2025" in courses:
        ax.scatter(table["slides"][test], table["minutes"][test], marker="*", s=200, color="black",
                   label="GenAI-ML2025 L05: the test lecture (real)")
    ax.set(xlabel="slides  x1", ylabel="minutes  ŷ")   # the dots are true minutes: labels ŷ in the lecture's notation
    ax.legend(fontsize=8)
    return fig


def plot_fit(x, y, w1, b, ax=None, title=None):
    """The data, the line y = w1·x1 + b, and each residual as a vertical segment.

    Taught in notebook 01."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    w1, b = number("w1", w1), number("b", b)
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    y_pred = w1 * x + b   # the line's output: y in the lecture's notation; the argument y holds the labels ŷ
    ax.vlines(x, y, y_pred, color="tab:red", alpha=0.6, lw=1, label="residual  y − ŷ")
    ax.scatter(x, y, s=28, color="tab:blue", zorder=3, label="lectures: true minutes ŷ")
    xs = np.linspace(0, max(x.max() * 1.1, 1), 2)
    ax.plot(xs, w1 * xs + b, color="black", label=f"prediction y = {w1:.2f}·x1 + {b:.2f}")
    ax.set(xlabel="slides  x1", ylabel="minutes", title=title)
    ax.legend(fontsize=8)
    return fig


def plot_contour(w1_values, b_values, losses, ax=None, mark=None, paths=None, levels=30, mark_color=None,
                 above_minimum=False):
    """Contour map of the loss L(w1, b) (log-spaced levels), with optional marked points and paths.

    mark: dict label → (w1, b); paths: dict label → (w1 array, b array). mark_color: None draws each mark as an
    × in the next colour of matplotlib's cycle; a colour (e.g. "red") draws every mark as a filled ✕ in it with a
    white edge, visible on both the yellow floor and the dark-purple walls. above_minimum: colour L − min L (how far
    above the grid's lowest loss, log scale from 10⁻⁵ of its largest value) instead of L, so the floor's small
    differences get bands of their own.

    Taught in notebook 01."""
    w1_values, b_values = as_1d("w1_values", w1_values), as_1d("b_values", b_values)
    losses = as_grid("losses", losses, ("b_values", b_values), ("w1_values", w1_values))
    if mark_color is not None and not (isinstance(mark_color, str) and plt.matplotlib.colors.is_color_like(mark_color)):
        raise CourseError(f"mark_color must be a matplotlib colour name such as 'red' (or None for the colour "
                          f"cycle), got {mark_color!r}")
    above_minimum = flag("above_minimum", above_minimum)
    fig, ax = _fig_ax(ax, figsize=(6, 4.5))
    if above_minimum:
        shown = losses - losses.min()
        hi = max(shown.max(), 1e-9)
        lo = 1e-5 * hi
        shown, fmt = np.maximum(shown, lo), "%g"
        ticks = 10.0 ** np.arange(np.ceil(np.log10(lo)), np.floor(np.log10(hi)) + 1)   # 0.1, 1, 10, …
        label = "L − L_min: loss above the grid's lowest (log scale)"
    else:
        shown, label, fmt, ticks = losses, "loss L (log scale)", "%.0f", None
        lo, hi = max(losses.min(), 1e-9), losses.max()
    cs = ax.contourf(w1_values, b_values, shown, levels=np.geomspace(lo, hi, levels), cmap="viridis_r",
                     norm=plt.matplotlib.colors.LogNorm(lo, hi))
    fig.colorbar(cs, ax=ax, label=label, format=fmt, ticks=ticks)
    for label, (w_path, b_path) in (paths or {}).items():
        ax.plot(w_path, b_path, ".-", ms=3, lw=1.2, label=label)
    for label, (w, b) in (mark or {}).items():
        if mark_color is None:
            ax.plot(w, b, "x", ms=10, mew=2.5, label=label)
        else:
            ax.plot(w, b, "X", ms=13, color=mark_color, mec="white", mew=1.5, ls="none", label=label)
    ax.set(xlim=(w1_values[0], w1_values[-1]), ylim=(b_values[0], b_values[-1]), xlabel="w1", ylabel="b")
    if mark or paths:
        ax.legend(fontsize=8, loc="upper right")
    return fig


def plot_surface_3d(w1_values, b_values, losses):
    """The loss L(w1, b) as a 3-D surface.

    Taught in notebook 01."""
    w1_values, b_values = as_1d("w1_values", w1_values), as_1d("b_values", b_values)
    losses = as_2d("losses", losses)
    if losses.shape != (len(b_values), len(w1_values)):
        raise CourseError(f"losses must have shape {(len(b_values), len(w1_values))}, got {losses.shape}")
    fig = plt.figure(figsize=(7, 5))
    ax = fig.add_subplot(projection="3d")
    W, B = np.meshgrid(w1_values, b_values)
    surface = ax.plot_surface(W, B, losses, cmap="viridis_r", linewidth=0, antialiased=True)
    fig.colorbar(surface, ax=ax, shrink=0.6, pad=0.12, label="loss L (linear scale)")
    ax.set(xlabel="w1", ylabel="b", zlabel="L(w1, b)")
    return fig


def plot_curve_1d(w_values, losses, paths=None, tangents=None, ax=None, xlabel="w1", title=None, curve_label="L(w)"):
    """A loss curve L(w) of one parameter, with descent paths (label → (w array, L array)) and tangents [(w, L, slope)];
    curve_label names the curve in the legend (e.g. "L(w1)" to match an axis labelled w1).

    Taught in notebook 02."""
    w_values, losses = as_1d("w_values", w_values, min_len=2), as_1d("losses", losses, min_len=2)
    same_length("w_values", w_values, "losses", losses)
    if not isinstance(curve_label, str) or not curve_label.strip():
        raise CourseError(f"curve_label must be a short text naming the curve, e.g. \"L(w1)\", got {curve_label!r}")
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    ax.plot(w_values, losses, color="black", lw=1.5, label=curve_label)
    half = (w_values[-1] - w_values[0]) / 12   # tangents are drawn this far to each side
    for w, L, slope in tangents or []:
        ws = np.array([w - half, w + half])
        ax.plot(ws, L + slope * (ws - w), color="tab:red", lw=2)
        ax.annotate(f"slope {slope:+.0f}" if abs(slope) >= 10 else f"slope {slope:+.2f}", (w, L),
                    textcoords="offset points", xytext=(-12 if slope > 0 else 12, 0), fontsize=9, color="tab:red",
                    ha="right" if slope > 0 else "left", va="center")
    for label, (w_path, L_path) in (paths or {}).items():
        ax.plot(as_1d("path w", w_path), as_1d("path L", L_path), "o-", ms=4, lw=1, label=label)
    span = losses.max() - losses.min()
    ax.set(xlim=(w_values[0], w_values[-1]), ylim=(losses.min() - 0.05 * span, losses.max() + 0.05 * span),
           xlabel=xlabel, ylabel="loss L", title=title)
    ax.legend(fontsize=8)
    return fig


def _stacked_widths(n: int, thinnest: float) -> np.ndarray:
    """Line widths for n paths that may share a line: the first widest (drawn below), each later one 2.2× thinner
    (drawn on top), the last `thinnest`, so every path stays visible where they overlap."""
    return thinnest * 2.2 ** np.arange(n)[::-1]


def _edge_crossing(x0, y0, x1, y1, xlim, ylim):
    """Where the segment from (x0, y0) (inside the box) to (x1, y1) (outside) crosses the box's edge."""
    t = 1.0
    for a0, a1, (lo, hi) in ((x0, x1, xlim), (y0, y1, ylim)):
        if a1 > hi:
            t = min(t, (hi - a0) / (a1 - a0))
        elif a1 < lo:
            t = min(t, (lo - a0) / (a1 - a0))
    return x0 + t * (x1 - x0), y0 + t * (y1 - y0)


def plot_descent(w1_values, b_values, losses, runs: dict, optimum, title=None, param_names=("w1", "b")):
    """Gradient-descent runs (label → gradient_descent() history) on the contour map, how far above the optimum
    (w1*, b*, L*) each run's loss is after every update, and w1 − w1* after every update (where a zig-zag across
    the canyon shows as a change of sign); a diverged run is cut off where it stopped and marked. param_names names
    the two parameters on the axes and in the legends (e.g. ("w_z", "b_z") for a run on the standardised feature).

    Taught in notebook 02."""
    non_empty_dict("runs", runs, "label → the history that gradient_descent() returns")
    for label, h in runs.items():
        if not isinstance(h, dict) or not {"w1", "b", "loss"} <= set(h):
            raise CourseError(f"runs[{label!r}] must be the dict that gradient_descent() returns")
    w1_star, b_star, L_star = as_1d("optimum (w1*, b*, L*)", optimum, min_len=3)
    if (not isinstance(param_names, (tuple, list)) or len(param_names) != 2
            or not all(isinstance(n, str) and n.strip() for n in param_names)):
        raise CourseError(f'param_names must be two short texts naming the parameters, e.g. ("w1", "b"), got {param_names!r}')
    w_name, b_name = param_names
    fig, (left, right, third) = plt.subplots(1, 3, figsize=(16, 5.2), layout="constrained",
                                             gridspec_kw=dict(width_ratios=[1.25, 1, 1]))
    # The run was stopped at update diverged_at, whose loss passed the limit; that point is not stored.
    labels = {label: label if h.get("diverged_at") is None else
              f"{label}: loss passed 10¹² at update {h['diverged_at']} (not drawn)" for label, h in runs.items()}
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    first = next(iter(runs.values()))
    plot_contour(w1_values, b_values, losses, ax=left)
    left.set(xlabel=w_name, ylabel=b_name)
    # Runs that settle: solid, earlier ones wider and below (2.2× per run), later ones thinner on top, so where two
    # paths share a line both stay visible. Exploding runs: thin dashed lines below them, cut where they first leave
    # the map (an arrow at the edge), so their later jumps across the whole map hide nothing; their dashes interleave,
    # so two explosions along the same line both show.
    xlim, ylim = (w1_values[0], w1_values[-1]), (b_values[0], b_values[-1])
    settled = [label for label, h in runs.items() if h.get("diverged_at") is None]
    exploded = [label for label in runs if label not in settled]
    widths = dict(zip(settled, _stacked_widths(len(settled), 1.2)))
    for (label, h), color in zip(runs.items(), colors):
        w, b = np.asarray(h["w1"]), np.asarray(h["b"])
        if label in widths:
            lw = widths[label]
            left.plot(w, b, ".-", ms=lw + 1.8, lw=lw, color=color, label=labels[label], zorder=3)
            continue
        k, n = exploded.index(label), len(exploded)
        dash = (4 * k, (4, 4 * n - 4)) if n > 1 else (0, (4, 2))   # the k-th one's dashes start 4·k points later
        outside = (w < xlim[0]) | (w > xlim[1]) | (b < ylim[0]) | (b > ylim[1])
        out = int(np.argmax(outside)) if np.any(outside) else len(w)
        if 0 < out < len(w):   # up to the edge of the map, not beyond
            edge = _edge_crossing(w[out - 1], b[out - 1], w[out], b[out], xlim, ylim)
            left.annotate("", xy=edge, xytext=(w[out - 1], b[out - 1]), annotation_clip=False,
                          arrowprops=dict(arrowstyle="-|>", color=color, lw=0, shrinkA=0, shrinkB=0,
                                          mutation_scale=14 + 8 * (n - 1 - k)))   # earlier: larger, below
            w, b = np.r_[w[:out], edge[0]], np.r_[b[:out], edge[1]]
        left.plot(w, b, ls=dash, lw=1.5, color=color, label=labels[label], zorder=2)
        left.plot(w[:out], b[:out], ".", ms=5, color=color, zorder=2)
    left.plot(first["w1"][0], first["b"][0], "o", ms=9, mfc="white", mec="black", mew=2, label="start", zorder=4)
    left.plot(w1_star, b_star, "*", ms=16, mfc="red", mec="white", label=f"optimum, L* = {L_star:.1f}", zorder=4)
    left.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)   # below: never over a path
    # Middle: L − L* on a log scale shows a crawl (15 → 8) as clearly as an explosion (10³ → 10¹¹);
    # symlog x shows update 1 and update 10,000 on one axis. A run that gets within `floor` of L* stops there,
    # marked ▼, instead of running along the bottom of the axis (which would read as a plateau).
    floor = 1e-6 * max(L_star, 1.0)            # "at the optimum, to 6 significant digits"
    top = 30 * max(h["loss"][0] - L_star for h in runs.values())
    gaps = [np.asarray(h["loss"]) - L_star for h in runs.values()]
    reached = [int(np.argmax(g <= floor)) if np.any(g <= floor) else None for g in gaps]
    shown = [np.clip(g if t is None else g[:t + 1], floor, None) for g, t in zip(gaps, reached)]
    bottom = 0.3 * min(s.min() for s in shown)
    top = max(top, 10 * bottom)
    for (label, h), gap, t, color in zip(runs.items(), shown, reached, colors):
        note = "" if t is None else f": L − L* < {floor:.1g} from update {t}"
        right.plot(np.arange(len(gap)), gap, color=color, label=labels[label] + note)
        if t is not None:
            right.plot(t, floor, "v", ms=9, color=color)
        if h.get("diverged_at") is not None:   # × at the update whose loss passed 10¹², on the top edge
            right.plot(h["diverged_at"], top, "x", ms=10, mew=2.5, color=color, clip_on=False)
    last = max(max(len(h["loss"]) - 1, h.get("steps", 0)) for h in runs.values())
    right.set_xscale("symlog", linthresh=1)
    right.set_yscale("log")
    right.set(xlim=(0, max(last, 1)), ylim=(bottom, top), xlabel="update t  (symlog scale: 0, 1, 10, 100, …)",
              ylabel=f"L − L*  (loss above the optimum {L_star:.1f}; log)")
    right.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=1)
    # Right: w1 − w1*; symlog y (linear within ±0.01) keeps a sign change visible at any size. Exploding runs thin
    # and below, so a growing zig-zag does not cover a run that settles.
    for (label, h), color in zip(runs.items(), colors):
        dw = np.asarray(h["w1"]) - w1_star
        boom = h.get("diverged_at") is not None
        third.plot(np.arange(len(dw)), dw, ".-", ms=2 if boom else 3, lw=0.6 if boom else 1.2, color=color,
                   label=labels[label], zorder=2 if boom else 3)
    third.axhline(0, color="black", lw=0.8, ls="--", label=f"{w_name}* = {w1_star:.3f}")
    third.set_xscale("symlog", linthresh=1)
    third.set_yscale("symlog", linthresh=0.01)
    third.set(xlim=(0, max(last, 1)), xlabel="update t  (symlog scale)",
              ylabel=f"{w_name} − {w_name}*  (symlog: linear within ±0.01)")
    third.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=1)
    if title:
        fig.suptitle(title)
    return fig


def plot_batch_runs(w1_values, b_values, losses, runs: dict, optimum=None, title=None):
    """Mini-batch runs (label → minibatch_descent() history): paths on the contour map, loss per epoch, loss per update.

    optimum: (w1*, b*, L*) or None. The map has equal axes, so a round bowl looks round. The first run is drawn
    widest and lowest, each later (noisier) run thinner and on top, so a path under another stays visible; start and
    optimum are drawn over every path, and so is each run's end point (a diamond in its colour). The loss-per-epoch
    panel has an inset: the second half of the epochs on a linear scale, where the runs end. A diverged run is cut off where it stopped; then the loss axes stop at 30× the starting loss so one
    explosion does not flatten the other curves. Legends sit below the panels, never on a curve.

    Taught in notebook 03."""
    non_empty_dict("runs", runs, "label → the history that minibatch_descent() returns")
    for label, h in runs.items():
        if not isinstance(h, dict) or not {"w1", "b", "loss", "epoch_loss", "updates_per_epoch"} <= set(h):
            raise CourseError(f"runs[{label!r}] must be the dict that minibatch_descent() returns")
    if optimum is not None:
        optimum = as_1d("optimum (w1*, b*, L*)", optimum, min_len=3)
    fig, (left, mid, right) = plt.subplots(1, 3, figsize=(15, 5.4), layout="constrained")
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    labels = {k: k if h["diverged_at"] is None else f"{k}: diverged at update {h['diverged_at']}"
              for k, h in runs.items()}
    first = next(iter(runs.values()))
    plot_contour(w1_values, b_values, losses, ax=left)
    widths = _stacked_widths(len(runs), 0.9)   # earlier runs wider and below, later ones thinner on top
    for k, ((label, h), color, lw) in enumerate(zip(runs.items(), colors, widths)):
        left.plot(h["w1"], h["b"], ".-", ms=lw + 2.5, lw=lw, color=color, alpha=0.9 if k == 0 else 0.6,
                  label=labels[label])
    for (label, h), color in zip(runs.items(), colors):   # every run's end point, over all the paths
        left.plot(h["w1"][-1], h["b"][-1], "D", ms=8, color=color, mec="black", mew=1.5, zorder=12)   # small: the
    left.plot([], [], "D", ms=8, mfc="white", mec="black", mew=1.5, ls="none",   # optimum's star shows around it
              label="end of each run (its colour)")
    left.plot(first["w1"][0], first["b"][0], "o", ms=10, mfc="white", mec="black", mew=2, zorder=10, label="start")
    if optimum is not None:
        left.plot(optimum[0], optimum[1], "*", ms=18, mfc="red", mec="white", mew=1.2, zorder=11,
                  label=f"optimum, L* = {optimum[2]:.1f}")
    left.set_aspect("equal", adjustable="box")
    left.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    if any(h["diverged_at"] is not None for h in runs.values()):
        top = 30 * max(h["loss"][0] for h in runs.values())
    else:
        top = 1.5 * max(h["loss"].max() for h in runs.values())
    low = min(min(h["loss"].min() for h in runs.values()), optimum[2] if optimum is not None else np.inf)
    for (label, h), color, lw in zip(runs.items(), colors, widths):
        mid.plot(np.arange(len(h["epoch_loss"])), h["epoch_loss"], "o-", ms=3, lw=max(1.0, lw / 2), color=color,
                 label=labels[label])
        right.plot(np.arange(len(h["loss"])), h["loss"], color=color, lw=max(1.0, lw / 2), label=labels[label])
        if h["diverged_at"] is not None:
            right.plot(len(h["loss"]) - 1, min(h["loss"][-1], top), "x", ms=10, mew=2.5, color=color)
    for ax in (mid, right):
        if optimum is not None:
            ax.axhline(optimum[2], color="black", ls="--", lw=1, zorder=1.5, label=f"optimum L* = {optimum[2]:.1f}")
        ax.set(yscale="log", ylim=(0.95 * low, top), ylabel="loss on all the data (MSE, log scale)")
        ax.yaxis.set_major_formatter(plt.matplotlib.ticker.LogFormatter())  # 600, not 6×10²
        ax.yaxis.set_minor_formatter(plt.matplotlib.ticker.LogFormatter(labelOnlyBase=False))
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    mid.set(xlabel="epoch (each example seen once per epoch)")
    mid.xaxis.set_major_locator(plt.matplotlib.ticker.MaxNLocator(integer=True))   # epochs are whole numbers
    half = max(len(h["epoch_loss"]) for h in runs.values()) // 2
    tail = [h["epoch_loss"][half:] for h in runs.values() if h["diverged_at"] is None and len(h["epoch_loss"]) > half]
    if tail and half >= 1:   # an inset: the second half of the epochs on a linear scale, where the runs end
        zoom = mid.inset_axes([0.45, 0.5, 0.52, 0.45])
        for (label, h), color, lw in zip(runs.items(), colors, widths):
            if h["diverged_at"] is None:
                zoom.plot(np.arange(half, len(h["epoch_loss"])), h["epoch_loss"][half:], "o-", ms=2.5,
                          lw=max(1.0, lw / 2), color=color)
        if optimum is not None:
            zoom.axhline(optimum[2], color="black", ls="--", lw=1, zorder=1.5)
        zoom_top = max(v.max() for v in tail)
        pad = 0.08 * max(zoom_top - low, 1e-9)
        zoom.set_ylim(low - pad, zoom_top + pad)
        zoom.xaxis.set_major_locator(plt.matplotlib.ticker.MaxNLocator(integer=True))
        zoom.tick_params(labelsize=7)
        zoom.set_title(f"zoom: epochs {half}–{max(len(h['epoch_loss']) for h in runs.values()) - 1}, linear scale",
                       fontsize=8)
    right.set_xscale("symlog", linthresh=1)
    right.set(xlim=(0, max(len(h["loss"]) for h in runs.values())), xlabel="update (symlog scale)")
    if title:
        fig.suptitle(title)
    return fig


def plot_param_trace(traces: dict, updates_per_epoch: int, first_update: int = 0, targets=None,
                     ax=None, ylabel="w1", title=None):
    """One parameter against the update number for several runs (label → array), epoch ends as dotted lines.

    targets: dict label → value, drawn as dashed horizontal lines (e.g. each course's best w1).

    Taught in notebook 03."""
    non_empty_dict("traces", traces, "label → array of parameter values, one per update")
    traces = {label: as_1d(f"traces[{label!r}]", v) for label, v in traces.items()}
    updates_per_epoch = number("updates_per_epoch", updates_per_epoch, low=1, integer=True)
    first_update = number("first_update", first_update, low=0, integer=True)
    fig, ax = _fig_ax(ax, figsize=(8, 3.5))
    longest = max(len(v) for v in traces.values())
    for label, values in traces.items():
        ax.plot(first_update + np.arange(len(values)), values, ".-", ms=4, lw=1, label=label)
    for end in range(first_update, first_update + longest):
        if end % updates_per_epoch == 0:
            ax.axvline(end, color="gray", ls=":", lw=0.8)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, (label, value) in enumerate((targets or {}).items()):  # colours continue after the traces'
        color = colors[(len(traces) + k) % len(colors)]
        ax.axhline(number(f"targets[{label!r}]", value), color=color, ls="--", lw=1, label=label)
    ax.set(xlabel="update (dotted lines: end of an epoch)", ylabel=ylabel, title=title)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig


def plot_lines_on_courses(table: dict, lines: dict, courses=None, title=None):
    """plot_courses with lines y = w1·x1 + b drawn over it; lines: dict label → (w1, b).

    Taught in notebook 04."""
    non_empty_dict("lines", lines, "label → (w1, b)")
    fig = plot_courses(table, courses)
    ax = fig.axes[0]
    ax.set(ylabel="minutes  y")   # dots ŷ and lines y share the axis; kept as before for notebook 04
    xs = np.linspace(0, float(np.max(table["slides"])) * 1.05, 2)
    for (label, (w1, b)), ls in zip(lines.items(), ["-", "--", ":", "-."] * len(lines)):
        ax.plot(xs, w1 * xs + b, color="black", ls=ls, lw=1.3, label=label)
    ax.set(title=title)
    ax.legend(fontsize=8)
    return fig


def plot_pieces(x, total, pieces=None, constant=None, target=None, ax=None, title=None):
    """A piecewise-linear curve (bold), its max(0, ·) pieces (thin, one row each), the constant and the target.

    Taught in notebook 04."""
    x, total = as_1d("x", x, min_len=2), as_1d("total", total, min_len=2)
    same_length("x", x, "total", total)
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    if target is not None:
        target = as_1d("target", target)
        same_length("x", x, "target", target)
        ax.plot(x, target, color="tab:red", lw=4, alpha=0.35, label="the curve to build")
    if constant is not None:
        ax.axhline(constant, color="gray", ls="--", lw=1, label=f"constant b = {constant:.1f}")
    if pieces is not None:
        pieces = as_2d("pieces", pieces)
        if pieces.shape[1] != len(x):
            raise CourseError(f"pieces must have one row per piece and {len(x)} columns, got {pieces.shape}")
        for i, row in enumerate(pieces):
            ax.plot(x, row, lw=0.9, alpha=0.8, label="pieces  c_i·max(0, w_i·x1 + b_i)" if i == 0 else None)
    ax.plot(x, total, color="black", lw=2, label="b + sum of the pieces")
    shown = total if target is None else np.concatenate([total, np.asarray(target, dtype=float)])
    lo, hi = min(shown.min(), 0.0), shown.max()
    span = hi - lo + 1
    if pieces is not None:   # show the pieces too, but clip those that shoot far off (the curve is never clipped)
        lo, hi = max(min(lo, pieces.min()), lo - span), min(max(hi, pieces.max()), hi + span)
    pad = 0.08 * (hi - lo + 1)
    ax.set(xlabel="x1", ylabel="y", title=title, ylim=(lo - pad, hi + pad))
    ax.legend(fontsize=8)
    return fig


def plot_curves_on_data(x, y, curves: dict, x_val=None, y_val=None, ax=None, title=None,
                        labels=("training lectures", "validation lectures"), xlabel="slides  x1",
                        ylabel="minutes  y"):
    """Lectures as dots (training, optionally validation) with model curves; curves: dict label → (xs, ys).

    Taught in notebook 04."""
    non_empty_dict("curves", curves, "label → (xs, ys) of a model's curve")
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    ax.scatter(x, y, s=28, color="tab:orange", zorder=3, label=labels[0])
    if x_val is not None:
        x_val, y_val = as_1d("x_val", x_val), as_1d("y_val", y_val)
        same_length("x_val", x_val, "y_val", y_val)
        ax.scatter(x_val, y_val, s=40, marker="s", color="tab:green", zorder=3, label=labels[1])
    for (label, (xs, ys)), ls in zip(curves.items(), ["-", "--", ":", "-."] * len(curves)):
        ax.plot(as_1d("curve x", xs), as_1d("curve y", ys), color="black", ls=ls, lw=1.3, label=label)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(fontsize=8)
    return fig


def _curve_entry(label, values):
    """One entry of plot_curves' curves, checked: an array (1-D, or runs × points), or a list [training, test]."""
    if not isinstance(values, tuple):
        return _curve_values(f"curves[{label!r}]", values)
    if len(values) != 2:
        raise CourseError(f"curves[{label!r}] is a tuple, so it must be a pair (training, test), "
                          f"got {len(values)} entries")
    pair = [_curve_values(f"curves[{label!r}] {part}", v) for part, v in zip(("training", "test"), values)]
    if pair[0].shape != pair[1].shape:
        raise CourseError(f"curves[{label!r}]: training {pair[0].shape} and test {pair[1].shape} "
                          "must have the same shape")
    return pair


def _draw_curve(ax, label, values, color, first, scale, dots, summary, style=None, names=("training", "test")):
    """Draw one entry of plot_curves and return the line that stands for it (its summary, or the test summary)."""
    middle = np.mean if summary == "mean" else np.median
    if isinstance(values, list):                   # a pair (training, test)
        train, test = (scale * np.atleast_2d(v) for v in values)
        xs = first + np.arange(test.shape[1])
        if len(test) > 1:
            ax.fill_between(xs, test.min(axis=0), test.max(axis=0), color=color, alpha=0.15, lw=0)
        line = middle(test, axis=0)
        ax.plot(xs, line, color=color, lw=2.2, marker=dots, label=f"{label}: {names[1]}")
        ax.plot(xs, middle(train, axis=0), color=color, lw=1.3, ls="--", marker=dots, label=f"{label}: {names[0]}")
    elif values.ndim == 1:
        line, xs = scale * values, first + np.arange(len(values))
        ax.plot(xs, line, **{"color": color, "lw": 1.5, "marker": dots, "label": str(label), **(style or {})})
    else:                                          # (runs, points)
        runs, xs = scale * values, first + np.arange(values.shape[1])
        for run in runs:
            ax.plot(xs, run, color=color, lw=0.7, alpha=0.45)
        line = middle(runs, axis=0)
        ax.plot(xs, line, color=color, lw=2.2, marker=dots, label=f"{label} ({summary} of {len(runs)})")
    return line


def plot_curves(curves: dict, *, x="epoch", xlabel=None, ylabel="loss (MSE)", logy=True, percent=False,
                summary="mean", baseline=None, baseline_label="baseline", mark_best=None, xticklabels=None,
                legend="best", ax=None, title=None, styles=None, pair_names=("training", "test"), band_label=None):
    """A few curves against the epoch, the update or the layer: losses, accuracies, one run or many seeds.

    curves: dict label → one of
      - a 1-D array: one line, labelled with its label;
      - a 2-D array (runs, points), e.g. one row per seed: a thin line per run and a thick one for their `summary`
        ("mean" or "median"), labelled "label (mean of 3)";
      - a tuple (training, test) of two such arrays of the same shape: one colour, the training summary dashed
        ("label: training"), the test summary solid ("label: test") with the range of the test runs shaded.
    x: "epoch" (the points at 1, 2, …), "update" (0, 1, …: the first point is before any update) or "layer"
    (1, 2, …, with dots); xlabel replaces the axis label, xticklabels names the points (e.g. the layers).
    logy: log-scale y axis (losses); percent: the values are fractions, drawn as % (accuracies).
    baseline: a reference value in the units drawn (% with percent), a dashed horizontal line labelled baseline_label.
    mark_best: the label of a curve whose lowest point gets a dashed vertical line (with the validation loss:
    the early-stopping epoch). legend: where the legend goes, a matplotlib place ("best", "lower right", …),
    "outside" (right of the axes) or None (no legend). styles: optional dict label → matplotlib line keywords for
    that 1-D curve (e.g. {"color": "tab:orange", "ls": "--", "marker": "o", "markevery": 100}); by default each
    curve takes the next colour of the cycle, solid. pair_names: how the legend calls the two parts of a pair
    (e.g. ("training", "validation")); band_label: a legend entry for the shaded range, e.g. "shaded: min–max
    over 3 seeds" (None: no entry).

    Taught in notebook 04."""
    non_empty_dict("curves", curves, "label → a 1-D array (one curve), a 2-D array (runs, points) "
                                     "or a tuple (training, test) of those")
    first, default_xlabel = CURVE_X[choice("x", x, CURVE_X)]
    summary = choice("summary", summary, ("mean", "median"))
    logy, percent = flag("logy", logy), flag("percent", percent)
    legend = choice("legend", legend, LEGEND_PLACES)
    if not isinstance(baseline_label, str):
        raise CourseError(f"baseline_label must be a text for the legend, got {baseline_label!r}")
    parsed = {label: _curve_entry(label, values) for label, values in curves.items()}
    longest = max((v[0] if isinstance(v, list) else v).shape[-1] for v in parsed.values())
    if mark_best is not None and (not isinstance(mark_best, Hashable) or mark_best not in parsed):
        raise CourseError(f"mark_best must be the label of one of the curves {list(curves)}, got {mark_best!r}")
    if baseline is not None:
        baseline = number("baseline", baseline)
    if xticklabels is not None:
        if not isinstance(xticklabels, (list, tuple)) or len(xticklabels) != longest:
            raise CourseError(f"xticklabels must be a list of {longest} names, one per point, got {xticklabels!r}")
        xticklabels = [str(t) for t in xticklabels]
    pairs = any(isinstance(v, list) for v in parsed.values())
    if (not isinstance(pair_names, (tuple, list)) or len(pair_names) != 2
            or not all(isinstance(n, str) and n for n in pair_names)):
        raise CourseError(f"pair_names must be two texts, what the two parts of a pair are, e.g. "
                          f"('training', 'validation'); got {pair_names!r}")
    if band_label is not None and not isinstance(band_label, str):
        raise CourseError(f"band_label must be a text for the legend (or None), got {band_label!r}")
    fig, ax = _fig_ax(ax, figsize=(7, 4.2) if pairs else (6, 4))
    scale, dots = (100.0 if percent else 1.0), ("o" if x == "layer" else None)
    styles = {} if styles is None else styles
    if not isinstance(styles, dict) or not all(k in parsed and isinstance(parsed[k], np.ndarray) and parsed[k].ndim == 1
                                               and isinstance(v, dict) for k, v in styles.items()):
        raise CourseError("styles must be a dict: the label of a 1-D curve → a dict of line keywords, e.g. "
                          f'{{"training loss": {{"color": "tab:orange"}}}}, for labels among {list(curves)}; got {styles!r}')
    for label, style in styles.items():
        try:
            plt.matplotlib.lines.Line2D([], []).set(**style)
        except (AttributeError, TypeError, ValueError) as err:
            raise CourseError(f"styles[{label!r}] has a keyword or value a line does not take ({err}); use e.g. "
                              '{"color": "tab:green", "ls": "--", "marker": "o"}') from None
    drawn = {label: _draw_curve(ax, label, values, f"C{i % 10}", first, scale, dots, summary, styles.get(label),
                                tuple(pair_names))
             for i, (label, values) in enumerate(parsed.items())}   # label → the line drawn (its summary)
    if band_label is not None:                     # a grey patch in the legend that says what the shading is
        ax.fill_between([], [], [], color="gray", alpha=0.25, lw=0, label=band_label)
    best = None if mark_best is None else drawn[mark_best]
    if baseline is not None:
        ax.axhline(baseline, color="black", ls="--", lw=1.2, label=baseline_label)
    if best is not None:
        k = int(np.argmin(best))
        ax.axvline(first + k, color="gray", ls="--", lw=1,
                   label=f"lowest {mark_best}: {default_xlabel} {first + k} ({best[k]:.4g})")
    if logy:
        ax.set_yscale("log")
    if xticklabels is not None:
        ax.set_xticks(first + np.arange(longest), xticklabels, fontsize=8)
    else:
        ax.xaxis.set_major_locator(plt.matplotlib.ticker.MaxNLocator("auto", steps=[1, 2, 2.5, 5, 10],
                                                                     integer=True))   # whole epochs, updates, layers
    ax.set(xlabel=default_xlabel if xlabel is None else xlabel, ylabel=ylabel, title=title)
    ax.grid(alpha=0.3)
    if legend == "outside":
        ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    elif legend is not None:
        ax.legend(fontsize=7.5 if pairs else 8, loc=legend, ncol=2 if pairs else 1)
    return fig


def plot_predicted_vs_true(groups: dict, ax=None, title=None):
    """Predicted against true minutes, one marker set per group (label → (y_true, y_pred)); diagonal = exact.

    Taught in notebook 04."""
    non_empty_dict("groups", groups, "label → (y_true, y_pred)")
    fig, ax = _fig_ax(ax, figsize=(5, 4.5))
    lo, hi = np.inf, -np.inf
    for (label, (y_true, y_pred)), marker in zip(groups.items(), ["o", "s", "^", "D"] * len(groups)):
        y_true, y_pred = as_1d("y_true", y_true), as_1d("y_pred", y_pred)
        same_length("y_true", y_true, "y_pred", y_pred)
        ax.scatter(y_true, y_pred, marker=marker, s=30, label=label, zorder=3)
        lo, hi = min(lo, y_true.min(), y_pred.min()), max(hi, y_true.max(), y_pred.max())
    pad = 0.05 * (hi - lo + 1)
    ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="gray", lw=1, label="prediction = truth")
    ax.set(xlabel="true minutes", ylabel="predicted minutes", title=title)
    ax.legend(fontsize=8)
    return fig


def plot_selection(n_candidates, val_loss, test_loss, floor=None, ax=None, title=None):
    """Best-of-K selection: the chosen function's validation and test loss against K (rows = repeats, median bold).

    Taught in notebook 04."""
    k = as_1d("n_candidates", n_candidates)
    val, test = as_2d("val_loss", np.atleast_2d(val_loss)), as_2d("test_loss", np.atleast_2d(test_loss))
    if val.shape != test.shape or val.shape[1] != len(k):
        raise CourseError(f"val_loss and test_loss must both have shape (repeats, {len(k)}), "
                          f"got {val.shape} and {test.shape}")
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    for values, color, label in [(val, "tab:green", "validation loss of the chosen function"),
                                 (test, "tab:purple", "test loss of the chosen function")]:
        ax.plot(k, values.T, color=color, lw=0.6, alpha=0.35)
        ax.plot(k, np.median(values, axis=0), "o-", color=color, lw=2, label=f"{label} (median)")
    if floor is not None:
        ax.axhline(floor, color="black", ls="--", lw=1, label=f"noise floor: no honest function beats ≈ {floor:.0f}")
    ax.set(xscale="log", yscale="log", xlabel="number of candidate functions tried on the validation set",
           ylabel="loss (MSE)", title=title)
    ax.legend(fontsize=8)
    return fig


def plot_digit_grid(images, labels, per_class: int = 8, title=None):
    """The first `per_class` images of every class, one row per class, as one mosaic (0 = white, 1 = black).

    Taught in notebook 05."""
    images, labels = as_digit_images("images", images), as_labels("labels", labels)
    same_length("images", images, "labels", labels)
    per_class = number("per_class", per_class, low=1, high=40, integer=True)
    classes = np.unique(labels)
    gap, size = 2, 28 + 2
    mosaic = np.zeros((len(classes) * size - gap, per_class * size - gap))
    for r, c in enumerate(classes):
        for k, i in enumerate(np.flatnonzero(labels == c)[:per_class]):
            mosaic[r * size:r * size + 28, k * size:k * size + 28] = images[i]
    fig, ax = plt.subplots(figsize=(0.55 * per_class + 0.6, 0.55 * len(classes) + 0.4), layout="constrained")
    ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.set_yticks(np.arange(len(classes)) * size + 13.5, [str(c) for c in classes])
    ax.set_xticks([])
    ax.set(ylabel="label", title=title)
    for side in ax.spines.values():
        side.set_visible(False)
    return fig


def plot_logistic_boundary(X, labels, w, b=0.0, ax=None, feature_names=("x1", "x2"), class_names=("0", "1"),
                           title=None, colorbar=False, legend_loc="upper left"):
    """Two-class data in the plane, the probability y' = σ(w·x + b) as shading, the decision boundary w·x + b = 0 and w as an arrow.

    colorbar: draw a colour bar that reads the shading as y'; legend_loc: where the legend goes (a matplotlib place).

    Used inside utils, by widgets.logistic_boundary_view (notebook 05)."""
    X, labels, w, b = models.logistic_inputs(X, labels, w, b)
    if X.shape[1] != 2:
        raise CourseError(f"X must have exactly two features to be drawn in the plane, got {X.shape[1]}")
    fig, ax = _fig_ax(ax, figsize=(5.5, 4.5))
    pad = 0.08 * (X.max(axis=0) - X.min(axis=0) + 1e-9)
    (x_lo, y_lo), (x_hi, y_hi) = X.min(axis=0) - pad, X.max(axis=0) + pad
    g1, g2 = np.linspace(x_lo, x_hi, 60), np.linspace(y_lo, y_hi, 60)
    prob = models.sigmoid(w[0] * g1[None, :] + w[1] * g2[:, None] + b)     # (60, 60) y' on the plane
    shading = ax.contourf(g1, g2, prob, levels=np.linspace(0, 1, 11), cmap="coolwarm", vmin=0, vmax=1, alpha=0.35)
    if flag("colorbar", colorbar):
        fig.colorbar(shading, ax=ax, label="shading: y' = σ(z)", ticks=np.linspace(0, 1, 6))
    wrong = ((X @ w + b) > 0) != (labels == 1)
    for k in (0, 1):
        keep = labels == k
        ax.scatter(X[keep & ~wrong, 0], X[keep & ~wrong, 1], s=9, color=CLASS_COLORS[k], alpha=0.6,
                   label=f"digit {class_names[k]} ({keep.sum()})")
        ax.scatter(X[keep & wrong, 0], X[keep & wrong, 1], s=16, color=CLASS_COLORS[k], edgecolors="black",
                   linewidths=0.8)
    norm = float(np.hypot(*w))
    if norm > 0:
        if abs(w[1]) >= abs(w[0]):   # the boundary w1·x1 + w2·x2 + b = 0, solved for the steeper coordinate
            ax.plot(g1, -(b + w[0] * g1) / w[1], color="black", lw=2, label="decision boundary  y' = 0.5")
        else:
            ax.plot(-(b + w[1] * g2) / w[0], g2, color="black", lw=2, label="decision boundary  y' = 0.5")
        foot = -b * w / norm ** 2                   # the boundary's point nearest the origin
        ax.annotate("", foot + w / norm, foot, arrowprops=dict(arrowstyle="->", lw=2, color="black"))
    ax.scatter([], [], s=16, color="white", edgecolors="black", label=f"misclassified ({wrong.sum()})")
    ax.set(xlim=(x_lo, x_hi), ylim=(y_lo, y_hi), xlabel=feature_names[0], ylabel=feature_names[1], title=title)
    ax.legend(fontsize=8, loc=choice("legend_loc", legend_loc, LEGEND_PLACES[:-2]))
    return fig


def plot_sigmoid_scores(z, labels, ax=None, class_names=("0", "1"), title=None, legend_loc=None):
    """The sigmoid y' = σ(z) with every example at its score z (coloured by its true class), and σ′(z), which MSE's gradient carries.

    legend_loc: where the legend goes (a matplotlib place); None: centre left or right, the side with fewer scores.

    Used inside utils, by widgets.logistic_boundary_view (notebook 05)."""
    z, labels = as_1d("z", z), as_1d("labels", labels)
    same_length("z", z, "labels", labels)
    if not np.all((labels == 0) | (labels == 1)):
        raise CourseError("labels must be 0 or 1 (the two classes of the sigmoid), e.g. 1 for a one and 0 for a zero")
    fig, ax = _fig_ax(ax, figsize=(5.5, 4.5))
    lim = float(np.clip(1.1 * np.percentile(np.abs(z), 99), 6.0, 60.0))
    zs = np.linspace(-lim, lim, 400)
    sig = models.sigmoid(zs)
    ax.plot(zs, sig, color="black", lw=1.5, label="y' = σ(z)")
    ax.plot(zs, 4 * sig * (1 - sig), color="gray", ls="--", lw=1, label="4·σ′(z): MSE's gradient carries σ′")
    zc = np.clip(z, -lim, lim)
    jitter = np.random.default_rng(0).uniform(-0.03, 0.03, len(z))   # fixed: the same picture every time
    for k in (0, 1):
        keep = labels == k
        ax.scatter(zc[keep], models.sigmoid(zc[keep]) + jitter[keep], s=8, alpha=0.5,
                   color=CLASS_COLORS[k], label=f"digit {class_names[k]} (label ŷ = {k})")
    ax.axvline(0, color="black", lw=0.8, ls=":")
    ax.set(xlim=(-lim, lim), ylim=(-0.08, 1.08), xlabel="score  z = w1·x1 + w2·x2 + b", ylabel="y'  (probability of class 1)",
           title=title)
    if legend_loc is None:
        legend_loc = "center left" if np.mean(z > 0) < 0.5 else "center right"
    ax.legend(fontsize=8, loc=choice("legend_loc", legend_loc, LEGEND_PLACES[:-2]))
    return fig


def plot_error_surfaces(w1_values, w2_values, surfaces: dict, paths=None, flat_below=None, title=None):
    """One contour map per loss (label → grid [i, j] = L(w1_values[j], w2_values[i])) with descent paths
    (label → list of (steps + 1, 2) arrays of w); where the slope |∇L| < flat_below, the map is hatched.

    Taught in notebook 05."""
    w1_values, w2_values = as_1d("w1_values", w1_values, min_len=2), as_1d("w2_values", w2_values, min_len=2)
    non_empty_dict("surfaces", surfaces, "label → grid of losses")
    grids = {label: as_grid(f"surfaces[{label!r}]", g, ("w2_values", w2_values), ("w1_values", w1_values))
             for label, g in surfaces.items()}
    fig, axes = plt.subplots(1, len(grids), figsize=(5.2 * len(grids), 4.4), layout="constrained", squeeze=False)
    for ax, (label, grid) in zip(axes[0], grids.items()):
        cs = ax.contourf(w1_values, w2_values, grid, levels=20, cmap="viridis_r")
        fig.colorbar(cs, ax=ax, label=f"{label} loss")
        if flat_below is not None:
            d_w2, d_w1 = np.gradient(grid, w2_values, w1_values)
            flat = np.hypot(d_w1, d_w2) < flat_below
            ax.contourf(w1_values, w2_values, flat.astype(float), levels=[0.5, 1.5], colors="none", hatches=["//"])
            ax.contour(w1_values, w2_values, flat.astype(float), levels=[0.5], colors="white", linewidths=1)
        for k, path in enumerate((paths or {}).get(label, [])):
            path = as_2d("path", path)
            ax.plot(path[:, 0], path[:, 1], ".-", color="white", ms=2, lw=1)
            ax.plot(*path[0], "o", ms=7, mfc="white", mec="black", label="start" if k == 0 else None)
            ax.plot(*path[-1], "X", ms=8, mfc="orange", mec="black", label="after the last update" if k == 0 else None)
        ax.set(xlim=(w1_values[0], w1_values[-1]), ylim=(w2_values[0], w2_values[-1]), xlabel="w1", ylabel="w2",
               title=label + (f"  (hatched: slope < {flat_below:g})" if flat_below is not None else ""))
        if paths:
            ax.legend(fontsize=8, loc="lower left")
    if title:
        fig.suptitle(title)
    return fig


def plot_output_neuron(z_values, target, z_now, ax_pair=None, title=None):
    """Left: σ(z) and σ′(z); right: the output error δ = ∂C/∂b of both costs against z for one target; z_now marked.

    Used inside utils, by widgets.neuron_view (notebook 06)."""
    z_values = as_1d("z_values", z_values, min_len=2)
    if target not in (0, 1):
        raise CourseError(f"target must be 0 or 1 (the desired output y), got {target!r}")
    if isinstance(z_now, bool) or not isinstance(z_now, (int, float, np.integer, np.floating)) or not np.isfinite(z_now):
        raise CourseError(f"z_now must be a finite number, got {z_now!r}")
    if ax_pair is None:
        fig, ax_pair = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
    left, right = ax_pair
    a, sp = models.sigmoid(z_values), models.sigmoid_prime(z_values)
    a_now, sp_now = float(models.sigmoid(z_now)), float(models.sigmoid_prime(z_now))
    left.plot(z_values, a, color="tab:blue", label="a = σ(z)")
    left.plot(z_values, sp, color="tab:orange", label="σ′(z) = σ(z)(1 − σ(z))")
    left.plot([z_now, z_now], [a_now, sp_now], "o", color="black", ms=5)
    left.axvline(z_now, color="gray", ls=":", lw=1)
    left.set(xlabel="z = w·x + b", ylim=(-0.05, 1.05), title=f"z = {z_now:.2f}: a = {a_now:.3f}, σ′(z) = {sp_now:.3f}")
    left.legend(fontsize=8, loc="center left")
    quad, xent = (a - target) * sp, a - target
    right.plot(z_values, quad, color="tab:red", label="quadratic: δ = (a − y)·σ′(z)")
    right.plot(z_values, xent, color="tab:green", label="cross-entropy: δ = a − y")
    right.plot([z_now, z_now], [(a_now - target) * sp_now, a_now - target], "o", color="black", ms=5)
    right.axvline(z_now, color="gray", ls=":", lw=1)
    right.axhline(0, color="black", lw=0.6)
    right.set(xlabel="z = w·x + b", ylabel="δ = ∂C/∂b", ylim=(-1.05, 1.05),
              title=title or f"output error δ for target y = {target}")
    right.legend(fontsize=8, loc="lower right" if target == 1 else "upper left")
    return left.figure


def plot_weight_images(W, image_shape=(28, 28), n_cols=10, title=None, tile_titles=None, row_labels=None):
    """Each row of W (one hidden neuron's weights on the input pixels) as an image: red positive, blue negative.

    tile_titles: one title per tile (default: the row number); row_labels: one label per row of tiles, at its left.
    Taught in notebook 05."""
    W = as_2d("W", W)
    if tile_titles is not None and (isinstance(tile_titles, str) or len(tile_titles) != len(W)):
        raise CourseError(f"tile_titles must give one title per row of W ({len(W)}), got {tile_titles!r:.60}")
    rows, cols = image_shape
    if W.shape[1] != rows * cols:
        raise CourseError(f"W must have {rows * cols} columns (one per pixel of a {rows}×{cols} image), got {W.shape[1]}")
    n_cols = min(number("n_cols", n_cols, low=1, integer=True), len(W))
    n_rows = -(-len(W) // n_cols)
    if row_labels is not None and (isinstance(row_labels, str) or len(row_labels) != n_rows):
        raise CourseError(f"row_labels must give one label per row of tiles ({n_rows}), got {row_labels!r:.60}")
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(1.0 * n_cols, 1.05 * n_rows + 0.4), squeeze=False,
                             layout="constrained")
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i < len(W):
            limit = np.abs(W[i]).max() or 1.0
            ax.imshow(W[i].reshape(rows, cols), cmap="RdBu_r", vmin=-limit, vmax=limit)
            ax.set_title(f"{i}" if tile_titles is None else str(tile_titles[i]), fontsize=7)
    for r, label in enumerate(row_labels or []):
        axes[r, 0].text(-0.08, 0.5, str(label), transform=axes[r, 0].transAxes, ha="right", va="center",
                        fontsize=8, rotation=90)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_diagnosis(cases: dict, slack: float = 1.5, ax=None, title=None):
    """Each case's training, validation and held-out loss as multiples of its target loss (log scale), with its branch.

    cases: dict label → {"train": …, "val": …, "heldout": … or None, "target": …, "branch": …, "baseline": … or None};
    "baseline", the training loss of a smaller model the case contains, is drawn as a black mark on its training bar.

    Taught in notebook 07."""
    non_empty_dict("cases", cases, "label → {'train', 'val', 'heldout', 'target', 'branch'}")
    for label, case in cases.items():
        if not isinstance(case, dict) or not {"train", "val", "target", "branch"} <= set(case):
            raise CourseError(f"cases[{label!r}] must be a dict with 'train', 'val', 'target', 'branch' (and 'heldout')")
    fig, ax = _fig_ax(ax, figsize=(10, 4.2))
    width, names = 0.26, {"train": "training loss", "val": "validation loss",
                          "heldout": "held-out loss (data like the training data)"}
    for i, case in enumerate(cases.values()):
        for j, key in enumerate(("train", "val", "heldout")):
            if case.get(key) is None:
                continue
            ax.bar(i + (j - 1) * width, case[key] / case["target"], width, color=DIAGNOSIS_COLORS[key],
                   label=names[key] if i == 0 or key == "heldout" else None)
        if case.get("baseline") is not None:     # the smaller model's training loss, on the training bar
            ax.plot([i - 1.8 * width, i - 0.2 * width], [case["baseline"] / case["target"]] * 2, color="black", lw=2.5,
                    solid_capstyle="butt", label="training loss of a smaller model it contains")
        top = max(case[k] for k in ("train", "val", "heldout") if case.get(k) is not None) / case["target"]
        ax.annotate(case["branch"], (i, top), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=9,
                    fontweight="bold")
    ax.axhline(slack, color="black", ls="--", lw=1, label=f"high: above {slack:g} × the target loss")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), fontsize=8, loc="upper left")
    ax.set_xticks(range(len(cases)), list(cases), fontsize=8)
    ax.set(yscale="log", ylabel="loss ÷ target loss (log scale)", title=title)
    ax.set_ylim(top=ax.get_ylim()[1] * 3)
    return fig


TRAINING_GUIDE_BRANCHES = ("model bias", "optimisation", "overfitting", "mismatch", "fine")


def plot_training_guide(highlight=None, title="the training guide of the ML 2021 lecture"):
    """The lecture's training guide as a flow chart: questions in white boxes, the five outcomes in coloured ones.

    highlight: one of TRAINING_GUIDE_BRANCHES (e.g. analysis.diagnose(...)["branch"]), drawn with a thick frame;
    "overfitting or mismatch" frames both. Taught in notebook 07."""
    if highlight is not None:
        if not isinstance(highlight, str):
            raise CourseError(f"highlight must be a branch name such as 'optimisation' or None, got {highlight!r}")
        if highlight != "overfitting or mismatch" and highlight not in TRAINING_GUIDE_BRANCHES:
            raise CourseError(f"highlight must be one of {TRAINING_GUIDE_BRANCHES} or 'overfitting or mismatch', "
                              f"got {highlight!r}")
    fig, ax = plt.subplots(figsize=(11, 5.4), layout="constrained")
    ax.set(xlim=(0, 11), ylim=(0, 6.2))
    ax.set_axis_off()
    boxes = {   # name → (x, y, text, face colour)
        "q_train": (3.2, 5.4, "training loss large?\n(above the yardstick, or above\na smaller model it contains)", "white"),
        "q_smaller": (1.6, 3.4, "worse than a smaller model\nit contains (which trains easily)?", "white"),
        "q_val": (7.6, 4.2, "validation loss large?", "white"),
        "q_heldout": (7.6, 2.5, "held-out data drawn like the\ntraining data: loss large too?", "white"),
        "optimisation": (0.9, 1.2, "optimisation issue\n→ a better optimiser,\nlearning rate, initialisation", "#fde0c5"),
        "model bias": (3.6, 1.2, "model bias\n→ a more flexible model\n(features, units, layers)", "#fbd0d0"),
        "overfitting": (6.3, 0.6, "overfitting\n→ more data, a simpler model,\nearly stopping, regularisation", "#d7e8fb"),
        "mismatch": (9.3, 0.6, "mismatch\n→ training data like the\ndata the model will meet", "#e4d7f5"),
        "fine": (10.0, 4.2, "fine:\ntest once", "#d5f0d5"),
    }
    framed = {"overfitting", "mismatch"} if highlight == "overfitting or mismatch" else {highlight}
    for name, (bx, by, text, face) in boxes.items():
        ax.text(bx, by, text, ha="center", va="center", fontsize=9, zorder=3,
                bbox=dict(boxstyle="round,pad=0.45", facecolor=face, edgecolor="black",
                          linewidth=3.0 if name in framed else 0.9))
    arrows = [("q_train", "q_smaller", "yes"), ("q_train", "q_val", "no"), ("q_smaller", "optimisation", "yes"),
              ("q_smaller", "model bias", "no"), ("q_val", "q_heldout", "yes"), ("q_val", "fine", "no"),
              ("q_heldout", "overfitting", "yes"), ("q_heldout", "mismatch", "no")]
    for a, b, word in arrows:
        (ax_, ay), (bx, by) = boxes[a][:2], boxes[b][:2]
        ax.annotate("", xy=(bx, by), xytext=(ax_, ay), zorder=1,
                    arrowprops=dict(arrowstyle="-|>", color="0.3", lw=1.2, shrinkA=28, shrinkB=30))
        ax.text((ax_ + bx) / 2, (ay + by) / 2, word, fontsize=9, color="0.15", ha="center", va="center", zorder=2,
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"))
    if title:
        ax.set_title(title)
    return fig


def plot_eigenvalues(spectra: dict, ax=None, title=None):
    """Hessian eigenvalues, smallest first, for several points (label → eigenvalues); symlog axis shows both signs.

    Taught in notebook 07."""
    non_empty_dict("spectra", spectra, "label → array of eigenvalues")
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    smallest = np.inf
    for (label, values), marker in zip(spectra.items(), ["o", "s", "^", "D"] * len(spectra)):
        values = np.sort(as_1d(f"spectra[{label!r}]", values))
        ax.plot(np.arange(1, len(values) + 1), values, marker, ms=7, ls="none", label=label)
        nonzero = np.abs(values[np.abs(values) > 1e-9 * np.abs(values).max()])   # round-off counts as 0
        smallest = min(smallest, nonzero.min()) if nonzero.size else smallest
    ax.axhline(0, color="black", lw=0.8)
    ax.axhspan(ax.get_ylim()[0], 0, color="tab:red", alpha=0.06, label="negative curvature")
    linthresh = smallest if np.isfinite(smallest) else 1.0
    ax.set_yscale("symlog", linthresh=linthresh, linscale=0.6)
    # Labels only at 0 and every other power of ten beyond linthresh, so that 10⁻⁴, 0 and −10⁻⁴ do not collide.
    largest = max(float(np.max(np.abs(np.sort(as_1d(f"spectra[{k!r}]", v))))) for k, v in spectra.items())
    lo, hi = int(np.ceil(np.log10(linthresh))), int(np.ceil(np.log10(max(largest, linthresh))))
    step = max(1, -(-(hi - lo) // 3))
    powers = [10.0 ** k for k in range(hi, lo - 1, -step)]
    has_negative = any(np.min(v) < -linthresh / 2 for v in spectra.values())
    ticks = sorted([-p for p in powers if has_negative] + [0.0] + powers)
    ax.set_yticks(ticks, [f"{t:.0e}".replace("e-0", "e-").replace("e+0", "e") if t else "0" for t in ticks])
    ax.set(xlabel="eigenvalue number (smallest first)", ylabel="eigenvalue λ of the Hessian (symlog)", title=title)
    ax.legend(fontsize=8, loc="upper left")
    return fig


def plot_stall_census(curves, record_every: int, minimum_ratios, stall_losses, kinds, title=None):
    """Left: each run's loss per update, coloured by its stall's kind; right: minimum ratio against loss at the stall.

    Taught in notebook 07."""
    curves = as_array("curves", curves, "an array (K, T) of losses, one row per run")   # NaN: a run after it stopped
    ratios, losses = as_1d("minimum_ratios", minimum_ratios), as_1d("stall_losses", stall_losses)
    kinds = list(kinds)
    if curves.ndim != 2 or len(curves) != len(ratios) or len(kinds) != len(ratios):
        raise CourseError(f"curves (K, T), minimum_ratios (K,), stall_losses (K,) and kinds (K) must describe the same "
                          f"runs, got {curves.shape}, {ratios.shape}, {losses.shape} and {len(kinds)}")
    same_length("minimum_ratios", ratios, "stall_losses", losses)
    record_every = number("record_every", record_every, low=1, integer=True)
    colors = {"saddle point": "tab:red", "local minimum": "tab:blue", "undecided": "tab:gray",
              "local maximum": "black", "no stall": "tab:orange", "negative curvature on a slope": "tab:red",
              "positive-definite Hessian on a slope": "tab:purple", "undecided on a slope": "tab:gray"}
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.3), layout="constrained")
    steps = np.arange(curves.shape[1]) * record_every
    for curve, kind in zip(curves, kinds):
        left.plot(steps[1:], curve[1:], color=colors.get(kind, "tab:gray"), lw=0.8, alpha=0.6)
    counts = {k: kinds.count(k) for k in colors if k in kinds}
    for kind, n in counts.items():
        left.plot([], [], color=colors[kind], label=f"{kind}: {n} runs")
    left.set(xscale="log", xlabel="update (log scale)", ylabel="training loss")
    left.legend(fontsize=8)
    jitter = np.random.default_rng(0).uniform(-0.012, 0.012, len(ratios))   # fixed, only to separate the dots
    for kind in counts:
        keep = np.array([k == kind for k in kinds])
        right.scatter(ratios[keep] + jitter[keep], losses[keep], s=18, color=colors[kind], alpha=0.7, label=kind)
    for r in np.unique(np.round(ratios, 6)):
        n = int(np.sum(np.isclose(ratios, r)))
        right.annotate(f"{n} runs", (r, losses[np.isclose(ratios, r)].max()), textcoords="offset points",
                       xytext=(0, 6), ha="center", fontsize=8)
    right.margins(y=0.12)
    right.set(xlabel="minimum ratio = positive eigenvalues / all eigenvalues", ylabel="training loss at the stall",
              xlim=(min(0.5, ratios.min() - 0.05), 1.05))
    right.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def plot_loss_slice(a_values, b_values, losses, profile_t, profile_loss, quadratic=None, t=0.0, level=None,
                    ax_pair=None, labels=("a (along u)", "b (along v)"), title=None):
    """Left: contour map of the loss on the plane θ + a·u + b·v, the step t marked; right: the loss along u alone.

    level: draw the contour line of this loss (the loss at θ: at a saddle point it crosses itself).

    Used inside utils, by widgets.saddle_slice_view (notebook 07)."""
    a_values, b_values = as_1d("a_values", a_values), as_1d("b_values", b_values)
    losses = as_grid("losses", losses, ("b_values", b_values), ("a_values", a_values))
    profile_t, profile_loss = as_1d("profile_t", profile_t), as_1d("profile_loss", profile_loss)
    same_length("profile_t", profile_t, "profile_loss", profile_loss)
    if ax_pair is None:
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    else:
        left, right = ax_pair
        fig = left.figure
    cs = left.contourf(a_values, b_values, losses, levels=30, cmap="viridis_r")
    fig.colorbar(cs, ax=left, label="loss L")
    if level is not None and losses.min() < level < losses.max():
        left.contour(a_values, b_values, losses, levels=[level], colors="white", linewidths=1)
    left.plot(0, 0, "o", ms=9, mfc="white", mec="black", label="the point θ")
    left.plot(t, 0, "*", ms=14, mfc="red", mec="white", label=f"θ + {t:.2f}·u")
    left.set(xlabel=labels[0], ylabel=labels[1])
    left.legend(fontsize=8, loc="upper right")
    right.plot(profile_t, profile_loss, color="black", lw=1.5, label="loss along u")
    if quadratic is not None:
        quadratic = as_1d("quadratic", quadratic)
        same_length("profile_t", profile_t, "quadratic", quadratic)
        right.plot(profile_t, quadratic, color="tab:red", ls="--", lw=1.2, label="quadratic model (gradient + Hessian)")
    right.plot(t, np.interp(t, profile_t, profile_loss), "*", ms=14, mfc="red", mec="white")
    span = profile_loss.max() - profile_loss.min()
    right.set(xlabel=labels[0], ylabel="loss L", xlim=(profile_t[0], profile_t[-1]),
              ylim=(profile_loss.min() - 0.1 * span - 1e-12, profile_loss.max() + 0.1 * span + 1e-12))
    right.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def plot_trajectories(w1_values, w2_values, losses, runs: dict, marks=None, lrs=None, loss_floor=1e-6, title=None,
                      separate: bool = False):
    """Optimiser paths on a contour map (left) and their loss per step (right, log scale).

    runs: dict label → (path (T+1, 2), loss along it (T+1,)); marks: dict label → (w1, w2), drawn as stars;
    lrs: dict label → η per step, drawn dashed on a second axis of the loss panel. separate=True: small multiples,
    one map per run (three to a row, the loss panel last), so that no path can hide another.

    Taught in notebook 08."""
    w1_values, w2_values = as_1d("w1_values", w1_values, min_len=2), as_1d("w2_values", w2_values, min_len=2)
    losses = as_grid("losses", losses, ("w2_values", w2_values), ("w1_values", w1_values))
    non_empty_dict("runs", runs, "label → (path of shape (T+1, 2), loss along the path)")
    separate = flag("separate", separate)
    if separate:
        n_rows = -(-(len(runs) + 1) // 3)
        fig, axes = plt.subplots(n_rows, 3, figsize=(13, 3.6 * n_rows + 0.8), layout="constrained", squeeze=False)
        axes = list(axes.ravel())
        maps, right = axes[:len(runs)], axes[len(runs)]
        for ax in axes[len(runs) + 1:]:
            ax.set_visible(False)
    else:
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.0), layout="constrained", width_ratios=(1.35, 1))
        maps = [left] * len(runs)
    lo, hi = max(losses.min(), loss_floor), losses.max()
    for ax in dict.fromkeys(maps):                          # each map once
        ax.contourf(w1_values, w2_values, np.clip(losses, lo, None), levels=np.geomspace(lo, hi, 25),
                    cmap="viridis_r", norm=plt.matplotlib.colors.LogNorm(lo, hi))
        ax.contour(w1_values, w2_values, np.clip(losses, lo, None), levels=np.geomspace(lo, hi, 25),
                   colors="white", linewidths=0.3, alpha=0.5)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    # (line style, marker, marker size, line width): each run has its own, so curves on one panel stay apart
    styles = itertools.cycle([("-", ".", 5, 2.2), ("--", "o", 4.5, 1.8), (":", "s", 4, 2.2), ("-.", "^", 3.5, 1.5),
                              ((0, (5, 1, 1, 1)), "v", 3, 1.3)])
    for (label, (path, loss)), color, ax in zip(runs.items(), colors * len(runs), maps):
        path, loss = as_2d(f"runs[{label!r}] path", path), as_1d(f"runs[{label!r}] loss", loss)
        if path.shape[1] != 2 or len(path) != len(loss):
            raise CourseError(f"runs[{label!r}]: the path must have shape (T+1, 2) and one loss per point")
        off = ((path[:, 0] < w1_values[0]) | (path[:, 0] > w1_values[-1])
               | (path[:, 1] < w2_values[0]) | (path[:, 1] > w2_values[-1]))
        shown = path.copy()
        if off.any():   # points off the map are left out (NaN breaks the line): an exploding zigzag would paint it
            label = f"{label} (off the map from step {np.argmax(off)})"
            shown[off] = np.nan
        style = next(styles)
        ax.plot(shown[:, 0], shown[:, 1], marker=style[1], ls=style[0], ms=style[2], lw=style[3] if not separate
                else 2.0, color=color, label=label, mfc="none" if style[1] != "." else color,
                markevery=max(1, len(path) // 60))          # at most ~60 markers: lines below stay visible
        right.plot(np.arange(len(loss)), np.clip(loss, loss_floor, None), ls=style[0], lw=style[3], color=color,
                   label=label)
        if separate:
            ax.set_title(label, fontsize=9, color=color)
    first = as_2d("path", next(iter(runs.values()))[0])
    for ax in dict.fromkeys(maps):
        ax.plot(*first[0], "o", ms=8, mfc="white", mec="black", mew=2, label="start", zorder=4)
        for (label, (w1, w2)), marker in zip((marks or {}).items(), ["*", "P", "X"] * 3):
            ax.plot(w1, w2, marker, ms=13, mfc="red" if marker == "*" else "orange", mec="white", label=label, zorder=4)
        ax.set(xlim=(w1_values[0], w1_values[-1]), ylim=(w2_values[0], w2_values[-1]), xlabel="w1", ylabel="w2")
    handles, labels = maps[0].get_legend_handles_labels()
    if separate:                                            # every run's line, then the start and the marks
        handles = [ax.get_lines()[0] for ax in maps] + handles[1:]
        labels = [h.get_label() for h in handles]
    fig.legend(handles, labels, fontsize=8, loc="outside lower center",
               ncol=min(4, len(runs) + 1 + len(marks or {})))        # below the panels: off the data
    right.set(yscale="log", xlabel="step t", ylabel=f"loss L (log scale, shown down to {loss_floor:g})",
              ylim=(loss_floor / 2, 3 * hi))
    if lrs:
        twin = right.twinx()
        for (label, eta), color in zip(lrs.items(), colors * len(lrs)):
            twin.plot(np.arange(1, len(eta) + 1), as_1d(f"lrs[{label!r}]", eta), ls="--", lw=1, color=color)
        twin.set_ylabel("learning rate η_t (dashed)")
        twin.set_ylim(bottom=0)
    if title:
        fig.suptitle(title)
    return fig


def plot_final_losses(groups: dict, baseline=None, baseline_label="baseline", ax=None, title=None,
                      ylabel="training loss after the last epoch (MSE)"):
    """One column per set-up (label → final losses, one per seed): the seeds as dots, their median as a bar.

    Taught in notebook 08."""
    non_empty_dict("groups", groups, "label → array of final losses, one per seed")
    fig, ax = _fig_ax(ax, figsize=(10, 4))
    for i, (label, values) in enumerate(groups.items()):
        values = as_1d(f"groups[{label!r}]", values)
        offsets = np.linspace(-0.15, 0.15, len(values)) if len(values) > 1 else np.zeros(1)
        ax.scatter(i + offsets, values, s=22, color="tab:blue", zorder=3, label="one seed" if i == 0 else None)
        ax.plot([i - 0.25, i + 0.25], [np.median(values)] * 2, color="black", lw=2,
                label="median over the seeds" if i == 0 else None)
    if baseline is not None:
        ax.axhline(baseline, color="tab:red", ls="--", lw=1.2, label=baseline_label)
    ax.set_xticks(range(len(groups)), list(groups), fontsize=8)
    ax.set(yscale="log", ylabel=ylabel, title=title)
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.LogFormatter())   # 100, not 10²
    ax.yaxis.set_minor_formatter(plt.matplotlib.ticker.LogFormatter(labelOnlyBase=False, minor_thresholds=(2, 0.5)))
    ax.legend(fontsize=8)
    return fig


def plot_batch_tradeoff(batch_sizes, seconds_per_epoch, gradient_noise, n_examples=None, title=None):
    """Two log-log panels against the batch size B: seconds per epoch, and the mini-batch gradient's noise.

    With n_examples = N the noise is compared with √((N − B) / (B (N − 1))), the law for batches drawn without
    replacement; without it, with 1/√B.

    Taught in notebook 08."""
    batch_sizes = as_1d("batch_sizes", batch_sizes, min_len=2)
    seconds_per_epoch, gradient_noise = as_1d("seconds_per_epoch", seconds_per_epoch), as_1d("gradient_noise", gradient_noise)
    same_length("batch_sizes", batch_sizes, "seconds_per_epoch", seconds_per_epoch)
    same_length("batch_sizes", batch_sizes, "gradient_noise", gradient_noise)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
    left.plot(batch_sizes, seconds_per_epoch, "o-")
    left.set(xscale="log", yscale="log", xlabel="batch size B", ylabel="seconds per epoch (this CPU)",
             title="one epoch: fewer, bigger updates are cheaper")
    left.set_xticks(batch_sizes, [f"{b:,.0f}" for b in batch_sizes])    # the batch sizes as ticks, no clutter
    left.xaxis.set_minor_locator(plt.matplotlib.ticker.NullLocator())
    keep = gradient_noise > 1e-9 * gradient_noise.max()   # the full batch has no noise: nothing to draw on a log scale
    b = batch_sizes[keep]
    right.plot(b, gradient_noise[keep], "o-", color="tab:orange", label="measured")
    if n_examples is None:
        law, name = 1 / np.sqrt(b), "∝ 1/√B"
    else:
        n = number("n_examples", n_examples, low=2)
        if b.max() >= n:
            raise CourseError(f"n_examples ({n:.0f}) must be larger than every batch size with noise ({b.max():.0f})")
        law, name = np.sqrt((n - b) / (b * (n - 1))), "∝ √((N − B) / B)"
    right.plot(b, gradient_noise[keep][0] * law / law[0], ":", color="gray", label=name)
    right.set(xscale="log", yscale="log", xlabel="batch size B", ylabel="‖g_batch − g‖ / ‖g‖",
              title="one update: smaller batches are noisier")
    for ax in (left, right):                         # plain numbers on the log axes (0.05, not 5×10⁻²)
        ax.yaxis.set_major_formatter(plt.matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_locator(plt.matplotlib.ticker.LogLocator(subs=(2, 5)))
        ax.yaxis.set_minor_formatter(plt.matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    right.set_xticks(b, [f"{v:,.0f}" for v in b])
    right.xaxis.set_minor_locator(plt.matplotlib.ticker.NullLocator())
    missing = batch_sizes[~keep]
    if len(missing):                                 # say where the noiseless batches went
        right.text(0.98, 0.95, "no noise (not drawn on a log axis): B = " + ", ".join(f"{b:,.0f}" for b in missing),
                   transform=right.transAxes, ha="right", va="top", fontsize=8)
    right.legend(fontsize=8, loc="lower left")
    if title:
        fig.suptitle(title)
    return fig


def plot_accuracy_vs_size(sizes, train_acc, test_acc, ax=None, title=None, eval_name="test"):
    """Final accuracy against the number of training examples (log axis): one dot per seed, the mean as a line;
    eval_name: what the legend calls test_acc's digits (e.g. "validation"). Taught in notebook 09."""
    sizes = as_1d("sizes", sizes)
    train_acc = as_2d("train_acc", train_acc)      # (len(sizes), seeds)
    test_acc = as_2d("test_acc", test_acc)
    if train_acc.shape != test_acc.shape or len(train_acc) != len(sizes):
        raise CourseError(f"train_acc {train_acc.shape} and test_acc {test_acc.shape} need one row per size "
                          f"({len(sizes)} sizes)")
    if not isinstance(eval_name, str) or not eval_name.strip():
        raise CourseError(f"eval_name must be a text naming the scored digits, e.g. 'validation'; got {eval_name!r}")
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    for acc, name, color in ((train_acc, "training", "C1"), (test_acc, eval_name, "C0")):
        ax.plot(sizes, 100 * acc.mean(axis=1), "s--" if name == "training" else "o-", color=color, lw=1.8,
                label=f"{name} accuracy (mean; dots: seeds)")
        ax.scatter(np.repeat(sizes, acc.shape[1]), 100 * acc.ravel(), s=10, color=color, alpha=0.5)
    ax.set_xscale("log")
    ax.set_xticks(sizes, [f"{s:,.0f}" for s in sizes])
    ax.minorticks_off()
    ax.set(xlabel="training digits (log scale)", ylabel="accuracy after training (%)", title=title)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def plot_confusion_matrix(matrix, ax=None, title=None):
    """A confusion matrix (rows true, columns predicted) as a grid of counts; the diagonal is the correct ones.

    Taught in notebook 09."""
    matrix = as_2d("matrix", matrix)
    if matrix.shape[0] != matrix.shape[1] or np.any(matrix < 0):
        raise CourseError(f"matrix must be a square table of counts ≥ 0, got shape {matrix.shape}")
    n = len(matrix)
    fig, ax = _fig_ax(ax, figsize=(5.6, 5))
    off = matrix * (1 - np.eye(n))                 # colour only the mistakes: the diagonal would swamp them
    vmax = max(off.max(), 1)
    image = ax.imshow(off, cmap="Reds", vmin=0, vmax=vmax)
    bar = fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="mistakes in the cell (count)")
    bar.locator = matplotlib.ticker.MaxNLocator(integer=True)   # counts: whole-number ticks
    bar.update_ticks()
    for i in range(n):
        for j in range(n):
            if matrix[i, j]:
                dark = i != j and off[i, j] > 0.6 * vmax          # white on the darkest reds, to stay readable
                ax.text(j, i, f"{matrix[i, j]:.0f}", ha="center", va="center", fontsize=8,
                        fontweight="bold" if i == j else "normal",
                        color="tab:blue" if i == j else ("white" if dark else "black"))
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set(xlabel="predicted digit", ylabel="true digit", title=title)
    return fig


def plot_misclassified(images, labels, predicted, n: int = 24, n_cols: int = 8, title=None):
    """The first n digits whose predicted class differs from the label, each titled 'predicted (true)'.

    Taught in notebook 09."""
    images, labels = as_digit_images("images", images), as_labels("labels", labels)
    same_length("images", images, "labels", labels)
    predicted = as_labels("predicted", predicted)
    same_length("labels", labels, "predicted", predicted)
    n = number("n", n, low=1, high=200, integer=True)
    n_cols = number("n_cols", n_cols, low=1, high=20, integer=True)
    wrong = np.flatnonzero(labels != predicted)[:n]
    if len(wrong) == 0:
        raise CourseError("there are no misclassified digits to show: predicted equals labels everywhere")
    n_rows = int(np.ceil(len(wrong) / n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(1.05 * n_cols, 1.25 * n_rows + 0.3), layout="constrained",
                             squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, i in zip(axes.ravel(), wrong):
        ax.imshow(images[i], cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(f"{predicted[i]} (true {labels[i]})", fontsize=8, color="tab:red")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_weight_histograms(weights: dict, bins=None, ax=None, title=None):
    """Histograms of weights: label → 1-D array of weights, drawn as outlines on one axis (log counts).

    Used inside utils, by widgets.lambda_view (notebook 10)."""
    non_empty_dict("weights", weights, "label → 1-D array of weights")
    arrays = {label: as_1d(f"weights[{label!r}]", w) for label, w in weights.items()}
    if bins is None:
        top = max(float(np.abs(w).max()) for w in arrays.values()) or 1.0
        bins = np.linspace(-top, top, 61)
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    for i, (label, w) in enumerate(arrays.items()):
        ax.hist(w, bins=bins, histtype="step", lw=1.8, color=f"C{i}", label=label)
    ax.set_yscale("log")
    ax.set(xlabel="weight w", ylabel="number of weights (log scale)", title=title)
    ax.legend(fontsize=8)
    return fig


def plot_accuracy_gap(labels, train_acc, test_acc, current=None, ax=None, title=None, joined=True,
                      names=("training", "test")):
    """Training and test accuracy (mean and every seed) per setting, the gap shaded; `current` marks one setting.

    joined=False: settings that are categories, not a scale: means as bars, no lines between settings.
    names: what the two accuracies are called in the legend. Taught in notebook 10."""
    joined = flag("joined", joined)
    if isinstance(names, str) or len(names) != 2:
        raise CourseError(f"names must be two labels, e.g. ('training', 'validation'), got {names!r}")
    train_acc = as_2d("train_acc", train_acc)              # (settings, seeds) fractions
    test_acc = as_2d("test_acc", test_acc)
    if train_acc.shape != test_acc.shape:
        raise CourseError(f"train_acc {train_acc.shape} and test_acc {test_acc.shape} must have the same shape")
    labels = [str(s) for s in labels]
    if len(labels) != len(train_acc):
        raise CourseError(f"labels has {len(labels)} entries but there are {len(train_acc)} settings")
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    x = np.arange(len(labels))
    for acc, name, color in ((train_acc, names[0], "tab:blue"), (test_acc, names[1], "tab:orange")):
        for k in range(acc.shape[1]):
            ax.plot(x, 100 * acc[:, k], "o", color=color, ms=3, alpha=0.5)
        mean_style = dict(ls="-", lw=2) if joined else dict(ls="none", marker="_", ms=22, mew=2.5)
        ax.plot(x, 100 * acc.mean(axis=1), color=color, label=f"{name} (mean of {acc.shape[1]} seeds; dots: each seed)",
                **mean_style)
    if joined:
        ax.fill_between(x, 100 * test_acc.mean(axis=1), 100 * train_acc.mean(axis=1), color="gray", alpha=0.2,
                        label="gap")
    else:
        ax.bar(x, 100 * (train_acc.mean(axis=1) - test_acc.mean(axis=1)), bottom=100 * test_acc.mean(axis=1),
               width=0.35, color="gray", alpha=0.25, label="gap (between the means)")
    if current is not None:
        if str(current) not in labels:
            raise CourseError(f"current must be one of the labels {labels}, got {current!r}")
        ax.axvline(labels.index(str(current)), color="black", ls=":")
    ax.set_xticks(x, labels)
    ax.set(ylabel="accuracy (%)", title=title)
    ax.legend(fontsize=8, loc="lower left")
    return fig


def plot_layer_histograms(layers, ax=None, bins: int = 40, value_range=None, xlabel="z", title=None, shade=None,
                          layer_names=None):
    """One histogram per layer, stacked from the first layer (bottom) to the last (top); shade: (low, high) spans to grey.

    Taught in notebook 11."""
    if isinstance(layers, np.ndarray) or not isinstance(layers, (list, tuple)) or not layers:
        raise CourseError("layers must be a non-empty list with one array of values per layer")
    layers = [np.ravel(np.asarray(v, dtype=float)) for v in layers]
    layers = [v[np.isfinite(v)] for v in layers]
    bins = number("bins", bins, low=2, high=500, integer=True)
    if value_range is None:
        everything = np.concatenate(layers)
        lo, hi = (everything.min(), everything.max()) if everything.size else (0.0, 1.0)
    else:
        lo, hi = as_1d("value_range", value_range)[:2]
    if not hi > lo:
        lo, hi = lo - 0.5, hi + 0.5                    # all values equal: a narrow window around them
    names = layer_names or [f"layer {i + 1}" for i in range(len(layers))]
    if len(names) != len(layers):
        raise CourseError(f"layer_names must name each of the {len(layers)} layers, got {len(names)}")
    fig, ax = _fig_ax(ax, figsize=(6, 1 + 0.45 * len(layers)))
    for lo_s, hi_s in (shade or []):
        ax.axvspan(lo_s, hi_s, color="0.88", zorder=0)
    edges = np.linspace(lo, hi, bins + 1)
    for i, values in enumerate(layers):
        counts = np.histogram(np.clip(values, lo, hi), edges)[0].astype(float)   # outliers land in the end bins
        height = 0.85 * counts / counts.max() if counts.max() > 0 else counts
        ax.fill_between(edges[:-1], i, i + height, step="post", color=f"C{i % 10}", alpha=0.75, lw=0)
    ax.set_yticks(np.arange(len(layers)) + 0.3, names, fontsize=8)
    ax.set(xlim=(lo, hi), ylim=(-0.1, len(layers)), xlabel=xlabel, title=title)
    return fig


def plot_image_grid(images: dict, n_cols=None, title=None, size: float = 1.9, shared_scale: bool = False,
                    colorbar_label=None):
    """Each named 2-D array as one panel titled with its name: grey for ink (no negative values), red/blue for signed values.

    By default each panel is scaled to its own largest value. shared_scale=True puts every panel on one scale (grey
    from 0 to the largest value of all panels, or red/blue from −m to +m, m the largest |value|, if any panel has a
    negative value) and draws that scale as one colour bar, labelled colorbar_label.

    Taught in notebook 12."""
    non_empty_dict("images", images, "panel title → 2-D array (an image, a filter or a feature map)")
    flag("shared_scale", shared_scale)
    if colorbar_label is not None and not isinstance(colorbar_label, str):
        raise CourseError(f"colorbar_label must be a string (what the colours measure) or None, got {colorbar_label!r}")
    arrays = {}
    for name, values in images.items():
        arr = np.asarray(values, dtype=float)
        if arr.ndim != 2 or arr.size == 0 or not np.all(np.isfinite(arr)):
            raise CourseError(f"images[{name!r}] must be a finite 2-D array, got shape {arr.shape}")
        arrays[name] = arr
    n_cols = len(arrays) if n_cols is None else min(number("n_cols", n_cols, low=1, integer=True), len(arrays))
    n_rows = -(-len(arrays) // n_cols)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(size * n_cols + (0.9 if shared_scale else 0), size * n_rows + 0.5),
                             squeeze=False, layout="constrained")
    for ax in axes.flat:
        ax.set_axis_off()
    signed = any(arr.min() < 0 for arr in arrays.values())
    largest = max(max(np.abs(arr).max() for arr in arrays.values()), 1e-12)
    for ax, (name, arr) in zip(axes.flat, arrays.items()):
        if shared_scale:                # one scale for all panels, drawn as the colour bar
            shown = ax.imshow(arr, cmap="RdBu_r" if signed else "gray_r", vmin=-largest if signed else 0, vmax=largest)
        elif arr.min() >= 0:            # an image or a map after ReLU: white = 0, black = the largest value
            ax.imshow(arr, cmap="gray_r", vmin=0, vmax=max(arr.max(), 1e-12))
        else:                           # signed (a filter, a map before ReLU): red > 0, blue < 0, white = 0
            limit = np.abs(arr).max()
            ax.imshow(arr, cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(name, fontsize=8)
    if shared_scale:
        fig.colorbar(shown, ax=axes, shrink=0.85, aspect=15 * n_rows, label=colorbar_label or "value (one scale for all panels)")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig
