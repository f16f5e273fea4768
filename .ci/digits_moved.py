"""Does this numeric set-up really change the numbers? (Run by .ci/run under each set-up, after nbval.)

nbval passing under a set-up proves something only if the set-up changes which kernels the libraries pick. This
script executes the given notebooks in a fresh kernel under the current environment and compares, cell by cell, the
measured differences that `utils.checks.agree` prints, "(max |Δ| = …)" — the digits tests/nbval_sanitize.cfg masks —
with the stored ones. It prints every difference that moved and exits 1 if none did (the set-up then proves nothing).

    python .ci/digits_moved.py notebooks/05_classification.ipynb notebooks/12_cnn.ipynb
"""
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

MEASURED = re.compile(r"^(.*?): agree within .*\(max \|Δ\| = ([^)]*)\)", re.M)


def measured(nb):
    """{(cell id, label): printed difference} for every agree line of the notebook's outputs."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            for label, diff in MEASURED.findall(text):
                found[(cell.get("id"), label.strip())] = diff
    return found


def main(paths):
    if not paths:
        sys.exit("name the notebooks to execute, e.g. notebooks/12_cnn.ipynb")
    moved = compared = 0
    for path in map(Path, paths):
        stored_nb = nbformat.read(path, as_version=4)
        stored = measured(stored_nb)
        fresh_nb = nbformat.read(path, as_version=4)
        NotebookClient(fresh_nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        fresh = measured(fresh_nb)
        if set(fresh) != set(stored):
            sys.exit(f"{path.name}: the agree lines differ from the stored ones: {sorted(set(fresh) ^ set(stored))}")
        for key in sorted(stored):
            compared += 1
            if fresh[key] != stored[key]:
                moved += 1
                print(f"  moved: {path.name} cell {key[0]}, {key[1]}: stored {stored[key]}, here {fresh[key]}")
    print(f"{moved} of {compared} measured differences moved under this set-up")
    if moved == 0:
        sys.exit("this set-up changed no last digit: it proves nothing about other machines; choose another")


if __name__ == "__main__":
    main(sys.argv[1:])
