"""Training loops. Each returns a history of numbers; plotting lives in utils.plots."""
from __future__ import annotations

import time

import numpy as np
import torch

from .checks import CourseError, as_1d, as_2d, as_array, choice, number, same_length

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
        raise CourseError("history must be the dict that gradient_descent() or minibatch_descent() returns")
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
        raise CourseError(f"batch_size ({batch_size}) is larger than the data (N = {n}); use at most {n}")
    if not isinstance(shuffle, (bool, np.bool_)):
        raise CourseError(f"shuffle must be True or False, got {shuffle!r}")
    if shuffle and not isinstance(rng, np.random.Generator):
        raise CourseError("shuffle=True needs rng=np.random.default_rng(seed) so the order is reproducible")
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
        raise CourseError(f"shuffle must be True or False, got {shuffle!r}")
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
        raise CourseError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    X, y = as_2d("X", X), as_1d("y", y)
    same_length("X", X, "y", y)
    has_val = X_val is not None
    if has_val:
        X_val, y_val = as_2d("X_val", X_val), as_1d("y_val", y_val)
        same_length("X_val", X_val, "y_val", y_val)
        if X_val.shape[1] != X.shape[1]:
            raise CourseError(f"X_val has {X_val.shape[1]} features but X has {X.shape[1]}")
    choice("optimizer", optimizer, OPTIMIZERS)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    epochs = number("epochs", epochs, low=1, high=1_000_000, integer=True)
    n = len(X)
    batch_size = n if batch_size is None else number("batch_size", batch_size, low=1, integer=True)
    if batch_size > n:
        raise CourseError(f"batch_size ({batch_size}) is larger than the data (N = {n}); use at most {n}")
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
        raise CourseError(f"model must be a torch.nn.Module, got {type(model).__name__}")
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
        raise CourseError("x has no spread (all values are equal), so it cannot be standardised")
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
        raise CourseError("seeds must list at least one seed, e.g. range(5)")
    if not isinstance(standardise, (bool, np.bool_)):
        raise CourseError(f"standardise must be True or False, got {standardise!r}")
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
    return _classification_loss(scores, labels, loss)


def _classification_loss(scores, labels, loss):
    """classification_loss without the checks: for the training loops, whose inputs are checked once, not per batch."""
    if loss == "cross_entropy":
        return torch.nn.functional.cross_entropy(scores, labels)
    one_hot = torch.nn.functional.one_hot(labels, scores.shape[1]).to(scores.dtype)
    probs = torch.softmax(scores, dim=1) if loss == "mse_softmax" else torch.sigmoid(scores)
    return ((probs - one_hot) ** 2).sum(dim=1).mean()   # Σ over classes, mean over examples


def _as_labels(name, labels, n_classes=None):
    arr = np.asarray(labels)
    if arr.ndim != 1 or arr.size == 0:
        raise CourseError(f"{name} must be a 1-D array of class numbers, got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.integer):
        if not np.issubdtype(arr.dtype, np.floating) or not np.all(arr == np.round(arr)):
            raise CourseError(f"{name} must hold whole class numbers 0, 1, 2, …, got {arr.dtype}")
    if arr.min() < 0 or (n_classes is not None and arr.max() >= n_classes):
        raise CourseError(f"{name} must be class numbers between 0 and {n_classes - 1 if n_classes else 'C − 1'}, "
                          f"got {arr.min()}…{arr.max()}")
    return arr.astype(np.int64)


def train_classifier(model, X, y, X_test=None, y_test=None, optimizer="sgd", lr=0.1, epochs=10,
                     batch_size=10, seed=0, loss="cross_entropy", weight_decay=0.0, momentum=0.0) -> dict:
    """Mini-batch training of a classifier on in-memory tensors; return loss and accuracy per epoch (and test ones)."""
    if not isinstance(model, torch.nn.Module):
        raise CourseError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if np.ndim(X) <= 2:
        X = as_2d("X", X, keep_float=True)                 # (N, features), finite
    else:                                                  # images (N, channels, height, width) for a CNN
        X = X if isinstance(X, np.ndarray) and X.dtype.kind == "f" else np.asarray(X, dtype=float)
        if not np.all(np.isfinite(X)):
            raise CourseError("X contains NaN or inf; remove or fix those entries")
    y = _as_labels("y", y)
    same_length("X", X, "y", y)
    has_test = X_test is not None
    if has_test:
        X_test = X_test if isinstance(X_test, np.ndarray) and X_test.dtype.kind == "f" else np.asarray(X_test, dtype=float)
        y_test = _as_labels("y_test", y_test)
        same_length("X_test", X_test, "y_test", y_test)
        if X_test.shape[1:] != X.shape[1:]:
            raise CourseError(f"X_test has examples of shape {X_test.shape[1:]} but X has {X.shape[1:]}")
    choice("optimizer", optimizer, CLASSIFIER_OPTIMIZERS)
    choice("loss", loss, CLASSIFIER_LOSSES)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    epochs = number("epochs", epochs, low=1, high=100_000, integer=True)
    weight_decay = number("weight_decay", weight_decay, low=0)
    momentum = number("momentum", momentum, low=0, high=0.999)
    if momentum and optimizer not in ("sgd", "rmsprop"):
        raise CourseError(f"momentum applies to 'sgd' and 'rmsprop', not {optimizer!r}; set momentum=0")
    n = len(X)
    batch_size = number("batch_size", batch_size, low=1, integer=True)
    if batch_size > n:
        raise CourseError(f"batch_size ({batch_size}) is larger than the data (N = {n}); use at most {n}")
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
            result = (_classification_loss(scores, labels, loss).item(),
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
            batch_loss = _classification_loss(model(X_epoch[i:i + batch_size]), y_epoch[i:i + batch_size], loss)
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
    from .models import _example_shape

    if not isinstance(model, torch.nn.Module):
        raise CourseError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    X = as_array("X", X, "an array of numbers, one example per row")
    if X.ndim < 2 or len(X) == 0:
        raise CourseError(f"X must hold one example per row, got shape {X.shape}")
    shape = _example_shape(model)
    if shape is not None and X.shape[1:] != shape:
        raise CourseError(f"X must have examples of shape {shape} for this {type(model).__name__}, got {X.shape[1:]}")
    if not np.all(np.isfinite(X)):
        raise CourseError("X contains NaN or inf; remove or fix those entries")
    batch_size = number("batch_size", batch_size, low=1, integer=True)
    model.eval()
    with torch.no_grad():
        Xt = torch.as_tensor(X, dtype=_dtype_of(model))
        return torch.cat([model(Xt[i:i + batch_size]).argmax(dim=1) for i in range(0, len(X), batch_size)]).numpy()


# --- notebook 05: classification (add this notebook's helpers below this line) ---

def logistic_gradient(X, labels, w, b=0.0, loss: str = "cross_entropy") -> np.ndarray:
    """∂L/∂w of the logistic model's mean loss: 1/N Σ (y' − ŷ)·x for cross-entropy, 1/N Σ 2(y' − ŷ)·y'(1 − y')·x for MSE."""
    from .models import LOGISTIC_LOSSES, _logistic_inputs, _logistic_probability

    X, labels, w, b = _logistic_inputs(X, labels, w, b)
    choice("loss", loss, LOGISTIC_LOSSES)
    return _logistic_gradient(X, labels, w, b, loss)


def _logistic_gradient(X, labels, w, b, loss):
    from .models import _logistic_probability

    p = _logistic_probability(X @ w + b)                                   # (N,) y' = σ(z)
    dL_dz = p - labels if loss == "cross_entropy" else 2 * (p - labels) * p * (1 - p)   # (N,) σ′(z) = y'(1 − y')
    return X.T @ dL_dz / len(X)                                            # (k,)


def logistic_descent(X, labels, w_start, lr=1.0, steps=100, loss: str = "cross_entropy", b=0.0) -> dict:
    """Full-batch gradient descent on the weights w of y' = σ(X·w + b), b fixed: w, loss, accuracy and |gradient| after every update."""
    from .models import LOGISTIC_LOSSES, _logistic_inputs, _logistic_mean_loss

    X, labels, w, b = _logistic_inputs(X, labels, w_start, b, w_name="w_start (the starting weights)")
    choice("loss", loss, LOGISTIC_LOSSES)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    steps = number("steps", steps, low=0, high=100_000, integer=True)
    ws, grads = [w], []
    for t in range(steps + 1):
        g = _logistic_gradient(X, labels, ws[-1], b, loss)
        grads.append(np.sqrt(g @ g))
        if t < steps:
            ws.append(ws[-1] - lr * g)                                     # w ← w − η·∂L/∂w
    ws = np.array(ws)                                                      # (steps + 1, k)
    z = ws @ X.T + b                                                       # (steps + 1, N)
    return {"w": ws, "loss": _logistic_mean_loss(z, labels, loss), "accuracy": np.mean((z > 0) == (labels == 1), axis=1),
            "grad_norm": np.array(grads), "lr": lr, "steps": steps, "loss_name": loss}


# --- notebook 06: a neural network from scratch (add this notebook's helpers below this line) ---

def _check_digits(X, y, name_X="X", name_y="y", n_inputs=None):
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise CourseError(f"{name_X} must be an array of numbers (N, features), got {type(X).__name__}") from None
    if X.ndim != 2 or len(X) == 0:
        raise CourseError(f"{name_X} must have shape (N, features), one example per row, got {X.shape}")
    if n_inputs is not None and X.shape[1] != n_inputs:
        raise CourseError(f"{name_X} has {X.shape[1]} features per row but the network takes {n_inputs}")
    if not np.all(np.isfinite(X)):
        raise CourseError(f"{name_X} contains NaN or inf; remove or fix those entries")
    y = _as_labels(name_y, y)
    same_length(name_X, X, name_y, y)
    return X, y


def _check_batch_size(batch_size, n):
    batch_size = number("batch_size", batch_size, low=1, integer=True)
    if batch_size > n:
        raise CourseError(f"batch_size ({batch_size}) is larger than the data (N = {n}); use at most {n}")
    return batch_size


def _numpy_evaluate(net, X, y, cost):
    """(mean cost, accuracy) of a NumpyNet on X, y from a single forward pass."""
    zs, activations = net.forward(X)
    zL, aL = zs[-1], activations[-1]                                 # (N, 10), (N, 10)
    Y = np.eye(net.sizes[-1])[y]
    if cost == "quadratic":
        loss = 0.5 * np.sum((aL - Y) ** 2) / len(X)
    else:   # −[y ln σ(z) + (1 − y) ln(1 − σ(z))], written with log(1 + e^(∓z)) so that it stays finite
        loss = np.sum(Y * np.logaddexp(0, -zL) + (1 - Y) * np.logaddexp(0, zL)) / len(X)
    return float(loss), float(np.mean(aL.argmax(axis=1) == y))


def _check_sgd_run(net, X, y, X_test, y_test, lr, epochs, batch_size, seed):
    """The arguments sgd_numpy and sgd_per_sample share, checked; the batch order's generator from the seed."""
    X, y = _check_digits(X, y, n_inputs=net.sizes[0])
    if X_test is not None:
        X_test, y_test = _check_digits(X_test, y_test, "X_test", "y_test", n_inputs=net.sizes[0])
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    epochs = number("epochs", epochs, low=1, high=10_000, integer=True)
    batch_size = _check_batch_size(batch_size, len(X))
    rng = np.random.default_rng(number("seed", seed, low=0, integer=True))
    return X, y, X_test, y_test, lr, epochs, batch_size, rng


def sgd_numpy(net, X, y, X_test=None, y_test=None, lr=3.0, epochs=10, batch_size=10, seed=0,
              cost="quadratic") -> dict:
    """Mini-batch SGD on a models.NumpyNet, vectorised over each batch (trains `net` in place); loss and accuracy per epoch."""
    from .models import NUMPY_COSTS, NumpyNet, one_hot

    if not isinstance(net, NumpyNet):
        raise CourseError(f"net must be a models.NumpyNet, got {type(net).__name__}")
    X, y, X_test, y_test, lr, epochs, batch_size, rng = _check_sgd_run(net, X, y, X_test, y_test, lr, epochs,
                                                                       batch_size, seed)
    has_test = X_test is not None
    choice("cost", cost, NUMPY_COSTS)
    Y = one_hot(y, net.sizes[-1])                                    # (N, 10)
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
            loss, acc = _numpy_evaluate(net, inputs, labels, cost)
            history[f"{part}_loss"].append(loss)
            history[f"{part}_acc"].append(acc)
        if not np.isfinite(history["train_loss"][-1]) or history["train_loss"][-1] > DIVERGED_LOSS:
            diverged_at = epoch
            break
    out = {k: np.array(v) for k, v in history.items() if v or k in ("train_loss", "train_acc")}
    out.update(diverged_at=diverged_at, net=net, cost=cost, lr=lr, batch_size=batch_size)
    return out


def sgd_per_sample(X, y, sizes=(784, 30, 10), lr=3.0, epochs=1, batch_size=10, seed=0, net=None,
                   X_test=None, y_test=None) -> dict:
    """Nielsen's network.py: mini-batch SGD with the quadratic cost, backpropagating one example at a time (slow on purpose)."""
    from .models import NumpyNet, one_hot

    # Faithful to network.py (Nielsen, "Neural Networks and Deep Learning", chapter 1): column vectors (n, 1),
    # a Python loop over the examples of each mini-batch, the gradients summed, then w → w − (η/m)·Σ ∂C_x/∂w.
    # Only the batch order differs: it comes from train.minibatches(seed) so that sgd_numpy(seed) sees the
    # same batches and the two can be compared number for number.
    if net is None:
        net = NumpyNet(sizes, seed=number("seed", seed, low=0, integer=True), init="normal")  # network.py: N(0, 1)
    elif not isinstance(net, NumpyNet):
        raise CourseError(f"net must be a models.NumpyNet or None, got {type(net).__name__}")
    X, y, X_test, y_test, lr, epochs, batch_size, rng = _check_sgd_run(net, X, y, X_test, y_test, lr, epochs,
                                                                       batch_size, seed)
    has_test = X_test is not None
    training_data = list(zip(X[:, :, None], one_hot(y, net.sizes[-1])[:, :, None]))   # [(x (784, 1), y (10, 1)), …]
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


# --- notebook 07: training guide and critical points (add this notebook's helpers below this line) ---

DIAGNOSES = {   # the training guide's branches → what the lecture advises to try next
    "optimisation": "a better optimiser, learning rate or initialisation (Adam, standardised inputs: notebook 04)",
    "model bias": "a more flexible model: more features, more units or layers",
    "overfitting": "more training data, fewer features or parameters, early stopping, regularisation",
    "mismatch": "training data that look like the data the model will meet",
    "overfitting or mismatch": "measure the loss on held-out data like the training data to tell the two apart",
    "fine": "test it, once",
}


def diagnose(train_loss, val_loss, target_loss, baseline_train_loss=None, heldout_loss=None,
             slack: float = 1.5) -> dict:
    """Walk the training guide's decision tree for one model: {"branch", "why", "advice"}."""
    # A loss is "high" when it is above slack × target_loss, the loss the data allow (the noise level,
    # human-level error, or what a good model is known to reach).
    train_loss = number("train_loss", train_loss, low=0)
    val_loss = number("val_loss", val_loss, low=0)
    target_loss = number("target_loss", target_loss, low=0, low_open=True)
    slack = number("slack", slack, low=1)
    high = slack * target_loss
    if baseline_train_loss is not None:
        baseline_train_loss = number("baseline_train_loss", baseline_train_loss, low=0)
        if train_loss > baseline_train_loss:   # 1. worse than a smaller model it contains
            return _verdict("optimisation", f"training loss {train_loss:.4g} is above the {baseline_train_loss:.4g} "
                            "of a smaller model it contains: it could copy that model, so the optimiser did not find it")
    if train_loss > high:                      # 2. high, and no smaller model does better
        smaller = ", though no worse than the smaller model's" if baseline_train_loss is not None else ""
        return _verdict("model bias", f"training loss {train_loss:.4g} is above {high:.4g} (= {slack:g} × "
                        f"{target_loss:.4g} the data allow){smaller}: no function in this set fits well")
    if val_loss <= high:                       # 3. low on both
        return _verdict("fine", f"training {train_loss:.4g} and validation {val_loss:.4g} are both at most {high:.4g}")
    why = f"training loss {train_loss:.4g} is low but validation loss {val_loss:.4g} is above {high:.4g}"
    if heldout_loss is None:                   # 4. low training, high validation loss
        return _verdict("overfitting or mismatch", why)
    heldout_loss = number("heldout_loss", heldout_loss, low=0)
    if heldout_loss > high:
        return _verdict("overfitting", why + f"; new data like the training data score {heldout_loss:.4g}: also high")
    return _verdict("mismatch", why + f"; new data like the training data score only {heldout_loss:.4g}: "
                    "the validation data differ")


def _verdict(branch: str, why: str) -> dict:
    return {"branch": branch, "why": why, "advice": DIAGNOSES[branch]}


def descend_until_stall(thetas, x, y, lr: float = 0.15, max_steps: int = 80_000, grad_tol: float = 1e-3,
                        record_every: int = 100) -> dict:
    """Plain gradient descent on tiny_net from each row of thetas, each run stopped once ‖∇L‖ < grad_tol (a stall)."""
    from .models import _tiny_theta, tiny_net_gradient

    theta = np.atleast_2d(_tiny_theta(thetas, "thetas").numpy()).copy()     # (K, P): one run per row
    if theta.ndim != 2:
        raise CourseError(f"thetas must be one parameter vector or a stack of them (K, P), got shape {theta.shape}")
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    max_steps = number("max_steps", max_steps, low=0, high=10_000_000, integer=True)
    grad_tol = number("grad_tol", grad_tol, low=0)
    record_every = number("record_every", record_every, low=1, integer=True)
    K = len(theta)
    stalled_at, diverged_at = np.full(K, -1), np.full(K, -1)
    curve = np.full((K, max_steps // record_every + 1), np.nan)  # loss every record_every steps, NaN once stopped
    loss, grad = tiny_net_gradient(theta, x, y)
    running = np.arange(K)                                        # the rows still descending
    for step in range(max_steps + 1):
        norm = np.sqrt(np.einsum("kp,kp->k", grad, grad))
        if step % record_every == 0:
            curve[running, step // record_every] = loss
        bad = ~np.isfinite(loss) | (loss > DIVERGED_LOSS)
        stop = (norm < grad_tol) | bad
        if stop.any():
            stalled_at[running[stop & ~bad]] = step
            diverged_at[running[bad]] = step
            running, grad = running[~stop], grad[~stop]
        if step == max_steps or not len(running):
            break
        theta[running] -= lr * grad                               # θ ← θ − η ∇L(θ)
        loss, grad = tiny_net_gradient(theta[running], x, y)
    final_loss, final_grad = tiny_net_gradient(np.where(np.isfinite(theta), theta, 0.0), x, y)
    return {"theta": theta, "loss": final_loss, "grad_norm": np.linalg.norm(final_grad, axis=1),
            "stalled_at": stalled_at, "diverged_at": diverged_at, "curve": curve, "record_every": record_every,
            "lr": lr, "grad_tol": grad_tol, "max_steps": max_steps}


def tiny_net_hessian(theta, x, y) -> np.ndarray:
    """The (P, P) second derivatives ∂²L/∂θ_i∂θ_j of tiny_net's MSE at θ, by torch.autograd.functional.hessian."""
    from .models import _tiny_theta, tiny_net_loss

    t = _tiny_theta(theta).detach()
    if t.ndim != 1:
        raise CourseError(f"theta must be one parameter vector (P,), got shape {tuple(t.shape)}")
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    return torch.autograd.functional.hessian(lambda p: tiny_net_loss(p, x, y), t).numpy()


def classify_hessian(hessian, tol: float = 1e-8) -> dict:
    """Eigenvalues (ascending), eigenvectors (columns), minimum ratio and verdict of a Hessian at a critical point."""
    H = as_2d("hessian", hessian)
    if H.shape[0] != H.shape[1]:
        raise CourseError(f"hessian must be a square matrix, got shape {H.shape}")
    if not np.allclose(H, H.T, rtol=1e-8, atol=1e-12 * max(np.abs(H).max(), 1e-300)):
        raise CourseError("hessian must be symmetric (∂²L/∂θ_i∂θ_j = ∂²L/∂θ_j∂θ_i); is it really a Hessian?")
    tol = number("tol", tol, low=0, high=1)
    eigenvalues, eigenvectors = np.linalg.eigh((H + H.T) / 2)
    # An eigenvector's sign is arbitrary (LAPACK builds differ): make its first clearly non-zero entry positive.
    for j in range(eigenvectors.shape[1]):
        v = eigenvectors[:, j]
        if v[np.argmax(np.abs(v) > 1e-8)] < 0:
            eigenvectors[:, j] = -v
    zero = tol * max(np.abs(eigenvalues).max(), 1e-300)          # |λ| ≤ zero counts as 0
    n_pos, n_neg = int(np.sum(eigenvalues > zero)), int(np.sum(eigenvalues < -zero))
    if n_neg and n_pos:
        kind = "saddle point"
    elif n_pos == len(eigenvalues):
        kind = "local minimum"
    elif n_neg == len(eigenvalues):
        kind = "local maximum"
    else:   # zero eigenvalues and no curvature of the other sign: second derivatives cannot decide
        kind = "undecided"
    return {"eigenvalues": eigenvalues, "eigenvectors": eigenvectors, "minimum_ratio": n_pos / len(eigenvalues),
            "n_positive": n_pos, "n_negative": n_neg, "kind": kind}



# --- notebook 08: optimisers (add this notebook's helpers below this line) ---

OPTIMIZERS_2D = ("gd", "momentum", "adagrad", "rmsprop", "adam")
SCHEDULES = ("constant", "warm-up", "decay", "warm-up + decay")


def lr_schedule(schedule: str = "constant", steps: int = 300, warmup=None) -> np.ndarray:
    """The learning-rate multipliers s(t), t = 0 … steps − 1 (η_t = η·s(t)): constant, linear warm-up, cosine decay, or both."""
    choice("schedule", schedule, SCHEDULES)
    steps = number("steps", steps, low=1, high=1_000_000, integer=True)
    warmup = max(1, steps // 10) if warmup is None else number("warmup (steps)", warmup, low=1, integer=True)
    if warmup > steps:
        raise CourseError(f"warmup ({warmup} steps) must not be longer than the run (steps = {steps})")
    t = np.arange(steps, dtype=float)
    up = np.minimum(1.0, (t + 1) / warmup) if "warm-up" in schedule else np.ones(steps)
    if "decay" not in schedule:
        return up
    start = warmup if "warm-up" in schedule else 0          # decay after the warm-up, down to ≈ 0 at the end
    down = np.where(t < start, 1.0, 0.5 * (1 + np.cos(np.pi * (t - start) / max(steps - start, 1))))
    return up * down


def optimize_2d(grad_fn, start, optimizer: str = "gd", lr: float = 0.05, steps: int = 300, beta: float = 0.9,
                alpha: float = 0.99, beta2: float = 0.999, schedule: str = "constant", warmup=None) -> dict:
    """Run gd, momentum, adagrad, rmsprop or adam (torch.optim's update rules, float64) from `start`; return the path."""
    if not callable(grad_fn):
        raise CourseError("grad_fn must be a function that returns the gradient at a point, e.g. models.canyon_grad")
    theta = as_1d("start", start).copy()
    choice("optimizer", optimizer, OPTIMIZERS_2D)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    steps = number("steps", steps, low=1, high=100_000, integer=True)
    beta = number("beta (momentum β)", beta, low=0, high=0.999)
    alpha = number("alpha (RMSProp's averaging α)", alpha, low=0, high=0.9999)
    beta2 = number("beta2 (Adam's averaging β2)", beta2, low=0, high=0.9999)
    etas = lr * lr_schedule(schedule, steps, warmup)        # (steps,) the learning rate of each step
    eps = 1e-10 if optimizer == "adagrad" else 1e-8         # torch.optim's defaults
    m = np.zeros_like(theta)    # momentum buffer (momentum) or running mean of g (Adam)
    v = np.zeros_like(theta)    # sum of g² (Adagrad) or running mean of g² (RMSProp, Adam)
    path, diverged_at = [theta.copy()], None
    for t in range(1, steps + 1):
        g = np.asarray(grad_fn(theta), dtype=float)
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
        theta = theta - etas[t - 1] * step
        if not np.all(np.isfinite(theta)) or np.max(np.abs(theta)) > 1e6:
            diverged_at = t                                  # flew off: stop here and say so
            break
        path.append(theta.copy())
    return {"path": np.array(path), "lr": etas[:len(path) - 1], "diverged_at": diverged_at,
            "optimizer": optimizer, "lr0": lr, "beta": beta, "schedule": schedule}


NETWORK_OPTIMIZERS = {"gd": torch.optim.SGD, "momentum": torch.optim.SGD, "adagrad": torch.optim.Adagrad,
                      "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam}


def train_relu_nets_jointly(X, y, seeds=range(5), hidden=100, optimizer="adam", lr=1e-2, epochs=2000,
                            standardise=True, momentum=0.9) -> dict:
    """Full-batch training of one ReluNet(hidden) per seed, side by side in one optimiser: seed → (model, history)."""
    from .models import ReluNet

    X, y = as_2d("X", X), as_1d("y", y)
    same_length("X", X, "y", y)
    seeds = [number(f"seeds[{i}]", s, low=0, integer=True) for i, s in enumerate(seeds)]
    if not seeds or len(set(seeds)) != len(seeds):
        raise CourseError("seeds must list at least one seed, each once, e.g. range(5)")
    hidden = number("hidden", hidden, low=1, integer=True)
    choice("optimizer", optimizer, NETWORK_OPTIMIZERS)
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    epochs = number("epochs", epochs, low=1, high=1_000_000, integer=True)
    momentum = number("momentum (β)", momentum, low=0, high=0.999)
    if not isinstance(standardise, (bool, np.bool_)):
        raise CourseError(f"standardise must be True or False, got {standardise!r}")
    scale = dict(x_mean=X.mean(axis=0), x_std=X.std(axis=0)) if standardise else {}
    nets = {}
    for seed in seeds:
        torch.manual_seed(seed)                         # the same initialisation as train_relu_nets(seeds=…)
        nets[seed] = ReluNet(X.shape[1], hidden, **scale)
    Xt, yt = torch.as_tensor(X, dtype=torch.float64), torch.as_tensor(y, dtype=torch.float64)
    extra = {"momentum": momentum} if optimizer == "momentum" else {}
    opt = NETWORK_OPTIMIZERS[optimizer]([p for net in nets.values() for p in net.parameters()], lr=lr,
                                        foreach=False, **extra)
    before = np.empty((epochs, len(seeds)))             # each network's loss before each update
    for epoch in range(epochs):
        losses = torch.stack([torch.mean((net(Xt) - yt) ** 2) for net in nets.values()])
        before[epoch] = losses.detach().numpy()
        opt.zero_grad()
        # The gradient of a sum with respect to one network's parameters is that network's own gradient,
        # and these optimisers update every number on its own: each network follows exactly the path it
        # would follow if trained alone (one optimiser call instead of one per seed is just faster).
        losses.sum().backward()
        opt.step()
    with torch.no_grad():
        final = np.array([torch.mean((net(Xt) - yt) ** 2).item() for net in nets.values()])
    after = np.vstack([before[1:], final])              # (epochs, seeds) the loss after each epoch
    runs = {}
    for k, (seed, net) in enumerate(nets.items()):
        curve = after[:, k]
        bad = np.flatnonzero(~np.isfinite(curve) | (curve > DIVERGED_LOSS))
        diverged_at = int(bad[0]) + 1 if bad.size else None
        runs[seed] = (net, {"train_loss": curve[:diverged_at], "diverged_at": diverged_at})
    return runs


# --- notebook 09: MNIST MLP studies (begin) ---

def confusion_matrix(labels, predicted, n_classes: int = 10) -> np.ndarray:
    """Counts (n_classes, n_classes): row = true class, column = predicted class."""
    n_classes = number("n_classes", n_classes, low=1, integer=True)
    labels = _as_labels("labels", labels, n_classes)
    predicted = _as_labels("predicted", predicted, n_classes)
    same_length("labels", labels, "predicted", predicted)
    # Each (true, predicted) pair gets one number, true·C + predicted; counting those numbers fills the table.
    return np.bincount(labels * n_classes + predicted, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


# --- notebook 09 (end): add this notebook's helpers above this line ---


# --- notebook 10: regularisation (begin) ---

def train_regularised(model, X, y, evals=None, lr=0.5, epochs=20, batch_size=10, seed=0, l2=0.0, l1=0.0,
                      augmented=None) -> dict:
    """Mini-batch SGD on cross-entropy plus the notes' L2 term λ/(2n)·Σw² and/or L1 term λ/n·Σ|w| (weights, not biases), epoch e on augmented[e % copies] if given; loss and accuracy per epoch on the training set and each eval set."""
    if not isinstance(model, torch.nn.Module):
        raise CourseError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    X = as_2d("X", X, keep_float=True)                     # (n, 784)
    y = _as_labels("y", y)
    same_length("X", X, "y", y)
    evals = {} if evals is None else evals
    if not isinstance(evals, dict):
        raise CourseError("evals must be a dict: name → (X, y), e.g. {'test': (X_test, y_test)}")
    lr = number("lr (learning rate η)", lr, low=0, low_open=True)
    epochs = number("epochs", epochs, low=1, high=10_000, integer=True)
    l2 = number("l2 (λ of the L2 term)", l2, low=0)
    l1 = number("l1 (λ of the L1 term)", l1, low=0)
    n = len(X)
    batch_size = number("batch_size", batch_size, low=1, integer=True)
    if batch_size > n:
        raise CourseError(f"batch_size ({batch_size}) is larger than the data (N = {n}); use at most {n}")
    dtype = _dtype_of(model)
    sets = {"train": (torch.as_tensor(X, dtype=dtype), torch.as_tensor(y))}
    for name, pair in evals.items():
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise CourseError(f"evals[{name!r}] must be a pair (X, y)")
        Xe, ye = as_2d(f"evals[{name!r}] X", pair[0], keep_float=True), _as_labels(f"evals[{name!r}] y", pair[1])
        same_length(f"evals[{name!r}] X", Xe, f"evals[{name!r}] y", ye)
        sets[name] = (torch.as_tensor(Xe, dtype=dtype), torch.as_tensor(ye))
    if augmented is not None:
        augmented = np.asarray(augmented)
        if augmented.ndim != 3 or augmented.shape[1:] != X.shape or not np.all(np.isfinite(augmented)):
            raise CourseError(f"augmented must be finite copies of X, shape (copies, {n}, {X.shape[1]}), "
                              f"got {augmented.shape}")
        augmented = torch.as_tensor(augmented, dtype=dtype)
    # The notes' ∂C/∂w = ∂C₀/∂w + (λ/n)·w is SGD's weight_decay = λ/n; biases (1-D tensors) get none.
    weights = [p for p in model.parameters() if p.ndim > 1]
    biases = [p for p in model.parameters() if p.ndim <= 1]
    opt = torch.optim.SGD([{"params": weights, "weight_decay": l2 / n}, {"params": biases, "weight_decay": 0.0}],
                          lr=lr)
    gen = torch.Generator().manual_seed(number("seed", seed, low=0, integer=True))
    history = {f"{name}_{k}": [] for name in sets for k in ("loss", "acc")}
    model.train()
    for epoch in range(epochs):
        inputs = sets["train"][0] if augmented is None else augmented[epoch % len(augmented)]
        order = torch.randperm(n, generator=gen)            # the same shuffling as train_classifier
        X_epoch, y_epoch = inputs[order], sets["train"][1][order]
        for i in range(0, n, batch_size):
            loss = torch.nn.functional.cross_entropy(model(X_epoch[i:i + batch_size]), y_epoch[i:i + batch_size])
            if l1:
                loss = loss + l1 / n * sum(w.abs().sum() for w in weights)     # C = C₀ + λ/n·Σ|w|
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()                                        # dropout off: every neuron is used to evaluate
        with torch.no_grad():
            for name, (Xe, ye) in sets.items():             # "train" is scored on the digits as they are
                scores = model(Xe)
                history[f"{name}_loss"].append(torch.nn.functional.cross_entropy(scores, ye).item())
                history[f"{name}_acc"].append((scores.argmax(dim=1) == ye).double().mean().item())
        model.train()
    return {k: np.array(v) for k, v in history.items()}

# --- notebook 10 (end): add this notebook's helpers above this line ---


# --- notebook 11: initialisation and vanishing gradients (begin) ---

def layer_statistics(model, X, y, loss: str = "cross_entropy") -> dict:
    """One forward and backward pass of a models.MLP on a batch: each layer's z, a, δ = ∂C/∂z and ‖∂C/∂b‖, ‖∂C/∂W‖."""
    from .models import MLP

    if not isinstance(model, MLP):
        raise CourseError(f"model must be a models.MLP, got {type(model).__name__}")
    X, y = _check_digits(X, y, n_inputs=model.sizes[0])
    y = _as_labels("y", y, model.sizes[-1])
    choice("loss", loss, CLASSIFIER_LOSSES)
    model.zero_grad(set_to_none=True)
    out = torch.as_tensor(X, dtype=_dtype_of(model))                 # (N, sizes[0])
    zs, activations = [], []
    for layer in model.layers:
        out = layer(out)
        if isinstance(layer, torch.nn.Linear):
            out.retain_grad()                                         # keep ∂C/∂z of this layer after backward
            zs.append(out)
        else:
            activations.append(out)
    _classification_loss(out, torch.as_tensor(y), loss).backward()
    linears = [m for m in model.layers if isinstance(m, torch.nn.Linear)]
    n = len(X)
    return {"z": [z.detach().numpy() for z in zs],                   # (N, n_l) per layer, the output's last
            "a": [a.detach().numpy() for a in activations],          # hidden layers only: the output has no σ
            "delta": [n * z.grad.numpy() for z in zs],               # ∂C_x/∂z of each example x (C = mean of C_x)
            "grad_b_norm": np.array([m.bias.grad.norm().item() for m in linears]),
            "grad_W_norm": np.array([m.weight.grad.norm().item() for m in linears])}


# --- notebook 11 (end): add this notebook's helpers above this line ---


# --- notebook 12: convolutional networks (begin) ---

# --- notebook 12 (end): add this notebook's helpers above this line ---
