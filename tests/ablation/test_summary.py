"""summary.md: the run of one dataset in words, from the tables the aggregation wrote."""

import numpy as np
import pandas as pd
from shallownet import STATUS_DIVERGED, STATUS_OK

from ablation.metrics import class_mix
from ablation.selection import best_configuration, choose, selected_networks
from ablation.summary import summary_markdown

DEV_LABELS = np.array([0, 0, 1])
CLASS_MIX = {
    "train": class_mix(np.array([0, 0, 0, 1, 1, 0])),
    "dev": class_mix(DEV_LABELS),
    "test": class_mix(np.array([1, 1, 0, 1])),
}
BASELINE = {
    "C": 0.1,
    "pooled_accuracy": 0.61,
    "pooled_balanced_accuracy": 0.55,
    "mean_test_accuracy": 0.62,
    "mean_test_balanced_accuracy": 0.52,
    "mean_final_cost": 0.5,
}


def row(activation, seed, status=STATUS_OK):
    scores = dict.fromkeys(
        (
            "final_cost",
            "test_cost",
            "train_accuracy",
            "test_accuracy",
            "train_balanced_accuracy",
            "test_balanced_accuracy",
        ),
        None if status == STATUS_DIVERGED else 0.7,
    )
    return {
        "dataset": "toy",
        "activation": activation,
        "init": "he",
        "hidden": 2,
        "learning_rate": 1.2,
        "seed": seed,
        "alpha": np.nan,
        "status": status,
        **scores,
    }


def summary(dev_logits, rows, metric="balanced_accuracy"):
    cells = pd.DataFrame(rows)
    configurations = choose(cells, np.array(dev_logits, dtype=float), DEV_LABELS, metric)
    cells = cells.assign(selected=selected_networks(cells, configurations))
    best = best_configuration(
        configurations, dataset="toy", metric=metric, dev_examples=3, class_mix=CLASS_MIX
    )
    return best, summary_markdown(cells, configurations, best, BASELINE)


RIGHT = [-2.0, -2.0, 2.0]
ALWAYS_NEGATIVE = [-1.0, -1.0, -1.0]


def test_summary_names_the_choice_what_dev_can_tell_the_class_mix_and_divergence():
    best, text = summary(
        [RIGHT, RIGHT, ALWAYS_NEGATIVE, [np.nan] * 3],
        [row("tanh", 0), row("tanh", 1), row("relu", 0), row("relu", 1, STATUS_DIVERGED)],
    )
    assert "Networks: 4 (3 ok, 1 diverged) in 2 cells, 2 replicate(s) x 1 learning rate(s)" in text
    assert "activation tanh, init he, hidden 2, learning rate 1.2" in text
    assert "pooled dev predictions of a configuration's replicates, 3 dev examples" in text
    assert "beats the majority-class baseline on dev: yes" in text
    assert "Warning" not in text
    assert "Indistinguishable from it on dev: 1 of 1 configurations" in text
    assert "| dev | 3 | 1 | 2 | 0.6667 |" in text and "| test | 4 | 3 | 1 | 0.7500 |" in text
    assert "Logistic regression baseline (C = 0.1, kept on dev): dev accuracy 0.6100" in text
    assert "| relu | he | 1.2 | 1 |" in text  # the diverged networks, per activation and init


def test_summary_opens_with_the_warning_when_the_selection_does_not_beat_the_majority():
    best, text = summary(
        [ALWAYS_NEGATIVE, ALWAYS_NEGATIVE], [row("sigmoid", 0), row("sigmoid", 1)], "accuracy"
    )
    assert text.splitlines()[2] == f"> **Warning.** {best['warning']}"
    assert "beats the majority-class baseline on dev: **no**" in text
