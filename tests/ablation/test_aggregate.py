"""Aggregation on hand-built cells: table layout, learning-rate and best-configuration
selection, corrupted files."""

import pandas as pd
import pytest
from shallownet import STATUS_DIVERGED, STATUS_OK

from ablation.aggregate import (
    CELL_TABLE_COLUMNS,
    HISTORY_TABLE_COLUMNS,
    AggregationError,
    aggregate_cells,
    at_selected_learning_rates,
    retrain_command,
    select_best,
    select_learning_rates,
    summary_markdown,
)
from ablation.cell import DIAGNOSTICS, HISTORY_COLUMNS
from ablation.grid import CELL_COLUMNS, NETWORK_COLUMNS
from ablation.io import write_json, write_records_csv


def network(
    activation="tanh",
    init="he",
    hidden=2,
    seed=0,
    dev=0.8,
    cost=0.3,
    status=STATUS_OK,
    test=0.7,
    alpha=None,
    learning_rate=1.2,
):
    """One ``cells.csv`` row."""
    return {
        "dataset": "toy",
        "activation": activation,
        "init": init,
        "hidden": hidden,
        "learning_rate": learning_rate,
        "seed": seed,
        "alpha": alpha,
        "status": status,
        "iterations": 100,
        "diverged_at": 40 if status == STATUS_DIVERGED else None,
        "final_cost": cost,
        "train_accuracy": 0.9,
        "dev_accuracy": dev,
        "test_accuracy": test,
        "cell_train_seconds": 1.0,
        **dict.fromkeys(DIAGNOSTICS, 0.0),
    }


def table(*networks):
    return pd.DataFrame(list(networks), columns=list(CELL_TABLE_COLUMNS))


def test_best_is_the_highest_mean_dev_accuracy_over_seeds():
    cells = table(
        network(hidden=2, seed=0, dev=0.9),
        network(hidden=2, seed=1, dev=0.5),  # mean 0.7
        network(hidden=3, seed=0, dev=0.8),
        network(hidden=3, seed=1, dev=0.8, test=0.6),  # mean 0.8
    )
    best = select_best(cells)
    assert (best["activation"], best["init"], best["hidden"]) == ("tanh", "he", 3)
    assert best["learning_rate"] == 1.2
    assert best["mean_dev_accuracy"] == pytest.approx(0.8)
    assert best["mean_test_accuracy"] == pytest.approx(0.65)
    assert best["seeds"] == 2


def test_ties_in_dev_accuracy_go_to_the_lower_mean_final_cost():
    cells = table(
        network(activation="relu", dev=0.8, cost=0.40),
        network(activation="tanh", dev=0.8, cost=0.20),
        network(activation="sigmoid", dev=0.8, cost=0.30),
    )
    assert select_best(cells)["activation"] == "tanh"


def test_a_configuration_with_a_diverged_seed_is_not_selected():
    cells = table(
        network(activation="relu", seed=0, dev=0.99, cost=0.1),
        network(activation="relu", seed=1, dev=0.99, cost=None, status=STATUS_DIVERGED),
        network(activation="tanh", seed=0, dev=0.7),
        network(activation="tanh", seed=1, dev=0.7),
    )
    best = select_best(cells)
    assert best["activation"] == "tanh"
    assert best["configurations_considered"] == 1


def test_no_eligible_configuration_is_an_error():
    with pytest.raises(ValueError, match="diverge"):
        select_best(table(network(status=STATUS_DIVERGED, dev=None, cost=None)))


# --------------------------------------------------------------- learning-rate selection


def two_rates(first: dict, second: dict, seeds=(0, 1), **configuration):
    """The networks of one configuration at rates 0.1 and 1.0; ``first``/``second`` give
    each rate's fields per seed (a value, or a dict seed -> value)."""
    rows = []
    for rate, fields in ((0.1, first), (1.0, second)):
        for seed in seeds:
            values = {
                key: value[seed] if isinstance(value, dict) else value
                for key, value in fields.items()
            }
            rows.append(network(learning_rate=rate, seed=seed, **configuration, **values))
    return rows


def chosen_rates(cells):
    chosen = select_learning_rates(cells)
    return {tuple(row[list(CELL_COLUMNS)]): row["learning_rate"] for _, row in chosen.iterrows()}


def test_learning_rate_with_the_best_mean_dev_accuracy_over_seeds_is_selected():
    cells = table(
        # rate 1.0 has the best single seed (0.95) but the lower mean (0.7 against 0.8)
        *two_rates({"dev": 0.8}, {"dev": {0: 0.95, 1: 0.45}}, hidden=2),
        *two_rates({"dev": 0.6}, {"dev": 0.9}, hidden=3),
    )
    assert chosen_rates(cells) == {("tanh", "he", 2): 0.1, ("tanh", "he", 3): 1.0}


def test_learning_rate_selection_never_looks_at_the_test_set():
    cells = table(*two_rates({"dev": 0.8, "test": 0.5}, {"dev": 0.7, "test": 0.99}))
    assert chosen_rates(cells) == {("tanh", "he", 2): 0.1}
    # Whatever the test accuracies, the same choice.
    for test in (0.0, 1.0):
        assert chosen_rates(cells.assign(test_accuracy=test)) == chosen_rates(cells)
    shuffled = cells.assign(test_accuracy=cells["test_accuracy"].to_numpy()[::-1])
    assert chosen_rates(shuffled) == chosen_rates(cells)


def test_a_learning_rate_with_a_diverged_seed_is_not_selected():
    diverged = {"dev": {0: 0.99, 1: None}, "status": {0: STATUS_OK, 1: STATUS_DIVERGED}}
    cells = table(*two_rates({"dev": 0.6}, diverged))
    assert chosen_rates(cells) == {("tanh", "he", 2): 0.1}


def test_learning_rate_ties_go_to_lower_mean_cost_then_to_the_smaller_rate():
    cost_decides = table(*two_rates({"dev": 0.8, "cost": 0.4}, {"dev": 0.8, "cost": 0.2}))
    assert chosen_rates(cost_decides) == {("tanh", "he", 2): 1.0}
    all_equal = table(*two_rates({"dev": 0.8, "cost": 0.3}, {"dev": 0.8, "cost": 0.3}))
    assert chosen_rates(all_equal) == {("tanh", "he", 2): 0.1}


def test_when_every_rate_has_a_diverged_seed_the_fewest_divergences_are_kept():
    one = {"dev": {0: 0.6, 1: None}, "status": {0: STATUS_OK, 1: STATUS_DIVERGED}}
    both = {"dev": None, "cost": None, "status": STATUS_DIVERGED}
    cells = table(*two_rates(both, one))
    assert chosen_rates(cells) == {("tanh", "he", 2): 1.0}
    with pytest.raises(ValueError, match="diverge"):  # still never the best configuration
        select_best(cells)


def test_at_selected_learning_rates_leaves_one_network_per_configuration_and_seed():
    cells = table(
        *two_rates({"dev": 0.8}, {"dev": 0.7}, hidden=2),
        *two_rates({"dev": 0.6}, {"dev": 0.9}, hidden=3),
    )
    selected = at_selected_learning_rates(cells)
    assert not selected.duplicated(["activation", "init", "hidden", "seed"]).any()
    assert list(zip(selected["hidden"], selected["learning_rate"], selected["seed"])) == [
        (2, 0.1, 0),
        (2, 0.1, 1),
        (3, 1.0, 0),
        (3, 1.0, 1),
    ]
    best = select_best(cells)
    assert (best["hidden"], best["learning_rate"]) == (3, 1.0)
    assert best["learning_rates_tried"] == [0.1, 1.0]
    # One learning rate: every network, and the same best configuration as the table alone.
    single = cells[cells["learning_rate"] == 0.1]
    pd.testing.assert_frame_equal(at_selected_learning_rates(single), single)
    assert select_best(single)["hidden"] == 2


# --------------------------------------------------------------- reading cell files


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
            | {"iterations_run": row["iterations"], "dev_cost": 0.4, "test_cost": 0.5}
            | {f"{split}_balanced_accuracy": 0.6 for split in ("train", "dev", "test")}
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
    write_records_csv(directory / "history.csv", history, HISTORY_COLUMNS)
    return directory / "metrics.json", directory / "timing.json", directory / "history.csv"


@pytest.fixture
def cell_files(tmp_path):
    cells = [
        [
            network(activation="tanh", hidden=3, seed=1),
            network(
                activation="tanh", hidden=3, seed=0, status=STATUS_DIVERGED, cost=None, dev=None
            ),
        ],
        [network(activation="leaky_relu-0.01", alpha=0.01, hidden=1, seed=0)],
    ]
    return [write_cell(tmp_path / f"cell{index}", rows) for index, rows in enumerate(cells)]


def test_aggregated_tables_are_sorted_with_the_contract_columns(cell_files):
    cells, history = aggregate_cells(cell_files)
    assert list(cells.columns) == list(CELL_TABLE_COLUMNS)
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


def test_a_cell_with_several_rates_and_seeds_gives_one_row_per_network(tmp_path):
    rows = two_rates({"dev": 0.8}, {"dev": 0.7}, seeds=(0, 1, 2))
    cells, history = aggregate_cells([write_cell(tmp_path / "cell", rows)])
    assert len(cells) == 6
    assert list(zip(cells["learning_rate"], cells["seed"])) == [
        (rate, seed) for rate in (0.1, 1.0) for seed in (0, 1, 2)
    ]
    assert (cells["cell_train_seconds"] == 1.0).all()  # the cell's time, on each of its rows
    assert history.groupby(list(NETWORK_COLUMNS)).size().tolist() == [3] * 6


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


def test_history_without_the_records_of_a_network_names_its_file(cell_files):
    metrics_path, _, history_path = cell_files[0]
    lines = history_path.read_text().splitlines(keepends=True)
    history_path.write_text("".join(line for line in lines if not line.startswith("1.2,0,")))
    with pytest.raises(AggregationError) as error:
        aggregate_cells(cell_files)
    message = str(error.value)
    assert f"{history_path} does not hold the networks" in message
    assert "without records [(1.2, 0)], not listed []" in message
    assert retrain_command(metrics_path) in message


def test_history_with_records_of_an_unlisted_network_names_its_file(cell_files):
    metrics_path, _, history_path = cell_files[0]
    lines = history_path.read_text().splitlines(keepends=True)
    assert lines[1].startswith("1.2,1,")
    history_path.write_text("".join(lines) + "0.3" + lines[1][len("1.2") :])
    with pytest.raises(AggregationError, match=r"not listed \[\(0\.3, 1\)\]"):
        aggregate_cells(cell_files)


def test_summary_names_best_configuration_baseline_and_diverged_count(cell_files):
    cells, _ = aggregate_cells(cell_files)
    best = select_best(cells)
    text = summary_markdown(
        cells,
        best,
        {"learning_rate": 0.5, "dev_accuracy": 0.61, "test_accuracy": 0.62, "final_cost": 0.5},
    )
    assert "Networks: 3 (2 ok, 1 diverged) in 2 cells, 2 seed(s) x 1 learning rate(s)" in text
    assert (
        f"activation {best['activation']}, init he, hidden {best['hidden']}, learning rate 1.2"
        in text
    )
    assert "(learning rate 0.5): dev accuracy 0.6100, test accuracy 0.6200" in text
    assert "| tanh | he | 1.2 | 1 |" in text  # the diverged networks, per activation and init
