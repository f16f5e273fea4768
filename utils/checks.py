"""Argument checks shared by the course's helpers: each failure says what to fix."""
from __future__ import annotations

import math

import numpy as np


def as_1d(name: str, values, min_len: int = 1) -> np.ndarray:
    """Return `values` as a finite 1-D float array, or raise an error that names the argument."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a list or array of numbers, got {type(values).__name__}") from None
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one number per lecture), got shape {arr.shape}")
    if arr.size < min_len:
        raise ValueError(f"{name} needs at least {min_len} value(s), got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf; remove or fix those entries")
    return arr


def as_2d(name: str, values, min_rows: int = 1, keep_float: bool = False) -> np.ndarray:
    """Return `values` as a finite (N, k) float array; a 1-D input becomes one column.

    keep_float=True leaves a float32 array as it is (no float64 copy): the training loops convert to the
    model's dtype anyway, and copying 4,000 digits to float64 costs more than an epoch of training."""
    try:
        if keep_float and isinstance(values, np.ndarray) and values.dtype.kind == "f":
            arr = values
        else:
            arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {type(values).__name__}") from None
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"{name} must have shape (N, features), got shape {arr.shape}")
    if arr.shape[0] < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} row(s), got {arr.shape[0]}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf; remove or fix those entries")
    return arr


def same_length(name_a: str, a, name_b: str, b) -> None:
    """Raise if two arrays do not hold the same number of examples."""
    if len(a) != len(b):
        raise ValueError(f"{name_a} has {len(a)} examples but {name_b} has {len(b)}; they must match")


def number(name: str, value, low=None, high=None, low_open=False, integer=False) -> float:
    """Return `value` as a finite number inside [low, high] (or (low, high] if low_open)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if integer and int(value) != value:
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if low is not None and (value <= low if low_open else value < low):
        raise ValueError(f"{name} must be {'>' if low_open else '≥'} {low}, got {value!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be ≤ {high}, got {value!r}")
    return int(value) if integer else float(value)


def choice(name: str, value, options) -> str:
    """Return `value` if it is one of `options`, else raise naming the choices."""
    if value not in options:
        raise ValueError(f"unknown {name} {value!r}; choose one of {list(options)}")
    return value
