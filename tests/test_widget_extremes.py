"""Every slider app at every combination of its sliders' extreme values: a figure or a clear message, never a
traceback; every button app's controls fit its view.

A clear message is either the view's own (figure, message) or a `CourseError`, which slider_app and button_app
show as "⚠ message". Any other exception is a bug in the view and fails the test with its traceback. The button
apps' views train for seconds, so they are not run here at every extreme: tests/test_04_overfitting.py and
tests/test_09_mnist_mlp_studies.py run them. How fast each callback is (at its default and at every extreme) is
measured by benchmarks/run.py (slider_times, button_times), not here: a wall-clock limit in a test only
measures how busy the machine is."""
import inspect
import json
import re
from pathlib import Path
from unittest import mock

import ipywidgets
import matplotlib.pyplot as plt
import pytest

import widget_catalogue as cat
from utils import widgets
from utils.checks import CourseError

APPS = cat.slider_apps()
BUTTON_APPS = cat.button_apps()
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


def test_every_button_app_was_captured():
    assert BUTTON_APPS, "no widget of kind 'button' in tests/widget_catalogue.py"
    for name, apps in BUTTON_APPS.items():
        assert len(apps) == 1, f"{name} built {len(apps)} button apps, not one"


@pytest.mark.parametrize("name", sorted(BUTTON_APPS))
def test_button_app_controls_fit_the_view(name):
    """Each control's name is an argument of the view, and every control has a value (what a click passes)."""
    for view, controls in BUTTON_APPS[name]:
        values = cat.default_values(controls)
        inspect.signature(view).bind(**values)      # TypeError if a control has no argument of that name
        for control_name, control in controls.items():
            assert cat.values_of(control), f"{name}: the control {control_name} offers no values"


class PressableButton(ipywidgets.Button):
    """An ipywidgets.Button that a test can press: press() calls its on_click callbacks directly, so that an
    exception reaches the test (a real click's dispatcher would only log it without a front end)."""

    def on_click(self, callback, remove=False):
        self.pressed_callbacks = [*getattr(self, "pressed_callbacks", []), callback]
        super().on_click(callback, remove)

    def press(self):
        for callback in self.pressed_callbacks:
            callback(self)


def run_button_app(view, *, busy_message=None, per_row=3, **controls):
    """button_app(view, **controls) with a PressableButton and no display (no front end needed): (box, button)."""
    made = []

    def button(**kwargs):
        made.append(PressableButton(**kwargs))
        return made[-1]

    with mock.patch.object(ipywidgets, "Button", button), mock.patch("IPython.display.display"):
        box = widgets.button_app(view, busy_message=busy_message, per_row=per_row, **controls)
    return box, made[0]


def test_button_app_calls_the_view_with_the_controls_values_on_a_click(capsys):
    calls = []

    def view(x, y):
        calls.append((x, y))
        return None, f"x = {x}, y = {y}"
    _, button = run_button_app(view, busy_message=lambda x, **_: f"working on x = {x} …",
                               x=ipywidgets.IntSlider(value=3, min=0, max=5), y=ipywidgets.Checkbox(value=True))
    assert not calls, "the view ran before the button was pressed"
    button.press()
    assert calls == [(3, True)]
    out = capsys.readouterr().out
    assert "working on x = 3 …" in out and "x = 3, y = True" in out


def test_button_app_shows_a_course_error_as_a_message(capsys):
    def view(x):
        raise CourseError(f"x must be at most 1, got {x}")
    _, button = run_button_app(view, x=ipywidgets.IntSlider(value=2, min=0, max=5))
    button.press()
    assert "⚠ x must be at most 1, got 2" in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("error", [TypeError("unsupported operand type(s) for +: 'NoneType' and 'int'"),
                                   ValueError("math domain error"), IndexError("index 5 is out of bounds")])
def test_button_app_lets_any_other_exception_through(capsys, error):
    def view(x):
        raise error
    _, button = run_button_app(view, x=ipywidgets.IntSlider(value=2, min=0, max=5))
    with pytest.raises(type(error), match=re.escape(str(error))):
        button.press()
    assert "⚠" not in capsys.readouterr().out


def test_button_app_lays_out_rows_of_per_row_controls_with_the_button_last():
    controls = {f"c{i}": ipywidgets.IntSlider(value=i) for i in range(5)}
    box, button = run_button_app(lambda **values: (None, "done"), per_row=2, **controls)
    *rows, out = box.children
    assert isinstance(out, ipywidgets.Output)
    assert [len(row.children) for row in rows] == [2, 2, 2]            # c0 c1 | c2 c3 | c4 and the button
    assert rows[-1].children[-1] is button and button.description == "Train"


@pytest.mark.parametrize("kwargs, word", [(dict(view=5), "view"), (dict(view=print, label=""), "label"),
                                          (dict(view=print, per_row=0), "per_row"),
                                          (dict(view=print, busy_message=3), "busy_message"),
                                          (dict(view=print), "control")])
def test_button_app_rejects_bad_arguments(kwargs, word):
    controls = {} if word == "control" else dict(x=ipywidgets.IntSlider())
    with pytest.raises(CourseError, match=word):
        widgets.button_app(**kwargs, **controls)


# Names that ipywidgets 7.7 (what Colab ships) and 8 both provide with the same meaning.
COMMON_API = {"interact", "interact_manual", "interactive", "fixed", "FloatSlider", "IntSlider", "FloatLogSlider",
              "Dropdown", "Checkbox", "ToggleButtons", "RadioButtons", "SelectionSlider", "Button", "Output",
              "HBox", "VBox", "Label", "HTML", "Layout", "IntText", "FloatText", "Text", "Play", "jslink"}


def test_widgets_use_only_the_api_common_to_ipywidgets_7_and_8():
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
