"""Weight initializers and :func:`initialize`, which builds a network's starting parameters.

Each initializer is a small class whose docstring states its formula; :data:`INITIALIZERS`
maps the registry name to an instance. Biases always start at zero. Randomness comes only
from the ``numpy.random.Generator`` the caller passes, never from NumPy's global state.
"""

from __future__ import annotations

import math

import numpy as np


class Initializer:
    """Draws a weight matrix W of shape (fan_out, fan_in) as N(0, 1) times a standard deviation.

    Attributes
    ----------
    name : str
        The registry name.
    default_scale : float or None
        The default of the ``scale`` parameter for initializers that take one, else None.
    """

    name: str = ""
    default_scale: float | None = None

    def std(self, fan_in: int, scale: float | None = None) -> float:
        """Standard deviation of each weight of a layer with ``fan_in`` inputs."""
        raise NotImplementedError

    def weights(
        self, fan_in: int, fan_out: int, rng: np.random.Generator, scale=None
    ) -> np.ndarray:
        """A float64 weight matrix of shape (fan_out, fan_in) drawn from ``rng``.

        Raises
        ------
        ValueError
            If ``scale`` is given to an initializer that has no scale parameter.
        """
        if scale is not None and self.default_scale is None:
            raise ValueError(f"initializer {self.name!r} takes no scale (got scale={scale!r})")
        return self._draw(fan_in, fan_out, rng, scale)

    def _draw(self, fan_in, fan_out, rng, scale):
        return rng.standard_normal((fan_out, fan_in)) * self.std(fan_in, scale)

    def output_weights(self, fan_in: int, rng: np.random.Generator) -> np.ndarray:
        """The output unit's weights W2, shape (1, fan_in): the scheme at its default scale."""
        return self._draw(fan_in, 1, rng, None)

    def __repr__(self):
        return f"{type(self).__name__}()"


class Zeros(Initializer):
    """All weights zero: W = 0.

    Every hidden unit then computes the same function and receives the same update, so the
    units stay identical forever (the lecture's symmetry argument). Draws nothing from rng.
    """

    name = "zeros"

    def std(self, fan_in, scale=None):
        return 0.0

    def _draw(self, fan_in, fan_out, rng, scale):
        return np.zeros((fan_out, fan_in))


#: Standard deviation of the output weights W2 under both Gaussian-scale schemes.
OUTPUT_SCALE = 0.01


class _ScaledGaussian(Initializer):
    """Base of the schemes with a scale: it sets the hidden weights only. The output weights
    are N(0, 1) * :data:`OUTPUT_SCALE` under every scale, so that ``small`` and ``large`` (which
    draw the same normal numbers from the same generator) differ in W1's scale alone."""

    def std(self, fan_in, scale=None):
        return self.default_scale if scale is None else float(scale)

    def output_weights(self, fan_in, rng):
        return rng.standard_normal((1, fan_in)) * OUTPUT_SCALE


class Small(_ScaledGaussian):
    """Small random weights, the lecture's choice: W = N(0, 1) * scale, default scale 0.01
    (W2 = N(0, 1) * 0.01 whatever the scale)."""

    name = "small"
    default_scale = 0.01


class Large(_ScaledGaussian):
    """Large random hidden weights: W = N(0, 1) * scale, default scale 1.0 (saturates sigmoid
    and tanh); W2 = N(0, 1) * 0.01 as under ``small``, so the two differ in W1 only."""

    name = "large"
    default_scale = 1.0


class Xavier(Initializer):
    """Xavier (Glorot) scaling: W = N(0, 1) * sqrt(1 / fan_in)."""

    name = "xavier"

    def std(self, fan_in, scale=None):
        return math.sqrt(1.0 / fan_in)


class He(Initializer):
    """He scaling, made for ReLU: W = N(0, 1) * sqrt(2 / fan_in)."""

    name = "he"

    def std(self, fan_in, scale=None):
        return math.sqrt(2.0 / fan_in)


#: Registry name -> initializer object.
INITIALIZERS: dict[str, Initializer] = {
    initializer.name: initializer for initializer in (Zeros(), Small(), Large(), Xavier(), He())
}


def initialize(
    n_x: int, n_h: int, scheme: str, rng: np.random.Generator, scale: float | None = None
) -> dict[str, np.ndarray]:
    """Starting parameters of a network with ``n_x`` inputs and ``n_h`` hidden units.

    Parameters
    ----------
    n_x : int
        Number of input features (fan-in of the hidden layer).
    n_h : int
        Number of hidden units (fan-in of the output unit).
    scheme : str
        A name in :data:`INITIALIZERS`.
    rng : numpy.random.Generator
        The only source of randomness; ``W1`` is drawn first, then ``W2``.
    scale : float, optional
        Standard deviation of W1 for ``small`` and ``large`` (defaults 0.01 and 1.0; their W2
        is N(0, 1) * 0.01 either way); the other schemes take no scale.

    Returns
    -------
    dict of ndarray (float64)
        ``W1`` (n_h, n_x), ``b1`` (n_h, 1) zeros, ``W2`` (1, n_h), ``b2`` (1, 1) zeros.
        ``W2`` follows the scheme with fan-in n_h (``xavier``, ``he``, ``zeros``) or is
        N(0, 1) * 0.01 (``small``, ``large``).

    Raises
    ------
    ValueError
        Unknown scheme, sizes below 1, a scale for a scheme without one, or no Generator.
    """
    if scheme not in INITIALIZERS:
        raise ValueError(f"unknown initializer {scheme!r}; expected one of {sorted(INITIALIZERS)}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if int(n_x) < 1 or int(n_h) < 1:
        raise ValueError(f"n_x and n_h must be at least 1, got n_x={n_x}, n_h={n_h}")
    initializer = INITIALIZERS[scheme]
    return {
        "W1": initializer.weights(n_x, n_h, rng, scale),
        "b1": np.zeros((n_h, 1)),
        "W2": initializer.output_weights(n_h, rng),
        "b2": np.zeros((1, 1)),
    }
