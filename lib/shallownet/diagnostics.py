"""Diagnostics of the hidden layer recorded in the training history.

- ``saturation``: fraction of hidden pre-activations where |g'(Z1)| < 0.01 * max g'.
- ``dead_fraction``: fraction of hidden units whose derivative is zero on every example.
- ``unit_spread``: the largest distance between two rows of W1 (0 = all units identical).
"""

from __future__ import annotations

import numpy as np

#: A pre-activation is saturated when |g'| falls below this fraction of the largest g'.
SATURATION_THRESHOLD = 0.01


def saturation(hidden_derivative: np.ndarray, max_derivative: float) -> float:
    """Fraction of entries of g'(Z1) with |g'| < 0.01 * ``max_derivative``.

    Parameters
    ----------
    hidden_derivative : ndarray, shape (n_h, m)
        g'(Z1).
    max_derivative : float
        The largest |g'(z)| over all z (0.25 for sigmoid, 1 for tanh and the ReLUs). For the
        identity g' = 1 everywhere, so its saturation is 0.

    Returns
    -------
    float
    """
    return float(np.mean(np.abs(hidden_derivative) < SATURATION_THRESHOLD * max_derivative))


def dead_fraction(hidden_derivative: np.ndarray) -> float:
    """Fraction of hidden units (rows) whose derivative is exactly zero on every example.

    Such a unit (typically a ReLU unit that is negative everywhere) gets no gradient.

    Parameters
    ----------
    hidden_derivative : ndarray, shape (n_h, m)

    Returns
    -------
    float
    """
    return float(np.mean(np.all(hidden_derivative == 0, axis=1)))


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
