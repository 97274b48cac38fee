"""One dataset's results in the shape the claims need, and the pairing of networks.

:class:`DatasetResults` holds what the workflow wrote for a dataset -- ``cells.csv``,
``configurations.csv``, ``history.csv.gz``, the selected networks' and the logistic
regression's test predictions, the baseline's ``metrics.json`` and ``best.json`` -- checks
that the pieces belong together, and derives, once, what several claims use: the networks at
their configuration's learning rate selected on dev (``cells.csv``'s ``selected``: chosen by
the aggregation, never again here), per-example test scores under the selection metric,
iterations to the cost threshold, the state at iteration 0.

A network is named by its row label in ``cells``, so a *pair* is two row labels
(:func:`pair`) and its scores are two rows of :meth:`DatasetResults.scores_of`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from shallownet import STATUS_OK

from ablation.grid import CELL_COLUMNS, NETWORK_COLUMNS, parse_activation_label
from ablation.metrics import Metric, metric_named, positive_share
from ablation.statistics import CrossedEstimate, SeedMeans, crossed_estimate

#: "Reached a low training cost": half the cost of always predicting 50 %. A network below
#: it has learned something real; in the course every non-linear network gets there.
COST_THRESHOLD = math.log(2) / 2
ZERO_INIT = "zeros"


@dataclass(frozen=True)
class DatasetResults:
    """One dataset's tables (see the module docstring).

    Parameters
    ----------
    name : str
    cells, configurations, history : DataFrame
        ``summary/cells.csv`` (with ``selected``), ``summary/configurations.csv`` and
        ``summary/history.csv.gz``, every learning rate.
    prediction_keys : DataFrame
        :data:`ablation.grid.NETWORK_COLUMNS` of each row of ``summary/predictions.npz``: the
        selected networks.
    predictions : mapping
        Its arrays: ``test_logits`` (N, m) and ``test_labels`` (m,) at least.
    baseline : mapping
        The logistic regression's ``metrics.json``.
    baseline_predictions : mapping
        Its ``predictions.npz``: ``test_logits`` (R, m), one row per replicate ``seed`` (R,).
    best : mapping
        ``best.json``: the configuration selected on dev, ``selection_metric`` (the metric
        of every effect on predictions), ``majority``.
    planar : bool
        Whether the data need a non-linear boundary (the lecture's planar flower).
    precision : {"float64", "float32"}
        The precision the networks trained in (config ``precision``): the exact checks allow
        its rounding.
    """

    name: str
    cells: pd.DataFrame
    configurations: pd.DataFrame
    history: pd.DataFrame
    prediction_keys: pd.DataFrame
    predictions: Mapping
    baseline: Mapping
    baseline_predictions: Mapping
    best: Mapping
    planar: bool = False
    precision: str = "float64"
    metric: Metric = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "metric", metric_named(self.best["selection_metric"]))
        keys = list(NETWORK_COLUMNS)
        chosen = self.cells.loc[self.cells["selected"], keys].reset_index(drop=True)
        if not self.prediction_keys[keys].reset_index(drop=True).equals(chosen):
            raise ValueError(
                f"{self.name}: the rows of predictions.npz are not the selected networks of "
                "cells.csv in the same order; rerun the aggregation of this dataset"
            )
        logits = np.asarray(self.predictions["test_logits"])
        labels = np.asarray(self.predictions["test_labels"])
        baseline = np.asarray(self.baseline_predictions["test_logits"])
        if logits.shape != (len(chosen), labels.size) or baseline.shape[-1:] != labels.shape:
            raise ValueError(
                f"{self.name}: test logits of shape {logits.shape} (networks) and "
                f"{baseline.shape} (logistic regression) do not match {len(chosen)} "
                f"selected networks x {labels.size} test labels"
            )

    # ----------------------------------------------------------------------- networks

    @cached_property
    def selected(self) -> pd.DataFrame:
        """The networks at their configuration's learning rate selected on dev (one per
        configuration and replicate), with ``base_activation`` (``leaky_relu-0.1`` ->
        ``leaky_relu``); row labels are those of :attr:`cells`."""
        return with_base_activation(self.cells[self.cells["selected"]])

    def dev_preference(self, table: pd.DataFrame) -> pd.Series:
        """Each network's own dev value of the selection metric (its replicate's dev
        examples), oriented so that higher is better."""
        column = self.metric.dev_column
        return table[column] if self.metric.higher_is_better else -table[column]

    def pooled_dev_preference(self, table: pd.DataFrame) -> pd.Series:
        """The pooled dev score of each network's configuration at its learning rate
        (``configurations.csv``), oriented so that higher is better: what the aggregation
        ranked configurations by."""
        keys = [*CELL_COLUMNS, "learning_rate"]
        scores = self.configurations.set_index(keys)[self.metric.dev_column]
        values = scores.reindex(pd.MultiIndex.from_frame(table[keys])).to_numpy()
        values = pd.Series(values, index=table.index)
        return values if self.metric.higher_is_better else -values

    # ----------------------------------------------------------------------- predictions

    @property
    def test_labels(self) -> np.ndarray:
        return np.asarray(self.predictions["test_labels"])

    @cached_property
    def _test_scores(self) -> np.ndarray:
        """Per-example test scores of the selected networks, in ``predictions.npz`` order."""
        return self.metric.scores(self.predictions["test_logits"], self.test_labels)

    def scores_of(self, rows) -> np.ndarray:
        """Per-example test scores (n, m) of the selected networks at ``rows`` of
        :attr:`cells`."""
        positions = self.selected.index.get_indexer(pd.Index(rows))
        if (positions < 0).any():
            raise ValueError(f"{self.name}: only selected networks have test predictions")
        return self._test_scores[positions]

    @cached_property
    def baseline_scores(self) -> pd.DataFrame:
        """The logistic regression's per-example test scores, one row per replicate seed."""
        scores = self.metric.scores(self.baseline_predictions["test_logits"], self.test_labels)
        seeds = np.asarray(self.baseline_predictions["seed"])
        return pd.DataFrame(np.atleast_2d(scores), index=seeds)

    @property
    def baseline_converged(self) -> bool:
        """Whether every replicate's logistic regression fits its training data better than
        the constant predictor of its class mix."""
        return all(
            replicate["beats_constant_predictor"]
            for replicate in self.baseline["replicates"].values()
        )

    @cached_property
    def constant_scores(self) -> np.ndarray:
        """Per-example test scores of the constant predictor fitted to the training split's
        class mix (``best.json``'s ``majority.train``)."""
        share = positive_share(self.best["majority"]["train"])
        return self.metric.constant_scores(share, self.test_labels)

    def paired_effect(self, pairs: pd.DataFrame) -> tuple[CrossedEstimate | None, int]:
        """Treatment minus control test scores of ``pairs`` (:func:`pair`, with ``seed``).

        Returns the crossed estimate (None when no pair is left) and the number of diverged
        networks left out with their pairs.
        """
        control = self.scores_of(pairs["control"])
        return self._effect(pairs["treatment"], control, pairs["seed"], pairs["control"])

    def effect_against(
        self, networks: pd.DataFrame, reference: np.ndarray | pd.DataFrame
    ) -> tuple[CrossedEstimate | None, int]:
        """``networks``' test scores minus a per-example ``reference``: one row for all
        (a constant predictor) or a frame with one row per seed (the logistic regression of
        each network's own replicate); paired on the examples, as :meth:`paired_effect`."""
        if isinstance(reference, pd.DataFrame):
            control = reference.loc[networks["seed"].to_numpy()].to_numpy()
        else:
            control = np.broadcast_to(reference, (len(networks), reference.size))
        return self._effect(networks.index, control, networks["seed"], ())

    def _effect(self, treatment, control: np.ndarray, seeds, control_rows):
        treated = self.scores_of(treatment)
        differences = treated - control
        usable = np.isfinite(differences).all(axis=1)
        failed = [
            row
            for rows, scores in ((treatment, treated), (control_rows, control))
            for row, ok in zip(rows, np.isfinite(scores).all(axis=1))
            if not ok
        ]
        if not usable.any():
            return None, len(set(failed))
        # The settings of a seed are averaged first: seeds, not settings, are the replicates.
        by_seed = pd.DataFrame(differences[usable]).groupby(np.asarray(seeds)[usable]).mean()
        labels = self.test_labels
        weights = self.metric.example_weights(labels)
        return crossed_estimate(by_seed.to_numpy(), labels, weights, "test"), len(set(failed))

    def test_metric(self, rows) -> np.ndarray:
        """Each network's test value of the metric, oriented (NaN for a diverged one)."""
        return self.scores_of(rows) @ self.metric.example_weights(self.test_labels)

    # ----------------------------------------------------------------------- dynamics

    @cached_property
    def keyed_history(self) -> pd.DataFrame:
        """``history`` with ``row``, the row label of each record's network in :attr:`cells`."""
        keys = list(NETWORK_COLUMNS)
        rows = self.cells[keys].reset_index(names="row")
        return self.history.merge(rows, on=keys, how="inner", validate="many_to_one")

    @cached_property
    def budget(self) -> float:
        """The training budget: the largest recorded iteration."""
        return float(self.history["iteration"].max())

    @cached_property
    def start(self) -> pd.DataFrame:
        """Each network's first history record (the state descent starts from), by row."""
        ordered = self.keyed_history.sort_values("iteration", kind="stable")
        return ordered.drop_duplicates("row").set_index("row").sort_index()

    @cached_property
    def times(self) -> pd.DataFrame:
        """Per network (by row): ``reached`` (the training cost fell to
        :data:`COST_THRESHOLD`) and ``iterations`` (the first recorded iteration where it
        did, or the budget if never: censored, as is a diverged network)."""
        history = self.keyed_history
        first = history.loc[history["cost"] <= COST_THRESHOLD].groupby("row")["iteration"].min()
        times = pd.DataFrame(index=self.cells.index)
        times["reached"] = times.index.isin(first.index)
        times["iterations"] = first.reindex(times.index).fillna(self.budget).astype(float)
        return times


def with_base_activation(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with ``base_activation``, the registry name of each activation label."""
    # Parse each distinct label once: a history has hundreds of thousands of rows.
    names = {label: parse_activation_label(label)[0] for label in table["activation"].unique()}
    return table.assign(base_activation=table["activation"].map(names))


def trained(table: pd.DataFrame) -> pd.DataFrame:
    """Networks that finished training (diverged ones have no accuracy)."""
    return table[table["status"] == STATUS_OK]


def random_init(table: pd.DataFrame) -> pd.DataFrame:
    """Networks with a random init (zero init does not train a hidden layer: claims 2, 3)."""
    return table[table["init"] != ZERO_INIT]


def pair(table: pd.DataFrame, factor: str, treatment, control, on: Sequence[str]) -> pd.DataFrame:
    """Pairs of networks of ``table`` equal in every column of ``on`` and differing in
    ``factor`` (``treatment`` against ``control``).

    Returns
    -------
    DataFrame
        One row per pair: the ``on`` columns, ``treatment`` and ``control`` (row labels of
        the two networks), sorted by ``on``.
    """
    sides = {
        side: table.loc[table[factor] == value].reset_index(names="row").set_index(list(on))["row"]
        for side, value in (("treatment", treatment), ("control", control))
    }
    for side, rows in sides.items():
        if rows.index.has_duplicates:
            raise ValueError(f"{factor}={side}: several networks share {list(on)}")
    pairs = pd.concat(sides, axis=1, join="inner").sort_index()
    return pairs.reset_index()


def seed_means(values: pd.Series, seeds: pd.Series) -> SeedMeans:
    """The mean of ``values`` within each seed (the settings of a seed averaged first)."""
    return SeedMeans(values.groupby(seeds.to_numpy(), sort=True).mean().to_numpy())
