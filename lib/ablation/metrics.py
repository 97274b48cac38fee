"""How a trained classifier is scored and chosen, and what a classifier that ignores its input
scores.

The cat data shifts its labels between splits: the training file and its dev split are about
a third cats, the test file two thirds. Plain accuracy then rewards a network that always
answers the training majority ("non-cat"): 0.66 on dev, 0.34 on test. Balanced accuracy, the
mean over the two classes of the share of that class predicted correctly (its recall), gives
every constant predictor exactly 0.5 on every split, whatever the class mix, which is why it
is the default selection metric (:data:`DEFAULT_METRIC`).

Kept free of pandas: the training and baseline jobs score their networks with it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

#: The selection metrics (config ``selection.metric``): the dev column of ``cells.csv`` each
#: ranks by, and whether higher is better.
SELECTION_METRICS = {
    "balanced_accuracy": ("dev_balanced_accuracy", True),
    "accuracy": ("dev_accuracy", True),
    "cross_entropy": ("dev_cost", False),
}
#: What breaks a tie in each selection metric: the other kind of dev number (two accuracies
#: on 41 images tie often; a tie in cross-entropy is rare, and accuracy then says more).
TIE_BREAKERS = {
    "balanced_accuracy": "cross_entropy",
    "accuracy": "cross_entropy",
    "cross_entropy": "balanced_accuracy",
}
DEFAULT_METRIC = "balanced_accuracy"
#: How a metric is named in tables, figures and sentences.
METRIC_LABELS = {
    "balanced_accuracy": "balanced accuracy",
    "accuracy": "accuracy",
    "cross_entropy": "cross-entropy",
}

#: How the best classifier that ignores its input reaches its score in each metric
#: (:func:`constant_predictor_score`), for sentences and captions.
CONSTANT_PREDICTOR = {
    "accuracy": "always answering the majority class",
    "balanced_accuracy": "any constant answer",
    "cross_entropy": "predicting the training set's share of positives for every example",
}


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
        A key of :data:`SELECTION_METRICS`.
    """
    if metric == "accuracy":
        return mix[split]["majority_accuracy"]
    if metric == "balanced_accuracy":
        return 0.5
    train = mix["train"]
    share = train["positives"] / (train["positives"] + train["negatives"])
    target = mix[split]
    return -(target["positives"] * math.log(share) + target["negatives"] * math.log1p(-share)) / (
        target["positives"] + target["negatives"]
    )


def beats(value: float, reference: float, metric: str) -> bool:
    """Whether ``value`` is strictly better than ``reference`` in ``metric``."""
    _, higher_is_better = SELECTION_METRICS[metric]
    return value > reference if higher_is_better else value < reference


def ranking(metric: str) -> list[tuple[str, bool]]:
    """The dev columns that rank networks by ``metric``, in order, each with whether higher is
    better: the metric's column, then its tie-breaker's (:data:`TIE_BREAKERS`)."""
    return [SELECTION_METRICS[metric], SELECTION_METRICS[TIE_BREAKERS[metric]]]


def ranking_rule(metric: str, *, mean: bool = True) -> str:
    """:func:`ranking` in words, e.g. "the highest mean dev balanced accuracy over seeds; ties
    broken by the lower mean dev cross-entropy" (``mean=False`` for a single model)."""
    (_, higher_is_better), (_, tie_higher_is_better) = ranking(metric)
    qualifier = " mean" if mean else ""
    return (
        f"the {'highest' if higher_is_better else 'lowest'}{qualifier} dev "
        f"{METRIC_LABELS[metric]}{' over seeds' if mean else ''}; ties broken by the "
        f"{'higher' if tie_higher_is_better else 'lower'}{qualifier} dev "
        f"{METRIC_LABELS[TIE_BREAKERS[metric]]}"
    )


def accuracy_shown(metric: str) -> str:
    """Which accuracy the accuracy figures show under a selection ``metric``: plain accuracy
    when it is the selection metric, otherwise balanced accuracy, the one that a shift of the
    class mix between splits does not move."""
    return "accuracy" if metric == "accuracy" else "balanced_accuracy"
