"""Training masks and per-network training sets in fit_batch.

A network with a training mask is the network trained on its masked columns alone: its sums
run over every column with the held-out ones weighted 0, so the two agree to rounding: 1e-9
relative over 30 iterations, on both paths and for every activation. (As test_gram.py
explains, tanh on the cat images amplifies any rounding difference geometrically, about 100x
per 10 iterations at these rates: from 2e-16 at iteration 10 to 1e-12 at 30 and 1e-8 at 50.)
Its held-out columns are its dev set when no X_dev is given. One training set per network
(X of shape (B, n_x, m)) trains each network exactly as alone, bit for bit.
"""

import numpy as np
import pytest

import shallownet
from shallownet import HISTORY_KEYS, data, fit, fit_batch, training

RELATIVE = 1e-9
ACTIVATIONS = sorted(shallownet.ACTIVATIONS)


def relative_difference(value, reference):
    if value == reference:
        return 0.0
    return abs(value - reference) / abs(reference)


def assert_close_networks(ours, reference, keys=HISTORY_KEYS):
    assert (ours.status, ours.iterations_run) == (reference.status, reference.iterations_run)
    for name, value in reference.params.items():
        difference = np.linalg.norm(ours.params[name] - value)
        assert difference <= RELATIVE * np.linalg.norm(value), f"{name}: {difference:.2e}"
    assert len(ours.history) == len(reference.history)
    for mine, theirs in zip(ours.history, reference.history):
        for key in keys:
            if theirs[key] is None:
                assert mine[key] is None, key
                continue
            assert relative_difference(mine[key], theirs[key]) <= RELATIVE, (
                mine["iteration"],
                key,
            )


def fold_masks(m, folds, seed=0):
    """Boolean training masks (folds, m): network i holds out every folds-th column from i."""
    order = np.random.default_rng(seed).permutation(m)
    fold = np.empty(m, dtype=int)
    fold[order] = np.arange(m) % folds
    return np.stack([fold != i for i in range(folds)])


@pytest.fixture(scope="module")
def planar():
    return data.make_planar(m=200, noise=0.2, rng=np.random.default_rng(1))


@pytest.mark.parametrize("method", ["direct", "gram"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_a_masked_network_is_the_network_trained_on_its_columns(cat_data, method, activation):
    X, Y = cat_data["X_train"], cat_data["Y_train"]
    masks = fold_masks(X.shape[1], 5)
    starts = [
        shallownet.initialize(X.shape[0], 4, "xavier", np.random.default_rng(s)) for s in (0, 1)
    ]
    settings = dict(activation=activation, iterations=30, record_every=10, method=method)
    batch = fit_batch(
        X, Y, starts, learning_rates=[0.0075, 0.025], train_mask=masks[:2], **settings
    )
    for network, (start, rate, mask) in enumerate(zip(starts, (0.0075, 0.025), masks)):
        alone = fit(
            X[:, mask],
            Y[:, mask],
            start,
            learning_rate=rate,
            X_dev=X[:, ~mask],
            Y_dev=Y[:, ~mask],
            **settings,
        )
        # The held-out columns are the dev set of the masked network's history.
        assert_close_networks(batch[network], alone)


def test_zero_initialized_masked_units_stay_identical(cat_data):
    X, Y = cat_data["X_train"], cat_data["Y_train"]
    start = shallownet.initialize(X.shape[0], 3, "zeros", np.random.default_rng(0))
    result = fit(
        X,
        Y,
        start,
        activation="sigmoid",
        learning_rate=0.025,
        iterations=30,
        train_mask=fold_masks(X.shape[1], 5)[0],
        method="gram",
    )
    W1 = result.params["W1"]
    assert np.abs(W1).max() > 0  # sigmoid's zero-init units move ...
    assert all(record["unit_spread"] == 0 for record in result.history)  # ... identically
    assert (W1 == W1[0]).all()


@pytest.mark.parametrize("activation", ["sigmoid", "identity"])
def test_compacted_gram_networks_are_the_networks_trained_alone(cat_data, activation):
    """From training.COMPACT_UNITS distinct units a masked gram network trains on its own
    columns only; a cell's batch (3 learning rates x 5 folds of unequal sizes, rate-major
    as the workflow orders them; the largest diverges with identity) trains each as alone, bit for bit, and
    as the network trained on its columns, to rounding."""
    X, Y = cat_data["X_train"], cat_data["Y_train"]
    masks = fold_masks(X.shape[1], 5)
    assert len(set(masks.sum(axis=1))) == 2
    hidden = training.COMPACT_UNITS
    starts = [
        shallownet.initialize(X.shape[0], hidden, "he", np.random.default_rng(seed))
        for seed in range(5)
    ]
    rates = [0.0075, 0.025, 1e4]
    members = [(rate, fold) for rate in rates for fold in range(5)]
    settings = dict(activation=activation, iterations=30, record_every=10, method="gram")
    batch = fit_batch(
        X,
        Y,
        [starts[fold] for _, fold in members],
        learning_rates=[rate for rate, _ in members],
        train_mask=masks[[fold for _, fold in members]],
        **settings,
    )
    statuses = [result.status for result in batch]
    assert statuses[-5:] == ["diverged" if activation == "identity" else "ok"] * 5
    for result, (rate, fold) in zip(batch, members):
        alone = fit(X, Y, starts[fold], learning_rate=rate, train_mask=masks[fold], **settings)
        assert [repr(record) for record in result.history] == [
            repr(record) for record in alone.history
        ]
        assert (result.status, result.iterations_run) == (alone.status, alone.iterations_run)
        for name, value in alone.params.items():
            assert result.params[name].tobytes() == value.tobytes(), name
    mask = masks[0]
    on_its_columns = fit(
        X[:, mask],
        Y[:, mask],
        starts[0],
        learning_rate=rates[0],
        X_dev=X[:, ~mask],
        Y_dev=Y[:, ~mask],
        **settings,
    )
    assert_close_networks(batch[0], on_its_columns)


@pytest.mark.parametrize("method", ["direct", "gram"])
def test_a_masked_network_in_a_batch_is_the_masked_network_trained_alone(planar, method):
    X, Y = planar
    masks = fold_masks(X.shape[1], 3)
    starts = [shallownet.initialize(2, 5, "he", np.random.default_rng(seed)) for seed in range(3)]
    settings = dict(activation="tanh", iterations=120, record_every=30, method=method)
    batch = fit_batch(X, Y, starts, learning_rates=[0.5, 1.2, 50.0], train_mask=masks, **settings)
    for result, start, rate, mask in zip(batch, starts, (0.5, 1.2, 50.0), masks):
        alone = fit(X, Y, start, learning_rate=rate, train_mask=mask, **settings)
        assert result.history == alone.history
        for name, value in alone.params.items():
            assert result.params[name].tobytes() == value.tobytes(), name


@pytest.mark.parametrize("method", ["direct", "gram"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_each_network_of_its_own_training_set_is_trained_as_alone(activation, method):
    draws = [
        data.make_planar(m=120, noise=0.2, rng=np.random.default_rng(seed)) for seed in (1, 2, 3)
    ]
    X_dev, Y_dev = data.make_planar(m=60, noise=0.2, rng=np.random.default_rng(9))
    X, Y = np.stack([x for x, _ in draws]), np.stack([y for _, y in draws])
    starts = [
        shallownet.initialize(2, 4, "xavier", np.random.default_rng(seed)) for seed in range(3)
    ]
    settings = dict(
        activation=activation,
        iterations=80,
        record_every=20,
        method=method,
        X_dev=X_dev,
        Y_dev=Y_dev,
    )
    batch = fit_batch(X, Y, starts, learning_rates=[0.4, 1.2, 4.0], **settings)
    for result, (x, y), start, rate in zip(batch, draws, starts, (0.4, 1.2, 4.0)):
        alone = fit(x, y, start, learning_rate=rate, **settings)
        assert [repr(record) for record in result.history] == [
            repr(record) for record in alone.history
        ]
        for name, value in alone.params.items():
            assert result.params[name].tobytes() == value.tobytes(), name


def test_a_network_without_held_out_columns_has_no_dev_metrics(planar):
    X, Y = planar
    start = shallownet.initialize(2, 3, "he", np.random.default_rng(0))
    mask = np.ones(X.shape[1], dtype=bool)
    result = fit(X, Y, start, activation="relu", learning_rate=0.5, iterations=10, train_mask=mask)
    assert all(record["dev_cost"] is None for record in result.history)
    reference = fit(X, Y, start, activation="relu", learning_rate=0.5, iterations=10)
    assert_close_networks(result, reference)


@pytest.mark.parametrize(
    "mask, message",
    [
        (np.ones((2, 200), dtype=int), "bool array of shape"),
        (np.ones((3, 200), dtype=bool), r"shape \(2, 200\)"),
        (np.vstack([np.ones(200, bool), np.zeros(200, bool)]), "network 1 selects no training"),
    ],
)
def test_bad_masks_are_refused(planar, mask, message):
    X, Y = planar
    starts = [shallownet.initialize(2, 3, "he", np.random.default_rng(s)) for s in (0, 1)]
    with pytest.raises(ValueError, match=message):
        fit_batch(
            X,
            Y,
            starts,
            activation="tanh",
            learning_rates=[1.0, 1.0],
            iterations=1,
            train_mask=mask,
        )


def test_per_network_training_sets_must_match_the_batch(planar):
    X, Y = planar
    starts = [shallownet.initialize(2, 3, "he", np.random.default_rng(s)) for s in (0, 1)]
    with pytest.raises(ValueError, match="one training set per network"):
        fit_batch(
            np.stack([X] * 3),
            np.stack([Y] * 3),
            starts,
            activation="tanh",
            learning_rates=[1.0, 1.0],
            iterations=1,
        )
