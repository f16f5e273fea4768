"""Every slider app at every combination of its sliders' extreme values: a figure or a clear message, never a
traceback.

A clear message is either the view's own (figure, message) or a `CourseError`, which slider_app shows as
"⚠ message". Any other exception is a bug in the view and fails the test with its traceback. How fast each
callback is (at its default and at every extreme) is measured by benchmarks/run.py (slider_times), not here:
a wall-clock limit in a test only measures how busy the machine is."""
import re
from unittest import mock

import matplotlib.pyplot as plt
import pytest

import widget_catalogue as cat
from utils.checks import CourseError

APPS = cat.slider_apps()
COMBOS = [pytest.param(name, i, combo, id=f"{name}-{i}-" + ",".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                                                                     for k, v in combo.items()))
          for name, apps in APPS.items() for i, (_, sliders) in enumerate(apps)
          for combo in cat.extreme_combinations(sliders)]


def test_every_widget_is_catalogued():
    assert sorted(cat.catalogue()) == cat.widget_functions(), \
        "add the new *_widget functions of utils/widgets.py to tests/widget_catalogue.py"


def test_every_slider_app_was_captured():
    for name, apps in APPS.items():
        assert apps, f"{name} built no slider_app"


def test_the_extremes_are_many():
    print(f"{len(COMBOS)} slider combinations over {sum(len(a) for a in APPS.values())} slider apps")
    assert len(COMBOS) >= 20


@pytest.mark.parametrize("name, index, combo", COMBOS)
def test_slider_extremes_give_a_figure_or_a_clear_message(name, index, combo):
    view, _ = APPS[name][index]
    try:
        fig, message = view(**combo)   # any exception but CourseError propagates: a bug, shown with its traceback
    except CourseError as err:         # slider_app shows exactly these as "⚠ message"
        assert len(str(err)) >= 15, f"{name}{combo}: the message {str(err)!r} is too short to help"
        return
    finally:
        plt.close("all")
    assert cat.is_figure(fig) or (fig is None and message), f"{name}{combo}: neither a figure nor a message"
    assert isinstance(message, str)
    assert not re.search(r"(?<![\w])(nan|inf)(?![\w])", message.lower()), \
        f"{name}{combo}: the message shows a NaN/inf instead of saying what happened: {message!r}"


def run_slider_app(view, **values):
    """slider_app(view, **values) with an `interact` that calls its update once with `values` (no front end needed)."""
    import ipywidgets

    from utils import widgets

    with mock.patch.object(ipywidgets, "interact", lambda update, **sliders: update(**values)):
        return widgets.slider_app(view, **values)


def test_slider_app_shows_a_course_error_as_a_message(capsys):
    def view(x):
        raise CourseError(f"x must be at most 1, got {x}")
    run_slider_app(view, x=2)
    assert capsys.readouterr().out.strip() == "⚠ x must be at most 1, got 2"


@pytest.mark.parametrize("error", [TypeError("unsupported operand type(s) for +: 'NoneType' and 'int'"),
                                   ValueError("math domain error"), IndexError("index 5 is out of bounds")])
def test_slider_app_lets_any_other_exception_through(capsys, error):
    def view(x):
        raise error
    with pytest.raises(type(error), match=re.escape(str(error))):
        run_slider_app(view, x=2)
    assert "⚠" not in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(APPS))
def test_default_position_gives_a_figure(name):
    for view, sliders in APPS[name]:
        fig, message = view(**cat.default_values(sliders))
        assert cat.is_figure(fig) and message
        plt.close("all")


# Names that ipywidgets 7.7 (what Colab ships) and 8 both provide with the same meaning.
COMMON_API = {"interact", "interact_manual", "interactive", "fixed", "FloatSlider", "IntSlider", "FloatLogSlider",
              "Dropdown", "Checkbox", "ToggleButtons", "RadioButtons", "SelectionSlider", "Button", "Output",
              "HBox", "VBox", "Label", "HTML", "Layout", "IntText", "FloatText", "Text", "Play", "jslink"}


def test_widgets_use_only_the_api_common_to_ipywidgets_7_and_8():
    import json
    import re
    from pathlib import Path

    import ipywidgets

    root = Path(__file__).resolve().parent.parent
    sources = [p.read_text(encoding="utf-8") for p in (root / "utils").glob("*.py")]
    for nb in (root / "notebooks").glob("*.ipynb"):
        sources += ["".join(c["source"]) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]
                    if c["cell_type"] == "code"]
    used = set()
    for text in sources:
        for names in re.findall(r"from ipywidgets import (\([^)]*\)|[^\n]+)", text):
            used |= {n.strip() for n in re.split(r"[,\s()]+", names) if n.strip()}
        used |= set(re.findall(r"\bipywidgets\.(\w+)", text)) - {"__version__"}
    assert used, "no ipywidgets use found: has the widget code moved?"
    assert used <= COMMON_API, f"not in the API common to ipywidgets 7.7 and 8: {sorted(used - COMMON_API)}"
    assert all(hasattr(ipywidgets, n) for n in used)
