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

def plot_curve_1d(w_values, losses, paths=None, tangents=None, ax=None, xlabel="w1", title=None):
    """A loss curve L(w) of one parameter, with descent paths (label → (w array, L array)) and tangents [(w, L, slope)]."""
    w_values, losses = as_1d("w_values", w_values, min_len=2), as_1d("losses", losses, min_len=2)
    same_length("w_values", w_values, "losses", losses)
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    ax.plot(w_values, losses, color="black", lw=1.5, label="L(w)")
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


def plot_descent(w1_values, b_values, losses, runs: dict, optimum, title=None):
    """Gradient-descent runs (label → gradient_descent() history) on the contour map, and how far above the optimum
    (w1*, b*, L*) each run's loss is after every update; a diverged run is cut off where it stopped and marked."""
    if not isinstance(runs, dict) or not runs:
        raise ValueError("runs must be a non-empty dict: label → the history that gradient_descent() returns")
    for label, h in runs.items():
        if not isinstance(h, dict) or not {"w1", "b", "loss"} <= set(h):
            raise TypeError(f"runs[{label!r}] must be the dict that gradient_descent() returns")
    w1_star, b_star, L_star = as_1d("optimum (w1*, b*, L*)", optimum, min_len=3)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.2), layout="constrained")
    labels = {label: label if h.get("diverged_at") is None else f"{label}: diverged at update {h['diverged_at']}"
              for label, h in runs.items()}
    first = next(iter(runs.values()))
    plot_contour(w1_values, b_values, losses, ax=left, paths={labels[k]: (h["w1"], h["b"]) for k, h in runs.items()})
    left.plot(first["w1"][0], first["b"][0], "o", ms=9, mfc="white", mec="black", mew=2, label="start", zorder=4)
    left.plot(w1_star, b_star, "*", ms=16, mfc="red", mec="white", label=f"optimum, L* = {L_star:.1f}", zorder=4)
    left.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)   # below: never over a path
    # Right: L − L* on a log scale shows a crawl (15 → 8) as clearly as an explosion (10³ → 10¹¹);
    # symlog x shows update 1 and update 10,000 on one axis.
    floor = 1e-6 * max(L_star, 1.0)            # "at the optimum, to 6 significant digits"
    top = 30 * max(h["loss"][0] - L_star for h in runs.values())
    gaps = [np.clip(h["loss"] - L_star, floor, None) for h in runs.values()]
    bottom = max(floor, 0.3 * min(g.min() for g in gaps))
    top = max(top, 10 * bottom)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for (label, h), gap, color in zip(runs.items(), gaps, colors):
        right.plot(np.arange(len(gap)), gap, color=color, label=labels[label])
        if h.get("diverged_at") is not None:   # mark where the run was stopped (at the top edge if off the chart)
            right.plot(len(gap) - 1, min(gap[-1], top), "x", ms=10, mew=2.5, color=color, clip_on=False)
    last = max(max(len(h["loss"]) - 1, h.get("steps", 0)) for h in runs.values())
    right.set_xscale("symlog", linthresh=1)
    right.set_yscale("log")
    right.set(xlim=(0, max(last, 1)), ylim=(bottom, top), xlabel="update t  (symlog scale: 0, 1, 10, 100, …)",
              ylabel=f"L − L*  (loss above the optimum {L_star:.1f}; log)")
    right.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    if title:
        fig.suptitle(title)
    return fig


# --- notebook 03: batches and epochs (add this notebook's helpers below this line) ---

def plot_batch_runs(w1_values, b_values, losses, runs: dict, optimum=None, title=None):
    """Mini-batch runs (label → minibatch_descent() history): paths on the contour map, loss per epoch, loss per update.

    optimum: (w1*, b*, L*) or None. A diverged run is cut off where it stopped; then the loss axes stop
    at 30× the starting loss so one explosion does not flatten the other curves."""
    if not isinstance(runs, dict) or not runs:
        raise ValueError("runs must be a non-empty dict: label → the history that minibatch_descent() returns")
    for label, h in runs.items():
        if not isinstance(h, dict) or not {"w1", "b", "loss", "epoch_loss", "updates_per_epoch"} <= set(h):
            raise TypeError(f"runs[{label!r}] must be the dict that minibatch_descent() returns")
    fig, (left, mid, right) = plt.subplots(1, 3, figsize=(15, 4.3), layout="constrained")
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    labels = {k: k if h["diverged_at"] is None else f"{k}: diverged at update {h['diverged_at']}"
              for k, h in runs.items()}
    first = next(iter(runs.values()))
    mark = {"start": (first["w1"][0], first["b"][0])}
    if optimum is not None:
        mark[f"optimum, L* = {optimum[2]:.1f}"] = (optimum[0], optimum[1])
    plot_contour(w1_values, b_values, losses, ax=left, mark=mark,
                 paths={labels[k]: (h["w1"], h["b"]) for k, h in runs.items()})
    if any(h["diverged_at"] is not None for h in runs.values()):
        top = 30 * max(h["loss"][0] for h in runs.values())
    else:
        top = 1.5 * max(h["loss"].max() for h in runs.values())
    low = min(min(h["loss"].min() for h in runs.values()), optimum[2] if optimum is not None else np.inf)
    for (label, h), color in zip(runs.items(), colors):
        mid.plot(np.arange(len(h["epoch_loss"])), h["epoch_loss"], "o-", ms=3, color=color, label=labels[label])
        right.plot(np.arange(len(h["loss"])), h["loss"], color=color, lw=1, label=labels[label])
        if h["diverged_at"] is not None:
            right.plot(len(h["loss"]) - 1, min(h["loss"][-1], top), "x", ms=10, mew=2.5, color=color)
    for ax in (mid, right):
        if optimum is not None:
            ax.axhline(optimum[2], color="gray", ls="--", lw=1, label=f"optimum L* = {optimum[2]:.1f}")
        ax.set(yscale="log", ylim=(0.95 * low, top), ylabel="loss on all the data (MSE, log scale)")
        ax.yaxis.set_major_formatter(plt.matplotlib.ticker.LogFormatter())  # 600, not 6×10²
        ax.yaxis.set_minor_formatter(plt.matplotlib.ticker.LogFormatter(labelOnlyBase=False))
        ax.legend(fontsize=8)
    mid.set(xlabel="epoch (each example seen once per epoch)")
    right.set_xscale("symlog", linthresh=1)
    right.set(xlim=(0, max(len(h["loss"]) for h in runs.values())), xlabel="update (symlog scale)")
    if title:
        fig.suptitle(title)
    return fig


def plot_param_trace(traces: dict, updates_per_epoch: int, first_update: int = 0, targets=None,
                     ax=None, ylabel="w1", title=None):
    """One parameter against the update number for several runs (label → array), epoch ends as dotted lines.

    targets: dict label → value, drawn as dashed horizontal lines (e.g. each course's best w1)."""
    from .checks import number

    if not isinstance(traces, dict) or not traces:
        raise ValueError("traces must be a non-empty dict: label → array of parameter values, one per update")
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



# --- notebook 04: validation and overfitting (add this notebook's helpers below this line) ---

def plot_lines_on_courses(table: dict, lines: dict, courses=None, title=None):
    """plot_courses with lines y = w1·x1 + b drawn over it; lines: dict label → (w1, b)."""
    if not isinstance(lines, dict) or not lines:
        raise ValueError("lines must be a non-empty dict: label → (w1, b)")
    fig = plot_courses(table, courses)
    ax = fig.axes[0]
    xs = np.linspace(0, float(np.max(table["slides"])) * 1.05, 2)
    for (label, (w1, b)), ls in zip(lines.items(), ["-", "--", ":", "-."] * len(lines)):
        ax.plot(xs, w1 * xs + b, color="black", ls=ls, lw=1.3, label=label)
    ax.set(title=title)
    ax.legend(fontsize=8)
    return fig


def plot_pieces(x, total, pieces=None, constant=None, target=None, ax=None, title=None):
    """A piecewise-linear curve (bold), its max(0, ·) pieces (thin, one row each), the constant and the target."""
    x, total = as_1d("x", x, min_len=2), as_1d("total", total, min_len=2)
    same_length("x", x, "total", total)
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    if target is not None:
        ax.plot(x, as_1d("target", target), color="tab:red", lw=4, alpha=0.35, label="the curve to build")
    if constant is not None:
        ax.axhline(constant, color="gray", ls="--", lw=1, label=f"constant b = {constant:.1f}")
    if pieces is not None:
        pieces = as_2d("pieces", pieces)
        if pieces.shape[1] != len(x):
            raise ValueError(f"pieces must have one row per piece and {len(x)} columns, got {pieces.shape}")
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
    """Lectures as dots (training, optionally validation) with model curves; curves: dict label → (xs, ys)."""
    if not isinstance(curves, dict) or not curves:
        raise ValueError("curves must be a non-empty dict: label → (xs, ys) of a model's curve")
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


def plot_runs(curves: dict, baseline=None, baseline_label="baseline", ax=None, title=None,
              ylabel="training loss (MSE)"):
    """Loss per epoch (epochs 1, 2, …) of several runs, log scale, with an optional horizontal reference loss."""
    if not isinstance(curves, dict) or not curves:
        raise ValueError("curves must be a non-empty dict: label → array of losses per epoch")
    fig, ax = _fig_ax(ax, figsize=(6, 4))
    for label, values in curves.items():
        values = as_1d(f"curves[{label!r}]", values)
        ax.plot(np.arange(1, len(values) + 1), values, lw=1.3, label=label)
    if baseline is not None:
        ax.axhline(baseline, color="black", ls="--", lw=1.2, label=baseline_label)
    ax.set(xlabel="epoch", ylabel=ylabel, yscale="log", title=title)
    ax.legend(fontsize=8)
    return fig


def plot_predicted_vs_true(groups: dict, ax=None, title=None):
    """Predicted against true minutes, one marker set per group (label → (y_true, y_pred)); diagonal = exact."""
    if not isinstance(groups, dict) or not groups:
        raise ValueError("groups must be a non-empty dict: label → (y_true, y_pred)")
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
    """Best-of-K selection: the chosen function's validation and test loss against K (rows = repeats, median bold)."""
    k = as_1d("n_candidates", n_candidates)
    val, test = as_2d("val_loss", np.atleast_2d(val_loss)), as_2d("test_loss", np.atleast_2d(test_loss))
    if val.shape != test.shape or val.shape[1] != len(k):
        raise ValueError(f"val_loss and test_loss must both have shape (repeats, {len(k)}), "
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


# --- notebook 05: classification (add this notebook's helpers below this line) ---


# --- notebook 06: a neural network from scratch (add this notebook's helpers below this line) ---


# --- notebook 07: training guide and critical points (add this notebook's helpers below this line) ---


# --- notebook 08: optimisers (add this notebook's helpers below this line) ---
