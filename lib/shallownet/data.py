"""Data: standardization, stratified splits and the planar "flower" data.

Reading HDF5 files is the workflow's (:mod:`ablation.layout`); it uses the pieces here, so
that a block of examples is standardized and split as the whole set would be. Every problem
with input data raises :class:`DataError`, whose message names the file, the key and what
was expected.
"""

from __future__ import annotations

import numpy as np

STANDARDIZATIONS = ("scale255", "zscore", "none")


class DataError(ValueError):
    """Input data is missing or malformed; the message names the file, the key and what was
    expected."""


def standardization_stats(method: str, *, mean=None, std=None) -> dict:
    """The statistics of a standardization, fitted on the training split only.

    ``scale255`` divides by 255 (pixels to [0, 1], as in the course); ``zscore`` subtracts
    the per-feature training ``mean`` and divides by the per-feature training ``std``, both
    (n_x, 1), computed by the caller (in blocks, for a large file); ``none`` keeps the values.

    Returns ``{"scale": 255.0}``, ``{"mean": (n_x, 1), "std": (n_x, 1)}`` or ``{}``.
    """
    if method not in STANDARDIZATIONS:
        raise ValueError(
            f"unknown standardization {method!r}; expected one of {list(STANDARDIZATIONS)}"
        )
    if method == "scale255":
        return {"scale": np.array(255.0)}
    if method == "zscore":
        return {"mean": mean, "std": std}
    return {}


def apply_standardization(X, method: str, stats) -> np.ndarray:
    """Standardize float64 features X (n_x, m) with :func:`standardization_stats`.

    Elementwise, so a block of examples (columns) gives the same values as the whole matrix;
    a feature constant on the training split (std 0) is divided by 1, not by 0.
    """
    if method == "scale255":
        return X / stats["scale"]
    if method == "zscore":
        return (X - stats["mean"]) / np.where(stats["std"] > 0, stats["std"], 1.0)
    return X


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
