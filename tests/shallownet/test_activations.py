"""Activations: formulas, derivatives, stability at extreme inputs, dtype, registry."""

import warnings

import numpy as np
import pytest

from shallownet import ACTIVATIONS
from shallownet.activations import get_activation

NAMES = sorted(ACTIVATIONS)
# Points away from the ReLU kink at 0, so that finite differences are valid everywhere.
POINTS = np.array([[-3.0, -1.2, -0.3, 0.2, 0.9, 2.5]])


def reference(name, z, alpha=0.01):
    """The textbook formulas, written out for moderate inputs."""
    return {
        "sigmoid": 1 / (1 + np.exp(-z)),
        "tanh": (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)),
        "relu": np.where(z > 0, z, 0.0),
        "leaky_relu": np.where(z > 0, z, alpha * z),
        "identity": z,
    }[name]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("alpha", [0.01, 0.2])
def test_function_matches_the_formula(name, alpha):
    np.testing.assert_allclose(
        ACTIVATIONS[name].function(POINTS, alpha), reference(name, POINTS, alpha), rtol=1e-14
    )


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("alpha", [0.01, 0.2])
def test_derivative_matches_central_differences(name, alpha):
    h = 1e-6
    activation = ACTIVATIONS[name]
    numeric = (activation.function(POINTS + h, alpha) - activation.function(POINTS - h, alpha)) / (
        2 * h
    )
    np.testing.assert_allclose(activation.derivative(POINTS, alpha), numeric, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("alpha", [0.01, 0.2])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_function_and_derivative_together_equal_the_separate_methods(name, alpha, dtype):
    z = np.array([[-1e4, -40.0, -3.0, -0.3, 0.0, 0.2, 2.5, 40.0, 1e4]], dtype=dtype)
    activation = ACTIVATIONS[name]
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        values, slopes = activation.function_and_derivative(z, alpha)
    # Bitwise: training uses the pair, the diagnostics and the public API the methods.
    assert values.dtype == slopes.dtype == dtype
    np.testing.assert_array_equal(values, activation.function(z, alpha))
    np.testing.assert_array_equal(slopes, activation.derivative(z, alpha))


@pytest.mark.parametrize("name", NAMES)
def test_function_and_derivative_in_place_write_into_z_and_out_only(name):
    z = np.array([[-40.0, -3.0, -0.3, 0.0, 0.2, 2.5, 40.0]])
    activation = ACTIVATIONS[name]
    expected = activation.function(z, 0.2), activation.derivative(z, 0.2)
    work, out = z.copy(), np.empty_like(z)
    values, slopes = activation.function_and_derivative(work, 0.2, out=out)
    assert {id(values), id(slopes)} == {id(work), id(out)}
    np.testing.assert_array_equal(values, expected[0])
    np.testing.assert_array_equal(slopes, expected[1])


@pytest.mark.parametrize("alpha", [-0.1, 1.5])
def test_a_leaky_relu_slope_outside_0_1_is_rejected(alpha):
    with pytest.raises(ValueError, match=r"slope alpha must be in \[0, 1\]"):
        ACTIVATIONS["leaky_relu"].function(POINTS, alpha)


@pytest.mark.parametrize("name", NAMES)
def test_max_derivative_is_the_largest_slope(name):
    z = np.linspace(-10, 10, 20001)
    activation = ACTIVATIONS[name]
    assert np.max(np.abs(activation.derivative(z))) == pytest.approx(
        activation.max_derivative(), rel=1e-6
    )


def test_relu_derivative_at_zero_is_zero_as_in_the_lecture():
    assert ACTIVATIONS["relu"].derivative(np.array([0.0]))[0] == 0.0
    assert ACTIVATIONS["leaky_relu"].derivative(np.array([0.0]), 0.05)[0] == 0.05


@pytest.mark.parametrize("name", NAMES)
def test_extreme_inputs_give_finite_values_without_warnings(name):
    z = np.array([-1e4, -1001.0, -40.0, 0.0, 40.0, 1001.0, 1e4])
    activation = ACTIVATIONS[name]
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        values = activation.function(z)
        slopes = activation.derivative(z)
    assert np.isfinite(values).all() and np.isfinite(slopes).all()


def test_sigmoid_is_exact_in_both_tails():
    sigmoid = ACTIVATIONS["sigmoid"]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert sigmoid.function(np.array([1e4]))[0] == 1.0
        assert sigmoid.function(np.array([-1e4]))[0] == 0.0
        # Full relative precision far in the tails, where 1 - s or s(1 - s) would round to 0.
        np.testing.assert_allclose(
            sigmoid.function(np.array([-40.0])), np.exp(-40.0) / (1 + np.exp(-40.0)), rtol=1e-14
        )
        np.testing.assert_allclose(
            sigmoid.derivative(np.array([40.0])),
            np.exp(-40.0) / (1 + np.exp(-40.0)) ** 2,
            rtol=1e-14,
        )


@pytest.mark.parametrize("name", NAMES)
def test_float32_stays_float32(name):
    z = POINTS.astype(np.float32)
    assert ACTIVATIONS[name].function(z).dtype == np.float32
    assert ACTIVATIONS[name].derivative(z).dtype == np.float32


@pytest.mark.parametrize("name", NAMES)
def test_every_activation_documents_its_formula(name):
    doc = type(ACTIVATIONS[name]).__doc__
    assert "g(z) =" in doc and "g'(z) =" in doc


def test_unknown_activation_is_rejected_with_the_valid_names():
    with pytest.raises(ValueError, match="softplus.*expected one of"):
        get_activation("softplus")
