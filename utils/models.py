"""The course's models, in the order the notebooks meet them.

- the line y = w1·x1 + b and its MSE loss (01–03); the ReLU network built from pieces, `ReluNet` (04);
- the logistic model and `MLP`, a PyTorch network of any depth (05); `NumpyNet`, the same network written out in
  NumPy with backpropagation (06); the tiny tanh network as one parameter vector, for Hessians (07);
- the rugged canyon of the optimisers (08); dropout (10); the initialisation schemes (11); `SmallCNN` (12).

Every PyTorch model takes `seed=` and draws its start from a generator of its own, in float64: the same seed gives
the same numbers on every CPU, whatever ran before, and torch's global generator is never touched."""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from .checks import CourseError, as_1d, as_2d, as_array, choice, number, same_length, torch_module


def predict_linear(x, w1, b) -> np.ndarray:
    """Predict minutes with the line y = w1·x1 + b. Taught in notebook 02."""
    x = as_1d("x", x)
    return number("w1", w1) * x + number("b", b)


def mse(y_pred, y_true) -> float:
    """Mean squared error L = 1/N Σ (y − ŷ)². Taught in notebook 01."""
    y_pred, y_true = as_1d("y_pred", y_pred), as_1d("y_true", y_true)
    same_length("y_pred", y_pred, "y_true", y_true)
    return float(np.mean((y_pred - y_true) ** 2))


def fit_linear(X, y) -> np.ndarray:
    """Least-squares weights [w1, …, wk, b] for y ≈ X·w + b, via numpy.linalg.lstsq. Taught in notebook 01."""
    X, y = as_2d("X", X, min_rows=2), as_1d("y", y, min_len=2)
    same_length("X", X, "y", y)
    A = np.column_stack([X, np.ones(len(X))])
    return np.linalg.lstsq(A, y, rcond=None)[0]


def loss_grid(x, y, w1_values, b_values) -> np.ndarray:
    """MSE of every line on a grid: entry [i, j] is L(w1_values[j], b_values[i]). Taught in notebook 01."""
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    w = as_1d("w1_values", w1_values)[None, :, None]  # (1, n_w, 1)
    b = as_1d("b_values", b_values)[:, None, None]    # (n_b, 1, 1)
    return np.mean((w * x + b - y) ** 2, axis=-1)     # (n_b, n_w)


def relu_pieces(x, c, w, b_i, b) -> np.ndarray:
    """y = b + Σ_i c_i·max(0, w_i·x + b_i): a piecewise-linear curve, one row per hidden piece.
    Taught in notebook 04."""
    x = as_1d("x", x)
    c, w, b_i = as_1d("c", c), as_1d("w", w), as_1d("b_i", b_i)
    same_length("c", c, "w", w)
    same_length("c", c, "b_i", b_i)
    pieces = c[:, None] * np.maximum(0.0, w[:, None] * x[None, :] + b_i[:, None])  # (H, N)
    return number("b", b) + pieces.sum(axis=0)


def _default_init_(model: nn.Module, seed: int) -> nn.Module:
    """Give every Linear/Conv layer PyTorch's default initialisation in float64, from a generator seeded `seed`."""
    # PyTorch's default for nn.Linear and nn.Conv2d: w, b ~ U(−1/√fan_in, 1/√fan_in). We draw the same random
    # numbers nn.Linear draws after torch.manual_seed(seed), from a generator of our own (torch's global one is
    # left alone), but scale them in float64: nn.Linear's own float32 scaling differs in the last bit between
    # AVX2 and AVX-512 CPUs, and 1,000s of training steps can grow that into a different printed result.
    gen = torch.Generator().manual_seed(number("seed", seed, low=0, integer=True))
    model.double()
    with torch.no_grad():
        for layer in model.modules():
            if isinstance(layer, (nn.Linear, nn.Conv1d, nn.Conv2d)):
                fan_in = layer.weight[0].numel()
                bound = 1.0 / math.sqrt(fan_in)
                for p in (layer.weight, layer.bias):
                    if p is not None:
                        p.copy_(torch.rand(p.shape, generator=gen).double() * (2 * bound) - bound)
    return model


def _built_quietly(build):
    """Run build() (which makes nn.Linear layers, and so draws from torch's global generator) and put the global
    generator back as it was: a model's start depends on its seed only, never on what ran before."""
    with torch.random.fork_rng(devices=[]):
        return build()


class ReluNet(nn.Module):
    """y = b + Σ c_i·max(0, w_i·x + b_i) with H hidden units (and `depth` hidden layers), as a PyTorch model.

    seed: the initial weights (PyTorch's default ranges, drawn in float64). Taught in notebook 04."""

    def __init__(self, n_features: int = 1, hidden: int = 100, depth: int = 1,
                 x_mean=None, x_std=None, seed: int = 0):
        super().__init__()
        n_features = number("n_features", n_features, low=1, integer=True)
        hidden = number("hidden", hidden, low=1, integer=True)
        depth = number("depth", depth, low=1, high=10, integer=True)
        sizes = [n_features] + [hidden] * depth + [1]
        layers = _built_quietly(lambda: [nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])])
        self.layers = nn.Sequential(*[m for linear in layers[:-1] for m in (linear, nn.ReLU())], layers[-1])
        _default_init_(self.layers, seed)
        # Optional input standardisation, fixed from the training data (not trained).
        mean = torch.zeros(n_features) if x_mean is None else torch.as_tensor(as_1d("x_mean", x_mean))
        std = torch.ones(n_features) if x_std is None else torch.as_tensor(as_1d("x_std", x_std))
        mean, std = mean.to(torch.float64), std.to(torch.float64)
        if mean.shape != (n_features,) or std.shape != (n_features,):
            raise CourseError(f"x_mean and x_std need one value per feature ({n_features})")
        if torch.any(std <= 0):
            raise CourseError("x_std must be positive for every feature")
        self.register_buffer("x_mean", mean)
        self.register_buffer("x_std", std)

    def forward(self, X):  # X: (N, n_features) → (N,)
        return self.layers((X - self.x_mean) / self.x_std).squeeze(-1)


def f_lazy(train_inputs, train_minutes):
    """Return the function that memorises each training deck's minutes and answers 0 for any other deck.
    Taught in notebook 04."""
    train_inputs, train_minutes = as_2d("train_inputs", train_inputs), as_1d("train_minutes", train_minutes)
    same_length("train_inputs", train_inputs, "train_minutes", train_minutes)
    memory = {tuple(k.tolist()): float(v) for k, v in zip(train_inputs, train_minutes)}

    def predict(inputs):
        return np.array([memory.get(tuple(np.atleast_1d(k).tolist()), 0.0) for k in inputs])
    return predict


def interpolating_pieces(x_knots, y_knots):
    """(c, w, b_i, b) for relu_pieces whose curve runs straight from knot to knot: H + 1 knots → H pieces.
    Used inside utils, not called in a notebook."""
    x_knots, y_knots = as_1d("x_knots", x_knots, min_len=2), as_1d("y_knots", y_knots, min_len=2)
    same_length("x_knots", x_knots, "y_knots", y_knots)
    if np.any(np.diff(x_knots) <= 0):
        raise CourseError("x_knots must be strictly increasing (each knot to the right of the previous one)")
    slopes = np.diff(y_knots) / np.diff(x_knots)   # (H,) slope of each straight segment
    c = np.diff(slopes, prepend=0.0)               # piece i bends the curve by c_i at knot i
    return c, np.ones_like(c), -x_knots[:-1], float(y_knots[0])


def relu_net_pieces(model):
    """(c, w, b_i, b) of a one-feature, one-hidden-layer ReluNet, in raw-input units (its standardisation undone).
    Taught in notebook 04."""
    if not isinstance(model, ReluNet) or len(model.layers) != 3 or model.layers[0].in_features != 1:
        raise CourseError("model must be a ReluNet(1, H) with one feature and one hidden layer (depth=1)")
    with torch.no_grad():
        mean, std = model.x_mean.item(), model.x_std.item()
        w = model.layers[0].weight[:, 0].numpy() / std            # (H,) max(0, w·(x − mean)/std + b_i) …
        b_i = model.layers[0].bias.numpy() - w * mean             # (H,) … = max(0, (w/std)·x + b_i − w·mean/std)
        c = model.layers[2].weight[0].numpy()                     # (H,)
        b = model.layers[2].bias.item()
    return c.astype(float), w.astype(float), b_i.astype(float), float(b)



ACTIVATIONS = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "tanh": nn.Tanh}


class MLP(nn.Module):
    """A fully connected network, e.g. sizes [784, 30, 10]: the activation after every hidden layer, raw scores
    (logits) out. seed: the initial weights (PyTorch's default ranges, drawn in float64). Taught in notebook 05."""

    def __init__(self, sizes=(784, 30, 10), activation: str = "sigmoid", seed: int = 0):
        super().__init__()
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
            raise CourseError(f"sizes must list at least two layer sizes, e.g. [784, 30, 10], got {sizes!r}")
        sizes = [number(f"sizes[{i}]", n, low=1, integer=True) for i, n in enumerate(sizes)]
        act = ACTIVATIONS[choice("activation", activation, ACTIVATIONS)]
        linears = _built_quietly(lambda: [nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])])
        self.layers = nn.Sequential(*[m for linear in linears[:-1] for m in (linear, act())], linears[-1])
        self.sizes, self.activation = sizes, activation
        _default_init_(self.layers, seed)

    def forward(self, X):  # X: (N, sizes[0]) → (N, sizes[-1]) scores
        return self.layers(X)


def example_shape(model):
    """The shape of one example that `model` takes, if the course knows it: (sizes[0],) for an MLP, (1, s, s) for a
    SmallCNN of s × s images; None for any other module. Used inside utils, not called in a notebook."""
    torch_module("model", model)
    if isinstance(model, MLP):
        return (model.sizes[0],)
    if isinstance(model, SmallCNN):
        return (1, model.image_size, model.image_size)
    return None



LOGISTIC_LOSSES = ("cross_entropy", "mse")   # of the probability y' = σ(z) against a label ŷ ∈ {0, 1}


def logistic_inputs(X, labels, w, b=0.0, w_name="w (the weights)"):
    """Check the logistic model's arguments: X (N, k), labels of 0s and 1s (N,), one weight per feature, a number b.

    w_name: how the error messages call the weights (the caller's argument name).
    Used inside utils, not called in a notebook."""
    X, labels = as_2d("X", X), as_1d("labels", labels)
    same_length("X", X, "labels", labels)
    if not np.all((labels == 0) | (labels == 1)):
        raise CourseError("labels must be 0 or 1 (the two classes of a logistic model), "
                          f"got values such as {np.unique(labels)[:5].tolist()}")
    w = as_1d(w_name, w)
    if len(w) != X.shape[1]:
        raise CourseError(f"{w_name} needs one weight per feature of X ({X.shape[1]}), got {len(w)}")
    return X, labels, w, number("b", b)


def logistic_probability(z):
    """y' = σ(z) = 1 / (1 + e^(−z)) written as e^(−log(1 + e^(−z))): no overflow for any z.
    Used inside utils (train.logistic_descent, notebook 05)."""
    z = as_array("z", z, "a number or an array of scores")
    if not np.all(np.isfinite(z)):
        raise CourseError("z contains NaN or inf; check the weights (has training diverged?)")
    return _logistic_sigma(z)


def _logistic_sigma(z):
    return np.exp(-np.logaddexp(0.0, -z))     # σ(z) without overflow, for checked z


def logistic_mean_loss(z, labels, loss):
    """Mean over the last axis (the N examples) of the loss of scores z against labels ŷ ∈ {0, 1}: one loss per
    row of z. Used inside utils (train.logistic_descent, notebook 05)."""
    z = as_array("z", z, "an array of scores, one per example along the last axis")
    if not np.all(np.isfinite(z)):
        raise CourseError("z contains NaN or inf; check the weights (has training diverged?)")
    labels = as_1d("labels", labels)
    if z.shape[-1:] != labels.shape:
        raise CourseError(f"z has {z.shape[-1] if z.ndim else 0} scores per row but labels has {len(labels)}; "
                          "they must match")
    choice("loss", loss, LOGISTIC_LOSSES)
    return _logistic_mean_loss(z, labels, loss)


def _logistic_mean_loss(z, labels, loss):
    if loss == "cross_entropy":
        # −[ŷ ln σ(z) + (1 − ŷ) ln(1 − σ(z))] = ln(1 + e^z) − ŷ·z: finite for any z, even when σ(z) rounds to 0 or 1
        return np.mean(np.logaddexp(0.0, z) - labels * z, axis=-1)
    return np.mean((_logistic_sigma(z) - labels) ** 2, axis=-1)


def logistic_loss(X, labels, w, b=0.0, loss: str = "cross_entropy") -> float:
    """Mean loss of the logistic model y' = σ(X·w + b) against labels ŷ ∈ {0, 1}: cross-entropy or MSE.
    Used inside utils, not called in a notebook."""
    X, labels, w, b = logistic_inputs(X, labels, w, b)
    choice("loss", loss, LOGISTIC_LOSSES)
    return float(_logistic_mean_loss(X @ w + b, labels, loss))


def logistic_loss_grid(X, labels, w1_values, w2_values, b=0.0, loss: str = "cross_entropy") -> np.ndarray:
    """The loss of y' = σ(w1·x1 + w2·x2 + b) on a grid of weights: entry [i, j] is L(w1_values[j], w2_values[i]).
    Taught in notebook 05."""
    X = as_2d("X", X)
    if X.shape[1] != 2:
        raise CourseError(f"X must have exactly two features (the grid is over w1 and w2), got {X.shape[1]}")
    X, labels, _, b = logistic_inputs(X, labels, [0.0, 0.0], b)
    choice("loss", loss, LOGISTIC_LOSSES)
    w1_values, w2_values = as_1d("w1_values", w1_values), as_1d("w2_values", w2_values)
    grid = np.empty((len(w2_values), len(w1_values)))
    for i, w2 in enumerate(w2_values):      # one row at a time: (n_w1, N) scores, not (n_w2, n_w1, N)
        z = w1_values[:, None] * X[:, 0] + w2 * X[:, 1] + b
        grid[i] = _logistic_mean_loss(z, labels, loss)
    return grid



NUMPY_COSTS = ("quadratic", "cross_entropy")   # Nielsen's two costs, both on sigmoid outputs aᴸ = σ(zᴸ)
NUMPY_INITS = ("scaled", "normal")             # w ~ N(0, 1/n_in) (network2.py) or N(0, 1) (network.py)


def _sigmoid(z):
    # exp(500) is finite; past |z| = 500, σ is 0 or 1 to far more digits than float64 keeps anyway
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500.0, 500.0)))


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise (float64), without overflow warnings for very negative z.
    Taught in notebook 06."""
    z = as_array("z", z, "a number or an array of numbers")
    if not np.all(np.isfinite(z)):
        raise CourseError("z contains NaN or inf; check the weights (has training diverged?)")
    return _sigmoid(z)


def sigmoid_prime(z):
    """σ′(z) = σ(z)·(1 − σ(z)), elementwise: at most 1/4, at z = 0. Taught in notebook 06."""
    s = sigmoid(z)
    return s * (1.0 - s)


def one_hot(labels, n_classes: int = 10) -> np.ndarray:
    """Integer labels (N,) → target vectors y (N, n_classes): 1 at the label, 0 elsewhere. Taught in notebook 06."""
    n_classes = number("n_classes", n_classes, low=1, integer=True)
    arr = np.asarray(labels)
    if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
        raise CourseError(f"labels must be a 1-D array of whole class numbers, got {arr.dtype} of shape {arr.shape}")
    if arr.min() < 0 or arr.max() >= n_classes:
        raise CourseError(f"labels must lie between 0 and {n_classes - 1}, got {arr.min()}…{arr.max()}")
    return np.eye(n_classes)[arr]


class NumpyNet:
    """A sigmoid network in NumPy (float64), vectorised over a batch: zˡ = aˡ⁻¹·(Wˡ)ᵀ + bˡ, aˡ = σ(zˡ), one example per row.
    Taught in notebook 06."""

    # Notation: the study notes number the input layer 1, so weights[0] is W² (sizes[1] × sizes[0]) and
    # weights[-1] is Wᴸ. Wˡ[j, k] is the notes' w_jk: from neuron k of layer l − 1 to neuron j of layer l,
    # the same layout as nn.Linear.weight. Rows of a batch are examples, so z = a·Wᵀ + b (not W·a + b).

    def __init__(self, sizes=(784, 30, 10), seed: int = 0, init: str = "scaled"):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
            raise CourseError(f"sizes must list at least two layer sizes, e.g. [784, 30, 10], got {sizes!r}")
        self.sizes = [number(f"sizes[{i}]", n, low=1, integer=True) for i, n in enumerate(sizes)]
        seed = number("seed", seed, low=0, integer=True)
        choice("init", init, NUMPY_INITS)
        rng = np.random.default_rng(seed)
        self.weights, self.biases = [], []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            scale = 1.0 / math.sqrt(n_in) if init == "scaled" else 1.0
            self.weights.append(rng.normal(0.0, scale, size=(n_out, n_in)))   # (n_out, n_in)
            self.biases.append(rng.normal(0.0, 1.0, size=n_out))             # (n_out,)

    def __repr__(self):
        return f"NumpyNet(sizes={self.sizes}, parameters={self.n_params})"

    @property
    def n_params(self) -> int:
        return sum(W.size + b.size for W, b in zip(self.weights, self.biases))

    def copy(self) -> "NumpyNet":
        """An independent copy with the same weights (training the copy leaves this one alone)."""
        twin = NumpyNet.__new__(NumpyNet)
        twin.sizes = list(self.sizes)
        twin.weights = [W.copy() for W in self.weights]
        twin.biases = [b.copy() for b in self.biases]
        return twin

    def _inputs(self, X) -> np.ndarray:
        X = as_array("X", X, "an array of numbers, one example per row")
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.sizes[0] or len(X) == 0:
            raise CourseError(f"X must have shape (N, {self.sizes[0]}), one example per row, got {X.shape}")
        if not np.all(np.isfinite(X)):
            raise CourseError("X contains NaN or inf; remove or fix those entries")
        return X

    def _targets(self, X, y) -> np.ndarray:
        y = np.asarray(y)
        if y.ndim == 1:
            y = one_hot(y, self.sizes[-1])
        if y.shape != (len(X), self.sizes[-1]):
            raise CourseError(f"y must hold {len(X)} labels or one-hot rows of length {self.sizes[-1]}, got {y.shape}")
        return y.astype(float)

    def forward(self, X):
        """The forward pass: lists zs = [z², …, zᴸ] and activations = [a¹ = X, a², …, aᴸ], each (N, sizes[l])."""
        a = self._inputs(X)
        zs, activations = [], [a]
        for W, b in zip(self.weights, self.biases):
            z = a @ W.T + b            # (N, n_out): z_j = Σ_k w_jk·a_k + b_j for every example
            a = _sigmoid(z)
            zs.append(z)
            activations.append(a)
        return zs, activations

    def predict(self, X) -> np.ndarray:
        """The predicted class of each row of X: the output neuron with the largest activation."""
        return self.forward(X)[1][-1].argmax(axis=1)

    def accuracy(self, X, y) -> float:
        """The fraction of rows of X whose predicted class equals the integer label in y."""
        X = self._inputs(X)
        y = np.asarray(y)
        if y.shape != (len(X),):
            raise CourseError(f"y must hold one integer label per row of X ({len(X)}), got shape {y.shape}")
        return float(np.mean(self.predict(X) == y))

    def cost(self, X, y, cost: str = "quadratic") -> float:
        """Mean cost over the batch: quadratic ½‖y − aᴸ‖² or cross-entropy −Σ_j [y ln a + (1 − y) ln(1 − a)]."""
        return self.evaluate(X, y, cost)[0]

    def evaluate(self, X, y, cost: str = "quadratic") -> tuple[float, float]:
        """(mean cost, accuracy) on X and integer labels y, from one forward pass."""
        choice("cost", cost, NUMPY_COSTS)
        X = self._inputs(X)
        Y = self._targets(X, y)
        zs, activations = self.forward(X)
        zL, aL = zs[-1], activations[-1]                     # (N, 10), (N, 10); aᴸ = σ(zᴸ)
        if cost == "quadratic":
            loss = 0.5 * np.sum((aL - Y) ** 2) / len(X)
        else:   # ln σ(z) = −log(1 + e^(−z)) and ln(1 − σ(z)) = −log(1 + e^z): finite even when σ(z) rounds to 0 or 1
            loss = np.sum(Y * np.logaddexp(0, -zL) + (1 - Y) * np.logaddexp(0, zL)) / len(X)
        return float(loss), float(np.mean(aL.argmax(axis=1) == Y.argmax(axis=1)))

    def backprop(self, X, y, cost: str = "quadratic"):
        """Gradients of the mean cost over the batch: (∂C/∂Wˡ for each layer, ∂C/∂bˡ for each layer), via δˡ."""
        choice("cost", cost, NUMPY_COSTS)
        X = self._inputs(X)
        Y = self._targets(X, y)
        zs, activations = self.forward(X)
        aL = activations[-1]
        # BP1, output error: δᴸ = ∇ₐC ⊙ σ′(zᴸ). Quadratic: ∇ₐC = aᴸ − y. Cross-entropy:
        # ∇ₐC = (aᴸ − y) / (aᴸ(1 − aᴸ)) and σ′(zᴸ) = aᴸ(1 − aᴸ) cancel, leaving δᴸ = aᴸ − y.
        delta = (aL - Y) * aL * (1 - aL) if cost == "quadratic" else aL - Y    # (N, sizes[-1]); σ′(z) = a(1 − a)
        n = len(X)
        grad_W, grad_b = [None] * len(self.weights), [None] * len(self.biases)
        for l in range(len(self.weights) - 1, -1, -1):
            grad_W[l] = delta.T @ activations[l] / n       # BP4: ∂C/∂w_jk = a_k^(l−1)·δ_j^l, averaged over the batch
            grad_b[l] = delta.mean(axis=0)                 # BP3: ∂C/∂b_j = δ_j
            if l > 0:                                      # BP2: δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)
                a = activations[l]                         # aˡ, so σ′(zˡ) = aˡ(1 − aˡ)
                delta = (delta @ self.weights[l]) * a * (1 - a)
        return grad_W, grad_b

    def to_torch(self) -> "MLP":
        """models.MLP(sizes, "sigmoid") in float64 carrying exactly these weights (its outputs are zᴸ; apply σ for aᴸ)."""
        model = MLP(self.sizes, "sigmoid")         # its random start is overwritten below
        linears = [m for m in model.layers if isinstance(m, nn.Linear)]
        with torch.no_grad():
            for layer, W, b in zip(linears, self.weights, self.biases):
                layer.weight.copy_(torch.from_numpy(W))
                layer.bias.copy_(torch.from_numpy(b))
        return model

    @classmethod
    def from_torch(cls, model) -> "NumpyNet":
        """A NumpyNet with the weights of a torch model made of nn.Linear layers with sigmoids between them."""
        torch_module("model", model)
        linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
        if not linears:
            raise CourseError("model has no nn.Linear layers to copy")
        net = cls.__new__(cls)
        net.sizes = [linears[0].in_features] + [m.out_features for m in linears]
        for a, b in zip(linears[:-1], linears[1:]):
            if a.out_features != b.in_features:
                raise CourseError(f"the model's Linear layers do not chain: {a.out_features} outputs feed {b.in_features} inputs")
        with torch.no_grad():
            net.weights = [m.weight.detach().double().numpy().copy() for m in linears]
            net.biases = [m.bias.detach().double().numpy().copy() if m.bias is not None
                          else np.zeros(m.out_features) for m in linears]
        return net



def tiny_theta(theta, name: str = "theta") -> torch.Tensor:
    """θ as a float64 tensor whose last axis holds 3·H + 1 parameters (autograd history kept).

    name: the caller's argument, as the error messages call it (theta, thetas).
    Used inside utils, not called in a notebook."""
    if isinstance(theta, torch.Tensor):
        t = theta if theta.dtype == torch.float64 else theta.to(torch.float64)
    else:
        t = torch.as_tensor(as_array(name, theta))
    if t.ndim == 0 or t.shape[-1] < 4 or (t.shape[-1] - 1) % 3:
        raise CourseError(f"{name} must hold 3·H + 1 numbers [w_1..w_H, b_1..b_H, c_1..c_H, b] along its last axis "
                          f"(7 for H = 2), got shape {tuple(t.shape)}")
    if not bool(torch.isfinite(t.detach()).all()):
        raise CourseError(f"{name} contains NaN or inf; has gradient descent diverged?")
    return t


def tiny_net(theta, x):
    """y = b + Σ_i c_i·tanh(w_i·x + b_i), all parameters in one vector θ = [w_1..w_H, b_1..b_H, c_1..c_H, b].
    Used inside utils, not called in a notebook."""
    # One flat vector (not an nn.Module) because the Hessian is a matrix over exactly this vector.
    # theta may also be a stack of vectors (..., 3H + 1): then one prediction row per vector.
    t = tiny_theta(theta)
    x = torch.as_tensor(as_1d("x", x))
    H = (t.shape[-1] - 1) // 3
    w, b_i, c, b = t[..., :H], t[..., H:2 * H], t[..., 2 * H:3 * H], t[..., 3 * H:]
    z = w[..., None, :] * x[:, None] + b_i[..., None, :]          # (..., N, H)
    return b + (c[..., None, :] * torch.tanh(z)).sum(-1)          # (..., N)


def tiny_net_loss(theta, x, y):
    """MSE of tiny_net on (x, y): a scalar tensor for one θ, one loss per row for a stack of them.
    Taught in notebook 07."""
    y = as_1d("y", y)
    same_length("x", as_1d("x", x), "y", y)
    return torch.mean((tiny_net(theta, x) - torch.as_tensor(y)) ** 2, dim=-1)


def tiny_net_init(hidden: int = 2, seed: int = 0) -> np.ndarray:
    """A random θ for tiny_net with PyTorch's default ranges: w_i, b_i ~ U(−1, 1), c_i, b ~ U(−1/√H, 1/√H).
    Taught in notebook 07."""
    hidden = number("hidden", hidden, low=1, high=100, integer=True)
    rng = np.random.default_rng(number("seed", seed, low=0, integer=True))
    first = rng.uniform(-1.0, 1.0, 2 * hidden)                    # nn.Linear(1, H): bound 1/√fan_in = 1
    second = rng.uniform(-1.0, 1.0, hidden + 1) / math.sqrt(hidden)   # nn.Linear(H, 1): bound 1/√H
    return np.concatenate([first, second])                       # (3H + 1,)


def _tiny_forward_np(t, x, y):
    """Hidden outputs a (K, N, H) and errors ŷ − y (K, N) of tiny_net for a stack of θ (K, P), in NumPy."""
    H = (t.shape[1] - 1) // 3
    w, b_i, c, b = t[:, :H], t[:, H:2 * H], t[:, 2 * H:3 * H], t[:, 3 * H]
    a = np.tanh(w[:, None, :] * x[None, :, None] + b_i[:, None, :])
    return a, b[:, None] + np.einsum("kh,knh->kn", c, a) - y


def tiny_net_gradient(thetas, x, y):
    """(loss, ∇L) of tiny_net's MSE by backpropagation written out in NumPy, for one θ (P,) or a stack (K, P).
    Taught in notebook 07."""
    t = tiny_theta(thetas, "thetas").numpy()
    single = t.ndim == 1
    t = np.atleast_2d(t)
    if t.ndim != 2:
        raise CourseError(f"thetas must be one parameter vector or a stack of them (K, P), got shape {t.shape}")
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    H = (t.shape[1] - 1) // 3
    c = t[:, 2 * H:3 * H]
    a, err = _tiny_forward_np(t, x, y)                               # (K, N, H) hidden outputs, (K, N) ŷ − y
    loss = np.mean(err ** 2, axis=1)                                 # (K,)
    d_out = 2 * err / len(x)                                         # (K, N) ∂L/∂ŷ_n
    d_z = d_out[:, :, None] * c[:, None, :] * (1 - a ** 2)           # (K, N, H) ∂L/∂z, tanh′ = 1 − tanh²
    grad = np.concatenate([np.einsum("knh,n->kh", d_z, x),           # ∂L/∂w_i = Σ_n ∂L/∂z_ni · x_n
                           d_z.sum(axis=1),                          # ∂L/∂b_i
                           np.einsum("kn,knh->kh", d_out, a),        # ∂L/∂c_i = Σ_n ∂L/∂ŷ_n · a_ni
                           d_out.sum(axis=1)[:, None]], axis=1)      # ∂L/∂b
    return (loss[0], grad[0]) if single else (loss, grad)




# The rugged canyon of notebook 08: L(w1, w2) = a·w1² + b·w2² + Σ_j h_j·exp(−(w1 − c_j)² / (2 s²)).
# Steep across (curvature 2b = 20), gentle along the floor (2a = 0.06), and two ridges lie across the floor;
# the second one walls off a local minimum at w1 ≈ −2.13. The global minimum is at (0, 0), where L ≈ 0.
CANYON = {"a": 0.03, "b": 10.0, "ridges": ((-3.0, 0.03), (-1.8, 0.06)), "width": 0.2}
CANYON_START = (-4.0, 1.0)


def canyon_loss(w1, w2):
    """The rugged canyon L(w1, w2) of notebook 08, for numbers, NumPy grids or torch tensors (autograd works).
    Taught in notebook 08."""
    if isinstance(w1, torch.Tensor) or isinstance(w2, torch.Tensor):
        exp = torch.exp
    else:
        try:
            w1, w2 = np.asarray(w1, dtype=float), np.asarray(w2, dtype=float)
        except (TypeError, ValueError):
            raise CourseError(f"w1 and w2 must be numbers or arrays of numbers, got {type(w1).__name__} "
                              f"and {type(w2).__name__}") from None
        if w1.size == 0 or not (np.all(np.isfinite(w1)) and np.all(np.isfinite(w2))):
            raise CourseError("w1 and w2 must be finite numbers (or non-empty arrays of them)")
        exp = np.exp
    a, b, s = CANYON["a"], CANYON["b"], CANYON["width"]
    ridges = sum(h * exp(-(w1 - c) ** 2 / (2 * s * s)) for c, h in CANYON["ridges"])
    return a * w1 ** 2 + b * w2 ** 2 + ridges


def canyon_grad(theta) -> np.ndarray:
    """The gradient (∂L/∂w1, ∂L/∂w2) of canyon_loss at the point theta = (w1, w2). Taught in notebook 08."""
    theta = as_1d("theta (the point (w1, w2))", theta)
    if theta.size != 2:
        raise CourseError(f"theta must hold exactly two numbers (w1, w2), got {theta.size}")
    w1, w2 = theta
    a, b, s = CANYON["a"], CANYON["b"], CANYON["width"]
    ridges = sum(-h * (w1 - c) / (s * s) * np.exp(-(w1 - c) ** 2 / (2 * s * s)) for c, h in CANYON["ridges"])
    return np.array([2 * a * w1 + ridges, 2 * b * w2])






def with_dropout(model, p: float = 0.5):
    """`model` (an MLP) with nn.Dropout(p) after every hidden activation, in place; its weights are untouched.
    Taught in notebook 10."""
    torch_module("model", model, MLP)
    if any(isinstance(layer, nn.Dropout) for layer in model.layers):
        raise CourseError("model already has dropout layers; build a fresh MLP to try another p")
    p = number("p (the dropout probability)", p, low=0, high=1)
    if p == 1:
        raise CourseError("p (the dropout probability) must be < 1: p = 1 drops every hidden neuron")
    layers = []
    for layer in model.layers:
        layers.append(layer)
        if not isinstance(layer, (nn.Linear, nn.Dropout)):    # an activation: hidden neurons come out of it
            layers.append(nn.Dropout(p))
    model.layers = nn.Sequential(*layers)
    return model




INIT_SCHEMES = {   # scheme → the weights' distribution for a layer with n_in inputs and n_out outputs
    "normal": "N(0, 1)",                       # the notes' large initialisation (Nielsen's network.py)
    "scaled": "N(0, 1/n_in)",                  # the notes' small initialisation (network2.py; LeCun)
    "xavier": "N(0, 2/(n_in + n_out))",        # Glorot & Bengio (2010), for tanh and linear layers
    "he": "N(0, 2/n_in)",                      # He et al. (2015), for ReLU layers
}


def init_std(scheme: str, n_in: int, n_out: int = 1, scale: float = 1.0) -> float:
    """The weights' standard deviation under an initialisation scheme, times `scale`, for a layer n_in → n_out.
    Taught in notebook 11."""
    choice("scheme", scheme, INIT_SCHEMES)
    n_in = number("n_in", n_in, low=1, integer=True)
    n_out = number("n_out", n_out, low=1, integer=True)
    scale = number("scale", scale, low=0, low_open=True)
    # Written as torch.nn.init computes them (xavier_normal_: √(2/(fan_in + fan_out)); kaiming_normal_: the gain
    # √2 divided by √fan_in), so that the two agree to the last bit, not only to rounding.
    base = {"normal": 1.0, "scaled": 1.0 / math.sqrt(n_in), "xavier": math.sqrt(2.0 / float(n_in + n_out)),
            "he": math.sqrt(2.0) / math.sqrt(n_in)}[scheme]
    return scale * base


def init_weights_(model: nn.Module, scheme: str = "scaled", seed: int = 0, scale: float = 1.0,
                  bias_std: float = 0.0) -> nn.Module:
    """Redraw every nn.Linear's weights from N(0, init_std²) and biases from N(0, bias_std²), in float64, in place.
    Taught in notebook 10 (the large start of the L2 study); notebook 11 studies the schemes."""
    # NumPy's generator, not torch's: its normal draws are the same on every CPU, so the printed numbers are too.
    # Every scheme scales the same standard-normal draws, so two schemes with one seed differ only in the scale.
    torch_module("model", model)
    choice("scheme", scheme, INIT_SCHEMES)
    rng = np.random.default_rng(number("seed", seed, low=0, integer=True))
    scale = number("scale", scale, low=0, low_open=True)
    bias_std = number("bias_std", bias_std, low=0)
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not linears:
        raise CourseError("model has no nn.Linear layers to initialise")
    model.double()
    with torch.no_grad():
        for m in linears:
            std = init_std(scheme, m.in_features, m.out_features, scale)
            m.weight.copy_(torch.from_numpy(std * rng.standard_normal((m.out_features, m.in_features))))
            if m.bias is not None:
                m.bias.copy_(torch.from_numpy(bias_std * rng.standard_normal(m.out_features)))
    return model





def edge_filters() -> dict:
    """Notebook 12's hand-made 5×5 filters, name → (5, 5) array: vertical edge, horizontal edge, diagonal edge, blur.
    Taught in notebook 12."""
    ramp = np.array([-1.0, -1.0, 0.0, 1.0, 1.0])
    vertical = np.tile(ramp, (5, 1)) / 10          # ink growing from left to right → positive response
    rows, cols = np.indices((5, 5))
    return {"vertical edge": vertical,
            "horizontal edge": vertical.T.copy(),      # ink growing from top to bottom
            "diagonal edge": np.sign(cols - rows) / 10,  # ink above-right of the ⟍ diagonal, paper below-left
            "blur": np.full((5, 5), 1 / 25)}           # the mean of the 25 pixels: no edge, just ink


class SmallCNN(nn.Module):
    """Notebook 12's CNN: `maps` filters of kernel × kernel → ReLU → pool × pool max pooling → a fully connected layer to the class scores.
    Taught in notebook 12."""

    def __init__(self, maps: int = 20, kernel: int = 5, pool: int = 2, n_classes: int = 10, image_size: int = 28,
                 seed: int = 0):
        super().__init__()
        maps = number("maps (feature maps)", maps, low=1, high=1024, integer=True)
        image_size = number("image_size", image_size, low=1, integer=True)
        kernel = number("kernel (filter size)", kernel, low=1, high=image_size, integer=True)
        pool = number("pool (pooling size)", pool, low=1, high=image_size - kernel + 1, integer=True)
        n_classes = number("n_classes", n_classes, low=2, integer=True)
        side = (image_size - kernel + 1) // pool       # e.g. (28 − 5 + 1) // 2 = 12
        conv, out = _built_quietly(lambda: (nn.Conv2d(1, maps, kernel), nn.Linear(maps * side * side, n_classes)))
        self.conv = conv                               # shared weights: one kernel × kernel filter per map
        self.pool = nn.MaxPool2d(pool)
        self.out = out
        self.maps, self.kernel, self.pool_size, self.side, self.image_size = maps, kernel, pool, side, image_size
        _default_init_(self, seed)                     # float64, the same numbers on every CPU

    def feature_maps(self, X):  # X: (N, 1, 28, 28) → (N, maps, 24, 24) after the ReLU
        return torch.relu(self.conv(X))

    def forward(self, X):  # X: (N, 1, 28, 28) → (N, n_classes) scores
        if len(X) <= 100:
            return self.out(self.pool(self.feature_maps(X)).flatten(1))
        # In chunks of 100: all 5,000 digits at once would build a (5000, 20, 24, 24) float64 block of 460 MB,
        # which is 2–3× slower on a CPU than the same work in cache-sized pieces (and gives the same numbers).
        return torch.cat([self(X[i:i + 100]) for i in range(0, len(X), 100)])


