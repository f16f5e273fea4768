"""Argument checks shared by the course's helpers: each failure says what to fix.

Every check raises `CourseError`, the one exception type of the course's own argument checks. It is both a
`ValueError` and a `TypeError`, so code that catches either keeps working; the slider apps show a
`CourseError` as a friendly "⚠ …" line and let every other exception through as a traceback (a bug).

`agree` is the one way a notebook compares its own computation with a library's."""
from __future__ import annotations

import math
import re

import numpy as np
import torch


class CourseError(ValueError, TypeError):
    """A helper was called with an argument it cannot use; the message says which argument and what to fix.
    Used inside utils, not called in a notebook."""


def agree(label: str, ours, theirs, tol: float) -> None:
    """Assert that `ours` and `theirs` agree within `tol` (largest absolute difference) and print the verdict.

    Prints e.g. `softmax vs torch.softmax: agree within 1e-12 ✓  (max |Δ| = 4.4e-16)`. The tolerance is the
    claim; the difference in parentheses is shown for the reader, and its last digits depend on the CPU and the
    libraries' kernels (the tests mask it, never the verdict). Accepts numbers, lists, NumPy arrays and torch
    tensors of the same shape. Taught in notebook 01."""
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
    if isinstance(values, torch.Tensor):
        return values.detach().cpu().double().numpy()
    return values


def as_array(name: str, values, what: str = "an array of numbers") -> np.ndarray:
    """Return `values` as a float64 array of any shape (NaN allowed), or raise "name must be {what}, got …".
    Used inside utils, not called in a notebook."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise CourseError(f"{name} must be {what}, got {type(values).__name__}") from None


def as_1d(name: str, values, min_len: int = 1) -> np.ndarray:
    """Return `values` as a finite 1-D float array, or raise an error that names the argument.
    Used inside utils, not called in a notebook."""
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
    model's dtype anyway, and copying 4,000 digits to float64 costs more than an epoch of training.
    Used inside utils, not called in a notebook."""
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
    """Raise if two arrays do not hold the same number of examples. Used inside utils, not called in a notebook."""
    if len(a) != len(b):
        raise CourseError(f"{name_a} has {len(a)} examples but {name_b} has {len(b)}; they must match")


def number(name: str, value, low=None, high=None, low_open=False, integer=False) -> float:
    """Return `value` as a finite number inside [low, high] (or (low, high] if low_open).
    Used inside utils, not called in a notebook."""
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
    """Return `value` if it is one of `options`, else raise naming the choices.
    Used inside utils, not called in a notebook."""
    if value not in options:
        raise CourseError(f"unknown {name} {value!r}; choose one of {list(options)}")
    return value


def as_grid(name: str, values, rows: tuple, cols: tuple) -> np.ndarray:
    """Return `values` as a finite 2-D array with one row per value of rows = (its name, the values) and one column
    per value of cols, e.g. a loss on a grid of (w1, b). Used inside utils, not called in a notebook."""
    arr = as_2d(name, values)
    (row_name, row_values), (col_name, col_values) = rows, cols
    if arr.shape != (len(row_values), len(col_values)):
        raise CourseError(f"{name} must have shape (len({row_name}), len({col_name})) = "
                          f"{(len(row_values), len(col_values))}, got {arr.shape}")
    return arr


def flag(name: str, value) -> bool:
    """Return `value` if it is True or False, else raise "name must be True or False".
    Used inside utils, not called in a notebook."""
    if not isinstance(value, (bool, np.bool_)):
        raise CourseError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def non_empty_dict(name: str, value, what: str) -> dict:
    """Return `value` if it is a dict with at least one entry, else raise "name must be a non-empty dict: {what}".
    Used inside utils, not called in a notebook."""
    if not isinstance(value, dict) or not value:
        raise CourseError(f"{name} must be a non-empty dict: {what}")
    return value


def torch_module(name: str, value, kind=torch.nn.Module, hint: str = ""):
    """Return `value` if it is an instance of `kind` (a torch.nn.Module unless told otherwise), else raise.
    Used inside utils, not called in a notebook."""
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        wanted = " or ".join(k.__name__ if k is not torch.nn.Module else "torch.nn.Module" for k in kinds)
        raise CourseError(f"{name} must be a {wanted}{hint}, got {type(value).__name__}")
    return value


def batch_size_for(value, n: int, name: str = "batch_size") -> int:
    """Return the batch size as a whole number between 1 and the number of examples n.
    Used inside utils, not called in a notebook."""
    value = number(name, value, low=1, integer=True)
    if value > n:
        raise CourseError(f"{name} ({value}) is larger than the data (N = {n}); use at most {n}")
    return value


def as_labels(name: str, values, n_classes=None) -> np.ndarray:
    """Return `values` as a 1-D int64 array of class numbers 0 … n_classes − 1 (whole-number floats accepted).
    Used inside utils, not called in a notebook."""
    arr = as_array(name, values, "a 1-D array of class numbers")
    if arr.ndim != 1 or arr.size == 0:
        raise CourseError(f"{name} must be a 1-D array of class numbers, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
        raise CourseError(f"{name} must hold whole class numbers 0, 1, 2, …, got {np.asarray(values).dtype}")
    if arr.min() < 0 or (n_classes is not None and arr.max() >= n_classes):
        raise CourseError(f"{name} must be class numbers between 0 and {n_classes - 1 if n_classes else 'C − 1'}, "
                          f"got {arr.min():g}…{arr.max():g}")
    return arr.astype(np.int64)


def as_examples(name: str, values, shape=None) -> np.ndarray:
    """Return `values` as a finite float array with one example per row: (N, features) or images (N, C, H, W).

    shape: the shape of one example the caller needs, e.g. (784,) or (1, 28, 28). A float32 array is kept as
    it is (no float64 copy): the training loops convert to the model's dtype anyway.
    Used inside utils, not called in a notebook."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        arr = values
    else:
        arr = as_array(name, values, "an array of numbers, one example per row")
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim < 2 or len(arr) == 0:
        raise CourseError(f"{name} must hold one example per row, (N, features), got shape {arr.shape}")
    if shape is not None and arr.shape[1:] != tuple(shape):
        raise CourseError(f"{name} must have examples of shape {tuple(shape)}, got {arr.shape[1:]}")
    if not np.all(np.isfinite(arr)):
        raise CourseError(f"{name} contains NaN or inf; remove or fix those entries")
    return arr


def as_digit_images(name: str, values) -> np.ndarray:
    """Return `values` as (N, 28, 28) grey levels; (N, 784) rows are reshaped.
    Used inside utils, not called in a notebook."""
    arr = as_array(name, values, "an array of grey levels")
    shape = arr.shape
    if arr.ndim == 2 and arr.shape[1] == 784:
        arr = arr.reshape(-1, 28, 28)
    if arr.ndim != 3 or arr.shape[1:] != (28, 28) or len(arr) == 0:
        raise CourseError(f"{name} must have shape (N, 784) or (N, 28, 28) with N ≥ 1, got shape {shape}")
    if not np.all(np.isfinite(arr)):
        raise CourseError(f"{name} contain NaN or inf; use the grey levels that load_digits() returns")
    return arr
