"""The textbook ("direct") hidden layer for :func:`shallownet.fit_batch`: W1 and b1 as they are.

Each iteration computes two products with X: ``W1 @ X`` forward and ``dZ1 @ X.T`` backward.
They cost O(n_h n_x m) per network; :func:`shallownet.fit` prefers the gram path
(:mod:`shallownet.gram`) when there are fewer examples than features.

The hidden-layer classes (this one and :class:`shallownet.gram.GramHiddenLayer`) share one
interface, all that ``fit_batch`` needs to know about how W1 and b1 are stored. They hold a
batch of B networks with u (distinct) hidden units each, stacked along a leading batch axis,
and every product is one matrix product per network (``np.matmul`` over the batch axis): a
network's arithmetic is the same whatever else is in its batch, so a network trained in a
batch is bit for bit the network trained alone.

- ``examples(X, inputs)`` (static): what the layer needs of the data, computed once for every
  batch trained on it. X is (n_x, m), shared by every network, or (B, n_x, m), one training
  set per network; ``inputs`` names other example sets X_e (n_x, m_e) shared by every network
  (the dev set, sets to predict). The entries that hold one array per network are named in
  ``examples["per_network"]``, so that :func:`select_networks` gives a chunk of networks its
  own;
- ``Layer(examples, W1, b1, columns=None)`` with W1 (B, u, n_x) and b1 (B, u, 1), the
  starting weights; ``columns``: each network's own columns of a shared X (the gram path's
  compaction of training masks, ``shallownet.training._Columns``);
- ``preactivation(out)`` -> Z1 = W1 X + b1, shape (B, u, m), written into ``out``;
  ``preactivation_on(name)`` -> a new array for the input set ``name``;
- ``step(slopes, dZ2, scale)``: with dZ1 = scale * slopes * dZ2 (``slopes`` g'(Z1) (B, u, m),
  ``dZ2`` (B, m) broadcast over the units, ``scale`` (B, u) each unit's learning rate times
  its W2), W1 -= dZ1 X^T and b1 -= dZ1 1 (``slopes`` may be overwritten);
- ``grad_norm_squared(dZ1)`` -> (B, u): the squared norm of each unit's row of dJ/dW1 = dZ1 X^T;
- ``unit_gram(network)`` -> G = V V^T with V = W1 - W1[0], the rows of one network's W1
  relative to its first (for the distances between units,
  :func:`shallownet.diagnostics.unit_distances`);
- ``take(networks, previous=False)`` -> a new layer holding only some networks (their
  weights before the last step if ``previous``);
- ``network_weights(network)`` -> a factory of one network's new arrays (W1 (u, n_x),
  b1 (u, 1)), and its coefficients over the examples (gram path) or None.
"""

from __future__ import annotations

import numpy as np


class DirectHiddenLayer:
    """[W1 | b1] of each network, shape (B, u, n_x + 1), updated in place.

    The bias is stored as the weight of a constant feature: [W1 | b1] times [X; 1] gives
    Z1 = W1 X + b1 in one product, and one step updates both (db1 = dZ1 1 is the last
    column of dZ1 [X; 1]^T).
    """

    @staticmethod
    def examples(X, inputs) -> dict:
        """[X; 1] and [X_e; 1] for each input set, and whether the step should scale the
        product dZ1 [X; 1]^T (when it is the smaller array) rather than dZ1."""
        n_x, m = X.shape[-2:]
        # The products run fastest along X's longer axis: each example contiguous for wide
        # inputs like the cat images, each feature contiguous for few features like the planar
        # points.
        return {
            "X": _with_constant_feature(X, examples_contiguous=n_x > m),
            "inputs": {name: _with_constant_feature(X_e) for name, X_e in inputs.items()},
            "scale_product": n_x + 1 < m,
            "per_network": ("X",) if X.ndim == 3 else (),
        }

    def __init__(self, examples, W1, b1, columns=None):
        if columns is not None:
            raise ValueError("the direct path trains a masked network on every column")
        self._examples = examples
        self._set_weights(np.concatenate([W1, b1], axis=2))

    def _set_weights(self, weights):
        self._weights = weights
        # Work arrays allocated once: the product dZ1 [X; 1]^T, and a second weight buffer so
        # that a step writes the new weights next to the old ones (a diverged network is
        # returned as it was before its last step: ``take(previous=True)``).
        self._change = np.empty_like(weights)
        self._other = np.empty_like(weights)

    def preactivation(self, out):
        return np.matmul(self._weights, self._examples["X"], out=out)

    def preactivation_on(self, name):
        return np.matmul(self._weights, self._examples["inputs"][name])

    def step(self, slopes, dZ2, scale):
        scale = scale[:, :, np.newaxis]
        X = self._examples["X"]
        units, features = slopes.shape[1], X.shape[-2]
        if features < units:
            # (g' * dZ2) [X; 1]^T = g' ([X; 1] * dZ2)^T: dZ2 scales the smaller array.
            np.matmul(slopes, (X * dZ2[:, np.newaxis, :]).swapaxes(-1, -2), out=self._change)
        else:
            slopes *= dZ2[:, np.newaxis, :]
            if not self._examples["scale_product"]:
                slopes *= scale
            np.matmul(slopes, X.swapaxes(-1, -2), out=self._change)
        if features < units or self._examples["scale_product"]:
            self._change *= scale
        np.subtract(self._weights, self._change, out=self._other)
        self._weights, self._other = self._other, self._weights

    def grad_norm_squared(self, dZ1):
        np.matmul(dZ1, self._examples["X"].swapaxes(-1, -2), out=self._change)
        gradient = self._change[..., :-1]
        return np.einsum("bui,bui->bu", gradient, gradient)

    def unit_gram(self, network):
        relative = self._weights[network, :, :-1] - self._weights[network, :1, :-1]
        return relative @ relative.T

    def take(self, networks, previous=False):
        layer = object.__new__(DirectHiddenLayer)
        layer._examples = select_networks(self._examples, networks)
        layer._set_weights((self._other if previous else self._weights)[networks])
        return layer

    def training_logits(self, Z2, heldout):
        return Z2

    def network_weights(self, network):
        weights = self._weights[network].copy()
        return (lambda: (weights[:, :-1].copy(), weights[:, -1:].copy())), None


def select_networks(examples: dict, networks) -> dict:
    """The ``examples`` of some networks (an index or mask): their own rows of the entries
    named in ``examples["per_network"]`` (of each array of such an entry that is a dict), the
    shared entries as they are."""

    def rows(value):
        if isinstance(value, dict):
            return {name: rows(array) for name, array in value.items()}
        return value[networks]

    return {
        name: rows(value) if name in examples["per_network"] else value
        for name, value in examples.items()
    }


def _with_constant_feature(X, examples_contiguous=False):
    """[X; 1]: X (n_x, m) or (B, n_x, m) with a row of ones appended to each matrix, stored
    with each example contiguous or (by default) each feature."""
    *batch, n_x, m = X.shape
    if examples_contiguous:
        augmented = np.empty((*batch, m, n_x + 1), dtype=X.dtype).swapaxes(-1, -2)
    else:
        augmented = np.empty((*batch, n_x + 1, m), dtype=X.dtype)
    augmented[..., :-1, :] = X
    augmented[..., -1, :] = 1
    return augmented
