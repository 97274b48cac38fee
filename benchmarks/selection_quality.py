"""How well the dev set ranks the configurations of a finished run (docs/method.md).

For each dataset of one or more results directories, every configuration at its learning
rate selected on dev, random inits and zero init alike:

- Spearman's correlation between the configurations' dev scores and their mean test scores
  (balanced accuracy): does dev order them as test does?
- how many configurations score significantly above chance (0.5) on dev: a one-sided
  stratified paired test of the per-example dev scores against 0.5, at 5 % each;
- how often the winner on dev wins again when the dev examples are resampled (within their
  class, with replacement, 1000 times): a winner that rarely wins again was picked by the
  noise of a few dev examples;
- how often a configuration's learning rate would change if it were chosen on test (random
  inits), against the share a random choice among the rates would change;
- the number of dev examples a configuration's dev score rests on.

Then, for this workflow's layout, what each selection metric of ``ablation.metrics.METRICS``
would pick from the same pooled dev predictions (``ablation.selection.ranked_by`` on
``configurations.csv``), with its dev and mean test scores (docs/method.md, "The selection
metric").

Two layouts are read: this workflow's (``configurations.csv`` and the selected networks'
pooled dev predictions in ``summary/predictions.npz``), and the one before ``dev_split``
(commit ed101b6: one fixed dev split, each configuration's dev score the mean over seeds of
its networks' dev balanced accuracy, the rate chosen by that mean, ties broken by the lower
mean dev cross-entropy and then the smaller rate, rates with a diverged seed left out).

Usage::

    .venv/bin/python benchmarks/selection_quality.py RESULTS [RESULTS ...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ablation.grid import CELL_COLUMNS
from ablation.metrics import METRICS
from ablation.selection import ranked_by
from ablation.statistics import class_strata, paired_test

BALANCED = METRICS["balanced_accuracy"]
RESAMPLES = 1000
#: Seed of the dev-example resampling.
SEED = 20241202
KEYS = [*CELL_COLUMNS, "learning_rate"]


def per_example_scores(predictions: Path, chosen: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per configuration of ``chosen`` (configuration and rate), its per-example dev scores
    pooled over its replicates (configurations, m_dev), and the dev labels."""
    with np.load(predictions) as stored:
        keys = pd.DataFrame({key: stored[key] for key in KEYS[:-1] + ["learning_rate"]})
        logits, labels = stored["dev_logits"], stored["dev_labels"]
    rows = pd.MultiIndex.from_frame(keys[KEYS])
    scores = [
        BALANCED.example_scores(logits[rows.get_locs(list(key))], labels)
        for key in chosen[KEYS].itertuples(index=False, name=None)
    ]
    return np.array(scores), labels


def current_layout(summary: Path) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.DataFrame]:
    """This workflow's selected configurations: (table with ``dev`` and ``test``, per-example
    dev scores, dev labels, every configuration and rate with ``dev`` and ``test``)."""
    every = pd.read_csv(summary / "configurations.csv").rename(
        columns={"dev_balanced_accuracy": "dev", "mean_test_balanced_accuracy": "test"}
    )
    chosen = every[every["selected"]].reset_index(drop=True)
    scores, labels = per_example_scores(summary / "predictions.npz", chosen)
    return chosen, scores, labels, every


def earlier_layout(summary: Path) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.DataFrame]:
    """The same from a run of commit ed101b6 (see the module docstring)."""
    cells = pd.read_csv(summary / "cells.csv")
    grouped = cells.groupby(KEYS)
    every = grouped.agg(
        dev=("dev_balanced_accuracy", "mean"),
        dev_cost=("dev_cost", "mean"),
        test=("test_balanced_accuracy", "mean"),
        diverged=("status", lambda status: int((status != "ok").sum())),
    ).reset_index()
    preferred = every.sort_values(
        ["diverged", "dev", "dev_cost", "learning_rate"],
        ascending=[True, False, True, True],
        na_position="last",
        kind="mergesort",
    )
    chosen = preferred.drop_duplicates(list(CELL_COLUMNS)).sort_values(KEYS, ignore_index=True)
    with np.load(summary / "predictions.npz") as stored:
        keys = pd.DataFrame({key: stored[key] for key in KEYS})
        logits, labels = stored["dev_logits"], stored["dev_labels"]
    rows = pd.MultiIndex.from_frame(keys)
    scores = np.array(
        [
            BALANCED.example_scores(logits[rows.get_locs(list(key))], labels)
            for key in chosen[KEYS].itertuples(index=False, name=None)
        ]
    )
    return chosen, scores, labels, every


def winner_wins_again(scores: np.ndarray, labels: np.ndarray, winner: int) -> float:
    """The share of dev resamples (within class) in which ``winner`` still has the best score."""
    rng = np.random.default_rng(SEED)
    weights = BALANCED.example_weights(labels)
    usable = np.isfinite(scores).all(axis=1)
    wins = 0
    for _ in range(RESAMPLES):
        drawn = np.concatenate(
            [rng.choice(members, size=members.size) for members in class_strata(labels)]
        )
        values = np.where(usable, scores[:, drawn] @ weights[drawn] / weights[drawn].sum(), -np.inf)
        wins += int(np.argmax(values) == winner)
    return wins / RESAMPLES


def describe(name: str, chosen, scores, labels, every) -> dict:
    weights = BALANCED.example_weights(labels)
    usable = np.isfinite(scores).all(axis=1) & chosen["dev"].notna().to_numpy()
    above = sum(paired_test(row - 0.5, labels, weights).p_value < 0.05 for row in scores[usable])
    ranked = chosen.assign(value=np.where(usable, chosen["dev"], -np.inf))
    winner = int(ranked["value"].to_numpy().argmax())
    random_inits = every[every["init"] != "zeros"]
    on_test = random_inits.sort_values(
        [*CELL_COLUMNS, "test"], ascending=[True, True, True, False], kind="mergesort"
    ).drop_duplicates(list(CELL_COLUMNS))
    on_dev = chosen[chosen["init"] != "zeros"]
    merged = on_dev.merge(on_test, on=list(CELL_COLUMNS), suffixes=("_dev", "_test"))
    rates = every["learning_rate"].nunique()
    return {
        "dataset": name,
        "configurations": int(usable.sum()),
        "dev examples": int(labels.size),
        "Spearman dev-test": stats.spearmanr(chosen["dev"][usable], chosen["test"][usable])[0],
        "above chance on dev": f"{above} of {int(usable.sum())}",
        "winner wins again": winner_wins_again(scores, labels, winner),
        "rate changes if chosen on test": (
            f"{(merged['learning_rate_dev'] != merged['learning_rate_test']).mean():.0%} "
            f"(chance {1 - 1 / rates:.0%})"
        ),
    }


def choice_by_metric(summary: Path) -> list[dict]:
    """The best configuration each selection metric picks from ``configurations.csv``."""
    every = pd.read_csv(summary / "configurations.csv")
    rows = []
    for name in METRICS:
        best = ranked_by(every, name).query("rank == 1").iloc[0]
        rows.append(
            {
                "dataset": summary.parent.name,
                "selection.metric": name,
                "selected": f"{best.activation}, {best.init}, {best.hidden}, {best.learning_rate:g}",
                "dev accuracy / balanced": (
                    f"{best.dev_accuracy:.3f} / {best.dev_balanced_accuracy:.3f}"
                ),
                "test accuracy / balanced": (
                    f"{best.mean_test_accuracy:.3f} / {best.mean_test_balanced_accuracy:.3f}"
                ),
            }
        )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="+", type=Path, help="a run's results/ directory")
    args = parser.parse_args(argv)
    rows = []
    for results in args.results:
        for summary in sorted(results.glob("*/summary")):
            reader = current_layout if (summary / "configurations.csv").exists() else earlier_layout
            row = describe(summary.parent.name, *reader(summary))
            rows.append({"results": str(results), **row})
    print(pd.DataFrame(rows).to_markdown(index=False, floatfmt=".2f"))
    choices = [
        row
        for results in args.results
        for summary in sorted(results.glob("*/summary"))
        if (summary / "configurations.csv").exists()
        for row in choice_by_metric(summary)
    ]
    if choices:
        print("\nThe configuration each selection metric picks (test: means over replicates):")
        print(pd.DataFrame(choices).to_markdown(index=False))


if __name__ == "__main__":
    main()
