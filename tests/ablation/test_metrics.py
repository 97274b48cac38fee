"""Scores and the constant-predictor baseline on hand-computed examples."""

import math

import numpy as np
import pytest

from ablation.metrics import (
    METRICS,
    balanced_accuracy,
    class_mix,
    constant_predictor_score,
    metric_named,
)

#: The cat data's class mix: a third cats in train and dev, two thirds in test.
CAT_MIX = {
    "train": class_mix(np.array([[1] * 58 + [0] * 110])),
    "dev": class_mix(np.array([[1] * 14 + [0] * 27])),
    "test": class_mix(np.array([[1] * 33 + [0] * 17])),
}


def test_balanced_accuracy_is_the_mean_recall_of_the_two_classes():
    labels = np.array([[1, 0, 0, 0, 1]])
    # Class 1: both found (recall 1); class 0: two of three (recall 2/3).
    assert balanced_accuracy([1, 1, 0, 0, 1], labels) == pytest.approx((1 + 2 / 3) / 2)
    # Plain accuracy would be 4/5 = 0.8; balanced accuracy weighs the rarer class up.
    assert balanced_accuracy([0, 0, 0, 0, 1], labels) == pytest.approx((0.5 + 1) / 2)


def test_balanced_accuracy_of_rows_is_per_row():
    labels = [0, 0, 0, 1]
    predicted = np.array([[0, 0, 0, 0], [1, 1, 1, 1], [0, 0, 1, 1], [True, True, True, False]])
    np.testing.assert_allclose(
        balanced_accuracy(predicted, labels), [0.5, 0.5, (2 / 3 + 1) / 2, 0.0]
    )


@pytest.mark.parametrize("positives", [1, 14, 33, 49])
def test_a_constant_predictor_scores_one_half_whatever_the_class_mix(positives):
    labels = np.array([1] * positives + [0] * (50 - positives))
    for constant in (0, 1):
        assert balanced_accuracy(np.full(50, constant), labels) == 0.5


def test_a_split_with_one_class_scores_that_class_recall():
    assert balanced_accuracy([1, 0, 1], [1, 1, 1]) == pytest.approx(2 / 3)


def test_class_mix_counts_and_majority_share():
    assert CAT_MIX["dev"] == {
        "positives": 14,
        "negatives": 27,
        "majority_accuracy": pytest.approx(27 / 41),
    }
    assert CAT_MIX["test"]["majority_accuracy"] == pytest.approx(0.66)  # the majority: cats


def test_constant_predictor_scores_per_metric():
    assert constant_predictor_score(CAT_MIX, "accuracy") == pytest.approx(27 / 41)
    assert constant_predictor_score(CAT_MIX, "accuracy", "test") == pytest.approx(0.66)
    assert constant_predictor_score(CAT_MIX, "balanced_accuracy") == 0.5
    # Predicting the training share p = 58/168 of cats for every dev image.
    share = 58 / 168
    expected = -(14 * math.log(share) + 27 * math.log(1 - share)) / 41
    assert constant_predictor_score(CAT_MIX, "cross_entropy") == pytest.approx(expected)
    # On test, where cats are the majority, the same constant is far worse.
    assert constant_predictor_score(CAT_MIX, "cross_entropy", "test") > expected


def test_beats_is_strict_and_knows_the_direction_of_each_metric():
    balanced, cost = METRICS["balanced_accuracy"], METRICS["cross_entropy"]
    assert balanced.beats(0.51, 0.5) and not balanced.beats(0.5, 0.5)
    assert cost.beats(0.6, 0.64) and not cost.beats(0.64, 0.64)


def test_ranking_names_the_metric_then_its_tie_breaker():
    assert METRICS["balanced_accuracy"].ranking() == [
        ("dev_balanced_accuracy", True),
        ("dev_cost", False),
    ]
    assert METRICS["cross_entropy"].ranking() == [
        ("dev_cost", False),
        ("dev_balanced_accuracy", True),
    ]
    assert all(metric.tie_breaker in METRICS for metric in METRICS.values())
    assert METRICS["cross_entropy"].ranking_rule(pooled=False) == (
        "the lowest dev cross-entropy; ties broken by the higher dev balanced accuracy"
    )


def test_accuracy_figures_show_balanced_accuracy_unless_accuracy_selects():
    assert METRICS["accuracy"].accuracy_shown == "accuracy"
    assert METRICS["balanced_accuracy"].accuracy_shown == "balanced_accuracy"
    assert METRICS["cross_entropy"].accuracy_shown == "balanced_accuracy"


def test_each_metric_names_its_cells_csv_columns():
    assert METRICS["cross_entropy"].split_column("train") == "final_cost"
    assert METRICS["cross_entropy"].dev_column == "dev_cost"
    assert METRICS["balanced_accuracy"].split_column("test") == "test_balanced_accuracy"


#: Labels of the per-example score tests: 15 negatives, 25 positives.
SCORE_LABELS = np.repeat([0, 1], [15, 25])


def test_scores_of_logits():
    labels = np.array([0, 1, 1, 0])
    logits = np.array([[-2.0, 3.0, -1.0, 0.0], [np.nan] * 4])
    correct = METRICS["balanced_accuracy"].scores(logits, labels)
    np.testing.assert_array_equal(correct[0], [1, 1, 0, 1])  # logit 0 predicts class 0
    assert np.isnan(correct[1]).all()
    loss = metric_named("cross_entropy").scores(logits[:1], labels)
    np.testing.assert_allclose(loss[0], -np.log1p(np.exp(-np.array([2.0, 3.0, -1.0, 0.0]))))


def test_a_constant_predictor_scores_half_in_balanced_accuracy_only():
    weights = METRICS["balanced_accuracy"].example_weights(SCORE_LABELS)
    assert METRICS["balanced_accuracy"].constant_scores(
        0.3, SCORE_LABELS
    ) @ weights == pytest.approx(0.5)
    accuracy = METRICS["accuracy"]
    assert (
        accuracy.constant_scores(0.3, SCORE_LABELS) @ accuracy.example_weights(SCORE_LABELS)
        == 15 / 40
    )


def test_balanced_accuracy_needs_both_classes_and_metrics_are_named():
    with pytest.raises(ValueError, match="no example of class 1"):
        METRICS["balanced_accuracy"].example_weights(np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match="unknown selection metric 'f1'"):
        metric_named("f1")


def test_pooled_dev_scores_on_folds_and_on_a_shared_dev_set():
    balanced = METRICS["balanced_accuracy"]
    labels = np.array([0, 0, 1, 1])
    # Two folds: replicate 0 predicts examples 0 and 2, replicate 1 examples 1 and 3.
    folds = np.array([[-1.0, np.nan, 1.0, np.nan], [np.nan, 1.0, np.nan, 1.0]])
    np.testing.assert_array_equal(balanced.example_scores(folds, labels), [1, 0, 1, 1])
    assert balanced.pooled(folds, labels) == pytest.approx((0.5 + 1.0) / 2)
    # A shared dev set: the mean over the replicates of each one's score.
    shared = np.array([[-1.0, -1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]])
    assert balanced.pooled(shared, labels) == pytest.approx((1.0 + 0.5) / 2)
    # A replicate without predictions (diverged) leaves no pooled score.
    assert np.isnan(balanced.pooled(np.array([folds[0], [np.nan] * 4]), labels))
    loss = np.logaddexp(0, [-1.0, 1.0])  # a right and a wrong answer with |logit| 1
    cost = METRICS["cross_entropy"].pooled(shared, labels)
    assert cost == pytest.approx((3 * loss[0] + loss[1]) / 4)
