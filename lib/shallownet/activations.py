"""Hidden-layer activation functions g and their derivatives g'.

Each activation is a small class whose docstring states its formula; :data:`ACTIVATIONS`
maps the registry name to an instance. Every method takes the leaky-ReLU slope ``alpha`` so
that callers can treat all activations alike (the others ignore it).

All functions are elementwise, accept arrays of any shape, keep floating dtypes (float32
stays float32) and are stable for every finite input: no overflow warning, no NaN.
"""

from __future__ import annotations

import numpy as np

DEFAULT_ALPHA = 0.01


def as_float_array(Z):
    """``Z`` as an ndarray of a floating dtype (integers become float64)."""
    Z = np.asarray(Z)
    if Z.dtype.kind != "f":
        Z = Z.astype(np.float64)
    return Z


class Activation:
    """An elementwise function g with its derivative g' (base class).

    Subclasses implement :meth:`evaluate`, which computes both in place; the other methods
    all go through it, so that ``function``, ``derivative`` and ``function_and_derivative``
    give the same bits.

    Attributes
    ----------
    name : str
        The registry name.
    """

    name: str = ""

    def function(self, Z, alpha=DEFAULT_ALPHA):
        """g(Z), elementwise; a new array of the same shape and floating dtype as ``Z``."""
        return self.function_and_derivative(Z, alpha)[0]

    def derivative(self, Z, alpha=DEFAULT_ALPHA):
        """g'(Z), elementwise; a new array of the same shape and floating dtype as ``Z``."""
        return self.function_and_derivative(Z, alpha)[1]

    def function_and_derivative(self, Z, alpha=DEFAULT_ALPHA, out=None):
        """(g(Z), g'(Z)), sharing the work between the two.

        Parameters
        ----------
        Z : array_like
        alpha : float
            Leaky-ReLU slope (ignored by the other activations).
        out : ndarray, optional
            An array of the shape and floating dtype of ``Z``. Given, no new array is made:
            ``Z`` (then an ndarray of a floating dtype) is overwritten, and the two results
            are ``out`` and ``Z``, in the order that suits the activation. Training does this
            with its own work arrays at every iteration.

        Returns
        -------
        (ndarray, ndarray)
            g(Z) and g'(Z).
        """
        if out is None:
            Z = np.array(as_float_array(Z))
            out = np.empty_like(Z)
        # Overflow inside a formula (exp of a large input) only ever produces a limit that is
        # the right answer (a slope of 0), never a NaN.
        with np.errstate(over="ignore"):
            return self.evaluate(Z, out, alpha)

    def evaluate(self, Z, out, alpha):
        """g(Z) and g'(Z) computed into ``Z`` and ``out``, as ``function_and_derivative(Z,
        alpha, out)`` but without setting NumPy's floating-point error state: for a caller
        that already ignores overflow, like the training loop, which calls it at every
        iteration on arrays small enough that setting the state would be a cost."""
        raise NotImplementedError

    def max_derivative(self, alpha=DEFAULT_ALPHA) -> float:
        """The largest value of |g'(z)| over all z (the reference for "saturated")."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class Sigmoid(Activation):
    """Logistic sigmoid.

    g(z) = 1 / (1 + exp(-z)),  g'(z) = g(z) (1 - g(z)),  max g' = 1/4 at z = 0.

    g' is evaluated as exp(-z) g(z) g(z), the same value: nothing cancels, so both tails keep
    full relative precision (g'(40) is about 4e-18, not the 0 of g (1 - g)); multiplied left to
    right, exp(-z) g(z) stays near 1 where g(z) is tiny. Where exp(-z) overflows (z < -709),
    g is 0 and exp(-z) is capped at the largest float, so that g' is 0 too: both are their
    values rounded to float64.
    """

    name = "sigmoid"

    def evaluate(self, Z, out, alpha):
        np.negative(Z, out=out)
        np.exp(out, out=out)
        np.add(out, 1, out=Z)
        np.divide(1, Z, out=Z)
        np.minimum(out, np.finfo(out.dtype).max, out=out)
        out *= Z
        out *= Z
        return Z, out

    def max_derivative(self, alpha=DEFAULT_ALPHA) -> float:
        return 0.25


class Tanh(Activation):
    """Hyperbolic tangent.

    g(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)),  g'(z) = 1 - g(z)^2,  max g' = 1 at z = 0.

    g' is evaluated as 1 - g(z)^2, the lecture's formula: exact to rounding in absolute terms
    (1e-16), and 0 once |z| > 19, where the true slope is below 1e-16 -- far below the
    saturation threshold of the diagnostics (0.01).
    """

    name = "tanh"

    def evaluate(self, Z, out, alpha):
        np.tanh(Z, out=out)
        np.square(out, out=Z)
        np.subtract(1, Z, out=Z)
        return out, Z

    def max_derivative(self, alpha=DEFAULT_ALPHA) -> float:
        return 1.0


class ReLU(Activation):
    """Rectified linear unit.

    g(z) = max(0, z),  g'(z) = 1 if z > 0 else 0 (the lecture's choice at z = 0),  max g' = 1.
    """

    name = "relu"

    def evaluate(self, Z, out, alpha):
        np.maximum(Z, 0, out=out)
        np.greater(Z, 0, out=Z, casting="unsafe")
        return out, Z

    def max_derivative(self, alpha=DEFAULT_ALPHA) -> float:
        return 1.0


class LeakyReLU(Activation):
    """Leaky rectified linear unit with slope ``alpha`` in [0, 1] for negative inputs
    (default 0.01).

    g(z) = z if z > 0 else alpha z,  g'(z) = 1 if z > 0 else alpha,  max g' = 1.

    g' is evaluated as alpha + [z > 0] (1 - alpha), which is exactly 1 or alpha for a slope
    in [0, 1].
    """

    name = "leaky_relu"

    def evaluate(self, Z, out, alpha):
        if not 0 <= alpha <= 1:
            raise ValueError(f"the leaky ReLU slope alpha must be in [0, 1], got {alpha!r}")
        np.greater(Z, 0, out=out, casting="unsafe")
        out *= Z.dtype.type(1 - alpha)
        out += Z.dtype.type(alpha)
        Z *= out
        return Z, out

    def max_derivative(self, alpha=DEFAULT_ALPHA) -> float:
        return 1.0


class Identity(Activation):
    """Identity, the lecture's "linear activation function".

    g(z) = z,  g'(z) = 1.  With it the whole network is a linear function of X followed by
    the output sigmoid, i.e. logistic regression (the lecture's point about linear layers).
    """

    name = "identity"

    def evaluate(self, Z, out, alpha):
        out.fill(1)
        return Z, out

    def max_derivative(self, alpha=DEFAULT_ALPHA) -> float:
        return 1.0


#: Registry name -> activation object.
ACTIVATIONS: dict[str, Activation] = {
    activation.name: activation
    for activation in (Sigmoid(), Tanh(), ReLU(), LeakyReLU(), Identity())
}


def get_activation(activation: str | Activation) -> Activation:
    """The activation object for a registry name (objects are passed through).

    Raises
    ------
    ValueError
        If the name is not in :data:`ACTIVATIONS`.
    """
    if isinstance(activation, Activation):
        return activation
    try:
        return ACTIVATIONS[activation]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {activation!r}; expected one of {sorted(ACTIVATIONS)}"
        ) from None
