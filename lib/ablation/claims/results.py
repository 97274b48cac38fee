"""One dataset's results in the shape the claims need, and the pairing of networks.

:class:`DatasetResults` holds what the workflow wrote for a dataset -- ``cells.csv``,
``history.csv``, the networks' and the logistic regression's test predictions, the
baseline's ``metrics.json`` and ``best.json`` -- checks that the pieces belong together,
and derives, once, what several claims use: the networks at their configuration's learning
rate selected on dev, per-example test scores under the selection metric, iterations to
the cost threshold, the state at iteration 0.

A network is named by its row label in ``cells`` (row i of ``cells.csv`` is row i of
``summary/predictions.npz``), so a *pair* is two row labels (:func:`pair`) and its scores
are two rows of :attr:`DatasetResults.test_scores`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from shallownet import STATUS_OK

from ablation.aggregate import SELECTION_METRICS, at_selected_learning_rates
from ablation.claims.scores import Metric, metric_named, positive_share
from ablation.claims.statistics import CrossedBootstrap, SeedMeans, crossed_bootstrap
from ablation.grid import NETWORK_COLUMNS, parse_activation_label

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
    cells, history : DataFrame
        ``summary/cells.csv`` and ``summary/history.csv``, every learning rate.
    prediction_keys : DataFrame
        :data:`ablation.grid.NETWORK_COLUMNS` of each row of ``summary/predictions.npz``.
    predictions : mapping
        Its arrays: ``test_logits`` (N, m) and ``test_labels`` (m,) at least.
    baseline : mapping
        The logistic regression's ``metrics.json``.
    baseline_predictions : mapping
        Its ``predictions.npz``: ``test_logits`` (m,).
    best : mapping
        ``best.json``: the configuration selected on dev, ``selection_metric``, ``majority``.
    metric : str
        The workflow's ``selection.metric``; ``best.json`` must have been selected with it.
    planar : bool
        Whether the data need a non-linear boundary (the lecture's planar flower).
    """

    name: str
    cells: pd.DataFrame
    history: pd.DataFrame
    prediction_keys: pd.DataFrame
    predictions: Mapping
    baseline: Mapping
    baseline_predictions: Mapping
    best: Mapping
    metric_name: str
    planar: bool = False
    metric: Metric = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "metric", metric_named(self.metric_name))
        keys = list(NETWORK_COLUMNS)
        if (
            not self.prediction_keys[keys]
            .reset_index(drop=True)
            .equals(self.cells[keys].reset_index(drop=True))
        ):
            raise ValueError(
                f"{self.name}: the rows of predictions.npz are not the networks of cells.csv "
                "in the same order; rerun the aggregation of this dataset"
            )
        logits = np.asarray(self.predictions["test_logits"])
        labels = np.asarray(self.predictions["test_labels"])
        baseline = np.asarray(self.baseline_predictions["test_logits"])
        if logits.shape != (len(self.cells), labels.size) or baseline.shape != labels.shape:
            raise ValueError(
                f"{self.name}: test logits of shape {logits.shape} (networks) and "
                f"{baseline.shape} (logistic regression) do not match {len(self.cells)} "
                f"networks x {labels.size} test labels"
            )
        selected_by = self.best.get("selection_metric")
        if selected_by != self.metric_name:
            raise ValueError(
                f"{self.name}: best.json was selected by {selected_by!r}, the claims are "
                f"asked to use {self.metric_name!r}; rerun the aggregation"
            )

    # ----------------------------------------------------------------------- networks

    @cached_property
    def selected(self) -> pd.DataFrame:
        """The networks at their configuration's learning rate selected on dev (one per
        configuration and seed), with ``base_activation`` (``leaky_relu-0.1`` ->
        ``leaky_relu``); row labels are those of :attr:`cells`."""
        table = at_selected_learning_rates(self.cells, metric=self.metric_name)
        return with_base_activation(table)

    @property
    def dev_column(self) -> str:
        """The ``cells.csv`` column that selection looks at (``SELECTION_METRICS``)."""
        return SELECTION_METRICS[self.metric_name][0]

    def dev_preference(self, table: pd.DataFrame) -> pd.Series:
        """The dev selection metric of ``table``'s rows, oriented so that higher is better."""
        column, higher_is_better = SELECTION_METRICS[self.metric_name]
        return table[column] if higher_is_better else -table[column]

    # ----------------------------------------------------------------------- predictions

    @property
    def test_labels(self) -> np.ndarray:
        return np.asarray(self.predictions["test_labels"])

    @cached_property
    def test_scores(self) -> np.ndarray:
        """Per-network, per-example test scores under the metric, shape (N, m)."""
        return self.metric.scores(self.predictions["test_logits"], self.test_labels)

    @cached_property
    def baseline_scores(self) -> np.ndarray:
        """The logistic regression's per-example test scores, shape (m,)."""
        return self.metric.scores(self.baseline_predictions["test_logits"], self.test_labels)

    @cached_property
    def constant_scores(self) -> np.ndarray:
        """Per-example test scores of the constant predictor fitted to the training split's
        class mix (``best.json``'s ``majority.train``)."""
        share = positive_share(self.best["majority"]["train"])
        return self.metric.constant_scores(share, self.test_labels)

    def paired_effect(self, pairs: pd.DataFrame) -> tuple[CrossedBootstrap | None, int]:
        """Treatment minus control test scores of ``pairs`` (:func:`pair`, with ``seed``).

        Returns the paired, crossed bootstrap (None when no pair is left) and the number of
        diverged networks left out with their pairs.
        """
        control = self.test_scores[self._positions(pairs["control"])]
        return self._effect(pairs["treatment"], control, pairs["seed"], pairs["control"])

    def effect_against(
        self, networks: pd.DataFrame, reference: np.ndarray
    ) -> tuple[CrossedBootstrap | None, int]:
        """``networks``' test scores minus a fixed per-example ``reference`` (a baseline
        that has no seed), paired on the examples; as :meth:`paired_effect`."""
        control = np.broadcast_to(reference, (len(networks), reference.size))
        return self._effect(networks.index, control, networks["seed"], ())

    def _effect(self, treatment, control: np.ndarray, seeds, control_rows):
        treated = self.test_scores[self._positions(treatment)]
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
        return crossed_bootstrap(by_seed.to_numpy(), labels, weights, "test"), len(set(failed))

    def _positions(self, rows) -> np.ndarray:
        return self.cells.index.get_indexer(pd.Index(rows))

    def test_metric(self, rows) -> np.ndarray:
        """Each network's test value of the metric (NaN for a diverged one)."""
        return self.test_scores[self._positions(rows)] @ self.metric.example_weights(
            self.test_labels
        )

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
