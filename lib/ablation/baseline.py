"""Logistic regression on the prepared data: the linear model the identity network should match.

Trained by plain gradient descent from zero weights with the dataset's learning rate and
iteration count, and evaluated exactly like a grid cell (:func:`ablation.cell.evaluate`).
"""

from __future__ import annotations

import os

import numpy as np
from ablation.cell import evaluate, provenance, score
from ablation.prepare import load_prepared

#: Columns of the baseline's ``history.csv``.
BASELINE_HISTORY_COLUMNS = ("iteration", "cost", "train_accuracy", "dev_cost", "dev_accuracy")


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


def train_baseline(
    prepared_path: str | os.PathLike,
    *,
    dataset: str,
    learning_rate: float,
    iterations: int,
    record_every: int,
) -> tuple[dict, list[dict]]:
    """Train logistic regression on a prepared dataset; return ``(metrics, history)``."""
    data = load_prepared(prepared_path)
    params, history = fit_logistic_regression(
        data["X_train"],
        data["Y_train"],
        learning_rate=learning_rate,
        iterations=iterations,
        record_every=record_every,
        X_dev=data["X_dev"],
        Y_dev=data["Y_dev"],
    )
    metrics = {
        "dataset": dataset,
        "model": "logistic_regression",
        "learning_rate": learning_rate,
        "iterations": iterations,
        "record_every": record_every,
        **evaluate(params, lambda X: params["w"] @ X + params["b"], data),
        "provenance": provenance(prepared_path),
    }
    return metrics, history
