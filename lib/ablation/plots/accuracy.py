"""Figures of final accuracies from ``cells.csv``: accuracy against hidden size, and the
identity network against logistic regression (linear collapse)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from ablation.aggregate import at_selected_learning_rates, select_best
from ablation.grid import NETWORK_COLUMNS
from ablation.plots.common import (
    ACTIVATION_ORDER,
    INIT_ORDER,
    SPLITS,
    bootstrap_band,
    dodged,
    figure_style,
    finish,
    hidden_axis,
    line_handles,
    line_with_band,
    mark_diverged_at_bottom,
    palette,
    panel_grid,
    style_order,
)


def against_hidden(
    ax, frame: pd.DataFrame, *, y: str, hue: str, colours: Mapping, hidden: list[int]
):
    """``y`` against hidden size on ``ax``: one line per ``hue`` value with its band over seeds,
    each hue shifted a little (:func:`~ablation.plots.common.dodged`), diverged networks
    marked at the bottom; the x axis ticked at the grid's ``hidden`` sizes."""
    frame = dodged(frame, hue=hue, colours=colours)
    line_with_band(
        ax, frame, x="hidden", y=y, hue=hue, colours=colours, marker="o", markersize=4
    )
    mark_diverged_at_bottom(ax, frame, x="hidden", hue=hue, colours=colours)
    hidden_axis(ax, hidden)


def accuracy_long(cells: pd.DataFrame) -> pd.DataFrame:
    """``cells`` in long form: one row per cell and split, columns ``split`` and ``accuracy``."""
    keys = [*NETWORK_COLUMNS, "status"]
    long = cells.melt(
        id_vars=keys,
        value_vars=[f"{split}_accuracy" for split in SPLITS],
        var_name="split",
        value_name="accuracy",
    )
    long["split"] = long["split"].str.removesuffix("_accuracy")
    return long


def plot_accuracy_vs_hidden(cells: pd.DataFrame) -> Figure:
    """Train, dev and test accuracy versus hidden size: one row per init, one line per
    activation, 95 % band over seeds.

    Parameters
    ----------
    cells : DataFrame
        ``cells.csv`` rows.
    """
    cells = at_selected_learning_rates(cells)
    inits = style_order(cells["init"], INIT_ORDER)
    colours = palette(style_order(cells["activation"], ACTIVATION_ORDER))
    long = accuracy_long(cells)
    hidden = sorted(cells["hidden"].unique())
    with figure_style():
        figure, axes = panel_grid(len(inits), len(SPLITS))
        for row, init in enumerate(inits):
            for column, split in enumerate(SPLITS):
                ax = axes[row, column]
                shown = long[(long["init"] == init) & (long["split"] == split)]
                against_hidden(
                    ax, shown, y="accuracy", hue="activation", colours=colours, hidden=hidden
                )
                ax.set(title=f"{split} · init = {init}", ylabel="accuracy")
        finish(
            figure,
            f"Accuracy versus hidden size ({cells['dataset'].iloc[0]}), "
            "mean and 95 % CI over seeds",
            cells,
            "activation",
            line_handles(colours),
        )
    return figure


def plot_linear_collapse(cells: pd.DataFrame, baseline: Mapping) -> Figure:
    """The identity network against the best non-linear network and logistic regression.

    Left: train/dev/test accuracy of logistic regression, of the identity network's best
    configuration and of the best non-linear configuration (both chosen on dev accuracy with
    :func:`ablation.aggregate.select_best`), mean and 95 % CI over seeds. Right: dev accuracy
    versus hidden size at each network's chosen activation and init, with logistic
    regression as a horizontal line: a linear hidden layer gains nothing from more units.

    Parameters
    ----------
    cells : DataFrame
        ``cells.csv`` rows; must contain ``identity`` cells and some other activation.
    baseline : mapping
        The baseline's ``metrics.json``: ``train_accuracy``, ``dev_accuracy``,
        ``test_accuracy``.
    """
    cells = at_selected_learning_rates(cells)
    linear = cells["activation"] == "identity"
    models = {}
    missing = []
    for name, subset in (("identity", cells[linear]), ("non-linear", cells[~linear])):
        try:
            best = select_best(subset) if len(subset) else None
        except ValueError:  # every configuration of this kind diverged on some seed
            best = None
        if best is None:
            missing.append(name)
            continue
        configuration = f"{best['init']} init, $n_h$={best['hidden']}"
        label = (
            f"identity ({configuration})"
            if name == "identity"
            else f"best non-linear: {best['activation']} ({configuration})"
        )
        models[label] = best
    reference = "logistic regression"
    colours = {reference: (0.2, 0.2, 0.2), **palette(list(models))}

    # Left panel: one row per (model, seed, split); the baseline has a single "seed".
    bars = [
        {"model": reference, "split": split, "accuracy": baseline[f"{split}_accuracy"]}
        for split in SPLITS
    ]
    curves = []
    for label, best in models.items():
        same_configuration = (cells["activation"] == best["activation"]) & (
            cells["init"] == best["init"]
        )
        curves.append(cells[same_configuration].assign(model=label))
        chosen = cells[same_configuration & (cells["hidden"] == best["hidden"])]
        bars += [
            {"model": label, "split": split, "accuracy": accuracy}
            for split in SPLITS
            for accuracy in chosen[f"{split}_accuracy"]
        ]
    bars = pd.DataFrame(bars).dropna(subset=["accuracy"])
    curves = pd.concat(curves, ignore_index=True) if curves else cells.iloc[:0].assign(model="")
    network_colours = {label: colours[label] for label in models}

    with figure_style():
        # Separate y axes: bars must start at 0, the curves need their own range to be read.
        figure, axes = panel_grid(1, 2, sharex=False, sharey=False, panel_size=(4.2, 3.4))
        left, right = axes[0]
        sns.barplot(
            data=bars,
            x="split",
            y="accuracy",
            hue="model",
            hue_order=list(colours),
            palette=colours,
            **bootstrap_band(),
            legend=False,
            ax=left,
        )
        left.set(title="chosen configurations", xlabel="", ylabel="accuracy")
        against_hidden(
            right,
            curves,
            y="dev_accuracy",
            hue="model",
            colours=network_colours,
            hidden=sorted(cells["hidden"].unique()),
        )
        right.axhline(baseline["dev_accuracy"], color=colours[reference], ls="--", lw=1.2)
        right.set(title="dev accuracy versus hidden size", ylabel="dev accuracy")
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
            f"({cells['dataset'].iloc[0]})",
            curves,
            "model",
            line_handles(colours),
            below=True,
        )
    return figure
