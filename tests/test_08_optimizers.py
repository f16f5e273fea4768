"""Notebook 08's helpers: the rugged canyon, the hand-written optimisers against torch.optim step by step, the
learning-rate schedules, side-by-side network training, the plots and the optimiser slider view."""
import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from utils import data, models, plots, train, widgets

TORCH_OPTIMIZERS = {"gd": torch.optim.SGD, "momentum": torch.optim.SGD, "adagrad": torch.optim.Adagrad,
                    "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam}


def torch_path(loss_fn, start, optimizer, lr, steps, beta=0.9, schedule="constant", warmup=None):
    """The path torch.optim takes, with autograd gradients of loss_fn and LambdaLR for the schedule."""
    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    kwargs = {"momentum": beta} if optimizer == "momentum" else {"betas": (beta, 0.999)} if optimizer == "adam" else {}
    opt = TORCH_OPTIMIZERS[optimizer]([theta], lr=lr, **kwargs)
    multipliers = train.lr_schedule(schedule, steps, warmup)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: multipliers[min(t, steps - 1)])
    path = [theta.detach().numpy().copy()]
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(theta).backward()
        opt.step()
        sched.step()
        path.append(theta.detach().numpy().copy())
    return np.array(path)


def canyon_of(theta):
    return models.canyon_loss(theta[0], theta[1])


# --- the rugged canyon -----------------------------------------------------------------------------------

def test_canyon_loss_is_the_same_in_numpy_and_torch_and_its_gradient_matches_autograd():
    rng = np.random.default_rng(0)
    for w1, w2 in rng.uniform([-5, -1.5], [1, 1.5], size=(50, 2)):
        t = torch.tensor([w1, w2], dtype=torch.float64, requires_grad=True)
        L = canyon_of(t)
        L.backward()
        assert np.isclose(L.item(), models.canyon_loss(w1, w2), rtol=1e-14)
        assert np.allclose(t.grad.numpy(), models.canyon_grad([w1, w2]), rtol=1e-12, atol=1e-14)


def test_canyon_has_a_global_minimum_at_the_origin_and_a_local_one_behind_the_ridge():
    assert models.canyon_loss(0.0, 0.0) < 1e-15
    local = np.array(widgets.CANYON_LOCAL_MIN)
    assert np.abs(models.canyon_grad(local)).max() < 1e-4            # a critical point …
    hessian = torch.autograd.functional.hessian(canyon_of, torch.tensor(local, dtype=torch.float64)).numpy()
    assert np.all(np.linalg.eigvalsh(hessian) > 0)                    # … that is a minimum …
    assert models.canyon_loss(*local) > 0.1                           # … and not the global one
    w1 = np.linspace(-5, 1, 6001)
    floor = models.canyon_loss(w1, 0.0)
    assert floor[w1 > local[0]].max() > models.canyon_loss(*local)    # a ridge stands between it and (0, 0)
    assert np.argmin(floor) == np.argmin(np.abs(w1))                  # the floor is lowest at w1 = 0
    # ill-conditioned: 20 across the canyon, 2a = 0.06 along its floor far from the ridges
    assert np.isclose(hessian[1, 1], 20.0) and models.CANYON["a"] * 2 < 0.1


def test_canyon_rejects_bad_points():
    with pytest.raises(ValueError, match="two numbers"):
        models.canyon_grad([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="theta"):
        models.canyon_grad([np.nan, 1.0])
    with pytest.raises(TypeError, match="w1"):
        models.canyon_loss("a", 1.0)
    with pytest.raises(ValueError, match="finite"):
        models.canyon_loss(np.inf, 0.0)


# --- the optimisers against torch.optim --------------------------------------------------------------------

@pytest.mark.parametrize("optimizer, lr", [("gd", 0.09), ("momentum", 0.05), ("adagrad", 0.5), ("rmsprop", 0.03),
                                           ("adam", 0.1)])
@pytest.mark.parametrize("schedule", train.SCHEDULES)
def test_descend_follows_torch_optim_step_by_step(optimizer, lr, schedule):
    mine = train.descend(models.canyon_grad, models.CANYON_START, optimizer=optimizer, lr=lr, steps=300,
                         schedule=schedule)
    ref = torch_path(canyon_of, models.CANYON_START, optimizer, lr, 300, schedule=schedule)
    assert mine["diverged_at"] is None and mine["path"].shape == ref.shape == (301, 2)
    assert np.abs(mine["path"] - ref).max() < 1e-12


@pytest.mark.parametrize("optimizer, beta", [("momentum", 0.5), ("momentum", 0.99), ("adam", 0.0), ("adam", 0.8)])
def test_descend_uses_beta_like_torch(optimizer, beta):
    mine = train.descend(models.canyon_grad, models.CANYON_START, optimizer=optimizer, lr=0.02, steps=200,
                         beta=beta)["path"]
    ref = torch_path(canyon_of, models.CANYON_START, optimizer, 0.02, 200, beta=beta)
    assert np.abs(mine - ref).max() < 1e-12


@pytest.mark.parametrize("optimizer", train.DESCEND_OPTIMIZERS)
def test_descend_works_in_any_dimension(optimizer):
    scales = torch.tensor([1.0, 10.0, 0.1, 3.0], dtype=torch.float64)

    def loss(theta):                      # a tilted bowl with very different curvatures, and a bump
        return (scales * theta ** 2).sum() + torch.sin(theta[0] * theta[1]) + theta[2]

    def grad(theta):
        t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
        loss(t).backward()
        return t.grad.numpy()

    start = [1.0, -0.5, 2.0, 0.3]
    mine = train.descend(grad, start, optimizer=optimizer, lr=0.01, steps=100, schedule="warm-up + decay",
                         warmup=7)["path"]
    ref = torch_path(loss, start, optimizer, 0.01, 100, schedule="warm-up + decay", warmup=7)
    assert mine.shape == (101, 4) and np.abs(mine - ref).max() < 1e-12


def test_descend_reports_where_it_flew_off():
    run = train.descend(models.canyon_grad, models.CANYON_START, optimizer="gd", lr=0.11, steps=300)   # > 2/λmax = 0.1
    assert run["diverged_at"] is not None and len(run["path"]) == run["diverged_at"]
    assert np.all(np.isfinite(run["path"])) and len(run["lr"]) == len(run["path"]) - 1
    stable = train.descend(models.canyon_grad, models.CANYON_START, optimizer="gd", lr=0.099, steps=300)
    assert stable["diverged_at"] is None and abs(stable["path"][-1, 1]) < 0.01


def test_what_the_notebook_says_about_the_canyon_holds_from_other_starts():
    starts = [(-4.0, 1.0), (-4.0, -1.0), (-4.5, 0.5), (-3.5, 1.2), (-4.5, -0.8), (-3.8, 0.3), (-5.0, 1.0)]
    for start in starts:
        ends = {name: train.descend(models.canyon_grad, start, optimizer=name, lr=lr, steps=300)["path"][-1]
                for name, lr in [("gd", 0.09), ("momentum", 0.05), ("rmsprop", 0.03), ("adam", 0.1)]}
        assert np.allclose(ends["gd"], widgets.CANYON_LOCAL_MIN, atol=0.02)
        assert np.allclose(ends["rmsprop"], widgets.CANYON_LOCAL_MIN, atol=0.02)
        assert models.canyon_loss(*ends["momentum"]) < 1e-6 and models.canyon_loss(*ends["adam"]) < 1e-6


@pytest.mark.parametrize("kwargs, match", [
    (dict(grad_fn=5), "grad_fn"), (dict(start=[np.nan, 0]), "start"), (dict(optimizer="sgd"), "optimizer"),
    (dict(lr=0.0), "lr"), (dict(lr=-1.0), "lr"), (dict(steps=-1), "steps"), (dict(steps=2.5), "steps"),
    (dict(beta=1.0), "beta"), (dict(beta=-0.1), "beta"), (dict(alpha=1.0), "alpha"), (dict(beta2=1.5), "beta2"),
    (dict(schedule="cosine"), "schedule"), (dict(warmup=0), "warmup"),
    (dict(warmup=301, schedule="warm-up"), "warmup"), (dict(warmup=301, schedule="warm-up + decay"), "warmup"),
    (dict(grad_fn=lambda theta: np.zeros(3)), "shape"), (dict(loss_fn=3), "loss_fn"),
    (dict(batches=[np.arange(2)]), "one index array per step"), (dict(max_loss=0), "max_loss"),
    (dict(max_size=-1.0), "max_size")])
def test_descend_rejects_bad_arguments(kwargs, match):
    call = dict(grad_fn=models.canyon_grad, start=models.CANYON_START, optimizer="adam", lr=0.1, steps=300)
    with pytest.raises((ValueError, TypeError), match=match):
        train.descend(**dict(call, **kwargs))


def test_descend_takes_its_options_by_keyword_only():
    with pytest.raises(TypeError, match="positional"):
        train.descend(models.canyon_grad, models.CANYON_START, "adam", 0.1, 300)


@pytest.mark.parametrize("optimizer", train.DESCEND_OPTIMIZERS)
def test_descend_with_no_steps_stays_at_the_start(optimizer):
    calls = []

    def grad(theta):
        calls.append(theta)
        return models.canyon_grad(theta)

    run = train.descend(grad, models.CANYON_START, optimizer=optimizer, lr=0.1, steps=0,
                        loss_fn=lambda t: models.canyon_loss(*t))
    assert run["path"].shape == (1, 2) and np.array_equal(run["path"][0], models.CANYON_START)
    assert run["lr"].shape == (0,) and run["diverged_at"] is None and not calls
    assert np.array_equal(run["loss"], [models.canyon_loss(*models.CANYON_START)])


# --- learning-rate schedules -------------------------------------------------------------------------------

def test_lr_schedules_have_the_shapes_they_promise():
    steps, warmup = 300, 30
    s = {name: train.lr_schedule(name, steps, warmup) for name in train.SCHEDULES}
    assert all(v.shape == (steps,) for v in s.values())
    assert np.all(s["constant"] == 1)
    assert np.allclose(s["warm-up"][:warmup], np.arange(1, warmup + 1) / warmup) and np.all(s["warm-up"][warmup:] == 1)
    assert s["decay"][0] == 1 and np.all(np.diff(s["decay"]) < 0) and s["decay"][-1] < 1e-3
    both = s["warm-up + decay"]
    assert np.argmax(both) == warmup - 1 and both[warmup - 1] == 1 and both[-1] < 1e-3
    assert np.all(np.diff(both[:warmup]) > 0) and np.all(np.diff(both[warmup:]) < 0)
    assert np.array_equal(train.lr_schedule("warm-up", 300), train.lr_schedule("warm-up", 300, 30))   # 10 % default


@pytest.mark.parametrize("args, match", [(("linear", 10), "schedule"), (("decay", 0), "steps"),
                                         (("warm-up", 10, 11), "warmup"), (("warm-up", 10, 0.5), "warmup")])
def test_lr_schedule_rejects_bad_arguments(args, match):
    with pytest.raises((ValueError, TypeError), match=match):
        train.lr_schedule(*args)


# --- networks side by side ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gen():
    rows = data.select(data.load_lectures(), course="GenAI2024")
    return data.features(rows), data.target(rows)


@pytest.mark.parametrize("optimizer, lr, standardize", [("adam", 1e-2, True), ("gd", 1e-4, False)])
def test_networks_trained_side_by_side_follow_exactly_their_own_paths(gen, optimizer, lr, standardize):
    X, y = gen
    joint = train.train_relu_nets_jointly(X, y, seeds=[0, 3], hidden=20, optimizer=optimizer, lr=lr, epochs=150,
                                          standardize=standardize)
    alone = train.train_relu_nets(X, y, seeds=[0, 3], hidden=20, optimizer={"gd": "sgd"}.get(optimizer, optimizer),
                                  lr=lr, epochs=150, standardize=standardize)
    for seed in (0, 3):
        assert np.array_equal(joint[seed][1]["train_loss"], alone[seed][1]["train_loss"])
        for p, q in zip(joint[seed][0].parameters(), alone[seed][0].parameters()):
            assert torch.equal(p, q)


@pytest.mark.parametrize("optimizer", ["momentum", "rmsprop", "adagrad"])
def test_side_by_side_matches_a_single_network_loop_for_the_other_optimisers(gen, optimizer):
    X, y = gen
    joint = train.train_relu_nets_jointly(X, y, seeds=[1, 2], hidden=10, optimizer=optimizer, lr=1e-3, epochs=100,
                                          momentum=0.8)
    net = models.ReluNet(1, 10, x_mean=X.mean(0), x_std=X.std(0), seed=2)
    extra = {"momentum": 0.8} if optimizer == "momentum" else {}
    opt = TORCH_OPTIMIZERS[optimizer](net.parameters(), lr=1e-3, foreach=False, **extra)
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
    losses = []
    for _ in range(100):
        loss = torch.mean((net(Xt) - yt) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            losses.append(torch.mean((net(Xt) - yt) ** 2).item())
    assert np.array_equal(joint[2][1]["train_loss"], np.array(losses))


def test_side_by_side_training_flags_a_network_that_explodes_without_disturbing_the_others(gen):
    X, y = gen
    runs = train.train_relu_nets_jointly(X, y, seeds=[0, 1], hidden=10, optimizer="gd", lr=0.5, epochs=30,
                                         standardize=False)
    assert all(h["diverged_at"] is not None for _, h in runs.values())
    assert all(len(h["train_loss"]) == h["diverged_at"] for _, h in runs.values())


@pytest.mark.parametrize("kwargs, match", [(dict(optimizer="sgd"), "optimizer"), (dict(seeds=[]), "seeds"),
                                           (dict(seeds=[1, 1]), "seeds"), (dict(lr=0), "lr"),
                                           (dict(epochs=0), "epochs"), (dict(momentum=1.0), "momentum"),
                                           (dict(standardize="yes"), "standardize must be True or False"),
                                           (dict(hidden=0), "hidden")])
def test_side_by_side_training_rejects_bad_arguments(gen, kwargs, match):
    X, y = gen
    with pytest.raises((ValueError, TypeError), match=match):
        train.train_relu_nets_jointly(X, y, **dict(dict(epochs=2, hidden=3), **kwargs))


# --- plots and the slider view -----------------------------------------------------------------------------

def test_plots_return_figures_and_reject_bad_input():
    w1, w2, L = widgets.canyon_grid(30, 20)
    run = train.descend(models.canyon_grad, models.CANYON_START, optimizer="adam", lr=0.1, steps=50)
    loss = models.canyon_loss(run["path"][:, 0], run["path"][:, 1])
    fig = plots.plot_trajectories(w1, w2, L, {"adam": (run["path"], loss)}, marks={"min": (0, 0)},
                                  lrs={"adam": run["lr"]}, title="t")
    assert len(fig.axes) == 3
    plt.close(fig)
    with pytest.raises(ValueError, match="losses"):
        plots.plot_trajectories(w1, w2, L.T, {"adam": (run["path"], loss)})
    with pytest.raises(ValueError, match="runs"):
        plots.plot_trajectories(w1, w2, L, {})
    with pytest.raises(ValueError, match="one loss per point"):
        plots.plot_trajectories(w1, w2, L, {"adam": (run["path"], loss[:-1])})
    fig = plots.plot_final_losses({"a": [1.0, 2.0, 3.0], "b": [50.0]}, baseline=2.0)
    plt.close(fig)
    with pytest.raises(ValueError, match="groups"):
        plots.plot_final_losses({})
    fig = plots.plot_batch_tradeoff([10, 100, 4000], [1.0, 0.2, 0.1], [2.0, 0.6, 1e-16], n_examples=4000)
    assert len(fig.axes[1].lines[0].get_xdata()) == 2          # the noiseless full batch is left off the log axis
    plt.close(fig)
    with pytest.raises(ValueError, match="n_examples"):
        plots.plot_batch_tradeoff([10, 100], [1.0, 0.5], [2.0, 0.6], n_examples=50)
    with pytest.raises(ValueError, match="examples"):
        plots.plot_batch_tradeoff([10, 100], [1.0], [1.0, 2.0])


def test_describe_path_names_every_ending():
    def describe(point, diverged_at=None):
        path = np.array([models.CANYON_START, point])
        return widgets.describe_path(path, models.canyon_loss(path[:, 0], path[:, 1]), diverged_at)

    assert describe((0.0, 0.0)).startswith("reached the global minimum")
    assert describe(widgets.CANYON_LOCAL_MIN).startswith("stuck in the local minimum")
    assert describe((-3.5, 0.0)).startswith("still on its way")
    assert describe((-3.5, 1e5), diverged_at=9).startswith("flew off at step 9")
    with pytest.raises(ValueError, match="path"):
        widgets.describe_path(np.zeros((3, 3)), np.zeros(3))


def test_optimizer_view_at_default_and_every_extreme_gives_a_figure_and_a_clear_message():
    grid = widgets.canyon_grid()
    lrs, betas = (1e-3, 10 ** 0.5), (0.0, 0.99)
    for lr, beta, optimizer, schedule in itertools.product(lrs, betas, train.DESCEND_OPTIMIZERS, train.SCHEDULES):
        fig, message = widgets.optimizer_view(lr, beta, optimizer, schedule, 300, grid)
        plt.close(fig)
        assert fig is not None and message and "nan" not in message.lower().split()
    fig, message = widgets.optimizer_view(grid=grid)
    plt.close(fig)
    assert message.startswith("Adam, η = 0.1, β = 0.90, constant: reached the global minimum")


@pytest.mark.parametrize("kwargs, match", [(dict(lr=0), "lr"), (dict(beta=1.5), "beta"), (dict(optimizer="sgd"), "optimizer"),
                                           (dict(schedule="step"), "schedule"), (dict(steps=0), "steps")])
def test_optimizer_view_rejects_bad_slider_values(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        widgets.optimizer_view(**kwargs)


def test_canyon_grid_rejects_bad_sizes():
    with pytest.raises(ValueError, match="n1"):
        widgets.canyon_grid(1, 10)


# --- what the notebook now says about momentum, the η map and Adam's first step -------------------------------

@pytest.mark.parametrize("beta", [0.5, 0.9])
def test_momentum_across_the_canyon_is_a_two_step_recurrence_with_roots_of_size_sqrt_beta(beta):
    lam, lr = 2 * models.CANYON["b"], 0.05
    w2 = train.descend(models.canyon_grad, models.CANYON_START, optimizer="momentum", lr=lr, steps=200,
                       beta=beta)["path"][:, 1]
    # the canyon is separable, so w2 obeys w2[t+1] = (1 + β − ηλ)·w2[t] − β·w2[t−1] exactly (from the second step)
    assert np.allclose(w2[2:], (1 + beta - lr * lam) * w2[1:-1] - beta * w2[:-2], atol=1e-12)
    roots = np.roots([1, -(1 + beta - lr * lam), beta])
    assert np.iscomplexobj(roots) and np.allclose(np.abs(roots), np.sqrt(beta))        # under-damped: |z| = √β


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_momentum_is_stable_below_2_1_plus_beta_over_lambda_and_not_above(beta):
    limit = 2 * (1 + beta) / (2 * models.CANYON["b"])
    below = train.descend(models.canyon_grad, models.CANYON_START, optimizer="momentum", lr=0.97 * limit, steps=600,
                          beta=beta)
    above = train.descend(models.canyon_grad, models.CANYON_START, optimizer="momentum", lr=1.03 * limit, steps=600,
                          beta=beta)
    assert below["diverged_at"] is None and above["diverged_at"] is not None


def test_critical_damping_gives_the_smallest_slowest_root():
    lam, lr = 2 * models.CANYON["b"], 0.01
    critical = (1 - np.sqrt(lr * lam)) ** 2
    radius = lambda b: np.abs(np.roots([1, -(1 + b - lr * lam), b])).max()
    betas = np.linspace(0, 0.95, 400)
    assert abs(betas[np.argmin([radius(b) for b in betas])] - critical) < 0.01
    assert np.isclose(radius(critical), 1 - np.sqrt(lr * lam), atol=1e-6)
    # exercise 2's text: at η = 0.01, β = 0 shrinks the zigzag by 0.8 per step, faster than β = 0.9 (√0.9 = 0.949)
    assert np.isclose(radius(0.0), 0.8) and np.isclose(radius(0.9), np.sqrt(0.9)) and radius(0.0) < radius(0.9)
    settle = lambda b: np.nonzero(np.abs(train.descend(models.canyon_grad, models.CANYON_START, optimizer="momentum",
                                                        lr=lr, steps=400, beta=b)["path"][:, 1]) > 1e-3)[0].max() + 1
    assert settle(critical) < settle(0.0) < settle(0.9)


def test_rmsprop_grey_cells_above_0_1_still_swing_and_are_past_the_ridge_from_0_14():
    for lr in np.geomspace(0.005, 3, 24):
        run = train.descend(models.canyon_grad, models.CANYON_START, optimizer="rmsprop", lr=lr, steps=300)
        if lr > 0.1 and run["diverged_at"] is None and models.canyon_loss(*run["path"][-1]) >= 1e-3 \
                and not np.allclose(run["path"][-1], widgets.CANYON_LOCAL_MIN, atol=0.05):
            assert np.abs(run["path"][-50:, 1]).max() > 0.005 and (run["path"][-1, 0] > -1.8 or lr < 0.12)


def _outcome(run):
    end = run["path"][-1]
    if run["diverged_at"] is not None:
        return "diverged"
    if models.canyon_loss(*end) < 1e-3:
        return "global"
    return "dip" if np.allclose(end, widgets.CANYON_LOCAL_MIN, atol=0.05) else "elsewhere"


def test_which_minimum_depends_on_the_learning_rate_as_the_map_says():
    lrs = np.geomspace(0.005, 3, 24)
    out = {opt: [_outcome(train.descend(models.canyon_grad, models.CANYON_START, optimizer=opt, lr=lr, steps=300))
                 for lr in lrs] for opt in ("gd", "momentum", "adagrad", "rmsprop", "adam")}
    out = {k: np.array(v) for k, v in out.items()}
    assert "global" not in out["gd"] and (out["gd"][lrs > 0.1] == "diverged").all()
    assert (out["momentum"][(lrs > 0.03) & (lrs < 0.19)] == "global").all()
    assert (out["momentum"][lrs < 0.03] == "dip").all() and (out["momentum"][lrs > 0.19] == "diverged").all()
    assert (out["adam"][lrs > 0.05] == "global").all() and "global" not in out["adam"][lrs < 0.05]
    assert (out["adagrad"][lrs > 1] == "global").all() and "global" not in out["adagrad"][lrs < 1]
    assert "global" not in out["rmsprop"][lrs < 0.15] and (out["rmsprop"][lrs > 0.15] == "global").sum() >= 8


@pytest.mark.parametrize("start", [models.CANYON_START, (-4.5, 0.5), (1.0, -3.0)])
@pytest.mark.parametrize("lr", [0.1, 0.003])
def test_adams_first_step_is_exactly_lr_per_parameter(start, lr):
    path = train.descend(models.canyon_grad, start, optimizer="adam", lr=lr, steps=1)["path"]
    assert np.allclose(np.abs(path[1] - path[0]), lr, rtol=1e-6)
    g = models.canyon_grad(start)
    uncorrected = lr * 0.1 * g / (np.sqrt(0.001 * g ** 2) + 1e-8)
    assert np.allclose(np.abs(uncorrected) / lr, 0.1 / np.sqrt(0.001), rtol=1e-5)        # 3.16 η (ε moves the 6th digit)


def test_the_lectures_adagrad_bursts_late_and_torchs_does_not():
    def run(mean):
        theta, s, path = np.array(models.CANYON_START, dtype=float), 0.0, []
        for t in range(1, 301):
            g = models.canyon_grad(theta)
            s = s + g ** 2
            theta = theta - 0.5 * g / (np.sqrt(s / t if mean else s) + 1e-10)
            path.append(theta)
        return np.array(path)
    torch_like = train.descend(models.canyon_grad, models.CANYON_START, optimizer="adagrad", lr=0.5, steps=300)["path"]
    assert np.allclose(run(mean=False), torch_like[1:], atol=1e-12)
    assert np.abs(run(mean=True)[150:, 1]).max() > 0.5 > 1e3 * np.abs(torch_like[150:, 1]).max()


def test_lambda_lr_replays_lr_schedule():
    for schedule in train.SCHEDULES:
        multipliers = train.lr_schedule(schedule, 120, 12)
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.3)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: multipliers[min(t, 119)])
        lrs = []
        for _ in range(120):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        assert np.allclose(lrs, 0.3 * multipliers, rtol=1e-15, atol=0)


def test_batch_tradeoff_names_the_batches_it_cannot_draw():
    fig = plots.plot_batch_tradeoff([10, 100, 4000], [1.0, 0.2, 0.1], [2.0, 0.6, 1e-16], n_examples=4000)
    assert any("4,000" in t.get_text() for t in fig.axes[1].texts)
    plt.close(fig)


def test_trajectories_give_every_run_its_own_line_style():
    w1, w2, L = widgets.canyon_grid(30, 20)
    runs = {}
    for name in ("gd", "adagrad", "rmsprop"):
        path = train.descend(models.canyon_grad, models.CANYON_START, optimizer=name, lr=0.05, steps=30)["path"]
        runs[name] = (path, models.canyon_loss(path[:, 0], path[:, 1]))
    fig = plots.plot_trajectories(w1, w2, L, runs)
    lines = fig.axes[0].lines[:3]
    assert len({(str(l.get_linestyle()), l.get_marker(), l.get_linewidth()) for l in lines}) == 3
    assert fig.axes[0].get_legend() is None and fig.legends                  # the legend sits below, off the map
    plt.close(fig)


def test_trajectories_as_small_multiples_draw_one_map_per_run():
    w1, w2, L = widgets.canyon_grid(30, 20)
    runs = {}
    for name in ("gd", "adagrad", "rmsprop", "adam"):
        path = train.descend(models.canyon_grad, models.CANYON_START, optimizer=name, lr=0.05, steps=30)["path"]
        runs[name] = (path, models.canyon_loss(path[:, 0], path[:, 1]))
    fig = plots.plot_trajectories(w1, w2, L, runs, marks={"min": (0, 0)}, separate=True)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 5 and [ax.get_title() for ax in visible[:4]] == list(runs)
    assert len(fig.legends[0].get_texts()) == 4 + 2                     # every run, the start, the mark
    plt.close(fig)
    with pytest.raises(ValueError, match="separate"):
        plots.plot_trajectories(w1, w2, L, runs, separate="yes")


def test_the_nesterov_exercise_has_the_answer_its_check_announces():
    def nesterov_path(lr, beta, steps):          # the exercise's answer: v = β·v + g, step along g + β·v
        theta, v, path = np.array(models.CANYON_START, dtype=float), None, [np.array(models.CANYON_START)]
        for _ in range(steps):
            g = models.canyon_grad(theta)
            v = g if v is None else beta * v + g
            theta = theta - lr * (g + beta * v)
            path.append(theta)
        return np.array(path)
    mine = nesterov_path(0.05, 0.9, 300)
    theta = torch.tensor(models.CANYON_START, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([theta], lr=0.05, momentum=0.9, nesterov=True)
    ref = [theta.detach().numpy().copy()]
    for _ in range(300):
        opt.zero_grad()
        canyon_of(theta).backward()
        opt.step()
        ref.append(theta.detach().numpy().copy())
    assert np.abs(mine - np.array(ref)).max() < 1e-10
    momentum_w2 = train.descend(models.canyon_grad, models.CANYON_START, optimizer="momentum", lr=0.05, steps=300)["path"][:, 1]
    settle = lambda w2: np.nonzero(np.abs(w2) > 0.01)[0].max() + 1
    assert settle(mine[:, 1]) < settle(momentum_w2) / 10                  # the look-ahead damps the ringing


def test_the_batch_study_compares_on_validation_digits_not_the_test_digits():
    """Finding 8 of issue 14: curves and comparisons on validation digits carved from the training digits."""
    import json
    from pathlib import Path
    nb = Path(__file__).resolve().parent.parent / "notebooks" / "08_optimizers.ipynb"
    code = ["".join(c["source"]) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    assert not any("X_test" in src or 'load_digits("test")' in src for src in code)
    assert any("data.split_validation(X, y, n_val=500, seed=0)" in src for src in code)
    assert all("X_fit, y_fit" in src and '"val": (X_val, y_val)' in src
               for src in code if "gap_runs = " in src or "full_batch_epochs = None" in src)
