"""Timing helper for the tests that hold slider views to their speed budget."""
import time

import matplotlib.pyplot as plt
import numpy as np


def median_seconds(f, repeats=5):
    """Median wall-clock seconds of f() over `repeats` calls; a view's figure is closed after each call."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - start)
        if isinstance(out, tuple) and out[0] is not None:
            plt.close(out[0])
    return float(np.median(times))
