"""Training loops. Each returns a history of numbers; plotting lives in utils.plots."""
from __future__ import annotations

import time

import numpy as np
import torch

from .checks import as_1d, as_2d, choice, number, same_length

DIVERGED_LOSS = 1e12  # past this, a run has "exploded": we stop it and say so instead of overflowing


def linear_gradient(x, y, w1, b) -> tuple[float, float]:
    """(∂L/∂w1, ∂L/∂b) of the MSE of y = w1·x1 + b: 2/N Σ (ŷ − y)·x1 and 2/N Σ (ŷ − y)."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    err = number("w1", w1) * x + number("b", b) - y
    return float(2 * np.mean(err * x)), float(2 * np.mean(err))


def gradient_descent(x, y, w1=1.0, b=15.0, lr=1e-4, steps=100) -> dict:
    """Full-batch gradient descent on the line's MSE; stops with diverged_at set if the loss explodes."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    w1, b = number("w1", w1), number("b", b)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    steps = number("steps", steps, low=0, high=1_000_000, integer=True)
    # The MSE of a line depends on the data only through five averages, so each update costs a few
    # float operations: 10,000 updates take milliseconds.
    mx, mxx, my, mxy, myy = x.mean(), (x * x).mean(), y.mean(), (x * y).mean(), (y * y).mean()

    def loss(w, c):
        return myy - 2 * w * mxy - 2 * c * my + w * w * mxx + 2 * w * c * mx + c * c

    ws, bs, losses = [w1], [b], [loss(w1, b)]
    diverged_at = None
    for t in range(1, steps + 1):
        gw = 2 * (w1 * mxx + b * mx - mxy)  # = 2/N Σ (ŷ − y)·x1
        gb = 2 * (w1 * mx + b - my)         # = 2/N Σ (ŷ − y)
        w1, b = w1 - lr * gw, b - lr * gb
        L = loss(w1, b)
        if not np.isfinite(L) or L > DIVERGED_LOSS:
            diverged_at = t
            break
        ws.append(w1), bs.append(b), losses.append(L)
    return {"w1": np.array(ws), "b": np.array(bs), "loss": np.array(losses),
            "diverged_at": diverged_at, "lr": lr, "steps": steps}


def describe_run(history: dict) -> str:
    """One line that says how a gradient-descent run ended (or that it diverged, and when)."""
    if not isinstance(history, dict) or "loss" not in history:
        raise TypeError("history must be the dict that gradient_descent() or minibatch_descent() returns")
    last = history["loss"][-1]
    if history.get("diverged_at") is not None:
        return (f"η = {history['lr']:g}: diverged after {history['diverged_at']} updates "
                f"(loss passed {DIVERGED_LOSS:.0e}); the trajectory is cut off there")
    return (f"η = {history['lr']:g}: {len(history['loss']) - 1} updates → loss {last:.1f} "
            f"at w1 = {history['w1'][-1]:.3f}, b = {history['b'][-1]:.3f}")


def minibatches(n: int, batch_size: int, shuffle: bool = True, rng=None) -> list[np.ndarray]:
    """Split indices 0..n−1 into batches of `batch_size` (the last may be smaller), shuffled if asked."""
    n = number("n", n, low=1, integer=True)
    batch_size = number("batch_size", batch_size, low=1, integer=True)
    if batch_size > n:
        raise ValueError(f"batch_size ({batch_size}) is larger than the data (N = {n}); use at most {n}")
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"shuffle must be True or False, got {shuffle!r}")
    if shuffle and not isinstance(rng, np.random.Generator):
        raise TypeError("shuffle=True needs rng=np.random.default_rng(seed) so the order is reproducible")
    order = rng.permutation(n) if shuffle else np.arange(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def minibatch_descent(x, y, w1=1.0, b=15.0, lr=1e-4, batch_size=5, epochs=10,
                      shuffle=True, seed=0) -> dict:
    """Mini-batch gradient descent on the line's MSE: one update per batch, N/B updates per epoch."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    w1, b = number("w1", w1), number("b", b)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    epochs = number("epochs", epochs, low=1, high=100_000, integer=True)
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"shuffle must be True or False, got {shuffle!r}")
    rng = np.random.default_rng(number("seed", seed, low=0, integer=True))
    n = len(x)
    full = lambda w, c: float(np.mean((w * x + c - y) ** 2))  # noqa: E731  (loss on all the data)
    ws, bs, losses, epoch_loss, epoch_time = [w1], [b], [full(w1, b)], [full(w1, b)], []
    diverged_at = None
    for _ in range(epochs):
        start = time.perf_counter()
        for idx in minibatches(n, batch_size, shuffle, rng):
            err = w1 * x[idx] + b - y[idx]
            w1, b = w1 - lr * 2 * np.mean(err * x[idx]), b - lr * 2 * np.mean(err)
            L = full(w1, b)
            if not np.isfinite(L) or L > DIVERGED_LOSS:
                diverged_at = len(losses)
                break
            ws.append(w1), bs.append(b), losses.append(L)
        epoch_time.append(time.perf_counter() - start)
        if diverged_at is not None:
            break
        epoch_loss.append(losses[-1])
    return {"w1": np.array(ws), "b": np.array(bs), "loss": np.array(losses),
            "epoch_loss": np.array(epoch_loss), "epoch_time": np.array(epoch_time),
            "diverged_at": diverged_at, "lr": lr, "batch_size": batch_size,
            "updates_per_epoch": -(-n // batch_size)}


OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}


def _dtype_of(model):
    """The floating-point dtype of a model's first parameter (float32 for a model without parameters)."""
    for p in model.parameters():
        if p.is_floating_point():
            return p.dtype
    return torch.float32


def train_network(model, X, y, X_val=None, y_val=None, optimizer="adam", lr=1e-3,
                  epochs=1000, batch_size=None, seed=0) -> dict:
    """Train a PyTorch regression model with MSE; return the training (and validation) loss per epoch."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    X, y = as_2d("X", X), as_1d("y", y)
    same_length("X", X, "y", y)
    has_val = X_val is not None
    if has_val:
        X_val, y_val = as_2d("X_val", X_val), as_1d("y_val", y_val)
        same_length("X_val", X_val, "y_val", y_val)
        if X_val.shape[1] != X.shape[1]:
            raise ValueError(f"X_val has {X_val.shape[1]} features but X has {X.shape[1]}")
    choice("optimizer", optimizer, OPTIMIZERS)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    epochs = number("epochs", epochs, low=1, high=1_000_000, integer=True)
    n = len(X)
    batch_size = n if batch_size is None else number("batch_size", batch_size, low=1, integer=True)
    if batch_size > n:
        raise ValueError(f"batch_size ({batch_size}) is larger than the data (N = {n}); use at most {n}")
    gen = torch.Generator().manual_seed(number("seed", seed, low=0, integer=True))
    dtype = _dtype_of(model)                       # the data follow the model's precision
    Xt, yt = torch.as_tensor(X, dtype=dtype), torch.as_tensor(y, dtype=dtype)
    if has_val:
        Xv, yv = torch.as_tensor(X_val, dtype=dtype), torch.as_tensor(y_val, dtype=dtype)
    opt = OPTIMIZERS[optimizer](model.parameters(), lr=lr, foreach=False)  # faster for tiny models
    train_loss, val_loss = [], []
    diverged_at = None
    for epoch in range(1, epochs + 1):
        order = torch.randperm(n, generator=gen) if batch_size < n else torch.arange(n)
        for i in range(0, n, batch_size):
            idx = order[i:i + batch_size]
            loss = torch.mean((model(Xt[idx]) - yt[idx]) ** 2)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            L = torch.mean((model(Xt) - yt) ** 2).item()
            train_loss.append(L)
            if has_val:
                val_loss.append(torch.mean((model(Xv) - yv) ** 2).item())
        if not np.isfinite(L) or L > DIVERGED_LOSS:
            diverged_at = epoch
            break
    history = {"train_loss": np.array(train_loss), "diverged_at": diverged_at}
    if has_val:
        history["val_loss"] = np.array(val_loss)
        history["best_epoch"] = int(np.argmin(val_loss)) + 1  # early stopping: the epoch to keep
    return history


def predict(model, X) -> np.ndarray:
    """Run a trained PyTorch model on a NumPy feature matrix and return NumPy predictions."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    X = as_2d("X", X)
    with torch.no_grad():
        return model(torch.as_tensor(X, dtype=_dtype_of(model))).numpy().astype(float)


def standardized_descent(x, y, w1=1.0, b=15.0, lr=0.1, steps=100) -> dict:
    """Gradient descent on the standardised feature z = (x1 − mean)/std from the same starting line, reported in (w1, b) units."""
    x, y = as_1d("x", x, min_len=2), as_1d("y", y)
    same_length("x", x, "y", y)
    w1, b = number("w1", w1), number("b", b)
    mean, std = float(x.mean()), float(x.std())
    if std == 0:
        raise ValueError("x has no spread (all values are equal), so it cannot be standardised")
    z = (x - mean) / std
    # y = w1·x1 + b = (w1·std)·z + (b + w1·mean): the same line, written with z.
    history = gradient_descent(z, y, w1 * std, b + w1 * mean, lr, steps)
    wz, bz = history["w1"], history["b"]
    # ... and back: y = wz·z + bz = (wz/std)·x1 + (bz − wz·mean/std). Same predictions, same loss.
    history.update(w1=wz / std, b=bz - wz * mean / std, w1_z=wz, b_z=bz, x_mean=mean, x_std=std)
    return history


def train_relu_nets(X, y, X_val=None, y_val=None, seeds=range(5), hidden=100, optimizer="adam", lr=1e-2,
                    epochs=2000, standardise=True) -> dict:
    """Train one ReluNet(hidden) per seed (torch.manual_seed(seed) right before each is built): seed → (model, history)."""
    from .models import ReluNet

    X = as_2d("X", X)
    seeds = [number(f"seeds[{i}]", s, low=0, integer=True) for i, s in enumerate(seeds)]
    if not seeds:
        raise ValueError("seeds must list at least one seed, e.g. range(5)")
    if not isinstance(standardise, (bool, np.bool_)):
        raise TypeError(f"standardise must be True or False, got {standardise!r}")
    scale = dict(x_mean=X.mean(axis=0), x_std=X.std(axis=0)) if standardise else {}
    runs = {}
    for seed in seeds:
        torch.manual_seed(seed)
        model = ReluNet(X.shape[1], hidden, **scale)
        runs[seed] = (model, train_network(model, X, y, X_val, y_val, optimizer, lr, epochs))
    return runs


# --- notebooks 05 onwards: classification ----------------------------------------------------------------

CLASSIFIER_LOSSES = ("cross_entropy", "mse_softmax", "mse_sigmoid")
CLASSIFIER_OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adagrad": torch.optim.Adagrad,
                         "rmsprop": torch.optim.RMSprop}


def classification_loss(scores, labels, loss: str = "cross_entropy"):
    """Mean loss of raw scores (N, C) against integer labels (N,): cross-entropy, or MSE of softmax/sigmoid vs one-hot."""
    choice("loss", loss, CLASSIFIER_LOSSES)
    if loss == "cross_entropy":
        return torch.nn.functional.cross_entropy(scores, labels)
    one_hot = torch.nn.functional.one_hot(labels, scores.shape[1]).to(scores.dtype)
    probs = torch.softmax(scores, dim=1) if loss == "mse_softmax" else torch.sigmoid(scores)
    return ((probs - one_hot) ** 2).sum(dim=1).mean()   # Σ over classes, mean over examples


def _as_labels(name, labels, n_classes=None):
    arr = np.asarray(labels)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a 1-D array of class numbers, got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.integer):
        if not np.issubdtype(arr.dtype, np.floating) or not np.all(arr == np.round(arr)):
            raise TypeError(f"{name} must hold whole class numbers 0, 1, 2, …, got {arr.dtype}")
    if arr.min() < 0 or (n_classes is not None and arr.max() >= n_classes):
        raise ValueError(f"{name} must be class numbers between 0 and {n_classes - 1 if n_classes else 'C − 1'}, "
                         f"got {arr.min()}…{arr.max()}")
    return arr.astype(np.int64)


def train_classifier(model, X, y, X_test=None, y_test=None, optimizer="sgd", lr=0.1, epochs=10,
                     batch_size=10, seed=0, loss="cross_entropy", weight_decay=0.0, momentum=0.0) -> dict:
    """Mini-batch training of a classifier on in-memory tensors; return loss and accuracy per epoch (and test ones)."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    X = as_2d("X", X) if np.ndim(X) <= 2 else np.asarray(X, dtype=float)
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or inf; remove or fix those entries")
    y = _as_labels("y", y)
    same_length("X", X, "y", y)
    has_test = X_test is not None
    if has_test:
        X_test = np.asarray(X_test, dtype=float)
        y_test = _as_labels("y_test", y_test)
        same_length("X_test", X_test, "y_test", y_test)
        if X_test.shape[1:] != X.shape[1:]:
            raise ValueError(f"X_test has examples of shape {X_test.shape[1:]} but X has {X.shape[1:]}")
    choice("optimizer", optimizer, CLASSIFIER_OPTIMIZERS)
    choice("loss", loss, CLASSIFIER_LOSSES)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    epochs = number("epochs", epochs, low=1, high=100_000, integer=True)
    weight_decay = number("weight_decay", weight_decay, low=0)
    momentum = number("momentum", momentum, low=0, high=0.999)
    if momentum and optimizer not in ("sgd", "rmsprop"):
        raise ValueError(f"momentum applies to 'sgd' and 'rmsprop', not {optimizer!r}; set momentum=0")
    n = len(X)
    batch_size = number("batch_size", batch_size, low=1, integer=True)
    if batch_size > n:
        raise ValueError(f"batch_size ({batch_size}) is larger than the data (N = {n}); use at most {n}")
    dtype = _dtype_of(model)
    Xt, yt = torch.as_tensor(X, dtype=dtype), torch.as_tensor(y)
    if has_test:
        Xv, yv = torch.as_tensor(X_test, dtype=dtype), torch.as_tensor(y_test)
    extra = {"momentum": momentum} if optimizer in ("sgd", "rmsprop") else {}
    opt = CLASSIFIER_OPTIMIZERS[optimizer](model.parameters(), lr=lr, weight_decay=weight_decay, **extra)
    gen = torch.Generator().manual_seed(number("seed", seed, low=0, integer=True))

    def evaluate(inputs, labels):
        model.eval()
        with torch.no_grad():
            scores = model(inputs)
            result = (classification_loss(scores, labels, loss).item(),
                      (scores.argmax(dim=1) == labels).double().mean().item())
        model.train()
        return result

    history = {k: [] for k in ("train_loss", "train_acc", "test_loss", "test_acc", "seconds")}
    diverged_at = None
    model.train()
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(n, generator=gen)
        X_epoch, y_epoch = Xt[order], yt[order]       # shuffled once per epoch; the batches are then views
        for i in range(0, n, batch_size):
            batch_loss = classification_loss(model(X_epoch[i:i + batch_size]), y_epoch[i:i + batch_size], loss)
            opt.zero_grad()
            batch_loss.backward()
            opt.step()
        history["seconds"].append(time.perf_counter() - start)
        L, acc = evaluate(Xt, yt)
        history["train_loss"].append(L)
        history["train_acc"].append(acc)
        if has_test:
            L_test, acc_test = evaluate(Xv, yv)
            history["test_loss"].append(L_test)
            history["test_acc"].append(acc_test)
        if not np.isfinite(L) or L > DIVERGED_LOSS:
            diverged_at = epoch
            break
    out = {k: np.array(v) for k, v in history.items() if v or k in ("train_loss", "train_acc")}
    out["diverged_at"] = diverged_at
    return out


def predict_classes(model, X, batch_size: int = 10_000) -> np.ndarray:
    """The class with the highest score for each row of X, as integers."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    X = np.asarray(X, dtype=float)
    if X.ndim < 2 or len(X) == 0:
        raise ValueError(f"X must hold one example per row, got shape {X.shape}")
    model.eval()
    with torch.no_grad():
        Xt = torch.as_tensor(X, dtype=_dtype_of(model))
        return torch.cat([model(Xt[i:i + batch_size]).argmax(dim=1) for i in range(0, len(X), batch_size)]).numpy()


# --- notebook 06: a neural network from scratch (add this notebook's helpers below this line) ---


# --- notebook 07: training guide and critical points (add this notebook's helpers below this line) ---


# --- notebook 08: optimisers (add this notebook's helpers below this line) ---
