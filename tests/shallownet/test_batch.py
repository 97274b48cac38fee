"""fit_batch: every network of a batch is the network fit trains alone, bit for bit.

A network's arithmetic never depends on the rest of its batch (one matrix product per
network, reductions along its own rows), so the comparisons below are exact, stronger than
the 1e-9 relative that rounding differences would allow. Both paths, every activation and
initializer, mixed learning rates, and networks that diverge next to networks that do not.
"""

import logging

import numpy as np
import pytest

import shallownet
from shallownet import data, fit, fit_batch, training
from shallownet import HISTORY_KEYS

ACTIVATIONS = sorted(shallownet.ACTIVATIONS)
INITIALIZERS = sorted(shallownet.INITIALIZERS)


def assert_same_network(ours, alone):
    assert (ours.status, ours.diverged_at, ours.iterations_run, ours.method) == (
        alone.status,
        alone.diverged_at,
        alone.iterations_run,
        alone.method,
    )
    # repr: exact for floats, and NaN (a diverging network's overflowed diagnostic) equals NaN.
    assert [{key: repr(value) for key, value in record.items()} for record in ours.history] == [
        {key: repr(value) for key, value in record.items()} for record in alone.history
    ]
    for name, value in alone.params.items():
        assert ours.params[name].dtype == value.dtype
        assert ours.params[name].tobytes() == value.tobytes(), name


def starts(n_x, n_h, init, seeds):
    return [shallownet.initialize(n_x, n_h, init, np.random.default_rng(seed)) for seed in seeds]


@pytest.fixture(scope="module")
def planar():
    X, Y = data.make_planar(m=400, noise=0.2, rng=np.random.default_rng(1))
    return {"X": X[:, :320], "Y": Y[:, :320], "X_dev": X[:, 320:], "Y_dev": Y[:, 320:]}


# Learning rates from careful to far too large: 50 makes the ReLU-family and identity
# networks of the planar data diverge within a few hundred iterations, the others not.
PLANAR_RATES = [0.5, 1.2, 50.0, 1.2, 0.05]


def assert_batch_trains_each_network_as_alone(X, Y, params, rates, **settings):
    batch = fit_batch(X, Y, params, learning_rates=rates, **settings)
    assert len(batch) == len(params)
    for start, rate, ours in zip(params, rates, batch):
        assert_same_network(ours, fit(X, Y, start, learning_rate=rate, **settings))


@pytest.mark.parametrize("init", INITIALIZERS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_each_network_of_a_direct_batch_is_the_network_trained_alone(planar, activation, init):
    assert_batch_trains_each_network_as_alone(
        planar["X"],
        planar["Y"],
        starts(2, 5, init, range(len(PLANAR_RATES))),
        PLANAR_RATES,
        activation=activation,
        iterations=300,
        X_dev=planar["X_dev"],
        Y_dev=planar["Y_dev"],
        record_every=40,
        method="direct",
    )


def test_a_diverging_network_stops_alone(planar):
    params = starts(2, 5, "he", range(len(PLANAR_RATES)))
    batch = fit_batch(
        planar["X"],
        planar["Y"],
        params,
        activation="identity",
        learning_rates=PLANAR_RATES,
        iterations=300,
        record_every=40,
    )
    statuses = [result.status for result in batch]
    assert statuses == ["ok", "ok", "diverged", "ok", "ok"]
    diverged = batch[2]
    assert 0 < diverged.diverged_at < 300
    assert diverged.history[-1]["iteration"] == diverged.iterations_run == diverged.diverged_at - 1
    assert all(np.isfinite(value).all() for value in diverged.params.values())
    assert all(result.history[-1]["iteration"] == 300 for result in batch if result.status == "ok")


@pytest.mark.parametrize("init", INITIALIZERS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_each_network_of_a_gram_batch_is_the_network_trained_alone(cat_split, activation, init):
    X = cat_split["X_train"]
    assert_batch_trains_each_network_as_alone(
        X,
        cat_split["Y_train"],
        starts(X.shape[0], 3, init, [0, 1, 2, 3]),
        [0.0075, 0.02, 0.0075, 2.0],
        activation=activation,
        iterations=30,
        X_dev=cat_split["X_dev"],
        Y_dev=cat_split["Y_dev"],
        record_every=10,
        method="gram",
    )


def test_a_network_does_not_depend_on_its_batch(planar, monkeypatch):
    """Reordered, in smaller chunks, or beside networks of another width: the same bits."""
    zero = starts(2, 6, "zeros", [0])
    random = starts(2, 6, "xavier", [1, 2, 3])
    settings = dict(activation="tanh", iterations=200, record_every=50)
    rates = [1.2, 0.3, 2.0, 0.7]
    reference = fit_batch(planar["X"], planar["Y"], zero + random, learning_rates=rates, **settings)
    order = [3, 0, 2, 1]
    reordered = fit_batch(
        planar["X"],
        planar["Y"],
        [(zero + random)[i] for i in order],
        learning_rates=[rates[i] for i in order],
        **settings,
    )
    for position, i in enumerate(order):
        assert_same_network(reordered[position], reference[i])
    monkeypatch.setattr(training, "CHUNK_ELEMENTS", 1)
    one_at_a_time = fit_batch(
        planar["X"], planar["Y"], zero + random, learning_rates=rates, **settings
    )
    for ours, theirs in zip(one_at_a_time, reference):
        assert_same_network(ours, theirs)


@pytest.mark.parametrize("method", ["direct", "gram"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_zero_initialized_networks_of_a_batch_keep_identical_units(cat_split, activation, method):
    X, Y = cat_split["X_train"], cat_split["Y_train"]
    params = starts(X.shape[0], 4, "zeros", [0, 1])
    batch = fit_batch(
        X,
        Y,
        params,
        activation=activation,
        learning_rates=[0.0075, 0.05],
        iterations=100,
        record_every=20,
        method=method,
    )
    for result in batch:
        assert all(record["unit_spread"] == 0.0 for record in result.history)
        W1, b1, W2 = result.params["W1"], result.params["b1"], result.params["W2"]
        assert (W1 == W1[0]).all() and (b1 == b1[0]).all() and (W2 == W2[0, 0]).all()
        # Only sigmoid(0) != 0 lets the zero-initialized units move at all.
        assert W1.any() == (activation == "sigmoid")


@pytest.mark.parametrize("method", ["direct", "gram"])
def test_units_that_start_identical_train_as_textbook_gradient_descent(method):
    """A layer with two pairs of identical units and two distinct ones, trained once per
    distinct unit, against the textbook loop of forward and backward passes."""
    rng = np.random.default_rng(5)
    X = rng.standard_normal((30, 12))
    Y = (X[:1] + 0.3 * rng.standard_normal((1, 12)) > 0).astype(int)
    start = shallownet.initialize(30, 6, "xavier", rng)
    for name in ("W1", "b1"):
        start[name][[1, 4]] = start[name][0]
        start[name][3] = start[name][5]
    start["b1"] += 0.1
    start["W2"][0, [1, 4]] = start["W2"][0, 0]
    start["W2"][0, 3] = start["W2"][0, 5]
    rate, iterations = 0.3, 60
    ours = fit(
        X, Y, start, activation="tanh", learning_rate=rate, iterations=iterations, method=method
    )
    textbook = {name: value.copy() for name, value in start.items()}
    for _ in range(iterations):
        cache = shallownet.forward(textbook, X, activation="tanh")
        gradients = shallownet.backward(textbook, X, Y, cache, activation="tanh")
        for name in textbook:
            textbook[name] -= rate * gradients[f"d{name}"]
    for name, value in textbook.items():
        difference = np.linalg.norm(ours.params[name] - value)
        assert difference <= 1e-12 * np.linalg.norm(value), name
    W1 = ours.params["W1"]
    assert (W1[1] == W1[0]).all() and (W1[4] == W1[0]).all() and (W1[3] == W1[5]).all()
    assert not np.array_equal(W1[0], W1[2])
    # Identical units make the smallest distance exactly 0; the largest is between distinct ones.
    assert [record["unit_gap"] for record in ours.history] == [0.0] * len(ours.history)
    assert ours.history[-1]["unit_spread"] == pytest.approx(shallownet.unit_spread(W1), rel=1e-9)


def test_the_progress_callback_names_the_network_and_one_line_is_logged_per_record(planar, caplog):
    seen = []
    with caplog.at_level(logging.INFO, logger="shallownet"):
        batch = fit_batch(
            planar["X"],
            planar["Y"],
            starts(2, 3, "he", [0, 1, 2]),
            activation="relu",
            learning_rates=[0.1, 0.2, 0.3],
            iterations=20,
            record_every=10,
            progress=lambda network, record: seen.append((network, record)),
        )
    for network, result in enumerate(batch):
        assert [record for index, record in seen if index == network] == result.history
        assert all(tuple(record) == HISTORY_KEYS for record in result.history)
    lines = [message for message in caplog.messages if "iteration" in message]
    assert len(lines) == 3 and all("3 network(s)" in line for line in lines)


def test_fit_batch_never_modifies_its_inputs(planar):
    params = starts(2, 4, "he", [0, 1])
    before = [array.tobytes() for start in params for array in start.values()]
    batch = fit_batch(
        planar["X"],
        planar["Y"],
        params,
        activation="relu",
        learning_rates=[0.5, 1.0],
        iterations=20,
    )
    assert [array.tobytes() for start in params for array in start.values()] == before
    for start, result in zip(params, batch):
        assert not any(np.shares_memory(result.params[name], start[name]) for name in start)


@pytest.mark.parametrize(
    "change,message",
    [
        (dict(learning_rates=[0.1]), r"one learning rate per network \(2\)"),
        (dict(learning_rates=[0.1, -1.0]), "learning_rate of network 1 must be a positive number"),
        (dict(learning_rates=[0.1, np.nan]), "learning_rate of network 1"),
        (dict(params=[]), "params is empty"),
        (dict(sizes=(3, 4)), "network 1 has 4 hidden units but network 0 has 3"),
        (dict(broken=True), r"network 1: W2 has shape \(1, 2\), expected \(1, 3\)"),
    ],
)
def test_invalid_batches_are_rejected_naming_the_network(planar, change, message):
    sizes = change.pop("sizes", (3, 3))
    params = [shallownet.initialize(2, n_h, "he", np.random.default_rng(0)) for n_h in sizes]
    if change.pop("broken", False):
        params[1]["W2"] = params[1]["W2"][:, :2]
    arguments = dict(params=params, learning_rates=[0.1, 0.2]) | change
    if not arguments["params"]:
        arguments["learning_rates"] = []
    with pytest.raises(ValueError, match=message):
        fit_batch(planar["X"], planar["Y"], activation="relu", iterations=1, **arguments)
