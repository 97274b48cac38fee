"""shallownet.data: standardization, stratified split, planar data."""

import numpy as np
import pytest

from shallownet import data


def test_scale255_divides_by_255():
    X = np.array([[0, 255], [51, 102]], dtype=np.float64)
    stats = data.standardization_stats("scale255")
    np.testing.assert_allclose(
        data.apply_standardization(X, "scale255", stats), [[0, 1], [0.2, 0.4]]
    )
    assert float(stats["scale"]) == 255


def test_zscore_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    X_train = rng.normal(3, 2, (4, 50))
    X_train[3] = 7.0  # a constant feature: divided by 1, not by 0
    X_dev, X_test = rng.normal(0, 1, (4, 10)), rng.normal(0, 1, (4, 8))
    stats = data.standardization_stats(
        "zscore",
        mean=X_train.mean(axis=1, keepdims=True),
        std=X_train.std(axis=1, keepdims=True),
    )
    Z_train, Z_dev, Z_test = (
        data.apply_standardization(X, "zscore", stats) for X in (X_train, X_dev, X_test)
    )
    np.testing.assert_allclose(Z_train[:3].mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(Z_train[:3].std(axis=1), 1, rtol=1e-12)
    np.testing.assert_array_equal(Z_train[3], 0)
    std = np.where(stats["std"] > 0, stats["std"], 1)
    np.testing.assert_allclose(Z_dev, (X_dev - X_train.mean(axis=1, keepdims=True)) / std)
    np.testing.assert_allclose(Z_test, (X_test - stats["mean"]) / std)


def test_none_and_unknown_standardization():
    X = np.array([[1.0, 2.0]])
    stats = data.standardization_stats("none")
    np.testing.assert_array_equal(data.apply_standardization(X, "none", stats), X)
    assert stats == {}
    with pytest.raises(ValueError, match="unknown standardization"):
        data.standardization_stats("minmax")


def test_stratified_mask():
    labels = np.array([1] * 20 + [0] * 30)
    in_dev = data.stratified_mask(labels, 0.2, np.random.default_rng(4))
    assert (int(labels[in_dev].sum()), int(in_dev.sum())) == (4, 10)  # 20 % of each class
    assert (int(labels[~in_dev].sum()), int((~in_dev).sum())) == (16, 40)
    again = data.stratified_mask(labels, 0.2, np.random.default_rng(4))
    other = data.stratified_mask(labels, 0.2, np.random.default_rng(5))
    assert np.array_equal(again, in_dev) and not np.array_equal(other, in_dev)


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
