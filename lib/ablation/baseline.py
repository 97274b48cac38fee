"""Logistic regression on the prepared data: the linear model the identity network should match.

Trained by plain gradient descent from zero weights with the dataset's iteration count, once
per learning rate of the dataset, and evaluated exactly like a network of a grid cell
(:func:`ablation.cell.evaluate`). With several learning rates the one kept is chosen on the
dev set by the configured selection metric (:func:`selection_rule`), as the cells' learning
rates are.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from ablation.cell import (
    PREDICTION_SPLITS,
    evaluate,
    prediction_rows,
    provenance,
    score,
    trained_logits,
)
from ablation.metrics import SELECTION_METRICS, ranking, ranking_rule
from ablation.prepare import load_prepared

#: Columns of the baseline's ``history.csv``.
BASELINE_HISTORY_COLUMNS = ("iteration", "cost", "train_accuracy", "dev_cost", "dev_accuracy")
#: What the baseline's ``metrics.json`` lists of each candidate (one model per learning rate).
CANDIDATE_KEYS = ("dev_accuracy", "dev_balanced_accuracy", "dev_cost", "final_cost")


def selection_rule(metric: str) -> str:
    """How the kept learning rate is chosen, stated in the baseline's ``metrics.json``."""
    return f"{ranking_rule(metric, mean=False)}, then by the smaller learning rate"


@dataclass(frozen=True)
class BaselineResult:
    """What the baseline job writes: ``metrics.json``, ``history.csv`` and ``predictions.npz``
    (the kept model's logits on each of :data:`ablation.cell.PREDICTION_SPLITS` as
    ``<split>_logits`` of shape (m,); NaN if it overflowed)."""

    metrics: dict
    history: list[dict]
    predictions: dict[str, np.ndarray]


def fit_logistic_regression(
    X: np.ndarray,
    Y: np.ndarray,
    *,
    learning_rate: float,
    iterations: int,
    record_every: int,
    X_dev: np.ndarray,
    Y_dev: np.ndarray,
) -> tuple[dict[str, np.ndarray], list[dict]]:
    """Minimize the cross-entropy of ``sigmoid(w X + b)`` by gradient descent.

    Parameters
    ----------
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (1, m)
        Labels in {0, 1}.
    learning_rate : float
    iterations : int
    record_every : int
        A history record every this many iterations, plus the last one.
    X_dev : ndarray, shape (n_x, m_dev)
    Y_dev : ndarray, shape (1, m_dev)

    Returns
    -------
    params : dict
        ``w`` of shape (1, n_x) and ``b`` of shape (1, 1).
    history : list of dict
        Records with keys :data:`BASELINE_HISTORY_COLUMNS`.
    """
    m = X.shape[1]
    w = np.zeros((1, X.shape[0]))
    b = np.zeros((1, 1))
    history = []
    for iteration in range(iterations + 1):
        logits = w @ X + b
        if iteration % record_every == 0 or iteration == iterations:
            cost, train_accuracy = score(logits, Y)
            dev_cost, dev_accuracy = score(w @ X_dev + b, Y_dev)
            history.append(
                dict(
                    zip(
                        BASELINE_HISTORY_COLUMNS,
                        (iteration, cost, train_accuracy, dev_cost, dev_accuracy),
                    )
                )
            )
        if iteration == iterations:
            break
        # d(cost)/d(logits) = sigmoid(logits) - Y, averaged over examples.
        error = (0.5 * (1.0 + np.tanh(0.5 * logits)) - Y) / m
        w -= learning_rate * (error @ X.T)
        b -= learning_rate * error.sum(axis=1, keepdims=True)
    return {"w": w, "b": b}, history


def logistic_logits(params: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """Logits ``w X + b`` (1, m) of logistic regression for X (n_x, m)."""
    return params["w"] @ X + params["b"]


def train_baseline(
    prepared_path: str | os.PathLike,
    *,
    dataset: str,
    learning_rates: Sequence[float],
    iterations: int,
    record_every: int,
    selection_metric: str,
) -> BaselineResult:
    """Train logistic regression at each learning rate and keep the best on dev.

    The kept model is the best in ``selection_metric`` (a key of
    :data:`ablation.metrics.SELECTION_METRICS`; rule: :func:`selection_rule`); the test set
    plays no part. Its ``metrics`` name its ``learning_rate`` and the ``selection_metric``,
    and list what :data:`CANDIDATE_KEYS` says of every ``candidate``.
    """
    if selection_metric not in SELECTION_METRICS:
        raise ValueError(
            f"selection_metric={selection_metric!r}; expected one of {list(SELECTION_METRICS)}"
        )
    data = load_prepared(prepared_path)
    candidates = []
    for rate in sorted(learning_rates):
        params, history = fit_logistic_regression(
            data["X_train"],
            data["Y_train"],
            learning_rate=rate,
            iterations=iterations,
            record_every=record_every,
            X_dev=data["X_dev"],
            Y_dev=data["Y_dev"],
        )
        logits = trained_logits(params, partial(logistic_logits, params), data)
        candidates.append((rate, evaluate(logits, data), history, logits))
    rate, evaluation, history, logits = min(
        candidates, key=partial(_selection_key, metric=selection_metric)
    )
    metrics = {
        "dataset": dataset,
        "model": "logistic_regression",
        "learning_rate": rate,
        "iterations": iterations,
        "record_every": record_every,
        **evaluation,
        "candidates": [
            {"learning_rate": tried, **{key: scores[key] for key in CANDIDATE_KEYS}}
            for tried, scores, *_ in candidates
        ],
        "selection_metric": selection_metric,
        "selection_rule": selection_rule(selection_metric),
        "provenance": provenance(prepared_path),
    }
    rows = prediction_rows(logits, data)
    predictions = {f"{split}_logits": rows[split] for split in PREDICTION_SPLITS}
    return BaselineResult(metrics, history, predictions)


def _selection_key(candidate: tuple, *, metric: str) -> tuple:
    """Sort key of :func:`selection_rule`; a model without scores (overflowed) comes last."""
    rate, scores, *_ = candidate
    key = []
    for column, higher_is_better in ranking(metric):
        value = scores[column]
        key.append(math.inf if value is None else -value if higher_is_better else value)
    return (*key, rate)
