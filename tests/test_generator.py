"""The lecture's phenomena are properties of the data generator, not of one lucky seed.

Each test regenerates the lecture table with seeds 0..N−1 (not hand-picked) and counts for how many
seeds a phenomenon holds; it must hold for (nearly) all of them."""
import numpy as np
import pytest

from utils import data, models, train

SEEDS = range(40)          # cheap checks
NN_SEEDS = range(10)       # checks that train a network (about 1 s per seed)


def courses(seed):
    t = data.simulate_lectures(seed)
    val = data.select(t, role="validation")
    return t, val


def line_losses(rows, val):
    x, y = data.features(rows)[:, 0], data.target(rows)
    xv, yv = data.features(val)[:, 0], data.target(val)
    w1, b = models.fit_linear(x, y)
    return w1, b, models.mse(w1 * x + b, y), models.mse(w1 * xv + b, yv), np.all(w1 * xv + b > yv)


def fraction(flags):
    return float(np.mean(list(flags)))


def test_committed_file_is_the_generator_output(tmp_path):
    out = data.write_lectures_csv(tmp_path / "lectures.csv", seed=data.DEFAULT_SEED)
    assert data.sha256_of(out) == data.expected_sha256("lectures.csv")


def test_default_seed_is_the_most_typical_draw():
    assert data.typical_seed() == data.DEFAULT_SEED


def test_every_row_says_simulated_or_real_and_only_the_test_row_is_real():
    t = data.load_lectures()
    simulated = np.array([s.startswith("simulated") for s in t["source"]])
    real = np.array([s.startswith("real") for s in t["source"]])
    assert np.all(simulated | real)
    assert list(t["id"][real]) == ["GenAI-ML2025 L05"]
    assert data.select(t, role="test")["slides"][0] == 84


def test_ml2021_line_is_near_the_lectures_and_training_mse_is_a_few_hundred():
    fits = [line_losses(data.select(courses(s)[0], course="ML2021"), courses(s)[1]) for s in SEEDS]
    near = [1.3 <= w1 <= 2.0 and -10 <= b <= 20 and 100 <= tr <= 500 for w1, b, tr, _, _ in fits]
    assert fraction(near) >= 0.8  # b varies most: 20 noisy lectures pin the slope better than the intercept
    medians = np.median([f[:3] for f in fits], axis=0)
    assert abs(medians[0] - 1.67) < 0.1 and abs(medians[1] - 4.85) < 4 and 180 < medians[2] < 300


def test_ml2021_line_overestimates_every_2025_lecture_and_validation_is_several_times_worse():
    fits = [line_losses(data.select(courses(s)[0], course="ML2021"), courses(s)[1]) for s in SEEDS]
    assert fraction(over and va >= 3 * tr for _, _, tr, va, over in fits) >= 0.95


def test_genai2024_brings_training_and_validation_close_and_validation_far_better():
    ok = []
    for s in SEEDS:
        t, val = courses(s)
        *_, tr24, va24, _ = line_losses(data.select(t, course="GenAI2024"), val)
        *_, va21, _ = line_losses(data.select(t, course="ML2021"), val)
        ok.append(va24 <= 3 * tr24 and va24 * 4 <= va21)
    assert fraction(ok) >= 0.9


def test_unscaled_slides_make_a_canyon_where_plain_gradient_descent_explodes_or_crawls():
    ok = []
    for s in SEEDS:
        ml = data.select(courses(s)[0], course="ML2021")
        x, y = data.features(ml)[:, 0], data.target(ml)
        w1, b = models.fit_linear(x, y)
        L_star = models.mse(w1 * x + b, y)
        runs = {lr: train.gradient_descent(x, y, 1.0, 15.0, lr, 10_000) for lr in (1e-2, 1e-3, 1e-4)}
        slow = runs[1e-4]
        # Crawls: the loss falls at every update, yet after 10,000 updates b has not even covered half of
        # its way from 15.0 to the optimum b* (the canyon floor is almost flat along b).
        crawls = (slow["diverged_at"] is None and np.all(np.diff(slow["loss"]) <= 1e-9)
                  and abs(slow["b"][-1] - b) > 0.5 * abs(15.0 - b))
        ok.append(runs[1e-2]["diverged_at"] is not None and runs[1e-3]["diverged_at"] is not None and crawls)
    assert fraction(ok) >= 0.95


def _flexible_runs(seed):
    t, val = courses(seed)
    g = data.select(t, course="GenAI2024")
    y, yv = data.target(g), data.target(val)
    *_, lin_tr, lin_va, _ = line_losses(g, val)
    X1 = data.features(g, ["slides"])
    plain = train.fit(models.ReluNet(1, 100, seed=0), X1, y, loss="mse", optimizer="sgd", lr=1e-4, epochs=1000,
                      shuffle=False)
    names = ["slides", "words_per_slide"]
    X, Xv = data.features(g, names), data.features(val, names)
    net = models.ReluNet(2, 100, x_mean=X.mean(0), x_std=X.std(0), seed=0)
    flexible = train.fit(net, X, y, loss="mse", optimizer="adam", lr=1e-2, epochs=1000, shuffle=False,
                         evals={"val": (Xv, yv)})
    return lin_tr, lin_va, plain, flexible


@pytest.fixture(scope="module")
def flexible_runs():
    return [_flexible_runs(s) for s in NN_SEEDS]


def test_plain_gradient_descent_on_the_relu_network_is_no_better_than_the_line(flexible_runs):
    assert fraction(plain["train_loss"][-1] >= lin_tr for lin_tr, _, plain, _ in flexible_runs) >= 0.9


def test_words_per_slide_lets_a_big_network_overfit(flexible_runs):
    ok = [f["train_loss"][-1] <= 0.9 * lin_tr and f["val_loss"][-1] >= 2 * lin_va
          and f["val_loss"][-1] >= 1.5 * f["val_loss"].min()        # validation blew up after its minimum
          for lin_tr, lin_va, _, f in flexible_runs]
    assert fraction(ok) >= 0.8
