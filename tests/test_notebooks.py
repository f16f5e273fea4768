"""Notebook hygiene: what a reader (or Colab) meets first, checked on every notebook that exists."""
import json
import re
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
MACHINE_PATH = re.compile(r"(/home/|/root/|/tmp/|/work/|C:\\\\Users|site-packages)")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell):
    return "".join(cell["source"])


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def notebook(request):
    return request.param, load(request.param)


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 4


def test_opens_with_a_title_learning_goals_and_the_slides_it_follows(notebook):
    path, nb = notebook
    first = source(nb["cells"][0])
    assert nb["cells"][0]["cell_type"] == "markdown" and first.startswith(f"# {path.name[:2]} · ")
    assert "What you will learn" in first and "Lecture slides this follows" in first
    bullets = re.findall(r"^- ", first.split("What you will learn")[1].split("Lecture slides")[0], re.M)
    assert 3 <= len(bullets) <= 5, f"{path.name}: {len(bullets)} learning goals (want 3–5)"


def test_its_colab_badge_points_to_itself(notebook):
    path, nb = notebook
    first = source(nb["cells"][0])
    links = re.findall(r"colab\.research\.google\.com/github/([^)\s]+)", first)
    assert links == [f"ml-fundamentals-course/ml-fundamentals/blob/main/notebooks/{path.name}"], \
        f"{path.name}: its first cell needs exactly one Colab badge, pointing to notebooks/{path.name}"


def test_executed_top_to_bottom_in_one_kernel_without_errors(notebook):
    path, nb = notebook
    counts = [c["execution_count"] for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: re-run it top to bottom in a fresh kernel"
    for cell in code_cells(nb):
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"{path.name}: stored error {out.get('ename')}"
            assert out.get("name") != "stderr", f"{path.name}: stored stderr output (a warning?)"


def test_no_machine_specific_paths_and_small_enough(notebook):
    path, nb = notebook
    assert path.stat().st_size < 3_000_000
    for cell in code_cells(nb):
        for out in cell["outputs"]:
            text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
            assert not MACHINE_PATH.search(text), f"{path.name}: machine-specific path in an output"


def test_every_slider_has_a_static_figure_before_it_and_is_ignored_by_nbval(notebook):
    path, nb = notebook
    cells = code_cells(nb)
    for i, cell in enumerate(cells):
        src = source(cell)
        if re.search(r"_widget\(|interact\(", src) and not src.lstrip().startswith("def "):
            assert "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []), \
                f"{path.name}: widget cell without the cell tag nbval-ignore-output (see tests/test_stored_outputs.py)"
            before = cells[i - 1]
            assert any("image/png" in o.get("data", {}) for o in before["outputs"]), \
                f"{path.name}: the cell before a widget must show its static default figure"


def test_ends_with_a_summary_and_checked_exercises(notebook):
    path, nb = notebook
    markdown = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "## Summary" in markdown and "## Exercises" in markdown
    checks = [c for c in code_cells(nb) if "Correct!" in source(c) and "Not yet" in source(c)]
    assert 1 <= len(checks) <= 3


def test_the_setup_cell_is_the_same_first_code_cell_everywhere():
    first = {p.name: source(code_cells(load(p))[0]) for p in NOTEBOOKS}
    assert len(set(first.values())) == 1, "the setup cells differ: copy notebook 01's into the others"
    setup = next(iter(first.values()))
    assert "google.colab" in setup and "pip install" not in setup


def test_readme_table_lists_exactly_the_notebooks_with_their_own_colab_badges():
    listed = re.findall(r"\]\(notebooks/(\d\d_[a-z0-9_]+\.ipynb)\)", README)
    assert listed == [p.name for p in NOTEBOOKS]
    for p in NOTEBOOKS:
        badge = f"colab.research.google.com/github/ml-fundamentals-course/ml-fundamentals/blob/main/notebooks/{p.name}"
        assert badge in README, f"README: no Colab badge pointing to {p.name}"
        row = next(line for line in README.splitlines() if f"notebooks/{p.name})" in line)
        assert re.search(r"\| \d+ s \|", row), f"README: no headless run time for {p.name}"


# The set-up cell is the same in notebooks/ and in notebooks/zh-TW/ (tests/test_translation.py): test it from both.
FOLDERS = ["notebooks", "notebooks/zh-TW"]


def setup_cell_of(folder):
    return source(code_cells(load(ROOT / folder / NOTEBOOKS[0].name))[0])


@pytest.mark.parametrize("folder", FOLDERS)
def test_setup_cell_on_colab_clones_the_course_and_never_reinstalls(monkeypatch, tmp_path, folder):
    setup = setup_cell_of(folder)
    calls = []
    fake_colab = types.ModuleType("google.colab")
    fake_google = types.ModuleType("google")
    fake_google.colab = fake_colab
    monkeypatch.setitem(sys.modules, "google", fake_google)
    monkeypatch.setitem(sys.modules, "google.colab", fake_colab)
    import subprocess

    def fake_run(cmd, **kwargs):
        calls.append(cmd)
        Path(cmd[-1]).mkdir()   # pretend the clone worked
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    namespace = {}
    exec(setup, namespace)
    assert namespace["ON_COLAB"] is True
    assert len(calls) == 1 and calls[0][:2] == ["git", "clone"]
    assert str(tmp_path / "ml-fundamentals") in sys.path
    assert not any(word in " ".join(calls[0]) for word in ("pip", "torch", "ipywidgets"))


@pytest.mark.parametrize("folder", FOLDERS)
def test_setup_cell_locally_puts_the_course_root_on_the_path(monkeypatch, folder):
    setup = setup_cell_of(folder)
    monkeypatch.chdir(ROOT / folder)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p != str(ROOT)])
    namespace = {}
    exec(setup, namespace)
    assert namespace["ON_COLAB"] is False and sys.path[0] == str(ROOT)
