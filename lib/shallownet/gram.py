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
its rows (see :meth:`GramHiddenLayer.unit_gram`). Pre-activations on other examples X_e (the
dev set, sets to predict) use the cross-Gram X^T X_e. W1 itself is formed only on request,
one network at a time (:func:`gram_weights`), so that a network can also be kept as its
coefficients C and rebuilt exactly.

The interface (a batch of networks stacked along a leading axis) is the one described in
:mod:`shallownet.direct`.
"""

from __future__ import annotations

import numpy as np

from shallownet.direct import select_networks
from shallownet.units import distinct_units

#: Arrays with one entry per network along their first axis (see ``take``).
_PER_NETWORK = ("_W1_start", "_b1_start", "_Z1_start", "_V_start_gram", "_V_start_X")


class GramHiddenLayer:
    """Hidden layers stored as W1_0, b1_0 and the coefficients C (B, u, m) over the examples."""

    @staticmethod
    def examples(X, inputs) -> dict:
        """X, K = X^T X and, for the products with C, K + 1 1^T and, for each named input set
        X_e of ``inputs`` (the dev set, sets to predict), X^T X_e + 1 1^T (the bias acts as
        the weight of a constant feature 1). With one training set per network (X of shape
        (B, n_x, m)) these hold one matrix per network; the input sets are shared."""
        X_transposed = X.swapaxes(-1, -2)
        K = np.matmul(X_transposed, X)
        return {
            "X": X,
            "K": K,
            "K_with_bias": K + 1,
            "inputs": dict(inputs),
            "cross_with_bias": {
                name: np.matmul(X_transposed, X_e) + 1 for name, X_e in inputs.items()
            },
            "per_network": ("X", "K", "K_with_bias", "cross_with_bias") if X.ndim == 3 else (),
        }

    def __init__(self, examples, W1, b1, columns=None):
        """``columns`` (``shallownet.training._Columns``, with a shared X) gives each network
        its own training columns of X: the rows and columns of K of its fold (the networks
        that train on the same columns share them), and the input set ``heldout``, its
        held-out columns."""
        self._W1_start, self._b1_start = W1, b1
        # One product with X serves the start of Z1 on every column and, for the distances
        # between units, the rows relative to unit 0 (see shallownet.diagnostics):
        # V = W1 - W1[0] = V_0 + (C - C[0]) X^T with V_0 = W1_0 - W1_0[0].
        W1_X = np.matmul(W1, examples["X"])
        self._input_starts = {
            name: np.matmul(W1, X_e) + b1 for name, X_e in examples["inputs"].items()
        }
        if columns is not None:
            examples = _own_examples(examples, columns)
            self._input_starts["heldout"] = _own(W1_X, columns.heldout) + b1
            W1_X = _own(W1_X, columns.train)
        self._examples = examples
        self._fold_runs = _fold_runs(examples)
        self._Z1_start = W1_X + b1
        self._V_start_X = W1_X - W1_X[:, :1]
        V_start = W1 - W1[:, :1]
        self._V_start_gram = np.matmul(V_start, V_start.swapaxes(1, 2))
        self._set_coefficients(np.zeros(self._Z1_start.shape, dtype=W1.dtype))

    def _set_coefficients(self, C):
        self._C = C
        # A second buffer, so that a step writes the new C next to the old: a network that
        # diverges is returned as it was before its last step (``take(previous=True)``).
        self._C_other = np.empty_like(C)

    def preactivation(self, out):
        Z1 = self._times(self._C, "K_with_bias", out=out)
        Z1 += self._Z1_start
        return Z1

    def _times(self, A, name, out=None):
        """A (B, u, m) times each network's matrix ``name`` of the examples (K or K + 1 1^T):
        one product per network, the networks of a fold against its one matrix."""
        matrices = self._examples[name]
        if self._fold_runs is None:
            return np.matmul(A, matrices, out=out)
        if out is None:
            out = np.empty(A.shape[:-1] + matrices.shape[-1:], dtype=A.dtype)
        for rows, fold in self._fold_runs:
            np.matmul(A[rows], matrices[fold], out=out[rows])
        return out

    def preactivation_on(self, name):
        Z1 = np.matmul(self._C, self._examples["cross_with_bias"][name])
        Z1 += self._input_starts[name]
        return Z1

    def step(self, slopes, dZ2, scale):
        gradient = np.multiply(slopes, dZ2[:, np.newaxis, :], out=slopes)
        gradient *= scale[:, :, np.newaxis]
        np.subtract(self._C, gradient, out=self._C_other)
        self._C, self._C_other = self._C_other, self._C

    def grad_norm_squared(self, dZ1):
        # ||dZ1_k X^T||^2 = dZ1_k X^T X dZ1_k^T = sum(dZ1_k * (dZ1_k K)) for each unit k.
        return np.einsum("bum,bum->bu", self._times(dZ1, "K"), dZ1)

    def unit_gram(self, network):
        # G = V V^T with V = V_0 + D X^T, D = C - C[0]:
        # G = V_0 V_0^T + (V_0 X) D^T + D (V_0 X)^T + D K D^T.
        D = self._C[network] - self._C[network, 0]
        cross = self._V_start_X[network] @ D.T
        K = self._examples["K"]
        if "fold" in self._examples:
            K = K[self._examples["fold"][network]]
        elif "K" in self._examples["per_network"]:
            K = K[network]
        return self._V_start_gram[network] + cross + cross.T + (D @ K) @ D.T

    def take(self, networks, previous=False):
        layer = object.__new__(GramHiddenLayer)
        layer._examples = select_networks(self._examples, networks)
        layer._fold_runs = _fold_runs(layer._examples)
        for name in _PER_NETWORK:
            setattr(layer, name, getattr(self, name)[networks])
        layer._input_starts = {name: Z1[networks] for name, Z1 in self._input_starts.items()}
        layer._set_coefficients((self._C_other if previous else self._C)[networks])
        return layer

    def network_weights(self, network):
        """Network ``network``'s factory of new arrays (W1 (u, n_x), b1 (u, 1)), and its
        coefficients C (u, m) over every column of X (0 on the columns it does not train on):
        W1 is formed only when the factory is called."""
        X = self._examples["X"]
        X = X[network] if X.ndim == 3 else X
        W1_start, b1_start = self._W1_start[network], self._b1_start[network]
        C = self._C[network].copy()
        if "train" in self._examples:
            C_own, C = C, np.zeros((C.shape[0], X.shape[1]), dtype=C.dtype)
            C[:, self._examples["train"][network]] = C_own
        return (lambda: gram_weights(W1_start, b1_start, C, X)), C

    def training_logits(self, Z2, heldout):
        """The networks' logits on every column of X from ``Z2`` on their own columns and,
        where those are compacted, ``heldout()`` on their held-out columns."""
        examples = self._examples
        if "train" not in examples:
            return Z2
        logits = np.empty((len(Z2), examples["X"].shape[1]), dtype=Z2.dtype)
        np.put_along_axis(logits, examples["train"], Z2, axis=1)
        np.put_along_axis(logits, examples["heldout"], heldout(), axis=1)
        return logits


def _own_examples(examples, columns) -> dict:
    """The matrices of :meth:`GramHiddenLayer.examples` (shared X) restricted to each
    network's own columns: K (F, m', m') of each of the F distinct sets of training columns
    (folds), and each network's ``fold``; its cross-Grams with the inputs (B, m', m_e) and
    with its held-out columns (``heldout``, (B, m', h')). The networks of a fold share its K:
    one per network would not stay in the processor's cache."""
    folds, fold = np.unique(columns.train, axis=0, return_inverse=True)
    K = examples["K"][folds[:, :, np.newaxis], folds[:, np.newaxis, :]]
    cross = {name: matrix[columns.train] for name, matrix in examples["cross_with_bias"].items()}
    rows = columns.train[:, :, np.newaxis]
    cross["heldout"] = examples["K"][rows, columns.heldout[:, np.newaxis, :]] + 1
    return examples | {
        "K": K,
        "K_with_bias": K + 1,
        "fold": fold.reshape(-1),
        "cross_with_bias": cross,
        "train": columns.train,
        "heldout": columns.heldout,
        "per_network": ("fold", "cross_with_bias", "train", "heldout"),
    }


def _fold_runs(examples) -> list[tuple[slice, int]] | None:
    """The runs of consecutive networks of one fold (:func:`_own_examples`) as (rows, fold),
    or None when the examples have no folds."""
    if "fold" not in examples:
        return None
    fold = examples["fold"]
    starts = np.flatnonzero(np.diff(fold, prepend=-1))
    stops = np.append(starts[1:], len(fold))
    return [(slice(start, stop), fold[start]) for start, stop in zip(starts, stops)]


def _own(Z, columns):
    """Each network's columns (B, m') of Z (B, u, m): (B, u, m')."""
    return np.take_along_axis(Z, columns[:, np.newaxis, :], axis=2)


def gram_weights(W1_start, b1_start, C, X) -> tuple[np.ndarray, np.ndarray]:
    """W1 = W1_0 + C X^T and b1 = b1_0 + C 1 of one network's hidden units (W1_0 (u, n_x),
    b1_0 (u, 1), C (u, m), X (n_x, m)): the one definition of a gram-path network's hidden
    layer, which its iterations never form."""
    W1 = np.matmul(C, X.T)
    W1 += W1_start
    return W1, b1_start + C.sum(axis=1, keepdims=True)


def gram_params(start: dict, coefficients, X) -> dict:
    """The trained hidden layer {W1, b1} of a gram-path network kept as its coefficients.

    Parameters
    ----------
    start : dict of ndarray
        Its starting parameters (``W1`` (n_h, n_x), ``b1`` (n_h, 1), ``W2`` (1, n_h)).
    coefficients : ndarray, shape (n_h, m)
        ``FitResult.coefficients``.
    X : ndarray, shape (n_x, m)
        The examples it trained on (with a training mask, all of them).

    Returns
    -------
    dict of ndarray
        The bits :func:`shallownet.fit_batch` returns as ``params["W1"]`` and ``["b1"]``:
        the training forms them from its distinct units (:mod:`shallownet.units`) with
        :func:`gram_weights`, and so does this.
    """
    units = distinct_units(start)
    first = np.unique(units.groups, return_index=True)[1]
    W1, b1 = gram_weights(units.W1, units.b1, np.asarray(coefficients)[first], X)
    return {"W1": W1[units.groups], "b1": b1[units.groups]}
