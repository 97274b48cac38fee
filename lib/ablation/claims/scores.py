"""Per-example scores of the networks' predictions under the selection metric.

A claim about "which is better" is measured with the metric the workflow selects by
(``selection.metric``, balanced accuracy by default: a constant predictor scores exactly
0.5 whatever the class mix, so the cat data's dev/test label shift cannot make a network
that always answers "non-cat" look good). Every metric here is a weighted sum over the
examples of a per-example score, oriented so that higher is better:

- ``balanced_accuracy``: correct (0 or 1), each example weighted 1 / (2 n_class): the mean
  of the two classes' recalls;
- ``accuracy``: correct, each example weighted 1 / m;
- ``cross_entropy``: minus the example's log-loss (in nats), weighted 1 / m.

That form is what the crossed bootstrap (:mod:`ablation.claims.statistics`) resamples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Metric:
    """How a metric scores one example and weighs the examples.

    ``name`` is the config's ``selection.metric``; ``score_name`` how the table calls the
    oriented score; ``unit`` how its values are written (``accuracy``: percentage points,
    ``nats``); ``margin`` the smallest difference that matters and ``far`` a large one.
    """

    name: str
    score_name: str
    unit: str
    balanced: bool
    log_loss: bool
    margin: float
    far: float

    def example_weights(self, labels: np.ndarray) -> np.ndarray:
        """Each example's weight: 1 / (2 n_class) if balanced, else 1 / m."""
        labels = np.asarray(labels)
        if not self.balanced:
            return np.full(labels.size, 1 / labels.size)
        counts = {label: int(np.sum(labels == label)) for label in (0, 1)}
        empty = [label for label, count in counts.items() if count == 0]
        if empty:
            raise ValueError(
                f"{self.score_name} needs both classes, but the labels have no example of "
                f"class {empty[0]}"
            )
        return np.array([1 / (2 * counts[label]) for label in labels])

    def scores(self, logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Per-example scores of networks' output logits, shape (..., m); NaN stays NaN
        (a diverged network predicts nothing)."""
        logits = np.asarray(logits, dtype=float)
        sign = 2 * np.asarray(labels) - 1
        if self.log_loss:
            # -log sigmoid(sign * z) = logaddexp(0, -sign * z), exact in both tails.
            return -np.logaddexp(0.0, -sign * logits)
        # The network predicts class 1 where its logit is positive (shallownet.predict).
        correct = (logits > 0) == (sign > 0)
        return np.where(np.isnan(logits), np.nan, correct.astype(float))

    def constant_scores(self, positive_share: float, labels: np.ndarray) -> np.ndarray:
        """Per-example scores of the best constant predictor learnt from a training split
        with ``positive_share`` positives: the majority class for accuracies, that share as
        the predicted probability for cross-entropy."""
        labels = np.asarray(labels)
        if self.log_loss:
            probability = np.where(labels == 1, positive_share, 1 - positive_share)
            return np.log(probability)
        majority = 1 if positive_share > 0.5 else 0
        return (labels == majority).astype(float)


#: The metrics of ``selection.metric``, by name.
METRICS = {
    metric.name: metric
    for metric in (
        # 3 pp: about one cat test image in 50 (and 2 planar test points in 200) per class;
        # 10 pp: the "far below" of claim 1b (the course's planar gap is about 40 pp).
        Metric("balanced_accuracy", "balanced accuracy", "accuracy", True, False, 0.03, 0.10),
        Metric("accuracy", "accuracy", "accuracy", False, False, 0.03, 0.10),
        # In nats: 0.03 is about 4 % of ln 2, the cost of a coin flip; 0.1 about 15 %.
        Metric("cross_entropy", "negative cross-entropy", "nats", False, True, 0.03, 0.10),
    )
}


def metric_named(name: str) -> Metric:
    """The :class:`Metric` of a ``selection.metric`` value; a clear error for an unknown one."""
    try:
        return METRICS[name]
    except KeyError:
        raise ValueError(
            f"unknown selection metric {name!r}; expected one of {sorted(METRICS)}"
        ) from None


def positive_share(majority: dict) -> float:
    """The share of positives of a split from ``best.json``'s ``majority`` entry of it."""
    positives, negatives = majority["positives"], majority["negatives"]
    total = positives + negatives
    if total == 0:
        return math.nan
    return positives / total
