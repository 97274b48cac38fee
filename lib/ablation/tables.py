"""One dataset's cells as tables: ``cells.csv``, the long ``history.csv.gz`` and the networks'
predictions.

Both tables hold one row per trained *network* (per network and record for the history),
identified by ``dataset`` and :data:`ablation.grid.NETWORK_COLUMNS`; a cell contributes one
network per learning rate and replicate (seed). ``cells.csv`` also carries, on every row,
what two baselines score on each split: always answering the split's majority class, and
logistic regression (the ``baseline`` rule), and whether the network is at its
configuration's learning rate selected on dev (``selected``, :mod:`ablation.selection`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd
from shallownet import HISTORY_KEYS

from ablation.cell import DIAGNOSTICS, EVALUATION_KEYS, PREDICTION_SPLITS
from ablation.collect import CellFiles, read_cell, read_npz
from ablation.grid import NETWORK_COLUMNS
from ablation.prepare import SPLITS

#: The columns identifying a network in the aggregated tables.
KEY_COLUMNS = ("dataset", *NETWORK_COLUMNS)
#: The baseline columns of ``cells.csv``, one value per dataset repeated on every row: the
#: share of each split's majority class (what always answering it scores; its balanced
#: accuracy is 0.5), then logistic regression's accuracy and balanced accuracy on each split
#: (means over replicates on train and test, pooled over them on dev).
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
    "selected",
    "status",
    "iterations",
    "diverged_at",
    *EVALUATION_KEYS,
    "cell_train_seconds",
    *DIAGNOSTICS,
    "linear_gap",
    *BASELINE_COLUMNS,
)
#: ``summary/history.csv.gz`` columns: one row per network and recorded iteration.
HISTORY_TABLE_COLUMNS = (*KEY_COLUMNS, "alpha", *HISTORY_KEYS)
#: The arrays of ``summary/predictions.npz`` besides the network keys
#: (:data:`ablation.grid.NETWORK_COLUMNS`): each selected network's logits (N, m) on every
#: dev example (NaN on those its replicate does not predict) and test example, and the
#: labels (m,) of both.
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
    "linear_gap": "float64",
    # A baseline without scores (None): NaN in the table.
    **dict.fromkeys(BASELINE_COLUMNS, "float64"),
}


class Aggregated(NamedTuple):
    """One dataset's aggregated cells.

    ``cells`` (columns :data:`CELL_TABLE_COLUMNS` but ``selected``) and ``history``
    (:data:`HISTORY_TABLE_COLUMNS`) are sorted by :data:`ablation.grid.NETWORK_COLUMNS` (and
    iteration); ``logits`` holds every network's ``<split>_logits``, row ``i`` being row ``i``
    of ``cells``, and ``labels`` each prediction split's labels.
    """

    cells: pd.DataFrame
    history: pd.DataFrame
    logits: dict[str, np.ndarray]
    labels: dict[str, np.ndarray]


def aggregate_cells(
    cell_files: Iterable[CellFiles],
    *,
    labels: Mapping[str, np.ndarray],
    class_mix: Mapping[str, Mapping],
    baseline: Mapping,
) -> Aggregated:
    """Read every cell and build the ``cells.csv`` (without ``selected``), long
    ``history.csv.gz`` and logits of one dataset.

    Parameters
    ----------
    cell_files : iterable of CellFiles
    labels : mapping
        Split -> labels (m,) of the prepared data (:func:`ablation.prepare.load_labels`).
    class_mix : mapping
        Split -> class mix (:func:`ablation.prepare.read_class_mix`): the majority columns.
    baseline : mapping
        The baseline's metrics (:func:`ablation.collect.read_baseline`): the
        logistic-regression columns.

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
    logistic = {
        "train": "mean_train_{}",
        "dev": "pooled_{}",
        "test": "mean_test_{}",
    }
    baselines = {
        **{f"{split}_majority_accuracy": class_mix[split]["majority_accuracy"] for split in SPLITS},
        **{
            f"{split}_logistic_{kind}": baseline[logistic[split].format(kind)]
            for kind in ("accuracy", "balanced_accuracy")
            for split in SPLITS
        },
    }
    columns = [column for column in CELL_TABLE_COLUMNS if column != "selected"]
    order = list(NETWORK_COLUMNS)
    cells = pd.DataFrame(rows).assign(**baselines)[columns].astype(_DTYPES)
    # The positions of the sorted rows, to put the logits in the same order.
    sorted_rows = cells.sort_values(order, kind="mergesort").index.to_numpy()
    cells = cells.iloc[sorted_rows].reset_index(drop=True)
    history = pd.concat(histories, ignore_index=True)[list(HISTORY_TABLE_COLUMNS)].astype(
        {key: _DTYPES[key] for key in ("alpha", *NETWORK_COLUMNS) if key in _DTYPES}
    )
    history = history.sort_values(order + ["iteration"], kind="mergesort", ignore_index=True)
    return Aggregated(
        cells,
        history,
        {f"{split}_logits": np.concatenate(parts)[sorted_rows] for split, parts in logits.items()},
        {split: np.asarray(labels[split], dtype=np.int64) for split in PREDICTION_SPLITS},
    )


def with_selection(cells: pd.DataFrame, selected: np.ndarray) -> pd.DataFrame:
    """``cells`` with its ``selected`` column (bool per row), in :data:`CELL_TABLE_COLUMNS`
    order."""
    return cells.assign(selected=np.asarray(selected, dtype=bool))[list(CELL_TABLE_COLUMNS)]


def selected_predictions(cells: pd.DataFrame, aggregated: Aggregated) -> dict[str, np.ndarray]:
    """The arrays of ``summary/predictions.npz``: the logits of the networks ``cells`` marks
    ``selected`` (their configuration's learning rate), in ``cells.csv`` order, with the
    labels and the networks' keys."""
    rows = np.flatnonzero(cells["selected"].to_numpy())
    return {
        **{name: array[rows] for name, array in aggregated.logits.items()},
        **{f"{split}_labels": labels for split, labels in aggregated.labels.items()},
        **network_keys(cells.iloc[rows]),
    }


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
        Columns :data:`ablation.grid.NETWORK_COLUMNS`, one row per selected network, in
        ``cells.csv`` order.
    arrays : dict
        :data:`PREDICTION_ARRAYS`: ``dev_logits`` (N, m_dev) and ``test_logits`` (N, m_test)
        (NaN rows for diverged networks, NaN on the dev examples a network's replicate does
        not predict), ``dev_labels`` (m_dev,) and ``test_labels`` (m_test,).

    Raises
    ------
    ValueError
        The file is unreadable or lacks an array; the message names it.
    """
    stored = read_npz(path)
    missing = [name for name in (*NETWORK_COLUMNS, *PREDICTION_ARRAYS) if name not in stored]
    if missing:
        raise ValueError(f"{path} lacks the arrays {missing}")
    keys = pd.DataFrame({column: stored[column] for column in NETWORK_COLUMNS})
    arrays = {name: stored[name] for name in PREDICTION_ARRAYS}
    return keys, arrays
