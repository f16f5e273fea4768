"""Looking inside a model: the training guide's diagnosis, Hessians at critical points, confusion matrices and
each layer's statistics. Numbers in, numbers out; the figures are in utils.plots."""
from __future__ import annotations

import numpy as np
import torch

from . import models, train
from .checks import CourseError, as_1d, as_2d, as_examples, as_labels, choice, number, same_length, torch_module


# --- the training guide (notebook 07) -------------------------------------------------------------------------

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
    """Walk the training guide's decision tree for one model: {"branch", "why", "advice"}. Taught in notebook 07."""
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


# --- critical points (notebook 07) ---------------------------------------------------------------------------

def tiny_net_hessian(theta, x, y) -> np.ndarray:
    """The (P, P) second derivatives ∂²L/∂θ_i∂θ_j of tiny_net's MSE at θ, by torch.autograd.functional.hessian.
    Taught in notebook 07."""
    t = models.tiny_theta(theta).detach()
    if t.ndim != 1:
        raise CourseError(f"theta must be one parameter vector (P,), got shape {tuple(t.shape)}")
    x, y = as_1d("x", x), as_1d("y", y)
    same_length("x", x, "y", y)
    return torch.autograd.functional.hessian(lambda p: models.tiny_net_loss(p, x, y), t).numpy()


def classify_hessian(hessian, tol: float = 1e-8) -> dict:
    """Eigenvalues (ascending), eigenvectors (columns), minimum ratio and verdict of a Hessian at a critical point.
    Taught in notebook 07."""
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


STALL_KINDS = ("local minimum", "saddle point", "local maximum", "undecided",
               "positive-definite Hessian on a slope", "negative curvature on a slope", "undecided on a slope")


def classify_stall(theta, x, y, newton_tol: float = 0.01, tol: float = 1e-8) -> dict:
    """Is a stall of tiny_net at θ a critical point, and of which kind? classify_hessian's verdict, trusted only where
    the Newton step H⁻¹g (the step to the quadratic model's critical point) is short: ‖H⁻¹g‖ ≤ newton_tol · ‖θ‖.

    A small ‖g‖ alone does not make a critical point: where H is nearly singular, a gradient of 10⁻³ can still be
    many units away from the nearest critical point. Farther than that, the kind gets "on a slope":
    "positive-definite Hessian on a slope" (the quadratic model still goes down, to a point H⁻¹g away),
    "negative curvature on a slope", "undecided on a slope". Also returns "gradient_norm", "newton_norm",
    "theta_norm", "critical" and "predicted_drop" (L(θ) − the quadratic model's value at θ − H⁻¹g: how much that
    model says is still to gain). H⁻¹ is the pseudo-inverse where H is singular. Taught in notebook 07."""
    t = models.tiny_theta(theta).detach().numpy()
    if t.ndim != 1:
        raise CourseError(f"theta must be one parameter vector (P,), got shape {t.shape}")
    newton_tol = number("newton_tol", newton_tol, low=0, low_open=True)
    H = tiny_net_hessian(t, x, y)
    verdict = classify_hessian(H, tol=tol)
    g = models.tiny_net_gradient(t, x, y)[1]
    step = np.linalg.lstsq(H, g, rcond=None)[0]                 # H⁻¹g (least squares where H is singular)
    newton_norm, theta_norm = float(np.linalg.norm(step)), float(np.linalg.norm(t))
    critical = newton_norm <= newton_tol * max(theta_norm, 1.0)
    kind = verdict["kind"]
    if not critical:
        kind = {"local minimum": "positive-definite Hessian on a slope", "saddle point": "negative curvature on a slope",
                "local maximum": "negative curvature on a slope"}.get(kind, "undecided on a slope")
    return {**verdict, "kind": kind, "critical": bool(critical), "gradient_norm": float(np.linalg.norm(g)),
            "newton_norm": newton_norm, "theta_norm": theta_norm,
            "predicted_drop": float(g @ step - 0.5 * step @ H @ step)}


# --- what a classifier gets wrong (notebook 09) and what each layer does (notebook 11) -----------------------

def confusion_matrix(labels, predicted, n_classes: int = 10) -> np.ndarray:
    """Counts (n_classes, n_classes): row = true class, column = predicted class. Taught in notebook 09."""
    n_classes = number("n_classes", n_classes, low=1, integer=True)
    labels = as_labels("labels", labels, n_classes)
    predicted = as_labels("predicted", predicted, n_classes)
    same_length("labels", labels, "predicted", predicted)
    # Each (true, predicted) pair gets one number, true·C + predicted; counting those numbers fills the table.
    return np.bincount(labels * n_classes + predicted, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def layer_statistics(model, X, y, loss: str = "cross_entropy") -> dict:
    """One forward and backward pass of a models.MLP on a batch: each layer's z, a, δ = ∂C/∂z and ‖∂C/∂b‖, ‖∂C/∂W‖.
    Taught in notebook 11."""
    torch_module("model", model, models.MLP)
    if any(isinstance(layer, torch.nn.Dropout) for layer in model.layers):
        raise CourseError("model has dropout layers: its statistics would change with every call; use it without")
    X = as_examples("X", X, (model.sizes[0],))
    y = as_labels("y", y, model.sizes[-1])
    same_length("X", X, "y", y)
    choice("loss", loss, train.CLASSIFIER_LOSSES)
    model.zero_grad(set_to_none=True)
    out = torch.as_tensor(X, dtype=train.dtype_of(model))                 # (N, sizes[0])
    zs, activations = [], []
    for layer in model.layers:
        out = layer(out)
        if isinstance(layer, torch.nn.Linear):
            out.retain_grad()                                         # keep ∂C/∂z of this layer after backward
            zs.append(out)
        else:
            activations.append(out)
    train.classification_loss(out, torch.as_tensor(y), loss).backward()
    linears = [m for m in model.layers if isinstance(m, torch.nn.Linear)]
    n = len(X)
    return {"z": [z.detach().numpy() for z in zs],                   # (N, n_l) per layer, the output's last
            "a": [a.detach().numpy() for a in activations],          # hidden layers only: the output has no σ
            "delta": [n * z.grad.numpy() for z in zs],               # ∂C_x/∂z of each example x (C = mean of C_x)
            "grad_b_norm": np.array([m.bias.grad.norm().item() for m in linears]),
            "grad_W_norm": np.array([m.weight.grad.norm().item() for m in linears])}
