"""``summary.md``: one dataset's run in words, read from the tables the aggregation wrote."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from shallownet import STATUS_DIVERGED, STATUS_OK

from ablation.grid import CELL_COLUMNS
from ablation.metrics import metric_named
from ablation.prepare import SPLITS


def summary_markdown(
    cells: pd.DataFrame,
    configurations: pd.DataFrame,
    best: Mapping,
    baseline: Mapping,
    classes: str | None = None,
) -> str:
    """Plain-text summary of one dataset: the warning when the selection does not beat the
    majority-class baseline, each split's class mix, the best configuration and those the dev
    set cannot tell from it, the baselines, divergence counts, and the best configuration of
    each activation.

    ``cells`` and ``configurations`` are ``cells.csv`` and ``configurations.csv``, ``best``
    is ``best.json`` (:func:`ablation.selection.best_configuration`), ``baseline`` the
    baseline's ``metrics.json``, ``classes`` a sentence naming the classes
    (:func:`ablation.prepare.describe_classes`) for the class-mix section.
    """
    dataset, metric = best["dataset"], metric_named(best["selection_metric"])
    diverged = cells[cells["status"] == STATUS_DIVERGED]
    trained = int((cells["status"] == STATUS_OK).sum())
    rates = sorted(cells["learning_rate"].unique())
    ranked = configurations[configurations["rank"].notna()].sort_values("rank")
    per_activation = ranked.groupby("activation").head(1).sort_values("activation")
    lines = [f"# Ablation summary: {dataset}", ""]
    if not best["beats_majority_on_dev"]:
        lines += [f"> **Warning.** {best['warning']}", ""]
    lines += [
        f"- Networks: {len(cells)} ({trained} ok, {len(diverged)} diverged) in "
        f"{len(cells.drop_duplicates(list(CELL_COLUMNS)))} cells, {cells['seed'].nunique()} "
        f"replicate(s) x {len(rates)} learning rate(s) per cell.",
        f"- Selection metric: dev {metric.label} (config `selection.metric: {metric.name}`) of "
        f"the pooled dev predictions of a configuration's replicates, {best['dev_examples']} "
        f"dev examples; a constant predictor scores {best['constant_predictor_dev_score']:.4f} "
        "on it.",
        f"- Learning rates tried: {', '.join(f'{rate:g}' for rate in rates)}.",
        f"- Selection rule: {best['selection_rule']}.",
        f"- Best configuration: activation {best['activation']}, init {best['init']}, hidden "
        f"{best['hidden']}, learning rate {best['learning_rate']:g}; beats the majority-class "
        f"baseline on dev: {'yes' if best['beats_majority_on_dev'] else '**no**'}.",
        f"  - dev (pooled): accuracy {best['dev_accuracy']:.4f}, balanced accuracy "
        f"{best['dev_balanced_accuracy']:.4f}, cross-entropy {best['dev_cost']:.4f}",
        *(
            f"  - {split}: accuracy {best[f'mean_{split}_accuracy']:.4f}, balanced accuracy "
            f"{best[f'mean_{split}_balanced_accuracy']:.4f}, cross-entropy "
            f"{best[f'mean_{cost}']:.4f} (means over replicates)"
            for split, cost in (("test", "test_cost"), ("train", "final_cost"))
        ),
        f"- Indistinguishable from it on dev: {len(best['indistinguishable'])} of "
        f"{best['configurations_considered']} configurations ({best['indistinguishable_rule']}).",
        f"- Best test accuracy of any network (not a fair estimate: chosen on test): "
        f"{cells['test_accuracy'].max():.4f}.",
        f"- Logistic regression baseline (C = {baseline['C']:g}, kept on dev): dev accuracy "
        f"{_number(baseline['pooled_accuracy'])} / balanced "
        f"{_number(baseline['pooled_balanced_accuracy'])} (pooled), test accuracy "
        f"{_number(baseline['mean_test_accuracy'])} / balanced "
        f"{_number(baseline['mean_test_balanced_accuracy'])}, training cost "
        f"{_number(baseline['mean_final_cost'])} (means over replicates).",
        "",
        "## Class mix of each split",
        "",
        *([classes, ""] if classes else []),
        "A constant predictor scores a split's majority-class share in accuracy and 0.5 in "
        "balanced accuracy.",
        "",
        "| split | examples | positives | negatives | majority-class accuracy |",
        "|---|---|---|---|---|",
        *(
            f"| {split} | {mix['positives'] + mix['negatives']} | {mix['positives']} "
            f"| {mix['negatives']} | {mix['accuracy']:.4f} |"
            for split, mix in ((split, best["majority"][split]) for split in SPLITS)
        ),
        "",
        "## Indistinguishable from the best on dev",
        "",
        f"| activation | init | hidden | learning rate | pooled dev {metric.label} | p-value |",
        "|---|---|---|---|---|---|",
        *(
            f"| {entry['activation']} | {entry['init']} | {entry['hidden']} "
            f"| {entry['learning_rate']:g} | {entry[metric.dev_column]:.4f} "
            f"| {'-' if entry['p_value'] is None else format(entry['p_value'], '.3g')} |"
            for entry in best["indistinguishable"]
        ),
        "",
        f"## Best configuration per activation (by pooled dev {metric.label}, at its "
        "learning rate)",
        "",
        "| activation | init | hidden | learning rate | dev accuracy | dev balanced accuracy "
        "| dev cross-entropy | test accuracy | test balanced accuracy | final cost |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *(
            f"| {row.activation} | {row.init} | {row.hidden} | {row.learning_rate:g} "
            f"| {row.dev_accuracy:.4f} | {row.dev_balanced_accuracy:.4f} "
            f"| {row.dev_cost:.4f} | {row.mean_test_accuracy:.4f} "
            f"| {row.mean_test_balanced_accuracy:.4f} | {row.mean_final_cost:.4f} |"
            for row in per_activation.itertuples()
        ),
        "",
        "## Diverged networks",
        "",
    ]
    if diverged.empty:
        lines.append("None.")
    else:
        counts = diverged.groupby(["activation", "init", "learning_rate"]).size()
        lines += [
            "| activation | init | learning rate | diverged networks |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {activation} | {init} | {rate:g} | {count} |"
            for (activation, init, rate), count in counts.items()
        ]
    return "\n".join(lines) + "\n"


def _number(value) -> str:
    return "n/a" if value is None else f"{value:.4f}"
