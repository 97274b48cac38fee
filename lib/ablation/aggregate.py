"""Aggregate the cells of one dataset: ``cells.csv``, ``history.csv``, ``best.json``, ``summary.md``.

Both tables hold one row per trained *network* (per network and record for the history),
identified by ``dataset`` and :data:`ablation.grid.NETWORK_COLUMNS`; a cell contributes one
network per learning rate and seed.

The cell files are checked as they are read: an unreadable file, a missing key or a network
without history stops the aggregation with an error that names the file and the command
that retrains that cell, so a corrupted result never turns into a partial summary.

Learning rates are chosen on the dev set, one per configuration
(:func:`select_learning_rates`); everything that compares configurations -- ``best.json``,
the figures, the claims -- looks at each configuration's networks at its selected rate
(:func:`at_selected_learning_rates`), one per seed. With one learning rate that is every
network.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import pandas as pd
from shallownet import STATUS_DIVERGED, STATUS_OK
from shallownet.training import HISTORY_KEYS

from ablation.cell import DIAGNOSTICS, HISTORY_COLUMNS, NETWORK_KEYS
from ablation.grid import CELL_COLUMNS, MEMBER_COLUMNS, NETWORK_COLUMNS
from ablation.io import read_json, read_table

#: The columns identifying a network in the aggregated tables.
KEY_COLUMNS = ("dataset", *NETWORK_COLUMNS)
#: What a cell's ``metrics.json`` says about all of its networks and puts in their rows.
_CELL_DESCRIPTION = ("dataset", *CELL_COLUMNS, "alpha")
#: ``cells.csv`` columns, in order: one row per network. ``cell_train_seconds`` is the only
#: non-deterministic one: the training time of the whole cell job (every network of the
#: cell), repeated on each of the cell's rows.
CELL_TABLE_COLUMNS = (
    *KEY_COLUMNS,
    "alpha",
    "status",
    "iterations",
    "diverged_at",
    "final_cost",
    "train_accuracy",
    "dev_accuracy",
    "test_accuracy",
    "cell_train_seconds",
    *DIAGNOSTICS,
)
#: ``summary/history.csv`` columns: one row per network and recorded iteration.
HISTORY_TABLE_COLUMNS = (*KEY_COLUMNS, "alpha", *HISTORY_KEYS)
#: How :func:`select_learning_rates` picks a configuration's learning rate.
LEARNING_RATE_RULE = (
    "the learning rate with the highest mean dev accuracy over seeds among rates with no "
    "diverged seed; ties broken by lower mean final training cost, then by the smaller rate"
)
#: The selection rule of ``best.json``, stated in the file itself.
SELECTION_RULE = (
    f"each configuration at its dev-selected learning rate ({LEARNING_RATE_RULE}); then the "
    "highest mean dev accuracy over seeds among configurations with no diverged seed; "
    "ties broken by lower mean final training cost, then by activation, init, hidden"
)
_DTYPES = {
    "hidden": "int64",
    "learning_rate": "float64",
    "seed": "int64",
    "iterations": "int64",
    "diverged_at": "Int64",
    "alpha": "float64",
}


class AggregationError(RuntimeError):
    """A cell's result files are unreadable or incomplete."""


def retrain_command(metrics_path: str | os.PathLike) -> str:
    """The command that retrains one cell and redoes everything downstream of it."""
    return f"snakemake --cores all --forcerun {metrics_path}"


def read_cell(
    metrics_path: str | os.PathLike,
    timing_path: str | os.PathLike,
    history_path: str | os.PathLike,
) -> tuple[list[dict], pd.DataFrame]:
    """Read one cell: its ``cells.csv`` rows (one per network) and its history with the key
    columns filled in.

    Raises
    ------
    AggregationError
        A file is unreadable, lacks a key or column, or the history misses a network; the
        message names the file and the command that retrains the cell.
    """
    hint = f"Retrain this cell with: {retrain_command(metrics_path)}"
    try:
        metrics = read_json(metrics_path)
        timing = read_json(timing_path)
        history = read_table(history_path)
    except ValueError as error:
        raise AggregationError(f"{error}. {hint}") from error
    for path, present, required in (
        (metrics_path, metrics, (*_CELL_DESCRIPTION, "networks")),
        (timing_path, timing, ("cell_train_seconds",)),
        (history_path, history.columns, HISTORY_COLUMNS),
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
            f"{metrics_path}: 'networks' holds {networks!r}; expected a non-empty list of "
            f"objects, one per network. {hint}"
        )
    for index, network in enumerate(networks):
        missing = [key for key in NETWORK_KEYS if key not in network]
        if missing:
            raise AggregationError(f"{metrics_path} lacks {missing} in networks[{index}]. {hint}")
    listed = {tuple(network[key] for key in MEMBER_COLUMNS) for network in networks}
    recorded = set(history[list(MEMBER_COLUMNS)].itertuples(index=False, name=None))
    if listed != recorded:
        raise AggregationError(
            f"{history_path} does not hold the networks ({', '.join(MEMBER_COLUMNS)}) that "
            f"{metrics_path} lists: without records {sorted(listed - recorded)}, not listed "
            f"{sorted(recorded - listed)}. {hint}"
        )
    cell = {key: metrics[key] for key in _CELL_DESCRIPTION}
    rows = []
    for network in networks:
        row = {
            **cell,
            **network,
            "iterations": network["iterations_run"],
            "cell_train_seconds": timing["cell_train_seconds"],
        }
        rows.append({column: row[column] for column in CELL_TABLE_COLUMNS})
    history = history.assign(**cell)[list(HISTORY_TABLE_COLUMNS)]
    return rows, history


def aggregate_cells(
    cell_files: Sequence[tuple[str | os.PathLike, str | os.PathLike, str | os.PathLike]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every cell and build the ``cells.csv`` and long ``history.csv`` tables.

    Parameters
    ----------
    cell_files : sequence of (metrics path, timing path, history path)

    Returns
    -------
    cells : DataFrame
        One row per network, columns :data:`CELL_TABLE_COLUMNS`, sorted by
        :data:`ablation.grid.NETWORK_COLUMNS`.
    history : DataFrame
        One row per network and recorded iteration, columns :data:`HISTORY_TABLE_COLUMNS`,
        sorted by :data:`ablation.grid.NETWORK_COLUMNS` and iteration.
    """
    rows, histories = [], []
    for files in cell_files:
        cell_rows, history = read_cell(*files)
        rows += cell_rows
        histories.append(history)
    order = list(NETWORK_COLUMNS)
    cells = pd.DataFrame(rows, columns=list(CELL_TABLE_COLUMNS)).astype(_DTYPES)
    cells = cells.sort_values(order, kind="mergesort", ignore_index=True)
    history = pd.concat(histories, ignore_index=True).astype(
        {key: _DTYPES[key] for key in ("alpha", *NETWORK_COLUMNS) if key in _DTYPES}
    )
    history = history.sort_values(order + ["iteration"], kind="mergesort", ignore_index=True)
    return cells, history


def configuration_means(cells: pd.DataFrame) -> pd.DataFrame:
    """Per configuration (activation, init, hidden) and learning rate: means over seeds and
    diverged counts.

    Returns
    -------
    DataFrame
        Columns ``activation, init, hidden, learning_rate, alpha, seeds, diverged,
        mean_dev_accuracy, mean_test_accuracy, mean_train_accuracy, mean_final_cost``, sorted
        by configuration and learning rate.
    """
    grouped = cells.groupby([*CELL_COLUMNS, "learning_rate"], sort=True)
    return grouped.agg(
        alpha=("alpha", "first"),
        seeds=("seed", "size"),
        diverged=("status", lambda status: int((status == STATUS_DIVERGED).sum())),
        mean_dev_accuracy=("dev_accuracy", "mean"),
        mean_test_accuracy=("test_accuracy", "mean"),
        mean_train_accuracy=("train_accuracy", "mean"),
        mean_final_cost=("final_cost", "mean"),
    ).reset_index()


def select_learning_rates(cells: pd.DataFrame) -> pd.DataFrame:
    """Each configuration's learning rate, chosen on the dev set: :data:`LEARNING_RATE_RULE`.

    Only training and dev numbers decide (divergence, dev accuracy, final training cost),
    never the test set. A configuration whose every rate has a diverged seed keeps the rate
    with the fewest diverged seeds (then the same order), so that its divergence stays
    visible in the figures; it is never the best configuration (:func:`ranked_configurations`).

    Returns
    -------
    DataFrame
        One row per configuration, sorted by configuration: :func:`configuration_means` at
        the selected ``learning_rate``.
    """
    means = configuration_means(cells)
    preferred = means.sort_values(
        ["diverged", "mean_dev_accuracy", "mean_final_cost", "learning_rate"],
        ascending=[True, False, True, True],
        na_position="last",
        kind="mergesort",
    )
    chosen = preferred.drop_duplicates(list(CELL_COLUMNS), keep="first")
    return chosen.sort_values(list(CELL_COLUMNS), kind="mergesort", ignore_index=True)


def at_selected_learning_rates(cells: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``cells`` at their configuration's selected learning rate
    (:func:`select_learning_rates`): one network per configuration and seed, in table order.
    """
    keys = [*CELL_COLUMNS, "learning_rate"]
    chosen = pd.MultiIndex.from_frame(select_learning_rates(cells)[keys])
    return cells[pd.MultiIndex.from_frame(cells[keys]).isin(chosen)]


def ranked_configurations(cells: pd.DataFrame) -> pd.DataFrame:
    """The eligible configurations at their selected learning rates, best first.

    Eligible: no diverged seed at that rate. Order: :data:`SELECTION_RULE`.
    """
    selected = select_learning_rates(cells)
    eligible = selected[(selected["diverged"] == 0) & selected["mean_dev_accuracy"].notna()]
    return eligible.sort_values(
        ["mean_dev_accuracy", "mean_final_cost", *CELL_COLUMNS],
        ascending=[False, True, True, True, True],
        kind="mergesort",
        ignore_index=True,
    )


def select_best(cells: pd.DataFrame) -> dict:
    """The configuration and learning rate chosen on the dev set (rule: :data:`SELECTION_RULE`).

    Returns
    -------
    dict
        The configuration, its learning rate, its means over seeds (including the test
        accuracy, reported but never used for the choice), and the selection rule. Raises
        ``ValueError`` if every configuration has a diverged seed or no dev accuracy.
    """
    ranked = ranked_configurations(cells)
    if ranked.empty:
        raise ValueError("no configuration trained without divergence on every seed")
    best = ranked.iloc[0]
    dataset = cells["dataset"].iloc[0]
    return {
        "dataset": dataset,
        "activation": best["activation"],
        "alpha": None if pd.isna(best["alpha"]) else float(best["alpha"]),
        "init": best["init"],
        "hidden": int(best["hidden"]),
        "learning_rate": float(best["learning_rate"]),
        "learning_rates_tried": sorted(cells["learning_rate"].unique().tolist()),
        "seeds": int(best["seeds"]),
        "mean_dev_accuracy": float(best["mean_dev_accuracy"]),
        "mean_test_accuracy": float(best["mean_test_accuracy"]),
        "mean_train_accuracy": float(best["mean_train_accuracy"]),
        "mean_final_cost": float(best["mean_final_cost"]),
        "configurations_considered": int(len(ranked)),
        "selection_rule": SELECTION_RULE,
    }


def summary_markdown(cells: pd.DataFrame, best: Mapping, baseline: Mapping) -> str:
    """Plain-text summary of one dataset: the best configuration, headline numbers, the
    baseline, divergence counts, and the best configuration of each activation."""
    dataset = best["dataset"]
    diverged = cells[cells["status"] == STATUS_DIVERGED]
    trained = int((cells["status"] == STATUS_OK).sum())
    rates = sorted(cells["learning_rate"].unique())
    per_activation = (
        ranked_configurations(cells).groupby("activation").head(1).sort_values("activation")
    )
    configurations = cells.drop_duplicates(list(CELL_COLUMNS))
    lines = [
        f"# Ablation summary: {dataset}",
        "",
        f"- Networks: {len(cells)} ({trained} ok, {len(diverged)} diverged) in "
        f"{len(configurations)} cells, {cells['seed'].nunique()} seed(s) x {len(rates)} "
        "learning rate(s) per cell.",
        f"- Learning rates tried: {', '.join(f'{rate:g}' for rate in rates)}; each "
        f"configuration is compared at {LEARNING_RATE_RULE}.",
        f"- Best configuration ({best['selection_rule']}): activation {best['activation']}, "
        f"init {best['init']}, hidden {best['hidden']}, learning rate {best['learning_rate']:g}.",
        f"  - mean dev accuracy {best['mean_dev_accuracy']:.4f}, mean test accuracy "
        f"{best['mean_test_accuracy']:.4f}, mean train accuracy "
        f"{best['mean_train_accuracy']:.4f}, mean final cost {best['mean_final_cost']:.4f}.",
        f"- Best test accuracy of any network (not a fair estimate: chosen on test): "
        f"{cells['test_accuracy'].max():.4f}.",
        f"- Logistic regression baseline (learning rate {baseline['learning_rate']:g}): "
        f"dev accuracy {_number(baseline['dev_accuracy'])}, "
        f"test accuracy {_number(baseline['test_accuracy'])}, "
        f"final cost {_number(baseline['final_cost'])}.",
        "",
        "## Best configuration per activation (mean over seeds, at its learning rate)",
        "",
        "| activation | init | hidden | learning rate | dev accuracy | test accuracy "
        "| final cost |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {row.activation} | {row.init} | {row.hidden} | {row.learning_rate:g} "
            f"| {row.mean_dev_accuracy:.4f} | {row.mean_test_accuracy:.4f} "
            f"| {row.mean_final_cost:.4f} |"
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
