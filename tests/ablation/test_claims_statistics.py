"""The statistics of the claims: crossed bootstrap, t interval over seeds, scores, rules."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from ablation.claims import statistics
from ablation.claims.scores import METRICS, metric_named
from ablation.claims.statistics import (
    Exact,
    Interval,
    SeedMeans,
    crossed_bootstrap,
    example_weights,
    family_confidence,
    resampled_means,
    seed_t_interval,
    seed_weights,
)
from ablation.claims.units import format_interval, format_value
from ablation.claims.verdicts import (
    CONTRADICTED,
    INCONCLUSIVE,
    SUPPORTED,
    Rule,
    combine,
)

LABELS = np.repeat([0, 1], [15, 25])
BALANCED = metric_named("balanced_accuracy")


def simulated_differences(rng, effect, seed_sd, example_sd, n_seeds=5, labels=LABELS):
    """Per-seed, per-example differences: effect + seed effect + example effect + noise."""
    seeds = rng.normal(0, seed_sd, size=(n_seeds, 1))
    examples = rng.normal(0, example_sd, size=(1, labels.size))
    return effect + seeds + examples + rng.normal(0, 0.05, size=(n_seeds, labels.size))


# --------------------------------------------------------------------------- resampling


def test_resampled_means_equal_a_direct_sum_across_chunks():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(3, 4, LABELS.size))  # 3 quantities, 4 seeds
    seeds, examples = seed_weights(4, 5000), example_weights(LABELS, np.full(40, 1 / 40), 5000)
    direct = np.einsum("bs,be,kse->kb", seeds, examples, values)
    np.testing.assert_allclose(resampled_means(values, seeds, examples), direct, atol=1e-12)


def test_seed_weights_are_counts_of_a_draw_with_replacement():
    weights = seed_weights(5, 1000)
    assert weights.shape == (1000, 5)
    np.testing.assert_allclose(weights.sum(axis=1), 1)
    assert set(np.unique(np.round(weights * 5))) <= set(range(6))
    assert (weights.max(axis=1) > 0.2).any()  # some seed drawn twice or more


def test_example_weights_resample_within_each_class():
    weights = BALANCED.example_weights(LABELS)
    resampled = example_weights(LABELS, weights, 1000)
    # Each class keeps its total weight of one half: balanced accuracy stays a mean of recalls.
    np.testing.assert_allclose(resampled[:, LABELS == 0].sum(axis=1), 0.5)
    np.testing.assert_allclose(resampled[:, LABELS == 1].sum(axis=1), 0.5)
    assert resampled.std(axis=0).min() > 0


def test_crossed_bootstrap_is_deterministic():
    differences = simulated_differences(np.random.default_rng(1), 0.1, 0.05, 0.2)
    weights = BALANCED.example_weights(LABELS)
    first = crossed_bootstrap(differences, LABELS, weights, "test")
    second = crossed_bootstrap(differences.copy(), LABELS, weights, "test")
    np.testing.assert_array_equal(first.replicates, second.replicates)
    assert first.interval(0.95) == second.interval(0.95)
    assert (first.n_seeds, first.n_examples, first.split) == (5, 40, "test")


def test_crossed_bootstrap_covers_a_known_effect():
    """Over simulated ablations of 5 seeds with seed and example noise, the interval holds
    the true effect: nearly as often as a 95 % interval should (percentile intervals over
    five seeds run a little short), and always at the family level of a table of 30 tests."""
    rng = np.random.default_rng(2)
    weights = np.full(LABELS.size, 1 / LABELS.size)
    covered = np.zeros(2)
    for _ in range(100):
        effect = crossed_bootstrap(simulated_differences(rng, 0.1, 0.05, 0.1), LABELS, weights, "")
        for index, confidence in enumerate((0.95, family_confidence(30))):
            interval = effect.interval(confidence)
            covered[index] += interval.low <= 0.1 <= interval.high
    assert covered[0] >= 85 and covered[1] >= 98


def test_crossed_bootstrap_sees_seed_noise_and_example_noise():
    rng = np.random.default_rng(3)
    weights = np.full(LABELS.size, 1 / LABELS.size)
    by_seed, by_example = rng.normal(0, 0.1, (5, 1)), rng.normal(0, 0.3, (1, LABELS.size))

    def width(differences):
        interval = crossed_bootstrap(differences, LABELS, weights, "test").interval(0.95)
        return interval.high - interval.low

    none = np.full((5, LABELS.size), 0.1)
    seeds_only, examples_only = width(none + by_seed), width(none + by_example)
    assert width(none) == pytest.approx(0, abs=1e-12)
    assert seeds_only > 0.05 and examples_only > 0.05
    assert width(none + by_seed + by_example) > max(seeds_only, examples_only)


def test_crossed_bootstrap_estimate_is_the_weighted_mean():
    differences = np.zeros((2, LABELS.size))
    differences[:, LABELS == 1] = 1.0  # right on every positive, no change on negatives
    effect = crossed_bootstrap(differences, LABELS, BALANCED.example_weights(LABELS), "test")
    assert effect.estimate == pytest.approx(0.5)  # half of balanced accuracy is the positives'
    np.testing.assert_allclose(effect.replicates, 0.5)


# --------------------------------------------------------------------------- seeds, exact


def test_seed_t_interval_is_the_student_interval():
    interval = seed_t_interval(np.array([1.0, 2.0, 3.0]), 0.95)
    half = stats.t.ppf(0.975, 2) * 1.0 / math.sqrt(3)
    assert (interval.estimate, interval.low, interval.high) == pytest.approx(
        (2, 2 - half, 2 + half)
    )


def test_seed_t_interval_needs_two_seeds():
    interval = SeedMeans(np.array([0.3])).interval(0.95)
    assert interval.estimate == 0.3 and math.isnan(interval.low) and math.isnan(interval.high)
    assert SeedMeans(np.empty(0)).n_seeds == 0


def test_exact_values_have_no_interval():
    assert Exact(0.0, 5, 120).interval(0.99) == Interval(0.0, 0.0, 0.0, 0.99)


def test_family_confidence_is_bonferroni():
    assert family_confidence(10) == pytest.approx(0.995)
    assert family_confidence(0) == pytest.approx(0.95)
    assert statistics.RESAMPLES * (1 - family_confidence(30)) / 2 >= 15  # resamples per tail


# --------------------------------------------------------------------------- scores


def test_scores_of_logits():
    labels = np.array([0, 1, 1, 0])
    logits = np.array([[-2.0, 3.0, -1.0, 0.0], [np.nan] * 4])
    correct = BALANCED.scores(logits, labels)
    np.testing.assert_array_equal(correct[0], [1, 1, 0, 1])  # logit 0 predicts class 0
    assert np.isnan(correct[1]).all()
    loss = metric_named("cross_entropy").scores(logits[:1], labels)
    np.testing.assert_allclose(loss[0], -np.log1p(np.exp(-np.array([2.0, 3.0, -1.0, 0.0]))))


def test_a_constant_predictor_scores_half_in_balanced_accuracy_only():
    weights = BALANCED.example_weights(LABELS)
    assert BALANCED.constant_scores(0.3, LABELS) @ weights == pytest.approx(0.5)
    accuracy = METRICS["accuracy"]
    assert accuracy.constant_scores(0.3, LABELS) @ accuracy.example_weights(LABELS) == 15 / 40


def test_balanced_accuracy_needs_both_classes_and_metrics_are_named():
    with pytest.raises(ValueError, match="no example of class 1"):
        BALANCED.example_weights(np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match="unknown selection metric 'f1'"):
        metric_named("f1")


# --------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    ("kind", "low", "high", "verdict"),
    [
        ("above", 0.04, 0.2, SUPPORTED),
        ("above", -0.1, 0.02, CONTRADICTED),
        ("above", 0.0, 0.05, INCONCLUSIVE),
        ("above", 0.03, 0.05, INCONCLUSIVE),  # touching the threshold is not beyond it
        ("below", -0.1, 0.02, SUPPORTED),
        ("below", 0.04, 0.2, CONTRADICTED),
        ("below", 0.0, 0.05, INCONCLUSIVE),
        ("within", -0.02, 0.02, SUPPORTED),
        ("within", 0.03, 0.1, CONTRADICTED),
        ("within", -0.2, -0.05, CONTRADICTED),
        ("within", 0.0, 0.05, INCONCLUSIVE),
        ("above", math.nan, math.nan, INCONCLUSIVE),
    ],
)
def test_rule_regions_never_overlap(kind, low, high, verdict):
    rule = Rule(kind, 0.03, "3.0 pp")
    assert rule.decide(Interval((low + high) / 2, low, high, 0.95)) == verdict


def test_rule_says_its_regions_in_words():
    assert Rule("above", 0.03, "3.0 pp").describe() == (
        "supported if the interval lies above 3.0 pp, contradicted if it lies below 3.0 pp, "
        "else inconclusive"
    )
    assert "inside ±3.0 pp" in Rule("within", 0.03, "3.0 pp").describe()
    assert Rule("below", 1e-12, "1e-12").describe("the value").startswith("supported if the value")
    with pytest.raises(ValueError, match="unknown rule kind"):
        Rule("greater", 0.0, "0")


def test_combine_parts():
    assert combine([SUPPORTED, SUPPORTED]) == SUPPORTED
    assert combine([SUPPORTED, CONTRADICTED]) == CONTRADICTED
    assert combine([SUPPORTED, INCONCLUSIVE]) == INCONCLUSIVE
    assert combine([]) == INCONCLUSIVE


def test_formats():
    assert format_value(0.0312, "accuracy") == "+3.1 pp"
    assert format_value(math.nan, "iterations") == "n/a"
    assert format_interval(Interval(0.1, 0.05, 0.2, 0.95), "accuracy") == (
        "+10.0 pp [+5.0 pp, +20.0 pp]"
    )
    assert format_interval(Interval(0.1, math.nan, math.nan, 0.95), "nats") == "+0.100 nats"
    with pytest.raises(ValueError, match="unknown unit"):
        format_value(1.0, "furlongs")
