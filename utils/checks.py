"""Argument checks shared by the course's helpers: each failure says what to fix.

Every check raises `CourseError`, the one exception type of the course's own argument checks. It is both a
`ValueError` and a `TypeError`, so code that catches either keeps working; the slider apps show a
`CourseError` as a friendly "⚠ …" line and let every other exception through as a traceback (a bug).

`agree` is the one way a notebook compares its own computation with a library's."""
from __future__ import annotations

import math
import re

import numpy as np


class CourseError(ValueError, TypeError):
    """A helper was called with an argument it cannot use; the message says which argument and what to fix."""


def agree(label: str, ours, theirs, tol: float) -> None:
    """Assert that `ours` and `theirs` agree within `tol` (largest absolute difference) and print the verdict.

    Prints e.g. `softmax vs torch.softmax: agree within 1e-12 ✓  (max |Δ| = 4.4e-16)`. The tolerance is the
    claim; the difference in parentheses is shown for the reader, and its last digits depend on the CPU and the
    libraries' kernels (the tests mask it, never the verdict). Accepts numbers, lists, NumPy arrays and torch
    tensors of the same shape."""
    if not isinstance(label, str) or not label.strip():
        raise CourseError(f"label must be a short text saying what is compared, got {label!r}")
    tol = number("tol", tol, low=0, low_open=True)
    a, b = (as_array(name, _untracked(v), "a number or an array of numbers")
            for name, v in (("ours", ours), ("theirs", theirs)))
    if a.shape != b.shape:
        raise CourseError(f"ours has shape {a.shape} but theirs has shape {b.shape}; compare arrays of the same shape")
    if a.size == 0:
        raise CourseError("ours and theirs are empty; there is nothing to compare")
    for name, arr in (("ours", a), ("theirs", b)):
        if not np.all(np.isfinite(arr)):
            raise CourseError(f"{name} contains NaN or inf; a comparison needs finite numbers")
    diff = float(np.max(np.abs(a - b)))
    if not diff <= tol:
        raise AssertionError(f"{label}: max |Δ| = {diff:.1e} is larger than the tolerance {_short(tol)}; they do not agree")
    print(f"{label}: agree within {_short(tol)} ✓  (max |Δ| = {diff:.1e})")


def _short(value: float) -> str:
    """1e-06 → 1e-6, as the text writes tolerances."""
    return re.sub(r"e([-+])0*(\d)", r"e\1\2", f"{value:g}")


def _untracked(values):
    """A torch tensor as a float64 NumPy array (detached, on the CPU); anything else as it is."""
    if hasattr(values, "detach") and hasattr(values, "cpu"):      # a torch tensor, without importing torch
        return values.detach().cpu().double().numpy()
    return values


def as_array(name: str, values, what: str = "an array of numbers") -> np.ndarray:
    """Return `values` as a float64 array of any shape (NaN allowed), or raise "name must be {what}, got …"."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise CourseError(f"{name} must be {what}, got {type(values).__name__}") from None


def as_1d(name: str, values, min_len: int = 1) -> np.ndarray:
    """Return `values` as a finite 1-D float array, or raise an error that names the argument."""
    arr = as_array(name, values, "a list or array of numbers")
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise CourseError(f"{name} must be 1-D (one number per lecture), got shape {arr.shape}")
    if arr.size < min_len:
        raise CourseError(f"{name} needs at least {min_len} value(s), got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise CourseError(f"{name} contains NaN or inf; remove or fix those entries")
    return arr


def as_2d(name: str, values, min_rows: int = 1, keep_float: bool = False) -> np.ndarray:
    """Return `values` as a finite (N, k) float array; a 1-D input becomes one column.

    keep_float=True leaves a float32 array as it is (no float64 copy): the training loops convert to the
    model's dtype anyway, and copying 4,000 digits to float64 costs more than an epoch of training."""
    if keep_float and isinstance(values, np.ndarray) and values.dtype.kind == "f":
        arr = values
    else:
        arr = as_array(name, values)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise CourseError(f"{name} must have shape (N, features), got shape {arr.shape}")
    if arr.shape[0] < min_rows:
        raise CourseError(f"{name} needs at least {min_rows} row(s), got {arr.shape[0]}")
    if not np.all(np.isfinite(arr)):
        raise CourseError(f"{name} contains NaN or inf; remove or fix those entries")
    return arr


def same_length(name_a: str, a, name_b: str, b) -> None:
    """Raise if two arrays do not hold the same number of examples."""
    if len(a) != len(b):
        raise CourseError(f"{name_a} has {len(a)} examples but {name_b} has {len(b)}; they must match")


def number(name: str, value, low=None, high=None, low_open=False, integer=False) -> float:
    """Return `value` as a finite number inside [low, high] (or (low, high] if low_open)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise CourseError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise CourseError(f"{name} must be finite, got {value!r}")
    if integer and int(value) != value:
        raise CourseError(f"{name} must be a whole number, got {value!r}")
    if low is not None and (value <= low if low_open else value < low):
        raise CourseError(f"{name} must be {'>' if low_open else '≥'} {low}, got {value!r}")
    if high is not None and value > high:
        raise CourseError(f"{name} must be ≤ {high}, got {value!r}")
    return int(value) if integer else float(value)


def choice(name: str, value, options) -> str:
    """Return `value` if it is one of `options`, else raise naming the choices."""
    if value not in options:
        raise CourseError(f"unknown {name} {value!r}; choose one of {list(options)}")
    return value
