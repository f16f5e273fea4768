"""Notebook 01's claims beyond its own asserts, on other tables of the generator, not only seed 14: the closed form
uses the mean of the labels; the best MAE line through two lectures is exact (never beaten by the grid's best); an
outlier 110 minutes off at 20 slides moves the MSE's line and usually leaves the MAE's where it was, but at an extreme
slide count (100) the MAE's line moves too; and each exercise's check cell accepts a right answer."""
from pathlib import Path

import numpy as np
import pytest

import exercise_runner
from utils import data, models

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "01_lecture_duration_regression.ipynb"
W1_VALUES, B_VALUES = np.linspace(0, 3, 100), np.linspace(0, 20, 300)   # the notebook's grid
SEEDS = range(100)


def ml2021(seed):
    table = data.load_lectures() if seed == data.DEFAULT_SEED else data.simulate_lectures(seed)
    ml = data.select(table, course="ML2021")
    return data.features(ml, ["slides"])[:, 0], data.target(ml)


def closed_form(x, minutes):
    """The notebook's formula: w1* from the centred slides and the centred labels, b* = mean label − w1*·mean x1."""
    w1 = np.sum((x - x.mean()) * (minutes - minutes.mean())) / np.sum((x - x.mean()) ** 2)
    return w1, minutes.mean() - w1 * x.mean()


def mae(w1, b, x, minutes):
    return np.mean(np.abs(w1 * x + b - minutes))


def mae_best_on_grid(x, minutes):
    maes = np.mean(np.abs(W1_VALUES[None, :, None] * x + B_VALUES[:, None, None] - minutes), axis=-1)
    i_b, i_w = np.unravel_index(np.argmin(maes), maes.shape)
    return W1_VALUES[i_w], B_VALUES[i_b]


def best_mae_line(x, minutes):
    """The notebook's search: the line through two lectures with the smallest MAE."""
    i, j = np.triu_indices(len(x), k=1)
    keep = x[i] != x[j]
    i, j = i[keep], j[keep]
    w1 = (minutes[j] - minutes[i]) / (x[j] - x[i])
    b = minutes[i] - w1 * x[i]
    k = np.argmin(np.mean(np.abs(w1[:, None] * x + b[:, None] - minutes), axis=1))
    return w1[k], b[k]


def moved_at(slides, before, after):
    """How far a line's prediction moved at `slides` minutes."""
    return abs((after[0] - before[0]) * slides + (after[1] - before[1]))


def moves_with_outlier(x, minutes, slides, outlier_minutes=None):
    """(MSE line's move, MAE line's move) at `slides` when one lecture is added there, by default 110 min above
    the MSE's line."""
    mse_line, mae_line = closed_form(x, minutes), best_mae_line(x, minutes)
    if outlier_minutes is None:
        outlier_minutes = mse_line[0] * slides + mse_line[1] + 110
    x_out, minutes_out = np.append(x, float(slides)), np.append(minutes, outlier_minutes)
    return (moved_at(slides, mse_line, closed_form(x_out, minutes_out)),
            moved_at(slides, mae_line, best_mae_line(x_out, minutes_out)))


@pytest.mark.parametrize("seed", [14, 0, 1, 2, 3])
def test_the_closed_form_matches_polyfit(seed):
    x, minutes = ml2021(seed)
    np.testing.assert_allclose(closed_form(x, minutes), np.polyfit(x, minutes, 1), rtol=0, atol=1e-9)


def test_the_pair_search_is_exact_and_beats_the_grid():
    """On every table: no grid line and no line of a fine grid around it has a lower MAE than the pair search's line;
    it beats the MSE's line on the MAE and loses to it on the MSE. The grid's best alone does not always beat the
    MSE's line on the MAE (it fails on some tables), which is why the notebook computes the exact line."""
    grid_fails = 0
    for seed in SEEDS:
        x, minutes = ml2021(seed)
        w1, b = best_mae_line(x, minutes)
        best = mae(w1, b, x, minutes)
        assert best <= mae(*mae_best_on_grid(x, minutes), x, minutes) + 1e-12
        w1_fine, b_fine = w1 + np.linspace(-0.1, 0.1, 81), b + np.linspace(-3, 3, 81)
        fine = np.mean(np.abs(w1_fine[None, :, None] * x + b_fine[:, None, None] - minutes), axis=-1)
        assert best <= fine.min() + 1e-12
        mse_line = closed_form(x, minutes)
        assert best <= mae(*mse_line, x, minutes)
        assert models.mse(mse_line[0] * x + mse_line[1], minutes) <= models.mse(w1 * x + b, minutes)
        grid_fails += not mae(*mae_best_on_grid(x, minutes), x, minutes) < mae(*mse_line, x, minutes)
    assert grid_fails > 0   # why the grid's best is not called "the best line for the MAE"


def test_b_star_lies_outside_the_grid_on_some_tables():
    """Cell 27's count: b* outside [0, 20] on 22 of 100 tables; with exercise 3's lecture (20 slides, 150 min) on seed
    14, b* ≈ 25."""
    outside = sum(not 0 <= closed_form(*ml2021(seed))[1] <= 20 for seed in SEEDS)
    assert outside == 22
    x, minutes = ml2021(data.DEFAULT_SEED)
    assert closed_form(np.append(x, 20.0), np.append(minutes, 150.0))[1] > 20


def test_an_outlier_at_20_slides_moves_the_mse_line_and_usually_not_the_mae_line():
    """110 min above the MSE's line at 20 slides: the MSE's line moves more on 99 of 100 tables (median ≈ 13 min);
    the MAE's line stays exactly where it was on 52 and moves by more than 1 min on only 40."""
    moves = np.array([moves_with_outlier(*ml2021(seed), 20) for seed in SEEDS])
    assert (moves[:, 0] > moves[:, 1]).sum() >= 95
    assert (moves[:, 1] < 1e-9).sum() >= 45 and (moves[:, 1] > 1).sum() <= 45
    assert np.median(moves[:, 1]) < 1e-9 < 5 < np.median(moves[:, 0])


def test_at_an_extreme_slide_count_the_mae_line_moves_too():
    """The same outlier at 100 slides (beyond every ML2021 lecture): the MAE's line moves by more than 1 min on 89 of
    100 tables (median ≈ 8 min, seed 14: 17 min), though the MSE's line still moves more on 98. The MAE resists a
    lecture far off in minutes, not one far out in slides."""
    moves = np.array([moves_with_outlier(*ml2021(seed), 100) for seed in SEEDS])
    assert (moves[:, 1] > 1).sum() >= 80
    assert np.median(moves[:, 1]) > 5
    assert (moves[:, 0] > moves[:, 1]).sum() >= 90
    mse_moved, mae_moved = moves_with_outlier(*ml2021(data.DEFAULT_SEED), 100)
    assert mae_moved > 10 and mse_moved > mae_moved   # seed 14, as the notebook's follow-up shows


def test_exercise_3_on_other_tables():
    """Exercise 3's lecture (20 slides, 150 min): the MSE's line moves more on 99 of 100 tables, not all (seed 29:
    8.5 against 11.3 min). The check cell computes the answer from the data rather than assuming it."""
    wins = [np.greater(*moves_with_outlier(*ml2021(seed), 20, 150.0)) for seed in SEEDS]
    assert sum(wins) >= 95 and not all(wins)
    mse_moved, mae_moved = moves_with_outlier(*ml2021(data.DEFAULT_SEED), 20, 150.0)
    assert mse_moved > 10 and mae_moved < 1e-9
    mse_moved, mae_moved = moves_with_outlier(*ml2021(data.DEFAULT_SEED), 100, 291.0)   # the follow-up
    assert mse_moved > mae_moved > 10


@pytest.mark.parametrize("seed", [14, 0, 1, 6, 29])
def test_how_far_the_outlier_lies_moves_only_the_mse_line(seed):
    """The outlier's minutes 150 → 300 → 1000 (at 20 slides): the MAE's best line stays, the MSE's moves on."""
    x, minutes = ml2021(seed)
    lines_mse, lines_mae = [], []
    for outlier in (150.0, 300.0, 1000.0):
        x_out, minutes_out = np.append(x, 20.0), np.append(minutes, outlier)
        lines_mse.append(closed_form(x_out, minutes_out))
        lines_mae.append(best_mae_line(x_out, minutes_out))
    np.testing.assert_allclose(lines_mae[0], lines_mae[1], rtol=0, atol=1e-9)
    np.testing.assert_allclose(lines_mae[0], lines_mae[2], rtol=0, atol=1e-9)
    moves = [moved_at(20, closed_form(x, minutes), line) for line in lines_mse]
    assert moves[0] < moves[1] < moves[2]


RIGHT_ANSWERS = {
    "answer_1 = None": "answer_1 = np.mean((1.5 * x + 10 - minutes) ** 2)",
    "answer_2 = None": 'answer_2 = ml["id"][np.argmax(np.abs(w1_star * x + b_star - minutes))]',
    "prediction_3 = None": 'prediction_3 = "MSE"',
    "w1_mse_out, b_mse_out = None, None": "w1_mse_out, b_mse_out = models.fit_linear(x_out, minutes_out)",
    "w1_mae_out, b_mae_out = None, None": "w1_mae_out, b_mae_out, _ = best_mae_line(x_out, minutes_out)",
}
GRID_MAE = ("w1_mae_out, b_mae_out, _ = best_on_grid(np.mean(np.abs(w1_values[None, :, None] * x_out"
            " + b_values[:, None, None] - minutes_out), axis=-1))")
FOLLOW_UP = {"outlier_slides, outlier_minutes = 20.0, 150.0": "outlier_slides, outlier_minutes = 100.0, 291.0"}


def check_cell_verdicts(replacements):
    return exercise_runner.check_cell_verdicts(NOTEBOOK, replacements)


def test_each_check_cell_accepts_a_right_answer():
    verdicts = check_cell_verdicts(RIGHT_ANSWERS)
    assert len(verdicts) == 3 and all(v.startswith("Correct!") for v in verdicts), verdicts
    assert "at 20 slides" in verdicts[2]


def test_exercise_3_accepts_the_grid_when_the_box_holds_the_line_and_the_follow_up():
    """At 20 slides the grid's best MAE line is accepted; at 100 slides (the follow-up) the exact methods are, and the
    grid is not (the MAE's best b, ≈ −9, lies outside [0, 20])."""
    grid = check_cell_verdicts({**RIGHT_ANSWERS, "w1_mae_out, b_mae_out = None, None": GRID_MAE})
    assert grid[2].startswith("Correct!"), grid[2]
    follow_up = check_cell_verdicts({**RIGHT_ANSWERS, **FOLLOW_UP})
    assert follow_up[2].startswith("Correct!") and "at 100 slides" in follow_up[2], follow_up[2]
    grid_far = check_cell_verdicts({**RIGHT_ANSWERS, **FOLLOW_UP, "w1_mae_out, b_mae_out = None, None": GRID_MAE})
    assert grid_far[2].startswith("Not yet"), grid_far[2]
