"""Intervals from the replicates of the ablation: seeds and examples.

Two kinds of effect, two kinds of interval:

- Effects measured on *predictions* (accuracy, balanced accuracy, cross-entropy of the
  networks on the test examples) have two sources of noise: the random initialization (the
  seed) and the finite test set (the examples). :func:`crossed_bootstrap` resamples both at
  once: each resample draws the seeds with replacement and, independently, the examples with
  replacement within each class, the same draws for every network and for both sides of a
  comparison, so the comparison stays paired. The effect is first averaged over the
  settings within a seed (``differences`` has one row per seed), then over the resampled
  seeds and examples; the interval is the percentile interval of the resampled effects.
  Examples are drawn within their class because the splits' class counts are fixed by design
  (a stratified dev split, a given test file), and it keeps balanced accuracy a mean of two
  recalls in every resample.
- Effects of *training dynamics* (iterations to a cost threshold, saturated share, distances
  between units) have no examples: :func:`seed_t_interval` averages over settings within a
  seed and gives a Student t interval over the seeds. With about five seeds a bootstrap
  would see only the handful of distinct seed multisets and understate the spread; the t
  interval's heavy tails at n - 1 degrees of freedom are the honest small-sample choice.

Exact checks (:class:`Exact`) are not estimates: a structural fact either holds in every
network or not, and its "interval" is the value itself.

Resampling weights are count matrices (how often each seed, each example is drawn in each
resample), so the whole bootstrap is two matrix products (:func:`resampled_means`), and the
generators are seeded from :data:`BOOTSTRAP_SEED`: the same inputs give the same intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

#: Number of bootstrap resamples. The family-wise level puts each tail near 0.08 % for a
#: table of 30 tests (:func:`family_confidence`): about 17 of 20,000 resamples per tail.
RESAMPLES = 20_000
#: Seed of every resampling stream: the intervals are the same on every run.
BOOTSTRAP_SEED = 20240607
#: Family-wise error rate of the whole claims table.
FAMILY_ERROR_RATE = 0.05
#: Resamples contracted at a time: bounds the memory of :func:`resampled_means`.
_CHUNK = 4096


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


# --------------------------------------------------------------------------- estimates


@dataclass(frozen=True)
class CrossedBootstrap:
    """An effect on predictions with its bootstrap replicates (see :func:`crossed_bootstrap`).

    ``n_seeds`` and ``n_examples`` are the replicates behind it; ``split`` names the examples.
    """

    estimate: float
    replicates: np.ndarray
    n_seeds: int
    n_examples: int
    split: str

    def interval(self, confidence: float) -> Interval:
        """The percentile interval of the replicates."""
        tail = (1 - confidence) / 2
        low, high = np.quantile(self.replicates, [tail, 1 - tail])
        return Interval(self.estimate, float(low), float(high), confidence)


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
    half = stats.t.ppf(1 - (1 - confidence) / 2, n - 1) * values.std(ddof=1) / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, confidence)


# --------------------------------------------------------------------------- resampling


def draw_counts(rng: np.random.Generator, n: int, resamples: int) -> np.ndarray:
    """How often each of ``n`` items is drawn in each of ``resamples`` draws of ``n`` with
    replacement: shape (resamples, n), integer counts summing to ``n`` per row."""
    draws = rng.integers(0, n, size=(resamples, n))
    # One bincount over all resamples: resample b's items are numbered b * n + item.
    flat = (draws + n * np.arange(resamples)[:, None]).ravel()
    return np.bincount(flat, minlength=resamples * n).reshape(resamples, n)


def seed_weights(n_seeds: int, resamples: int = RESAMPLES) -> np.ndarray:
    """How often each seed is drawn in each resample, divided by ``n_seeds``: shape
    (resamples, n_seeds), rows summing to 1."""
    rng = np.random.default_rng([BOOTSTRAP_SEED, 1, n_seeds])
    return draw_counts(rng, n_seeds, resamples) / n_seeds


def example_weights(
    labels: np.ndarray, weights: np.ndarray, resamples: int = RESAMPLES
) -> np.ndarray:
    """Resampled example weights, shape (resamples, m): each class's examples drawn with
    replacement as many times as the class has examples, times the examples' ``weights``.

    With ``weights`` summing to 1 within the metric's meaning (1/m each for accuracy; 1/(2
    n_class) for balanced accuracy), every row sums to the same total as ``weights``, and
    each class keeps its share of it.
    """
    labels = np.asarray(labels)
    rng = np.random.default_rng([BOOTSTRAP_SEED, 2, labels.size])
    counts = np.zeros((resamples, labels.size))
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        counts[:, members] = draw_counts(rng, members.size, resamples)
    return counts * weights


def resampled_means(values: np.ndarray, seeds: np.ndarray, examples: np.ndarray) -> np.ndarray:
    """Weighted means of ``values`` under every resample.

    Parameters
    ----------
    values : ndarray, shape (..., n_seeds, m)
        Per seed and example (e.g. a difference of correctness, averaged over settings).
    seeds : ndarray, shape (resamples, n_seeds)
        :func:`seed_weights`.
    examples : ndarray, shape (resamples, m)
        :func:`example_weights`.

    Returns
    -------
    ndarray, shape (..., resamples)
        ``sum_s sum_e seeds[b, s] * examples[b, e] * values[..., s, e]`` for each resample b.
    """
    *lead, n_seeds, m = values.shape
    flat = values.reshape(-1, m)
    out = np.empty((flat.shape[0] // n_seeds, seeds.shape[0]))
    for start in range(0, seeds.shape[0], _CHUNK):
        chunk = slice(start, start + _CHUNK)
        # Examples first: (rows, m) @ (m, chunk), then the seeds of each resample.
        by_example = flat @ examples[chunk].T
        by_example = by_example.reshape(-1, n_seeds, by_example.shape[-1])
        out[:, chunk] = np.einsum("ksb,bs->kb", by_example, seeds[chunk])
    return out.reshape(*lead, seeds.shape[0])


def crossed_bootstrap(
    differences: np.ndarray, labels: np.ndarray, weights: np.ndarray, split: str
) -> CrossedBootstrap:
    """The paired, crossed bootstrap of an effect on predictions.

    Parameters
    ----------
    differences : ndarray, shape (n_seeds, m)
        The effect per seed and example, already averaged over the settings within the seed
        (e.g. treatment minus control correctness).
    labels : ndarray, shape (m,)
        The examples' classes: examples are resampled within their class.
    weights : ndarray, shape (m,)
        Each example's weight in the metric (see :func:`example_weights`).
    split : str
        Name of the examples' split, for the table.
    """
    differences = np.asarray(differences, dtype=float)
    n_seeds, m = differences.shape
    estimate = float(differences.mean(axis=0) @ weights)
    replicates = resampled_means(
        differences, seed_weights(n_seeds), example_weights(labels, weights)
    )
    return CrossedBootstrap(estimate, replicates, n_seeds, m, split)
