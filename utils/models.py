"""The course's models: the line y = w1·x1 + b, its MSE loss, and the ReLU network built from pieces."""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from .checks import as_1d, as_2d, choice, number, same_length


def predict_linear(x, w1, b) -> np.ndarray:
    """Predict minutes with the line y = w1·x1 + b."""
    x = as_1d("x", x)
    return number("w1", w1) * x + number("b", b)


def mse(y_pred, y_true) -> float:
    """Mean squared error L = 1/N Σ (y − ŷ)²."""
    y_pred, y_true = as_1d("y_pred", y_pred), as_1d("y_true", y_true)
    same_length("y_pred", y_pred, "y_true", y_true)
    return float(np.mean((y_pred - y_true) ** 2))


def fit_linear(X, y) -> np.ndarray:
    """Least-squares weights [w1, …, wk, b] for y ≈ X·w + b, via numpy.linalg.lstsq."""
    X, y = as_2d("X", X, min_rows=2), as_1d("y", y, min_len=2)
    same_length("X", X, "y", y)
    A = np.column_stack([X, np.ones(len(X))])
    return np.linalg.lstsq(A, y, rcond=None)[0]


def loss_grid(x, y, w1_values, b_values) -> np.ndarray:
    """MSE of every line on a grid: entry [i, j] is L(w1_values[j], b_values[i])."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    w = as_1d("w1_values", w1_values)[None, :, None]  # (1, n_w, 1)
    b = as_1d("b_values", b_values)[:, None, None]    # (n_b, 1, 1)
    return np.mean((w * x + b - y) ** 2, axis=-1)     # (n_b, n_w)


def relu_pieces(x, c, w, b_i, b) -> np.ndarray:
    """y = b + Σ_i c_i·max(0, w_i·x + b_i): a piecewise-linear curve, one row per hidden piece."""
    x = as_1d("x", x)
    c, w, b_i = as_1d("c", c), as_1d("w", w), as_1d("b_i", b_i)
    same_length("c", c, "w", w)
    same_length("c", c, "b_i", b_i)
    pieces = c[:, None] * np.maximum(0.0, w[:, None] * x[None, :] + b_i[:, None])  # (H, N)
    return number("b", b) + pieces.sum(axis=0)


def reinit_default_(model: nn.Module, rng_state=None) -> nn.Module:
    """Give every Linear/Conv layer PyTorch's default initialisation in float64, bit-identical on every CPU."""
    # PyTorch's default for nn.Linear and nn.Conv2d: w, b ~ U(−1/√fan_in, 1/√fan_in). We draw the same
    # random numbers nn.Linear draws (rewinding the generator to `rng_state`, the state before the layers
    # were built) but scale them in float64: nn.Linear's own float32 scaling differs in the last bit between
    # AVX2 and AVX-512 CPUs, and 1,000s of training steps can grow that into a different printed result.
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    model.double()
    if rng_state is not None:
        torch.random.set_rng_state(rng_state)
    with torch.no_grad():
        for layer in model.modules():
            if isinstance(layer, (nn.Linear, nn.Conv1d, nn.Conv2d)):
                fan_in = layer.weight[0].numel()
                bound = 1.0 / math.sqrt(fan_in)
                for p in (layer.weight, layer.bias):
                    if p is not None:
                        p.copy_(torch.rand(p.shape).double() * (2 * bound) - bound)
    return model


class ReluNet(nn.Module):
    """y = b + Σ c_i·max(0, w_i·x + b_i) with H hidden units (and `depth` hidden layers), as a PyTorch model."""

    def __init__(self, n_features: int = 1, hidden: int = 100, depth: int = 1,
                 x_mean=None, x_std=None):
        super().__init__()
        n_features = number("n_features", n_features, low=1, integer=True)
        hidden = number("hidden", hidden, low=1, integer=True)
        depth = number("depth", depth, low=1, high=10, integer=True)
        rng_state = torch.random.get_rng_state()    # reinit_default_ redraws nn.Linear's random numbers
        layers, width = [], n_features
        for _ in range(depth):
            layers += [nn.Linear(width, hidden), nn.ReLU()]
            width = hidden
        layers.append(nn.Linear(width, 1))
        self.layers = nn.Sequential(*layers)
        reinit_default_(self.layers, rng_state)
        # Optional input standardisation, fixed from the training data (not trained).
        mean = torch.zeros(n_features) if x_mean is None else torch.as_tensor(x_mean)
        std = torch.ones(n_features) if x_std is None else torch.as_tensor(x_std)
        mean, std = mean.to(torch.float64), std.to(torch.float64)
        if mean.shape != (n_features,) or std.shape != (n_features,):
            raise ValueError(f"x_mean and x_std need one value per feature ({n_features})")
        if torch.any(std <= 0):
            raise ValueError("x_std must be positive for every feature")
        self.register_buffer("x_mean", mean)
        self.register_buffer("x_std", std)

    def forward(self, X):  # X: (N, n_features) → (N,)
        return self.layers((X - self.x_mean) / self.x_std).squeeze(-1)


def f_lazy(train_inputs, train_minutes):
    """Return the function that memorises each training deck's minutes and answers 0 for any other deck."""
    train_inputs, train_minutes = as_2d("train_inputs", train_inputs), as_1d("train_minutes", train_minutes)
    same_length("train_inputs", train_inputs, "train_minutes", train_minutes)
    memory = {tuple(k.tolist()): float(v) for k, v in zip(train_inputs, train_minutes)}

    def predict(inputs):
        return np.array([memory.get(tuple(np.atleast_1d(k).tolist()), 0.0) for k in inputs])
    return predict


def interpolating_pieces(x_knots, y_knots):
    """(c, w, b_i, b) for relu_pieces whose curve runs straight from knot to knot: H + 1 knots → H pieces."""
    x_knots, y_knots = as_1d("x_knots", x_knots, min_len=2), as_1d("y_knots", y_knots, min_len=2)
    same_length("x_knots", x_knots, "y_knots", y_knots)
    if np.any(np.diff(x_knots) <= 0):
        raise ValueError("x_knots must be strictly increasing (each knot to the right of the previous one)")
    slopes = np.diff(y_knots) / np.diff(x_knots)   # (H,) slope of each straight segment
    c = np.diff(slopes, prepend=0.0)               # piece i bends the curve by c_i at knot i
    return c, np.ones_like(c), -x_knots[:-1], float(y_knots[0])


def relu_net_pieces(model):
    """(c, w, b_i, b) of a one-feature, one-hidden-layer ReluNet, in raw-input units (its standardisation undone)."""
    if not isinstance(model, ReluNet) or len(model.layers) != 3 or model.layers[0].in_features != 1:
        raise ValueError("model must be a ReluNet(1, H) with one feature and one hidden layer (depth=1)")
    with torch.no_grad():
        mean, std = model.x_mean.item(), model.x_std.item()
        w = model.layers[0].weight[:, 0].numpy() / std            # (H,) max(0, w·(x − mean)/std + b_i) …
        b_i = model.layers[0].bias.numpy() - w * mean             # (H,) … = max(0, (w/std)·x + b_i − w·mean/std)
        c = model.layers[2].weight[0].numpy()                     # (H,)
        b = model.layers[2].bias.item()
    return c.astype(float), w.astype(float), b_i.astype(float), float(b)


# --- notebooks 05 onwards: classification ----------------------------------------------------------------

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "tanh": nn.Tanh}


class MLP(nn.Module):
    """A fully connected network, e.g. sizes [784, 30, 10]: the activation after every hidden layer, raw scores (logits) out."""

    def __init__(self, sizes=(784, 30, 10), activation: str = "sigmoid"):
        super().__init__()
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
            raise ValueError(f"sizes must list at least two layer sizes, e.g. [784, 30, 10], got {sizes!r}")
        sizes = [number(f"sizes[{i}]", n, low=1, integer=True) for i, n in enumerate(sizes)]
        act = ACTIVATIONS[choice("activation", activation, ACTIVATIONS)]
        rng_state = torch.random.get_rng_state()
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(nn.Linear(n_in, n_out))
            if i < len(sizes) - 2:
                layers.append(act())
        self.layers = nn.Sequential(*layers)
        self.sizes, self.activation = sizes, activation
        reinit_default_(self.layers, rng_state)

    def forward(self, X):  # X: (N, sizes[0]) → (N, sizes[-1]) scores
        return self.layers(X)


# --- notebook 06: a neural network from scratch (add this notebook's helpers below this line) ---


# --- notebook 07: training guide and critical points (add this notebook's helpers below this line) ---


# --- notebook 08: optimisers (add this notebook's helpers below this line) ---
