"""Forward/backward: finite-difference gradient check, a hand-worked step, linear collapse."""

import math

import numpy as np
import pytest

import shallownet
from shallownet import (
    ACTIVATIONS,
    backward,
    cost_from_logits,
    decision_function,
    fit,
    forward,
    predict,
)

NAMES = sorted(ACTIVATIONS)


def random_params(rng, n_x, n_h):
    """N(0, 1) weights and biases (non-zero biases so that their gradients are checked too)."""
    return {
        "W1": rng.standard_normal((n_h, n_x)),
        "b1": rng.standard_normal((n_h, 1)),
        "W2": rng.standard_normal((1, n_h)),
        "b2": rng.standard_normal((1, 1)),
    }


def start_params(kind, rng, n_x, n_h):
    return (
        random_params(rng, n_x, n_h)
        if kind == "random"
        else shallownet.initialize(n_x, n_h, "he", rng)
    )


def numerical_gradient(params, X, Y, activation, alpha, name, h=1e-6):
    """Central differences of the cost with respect to every entry of params[name]."""
    gradient = np.zeros_like(params[name])
    for index in np.ndindex(params[name].shape):
        costs = []
        for sign in (1, -1):
            shifted = {key: value.copy() for key, value in params.items()}
            shifted[name][index] += sign * h
            Z2 = decision_function(shifted, X, activation=activation, alpha=alpha)
            costs.append(cost_from_logits(Z2, Y))
        gradient[index] = (costs[0] - costs[1]) / (2 * h)
    return gradient


@pytest.mark.parametrize("init", ["random", "he"])
@pytest.mark.parametrize(
    "activation,alpha", [(name, 0.01) for name in NAMES] + [("leaky_relu", 0.2)]
)
def test_gradient_check(tiny_problem, activation, alpha, init):
    X, Y = tiny_problem
    params = start_params(init, np.random.default_rng(7), n_x=4, n_h=3)
    cache = forward(params, X, activation=activation, alpha=alpha)
    # Central differences are only valid away from the ReLU kink.
    assert np.abs(cache["Z1"]).min() > 1e-4
    analytic = backward(params, X, Y, cache, activation=activation, alpha=alpha)
    for name in ("W1", "b1", "W2", "b2"):
        numeric = numerical_gradient(params, X, Y, activation, alpha, name)
        exact = analytic["d" + name]
        error = np.linalg.norm(exact - numeric) / (np.linalg.norm(exact) + np.linalg.norm(numeric))
        assert error < 1e-7, f"{name}: relative error {error:.2e}"


@pytest.mark.parametrize("method", ["direct", "gram"])
@pytest.mark.parametrize("activation", NAMES)
def test_one_fit_iteration_is_one_gradient_step(tiny_problem, activation, method):
    X, Y = tiny_problem
    params = random_params(np.random.default_rng(3), 4, 3)
    gradients = backward(
        params, X, Y, forward(params, X, activation=activation), activation=activation
    )
    learning_rate = 0.3
    result = fit(
        X,
        Y,
        params,
        activation=activation,
        learning_rate=learning_rate,
        iterations=1,
        method=method,
    )
    for name in params:
        np.testing.assert_allclose(
            result.params[name],
            params[name] - learning_rate * gradients["d" + name],
            rtol=1e-12,
            atol=1e-14,
        )


@pytest.mark.parametrize("method", ["direct", "gram"])
def test_hand_worked_gradient_descent_step(method):
    # One input, two examples, two ReLU hidden units, lr = 0.5:
    #   X = [1, 2], Y = [1, 0], W1 = [[1], [-1]], b1 = 0, W2 = [1, 1], b2 = 0.
    # Forward: Z1 = [[1, 2], [-1, -2]], A1 = [[1, 2], [0, 0]], Z2 = [1, 2].
    s1, s2 = 1 / (1 + math.exp(-1)), 1 / (1 + math.exp(-2))  # A2 = [s1, s2]
    # Cost: -(log s1 + log(1 - s2)) / 2.
    cost = -(math.log(s1) + math.log(1 - s2)) / 2
    # Backward: dZ2 = A2 - Y = [s1 - 1, s2]; m = 2.
    e1, e2 = s1 - 1, s2
    dW2 = [(e1 * 1 + e2 * 2) / 2, (e1 * 0 + e2 * 0) / 2]  # dZ2 A1^T / m
    db2 = (e1 + e2) / 2
    # dZ1 = W2^T dZ2 * relu'(Z1) = [[e1, e2], [0, 0]] (second unit is negative: slope 0).
    dW1 = [(e1 * 1 + e2 * 2) / 2, 0.0]  # dZ1 X^T / m
    db1 = [(e1 + e2) / 2, 0.0]
    learning_rate = 0.5
    expected = {
        "W1": np.array([[1 - learning_rate * dW1[0]], [-1 - learning_rate * dW1[1]]]),
        "b1": np.array([[-learning_rate * db1[0]], [-learning_rate * db1[1]]]),
        "W2": np.array([[1 - learning_rate * dW2[0], 1 - learning_rate * dW2[1]]]),
        "b2": np.array([[-learning_rate * db2]]),
    }
    start = {
        "W1": np.array([[1.0], [-1.0]]),
        "b1": np.zeros((2, 1)),
        "W2": np.array([[1.0, 1.0]]),
        "b2": np.zeros((1, 1)),
    }
    result = fit(
        np.array([[1.0, 2.0]]),
        np.array([[1, 0]]),
        start,
        activation="relu",
        learning_rate=learning_rate,
        iterations=1,
        record_every=1,
        method=method,
    )
    for name, value in expected.items():
        np.testing.assert_allclose(result.params[name], value, rtol=1e-14, atol=1e-15)
    assert result.history[0]["cost"] == pytest.approx(cost, rel=1e-14)
    assert result.history[0]["grad_norm_W2"] == pytest.approx(math.hypot(*dW2), rel=1e-14)
    assert result.history[0]["train_accuracy"] == 0.5  # Z2 = [1, 2] > 0: predicts [1, 1]


def test_identity_network_collapses_to_a_linear_function(cat_split):
    X, Y = cat_split["X_train"], cat_split["Y_train"]
    start = shallownet.initialize(X.shape[0], 5, "he", np.random.default_rng(0))
    params = fit(X, Y, start, activation="identity", learning_rate=0.0075, iterations=100).params
    # W2 (W1 X + b1) + b2 = (W2 W1) X + (W2 b1 + b2): one linear unit, i.e. logistic regression.
    w = params["W2"] @ params["W1"]
    b = params["W2"] @ params["b1"] + params["b2"]
    for X_eval in (X, cat_split["X_dev"]):
        Z2 = decision_function(params, X_eval, activation="identity")
        np.testing.assert_allclose(Z2, w @ X_eval + b, rtol=1e-10, atol=1e-12)
        np.testing.assert_array_equal(
            predict(params, X_eval, activation="identity"), (w @ X_eval + b > 0).astype(int)
        )


def test_predict_thresholds_the_output_probability_at_one_half():
    params = {
        "W1": np.eye(1),
        "b1": np.zeros((1, 1)),
        "W2": np.ones((1, 1)),
        "b2": np.zeros((1, 1)),
    }
    X = np.array([[-2.0, -1e-9, 1e-9, 3.0]])
    np.testing.assert_array_equal(predict(params, X, activation="identity"), [[0, 0, 1, 1]])
    np.testing.assert_allclose(
        forward(params, X, activation="identity")["A2"] > 0.5, [[False, False, True, True]]
    )


def test_forward_rejects_params_of_the_wrong_shape(tiny_problem):
    X, _ = tiny_problem
    params = shallownet.initialize(5, 3, "small", np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"W1 has shape \(3, 5\), expected \(3, 4\)"):
        forward(params, X, activation="tanh")
