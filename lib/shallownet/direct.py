"""The textbook ("direct") hidden layer for :func:`shallownet.fit`: W1 and b1 stored as they are.

Each iteration computes two products with X: ``W1 @ X`` forward and ``dZ1 @ X.T`` backward,
both one row (hidden unit) at a time with :func:`shallownet.network.rowwise_matmul`, so that
identical units stay identical. That reads X once per unit and direction instead of once per
product: on inputs as wide as the cat images (12288 features) an iteration takes about as long
as with matrix-matrix products at 7 hidden units but about 3 times as long at 50
(benchmarks/bench_fit.py). :func:`shallownet.fit` uses the gram path there anyway
(``method="auto"``).

The hidden-layer classes (this one and :class:`shallownet.gram.GramHiddenLayer`) share one
interface, all that ``fit`` needs to know about how W1 and b1 are stored:

- ``preactivation()`` -> Z1 = W1 X + b1, shape (n_h, m); ``dev_preactivation()`` for X_dev;
- ``step(dZ1, learning_rate)``: W1 -= learning_rate dZ1 X^T, b1 -= learning_rate dZ1 1;
- ``undo_step()``: back to the weights before the last step (used when training diverges);
- ``grad_norm(dZ1)`` -> ||dZ1 X^T||_F, the norm of dJ/dW1;
- ``unit_spread()`` -> the largest distance between two rows of W1;
- ``weights()`` -> new arrays (W1, b1).
"""

from __future__ import annotations

import numpy as np

from shallownet.diagnostics import unit_spread
from shallownet.network import rowwise_matmul


class DirectHiddenLayer:
    """W1 (n_h, n_x) and b1 (n_h, 1) updated in place, one W1-sized product each way.

    The bias is stored as the weight of a constant feature: [W1 | b1] times [X; 1] gives
    Z1 = W1 X + b1 in one product, and one step updates both (db1 = dZ1 1 is the last
    column of dZ1 [X; 1]^T).

    Parameters
    ----------
    X : ndarray, shape (n_x, m)
        Training examples in the training dtype; only read.
    W1 : ndarray, shape (n_h, n_x)
    b1 : ndarray, shape (n_h, 1)
        Starting weights (not modified).
    X_dev : ndarray, shape (n_x, m_dev), optional
    """

    def __init__(self, X, W1, b1, X_dev=None):
        n_x, m = X.shape
        # The per-unit products run fastest along X's longer axis: each example contiguous
        # (Fortran order) for wide inputs like the cat images, each feature contiguous
        # (C order) for few features like the planar points.
        self._X = _with_constant_feature(X, order="F" if n_x > m else "C")
        self._X_dev = None if X_dev is None else _with_constant_feature(X_dev, order="C")
        self._n_x = n_x
        self._weights = np.hstack([W1, b1])
        # Work arrays allocated once: the product dZ1 [X; 1]^T, and a second weight buffer so
        # that a step writes the new weights next to the old ones (kept for ``undo_step``).
        self._change = np.empty_like(self._weights)
        self._other = np.empty_like(self._weights)

    def preactivation(self):
        return rowwise_matmul(self._weights, self._X)

    def dev_preactivation(self):
        return rowwise_matmul(self._weights, self._X_dev)

    def step(self, dZ1, learning_rate):
        # Scale the small (n_h, m) factor, not the (n_h, n_x) product.
        rowwise_matmul(learning_rate * dZ1, self._X.T, out=self._change)
        np.subtract(self._weights, self._change, out=self._other)
        self._weights, self._other = self._other, self._weights

    def undo_step(self):
        self._weights, self._other = self._other, self._weights

    def grad_norm(self, dZ1):
        rowwise_matmul(dZ1, self._X.T, out=self._change)
        return float(np.linalg.norm(self._change[:, : self._n_x]))

    def unit_spread(self):
        return unit_spread(self._weights[:, : self._n_x])

    def weights(self):
        return self._weights[:, : self._n_x].copy(), self._weights[:, self._n_x :].copy()


def _with_constant_feature(X, order):
    """[X; 1]: X with a row of ones appended, shape (n_x + 1, m), in the given memory order."""
    augmented = np.empty((X.shape[0] + 1, X.shape[1]), dtype=X.dtype, order=order)
    augmented[:-1] = X
    augmented[-1] = 1
    return augmented
