"""What the dev set chooses, on hand-built networks and dev predictions: pooled dev scores,
each configuration's learning rate, the ranking, the indistinguishable set, best.json."""

import numpy as np
import pandas as pd
import pytest
from shallownet import STATUS_DIVERGED, STATUS_OK

from ablation.grid import CELL_COLUMNS
from ablation.metrics import METRICS, class_mix, constant_predictor_score
from ablation.selection import (
    CONFIGURATION_COLUMNS,
    best_configuration,
    choose,
    compare_with_majority,
    selected_networks,
)

#: Dev examples: two thirds negatives, like the cat data's.
DEV_LABELS = np.array([0] * 20 + [1] * 10)
CLASS_MIX = {
    "train": class_mix(DEV_LABELS),
    "dev": class_mix(DEV_LABELS),
    "test": class_mix(np.array([1, 1, 0, 1])),
}


def logits(correct, confidence=2.0):
    """Dev logits right on the examples where ``correct`` is True, with ``confidence``."""
    sign = 2 * DEV_LABELS - 1
    return np.where(np.asarray(correct, dtype=bool), sign, -sign) * confidence


def skilled(negatives, positives, confidence=2.0):
    """Dev logits right on the first ``negatives`` negatives and ``positives`` positives."""
    correct = np.concatenate([np.arange(20) < negatives, np.arange(10) < positives])
    return logits(correct, confidence)


def constant(answer=0, confidence=0.7):
    """Dev logits of a network that always answers ``answer``."""
    return np.full(DEV_LABELS.size, confidence if answer else -confidence)


class Grid:
    """Networks (cells.csv rows) and their dev logits, built one at a time."""

    def __init__(self):
        self.rows, self.logits = [], []

    def add(
        self,
        dev,
        *,
        activation="tanh",
        init="he",
        hidden=2,
        learning_rate=1.0,
        seed=0,
        status=STATUS_OK,
        test=0.7,
    ):
        diverged = status == STATUS_DIVERGED
        self.rows.append(
            {
                "dataset": "toy",
                "activation": activation,
                "init": init,
                "hidden": hidden,
                "learning_rate": learning_rate,
                "seed": seed,
                "alpha": np.nan,
                "status": status,
                "final_cost": None if diverged else 0.3,
                "test_cost": None if diverged else 1 - test,
                "train_accuracy": None if diverged else 0.9,
                "test_accuracy": None if diverged else test,
                "train_balanced_accuracy": None if diverged else 0.9,
                "test_balanced_accuracy": None if diverged else test,
            }
        )
        self.logits.append(np.full(DEV_LABELS.size, np.nan) if diverged else dev)
        return self

    def choose(self, metric="balanced_accuracy"):
        cells = pd.DataFrame(self.rows)
        return cells, choose(cells, np.array(self.logits), DEV_LABELS, metric)


def chosen_rates(configurations):
    chosen = configurations[configurations["selected"]]
    return {tuple(row[list(CELL_COLUMNS)]): row["learning_rate"] for _, row in chosen.iterrows()}


def best_of(configurations, metric="balanced_accuracy"):
    return best_configuration(
        configurations, dataset="toy", metric=metric, dev_examples=30, class_mix=CLASS_MIX
    )


def test_the_table_has_every_configuration_and_rate_with_pooled_scores():
    grid = Grid()
    for seed in (0, 1):
        grid.add(skilled(18, 6), seed=seed, learning_rate=0.1)
        grid.add(skilled(10, 10), seed=seed, learning_rate=1.0)
    _, table = grid.choose()
    assert list(table.columns) == list(CONFIGURATION_COLUMNS)
    assert list(table["learning_rate"]) == [0.1, 1.0]
    # Pooled over both replicates' predictions of the 30 dev examples.
    assert table["dev_balanced_accuracy"].tolist() == pytest.approx([(0.9 + 0.6) / 2, 0.75])
    assert table["dev_accuracy"].tolist() == pytest.approx([24 / 30, 20 / 30])
    assert (table["replicates"] == 2).all() and (table["diverged"] == 0).all()
    assert table["mean_test_accuracy"].tolist() == pytest.approx([0.7, 0.7])


def test_the_learning_rate_with_the_best_pooled_dev_score_is_selected():
    grid = Grid()
    # Rate 1.0 has the best single replicate but the lower pooled score.
    grid.add(skilled(16, 8), seed=0, learning_rate=0.1).add(
        skilled(16, 8), seed=1, learning_rate=0.1
    )
    grid.add(skilled(20, 10), seed=0, learning_rate=1.0).add(
        skilled(10, 3), seed=1, learning_rate=1.0
    )
    _, table = grid.choose()
    assert chosen_rates(table) == {("tanh", "he", 2): 0.1}


@pytest.mark.parametrize(
    "metric, rate", [("accuracy", 0.1), ("balanced_accuracy", 1.0), ("cross_entropy", 0.1)]
)
def test_each_metric_selects_its_own_learning_rate(metric, rate):
    # Rate 0.1 leaves the network a constant predictor (always "negative"): the best dev
    # accuracy and cross-entropy, a balanced accuracy of 0.5. Rate 1.0 learns, and overfits:
    # confidently wrong on the rest.
    grid = Grid()
    for seed in (0, 1):
        grid.add(constant(0, confidence=1.0), seed=seed, learning_rate=0.1)
        grid.add(skilled(12, 7, confidence=6.0), seed=seed, learning_rate=1.0)
    _, table = grid.choose(metric)
    assert chosen_rates(table) == {("tanh", "he", 2): rate}


def test_selection_never_looks_at_the_test_set():
    choices = []
    for test in (0.0, 1.0):
        grid = Grid()
        grid.add(skilled(18, 8), learning_rate=0.1, test=test)
        grid.add(skilled(16, 7), learning_rate=1.0, test=1 - test)
        grid.add(skilled(15, 7), activation="relu", learning_rate=0.1, test=1 - test)
        _, table = grid.choose()
        choices.append(table[["selected", "rank", "indistinguishable"]])
    pd.testing.assert_frame_equal(*choices)


def test_a_learning_rate_with_a_diverged_replicate_is_not_selected():
    grid = Grid()
    grid.add(skilled(15, 5), seed=0, learning_rate=0.1).add(
        skilled(15, 5), seed=1, learning_rate=0.1
    )
    grid.add(skilled(20, 10), seed=0, learning_rate=1.0)
    grid.add(None, seed=1, learning_rate=1.0, status=STATUS_DIVERGED)
    _, table = grid.choose()
    assert chosen_rates(table) == {("tanh", "he", 2): 0.1}
    # A diverged replicate leaves its dev examples unpredicted: no pooled score.
    assert np.isnan(table.loc[table["learning_rate"] == 1.0, "dev_balanced_accuracy"]).all()


def test_ties_go_to_the_other_kind_of_dev_score_then_to_the_smaller_rate():
    grid = Grid()
    grid.add(skilled(15, 5, confidence=1.0), learning_rate=0.1)
    grid.add(skilled(15, 5, confidence=3.0), learning_rate=1.0)  # same accuracy, worse cost
    grid.add(skilled(15, 5), hidden=3, learning_rate=0.1).add(
        skilled(15, 5), hidden=3, learning_rate=1.0
    )
    _, table = grid.choose()
    assert chosen_rates(table) == {("tanh", "he", 2): 0.1, ("tanh", "he", 3): 0.1}


def test_when_every_rate_has_a_diverged_replicate_the_fewest_divergences_are_kept():
    grid = Grid()
    for seed in (0, 1):
        grid.add(None, seed=seed, learning_rate=0.1, status=STATUS_DIVERGED)
    grid.add(skilled(15, 5), seed=0, learning_rate=1.0)
    grid.add(None, seed=1, learning_rate=1.0, status=STATUS_DIVERGED)
    _, table = grid.choose()
    assert chosen_rates(table) == {("tanh", "he", 2): 1.0}
    assert table["rank"].isna().all()  # never ranked, so never the best
    with pytest.raises(ValueError, match="no configuration trained without divergence"):
        best_of(table)


def ranked(configurations):
    order = configurations[configurations["rank"].notna()].sort_values("rank")
    return [tuple(row[list(CELL_COLUMNS)]) for _, row in order.iterrows()]


def test_configurations_are_ranked_by_pooled_dev_score_then_by_name():
    grid = Grid()
    grid.add(skilled(18, 8), activation="tanh")
    grid.add(skilled(18, 8), activation="relu")
    grid.add(skilled(20, 10), activation="sigmoid")
    grid.add(skilled(10, 2), activation="identity")
    _, table = grid.choose()
    assert ranked(table) == [
        ("sigmoid", "he", 2),
        ("relu", "he", 2),
        ("tanh", "he", 2),
        ("identity", "he", 2),
    ]


def test_the_dev_set_cannot_tell_a_configuration_with_the_same_predictions_from_the_best():
    grid = Grid()
    grid.add(skilled(20, 10), activation="relu")  # the best (ties go by name)
    grid.add(skilled(20, 10), activation="sigmoid")  # the same predictions
    grid.add(skilled(19, 9), activation="tanh")  # one example of each class fewer
    grid.add(constant(0), activation="identity")  # no skill
    _, table = grid.choose()
    same = dict(zip(table["activation"], table["indistinguishable"]))
    assert same == {"sigmoid": True, "relu": True, "tanh": True, "identity": False}
    p_values = dict(zip(table["activation"], table["p_value"]))
    assert np.isnan(p_values["relu"]) and p_values["sigmoid"] == 1.0
    # Bonferroni over the 3 comparisons: distinguishable only below 0.05 / 3.
    assert p_values["identity"] < 0.05 / 3 < p_values["tanh"]


def test_best_json_names_the_choice_and_what_dev_can_tell():
    grid = Grid()
    for seed in (0, 1):
        grid.add(skilled(20, 10), activation="sigmoid", seed=seed, test=0.8)
        grid.add(skilled(19, 10), activation="tanh", seed=seed)
        grid.add(constant(0), activation="identity", seed=seed)
    _, table = grid.choose()
    best = best_of(table)
    assert (best["activation"], best["init"], best["hidden"]) == ("sigmoid", "he", 2)
    assert best["learning_rate"] == 1.0 and best["replicates"] == 2
    assert best["dev_examples"] == 30 and best["configurations_considered"] == 3
    assert best["dev_balanced_accuracy"] == pytest.approx(1.0)
    assert best["mean_test_accuracy"] == pytest.approx(0.8)
    assert [entry["activation"] for entry in best["indistinguishable"]] == ["sigmoid", "tanh"]
    assert best["indistinguishable"][1]["dev_balanced_accuracy"] == pytest.approx(0.975)
    assert "paired t test" in best["indistinguishable_rule"]
    assert best["beats_majority_on_dev"] is True and best["warning"] is None


@pytest.mark.parametrize(
    "metric, beats",
    [("accuracy", False), ("balanced_accuracy", True), ("cross_entropy", False)],
)
def test_a_constant_predictor_is_not_beaten_on_accuracy_and_cross_entropy(metric, beats):
    # A network that always answers "negative" (accuracy 2/3, balanced 0.5; its dev
    # cross-entropy a little above the training share's, 0.64) against one that learned
    # something and is confidently wrong on the rest (accuracy 19/30, balanced 0.65).
    grid = Grid()
    grid.add(constant(0, confidence=1.0), activation="sigmoid")
    grid.add(skilled(12, 7, confidence=6.0), activation="tanh")
    _, table = grid.choose(metric)
    best = best_of(table, metric)
    assert best["activation"] == ("tanh" if beats else "sigmoid")
    assert best["beats_majority_on_dev"] is beats
    assert (best["warning"] is None) == beats


def test_compare_with_majority_reports_the_class_mix_and_the_constant_score():
    best = {"selection_metric": "accuracy", "dev_accuracy": 2 / 3}
    verdict = compare_with_majority(best, CLASS_MIX)
    assert verdict["majority"]["dev"] == {"accuracy": 2 / 3, "positives": 10, "negatives": 20}
    assert verdict["majority"]["test"] == {"accuracy": 0.75, "positives": 3, "negatives": 1}
    assert verdict["constant_predictor_dev_score"] == pytest.approx(2 / 3)
    assert verdict["warning"].startswith(
        "The selected configuration does not beat the majority-class baseline on the dev set: "
        "its pooled dev accuracy 0.6667 is no better than the 0.6667 of always answering the "
        "majority class."
    )
    just_better = dict(best, dev_accuracy=2 / 3 + 1e-9)
    assert compare_with_majority(just_better, CLASS_MIX)["beats_majority_on_dev"] is True
    cost = constant_predictor_score(CLASS_MIX, "cross_entropy")
    assert cost == pytest.approx(-np.log(2 / 3) * 2 / 3 - np.log(1 / 3) / 3)


def test_selected_networks_are_those_at_their_configurations_rate():
    grid = Grid()
    for seed in (0, 1):
        grid.add(skilled(18, 8), seed=seed, learning_rate=0.1)
        grid.add(skilled(12, 8), seed=seed, learning_rate=1.0)
        grid.add(skilled(12, 8), hidden=3, seed=seed, learning_rate=0.1)
        grid.add(skilled(18, 8), hidden=3, seed=seed, learning_rate=1.0)
    cells, table = grid.choose()
    chosen = cells[selected_networks(cells, table)]
    assert list(zip(chosen["hidden"], chosen["learning_rate"], chosen["seed"])) == [
        (2, 0.1, 0),
        (3, 1.0, 0),
        (2, 0.1, 1),
        (3, 1.0, 1),
    ]


def test_every_metric_has_a_pooled_dev_column():
    assert {metric.dev_column for metric in METRICS.values()} <= set(CONFIGURATION_COLUMNS)
