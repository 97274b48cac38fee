"""The fixed-learning-rate view: the pooled dev score in the selection metric against the
learning rate, one line per activation, one panel per init.

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

from shallownet import STATUS_DIVERGED, STATUS_OK

from ablation.metrics import metric_named
from ablation.plots.common import (
    ACTIVATION_ORDER,
    INIT_ORDER,
    MAJORITY,
    SEED_RANGE,
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


def selection_counts(configurations: pd.DataFrame, column: str) -> pd.DataFrame:
    """How many hidden sizes of each activation and init selected each learning rate, and
    their mean ``column`` there: columns ``activation, init, learning_rate, selected,
    <column>``."""
    keys = ["activation", "init", "learning_rate"]
    means = configurations.groupby(keys, sort=True)[column].mean().rename(column)
    chosen = configurations[configurations["selected"]].groupby(keys, sort=True).size()
    return pd.concat([chosen.rename("selected"), means], axis=1, join="inner").reset_index()


def plot_learning_rates(configurations: pd.DataFrame, best: Mapping) -> Figure:
    """The pooled dev score in the selection metric against the learning rate: one line per
    activation (the mean over hidden sizes, with the range of the hidden sizes as its band),
    one panel per init, every configuration and rate of ``configurations.csv``.

    A circle on a line marks a learning rate that some hidden sizes of that activation and
    init selected, its area proportional to how many. A dotted line marks the majority-class
    baseline; an ``X`` at the bottom, a rate where some replicate diverged.

    Parameters
    ----------
    configurations : DataFrame
        ``configurations.csv`` rows, every learning rate.
    best : mapping
        ``best.json``: ``dataset``, ``selection_metric`` and ``constant_predictor_dev_score``.
    """
    metric = metric_named(best["selection_metric"])
    column = metric.dev_column
    inits = style_order(configurations["init"], INIT_ORDER)
    colours = palette(style_order(configurations["activation"], ACTIVATION_ORDER))
    selected = selection_counts(configurations, column)
    # The divergence marks and count read a status, as for networks.
    status = configurations.assign(
        status=configurations["diverged"].gt(0).map({True: STATUS_DIVERGED, False: STATUS_OK})
    )
    rates = sorted(configurations["learning_rate"].unique())
    with figure_style():
        figure, axes = wrapped_panels(len(inits))
        for ax, init in zip(axes, inits):
            line_with_band(
                ax,
                configurations[configurations["init"] == init],
                x="learning_rate",
                y=column,
                hue="activation",
                colours=colours,
                errorbar=SEED_RANGE,
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
                status[status["init"] == init],
                x="learning_rate",
                hue="activation",
                colours=colours,
            )
            draw_references(ax, {MAJORITY: best["constant_predictor_dev_score"]})
            ax.set_xscale("log")
            ax.xaxis.set_major_locator(FixedLocator(rates))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.set(title=f"init = {init}", xlabel="learning rate", ylabel=f"dev {metric.label}")
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
            f"Pooled dev {metric.label} against learning rate ({best['dataset']})\nmean over "
            "hidden sizes, band: their range",
            status,
            "activation",
            [*line_handles(colours), *reference_handles([MAJORITY]), selected_handle],
            noun=(
                "configuration at a rate",
                "configurations at a rate (with a diverged replicate)",
            ),
        )
    return figure
