"""`utils/` as a small library: where each helper is taught, no hidden global state, clean layering.

- every public function and class says in its docstring which notebook teaches it ("Taught in notebook NN."),
  and that notebook is the first whose code uses it; helpers only other helpers use say "Used inside utils";
- building a model, training it (dropout included), augmenting digits and every slider view leave torch's global
  random generator exactly as they found it: seeds are arguments, never side effects;
- no module imports another module's private (underscore) names, and imports sit at the top of each module,
  except ipywidgets and IPython (the views are tested without a front end) and torchvision (seconds to import,
  needed only for optional data and augmentation).
"""
import ast
import inspect
import json
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from utils import analysis, checks, data, models, plots, train, widgets

ROOT = Path(__file__).resolve().parents[1]
MODULES = (analysis, checks, data, models, plots, train, widgets)
LAZY_IMPORTS = ("ipywidgets", "IPython", "torchvision")


def notebook_code() -> dict:
    """Notebook number ("01" …) → all its code cells, joined."""
    out = {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        out[path.name[:2]] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return out


CODE = notebook_code()


def uses(code: str, module: str, name: str) -> bool:
    if re.search(rf"\b{module}\.{name}\b", code):
        return True
    return re.search(rf"from utils\.{module} import [^\n]*\b{name}\b", code) is not None


def public_objects():
    for module in MODULES:
        short = module.__name__.split(".")[-1]
        for name, obj in vars(module).items():
            if not name.startswith("_") and getattr(obj, "__module__", None) == module.__name__ and \
                    (inspect.isfunction(obj) or inspect.isclass(obj)):
                yield short, name, obj


@pytest.mark.parametrize("module, name, obj", list(public_objects()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_public_helper_says_where_it_is_taught(module, name, obj):
    doc = inspect.getdoc(obj) or ""
    taught = re.findall(r"Taught in notebook (\d\d)", doc)
    first = next((num for num, code in CODE.items() if uses(code, module, name)), None)
    if not taught:
        assert "Used inside utils" in doc, (f"{module}.{name}: end its docstring with 'Taught in notebook NN.' "
                                            f"(first used in notebook {first}) or 'Used inside utils …'")
        assert first is None, f"{module}.{name} says it is used inside utils, but notebook {first} calls it"
        return
    assert first is not None, f"{module}.{name} says notebook {taught[0]} teaches it, but no notebook calls it"
    assert taught[0] == first, f"{module}.{name}: taught in notebook {first} (its first use), not {taught[0]}"
    for num in taught:
        assert uses(CODE[num], module, name), f"{module}.{name}: notebook {num} does not use it"


def test_no_notebook_section_markers_remain_in_utils():
    for path in (ROOT / "utils").glob("*.py"):
        assert "add this notebook's helpers" not in path.read_text(), f"{path.name}: a begin/end marker is left"


def rng_untouched(fn):
    before = torch.random.get_rng_state()
    fn()
    return torch.equal(before, torch.random.get_rng_state())


DIGITS, LABELS = data.load_digits("test")
DIGITS, LABELS = DIGITS[:60], LABELS[:60]


@pytest.mark.parametrize("build", [
    lambda: models.ReluNet(1, 5, seed=3), lambda: models.MLP([784, 4, 10], seed=3), lambda: models.SmallCNN(2, seed=3),
    lambda: models.NumpyNet([4, 3, 2]).to_torch(),
    lambda: train.fit(models.with_dropout(models.MLP([784, 4, 10]), 0.5), DIGITS, LABELS, loss="cross_entropy",
                      epochs=1, batch_size=20, seed=5),
    lambda: data.augment_digits(DIGITS[:5], copies=1, seed=2),
], ids=["ReluNet", "MLP", "SmallCNN", "NumpyNet.to_torch", "fit with dropout", "augment_digits"])
def test_building_training_and_augmenting_leave_the_global_generator_alone(build):
    torch.manual_seed(1234)
    assert rng_untouched(build)


def test_a_models_start_depends_on_its_seed_only():
    torch.manual_seed(1)
    a = models.MLP([784, 4, 10], seed=7)
    torch.rand(100)                                          # whatever ran before
    b = models.MLP([784, 4, 10], seed=7)
    c = models.MLP([784, 4, 10], seed=8)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not all(torch.equal(p, q) for p, q in zip(a.parameters(), c.parameters()))


def test_dropout_runs_repeat_from_the_seed_of_fit():
    def run(seed):
        net = models.with_dropout(models.MLP([784, 6, 10], seed=0), 0.5)
        torch.rand(7)                                        # the global generator moves: fit must not care
        return train.fit(net, DIGITS, LABELS, loss="cross_entropy", epochs=2, batch_size=10, seed=seed)["train_loss"]
    assert np.array_equal(run(4), run(4)) and not np.array_equal(run(4), run(5))


def test_the_slider_views_leave_the_global_generator_alone():
    from tests.widget_catalogue import default_values, slider_apps

    for name, apps in slider_apps().items():
        for view, sliders in apps:
            assert rng_untouched(lambda: view(**default_values(sliders))), f"{name}'s view moved the generator"
            plt.close("all")


def module_tree(module):
    return ast.parse(Path(module.__file__).read_text())


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_no_private_names_from_other_modules(module):
    source = Path(module.__file__).read_text()
    for node in ast.walk(module_tree(module)):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"{module.__name__} imports private {private} from .{node.module}"
    others = [m.__name__.split(".")[-1] for m in MODULES if m is not module]
    found = re.findall(rf"\b(?:{'|'.join(others)})\._\w+", source)
    assert not found, f"{module.__name__} uses private names of other modules: {sorted(set(found))}"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_imports_sit_at_the_top(module):
    for node in ast.walk(module_tree(module)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Import, ast.ImportFrom)):
                    names = [sub.module or ""] if isinstance(sub, ast.ImportFrom) else [a.name for a in sub.names]
                    assert all(n.split(".")[0] in LAZY_IMPORTS for n in names), \
                        f"{module.__name__}.{node.name} imports {names} inside the function; import it at the top"
