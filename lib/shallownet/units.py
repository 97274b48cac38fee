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
    later), and NaN weights are equal to themselves. Units are told apart by a sample of
    their bytes first, and only units whose samples agree are compared whole.
    """
    W1, b1, W2 = (np.asarray(params[name]) for name in ("W1", "b1", "W2"))
    n_h = W1.shape[0]
    units = np.concatenate([W1.reshape(n_h, -1), b1.reshape(n_h, -1), W2.reshape(-1, 1)], axis=1)
    bits = np.ascontiguousarray(units).view(f"u{units.dtype.itemsize}")
    sample = bits[:, :: max(1, bits.shape[1] // _SAMPLE)]
    first_of: dict[bytes, list[int]] = {}
    groups = np.empty(n_h, dtype=np.intp)
    kept = []
    for unit in range(n_h):
        candidates = first_of.setdefault(sample[unit].tobytes(), [])
        same = next((k for k in candidates if np.array_equal(bits[unit], bits[kept[k]])), None)
        if same is None:
            same = len(kept)
            candidates.append(same)
            kept.append(unit)
        groups[unit] = same
    return DistinctUnits(
        W1=W1[kept],
        b1=b1[kept],
        W2=W2[0, kept],
        counts=np.bincount(groups, minlength=len(kept)),
        groups=groups,
    )


#: About how many of a unit's numbers :func:`distinct_units` compares before the others.
_SAMPLE = 64
