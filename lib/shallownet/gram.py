"""The exact fast path of :func:`shallownet.fit` when there are fewer examples than features.

Every gradient-descent update of the hidden layer is a combination of the training
examples: dJ/dW1 = dZ1 X^T and dJ/db1 = dZ1 1. Starting from (W1_0, b1_0), after any number
of steps

    W1 = W1_0 + C X^T,   b1 = b1_0 + C 1,   with C of shape (n_h, m),

and one step is just ``C -= learning_rate * dZ1``. With the Gram matrix K = X^T X computed
once, the pre-activations are

    Z1 = W1 X + b1 = (W1_0 X + b1_0) + C (K + 1 1^T),

so an iteration costs O(n_h m^2) instead of O(n_h n_x m). The arithmetic is the same as the
direct path in exact arithmetic; in floating point the results agree to rounding (the
tests require 1e-9 relative on the cat data). The diagnostics go through K as well:
||dJ/dW1||^2 = sum(dZ1 * (dZ1 K)), and the row distances of W1 through the Gram matrix of
its rows (see :meth:`GramHiddenLayer.unit_spread`). W1 is materialized once, by
:meth:`GramHiddenLayer.weights`. Dev pre-activations use the cross-Gram X^T X_dev.

The products whose rows are hidden units (rows of W1_0, C or dZ1) go through
:func:`shallownet.network.rowwise_matmul`, so that identical units stay bitwise identical;
K is only m x m, so the per-unit products cost little. The unit spread needs no such care:
when all units are identical, V_0 = W1_0 - W1_0[0] and D = C - C[0] are exactly 0, and so is
every product in it.

The interface is the one described in :mod:`shallownet.direct`.
"""

from __future__ import annotations

import numpy as np

from shallownet.diagnostics import spread_from_gram
from shallownet.network import rowwise_matmul


class GramHiddenLayer:
    """Hidden layer stored as W1_0, b1_0 and the coefficients C (n_h, m) over the examples.

    Parameters
    ----------
    X : ndarray, shape (n_x, m)
        Training examples, in the training dtype; only read.
    W1 : ndarray, shape (n_h, n_x)
    b1 : ndarray, shape (n_h, 1)
        Starting weights W1_0, b1_0 (not modified).
    X_dev : ndarray, shape (n_x, m_dev), optional
    """

    def __init__(self, X, W1, b1, X_dev=None):
        self._X = X
        self._W1_start = W1
        self._b1_start = b1
        self._K = X.T @ X
        # The bias acts as the weight of a constant feature 1, hence the added 1 1^T.
        self._K_with_bias = self._K + 1
        self._Z1_start = rowwise_matmul(W1, X) + b1
        if X_dev is not None:
            self._K_dev_with_bias = X.T @ X_dev + 1
            self._Z1_dev_start = rowwise_matmul(W1, X_dev) + b1
        self._C = np.zeros((W1.shape[0], X.shape[1]), dtype=X.dtype)
        self._C_before = self._C
        # For the unit spread, rows are measured relative to row 0 (see spread_from_gram):
        # V = W1 - W1[0] = V_0 + (C - C[0]) X^T with V_0 = W1_0 - W1_0[0].
        V_start = W1 - W1[0]
        self._V_start_gram = V_start @ V_start.T
        self._V_start_X = V_start @ X

    def preactivation(self):
        Z1 = rowwise_matmul(self._C, self._K_with_bias)
        Z1 += self._Z1_start
        return Z1

    def dev_preactivation(self):
        Z1 = rowwise_matmul(self._C, self._K_dev_with_bias)
        Z1 += self._Z1_dev_start
        return Z1

    def step(self, dZ1, learning_rate):
        self._C_before = self._C
        self._C = self._C - learning_rate * dZ1

    def undo_step(self):
        self._C = self._C_before

    def grad_norm(self, dZ1):
        # ||dZ1 X^T||_F^2 = trace(dZ1 X^T X dZ1^T) = sum(dZ1 * (dZ1 K)).
        squared = float(np.sum(rowwise_matmul(dZ1, self._K) * dZ1))
        return float(np.sqrt(max(squared, 0.0)))

    def unit_spread(self):
        # G = V V^T with V = V_0 + D X^T, D = C - C[0]:
        # G = V_0 V_0^T + (V_0 X) D^T + D (V_0 X)^T + D K D^T.
        D = self._C - self._C[0]
        cross = self._V_start_X @ D.T
        G = self._V_start_gram + cross + cross.T + (D @ self._K) @ D.T
        return spread_from_gram(G)

    def weights(self):
        W1 = rowwise_matmul(self._C, self._X.T)
        W1 += self._W1_start
        return W1, self._b1_start + self._C.sum(axis=1, keepdims=True)
