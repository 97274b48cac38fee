"""Data: the course's HDF5 image files, flattening, standardization, dev split, planar data.

Every problem with input data raises :class:`DataError`, whose message names the file, the
key and what was expected.
"""

from __future__ import annotations

import os

import h5py
import numpy as np

SPLITS = ("train", "test")
STANDARDIZATIONS = ("scale255", "zscore", "none")


class DataError(ValueError):
    """Input data is missing or malformed; the message names the file, the key and what was
    expected."""


def load_h5_split(path: str | os.PathLike, split: str):
    """Load one split of the course's HDF5 layout and validate it.

    Parameters
    ----------
    path : path
        HDF5 file with keys ``{split}_set_x``, ``{split}_set_y`` and ``list_classes``.
    split : {"train", "test"}

    Returns
    -------
    images : ndarray, shape (m, height, width, channels)
        As stored (uint8 for the cat data).
    Y : ndarray of int64, shape (1, m)
        Labels in {0, 1}.
    classes : tuple of str
        Class names, index = label (``("non-cat", "cat")``).

    Raises
    ------
    DataError
        Missing file or key, wrong rank, zero examples, label count differing from the image
        count, labels other than 0/1, or NaN/infinite pixel values.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    x_key, y_key = f"{split}_set_x", f"{split}_set_y"
    if not os.path.isfile(path):
        raise DataError(
            f"{path}: file not found; "
            f"expected an HDF5 file with keys {x_key}, {y_key}, list_classes"
        )
    try:
        with h5py.File(path, "r") as file:
            arrays = {}
            for key in (x_key, y_key, "list_classes"):
                if key not in file:
                    raise DataError(
                        f"{path}: key {key!r} missing; the file has {sorted(file.keys())}"
                    )
                arrays[key] = file[key][()]
    except OSError as error:
        raise DataError(
            f"{path}: not a readable HDF5 file ({error}); expected keys {x_key}, {y_key}"
        ) from error
    images, labels, classes = arrays[x_key], arrays[y_key], arrays["list_classes"]

    if images.ndim != 4:
        raise DataError(
            f"{path}: key {x_key!r} has shape {images.shape} (rank {images.ndim}); "
            "expected rank 4, (m, height, width, channels)"
        )
    if images.shape[0] == 0:
        raise DataError(f"{path}: key {x_key!r} has zero examples; expected at least one")
    if np.issubdtype(images.dtype, np.floating) and not np.isfinite(images).all():
        raise DataError(
            f"{path}: key {x_key!r} contains NaN or infinite values; expected finite pixels"
        )
    if not (np.issubdtype(images.dtype, np.integer) or np.issubdtype(images.dtype, np.floating)):
        raise DataError(f"{path}: key {x_key!r} has dtype {images.dtype}; expected numeric pixels")
    labels = np.squeeze(labels, axis=0) if labels.ndim == 2 and labels.shape[0] == 1 else labels
    if labels.ndim != 1:
        raise DataError(
            f"{path}: key {y_key!r} has shape {labels.shape}; expected rank 1, (m,) or (1, m)"
        )
    if labels.shape[0] != images.shape[0]:
        raise DataError(
            f"{path}: key {y_key!r} has {labels.shape[0]} labels but {x_key!r} has "
            f"{images.shape[0]} images; expected one label per image"
        )
    if not np.isin(labels, (0, 1)).all():
        bad = np.unique(labels[~np.isin(labels, (0, 1))])[:5]
        raise DataError(f"{path}: key {y_key!r} holds labels {bad.tolist()}; expected only 0 and 1")
    names = tuple(
        name.decode() if isinstance(name, bytes) else str(name) for name in np.ravel(classes)
    )
    return images, labels.astype(np.int64).reshape(1, -1), names


def flatten(images) -> np.ndarray:
    """Images (m, height, width, channels) -> matrix (height * width * channels, m).

    Column j is example j, flattened in C order as in the course (``reshape(m, -1).T``).
    The dtype is kept; the result is a C-contiguous copy.
    """
    images = np.asarray(images)
    return np.ascontiguousarray(images.reshape(images.shape[0], -1).T)


def standardize(X_train, X_dev, X_test, method: str):
    """Standardize features with statistics from the training split only.

    Parameters
    ----------
    X_train : array_like, shape (n_x, m_train)
    X_dev, X_test : array_like, shape (n_x, m), or None
    method : {"scale255", "zscore", "none"}
        ``scale255`` divides by 255 (pixels to [0, 1], as in the course); ``zscore``
        subtracts the per-feature training mean and divides by the per-feature training
        standard deviation (features constant on the training set are divided by 1);
        ``none`` only converts to float64.

    Returns
    -------
    X_train, X_dev, X_test : ndarray of float64 (None stays None)
    stats : dict of ndarray
        ``{"scale": 255.0}``, ``{"mean": (n_x, 1), "std": (n_x, 1)}`` or ``{}``.
    """
    arrays = [
        None if X is None else np.asarray(X, dtype=np.float64) for X in (X_train, X_dev, X_test)
    ]
    stats = standardization_stats(method, arrays[0])
    X_train, X_dev, X_test = (
        None if X is None else apply_standardization(X, method, stats) for X in arrays
    )
    return X_train, X_dev, X_test, stats


def standardization_stats(method: str, X_train=None, *, mean=None, std=None) -> dict:
    """The statistics of a standardization: from the training features ``X_train``
    (n_x, m) in memory, or, for ``zscore``, from a ``mean`` and ``std`` (n_x, 1) computed
    elsewhere (e.g. in chunks).

    Returns ``{"scale": 255.0}``, ``{"mean": (n_x, 1), "std": (n_x, 1)}`` or ``{}``.
    """
    if method not in STANDARDIZATIONS:
        raise ValueError(
            f"unknown standardization {method!r}; expected one of {list(STANDARDIZATIONS)}"
        )
    if method == "scale255":
        return {"scale": np.array(255.0)}
    if method == "zscore":
        if mean is None:
            mean = X_train.mean(axis=1, keepdims=True)
            std = X_train.std(axis=1, keepdims=True)
        return {"mean": mean, "std": std}
    return {}


def apply_standardization(X, method: str, stats) -> np.ndarray:
    """Standardize float64 features X (n_x, m) with :func:`standardization_stats`.

    Elementwise, so a block of examples (columns) gives the same values as the whole matrix.
    """
    if method == "scale255":
        return X / stats["scale"]
    if method == "zscore":
        return (X - stats["mean"]) / np.where(stats["std"] > 0, stats["std"], 1.0)
    return X


def stratified_split(X, Y, dev_fraction: float, seed: int):
    """Deterministic stratified split of the examples into train and dev.

    From each class, ``round(dev_fraction * count)`` examples chosen at random (with
    ``numpy.random.default_rng(seed)``) go to dev; both parts keep the original order.

    Parameters
    ----------
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (1, m)
        Labels in {0, 1}.
    dev_fraction : float
        In [0, 1).
    seed : int

    Returns
    -------
    X_train : ndarray, shape (n_x, m_train)
    Y_train : ndarray, shape (1, m_train)
    X_dev : ndarray, shape (n_x, m_dev)
    Y_dev : ndarray, shape (1, m_dev)
    """
    X, Y = np.asarray(X), np.asarray(Y)
    if not 0 <= dev_fraction < 1:
        raise ValueError(f"dev_fraction must be in [0, 1), got {dev_fraction}")
    if Y.shape != (1, X.shape[1]):
        raise ValueError(f"Y must have shape (1, {X.shape[1]}) to match X, got {Y.shape}")
    in_dev = stratified_mask(Y[0], dev_fraction, np.random.default_rng(seed))
    return X[:, ~in_dev], Y[:, ~in_dev], X[:, in_dev], Y[:, in_dev]


def stratified_mask(labels, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Which examples a stratified split draws: ``round(fraction * count)`` of each class.

    Parameters
    ----------
    labels : ndarray, shape (m,)
        Labels in {0, 1}.
    fraction : float
        In [0, 1).
    rng : numpy.random.Generator
        Draws class 0's members first, then class 1's.

    Returns
    -------
    ndarray of bool, shape (m,)
        True for the drawn examples. It depends on the labels only, so a split can be chosen
        before any feature is read.
    """
    labels = np.asarray(labels)
    drawn = np.zeros(labels.shape[0], dtype=bool)
    for label in (0, 1):
        members = np.flatnonzero(labels == label)
        count = int(round(fraction * members.size))
        drawn[rng.choice(members, size=count, replace=False)] = True
    return drawn


def make_planar(m: int = 400, noise: float = 0.2, *, rng: np.random.Generator):
    """The planar "flower" data set of the course, from its published formula.

    Two classes of m/2 points each; for class j in {0, 1}:
    theta = linspace(3.12 j, 3.12 (j + 1), m/2) + noise * N(0, 1),
    r = 4 sin(4 theta) + noise * N(0, 1), point = (r sin theta, r cos theta).
    Draws, in order: class 0 theta noise, class 0 r noise, class 1 theta noise, class 1 r noise.

    Parameters
    ----------
    m : int
        Number of points, even.
    noise : float
        Standard deviation of the noise on theta and r.
    rng : numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (2, m)
    Y : ndarray of int64, shape (1, m)
        First m/2 points are class 0, the rest class 1.
    """
    if m < 2 or m % 2:
        raise ValueError(f"m must be a positive even number, got {m}")
    per_class = m // 2
    points, labels = [], []
    for label in (0, 1):
        theta = np.linspace(
            3.12 * label, 3.12 * (label + 1), per_class
        ) + noise * rng.standard_normal(per_class)
        radius = 4 * np.sin(4 * theta) + noise * rng.standard_normal(per_class)
        points.append(np.stack([radius * np.sin(theta), radius * np.cos(theta)]))
        labels.append(np.full(per_class, label, dtype=np.int64))
    return np.concatenate(points, axis=1), np.concatenate(labels).reshape(1, m)
