"""The course's benchmark: is it fast, and does it stay fast?  (Not part of the test command.)

    python benchmarks/run.py                 # everything (about 5 minutes on 2 cores)
    python benchmarks/run.py --quick         # fewer repeats, notebooks skipped (about 1 minute)

Measures, in one run on one machine, and prints a table (also written to benchmarks/results/):
1. the headless execution time of every notebook (jupyter nbconvert --execute);
2. the compute time of every slider callback that needs no training, at its default position and at
   every combination of its sliders' extremes (goal: ≤ 100 ms);
3. the time of one press of each training button at its heaviest setting (network_training_view with 2,000
   epochs, goal ≤ 3 s; mlp_training_view at its defaults, goal ≤ 3 s) and of 10,000 gradient-descent updates
   (goal ≤ 100 ms) — the speed goals the unit tests used to assert, measured here instead;
4. the training throughput of the course's loop (utils.train.fit) on the MLP [784, 30, 10]
   and the course's 4,000 training digits, against
   - a bare in-memory PyTorch loop on the same model, batches and dtype   (goal: course ≤ 1.5× its time),
   - the Dataset + ToTensor + DataLoader habit, as torchvision's MNIST serves images (goal: course ≥ 8× faster),
   - a per-sample NumPy backpropagation loop in the style of Nielsen's network.py (the ratio is reported).
The machine is shared and noisy, so every time is the median of several repeats, and the table reports
ratios measured side by side, not only seconds.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))   # widget_catalogue: every slider app with its notebook's arguments

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from utils import data, models, train, widgets  # noqa: E402
from utils.checks import CourseError  # noqa: E402

SLIDER_GOAL_MS = 100


def median_time(fn, repeats: int) -> float:
    """Median wall-clock seconds of fn() over `repeats` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- 1. notebooks -----------------------------------------------------------------------------------------

def notebook_times(repeats: int) -> list[tuple[str, float]]:
    rows = []
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        def run():
            with tempfile.TemporaryDirectory() as out:
                subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                                str(nb), "--output-dir", out, "--ExecutePreprocessor.timeout=600"],
                               check=True, capture_output=True, cwd=ROOT / "notebooks")
        rows.append((nb.name, median_time(run, repeats)))
        print(f"  {nb.name}: {rows[-1][1]:.1f} s", flush=True)
    return rows


# --- 2. slider callbacks ------------------------------------------------------------------------------------

def slider_times(repeats: int) -> list[dict]:
    import widget_catalogue as cat

    rows = []
    for name, apps in cat.slider_apps().items():
        for view, sliders in apps:
            def timed(values):
                def call():
                    try:
                        view(**values)
                    except CourseError:
                        pass          # shown as a message by slider_app; still a callback to time
                    plt.close("all")
                return median_time(call, repeats) * 1000
            default_ms = timed(cat.default_values(sliders))
            worst_ms, worst = 0.0, None
            for combo in cat.extreme_combinations(sliders):
                ms = timed(combo)
                if ms > worst_ms:
                    worst_ms, worst = ms, combo
            rows.append(dict(app=name, default_ms=default_ms, worst_ms=worst_ms,
                             worst=", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                                             for k, v in worst.items())))
            print(f"  {name}: default {default_ms:.0f} ms, slowest extreme {worst_ms:.0f} ms", flush=True)
    return rows


# --- 3. training buttons and long runs ------------------------------------------------------------------------

BUTTON_GOAL_S = 3.0
DESCENT_GOAL_MS = 100


def button_times(repeats: int) -> list[dict]:
    """One press of each training button at its heaviest setting, and 10,000 updates of gradient descent.

    On one torch thread, as the notebooks that hold these buttons set it (two threads on two shared cores make a
    network this small several times slower)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _button_times(repeats)
    finally:
        torch.set_num_threads(threads)


def _button_times(repeats: int) -> list[dict]:
    table = data.load_lectures()
    gen, val = data.select(table, "GenAI2024"), data.select(table, role="validation")
    rows = []
    widgets.network_training_view(gen, val, "slides", epochs=10)           # warm up torch
    plt.close("all")
    for setup in widgets.NETWORK_SETUPS:
        def press(setup=setup):
            widgets.network_training_view(gen, val, "slides + words", setup, seed=0, epochs=2000)
            plt.close("all")
        rows.append(dict(what=f"network_training_view, {setup}, 2,000 epochs", seconds=median_time(press, repeats),
                         goal=f"≤ {BUTTON_GOAL_S:g} s", limit=BUTTON_GOAL_S))
    X, y = data.load_digits("train")
    X_test, y_test = data.load_digits("test")

    def mlp_press():
        widgets.mlp_training_view(X, y, X_test, y_test)
        plt.close("all")
    rows.append(dict(what="mlp_training_view at its defaults", seconds=median_time(mlp_press, repeats),
                     goal=f"≤ {BUTTON_GOAL_S:g} s", limit=BUTTON_GOAL_S))
    ml = data.select(table, "ML2021")
    x1, minutes = data.features(ml)[:, 0], data.target(ml)
    rows.append(dict(what="train.gradient_descent, 10,000 updates",
                     seconds=median_time(lambda: train.gradient_descent(x1, minutes, 1.0, 15.0, lr=1e-4, steps=10_000),
                                         repeats), goal=f"≤ {DESCENT_GOAL_MS} ms", limit=DESCENT_GOAL_MS / 1000))
    for r in rows:
        print(f"  {r['what']}: {r['seconds'] * 1000:.0f} ms", flush=True)
    return rows


# --- 4. training loops ----------------------------------------------------------------------------------------

def digits():
    X, y = data.load_digits("train")
    return X, y


def course_loop(X, y, batch_size, epochs, dtype):
    net = models.MLP([784, 30, 10], seed=0)
    net.to(dtype)
    train.fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=0.5, epochs=epochs, batch_size=batch_size, seed=0)


def bare_loop(X, y, batch_size, epochs, dtype, evaluate=False):
    """The shortest honest PyTorch loop: tensors in memory, a random permutation, slices, five lines per batch.

    evaluate=True adds what the course loop also does each epoch: loss and accuracy on all training examples."""
    net = models.MLP([784, 30, 10], seed=0)
    net.to(dtype)
    Xt, yt = torch.as_tensor(X, dtype=dtype), torch.as_tensor(y)
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    gen = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        order = torch.randperm(len(Xt), generator=gen)
        Xe, ye = Xt[order], yt[order]
        for i in range(0, len(Xt), batch_size):
            loss = nn.functional.cross_entropy(net(Xe[i:i + batch_size]), ye[i:i + batch_size])
            opt.zero_grad()
            loss.backward()
            opt.step()
        if evaluate:
            with torch.no_grad():
                scores = net(Xt)
                nn.functional.cross_entropy(scores, yt).item(), (scores.argmax(1) == yt).double().mean().item()


def bare_loop_evaluating(X, y, batch_size, epochs, dtype):
    return bare_loop(X, y, batch_size, epochs, dtype, evaluate=True)


def dataloader_loop(X, y, batch_size, epochs, dtype):
    """The habit: a Dataset that serves one PIL image at a time through ToTensor (as torchvision's MNIST does)."""
    from PIL import Image
    from torchvision.transforms import ToTensor

    pixels = torch.as_tensor(np.round(X.reshape(-1, 28, 28) * 255).astype(np.uint8))
    labels = torch.as_tensor(y)

    class Digits(torch.utils.data.Dataset):
        def __init__(self, transform):
            self.transform = transform

        def __len__(self):
            return len(pixels)

        def __getitem__(self, i):   # what torchvision.datasets.MNIST.__getitem__ does
            return self.transform(Image.fromarray(pixels[i].numpy(), mode="L")), int(labels[i])

    loader = torch.utils.data.DataLoader(Digits(ToTensor()), batch_size=batch_size, shuffle=True)
    torch.manual_seed(0)                        # the DataLoader's shuffling draws from torch's global generator
    net = nn.Sequential(nn.Flatten(), models.MLP([784, 30, 10], seed=0))
    net.to(dtype)
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    for _ in range(epochs):
        for xb, yb in loader:
            loss = nn.functional.cross_entropy(net(xb.to(dtype)), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()


def nielsen_loop(X, y, batch_size, epochs, dtype):
    """Nielsen's network.py: backpropagation one example at a time inside each mini-batch (NumPy, float64)."""
    train.sgd_per_sample(X, y, sizes=[784, 30, 10], lr=3.0, epochs=epochs, batch_size=batch_size, seed=0)


def training_table(repeats: int, epochs: int, batch_sizes=(10, 100)) -> list[dict]:
    X, y = digits()
    rows = []
    loops = [("course loop (train.fit)", course_loop, torch.float64),
             ("bare in-memory PyTorch loop", bare_loop, torch.float64),
             ("course loop, float32", course_loop, torch.float32),
             ("bare in-memory PyTorch loop, float32", bare_loop, torch.float32),
             ("bare loop + the same per-epoch evaluation, float32", bare_loop_evaluating, torch.float32),
             ("Dataset + ToTensor + DataLoader, float32", dataloader_loop, torch.float32)]
    if hasattr(train, "sgd_per_sample"):
        loops.append(("per-sample NumPy backprop (Nielsen)", nielsen_loop, torch.float64))
    for batch_size in batch_sizes:
        for label, loop, dtype in loops:
            seconds = median_time(lambda: loop(X, y, batch_size, epochs, dtype), repeats) / epochs
            rows.append(dict(loop=label, batch_size=batch_size, seconds_per_epoch=seconds,
                             examples_per_second=len(X) / seconds))
            print(f"  B = {batch_size:3d}  {label}: {seconds * 1000:.0f} ms per epoch", flush=True)
    return rows


def ratios(rows: list[dict]) -> list[dict]:
    out = []
    for batch_size in sorted({r["batch_size"] for r in rows}):
        t = {r["loop"]: r["seconds_per_epoch"] for r in rows if r["batch_size"] == batch_size}
        course = t["course loop (train.fit)"]
        out.append(dict(batch_size=batch_size, what="course / bare (float64)", ratio=course / t["bare in-memory PyTorch loop"],
                        goal="≤ 1.5", ok=course / t["bare in-memory PyTorch loop"] <= 1.5))
        c32 = t["course loop, float32"]
        out.append(dict(batch_size=batch_size, what="course / bare (float32)",
                        ratio=c32 / t["bare in-memory PyTorch loop, float32"], goal="≤ 1.5",
                        ok=c32 / t["bare in-memory PyTorch loop, float32"] <= 1.5))
        out.append(dict(batch_size=batch_size, what="course / (bare + the same per-epoch evaluation) (float32)",
                        ratio=c32 / t["bare loop + the same per-epoch evaluation, float32"], goal="(reported)", ok=None))
        dl = t["Dataset + ToTensor + DataLoader, float32"]
        out.append(dict(batch_size=batch_size, what="DataLoader habit / course (float32)", ratio=dl / c32,
                        goal="≥ 8", ok=dl / c32 >= 8))
        if "per-sample NumPy backprop (Nielsen)" in t:
            out.append(dict(batch_size=batch_size, what="Nielsen per-sample NumPy / course",
                            ratio=t["per-sample NumPy backprop (Nielsen)"] / course, goal="(reported)", ok=None))
    return out


# --- report -----------------------------------------------------------------------------------------------------

def report(nb_rows, slider_rows, button_rows, train_rows, ratio_rows, args) -> str:
    lines = [f"# Benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}",
             "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"torch {torch.__version__} ({torch.backends.cpu.get_cpu_capability()}), "
             f"{torch.get_num_threads()} torch threads. Repeats: {args.repeats} (medians).", ""]
    if nb_rows:
        lines += ["## Notebooks, headless (`jupyter nbconvert --execute`)", "", "| notebook | seconds | goal ≤ 60 s |",
                  "|---|---|---|"]
        lines += [f"| {name} | {s:.1f} | {'yes' if s <= 60 else 'NO'} |" for name, s in nb_rows]
        lines += [f"| all | {sum(s for _, s in nb_rows):.1f} | |", ""]
    lines += ["## Slider callbacks that need no training (view function: compute + build the figure)", "",
              f"| slider app | default (ms) | slowest extreme (ms) | at | goal ≤ {SLIDER_GOAL_MS} ms |", "|---|---|---|---|---|"]
    lines += [f"| {r['app']} | {r['default_ms']:.0f} | {r['worst_ms']:.0f} | {r['worst']} | "
              f"{'yes' if max(r['default_ms'], r['worst_ms']) <= SLIDER_GOAL_MS else 'NO'} |" for r in slider_rows]
    lines += ["", "## Training buttons and long runs", "", "| what | ms | goal | met |", "|---|---|---|---|"]
    lines += [f"| {r['what']} | {r['seconds'] * 1000:.0f} | {r['goal']} | {'yes' if r['seconds'] <= r['limit'] else 'NO'} |"
              for r in button_rows]
    lines += ["", f"## Training one epoch of the MLP [784, 30, 10] on the course's 4,000 digits "
              f"(SGD, cross-entropy; median of {args.repeats} × {args.epochs} epochs)", "",
              "| batch size | loop | ms per epoch | examples per second |", "|---|---|---|---|"]
    lines += [f"| {r['batch_size']} | {r['loop']} | {r['seconds_per_epoch'] * 1000:.0f} | "
              f"{r['examples_per_second']:,.0f} |" for r in train_rows]
    lines += ["", "## Ratios (same machine, same run)", "", "| batch size | ratio | value | goal | met |", "|---|---|---|---|---|"]
    lines += [f"| {r['batch_size']} | {r['what']} | {r['ratio']:.2f} | {r['goal']} | "
              f"{'' if r['ok'] is None else ('yes' if r['ok'] else 'NO')} |" for r in ratio_rows]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="repeats per measurement (median reported)")
    parser.add_argument("--epochs", type=int, default=2, help="epochs per training measurement")
    parser.add_argument("--notebook-repeats", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="3 repeats, 1 epoch, no notebooks")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.epochs < 1 or args.notebook_repeats < 1:
        parser.error("--repeats, --epochs and --notebook-repeats must be at least 1")
    if args.quick:
        args.repeats, args.epochs = 3, 1
    print("1. notebooks" + (" (skipped: --quick)" if args.quick else ""), flush=True)
    nb_rows = [] if args.quick else notebook_times(args.notebook_repeats)
    print("2. slider callbacks", flush=True)
    slider_rows = slider_times(args.repeats)
    print("3. training buttons and long runs", flush=True)
    button_rows = button_times(args.repeats)
    print("4. training loops", flush=True)
    train_rows = training_table(args.repeats, args.epochs)
    ratio_rows = ratios(train_rows)
    text = report(nb_rows, slider_rows, button_rows, train_rows, ratio_rows, args)
    print("\n" + text)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H%M")
    (args.out / f"{stamp}.md").write_text(text, encoding="utf-8")
    (args.out / f"{stamp}.json").write_text(json.dumps(dict(notebooks=nb_rows, sliders=slider_rows, buttons=button_rows,
                                                            training=train_rows, ratios=ratio_rows), indent=1))
    print(f"written to {args.out / (stamp + '.md')}")


if __name__ == "__main__":
    main()
