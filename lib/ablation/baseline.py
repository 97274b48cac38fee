"""Logistic regression, the linear model the identity network should match, solved to
convergence by scikit-learn.

Each replicate (:mod:`ablation.replicates`) fits one L2-penalized model per penalty of the
config's ``baseline.C`` on exactly the examples its networks train on, with scikit-learn's
``LogisticRegression`` (lbfgs, a tight tolerance; a fit that stops at the iteration limit is
an error, not a baseline). The penalty kept is the one whose pooled dev predictions score best
in the selection metric, as a network configuration's learning rate is chosen; the test set
plays no part.

With more features than examples (the cat images: 12288 against 167), the fit runs in an
orthonormal basis Q of the span of the training examples (X = Q R): the penalty |w|^2 does
not see the part of w orthogonal to the examples, which changes no logit, so the optimum has
none and w = Q a for the a fitted on the coordinates X^T Q -- the same problem with as many
features as examples, solved in milliseconds instead of seconds.

A fitted model is checked against the constant predictor that knows only the training
split's class mix: its training cross-entropy must be lower (``beats_constant_predictor``),
or it has not learned anything a baseline should.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from ablation.cell import PREDICTION_SPLITS, evaluate, prediction_rows, provenance
from ablation.metrics import class_mix, constant_predictor_score, metric_named, positive_share
from ablation.replicates import Replicates, load_replicates

#: lbfgs stops when the largest gradient component falls below this (scikit-learn's ``tol``).
TOLERANCE = 1e-10
#: A fit that needs more iterations than this has not converged: an error.
MAX_ITERATIONS = 100_000


class BaselineError(RuntimeError):
    """Logistic regression could not be solved to convergence."""


def selection_rule(metric: str) -> str:
    """How the kept penalty is chosen, stated in the baseline's ``metrics.json``."""
    return f"{metric_named(metric).ranking_rule()}, then the smaller C (the stronger penalty)"


@dataclass(frozen=True)
class LogisticModel:
    """A fitted logistic regression: logits ``w X + b``; ``iterations`` lbfgs took."""

    w: np.ndarray
    b: float
    iterations: int

    def logits(self, X: np.ndarray) -> np.ndarray:
        """Logits (1, m) for X (n_x, m)."""
        return (self.w @ X + self.b)[np.newaxis, :]


def fit_logistic_regression(X: np.ndarray, Y: np.ndarray, C: float) -> LogisticModel:
    """Minimize sum_i log(1 + exp(-y_i (w x_i + b))) + |w|^2 / (2 C) to convergence.

    Parameters
    ----------
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (1, m)
        Labels in {0, 1}.
    C : float
        Inverse penalty strength (scikit-learn's ``C``); the intercept is not penalized.

    Raises
    ------
    BaselineError
        lbfgs reached :data:`MAX_ITERATIONS` before the tolerance.
    """
    n_x, m = X.shape
    basis = np.linalg.qr(X)[0] if n_x > m else None
    coordinates = X.T if basis is None else X.T @ basis
    model = LogisticRegression(C=C, tol=TOLERANCE, max_iter=MAX_ITERATIONS)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            model.fit(coordinates, Y.ravel().astype(int))
        except ConvergenceWarning as warning:
            raise BaselineError(
                f"logistic regression with C={C:g} on {m} examples did not converge in "
                f"{MAX_ITERATIONS} lbfgs iterations ({warning}); drop this C from baseline.C"
            ) from None
    a = model.coef_[0]
    w = a if basis is None else basis @ a
    return LogisticModel(w, float(model.intercept_[0]), int(model.n_iter_[0]))


@dataclass(frozen=True)
class BaselineResult:
    """What the baseline job writes: ``metrics.json`` and ``predictions.npz`` (the kept
    penalty's models, one row per replicate: ``dev_logits`` (R, m_dev) with NaN on the dev
    examples a replicate does not predict, ``test_logits`` (R, m_test), ``seed`` (R,))."""

    metrics: dict
    predictions: dict[str, np.ndarray]


def train_baseline(
    prepared_path: str | os.PathLike,
    *,
    dataset: str,
    seeds: Sequence[int],
    C: Sequence[float],
    selection_metric: str,
) -> BaselineResult:
    """Fit logistic regression for every replicate and penalty; keep the penalty best on dev.

    Returns the metrics: the kept ``C``; every ``candidate`` penalty's pooled dev scores and
    mean training cost; per replicate (``replicates``, by seed) the kept model's scores on
    its own splits, its ``training_cost`` beside the ``constant_predictor_cost`` of its
    training class mix, ``beats_constant_predictor`` and the lbfgs ``iterations``; and means
    over replicates of every score (the baseline columns of ``cells.csv``).
    """
    metric = metric_named(selection_metric)
    replicates = load_replicates(prepared_path)
    seeds = sorted(seeds)
    candidates = []
    for penalty in sorted(C):
        models = {
            seed: fit_logistic_regression(*replicates.training_set(seed), penalty) for seed in seeds
        }
        logits = {seed: _all_logits(model, replicates, seed) for seed, model in models.items()}
        rows = {seed: prediction_rows(logits[seed], replicates, seed) for seed in seeds}
        dev = np.stack([rows[seed]["dev"] for seed in seeds])
        scores = {seed: evaluate(logits[seed], replicates.split_labels(seed)) for seed in seeds}
        candidates.append((penalty, models, scores, rows, pooled_dev_scores(dev, replicates)))
    penalty, models, scores, rows, pooled = min(
        candidates, key=lambda candidate: _selection_key(candidate, metric)
    )
    per_replicate = {
        seed: {
            **scores[seed],
            **_against_constant(scores[seed]["final_cost"], replicates, seed),
            "iterations": models[seed].iterations,
        }
        for seed in seeds
    }
    metrics = {
        "dataset": dataset,
        "model": "logistic_regression",
        "solver": f"scikit-learn LogisticRegression(lbfgs, tol={TOLERANCE:g})",
        "C": penalty,
        "seeds": seeds,
        **{f"mean_{key}": _mean(scores, key) for key in next(iter(scores.values()))},
        **{f"pooled_{key}": value for key, value in pooled.items()},
        "replicates": {str(seed): values for seed, values in per_replicate.items()},
        "candidates": [
            {
                "C": tried,
                **{f"dev_{key}": value for key, value in dev_scores.items()},
                "mean_final_cost": _mean(tried_scores, "final_cost"),
            }
            for tried, _, tried_scores, _, dev_scores in candidates
        ],
        "selection_metric": selection_metric,
        "selection_rule": selection_rule(selection_metric),
        "provenance": provenance(prepared_path),
    }
    predictions = {
        f"{split}_logits": np.stack([rows[seed][split] for seed in seeds])
        for split in PREDICTION_SPLITS
    } | {"seed": np.array(seeds, dtype=np.int64)}
    return BaselineResult(metrics, predictions)


def _all_logits(model: LogisticModel, replicates: Replicates, seed: int) -> dict[str, np.ndarray]:
    return {split: model.logits(X) for split, X in replicates.split_examples(seed).items()}


def pooled_dev_scores(dev_logits: np.ndarray, replicates: Replicates) -> dict[str, float]:
    """Pooled dev accuracy, balanced accuracy and cost (:meth:`ablation.metrics.Metric.pooled`)
    of the replicates' dev logits (R, m_dev)."""
    labels = replicates.dev_labels[0]
    return {
        metric.column: metric.pooled(dev_logits, labels)
        for metric in map(metric_named, ("accuracy", "balanced_accuracy", "cross_entropy"))
    }


def _selection_key(candidate: tuple, metric) -> tuple:
    """Sort key of :func:`selection_rule`; a penalty without scores comes last."""
    penalty, *_, pooled = candidate
    key = []
    for column, higher_is_better in metric.ranking():
        value = pooled[column.removeprefix("dev_")]
        key.append(math.inf if math.isnan(value) else -value if higher_is_better else value)
    return (*key, penalty)


def _against_constant(training_cost: float, replicates: Replicates, seed: int) -> dict:
    """A model's training cost against that of the constant predictor of its training split's
    class mix (predicting the share of positives for every example)."""
    mix = class_mix(replicates.training_set(seed)[1])
    constant = constant_predictor_score({"train": mix}, "cross_entropy", "train")
    return {
        "training_cost": training_cost,
        "constant_predictor_cost": constant,
        "beats_constant_predictor": bool(training_cost < constant),
        "training_positive_share": positive_share(mix),
    }


def _mean(scores: dict, key: str) -> float:
    return float(np.mean([values[key] for values in scores.values()]))
