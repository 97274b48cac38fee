"""The fixed-learning-rate view: the selection metric on dev against the learning rate, one line
per activation, one panel per init.

Every other figure shows each configuration at its own learning rate selected on dev; this
one shows every rate that was trained, so that a reader can see how much of a comparison
between activations is a comparison of step sizes (sigmoid's slope is at most a quarter of
tanh's), and which rates the selection picked.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from ablation.aggregate import select_learning_rates
from ablation.metrics import METRIC_LABELS, SELECTION_METRICS
from ablation.plots.common import (
    ACTIVATION_ORDER,
    INIT_ORDER,
    MAJORITY,
    draw_references,
    figure_style,
    finish,
    line_handles,
    line_with_band,
    mark_diverged_at_bottom,
    palette,
    reference_handles,
    style_order,
    wrapped_panels,
)

#: Marker area (points²) per hidden size that selected a learning rate.
SELECTED_MARKER_AREA = 30.0


def seed_means(cells: pd.DataFrame, column: str) -> pd.DataFrame:
    """``column`` averaged over hidden sizes within each activation, init, learning rate and
    seed (networks that diverged left out): the seeds stay the replicates of the band."""
    keys = ["activation", "init", "learning_rate", "seed"]
    return cells.groupby(keys, sort=True)[column].mean().reset_index()


def selection_counts(cells: pd.DataFrame, metric: str) -> pd.DataFrame:
    """How many hidden sizes of each activation and init selected each learning rate
    (:func:`ablation.aggregate.select_learning_rates`): columns ``activation, init,
    learning_rate, selected``."""
    chosen = select_learning_rates(cells, metric)
    return (
        chosen.groupby(["activation", "init", "learning_rate"], sort=True)
        .size()
        .rename("selected")
        .reset_index()
    )


def plot_learning_rates(cells: pd.DataFrame, best: Mapping) -> Figure:
    """The mean dev score in the selection metric against the learning rate: one line per
    activation (mean over hidden sizes within a seed, then over seeds, with a 95 % band over
    seeds), one panel per init, every network of ``cells.csv``.

    A circle on a line marks a learning rate that some hidden sizes of that activation and
    init selected, its area proportional to how many. A dotted line marks the majority-class
    baseline; an ``X`` at the bottom, a rate where some network diverged.

    Parameters
    ----------
    cells : DataFrame
        ``cells.csv`` rows, every learning rate.
    best : mapping
        ``best.json``: ``selection_metric`` and ``constant_predictor_dev_score``.
    """
    metric = best["selection_metric"]
    column, _ = SELECTION_METRICS[metric]
    label = METRIC_LABELS[metric]
    inits = style_order(cells["init"], INIT_ORDER)
    colours = palette(style_order(cells["activation"], ACTIVATION_ORDER))
    means = seed_means(cells, column)
    selected = selection_counts(cells, metric).merge(
        means.groupby(["activation", "init", "learning_rate"])[column].mean().reset_index(),
        on=["activation", "init", "learning_rate"],
    )
    rates = sorted(cells["learning_rate"].unique())
    with figure_style():
        figure, axes = wrapped_panels(len(inits))
        for ax, init in zip(axes, inits):
            line_with_band(
                ax,
                means[means["init"] == init],
                x="learning_rate",
                y=column,
                hue="activation",
                colours=colours,
                marker="o",
                markersize=3,
            )
            marks = selected[(selected["init"] == init)].dropna(subset=[column])
            ax.scatter(
                marks["learning_rate"],
                marks[column],
                s=SELECTED_MARKER_AREA * marks["selected"],
                facecolors="none",
                edgecolors=[colours[activation] for activation in marks["activation"]],
                linewidths=1.5,
                zorder=4,
            )
            mark_diverged_at_bottom(
                ax,
                cells[cells["init"] == init],
                x="learning_rate",
                hue="activation",
                colours=colours,
            )
            draw_references(ax, {MAJORITY: best["constant_predictor_dev_score"]})
            ax.set_xscale("log")
            ax.xaxis.set_major_locator(FixedLocator(rates))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.set(title=f"init = {init}", xlabel="learning rate", ylabel=f"dev {label}")
        selected_handle = Line2D(
            [],
            [],
            ls="",
            marker="o",
            markersize=8,
            markerfacecolor="none",
            markeredgecolor="0.3",
            label="selected (area: hidden sizes)",
        )
        finish(
            figure,
            f"Dev {label} against learning rate ({cells['dataset'].iloc[0]})\nmean over "
            "hidden sizes, 95 % CI over seeds",
            cells,
            "activation",
            [*line_handles(colours), *reference_handles([MAJORITY]), selected_handle],
        )
    return figure
