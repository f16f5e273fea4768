"""Running the notebooks leaves the repository clean: nothing new for `git status` to show, apart from the
cache folders `.gitignore` documents (`data/cache/` for the optional full MNIST, `__pycache__/`, …)."""
import random
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def run(path):
    # Every cell of 01 and 02 runs in seconds. nbclient sometimes never sees the kernel's reply to a cell that builds
    # a widget (jupyter/nbclient#312: the kernel is idle, the client waits until its timeout), so a timed-out run is
    # run once more from the start; what this test checks, git status, is unchanged by that.
    for attempt in range(2):
        nb = nbformat.read(path, as_version=4)
        try:
            NotebookClient(nb, timeout=120, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            return
        except CellTimeoutError:
            if attempt == 1:
                raise


def test_notebooks_twice_and_out_of_order_leave_the_repository_clean(request):
    git_status = request.config.course_git_status
    before = git_status()
    if before is None:
        pytest.skip("not a git checkout")
    first_two = NOTEBOOKS[:2]
    order = list(reversed(first_two)) + [first_two[0]]      # 02, 01, then 01 again
    random.Random(0).shuffle(order)
    for path in order:
        run(path)
    assert git_status() == before, f"running {[p.name for p in order]} changed the repository:\n{git_status()}"


@pytest.mark.run_last
def test_the_whole_run_left_the_repository_clean(request):
    """Runs after nbval has executed every notebook (conftest.py moves it to the end)."""
    before, after = request.config.git_status_at_start, request.config.course_git_status()
    if before is None:
        pytest.skip("not a git checkout")
    assert after == before, f"the test run changed the repository:\n{after}"
