"""shallownet.data: the planar data."""

import numpy as np
import pytest

from shallownet import data


def test_planar_data_follows_the_published_formula():
    X, Y = data.make_planar(m=400, noise=0.0, rng=np.random.default_rng(0))
    assert X.shape == (2, 400) and Y.shape == (1, 400)
    np.testing.assert_array_equal(Y, [[0] * 200 + [1] * 200])
    # Without noise: theta = linspace(3.12 j, 3.12 (j + 1), 200), r = 4 sin(4 theta).
    theta = np.concatenate([np.linspace(0, 3.12, 200), np.linspace(3.12, 6.24, 200)])
    radius = 4 * np.sin(4 * theta)
    np.testing.assert_allclose(X, [radius * np.sin(theta), radius * np.cos(theta)], atol=1e-15)


def test_planar_data_is_seeded_and_noisy():
    first = data.make_planar(rng=np.random.default_rng(1))
    second = data.make_planar(rng=np.random.default_rng(1))
    other = data.make_planar(rng=np.random.default_rng(2))
    assert first[0].shape == (2, 400)
    np.testing.assert_array_equal(first[0], second[0])
    assert not np.array_equal(first[0], other[0])
    with pytest.raises(ValueError, match="even"):
        data.make_planar(m=5, rng=np.random.default_rng(0))
