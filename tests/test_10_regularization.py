"""Notebook 10's helpers: the small stratified split, augmentation, dropout (seeded by train.fit), fit's L2/L1
terms, weight decay and augmented epochs against hand-written SGD, train_mlps_jointly against fit, the notebook's
claims on other seeds (3, 4, 5; validation digits, as the notebook chooses on them), the λ slider view and exercise 3."""
from pathlib import Path

from exercise_runner import check_cell_verdicts

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
HELD = data.first_per_class(Y_ALL, 100, skip=100)
X_VAL, Y_VAL = X_ALL[HELD], Y_ALL[HELD]
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "10_regularization.ipynb"
SETTINGS = dict(lr=0.5, epochs=20, batch_size=10)           # the notebook's
OTHER_SEEDS = [3, 4, 5]                                      # the notebook uses 0, 1, 2


def net_for(seed, sizes=(784, 30, 10)):
    return models.MLP(list(sizes), seed=seed)


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


# --- fit with dropout: seeded by fit, not by torch's global generator ------------------------------------

def test_fit_draws_dropout_from_its_own_seed_and_leaves_the_global_generator_alone():
    X, y = X_SMALL[::10], Y_SMALL[::10]
    runs = []
    for seed, global_seed in [(4, 0), (4, 99), (5, 0)]:
        torch.manual_seed(global_seed)                      # what ran before must not matter
        state = torch.random.get_rng_state()
        net = models.with_dropout(net_for(2), 0.5)
        h = train.fit(net, X, y, loss="cross_entropy", lr=0.5, epochs=2, batch_size=10, seed=seed)
        assert torch.equal(torch.random.get_rng_state(), state)
        runs.append((h["train_loss"], [p.detach().clone() for p in net.parameters()]))
    (loss_a, params_a), (loss_b, params_b), (loss_c, params_c) = runs
    assert np.array_equal(loss_a, loss_b) and all(torch.equal(p, q) for p, q in zip(params_a, params_b))
    assert not np.array_equal(loss_a, loss_c)               # fit's seed sets both the order and the dropout masks


def test_fit_with_dropout_differs_from_fit_without_and_scores_with_every_neuron():
    X, y = X_SMALL[::10], Y_SMALL[::10]
    plain, dropped = net_for(2), models.with_dropout(net_for(2), 0.5)
    hp = train.fit(plain, X, y, loss="cross_entropy", lr=0.5, epochs=2, batch_size=10, seed=4)
    hd = train.fit(dropped, X, y, loss="cross_entropy", lr=0.5, epochs=2, batch_size=10, seed=4)
    assert not np.allclose(hp["train_loss"], hd["train_loss"])
    dropped.eval()
    with torch.no_grad():                                   # the recorded loss is the dropout-free one
        scores = dropped(torch.as_tensor(X, dtype=torch.float64))
    assert np.isclose(hd["train_loss"][-1], F.cross_entropy(scores, torch.as_tensor(y)).item(), rtol=1e-12)


# --- L2 and L1 against hand-written SGD --------------------------------------------------------------------

def hand_sgd(net, X, y, lr, epochs, batch_size, seed, l2=0.0, l1=0.0, decay_biases=False, augmented=None):
    """Mini-batch SGD on cross-entropy written out, the notes' L2/L1 gradients added; epoch e on augmented[e % copies]
    if given."""
    n = len(X)
    Xt, yt = torch.as_tensor(X, dtype=torch.float64), torch.as_tensor(y)
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        inputs = Xt if augmented is None else torch.as_tensor(augmented[epoch % len(augmented)], dtype=torch.float64)
        order = torch.randperm(n, generator=gen)
        for i in range(0, n, batch_size):
            idx = order[i:i + batch_size]
            loss = F.cross_entropy(net(inputs[idx]), yt[idx])
            net.zero_grad()
            loss.backward()
            with torch.no_grad():
                for p in net.parameters():
                    g = p.grad.clone()
                    if p.ndim > 1 or decay_biases:
                        g += l2 / n * p + l1 / n * torch.sign(p)      # the notes' ∂C/∂w
                    p -= lr * g
    return net


def assert_same_parameters(a, b, atol=1e-12):
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.allclose(p, q, rtol=0, atol=atol)


@pytest.mark.parametrize("l2, l1", [(5.0, 0.0), (0.2, 0.0), (0.0, 1.0), (2.0, 0.5), (0.0, 0.0)])
def test_fit_l2_and_l1_follow_the_notes_update_rule(l2, l1):
    X, y = X_SMALL[::5], Y_SMALL[::5]                      # 200 digits
    a = net_for(7)
    train.fit(a, X, y, loss="cross_entropy", lr=0.5, epochs=3, batch_size=10, seed=7, l2=l2, l1=l1)
    b = hand_sgd(net_for(7), X, y, 0.5, 3, 10, seed=7, l2=l2, l1=l1)
    assert_same_parameters(a, b)


def test_weight_decay_in_one_group_decays_the_biases_too():
    X, y = X_SMALL[::5], Y_SMALL[::5]
    n = len(X)
    one_group = net_for(8)
    train.fit(one_group, X, y, loss="cross_entropy", lr=0.5, epochs=2, batch_size=10, seed=8, weight_decay=5.0 / n)
    biases_too = hand_sgd(net_for(8), X, y, 0.5, 2, 10, seed=8, l2=5.0, decay_biases=True)
    weights_only = net_for(8)
    train.fit(weights_only, X, y, loss="cross_entropy", lr=0.5, epochs=2, batch_size=10, seed=8, l2=5.0)
    assert_same_parameters(one_group, biases_too)
    assert max((p - r).abs().max().item() for p, r in zip(one_group.parameters(), weights_only.parameters())) > 1e-4
    # l2 alone is the notes' rule: the weights decay, the biases do not
    assert_same_parameters(weights_only, hand_sgd(net_for(8), X, y, 0.5, 2, 10, seed=8, l2=5.0))


def test_fit_records_loss_and_accuracy_of_every_eval_set_as_scored_by_hand():
    X, y = X_SMALL[::4], Y_SMALL[::4]
    net = net_for(9)
    evals = {"test": (X_TEST[:300], Y_TEST[:300]), "val": (X_ALL[-200:], Y_ALL[-200:])}
    h = train.fit(net, X, y, loss="cross_entropy", lr=0.5, epochs=3, batch_size=10, seed=9, evals=evals)
    assert set(h) == {f"{name}_{m}" for name in ("train", "test", "val") for m in ("loss", "acc")} | {
        "seconds", "diverged_at", "best_epoch"}
    assert all(h[k].shape == (3,) for k in h if k not in ("diverged_at", "best_epoch"))
    assert h["diverged_at"] is None and h["best_epoch"] == int(np.argmin(h["val_loss"])) + 1
    assert_same_parameters(net, hand_sgd(net_for(9), X, y, 0.5, 3, 10, seed=9))
    with torch.no_grad():
        for name, (Xe, ye) in {"train": (X, y), **evals}.items():
            scores = net(torch.as_tensor(Xe, dtype=torch.float64))
            labels = torch.as_tensor(ye)
            assert np.isclose(h[f"{name}_loss"][-1], F.cross_entropy(scores, labels).item(), rtol=1e-12)
            assert h[f"{name}_acc"][-1] == (scores.argmax(dim=1) == labels).double().mean().item()
    assert not np.array_equal(h["test_loss"], h["val_loss"])


def test_augmented_epochs_train_on_the_copies_in_turn_and_score_on_the_originals():
    X, y = X_SMALL[::10], Y_SMALL[::10]
    same = np.stack([X, X])                                 # copies equal to X: the same run as without them
    a, b = net_for(1), net_for(1)
    ha = train.fit(a, X, y, loss="cross_entropy", lr=0.5, epochs=2, batch_size=10, seed=1, augmented=same)
    hb = train.fit(b, X, y, loss="cross_entropy", lr=0.5, epochs=2, batch_size=10, seed=1)
    assert np.array_equal(ha["train_acc"], hb["train_acc"]) and np.array_equal(ha["train_loss"], hb["train_loss"])
    copies = data.augment_digits(X, copies=2, seed=3)       # real copies: epochs 1, 3 on copy 0, epoch 2 on copy 1
    c = net_for(1)
    hc = train.fit(c, X, y, loss="cross_entropy", lr=0.5, epochs=3, batch_size=10, seed=1, augmented=copies)
    assert_same_parameters(c, hand_sgd(net_for(1), X, y, 0.5, 3, 10, seed=1, augmented=copies))
    assert not np.allclose(hc["train_loss"][:2], hb["train_loss"])     # the copies change the run
    with torch.no_grad():                                   # … but it is scored on the digits as they are
        scores = c(torch.as_tensor(X, dtype=torch.float64))
    assert np.isclose(hc["train_loss"][-1], F.cross_entropy(scores, torch.as_tensor(y)).item(), rtol=1e-12)
    with pytest.raises(ValueError, match="augmented"):
        train.fit(net_for(1), X, y, loss="cross_entropy", epochs=1, augmented=X)


def test_fit_refuses_l2_with_another_optimiser_or_with_weight_decay():
    X, y = X_SMALL[::10], Y_SMALL[::10]
    for kwargs in (dict(optimizer="adam"), dict(weight_decay=0.01)):
        with pytest.raises(ValueError, match="l2"):
            train.fit(net_for(1), X, y, loss="cross_entropy", epochs=1, l2=5.0, **kwargs)


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
        copies = data.augment_digits(X_SMALL, copies=20, seed=seed)
        for name, kwargs in {"none": {}, "l2": dict(l2=5.0), "l1": dict(l1=1.0), "aug": dict(augmented=copies)}.items():
            net = net_for(seed)
            h = train.fit(net, X_SMALL, Y_SMALL, loss="cross_entropy", evals={"val": (X_VAL, Y_VAL)}, seed=seed,
                          **SETTINGS, **kwargs)
            tr = h["train_acc"][-1]
            if name == "aug":                               # on the transformed digits it trained on
                tr = np.mean(train.predict_classes(net, copies.reshape(-1, 784)) == np.tile(Y_SMALL, 20))
            runs[name] = (net, tr, h["val_acc"][-1])
            if name == "none":
                NONE_VAL_CURVES[seed] = np.array(h["val_acc"])
        out[seed] = runs
    return out


NONE_VAL_CURVES = {}     # seed → validation accuracy after every epoch without regularisation (filled by the fixture)


def test_claim_a_small_training_set_leaves_a_large_gap(other_seed_runs):
    for runs in other_seed_runs.values():
        _, tr, va = runs["none"]
        assert tr > 0.99 and tr - va > 0.05


def test_claim_early_stopping_gains_little_over_the_last_epoch(other_seed_runs):
    assert set(NONE_VAL_CURVES) == set(OTHER_SEEDS)
    for curve in NONE_VAL_CURVES.values():            # the validation accuracy hardly falls after its best epoch:
        assert curve.max() - curve[-1] < 0.015        # 0.1–0.6 points on seeds 0–2, 1.1 on one of seeds 3–5


def test_claim_four_times_the_digits_halves_the_gap_for_the_same_updates(other_seed_runs):
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        nets = [net_for(s) for s in OTHER_SEEDS]
        train.train_mlps_jointly(nets, X_ALL, Y_ALL, lr=0.5, epochs=5, batch_size=10, seeds=OTHER_SEEDS, score_every=5)
    finally:
        torch.set_num_threads(threads)
    for seed, net in zip(OTHER_SEEDS, nets):
        gap_4000 = np.mean(train.predict_classes(net, X_ALL) == Y_ALL) - np.mean(train.predict_classes(net, X_TEST) == Y_TEST)
        small = other_seed_runs[seed]["none"]
        gap_1000 = small[1] - np.mean(train.predict_classes(small[0], X_TEST) == Y_TEST)
        assert gap_4000 < gap_1000 - 0.03, (seed, gap_4000, gap_1000)


def test_claim_augmentation_raises_validation_accuracy_and_leaves_no_gap(other_seed_runs):
    for runs in other_seed_runs.values():
        _, tr, va = runs["aug"]
        assert va > runs["none"][2] + 0.005 and tr < va
        assert all(va > other[2] for name, other in runs.items() if name != "aug")


def test_claim_strong_l2_and_l1_shrink_the_gap_but_lower_validation_accuracy(other_seed_runs):
    for runs in other_seed_runs.values():
        for name in ("l2", "l1"):
            _, tr, va = runs[name]
            assert tr - va < runs["none"][1] - runs["none"][2] and va < runs["none"][2]


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


# --- train_mlps_jointly: several networks side by side, each on fit's path ------------------------------------

def test_train_mlps_jointly_follows_fit_for_every_network():
    X, y = X_SMALL[::4], Y_SMALL[::4]                      # 250 digits
    settings = [(3, 0.0), (4, 5.0), (3, 1.0)]              # a seed may recur with another λ
    nets = [net_for(seed, (784, 12, 10)) for seed, _ in settings]
    models.init_weights_(nets[2], "normal", seed=3, bias_std=1.0)
    hs = train.train_mlps_jointly(nets, X, y, lr=0.5, epochs=3, batch_size=10, seeds=[s for s, _ in settings],
                                  l2=[lam for _, lam in settings], evals={"val": (X_VAL[:200], Y_VAL[:200])})
    for k, (seed, lam) in enumerate(settings):
        ref = net_for(seed, (784, 12, 10))
        if k == 2:
            models.init_weights_(ref, "normal", seed=3, bias_std=1.0)
        h = train.fit(ref, X, y, loss="cross_entropy", lr=0.5, epochs=3, batch_size=10, seed=seed, l2=lam,
                      evals={"val": (X_VAL[:200], Y_VAL[:200])})
        assert_same_parameters(nets[k], ref, atol=1e-12)
        for key in ("train_loss", "train_acc", "val_loss", "val_acc"):
            assert np.allclose(hs[k][key], h[key], rtol=0, atol=1e-12), key
        W = [m.weight for m in ref.layers if isinstance(m, torch.nn.Linear)]
        assert np.isclose(hs[k]["penalty"][-1], lam / (2 * len(X)) * sum((w ** 2).sum().item() for w in W))
    assert list(hs[0]["epoch"]) == [1, 2, 3]


def test_train_mlps_jointly_scores_every_few_epochs_and_at_the_end():
    h = train.train_mlps_jointly([net_for(0)], X_SMALL[::10], Y_SMALL[::10], epochs=7, score_every=3)[0]
    assert list(h["epoch"]) == [3, 6, 7] and h["train_acc"].shape == (3,)


def test_train_mlps_jointly_refuses_mixed_networks_clearly():
    with pytest.raises(ValueError, match="same sizes"):
        train.train_mlps_jointly([net_for(0), net_for(1, (784, 5, 10))], X_SMALL, Y_SMALL, epochs=1)
    with pytest.raises(ValueError, match="sigmoid"):
        train.train_mlps_jointly([models.MLP([784, 5, 10], activation="relu")], X_SMALL, Y_SMALL, epochs=1)
    with pytest.raises(ValueError, match="one seed per net"):
        train.train_mlps_jointly([net_for(0), net_for(1)], X_SMALL, Y_SMALL, epochs=1, seeds=[0])
    with pytest.raises(ValueError, match="one λ"):
        train.train_mlps_jointly([net_for(0), net_for(1)], X_SMALL, Y_SMALL, epochs=1, l2=[0.1, 0.2, 0.3])


# --- the notebook's start experiment on other seeds --------------------------------------------------------

def test_claim_l2_helps_from_the_large_start_and_not_from_the_default_one():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        settings = [(init, lam, s) for init in ("default", "normal") for lam in (0.0, 1.0) for s in OTHER_SEEDS]
        nets = []
        for init, _, s in settings:
            net = net_for(s)
            if init == "normal":
                models.init_weights_(net, "normal", seed=s, bias_std=1.0)
            nets.append(net)
        hs = train.train_mlps_jointly(nets, X_SMALL, Y_SMALL, lr=0.5, epochs=40, batch_size=10,
                                      seeds=[s for *_, s in settings], l2=[lam for _, lam, _ in settings],
                                      evals={"val": (X_VAL, Y_VAL)}, score_every=40)
    finally:
        torch.set_num_threads(threads)
    val = {key: np.array([h["val_acc"][-1] for k2, h in zip(settings, hs) if k2[:2] == key])
           for key in {(i, lam) for i, lam, _ in settings}}
    assert np.all(val[("normal", 1.0)] - val[("normal", 0.0)] > 0.04)
    assert np.all(val[("default", 1.0)] - val[("default", 0.0)] < 0.01)      # no gain (it may cost: −2.3 on seed 3)
    assert np.all(val[("normal", 0.0)] < val[("default", 0.0)] - 0.04)


# --- the new plot options --------------------------------------------------------------------------------

def test_plot_weight_images_titles_and_row_labels():
    W = np.random.default_rng(0).normal(size=(4, 784))
    fig = plots.plot_weight_images(W, n_cols=2, tile_titles=list("abcd"), row_labels=["top", "bottom"])
    texts = [t.get_text() for ax in fig.axes for t in ax.texts] + [ax.get_title() for ax in fig.axes]
    assert {"a", "b", "c", "d", "top", "bottom"} <= set(texts)
    with pytest.raises(ValueError, match="tile_titles"):
        plots.plot_weight_images(W, tile_titles=["a"])
    with pytest.raises(ValueError, match="row_labels"):
        plots.plot_weight_images(W, n_cols=2, row_labels=["one"])
    plt.close("all")


def test_plot_accuracy_gap_for_categories_has_no_lines_between_them():
    fig = plots.plot_accuracy_gap(["a", "b", "c"], np.ones((3, 2)), np.full((3, 2), 0.9), joined=False,
                                  names=("training", "validation"))
    ax = fig.axes[0]
    assert all(line.get_linestyle() == "None" for line in ax.lines)
    assert any("validation" in t.get_text() for t in ax.get_legend().get_texts())
    with pytest.raises(ValueError, match="names"):
        plots.plot_accuracy_gap(["a"], np.ones((1, 2)), np.ones((1, 2)), names=("one",))
    plt.close("all")


def test_lambda_view_says_validation_when_given_validation_accuracies():
    results = fake_results()
    results["val_acc"] = results.pop("test_acc")
    _, message = widgets.lambda_view(results, 1)
    plt.close("all")
    assert "validation" in message and "test" not in message


# --- exercise 3 -----------------------------------------------------------------------------------------------

RIGHT_ANSWERS = {"answer_1 = None  # TODO: a number": "answer_1 = 0.2 / 1000",
                 "answer_2 = None  # TODO: a whole number of updates": "answer_2 = 60",
                 'start_3 = None  # TODO: the scheme\'s name (a string)': 'start_3 = "scaled"',
                 "answer_3 = None  # TODO: True or False": "answer_3 = False"}


def test_each_check_cell_accepts_a_right_answer_and_refuses_a_wrong_one():
    threads = torch.get_num_threads()
    try:
        verdicts = check_cell_verdicts(NOTEBOOK, RIGHT_ANSWERS)
        assert len(verdicts) == 3 and all(v.startswith("Correct!") for v in verdicts), verdicts
        wrong = dict(RIGHT_ANSWERS)
        wrong["answer_1 = None  # TODO: a number"] = "answer_1 = 0.2"
        wrong["answer_3 = None  # TODO: True or False"] = "answer_3 = True"
        verdicts = check_cell_verdicts(NOTEBOOK, wrong)
        assert verdicts[0].startswith("Not yet") and verdicts[1].startswith("Correct!"), verdicts
        assert verdicts[2].startswith("Not yet") and "one point" in verdicts[2], verdicts
    finally:
        torch.set_num_threads(threads)
