"""Figures of final accuracies from ``cells.csv``: accuracy against hidden size, and the
identity network against logistic regression (linear collapse).

Both show balanced accuracy unless the selection metric is plain accuracy
(:attr:`ablation.metrics.Metric.accuracy_shown`), each configuration at its learning rate
selected on dev by that metric, with the two baselines of ``cells.csv`` as horizontal lines:
the majority class (what a network that learned nothing from its input can reach) and
logistic regression.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from ablation.grid import NETWORK_COLUMNS
from ablation.metrics import METRICS, metric_named
from ablation.plots.common import (
    ACTIVATION_ORDER,
    INIT_ORDER,
    LOGISTIC,
    MAJORITY,
    REFERENCE_STYLES,
    SPLITS,
    bootstrap_band,
    dodged,
    draw_references,
    figure_style,
    finish,
    hidden_axis,
    line_handles,
    line_with_band,
    mark_diverged_at_bottom,
    palette,
    panel_grid,
    reference_handles,
    reference_scores,
    selected,
    style_order,
)


def against_hidden(
    ax, frame: pd.DataFrame, *, y: str, hue: str, colours: Mapping, hidden: list[int]
):
    """``y`` against hidden size on ``ax``: one line per ``hue`` value with its band over seeds,
    each hue shifted a little (:func:`~ablation.plots.common.dodged`), diverged networks
    marked at the bottom; the x axis ticked at the grid's ``hidden`` sizes."""
    frame = dodged(frame, hue=hue, colours=colours)
    line_with_band(ax, frame, x="hidden", y=y, hue=hue, colours=colours, marker="o", markersize=4)
    mark_diverged_at_bottom(ax, frame, x="hidden", hue=hue, colours=colours)
    hidden_axis(ax, hidden)


def accuracy_long(cells: pd.DataFrame, kind: str) -> pd.DataFrame:
    """``cells`` in long form: one row per network and split, columns ``split`` and ``score``
    (its ``<split>_<kind>``, ``kind`` being ``accuracy`` or ``balanced_accuracy``)."""
    keys = [*NETWORK_COLUMNS, "status"]
    long = cells.melt(
        id_vars=keys,
        value_vars=[f"{split}_{kind}" for split in SPLITS],
        var_name="split",
        value_name="score",
    )
    long["split"] = long["split"].str.removesuffix(f"_{kind}")
    return long


def plot_accuracy_vs_hidden(cells: pd.DataFrame, *, metric: str) -> Figure:
    """Train, dev and test accuracy (balanced unless ``metric`` is ``accuracy``) versus hidden
    size: one row per init, one line per activation, 95 % band over seeds, the majority-class
    and logistic-regression baselines as horizontal lines.

    Parameters
    ----------
    cells : DataFrame
        ``cells.csv`` rows, with its baseline columns.
    metric : str
        The selection metric (config ``selection.metric``).
    """
    kind = metric_named(metric).accuracy_shown
    cells = selected(cells)
    inits = style_order(cells["init"], INIT_ORDER)
    colours = palette(style_order(cells["activation"], ACTIVATION_ORDER))
    long = accuracy_long(cells, kind)
    hidden = sorted(cells["hidden"].unique())
    with figure_style():
        figure, axes = panel_grid(len(inits), len(SPLITS))
        for row, init in enumerate(inits):
            for column, split in enumerate(SPLITS):
                ax = axes[row, column]
                shown = long[(long["init"] == init) & (long["split"] == split)]
                against_hidden(
                    ax, shown, y="score", hue="activation", colours=colours, hidden=hidden
                )
                draw_references(ax, reference_scores(cells, split, kind))
                ax.set(title=f"{split} · init = {init}", ylabel=METRICS[kind].label)
        finish(
            figure,
            f"{METRICS[kind].label.capitalize()} versus hidden size "
            f"({cells['dataset'].iloc[0]}), mean and 95 % CI over replicates\n"
            f"each configuration at its learning rate selected by dev {METRICS[metric].label}",
            cells,
            "activation",
            line_handles(colours) + reference_handles(),
        )
    return figure


def plot_linear_collapse(
    cells: pd.DataFrame, configurations: pd.DataFrame, *, metric: str
) -> Figure:
    """The identity network against the best non-linear network and logistic regression.

    Left: train/dev/test accuracy (balanced unless ``metric`` is ``accuracy``) of logistic
    regression, of the identity network's best configuration and of the best non-linear
    configuration (each the highest ranked on dev of its kind in ``configurations.csv``),
    mean and 95 % CI over replicates, with the majority-class baseline of each split. Right:
    the dev score versus hidden size at each network's chosen activation and init, with both
    baselines as horizontal lines: a linear hidden layer gains nothing from more units.

    Parameters
    ----------
    cells : DataFrame
        ``cells.csv`` rows, with its baseline columns.
    configurations : DataFrame
        ``configurations.csv`` rows (their ``rank``).
    metric : str
        The selection metric (``best.json``'s ``selection_metric``).
    """
    kind = metric_named(metric).accuracy_shown
    label = METRICS[kind].label
    cells = selected(cells)
    ranked = configurations[configurations["rank"].notna()].sort_values("rank")
    linear = ranked["activation"] == "identity"
    models = {}
    missing = []
    for name, subset in (("identity", ranked[linear]), ("non-linear", ranked[~linear])):
        if subset.empty:  # every configuration of this kind diverged on some replicate
            missing.append(name)
            continue
        best = subset.iloc[0]
        configuration = f"{best['init']} init, $n_h$={best['hidden']}"
        models[
            (
                f"identity ({configuration})"
                if name == "identity"
                else f"best non-linear: {best['activation']} ({configuration})"
            )
        ] = best
    colours = {LOGISTIC: REFERENCE_STYLES[LOGISTIC]["color"], **palette(list(models))}
    references = {split: reference_scores(cells, split, kind) for split in SPLITS}

    # Left panel: one row per (model, seed, split); the baseline has a single "seed".
    bars = [
        {"model": LOGISTIC, "split": split, "score": references[split][LOGISTIC]}
        for split in SPLITS
    ]
    curves = []
    for model, best in models.items():
        same_configuration = (cells["activation"] == best["activation"]) & (
            cells["init"] == best["init"]
        )
        curves.append(cells[same_configuration].assign(model=model))
        chosen = cells[same_configuration & (cells["hidden"] == best["hidden"])]
        bars += [
            {"model": model, "split": split, "score": score}
            for split in SPLITS
            for score in chosen[f"{split}_{kind}"]
        ]
    bars = pd.DataFrame(bars).dropna(subset=["score"])
    curves = pd.concat(curves, ignore_index=True) if curves else cells.iloc[:0].assign(model="")
    network_colours = {model: colours[model] for model in models}

    with figure_style():
        # Separate y axes: bars must start at 0, the curves need their own range to be read.
        figure, axes = panel_grid(1, 2, sharex=False, sharey=False, panel_size=(4.2, 3.4))
        left, right = axes[0]
        sns.barplot(
            data=bars,
            x="split",
            y="score",
            hue="model",
            hue_order=list(colours),
            palette=colours,
            **bootstrap_band(),
            legend=False,
            ax=left,
        )
        # The majority-class baseline across each split's group of bars.
        for position, split in enumerate(SPLITS):
            left.plot(
                [position - 0.45, position + 0.45],
                [references[split][MAJORITY]] * 2,
                **REFERENCE_STYLES[MAJORITY],
            )
        left.set(title="chosen configurations", xlabel="", ylabel=label)
        against_hidden(
            right,
            curves,
            y=f"dev_{kind}",
            hue="model",
            colours=network_colours,
            hidden=sorted(cells["hidden"].unique()),
        )
        draw_references(right, references["dev"])
        right.set(title=f"dev {label} versus hidden size", ylabel=f"dev {label}")
        if missing:  # say so rather than leave the reader looking for a line
            right.text(
                0.5,
                0.95,
                f"no {' or '.join(missing)} configuration without divergence in the grid",
                transform=right.transAxes,
                ha="center",
                va="top",
                fontsize="small",
            )
        finish(
            figure,
            "Linear collapse: identity hidden layer vs logistic regression "
            f"({cells['dataset'].iloc[0]})\n{label}, learning rates selected by dev "
            f"{METRICS[metric].label}",
            curves,
            "model",
            line_handles(colours) + reference_handles([MAJORITY]),
            below=True,
        )
    return figure
