"""Full-batch gradient descent: :func:`fit` (one network) and :func:`fit_batch` (several).

A batch is B networks of one shape, each from its own starting parameters and with its own
learning rate, trained on one data set, on one data set each, or on its own subset of one
data set (a training mask: the replicates of a k-fold split share the examples and the Gram
matrix, and each network's held-out columns are its dev predictions). They are trained
together, stacked along a leading batch axis, so that one pass of NumPy calls per iteration
serves every network and shared data is set up once (the Gram matrix of the gram path).
Every product is one matrix product per network and every reduction runs along one
network's own row, so a network's arithmetic never depends on the rest of its batch:
trained in a batch it is, bit for bit, the network :func:`fit` trains alone (``fit`` is a
batch of one).

Hidden units that start identical stay identical, so each network is trained as its
distinct units, each counted as often as it occurs (:mod:`shallownet.units`); the returned
layer repeats them, and zero-initialized units are identical to the last bit however long
they train. Networks are processed in chunks of equal width small enough for the processor's
cache (:data:`CHUNK_ELEMENTS`); the forward pass writes into two work arrays per chunk rather
than allocating new ones.

The loop is shared by the two ways of storing the hidden layer (``method``):
``direct`` (:mod:`shallownet.direct`, W1 itself) and ``gram`` (:mod:`shallownet.gram`,
W1 = W1_0 + C X^T, exact and much faster when there are fewer examples than features).
The output unit (W2, b2) is small and handled here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from shallownet.activations import DEFAULT_ALPHA, get_activation
from shallownet.diagnostics import counted_norm, dead_fraction, saturation, unit_distances
from shallownet.direct import DirectHiddenLayer, select_networks
from shallownet.gram import GramHiddenLayer
from shallownet.losses import cross_entropy_gradient, softplus
from shallownet.network import check_params
from shallownet.units import distinct_units

logger = logging.getLogger(__name__)

METHODS = ("auto", "direct", "gram")
#: ``FitResult.status`` of a network trained for every iteration asked for.
STATUS_OK = "ok"
#: ``FitResult.status`` of a network whose cost stopped being finite.
STATUS_DIVERGED = "diverged"
DTYPES = (np.dtype(np.float64), np.dtype(np.float32))
_HIDDEN_LAYERS = {"direct": DirectHiddenLayer, "gram": GramHiddenLayer}
#: Networks are trained in groups of at most about this many hidden pre-activations (units x
#: examples), so that the arrays of an iteration stay in the processor's cache.
CHUNK_ELEMENTS = 1 << 16
#: The gram path compacts a masked network to its own columns (:class:`_Columns`) from this
#: many distinct units: with fewer, the product it saves costs less than the extra chunk that
#: networks of another number of training columns then need.
COMPACT_UNITS = 10

#: Keys of the hidden layer's diagnostics (:mod:`shallownet.diagnostics`) in every history
#: record.
DIAGNOSTIC_KEYS = (
    "grad_norm_W1",
    "grad_norm_W2",
    "saturation",
    "dead_fraction",
    "unit_spread",
    "unit_gap",
)
#: Keys of every history record, in order.
HISTORY_KEYS = ("iteration", "cost", "train_accuracy", "dev_cost", "dev_accuracy", *DIAGNOSTIC_KEYS)


@dataclass
class FitResult:
    """What :func:`fit` returns.

    Attributes
    ----------
    params : dict of ndarray
        Trained ``W1`` (n_h, n_x), ``b1`` (n_h, 1), ``W2`` (1, n_h), ``b2`` (1, 1), in the
        training dtype. After a divergence: the last parameters whose cost was finite. On the
        gram path W1 is formed when first read (:func:`shallownet.gram.gram_weights`).
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
    logits : dict of ndarray, or None
        The trained network's output logits Z2, (m,) each: ``train`` on the columns of its
        training set (with a training mask, the held-out columns too), ``dev`` on X_dev and
        one entry per set of ``X_eval``; None after a divergence.
    coefficients : ndarray, shape (n_h, m), or None
        Gram path: C of W1 = W1_0 + C X^T over the columns of the training set (0 on held-out
        columns), what :func:`shallownet.gram.gram_weights` rebuilds W1 from; None on the
        direct path.
    """

    history: list
    status: str
    iterations_run: int
    diverged_at: int | None
    method: str
    logits: dict | None
    coefficients: np.ndarray | None
    output_weights: dict = field(repr=False)
    build_hidden: Callable[[], dict] = field(repr=False)

    @cached_property
    def params(self) -> dict:
        return self.build_hidden() | self.output_weights


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
    train_mask=None,
    X_eval=None,
    record_every: int = 100,
    method: str = "auto",
    dtype=np.float64,
    progress=None,
) -> FitResult:
    """Train the network by full-batch gradient descent from the given parameters.

    Each iteration i = 0, 1, ... evaluates the cost of the current parameters (after i
    updates), records it when i is a multiple of ``record_every``, and takes the step
    W -= learning_rate * dJ/dW for every parameter. The caller's arrays are never modified.
    This is :func:`fit_batch` with a batch of one network.

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
    train_mask : array_like of bool, shape (m,), optional
        Train on the examples (columns of X) where it is True only: the network is the one
        trained on ``X[:, train_mask]`` alone, to rounding. Without ``X_dev`` the other
        examples are the dev set of the history.
    X_eval : mapping of str to array_like (n_x, m_e), optional
        Example sets to predict with the trained parameters: ``FitResult.logits[name]``
        (names other than ``train`` and ``dev``).
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
        method, unsupported dtype, invalid learning rate, iterations or record_every, or a
        training mask without a training example.
    """
    (result,) = fit_batch(
        X,
        Y,
        [params],
        activation=activation,
        learning_rates=[learning_rate],
        iterations=iterations,
        alpha=alpha,
        X_dev=X_dev,
        Y_dev=Y_dev,
        train_mask=None if train_mask is None else np.asarray(train_mask)[np.newaxis],
        X_eval=X_eval,
        record_every=record_every,
        method=method,
        dtype=dtype,
        progress=None if progress is None else lambda _, record: progress(record),
    )
    return result


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
    train_mask=None,
    X_eval=None,
    record_every: int = 100,
    method: str = "auto",
    dtype=np.float64,
    progress=None,
) -> list[FitResult]:
    """Train a batch of networks of one shape, each with its learning rate.

    Network ``i`` starts from ``params[i]`` and takes steps of ``learning_rates[i]``. Each
    network is trained exactly as :func:`fit` trains it alone (with its own training set
    and mask), bit for bit: its own history, status and divergence (a network that diverges
    stops; the others go on). What the batch shares is the work around the arithmetic: one
    pass of Python and NumPy calls per iteration for all networks, and the set-up of shared
    data (the Gram matrix) once.

    Parameters
    ----------
    X : array_like, shape (n_x, m) or (B, n_x, m)
        The training examples as columns: one set for every network, or one per network.
    Y : array_like, shape (1, m) or (B, 1, m)
        Their labels in {0, 1}, shared or per network.
    params : sequence of dict
        The starting parameters of each network (as for :func:`fit`), all with the same n_h.
    learning_rates : sequence of float
        One positive step size per network.
    train_mask : array_like of bool, shape (B, m), optional
        Network ``i`` trains on the columns where ``train_mask[i]`` is True only: its cost,
        gradients, training accuracy and diagnostics use those examples alone, so it is the
        network trained on ``X[..., train_mask[i]]`` alone, to rounding (its sums run over
        all m columns, held-out ones weighted 0). The other columns are its held-out
        examples; without ``X_dev``, its history's ``dev_cost`` and ``dev_accuracy`` are
        measured on them (None if it has none). This is how the replicates of a k-fold split
        share one training set and, on the gram path, one Gram matrix.
    progress : callable, optional
        Called as ``progress(i, record)`` with each history record of network ``i``. One line
        per recorded iteration, summarizing the batch, is logged at INFO level on the
        ``shallownet.training`` logger.
    activation, iterations, alpha, X_dev, Y_dev, X_eval, record_every, method, dtype
        As for :func:`fit` (the dev set and the sets to predict are shared by every network).

    Returns
    -------
    list of FitResult
        One per network, in the order of ``params``.

    Raises
    ------
    ValueError
        As :func:`fit`, naming the network whose parameters, learning rate or mask are
        invalid; also for an empty batch, networks of different sizes, or a count of learning
        rates, training sets or masks that differs from the number of networks.
    """
    g = get_activation(activation)
    dtype = np.dtype(dtype)
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be float64 or float32, got {dtype}")
    params = list(params)
    rates = _learning_rates(learning_rates, len(params), dtype)
    if int(iterations) != iterations or iterations < 0:
        raise ValueError(f"iterations must be a non-negative integer, got {iterations!r}")
    if int(record_every) != record_every or record_every < 1:
        raise ValueError(f"record_every must be a positive integer, got {record_every!r}")
    X, Y = _training_examples(X, Y, dtype, len(params))
    n_x, m = X.shape[-2:]
    if (X_dev is None) != (Y_dev is None):
        raise ValueError("give both X_dev and Y_dev, or neither")
    inputs = {}
    if X_dev is not None:
        X_dev, Y_dev = _examples(X_dev, Y_dev, dtype, "X_dev", "Y_dev")
        inputs["dev"] = X_dev
    inputs |= _evaluation_sets(X_eval, dtype)
    for name, X_e in inputs.items():
        if X_e.shape[0] != n_x:
            raise ValueError(f"X_{name} has {X_e.shape[0]} features but X has {n_x}")
    mask = _train_mask(train_mask, len(params), m)
    starts = _starting_params(params, n_x, dtype)
    method = choose_method(method, n_x, m)
    layer = _HIDDEN_LAYERS[method]
    history = _History(len(starts), f"{method} {g.name}", int(iterations), progress)
    outcomes = {}
    # Overflow and invalid operations are the expected symptoms of divergence (or of absurd
    # starting weights), which the finiteness check of the cost detects; they must not
    # surface as NumPy warnings.
    with np.errstate(over="ignore", invalid="ignore"):
        examples = layer.examples(X, inputs)
        units = [distinct_units(start) for start in starts]
        shared = _Shared(g, alpha)
        # The gram path trains a masked network of enough units on its own columns only.
        distinct = np.array([len(unit.counts) for unit in units])
        compact = (method == "gram" and mask is not None and X.ndim == 2) & (
            distinct >= COMPACT_UNITS
        )
        widths = np.where(compact, mask.sum(axis=1) if mask is not None else m, m)
        folds = (
            np.zeros(len(starts), dtype=int)
            if mask is None
            else np.unique(mask, axis=0, return_inverse=True)[1].reshape(-1)
        )
        for members in _chunks(distinct, widths, folds):
            chunk_mask = None if mask is None else mask[members]
            columns = _Columns.of(chunk_mask) if compact[members[0]] else None
            chunk_Y = Y if Y.shape[0] == 1 else Y[members]
            networks = _Networks(
                layer(
                    select_networks(examples, members),
                    np.stack([units[member].W1 for member in members]),
                    np.stack([units[member].b1 for member in members]),
                    columns,
                ),
                W2=np.stack([units[member].W2 for member in members]),
                b2=np.concatenate([starts[member]["b2"] for member in members]),
                counts=np.stack([units[member].counts for member in members]).astype(dtype),
                rates=rates[members],
                members=members,
                shared=shared,
                targets=_Targets.of(chunk_Y, chunk_mask, len(members), columns),
                dev=_DevSet.of(Y_dev, chunk_Y, columns),
            )
            for finished, status, diverged_at, iterations_run, last in _train(
                networks, int(iterations), int(record_every), history
            ):
                logits = None if last is None else finished.logits(last, inputs)
                for row, member in enumerate(finished.members):
                    build_hidden, output_weights, coefficients = finished.trained(
                        row, units[member]
                    )
                    outcomes[member] = FitResult(
                        history=history.records[member],
                        status=status,
                        iterations_run=iterations_run,
                        diverged_at=diverged_at,
                        method=method,
                        logits=(
                            None
                            if logits is None
                            else {name: values[row] for name, values in logits.items()}
                        ),
                        coefficients=coefficients,
                        output_weights=output_weights,
                        build_hidden=build_hidden,
                    )
    return [outcomes[member] for member in sorted(outcomes)]


def _evaluation_sets(X_eval, dtype) -> dict:
    """The sets of ``X_eval`` as arrays of ``dtype``, checked as training examples are."""
    if X_eval is None:
        return {}
    reserved = sorted({"train", "dev"} & set(X_eval))
    if reserved:
        raise ValueError(f"X_eval cannot name a set {reserved[0]!r}: FitResult.logits has it")
    return {name: _features(X_e, dtype, f"X_eval[{name!r}]") for name, X_e in X_eval.items()}


def _learning_rates(learning_rates, networks: int, dtype) -> np.ndarray:
    """The learning rates as an array of the training dtype, one positive number per network."""
    rates = np.asarray(learning_rates, dtype=float)
    if rates.shape != (networks,):
        raise ValueError(
            f"expected one learning rate per network ({networks}), got {np.shape(learning_rates)}"
        )
    if networks == 0:
        raise ValueError("params is empty: expected at least one network")
    bad = np.flatnonzero(~(np.isfinite(rates) & (rates > 0)))
    if bad.size:
        where = "" if networks == 1 else f" of network {bad[0]}"
        raise ValueError(
            f"learning_rate{where} must be a positive number, got {learning_rates[bad[0]]!r}"
        )
    return rates.astype(dtype)


def _starting_params(params, n_x: int, dtype) -> list[dict]:
    """Every network's parameters, checked, as arrays of the training dtype (converted copies
    only where needed: they are only read); one n_h for all."""
    starts = []
    for index, network in enumerate(params):
        try:
            n_h = check_params(network, n_x)
        except ValueError as error:
            raise ValueError(error if len(params) == 1 else f"network {index}: {error}") from None
        if starts and n_h != starts[0]["W1"].shape[0]:
            raise ValueError(
                f"network {index} has {n_h} hidden units but network 0 has "
                f"{starts[0]['W1'].shape[0]}; a batch holds networks of one size"
            )
        starts.append({name: np.asarray(value, dtype=dtype) for name, value in network.items()})
    return starts


def _chunks(distinct_counts: list[int], widths: np.ndarray, folds: np.ndarray) -> list[np.ndarray]:
    """Groups of networks trained together: networks with the same number of distinct units
    and the same width m of Z1 (so that each network's products have the shape they have
    when it is trained alone), at most about :data:`CHUNK_ELEMENTS` hidden pre-activations
    per group, at least one network; the networks of one fold (training mask) next to each
    other, so that the gram path's compacted networks of a fold share its products' matrix."""
    shapes = np.stack([distinct_counts, widths], axis=1)
    chunks = []
    for units, width in np.unique(shapes, axis=0):
        same = np.flatnonzero((shapes == (units, width)).all(axis=1))
        same = same[np.argsort(folds[same], kind="stable")]
        size = max(1, CHUNK_ELEMENTS // (units * width))
        chunks += [same[start : start + size] for start in range(0, same.size, size)]
    return chunks


def _train(networks, iterations: int, record_every: int, history):
    """Gradient descent on one chunk of networks; returns ``(networks, status, diverged_at,
    iterations_run, last)`` for the groups of networks that ended the same way, ``last`` the
    forward pass of their returned parameters (None after a divergence)."""
    finished = []
    last_recorded = None
    for iteration in range(iterations + 1):
        forward = networks.forward()
        diverged = forward.diverged()
        if diverged.any():
            # The diverged networks end with their last finite parameters (those before the
            # last step), described by a record of their own if they have none yet.
            stopped = networks.take(diverged, previous=iteration > 0)
            iterations_run = max(iteration - 1, 0)
            for member in stopped.members:
                logger.warning(
                    "%s: network %d: cost not finite at iteration %d, stopping it",
                    history.label,
                    member,
                    iteration,
                )
            if iteration == 0:
                history.record(stopped, 0, forward.take(diverged))
            elif last_recorded != iterations_run:
                history.record(stopped, iterations_run, stopped.forward())
            finished.append((stopped, STATUS_DIVERGED, iteration, iterations_run, None))
            networks, forward = networks.take(~diverged), forward.take(~diverged)
            if not networks.members.size:
                return finished
        if iteration % record_every == 0 or iteration == iterations:
            history.record(networks, iteration, forward)
            last_recorded = iteration
        if iteration < iterations:
            networks.step(forward)
    finished.append((networks, STATUS_OK, None, iterations, forward))
    return finished


def _examples(X, Y, dtype, x_name, y_name):
    """Validate a data pair; return arrays of ``dtype`` (converted copies only if needed)."""
    X = _features(X, dtype, x_name)
    Y = np.asarray(Y)
    if Y.shape != (1, X.shape[1]):
        raise ValueError(
            f"{y_name} must have shape (1, {X.shape[1]}) to match {x_name}, got {Y.shape}"
        )
    if not np.isin(Y, (0, 1)).all():
        raise ValueError(f"{y_name} must hold labels 0 and 1 only")
    return X, Y.astype(dtype)


def _features(X, dtype, name):
    """Validate examples (n_x, m), m >= 1, finite; return them as ``dtype``."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] == 0:
        raise ValueError(f"{name} must have shape (n_x, m) with m >= 1, got {X.shape}")
    X = X.astype(dtype, copy=False)
    if not np.isfinite(X).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return X


def _training_examples(X, Y, dtype, networks: int):
    """The training set, shared (X (n_x, m), Y (1, m)) or one per network (X (B, n_x, m),
    Y (B, 1, m)), validated as :func:`_examples` does; Y is returned as (1, m) or (B, m)."""
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 3:
        X, Y = _examples(X, Y, dtype, "X", "Y")
        return X, Y
    if X.shape[0] != networks or Y.ndim != 3 or Y.shape[0] != networks:
        raise ValueError(
            f"one training set per network: expected X (B, n_x, m) and Y (B, 1, m) with "
            f"B = {networks} networks, got X {X.shape} and Y {Y.shape}"
        )
    pairs = [_examples(X[i], Y[i], dtype, f"X[{i}]", f"Y[{i}]") for i in range(networks)]
    return np.stack([x for x, _ in pairs]), np.concatenate([y for _, y in pairs])


def _train_mask(train_mask, networks: int, m: int):
    """The training mask as a bool array (B, m) with a training example in every row, or
    None."""
    if train_mask is None:
        return None
    mask = np.asarray(train_mask)
    if mask.dtype != bool or mask.shape != (networks, m):
        raise ValueError(
            f"train_mask must be a bool array of shape ({networks}, {m}) (networks x "
            f"examples), got {mask.dtype} {mask.shape}"
        )
    empty = np.flatnonzero(~mask.any(axis=1))
    if empty.size:
        raise ValueError(f"train_mask of network {empty[0]} selects no training example")
    return mask


class _Shared:
    """What every network of a fit shares besides the examples: the activation."""

    def __init__(self, g, alpha):
        self.g, self.alpha = g, alpha
        self.max_derivative = g.max_derivative(alpha)


@dataclass(frozen=True)
class _Columns:
    """Each network's own columns of a shared training set, where the gram path compacts a
    training mask: a network then computes Z1 on its training columns only (a k-fold
    replicate's (k - 1)/k of them: ((k - 1)/k)^2 of the products), and on its held-out
    columns only for the history's dev metrics and its final logits. ``train`` (B, m') and
    ``heldout`` (B, h') are the columns of networks that train on the same number of them
    (:func:`_chunks` groups them so), so that a network computes what it computes alone."""

    train: np.ndarray
    heldout: np.ndarray

    @classmethod
    def of(cls, mask) -> "_Columns":
        return cls(
            np.array([np.flatnonzero(row) for row in mask]),
            np.array([np.flatnonzero(~row) for row in mask]).reshape(len(mask), -1),
        )


@dataclass
class _DevSet:
    """The examples of the history's dev metrics when they are not columns of the training
    forward pass: the hidden layer's input set ``name`` (the shared X_dev, or each network's
    compacted held-out columns), with its labels ``Y`` and ``sign`` (one row shared by every
    network, or one per network)."""

    name: str
    Y: np.ndarray
    sign: np.ndarray

    @classmethod
    def of(cls, Y_dev, Y, columns: _Columns | None) -> "_DevSet | None":
        if Y_dev is not None:
            return cls("dev", Y_dev, 1 - 2 * Y_dev)
        if columns is None or not columns.heldout.shape[1]:
            return None
        Y = np.take_along_axis(
            np.broadcast_to(Y, columns.heldout.shape[:1] + Y.shape[1:]), columns.heldout, axis=1
        )
        return cls("heldout", Y, 1 - 2 * Y)

    def take(self, networks) -> "_DevSet":
        if self.Y.shape[0] == 1:
            return self
        return _DevSet(self.name, self.Y[networks], self.sign[networks])

    def scores(self, Z2) -> tuple[list, list]:
        """Each network's cost and accuracy on the set."""
        losses = softplus(self.sign * Z2)
        return list(np.mean(losses, axis=-1)), list(np.mean((Z2 > 0) == self.Y, axis=-1))


@dataclass
class _Targets:
    """The training labels of a chunk of networks and how each weighs its examples.

    ``Y`` and ``sign`` (= 1 - 2Y) have one row per network, or one row shared by all;
    ``scale`` is the sign times each column's weight in the cost (the factor of the gradient,
    :func:`shallownet.losses.cross_entropy_gradient`). ``weights`` (B, m) is each network's
    weight of every column in its mean cost: 1 / (its training examples) on them, 0 on its
    held-out columns; None when every network trains on every column (the mean over m).
    ``heldout`` (B, m) weighs the held-out columns alike (the history's dev set), or is None.
    ``mask`` (B, m) marks the training columns, or is None.
    """

    Y: np.ndarray
    sign: np.ndarray
    scale: np.ndarray
    mask: np.ndarray | None = None
    weights: np.ndarray | None = None
    heldout: np.ndarray | None = None

    @classmethod
    def of(cls, Y, mask, networks: int, columns: _Columns | None = None) -> "_Targets":
        """The targets of ``networks`` networks; with a mask, the held-out columns are the
        history's dev set unless ``columns`` compacts them away (then :class:`_DevSet`)."""
        sign = 1 - 2 * Y
        if mask is None:
            return cls(Y, sign, sign / Y.shape[-1])
        Y, sign = (np.broadcast_to(array, (networks, Y.shape[-1])) for array in (Y, sign))
        if columns is not None:
            Y = np.take_along_axis(Y, columns.train, axis=1)
            sign = 1 - 2 * Y
            return cls(Y, sign, sign / Y.shape[-1])
        count = (~mask).sum(axis=1, keepdims=True)
        # A network without a held-out column has no dev metrics (NaN, then None).
        heldout = np.divide(
            ~mask, count, where=count > 0, out=np.full(mask.shape, np.nan, dtype=Y.dtype)
        )
        weights = mask / mask.sum(axis=1, keepdims=True).astype(Y.dtype)
        return cls(Y, sign, sign * weights, mask, weights, heldout)

    def take(self, networks) -> "_Targets":
        """The rows of some networks (shared rows stay shared)."""
        if self.mask is None and self.Y.shape[0] == 1:
            return self
        return _Targets(*(None if value is None else value[networks] for value in self._rows()))

    def _rows(self):
        return self.Y, self.sign, self.scale, self.mask, self.weights, self.heldout

    def mean(self, values):
        """Each network's mean of per-column ``values`` (B, m) over its training columns."""
        if self.weights is None:
            return np.mean(values, axis=-1)
        return np.add.reduce(values * self.weights, axis=-1)


#: A cost is finite when m times its network's largest |Z2| stays below this: each of its m
#: examples' losses is at most |z| + log 2 and weighs at most 1 (see :meth:`_Forward.diverged`).
_FINITE_COST_BOUND = 1e300


@dataclass
class _Forward:
    """The forward pass of a batch: A1 and g'(Z1) (B, u, m), Z2 and dJ/dZ2 (B, m), and the
    targets they were computed against; the cost (B,) is evaluated when asked for (a history
    record, a suspected divergence), not at every iteration."""

    A1: np.ndarray
    derivative: np.ndarray
    Z2: np.ndarray
    dZ2: np.ndarray
    targets: _Targets

    @cached_property
    def losses(self) -> np.ndarray:
        """Each network's cross-entropy on every column of Z2 (B, m)."""
        return softplus(self.targets.sign * self.Z2)

    @cached_property
    def cost(self) -> np.ndarray:
        """Each network's cross-entropy over its training examples."""
        return self.targets.mean(self.losses)

    def diverged(self) -> np.ndarray:
        """Whether each network's cost is not finite, without evaluating the cost unless the
        largest |Z2| times the examples is too large (or not finite) to prove every cost
        finite."""
        if np.max(np.abs(self.Z2)) * self.Z2.shape[-1] < _FINITE_COST_BOUND:
            return np.zeros(len(self.Z2), dtype=bool)
        return ~np.isfinite(self.cost)

    def take(self, networks):
        return _Forward(
            self.A1[networks],
            self.derivative[networks],
            self.Z2[networks],
            self.dZ2[networks],
            self.targets.take(networks),
        )


class _Networks:
    """A batch of networks in training: hidden layers, output units, learning rates.

    Each network is stored as its u distinct hidden units (:mod:`shallownet.units`), the same
    u for all: ``W2`` and ``counts`` have shape (B, u), ``b2`` (B, 1). ``members`` are the
    networks' positions in the caller's batch.
    """

    def __init__(
        self, hidden, W2, b2, counts, rates, members, shared: _Shared, targets: _Targets, dev
    ):
        self.hidden, self.W2, self.b2 = hidden, W2, b2
        self._W2_before, self._b2_before = W2, b2
        self.counts, self.rates, self.members = counts, rates, members
        self.shared, self.targets, self.dev = shared, targets, dev
        # The forward pass's two (B, u, m) arrays, reused at every iteration (see forward).
        self._work = np.empty((2, *W2.shape, targets.Y.shape[-1]), dtype=W2.dtype)

    def output(self, A1):
        """Z2 = sum over units of count W2 g(Z1) + b2: one (1, u) x (u, m) product per network,
        or with one distinct unit its one term, the same bits for less: NumPy's product of a
        (1, 1) and a (1, m) matrix costs several times the multiplication."""
        weights = self.counts * self.W2
        if A1.shape[1] > 1:
            return np.matmul(weights[:, np.newaxis, :], A1)[:, 0, :] + self.b2
        Z2 = np.multiply(A1[:, 0, :], weights)
        Z2 += 0.0  # a product's sum starts from +0, which turns a term's -0 into +0
        Z2 += self.b2
        return Z2

    def forward(self) -> _Forward:
        """Z1 into one work array, then g(Z1) and g'(Z1) over it and into the other: no new
        array as large as Z1, whose allocation would cost more than the arithmetic. The
        results live until the next call."""
        A1, derivative = self.shared.g.evaluate(
            self.hidden.preactivation(out=self._work[0]), self._work[1], self.shared.alpha
        )
        Z2 = self.output(A1)
        dZ2 = cross_entropy_gradient(self.targets.sign, Z2, self.targets.scale)
        return _Forward(A1, derivative, Z2, dZ2, self.targets)

    def output_gradients(self, forward: _Forward):
        """dJ/dW2 (B, u) of each distinct unit (the gradient of every one of its copies) and
        dJ/db2 (B, 1)."""
        dW2 = np.matmul(forward.A1, forward.dZ2[:, :, np.newaxis])[:, :, 0]
        return dW2, np.add.reduce(forward.dZ2, axis=-1, keepdims=True)

    def hidden_gradient(self, forward: _Forward):
        """dJ/dZ1 = W2^T dZ2 * g'(Z1), shape (B, u, m)."""
        dZ1 = forward.derivative * forward.dZ2[:, np.newaxis, :]
        dZ1 *= self.W2[:, :, np.newaxis]
        return dZ1

    def step(self, forward: _Forward):
        """One gradient-descent step of every network (``forward`` is used up)."""
        dW2, db2 = self.output_gradients(forward)
        # dZ1 = W2_k g'(Z1_k) dZ2 row by row: the hidden layer applies dZ2 to the slopes or to
        # the examples, and learning rate x W2_k to the rows, whichever arrays are smaller.
        self.hidden.step(forward.derivative, forward.dZ2, self.rates[:, np.newaxis] * self.W2)
        self._W2_before, self._b2_before = self.W2, self.b2
        self.W2 = self.W2 - self.rates[:, np.newaxis] * dW2
        self.b2 = self.b2 - self.rates[:, np.newaxis] * db2

    def take(self, networks, previous=False) -> "_Networks":
        """The networks selected by ``networks`` (a mask), as they were before the last step
        if ``previous``."""
        W2, b2 = (self._W2_before, self._b2_before) if previous else (self.W2, self.b2)
        return _Networks(
            self.hidden.take(networks, previous),
            W2[networks],
            b2[networks],
            self.counts[networks],
            self.rates[networks],
            self.members[networks],
            self.shared,
            self.targets.take(networks),
            None if self.dev is None else self.dev.take(networks),
        )

    def describe(self, iteration: int, forward: _Forward) -> list[dict]:
        """The history record of each network's current parameters."""
        shared, targets = self.shared, self.targets
        correct = (forward.Z2 > 0) == targets.Y
        dev_cost = dev_accuracy = [None] * len(self.members)
        if self.dev is not None:
            dev_cost, dev_accuracy = self.dev.scores(self.predict(self.dev.name))
        elif targets.heldout is not None:
            # The held-out columns' logits are computed with the training columns' anyway.
            dev_cost = _none_for_nan(np.add.reduce(forward.losses * targets.heldout, axis=-1))
            dev_accuracy = _none_for_nan(np.add.reduce(correct * targets.heldout, axis=-1))
        dW2, _ = self.output_gradients(forward)
        # Each unit's row of dZ1 scaled to at most 1 first: the squares inside the norm of a
        # network near divergence would overflow.
        dZ1 = self.hidden_gradient(forward)
        largest = np.max(np.abs(dZ1), axis=-1)
        scale = np.where(largest > 0, largest, 1)
        unit_norms = scale * np.sqrt(
            np.maximum(self.hidden.grad_norm_squared(dZ1 / scale[..., np.newaxis]), 0)
        )
        columns = {
            "cost": forward.cost,
            "train_accuracy": targets.mean(correct),
            "dev_cost": dev_cost,
            "dev_accuracy": dev_accuracy,
            "grad_norm_W1": counted_norm(unit_norms, self.counts),
            "grad_norm_W2": counted_norm(dW2, self.counts),
            "saturation": saturation(
                forward.derivative, shared.max_derivative, self.counts, targets.mask
            ),
            "dead_fraction": dead_fraction(forward.derivative, self.counts, targets.mask),
        }
        distances = [
            unit_distances(self.hidden.unit_gram(network), self.counts[network])
            for network in range(len(self.members))
        ]
        columns["unit_spread"], columns["unit_gap"] = zip(*distances)
        return [
            {"iteration": int(iteration)}
            | {
                key: None if values[network] is None else float(values[network])
                for key, values in columns.items()
            }
            for network in range(len(self.members))
        ]

    def predict(self, name) -> np.ndarray:
        """The logits Z2 (B, m_e) of every network on the input set ``name``."""
        return self.output(
            self.shared.g.function(self.hidden.preactivation_on(name), self.shared.alpha)
        )

    def logits(self, last: _Forward, inputs) -> dict:
        """Every network's logits on the columns of its training set (from its last forward
        pass, and its held-out columns where they are compacted away) and on each input set."""
        return {
            "train": self.hidden.training_logits(last.Z2, lambda: self.predict("heldout")),
            **{name: self.predict(name) for name in inputs},
        }

    def trained(self, row, units):
        """Network ``row``'s trained parameters: a factory of its full hidden layer {W1, b1}
        (copies of its distinct units), its output unit {W2, b2}, and its coefficients over
        the examples (gram path) or None."""
        weights, coefficients = self.hidden.network_weights(row)

        def build_hidden():
            W1, b1 = weights()
            return {"W1": W1[units.groups], "b1": b1[units.groups]}

        output = {
            "W2": self.W2[row][units.groups][np.newaxis, :],
            "b2": self.b2[row : row + 1].copy(),
        }
        return build_hidden, output, None if coefficients is None else coefficients[units.groups]


def _none_for_nan(values: np.ndarray) -> list:
    """Per-network values, None where there is none (NaN: no held-out example)."""
    return [None if np.isnan(value) else value for value in values]


class _History:
    """The history records of every network of a batch; logs and passes on each recording."""

    def __init__(self, networks: int, label: str, iterations: int, progress):
        self.records = [[] for _ in range(networks)]
        self.label, self._iterations, self._progress = label, iterations, progress

    def record(self, networks: _Networks, iteration: int, forward: _Forward):
        entries = networks.describe(iteration, forward)
        for member, entry in zip(networks.members, entries):
            self.records[member].append(entry)
            if self._progress is not None:
                self._progress(int(member), entry)
        costs = [entry["cost"] for entry in entries]
        accuracies = [entry["train_accuracy"] for entry in entries]
        logger.info(
            "%s iteration %d/%d: %d network(s), cost %.6g to %.6g, train accuracy %.4f to %.4f",
            self.label,
            iteration,
            self._iterations,
            len(entries),
            min(costs),
            max(costs),
            min(accuracies),
            max(accuracies),
        )
