"""Aggregation on hand-built cells: table layout, predictions, learning-rate and
best-configuration selection by each metric, the majority-class flag, corrupted files."""

import math

import numpy as np
import pandas as pd
import pytest
from shallownet import STATUS_DIVERGED, STATUS_OK

from ablation.aggregate import (
    BASELINE_COLUMNS,
    CELL_TABLE_COLUMNS,
    HISTORY_TABLE_COLUMNS,
    SELECTION_METRICS,
    AggregationError,
    CellFiles,
    aggregate_cells,
    at_selected_learning_rates,
    compare_with_majority,
    read_baseline,
    read_predictions,
    retrain_command,
    select_best,
    select_learning_rates,
    summary_markdown,
)
from ablation.cell import DIAGNOSTICS, HISTORY_COLUMNS
from ablation.grid import CELL_COLUMNS, NETWORK_COLUMNS
from ablation.io import write_json, write_npz, write_records_csv
from ablation.metrics import class_mix, constant_predictor_score

#: The labels of the hand-built dataset: dev two thirds negatives, like the cat data's.
LABELS = {
    "train": np.array([0, 0, 0, 1, 1, 0]),
    "dev": np.array([0, 0, 1]),
    "test": np.array([1, 1, 0, 1]),
}
CLASS_MIX = {split: class_mix(labels) for split, labels in LABELS.items()}
BASELINE = {
    "learning_rate": 0.5,
    "final_cost": 0.5,
    "train_accuracy": 0.7,
    "dev_accuracy": 0.61,
    "test_accuracy": 0.62,
    "train_balanced_accuracy": 0.6,
    "dev_balanced_accuracy": 0.55,
    "test_balanced_accuracy": 0.52,
}


def network(
    activation="tanh",
    init="he",
    hidden=2,
    seed=0,
    dev=0.8,
    balanced=None,
    dev_cost=0.5,
    cost=0.3,
    status=STATUS_OK,
    test=0.7,
    alpha=None,
    learning_rate=1.2,
):
    """One ``cells.csv`` row. ``dev`` is the dev accuracy, ``balanced`` the dev balanced
    accuracy (by default equal to it, as on a balanced dev set); a diverged network has no
    scores."""
    scores = {
        "final_cost": cost,
        "dev_cost": dev_cost,
        "test_cost": 0.6,
        "train_accuracy": 0.9,
        "dev_accuracy": dev,
        "test_accuracy": test,
        "train_balanced_accuracy": 0.9,
        "dev_balanced_accuracy": dev if balanced is None else balanced,
        "test_balanced_accuracy": test,
    }
    if status == STATUS_DIVERGED:
        scores = dict.fromkeys(scores)
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
        **scores,
        "cell_train_seconds": 1.0,
        **dict.fromkeys(DIAGNOSTICS, 0.0),
    }


def table(*networks):
    return pd.DataFrame(list(networks), columns=list(CELL_TABLE_COLUMNS))


def configuration(best):
    return best["activation"], best["init"], best["hidden"]


def test_best_is_the_highest_mean_dev_balanced_accuracy_over_seeds():
    cells = table(
        network(hidden=2, seed=0, dev=0.9),
        network(hidden=2, seed=1, dev=0.5),  # mean 0.7
        network(hidden=3, seed=0, dev=0.8),
        network(hidden=3, seed=1, dev=0.8, test=0.6),  # mean 0.8
    )
    best = select_best(cells)
    assert configuration(best) == ("tanh", "he", 3)
    assert best["learning_rate"] == 1.2
    assert best["selection_metric"] == "balanced_accuracy"
    assert best["mean_dev_balanced_accuracy"] == pytest.approx(0.8)
    assert best["mean_test_accuracy"] == pytest.approx(0.65)
    assert best["mean_dev_cost"] == pytest.approx(0.5)
    assert best["seeds"] == 2


def label_shift_table():
    """A constant predictor (sigmoid: "non-cat" for every dev image, 2 of 3 right) against a
    network that learned something but overfits (tanh: dev cross-entropy far above the
    constant's)."""
    constant_cost = constant_predictor_score(CLASS_MIX, "cross_entropy")
    return table(
        *(
            network(
                activation="sigmoid",
                init="large",
                hidden=1,
                seed=seed,
                dev=2 / 3,
                balanced=0.5,
                dev_cost=constant_cost,
            )
            for seed in (0, 1)
        ),
        *(network(hidden=3, seed=seed, dev=0.6, balanced=0.62, dev_cost=1.4) for seed in (0, 1)),
    )


@pytest.mark.parametrize(
    "metric, selected, beats_majority",
    [
        ("accuracy", ("sigmoid", "large", 1), False),
        ("balanced_accuracy", ("tanh", "he", 3), True),
        ("cross_entropy", ("sigmoid", "large", 1), False),
    ],
)
def test_a_constant_predictor_wins_on_dev_accuracy_and_cross_entropy_not_balanced_accuracy(
    metric, selected, beats_majority
):
    best = select_best(label_shift_table(), metric=metric)
    assert configuration(best) == selected
    assert best["selection_metric"] == metric
    verdict = compare_with_majority(best, CLASS_MIX)
    assert verdict["beats_majority_on_dev"] is beats_majority
    assert (verdict["warning"] is None) == beats_majority


def test_compare_with_majority_reports_the_class_mix_and_the_constant_score():
    best = select_best(label_shift_table(), metric="accuracy")
    verdict = compare_with_majority(best, CLASS_MIX)
    assert verdict["majority"]["dev"] == {"accuracy": 2 / 3, "positives": 1, "negatives": 2}
    assert verdict["majority"]["test"] == {"accuracy": 0.75, "positives": 3, "negatives": 1}
    assert verdict["constant_predictor_dev_score"] == pytest.approx(2 / 3)
    assert verdict["warning"].startswith(
        "The selected configuration does not beat the majority-class baseline on the dev set: "
        "its mean dev accuracy 0.6667 is no better than the 0.6667 of always answering the "
        "majority class."
    )
    just_better = dict(best, mean_dev_accuracy=2 / 3 + 1e-9)
    assert compare_with_majority(just_better, CLASS_MIX)["beats_majority_on_dev"] is True


@pytest.mark.parametrize(
    "metric, rows, winner",
    [
        # Equal dev balanced accuracy (and accuracy): the lower dev cross-entropy decides,
        # not the training cost.
        (
            "balanced_accuracy",
            [{"activation": "relu", "dev_cost": 0.3, "cost": 0.9}, {"dev_cost": 0.4, "cost": 0.1}],
            "relu",
        ),
        (
            "accuracy",
            [{"activation": "relu", "dev_cost": 0.3, "balanced": 0.5}, {"dev_cost": 0.4}],
            "relu",
        ),
        # Equal dev cross-entropy: the higher dev balanced accuracy decides, not accuracy.
        (
            "cross_entropy",
            [{"activation": "sigmoid", "dev": 0.6, "balanced": 0.8}, {"dev": 0.9, "balanced": 0.6}],
            "sigmoid",
        ),
    ],
)
def test_ties_go_to_the_other_kind_of_dev_score(metric, rows, winner):
    assert (
        select_best(table(*(network(**row) for row in rows)), metric=metric)["activation"] == winner
    )


def test_complete_ties_go_to_the_first_configuration_by_name():
    cells = table(network(activation="tanh"), network(activation="relu"))
    assert select_best(cells)["activation"] == "relu"


def test_a_configuration_with_a_diverged_seed_is_not_selected():
    cells = table(
        network(activation="relu", seed=0, dev=0.99, cost=0.1),
        network(activation="relu", seed=1, status=STATUS_DIVERGED),
        network(activation="tanh", seed=0, dev=0.7),
        network(activation="tanh", seed=1, dev=0.7),
    )
    best = select_best(cells)
    assert best["activation"] == "tanh"
    assert best["configurations_considered"] == 1


def test_no_eligible_configuration_is_an_error():
    with pytest.raises(ValueError, match="diverge"):
        select_best(table(network(status=STATUS_DIVERGED)))


def test_an_unknown_metric_is_an_error_listing_the_metrics():
    with pytest.raises(ValueError, match=r"selection metric 'f1'; expected one of \['bal"):
        select_learning_rates(table(network()), metric="f1")


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


def chosen_rates(cells, metric="balanced_accuracy"):
    chosen = select_learning_rates(cells, metric)
    return {tuple(row[list(CELL_COLUMNS)]): row["learning_rate"] for _, row in chosen.iterrows()}


def test_learning_rate_with_the_best_mean_dev_score_over_seeds_is_selected():
    cells = table(
        # rate 1.0 has the best single seed (0.95) but the lower mean (0.7 against 0.8)
        *two_rates({"dev": 0.8}, {"dev": {0: 0.95, 1: 0.45}}, hidden=2),
        *two_rates({"dev": 0.6}, {"dev": 0.9}, hidden=3),
    )
    assert chosen_rates(cells) == {("tanh", "he", 2): 0.1, ("tanh", "he", 3): 1.0}


@pytest.mark.parametrize(
    "metric, rate", [("accuracy", 0.1), ("balanced_accuracy", 1.0), ("cross_entropy", 0.1)]
)
def test_each_metric_selects_its_own_learning_rate(metric, rate):
    # Rate 0.1 leaves the network a constant predictor: the best dev accuracy and
    # cross-entropy, a balanced accuracy of 0.5. Rate 1.0 learns, and overfits.
    constant = {"dev": 2 / 3, "balanced": 0.5, "dev_cost": 0.64}
    learned = {"dev": 0.6, "balanced": 0.62, "dev_cost": 1.4}
    assert chosen_rates(table(*two_rates(constant, learned)), metric) == {("tanh", "he", 2): rate}


def test_learning_rate_selection_never_looks_at_the_test_set():
    cells = table(*two_rates({"dev": 0.8, "test": 0.5}, {"dev": 0.7, "test": 0.99}))
    assert chosen_rates(cells) == {("tanh", "he", 2): 0.1}
    for metric in SELECTION_METRICS:
        # Whatever the test scores, the same choice.
        for test in (0.0, 1.0):
            changed = cells.assign(test_accuracy=test, test_balanced_accuracy=test, test_cost=test)
            assert chosen_rates(changed, metric) == chosen_rates(cells, metric)


def test_a_learning_rate_with_a_diverged_seed_is_not_selected():
    diverged = {"dev": {0: 0.99, 1: None}, "status": {0: STATUS_OK, 1: STATUS_DIVERGED}}
    cells = table(*two_rates({"dev": 0.6}, diverged))
    assert chosen_rates(cells) == {("tanh", "he", 2): 0.1}


def test_learning_rate_ties_go_to_lower_dev_cost_then_to_the_smaller_rate():
    cost_decides = table(*two_rates({"dev": 0.8, "dev_cost": 0.4}, {"dev": 0.8, "dev_cost": 0.2}))
    assert chosen_rates(cost_decides) == {("tanh", "he", 2): 1.0}
    all_equal = table(*two_rates({"dev": 0.8}, {"dev": 0.8}))
    assert chosen_rates(all_equal) == {("tanh", "he", 2): 0.1}


def test_when_every_rate_has_a_diverged_seed_the_fewest_divergences_are_kept():
    one = {"dev": {0: 0.6, 1: None}, "status": {0: STATUS_OK, 1: STATUS_DIVERGED}}
    both = {"status": STATUS_DIVERGED}
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
    write_records_csv(directory / "history.csv", history, HISTORY_COLUMNS)
    write_npz(
        directory / "predictions.npz",
        {
            "dev_logits": np.array([np.full(len(LABELS["dev"]), logit(row)) for row in rows]),
            "test_logits": np.array([np.full(len(LABELS["test"]), logit(row)) for row in rows]),
            "learning_rate": np.array([row["learning_rate"] for row in rows]),
            "seed": np.array([row["seed"] for row in rows]),
        },
    )
    names = ("metrics.json", "timing.json", "history.csv", "predictions.npz")
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
    cells, history, _ = aggregate(cell_files)
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


def test_cells_carry_the_majority_and_logistic_baselines_of_each_split(cell_files):
    cells = aggregate(cell_files).cells
    assert set(BASELINE_COLUMNS) <= set(cells.columns)
    assert (cells["dev_majority_accuracy"] == 2 / 3).all()
    assert (cells["test_majority_accuracy"] == 0.75).all()
    assert (cells["train_majority_accuracy"] == 4 / 6).all()
    for split in ("train", "dev", "test"):
        for kind in ("accuracy", "balanced_accuracy"):
            assert (cells[f"{split}_logistic_{kind}"] == BASELINE[f"{split}_{kind}"]).all()
    # A baseline that overflowed has no scores: empty cells, not the text "None".
    overflowed = aggregate_cells(
        cell_files, labels=LABELS, class_mix=CLASS_MIX, baseline=dict(BASELINE, dev_accuracy=None)
    ).cells
    assert overflowed["dev_logistic_accuracy"].isna().all()
    assert overflowed["dev_logistic_accuracy"].dtype == np.float64


def test_predictions_follow_the_rows_of_cells_csv_through_a_file(cell_files, tmp_path):
    aggregated = aggregate(cell_files)
    write_npz(tmp_path / "predictions.npz", aggregated.predictions)
    keys, arrays = read_predictions(tmp_path / "predictions.npz")
    pd.testing.assert_frame_equal(keys, aggregated.cells[list(NETWORK_COLUMNS)])
    assert set(arrays) == {"dev_logits", "test_logits", "dev_labels", "test_labels"}
    for split in ("dev", "test"):
        logits = arrays[f"{split}_logits"]
        assert logits.dtype == np.float64 and logits.shape == (3, len(LABELS[split]))
        np.testing.assert_array_equal(arrays[f"{split}_labels"], LABELS[split])
        assert arrays[f"{split}_labels"].dtype == np.int64
        for row, (_, network) in enumerate(aggregated.cells.iterrows()):
            assert (logits[row] == logit(network)).all()
    with np.load(tmp_path / "predictions.npz") as stored:
        assert stored["activation"].dtype.kind == "U" and stored["hidden"].dtype == np.int64
    # Read back through a CSV file, cells.csv pairs with the keys row by row.
    aggregated.cells.to_csv(tmp_path / "cells.csv", index=False)
    written = pd.read_csv(tmp_path / "cells.csv")
    pd.testing.assert_frame_equal(written[list(NETWORK_COLUMNS)], keys)


def test_read_predictions_names_a_file_that_lacks_an_array(tmp_path):
    write_npz(tmp_path / "predictions.npz", {"dev_logits": np.zeros((1, 3))})
    with pytest.raises(ValueError, match=r"predictions.npz lacks the arrays \['activation'"):
        read_predictions(tmp_path / "predictions.npz")


def test_a_cell_with_several_rates_and_seeds_gives_one_row_per_network(tmp_path):
    rows = two_rates({"dev": 0.8}, {"dev": 0.7}, seeds=(0, 1, 2))
    cells, history, predictions = aggregate([write_cell(tmp_path / "cell", rows)])
    assert len(cells) == 6
    assert list(zip(cells["learning_rate"], cells["seed"])) == [
        (rate, seed) for rate in (0.1, 1.0) for seed in (0, 1, 2)
    ]
    assert (cells["cell_train_seconds"] == 1.0).all()  # the cell's time, on each of its rows
    assert history.groupby(list(NETWORK_COLUMNS)).size().tolist() == [3] * 6
    assert predictions["dev_logits"].shape == (6, 3)


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


def test_corrupted_history_names_its_file(cell_files):
    history_path = cell_files[0].history
    history_path.write_text("iteration,cost\n0,1.0\n")
    with pytest.raises(AggregationError, match=f"{history_path} lacks"):
        aggregate(cell_files)


def test_history_without_the_records_of_a_network_names_its_file(cell_files):
    history_path = cell_files[0].history
    lines = history_path.read_text().splitlines(keepends=True)
    history_path.write_text("".join(line for line in lines if not line.startswith("1.2,0,")))
    with pytest.raises(AggregationError) as error:
        aggregate(cell_files)
    message = str(error.value)
    assert f"{history_path} does not hold the networks" in message
    assert "without records [(1.2, 0)], not listed []" in message
    assert retrain_command(cell_files[0].metrics) in message


def test_history_with_records_of_an_unlisted_network_names_its_file(cell_files):
    history_path = cell_files[0].history
    lines = history_path.read_text().splitlines(keepends=True)
    assert lines[1].startswith("1.2,1,")
    history_path.write_text("".join(lines) + "0.3" + lines[1][len("1.2") :])
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
    write_json(path, {key: value for key, value in BASELINE.items() if key != "dev_accuracy"})
    with pytest.raises(AggregationError, match=rf"{path} lacks \['dev_accuracy'\]"):
        read_baseline(path)
    write_json(path, BASELINE)
    assert read_baseline(path) == BASELINE


def summary_of(cells, metric="balanced_accuracy"):
    best = select_best(cells, metric=metric)
    best |= compare_with_majority(best, CLASS_MIX)
    return best, summary_markdown(cells, best, BASELINE)


def test_summary_names_best_configuration_class_mix_baselines_and_diverged_count(cell_files):
    best, text = summary_of(aggregate(cell_files).cells)
    assert "Networks: 3 (2 ok, 1 diverged) in 2 cells, 2 seed(s) x 1 learning rate(s)" in text
    assert (
        f"activation {best['activation']}, init he, hidden {best['hidden']}, learning rate 1.2"
        in text
    )
    assert "Selection metric: dev balanced accuracy (config `selection.metric: " in text
    assert "beats the majority-class baseline on dev: yes" in text
    assert "Warning" not in text
    assert "| dev | 3 | 1 | 2 | 0.6667 |" in text and "| test | 4 | 3 | 1 | 0.7500 |" in text
    assert "dev accuracy 0.6100 / balanced 0.5500, test accuracy 0.6200 / balanced" in text
    assert "| tanh | he | 1.2 | 1 |" in text  # the diverged networks, per activation and init


def test_summary_opens_with_the_warning_when_the_selection_does_not_beat_the_majority():
    best, text = summary_of(label_shift_table(), metric="accuracy")
    assert text.splitlines()[2] == f"> **Warning.** {best['warning']}"
    assert "beats the majority-class baseline on dev: **no**" in text
    assert math.isclose(best["constant_predictor_dev_score"], 2 / 3)
