"""Train one grid cell and describe the result.

:func:`train_cell` returns everything a train job writes: the deterministic ``metrics``
(settings, outcome, final diagnostics, provenance), the ``history`` records, the trained
``params``, and the non-deterministic ``timing`` kept apart so that ``metrics.json`` is
byte-identical across reruns (with the same software and CPU: a different BLAS
kernel may round differently).
"""

from __future__ import annotations

import os
import socket
import sys
import time
from dataclasses import dataclass

import h5py
import numpy as np
import shallownet
from shallownet.training import HISTORY_KEYS

from ablation.grid import DEFAULT_ALPHA, cell_rng, parse_activation_label
from ablation.prepare import load_prepared, prepared_content_sha256

#: Columns of a cell's ``history.csv``: the keys of ``shallownet.fit``'s records, in order.
HISTORY_COLUMNS = HISTORY_KEYS
#: Final diagnostics copied from the last history record into the metrics.
DIAGNOSTICS = ("grad_norm_W1", "grad_norm_W2", "saturation", "dead_fraction", "unit_spread")
#: Name of the final cost on each split in the metrics (``final_cost`` is the training cost).
_COST_NAMES = {"train": "final_cost", "dev": "dev_cost", "test": "test_cost"}
#: The keys :func:`evaluate` returns.
EVALUATION_KEYS = (*_COST_NAMES.values(), "train_accuracy", "dev_accuracy", "test_accuracy")


@dataclass(frozen=True)
class CellResult:
    """What one train job writes (see the module docstring)."""

    metrics: dict
    history: list[dict]
    params: dict[str, np.ndarray]
    timing: dict


def train_cell(
    prepared_path: str | os.PathLike,
    *,
    dataset: str,
    activation: str,
    init: str,
    hidden: int,
    seed: int,
    learning_rate: float,
    iterations: int,
    record_every: int,
    init_scale: float | None = None,
) -> CellResult:
    """Initialize from the cell's seed, train with ``shallownet.fit``, evaluate.

    Parameters
    ----------
    prepared_path : path
        The dataset's ``prepared.h5`` (``X_*`` of shape (n_x, m), ``Y_*`` of shape (1, m)).
    dataset : str
        Dataset name; with ``seed`` it determines the initialization stream.
    activation : str
        Activation label (``tanh``, ``leaky_relu-0.01``, ...).
    init : str
        Initializer name from ``shallownet.INITIALIZERS``.
    hidden, seed, learning_rate, iterations, record_every
        Hidden units, seed, gradient-descent step, iterations, history interval.
    init_scale : float, optional
        Scale for the ``small``/``large`` initializers.

    Returns
    -------
    CellResult
    """
    name, alpha = parse_activation_label(activation)
    slope = DEFAULT_ALPHA if alpha is None else alpha
    data = load_prepared(prepared_path)
    start = time.perf_counter()
    initial = shallownet.initialize(
        data["X_train"].shape[0], hidden, init, cell_rng(dataset, seed), scale=init_scale
    )
    fit = shallownet.fit(
        data["X_train"],
        data["Y_train"],
        initial,
        activation=name,
        learning_rate=learning_rate,
        iterations=iterations,
        alpha=slope,
        X_dev=data["X_dev"],
        Y_dev=data["Y_dev"],
        record_every=record_every,
        method="auto",
    )
    if fit.status == "ok":
        final = evaluate(
            fit.params,
            lambda X: shallownet.decision_function(fit.params, X, activation=name, alpha=slope),
            data,
        )
    else:
        # The parameters of a diverged run are its last finite iterate, not a trained model.
        final = dict.fromkeys(EVALUATION_KEYS)
    train_seconds = time.perf_counter() - start

    last_record = fit.history[-1] if fit.history else {}
    metrics = {
        "dataset": dataset,
        "activation": activation,
        "activation_name": name,
        "alpha": alpha,
        "init": init,
        "init_scale": init_scale,
        "hidden": hidden,
        "seed": seed,
        "learning_rate": learning_rate,
        "iterations": iterations,
        "record_every": record_every,
        "status": fit.status,
        "iterations_run": fit.iterations_run,
        "diverged_at": fit.diverged_at,
        **final,
        **{key: last_record.get(key) for key in DIAGNOSTICS},
        "provenance": provenance(prepared_path),
    }
    timing = {
        "train_seconds": train_seconds,
        "hostname": socket.gethostname(),
        "slurm_job_id": os.environ.get("SLURM_JOB_ID"),
    }
    return CellResult(metrics, list(fit.history), fit.params, timing)


def evaluate(params: dict[str, np.ndarray], decision, data: dict[str, np.ndarray]) -> dict:
    """Cost and accuracy of trained parameters on each split; None where they are not finite.

    Parameters
    ----------
    params : dict of arrays
        The trained parameters; a diverged run may hold non-finite values, whose predictions
        mean nothing.
    decision : callable
        ``decision(X)`` -> logits of shape (1, m) for X of shape (n_x, m).
    data : dict of arrays
        ``X_{split}`` and ``Y_{split}`` for train, dev and test (:func:`load_prepared`).

    Returns
    -------
    dict
        ``final_cost`` (training cost), ``dev_cost``, ``test_cost`` and
        ``{train,dev,test}_accuracy`` (see :func:`score`).
    """
    finite = all(np.isfinite(value).all() for value in params.values())
    results = {}
    for split, cost_name in _COST_NAMES.items():
        cost = accuracy = None
        if finite:
            cost, accuracy = score(decision(data[f"X_{split}"]), data[f"Y_{split}"])
        results[cost_name] = cost
        results[f"{split}_accuracy"] = accuracy
    return results


def score(logits: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
    """Cross-entropy cost and accuracy of logits (1, m) against labels Y (1, m).

    Predictions follow ``shallownet.predict`` (positive logit -> class 1).
    """
    return shallownet.cost_from_logits(logits, Y), shallownet.accuracy(
        (logits > 0).astype(Y.dtype), Y
    )


def provenance(prepared_path: str | os.PathLike) -> dict:
    """Versions of the software that trained a model and the SHA-256 of its data.

    ``data_sha256`` is the content digest that the prepare job recorded in the file (see
    :func:`ablation.prepare.content_sha256`).
    """
    return {
        "python": "{}.{}.{}".format(*sys.version_info[:3]),
        "numpy": np.__version__,
        "h5py": h5py.__version__,
        "shallownet": shallownet.__version__,
        "data_sha256": prepared_content_sha256(prepared_path),
    }
