"""Aggregate the cells of one dataset: ``cells.csv``, ``history.csv``, ``best.json``, ``summary.md``.

The cell files are checked as they are read: an unreadable file or a missing key stops the
aggregation with an error that names the file and the command that retrains that cell, so a
corrupted result never turns into a partial summary.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import pandas as pd

from ablation.cell import DIAGNOSTICS, HISTORY_COLUMNS
from ablation.io import read_json

#: The columns identifying a cell in the aggregated tables.
KEY_COLUMNS = ["dataset", "activation", "alpha", "init", "hidden", "seed"]
#: ``cells.csv`` columns, in order. ``train_seconds`` is the only non-deterministic one.
CELL_TABLE_COLUMNS = [
    *KEY_COLUMNS,
    "status",
    "iterations",
    "diverged_at",
    "final_cost",
    "train_accuracy",
    "dev_accuracy",
    "test_accuracy",
    "train_seconds",
    *DIAGNOSTICS,
]
#: Sort order of both tables.
SORT_COLUMNS = ["activation", "init", "hidden", "seed"]
#: A configuration is a cell without its seed; seeds are averaged over.
CONFIGURATION_COLUMNS = ["activation", "init", "hidden"]
#: The selection rule of ``best.json``, stated in the file itself.
SELECTION_RULE = (
    "highest mean dev accuracy over seeds among configurations with no diverged seed; "
    "ties broken by lower mean final training cost, then by activation, init, hidden"
)
_REQUIRED_METRICS = (
    *KEY_COLUMNS,
    "status",
    "iterations_run",
    "diverged_at",
    "final_cost",
    "train_accuracy",
    "dev_accuracy",
    "test_accuracy",
    *DIAGNOSTICS,
)
_DTYPES = {
    "hidden": "int64",
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
) -> tuple[dict, pd.DataFrame]:
    """Read one cell: its ``cells.csv`` row and its history with the key columns prepended.

    Raises
    ------
    AggregationError
        A file is unreadable or lacks a key or column; the message names the file and the
        command that retrains the cell.
    """
    hint = f"Retrain this cell with: {retrain_command(metrics_path)}"
    try:
        metrics = read_json(metrics_path)
        timing = read_json(timing_path)
        history = _read_csv(history_path)
    except ValueError as error:
        raise AggregationError(f"{error}. {hint}") from error
    for path, present, required in (
        (metrics_path, metrics, _REQUIRED_METRICS),
        (timing_path, timing, ("train_seconds",)),
        (history_path, history.columns, HISTORY_COLUMNS),
    ):
        missing = [key for key in required if key not in present]
        if missing:
            raise AggregationError(f"{path} lacks {missing}. {hint}")
    row = {column: metrics.get(column) for column in CELL_TABLE_COLUMNS}
    row["iterations"] = metrics["iterations_run"]
    row["train_seconds"] = timing["train_seconds"]
    history = history[list(HISTORY_COLUMNS)].assign(**{key: row[key] for key in KEY_COLUMNS})
    return row, history


def _read_csv(path: str | os.PathLike) -> pd.DataFrame:
    try:
        return pd.read_csv(path)
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read {path}: {error}") from error


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
        One row per cell, columns :data:`CELL_TABLE_COLUMNS`, sorted by :data:`SORT_COLUMNS`.
    history : DataFrame
        One row per cell and recorded iteration: :data:`KEY_COLUMNS` then the history
        columns, sorted by :data:`SORT_COLUMNS` and iteration.
    """
    rows, histories = zip(*(read_cell(*files) for files in cell_files))
    cells = pd.DataFrame(list(rows), columns=CELL_TABLE_COLUMNS).astype(_DTYPES)
    cells = cells.sort_values(SORT_COLUMNS, kind="mergesort", ignore_index=True)
    history = pd.concat(histories, ignore_index=True)
    history = history[KEY_COLUMNS + list(HISTORY_COLUMNS)].astype(
        {key: _DTYPES[key] for key in ("alpha", "hidden", "seed")}
    )
    history = history.sort_values(SORT_COLUMNS + ["iteration"], kind="mergesort", ignore_index=True)
    return cells, history


def configuration_means(cells: pd.DataFrame) -> pd.DataFrame:
    """Per configuration (activation, init, hidden): means over seeds and diverged counts.

    Returns
    -------
    DataFrame
        Columns ``activation, alpha, init, hidden, seeds, diverged, mean_dev_accuracy,
        mean_test_accuracy, mean_train_accuracy, mean_final_cost``, sorted by configuration.
    """
    grouped = cells.groupby(CONFIGURATION_COLUMNS, sort=True)
    return grouped.agg(
        alpha=("alpha", "first"),
        seeds=("seed", "size"),
        diverged=("status", lambda status: int((status == "diverged").sum())),
        mean_dev_accuracy=("dev_accuracy", "mean"),
        mean_test_accuracy=("test_accuracy", "mean"),
        mean_train_accuracy=("train_accuracy", "mean"),
        mean_final_cost=("final_cost", "mean"),
    ).reset_index()


def ranked_configurations(cells: pd.DataFrame) -> pd.DataFrame:
    """:func:`configuration_means` of the eligible configurations, best first.

    Eligible: no diverged seed. Order: :data:`SELECTION_RULE`.
    """
    means = configuration_means(cells)
    eligible = means[(means["diverged"] == 0) & means["mean_dev_accuracy"].notna()]
    return eligible.sort_values(
        ["mean_dev_accuracy", "mean_final_cost", *CONFIGURATION_COLUMNS],
        ascending=[False, True, True, True, True],
        kind="mergesort",
        ignore_index=True,
    )


def select_best(cells: pd.DataFrame) -> dict:
    """The configuration chosen on the dev set (rule: :data:`SELECTION_RULE`).

    Returns
    -------
    dict
        The configuration, its means over seeds (including the test accuracy, reported but
        never used for the choice), and the selection rule. Raises ``ValueError`` if every
        configuration has a diverged seed or no dev accuracy.
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
        "seeds": int(best["seeds"]),
        "mean_dev_accuracy": float(best["mean_dev_accuracy"]),
        "mean_test_accuracy": float(best["mean_test_accuracy"]),
        "mean_train_accuracy": float(best["mean_train_accuracy"]),
        "mean_final_cost": float(best["mean_final_cost"]),
        "configurations_considered": int(len(ranked)),
        "selection_rule": SELECTION_RULE,
    }


def summary_markdown(cells: pd.DataFrame, best: Mapping, baseline: Mapping) -> str:
    """Plain-text summary of one dataset: the best cell, headline numbers, the baseline,
    divergence counts, and the best configuration of each activation."""
    dataset = best["dataset"]
    diverged = cells[cells["status"] == "diverged"]
    per_activation = (
        ranked_configurations(cells).groupby("activation").head(1).sort_values("activation")
    )
    lines = [
        f"# Ablation summary: {dataset}",
        "",
        f"- Cells: {len(cells)} ({len(cells) - len(diverged)} ok, {len(diverged)} diverged), "
        f"{cells['seed'].nunique()} seed(s) per configuration.",
        f"- Best configuration ({best['selection_rule']}): activation {best['activation']}, "
        f"init {best['init']}, hidden {best['hidden']}.",
        f"  - mean dev accuracy {best['mean_dev_accuracy']:.4f}, mean test accuracy "
        f"{best['mean_test_accuracy']:.4f}, mean train accuracy "
        f"{best['mean_train_accuracy']:.4f}, mean final cost {best['mean_final_cost']:.4f}.",
        f"- Best test accuracy of any cell (not a fair estimate: chosen on test): "
        f"{cells['test_accuracy'].max():.4f}.",
        f"- Logistic regression baseline: dev accuracy {_number(baseline['dev_accuracy'])}, "
        f"test accuracy {_number(baseline['test_accuracy'])}, "
        f"final cost {_number(baseline['final_cost'])}.",
        "",
        "## Best configuration per activation (mean over seeds)",
        "",
        "| activation | init | hidden | dev accuracy | test accuracy | final cost |",
        "|---|---|---|---|---|---|",
        *(
            f"| {row.activation} | {row.init} | {row.hidden} | {row.mean_dev_accuracy:.4f} "
            f"| {row.mean_test_accuracy:.4f} | {row.mean_final_cost:.4f} |"
            for row in per_activation.itertuples()
        ),
        "",
        "## Diverged cells",
        "",
    ]
    if diverged.empty:
        lines.append("None.")
    else:
        counts = diverged.groupby(["activation", "init"]).size()
        lines += ["| activation | init | diverged cells |", "|---|---|---|"]
        lines += [
            f"| {activation} | {init} | {count} |" for (activation, init), count in counts.items()
        ]
    return "\n".join(lines) + "\n"


def _number(value) -> str:
    return "n/a" if value is None else f"{value:.4f}"
