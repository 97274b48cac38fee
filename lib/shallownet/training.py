"""Full-batch gradient descent: :func:`fit` and its result :class:`FitResult`.

The loop is shared by the two ways of storing the hidden layer (``method``):
``direct`` (:mod:`shallownet.direct`, W1 itself) and ``gram`` (:mod:`shallownet.gram`,
W1 = W1_0 + C X^T, exact and much faster when there are fewer examples than features).
The output unit (W2, b2) is small and handled here.
"""

from __future__ import annotations

import logging
from functools import partial
from dataclasses import dataclass, field

import numpy as np

from shallownet.activations import DEFAULT_ALPHA, get_activation
from shallownet.diagnostics import dead_fraction, saturation
from shallownet.direct import DirectHiddenLayer
from shallownet.gram import GramHiddenLayer
from shallownet.losses import cross_entropy_and_gradient, mean_cross_entropy
from shallownet.network import backpropagate_to_hidden, check_params

logger = logging.getLogger(__name__)

METHODS = ("auto", "direct", "gram")
#: ``FitResult.status`` of a network trained for every iteration asked for.
STATUS_OK = "ok"
#: ``FitResult.status`` of a network whose cost stopped being finite.
STATUS_DIVERGED = "diverged"
#: Every status a network can end with.
STATUSES = (STATUS_OK, STATUS_DIVERGED)
DTYPES = (np.dtype(np.float64), np.dtype(np.float32))
_HIDDEN_LAYERS = {"direct": DirectHiddenLayer, "gram": GramHiddenLayer}

#: Keys of every history record, in order.
HISTORY_KEYS = (
    "iteration",
    "cost",
    "train_accuracy",
    "dev_cost",
    "dev_accuracy",
    "grad_norm_W1",
    "grad_norm_W2",
    "saturation",
    "dead_fraction",
    "unit_spread",
)


@dataclass
class FitResult:
    """What :func:`fit` returns.

    Attributes
    ----------
    params : dict of ndarray
        Trained ``W1`` (n_h, n_x), ``b1`` (n_h, 1), ``W2`` (1, n_h), ``b2`` (1, 1), in the
        training dtype. After a divergence: the last parameters whose cost was finite.
    history : list of dict
        One record (keys :data:`HISTORY_KEYS`) every ``record_every`` iterations and one for
        the returned parameters. Record ``i`` describes the parameters after ``i`` updates.
        ``dev_cost`` and ``dev_accuracy`` are None without dev data.
    status : {"ok", "diverged"}
    iterations_run : int
        Number of updates that produced ``params`` (``iterations`` unless diverged).
    diverged_at : int or None
        The first iteration whose cost was not finite (then ``iterations_run`` is one less,
        or 0 if the starting cost was not finite).
    method : {"direct", "gram"}
        The method actually used (``auto`` resolved).
    """

    params: dict
    history: list = field(default_factory=list)
    status: str = STATUS_OK
    iterations_run: int = 0
    diverged_at: int | None = None
    method: str = "direct"


def choose_method(method: str, n_x: int, m: int) -> str:
    """Resolve ``method``: ``auto`` is ``gram`` when m < n_x (fewer examples than features)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {list(METHODS)}")
    if method == "auto":
        return "gram" if m < n_x else "direct"
    return method


def fit(
    X,
    Y,
    params: dict,
    *,
    activation: str,
    learning_rate: float,
    iterations: int,
    alpha: float = DEFAULT_ALPHA,
    X_dev=None,
    Y_dev=None,
    record_every: int = 100,
    method: str = "auto",
    dtype=np.float64,
    progress=None,
) -> FitResult:
    """Train the network by full-batch gradient descent from the given parameters.

    Each iteration i = 0, 1, ... evaluates the cost of the current parameters (after i
    updates), records it when i is a multiple of ``record_every``, and takes the step
    W -= learning_rate * dJ/dW for every parameter. The caller's arrays are never modified.

    Parameters
    ----------
    X : array_like, shape (n_x, m)
        Training examples as columns.
    Y : array_like, shape (1, m)
        Labels in {0, 1}.
    params : dict of array_like
        Starting ``W1`` (n_h, n_x), ``b1`` (n_h, 1), ``W2`` (1, n_h), ``b2`` (1, 1), e.g.
        from :func:`shallownet.initialize`.
    activation : str
        Hidden activation, a name in :data:`shallownet.ACTIVATIONS`.
    learning_rate : float
        Positive step size.
    iterations : int
        Number of updates (0 evaluates the starting parameters only).
    alpha : float
        Leaky-ReLU slope (ignored by the other activations).
    X_dev : array_like, shape (n_x, m_dev), optional
    Y_dev : array_like, shape (1, m_dev), optional
        Dev set for ``dev_cost`` and ``dev_accuracy`` in the history (both or neither).
    record_every : int
        History interval (the last iteration is always recorded).
    method : {"auto", "direct", "gram"}
        ``direct`` updates W1 itself (two passes over X per iteration); ``gram`` keeps
        W1 = W1_0 + C X^T and works with K = X^T X (see :mod:`shallownet.gram`); ``auto``
        picks ``gram`` when m < n_x. Both give the same results up to rounding.
    dtype : {numpy.float64, numpy.float32}
        Arithmetic precision; the returned parameters have this dtype.
    progress : callable, optional
        Called with each history record as it is made. Records are also logged at INFO level
        on the ``shallownet.training`` logger.

    Returns
    -------
    FitResult
        If the cost becomes infinite or NaN (divergence), training stops without raising
        and without NumPy warnings: ``status`` is "diverged", ``diverged_at`` the iteration,
        and ``params`` and the last record are those of the iteration before.

    Raises
    ------
    ValueError
        Inconsistent shapes, labels other than 0/1, non-finite data, unknown activation or
        method, unsupported dtype, or invalid learning rate, iterations or record_every.
    """
    g = get_activation(activation)
    dtype = np.dtype(dtype)
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be float64 or float32, got {dtype}")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    if int(iterations) != iterations or iterations < 0:
        raise ValueError(f"iterations must be a non-negative integer, got {iterations!r}")
    if int(record_every) != record_every or record_every < 1:
        raise ValueError(f"record_every must be a positive integer, got {record_every!r}")
    X, Y = _examples(X, Y, dtype, "X", "Y")
    n_x, m = X.shape
    if (X_dev is None) != (Y_dev is None):
        raise ValueError("give both X_dev and Y_dev, or neither")
    if X_dev is not None:
        X_dev, Y_dev = _examples(X_dev, Y_dev, dtype, "X_dev", "Y_dev")
        if X_dev.shape[0] != n_x:
            raise ValueError(f"X_dev has {X_dev.shape[0]} features but X has {n_x}")
    check_params(params, n_x)
    method = choose_method(method, n_x, m)
    start = {name: np.array(value, dtype=dtype, order="C") for name, value in params.items()}
    status, diverged_at, iterations_run = STATUS_OK, None, int(iterations)
    # Overflow and invalid operations are the expected symptoms of divergence (or of absurd
    # starting weights), which the finiteness check of the cost detects; they must not
    # surface as NumPy warnings.
    with np.errstate(over="ignore", invalid="ignore"):
        hidden = _HIDDEN_LAYERS[method](X, start["W1"], start["b1"], X_dev)
        run = _Run(g, alpha, hidden, start["W2"], start["b2"], Y, Y_dev)
        recorder = _Recorder(run, f"{method} {g.name}", iterations, progress)
        for iteration in range(int(iterations) + 1):
            evaluation = run.evaluate()
            if not np.isfinite(evaluation.cost):
                status, diverged_at = STATUS_DIVERGED, iteration
                logger.warning("%s: cost not finite at iteration %d, stopping", g.name, iteration)
                if iteration == 0:
                    recorder.record(0, evaluation)
                    iterations_run = 0
                else:
                    run.undo_step()
                    iterations_run = iteration - 1
                    if recorder.history[-1]["iteration"] != iterations_run:
                        recorder.record(iterations_run, run.evaluate())
                break
            if iteration % record_every == 0 or iteration == iterations:
                recorder.record(iteration, evaluation)
            if iteration < iterations:
                run.step(evaluation, learning_rate)
        W1, b1 = hidden.weights()
    return FitResult(
        params={"W1": W1, "b1": b1, "W2": run.W2.copy(), "b2": run.b2.copy()},
        history=recorder.history,
        status=status,
        iterations_run=iterations_run,
        diverged_at=diverged_at,
        method=method,
    )


def fit_batch(
    X,
    Y,
    params,
    *,
    activation: str,
    learning_rates,
    iterations: int,
    alpha: float = DEFAULT_ALPHA,
    X_dev=None,
    Y_dev=None,
    record_every: int = 100,
    method: str = "auto",
    dtype=np.float64,
    progress=None,
) -> list[FitResult]:
    """Train a batch of networks of one shape on the same data, each with its learning rate.

    Member ``i`` starts from ``params[i]`` and takes steps of ``learning_rates[i]``; it ends
    exactly as ``fit(X, Y, params[i], learning_rate=learning_rates[i], ...)`` would (up to
    rounding), with its own history and status: a member that diverges stops alone.
    ``progress`` is called as ``progress(member, record)``. Every other argument is as for
    :func:`fit`.
    """
    if len(params) != len(learning_rates):
        raise ValueError(
            f"{len(params)} parameter sets but {len(learning_rates)} learning rates; "
            "expected one learning rate per member"
        )
    return [
        fit(
            X,
            Y,
            member_params,
            activation=activation,
            learning_rate=learning_rate,
            iterations=iterations,
            alpha=alpha,
            X_dev=X_dev,
            Y_dev=Y_dev,
            record_every=record_every,
            method=method,
            dtype=dtype,
            progress=None if progress is None else partial(progress, member),
        )
        for member, (member_params, learning_rate) in enumerate(zip(params, learning_rates))
    ]


def _examples(X, Y, dtype, x_name, y_name):
    """Validate a data pair; return arrays of ``dtype`` (converted copies only if needed)."""
    X = np.asarray(X)
    Y = np.asarray(Y)
    if X.ndim != 2 or X.shape[1] == 0:
        raise ValueError(f"{x_name} must have shape (n_x, m) with m >= 1, got {X.shape}")
    if Y.shape != (1, X.shape[1]):
        raise ValueError(
            f"{y_name} must have shape (1, {X.shape[1]}) to match {x_name}, got {Y.shape}"
        )
    if not np.isin(Y, (0, 1)).all():
        raise ValueError(f"{y_name} must hold labels 0 and 1 only")
    X = X.astype(dtype, copy=False)
    if not np.isfinite(X).all():
        raise ValueError(f"{x_name} contains NaN or infinite values")
    return X, Y.astype(dtype)


@dataclass
class _Evaluation:
    """Forward and backward quantities of one iteration."""

    Z2: np.ndarray
    cost: np.floating
    hidden_derivative: np.ndarray
    dZ1: np.ndarray
    dW2: np.ndarray
    db2: np.ndarray


class _Run:
    """The state of one training run: the hidden layer, W2 and b2, and the data labels."""

    def __init__(self, g, alpha, hidden, W2, b2, Y, Y_dev):
        self.g, self.alpha, self.hidden = g, alpha, hidden
        self.W2, self.b2 = W2, b2
        self._W2_before, self._b2_before = W2, b2
        self.Y, self.Y_dev = Y, Y_dev
        # 1 - 2Y turns the cross-entropy into a single logaddexp (see mean_cross_entropy).
        self._sign = 1 - 2 * Y
        self._dev_sign = None if Y_dev is None else 1 - 2 * Y_dev
        self._max_derivative = g.max_derivative(alpha)

    def evaluate(self) -> _Evaluation:
        Z1 = self.hidden.preactivation()
        A1, derivative = self.g.function_and_derivative(Z1, self.alpha)
        Z2 = self.W2 @ A1 + self.b2
        cost, dZ2 = cross_entropy_and_gradient(self._sign, Z2)
        dZ1, dW2, db2 = backpropagate_to_hidden(self.W2, A1, dZ2, derivative)
        return _Evaluation(Z2, cost, derivative, dZ1, dW2, db2)

    def step(self, evaluation: _Evaluation, learning_rate: float):
        self.hidden.step(evaluation.dZ1, learning_rate)
        self._W2_before, self._b2_before = self.W2, self.b2
        self.W2 = self.W2 - learning_rate * evaluation.dW2
        self.b2 = self.b2 - learning_rate * evaluation.db2

    def undo_step(self):
        self.hidden.undo_step()
        self.W2, self.b2 = self._W2_before, self._b2_before

    def describe(self, iteration: int, evaluation: _Evaluation) -> dict:
        """The history record of the current parameters."""
        dev_cost = dev_accuracy = None
        if self.Y_dev is not None:
            dev_Z2 = (
                self.W2 @ self.g.function(self.hidden.dev_preactivation(), self.alpha) + self.b2
            )
            dev_cost = float(mean_cross_entropy(self._dev_sign, dev_Z2))
            dev_accuracy = float(np.mean((dev_Z2 > 0) == self.Y_dev))
        return {
            "iteration": int(iteration),
            "cost": float(evaluation.cost),
            "train_accuracy": float(np.mean((evaluation.Z2 > 0) == self.Y)),
            "dev_cost": dev_cost,
            "dev_accuracy": dev_accuracy,
            "grad_norm_W1": self.hidden.grad_norm(evaluation.dZ1),
            "grad_norm_W2": float(np.linalg.norm(evaluation.dW2)),
            "saturation": saturation(evaluation.hidden_derivative, self._max_derivative),
            "dead_fraction": dead_fraction(evaluation.hidden_derivative),
            "unit_spread": self.hidden.unit_spread(),
        }


class _Recorder:
    """Collects the history records of a run; logs each and passes it to ``progress``."""

    def __init__(self, run: _Run, label: str, iterations: int, progress):
        self.history = []
        self._run, self._label, self._iterations, self._progress = run, label, iterations, progress

    def record(self, iteration: int, evaluation: _Evaluation):
        entry = self._run.describe(iteration, evaluation)
        self.history.append(entry)
        logger.info(
            "%s iteration %d/%d: cost %.6g, train accuracy %.4f",
            self._label,
            iteration,
            self._iterations,
            entry["cost"],
            entry["train_accuracy"],
        )
        if self._progress is not None:
            self._progress(entry)
