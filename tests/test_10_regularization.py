"""Notebook 10's helpers: the small stratified split, augmentation, dropout, the L2/L1 terms against hand-written
SGD and torch.optim, the notebook's claims on other seeds (3, 4, 5), and the λ slider view."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from utils import data, models, plots, train, widgets

X_ALL, Y_ALL = data.load_digits("train")
X_TEST, Y_TEST = data.load_digits("test")
SMALL = data.first_per_class(Y_ALL, 100)
X_SMALL, Y_SMALL = X_ALL[SMALL], Y_ALL[SMALL]
SETTINGS = dict(lr=0.5, epochs=20, batch_size=10)           # the notebook's
OTHER_SEEDS = [3, 4, 5]                                      # the notebook uses 0, 1, 2


def net_for(seed, sizes=(784, 30, 10)):
    torch.manual_seed(seed)
    return models.MLP(list(sizes))


# --- the split --------------------------------------------------------------------------------------------

def test_first_per_class_is_stratified_sorted_and_disjoint_from_the_next_block():
    a, b = data.first_per_class(Y_ALL, 100), data.first_per_class(Y_ALL, 100, skip=100)
    assert np.all(np.bincount(Y_ALL[a]) == 100) and np.all(np.bincount(Y_ALL[b]) == 100)
    assert np.all(np.diff(a) > 0) and not set(a) & set(b)
    for c in range(10):                                     # really the first 100 of each class in file order
        assert np.array_equal(a[Y_ALL[a] == c], np.flatnonzero(Y_ALL == c)[:100])


def test_first_per_class_refuses_more_than_a_class_holds():
    with pytest.raises(ValueError, match="fewer than"):
        data.first_per_class(Y_ALL, 300, skip=200)


# --- augmentation ------------------------------------------------------------------------------------------

def test_augment_digits_is_seeded_leaves_the_global_generator_alone_and_keeps_the_digits():
    X = X_SMALL[:50]
    torch.manual_seed(123)
    state = torch.random.get_rng_state()
    a = data.augment_digits(X, copies=2, seed=1)
    assert torch.equal(torch.random.get_rng_state(), state)
    assert a.shape == (2, 50, 784) and a.dtype == np.float32
    assert np.array_equal(a, data.augment_digits(X, copies=2, seed=1))
    assert not np.array_equal(a, data.augment_digits(X, copies=2, seed=2))
    assert not np.array_equal(a[0], a[1]) and not np.array_equal(a[0], X)
    # nearest-pixel sampling: grey levels are copied, never invented; shifts of 2 pixels keep most of the ink
    assert set(np.unique(a)) <= set(np.unique(X)) | {0.0}
    ink, ink_aug = X.sum(axis=1), a.sum(axis=2)
    assert np.all(np.abs(ink_aug - ink) / ink < 0.25)


def test_augment_digits_with_no_rotation_and_no_shift_is_the_identity():
    X = X_SMALL[:20]
    assert np.array_equal(data.augment_digits(X, copies=1, degrees=0, shift=0, seed=0)[0], X)


# --- dropout -----------------------------------------------------------------------------------------------

def test_with_dropout_inserts_one_layer_after_each_hidden_activation_and_keeps_the_weights():
    plain, dropped = net_for(0, (784, 20, 15, 10)), models.with_dropout(net_for(0, (784, 20, 15, 10)), 0.5)
    kinds = [type(m).__name__ for m in dropped.layers]
    assert kinds == ["Linear", "Sigmoid", "Dropout", "Linear", "Sigmoid", "Dropout", "Linear"]
    X = torch.as_tensor(X_SMALL[:30], dtype=torch.float64)
    dropped.eval()
    assert torch.equal(dropped(X), plain(X))                # evaluation mode: every neuron, no scaling
    dropped.train()
    torch.manual_seed(0)
    assert not torch.equal(dropped(X), plain(X))


# --- L2 and L1 against hand-written SGD --------------------------------------------------------------------

def hand_sgd(net, X, y, lr, epochs, batch_size, seed, l2=0.0, l1=0.0, decay_biases=False):
    n = len(X)
    Xt, yt = torch.as_tensor(X, dtype=torch.float64), torch.as_tensor(y)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(n, generator=gen)
        for i in range(0, n, batch_size):
            idx = order[i:i + batch_size]
            loss = F.cross_entropy(net(Xt[idx]), yt[idx])
            net.zero_grad()
            loss.backward()
            with torch.no_grad():
                for p in net.parameters():
                    g = p.grad.clone()
                    if p.ndim > 1 or decay_biases:
                        g += l2 / n * p + l1 / n * torch.sign(p)      # the notes' ∂C/∂w
                    p -= lr * g
    return net


@pytest.mark.parametrize("l2, l1", [(5.0, 0.0), (0.2, 0.0), (0.0, 1.0), (2.0, 0.5)])
def test_train_regularised_follows_the_notes_update_rule(l2, l1):
    X, y = X_SMALL[::5], Y_SMALL[::5]                      # 200 digits
    a = net_for(7)
    train.train_regularised(a, X, y, lr=0.5, epochs=3, batch_size=10, seed=7, l2=l2, l1=l1)
    b = hand_sgd(net_for(7), X, y, 0.5, 3, 10, seed=7, l2=l2, l1=l1)
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.allclose(p, q, rtol=0, atol=1e-12)


def test_weight_decay_in_one_group_decays_the_biases_too():
    X, y = X_SMALL[::5], Y_SMALL[::5]
    n = len(X)
    one_group = net_for(8)
    train.train_classifier(one_group, X, y, lr=0.5, epochs=2, batch_size=10, seed=8, weight_decay=5.0 / n)
    biases_too = hand_sgd(net_for(8), X, y, 0.5, 2, 10, seed=8, l2=5.0, decay_biases=True)
    weights_only = net_for(8)
    train.train_regularised(weights_only, X, y, lr=0.5, epochs=2, batch_size=10, seed=8, l2=5.0)
    for p, q, r in zip(one_group.parameters(), biases_too.parameters(), weights_only.parameters()):
        assert torch.allclose(p, q, rtol=0, atol=1e-12)
    assert max((p - r).abs().max().item() for p, r in zip(one_group.parameters(), weights_only.parameters())) > 1e-4


def test_without_penalties_train_regularised_is_train_classifier():
    X, y = X_SMALL[::4], Y_SMALL[::4]
    a, b = net_for(9), net_for(9)
    ha = train.train_regularised(a, X, y, {"test": (X_TEST, Y_TEST)}, lr=0.5, epochs=2, batch_size=10, seed=9)
    hb = train.train_classifier(b, X, y, X_TEST, Y_TEST, lr=0.5, epochs=2, batch_size=10, seed=9)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert np.array_equal(ha["test_acc"], hb["test_acc"]) and np.allclose(ha["train_loss"], hb["train_loss"])


def test_augmented_epochs_train_on_the_copies_and_score_on_the_originals():
    X, y = X_SMALL[::10], Y_SMALL[::10]
    copies = np.stack([X, X])                               # copies equal to X: the same run as without them
    a, b = net_for(1), net_for(1)
    ha = train.train_regularised(a, X, y, lr=0.5, epochs=2, batch_size=10, seed=1, augmented=copies)
    hb = train.train_regularised(b, X, y, lr=0.5, epochs=2, batch_size=10, seed=1)
    assert np.array_equal(ha["train_acc"], hb["train_acc"])
    with pytest.raises(ValueError, match="augmented"):
        train.train_regularised(net_for(1), X, y, epochs=1, augmented=X)


# --- the notebook's claims, on other seeds ---------------------------------------------------------------

@pytest.fixture(scope="module")
def other_seed_runs():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)            # as in the notebook: for a model this small, a second thread only waits
    try:
        return _train_other_seeds()
    finally:
        torch.set_num_threads(threads)


def _train_other_seeds():
    out = {}
    for seed in OTHER_SEEDS:
        runs = {}
        for name, kwargs in {"none": {}, "l2": dict(l2=5.0), "l1": dict(l1=1.0),
                             "aug": dict(augmented=data.augment_digits(X_SMALL, copies=20, seed=seed))}.items():
            net = net_for(seed)
            h = train.train_regularised(net, X_SMALL, Y_SMALL, {"test": (X_TEST, Y_TEST)}, seed=seed, **SETTINGS,
                                        **kwargs)
            runs[name] = (net, h["train_acc"][-1], h["test_acc"][-1])
        out[seed] = runs
    return out


def test_claim_a_small_training_set_leaves_a_large_gap(other_seed_runs):
    for runs in other_seed_runs.values():
        _, tr, te = runs["none"]
        assert tr > 0.99 and tr - te > 0.05


def test_claim_augmentation_raises_test_accuracy_and_has_the_smallest_gap(other_seed_runs):
    for runs in other_seed_runs.values():
        gaps = {name: tr - te for name, (_, tr, te) in runs.items()}
        assert runs["aug"][2] > runs["none"][2]
        assert gaps["aug"] == min(gaps.values())


def test_claim_strong_l2_and_l1_shrink_the_gap_but_lower_test_accuracy(other_seed_runs):
    for runs in other_seed_runs.values():
        for name in ("l2", "l1"):
            _, tr, te = runs[name]
            assert tr - te < runs["none"][1] - runs["none"][2] and te < runs["none"][2]


def test_claim_l1_zeroes_many_more_weights_on_inked_pixels_than_l2(other_seed_runs):
    blank = X_SMALL.max(axis=0) == 0
    for runs in other_seed_runs.values():
        W1 = runs["l1"][0].layers[0].weight.detach().numpy()
        W2 = runs["l2"][0].layers[0].weight.detach().numpy()
        assert np.mean(np.abs(W1[:, blank]) < 1e-3) > 0.95 and np.mean(np.abs(W2[:, blank]) < 1e-3) > 0.95
        assert np.mean(np.abs(W1[:, ~blank]) < 1e-3) > 3 * np.mean(np.abs(W2[:, ~blank]) < 1e-3)


# --- the λ slider view ------------------------------------------------------------------------------------

def fake_results(k=4, seeds=3):
    rng = np.random.default_rng(0)
    lambdas = [0.0, 0.1, 0.2, 5.0][:k]
    return {"lambdas": lambdas, "weights": [rng.normal(0, 0.1 / (1 + lam), 500) for lam in lambdas],
            "train_acc": rng.uniform(0.9, 1.0, (k, seeds)), "test_acc": rng.uniform(0.8, 0.9, (k, seeds))}


def test_lambda_view_gives_a_figure_and_a_message_at_every_position():
    results = fake_results()
    pictures = []
    for index in range(4):
        fig, message = widgets.lambda_view(results, index)
        fig.canvas.draw()
        pictures.append(np.asarray(fig.canvas.buffer_rgba()).copy())
        plt.close(fig)
        lam = results["lambdas"][index]
        assert f"λ = {lam:g}" in message and "gap" in message and "±" in message
    assert all(not np.array_equal(pictures[0], p) for p in pictures[1:])    # moving the slider changes the figure


def test_lambda_view_reports_the_right_numbers():
    results = fake_results()
    _, message = widgets.lambda_view(results, 3)
    plt.close("all")
    gap = 100 * (results["train_acc"][3] - results["test_acc"][3])
    assert f"gap {gap.mean():.1f} ± {gap.std(ddof=1):.1f}" in message
    assert f"training {100 * results['train_acc'][3].mean():.1f} %" in message


def test_lambda_view_rejects_bad_results_and_positions_clearly():
    with pytest.raises(ValueError, match="index"):
        widgets.lambda_view(fake_results(), 4)
    with pytest.raises(TypeError, match="results"):
        widgets.lambda_view({"lambdas": [0.0]}, 0)
    bad = fake_results()
    bad["weights"] = bad["weights"][:2]
    with pytest.raises(ValueError, match="one weight array"):
        widgets.lambda_view(bad, 0)


def test_lambda_view_with_one_seed_has_no_spread_but_still_works():
    fig, message = widgets.lambda_view(fake_results(seeds=1), 1)
    plt.close(fig)
    assert "± 0.0" in message and "1 seeds" in message


def test_the_plots_check_their_shapes():
    with pytest.raises(ValueError, match="same shape"):
        plots.plot_accuracy_gap(["a", "b"], np.ones((2, 3)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="labels"):
        plots.plot_accuracy_gap(["a"], np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="current"):
        plots.plot_accuracy_gap(["a", "b"], np.ones((2, 3)), np.ones((2, 3)), current="c")
    fig = plots.plot_weight_histograms({"a": np.zeros(10), "b": np.linspace(-1, 1, 10)})
    assert len(fig.axes[0].patches) == 2
    plt.close("all")
