"""Diagnostics of the hidden layer recorded in the training history.

- ``saturation``: fraction of hidden pre-activations where |g'(Z1)| < 0.01 * max g'.
- ``dead_fraction``: fraction of hidden units whose derivative is zero on every example.
- ``unit_spread``: the largest distance between two rows of W1 (0 = all units identical).

The first two take the distinct units of a batch of networks (:mod:`shallownet.units`) with
their counts and return one value per network.
"""

from __future__ import annotations

import numpy as np

#: A pre-activation is saturated when |g'| falls below this fraction of the largest g'.
SATURATION_THRESHOLD = 0.01


def saturation(hidden_derivative: np.ndarray, max_derivative: float, counts: np.ndarray):
    """Fraction of the entries of g'(Z1) with |g'| < 0.01 * ``max_derivative``, per network.

    Parameters
    ----------
    hidden_derivative : ndarray, shape (..., u, m)
        g'(Z1) of each network's distinct hidden units (:mod:`shallownet.units`).
    max_derivative : float
        The largest |g'(z)| over all z (0.25 for sigmoid, 1 for tanh and the ReLUs). For the
        identity g' = 1 everywhere, so its saturation is 0.
    counts : ndarray, shape (..., u)
        How many hidden units each distinct unit stands for (0 for padding).

    Returns
    -------
    ndarray, shape (...)
        The fraction over all n_h x m entries of each network's full hidden layer.
    """
    saturated = np.count_nonzero(
        np.abs(hidden_derivative) < SATURATION_THRESHOLD * max_derivative, axis=-1
    )
    return _share_of_units(saturated / hidden_derivative.shape[-1], counts)


def dead_fraction(hidden_derivative: np.ndarray, counts: np.ndarray):
    """Fraction of hidden units whose derivative is exactly zero on every example, per network.

    Such a unit (typically a ReLU unit that is negative everywhere) gets no gradient.

    Parameters
    ----------
    hidden_derivative : ndarray, shape (..., u, m)
    counts : ndarray, shape (..., u)
        As for :func:`saturation`.

    Returns
    -------
    ndarray, shape (...)
    """
    return _share_of_units(np.all(hidden_derivative == 0, axis=-1), counts)


def _share_of_units(per_unit: np.ndarray, counts: np.ndarray):
    """The mean of a per-unit quantity over each network's full layer, from its distinct units."""
    return np.sum(per_unit * counts, axis=-1) / np.sum(counts, axis=-1)


def spread_from_gram(G: np.ndarray) -> float:
    """Largest distance between two rows of W1, from G = V V^T with V = W1 - W1[0].

    The squared distance between rows i and j is G_ii + G_jj - 2 G_ij. Measuring the rows
    relative to row 0 (rather than forming W1 W1^T) avoids cancellation when the rows are
    nearly identical, and makes the spread exactly 0 when they are identical.

    Parameters
    ----------
    G : ndarray, shape (n_h, n_h)

    Returns
    -------
    float
    """
    diagonal = np.diag(G)
    squared = diagonal[:, None] + diagonal[None, :] - 2 * G
    return float(np.sqrt(max(float(squared.max()), 0.0)))


def unit_spread(W1: np.ndarray) -> float:
    """The largest Euclidean distance between any two rows of ``W1``.

    Parameters
    ----------
    W1 : ndarray, shape (n_h, n_x)

    Returns
    -------
    float
        0 exactly when all hidden units have identical incoming weights.
    """
    relative = W1 - W1[0]
    return spread_from_gram(relative @ relative.T)
