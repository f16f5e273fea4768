"""Shared test set-up: draw figures off-screen, make the course's root importable, and the one_thread fixture."""
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def one_thread():
    """Run a test on one torch thread, as the notebooks do (small models and float64 convolutions are faster so on
    two shared cores); restore the setting afterwards."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
