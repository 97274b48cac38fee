"""How a trained classifier is scored and chosen, and what a classifier that ignores its input
scores: one registry, :data:`METRICS`, of everything the workflow says about a metric.

The cat data shifts its labels between splits: the training file is about a third cats, the
test file two thirds. Plain accuracy then rewards a network that always answers the training
majority ("non-cat"): 0.66 on dev, 0.34 on test. Balanced accuracy, the mean over the two
classes of the share of that class predicted correctly (its recall), gives every constant
predictor exactly 0.5 on every split, whatever the class mix, which is why it is the default
selection metric (:data:`DEFAULT_METRIC`).

Every metric is a weighted sum over the examples of a per-example score oriented so that
higher is better (:meth:`Metric.scores`, :meth:`Metric.example_weights`): correct (0 or 1)
weighted 1 / (2 n_class) for balanced accuracy, 1 / m for accuracy; minus the log-loss
weighted 1 / m for cross-entropy. That form is what pooled dev scores
(:mod:`ablation.selection`) and the claims' intervals (:mod:`ablation.statistics`)
are computed from.

Kept free of pandas: the training and baseline jobs score their networks with it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Metric:
    """One metric of the config's ``selection.metric`` and how the workflow uses it.

    Attributes
    ----------
    name : str
        The config value.
    label : str
        How tables, figures and sentences name it.
    column : str
        Its column in ``cells.csv`` after the split (``dev_balanced_accuracy``, ``dev_cost``).
    higher_is_better : bool
    tie_breaker : str
        The metric that breaks a tie in this one: the other kind of dev number (two
        accuracies on a few dozen images tie often; a tie in cross-entropy is rare, and
        accuracy then says more).
    constant_predictor : str
        How the best classifier that ignores its input reaches its score, in words.
    score_name : str
        The per-example score, oriented so that higher is better.
    unit : str
        How differences are written: ``accuracy`` (percentage points) or ``nats``.
    balanced : bool
        Whether each class weighs one half.
    log_loss : bool
        Whether the per-example score is minus the log-loss (else correctness).
    margin : float
        The smallest difference that matters (the claims' thresholds).
    far : float
        A large difference ("falls far below").
    """

    name: str
    label: str
    column: str
    higher_is_better: bool
    tie_breaker: str
    constant_predictor: str
    score_name: str
    unit: str
    balanced: bool
    log_loss: bool
    margin: float
    far: float

    def split_column(self, split: str) -> str:
        """The ``cells.csv`` column of this metric on ``split`` (the training cost is
        ``final_cost``)."""
        if self.column == "cost" and split == "train":
            return "final_cost"
        return f"{split}_{self.column}"

    @property
    def dev_column(self) -> str:
        return self.split_column("dev")

    def example_weights(self, labels: np.ndarray) -> np.ndarray:
        """Each example's weight: 1 / (2 n_class) if balanced, else 1 / m."""
        labels = np.asarray(labels).ravel()
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
        (a diverged network, or an example its replicate does not predict)."""
        logits = np.asarray(logits, dtype=float)
        missing = np.isnan(logits)
        filled = np.where(missing, 0.0, logits)
        sign = 2 * np.asarray(labels).ravel() - 1
        if self.log_loss:
            # -log sigmoid(sign * z) = logaddexp(0, -sign * z), exact in both tails.
            scores = -np.logaddexp(0.0, -sign * filled)
        else:
            # The network predicts class 1 where its logit is positive (shallownet.predict).
            scores = ((filled > 0) == (sign > 0)).astype(float)
        return np.where(missing, np.nan, scores)

    def value(self, scores: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """The metric, in its own orientation (a cost for cross-entropy), of per-example
        ``scores`` (..., m) (:meth:`scores`) of examples with ``labels`` (m,)."""
        total = scores @ self.example_weights(labels)
        return total if self.higher_is_better else -total

    def example_scores(self, logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Per-example scores pooled over replicates: ``logits`` (R, m) holds each
        replicate's logits on the dev examples, NaN on those it does not predict (the other
        folds); the mean over the replicates that predict an example is its score (m,). NaN
        where none does, and wherever a replicate predicts nothing at all (diverged)."""
        scores = self.scores(logits, labels)
        predicted = ~np.isnan(scores)
        if not predicted.any(axis=1).all():
            return np.full(scores.shape[1], np.nan)
        counts = predicted.sum(axis=0)
        totals = np.where(predicted, scores, 0.0).sum(axis=0)
        return np.divide(totals, counts, where=counts > 0, out=np.full(counts.shape, np.nan))

    def pooled(self, logits: np.ndarray, labels: np.ndarray) -> float:
        """The metric, in its own orientation, of the pooled dev predictions of a
        configuration's replicates (:meth:`example_scores`): on k folds, each training example
        predicted once, out of fold; on a shared dev set, the mean over replicates. NaN unless
        every replicate predicts and every example is predicted."""
        return float(self.value(self.example_scores(logits, labels), labels))

    def constant_scores(self, positive_share: float, labels: np.ndarray) -> np.ndarray:
        """Per-example scores of the best constant predictor learnt from a training split
        with ``positive_share`` positives: the majority class for accuracies, that share as
        the predicted probability for cross-entropy."""
        labels = np.asarray(labels).ravel()
        if self.log_loss:
            probability = np.where(labels == 1, positive_share, 1 - positive_share)
            return np.log(probability)
        majority = 1 if positive_share > 0.5 else 0
        return (labels == majority).astype(float)

    def beats(self, value: float, reference: float) -> bool:
        """Whether ``value`` is strictly better than ``reference``."""
        return value > reference if self.higher_is_better else value < reference

    def ranking(self) -> list[tuple[str, bool]]:
        """The dev columns that rank networks, in order, each with whether higher is better:
        this metric's, then its tie-breaker's."""
        tie = METRICS[self.tie_breaker]
        return [(self.dev_column, self.higher_is_better), (tie.dev_column, tie.higher_is_better)]

    def ranking_rule(self, *, pooled: bool = True) -> str:
        """:meth:`ranking` in words, e.g. "the highest pooled dev balanced accuracy; ties
        broken by the lower pooled dev cross-entropy" (``pooled=False`` for a single model)."""
        tie = METRICS[self.tie_breaker]
        qualifier = " pooled" if pooled else ""
        return (
            f"the {'highest' if self.higher_is_better else 'lowest'}{qualifier} dev "
            f"{self.label}; ties broken by the {'higher' if tie.higher_is_better else 'lower'}"
            f"{qualifier} dev {tie.label}"
        )

    @property
    def accuracy_shown(self) -> str:
        """Which accuracy the accuracy figures show: plain accuracy when it is this metric,
        otherwise balanced accuracy, the one that a shift of the class mix between splits
        does not move."""
        return "accuracy" if self.name == "accuracy" else "balanced_accuracy"


#: The metrics of ``selection.metric``, by name.
METRICS: dict[str, Metric] = {
    metric.name: metric
    for metric in (
        # 3 pp: about one cat test image in 50 (and 2 planar test points in 200) per class;
        # 10 pp: the "far below" of claim 1b (the course's planar gap is about 40 pp).
        Metric(
            "balanced_accuracy",
            "balanced accuracy",
            "balanced_accuracy",
            True,
            "cross_entropy",
            "any constant answer",
            "balanced accuracy",
            "accuracy",
            True,
            False,
            0.03,
            0.10,
        ),
        Metric(
            "accuracy",
            "accuracy",
            "accuracy",
            True,
            "cross_entropy",
            "always answering the majority class",
            "accuracy",
            "accuracy",
            False,
            False,
            0.03,
            0.10,
        ),
        # In nats: 0.03 is about 4 % of ln 2, the cost of a coin flip; 0.1 about 15 %.
        Metric(
            "cross_entropy",
            "cross-entropy",
            "cost",
            False,
            "balanced_accuracy",
            "predicting the training set's share of positives for every example",
            "negative cross-entropy",
            "nats",
            False,
            True,
            0.03,
            0.10,
        ),
    )
}
DEFAULT_METRIC = "balanced_accuracy"


def metric_named(name: str) -> Metric:
    """The :class:`Metric` of a ``selection.metric`` value; a clear error for an unknown one."""
    try:
        return METRICS[name]
    except KeyError:
        raise ValueError(
            f"unknown selection metric {name!r}; expected one of {sorted(METRICS)}"
        ) from None


def balanced_accuracy(predicted, labels):
    """Mean over the classes of ``labels`` of the share of that class's examples predicted as
    that class.

    Parameters
    ----------
    predicted : array_like, shape (..., m)
        Predicted classes in {0, 1} (or booleans), one row per classifier.
    labels : array_like, shape (m,) or (1, m)
        True classes in {0, 1}. A class without examples has no recall and is left out of the
        mean (every split the workflow scores holds both: see :mod:`ablation.prepare`).

    Returns
    -------
    ndarray of shape ``predicted.shape[:-1]`` (a NumPy scalar for one row)

    >>> float(balanced_accuracy([0, 0, 0, 0], [0, 0, 0, 1]))  # constant: 0.5 whatever the mix
    0.5
    >>> float(balanced_accuracy([1, 0, 0, 1], [1, 1, 0, 0]))
    0.5
    """
    truth = np.asarray(labels).ravel().astype(bool)
    hits = np.asarray(predicted).astype(bool) == truth
    recalls = [
        hits[..., truth == value].mean(axis=-1) for value in (False, True) if (truth == value).any()
    ]
    return np.mean(recalls, axis=0)


def class_mix(Y) -> dict:
    """``positives``, ``negatives`` and ``majority_accuracy`` (the share of the more frequent
    class: what always answering it scores) of labels Y in {0, 1}.

    >>> class_mix(np.array([[1, 0, 0, 0]]))
    {'positives': 1, 'negatives': 3, 'majority_accuracy': 0.75}
    """
    labels = np.asarray(Y).ravel()
    positives = int((labels == 1).sum())
    negatives = int((labels == 0).sum())
    return {
        "positives": positives,
        "negatives": negatives,
        "majority_accuracy": max(positives, negatives) / (positives + negatives),
    }


def positive_share(mix: Mapping) -> float:
    """The share of positives of a split from its :func:`class_mix` (or ``best.json``'s
    ``majority`` entry of it)."""
    positives, negatives = mix["positives"], mix["negatives"]
    total = positives + negatives
    return math.nan if total == 0 else positives / total


def constant_predictor_score(mix: Mapping[str, Mapping], metric: str, split: str = "dev") -> float:
    """What the best classifier that ignores its input scores on ``split`` in ``metric``.

    Accuracy: the split's majority-class share. Balanced accuracy: 0.5 for any constant
    answer. Cross-entropy: that of predicting, for every example, the training split's share of
    positives (the constant a network drifts to when it learns nothing from the input).

    Parameters
    ----------
    mix : mapping
        Split -> :func:`class_mix` of its labels (``train`` and ``split``).
    metric : str
        A key of :data:`METRICS`.
    """
    if metric == "accuracy":
        return mix[split]["majority_accuracy"]
    if metric == "balanced_accuracy":
        return 0.5
    share = positive_share(mix["train"])
    target = mix[split]
    return -(target["positives"] * math.log(share) + target["negatives"] * math.log1p(-share)) / (
        target["positives"] + target["negatives"]
    )
