"""Notebook 03 (batch size and epochs): its plotting and slider helpers, and its claims on other data seeds."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from utils import data, models, plots, train, widgets


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def both():
    """The 40 training lectures (ML2021 then GenAI2024), standardised slides, and the lecture's start line."""
    rows = data.select(data.load_lectures(), role="train")
    x, y = data.features(rows)[:, 0], data.target(rows)
    z = (x - x.mean()) / x.std()
    return z, y, x.std(), x.mean() + 15.0


def test_plot_batch_runs_draws_three_panels_and_survives_a_diverged_run(both):
    z, y, w0, b0 = both
    runs = {"B = 5": train.minibatch_descent(z, y, w0, b0, 0.1, 5, 10, True, 0),
            "B = 1, too large η": train.minibatch_descent(z, y, w0, b0, 1.0, 1, 10, True, 0)}
    assert runs["B = 1, too large η"]["diverged_at"] is not None
    w, b = np.linspace(5, 45, 30), np.linspace(35, 95, 30)
    fig = plots.plot_batch_runs(w, b, models.loss_grid(z, y, w, b), runs, optimum=(24.3, 64.4, 614.4))
    assert isinstance(fig, Figure) and len(fig.axes) == 4   # three panels + the contour's colour bar
    legend = " ".join(t.get_text() for t in fig.axes[1].get_legend().get_texts())
    assert "diverged at update" in legend
    for ax in fig.axes[1:3]:
        assert np.all(np.isfinite(ax.get_ylim()))


def test_plot_param_trace_marks_epoch_ends_and_targets():
    fig = plots.plot_param_trace({"a": np.arange(9.0), "b": np.ones(9)}, updates_per_epoch=4, first_update=8,
                                 targets={"best": 3.0})
    ax = fig.axes[0]
    vertical = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert len(vertical) == 3   # updates 8, 12, 16
    assert any(line.get_linestyle() == "--" for line in ax.get_lines())


@pytest.mark.parametrize("call, error, match", [
    (lambda: plots.plot_batch_runs([0, 1], [0, 1], np.ones((2, 2)), {}), ValueError, "non-empty dict"),
    (lambda: plots.plot_batch_runs([0, 1], [0, 1], np.ones((2, 2)), {"a": {"loss": [1.0]}}), TypeError,
     "minibatch_descent"),
    (lambda: plots.plot_param_trace({}, 4), ValueError, "non-empty dict"),
    (lambda: plots.plot_param_trace({"a": [1.0, 2.0]}, 0), ValueError, "updates_per_epoch must be ≥ 1"),
    (lambda: plots.plot_param_trace({"a": [1.0, np.nan]}, 2), ValueError, "NaN"),
    (lambda: widgets.batch_view([1, 2, 3], [1, 2, 3], batch_size=4), ValueError, "larger than the data"),
    (lambda: widgets.batch_view([1, 2, 3], [1, 2, 3], shuffle="yes"), TypeError, "shuffle must be True or False"),
    (lambda: widgets.batch_view([1, 2, 3], [1, 2, 3], lr=0), ValueError, "must be > 0"),
    (lambda: widgets.batch_view([1, 2, 3], [1, 2], batch_size=1), ValueError, "must match"),
])
def test_bad_arguments_say_what_to_fix(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("batch_size", [1, 40])
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("lr", [1e-3, 1.0])
def test_batch_view_at_every_slider_extreme(both, batch_size, shuffle, lr):
    z, y, w0, b0 = both
    fig, message = widgets.batch_view(z, y, batch_size, shuffle, lr, 20, w0, b0)
    assert isinstance(fig, Figure) and isinstance(message, str)
    assert f"updates per epoch: {-(-40 // batch_size)}," in message
    if batch_size == 1 and lr == 1.0:
        assert "diverged" in message


def test_batch_widget_builds(both):
    pytest.importorskip("ipywidgets")
    z, y, w0, b0 = both
    assert widgets.batch_widget(z, y, w0, b0) is not None


@pytest.mark.parametrize("seed", range(0, 30, 3))
def test_the_notebooks_claims_hold_on_other_simulated_tables(seed):
    """SGD explodes at η = 0.6 where the full batch does not; the stored (course-sorted) order ends worse than shuffling."""
    table = data.simulate_lectures(seed)
    ml = data.select(table, course="ML2021")
    x, y = data.features(ml)[:, 0], data.target(ml)
    z = (x - x.mean()) / x.std()
    w0, b0 = x.std(), x.mean() + 15.0
    assert all(train.minibatch_descent(z, y, w0, b0, 0.6, 1, 100, True, s)["diverged_at"] for s in range(3))
    assert not any(train.minibatch_descent(z, y, w0, b0, 0.95, 20, 100, True, s)["diverged_at"] for s in range(3))

    rows = data.select(table, role="train")
    x2, y2 = data.features(rows)[:, 0], data.target(rows)
    z2 = (x2 - x2.mean()) / x2.std()

    def last_5_epochs(h):
        return np.mean(h["loss"][-5 * h["updates_per_epoch"]:])

    in_order = last_5_epochs(train.minibatch_descent(z2, y2, x2.std(), x2.mean() + 15, 0.1, 5, 50, False))
    shuffled = [last_5_epochs(train.minibatch_descent(z2, y2, x2.std(), x2.mean() + 15, 0.1, 5, 50, True, s))
                for s in range(5)]
    assert in_order > max(shuffled)
