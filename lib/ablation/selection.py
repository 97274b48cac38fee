"""What the dev set chooses, decided once and written down.

A *configuration* is an (activation, init, hidden) of the grid; at each learning rate it has
one network per replicate. Its *dev score* at a rate is the selection metric
(``selection.metric``, :data:`ablation.metrics.METRICS`) of the pooled dev predictions of its
replicates (:meth:`ablation.metrics.Metric.pooled`): with k folds, every training example
predicted once, by the replicate that did not train on it -- 209 cat images rather than one
41-image split. Only dev predictions and divergence decide, never the test set.

:func:`choose` makes every choice and returns the ``configurations.csv`` table: one row per
configuration and learning rate with its pooled dev scores, its means over replicates of the
other scores, and the choices -- ``selected`` (the configuration's learning rate:
:func:`learning_rate_rule`), ``rank`` (1 = the selected configuration of ``best.json``:
:func:`selection_rule`), ``p_value`` and ``indistinguishable`` (a one-sided paired test, on
the pooled dev predictions, of the best against each ranked configuration, family-wise at
:data:`ablation.statistics.FAMILY_ERROR_RATE`: the configurations the dev set cannot tell
from the best). Figures and claims read these columns (and ``cells.csv``'s ``selected``)
instead of choosing again.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from shallownet import STATUS_DIVERGED

from ablation.cell import EVALUATION_KEYS
from ablation.grid import CELL_COLUMNS
from ablation.metrics import METRICS, constant_predictor_score, metric_named
from ablation.statistics import FAMILY_ERROR_RATE, paired_test

#: Pooled dev scores of ``configurations.csv``, by metric name.
DEV_SCORES = {name: metric.dev_column for name, metric in METRICS.items()}
#: Means over replicates of the scores on their own training and test examples.
MEAN_SCORES = tuple(f"mean_{key}" for key in EVALUATION_KEYS if not key.startswith("dev_"))
#: ``configurations.csv`` columns, in order.
CONFIGURATION_COLUMNS = (
    *CELL_COLUMNS,
    "learning_rate",
    "alpha",
    "replicates",
    "diverged",
    *DEV_SCORES.values(),
    *MEAN_SCORES,
    "selected",
    "rank",
    "p_value",
    "indistinguishable",
)


def learning_rate_rule(metric: str) -> str:
    """How :func:`choose` picks a configuration's learning rate."""
    return (
        "among rates with no diverged replicate, the learning rate with "
        f"{metric_named(metric).ranking_rule()}; then the smaller rate"
    )


def selection_rule(metric: str) -> str:
    """How the best configuration is chosen, stated in ``best.json``."""
    return (
        f"each configuration at its dev-selected learning rate ({learning_rate_rule(metric)}); "
        f"then, among configurations with no diverged replicate, "
        f"{metric_named(metric).ranking_rule()}; then activation, init, hidden"
    )


def indistinguishable_rule(metric: str) -> str:
    """How ``indistinguishable`` is decided, stated in ``best.json``."""
    return (
        f"a one-sided paired t test of the best configuration's per-example dev "
        f"{metric_named(metric).score_name} against each other ranked configuration's, on the "
        "pooled dev predictions (stratified by class, Welch-Satterthwaite degrees of freedom); "
        f"indistinguishable unless p < {FAMILY_ERROR_RATE:g} / (configurations - 1) "
        "(Bonferroni: the family-wise chance of calling any of them worse stays below "
        f"{100 * FAMILY_ERROR_RATE:g} %)"
    )


def choose(
    cells: pd.DataFrame, dev_logits: np.ndarray, dev_labels: np.ndarray, metric: str
) -> pd.DataFrame:
    """Every configuration and learning rate with its pooled dev scores and the choices.

    Parameters
    ----------
    cells : DataFrame
        ``cells.csv`` rows (without ``selected``), one per network.
    dev_logits : ndarray, shape (N, m_dev)
        Row ``i``: network ``i``'s logits on the dev examples (NaN where its replicate does
        not predict, and for a diverged network).
    dev_labels : ndarray, shape (m_dev,)
    metric : str
        The selection metric.

    Returns
    -------
    DataFrame
        :data:`CONFIGURATION_COLUMNS`, sorted by configuration and learning rate.
    """
    chosen = metric_named(metric)
    keys = [*CELL_COLUMNS, "learning_rate"]
    rows = []
    for key, group in cells.groupby(keys, sort=True):
        logits = dev_logits[group.index.to_numpy()]
        trained = group[group["status"] != STATUS_DIVERGED]
        rows.append(
            {
                **dict(zip(keys, key)),
                "alpha": group["alpha"].iloc[0],
                "replicates": len(group),
                "diverged": len(group) - len(trained),
                **{
                    column: metric_named(name).pooled(logits, dev_labels)
                    for name, column in DEV_SCORES.items()
                },
                # pandas leaves NaN out of means (and gives NaN when every value is).
                **{column: trained[column.removeprefix("mean_")].mean() for column in MEAN_SCORES},
            }
        )
    table = ranked_by(pd.DataFrame(rows), metric)
    table["p_value"], table["indistinguishable"] = _indistinguishable(
        table, cells, dev_logits, dev_labels, chosen
    )
    return table[list(CONFIGURATION_COLUMNS)].astype({"rank": "Int64"})


def ranked_by(table: pd.DataFrame, metric: str) -> pd.DataFrame:
    """``table`` (configurations and rates with their pooled dev scores, as
    ``configurations.csv``) with ``selected`` and ``rank`` decided by ``metric``: what the
    dev set would choose under another selection metric, from the same predictions."""
    chosen = metric_named(metric)
    table = table.assign(selected=_select_learning_rates(table, chosen))
    return table.assign(rank=_rank(table, chosen))


def _preference(table: pd.DataFrame, metric) -> tuple[list[str], list[bool]]:
    """The columns that rank rows by ``metric`` and their ``ascending`` flags."""
    pairs = metric.ranking()
    return [column for column, _ in pairs], [not higher for _, higher in pairs]


def _select_learning_rates(table: pd.DataFrame, metric) -> np.ndarray:
    """Whether each row is its configuration's learning rate (:func:`learning_rate_rule`).
    A configuration whose every rate has a diverged replicate keeps the rate with the
    fewest (then the same order), so that its divergence stays visible in the figures; it is
    never ranked."""
    columns, ascending = _preference(table, metric)
    preferred = table.sort_values(
        ["diverged", *columns, "learning_rate"],
        ascending=[True, *ascending, True],
        na_position="last",
        kind="mergesort",
    )
    first = preferred.drop_duplicates(list(CELL_COLUMNS), keep="first").index
    return table.index.isin(first)


def _rank(table: pd.DataFrame, metric) -> pd.Series:
    """1, 2, ... for the selected rows with no diverged replicate and a dev score, in the
    order of :func:`selection_rule`; missing for the others."""
    columns, ascending = _preference(table, metric)
    eligible = table[table["selected"] & (table["diverged"] == 0) & table[columns[0]].notna()]
    ranked = eligible.sort_values(
        [*columns, *CELL_COLUMNS],
        ascending=[*ascending, True, True, True],
        kind="mergesort",
    )
    rank = pd.Series(pd.NA, index=table.index, dtype="Int64")
    rank[ranked.index] = np.arange(1, len(ranked) + 1)
    return rank


def _indistinguishable(table, cells, dev_logits, dev_labels, metric):
    """The p-value of the best against each ranked configuration, and whether the dev set
    cannot tell them apart (:func:`indistinguishable_rule`); the best is indistinguishable
    from itself."""
    ranked = table[table["rank"].notna()].sort_values("rank")
    p_values = pd.Series(np.nan, index=table.index)
    same = pd.Series(False, index=table.index)
    if ranked.empty:
        return p_values, same
    weights = metric.example_weights(dev_labels)
    per_example = {
        row: metric.example_scores(_dev_logits_of(cells, dev_logits, table.loc[row]), dev_labels)
        for row in ranked.index
    }
    best = ranked.index[0]
    same[best] = True
    level = FAMILY_ERROR_RATE / max(len(ranked) - 1, 1)
    for row in ranked.index[1:]:
        test = paired_test(per_example[best] - per_example[row], dev_labels, weights)
        p_values[row] = test.p_value
        same[row] = test.p_value >= level
    return p_values, same


def _dev_logits_of(cells: pd.DataFrame, dev_logits: np.ndarray, row: pd.Series) -> np.ndarray:
    """The dev logits (replicates, m_dev) of one configuration at one learning rate."""
    keys = [*CELL_COLUMNS, "learning_rate"]
    match = np.logical_and.reduce([cells[key].to_numpy() == row[key] for key in keys])
    return dev_logits[match]


def selected_networks(cells: pd.DataFrame, configurations: pd.DataFrame) -> np.ndarray:
    """Whether each row of ``cells`` is at its configuration's selected learning rate."""
    keys = [*CELL_COLUMNS, "learning_rate"]
    chosen = pd.MultiIndex.from_frame(configurations.loc[configurations["selected"], keys])
    return pd.MultiIndex.from_frame(cells[keys]).isin(chosen)


def best_configuration(
    configurations: pd.DataFrame,
    *,
    dataset: str,
    metric: str,
    dev_examples: int,
    class_mix: Mapping[str, Mapping],
) -> dict:
    """``best.json``: the configuration ranked first, its learning rate and scores, what dev
    can tell about it (``dev_examples``, ``indistinguishable``), and the majority-class
    baseline beside it (:func:`compare_with_majority`).

    Raises
    ------
    ValueError
        No configuration is ranked: every one has a diverged replicate or no dev score.
    """
    ranked = configurations[configurations["rank"].notna()].sort_values("rank")
    if ranked.empty:
        raise ValueError(
            f"{dataset}: no configuration trained without divergence on every replicate"
        )
    best = ranked.iloc[0]
    chosen = metric_named(metric)
    indistinguishable = ranked[ranked["indistinguishable"]]
    result = {
        "dataset": dataset,
        "activation": best["activation"],
        "alpha": None if pd.isna(best["alpha"]) else float(best["alpha"]),
        "init": best["init"],
        "hidden": int(best["hidden"]),
        "learning_rate": float(best["learning_rate"]),
        "learning_rates_tried": sorted(configurations["learning_rate"].unique().tolist()),
        "replicates": int(best["replicates"]),
        "dev_examples": int(dev_examples),
        "selection_metric": metric,
        **{column: float(best[column]) for column in (*DEV_SCORES.values(), *MEAN_SCORES)},
        "configurations_considered": int(len(ranked)),
        "selection_rule": selection_rule(metric),
        "indistinguishable": [
            {
                **{key: row[key] for key in ("activation", "init")},
                "hidden": int(row["hidden"]),
                "learning_rate": float(row["learning_rate"]),
                chosen.dev_column: float(row[chosen.dev_column]),
                "p_value": None if pd.isna(row["p_value"]) else float(row["p_value"]),
            }
            for _, row in indistinguishable.iterrows()
        ],
        "indistinguishable_rule": indistinguishable_rule(metric),
    }
    return result | compare_with_majority(result, class_mix)


def compare_with_majority(best: Mapping, class_mix: Mapping[str, Mapping]) -> dict:
    """What ``best.json`` says about the majority-class baseline.

    Parameters
    ----------
    best : mapping
        The selection (``selection_metric`` and its pooled dev scores).
    class_mix : mapping
        Split -> class mix (:func:`ablation.prepare.read_class_mix`).

    Returns
    -------
    dict
        ``majority``: per split, ``accuracy`` (majority-class share), ``positives`` and
        ``negatives``; ``constant_predictor_dev_score``: what a constant predictor scores on
        the dev examples in the selection metric
        (:func:`ablation.metrics.constant_predictor_score`); ``beats_majority_on_dev``:
        whether the selected configuration's dev score is strictly better; ``warning``: a
        sentence saying so when it is not, else None.
    """
    metric = metric_named(best["selection_metric"])
    value = best[metric.dev_column]
    reference = constant_predictor_score(class_mix, metric.name)
    better = metric.beats(value, reference)
    warning = None
    if not better:
        warning = (
            f"The selected configuration does not beat the majority-class baseline on the dev "
            f"set: its pooled dev {metric.label} {value:.4f} is no better than the "
            f"{reference:.4f} of {metric.constant_predictor}. Nothing in the grid is shown "
            "to have learned more than the class mix; treat the selection as no evidence."
        )
    return {
        "majority": {
            split: {
                "accuracy": mix["majority_accuracy"],
                "positives": mix["positives"],
                "negatives": mix["negatives"],
            }
            for split, mix in class_mix.items()
        },
        "constant_predictor_dev_score": reference,
        "beats_majority_on_dev": better,
        "warning": warning,
    }
