"""The course's data: the simulated lecture table, the real public rows, the 5,000 MNIST digits the course ships
(and the optional full MNIST and Fashion-MNIST), their integrity checks, and digit augmentation.

Everything is plain NumPy: a table is a dict that maps a column name to a 1-D array.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
from pathlib import Path

import numpy as np
import torch

from .checks import CourseError, as_2d, as_digit_images, as_labels, flag, number, same_length

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LECTURES_FILE = "lectures.csv"
PUBLIC_FILE = "lectures_public.csv"
DEFAULT_SEED = 14  # the most typical of seeds 0–99 (see typical_seed below and data/README.md)

COURSES = {
    "ML2021": "機器學習2021",
    "GenAI2024": "生成式AI導論 2024",
    "GenAI-ML2025": "生成式AI與機器學習導論 2025",
}
ROLES = ("train", "validation", "test")
COLUMNS = ("id", "course", "lecture", "slides", "words", "minutes", "role", "source")
NUMERIC = ("lecture", "slides", "words", "minutes", "video_minutes")
FEATURES = ("slides", "words", "words_per_slide")

# The only real numbers in lectures.csv: the 2025 lecture that the course retells, as stated in it.
TEST_LECTURE = {"slides": 84, "words": 3388, "minutes": 107}
REAL_SOURCE = "real: stated in the 2025 lecture itself (84 slides, 3,388 words, 107 min of class time)"

# How each simulated course is generated: minutes = w * slides + b + noise (noise ~ Normal(0, sd)).
# Words per slide is drawn on its own and does NOT enter the minutes: it is a feature without signal.
# The calibration targets (the lecture's phenomena) are documented in data/README.md.
GENERATOR = {
    "ML2021": dict(n=20, first=1, slides=(10, 80), w=1.67, b=4.85, sd=17.0, wps=(30, 50)),
    "GenAI2024": dict(n=20, first=0, slides=(10, 75), w=0.78, b=12.85, sd=9.0, wps=(22, 34)),
    "GenAI-ML2025": dict(n=5, first=0, slides=(27, 100), w=0.85, b=10.0, sd=7.0, wps=(36, 46)),
}


def simulate_lectures(seed: int = DEFAULT_SEED) -> dict:
    """Generate the course's lecture table (simulated rows plus the one real test row) from a seed.
    Taught in notebook 01."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise CourseError(f"seed must be a non-negative integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    rows = []
    for course, g in GENERATOR.items():
        slides = rng.integers(g["slides"][0], g["slides"][1] + 1, size=g["n"])
        wps = rng.uniform(*g["wps"], size=g["n"])
        noise = rng.normal(0.0, g["sd"], size=g["n"])
        minutes = np.maximum(5, np.round(g["w"] * slides + g["b"] + noise))
        role = "train" if course != "GenAI-ML2025" else "validation"
        for i in range(g["n"]):
            lecture = g["first"] + i
            rows.append(dict(id=_simulated_id(course, lecture), course=course, lecture=lecture,
                             slides=int(slides[i]), words=int(round(slides[i] * wps[i])),
                             minutes=int(minutes[i]), role=role,
                             source=f"simulated: utils/data.py simulate_lectures(seed={seed})"))
    rows.append(dict(id="GenAI-ML2025 L05", course="GenAI-ML2025", lecture=5, role="test",
                     source=REAL_SOURCE, **TEST_LECTURE))
    return _rows_to_table(rows)


def _simulated_id(course: str, lecture: int) -> str:
    """A simulated row's identifier: 'sim-' first, so that it cannot be mistaken for a real lecture
    (the real GenAI-ML 2025 lectures 1–4 exist, with other numbers: see lectures_public.csv)."""
    if course == "GenAI-ML2025":
        return f"sim-2025-val-{lecture}"
    return f"sim-{course}-{lecture:02d}"


def linear_summary(table: dict) -> np.ndarray:
    """The numbers the lecture reports for a table: per training course, the least-squares line's
    w1 and b, and log training and log validation MSE (validation = the 2025 lectures 0–4).
    Used inside utils, not called in a notebook."""
    _check_table(table)
    val = select(table, role="validation")
    xv, yv = features(val)[:, 0], target(val)
    out = []
    for course in ("ML2021", "GenAI2024"):
        rows = select(table, course=course)
        x, y = features(rows)[:, 0], target(rows)
        w1, b = np.polyfit(x, y, 1)
        out += [w1, b, np.log(np.mean((w1 * x + b - y) ** 2)), np.log(np.mean((w1 * xv + b - yv) ** 2))]
    return np.array(out)


def typical_seed(candidates=range(100), reference=range(1000)) -> int:
    """The candidate seed whose linear_summary lies closest to the generator's median (IQR-scaled).

    This is how DEFAULT_SEED was chosen: not for looking like the lecture, but for being an ordinary
    draw of the generator, so that the committed table shows what most seeds show.
    Used inside utils, not called in a notebook."""
    for arg, seeds in (("candidates", candidates), ("reference", reference)):
        seeds = list(seeds) if hasattr(seeds, "__iter__") and not isinstance(seeds, str) else None
        if not seeds:
            raise CourseError(f"{arg} must be a non-empty list of seeds, e.g. range(100)")
        for s in seeds:
            if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 0:
                raise CourseError(f"{arg} must hold whole numbers ≥ 0 (seeds), got {s!r}")
    ref = np.array([linear_summary(simulate_lectures(s)) for s in reference])
    med, iqr = np.median(ref, axis=0), np.subtract(*np.percentile(ref, [75, 25], axis=0))
    scores = {s: float(np.sum(((linear_summary(simulate_lectures(s)) - med) / iqr) ** 2)) for s in candidates}
    return min(scores, key=scores.get)


def write_lectures_csv(path, seed: int = DEFAULT_SEED) -> Path:
    """Write simulate_lectures(seed) to a CSV file and return its path. Used inside utils, not called in a notebook."""
    table = simulate_lectures(seed)
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for i in range(len(table["id"])):
            writer.writerow([int(table[c][i]) if c in NUMERIC else table[c][i] for c in COLUMNS])
    return path


def sha256_of(path) -> str:
    """Return the SHA-256 hex digest of a file. Used inside utils, not called in a notebook."""
    if not isinstance(path, (str, Path)):
        raise CourseError(f"path must be a file path (str or pathlib.Path), got {path!r}")
    if not Path(path).is_file():
        raise FileNotFoundError(f"path {str(path)!r} is not an existing file; give the path of the file to hash, "
                                f"e.g. data.DATA_DIR / 'lectures.csv'")
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def expected_sha256(name: str, readme=None) -> str:
    """Return the SHA-256 that data/README.md lists for the data file `name`.
    Used inside utils, not called in a notebook."""
    _check_name(name)
    readme = Path(readme) if readme is not None else DATA_DIR / "README.md"
    if not readme.exists():
        raise FileNotFoundError(f"{readme} is missing: it lists the checksums of the data files. "
                                "Restore it with `git checkout -- data/README.md`.")
    for line in readme.read_text(encoding="utf-8").splitlines():
        m = re.search(r"`([^`]+)`.*\b([0-9a-f]{64})\b", line)
        if m and m.group(1) == name:
            return m.group(2)
    raise KeyError(f"data/README.md lists no SHA-256 for name {name!r}; check the name, or add a row for that file "
                   f"to the file table.")


def read_csv_checked(name: str, data_dir=None, verify: bool = True) -> dict:
    """Read a data file from data/ after checking it exists and matches its SHA-256 in data/README.md.
    Used inside utils, not called in a notebook."""
    path = check_file(name, data_dir, verify)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    restore = f"restore it with `git checkout -- data/{name}`"
    if not rows:
        raise CourseError(f"{path} has no rows; {restore}.")
    # Even without the checksum (verify=False), a cut-off or hand-damaged file must not load silently.
    for i, row in enumerate(rows, start=2):
        if None in row or any(v is None or v == "" for k, v in row.items() if k in NUMERIC):
            raise CourseError(f"{path} is damaged: line {i} is incomplete; {restore}.")
        try:
            [float(v) for k, v in row.items() if k in NUMERIC]
        except ValueError:
            raise CourseError(f"{path} is damaged: line {i} has a non-number where a number belongs; {restore}.") from None
    want = expected_rows(name, (Path(data_dir) if data_dir is not None else DATA_DIR) / "README.md")
    if want is not None and len(rows) != want:
        raise CourseError(f"{path} has {len(rows)} rows but data/README.md says {want}: it is cut off or edited; {restore}.")
    return _rows_to_table(rows)


def expected_rows(name: str, readme=None):
    """The number of rows data/README.md's file table lists for `name` (None if it lists no number).
    Used inside utils, not called in a notebook."""
    _check_name(name)
    readme = Path(readme) if readme is not None else DATA_DIR / "README.md"
    if not readme.exists():
        return None
    return _listed_files(readme).get(name)


_FILE_ROW = re.compile(r"\|\s*`([^`]+)`\s*\|\s*([\d,]+)\s*\|")   # | `lectures.csv` | 46 | … in data/README.md


def _listed_files(readme) -> dict:
    """name → number of rows of every data file in the file table of `readme` ({} if it does not exist)."""
    readme = Path(readme)
    if not readme.exists():
        return {}
    rows = (_FILE_ROW.match(line) for line in readme.read_text(encoding="utf-8").splitlines())
    return {m.group(1): int(m.group(2).replace(",", "")) for m in rows if m}


def load_lectures(data_dir=None, verify: bool = True) -> dict:
    """Load data/lectures.csv (checksum-verified) as a dict of column arrays. Taught in notebook 01."""
    return read_csv_checked(LECTURES_FILE, data_dir, verify)


def load_public_lectures(data_dir=None, verify: bool = True) -> dict:
    """Load data/lectures_public.csv: real slides and video minutes of GenAI-ML 2025 lectures 1–9.
    Taught in notebook 04."""
    return read_csv_checked(PUBLIC_FILE, data_dir, verify)


def select(table: dict, course: str | None = None, role: str | None = None) -> dict:
    """Return the rows of `table` for one course and/or one role (train / validation / test). Taught in notebook 01."""
    _check_table(table)
    if course is not None and course not in COURSES:
        raise CourseError(f"unknown course {course!r}; choose one of {list(COURSES)}")
    if role is not None and role not in ROLES:
        raise CourseError(f"unknown role {role!r}; choose one of {list(ROLES)}")
    keep = np.ones(len(table["id"]), dtype=bool)
    if course is not None:
        keep &= table["course"] == course
    if role is not None:
        keep &= table["role"] == role
    if not keep.any():
        raise CourseError(f"no rows with course={course!r} and role={role!r}")
    return {k: v[keep] for k, v in table.items()}


def features(table: dict, names=("slides",)) -> np.ndarray:
    """Return the feature matrix X of shape (N, len(names)) as floats: slides, words, words_per_slide.
    Taught in notebook 01."""
    _check_table(table)
    if isinstance(names, str):
        names = (names,)
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        raise CourseError(f"names must be a feature name or a list of them, from {list(FEATURES)}; got {names!r}")
    if not names:
        raise CourseError(f"names must list at least one feature, from {list(FEATURES)}")
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise CourseError(f"unknown feature(s) {unknown!r} in names; choose from {list(FEATURES)}")
    cols = {"slides": table["slides"], "words": table["words"],
            "words_per_slide": table["words"] / table["slides"]}
    return np.stack([np.asarray(cols[n], dtype=float) for n in names], axis=1)


def target(table: dict) -> np.ndarray:
    """Return the lecture lengths in minutes as a float array of shape (N,). Taught in notebook 01."""
    _check_table(table)
    return np.asarray(table["minutes"], dtype=float)


# --- the MNIST digits (notebooks 05 onwards) -------------------------------------------------------------

DIGITS_FILE = "mnist_5k.npy.gz"
DIGIT_SPLITS = ("train", "test", "all")
CACHE_DIR = DATA_DIR / "cache"   # where the optional full MNIST goes (git-ignored)


def check_file(name: str, data_dir=None, verify: bool = True) -> Path:
    """Return the path of data file `name` after checking it exists and (if verify) matches data/README.md's SHA-256.
    Used inside utils, not called in a notebook."""
    _check_name(name)
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    path = data_dir / name
    how = (f"`git checkout -- data/{name}`" + (" (or regenerate it with `python -m utils.data`)"
                                                if name == LECTURES_FILE else ""))
    if not path.exists():
        listed = _listed_files(data_dir / "README.md")
        if listed and name not in listed:     # not a missing data file but a name that is not one of them
            raise FileNotFoundError(f"name {name!r} is not one of the course's data files: {path} does not exist and "
                                    f"data/README.md lists only {list(listed)}; check the spelling")
        raise FileNotFoundError(f"{path} is missing. Get it back with {how}.")
    if verify:
        want, got = expected_sha256(name, data_dir / "README.md"), sha256_of(path)
        if want != got:
            raise CourseError(
                f"{path} is corrupt or was edited: its SHA-256 is {got[:12]}…, data/README.md expects "
                f"{want[:12]}…. Restore it with {how}.")
    return path


def load_digits(split: str = "train", flatten: bool = True, data_dir=None, verify: bool = True):
    """The course's 5,000 real MNIST digits (4,000 train / 1,000 test): (images as float32 in [0, 1], labels).
    Taught in notebook 05."""
    if split not in DIGIT_SPLITS:
        raise CourseError(f"unknown split {split!r}; choose one of {list(DIGIT_SPLITS)}")
    if not isinstance(flatten, (bool, np.bool_)):
        raise CourseError(f"flatten must be True (images as rows of 784 pixels) or False (28 × 28), got {flatten!r}")
    path = check_file(DIGITS_FILE, data_dir, verify)
    try:
        table = np.load(io.BytesIO(gzip.decompress(path.read_bytes())), allow_pickle=False)
    except (OSError, EOFError, ValueError) as err:
        raise CourseError(f"{path} cannot be read ({err}); restore it with `git checkout -- data/{DIGITS_FILE}`") from err
    if table.shape != (5000, 786) or table.dtype != np.uint8:
        raise CourseError(f"{path} holds an array of shape {table.shape}, not (5000, 786); "
                          f"restore it with `git checkout -- data/{DIGITS_FILE}`")
    keep = slice(None) if split == "all" else table[:, 785] == (split == "test")
    pixels, labels = table[keep, :784], table[keep, 784].astype(np.int64)
    images = pixels.astype(np.float32) / 255.0
    return (images if flatten else images.reshape(-1, 28, 28)), labels


def load_mnist_full(split: str = "train", flatten: bool = True, root=None, download: bool = False):
    """The full MNIST (60,000 train / 10,000 test) through torchvision, cached in data/cache/; downloads only if asked.
    Taught in notebook 12."""
    if split not in ("train", "test"):
        raise CourseError(f"unknown split {split!r}; choose 'train' or 'test'")
    flag("download", download)
    flag("flatten", flatten)
    from torchvision.datasets import MNIST    # here, not at the top: importing torchvision takes seconds

    root = Path(root) if root is not None else CACHE_DIR
    try:
        ds = MNIST(str(root), train=(split == "train"), download=bool(download))
    except RuntimeError as err:
        raise FileNotFoundError(
            f"the full MNIST is not in {root}. Call load_mnist_full(download=True) on a machine that is online "
            f"(e.g. Colab), or keep using load_digits(), the 5,000 digits the course ships.") from err
    images = ds.data.numpy().astype(np.float32) / 255.0
    labels = ds.targets.numpy().astype(np.int64)
    return (images.reshape(len(images), -1) if flatten else images), labels


def ink_and_width(images) -> np.ndarray:
    """Two numbers per digit image, (N, 2): its ink (mean grey level, 0–1) and its width (the spread of its ink across the columns, in pixels).
    Taught in notebook 05."""
    arr = as_digit_images("images", images)
    if arr.min() < 0 or arr.max() > 1:
        raise CourseError("images must hold grey levels between 0 and 1 (as load_digits() returns them), "
                          "without NaN or inf")
    column_ink = arr.sum(axis=1)                       # (N, 28) how much ink each column holds
    total = column_ink.sum(axis=1)                     # (N,)
    if np.any(total == 0):
        raise CourseError(f"images {np.flatnonzero(total == 0)[:5].tolist()} are blank (no ink): their width is undefined")
    cols = np.arange(28.0)
    centre = column_ink @ cols / total                 # (N,) the ink's mean column
    width = np.sqrt(np.sum(column_ink * (cols - centre[:, None]) ** 2, axis=1) / total)   # its standard deviation
    return np.column_stack([arr.mean(axis=(1, 2)), width])


def _rows_to_table(rows: list[dict]) -> dict:
    table = {}
    for col in rows[0]:
        values = [r[col] for r in rows]
        table[col] = np.array(values, dtype=float if col in NUMERIC else object)
    return table


def _check_name(name):
    if not isinstance(name, str) or not name:
        raise CourseError(f"name must be the file name of a data file, e.g. 'lectures.csv', got {name!r}")


def _check_table(table):
    if not isinstance(table, dict) or "id" not in table:
        raise CourseError("table must be the dict that load_lectures() or select() returns")


def split_validation(X, y, n_val: int = 500, seed: int = 0):
    """(X_fit, y_fit, X_val, y_val): `n_val` rows of the training data held back for curves and choices, picked by
    a seeded shuffle; both parts keep the original row order. Taught in notebook 05."""
    X = as_2d("X", X, keep_float=True)
    y = as_labels("y", y)
    same_length("X", X, "y", y)
    n_val = number("n_val", n_val, low=1, high=len(X) - 1, integer=True)
    order = np.random.default_rng(number("seed", seed, low=0, integer=True)).permutation(len(X))
    val, fit = np.sort(order[:n_val]), np.sort(order[n_val:])
    return X[fit], y[fit], X[val], y[val]


def first_per_class(labels, per_class: int = 100, skip: int = 0) -> np.ndarray:
    """Indices (sorted) of the first `per_class` examples of every class, after skipping the first `skip` of each.
    Taught in notebook 10."""
    labels = as_labels("labels", labels)
    per_class = number("per_class", per_class, low=1, integer=True)
    skip = number("skip", skip, low=0, integer=True)
    chosen = []
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        if len(rows) < skip + per_class:
            raise CourseError(f"class {c} has {len(rows)} examples, fewer than skip + per_class = {skip + per_class}")
        chosen.append(rows[skip:skip + per_class])
    return np.sort(np.concatenate(chosen))


def augment_digits(images, copies: int = 1, degrees: float = 10.0, shift: float = 2.0, seed: int = 0,
                   chunk: int = 10) -> np.ndarray:
    """`copies` rotated-and-shifted versions of (N, 784) digits, (copies, N, 784), by torchvision's RandomAffine.
    Taught in notebook 10."""
    from torchvision.transforms import RandomAffine   # here, not at the top: importing torchvision takes seconds

    X = as_2d("images", images, keep_float=True)
    if X.shape[1] != 784:
        raise CourseError(f"images must have 784 pixels per row (28 × 28 digits), got {X.shape[1]}")
    copies = number("copies", copies, low=1, high=1000, integer=True)
    degrees = number("degrees", degrees, low=0, high=180)
    shift = number("shift (pixels)", shift, low=0, high=14)
    chunk = number("chunk", chunk, low=1, integer=True)
    # Nearest-pixel sampling (RandomAffine's default) copies grey levels exactly: the same output on every CPU.
    affine = RandomAffine(degrees=degrees, translate=(shift / 28, shift / 28))
    pictures = torch.as_tensor(X, dtype=torch.float32).reshape(-1, 1, 28, 28)   # (N, 1, 28, 28)
    out = torch.empty((copies,) + pictures.shape)                                # (copies, N, 1, 28, 28)
    with torch.random.fork_rng(devices=[]):        # RandomAffine draws from the global generator: seed it here
        torch.default_generator.manual_seed(number("seed", seed, low=0, integer=True))
        for k in range(copies):
            # One call transforms a whole batch with the same angle and shift: so we shuffle the digits and
            # call it on small chunks, giving every chunk of `chunk` digits its own rotation and shift.
            order = torch.randperm(len(pictures))
            for i in range(0, len(pictures), chunk):
                rows = order[i:i + chunk]
                out[k, rows] = affine(pictures[rows])
    return out.reshape(copies, len(X), 784).numpy()


FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")   # where Debian's dataset-fashion-mnist puts it


def read_idx(path) -> np.ndarray:
    """Read one IDX file (the MNIST / Fashion-MNIST format, optionally gzipped) into a uint8 array.
    Used inside utils, not called in a notebook."""
    if not isinstance(path, (str, Path)):
        raise CourseError(f"path must be a file path (str or pathlib.Path), got {path!r}")
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist (path must name an IDX file)")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":                        # the gzip magic number
        raw = gzip.decompress(raw)
    # Header: two zero bytes, type code 0x08 (unsigned byte), number of dimensions, then each size (4 bytes, big-endian).
    if len(raw) < 4 or raw[:3] != b"\x00\x00\x08":
        raise CourseError(f"{path} is not an IDX file of unsigned bytes (its header is {raw[:4]!r})")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    body = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(shape)):
        raise CourseError(f"{path}: the header promises shape {shape}, but the file holds {body.size} values")
    return body.reshape(shape)


def load_fashion_mnist(split: str = "train", flatten: bool = True, root=None):
    """Fashion-MNIST (60,000 train / 10,000 test clothes images, 28 × 28) from local IDX files: (float32 in [0, 1], labels).
    Taught in notebook 12."""
    if split not in ("train", "test"):
        raise CourseError(f"unknown split {split!r}; choose 'train' or 'test'")
    if not isinstance(flatten, (bool, np.bool_)):
        raise CourseError(f"flatten must be True (images as rows of 784 pixels) or False (28 × 28), got {flatten!r}")
    if root is not None and not isinstance(root, (str, Path)):
        raise CourseError(f"root must be a folder path (str or pathlib.Path), got {root!r}")
    root = Path(root) if root is not None else FASHION_DIR
    prefix = "train" if split == "train" else "t10k"
    found = {}
    for kind in ("images-idx3-ubyte", "labels-idx1-ubyte"):
        candidates = [root / f"{prefix}-{kind}{ext}" for ext in (".gz", "")]
        found[kind] = next((p for p in candidates if p.exists()), None)
        if found[kind] is None:
            raise FileNotFoundError(
                f"Fashion-MNIST is not in {root} (no {prefix}-{kind}[.gz]). On Debian/Ubuntu: "
                f"`apt install dataset-fashion-mnist`; or keep using load_digits(), the digits the course ships.")
    images, labels = read_idx(found["images-idx3-ubyte"]), read_idx(found["labels-idx1-ubyte"])
    if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.shape != (len(images),):
        raise CourseError(f"{root}: expected images (N, 28, 28) and N labels, got {images.shape} and {labels.shape}")
    images = images.astype(np.float32) / 255.0
    return (images.reshape(len(images), -1) if flatten else images), labels.astype(np.int64)


if __name__ == "__main__":  # regenerate the committed file: python -m utils.data
    out = write_lectures_csv(DATA_DIR / LECTURES_FILE)
    print(f"wrote {out.name}  sha256 {sha256_of(out)}")
