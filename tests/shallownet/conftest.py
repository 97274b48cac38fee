"""Fixtures for the shallownet tests: the real cat data, prepared as in the course."""

import h5py
import numpy as np
import pytest

from ablation.prepare import load_prepared, prepare_h5


def course_split(path, split):
    """A split of the course's file as the course prepares it: images flattened in C order
    into columns and divided by 255, labels (1, m)."""
    with h5py.File(path, "r") as file:
        images, labels = file[f"{split}_set_x"][()], file[f"{split}_set_y"][()]
    X = np.ascontiguousarray(images.reshape(len(images), -1).T, dtype=np.float64) / 255
    return X, labels.reshape(1, -1).astype(np.int64)


@pytest.fixture(scope="session")
def cat_data(cat_data_dir):
    """The cat data flattened and scaled by 1/255: full train (209) and test (50) sets."""
    X_train, Y_train = course_split(cat_data_dir / "train_catvnoncat.h5", "train")
    X_test, Y_test = course_split(cat_data_dir / "test_catvnoncat.h5", "test")
    return {"X_train": X_train, "Y_train": Y_train, "X_test": X_test, "Y_test": Y_test}


@pytest.fixture(scope="session")
def cat_split(cat_data_dir, tmp_path_factory):
    """The cat training set prepared by the workflow's own code: 80 % train, 20 % dev
    (stratified, seed 0), pixels / 255."""
    path = tmp_path_factory.mktemp("cat") / "prepared.h5"
    files = {split: cat_data_dir / f"{split}_catvnoncat.h5" for split in ("train", "test")}
    prepare_h5(
        path,
        files,
        standardize="scale255",
        dev_split="fixed",
        seeds=[0],
        dev_fraction=0.2,
        split_seed=0,
    )
    return load_prepared(path, ("X_train", "Y_train", "X_dev", "Y_dev"))


@pytest.fixture
def tiny_problem():
    """A small random classification problem: X (4, 6), Y (1, 6) with both classes."""
    rng = np.random.default_rng(42)
    X = rng.standard_normal((4, 6))
    Y = np.array([[1, 0, 1, 1, 0, 0]])
    return X, Y
