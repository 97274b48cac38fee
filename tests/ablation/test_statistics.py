"""The intervals keep their coverage at five replicates: simulations with a known effect.

Each simulation draws many data sets of 5 seeds x 50 test examples (17 of class 0, 33 of
class 1, the cat test set's mix) from a two-way random-effects model with a known effect,
builds the interval for each, and counts the misses in each tail separately. A tail is
allowed its nominal rate plus three binomial standard errors: tight enough that an interval
missing one side 1.5x too often fails (the negative controls below show the check failing on
constructions that undercover).
"""

import math

import numpy as np
import pytest
from scipy import stats

from ablation.metrics import metric_named
from ablation.statistics import (
    Exact,
    SeedMeans,
    crossed_estimate,
    crossed_half_width,
    crossed_parts,
    family_confidence,
    paired_test,
    satterthwaite,
    seed_t_interval,
    t_half_width,
)

LABELS = np.array([0] * 17 + [1] * 33)
WEIGHTS = metric_named("balanced_accuracy").example_weights(LABELS)
SEEDS = 5
EFFECT = 0.3
#: The family-wise level of a claims table of 40 intervals.
FAMILY_LEVEL = family_confidence(40)


def simulate(spreads, confidence, draws, half_width, seed, chunk=20_000):
    """Per-tail miss counts and their expected number: ``spreads`` are the standard
    deviations of the seed, example and seed-by-example effects; each class has its own
    mean (the balanced weights average them)."""
    rng = np.random.default_rng(seed)
    seed_spread, example_spread, interaction_spread = spreads
    class_shift = np.where(LABELS == 1, 0.2, -0.2)
    below = above = 0
    for _ in range(draws // chunk):
        differences = (
            EFFECT
            + class_shift
            + rng.normal(0, seed_spread, (chunk, SEEDS, 1))
            + rng.normal(0, example_spread, (chunk, 1, LABELS.size))
            + rng.normal(0, interaction_spread, (chunk, SEEDS, LABELS.size))
        )
        estimate, seed_variance, example_variance, example_df = crossed_parts(
            differences, LABELS, WEIGHTS
        )
        half = half_width(seed_variance, example_variance, example_df, confidence)
        below += int(np.sum(EFFECT < estimate - half))
        above += int(np.sum(EFFECT > estimate + half))
    expected = (1 - confidence) / 2 * draws
    return below, above, expected


def crossed(seed_variance, example_variance, example_df, confidence):
    return crossed_half_width(seed_variance, SEEDS, example_variance, example_df, confidence)


def single_satterthwaite(seed_variance, example_variance, example_df, confidence):
    """The rejected construction: one t quantile for the summed variance."""
    df = satterthwaite([(seed_variance, SEEDS - 1), (example_variance, example_df)])
    return t_half_width(seed_variance + example_variance, df, confidence)


def normal_quantile(seed_variance, example_variance, example_df, confidence):
    """Another undercovering construction: the normal quantile, as if there were many seeds."""
    return t_half_width(seed_variance + example_variance, math.inf, confidence)


def tail_allowance(expected):
    return expected + 3 * math.sqrt(expected)


#: Seed-dominated (planar: 5000 test points), example-dominated (cat: 50 test images), both.
SPREADS = {
    "seeds": (1.0, 0.1, 0.1),
    "examples": (0.1, 1.0, 0.1),
    "interaction": (0.1, 0.1, 1.0),
    "all": (1.0, 1.0, 1.0),
}


@pytest.mark.parametrize("spreads", SPREADS.values(), ids=SPREADS)
def test_each_tail_keeps_its_rate_at_five_seeds_and_95_percent(spreads):
    below, above, expected = simulate(spreads, 0.95, 40_000, crossed, seed=1)
    assert below <= tail_allowance(expected), (below, expected)
    assert above <= tail_allowance(expected), (above, expected)


@pytest.mark.parametrize("spreads", [SPREADS["seeds"], SPREADS["all"]], ids=["seeds", "all"])
def test_each_tail_keeps_its_rate_at_the_family_wise_level(spreads):
    # 1 - 0.05 / 40: 0.000625 per tail, 125 expected misses in 200,000 draws.
    below, above, expected = simulate(spreads, FAMILY_LEVEL, 200_000, crossed, seed=2)
    assert below <= tail_allowance(expected), (below, expected)
    assert above <= tail_allowance(expected), (above, expected)


@pytest.mark.parametrize(
    "half_width, spreads",
    [(single_satterthwaite, SPREADS["all"]), (normal_quantile, SPREADS["seeds"])],
    ids=["one-satterthwaite-t", "normal-quantile"],
)
def test_the_coverage_check_fails_constructions_that_undercover(half_width, spreads):
    below, above, expected = simulate(spreads, FAMILY_LEVEL, 200_000, half_width, seed=3)
    assert max(below, above) > tail_allowance(expected), (below, above, expected)


def test_bernoulli_correctness_differences_keep_their_coverage():
    """Differences of 0/1 correctness of two networks per seed and example, as the claims
    measure them; the true effect is the mean over a large population of such draws."""
    rng = np.random.default_rng(4)

    def draw(count):
        ability = rng.normal(0, 0.5, (count, SEEDS, 1))
        ease = rng.normal(1, 1.5, (count, 1, LABELS.size))
        noise = rng.normal(0, 0.5, (2, count, SEEDS, LABELS.size))
        treated = stats.logistic.cdf(ability + ease + 0.3 + noise[0])
        control = stats.logistic.cdf(0.8 * ability + ease + noise[1])
        return (rng.random(treated.shape) < treated).astype(float) - (
            rng.random(control.shape) < control
        )

    truth = float((draw(4000) @ WEIGHTS).mean())
    below = above = 0
    for _ in range(4):
        differences = draw(10_000)
        estimate, seed_variance, example_variance, example_df = crossed_parts(
            differences, LABELS, WEIGHTS
        )
        half = crossed(seed_variance, example_variance, example_df, 0.95)
        below += int(np.sum(truth < estimate - half))
        above += int(np.sum(truth > estimate + half))
    expected = 0.025 * 40_000
    assert below <= tail_allowance(expected) and above <= tail_allowance(expected)


def test_crossed_estimate_is_the_weighted_mean_and_names_its_replicates():
    rng = np.random.default_rng(5)
    differences = rng.normal(size=(SEEDS, LABELS.size))
    estimate = crossed_estimate(differences, LABELS, WEIGHTS, "test")
    assert estimate.estimate == pytest.approx(differences.mean(axis=0) @ WEIGHTS)
    assert (estimate.n_seeds, estimate.n_examples, estimate.split) == (5, 50, "test")
    interval = estimate.interval(0.95)
    assert interval.low < estimate.estimate < interval.high
    wider = estimate.interval(FAMILY_LEVEL)
    assert wider.low < interval.low and wider.high > interval.high


def test_one_seed_gives_no_interval():
    interval = crossed_estimate(np.ones((1, 50)), LABELS, WEIGHTS, "test").interval(0.95)
    assert interval.estimate == 1 and math.isnan(interval.low) and math.isnan(interval.high)


def test_identical_differences_give_a_point():
    interval = crossed_estimate(np.full((5, 50), 0.2), LABELS, WEIGHTS, "test").interval(0.99)
    assert interval.low == pytest.approx(0.2) and interval.high == pytest.approx(0.2)


def test_seed_t_interval_is_students():
    values = np.array([1.0, 2.0, 4.0, 3.0, 5.0])
    interval = seed_t_interval(values, 0.95)
    half = stats.t.ppf(0.975, 4) * values.std(ddof=1) / math.sqrt(5)
    assert (interval.low, interval.high) == pytest.approx((3 - half, 3 + half))
    assert SeedMeans(values).interval(0.95) == interval
    assert math.isnan(seed_t_interval(np.array([1.0]), 0.95).low)


def test_an_exact_check_is_its_own_interval():
    interval = Exact(0.0, 5, 100).interval(0.99)
    assert (interval.estimate, interval.low, interval.high) == (0, 0, 0)


def test_family_confidence_is_bonferroni():
    assert family_confidence(10) == pytest.approx(0.995)
    assert family_confidence(0) == pytest.approx(0.95)


def test_paired_test_keeps_its_level_under_the_null():
    rng = np.random.default_rng(6)
    rejections = 0
    for _ in range(4000):
        differences = rng.choice([-1.0, 0.0, 0.0, 1.0], size=LABELS.size)
        rejections += paired_test(differences, LABELS, WEIGHTS).p_value < 0.05
    # 0.05 +- 3 binomial standard errors
    assert rejections / 4000 <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / 4000)


def test_paired_test_sees_a_real_difference_and_its_edge_cases():
    rng = np.random.default_rng(7)
    better = rng.choice([0.0, 1.0], size=LABELS.size, p=[0.4, 0.6])
    assert paired_test(better, LABELS, WEIGHTS).p_value < 1e-6
    assert paired_test(np.zeros(LABELS.size), LABELS, WEIGHTS).p_value == 1.0
    assert paired_test(np.ones(LABELS.size), LABELS, WEIGHTS).p_value == 0.0
    assert paired_test(-better, LABELS, WEIGHTS).p_value > 0.99
