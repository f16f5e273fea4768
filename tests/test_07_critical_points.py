"""Notebook 07: the training guide (analysis.diagnose), the tiny tanh network, its hand-written gradient and descent
(checked against autograd and torch.optim), the Hessian (against finite differences and the hand-derived one),
the critical-point verdict, the saddle-slice view and the stall experiment's claim on other seeds."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from utils import analysis, data, models, plots, train, widgets


@pytest.fixture(scope="module")
def lectures():
    """The standardised GenAI2024 slides and minutes, as notebook 07 uses them."""
    gen = data.select(data.load_lectures(), course="GenAI2024")
    x, y = data.features(gen)[:, 0], data.target(gen)
    return (x - x.mean()) / x.std(), (y - y.mean()) / y.std()


def by_formula(theta, x):
    """y = b + Σ c_i tanh(w_i x + b_i), one unit at a time."""
    H = (len(theta) - 1) // 3
    w, b_i, c, b = theta[:H], theta[H:2 * H], theta[2 * H:3 * H], theta[3 * H]
    return b + sum(c[i] * np.tanh(w[i] * x + b_i[i]) for i in range(H))


# --- the tiny network -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("hidden", [1, 2, 5])
def test_tiny_net_is_the_formula_for_one_theta_and_for_a_stack(lectures, hidden):
    xs, ys = lectures
    thetas = np.stack([models.tiny_net_init(hidden, seed) for seed in range(3)])       # (3, 3H + 1)
    out = models.tiny_net(thetas, xs).numpy()                                           # (3, 20)
    assert out.shape == (3, len(xs))
    for theta, row in zip(thetas, out):
        assert np.allclose(row, by_formula(theta, xs), atol=1e-14)
        assert np.allclose(models.tiny_net(theta, xs).numpy(), row, atol=1e-15)
    losses = models.tiny_net_loss(thetas, xs, ys).numpy()
    assert np.allclose(losses, np.mean((out - ys) ** 2, axis=1))


def test_tiny_net_init_uses_pytorchs_default_ranges_and_is_reproducible():
    for hidden in (1, 2, 9):
        theta = models.tiny_net_init(hidden, seed=3)
        assert theta.shape == (3 * hidden + 1,) and theta.dtype == np.float64
        assert np.all(np.abs(theta[:2 * hidden]) <= 1.0)                                # nn.Linear(1, H)
        assert np.all(np.abs(theta[2 * hidden:]) <= 1.0 / np.sqrt(hidden))             # nn.Linear(H, 1)
        assert np.array_equal(theta, models.tiny_net_init(hidden, seed=3))
    assert not np.array_equal(models.tiny_net_init(2, 0), models.tiny_net_init(2, 1))


@pytest.mark.parametrize("hidden, seed", [(1, 0), (2, 0), (2, 7), (4, 3)])
def test_hand_written_gradient_matches_autograd(lectures, hidden, seed):
    xs, ys = lectures
    theta = torch.tensor(models.tiny_net_init(hidden, seed), requires_grad=True)
    loss = models.tiny_net_loss(theta, xs, ys)
    loss.backward()
    mine_loss, mine_grad = models.tiny_net_gradient(theta.detach().numpy(), xs, ys)
    assert np.isclose(mine_loss, loss.item(), rtol=1e-14)
    assert np.allclose(mine_grad, theta.grad.numpy(), atol=1e-13)


def test_gradient_of_a_stack_is_one_row_per_theta(lectures):
    xs, ys = lectures
    thetas = np.stack([models.tiny_net_init(2, seed) for seed in range(4)])
    losses, grads = models.tiny_net_gradient(thetas, xs, ys)
    assert losses.shape == (4,) and grads.shape == (4, 7)
    for k in range(4):
        loss, grad = models.tiny_net_gradient(thetas[k], xs, ys)
        assert np.isclose(losses[k], loss) and np.allclose(grads[k], grad)


# --- gradient descent until a stall ----------------------------------------------------------------------------

def test_descent_is_plain_gradient_descent_as_torch_optim_sgd_does_it(lectures):
    xs, ys = lectures
    start, lr, steps = models.tiny_net_init(2, seed=5), 0.15, 50
    mine = train.descend_until_stall(start, xs, ys, lr=lr, max_steps=steps, grad_tol=0.0, record_every=1)
    theta = torch.tensor(start, requires_grad=True)
    opt = torch.optim.SGD([theta], lr=lr)
    losses = []
    for _ in range(steps):
        loss = models.tiny_net_loss(theta, xs, ys)
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert np.allclose(mine["theta"][0], theta.detach().numpy(), atol=1e-12)
    assert np.allclose(mine["curve"][0, :steps], losses, atol=1e-12)
    assert mine["stalled_at"][0] == -1 and mine["diverged_at"][0] == -1


def test_each_run_stops_at_its_first_stall(lectures):
    xs, ys = lectures
    starts = np.stack([models.tiny_net_init(2, seed) for seed in range(6)])
    run = train.descend_until_stall(starts, xs, ys, lr=0.15, max_steps=8000, grad_tol=1e-3, record_every=1)
    stalled = run["stalled_at"] >= 0
    assert stalled.any() and not stalled.all()           # some reach the plateau within 8,000 updates, some not
    for k in np.flatnonzero(stalled):
        step = run["stalled_at"][k]
        assert run["grad_norm"][k] < 1e-3
        again = train.descend_until_stall(starts[k], xs, ys, lr=0.15, max_steps=step - 1, grad_tol=0.0)
        assert np.linalg.norm(models.tiny_net_gradient(again["theta"][0], xs, ys)[1]) >= 1e-3   # not stalled before
        assert np.all(np.isnan(run["curve"][k, step + 1:]))                                    # stopped there
    assert np.all(run["grad_norm"][~stalled] >= 1e-3)


def test_the_all_zero_start_is_an_exact_critical_point(lectures):
    xs, ys = lectures
    run = train.descend_until_stall(np.zeros(7), xs, ys, lr=0.15, max_steps=500, grad_tol=0.0)
    assert np.abs(run["theta"]).max() < 1e-12 and np.isclose(run["loss"][0], 1.0)
    stalled = train.descend_until_stall(np.zeros(7), xs, ys, grad_tol=1e-3)
    assert stalled["stalled_at"][0] == 0


def test_a_huge_learning_rate_is_reported_as_diverged(lectures):
    xs, ys = lectures
    run = train.descend_until_stall(models.tiny_net_init(2, 0), xs, ys, lr=50.0, max_steps=200)
    assert run["diverged_at"][0] > 0 and run["stalled_at"][0] == -1


# --- the Hessian and the verdict -------------------------------------------------------------------------------

@pytest.mark.parametrize("hidden, seed", [(1, 0), (2, 0), (2, 11), (3, 4)])
def test_hessian_matches_finite_differences_of_the_gradient(lectures, hidden, seed):
    xs, ys = lectures
    theta = models.tiny_net_init(hidden, seed)
    H = analysis.tiny_net_hessian(theta, xs, ys)
    eps = 1e-6
    fd = np.column_stack([(models.tiny_net_gradient(theta + eps * e, xs, ys)[1]
                           - models.tiny_net_gradient(theta - eps * e, xs, ys)[1]) / (2 * eps)
                          for e in np.eye(len(theta))])
    assert np.allclose(H, H.T, atol=1e-14)
    assert np.allclose(H, fd, atol=1e-8)


@pytest.mark.parametrize("hidden", [1, 2, 3, 8])
def test_hessian_at_zero_is_the_hand_derived_one(lectures, hidden):
    xs, ys = lectures
    r = np.mean(xs * ys)
    P = 3 * hidden + 1
    expected = np.zeros((P, P))
    for i in range(hidden):                               # ∂²L/∂w_i∂c_i = −2·mean(x·y) = −2r
        expected[i, 2 * hidden + i] = expected[2 * hidden + i, i] = -2 * r
    expected[-1, -1] = 2.0                                # ∂²L/∂b² = 2
    H = analysis.tiny_net_hessian(np.zeros(P), xs, ys)
    assert np.allclose(H, expected, atol=1e-12)
    verdict = analysis.classify_hessian(H)
    assert verdict["kind"] == "saddle point"
    assert np.isclose(verdict["minimum_ratio"], (hidden + 1) / P)
    assert np.allclose(verdict["eigenvalues"], sorted([-2 * r] * hidden + [0.0] * hidden + [2 * r] * hidden + [2.0]))


def test_the_lecture_example_w1_w2_x():
    def loss(w):
        return (1 - w[0] * w[1]) ** 2

    H = torch.autograd.functional.hessian(loss, torch.zeros(2, dtype=torch.float64)).numpy()
    verdict = analysis.classify_hessian(H)
    assert np.allclose(H, [[0, -2], [-2, 0]]) and verdict["kind"] == "saddle point"
    assert np.allclose(verdict["eigenvalues"], [-2, 2]) and np.isclose(verdict["minimum_ratio"], 0.5)
    u = verdict["eigenvectors"][:, 0]
    assert np.allclose(u, [1 / np.sqrt(2), 1 / np.sqrt(2)])    # sign fixed: first entry positive
    assert loss(torch.tensor(0.5 * u)).item() < 1.0


@pytest.mark.parametrize("diagonal, kind, ratio", [
    ([1.0, 2.0, 3.0], "local minimum", 1.0),
    ([-1.0, -2.0], "local maximum", 0.0),
    ([-1.0, 2.0, 3.0], "saddle point", 2 / 3),
    ([0.0, 2.0], "undecided", 0.5),
    ([1e-12, 2.0], "undecided", 0.5),          # below tol × the largest: counts as zero
    ([-1e-12, 2.0], "undecided", 0.5),
])
def test_classify_hessian_reads_the_signs_of_the_eigenvalues(diagonal, kind, ratio):
    rotation = np.linalg.qr(np.random.default_rng(0).normal(size=(len(diagonal),) * 2))[0]
    H = rotation @ np.diag(diagonal) @ rotation.T
    verdict = analysis.classify_hessian(H)
    assert verdict["kind"] == kind and np.isclose(verdict["minimum_ratio"], ratio)
    assert np.allclose(verdict["eigenvalues"], sorted(diagonal), atol=1e-10)
    V = verdict["eigenvectors"]
    assert np.allclose(H @ V, V * verdict["eigenvalues"], atol=1e-10)
    for column in V.T:                                     # the sign convention: first clear entry positive
        assert column[np.argmax(np.abs(column) > 1e-8)] > 0


def test_classify_hessian_rejects_what_is_not_a_hessian():
    with pytest.raises(ValueError, match="square"):
        analysis.classify_hessian(np.ones((2, 3)))
    with pytest.raises(ValueError, match="symmetric"):
        analysis.classify_hessian([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="tol"):
        analysis.classify_hessian(np.eye(2), tol=2.0)


# --- the training guide ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, branch", [
    (dict(train_loss=300, val_loss=320, target_loss=81), "model bias"),
    (dict(train_loss=300, val_loss=320, target_loss=81, baseline_train_loss=330), "model bias"),
    (dict(train_loss=300, val_loss=320, target_loss=81, baseline_train_loss=75), "optimisation"),
    (dict(train_loss=90, val_loss=30, target_loss=81, baseline_train_loss=75), "optimisation"),   # even if "low"
    (dict(train_loss=60, val_loss=100, target_loss=81, baseline_train_loss=75), "fine"),
    (dict(train_loss=60, val_loss=1000, target_loss=81), "overfitting or mismatch"),
    (dict(train_loss=60, val_loss=1000, target_loss=81, heldout_loss=500), "overfitting"),
    (dict(train_loss=60, val_loss=1000, target_loss=81, heldout_loss=90), "mismatch"),
    (dict(train_loss=60, val_loss=121.5, target_loss=81), "fine"),                 # exactly 1.5 × is not high
    (dict(train_loss=60, val_loss=130, target_loss=81, slack=2.0), "fine"),
])
def test_diagnose_walks_the_guide(kwargs, branch):
    verdict = analysis.diagnose(**kwargs)
    assert verdict["branch"] == branch
    assert verdict["advice"] == analysis.DIAGNOSES[branch] and len(verdict["why"]) > 20


def test_diagnose_rejects_bad_numbers():
    with pytest.raises(ValueError, match="target_loss"):
        analysis.diagnose(1.0, 1.0, target_loss=0.0)
    with pytest.raises(ValueError, match="slack"):
        analysis.diagnose(1.0, 1.0, target_loss=1.0, slack=0.5)
    with pytest.raises(TypeError, match="heldout_loss"):
        analysis.diagnose(1.0, 5.0, target_loss=1.0, heldout_loss="low")
    with pytest.raises(ValueError, match="baseline_train_loss"):
        analysis.diagnose(1.0, 5.0, target_loss=1.0, baseline_train_loss=-1.0)


# --- the notebook's claims, on other seeds -------------------------------------------------------------------------

def test_no_stall_is_a_critical_point_on_other_seeds_either(lectures):
    """Notebook 07: none of 80 stalls (‖g‖ < 1e-3, seeds 0–79) passes the Newton test; those with a positive-definite
    Hessian sit on a slope (more descent lowers the loss and grows ‖θ‖); every run lingers on the plateau, those that
    slide past it come within 3.5 × the threshold, and a looser threshold gives many more plateau stalls. The claim
    is the method's, not those seeds'."""
    xs, ys = lectures
    starts = np.stack([models.tiny_net_init(2, seed) for seed in range(200, 240)])
    run = train.descend_until_stall(starts, xs, ys, lr=0.15, max_steps=80_000, grad_tol=1e-3, record_every=100,
                                    record_grad=True)
    assert np.all(run["stalled_at"] >= 0)
    found = [analysis.classify_stall(th, xs, ys) for th in run["theta"]]
    kinds = np.array([f["kind"] for f in found])
    assert not any(f["critical"] for f in found)
    assert all(f["newton_norm"] > 0.1 * f["theta_norm"] for f in found)
    assert set(kinds) == {"negative curvature on a slope", "positive-definite Hessian on a slope"}
    pd = kinds == "positive-definite Hessian on a slope"
    assert 0.25 <= (~pd).mean() <= 0.75
    assert run["loss"][~pd].min() > run["loss"][pd].max()
    assert run["stalled_at"][~pd].max() < run["stalled_at"][pd].min()
    more = train.descend_until_stall(run["theta"], xs, ys, lr=0.15, max_steps=20_000, grad_tol=0.0, record_every=20_000)
    assert np.all(more["curve"][:, -1] < more["curve"][:, 0])
    assert np.all(np.linalg.norm(more["theta"][pd], axis=1) > np.linalg.norm(run["theta"][pd], axis=1) + 1)
    in_band = (run["curve"] > 0.2045) & (run["curve"] < 0.2060)          # every run lingers on the plateau ...
    assert in_band.sum(axis=1).min() * 100 >= 300
    g_band = np.nanmin(np.where(in_band, run["grad_curve"], np.nan), axis=1)
    assert np.all((g_band[pd] > 1e-3) & (g_band[pd] < 3.5e-3))           # ... and those that slid past came close
    loose = train.descend_until_stall(starts, xs, ys, lr=0.15, max_steps=80_000, grad_tol=2e-3, record_every=1000)
    loose_kinds = np.array([analysis.classify_stall(th, xs, ys)["kind"] for th in loose["theta"]])
    assert np.all(loose["stalled_at"] >= 0)                              # a looser rule: many more plateau stalls
    assert np.sum(loose_kinds == "negative curvature on a slope") >= 1.5 * np.sum(~pd)


def test_the_loss_rises_only_where_eta_is_above_two_over_lambda_max_on_other_seeds(lectures):
    """Notebook 07: just before each first rise of the loss (η = 0.15), λmax > 2/η; with η = 0.1 far fewer runs rise."""
    xs, ys = lectures
    theta = np.stack([models.tiny_net_init(2, seed) for seed in range(200, 280)])
    results = {}
    for lr in (0.15, 0.1):
        th, prev_loss, prev_theta = theta.copy(), np.full(len(theta), np.inf), theta.copy()
        before, rises = np.full(theta.shape, np.nan), np.zeros(len(theta), dtype=int)
        for _ in range(3000):
            loss, g = models.tiny_net_gradient(th, xs, ys)
            up = loss > prev_loss
            new = up & np.isnan(before[:, 0])
            before[new] = prev_theta[new]
            rises += up
            prev_loss, prev_theta, th = loss, th, th - lr * g
        results[lr] = (before, rises)
    before, rises = results[0.15]
    assert np.sum(rises > 0) >= 2
    for th in before[rises > 0]:
        assert np.linalg.eigvalsh(analysis.tiny_net_hessian(th, xs, ys))[-1] > 2 / 0.15
    assert np.sum(results[0.1][1] > 0) <= np.sum(rises > 0) / 2      # far fewer rise with only η changed


@pytest.fixture(scope="module")
def plateau(lectures):
    """Notebook 07's plateau stall: from 1.0·u (both units, unit 1 twice as far), plain descent until ‖g‖ < 1e-3."""
    xs, ys = lectures
    u = np.zeros(7)
    u[[0, 4]], u[[1, 5]] = 2.0, 1.0
    run = train.descend_until_stall(u / np.linalg.norm(u), xs, ys, lr=0.15, max_steps=20_000, grad_tol=1e-3)
    theta = run["theta"][0]
    u_p = analysis.classify_hessian(analysis.tiny_net_hessian(theta, xs, ys))["eigenvectors"][:, 0]
    if models.tiny_net_gradient(theta, xs, ys)[1] @ u_p > 0:
        u_p = -u_p
    return theta, u_p


@pytest.mark.parametrize("rng_seed", [1, 2])
def test_a_step_along_the_negative_curvature_beats_random_steps_of_the_same_length(lectures, plateau, rng_seed):
    """Notebook 07 (seed 0's 10 random directions): a step along u beats each random step at every checkpoint."""
    xs, ys = lectures
    theta, u_p = plateau
    dirs = np.random.default_rng(rng_seed).normal(size=(10, 7))
    dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
    for t in (0.5, 1.0):
        starts = np.vstack([theta + t * u_p, theta + t * dirs])
        run = train.descend_until_stall(starts, xs, ys, lr=0.15, max_steps=20_000, grad_tol=0.0, record_every=5000)
        assert np.all(run["curve"][0, 1:] < run["curve"][1:, 1:].min(axis=0))


def test_exercise_3s_answer_the_newton_step_stays_long_as_the_weights_grow(lectures):
    """Notebook 07, exercise 3's "Correct!" text: 20,000 updates after seed 0's stall the ratio ‖H⁻¹g‖/‖θ‖ is smaller,
    mostly because ‖θ‖ grew; the Newton step itself is about as long as before."""
    xs, ys = lectures
    run = train.descend_until_stall(models.tiny_net_init(2, 0), xs, ys, lr=0.15, max_steps=80_000, grad_tol=1e-3)
    later = train.descend_until_stall(run["theta"], xs, ys, lr=0.15, max_steps=20_000, grad_tol=0.0)
    a, b = (analysis.classify_stall(th[0], xs, ys) for th in (run["theta"], later["theta"]))
    assert b["newton_norm"] / b["theta_norm"] < a["newton_norm"] / a["theta_norm"]
    assert abs(b["newton_norm"] / a["newton_norm"] - 1) < 0.1 and b["theta_norm"] > 1.1 * a["theta_norm"]
    assert not a["critical"] and not b["critical"]


def test_exercise_1s_answer_is_model_bias():
    assert analysis.diagnose(0.15, 0.16, target_loss=0.05, baseline_train_loss=0.20)["branch"] == "model bias"


def test_classify_stall_is_classify_hessian_plus_the_newton_test(lectures):
    xs, ys = lectures
    at_zero = analysis.classify_stall(np.zeros(7), xs, ys)        # an exact critical point: g = 0
    assert at_zero["critical"] and at_zero["kind"] == "saddle point" and at_zero["newton_norm"] < 1e-12
    theta = models.tiny_net_init(2, seed=3)                        # a random start: far from any critical point
    verdict = analysis.classify_stall(theta, xs, ys)
    H = analysis.tiny_net_hessian(theta, xs, ys)
    g = models.tiny_net_gradient(theta, xs, ys)[1]
    step = np.linalg.solve(H, g)
    assert np.isclose(verdict["newton_norm"], np.linalg.norm(step), rtol=1e-8)
    assert np.isclose(verdict["gradient_norm"], np.linalg.norm(g))
    assert np.isclose(verdict["predicted_drop"], g @ step - 0.5 * step @ H @ step)
    assert np.allclose(verdict["eigenvalues"], analysis.classify_hessian(H)["eigenvalues"])
    assert not verdict["critical"] and verdict["kind"].endswith("on a slope")
    loose = analysis.classify_stall(theta, xs, ys, newton_tol=1e6)  # a tolerance that lets everything through
    assert loose["critical"] and loose["kind"] == analysis.classify_hessian(H)["kind"]


def test_descent_records_the_gradient_norm_when_asked(lectures):
    xs, ys = lectures
    start = models.tiny_net_init(2, seed=1)
    run = train.descend_until_stall(start, xs, ys, lr=0.15, max_steps=30, grad_tol=0.0, record_every=10,
                                    record_grad=True)
    plain = train.descend_until_stall(start, xs, ys, lr=0.15, max_steps=30, grad_tol=0.0, record_every=10)
    assert "grad_curve" not in plain and np.array_equal(run["curve"], plain["curve"])
    theta = start.copy()
    for step in range(31):
        loss, g = models.tiny_net_gradient(theta, xs, ys)
        if step % 10 == 0:
            assert np.isclose(run["grad_curve"][0, step // 10], np.linalg.norm(g), rtol=1e-12)
        theta = theta - 0.15 * g


# --- plots and the slider ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def slice_points(lectures):
    xs, ys = lectures
    u = np.zeros(7)
    u[[0, 4]], u[[1, 5]] = 2.0, 1.0
    v = np.zeros(7)
    v[[0, 4]], v[[1, 5]] = (2.0, -2.0), (1.0, -1.0)
    start = models.tiny_net_init(2, 0)
    verdict = analysis.classify_hessian(analysis.tiny_net_hessian(start, xs, ys))
    return {"zero": (np.zeros(7), u / np.linalg.norm(u), v / np.linalg.norm(v)),
            "random start": (start, verdict["eigenvectors"][:, 0], verdict["eigenvectors"][:, -1])}


@pytest.mark.parametrize("t", [-2.0, 0.0, 0.5, 2.0])
@pytest.mark.parametrize("span", [0.01, 2.0, 10 ** 0.5])
@pytest.mark.parametrize("point", ["zero", "random start"])
def test_saddle_slice_view_at_default_and_extremes(lectures, slice_points, t, span, point):
    xs, ys = lectures
    fig, message = widgets.saddle_slice_view(xs, ys, *slice_points[point], t=t, span=span)
    try:
        assert isinstance(fig, plt.Figure) and "loss" in message and "nan" not in message.lower()
    finally:
        plt.close(fig)


def test_saddle_slice_view_message_at_zero_is_the_quadratic_picture(lectures, slice_points):
    xs, ys = lectures
    r = np.mean(xs * ys)
    fig, message = widgets.saddle_slice_view(xs, ys, *slice_points["zero"], t=0.5)
    plt.close(fig)
    assert "at θ: 1.0000" in message and f"{-r * 0.25:+.4f}" in message     # ½·(−2r)·t² at t = 0.5


def test_saddle_slice_view_rejects_bad_directions(lectures, slice_points):
    xs, ys = lectures
    theta, u, v = slice_points["zero"]
    with pytest.raises(ValueError, match="same way"):
        widgets.saddle_slice_view(xs, ys, theta, u, 2 * u)
    with pytest.raises(ValueError, match="u must be"):
        widgets.saddle_slice_view(xs, ys, theta, np.zeros(7), v)
    with pytest.raises(ValueError, match="v must be"):
        widgets.saddle_slice_view(xs, ys, theta, u, np.ones(4))


def test_saddle_slice_widget_wires_a_slider_first(lectures, slice_points, monkeypatch):
    captured = []
    monkeypatch.setattr(widgets, "slider_app", lambda view, **sliders: captured.append((view, sliders)))
    xs, ys = lectures
    widgets.saddle_slice_widget(xs, ys, slice_points)
    (view, sliders), = captured
    assert type(next(iter(sliders.values()))).__name__ == "FloatSlider"
    fig, message = view(**{name: control.value for name, control in sliders.items()})
    plt.close(fig)
    assert "step t = +0.50" in message
    with pytest.raises(TypeError, match="points"):
        widgets.saddle_slice_widget(xs, ys, {"a": np.zeros(7)})


def test_the_plots_return_figures(lectures):
    xs, ys = lectures
    cases = {"a": dict(train=1.0, val=2.0, target=1.0, branch="fine"),
             "b": dict(train=1.0, val=9.0, heldout=3.0, target=2.0, branch="overfitting")}
    figures = [plots.plot_diagnosis(cases),
               plots.plot_eigenvalues({"zero": [-1.76, -1.76, 0, 0, 1.76, 1.76, 2], "other": [-1e-4, 1, 2]}),
               plots.plot_stall_census(np.array([[1.0, 0.5, np.nan], [1.0, 0.4, 0.3]]), 100, [6 / 7, 1.0],
                                       [0.5, 0.3], ["saddle point", "local minimum"]),
               plots.plot_loss_slice(np.linspace(-1, 1, 5), np.linspace(-1, 1, 4), np.arange(20.0).reshape(4, 5),
                                     [0.0, 1.0], [1.0, 0.5], quadratic=[1.0, 0.4], t=0.5, level=7.0)]
    figures.append(plots.plot_diagnosis({"a": dict(train=3.0, val=2.0, target=1.0, branch="optimisation", baseline=1.0)}))
    for branch in (None, "optimisation", "overfitting or mismatch"):
        figures.append(plots.plot_training_guide(highlight=branch))
    for fig in figures:
        assert isinstance(fig, plt.Figure)
        plt.close(fig)
    with pytest.raises(ValueError, match="highlight"):
        plots.plot_training_guide(highlight="no such branch")
    with pytest.raises(TypeError, match="cases"):
        plots.plot_diagnosis({"a": dict(train=1.0)})
    with pytest.raises(ValueError, match="same runs"):
        plots.plot_stall_census(np.ones((2, 3)), 100, [1.0], [0.5], ["local minimum"])
