"""Scores and the constant-predictor baseline on hand-computed examples."""

import math

import numpy as np
import pytest

from ablation.metrics import (
    SELECTION_METRICS,
    TIE_BREAKERS,
    accuracy_shown,
    balanced_accuracy,
    beats,
    class_mix,
    constant_predictor_score,
    ranking,
    ranking_rule,
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
    assert beats(0.51, 0.5, "balanced_accuracy") and not beats(0.5, 0.5, "balanced_accuracy")
    assert beats(0.6, 0.64, "cross_entropy") and not beats(0.64, 0.64, "cross_entropy")


def test_ranking_names_the_metric_then_its_tie_breaker():
    assert ranking("balanced_accuracy") == [("dev_balanced_accuracy", True), ("dev_cost", False)]
    assert ranking("cross_entropy") == [("dev_cost", False), ("dev_balanced_accuracy", True)]
    assert set(TIE_BREAKERS) == set(SELECTION_METRICS)
    assert ranking_rule("cross_entropy", mean=False) == (
        "the lowest dev cross-entropy; ties broken by the higher dev balanced accuracy"
    )


def test_accuracy_figures_show_balanced_accuracy_unless_accuracy_selects():
    assert accuracy_shown("accuracy") == "accuracy"
    assert accuracy_shown("balanced_accuracy") == accuracy_shown("cross_entropy")
    assert accuracy_shown("cross_entropy") == "balanced_accuracy"
