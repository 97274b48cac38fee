"""Aggregate the cells of one dataset: ``cells.csv``, ``history.csv``, ``predictions.npz``,
``best.json``, ``summary.md``.

Both tables hold one row per trained *network* (per network and record for the history),
identified by ``dataset`` and :data:`ablation.grid.NETWORK_COLUMNS`; a cell contributes one
network per learning rate and seed. ``cells.csv`` also carries, on every row, what two
baselines score on each split: always answering the split's majority class, and logistic
regression (the ``baseline`` rule).

The cell files are checked as they are read: an unreadable file, a missing key or a network
without history or predictions stops the aggregation with an error that names the file and
the command that retrains that cell, so a corrupted result never turns into a partial summary.

Learning rates are chosen on the dev set by the selection metric (config
``selection.metric``, :data:`ablation.metrics.SELECTION_METRICS`), one per configuration
(:func:`select_learning_rates`); everything that compares configurations -- ``best.json``,
the figures, the claims -- looks at each configuration's networks at its selected rate
(:func:`at_selected_learning_rates`), one per seed. With one learning rate that is every
network.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd
from shallownet import HISTORY_KEYS, STATUS_DIVERGED, STATUS_OK

from ablation.cell import (
    DIAGNOSTICS,
    EVALUATION_KEYS,
    HISTORY_COLUMNS,
    NETWORK_KEYS,
    PREDICTION_SPLITS,
)
from ablation.grid import CELL_COLUMNS, MEMBER_COLUMNS, NETWORK_COLUMNS
from ablation.io import read_json, read_table
from ablation.metrics import (
    CONSTANT_PREDICTOR,
    DEFAULT_METRIC,
    METRIC_LABELS,
    SELECTION_METRICS,
    beats,
    constant_predictor_score,
    ranking,
    ranking_rule,
)
from ablation.prepare import SPLITS

#: The columns identifying a network in the aggregated tables.
KEY_COLUMNS = ("dataset", *NETWORK_COLUMNS)
#: What a cell's ``metrics.json`` says about all of its networks and puts in their rows.
_CELL_DESCRIPTION = ("dataset", *CELL_COLUMNS, "alpha")
#: The baseline columns of ``cells.csv``, one value per dataset repeated on every row: the
#: share of each split's majority class (what always answering it scores; its balanced
#: accuracy is 0.5), then logistic regression's accuracy and balanced accuracy on each split.
BASELINE_COLUMNS = (
    *(f"{split}_majority_accuracy" for split in SPLITS),
    *(f"{split}_logistic_accuracy" for split in SPLITS),
    *(f"{split}_logistic_balanced_accuracy" for split in SPLITS),
)
#: ``cells.csv`` columns, in order: one row per network. ``cell_train_seconds`` is the only
#: non-deterministic one: the training time of the whole cell job (every network of the
#: cell), repeated on each of the cell's rows.
CELL_TABLE_COLUMNS = (
    *KEY_COLUMNS,
    "alpha",
    "status",
    "iterations",
    "diverged_at",
    *EVALUATION_KEYS,
    "cell_train_seconds",
    *DIAGNOSTICS,
    *BASELINE_COLUMNS,
)
#: ``summary/history.csv`` columns: one row per network and recorded iteration.
HISTORY_TABLE_COLUMNS = (*KEY_COLUMNS, "alpha", *HISTORY_KEYS)
#: The arrays of ``summary/predictions.npz`` besides the network keys
#: (:data:`ablation.grid.NETWORK_COLUMNS`): each network's logits (N, m) and the labels (m,)
#: of every split of :data:`ablation.cell.PREDICTION_SPLITS`.
PREDICTION_ARRAYS = (
    *(f"{split}_logits" for split in PREDICTION_SPLITS),
    *(f"{split}_labels" for split in PREDICTION_SPLITS),
)
_DTYPES = {
    "hidden": "int64",
    "learning_rate": "float64",
    "seed": "int64",
    "iterations": "int64",
    "diverged_at": "Int64",
    "alpha": "float64",
    # A baseline that overflowed has no scores (None): NaN in the table.
    **dict.fromkeys(BASELINE_COLUMNS, "float64"),
}


def learning_rate_rule(metric: str = DEFAULT_METRIC) -> str:
    """How :func:`select_learning_rates` picks a configuration's learning rate."""
    return (
        f"among rates with no diverged seed, the learning rate with {ranking_rule(metric)}; "
        "then the smaller rate"
    )


def selection_rule(metric: str = DEFAULT_METRIC) -> str:
    """The selection rule of ``best.json``, stated in the file itself."""
    return (
        f"each configuration at its dev-selected learning rate ({learning_rate_rule(metric)}); "
        f"then, among configurations with no diverged seed, {ranking_rule(metric)}; then "
        "activation, init, hidden"
    )


class AggregationError(RuntimeError):
    """A cell's or the baseline's result files are unreadable or incomplete."""


def retrain_command(metrics_path: str | os.PathLike) -> str:
    """The command that retrains one cell (or the baseline) and redoes everything downstream."""
    return f"snakemake --cores all --forcerun {metrics_path}"


class CellFiles(NamedTuple):
    """The files of one cell that aggregation reads."""

    metrics: str | os.PathLike
    timing: str | os.PathLike
    history: str | os.PathLike
    predictions: str | os.PathLike


class Aggregated(NamedTuple):
    """One dataset's aggregated cells.

    ``cells`` (columns :data:`CELL_TABLE_COLUMNS`) and ``history``
    (:data:`HISTORY_TABLE_COLUMNS`) are sorted by :data:`ablation.grid.NETWORK_COLUMNS` (and
    iteration); ``predictions`` holds the arrays of ``summary/predictions.npz``, row ``i``
    of each ``<split>_logits`` being row ``i`` of ``cells`` (see :func:`read_predictions`).
    """

    cells: pd.DataFrame
    history: pd.DataFrame
    predictions: dict[str, np.ndarray]


def read_cell(
    files: CellFiles, labels: Mapping[str, np.ndarray]
) -> tuple[list[dict], pd.DataFrame, dict[str, np.ndarray]]:
    """Read one cell: its network rows (one per network), its history with the key columns
    filled in, and its logits on each prediction split, (networks, m), in row order.

    ``labels`` (split -> (m,)) gives the number of examples each split's logits must have.

    Raises
    ------
    AggregationError
        A file is unreadable, lacks a key, column or array, the history or predictions miss a
        network, or the predictions do not fit the data; the message names the file and the
        command that retrains the cell.
    """
    hint = f"Retrain this cell with: {retrain_command(files.metrics)}"
    try:
        metrics = read_json(files.metrics)
        timing = read_json(files.timing)
        history = read_table(files.history)
        predictions = _read_npz(files.predictions)
    except ValueError as error:
        raise AggregationError(f"{error}. {hint}") from error
    prediction_names = (*MEMBER_COLUMNS, *(f"{split}_logits" for split in PREDICTION_SPLITS))
    for path, present, required in (
        (files.metrics, metrics, (*_CELL_DESCRIPTION, "networks")),
        (files.timing, timing, ("cell_train_seconds",)),
        (files.history, history.columns, HISTORY_COLUMNS),
        (files.predictions, predictions, prediction_names),
    ):
        missing = [key for key in required if key not in present]
        if missing:
            raise AggregationError(f"{path} lacks {missing}. {hint}")
    networks = metrics["networks"]
    if not (
        isinstance(networks, list)
        and networks
        and all(isinstance(network, dict) for network in networks)
    ):
        raise AggregationError(
            f"{files.metrics}: 'networks' holds {networks!r}; expected a non-empty list of "
            f"objects, one per network. {hint}"
        )
    for index, network in enumerate(networks):
        missing = [key for key in NETWORK_KEYS if key not in network]
        if missing:
            raise AggregationError(f"{files.metrics} lacks {missing} in networks[{index}]. {hint}")
    members = [tuple(network[key] for key in MEMBER_COLUMNS) for network in networks]
    recorded = set(history[list(MEMBER_COLUMNS)].itertuples(index=False, name=None))
    if set(members) != recorded:
        raise AggregationError(
            f"{files.history} does not hold the networks ({', '.join(MEMBER_COLUMNS)}) that "
            f"{files.metrics} lists: without records {sorted(set(members) - recorded)}, not "
            f"listed {sorted(recorded - set(members))}. {hint}"
        )
    predicted = list(zip(*(predictions[key].tolist() for key in MEMBER_COLUMNS)))
    if predicted != members:
        raise AggregationError(
            f"{files.predictions} holds the networks {predicted}; expected those that "
            f"{files.metrics} lists, in its order: {members}. {hint}"
        )
    logits = {split: predictions[f"{split}_logits"] for split in PREDICTION_SPLITS}
    for split, array in logits.items():
        expected = (len(members), len(labels[split]))
        if array.shape != expected:
            raise AggregationError(
                f"{files.predictions}: {split}_logits has shape {array.shape}; expected "
                f"{expected} (networks x {split} examples of the prepared data). {hint}"
            )
    cell = {key: metrics[key] for key in _CELL_DESCRIPTION}
    rows = [
        {
            **cell,
            **network,
            "iterations": network["iterations_run"],
            "cell_train_seconds": timing["cell_train_seconds"],
        }
        for network in networks
    ]
    history = history.assign(**cell)[list(HISTORY_TABLE_COLUMNS)]
    return rows, history, logits


def read_baseline(path: str | os.PathLike) -> dict:
    """The logistic-regression baseline's ``metrics.json``, checked to hold the scores that
    ``cells.csv`` and ``summary.md`` show (an error names the file and what it lacks)."""
    hint = f"Retrain the baseline with: {retrain_command(path)}"
    try:
        baseline = read_json(path)
    except ValueError as error:
        raise AggregationError(f"{error}. {hint}") from error
    required = (
        "learning_rate",
        "final_cost",
        *(f"{split}_{kind}" for split in SPLITS for kind in ("accuracy", "balanced_accuracy")),
    )
    missing = [key for key in required if key not in baseline]
    if missing:
        raise AggregationError(f"{path} lacks {missing}. {hint}")
    return baseline


def aggregate_cells(
    cell_files: Iterable[CellFiles],
    *,
    labels: Mapping[str, np.ndarray],
    class_mix: Mapping[str, Mapping],
    baseline: Mapping,
) -> Aggregated:
    """Read every cell and build the ``cells.csv``, long ``history.csv`` and
    ``predictions.npz`` contents of one dataset.

    Parameters
    ----------
    cell_files : iterable of CellFiles
    labels : mapping
        Split -> labels (m,) of the prepared data (:func:`ablation.prepare.load_labels`).
    class_mix : mapping
        Split -> class mix (:func:`ablation.prepare.read_class_mix`): the majority columns.
    baseline : mapping
        The baseline's metrics (:func:`read_baseline`): the logistic-regression columns.

    Returns
    -------
    Aggregated
    """
    rows, histories = [], []
    logits = {split: [] for split in PREDICTION_SPLITS}
    for files in cell_files:
        cell_rows, history, cell_logits = read_cell(CellFiles(*files), labels)
        rows += cell_rows
        histories.append(history)
        for split, array in cell_logits.items():
            logits[split].append(array)
    baselines = {
        **{f"{split}_majority_accuracy": class_mix[split]["majority_accuracy"] for split in SPLITS},
        **{
            f"{split}_logistic_{kind}": baseline[f"{split}_{kind}"]
            for kind in ("accuracy", "balanced_accuracy")
            for split in SPLITS
        },
    }
    order = list(NETWORK_COLUMNS)
    cells = pd.DataFrame(rows).assign(**baselines)[list(CELL_TABLE_COLUMNS)].astype(_DTYPES)
    # The positions of the sorted rows, to put the logits in the same order.
    sorted_rows = cells.sort_values(order, kind="mergesort").index.to_numpy()
    cells = cells.iloc[sorted_rows].reset_index(drop=True)
    history = pd.concat(histories, ignore_index=True).astype(
        {key: _DTYPES[key] for key in ("alpha", *NETWORK_COLUMNS) if key in _DTYPES}
    )
    history = history.sort_values(order + ["iteration"], kind="mergesort", ignore_index=True)
    predictions = {
        **{
            f"{split}_logits": np.concatenate(parts)[sorted_rows].astype(np.float64)
            for split, parts in logits.items()
        },
        **{
            f"{split}_labels": np.asarray(labels[split], dtype=np.int64)
            for split in PREDICTION_SPLITS
        },
        **network_keys(cells),
    }
    return Aggregated(cells, history, predictions)


def network_keys(cells: pd.DataFrame) -> dict[str, np.ndarray]:
    """The :data:`ablation.grid.NETWORK_COLUMNS` of ``cells`` as typed arrays (names as
    unicode, sizes and seeds int64, learning rates float64), as ``predictions.npz`` holds
    them."""
    return {
        "activation": cells["activation"].to_numpy(dtype=str),
        "init": cells["init"].to_numpy(dtype=str),
        "hidden": cells["hidden"].to_numpy(dtype=np.int64),
        "learning_rate": cells["learning_rate"].to_numpy(dtype=np.float64),
        "seed": cells["seed"].to_numpy(dtype=np.int64),
    }


def read_predictions(path: str | os.PathLike) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Read ``summary/predictions.npz``.

    Returns
    -------
    keys : DataFrame
        Columns :data:`ablation.grid.NETWORK_COLUMNS`, one row per network in ``cells.csv``
        order.
    arrays : dict
        :data:`PREDICTION_ARRAYS`: ``dev_logits`` (N, m_dev) and ``test_logits`` (N, m_test)
        (NaN rows for diverged networks), ``dev_labels`` (m_dev,) and ``test_labels``
        (m_test,).

    Raises
    ------
    ValueError
        The file is unreadable or lacks an array; the message names it.
    """
    stored = _read_npz(path)
    missing = [name for name in (*NETWORK_COLUMNS, *PREDICTION_ARRAYS) if name not in stored]
    if missing:
        raise ValueError(f"{path} lacks the arrays {missing}")
    keys = pd.DataFrame({column: stored[column] for column in NETWORK_COLUMNS})
    arrays = {name: stored[name] for name in PREDICTION_ARRAYS}
    return keys, arrays


def _read_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` file; ``ValueError`` naming the file if it is unreadable."""
    try:
        # An open file rather than the path: np.load leaves a file it opened itself open when
        # the file turns out not to be a zip archive.
        with open(path, "rb") as stream, np.load(stream) as stored:
            return {name: stored[name] for name in stored.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"cannot read {path}: {error}") from error


def configuration_means(cells: pd.DataFrame) -> pd.DataFrame:
    """Per configuration (activation, init, hidden) and learning rate: means over seeds and
    diverged counts.

    Returns
    -------
    DataFrame
        Columns ``activation, init, hidden, learning_rate, alpha, seeds, diverged``, then
        ``mean_<score>`` for every score of :data:`ablation.cell.EVALUATION_KEYS` (e.g.
        ``mean_dev_balanced_accuracy``, ``mean_dev_cost``, ``mean_final_cost``), sorted by
        configuration and learning rate. Diverged networks have no scores: the means are over
        the others.
    """
    grouped = cells.groupby([*CELL_COLUMNS, "learning_rate"], sort=True)
    return grouped.agg(
        alpha=("alpha", "first"),
        seeds=("seed", "size"),
        diverged=("status", lambda status: int((status == STATUS_DIVERGED).sum())),
        **{f"mean_{score}": (score, "mean") for score in EVALUATION_KEYS},
    ).reset_index()


def _mean_ranking(metric: str) -> tuple[list[str], list[bool]]:
    """The ``mean_`` columns that rank configurations by ``metric`` and their ``ascending``
    flags for :meth:`pandas.DataFrame.sort_values` (:func:`ablation.metrics.ranking`)."""
    if metric not in SELECTION_METRICS:
        raise ValueError(f"selection metric {metric!r}; expected one of {list(SELECTION_METRICS)}")
    pairs = ranking(metric)
    return [f"mean_{column}" for column, _ in pairs], [not higher for _, higher in pairs]


def select_learning_rates(cells: pd.DataFrame, metric: str = DEFAULT_METRIC) -> pd.DataFrame:
    """Each configuration's learning rate, chosen on the dev set: :func:`learning_rate_rule`.

    Only dev numbers and divergence decide, never the test set. A configuration whose every
    rate has a diverged seed keeps the rate with the fewest diverged seeds (then the same
    order), so that its divergence stays visible in the figures; it is never the best
    configuration (:func:`ranked_configurations`).

    Parameters
    ----------
    cells : DataFrame
        ``cells.csv`` rows.
    metric : str
        A key of :data:`SELECTION_METRICS` (config ``selection.metric``).

    Returns
    -------
    DataFrame
        One row per configuration, sorted by configuration: :func:`configuration_means` at
        the selected ``learning_rate``.
    """
    columns, ascending = _mean_ranking(metric)
    preferred = configuration_means(cells).sort_values(
        ["diverged", *columns, "learning_rate"],
        ascending=[True, *ascending, True],
        na_position="last",
        kind="mergesort",
    )
    chosen = preferred.drop_duplicates(list(CELL_COLUMNS), keep="first")
    return chosen.sort_values(list(CELL_COLUMNS), kind="mergesort", ignore_index=True)


def at_selected_learning_rates(cells: pd.DataFrame, metric: str = DEFAULT_METRIC) -> pd.DataFrame:
    """The rows of ``cells`` at their configuration's learning rate selected by ``metric``
    (:func:`select_learning_rates`): one network per configuration and seed, in table order.
    """
    keys = [*CELL_COLUMNS, "learning_rate"]
    chosen = pd.MultiIndex.from_frame(select_learning_rates(cells, metric)[keys])
    return cells[pd.MultiIndex.from_frame(cells[keys]).isin(chosen)]


def ranked_configurations(cells: pd.DataFrame, metric: str = DEFAULT_METRIC) -> pd.DataFrame:
    """The eligible configurations at their selected learning rates, best first.

    Eligible: no diverged seed at that rate. Order: :func:`selection_rule`.
    """
    columns, ascending = _mean_ranking(metric)
    selected = select_learning_rates(cells, metric)
    eligible = selected[(selected["diverged"] == 0) & selected[columns[0]].notna()]
    return eligible.sort_values(
        [*columns, *CELL_COLUMNS],
        ascending=[*ascending, True, True, True],
        kind="mergesort",
        ignore_index=True,
    )


def select_best(cells: pd.DataFrame, metric: str = DEFAULT_METRIC) -> dict:
    """The configuration and learning rate chosen on the dev set by ``metric`` (rule:
    :func:`selection_rule`).

    Returns
    -------
    dict
        The configuration, its learning rate, the ``selection_metric``, its means over seeds
        of every score (``mean_dev_balanced_accuracy``, ``mean_test_accuracy``, ...: the
        test scores are reported, never used for the choice), and the selection rule.

    Raises
    ------
    ValueError
        Every configuration has a diverged seed or no dev score.
    """
    ranked = ranked_configurations(cells, metric)
    if ranked.empty:
        raise ValueError("no configuration trained without divergence on every seed")
    best = ranked.iloc[0]
    return {
        "dataset": cells["dataset"].iloc[0],
        "activation": best["activation"],
        "alpha": None if pd.isna(best["alpha"]) else float(best["alpha"]),
        "init": best["init"],
        "hidden": int(best["hidden"]),
        "learning_rate": float(best["learning_rate"]),
        "learning_rates_tried": sorted(cells["learning_rate"].unique().tolist()),
        "seeds": int(best["seeds"]),
        "selection_metric": metric,
        **{f"mean_{score}": float(best[f"mean_{score}"]) for score in EVALUATION_KEYS},
        "configurations_considered": int(len(ranked)),
        "selection_rule": selection_rule(metric),
    }


def compare_with_majority(best: Mapping, class_mix: Mapping[str, Mapping]) -> dict:
    """What ``best.json`` says about the majority-class baseline beside :func:`select_best`.

    Parameters
    ----------
    best : mapping
        :func:`select_best`'s result (``selection_metric`` and the ``mean_`` dev scores).
    class_mix : mapping
        Split -> class mix (:func:`ablation.prepare.read_class_mix`).

    Returns
    -------
    dict
        ``majority``: per split, ``accuracy`` (majority-class share), ``positives`` and
        ``negatives``; ``constant_predictor_dev_score``: what a constant predictor scores on
        dev in the selection metric (:func:`ablation.metrics.constant_predictor_score`);
        ``beats_majority_on_dev``: whether the selected configuration's mean dev score is
        strictly better; ``warning``: a sentence saying so when it is not, else None.
    """
    metric = best["selection_metric"]
    column, _ = SELECTION_METRICS[metric]
    value = best[f"mean_{column}"]
    reference = constant_predictor_score(class_mix, metric)
    better = beats(value, reference, metric)
    warning = None
    if not better:
        warning = (
            f"The selected configuration does not beat the majority-class baseline on the dev "
            f"set: its mean dev {METRIC_LABELS[metric]} {value:.4f} is no better than the "
            f"{reference:.4f} of {CONSTANT_PREDICTOR[metric]}. Nothing in the grid is shown "
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


def summary_markdown(
    cells: pd.DataFrame, best: Mapping, baseline: Mapping, classes: str | None = None
) -> str:
    """Plain-text summary of one dataset: the warning when the selection does not beat the
    majority-class baseline, each split's class mix, the best configuration, the baselines,
    divergence counts, and the best configuration of each activation.

    ``best`` is ``best.json`` (:func:`select_best` with :func:`compare_with_majority`),
    ``baseline`` the baseline's ``metrics.json``, ``classes`` a sentence naming the classes
    (:func:`ablation.prepare.describe_classes`) for the class-mix section.
    """
    dataset, metric = best["dataset"], best["selection_metric"]
    label = METRIC_LABELS[metric]
    diverged = cells[cells["status"] == STATUS_DIVERGED]
    trained = int((cells["status"] == STATUS_OK).sum())
    rates = sorted(cells["learning_rate"].unique())
    per_activation = (
        ranked_configurations(cells, metric).groupby("activation").head(1).sort_values("activation")
    )
    configurations = cells.drop_duplicates(list(CELL_COLUMNS))
    lines = [f"# Ablation summary: {dataset}", ""]
    if not best["beats_majority_on_dev"]:
        lines += [f"> **Warning.** {best['warning']}", ""]
    lines += [
        f"- Networks: {len(cells)} ({trained} ok, {len(diverged)} diverged) in "
        f"{len(configurations)} cells, {cells['seed'].nunique()} seed(s) x {len(rates)} "
        "learning rate(s) per cell.",
        f"- Selection metric: dev {label} (config `selection.metric: {metric}`); a constant "
        f"predictor scores {best['constant_predictor_dev_score']:.4f} on it.",
        f"- Learning rates tried: {', '.join(f'{rate:g}' for rate in rates)}.",
        f"- Selection rule: {best['selection_rule']}.",
        f"- Best configuration: activation {best['activation']}, init {best['init']}, hidden "
        f"{best['hidden']}, learning rate {best['learning_rate']:g}; beats the majority-class "
        f"baseline on dev: {'yes' if best['beats_majority_on_dev'] else '**no**'}.",
        *(
            f"  - {split}: accuracy {best[f'mean_{split}_accuracy']:.4f}, balanced accuracy "
            f"{best[f'mean_{split}_balanced_accuracy']:.4f}, cross-entropy "
            f"{best[f'mean_{cost}']:.4f} (means over seeds)"
            for split, cost in (("dev", "dev_cost"), ("test", "test_cost"), ("train", "final_cost"))
        ),
        f"- Best test accuracy of any network (not a fair estimate: chosen on test): "
        f"{cells['test_accuracy'].max():.4f}.",
        f"- Logistic regression baseline (learning rate {baseline['learning_rate']:g}): "
        + ", ".join(
            f"{split} accuracy {_number(baseline[f'{split}_accuracy'])} / balanced "
            f"{_number(baseline[f'{split}_balanced_accuracy'])}"
            for split in ("dev", "test")
        )
        + f", final cost {_number(baseline['final_cost'])}.",
        "",
        "## Class mix of each split",
        "",
        *([classes, ""] if classes else []),
        "A constant predictor scores a split's majority-class share in accuracy and 0.5 in "
        "balanced accuracy.",
        "",
        "| split | examples | positives | negatives | majority-class accuracy |",
        "|---|---|---|---|---|",
        *(
            f"| {split} | {mix['positives'] + mix['negatives']} | {mix['positives']} "
            f"| {mix['negatives']} | {mix['accuracy']:.4f} |"
            for split, mix in ((split, best["majority"][split]) for split in SPLITS)
        ),
        "",
        f"## Best configuration per activation (by dev {label}; means over seeds, at its "
        "learning rate)",
        "",
        "| activation | init | hidden | learning rate | dev accuracy | dev balanced accuracy "
        "| dev cross-entropy | test accuracy | test balanced accuracy | final cost |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *(
            f"| {row.activation} | {row.init} | {row.hidden} | {row.learning_rate:g} "
            f"| {row.mean_dev_accuracy:.4f} | {row.mean_dev_balanced_accuracy:.4f} "
            f"| {row.mean_dev_cost:.4f} | {row.mean_test_accuracy:.4f} "
            f"| {row.mean_test_balanced_accuracy:.4f} | {row.mean_final_cost:.4f} |"
            for row in per_activation.itertuples()
        ),
        "",
        "## Diverged networks",
        "",
    ]
    if diverged.empty:
        lines.append("None.")
    else:
        counts = diverged.groupby(["activation", "init", "learning_rate"]).size()
        lines += [
            "| activation | init | learning rate | diverged networks |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {activation} | {init} | {rate:g} | {count} |"
            for (activation, init, rate), count in counts.items()
        ]
    return "\n".join(lines) + "\n"


def _number(value) -> str:
    return "n/a" if value is None else f"{value:.4f}"
