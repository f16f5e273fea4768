"""The data loader: checksums, clear errors for missing/corrupt files, and selection helpers."""
import shutil

import numpy as np
import pytest

from utils import data


@pytest.fixture()
def data_copy(tmp_path):
    for name in ("lectures.csv", "lectures_public.csv", "README.md"):
        shutil.copy(data.DATA_DIR / name, tmp_path / name)
    return tmp_path


def test_committed_files_match_their_checksums():
    for name in ("lectures.csv", "lectures_public.csv"):
        assert data.sha256_of(data.DATA_DIR / name) == data.expected_sha256(name)


def test_load_lectures_columns_and_roles():
    t = data.load_lectures()
    assert set(data.COLUMNS) <= set(t)
    assert len(t["id"]) == 46
    counts = {c: int(np.sum(t["course"] == c)) for c in data.COURSES}
    assert counts == {"ML2021": 20, "GenAI2024": 20, "GenAI-ML2025": 6}
    val = data.select(t, role="validation")
    assert list(val["lecture"]) == [0, 1, 2, 3, 4]
    test = data.select(t, role="test")
    assert (test["slides"][0], test["words"][0], test["minutes"][0]) == (84, 3388, 107)


def test_public_rows_are_real_and_sourced():
    p = data.load_public_lectures()
    assert list(p["lecture"]) == list(range(1, 10))
    assert all(s.startswith("real") for s in p["source"])
    assert p["slides"][4] == 84 and p["video_minutes"][4] == 144


def test_corrupted_file_is_refused_with_a_way_back(data_copy):
    path = data_copy / "lectures.csv"
    path.write_text(path.read_text().replace("ML2021 L01,ML2021,1,20", "ML2021 L01,ML2021,1,21"))
    with pytest.raises(ValueError, match="corrupt.*git checkout -- data/lectures.csv"):
        data.load_lectures(data_copy)


def test_truncated_file_is_refused(data_copy):
    path = data_copy / "lectures.csv"
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="corrupt"):
        data.load_lectures(data_copy)


def test_missing_file_says_how_to_get_it_back(data_copy):
    (data_copy / "lectures_public.csv").unlink()
    with pytest.raises(FileNotFoundError, match="missing.*git checkout -- data/lectures_public.csv"):
        data.load_public_lectures(data_copy)


def test_missing_checksum_row_is_reported(data_copy):
    readme = data_copy / "README.md"
    readme.write_text(readme.read_text().replace("`lectures.csv`", "`something_else.csv`"))
    with pytest.raises(KeyError, match="no SHA-256 for 'lectures.csv'"):
        data.load_lectures(data_copy)


def test_features_and_target_shapes():
    t = data.load_lectures()
    X = data.features(t, ["slides", "words", "words_per_slide"])
    assert X.shape == (46, 3) and X.dtype == float
    assert np.allclose(X[:, 2], X[:, 1] / X[:, 0])
    assert data.target(t).shape == (46,)


@pytest.mark.parametrize("call, match", [
    (lambda t: data.select(t, course="ML2022"), "unknown course 'ML2022'"),
    (lambda t: data.select(t, role="exam"), "unknown role 'exam'"),
    (lambda t: data.select(t, course="ML2021", role="test"), "no rows"),
    (lambda t: data.features(t, ["pages"]), "unknown feature"),
    (lambda t: data.features(t, []), "unknown feature"),
    (lambda t: data.features([1, 2], ["slides"]), "table must be the dict"),
    (lambda t: data.simulate_lectures(-1), "seed must be a non-negative integer"),
    (lambda t: data.simulate_lectures(1.5), "seed must be a non-negative integer"),
])
def test_bad_arguments_say_what_to_fix(call, match):
    t = data.load_lectures()
    with pytest.raises((ValueError, TypeError), match=match):
        call(t)
