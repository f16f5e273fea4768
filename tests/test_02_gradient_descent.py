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


# --- the lessons' claims: the (1 − ηλ) factor, the limit 2/λmax, the canyon's two causes -------------------

def hessian(x):
    return 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


def canyon_ratio(feature):
    lam = np.linalg.eigvalsh(hessian(feature))
    return lam[1] / lam[0]


def four_versions(x):
    """raw, scaled only, centred only, standardised: (shift, scale) with feature = (x − shift) / scale."""
    m, s = x.mean(), x.std()
    return {"raw": (0.0, 1.0), "scaled": (0.0, s), "centred": (m, 1.0), "standardised": (m, s)}


@pytest.mark.parametrize("lr", [1e-4, 3e-4, 4.2e-4, 4.3e-4, 5e-4])
def test_one_dimension_distance_to_the_minimum_shrinks_by_one_minus_eta_lambda(ml, lr):
    x, y = ml
    w1_star, b_star = models.fit_linear(x, y)
    lam = hessian(x)[0, 0]                                  # d²L/dw1² with b fixed at b*
    path = train.descend(lambda w: [2 * np.mean((w[0] * x + b_star - y) * x)], [0.5], lr=lr, steps=20)["path"][:, 0]
    factors = (path[1:] - w1_star) / (path[:-1] - w1_star)
    assert np.allclose(factors, 1 - lr * lam)
    assert (abs(path[-1] - w1_star) < abs(path[0] - w1_star)) == (lr < 2 / lam)   # stable iff η < 2/λ


@pytest.mark.parametrize("start", [(1.0, 15.0), (0.0, 0.0), (3.0, 20.0), (-2.0, 40.0)])
def test_the_limit_two_over_lambda_max_holds_from_any_start(ml, start):
    x, y = ml
    limit = 2 / np.linalg.eigvalsh(hessian(x))[-1]
    below = train.gradient_descent(x, y, *start, lr=0.95 * limit, steps=2000)
    above = train.gradient_descent(x, y, *start, lr=1.05 * limit, steps=2000)
    assert below["diverged_at"] is None and np.all(np.diff(below["loss"][100:]) <= 0)
    assert above["diverged_at"] is not None


def test_the_canyon_has_two_causes_and_needs_both_removed(ml):
    x, _ = ml
    r = {name: canyon_ratio((x - shift) / scale) for name, (shift, scale) in four_versions(x).items()}
    units_only = hessian(x)[0, 0] / hessian(x)[1, 1]
    assert 2300 < units_only < 2400 and 15_000 < r["raw"] < 16_500    # the units alone fall far short
    assert r["raw"] > 5 * units_only
    assert 50 < r["scaled"] < 65 and 340 < r["centred"] < 370 and np.isclose(r["standardised"], 1.0)
    assert r["raw"] > r["centred"] > r["scaled"] > r["standardised"]


@pytest.mark.parametrize("seed", range(10))
def test_the_order_of_the_four_ratios_on_every_simulated_table(seed):
    x = data.features(data.select(data.simulate_lectures(seed), course="ML2021"))[:, 0]
    r = [canyon_ratio((x - shift) / scale) for shift, scale in four_versions(x).values()]
    raw, scaled, centred, standardised = r
    assert raw > 1000 and raw > centred > scaled > 5 * standardised and np.isclose(standardised, 1.0)
    assert raw > 2 * hessian(x)[0, 0] / hessian(x)[1, 1]     # centring matters on every table, not only ours


def test_the_updates_needed_follow_the_canyon_ratio(ml):
    """Same starting line, η = 1/λmax in each parametrisation: only the canyon changes, and the crawl with it."""
    x, y = ml
    w1_star, b_star = models.fit_linear(x, y)
    L_star = models.mse(w1_star * x + b_star, y)
    needed, ratios = [], []
    for shift, scale in four_versions(x).values():
        f = (x - shift) / scale
        lam = np.linalg.eigvalsh(hessian(f))
        h = train.gradient_descent(f, y, w1=scale, b=15.0 + shift, lr=1 / lam[1], steps=50_000)
        assert np.any(h["loss"] - L_star < 0.1)
        needed.append(int(np.argmax(h["loss"] - L_star < 0.1)))
        ratios.append(lam[1] / lam[0])
    assert needed[-1] == 1                                                   # round bowl, η = 1/λ: one step
    assert [needed[i] for i in np.argsort(ratios)] == sorted(needed)         # ordered exactly as the ratios
    assert all(0.5 < n / r < 5 for n, r in zip(needed, ratios))             # roughly proportional


def bumpy_slope(w):
    return 4 * w * (w ** 2 - 1) + 0.3


@pytest.mark.parametrize("lr, start, valley", [(0.01, -1.6, "global"), (0.01, 1.6, "local"), (0.01, 0.05, "global"),
                                               (0.01, 0.075, "global"), (0.01, 0.076, "local"),   # exercise 2's edge
                                               (0.145, 1.6, "local"), (0.148, 1.6, "local"),      # the jump is a knife
                                               (0.149, 1.6, "global"), (0.15, 1.6, "global"),     # edge at η ≈ 0.148
                                               (0.2, -1.6, "local"), (0.25, -1.6, "local")])
def test_where_descent_ends_on_the_bumpy_curve_depends_on_start_and_step(lr, start, valley):
    end = train.descend(lambda w: [bumpy_slope(w[0])], [start], lr=lr, steps=300, max_size=None)["path"][-1, 0]
    assert abs(end - {"global": -1.0356, "local": 0.9601}[valley]) < 0.01


# --- plots ------------------------------------------------------------------------------------------------

def test_plot_curve_1d_draws_curve_paths_and_tangents():
    w = np.linspace(-2, 2, 50)
    fig = plots.plot_curve_1d(w, w ** 2, paths={"run": ([1.5, 0.5], [2.25, 0.25])}, tangents=[(1.0, 1.0, 2.0)])
    assert isinstance(fig, plt.Figure) and len(fig.axes[0].lines) == 3
    plt.close("all")


def test_plot_curve_1d_bad_arguments():
    with pytest.raises(ValueError, match="w_values has 3 examples but losses has 2"):
        plots.plot_curve_1d([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="curve_label must be a short text"):
        plots.plot_curve_1d([0, 1, 2], [0, 1, 4], curve_label="  ")


def test_plot_curve_1d_names_the_curve():
    fig = plots.plot_curve_1d([0, 1, 2], [0, 1, 4], curve_label="L(w1)")
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "L(w1)"
    assert plots.plot_curve_1d([0, 1, 2], [0, 1, 4]).axes[0].get_legend().get_texts()[0].get_text() == "L(w)"
    plt.close("all")


def test_plot_descent_marks_diverged_runs_and_clips_the_loss_axis(ml, grid):
    x, y = ml
    runs = {lr: train.gradient_descent(x, y, 1.0, 15.0, lr=lr, steps=10_000) for lr in (1e-2, 1e-4)}
    fig = plots.plot_descent(*grid, {f"η = {k:g}": h for k, h in runs.items()}, optimum(x, y))
    left, right, third = fig.axes[0], fig.axes[1], fig.axes[2]       # (axes[3] is the colour bar)
    labels = [t.get_text() for t in left.get_legend().get_texts()]
    assert any("loss passed 10¹² at update 3 (not drawn)" in s for s in labels)
    assert right.get_ylim()[1] < 1e6              # the explosion does not flatten the crawl
    assert right.get_xlim() == (0, 10_000)
    assert third.get_yscale() == "symlog" and "w1 − w1*" in third.get_ylabel()   # the zig-zag panel
    bounce = third.get_lines()[0].get_ydata()                                    # η = 0.01: w1 − w1* per update
    assert np.all(bounce[1:] * bounce[:-1] < 0)                                  # changes sign at every update
    plt.close("all")


def test_plot_descent_keeps_overlapping_paths_visible(ml, grid):
    x, y = ml
    runs = {lr: train.gradient_descent(x, y, 1.0, 15.0, lr=lr, steps=100) for lr in (1e-2, 1e-3, 1e-4)}
    fig = plots.plot_descent(*grid, {f"η = {k:g}": h for k, h in runs.items()}, optimum(x, y))
    left = fig.axes[0]
    by_label = {line.get_label(): line for line in left.get_lines()}
    crawl = by_label["η = 0.0001"]
    booms = [line for label, line in by_label.items() if "passed 10¹²" in label]
    assert len(booms) == 2 and crawl.get_linestyle() == "-"
    assert all(b.get_linestyle() == "--" and b.get_zorder() < crawl.get_zorder() for b in booms)   # the crawl on top
    assert booms[0]._dash_pattern[0] != booms[1]._dash_pattern[0]     # interleaved dashes: both explosions show
    w_values, b_values, _ = grid
    for b in booms:                                                    # cut at the edge of the map, not beyond
        w, bb = b.get_xdata(), b.get_ydata()
        assert w.max() <= w_values[-1] + 1e-9 and np.isclose(w[-1], w_values[-1]) and len(w) == 2
    assert len([c for c in left.get_children() if type(c).__name__ == "Annotation"]) == 2   # an arrow at the edge each
    plt.close("all")


def test_plot_descent_names_the_parameters(ml, grid):
    x, y = ml
    fig = plots.plot_descent(*grid, {"run": train.gradient_descent(x, y, steps=5)}, optimum(x, y),
                             param_names=("w_z", "b_z"))
    assert fig.axes[0].get_xlabel() == "w_z" and fig.axes[0].get_ylabel() == "b_z"
    assert fig.axes[2].get_ylabel().startswith("w_z − w_z*")
    assert fig.axes[2].get_legend().get_texts()[-1].get_text().startswith("w_z* = ")
    default = plots.plot_descent(*grid, {"run": train.gradient_descent(x, y, steps=5)}, optimum(x, y))
    assert default.axes[0].get_xlabel() == "w1" and default.axes[2].get_ylabel().startswith("w1 − w1*")
    plt.close("all")


def test_plot_descent_stops_a_converged_curve_at_the_floor_and_marks_it(ml, grid):
    x, y = ml
    opt = optimum(x, y)
    runs = {"raw": train.gradient_descent(x, y, 1.0, 15.0, lr=1e-4, steps=100),
            "standardised": train.standardized_descent(x, y, 1.0, 15.0, lr=0.1, steps=100)}
    fig = plots.plot_descent(*grid, runs, opt)
    right = fig.axes[1]
    floor = 1e-6 * opt[2]
    curve = right.get_lines()[1]                           # [0] raw, [1] standardised, [2] its ▼
    reached = int(np.argmax(runs["standardised"]["loss"] - opt[2] <= floor))
    assert len(curve.get_xdata()) == reached + 1 < 101     # the curve stops where it reaches the optimum ...
    marker = right.get_lines()[2]
    assert marker.get_marker() == "v" and marker.get_xdata()[0] == reached
    assert right.get_ylim()[0] < floor                     # ... above the bottom of the axis, not along it
    labels = [t.get_text() for t in right.get_legend().get_texts()]
    assert any(f"from update {reached}" in s for s in labels)
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
    for bad in ("w1", ("w1",), ("w1", ""), ("w1", 3)):
        with pytest.raises(ValueError, match="param_names must be two short texts"):
            plots.plot_descent(*grid, {"run": h}, optimum(x, y), param_names=bad)
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


def test_bumpy_curve_a_step_too_large_for_the_sharp_valley_cannot_settle_there():
    left, right = -1.0356, 0.9601
    assert 2 / (12 * left ** 2 - 4) < 0.25 < 2 / (12 * right ** 2 - 4)    # global sharper (L″ 8.87) than local (7.06)
    ws = train.descend(lambda w: [bumpy_slope(w[0])], [1.6], lr=0.25, steps=300, max_size=None)["path"][:, 0]
    assert abs(ws[-1] - ws[-2]) > 0.1 and np.isclose(ws[-1], ws[-3])     # bounces around the global minimum
    assert min(ws[-2:]) < left < max(ws[-2:])


def test_per_parameter_step_sizes_cannot_remove_the_coupling(ml):
    x, _ = ml
    h = hessian(x)
    best = min(np.divide(*np.linalg.eigvalsh(np.diag([np.sqrt(d), 1]) @ h @ np.diag([np.sqrt(d), 1]))[::-1])
               for d in np.geomspace(1e-6, 1, 4001))
    assert 24 < best < 25 < canyon_ratio(x / x.std())                    # best diagonal rescaling ≈ 24.6; scaled 57


def test_gradient_descent_written_out_takes_exactly_descends_steps():
    """train.gradient_descent is descend(optimizer="gd") written out on floats for speed: the same path to the
    last bit, diverging runs included."""
    table = data.load_lectures()
    rows = data.select(table, course="ML2021")
    x, y = data.features(rows)[:, 0], data.target(rows)
    mx, mxx, my, mxy, myy = x.mean(), (x * x).mean(), y.mean(), (x * y).mean(), (y * y).mean()

    def loss(theta):
        w, c = theta
        return myy - 2 * w * mxy - 2 * c * my + w * w * mxx + 2 * w * c * mx + c * c

    def gradient(theta):
        w, c = theta
        return np.array([2 * (w * mxx + c * mx - mxy), 2 * (w * mx + c - my)])

    for lr in (1e-6, 1e-4, 4.2e-4, 1e-2):
        for start in ((1.0, 15.0), (3.0, 20.0)):
            ours = train.gradient_descent(x, y, *start, lr, 2000)
            ref = train.descend(gradient, list(start), optimizer="gd", lr=lr, steps=2000, loss_fn=loss, max_size=None)
            assert ours["diverged_at"] == ref["diverged_at"]
            assert np.array_equal(ours["w1"], ref["path"][:, 0]) and np.array_equal(ours["b"], ref["path"][:, 1])
            assert np.array_equal(ours["loss"], ref["loss"])
