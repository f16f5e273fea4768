"""Every slider app at every combination of its sliders' extreme values: a figure or a clear message, never a
traceback, and (for apps that need no training) fast enough to follow the slider."""
import time

import matplotlib.pyplot as plt
import numpy as np
import pytest

import widget_catalogue as cat

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
    start = time.perf_counter()
    try:
        fig, message = view(**combo)
    except (ValueError, TypeError) as err:   # slider_app shows these as "⚠ message" instead of a traceback
        assert len(str(err)) >= 15, f"{name}{combo}: the message {str(err)!r} is too short to help"
        return
    finally:
        seconds = time.perf_counter() - start
        plt.close("all")
    assert cat.is_figure(fig) or (fig is None and message), f"{name}{combo}: neither a figure nor a message"
    assert isinstance(message, str)
    assert "nan" not in message.lower().split() and "inf" not in message.lower().split(), \
        f"{name}{combo}: the message shows a NaN/inf instead of saying what happened: {message!r}"
    assert seconds < 2.0, f"{name}{combo}: {seconds:.2f} s (the goal for a slider is 0.1 s; see benchmarks/run.py)"


@pytest.mark.parametrize("name", sorted(APPS))
def test_default_position_gives_a_figure(name):
    for view, sliders in APPS[name]:
        fig, message = view(**cat.default_values(sliders))
        assert cat.is_figure(fig) and message
        plt.close("all")
