"""The planar "flower" data set of the course, generated from its published formula."""

from __future__ import annotations

import numpy as np


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
