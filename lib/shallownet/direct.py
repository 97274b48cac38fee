"""The textbook ("direct") hidden layer for :func:`shallownet.fit`: W1 and b1 stored as is.

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

    Parameters
    ----------
    X : ndarray, shape (n_x, m)
        Training examples in the training dtype; only read.
    W1 : ndarray, shape (n_h, n_x)
    b1 : ndarray, shape (n_h, 1)
        Starting weights; the object takes ownership (the caller passes copies).
    X_dev : ndarray, shape (n_x, m_dev), optional
    """

    def __init__(self, X, W1, b1, X_dev=None):
        # Both big products read X.T best as a C-contiguous (m, n_x) array, each example
        # contiguous in memory (Fortran order for X): one copy here if X is in C order.
        self._X = np.ascontiguousarray(X.T).T
        self._X_dev = X_dev
        self._W1 = W1
        self._b1 = b1
        # W1-sized work arrays allocated once: the product dZ1 X^T, and a second W1 buffer so
        # that a step writes the new W1 next to the old one (kept for ``undo_step``).
        self._W1_change = np.empty_like(W1)
        self._W1_other = np.empty_like(W1)
        self._b1_before = b1

    def preactivation(self):
        Z1 = rowwise_matmul(self._W1, self._X)
        Z1 += self._b1
        return Z1

    def dev_preactivation(self):
        Z1 = rowwise_matmul(self._W1, self._X_dev)
        Z1 += self._b1
        return Z1

    def step(self, dZ1, learning_rate):
        # Scale the small (n_h, m) factor, not the (n_h, n_x) product.
        scaled = learning_rate * dZ1
        rowwise_matmul(scaled, self._X.T, out=self._W1_change)
        np.subtract(self._W1, self._W1_change, out=self._W1_other)
        self._W1, self._W1_other = self._W1_other, self._W1
        self._b1_before = self._b1
        self._b1 = self._b1 - scaled.sum(axis=1, keepdims=True)

    def undo_step(self):
        self._W1, self._W1_other = self._W1_other, self._W1
        self._b1 = self._b1_before

    def grad_norm(self, dZ1):
        rowwise_matmul(dZ1, self._X.T, out=self._W1_change)
        return float(np.linalg.norm(self._W1_change))

    def unit_spread(self):
        return unit_spread(self._W1)

    def weights(self):
        return self._W1.copy(), self._b1.copy()
