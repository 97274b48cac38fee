"""The public API exists with the names the workflow codes against."""

import numpy as np
import pytest

import shallownet


def test_registries_hold_the_contract_names():
    assert set(shallownet.ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "identity"}
    assert set(shallownet.INITIALIZERS) == {"zeros", "small", "large", "xavier", "he"}


@pytest.mark.parametrize("method", ["direct", "gram"])
def test_fit_returns_history_params_and_status(method):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 8))
    Y = (X[0:1] > 0).astype(float)
    params = shallownet.initialize(5, 3, "he", rng)
    result = shallownet.fit(
        X,
        Y,
        params,
        activation="tanh",
        learning_rate=0.1,
        iterations=25,
        X_dev=X,
        Y_dev=Y,
        record_every=10,
        method=method,
    )
    assert result.status == "ok" and result.diverged_at is None
    assert result.iterations_run == 25 and result.method == method
    assert [record["iteration"] for record in result.history] == [0, 10, 20, 25]
    assert set(result.params) == {"W1", "b1", "W2", "b2"}
    predictions = shallownet.predict(result.params, X, activation="tanh")
    assert predictions.shape == (1, 8) and set(np.unique(predictions)) <= {0, 1}


def test_history_keys_are_public():
    assert shallownet.HISTORY_KEYS[:5] == (
        "iteration",
        "cost",
        "train_accuracy",
        "dev_cost",
        "dev_accuracy",
    )
    assert set(shallownet.DIAGNOSTIC_KEYS) < set(shallownet.HISTORY_KEYS)
