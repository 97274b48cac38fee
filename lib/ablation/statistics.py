"""Intervals and tests from the replicates of the ablation: seeds and examples.

Every effect is a mean over *replicates* (a seed: a data split and initial weights) and, for
effects on predictions, over *examples*. Both are samples: another run would draw other
seeds, and the test set is a sample of the examples the claim is about. The intervals here
are closed-form, studentized, and keep their coverage at the handful of replicates a run has
(five by default), where a bootstrap over seeds sees only the few distinct resamples of five
values and understates the spread. ``tests/ablation/test_statistics.py`` simulates data with
a known effect and checks each tail's miss rate at five replicates.

- :func:`crossed_estimate` -- an effect on predictions, ``differences[s, e]`` per seed and
  example (already averaged over the settings within a seed), weighted over the examples by
  the metric. Its variance has two parts: the seeds' (variance of the per-seed effects / S)
  and the examples' (the variance, within each class, of the per-example effects averaged
  over seeds, times the squared weights: the examples are drawn within their class, as the
  splits are stratified), less the seed-by-example interaction that the seeds' part already
  counts (two-way clustering: Cameron, Gelbach and Miller 2011). Each part's half-width is
  taken at its own Student t quantile -- S - 1 degrees of freedom for the seeds, the
  examples' Welch-Satterthwaite degrees of freedom for the examples -- and the two are added
  in quadrature (:func:`crossed_half_width`).
- :class:`SeedMeans` -- an effect of training dynamics (iterations to a cost, a saturated
  share): one value per seed, a Student t interval with S - 1 degrees of freedom.
- :class:`Exact` -- a structural fact checked in every network: no noise, no interval.
- :func:`paired_test` -- a one-sided paired test over examples (stratified, t with
  Welch-Satterthwaite degrees of freedom): does one classifier score higher than another on
  the same examples?

None of them resamples, so no bound carries a Monte Carlo error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

#: Family-wise error rate of the claims table and of the configurations indistinguishable
#: from the selected one.
FAMILY_ERROR_RATE = 0.05


@dataclass(frozen=True)
class Interval:
    """An estimate with its interval at ``confidence``."""

    estimate: float
    low: float
    high: float
    confidence: float


def family_confidence(intervals: int, error_rate: float = FAMILY_ERROR_RATE) -> float:
    """Bonferroni: the level of each of ``intervals`` intervals that bounds the chance of any
    false verdict by ``error_rate``.

    >>> family_confidence(10)
    0.995
    """
    if intervals < 1:
        return 1 - error_rate
    return 1 - error_rate / intervals


def t_interval(estimate: float, variance: float, df: float, confidence: float) -> Interval:
    """``estimate`` +- t quantile x sqrt(``variance``); NaN bounds without a variance."""
    if not (np.isfinite(variance) and df > 0):
        return Interval(estimate, math.nan, math.nan, confidence)
    half = t_half_width(variance, df, confidence)
    return Interval(estimate, estimate - half, estimate + half, confidence)


def t_half_width(variance, df, confidence: float):
    """Half the width of a Student t interval (arrays broadcast; infinite df is normal)."""
    return stats.t.ppf(1 - (1 - confidence) / 2, df) * np.sqrt(np.maximum(variance, 0.0))


def satterthwaite(parts: list[tuple]) -> np.ndarray:
    """Welch-Satterthwaite degrees of freedom of a sum of variance estimates, each given as
    ``(variance, its degrees of freedom)`` (arrays broadcast); infinite for a sum of zeros."""
    total = sum(np.asarray(variance, dtype=float) for variance, _ in parts)
    denominator = 0.0
    for variance, df in parts:
        variance, df = np.asarray(variance, dtype=float), np.asarray(df, dtype=float)
        usable = (variance > 0) & (df > 0)
        denominator = denominator + np.where(usable, variance**2 / np.where(usable, df, 1.0), 0.0)
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, total**2 / safe, np.inf)


def class_strata(labels: np.ndarray) -> list[np.ndarray]:
    """The positions of each class's examples (the strata the examples are drawn within)."""
    labels = np.asarray(labels).ravel()
    return [np.flatnonzero(labels == label) for label in np.unique(labels)]


def stratified_variance(values: np.ndarray, labels: np.ndarray, weights: np.ndarray):
    """Variance of the weighted sum ``values @ weights`` over a draw of the examples within
    their classes, and its degrees of freedom: ``sum over classes of n_c w_c^2 s_c^2``
    (``weights`` equal within a class; s_c^2 the sample variance of the class's values).

    ``values`` may have leading axes (one row per estimate); returns arrays then.
    """
    values = np.asarray(values, dtype=float)
    variance = np.zeros(values.shape[:-1])
    parts = []
    for members in class_strata(labels):
        if members.size < 2:
            continue
        weight = weights[members[0]]
        part = members.size * weight**2 * np.var(values[..., members], axis=-1, ddof=1)
        variance = variance + part
        parts.append((part, members.size - 1))
    return variance, parts


@dataclass(frozen=True)
class CrossedEstimate:
    """An effect on predictions (see :func:`crossed_estimate`).

    ``seed_variance`` and ``example_variance`` are the two parts of the estimate's variance,
    ``example_df`` the examples' degrees of freedom; ``n_seeds`` and ``n_examples`` are the
    replicates behind it, ``split`` names the examples.
    """

    estimate: float
    seed_variance: float
    example_variance: float
    example_df: float
    n_seeds: int
    n_examples: int
    split: str

    def interval(self, confidence: float) -> Interval:
        """The interval of :func:`crossed_half_width`."""
        if self.n_seeds < 2:
            return Interval(self.estimate, math.nan, math.nan, confidence)
        half = float(
            crossed_half_width(
                self.seed_variance, self.n_seeds, self.example_variance, self.example_df, confidence
            )
        )
        return Interval(self.estimate, self.estimate - half, self.estimate + half, confidence)


def crossed_half_width(seed_variance, n_seeds, example_variance, example_df, confidence: float):
    """Half the width of a crossed interval: the seeds' and the examples' half-widths, each at
    its own Student t quantile (S - 1 and the examples' degrees of freedom), added in
    quadrature. (A single Welch-Satterthwaite t for the sum undercovers at five seeds when
    both parts matter: 4x the nominal rate in a tail at the family-wise level, in the
    simulations of tests/ablation/test_statistics.py.)"""
    seed_half = t_half_width(seed_variance, n_seeds - 1, confidence)
    example_half = t_half_width(example_variance, example_df, confidence)
    return np.sqrt(seed_half**2 + example_half**2)


def crossed_estimate(
    differences: np.ndarray, labels: np.ndarray, weights: np.ndarray, split: str
) -> CrossedEstimate:
    """The effect ``sum_e weights[e] mean_s differences[s, e]`` with its variance over seeds
    and examples.

    Parameters
    ----------
    differences : ndarray, shape (n_seeds, m)
        The effect per seed and example, already averaged over the settings within the seed
        (e.g. treatment minus control correctness).
    labels : ndarray, shape (m,)
        The examples' classes: the examples are drawn within their class.
    weights : ndarray, shape (m,)
        Each example's weight in the metric (``ablation.metrics.Metric.example_weights``),
        equal within a class.
    split : str
        Name of the examples' split, for the table.
    """
    differences = np.asarray(differences, dtype=float)
    n_seeds, m = differences.shape
    parts = crossed_parts(differences, labels, weights)
    return CrossedEstimate(*(float(value) for value in parts), n_seeds, m, split)


def crossed_parts(differences: np.ndarray, labels: np.ndarray, weights: np.ndarray):
    """:func:`crossed_estimate`'s estimate, seed variance, example variance and example
    degrees of freedom, for ``differences`` of shape (..., n_seeds, m): one set of arrays
    per leading index (the coverage simulations estimate thousands at once).

    The seeds' part is the variance of the per-seed effects over S; the examples' part the
    stratified variance of the per-example effects averaged over seeds, less the
    seed-by-example interaction, which the seeds' part already counts (Cameron, Gelbach and
    Miller's two-way clustering; floored at 0).
    """
    n_seeds = differences.shape[-2]
    per_seed = differences @ weights
    estimate = per_seed.mean(axis=-1)
    if n_seeds < 2:
        nan = np.full(estimate.shape, np.nan)
        return estimate, nan, nan, nan
    seed_variance = np.var(per_seed, axis=-1, ddof=1) / n_seeds
    example_variance, example_parts = stratified_variance(
        differences.mean(axis=-2), labels, weights
    )
    # The interaction: what is left of each difference after its seed's and its example's
    # means; its variance / n_seeds is in both parts above.
    residuals = (
        differences
        - differences.mean(axis=-1, keepdims=True)
        - differences.mean(axis=-2, keepdims=True)
        + differences.mean(axis=(-2, -1), keepdims=True)
    )
    interaction = np.zeros(estimate.shape)
    for members in class_strata(labels):
        if members.size < 2:
            continue
        spread = np.sum(residuals[..., members] ** 2, axis=(-2, -1)) / (
            (n_seeds - 1) * (members.size - 1)
        )
        interaction = interaction + members.size * weights[members[0]] ** 2 * spread / n_seeds
    example_df = satterthwaite(example_parts)
    return estimate, seed_variance, np.maximum(example_variance - interaction, 0.0), example_df


@dataclass(frozen=True)
class SeedMeans:
    """An effect on training dynamics: one value per seed (each the mean over settings)."""

    values: np.ndarray

    @property
    def estimate(self) -> float:
        return float(np.mean(self.values)) if self.n_seeds else math.nan

    @property
    def n_seeds(self) -> int:
        return int(self.values.size)

    n_examples = 0
    split = ""

    def interval(self, confidence: float) -> Interval:
        """Student t interval over the seeds (NaN bounds with fewer than two seeds)."""
        return seed_t_interval(self.values, confidence)


@dataclass(frozen=True)
class Exact:
    """A value checked exactly over ``n_networks`` networks of ``n_seeds`` seeds: no noise."""

    value: float
    n_seeds: int
    n_networks: int

    n_examples = 0
    split = ""

    @property
    def estimate(self) -> float:
        return self.value

    def interval(self, confidence: float) -> Interval:
        return Interval(self.value, self.value, self.value, confidence)


def seed_t_interval(values: np.ndarray, confidence: float) -> Interval:
    """Mean of the per-seed ``values`` with its Student t interval (n - 1 degrees of freedom)."""
    values = np.asarray(values, dtype=float)
    n = values.size
    mean = float(values.mean()) if n else math.nan
    if n < 2:
        return Interval(mean, math.nan, math.nan, confidence)
    return t_interval(mean, float(values.var(ddof=1)) / n, n - 1, confidence)


@dataclass(frozen=True)
class PairedTest:
    """A one-sided paired test over examples: ``estimate`` (weighted mean difference), its
    ``standard_error``, ``df`` and ``p_value`` of "the difference is not above 0"."""

    estimate: float
    standard_error: float
    df: float
    p_value: float


def paired_test(differences: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> PairedTest:
    """Is ``differences @ weights`` (e.g. per-example scores of one classifier minus
    another's on the same examples) above 0? Stratified by class, Student t with
    Welch-Satterthwaite degrees of freedom. Differences that are all 0 give p = 1; a
    difference without any spread gives p = 0 if it is positive."""
    differences = np.asarray(differences, dtype=float)
    estimate = float(differences @ weights)
    variance, parts = stratified_variance(differences, labels, weights)
    variance = float(variance)
    if variance <= 0:
        return PairedTest(estimate, 0.0, math.inf, 0.0 if estimate > 0 else 1.0)
    df = satterthwaite(parts)
    error = math.sqrt(variance)
    return PairedTest(estimate, error, df, float(stats.t.sf(estimate / error, df)))
