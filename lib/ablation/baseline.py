"""Logistic regression on the prepared data: the linear model the identity network should match.

Trained by plain gradient descent from zero weights with the dataset's iteration count, once
per learning rate of the dataset, and evaluated exactly like a network of a grid cell
(:func:`ablation.cell.evaluate`). With several learning rates the one kept is chosen on the
dev set (:data:`SELECTION_RULE`), as the cells' learning rates are.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from functools import partial

import numpy as np
from ablation.cell import evaluate, provenance, score, trained_logits
from ablation.prepare import load_prepared

#: Columns of the baseline's ``history.csv``.
BASELINE_HISTORY_COLUMNS = ("iteration", "cost", "train_accuracy", "dev_cost", "dev_accuracy")
#: How the kept learning rate is chosen, stated in the baseline's ``metrics.json``.
SELECTION_RULE = (
    "highest dev accuracy; ties broken by lower final training cost, then by the smaller "
    "learning rate"
)


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
) -> tuple[dict, list[dict]]:
    """Train logistic regression at each learning rate; return the kept one's
    ``(metrics, history)``.

    The kept model has the highest dev accuracy (:data:`SELECTION_RULE`); the test set plays
    no part. ``metrics`` names its ``learning_rate`` and lists every ``candidate``'s dev
    accuracy and final cost.
    """
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
        candidates.append((rate, evaluate(logits, data), history))
    rate, evaluation, history = min(candidates, key=_selection_key)
    metrics = {
        "dataset": dataset,
        "model": "logistic_regression",
        "learning_rate": rate,
        "iterations": iterations,
        "record_every": record_every,
        **evaluation,
        "candidates": [
            {"learning_rate": tried, **{key: scores[key] for key in ("dev_accuracy", "final_cost")}}
            for tried, scores, _ in candidates
        ],
        "selection_rule": SELECTION_RULE,
        "provenance": provenance(prepared_path),
    }
    return metrics, history


def _selection_key(candidate: tuple) -> tuple:
    """Sort key of :data:`SELECTION_RULE`; a model without scores (overflowed) comes last."""
    rate, scores, _ = candidate
    dev, cost = scores["dev_accuracy"], scores["final_cost"]
    return (
        math.inf if dev is None else -dev,
        math.inf if cost is None else cost,
        rate,
    )
