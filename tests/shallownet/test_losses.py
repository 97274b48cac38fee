"""Cost from logits and accuracy: correct, stable, finite when confidently wrong."""

import math
import warnings

import numpy as np
import pytest

from shallownet import accuracy, cost_from_logits


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


def test_cost_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        cost_from_logits(np.zeros((1, 3)), np.zeros((1, 4)))


def test_accuracy_counts_matches():
    assert accuracy(np.array([[1, 0, 1, 1]]), np.array([[1, 1, 1, 0]])) == 0.5
    assert accuracy(np.array([[1, 0]]), np.array([[1.0, 0.0]])) == 1.0
