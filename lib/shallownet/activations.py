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

    Attributes
    ----------
    name : str
        The registry name.
    """

    name: str = ""

    def function(self, Z, alpha=DEFAULT_ALPHA):
        """g(Z), elementwise; same shape and floating dtype as ``Z``."""
        raise NotImplementedError

    def derivative(self, Z, alpha=DEFAULT_ALPHA):
        """g'(Z), elementwise; same shape and floating dtype as ``Z``."""
        raise NotImplementedError

    def function_and_derivative(self, Z, alpha=DEFAULT_ALPHA):
        """(g(Z), g'(Z)), the same values as the two methods, sharing work where possible.

        Training needs both at every iteration; the subclasses that can compute them together
        with fewer passes over Z override this.
        """
        return self.function(Z, alpha), self.derivative(Z, alpha)

    def max_derivative(self, alpha=DEFAULT_ALPHA) -> float:
        """The largest value of |g'(z)| over all z (the reference for "saturated")."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class Sigmoid(Activation):
    """Logistic sigmoid.

    g(z) = 1 / (1 + exp(-z)),  g'(z) = g(z) (1 - g(z)),  max g' = 1/4 at z = 0.

    Evaluated through e = exp(-|z|) <= 1, which cannot overflow, and s = 1 / (1 + e):
    g(z) = s for z >= 0 and e s = e / (1 + e) for z < 0, and g'(z) = e s^2 = e / (1 + e)^2.
    This keeps full relative precision in both tails (g'(40) is about 4e-18, not 0).
    """

    name = "sigmoid"

    @staticmethod
    def _tail_and_positive_half(Z):
        """es = e / (1 + e) = sigmoid(-|Z|) and s = 1 / (1 + e) = sigmoid(|Z|), e = exp(-|Z|)."""
        e = np.exp(-np.abs(Z))
        s = 1 / (1 + e)
        return e * s, s

    def function(self, Z, alpha=DEFAULT_ALPHA):
        Z = as_float_array(Z)
        es, s = self._tail_and_positive_half(Z)
        return np.where(Z < 0, es, s)

    def derivative(self, Z, alpha=DEFAULT_ALPHA):
        es, s = self._tail_and_positive_half(as_float_array(Z))
        return es * s

    def function_and_derivative(self, Z, alpha=DEFAULT_ALPHA):
        Z = as_float_array(Z)
        es, s = self._tail_and_positive_half(Z)
        return np.where(Z < 0, es, s), es * s

    def max_derivative(self, alpha=DEFAULT_ALPHA) -> float:
        return 0.25


class Tanh(Activation):
    """Hyperbolic tangent.

    g(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)),  g'(z) = 1 - g(z)^2,  max g' = 1 at z = 0.

    The derivative is evaluated as 4 e / (1 + e)^2 with e = exp(-2|z|) <= 1, the same value
    without the cancellation of 1 - g(z)^2 (which is exactly 0 once |z| > 19).
    """

    name = "tanh"

    def function(self, Z, alpha=DEFAULT_ALPHA):
        return np.tanh(as_float_array(Z))

    def derivative(self, Z, alpha=DEFAULT_ALPHA):
        Z = as_float_array(Z)
        e = np.exp(-2 * np.abs(Z))
        return 4 * e / np.square(1 + e)

    def max_derivative(self, alpha=DEFAULT_ALPHA) -> float:
        return 1.0


class ReLU(Activation):
    """Rectified linear unit.

    g(z) = max(0, z),  g'(z) = 1 if z > 0 else 0 (the lecture's choice at z = 0),  max g' = 1.
    """

    name = "relu"

    def function(self, Z, alpha=DEFAULT_ALPHA):
        return np.maximum(as_float_array(Z), 0)

    def derivative(self, Z, alpha=DEFAULT_ALPHA):
        Z = as_float_array(Z)
        return (Z > 0).astype(Z.dtype)

    def max_derivative(self, alpha=DEFAULT_ALPHA) -> float:
        return 1.0


class LeakyReLU(Activation):
    """Leaky rectified linear unit with slope ``alpha`` for negative inputs (default 0.01).

    g(z) = z if z > 0 else alpha z,  g'(z) = 1 if z > 0 else alpha,  max g' = max(1, |alpha|).
    """

    name = "leaky_relu"

    def function(self, Z, alpha=DEFAULT_ALPHA):
        Z = as_float_array(Z)
        return np.where(Z > 0, Z, Z.dtype.type(alpha) * Z)

    def derivative(self, Z, alpha=DEFAULT_ALPHA):
        Z = as_float_array(Z)
        return np.where(Z > 0, Z.dtype.type(1), Z.dtype.type(alpha))

    def function_and_derivative(self, Z, alpha=DEFAULT_ALPHA):
        Z = as_float_array(Z)
        derivative = np.where(Z > 0, Z.dtype.type(1), Z.dtype.type(alpha))
        return Z * derivative, derivative

    def max_derivative(self, alpha=DEFAULT_ALPHA) -> float:
        return max(1.0, abs(float(alpha)))


class Identity(Activation):
    """Identity, the lecture's "linear activation function".

    g(z) = z,  g'(z) = 1.  With it the whole network is a linear function of X followed by
    the output sigmoid, i.e. logistic regression (the lecture's point about linear layers).
    ``function`` returns its (floating) input itself, not a copy.
    """

    name = "identity"

    def function(self, Z, alpha=DEFAULT_ALPHA):
        return as_float_array(Z)

    def derivative(self, Z, alpha=DEFAULT_ALPHA):
        return np.ones_like(as_float_array(Z))

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
