"""Identical hidden units are trained once.

Hidden units that start identical -- the same row of W1, the same entry of b1 and the same
entry of W2 -- compute the same function and receive the same update at every step of
full-batch gradient descent, so they stay identical forever (the lecture's symmetry argument;
zero initialization makes all units identical). A layer of n_h units is therefore trained as
its u <= n_h *distinct* units, each counted as often as it occurs: the output is

    Z2 = sum over distinct units k of count_k W2_k g(Z1_k) + b2,

which is the full layer's Z2, and each distinct unit's gradient is that of every one of its
copies. :func:`distinct_units` finds the distinct units; indexing trained distinct units by
:attr:`DistinctUnits.groups` turns them back into the full layer, whose copies are then
identical bit for bit because they are copies of one array row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DistinctUnits:
    """The distinct hidden units of one network, in order of first occurrence.

    Attributes
    ----------
    W1 : ndarray, shape (u, n_x)
    b1 : ndarray, shape (u, 1)
    W2 : ndarray, shape (u,)
        Incoming weights, bias and outgoing weight of each distinct unit.
    counts : ndarray of int64, shape (u,)
        How many units of the full layer each one stands for (they sum to n_h).
    groups : ndarray of intp, shape (n_h,)
        For each unit of the full layer, the index of its distinct unit.
    """

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    counts: np.ndarray
    groups: np.ndarray


def distinct_units(params: dict) -> DistinctUnits:
    """Group the hidden units of ``params`` (``W1`` (n_h, n_x), ``b1`` (n_h, 1), ``W2``
    (1, n_h)) that are identical bit for bit.

    Bytes, not values, decide: 0.0 and -0.0 are different units (they may round differently
    later), and NaN weights are equal to themselves.
    """
    W1, b1, W2 = (np.asarray(params[name]) for name in ("W1", "b1", "W2"))
    first_of = {}
    groups = np.array(
        [
            first_of.setdefault(
                W1[unit].tobytes() + b1[unit].tobytes() + W2[:, unit].tobytes(), unit
            )
            for unit in range(W1.shape[0])
        ]
    )
    kept = np.array(sorted(first_of.values()))
    # Number the distinct units 0, 1, ... in order of first occurrence.
    number = np.empty(W1.shape[0], dtype=np.intp)
    number[kept] = np.arange(kept.size)
    groups = number[groups]
    return DistinctUnits(
        W1=W1[kept],
        b1=b1[kept],
        W2=W2[0, kept],
        counts=np.bincount(groups, minlength=kept.size),
        groups=groups,
    )
