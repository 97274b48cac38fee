"""fit: history, diagnostics, divergence, symmetry of zero init, determinism, no mutation."""

import itertools
import logging

import numpy as np
import pytest

import shallownet
from shallownet import backward, fit, forward
from shallownet import HISTORY_KEYS
from shallownet import training
from shallownet.training import choose_method

METHODS = ["direct", "gram"]


def wide_problem(seed=0, n_x=30, m=12):
    """Fewer examples than features, so both methods apply naturally."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (X[:1] + 0.3 * rng.standard_normal((1, m)) > 0).astype(int)
    return X, Y, rng


@pytest.mark.parametrize("method", METHODS)
def test_history_schedule_keys_and_status(method):
    X, Y, rng = wide_problem()
    start = shallownet.initialize(30, 4, "xavier", rng)
    result = fit(
        X,
        Y,
        start,
        activation="tanh",
        learning_rate=0.05,
        iterations=100,
        record_every=30,
        method=method,
    )
    assert [record["iteration"] for record in result.history] == [0, 30, 60, 90, 100]
    assert all(tuple(record) == HISTORY_KEYS for record in result.history)
    assert all(
        record["dev_cost"] is None and record["dev_accuracy"] is None for record in result.history
    )
    assert (result.status, result.iterations_run, result.diverged_at) == ("ok", 100, None)
    assert result.history[-1]["cost"] < result.history[0]["cost"]
    exact = fit(
        X,
        Y,
        start,
        activation="tanh",
        learning_rate=0.05,
        iterations=90,
        record_every=30,
        method=method,
    )
    assert [record["iteration"] for record in exact.history] == [0, 30, 60, 90]


@pytest.mark.parametrize("method", METHODS)
def test_last_record_describes_the_returned_parameters(method):
    X, Y, rng = wide_problem()
    start = shallownet.initialize(30, 4, "he", rng)
    X_dev, Y_dev = X[:, :5], Y[:, :5]
    result = fit(
        X,
        Y,
        start,
        activation="relu",
        learning_rate=0.05,
        iterations=7,
        X_dev=X_dev,
        Y_dev=Y_dev,
        method=method,
    )
    last = result.history[-1]
    cache = forward(result.params, X, activation="relu")
    gradients = backward(result.params, X, Y, cache, activation="relu")
    dev_Z2 = shallownet.decision_function(result.params, X_dev, activation="relu")
    assert last["iteration"] == 7
    assert last["cost"] == pytest.approx(shallownet.cost_from_logits(cache["Z2"], Y), rel=1e-12)
    assert last["train_accuracy"] == shallownet.accuracy(cache["Z2"] > 0, Y)
    assert last["dev_cost"] == pytest.approx(shallownet.cost_from_logits(dev_Z2, Y_dev), rel=1e-12)
    assert last["dev_accuracy"] == shallownet.accuracy(dev_Z2 > 0, Y_dev)
    assert last["grad_norm_W1"] == pytest.approx(np.linalg.norm(gradients["dW1"]), rel=1e-12)
    assert last["grad_norm_W2"] == pytest.approx(np.linalg.norm(gradients["dW2"]), rel=1e-12)
    assert last["dead_fraction"] == np.mean(np.all(cache["Z1"] <= 0, axis=1))
    assert last["saturation"] == np.mean(cache["Z1"] <= 0)  # relu' is 0 or 1
    distances = [np.linalg.norm(a - b) for a, b in itertools.combinations(result.params["W1"], 2)]
    assert last["unit_spread"] == pytest.approx(max(distances), rel=1e-12)
    assert last["unit_gap"] == pytest.approx(min(distances), rel=1e-9)
    assert last["unit_gap"] == pytest.approx(shallownet.unit_gap(result.params["W1"]), rel=1e-9)


@pytest.mark.parametrize("method", METHODS)
def test_saturation_dead_units_and_identity(method):
    X, Y, rng = wide_problem()
    # Inputs scaled so that 'large' weights push sigmoid pre-activations far into the tails.
    large = shallownet.initialize(30, 6, "large", rng, scale=20.0)
    small = shallownet.initialize(30, 6, "small", rng)
    settings = dict(learning_rate=1e-3, iterations=0, method=method)
    assert fit(X, Y, large, activation="sigmoid", **settings).history[0]["saturation"] > 0.8
    assert fit(X, Y, small, activation="sigmoid", **settings).history[0]["saturation"] == 0.0
    assert fit(X, Y, large, activation="identity", **settings).history[0]["saturation"] == 0.0
    # One ReLU unit with a very negative bias is off on every example: 1 dead unit of 6.
    dead = {name: value.copy() for name, value in small.items()}
    dead["b1"][2] = -1e3
    record = fit(X, Y, dead, activation="relu", **settings).history[0]
    assert record["dead_fraction"] == pytest.approx(1 / 6)
    assert fit(X, Y, dead, activation="leaky_relu", **settings).history[0]["dead_fraction"] == 0.0


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_zero_init_keeps_hidden_units_identical_on_real_data(cat_split, activation, method):
    X, Y = cat_split["X_train"], cat_split["Y_train"]
    start = shallownet.initialize(X.shape[0], 4, "zeros", np.random.default_rng(0))
    result = fit(
        X,
        Y,
        start,
        activation=activation,
        learning_rate=0.0075,
        iterations=100,
        record_every=20,
        method=method,
    )
    W1, W2 = result.params["W1"], result.params["W2"]
    assert all(record["unit_spread"] == 0.0 for record in result.history)
    if activation == "sigmoid":
        # sigmoid(0) = 1/2: W2 moves, identically for every unit, and then W1 does too.
        assert W1.any()
        assert (W1 == W1[0]).all() and (W2 == W2[0, 0]).all()
    else:
        # tanh(0) = relu(0) = 0: no signal reaches W2, so no gradient ever reaches W1.
        assert not W1.any()


@pytest.mark.parametrize("init", ["small", "xavier", "he"])
def test_random_init_breaks_the_symmetry(cat_split, init):
    X, Y = cat_split["X_train"], cat_split["Y_train"]
    start = shallownet.initialize(X.shape[0], 4, init, np.random.default_rng(0))
    result = fit(
        X, Y, start, activation="tanh", learning_rate=0.0075, iterations=20, record_every=10
    )
    assert all(record["unit_spread"] > 0 for record in result.history)


@pytest.mark.parametrize("method", METHODS)
def test_fit_never_modifies_its_inputs(method):
    X, Y, rng = wide_problem()
    start = shallownet.initialize(30, 4, "he", rng)
    X_dev, Y_dev = X[:, :4].copy(), Y[:, :4].copy()
    arrays = [X, Y, X_dev, Y_dev, *start.values()]
    before = [array.tobytes() for array in arrays]
    result = fit(
        X,
        Y,
        start,
        activation="relu",
        learning_rate=0.1,
        iterations=20,
        X_dev=X_dev,
        Y_dev=Y_dev,
        method=method,
    )
    assert [array.tobytes() for array in arrays] == before
    assert not any(np.shares_memory(result.params[name], start[name]) for name in start)


@pytest.mark.parametrize("method", METHODS)
def test_same_inputs_give_byte_identical_results(method):
    X, Y, rng = wide_problem()
    start = shallownet.initialize(30, 5, "xavier", rng)
    runs = [
        fit(
            X,
            Y,
            start,
            activation="sigmoid",
            learning_rate=0.5,
            iterations=50,
            record_every=10,
            method=method,
        )
        for _ in range(2)
    ]
    assert runs[0].history == runs[1].history
    for name in start:
        assert runs[0].params[name].tobytes() == runs[1].params[name].tobytes()


@pytest.mark.parametrize("method", METHODS)
def test_float32_training(method):
    X, Y, rng = wide_problem()
    start = shallownet.initialize(30, 4, "xavier", rng)
    settings = dict(activation="tanh", learning_rate=0.1, iterations=30, method=method)
    single = fit(X, Y, start, dtype=np.float32, **settings)
    double = fit(X, Y, start, **settings)
    assert all(value.dtype == np.float32 for value in single.params.values())
    for name in start:
        np.testing.assert_allclose(single.params[name], double.params[name], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("method", METHODS)
def test_divergence_stops_with_the_last_finite_state(method):
    X, Y, rng = wide_problem()
    X = 10 * X
    start = shallownet.initialize(30, 4, "large", rng)
    result = fit(
        X,
        Y,
        start,
        activation="identity",
        learning_rate=1e3,
        iterations=500,
        record_every=1000,
        method=method,
    )
    assert result.status == "diverged"
    assert 0 < result.diverged_at < 500
    assert result.iterations_run == result.diverged_at - 1
    assert [record["iteration"] for record in result.history] == [0, result.iterations_run]
    assert all(np.isfinite(value).all() for value in result.params.values())
    last = result.history[-1]
    assert all(np.isfinite(last[key]) for key in HISTORY_KEYS if last[key] is not None)
    # The returned parameters are the ones the last record describes.
    Z2 = shallownet.decision_function(result.params, X, activation="identity")
    assert last["cost"] == pytest.approx(shallownet.cost_from_logits(Z2, Y), rel=1e-9)


def test_divergence_at_the_start_is_reported_not_raised():
    X, Y, rng = wide_problem()
    start = shallownet.initialize(30, 4, "large", rng, scale=1e306)
    start["W2"] *= 1e306  # absurd weights in both layers: the first logits overflow
    result = fit(X, Y, start, activation="identity", learning_rate=0.1, iterations=10)
    assert (result.status, result.diverged_at, result.iterations_run) == ("diverged", 0, 0)
    assert len(result.history) == 1 and not np.isfinite(result.history[0]["cost"])


def test_progress_callback_and_logging(caplog):
    X, Y, rng = wide_problem()
    start = shallownet.initialize(30, 4, "he", rng)
    seen = []
    with caplog.at_level(logging.INFO, logger="shallownet"):
        result = fit(
            X,
            Y,
            start,
            activation="relu",
            learning_rate=0.1,
            iterations=20,
            record_every=10,
            progress=seen.append,
        )
    assert seen == result.history
    assert sum("iteration" in message for message in caplog.messages) == 3


def test_auto_picks_gram_only_with_fewer_examples_than_features():
    assert choose_method("auto", n_x=12288, m=168) == "gram"
    assert choose_method("auto", n_x=2, m=320) == "direct"
    assert choose_method("direct", n_x=12288, m=168) == "direct"
    X, Y, rng = wide_problem()
    start = shallownet.initialize(30, 2, "he", rng)
    assert fit(X, Y, start, activation="relu", learning_rate=0.1, iterations=1).method == "gram"


@pytest.mark.parametrize(
    "change,message",
    [
        (dict(activation="swish"), "unknown activation"),
        (dict(method="sgd"), "unknown method"),
        (dict(dtype=np.float16), "dtype"),
        (dict(learning_rate=0.0), "learning_rate"),
        (dict(iterations=-1), "iterations"),
        (dict(record_every=0), "record_every"),
        (dict(Y=np.array([[0, 1, 2, 1, 0, 1, 0, 1, 0, 1, 0, 1]])), "labels 0 and 1"),
        (dict(Y=np.zeros((1, 5))), r"shape \(1, 12\)"),
        (dict(X_dev=np.zeros((30, 2))), "both X_dev and Y_dev"),
        (dict(X_dev=np.zeros((3, 2)), Y_dev=np.zeros((1, 2))), "features"),
    ],
)
def test_invalid_arguments_are_rejected(change, message):
    X, Y, rng = wide_problem()
    arguments = dict(
        X=X,
        Y=Y,
        params=shallownet.initialize(30, 2, "he", rng),
        activation="relu",
        learning_rate=0.1,
        iterations=1,
    )
    arguments.update(change)
    with pytest.raises(ValueError, match=message):
        fit(**arguments)


def test_the_output_of_one_distinct_unit_has_the_bits_of_the_matrix_product():
    # With one unit, Z2 = count W2 g(Z1) + b2 is computed as a multiplication: the product it
    # replaces sums its one term from +0, so a -0 term must give +0 there too.
    rng = np.random.default_rng(0)
    networks = object.__new__(training._Networks)
    networks.counts = np.array([[1.0], [3.0], [1.0], [2.0]])
    networks.W2 = np.array([[-1.5], [0.5], [0.0], [-0.0]])
    networks.b2 = np.array([[0.0], [-0.0], [0.25], [-0.0]])
    A1 = rng.standard_normal((4, 1, 6))
    A1[:, :, :2] = [0.0, -0.0]
    weights = (networks.counts * networks.W2)[:, np.newaxis, :]
    expected = np.matmul(weights, A1)[:, 0, :] + networks.b2
    assert networks.output(A1).tobytes() == expected.tobytes()
