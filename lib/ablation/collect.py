"""Reading the result files of one dataset's cells and baseline, checked as they are read.

An unreadable file, a missing key or a network without history or predictions stops the
aggregation with an error that names the file and the command that retrains that cell, so a
corrupted result never turns into a partial summary.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from ablation.cell import HISTORY_COLUMNS, NETWORK_KEYS, PREDICTION_SPLITS
from ablation.grid import CELL_COLUMNS, MEMBER_COLUMNS
from ablation.io import read_json, read_table

#: What a cell's ``metrics.json`` says about all of its networks and puts in their rows.
CELL_DESCRIPTION = ("dataset", *CELL_COLUMNS, "alpha")
#: The baseline's scores that ``cells.csv`` and ``summary.md`` show: means over replicates
#: on their own training and test examples, and pooled on the dev examples.
BASELINE_SCORES = (
    *(
        f"mean_{split}_{kind}"
        for split in ("train", "test")
        for kind in ("accuracy", "balanced_accuracy")
    ),
    "mean_final_cost",
    "pooled_accuracy",
    "pooled_balanced_accuracy",
    "pooled_cost",
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


def read_cell(
    files: CellFiles, labels: Mapping[str, np.ndarray]
) -> tuple[list[dict], pd.DataFrame, dict[str, np.ndarray]]:
    """Read one cell: its network rows (one per network), its history with the cell's columns
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
        predictions = read_npz(files.predictions)
    except ValueError as error:
        raise AggregationError(f"{error}. {hint}") from error
    prediction_names = (*MEMBER_COLUMNS, *(f"{split}_logits" for split in PREDICTION_SPLITS))
    for path, present, required in (
        (files.metrics, metrics, (*CELL_DESCRIPTION, "networks")),
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
    cell = {key: metrics[key] for key in CELL_DESCRIPTION}
    rows = [
        {
            **cell,
            **network,
            "iterations": network["iterations_run"],
            "cell_train_seconds": timing["cell_train_seconds"],
        }
        for network in networks
    ]
    return rows, history.assign(**cell), logits


def read_baseline(path: str | os.PathLike) -> dict:
    """The logistic-regression baseline's ``metrics.json``, checked to hold the scores that
    ``cells.csv`` and ``summary.md`` show (an error names the file and what it lacks)."""
    hint = f"Retrain the baseline with: {retrain_command(path)}"
    try:
        baseline = read_json(path)
    except ValueError as error:
        raise AggregationError(f"{error}. {hint}") from error
    missing = [key for key in ("C", *BASELINE_SCORES) if key not in baseline]
    if missing:
        raise AggregationError(f"{path} lacks {missing}. {hint}")
    return baseline


def read_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` file; ``ValueError`` naming the file if it is unreadable."""
    try:
        # An open file rather than the path: np.load leaves a file it opened itself open when
        # the file turns out not to be a zip archive.
        with open(path, "rb") as stream, np.load(stream) as stored:
            return {name: stored[name] for name in stored.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"cannot read {path}: {error}") from error
