"""Cost from logits and accuracy: correct, stable, finite when confidently wrong."""

import math
import warnings

import numpy as np
import pytest

from shallownet import accuracy, cost_from_logits
from shallownet.losses import cross_entropy_and_gradient


def test_cost_matches_the_cross_entropy_formula():
    Z2 = np.array([[-2.0, -0.5, 0.3, 1.7]])
    Y = np.array([[0, 1, 1, 0]])
    A2 = 1 / (1 + np.exp(-Z2))
    expected = -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))
    assert cost_from_logits(Z2, Y) == pytest.approx(expected, rel=1e-14)


def test_cost_is_finite_and_exact_at_extreme_logits_without_warnings():
    Z2 = np.array([[1e4, -1e4, 1e4, -1e4]])
    wrong = np.array([[0, 1, 0, 1]])  # confidently wrong everywhere: loss |z| per example
    right = 1 - wrong
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        assert cost_from_logits(Z2, wrong) == 1e4
        assert cost_from_logits(Z2, right) == 0.0
        # A moderate tail keeps its precision: log(1 + e^-40) is about 4.25e-18, not 0.
        assert cost_from_logits(np.array([[40.0]]), np.array([[1]])) == pytest.approx(
            math.exp(-40), rel=1e-12
        )


def test_gradient_is_sigmoid_minus_label_over_m():
    Z2 = np.array([[-2.0, -0.5, 0.3, 1.7, 0.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0, 1.0]])
    cost, dZ2 = cross_entropy_and_gradient(1 - 2 * Y, Z2)
    assert cost == pytest.approx(cost_from_logits(Z2, Y), rel=1e-15)
    np.testing.assert_allclose(dZ2, (1 / (1 + np.exp(-Z2)) - Y) / Z2.shape[1], rtol=1e-14)


def test_gradient_is_finite_and_precise_at_extreme_logits_without_warnings():
    Z2 = np.array([[1e4, -1e4, 40.0, -40.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])  # wrong, wrong, right, right
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        cost, dZ2 = cross_entropy_and_gradient(1 - 2 * Y, Z2)
    assert cost == pytest.approx((1e4 + 1e4 + 2 * math.log1p(math.exp(-40))) / 4, rel=1e-15)
    np.testing.assert_array_equal(dZ2[0, :2], [0.25, -0.25])  # (1 - 0) / 4 and (0 - 1) / 4
    # A right prediction keeps full relative precision: sigmoid(40) - 1 = -e^-40 / (1 + e^-40),
    # about -4.2e-18, which sigmoid(z) - y would round to 0 (sigmoid(40) rounds to 1).
    tail = math.exp(-40) / (1 + math.exp(-40)) / 4
    np.testing.assert_allclose(dZ2[0, 2:], [-tail, tail], rtol=1e-13)


def test_float32_gradient_of_right_predictions_is_zero_without_warnings():
    # exp(-u) overflows float32 from u = -89 on: the gradient must be the exact 0, silently.
    Z2 = np.array([[1e4, -1e4, 100.0, -100.0]], dtype=np.float32)
    Y = np.array([[1.0, 0.0, 1.0, 0.0]], dtype=np.float32)
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        cost, dZ2 = cross_entropy_and_gradient(1 - 2 * Y, Z2)
    assert cost.dtype == np.float32 and dZ2.dtype == np.float32
    assert 0.0 <= cost[0] < 1e-40  # log1p(exp(-100)) / 4, a float32 subnormal
    np.testing.assert_array_equal(dZ2, np.zeros_like(Z2))


def test_cost_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        cost_from_logits(np.zeros((1, 3)), np.zeros((1, 4)))


def test_accuracy_counts_matches():
    assert accuracy(np.array([[1, 0, 1, 1]]), np.array([[1, 1, 1, 0]])) == 0.5
    assert accuracy(np.array([[1, 0]]), np.array([[1.0, 0.0]])) == 1.0
