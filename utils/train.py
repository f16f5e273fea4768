"""Training: one PyTorch loop (`fit`), one NumPy descent (`descend`), and the loops the notebooks write out.

- `fit` trains any PyTorch model, from notebook 04's ReLU network to notebook 12's CNN. Its inner steps are the
  course's four: forward, loss, backward, update. Options cover what the notebooks need: mini-batches, an
  optimiser, weight decay, the notes' L1/L2 terms, augmented epochs, evaluation sets, a stop on divergence.
- `descend` runs gradient descent, or momentum, Adagrad, RMSProp or Adam, on any gradient function in NumPy:
  the line of notebooks 02–03, the logistic model of 05 and the 2-D canyon of 08 all go through it.
- `sgd_numpy` (notebook 06's vectorised loop) and `sgd_per_sample` (Nielsen's network.py, faithful on purpose)
  are lessons in themselves and stay written out.

Every history is a dict of NumPy arrays, one entry per epoch or update; plotting lives in utils.plots and
diagnosis (Hessians, confusion matrices, layer statistics) in utils.analysis."""
from __future__ import annotations

import time

import numpy as np
import torch

from . import models
from .checks import (CourseError, as_1d, as_2d, as_array, as_examples, as_labels, batch_size_for, choice, flag,
                     non_empty_dict, number, same_length, torch_module)

DIVERGED_LOSS = 1e12  # past this, a run has "exploded": we stop it and say so instead of overflowing
DROPOUT_SEED_OFFSET = 1_000_003   # fit's dropout masks come from seed + this, its shuffling from seed itself


def _diverged(loss) -> bool:
    """Whether a loss has exploded: not a finite number, or above DIVERGED_LOSS."""
    return not np.isfinite(loss) or loss > DIVERGED_LOSS


# --- the line y = w1·x1 + b (notebooks 02–03) ----------------------------------------------------------------

def linear_gradient(x, y, w1, b) -> tuple[float, float]:
    """(∂L/∂w1, ∂L/∂b) of the MSE of y = w1·x1 + b: 2/N Σ (y − ŷ)·x1 and 2/N Σ (y − ŷ), with y the line's output
    and ŷ the label (the lecture's notation). Taught in notebook 02."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    err = number("w1", w1) * x + number("b", b) - y
    return float(2 * np.mean(err * x)), float(2 * np.mean(err))


def gradient_descent(x, y, w1=1.0, b=15.0, lr=1e-4, steps=100) -> dict:
    """Full-batch gradient descent on the line's MSE, through `descend`; diverged_at is set if the loss explodes.
    Taught in notebook 02."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    w1, b = number("w1", w1), number("b", b)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    steps = number("steps", steps, low=0, high=1_000_000, integer=True)
    # The MSE of a line depends on the data only through five averages, so each update costs a few float
    # operations. This is descend(optimizer="gd") written out on plain floats: the same arithmetic in the same
    # order, so the same path to the last bit (tests/test_02_gradient_descent.py checks it), about 4× faster,
    # which keeps the descent slider quick at 10,000 updates.
    mx, mxx, my, mxy, myy = (float(v) for v in (x.mean(), (x * x).mean(), y.mean(), (x * y).mean(), (y * y).mean()))

    def loss(w, c):
        return myy - 2 * w * mxy - 2 * c * my + w * w * mxx + 2 * w * c * mx + c * c

    w, c = w1, b
    ws, cs, losses = [w], [c], [loss(w, c)]
    diverged_at = None
    for t in range(1, steps + 1):
        gw = 2 * (w * mxx + c * mx - mxy)     # ∂L/∂w1 = 2/N Σ (y − ŷ)·x1
        gb = 2 * (w * mx + c - my)            # ∂L/∂b  = 2/N Σ (y − ŷ)
        w, c = w - lr * gw, c - lr * gb       # θ ← θ − η·∇L
        L = loss(w, c)
        if _diverged(L):
            diverged_at = t                   # this step's point is not kept
            break
        ws.append(w), cs.append(c), losses.append(L)
    return {"w1": np.array(ws), "b": np.array(cs), "loss": np.array(losses),
            "diverged_at": diverged_at, "lr": lr, "steps": steps}


def describe_run(history: dict) -> str:
    """One line that says how a gradient-descent run ended (or that it diverged, and when). Taught in notebook 02."""
    if not isinstance(history, dict) or "loss" not in history:
        raise CourseError("history must be the dict that gradient_descent() or minibatch_descent() returns")
    last = history["loss"][-1]
    if history.get("diverged_at") is not None:
        return (f"η = {history['lr']:g}: diverged after {history['diverged_at']} updates "
                f"(loss passed {DIVERGED_LOSS:.0e}); the trajectory is cut off there")
    return (f"η = {history['lr']:g}: {len(history['loss']) - 1} updates → loss {last:.1f} "
            f"at w1 = {history['w1'][-1]:.3f}, b = {history['b'][-1]:.3f}")


def standardized_descent(x, y, w1=1.0, b=15.0, lr=0.1, steps=100) -> dict:
    """Gradient descent on the standardised feature z = (x1 − mean)/std from the same starting line, reported in
    (w1, b) units. Taught in notebook 02."""
    x, y = as_1d("x", x, min_len=2), as_1d("y", y)
    same_length("x", x, "y", y)
    w1, b = number("w1", w1), number("b", b)
    mean, std = float(x.mean()), float(x.std())
    if std == 0:
        raise CourseError("x has no spread (all values are equal), so it cannot be standardised")
    z = (x - mean) / std
    # y = w1·x1 + b = (w1·std)·z + (b + w1·mean): the same line, written with z.
    history = gradient_descent(z, y, w1 * std, b + w1 * mean, lr, steps)
    wz, bz = history["w1"], history["b"]
    # ... and back: y = wz·z + bz = (wz/std)·x1 + (bz − wz·mean/std). Same predictions, same loss.
    history.update(w1=wz / std, b=bz - wz * mean / std, w1_z=wz, b_z=bz, x_mean=mean, x_std=std)
    return history


def minibatches(n: int, batch_size: int, shuffle: bool = True, rng=None) -> list[np.ndarray]:
    """Split indices 0..n−1 into batches of `batch_size` (the last may be smaller), shuffled if asked.
    Taught in notebook 03."""
    n = number("n", n, low=1, integer=True)
    batch_size = batch_size_for(batch_size, n)
    flag("shuffle", shuffle)
    if shuffle and not isinstance(rng, np.random.Generator):
        raise CourseError("shuffle=True needs rng=np.random.default_rng(seed) so the order is reproducible")
    order = rng.permutation(n) if shuffle else np.arange(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def minibatch_descent(x, y, w1=1.0, b=15.0, lr=1e-4, batch_size=5, epochs=10,
                      shuffle=True, seed=0) -> dict:
    """Mini-batch gradient descent on the line's MSE: one update per batch, N/B updates per epoch, each epoch one
    call of `descend` over that epoch's batches. Taught in notebook 03."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    w1, b = number("w1", w1), number("b", b)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    epochs = number("epochs", epochs, low=1, high=100_000, integer=True)
    flag("shuffle", shuffle)
    rng = np.random.default_rng(number("seed", seed, low=0, integer=True))
    n = len(x)
    batch_size = batch_size_for(batch_size, n)

    def loss(theta):                          # the loss on all the data, after every update
        return float(np.mean((theta[0] * x + theta[1] - y) ** 2))

    def gradient(theta, idx):                 # the gradient on one batch
        err = theta[0] * x[idx] + theta[1] - y[idx]
        return np.array([2 * np.mean(err * x[idx]), 2 * np.mean(err)])

    L0 = loss([w1, b])
    paths, losses, epoch_loss, seconds = [np.array([[w1, b]])], [np.array([L0])], [L0], []
    diverged_at, theta = None, np.array([w1, b])
    for _ in range(epochs):
        start = time.perf_counter()
        batches = minibatches(n, batch_size, shuffle, rng)
        run = descend(gradient, theta, optimizer="gd", lr=lr, steps=len(batches), batches=batches, loss_fn=loss,
                      max_size=None)
        seconds.append(time.perf_counter() - start)
        paths.append(run["path"][1:])
        losses.append(run["loss"][1:])
        if run["diverged_at"] is not None:
            diverged_at = sum(len(p) for p in paths)         # the update that exploded: points so far
            break
        theta = run["path"][-1]
        epoch_loss.append(run["loss"][-1])
    path = np.concatenate(paths)
    return {"w1": path[:, 0], "b": path[:, 1], "loss": np.concatenate(losses),
            "epoch_loss": np.array(epoch_loss), "seconds": np.array(seconds),
            "diverged_at": diverged_at, "lr": lr, "batch_size": batch_size,
            "updates_per_epoch": -(-n // batch_size)}


# --- one NumPy descent, five optimisers (notebooks 02, 03, 05, 08) ---------------------------------------------

DESCEND_OPTIMIZERS = ("gd", "momentum", "adagrad", "rmsprop", "adam")
SCHEDULES = ("constant", "warm-up", "decay", "warm-up + decay")


def lr_schedule(schedule: str = "constant", steps: int = 300, warmup=None) -> np.ndarray:
    """The learning-rate multipliers s(t), t = 0 … steps − 1 (η_t = η·s(t)): constant, linear warm-up, cosine
    decay, or both. Taught in notebook 08."""
    choice("schedule", schedule, SCHEDULES)
    steps = number("steps", steps, low=1, high=1_000_000, integer=True)
    warmup = max(1, steps // 10) if warmup is None else number("warmup (steps)", warmup, low=1, integer=True)
    if "warm-up" in schedule and warmup > steps:
        raise CourseError(f"warmup ({warmup} steps) must not be longer than the run (steps = {steps})")
    t = np.arange(steps, dtype=float)
    up = np.minimum(1.0, (t + 1) / warmup) if "warm-up" in schedule else np.ones(steps)
    if "decay" not in schedule:
        return up
    start = warmup if "warm-up" in schedule else 0          # decay after the warm-up, down to ≈ 0 at the end
    down = np.where(t < start, 1.0, 0.5 * (1 + np.cos(np.pi * (t - start) / max(steps - start, 1))))
    return up * down


def descend(grad_fn, start, *, optimizer: str = "gd", lr: float = 0.05, steps: int = 300, beta: float = 0.9,
            alpha: float = 0.99, beta2: float = 0.999, schedule: str = "constant", warmup=None, loss_fn=None,
            batches=None, max_loss: float = DIVERGED_LOSS, max_size=1e6) -> dict:
    """Descend from `start` with gd, momentum, adagrad, rmsprop or adam (torch.optim's update rules, float64).

    grad_fn(θ) returns the gradient at θ; with `batches` (one index array per step), grad_fn(θ, batch) returns the
    gradient on that batch. loss_fn(θ), if given, is recorded after every step, and a loss above `max_loss` (or
    not finite) stops the run; so does a parameter above `max_size` in size (None: no such stop). Returns the
    path (steps + 1, P), the learning rate of each step, the loss along the path (with loss_fn) and diverged_at,
    the step at which the run was stopped (that step's point is not in the path). Taught in notebook 08."""
    if not callable(grad_fn):
        raise CourseError("grad_fn must be a function that returns the gradient at a point, e.g. models.canyon_grad")
    theta = as_1d("start", start).copy()
    choice("optimizer", optimizer, DESCEND_OPTIMIZERS)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    steps = number("steps", steps, low=0, high=1_000_000, integer=True)
    choice("schedule", schedule, SCHEDULES)
    beta = number("beta (momentum β)", beta, low=0, high=0.999)
    alpha = number("alpha (RMSProp's averaging α)", alpha, low=0, high=0.9999)
    beta2 = number("beta2 (Adam's averaging β2)", beta2, low=0, high=0.9999)
    if loss_fn is not None and not callable(loss_fn):
        raise CourseError("loss_fn must be a function of the point θ that returns the loss there, or None")
    if batches is not None and len(batches) != steps:
        raise CourseError(f"batches must hold one index array per step ({steps}), got {len(batches)}")
    max_loss = number("max_loss", max_loss, low=0, low_open=True)
    if max_size is not None:
        max_size = number("max_size", max_size, low=0, low_open=True)
    etas = lr * lr_schedule(schedule, steps, warmup) if steps else np.zeros(0)   # (steps,) each step's η
    eps = 1e-10 if optimizer == "adagrad" else 1e-8         # torch.optim's defaults
    m = np.zeros_like(theta)    # momentum buffer (momentum) or running mean of g (Adam)
    v = np.zeros_like(theta)    # sum of g² (Adagrad) or running mean of g² (RMSProp, Adam)
    path, diverged_at = [theta.copy()], None
    losses = [loss_fn(theta)] if loss_fn is not None else None
    for t in range(1, steps + 1):
        g = np.asarray(grad_fn(theta) if batches is None else grad_fn(theta, batches[t - 1]), dtype=float)
        if g.shape != theta.shape:
            raise CourseError(f"grad_fn returned shape {g.shape}, but the point has shape {theta.shape}")
        if optimizer == "gd":
            step = g
        elif optimizer == "momentum":
            m = g.copy() if t == 1 else beta * m + g          # torch's buffer starts at the first gradient
            step = m
        elif optimizer == "adagrad":
            v = v + g * g
            step = g / (np.sqrt(v) + eps)
        elif optimizer == "rmsprop":
            v = alpha * v + (1 - alpha) * g * g
            step = g / (np.sqrt(v) + eps)
        else:  # adam: both running means, corrected for starting at 0
            m = beta * m + (1 - beta) * g
            v = beta2 * v + (1 - beta2) * g * g
            step = (m / (1 - beta ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
        theta = theta - etas[t - 1] * step                    # θ ← θ − η·step
        if max_size is not None and (not np.all(np.isfinite(theta)) or np.max(np.abs(theta)) > max_size):
            diverged_at = t                                  # flew off: stop here and say so
            break
        if loss_fn is not None:
            L = loss_fn(theta)
            if not np.isfinite(L) or L > max_loss:          # like _diverged(L), with this run's own threshold
                diverged_at = t
                break
            losses.append(L)
        path.append(theta.copy())
    run = {"path": np.array(path), "lr": etas[:len(path) - 1], "diverged_at": diverged_at,
           "optimizer": optimizer, "lr0": lr, "beta": beta, "schedule": schedule}
    if loss_fn is not None:
        run["loss"] = np.array(losses)
    return run


# --- the logistic model (notebook 05) -------------------------------------------------------------------------

def logistic_gradient(X, labels, w, b=0.0, loss: str = "cross_entropy") -> np.ndarray:
    """∂L/∂w of the logistic model's mean loss: 1/N Σ (y' − ŷ)·x for cross-entropy, 1/N Σ 2(y' − ŷ)·y'(1 − y')·x for
    MSE. Taught in notebook 05."""
    X, labels, w, b = models.logistic_inputs(X, labels, w, b)
    choice("loss", loss, models.LOGISTIC_LOSSES)
    return _logistic_gradient(X, labels, w, b, loss)


def _logistic_gradient(X, labels, w, b, loss):
    p = models.logistic_probability(X @ w + b)                                          # (N,) y' = σ(z)
    dL_dz = p - labels if loss == "cross_entropy" else 2 * (p - labels) * p * (1 - p)   # (N,) σ′(z) = y'(1 − y')
    return X.T @ dL_dz / len(X)                                            # (k,)


def logistic_descent(X, labels, w_start, lr=1.0, steps=100, loss: str = "cross_entropy", b=0.0) -> dict:
    """Full-batch gradient descent (through `descend`) on the weights w of y' = σ(X·w + b), b fixed: w, loss,
    accuracy and |gradient| after every update. Taught in notebook 05."""
    X, labels, w, b = models.logistic_inputs(X, labels, w_start, b, w_name="w_start (the starting weights)")
    choice("loss", loss, models.LOGISTIC_LOSSES)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    steps = number("steps", steps, low=0, high=100_000, integer=True)
    ws = descend(lambda w: _logistic_gradient(X, labels, w, b, loss), w, optimizer="gd", lr=lr, steps=steps,
                 max_size=None)["path"]                 # (steps + 1, k)
    grads = [_logistic_gradient(X, labels, w, b, loss) for w in ws]
    z = ws @ X.T + b                                                       # (steps + 1, N)
    return {"w": ws, "loss": models.logistic_mean_loss(z, labels, loss),
            "accuracy": np.mean((z > 0) == (labels == 1), axis=1),
            "grad_norm": np.array([np.sqrt(g @ g) for g in grads]), "lr": lr, "steps": steps, "loss_name": loss}


# --- one PyTorch loop (notebooks 04–12) ----------------------------------------------------------------------

LOSSES = ("mse", "cross_entropy", "mse_softmax", "mse_sigmoid", "cross_entropy_sigmoid")
CLASSIFIER_LOSSES = LOSSES[1:]
OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adagrad": torch.optim.Adagrad,
              "rmsprop": torch.optim.RMSprop}


def dtype_of(model) -> torch.dtype:
    """The floating-point dtype of a model's first parameter (float32 for a model without parameters): the data
    are converted to it. Used inside utils (fit, predict, analysis)."""
    torch_module("model", model)
    for p in model.parameters():
        if p.is_floating_point():
            return p.dtype
    return torch.float32


def classification_loss(scores, labels, loss: str = "cross_entropy"):
    """Mean loss of raw scores (N, C) against integer labels (N,): cross-entropy, MSE of softmax/sigmoid vs one-hot,
    or the sigmoid cross-entropy (Nielsen's, summed over the outputs). Taught in notebook 08."""
    choice("loss", loss, CLASSIFIER_LOSSES)
    if not isinstance(scores, torch.Tensor) or not scores.is_floating_point() or scores.ndim != 2 or len(scores) == 0:
        got = f"a tensor of shape {tuple(scores.shape)}" if isinstance(scores, torch.Tensor) else type(scores).__name__
        raise CourseError(f"scores must be a float tensor (N, C) of raw scores, one row per example, e.g. model(X); "
                          f"got {got}")
    if not bool(torch.isfinite(scores.detach()).all()):
        raise CourseError("scores contain NaN or inf; has training diverged?")
    if not isinstance(labels, torch.Tensor) or labels.ndim != 1 or labels.dtype != torch.int64:
        got = (f"a {labels.dtype} tensor of shape {tuple(labels.shape)}" if isinstance(labels, torch.Tensor)
               else type(labels).__name__)
        raise CourseError(f"labels must be a 1-D tensor of whole class numbers (torch.int64), e.g. torch.as_tensor(y) "
                          f"of load_digits' labels; got {got}")
    same_length("scores", scores, "labels", labels)
    if labels.min() < 0 or labels.max() >= scores.shape[1]:
        raise CourseError(f"labels must be class numbers between 0 and {scores.shape[1] - 1} (scores has "
                          f"{scores.shape[1]} columns), got {labels.min().item()}…{labels.max().item()}")
    return _loss(scores, labels, loss)


def _loss(outputs, targets, loss):
    """The mean loss without the checks: for fit, whose inputs are checked once, not per batch."""
    if callable(loss):
        return loss(outputs, targets)
    if loss == "mse":
        return torch.mean((outputs - targets) ** 2)
    if loss == "cross_entropy":
        return torch.nn.functional.cross_entropy(outputs, targets)
    one_hot = torch.nn.functional.one_hot(targets, outputs.shape[1]).to(outputs.dtype)
    if loss == "cross_entropy_sigmoid":   # −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)], a = σ(z), from z for stability
        return torch.nn.functional.binary_cross_entropy_with_logits(outputs, one_hot, reduction="none").sum(dim=1).mean()
    probs = torch.softmax(outputs, dim=1) if loss == "mse_softmax" else torch.sigmoid(outputs)
    return ((probs - one_hot) ** 2).sum(dim=1).mean()   # Σ over classes, mean over examples


def _data_pair(name, X, y, classify, like=None):
    """(X, y) of one data set, checked: examples one per row, and labels (classification) or numbers per row."""
    x_name, y_name = ("X", "y") if name is None else (f"{name} X", f"{name} y")
    X = as_examples(x_name, X, None if like is None else like.shape[1:])
    y = as_labels(y_name, y) if classify else as_1d(y_name, y)
    same_length(x_name, X, y_name, y)
    return X, y


def _data_sets(X, y, evals, classify, dtype):
    """name → (inputs, targets) tensors in the model's dtype: "train" first, then every evaluation set."""
    if not isinstance(evals, dict):
        raise CourseError("evals must be a dict: name → (X, y), e.g. {'val': (X_val, y_val)}")
    if "train" in evals:
        raise CourseError("evals must not name a set 'train': that name is the training set's; call it e.g. 'val'")
    pairs = {"train": _data_pair(None, X, y, classify)}
    for name, pair in evals.items():
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise CourseError(f"evals[{name!r}] must be a pair (X, y)")
        pairs[name] = _data_pair(f"evals[{name!r}]", *pair, classify, like=pairs["train"][0])
    target = (lambda v: torch.as_tensor(v)) if classify else (lambda v: torch.as_tensor(v, dtype=dtype))
    return {name: (torch.as_tensor(Xs, dtype=dtype), target(ys)) for name, (Xs, ys) in pairs.items()}


def _augmented_inputs(augmented, X, dtype):
    """The augmented copies of the training inputs as one tensor (copies, N, …), checked against X."""
    augmented = as_array("augmented", augmented, f"copies of X, shape (copies, {len(X)}, …)")
    if augmented.shape[1:] != tuple(X.shape) or len(augmented) == 0 or not np.all(np.isfinite(augmented)):
        raise CourseError(f"augmented must be finite copies of X, shape (copies, {', '.join(map(str, X.shape))}), "
                          f"got {augmented.shape}")
    return torch.as_tensor(augmented, dtype=dtype)


def _optimizer(model, optimizer, lr, momentum, weight_decay, l2, n):
    """The torch.optim optimiser for fit; l2 (the notes' λ) becomes SGD's weight_decay = λ/n on the weights only."""
    choice("optimizer", optimizer, OPTIMIZERS)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    momentum = number("momentum", momentum, low=0, high=0.999)
    if momentum and optimizer not in ("sgd", "rmsprop"):
        raise CourseError(f"momentum applies to 'sgd' and 'rmsprop', not {optimizer!r}; set momentum=0")
    weight_decay = number("weight_decay", weight_decay, low=0)
    l2 = number("l2 (λ of the L2 term)", l2, low=0)
    if l2 and (weight_decay or optimizer != "sgd"):
        raise CourseError("l2 is the notes' L2 term for plain SGD: use it with optimizer='sgd' and weight_decay=0")
    extra = {"momentum": momentum} if optimizer in ("sgd", "rmsprop") else {}
    if l2:   # the notes' ∂C/∂w = ∂C₀/∂w + (λ/n)·w; biases (1-D tensors) get no decay
        groups = [{"params": [p for p in model.parameters() if p.ndim > 1], "weight_decay": l2 / n},
                  {"params": [p for p in model.parameters() if p.ndim <= 1], "weight_decay": 0.0}]
        return torch.optim.SGD(groups, lr=lr, foreach=False, **extra)
    return OPTIMIZERS[optimizer](model.parameters(), lr=lr, weight_decay=weight_decay, foreach=False, **extra)


_MODE_LAYERS = (torch.nn.modules.dropout._DropoutNd, torch.nn.modules.batchnorm._BatchNorm)


def _mode_matters(model) -> bool:
    """Whether train()/eval() can change what `model` computes: it holds dropout or batch norm, or a module from
    outside torch.nn and utils (which might read self.training). Switching the mode of a model where it cannot
    matter costs a walk over all its modules twice per epoch: a third of the time of a small full-batch network."""
    return any(isinstance(m, _MODE_LAYERS) or not type(m).__module__.startswith(("torch.nn.", "utils."))
               for m in model.modules())


def _score(model, sets, loss, measures, history, switch_mode=True):
    """Append every measure of every set to the history: "{set}_{measure}", with dropout off."""
    if switch_mode:
        model.eval()
    with torch.no_grad():
        for name, (inputs, targets) in sets.items():        # "train" is scored on the data as they are
            outputs = model(inputs)
            for measure, fn in measures.items():
                if measure == "loss":
                    value = _loss(outputs, targets, loss).item()
                elif measure == "acc":
                    value = (outputs.argmax(dim=1) == targets).double().mean().item()
                else:
                    value = fn(outputs, targets)
                    value = value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else value
                history[f"{name}_{measure}"].append(value)
    if switch_mode:
        model.train()


def fit(model, X, y, *, loss, optimizer: str = "sgd", lr: float = 0.1, epochs: int = 10, batch_size=None,
        seed: int = 0, shuffle: bool = True, evals=None, momentum: float = 0.0, weight_decay: float = 0.0,
        l2: float = 0.0, l1: float = 0.0, augmented=None, stop_on_divergence: bool = True, metrics=None) -> dict:
    """Train a PyTorch model on in-memory data with mini-batches; return its history, one number per epoch.

    loss: "mse" (numbers y, regression) or "cross_entropy", "mse_softmax", "mse_sigmoid", "cross_entropy_sigmoid"
    (class labels y; then the accuracy is recorded too; the two MSEs sum over the classes, without a ½), or a function (outputs, y) → a scalar tensor. optimizer: sgd, adam, adagrad or
    rmsprop (torch.optim, with momentum for sgd and rmsprop). batch_size=None: the full batch. shuffle: a new
    order of the examples every epoch, drawn from `seed` (a full batch is then summed in another order too).
    evals: name → (X, y), scored after every epoch; the set "val" also gives best_epoch (its lowest loss).
    weight_decay: torch's, on every parameter; l2, l1: the notes' λ in C = C₀ + λ/(2n)·Σw² and C₀ + λ/n·Σ|w|, on
    the weights only (not the biases); augmented: (copies, N, …) inputs, epoch e trains on copy e % copies.
    metrics: extra name → function(outputs, y) recorded on every set. Dropout, if the model has any, draws
    from `seed` too, without touching torch's global generator.

    History: "{set}_{measure}" (train_loss, train_acc, val_loss, test_acc, …; the loss is C₀, without the L1/L2
    term), "seconds" per epoch, "diverged_at" (the epoch whose training loss passed DIVERGED_LOSS, where the run
    stops; None if it never did, or if stop_on_divergence=False). The model is left in the mode it came in.
    Taught in notebook 04 (regression) and notebook 05 (classification)."""
    torch_module("model", model)
    classify = not callable(loss) and choice("loss", loss, LOSSES) != "mse"
    evals = {} if evals is None else evals
    dtype = dtype_of(model)                                   # the data follow the model's precision
    sets = _data_sets(X, y, evals, classify, dtype)
    n = len(sets["train"][0])
    opt = _optimizer(model, optimizer, lr, momentum, weight_decay, l2, n)
    epochs = number("epochs", epochs, low=1, high=1_000_000, integer=True)
    batch_size = n if batch_size is None else batch_size_for(batch_size, n)
    l1 = number("l1 (λ of the L1 term)", l1, low=0)
    augmented = None if augmented is None else _augmented_inputs(augmented, sets["train"][0], dtype)
    metrics = {} if metrics is None else non_empty_dict("metrics", metrics, "name → function(outputs, y)")
    if not all(callable(fn) for fn in metrics.values()) or {"loss", "acc"} & set(metrics):
        raise CourseError("metrics must map new names (not 'loss' or 'acc', which fit records itself) to "
                          "functions(outputs, y) that return a number or an array")
    measures = {"loss": None, **({"acc": None} if classify else {}), **metrics}
    history = {f"{name}_{m}": [] for name in sets for m in measures}
    history["seconds"], diverged_at = [], None
    shuffle, stop_on_divergence = flag("shuffle", shuffle), flag("stop_on_divergence", stop_on_divergence)
    weights = [p for p in model.parameters() if p.ndim > 1]   # what l1 penalises: the weights, not the biases
    seed = number("seed", seed, low=0, integer=True)
    order_gen = torch.Generator().manual_seed(seed)           # the order of the examples, epoch after epoch
    X_train, y_train = sets["train"]
    was_training = model.training
    switch_mode = _mode_matters(model)
    # Dropout draws its masks from torch's global generator: we seed it for this run (from seed, but not the
    # same stream as the shuffling) and fork_rng puts the global generator back as it was when fit returns.
    with torch.random.fork_rng(devices=[]):
        torch.default_generator.manual_seed(seed + DROPOUT_SEED_OFFSET)
        model.train()
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            inputs = X_train if augmented is None else augmented[(epoch - 1) % len(augmented)]
            targets = y_train
            if shuffle:
                order = torch.randperm(n, generator=order_gen)
                inputs, targets = inputs[order], targets[order]    # shuffled once per epoch; the batches are views
            for i in range(0, n, batch_size):
                batch = slice(i, i + batch_size)
                opt.zero_grad()                                                  # forget the last batch's gradient
                outputs = model(inputs[batch])                                   # 1. forward
                batch_loss = _loss(outputs, targets[batch], loss)                # 2. loss C₀ …
                if l1:
                    penalty = l1 / n * sum(w.abs().sum() for w in weights)       #    … + λ/n·Σ|w| with L1
                    batch_loss = batch_loss + penalty
                batch_loss.backward()                                            # 3. backward: the gradients
                opt.step()                                                       # 4. update: θ ← θ − η·(…)
            history["seconds"].append(time.perf_counter() - start)
            _score(model, sets, loss, measures, history, switch_mode)
            if stop_on_divergence and _diverged(history["train_loss"][-1]):
                diverged_at = epoch
                break
    model.train(was_training)
    out = {k: np.array(v) for k, v in history.items()}
    out["diverged_at"] = diverged_at
    if "val" in evals:
        out["best_epoch"] = int(np.nanargmin(out["val_loss"])) + 1   # early stopping: the epoch to keep
    return out


def predict(model, X) -> np.ndarray:
    """Run a trained PyTorch regression model on a NumPy feature matrix and return NumPy predictions.
    Taught in notebook 04."""
    torch_module("model", model)
    X = as_2d("X", X)
    with torch.no_grad():
        return model(torch.as_tensor(X, dtype=dtype_of(model))).numpy().astype(float)


def predict_classes(model, X, batch_size: int = 10_000) -> np.ndarray:
    """The class with the highest score for each row of X, as integers. Taught in notebook 09."""
    torch_module("model", model)
    X = as_examples("X", X, models.example_shape(model))
    batch_size = number("batch_size", batch_size, low=1, integer=True)
    was_training = model.training
    model.eval()                                              # dropout off
    with torch.no_grad():
        Xt = torch.as_tensor(X, dtype=dtype_of(model))
        classes = torch.cat([model(Xt[i:i + batch_size]).argmax(dim=1) for i in range(0, len(X), batch_size)])
    model.train(was_training)
    return classes.numpy()


def train_relu_nets(X, y, X_val=None, y_val=None, seeds=range(5), hidden=100, optimizer="adam", lr=1e-2,
                    epochs=2000, standardize=True) -> dict:
    """One ReluNet(hidden, seed=seed) per seed, each trained full-batch by `fit` with MSE: seed → (model, history).
    Taught in notebook 04."""
    X = as_2d("X", X)
    seeds = _seed_list(seeds)
    scale = dict(x_mean=X.mean(axis=0), x_std=X.std(axis=0)) if flag("standardize", standardize) else {}
    if (X_val is None) != (y_val is None):
        raise CourseError("X_val and y_val go together: give both (the validation set) or neither")
    evals = None if X_val is None else {"val": (X_val, y_val)}
    runs = {}
    for seed in seeds:
        model = models.ReluNet(X.shape[1], hidden, seed=seed, **scale)
        runs[seed] = (model, fit(model, X, y, loss="mse", optimizer=optimizer, lr=lr, epochs=epochs, shuffle=False,
                                 evals=evals))
    return runs


def _seed_list(seeds):
    seeds = [number(f"seeds[{i}]", s, low=0, integer=True) for i, s in enumerate(seeds)]
    if not seeds or len(set(seeds)) != len(seeds):
        raise CourseError("seeds must list at least one seed, each once, e.g. range(5)")
    return seeds


class _SideBySide(torch.nn.Module):
    """Several networks as one model: their outputs stacked, (K, N)."""

    def __init__(self, nets):
        super().__init__()
        self.nets = torch.nn.ModuleList(nets)

    def forward(self, X):
        return torch.stack([net(X) for net in self.nets])


def _each_mse(outputs, y):      # (K, N) outputs → (K,) each network's own MSE
    return torch.stack([torch.mean((o - y) ** 2) for o in outputs])


def train_relu_nets_jointly(X, y, seeds=range(5), hidden=100, optimizer="adam", lr=1e-2, epochs=2000,
                            standardize=True, momentum=0.9) -> dict:
    """Full-batch training of one ReluNet(hidden, seed=seed) per seed, side by side in one `fit` (optimizer "gd",
    "momentum", "adagrad", "rmsprop" or "adam"; momentum is β of "momentum" only): seed → (model, history).
    Taught in notebook 04 (to train several seeds faster); notebook 08 compares optimisers with it."""
    X, y = as_2d("X", X), as_1d("y", y)
    same_length("X", X, "y", y)
    seeds = _seed_list(seeds)
    hidden = number("hidden", hidden, low=1, integer=True)
    choice("optimizer", optimizer, DESCEND_OPTIMIZERS)
    momentum = number("momentum (β)", momentum, low=0, high=0.999)
    scale = dict(x_mean=X.mean(axis=0), x_std=X.std(axis=0)) if flag("standardize", standardize) else {}
    nets = {seed: models.ReluNet(X.shape[1], hidden, seed=seed, **scale) for seed in seeds}
    # The gradient of a sum with respect to one network's parameters is that network's own gradient, and these
    # optimisers update every number on its own: each network follows exactly the path it would follow if
    # trained alone (one optimiser call instead of one per seed is just faster). A network that explodes does
    # not stop the others: each curve is cut where its own loss passed DIVERGED_LOSS.
    torch_name = {"gd": "sgd", "momentum": "sgd"}.get(optimizer, optimizer)
    history = fit(_SideBySide(nets.values()), X, y, loss=lambda out, t: _each_mse(out, t).sum(), optimizer=torch_name,
                  lr=lr, epochs=epochs, shuffle=False, momentum=momentum if optimizer == "momentum" else 0.0,
                  stop_on_divergence=False, metrics={"each": _each_mse})
    after = history["train_each"]                             # (epochs, seeds) the loss after each epoch
    runs = {}
    for k, (seed, net) in enumerate(nets.items()):
        curve = after[:, k]
        bad = np.flatnonzero([_diverged(L) for L in curve])
        diverged_at = int(bad[0]) + 1 if bad.size else None
        runs[seed] = (net, {"train_loss": curve[:diverged_at], "diverged_at": diverged_at})
    return runs


def train_mlps_jointly(nets, X, y, *, lr: float = 0.5, epochs: int = 20, batch_size: int = 10, seeds=None,
                       l2=0.0, evals=None, score_every: int = 1) -> list:
    """Mini-batch SGD with cross-entropy (the notes' L2 term λ per network) on several sigmoid `models.MLP`s of one
    shape at once, with batched matrix products; each follows fit(seed=…)'s path; a history per network.
    Taught in notebook 10 (to train many seeds and λ at once)."""
    nets = list(nets) if isinstance(nets, (list, tuple)) else None
    if not nets or not all(isinstance(net, models.MLP) for net in nets):
        raise CourseError("nets must be a non-empty list of models.MLP networks (one per run)")
    if len({tuple(net.sizes) for net in nets}) != 1 or any(net.activation != "sigmoid" for net in nets):
        raise CourseError("every net must have the same sizes and the sigmoid activation, e.g. "
                          "[models.MLP([784, 30, 10], seed=s) for s in range(3)]")
    K = len(nets)
    seeds = list(range(K)) if seeds is None else seeds       # the same seed may recur (one per λ, say)
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__len__"):
        raise CourseError("seeds must list one seed per net, e.g. [0, 1, 2]")
    seeds = [number(f"seeds[{i}]", s, low=0, integer=True) for i, s in enumerate(seeds)]
    if len(seeds) != K:
        raise CourseError(f"seeds must give one seed per net ({K}), got {len(seeds)}")
    l2s = [l2] * K if np.ndim(l2) == 0 else list(np.asarray(l2, dtype=float).ravel())
    if len(l2s) != K:
        raise CourseError(f"l2 must be one λ for all nets or one per net ({K}), got {len(l2s)}")
    l2s = [number(f"l2[{k}] (λ of the L2 term)", lam, low=0) for k, lam in enumerate(l2s)]
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    epochs = number("epochs", epochs, low=1, high=100_000, integer=True)
    score_every = number("score_every", score_every, low=1, integer=True)
    sets = _data_sets(X, y, {} if evals is None else evals, True, torch.float64)
    X_t, y_t = sets["train"]
    n = len(X_t)
    if X_t.ndim != 2 or X_t.shape[1] != nets[0].sizes[0]:
        raise CourseError(f"X must have {nets[0].sizes[0]} features per row for these nets, got {tuple(X_t.shape)}")
    batch_size = batch_size_for(batch_size, n)
    linears = [[m for m in net.layers if isinstance(m, torch.nn.Linear)] for net in nets]
    # Stacked parameters, one slice per network: W[l] (K, n_out, n_in), b[l] (K, n_out), in float64.
    W = [torch.stack([ls[l].weight.detach().double() for ls in linears]).clone() for l in range(len(linears[0]))]
    b = [torch.stack([ls[l].bias.detach().double() for ls in linears]).clone() for l in range(len(linears[0]))]
    decay = torch.tensor([lam / n for lam in l2s], dtype=torch.float64)[:, None, None]     # (K, 1, 1) λ/n
    gens = [torch.Generator().manual_seed(s) for s in seeds]                 # fit's shuffling, one per network
    eye = torch.eye(nets[0].sizes[-1], dtype=torch.float64)
    history = [{f"{name}_{m}": [] for name in sets for m in ("loss", "acc")} | {"penalty": [], "epoch": []}
               for _ in nets]

    def forward(inputs):                           # inputs (K, B, n_in) or (B, n_in) shared → activations per layer
        acts = [inputs]
        for l in range(len(W)):
            z = torch.matmul(acts[-1], W[l].transpose(1, 2)) + b[l][:, None, :]   # (K, B, n_out)
            acts.append(torch.sigmoid(z) if l < len(W) - 1 else z)
        return acts

    for epoch in range(1, epochs + 1):
        orders = torch.stack([torch.randperm(n, generator=g) for g in gens])   # (K, n): fit's order for each seed
        for i in range(0, n, batch_size):
            idx = orders[:, i:i + batch_size]                                  # (K, B)
            acts = forward(X_t[idx])                                           # 1. forward, each net its batch
            B = idx.shape[1]
            delta = (torch.softmax(acts[-1], dim=2) - eye[y_t[idx]]) / B       # 2.–3. ∂C₀/∂z of the mean loss
            for l in range(len(W) - 1, -1, -1):                                # 3. backward, layer by layer
                grad_W = torch.matmul(delta.transpose(1, 2), acts[l])          # (K, n_out, n_in)
                grad_b = delta.sum(dim=1)
                if l > 0:
                    delta = torch.matmul(delta, W[l]) * acts[l] * (1 - acts[l])
                W[l] -= lr * (grad_W + decay * W[l])                           # 4. w ← w − η(∂C₀/∂w + λ/n·w)
                b[l] -= lr * grad_b                                            #    b ← b − η ∂C₀/∂b
        if epoch % score_every == 0 or epoch == epochs:
            for name, (inputs, labels) in sets.items():
                scores = forward(inputs)[-1]                                   # (K, N, 10)
                losses = torch.nn.functional.cross_entropy(scores.transpose(1, 2), labels.expand(K, -1),
                                                           reduction="none").mean(dim=1)
                accs = (scores.argmax(dim=2) == labels).double().mean(dim=1)
                for k in range(K):
                    history[k][f"{name}_loss"].append(losses[k].item())
                    history[k][f"{name}_acc"].append(accs[k].item())
            sum_w2 = sum((w ** 2).sum(dim=(1, 2)) for w in W)                   # (K,) Σw² over the weights
            for k, h in enumerate(history):
                h["penalty"].append(l2s[k] / (2 * n) * sum_w2[k].item())       # the L2 term λ/(2n)·Σw²
                h["epoch"].append(epoch)
    with torch.no_grad():                                                      # the trained weights into the nets
        for k, ls in enumerate(linears):
            for l, layer in enumerate(ls):
                layer.weight.copy_(W[l][k])
                layer.bias.copy_(b[l][k])
    return [{key: np.array(v) for key, v in h.items()} for h in history]


# --- the network of notebook 06 in NumPy ----------------------------------------------------------------------

def _check_digits(X, y, name_X="X", name_y="y", n_inputs=None):
    X = as_examples(name_X, X, None if n_inputs is None else (n_inputs,))
    if X.ndim != 2:
        raise CourseError(f"{name_X} must have shape (N, features), one example per row, got {X.shape}")
    y = as_labels(name_y, y)
    same_length(name_X, X, name_y, y)
    return X.astype(float, copy=False), y


def _check_sgd_run(net, X, y, X_test, y_test, lr, epochs, batch_size, seed):
    """The arguments sgd_numpy and sgd_per_sample share, checked; the batch order's generator from the seed."""
    X, y = _check_digits(X, y, n_inputs=net.sizes[0])
    if X_test is not None:
        X_test, y_test = _check_digits(X_test, y_test, "X_test", "y_test", n_inputs=net.sizes[0])
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    epochs = number("epochs", epochs, low=1, high=10_000, integer=True)
    batch_size = batch_size_for(batch_size, len(X))
    rng = np.random.default_rng(number("seed", seed, low=0, integer=True))
    return X, y, X_test, y_test, lr, epochs, batch_size, rng


def sgd_numpy(net, X, y, X_test=None, y_test=None, lr=3.0, epochs=10, batch_size=10, seed=0,
              cost="quadratic") -> dict:
    """Mini-batch SGD on a models.NumpyNet, vectorised over each batch (trains `net` in place); loss and accuracy
    per epoch. Taught in notebook 06."""
    torch_module("net", net, models.NumpyNet)
    X, y, X_test, y_test, lr, epochs, batch_size, rng = _check_sgd_run(net, X, y, X_test, y_test, lr, epochs,
                                                                       batch_size, seed)
    has_test = X_test is not None
    choice("cost", cost, models.NUMPY_COSTS)
    Y = models.one_hot(y, net.sizes[-1])                                    # (N, 10)
    history = {k: [] for k in ("train_loss", "train_acc", "test_loss", "test_acc", "seconds")}
    diverged_at = None
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        for idx in minibatches(len(X), batch_size, True, rng):      # the same batches as sgd_per_sample(seed)
            grad_W, grad_b = net.backprop(X[idx], Y[idx], cost)
            for l in range(len(net.weights)):
                net.weights[l] -= lr * grad_W[l]                     # w → w − η ∂C/∂w
                net.biases[l] -= lr * grad_b[l]                      # b → b − η ∂C/∂b
        history["seconds"].append(time.perf_counter() - start)
        for part, inputs, labels in [("train", X, y)] + ([("test", X_test, y_test)] if has_test else []):
            loss, acc = net.evaluate(inputs, labels, cost)
            history[f"{part}_loss"].append(loss)
            history[f"{part}_acc"].append(acc)
        if _diverged(history["train_loss"][-1]):
            diverged_at = epoch
            break
    out = {k: np.array(v) for k, v in history.items() if v or k in ("train_loss", "train_acc")}
    out.update(diverged_at=diverged_at, net=net, cost=cost, lr=lr, batch_size=batch_size)
    return out


def sgd_per_sample(X, y, sizes=(784, 30, 10), lr=3.0, epochs=1, batch_size=10, seed=0, net=None,
                   X_test=None, y_test=None) -> dict:
    """Nielsen's network.py: mini-batch SGD with the quadratic cost, backpropagating one example at a time (slow on
    purpose). Taught in notebook 06."""
    # Faithful to network.py (Nielsen, "Neural Networks and Deep Learning", chapter 1): column vectors (n, 1),
    # a Python loop over the examples of each mini-batch, the gradients summed, then w → w − (η/m)·Σ ∂C_x/∂w.
    # Only the batch order differs: it comes from train.minibatches(seed) so that sgd_numpy(seed) sees the
    # same batches and the two can be compared number for number.
    if net is None:
        net = models.NumpyNet(sizes, seed=number("seed", seed, low=0, integer=True), init="normal")  # N(0, 1)
    else:
        torch_module("net", net, models.NumpyNet, " or None")
    X, y, X_test, y_test, lr, epochs, batch_size, rng = _check_sgd_run(net, X, y, X_test, y_test, lr, epochs,
                                                                       batch_size, seed)
    has_test = X_test is not None
    training_data = list(zip(X[:, :, None], models.one_hot(y, net.sizes[-1])[:, :, None]))   # [(x (784, 1), y (10, 1)), …]
    weights = [W.copy() for W in net.weights]                       # (n_out, n_in)
    biases = [b[:, None].copy() for b in net.biases]                # (n_out, 1) column vectors, as in network.py

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-np.clip(z, -500.0, 500.0)))

    def feedforward(a):
        for b, w in zip(biases, weights):
            a = sigmoid(np.dot(w, a) + b)
        return a

    def backprop(x, y):
        nabla_b = [np.zeros(b.shape) for b in biases]
        nabla_w = [np.zeros(w.shape) for w in weights]
        activation, activations, zs = x, [x], []
        for b, w in zip(biases, weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        sp = sigmoid(zs[-1]) * (1 - sigmoid(zs[-1]))
        delta = (activations[-1] - y) * sp                           # BP1, quadratic cost
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())     # BP4
        for layer in range(2, len(weights) + 1):
            z = zs[-layer]
            sp = sigmoid(z) * (1 - sigmoid(z))
            delta = np.dot(weights[-layer + 1].transpose(), delta) * sp   # BP2
            nabla_b[-layer] = delta                                       # BP3
            nabla_w[-layer] = np.dot(delta, activations[-layer - 1].transpose())
        return nabla_b, nabla_w

    def update_mini_batch(mini_batch):
        nabla_b = [np.zeros(b.shape) for b in biases]
        nabla_w = [np.zeros(w.shape) for w in weights]
        for x, y in mini_batch:                                      # one example at a time
            delta_nabla_b, delta_nabla_w = backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        for i in range(len(weights)):
            weights[i] = weights[i] - (lr / len(mini_batch)) * nabla_w[i]
            biases[i] = biases[i] - (lr / len(mini_batch)) * nabla_b[i]

    history = {"test_acc": [], "seconds": []}
    for _ in range(epochs):
        start = time.perf_counter()
        for idx in minibatches(len(training_data), batch_size, True, rng):
            update_mini_batch([training_data[i] for i in idx])
        history["seconds"].append(time.perf_counter() - start)
        if has_test:                                                 # network.py's evaluate(): one example at a time
            correct = sum(int(np.argmax(feedforward(x[:, None])) == t) for x, t in zip(X_test, y_test))
            history["test_acc"].append(correct / len(X_test))
    net.weights = weights
    net.biases = [b[:, 0] for b in biases]
    out = {k: np.array(v) for k, v in history.items() if v or k == "seconds"}
    out.update(net=net, lr=lr, batch_size=batch_size)
    return out


# --- many small descents at once (notebook 07) ----------------------------------------------------------------

def descend_until_stall(thetas, x, y, lr: float = 0.15, max_steps: int = 80_000, grad_tol: float = 1e-3,
                        record_every: int = 100, record_grad: bool = False) -> dict:
    """Plain gradient descent on tiny_net from each row of thetas, each run stopped once ‖∇L‖ < grad_tol (a stall).

    record_grad: also return "grad_curve", ‖∇L‖ at the same updates as "curve" (NaN once a run stopped).

    The K runs descend side by side, vectorised, and each stops on its own; `descend` runs one path at a time,
    which for notebook 07's 80 runs of up to 80,000 steps would be about 80 times slower. Taught in notebook 07."""
    theta = np.atleast_2d(models.tiny_theta(thetas, "thetas").numpy()).copy()     # (K, P): one run per row
    if theta.ndim != 2:
        raise CourseError(f"thetas must be one parameter vector or a stack of them (K, P), got shape {theta.shape}")
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    max_steps = number("max_steps", max_steps, low=0, high=10_000_000, integer=True)
    grad_tol = number("grad_tol", grad_tol, low=0)
    record_every = number("record_every", record_every, low=1, integer=True)
    record_grad = flag("record_grad", record_grad)
    K = len(theta)
    stalled_at, diverged_at = np.full(K, -1), np.full(K, -1)
    curve = np.full((K, max_steps // record_every + 1), np.nan)  # loss every record_every steps, NaN once stopped
    grad_curve = np.full_like(curve, np.nan) if record_grad else None
    loss, grad = models.tiny_net_gradient(theta, x, y)
    running = np.arange(K)                                        # the rows still descending
    for step in range(max_steps + 1):
        norm = np.sqrt(np.einsum("kp,kp->k", grad, grad))
        if step % record_every == 0:
            curve[running, step // record_every] = loss
            if record_grad:
                grad_curve[running, step // record_every] = norm
        bad = ~np.isfinite(loss) | (loss > DIVERGED_LOSS)
        stop = (norm < grad_tol) | bad
        if stop.any():
            stalled_at[running[stop & ~bad]] = step
            diverged_at[running[bad]] = step
            running, grad = running[~stop], grad[~stop]
        if step == max_steps or not len(running):
            break
        theta[running] -= lr * grad                               # θ ← θ − η ∇L(θ)
        loss, grad = models.tiny_net_gradient(theta[running], x, y)
    final_loss, final_grad = models.tiny_net_gradient(np.where(np.isfinite(theta), theta, 0.0), x, y)
    out = {"theta": theta, "loss": final_loss, "grad_norm": np.linalg.norm(final_grad, axis=1),
           "stalled_at": stalled_at, "diverged_at": diverged_at, "curve": curve, "record_every": record_every,
           "lr": lr, "grad_tol": grad_tol, "max_steps": max_steps}
    if record_grad:
        out["grad_curve"] = grad_curve
    return out
