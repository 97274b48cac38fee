"""Aggregation on hand-built cells: table layout, best-cell selection, corrupted files."""

import pandas as pd
import pytest

from ablation.aggregate import (
    CELL_TABLE_COLUMNS,
    AggregationError,
    aggregate_cells,
    retrain_command,
    select_best,
    summary_markdown,
)
from ablation.cell import DIAGNOSTICS, HISTORY_COLUMNS
from ablation.io import write_json, write_records_csv


def cell(
    activation="tanh",
    init="he",
    hidden=2,
    seed=0,
    dev=0.8,
    cost=0.3,
    status="ok",
    test=0.7,
    alpha=None,
):
    return {
        "dataset": "toy",
        "activation": activation,
        "alpha": alpha,
        "init": init,
        "hidden": hidden,
        "seed": seed,
        "status": status,
        "iterations": 100,
        "diverged_at": 40 if status == "diverged" else None,
        "final_cost": cost,
        "train_accuracy": 0.9,
        "dev_accuracy": dev,
        "test_accuracy": test,
        "train_seconds": 1.0,
        **dict.fromkeys(DIAGNOSTICS, 0.0),
    }


def table(*cells):
    return pd.DataFrame(list(cells), columns=CELL_TABLE_COLUMNS)


def test_best_is_the_highest_mean_dev_accuracy_over_seeds():
    cells = table(
        cell(hidden=2, seed=0, dev=0.9),
        cell(hidden=2, seed=1, dev=0.5),  # mean 0.7
        cell(hidden=3, seed=0, dev=0.8),
        cell(hidden=3, seed=1, dev=0.8, test=0.6),  # mean 0.8
    )
    best = select_best(cells)
    assert (best["activation"], best["init"], best["hidden"]) == ("tanh", "he", 3)
    assert best["mean_dev_accuracy"] == pytest.approx(0.8)
    assert best["mean_test_accuracy"] == pytest.approx(0.65)
    assert best["seeds"] == 2


def test_ties_in_dev_accuracy_go_to_the_lower_mean_final_cost():
    cells = table(
        cell(activation="relu", dev=0.8, cost=0.40),
        cell(activation="tanh", dev=0.8, cost=0.20),
        cell(activation="sigmoid", dev=0.8, cost=0.30),
    )
    assert select_best(cells)["activation"] == "tanh"


def test_a_configuration_with_a_diverged_seed_is_not_selected():
    cells = table(
        cell(activation="relu", seed=0, dev=0.99, cost=0.1),
        cell(activation="relu", seed=1, dev=0.99, cost=None, status="diverged"),
        cell(activation="tanh", seed=0, dev=0.7),
        cell(activation="tanh", seed=1, dev=0.7),
    )
    best = select_best(cells)
    assert best["activation"] == "tanh"
    assert best["configurations_considered"] == 1


def test_no_eligible_configuration_is_an_error():
    with pytest.raises(ValueError, match="diverge"):
        select_best(table(cell(status="diverged", dev=None, cost=None)))


def write_cell(directory, row):
    directory.mkdir(parents=True)
    metrics = {key: row[key] for key in row if key not in ("iterations", "train_seconds")}
    write_json(directory / "metrics.json", metrics | {"iterations_run": row["iterations"]})
    write_json(directory / "timing.json", {"train_seconds": row["train_seconds"], "hostname": "h"})
    history = [dict.fromkeys(HISTORY_COLUMNS, 0.5) | {"iteration": i} for i in (0, 50, 100)]
    write_records_csv(directory / "history.csv", history, HISTORY_COLUMNS)
    return directory / "metrics.json", directory / "timing.json", directory / "history.csv"


@pytest.fixture
def cell_files(tmp_path):
    rows = [
        cell(activation="tanh", hidden=3, seed=1),
        cell(activation="leaky_relu-0.01", alpha=0.01, hidden=1, seed=0),
        cell(activation="tanh", hidden=3, seed=0, status="diverged", cost=None, dev=None),
    ]
    return [write_cell(tmp_path / f"cell{index}", row) for index, row in enumerate(rows)]


def test_aggregated_tables_are_sorted_with_the_contract_columns(cell_files):
    cells, history = aggregate_cells(cell_files)
    assert list(cells.columns) == CELL_TABLE_COLUMNS
    assert list(zip(cells["activation"], cells["seed"])) == [
        ("leaky_relu-0.01", 0),
        ("tanh", 0),
        ("tanh", 1),
    ]
    assert cells["diverged_at"].tolist()[1] == 40 and pd.isna(cells["diverged_at"].tolist()[0])
    assert list(history.columns[:6]) == ["dataset", "activation", "alpha", "init", "hidden", "seed"]
    assert len(history) == 3 * 3
    assert history["iteration"].tolist()[:3] == [0, 50, 100]
    csv_text = cells.to_csv(index=False)
    assert ",40," in csv_text and ",40.0," not in csv_text  # integer iteration, not float


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_text(path.read_text()[:25]),  # truncated
        lambda path: path.write_bytes(b""),  # emptied
        lambda path: path.write_text('{"dataset": "toy"}'),  # keys lost
    ],
    ids=["truncated", "empty", "missing-keys"],
)
def test_corrupted_metrics_stop_aggregation_naming_file_and_retrain_command(cell_files, damage):
    metrics_path = cell_files[1][0]
    damage(metrics_path)
    with pytest.raises(AggregationError) as error:
        aggregate_cells(cell_files)
    message = str(error.value)
    assert str(metrics_path) in message
    assert retrain_command(metrics_path) in message
    assert retrain_command(metrics_path) == f"snakemake --cores all --forcerun {metrics_path}"


def test_corrupted_history_names_its_file(cell_files):
    history_path = cell_files[0][2]
    history_path.write_text("iteration,cost\n0,1.0\n")
    with pytest.raises(AggregationError, match=f"{history_path} lacks"):
        aggregate_cells(cell_files)


def test_summary_names_best_cell_baseline_and_diverged_count(cell_files):
    cells, _ = aggregate_cells(cell_files)
    best = select_best(cells)
    text = summary_markdown(
        cells, best, {"dev_accuracy": 0.61, "test_accuracy": 0.62, "final_cost": 0.5}
    )
    assert "Cells: 3 (2 ok, 1 diverged)" in text
    assert f"activation {best['activation']}, init he, hidden {best['hidden']}" in text
    assert "dev accuracy 0.6100, test accuracy 0.6200" in text
    assert "| tanh | he | 1 |" in text  # the diverged cells, per activation and init
