"""The exact fast path of :func:`shallownet.fit_batch` when there are fewer examples than features.

Every gradient-descent update of the hidden layer is a combination of the training
examples: dJ/dW1 = dZ1 X^T and dJ/db1 = dZ1 1. Starting from (W1_0, b1_0), after any number
of steps

    W1 = W1_0 + C X^T,   b1 = b1_0 + C 1,   with C of shape (n_h, m),

and one step is just ``C -= learning_rate * dZ1``. With the Gram matrix K = X^T X computed
once (for a whole batch of networks), the pre-activations are

    Z1 = W1 X + b1 = (W1_0 X + b1_0) + C (K + 1 1^T),

so an iteration costs O(n_h m^2) instead of O(n_h n_x m). The arithmetic is the same as the
direct path in exact arithmetic; in floating point the results agree to rounding (the
tests require 1e-9 relative on the cat data). The diagnostics go through K as well:
||dJ/dW1||^2 = sum(dZ1 * (dZ1 K)), and the row distances of W1 through the Gram matrix of
its rows (see :meth:`GramHiddenLayer.unit_gram`). W1 is materialized once, by
:meth:`GramHiddenLayer.weights`. Dev pre-activations use the cross-Gram X^T X_dev.

The interface (a batch of networks stacked along a leading axis) is the one described in
:mod:`shallownet.direct`.
"""

from __future__ import annotations

import numpy as np

from shallownet.direct import select_networks

#: Arrays with one entry per network along their first axis (see ``take``).
_PER_NETWORK = (
    "_W1_start",
    "_b1_start",
    "_Z1_start",
    "_Z1_dev_start",
    "_V_start_gram",
    "_V_start_X",
)


class GramHiddenLayer:
    """Hidden layers stored as W1_0, b1_0 and the coefficients C (B, u, m) over the examples."""

    @staticmethod
    def examples(X, X_dev=None) -> dict:
        """X, X_dev, K = X^T X and, for the products with C, K + 1 1^T and X^T X_dev + 1 1^T
        (the bias acts as the weight of a constant feature 1). With one training set per
        network (X of shape (B, n_x, m)) every entry but X_dev has one matrix per network."""
        X_transposed = X.swapaxes(-1, -2)
        K = np.matmul(X_transposed, X)
        return {
            "X": X,
            "X_dev": X_dev,
            "K": K,
            "K_with_bias": K + 1,
            "K_dev_with_bias": None if X_dev is None else np.matmul(X_transposed, X_dev) + 1,
            "per_network": ("X", "K", "K_with_bias", "K_dev_with_bias") if X.ndim == 3 else (),
        }

    def __init__(self, examples, W1, b1):
        X, X_dev = examples["X"], examples["X_dev"]
        self._examples = examples
        self._W1_start, self._b1_start = W1, b1
        self._Z1_start = np.matmul(W1, X) + b1
        self._Z1_dev_start = None if X_dev is None else np.matmul(W1, X_dev) + b1
        # For the distances between units, rows are measured relative to unit 0 (see
        # shallownet.diagnostics.squared_distances):
        # V = W1 - W1[0] = V_0 + (C - C[0]) X^T with V_0 = W1_0 - W1_0[0].
        V_start = W1 - W1[:, :1]
        self._V_start_gram = np.matmul(V_start, V_start.swapaxes(1, 2))
        self._V_start_X = np.matmul(V_start, X)
        self._set_coefficients(np.zeros(self._Z1_start.shape, dtype=X.dtype))

    def _set_coefficients(self, C):
        self._C = C
        # A second buffer, so that a step writes the new C next to the old: a network that
        # diverges is returned as it was before its last step (``take(previous=True)``).
        self._C_other = np.empty_like(C)

    def preactivation(self, out):
        Z1 = np.matmul(self._C, self._examples["K_with_bias"], out=out)
        Z1 += self._Z1_start
        return Z1

    def dev_preactivation(self):
        Z1 = np.matmul(self._C, self._examples["K_dev_with_bias"])
        Z1 += self._Z1_dev_start
        return Z1

    def step(self, gradient, scale):
        gradient *= scale[:, :, np.newaxis]
        np.subtract(self._C, gradient, out=self._C_other)
        self._C, self._C_other = self._C_other, self._C

    def grad_norm_squared(self, dZ1):
        # ||dZ1_k X^T||^2 = dZ1_k X^T X dZ1_k^T = sum(dZ1_k * (dZ1_k K)) for each unit k.
        return np.einsum("bum,bum->bu", np.matmul(dZ1, self._examples["K"]), dZ1)

    def unit_gram(self, network):
        # G = V V^T with V = V_0 + D X^T, D = C - C[0]:
        # G = V_0 V_0^T + (V_0 X) D^T + D (V_0 X)^T + D K D^T.
        D = self._C[network] - self._C[network, 0]
        cross = self._V_start_X[network] @ D.T
        K = self._examples["K"]
        K = K[network] if "K" in self._examples["per_network"] else K
        return self._V_start_gram[network] + cross + cross.T + (D @ K) @ D.T

    def take(self, networks, previous=False):
        layer = object.__new__(GramHiddenLayer)
        layer._examples = select_networks(self._examples, networks)
        for name in _PER_NETWORK:
            value = getattr(self, name)
            setattr(layer, name, None if value is None else value[networks])
        layer._set_coefficients((self._C_other if previous else self._C)[networks])
        return layer

    def weights(self):
        W1 = np.matmul(self._C, self._examples["X"].swapaxes(-1, -2))
        W1 += self._W1_start
        return W1, self._b1_start + self._C.sum(axis=2, keepdims=True)
