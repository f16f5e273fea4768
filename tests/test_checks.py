"""utils.checks: the course's one exception type and its one way of comparing with a library."""
import re

import numpy as np
import pytest
import torch

from utils import checks
from utils.checks import CourseError, agree


def test_course_error_is_both_a_value_error_and_a_type_error():
    assert issubclass(CourseError, ValueError) and issubclass(CourseError, TypeError)
    with pytest.raises(TypeError):
        checks.number("lr", "fast")
    with pytest.raises(ValueError):
        checks.number("lr", -1.0, low=0)
    with pytest.raises(CourseError, match=r"\blr\b"):
        checks.number("lr", float("nan"))


def test_agree_prints_the_verdict_the_tolerance_and_the_measured_difference(capsys):
    ours = np.array([0.1, 0.2, 0.3])
    agree("sum vs torch", ours, torch.tensor(ours) + 1e-17, 1e-12)
    agree("a number", 2.0, 2.0, 1e-12)
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"sum vs torch: agree within 1e-12 ✓  \(max \|Δ\| = \d\.\de-\d\d\)", lines[0])
    assert lines[1] == "a number: agree within 1e-12 ✓  (max |Δ| = 0.0e+00)"


def test_agree_fails_loudly_when_the_difference_exceeds_the_tolerance(capsys):
    with pytest.raises(AssertionError, match=r"softmax: max \|Δ\| = 1\.0e-06 is larger than the tolerance 1e-12"):
        agree("softmax", [0.5, 0.5], [0.5, 0.5 + 1e-6], 1e-12)
    assert capsys.readouterr().out == ""           # no ✓ printed for a failed comparison


def test_agree_works_with_tensors_that_need_grad_and_float32():
    w = torch.ones(3, requires_grad=True)
    agree("w", w * 2, np.full(3, 2.0), 1e-12)
    agree("float32", torch.ones(2, dtype=torch.float32) / 3, np.ones(2) / 3, 1e-6)


@pytest.mark.parametrize("kwargs, word", [
    (dict(label="", ours=1.0, theirs=1.0, tol=1e-12), "label"),
    (dict(label=3, ours=1.0, theirs=1.0, tol=1e-12), "label"),
    (dict(label="x", ours=1.0, theirs=1.0, tol=0.0), "tol"),
    (dict(label="x", ours=1.0, theirs=1.0, tol="small"), "tol"),
    (dict(label="x", ours=[1.0, 2.0], theirs=[1.0], tol=1e-12), "shape"),
    (dict(label="x", ours=[], theirs=[], tol=1e-12), "empty"),
    (dict(label="x", ours=[np.nan], theirs=[1.0], tol=1e-12), "ours"),
    (dict(label="x", ours=[1.0], theirs=[np.inf], tol=1e-12), "theirs"),
    (dict(label="x", ours="abc", theirs=[1.0], tol=1e-12), "ours"),
])
def test_agree_rejects_bad_arguments_with_a_course_error(kwargs, word):
    with pytest.raises(CourseError, match=rf"\b{word}\b"):
        agree(**kwargs)
