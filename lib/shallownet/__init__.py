"""shallownet: a one-hidden-layer neural network in NumPy, for binary classification.

Notation of the lecture: examples are columns, X (n_x, m), Y (1, m); parameters
W1 (n_h, n_x), b1 (n_h, 1), W2 (1, n_h), b2 (1, 1); forward pass
Z1 = W1 X + b1, A1 = g(Z1), Z2 = W2 A1 + b2, A2 = sigmoid(Z2).

Public API
----------
ACTIVATIONS, INITIALIZERS
    Registries: name -> activation object (``.function``, ``.derivative``, both at once
    with ``.function_and_derivative``) / initializer.
initialize(n_x, n_h, scheme, rng, scale=None)
    Starting parameters.
fit(X, Y, params, *, activation, learning_rate, iterations, ...) -> FitResult
    Full-batch gradient descent with history, diagnostics and divergence detection.
fit_batch(X, Y, [params, ...], *, activation, learning_rates, iterations, ...) -> [FitResult]
    Several networks of one shape trained on the same data at once, one learning rate each.
STATUS_OK, STATUS_DIVERGED
    The two values of ``FitResult.status``.
HISTORY_KEYS, DIAGNOSTIC_KEYS
    The keys of every history record, and those of them that describe the hidden layer.
predict, decision_function, forward, backward
    The network itself.
cost_from_logits, accuracy
    Metrics.
unit_spread, unit_gap
    The largest and smallest distance between two hidden units (rows of W1).
shallownet.data.make_planar
    The course's planar "flower" data set.
"""

from shallownet import data
from shallownet.activations import ACTIVATIONS
from shallownet.diagnostics import unit_gap, unit_spread
from shallownet.initializers import INITIALIZERS, initialize
from shallownet.losses import accuracy, cost_from_logits
from shallownet.network import backward, decision_function, forward, predict
from shallownet.training import (
    DIAGNOSTIC_KEYS,
    HISTORY_KEYS,
    STATUS_DIVERGED,
    STATUS_OK,
    FitResult,
    fit,
    fit_batch,
)

# The package version (pyproject.toml reads it from here). A literal rather than a lookup in
# importlib.metadata, which would add 15 ms to every one of the ablation's training jobs.
__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "DIAGNOSTIC_KEYS",
    "HISTORY_KEYS",
    "INITIALIZERS",
    "STATUS_DIVERGED",
    "STATUS_OK",
    "FitResult",
    "accuracy",
    "backward",
    "cost_from_logits",
    "data",
    "decision_function",
    "fit",
    "fit_batch",
    "forward",
    "initialize",
    "predict",
    "unit_gap",
    "unit_spread",
]
