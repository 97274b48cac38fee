"""Initializers: shapes, scales, zero biases, and randomness only through the Generator."""

import math

import numpy as np
import pytest

from shallownet import INITIALIZERS, initialize

EXPECTED_STD = {  # standard deviation of W1 entries for n_x = 400 inputs
    "small": 0.01,
    "large": 1.0,
    "xavier": math.sqrt(1 / 400),
    "he": math.sqrt(2 / 400),
}


@pytest.mark.parametrize("scheme", sorted(INITIALIZERS))
def test_shapes_and_zero_biases(scheme):
    params = initialize(400, 7, scheme, np.random.default_rng(0))
    assert {name: array.shape for name, array in params.items()} == {
        "W1": (7, 400),
        "b1": (7, 1),
        "W2": (1, 7),
        "b2": (1, 1),
    }
    assert not params["b1"].any() and not params["b2"].any()


def test_zeros_gives_all_zero_weights():
    params = initialize(400, 7, "zeros", np.random.default_rng(0))
    assert not params["W1"].any() and not params["W2"].any()


@pytest.mark.parametrize("scheme", sorted(EXPECTED_STD))
def test_weight_scale(scheme):
    W1 = initialize(400, 50, scheme, np.random.default_rng(0))["W1"]  # 20,000 draws
    assert W1.std() == pytest.approx(EXPECTED_STD[scheme], rel=0.03)
    assert abs(W1.mean()) < 0.03 * EXPECTED_STD[scheme]


def test_output_layer_uses_its_own_fan_in():
    W2 = initialize(400, 2000, "he", np.random.default_rng(0))["W2"]
    assert W2.std() == pytest.approx(math.sqrt(2 / 2000), rel=0.05)


@pytest.mark.parametrize("scheme", ["small", "large"])
def test_scale_overrides_the_default(scheme):
    default = initialize(30, 4, scheme, np.random.default_rng(3))
    scaled = initialize(30, 4, scheme, np.random.default_rng(3), scale=0.5)
    ratio = 0.5 / INITIALIZERS[scheme].default_scale
    np.testing.assert_allclose(scaled["W1"], ratio * default["W1"], rtol=1e-15)


@pytest.mark.parametrize("scheme", ["zeros", "xavier", "he"])
def test_scale_is_refused_where_it_means_nothing(scheme):
    with pytest.raises(ValueError, match="takes no scale"):
        initialize(30, 4, scheme, np.random.default_rng(0), scale=0.1)


def test_same_generator_seed_same_parameters_and_global_state_untouched():
    state = np.random.get_state()[1].copy()
    first = initialize(30, 4, "xavier", np.random.default_rng(5))
    second = initialize(30, 4, "xavier", np.random.default_rng(5))
    other = initialize(30, 4, "xavier", np.random.default_rng(6))
    for name in first:
        assert first[name].tobytes() == second[name].tobytes()
    assert not np.array_equal(first["W1"], other["W1"])
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_rejects_unknown_scheme_and_missing_generator():
    with pytest.raises(ValueError, match="unknown initializer"):
        initialize(3, 2, "orthogonal", np.random.default_rng(0))
    with pytest.raises(ValueError, match="Generator"):
        initialize(3, 2, "he", 0)


@pytest.mark.parametrize("scheme", sorted(INITIALIZERS))
def test_every_initializer_documents_its_formula(scheme):
    assert "W =" in type(INITIALIZERS[scheme]).__doc__


def test_small_and_large_differ_in_the_hidden_layer_only():
    """The control of the saturation claims: the same normal draws, W1 scaled, W2 not."""
    small = initialize(30, 4, "small", np.random.default_rng(3))
    large = initialize(30, 4, "large", np.random.default_rng(3))
    np.testing.assert_allclose(large["W1"], 100 * small["W1"], rtol=1e-15)
    assert large["W2"].tobytes() == small["W2"].tobytes()
    rescaled = initialize(30, 4, "large", np.random.default_rng(3), scale=5.0)
    assert rescaled["W2"].tobytes() == small["W2"].tobytes()
