"""Diagnostics of the hidden layer recorded in the training history.

- ``saturation``: fraction of hidden pre-activations where |g'(Z1)| < 0.01 * max g'.
- ``dead_fraction``: fraction of hidden units whose derivative is zero on every example.
- ``unit_spread``: the largest distance between two rows of W1 (0 = all units identical);
- ``unit_gap``: the smallest (0 = some two units identical, so the layer has fewer distinct
  units than n_h).

The first two take the distinct units of a batch of networks (:mod:`shallownet.units`) with
their counts and return one value per network.
"""

from __future__ import annotations

import numpy as np

#: A pre-activation is saturated when |g'| falls below this fraction of the largest g'.
SATURATION_THRESHOLD = 0.01


def saturation(
    hidden_derivative: np.ndarray, max_derivative: float, counts: np.ndarray, columns=None
):
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
    columns : ndarray of bool, shape (..., m), optional
        The examples each network trains on (:func:`shallownet.fit_batch`'s ``train_mask``);
        every example if None.

    Returns
    -------
    ndarray, shape (...)
        The fraction over all n_h x m entries of each network's full hidden layer.
    """
    saturated = np.abs(hidden_derivative) < SATURATION_THRESHOLD * max_derivative
    if columns is None:
        share = np.count_nonzero(saturated, axis=-1) / hidden_derivative.shape[-1]
    else:
        share = np.count_nonzero(saturated & columns[..., np.newaxis, :], axis=-1) / np.sum(
            columns, axis=-1, keepdims=True
        )
    return _share_of_units(share, counts)


def dead_fraction(hidden_derivative: np.ndarray, counts: np.ndarray, columns=None):
    """Fraction of hidden units whose derivative is exactly zero on every example, per network.

    Such a unit (typically a ReLU unit that is negative everywhere) gets no gradient.

    Parameters
    ----------
    hidden_derivative : ndarray, shape (..., u, m)
    counts : ndarray, shape (..., u)
    columns : ndarray of bool, shape (..., m), optional
        As for :func:`saturation`.

    Returns
    -------
    ndarray, shape (...)
    """
    zero = hidden_derivative == 0
    if columns is not None:
        zero |= ~columns[..., np.newaxis, :]
    return _share_of_units(np.all(zero, axis=-1), counts)


def counted_norm(values: np.ndarray, counts: np.ndarray):
    """sqrt(sum(counts * values^2)) over the last axis, without overflow.

    The Euclidean norm of a full layer's per-unit values from its distinct units; the values
    are scaled by their largest magnitude first, so that a norm near the largest float (a
    network about to diverge) is not lost to an overflowing square.
    """
    largest = np.max(np.abs(values), axis=-1, keepdims=True)
    scale = np.where(largest > 0, largest, 1)
    return scale[..., 0] * np.sqrt(np.sum(counts * np.square(values / scale), axis=-1))


def _share_of_units(per_unit: np.ndarray, counts: np.ndarray):
    """The mean of a per-unit quantity over each network's full layer, from its distinct units."""
    return np.sum(per_unit * counts, axis=-1) / np.sum(counts, axis=-1)


def squared_distances(G: np.ndarray) -> np.ndarray:
    """Squared distances between the rows of W1, from G = V V^T with V = W1 - W1[0].

    The squared distance between rows i and j is G_ii + G_jj - 2 G_ij. Measuring the rows
    relative to row 0 (rather than forming W1 W1^T) avoids cancellation when the rows are
    nearly identical, and makes every distance exactly 0 when they are identical. Round-off
    below 0 is clipped.

    Parameters
    ----------
    G : ndarray, shape (u, u)

    Returns
    -------
    ndarray, shape (u, u)
    """
    diagonal = np.diag(G)
    return np.maximum(diagonal[:, None] + diagonal[None, :] - 2 * G, 0.0)


def unit_distances(G: np.ndarray, counts: np.ndarray) -> tuple[float, float]:
    """``unit_spread`` and ``unit_gap`` of a layer from its distinct units.

    Parameters
    ----------
    G : ndarray, shape (u, u)
        Gram matrix of the distinct units' rows of W1 relative to the first (see
        :func:`squared_distances`).
    counts : ndarray, shape (u,)
        How many units of the full layer each distinct unit stands for.

    Returns
    -------
    (float, float)
        The largest distance between two units, and the smallest: 0 as soon as two units
        are identical, NaN for a layer of one unit (no pair).
    """
    squared = squared_distances(G)
    spread = float(np.sqrt(squared.max()))
    if np.sum(counts) < 2:
        return spread, float("nan")
    if np.max(counts) > 1:
        return spread, 0.0
    return spread, float(np.sqrt(squared[np.triu_indices(len(counts), k=1)].min()))


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
    return _row_distances(W1)[0]


def unit_gap(W1: np.ndarray) -> float:
    """The smallest Euclidean distance between two rows of ``W1``.

    Parameters
    ----------
    W1 : ndarray, shape (n_h, n_x)

    Returns
    -------
    float
        0 exactly when some two hidden units have identical incoming weights; NaN for a
        single unit.
    """
    return _row_distances(W1)[1]


def _row_distances(W1: np.ndarray) -> tuple[float, float]:
    """:func:`unit_distances` of a full layer: every row of ``W1`` a unit of its own."""
    relative = W1 - W1[0]
    return unit_distances(relative @ relative.T, np.ones(len(W1)))
