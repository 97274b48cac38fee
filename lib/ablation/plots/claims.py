"""The forest plot of the claims (``results/claims.png``), drawn from ``claims.csv`` alone.

One row per dataset and claim, in :func:`ablation.claims.order.display_order`: for each
dataset, one panel per unit of the effects (percentage points, iterations, ...: every effect
on its claim's own scale, none rescaled), then the claims that are not drawn, listed with
their reason. A row shows the claim's headline effect -- the columns ``effect`` to ``n`` of
``claims.csv`` -- as a point with its interval, the region the claim predicts for it shaded
and its threshold dashed (``rule_kind`` and ``threshold``); colour and marker give the
verdict. An exact check has no interval: its point is hollow. A verdict resting on several
parts (``n_parts``) says so in the row's label, since only the headline part is drawn.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import blended_transform_factory

from ablation.claims.order import LISTED, display_order
from ablation.claims.units import percent
from ablation.claims.verdicts import CONTRADICTED, INCONCLUSIVE, SUPPORTED
from ablation.plots.common import DPI, figure_style

#: Colour and marker of each verdict of a drawn claim (colour-blind-safe colours).
VERDICT_STYLES = {
    SUPPORTED: {"color": "#029e73", "marker": "o"},
    CONTRADICTED: {"color": "#d55e00", "marker": "s"},
    INCONCLUSIVE: {"color": "0.4", "marker": "D"},
}
#: The region a claim predicts for its effect, and its threshold.
REGION_COLOUR = "#d4e6f4"
THRESHOLD_STYLE = {"color": "0.2", "ls": "--", "lw": 1.0}
#: Each unit's axis: its label and the factor from the table's numbers to the axis's.
UNIT_AXES = {
    "accuracy": ("difference in test score (percentage points)", 100.0),
    "share": ("difference in share (percentage points)", 100.0),
    "nats": ("difference in cross-entropy (nats)", 1.0),
    "iterations": ("difference in gradient-descent iterations", 1.0),
    "distance": ("distance between hidden units", 1.0),
}
#: Units drawn on a symmetric-log axis: exact checks compare a value with a round-off
#: tolerance (1e-12) many decades below what a broken symmetry would show.
SYMLOG_UNITS = ("distance",)
FIGURE_WIDTH = 7.5
#: Inches per drawn row (at least), per line of a listed claim, and around each panel.
ROW_HEIGHT = 0.36
LINE_HEIGHT = 0.17
#: Inches per line of a row's label (a smaller font than a listed claim's).
LABEL_LINE_HEIGHT = 0.155
PANEL_MARGIN = 0.6
#: Characters per line of a row label and of a listed claim's text.
LABEL_WIDTH = 44
LISTED_WIDTH = 112
#: Half the height of a row's region and threshold, in rows.
ROW_HALF = 0.38


def row_key(row) -> str:
    """What names a row in the figure's artists (their ``gid``): ``"<dataset> <claim_id>"``."""
    return f"{row['dataset']} {row['claim_id']}"


def row_label(row) -> str:
    """A drawn row's label: the claim id and its effect, with what the point stands for when
    that is not a plain interval."""
    notes = []
    if row["exact"]:
        notes.append("exact check, no interval")
    if row["n_parts"] > 1:
        notes.append(f"one of {row['n_parts']} parts")
    text = str(row["effect"]) + (f" ({'; '.join(notes)})" if notes else "")
    return textwrap.fill(f"{row['claim_id']}  {text}", LABEL_WIDTH, subsequent_indent="    ")


def listed_text(row) -> str:
    """A listed row: the claim id, its verdict and why it is not drawn."""
    reason = row["reason"] if isinstance(row["reason"], str) and row["reason"] else None
    why = reason or "no effect could be estimated"
    return textwrap.fill(
        f"{row['claim_id']}  {row['verdict']}: {why}", LISTED_WIDTH, subsequent_indent="    "
    )


def predicted_region(kind: str, threshold: float, limits: tuple[float, float]):
    """The interval of the axis where a claim of rule ``kind`` predicts its effect."""
    low, high = limits
    regions = {
        "above": (threshold, high),
        "below": (low, threshold),
        "within": (-abs(threshold), abs(threshold)),
    }
    if kind not in regions:
        raise ValueError(
            f"unknown rule_kind {kind!r} in claims.csv; expected one of {list(regions)}"
        )
    return regions[kind]


def panel_limits(rows: pd.DataFrame, factor: float) -> tuple[float, float]:
    """The x range of a panel: every estimate, bound and threshold (mirrored for an
    equivalence rule), and 0, with a margin."""
    thresholds = rows["threshold"].to_numpy(dtype=float)
    within = (rows["rule_kind"] == "within").to_numpy()
    values = np.concatenate(
        [
            rows[["estimate", "ci_low", "ci_high"]].to_numpy(dtype=float).ravel(),
            thresholds,
            -thresholds[within],
            [0.0],
        ]
    )
    values = factor * values[np.isfinite(values)]
    low, high = values.min(), values.max()
    margin = 0.08 * (high - low) if high > low else 1.0
    return low - margin, high + margin


def draw_row(ax, y: int, row, factor: float, limits: tuple[float, float]):
    """One claim: region, threshold, interval and point, each artist named by its row."""
    key = row_key(row)
    threshold = factor * row["threshold"]
    start, stop = predicted_region(row["rule_kind"], threshold, limits)
    ax.add_patch(
        Rectangle(
            (start, y - ROW_HALF),
            stop - start,
            2 * ROW_HALF,
            facecolor=REGION_COLOUR,
            lw=0,
            zorder=0,
            gid=f"region {key}",
        )
    )
    edges = (-threshold, threshold) if row["rule_kind"] == "within" else (threshold,)
    for edge in edges:
        ax.plot(
            [edge, edge], [y - ROW_HALF, y + ROW_HALF], gid=f"threshold {key}", **THRESHOLD_STYLE
        )
    style = VERDICT_STYLES[row["verdict"]]
    low, high, estimate = (factor * row[name] for name in ("ci_low", "ci_high", "estimate"))
    if math.isfinite(low) and math.isfinite(high) and low < high:
        ax.plot([low, high], [y, y], color=style["color"], lw=2.0, gid=f"interval {key}")
    if not math.isfinite(estimate):
        ax.text(sum(limits) / 2, y, "no estimate", ha="center", va="center", color="0.3")
        return
    ax.plot(
        [estimate],
        [y],
        ls="",
        marker=style["marker"],
        markersize=7,
        color=style["color"],
        markerfacecolor="white" if row["exact"] else style["color"],
        markeredgewidth=1.5,
        zorder=4,
        gid=f"effect {key}",
    )


def draw_panel(ax, rows: pd.DataFrame, unit: str):
    """The rows of one dataset whose effects share ``unit``, top to bottom."""
    label, factor = UNIT_AXES[unit]
    limits = panel_limits(rows, factor)
    ax.axvline(0.0, color="0.55", lw=0.8, zorder=1)
    for y, (_, row) in enumerate(rows.iterrows()):
        draw_row(ax, y, row, factor, limits)
    if unit in SYMLOG_UNITS:
        thresholds = factor * rows["threshold"].abs()
        positive = thresholds[thresholds > 0]
        ax.set_xscale("symlog", linthresh=float(positive.min()) if len(positive) else 1.0)
    ax.set_xlim(limits)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_yticks(range(len(rows)), [row_label(row) for _, row in rows.iterrows()])
    ax.tick_params(axis="y", length=0, labelsize="small")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label)


def draw_listed(ax, rows: pd.DataFrame):
    """The claims that are not drawn, one text per claim, from the figure's left edge."""
    ax.set_axis_off()
    lines = [listed_text(row) for _, row in rows.iterrows()]
    to_left_edge = blended_transform_factory(ax.figure.transFigure, ax.transAxes)
    total = sum(text.count("\n") + 1 for text in lines) + 1
    ax.text(0.01, 1.0, "Not drawn:", transform=to_left_edge, va="top", fontweight="bold")
    used = 1
    for (_, row), text in zip(rows.iterrows(), lines):
        ax.text(
            0.01,
            1.0 - used / total,
            text,
            transform=to_left_edge,
            va="top",
            fontsize="small",
            color="0.25",
            gid=f"listed {row_key(row)}",
        )
        used += text.count("\n") + 1


def panel_height(rows: pd.DataFrame, panel: str) -> float:
    """Inches of a panel's plotting area: its rows, each as tall as the longest label needs."""
    if panel == LISTED:
        lines = sum(listed_text(row).count("\n") + 1 for _, row in rows.iterrows()) + 1
        return lines * LINE_HEIGHT
    lines = max(row_label(row).count("\n") + 1 for _, row in rows.iterrows())
    return len(rows) * max(ROW_HEIGHT, lines * LABEL_LINE_HEIGHT)


def legend_handles() -> list:
    """One entry per verdict, the exact check's hollow point, the region and the threshold."""
    handles = [
        Line2D([], [], ls="", markersize=7, label=verdict, **style)
        for verdict, style in VERDICT_STYLES.items()
    ]
    handles.append(
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markersize=7,
            color="0.3",
            markerfacecolor="white",
            markeredgewidth=1.5,
            label="exact check (no interval)",
        )
    )
    handles.append(Patch(facecolor=REGION_COLOUR, label="region the claim predicts"))
    handles.append(Line2D([], [], label="threshold", **THRESHOLD_STYLE))
    return handles


def plot_claims(table: pd.DataFrame) -> Figure:
    """The forest plot of a claims table (``claims.csv``; see the module docstring).

    Raises
    ------
    ValueError
        A drawn row whose ``rule_kind`` is not above, below or within.
    """
    ordered = display_order(table)
    panels = [
        (dataset, panel, rows)
        for (dataset, panel), rows in ordered.groupby(["dataset", "panel"], sort=False)
    ]
    heights = [panel_height(rows, panel) for _, panel, rows in panels]
    level = percent(float(table["confidence"].iloc[0]))
    with figure_style():
        figure = Figure(
            figsize=(FIGURE_WIDTH, sum(heights) + PANEL_MARGIN * len(panels) + 1.2),
            dpi=DPI,
            layout="constrained",
        )
        axes = figure.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
        previous = None
        for ax, (dataset, panel, rows) in zip(axes, panels):
            if dataset != previous:
                ax.set_title(f"{dataset} data", loc="left", fontweight="bold")
                previous = dataset
            if panel == LISTED:
                draw_listed(ax, rows)
            else:
                draw_panel(ax, rows, panel)
        # The title heads the legend: a suptitle and a legend both "outside upper center"
        # would overlap under the constrained layout.
        legend = figure.legend(
            handles=legend_handles(),
            loc="outside upper center",
            ncols=3,
            fontsize="small",
            frameon=False,
            title=f"The lecture's claims: each effect with its {level} interval\n"
            "(one level for every interval of the table, Bonferroni; details in claims.html)",
        )
        legend.get_title().set_fontsize("large")
    return figure
