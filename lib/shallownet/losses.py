"""Binary cross-entropy computed from the logits, and accuracy."""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np

from shallownet.activations import as_float_array


def _check_same_shape(A, B, names):
    if A.shape != B.shape:
        raise ValueError(
            f"{names[0]} has shape {A.shape} but {names[1]} has shape {B.shape}; expected the same"
        )


def softplus(u: np.ndarray) -> np.ndarray:
    """log(1 + exp(u)) elementwise, evaluated as max(u, 0) + log1p(exp(-|u|)).

    exp(-|u|) <= 1 cannot overflow, and log1p keeps full precision where its argument is
    tiny, so the result is right to rounding for every input: about u for large u, about
    exp(u) for very negative u. ``np.logaddexp(0, u)`` computes the same but is not
    vectorized, and the training loop evaluates it over every network's examples.
    """
    losses = np.abs(u)
    np.negative(losses, out=losses)
    np.exp(losses, out=losses)
    np.log1p(losses, out=losses)
    losses += np.maximum(u, 0)
    return losses


def mean_cross_entropy(label_sign: np.ndarray, Z2: np.ndarray):
    """Mean cross-entropy given ``label_sign = 1 - 2 Y`` (+1 for class 0, -1 for class 1).

    For a label y in {0, 1} the loss of a logit z is
    -y log(sigmoid(z)) - (1 - y) log(1 - sigmoid(z)) = log(1 + exp((1 - 2y) z)),
    which :func:`softplus` evaluates without overflow or cancellation: the cost stays
    finite (about |z|) when the network is confidently wrong, and is 0 only in the limit.
    ``Z2`` holds one network's logits per row (shape (..., m), ``label_sign`` broadcasts
    against it); returns the mean over each row, shape ``Z2.shape[:-1]``, in the logits' dtype.
    """
    losses = softplus(label_sign * Z2)
    return np.add.reduce(losses, axis=-1) / losses.shape[-1]


#: Largest exponent :func:`cross_entropy_gradient` evaluates: exp(700) is finite in float64, and
#: 1 / (1 + exp(700)) is 1e-304, below which a prediction's error is 0 to every purpose. In
#: float32, exp overflows from 89 on; its infinity then gives the error 0, as it should.
_LARGEST_EXPONENT = 700.0


def cross_entropy_gradient(label_sign: np.ndarray, Z2: np.ndarray, scale) -> np.ndarray:
    """dJ/dZ2 of the cross-entropy: ``scale`` (1 - 2y) sigmoid((1 - 2y) z), elementwise.

    With u = (1 - 2y) z, the loss softplus(u) has derivative (1 - 2y) sigmoid(u) with respect
    to z; ``scale`` carries the sign 1 - 2y and each example's weight in the cost (1/m for a
    mean). sigmoid(u) = 1 / (1 + exp(-u)) is evaluated with -u capped at
    :data:`_LARGEST_EXPONENT`, so exp never overflows in float64, and no floating-point error
    state is set at every iteration of the training loop (in float32 it may overflow, silently:
    the reciprocal of infinity is the right 0); nothing cancels, so a right prediction
    (u very negative) keeps full relative precision, which A2 - Y, a difference of two numbers
    close to 1, does not.

    Parameters
    ----------
    label_sign : ndarray
        1 - 2Y, broadcast against ``Z2``.
    Z2 : ndarray, shape (..., m)
        Logits, one network per row.
    scale : ndarray
        (1 - 2Y) times each example's weight, broadcast against ``Z2``.

    Returns
    -------
    ndarray, shape of ``Z2``
    """
    exponent = np.multiply(label_sign, Z2)
    np.negative(exponent, out=exponent)
    np.minimum(exponent, _LARGEST_EXPONENT, out=exponent)
    overflow = np.errstate(over="ignore") if exponent.dtype.itemsize < 8 else nullcontext()
    with overflow:
        np.exp(exponent, out=exponent)
    exponent += 1
    return np.divide(scale, exponent, out=exponent)


def cross_entropy_and_gradient(label_sign: np.ndarray, Z2: np.ndarray, weights=None):
    """The mean cross-entropy J of logits ``Z2`` and its gradient dJ/dZ2 = (A2 - Y) / m.

    ``Z2`` has shape (..., m): one network's logits per row, ``label_sign = 1 - 2 Y`` broadcast
    against it. ``weights`` (broadcast against ``Z2``), if given, replaces the 1 / m of the
    mean by each example's weight: a network's cost is then the weighted sum of its losses
    (0 for an example it does not train on, which then gets an exact 0 gradient). The cost
    is :func:`mean_cross_entropy`'s, the gradient :func:`cross_entropy_gradient`'s.

    Returns
    -------
    cost : ndarray of the logits' dtype, shape ``Z2.shape[:-1]``
    dZ2 : ndarray, shape of ``Z2``
    """
    losses = softplus(label_sign * Z2)
    if weights is None:
        m = losses.shape[-1]
        cost = np.add.reduce(losses, axis=-1) / m
        scale = label_sign / m
    else:
        cost = np.add.reduce(losses * weights, axis=-1)
        scale = label_sign * weights
    return cost, cross_entropy_gradient(label_sign, Z2, scale)


def cost_from_logits(Z2, Y) -> float:
    """Binary cross-entropy J = -(1/m) sum(Y log A2 + (1 - Y) log(1 - A2)), A2 = sigmoid(Z2).

    Parameters
    ----------
    Z2 : array_like, shape (1, m)
        Output logits (pre-sigmoid).
    Y : array_like, shape (1, m)
        Labels in {0, 1} (any numeric dtype).

    Returns
    -------
    float
        The mean cost, computed stably from the logits (see :func:`mean_cross_entropy`);
        finite for every finite ``Z2``.
    """
    Z2 = as_float_array(Z2)
    Y = np.asarray(Y)
    _check_same_shape(Z2, Y, ("Z2", "Y"))
    return float(mean_cross_entropy(1 - 2 * Y.astype(Z2.dtype).ravel(), Z2.ravel()))


def accuracy(Y_hat, Y) -> float:
    """Fraction of examples where the prediction equals the label.

    Parameters
    ----------
    Y_hat : array_like, shape (1, m)
        Predicted labels in {0, 1}.
    Y : array_like, shape (1, m)
        True labels in {0, 1}.

    Returns
    -------
    float
        In [0, 1].
    """
    Y_hat, Y = np.asarray(Y_hat), np.asarray(Y)
    _check_same_shape(Y_hat, Y, ("Y_hat", "Y"))
    return float(np.mean(Y_hat == Y))
