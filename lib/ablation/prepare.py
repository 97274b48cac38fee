"""Prepared data for training: flattened, standardized, split, float64, examples as columns.

Both dataset sources end in the same layout (written with :func:`ablation.io.write_h5`), so
training never needs to know where the data came from.
"""

from __future__ import annotations

import os

import h5py
import numpy as np
from shallownet import data as sndata

#: Arrays every prepared file holds, each of shape (n_x, m) for X and (1, m) for Y.
SPLITS = ("train", "dev", "test")


def prepare_h5(
    train_path: str | os.PathLike,
    test_path: str | os.PathLike,
    *,
    standardize: str,
    dev_fraction: float,
    split_seed: int,
) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """Load the image files, flatten, split a stratified dev set off train, standardize.

    Parameters
    ----------
    train_path, test_path : path
        HDF5 files with keys ``train_set_x``/``train_set_y`` and ``test_set_x``/``test_set_y``.
    standardize : {"scale255", "zscore", "none"}
        Standardization, fitted on the training split only.
    dev_fraction : float
        Fraction of the training file held out as the dev set, per class.
    split_seed : int
        Seed of the dev split.

    Returns
    -------
    arrays : dict
        ``X_train`` (n_x, m_train), ``Y_train`` (1, m_train), same for dev and test, and the
        standardization statistics under ``stats/<name>``.
    attrs : dict
        Sizes and settings, stored as attributes of the file.

    Raises
    ------
    shallownet.data.DataError
        A file is unreadable or malformed, train and test images differ in size, or the
        dev split leaves a class without examples.
    """
    train_images, Y_train_full, classes = sndata.load_h5_split(train_path, "train")
    test_images, Y_test, _ = sndata.load_h5_split(test_path, "test")
    sndata.check_same_features(
        train_images, test_images, train_path=train_path, test_path=test_path
    )
    X_train_full = sndata.flatten(train_images)
    X_test = sndata.flatten(test_images)
    arrays, attrs = _split_and_standardize(
        X_train_full, Y_train_full, X_test, Y_test, standardize, dev_fraction, split_seed
    )
    attrs["classes"] = list(classes)
    return arrays, attrs


def prepare_planar(
    *,
    n_train: int,
    n_test: int,
    noise: float,
    data_seed: int,
    standardize: str,
    dev_fraction: float,
    split_seed: int,
) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """Generate the planar "flower" data: a training draw (split into train and dev) and an
    independent test draw from a second stream of the same seed.

    Returns the same ``(arrays, attrs)`` as :func:`prepare_h5`, with n_x = 2.
    """
    train_stream, test_stream = np.random.SeedSequence(data_seed).spawn(2)
    X_train_full, Y_train_full = sndata.make_planar(
        m=n_train, noise=noise, rng=np.random.default_rng(train_stream)
    )
    X_test, Y_test = sndata.make_planar(
        m=n_test, noise=noise, rng=np.random.default_rng(test_stream)
    )
    arrays, attrs = _split_and_standardize(
        X_train_full, Y_train_full, X_test, Y_test, standardize, dev_fraction, split_seed
    )
    attrs.update(noise=noise, data_seed=data_seed)
    return arrays, attrs


def _split_and_standardize(
    X_train_full, Y_train_full, X_test, Y_test, method, dev_fraction, split_seed
):
    X_train, Y_train, X_dev, Y_dev = sndata.stratified_split(
        X_train_full, Y_train_full, dev_fraction, split_seed
    )
    for split, Y in (("train", Y_train), ("dev", Y_dev)):
        missing = sorted({0, 1} - set(np.unique(Y).tolist()))
        if missing:
            raise sndata.DataError(
                f"dev_fraction={dev_fraction} leaves the {split} split with no example of "
                f"class {missing}; expected both classes in train and dev"
            )
    X_train, X_dev, X_test, stats = sndata.standardize(X_train, X_dev, X_test, method)
    arrays = {
        "X_train": X_train,
        "Y_train": Y_train,
        "X_dev": X_dev,
        "Y_dev": Y_dev,
        "X_test": X_test,
        "Y_test": Y_test,
    }
    arrays = {name: np.ascontiguousarray(array, dtype=np.float64) for name, array in arrays.items()}
    arrays.update({f"stats/{name}": np.asarray(value) for name, value in stats.items()})
    attrs = {
        "standardize": method,
        "dev_fraction": dev_fraction,
        "split_seed": split_seed,
        "n_x": X_train.shape[0],
        **{f"m_{split}": arrays[f"Y_{split}"].shape[1] for split in SPLITS},
    }
    return arrays, attrs


def load_prepared(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Read ``X_{split}`` and ``Y_{split}`` for train, dev and test from a prepared file."""
    with h5py.File(path, "r") as file:
        return {
            f"{kind}_{split}": file[f"{kind}_{split}"][...] for split in SPLITS for kind in "XY"
        }
