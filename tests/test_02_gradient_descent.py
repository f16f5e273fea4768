"""Notebook 02's helpers: standardised descent, the descent plots, and the learning-rate slider's view."""
import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest

from utils import data, models, plots, train, widgets


@pytest.fixture(scope="module")
def ml():
    rows = data.select(data.load_lectures(), course="ML2021")
    return data.features(rows)[:, 0], data.target(rows)


@pytest.fixture(scope="module")
def grid(ml):
    x, y = ml
    w1_values, b_values = np.linspace(0, 3, 100), np.linspace(0, 20, 300)
    return w1_values, b_values, models.loss_grid(x, y, w1_values, b_values)


def optimum(x, y):
    w1, b = models.fit_linear(x, y)
    return w1, b, models.mse(w1 * x + b, y)


# --- train.standardized_descent ---------------------------------------------------------------------------

def test_standardized_descent_reaches_the_least_squares_line_in_slide_units(ml):
    x, y = ml
    h = train.standardized_descent(x, y, w1=1.0, b=15.0, lr=0.1, steps=100)
    assert np.allclose([h["w1"][-1], h["b"][-1]], models.fit_linear(x, y), atol=1e-6)
    assert h["diverged_at"] is None and "100 updates" in train.describe_run(h)


def test_standardized_descent_is_plain_descent_on_z_from_the_same_line(ml):
    x, y = ml
    h = train.standardized_descent(x, y, w1=1.0, b=15.0, lr=0.05, steps=50)
    z = (x - x.mean()) / x.std()
    ref = train.gradient_descent(z, y, w1=x.std(), b=15.0 + x.mean(), lr=0.05, steps=50)
    assert np.allclose(h["w1_z"], ref["w1"]) and np.allclose(h["b_z"], ref["b"])
    assert h["w1"][0] == pytest.approx(1.0) and h["b"][0] == pytest.approx(15.0)   # starts at the same line
    for t in (0, 1, 10, 50):   # converted parameters give exactly the recorded loss
        assert np.isclose(h["loss"][t], models.mse(h["w1"][t] * x + h["b"][t], y))


def test_standardized_descent_makes_the_curvatures_equal(ml):
    x, _ = ml
    z = (x - x.mean()) / x.std()
    hessian = 2 * np.array([[np.mean(z * z), np.mean(z)], [np.mean(z), 1.0]])
    assert np.allclose(np.linalg.eigvalsh(hessian), [2.0, 2.0])


def test_standardized_descent_at_and_past_its_limit(ml):
    x, y = ml
    bounce = train.standardized_descent(x, y, lr=1.0, steps=10)   # η = 2/λmax: bounces, neither settles nor explodes
    assert bounce["diverged_at"] is None and np.isclose(bounce["loss"][-1], bounce["loss"][0])
    with np.errstate(all="raise"):
        wild = train.standardized_descent(x, y, lr=1.5, steps=10_000)
    assert wild["diverged_at"] is not None and np.all(np.isfinite(wild["loss"]))


@pytest.mark.parametrize("call, match", [
    (lambda x, y: train.standardized_descent(np.full(5, 3.0), y[:5]), "no spread"),
    (lambda x, y: train.standardized_descent(x, y[:5]), "x has 20 examples but y has 5"),
    (lambda x, y: train.standardized_descent(x, y, lr=0), "must be > 0"),
    (lambda x, y: train.standardized_descent(x, y, steps=1.5), "whole number"),
    (lambda x, y: train.standardized_descent([1.0], [2.0]), "at least 2"),
])
def test_standardized_descent_bad_arguments_say_what_to_fix(ml, call, match):
    x, y = ml
    with pytest.raises((ValueError, TypeError), match=match):
        call(x, y)


# --- plots ------------------------------------------------------------------------------------------------

def test_plot_curve_1d_draws_curve_paths_and_tangents():
    w = np.linspace(-2, 2, 50)
    fig = plots.plot_curve_1d(w, w ** 2, paths={"run": ([1.5, 0.5], [2.25, 0.25])}, tangents=[(1.0, 1.0, 2.0)])
    assert isinstance(fig, plt.Figure) and len(fig.axes[0].lines) == 3
    plt.close("all")


def test_plot_curve_1d_bad_arguments():
    with pytest.raises(ValueError, match="w_values has 3 examples but losses has 2"):
        plots.plot_curve_1d([0, 1, 2], [0, 1])


def test_plot_descent_marks_diverged_runs_and_clips_the_loss_axis(ml, grid):
    x, y = ml
    runs = {lr: train.gradient_descent(x, y, 1.0, 15.0, lr=lr, steps=10_000) for lr in (1e-2, 1e-4)}
    fig = plots.plot_descent(*grid, {f"η = {k:g}": h for k, h in runs.items()}, optimum(x, y))
    left, right = fig.axes[0], fig.axes[1]       # (axes[2] is the colour bar)
    labels = [t.get_text() for t in left.get_legend().get_texts()]
    assert any("diverged at update 3" in s for s in labels)
    assert right.get_ylim()[1] < 1e6              # the explosion does not flatten the crawl
    assert right.get_xlim() == (0, 10_000)
    plt.close("all")


def test_plot_descent_bad_arguments(ml, grid):
    x, y = ml
    h = train.gradient_descent(x, y, steps=5)
    with pytest.raises(ValueError, match="non-empty dict"):
        plots.plot_descent(*grid, {}, optimum(x, y))
    with pytest.raises(TypeError, match="gradient_descent"):
        plots.plot_descent(*grid, {"run": [1, 2]}, optimum(x, y))
    with pytest.raises(ValueError, match="at least 3"):
        plots.plot_descent(*grid, {"run": h}, (1.0, 2.0))
    plt.close("all")


# --- widgets ----------------------------------------------------------------------------------------------

EXTREMES = list(itertools.product([1e-6, 1.0], [10, 10_000], [0.0, 3.0], [0.0, 20.0], [False, True]))


@pytest.mark.parametrize("lr, steps, w1, b, standardize", EXTREMES)
def test_descent_view_at_every_slider_extreme(ml, grid, lr, steps, w1, b, standardize):
    x, y = ml
    with np.errstate(all="raise"):   # no overflow on the way, whatever the sliders say
        fig, message = widgets.descent_view(x, y, lr, steps, w1, b, standardize, *grid)
    assert isinstance(fig, plt.Figure) and message.startswith(f"η = {lr:g}")
    assert "explodes above 2/λmax" in message
    if lr == 1.0 and not standardize:
        assert "diverged after" in message
    plt.close("all")


@pytest.mark.parametrize("kwargs, match", [
    (dict(steps=-1), "steps .* must be ≥ 0"),
    (dict(standardize="yes"), "standardize must be True or False"),
    (dict(lr=0.0), "must be > 0"),
    (dict(w1_start=float("nan")), "must be finite"),
])
def test_descent_view_bad_arguments_say_what_to_fix(ml, kwargs, match):
    x, y = ml
    with pytest.raises((ValueError, TypeError), match=match):
        widgets.descent_view(x, y, **kwargs)
    plt.close("all")


def test_descent_widget_builds(ml):
    pytest.importorskip("ipywidgets")
    x, y = ml
    assert widgets.descent_widget(x, y) is not None
    plt.close("all")
