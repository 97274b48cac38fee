"""Fixtures for the shallownet tests: the real cat data, prepared as in the course."""

import numpy as np
import pytest

from shallownet import data


@pytest.fixture(scope="session")
def cat_data(cat_data_dir):
    """The cat data flattened and scaled by 1/255: full train (209) and test (50) sets."""
    train_images, Y_train, _ = data.load_h5_split(cat_data_dir / "train_catvnoncat.h5", "train")
    test_images, Y_test, _ = data.load_h5_split(cat_data_dir / "test_catvnoncat.h5", "test")
    X_train, _, X_test, _ = data.standardize(
        data.flatten(train_images), None, data.flatten(test_images), "scale255"
    )
    return {"X_train": X_train, "Y_train": Y_train, "X_test": X_test, "Y_test": Y_test}


@pytest.fixture(scope="session")
def cat_split(cat_data):
    """The cat training set split like the workflow does: 80 % train, 20 % dev (seed 0)."""
    X_train, Y_train, X_dev, Y_dev = data.stratified_split(
        cat_data["X_train"], cat_data["Y_train"], 0.2, seed=0
    )
    return {"X_train": X_train, "Y_train": Y_train, "X_dev": X_dev, "Y_dev": Y_dev}


@pytest.fixture
def tiny_problem():
    """A small random classification problem: X (4, 6), Y (1, 6) with both classes."""
    rng = np.random.default_rng(42)
    X = rng.standard_normal((4, 6))
    Y = np.array([[1, 0, 1, 1, 0, 0]])
    return X, Y
