"""Reading and checking cell files, and the tables they make: layout, the baselines of every
row, predictions that follow the rows, corrupted files that stop the aggregation."""

import gzip

import numpy as np
import pandas as pd
import pytest
from shallownet import STATUS_DIVERGED, STATUS_OK

from ablation.cell import DIAGNOSTICS, HISTORY_COLUMNS
from ablation.collect import (
    BASELINE_SCORES,
    AggregationError,
    CellFiles,
    read_baseline,
    retrain_command,
)
from ablation.grid import CELL_COLUMNS, NETWORK_COLUMNS
from ablation.io import write_json, write_npz, write_records_csv
from ablation.metrics import class_mix
from ablation.tables import (
    BASELINE_COLUMNS,
    CELL_TABLE_COLUMNS,
    HISTORY_TABLE_COLUMNS,
    aggregate_cells,
    read_predictions,
    selected_predictions,
    with_selection,
)

#: The labels of the hand-built dataset: dev two thirds negatives, like the cat data's.
LABELS = {
    "train": np.array([0, 0, 0, 1, 1, 0]),
    "dev": np.array([0, 0, 1]),
    "test": np.array([1, 1, 0, 1]),
}
CLASS_MIX = {split: class_mix(labels) for split, labels in LABELS.items()}
BASELINE = {
    "C": 0.1,
    "mean_final_cost": 0.5,
    "mean_train_accuracy": 0.7,
    "pooled_accuracy": 0.61,
    "mean_test_accuracy": 0.62,
    "mean_train_balanced_accuracy": 0.6,
    "pooled_balanced_accuracy": 0.55,
    "mean_test_balanced_accuracy": 0.52,
    "pooled_cost": 0.7,
}


def network(activation="tanh", hidden=2, seed=0, status=STATUS_OK, alpha=None, learning_rate=1.2):
    """One network's row as a cell's metrics.json describes it (a diverged one has no
    scores)."""
    scores = {
        "final_cost": 0.3,
        "dev_cost": 0.5,
        "test_cost": 0.6,
        "train_accuracy": 0.9,
        "dev_accuracy": 0.8,
        "test_accuracy": 0.7,
        "train_balanced_accuracy": 0.9,
        "dev_balanced_accuracy": 0.8,
        "test_balanced_accuracy": 0.7,
    }
    if status == STATUS_DIVERGED:
        scores = dict.fromkeys(scores)
    return {
        "dataset": "toy",
        "activation": activation,
        "init": "he",
        "hidden": hidden,
        "learning_rate": learning_rate,
        "seed": seed,
        "alpha": alpha,
        "status": status,
        "iterations": 100,
        "diverged_at": 40 if status == STATUS_DIVERGED else None,
        **scores,
        "cell_train_seconds": 1.0,
        **dict.fromkeys(DIAGNOSTICS, 0.0),
        "linear_gap": None,
    }


# --------------------------------------------------------------- reading cell files


def logit(row):
    """The logit every hand-built network predicts, unique per network (to follow its row)."""
    return 1000 * row["hidden"] + 100 * row["learning_rate"] + row["seed"]


def write_cell(directory, rows):
    """Write the files of one cell holding the networks ``rows`` (one configuration)."""
    directory.mkdir(parents=True)
    first = rows[0]
    metrics = {key: first[key] for key in ("dataset", *CELL_COLUMNS, "alpha")} | {
        "networks": [
            {
                key: row[key]
                for key in row
                if key not in ("iterations", "cell_train_seconds", *CELL_COLUMNS)
            }
            | {"iterations_run": row["iterations"]}
            for row in rows
        ]
    }
    write_json(directory / "metrics.json", metrics)
    write_json(
        directory / "timing.json",
        {"cell_train_seconds": first["cell_train_seconds"], "hostname": "h"},
    )
    history = [
        dict.fromkeys(HISTORY_COLUMNS, 0.5)
        | {"iteration": i, "learning_rate": row["learning_rate"], "seed": row["seed"]}
        for row in rows
        for i in (0, 50, 100)
    ]
    write_records_csv(directory / "history.csv.gz", history, HISTORY_COLUMNS)
    write_npz(
        directory / "predictions.npz",
        {
            "dev_logits": np.array([np.full(len(LABELS["dev"]), logit(row)) for row in rows]),
            "test_logits": np.array([np.full(len(LABELS["test"]), logit(row)) for row in rows]),
            "learning_rate": np.array([row["learning_rate"] for row in rows]),
            "seed": np.array([row["seed"] for row in rows]),
        },
    )
    names = ("metrics.json", "timing.json", "history.csv.gz", "predictions.npz")
    return CellFiles(*(directory / name for name in names))


def aggregate(cell_files):
    return aggregate_cells(cell_files, labels=LABELS, class_mix=CLASS_MIX, baseline=BASELINE)


@pytest.fixture
def cell_files(tmp_path):
    cells = [
        [
            network(activation="tanh", hidden=3, seed=1),
            network(activation="tanh", hidden=3, seed=0, status=STATUS_DIVERGED),
        ],
        [network(activation="leaky_relu-0.01", alpha=0.01, hidden=1, seed=0)],
    ]
    return [write_cell(tmp_path / f"cell{index}", rows) for index, rows in enumerate(cells)]


def test_aggregated_tables_are_sorted_with_the_contract_columns(cell_files):
    cells, history, *_ = aggregate(cell_files)
    cells = with_selection(cells, [True, False, True])
    assert list(cells.columns) == list(CELL_TABLE_COLUMNS)
    assert cells["selected"].tolist() == [True, False, True]
    assert list(zip(cells["activation"], cells["seed"])) == [
        ("leaky_relu-0.01", 0),
        ("tanh", 0),
        ("tanh", 1),
    ]
    assert cells["diverged_at"].tolist()[1] == 40 and pd.isna(cells["diverged_at"].tolist()[0])
    assert list(history.columns) == list(HISTORY_TABLE_COLUMNS)
    assert list(history.columns[:6]) == ["dataset", *NETWORK_COLUMNS]
    assert len(history) == 3 * 3
    assert history["iteration"].tolist()[:3] == [0, 50, 100]
    csv_text = cells.to_csv(index=False)
    assert ",40," in csv_text and ",40.0," not in csv_text  # integer iteration, not float


def test_cells_carry_the_majority_and_logistic_baselines_of_each_split(cell_files):
    cells = aggregate(cell_files).cells
    assert set(BASELINE_COLUMNS) <= set(cells.columns)
    assert (cells["dev_majority_accuracy"] == 2 / 3).all()
    assert (cells["test_majority_accuracy"] == 0.75).all()
    assert (cells["train_majority_accuracy"] == 4 / 6).all()
    # Means over replicates on train and test, pooled on dev.
    for kind in ("accuracy", "balanced_accuracy"):
        assert (cells[f"train_logistic_{kind}"] == BASELINE[f"mean_train_{kind}"]).all()
        assert (cells[f"dev_logistic_{kind}"] == BASELINE[f"pooled_{kind}"]).all()
        assert (cells[f"test_logistic_{kind}"] == BASELINE[f"mean_test_{kind}"]).all()
    # A baseline without scores: empty cells, not the text "None".
    overflowed = aggregate_cells(
        cell_files,
        labels=LABELS,
        class_mix=CLASS_MIX,
        baseline=dict(BASELINE, pooled_accuracy=None),
    ).cells
    assert overflowed["dev_logistic_accuracy"].isna().all()
    assert overflowed["dev_logistic_accuracy"].dtype == np.float64


def test_predictions_of_the_selected_networks_follow_cells_csv_through_a_file(cell_files, tmp_path):
    aggregated = aggregate(cell_files)
    cells = with_selection(aggregated.cells, [True, False, True])
    write_npz(tmp_path / "predictions.npz", selected_predictions(cells, aggregated))
    keys, arrays = read_predictions(tmp_path / "predictions.npz")
    chosen = cells[cells["selected"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(keys, chosen[list(NETWORK_COLUMNS)])
    assert set(arrays) == {"dev_logits", "test_logits", "dev_labels", "test_labels"}
    for split in ("dev", "test"):
        logits = arrays[f"{split}_logits"]
        assert logits.dtype == np.float64 and logits.shape == (2, len(LABELS[split]))
        np.testing.assert_array_equal(arrays[f"{split}_labels"], LABELS[split])
        assert arrays[f"{split}_labels"].dtype == np.int64
        for row, (_, network) in enumerate(chosen.iterrows()):
            assert (logits[row] == logit(network)).all()
    with np.load(tmp_path / "predictions.npz") as stored:
        assert stored["activation"].dtype.kind == "U" and stored["hidden"].dtype == np.int64
    # Read back through a CSV file, cells.csv's selected rows pair with the keys row by row.
    cells.to_csv(tmp_path / "cells.csv", index=False)
    written = pd.read_csv(tmp_path / "cells.csv")
    written = written[written["selected"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(written[list(NETWORK_COLUMNS)], keys)


def test_read_predictions_names_a_file_that_lacks_an_array(tmp_path):
    write_npz(tmp_path / "predictions.npz", {"dev_logits": np.zeros((1, 3))})
    with pytest.raises(ValueError, match=r"predictions.npz lacks the arrays \['activation'"):
        read_predictions(tmp_path / "predictions.npz")


def test_a_cell_with_several_rates_and_seeds_gives_one_row_per_network(tmp_path):
    rows = [network(learning_rate=rate, seed=seed) for rate in (0.1, 1.0) for seed in (0, 1, 2)]
    cells, history, logits, _ = aggregate([write_cell(tmp_path / "cell", rows)])
    assert len(cells) == 6
    assert list(zip(cells["learning_rate"], cells["seed"])) == [
        (rate, seed) for rate in (0.1, 1.0) for seed in (0, 1, 2)
    ]
    assert (cells["cell_train_seconds"] == 1.0).all()  # the cell's time, on each of its rows
    assert history.groupby(list(NETWORK_COLUMNS)).size().tolist() == [3] * 6
    assert logits["dev_logits"].shape == (6, 3)


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_text(path.read_text()[:25]),  # truncated
        lambda path: path.write_bytes(b""),  # emptied
        lambda path: path.write_text('{"dataset": "toy"}'),  # keys lost
        lambda path: path.write_text(path.read_text().replace('"status"', '"stat"')),  # a network's
        lambda path: path.write_text(  # the networks lost
            path.read_text().replace('"networks": [', '"networks": [], "lost": [')
        ),
        lambda path: path.write_text(  # a network that is not an object
            path.read_text().replace('"networks": [', '"networks": [7, ')
        ),
    ],
    ids=[
        "truncated",
        "empty",
        "missing-keys",
        "network-missing-keys",
        "no-networks",
        "network-not-an-object",
    ],
)
def test_corrupted_metrics_stop_aggregation_naming_file_and_retrain_command(cell_files, damage):
    metrics_path = cell_files[1].metrics
    damage(metrics_path)
    with pytest.raises(AggregationError) as error:
        aggregate(cell_files)
    message = str(error.value)
    assert str(metrics_path) in message
    assert retrain_command(metrics_path) in message
    assert retrain_command(metrics_path) == f"snakemake --cores all --forcerun {metrics_path}"


def history_lines(path):
    """The lines of a (gzip-compressed) history file."""
    with gzip.open(path, "rt") as stream:
        return stream.readlines()


def rewrite_history(path, text):
    with gzip.open(path, "wt") as stream:
        stream.write(text)


def test_corrupted_history_names_its_file(cell_files):
    history_path = cell_files[0].history
    rewrite_history(history_path, "iteration,cost\n0,1.0\n")
    with pytest.raises(AggregationError, match=f"{history_path} lacks"):
        aggregate(cell_files)


def test_history_without_the_records_of_a_network_names_its_file(cell_files):
    history_path = cell_files[0].history
    lines = history_lines(history_path)
    rewrite_history(history_path, "".join(line for line in lines if not line.startswith("1.2,0,")))
    with pytest.raises(AggregationError) as error:
        aggregate(cell_files)
    message = str(error.value)
    assert f"{history_path} does not hold the networks" in message
    assert "without records [(1.2, 0)], not listed []" in message
    assert retrain_command(cell_files[0].metrics) in message


def test_history_with_records_of_an_unlisted_network_names_its_file(cell_files):
    history_path = cell_files[0].history
    lines = history_lines(history_path)
    assert lines[1].startswith("1.2,1,")
    rewrite_history(history_path, "".join(lines) + "0.3" + lines[1][len("1.2") :])
    with pytest.raises(AggregationError, match=r"not listed \[\(0\.3, 1\)\]"):
        aggregate(cell_files)


def rewrite_predictions(path, change):
    with np.load(path) as stored:
        arrays = {name: stored[name] for name in stored.files}
    write_npz(path, change(arrays))


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda arrays: arrays | {"seed": arrays["seed"][::-1]}, "holds the networks"),
        (lambda arrays: {k: v for k, v in arrays.items() if k != "test_logits"}, "lacks"),
        (
            lambda arrays: arrays | {"dev_logits": arrays["dev_logits"][:, :2]},
            r"dev_logits has shape \(2, 2\); expected \(2, 3\)",
        ),
    ],
    ids=["other-networks", "missing-array", "other-examples"],
)
def test_predictions_that_do_not_fit_the_cell_name_their_file(cell_files, change, expected):
    predictions_path = cell_files[0].predictions
    rewrite_predictions(predictions_path, change)
    with pytest.raises(AggregationError, match=f"{predictions_path}.*{expected}") as error:
        aggregate(cell_files)
    assert retrain_command(cell_files[0].metrics) in str(error.value)


def test_unreadable_predictions_name_their_file(cell_files):
    predictions_path = cell_files[1].predictions
    predictions_path.write_bytes(predictions_path.read_bytes()[:100])
    with pytest.raises(AggregationError, match=f"cannot read {predictions_path}"):
        aggregate(cell_files)


def test_read_baseline_names_the_file_and_what_it_lacks(tmp_path):
    path = tmp_path / "metrics.json"
    write_json(path, {key: value for key, value in BASELINE.items() if key != "pooled_accuracy"})
    with pytest.raises(AggregationError, match=rf"{path} lacks \['pooled_accuracy'\]"):
        read_baseline(path)
    write_json(path, BASELINE)
    assert read_baseline(path) == BASELINE
    assert set(BASELINE_SCORES) < set(BASELINE)
