"""The one-hidden-layer network: forward pass, backpropagation, prediction.

Notation of the lecture: examples are columns, X has shape (n_x, m), Y shape (1, m);
parameters W1 (n_h, n_x), b1 (n_h, 1), W2 (1, n_h), b2 (1, 1); the forward pass is

    Z1 = W1 X + b1,  A1 = g(Z1),  Z2 = W2 A1 + b2,  A2 = sigmoid(Z2).

Everything is vectorized over examples and units (no Python loop over either), and every
hidden unit goes through exactly the same arithmetic: products whose output rows are hidden
units use :func:`rowwise_matmul`, sums over examples are row-wise reductions. Identical units
(zero initialization) therefore stay bitwise identical however long they train, as the
lecture says they do in exact arithmetic.
"""

from __future__ import annotations

import numpy as np

from shallownet.activations import ACTIVATIONS, DEFAULT_ALPHA, get_activation
from shallownet.losses import cross_entropy_and_gradient

PARAMETER_NAMES = ("W1", "b1", "W2", "b2")
_SIGMOID = ACTIVATIONS["sigmoid"]


def rowwise_matmul(A, B, out=None) -> np.ndarray:
    """The product A @ B, computed so that identical rows of A give identical rows of the result.

    A BLAS matrix product (GEMM) splits its output rows into blocks handled by different
    kernels (full register blocks and remainder rows), so two identical rows of A can give
    rows that differ in the last bit; for the hidden layer, gradient descent then amplifies
    that difference and identical units drift apart. Here the product is a stack of one-row
    products, one matrix-vector product (GEMV) per row of A with the same B, shapes and
    strides, so every row gets the same arithmetic.

    Parameters
    ----------
    A : array_like, shape (n, k)
        Typically one row per hidden unit.
    B : array_like, shape (k, p)
    out : ndarray, shape (n, p), optional
        Where to write the result.

    Returns
    -------
    ndarray, shape (n, p)
    """
    A = np.asarray(A)
    stacked_out = None if out is None else out[:, np.newaxis, :]
    return np.matmul(A[:, np.newaxis, :], B, out=stacked_out)[:, 0, :]


def check_params(params: dict, n_x: int | None = None) -> int:
    """Validate the keys and shapes of ``params``; return the number of hidden units n_h.

    Parameters
    ----------
    params : dict of ndarray
        ``W1`` (n_h, n_x), ``b1`` (n_h, 1), ``W2`` (1, n_h), ``b2`` (1, 1).
    n_x : int, optional
        Expected number of input features (columns of ``W1``).

    Raises
    ------
    ValueError
        A key is missing or a shape does not fit.
    """
    missing = [name for name in PARAMETER_NAMES if name not in params]
    if missing:
        raise ValueError(f"params lack {missing}; expected keys {list(PARAMETER_NAMES)}")
    W1 = np.asarray(params["W1"])
    if W1.ndim != 2:
        raise ValueError(f"W1 must have shape (n_h, n_x), got {W1.shape}")
    n_h = W1.shape[0]
    expected = {
        "W1": (n_h, W1.shape[1] if n_x is None else n_x),
        "b1": (n_h, 1),
        "W2": (1, n_h),
        "b2": (1, 1),
    }
    for name, shape in expected.items():
        if np.shape(params[name]) != shape:
            raise ValueError(f"{name} has shape {np.shape(params[name])}, expected {shape}")
    return n_h


def forward(params: dict, X, *, activation: str, alpha: float = DEFAULT_ALPHA) -> dict:
    """Forward pass over all examples.

    Parameters
    ----------
    params : dict of ndarray
        ``W1`` (n_h, n_x), ``b1`` (n_h, 1), ``W2`` (1, n_h), ``b2`` (1, 1).
    X : ndarray, shape (n_x, m)
        Examples as columns.
    activation : str
        Hidden activation, a name in :data:`shallownet.ACTIVATIONS`.
    alpha : float
        Leaky-ReLU slope (ignored by the other activations).

    Returns
    -------
    dict of ndarray
        ``Z1``, ``A1`` (n_h, m) and ``Z2``, ``A2`` (1, m).
    """
    g = get_activation(activation)
    X = np.asarray(X)
    check_params(params, X.shape[0])
    Z1 = rowwise_matmul(params["W1"], X) + params["b1"]
    A1 = g.function(Z1, alpha)
    Z2 = params["W2"] @ A1 + params["b2"]
    return {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": _SIGMOID.function(Z2)}


def backpropagate_to_hidden(W2, A1, dZ2, hidden_derivative):
    """Gradients of the mean cost down to the hidden pre-activations.

    Parameters
    ----------
    W2 : ndarray, shape (1, n_h)
    A1 : ndarray, shape (n_h, m)
        Hidden activations g(Z1).
    dZ2 : ndarray, shape (1, m)
        dJ/dZ2 = (A2 - Y) / m, e.g. from :func:`shallownet.losses.cross_entropy_and_gradient`;
        it already carries the 1/m of the mean, so that dW1 = dZ1 X^T and db1 = dZ1 summed
        over examples.
    hidden_derivative : ndarray, shape (n_h, m)
        g'(Z1).

    Returns
    -------
    dZ1 : ndarray, shape (n_h, m)
        dJ/dZ1 = W2^T dZ2 * g'(Z1).
    dW2 : ndarray, shape (1, n_h)
        dZ2 A1^T, summed row by row so that identical units get identical gradients.
    db2 : ndarray, shape (1, 1)
        dZ2 summed over examples.
    """
    # A row-wise sum rather than the product dZ2 @ A1.T: BLAS matrix-vector kernels treat
    # the n_h outputs unequally (blocks and tails), so identical hidden units would get
    # gradients that differ in the last bit and the lecture's exact symmetry would break.
    dW2 = np.add.reduce(A1 * dZ2, axis=1)[np.newaxis, :]
    db2 = np.add.reduce(dZ2, axis=1, keepdims=True)
    dZ1 = W2.T * dZ2  # (n_h, 1) * (1, m): the outer product W2^T dZ2
    dZ1 *= hidden_derivative
    return dZ1, dW2, db2


def backward(
    params: dict, X, Y, cache: dict, *, activation: str, alpha: float = DEFAULT_ALPHA
) -> dict:
    """Backpropagation: gradients of the mean cross-entropy with respect to every parameter.

    Parameters
    ----------
    params : dict of ndarray
        As for :func:`forward`.
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (1, m)
        Labels in {0, 1}.
    cache : dict of ndarray
        The output of :func:`forward` for the same ``params`` and ``X``.
    activation : str
    alpha : float

    Returns
    -------
    dict of ndarray
        ``dW1`` (n_h, n_x), ``db1`` (n_h, 1), ``dW2`` (1, n_h), ``db2`` (1, 1).
    """
    g = get_activation(activation)
    X = np.asarray(X)
    Y = np.asarray(Y, dtype=cache["Z2"].dtype)
    _, dZ2 = cross_entropy_and_gradient(1 - 2 * Y, cache["Z2"])
    derivative = g.derivative(cache["Z1"], alpha)
    dZ1, dW2, db2 = backpropagate_to_hidden(params["W2"], cache["A1"], dZ2, derivative)
    return {
        "dW1": rowwise_matmul(dZ1, X.T),
        "db1": dZ1.sum(axis=1, keepdims=True),
        "dW2": dW2,
        "db2": db2,
    }


def decision_function(
    params: dict, X, *, activation: str, alpha: float = DEFAULT_ALPHA
) -> np.ndarray:
    """The output logits Z2 = W2 g(W1 X + b1) + b2.

    Parameters
    ----------
    params : dict of ndarray
    X : ndarray, shape (n_x, m)
    activation : str
    alpha : float

    Returns
    -------
    ndarray, shape (1, m)
    """
    return forward(params, X, activation=activation, alpha=alpha)["Z2"]


def predict(params: dict, X, *, activation: str, alpha: float = DEFAULT_ALPHA) -> np.ndarray:
    """Predicted labels: 1 where A2 = sigmoid(Z2) > 0.5, i.e. where the logit Z2 > 0.

    Parameters
    ----------
    params : dict of ndarray
    X : ndarray, shape (n_x, m)
    activation : str
    alpha : float

    Returns
    -------
    ndarray of int64, shape (1, m)
        Values in {0, 1}.
    """
    return (decision_function(params, X, activation=activation, alpha=alpha) > 0).astype(np.int64)
