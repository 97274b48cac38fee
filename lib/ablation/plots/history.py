"""Figures from ``history.csv.gz`` at one hidden size, every recorded iteration: learning
curves, the symmetry of zero init, and saturation."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from shallownet import STATUS_DIVERGED

from ablation.grid import NETWORK_COLUMNS
from ablation.plots.common import (
    ACTIVATION_ORDER,
    INIT_ORDER,
    SEED_RANGE,
    figure_style,
    finish,
    finite,
    line_handles,
    line_with_band,
    mark_diverged_histories,
    palette,
    panel_grid,
    readable_log_axis,
    selected,
    style_order,
    with_status,
    wrapped_panels,
)

#: Most intervals between labelled iterations. Matplotlib's automatic spacing allows about
#: three characters per label, too few for five-digit iteration counts: 8000 and 10000 touch
#: in the larger plotting contexts.
ITERATION_TICKS = 5
#: Inits contrasted by the saturation figure (the lecture: large pre-activations saturate).
SATURATION_INITS = ("small", "large")


def history_at(history: pd.DataFrame, cells: pd.DataFrame, hidden: int, columns: Sequence[str]):
    """The records and rows of the networks with ``hidden`` units, each configuration at its
    learning rate selected on dev, ready to plot.

    Returns
    -------
    history : DataFrame
        Their records with each network's ``status`` attached and infinities in ``columns``
        made NaN (:func:`finite`).
    cells : DataFrame
        Their ``cells.csv`` rows (what the figure's divergence count is over).
    """
    cells = selected(cells)
    shown = cells[cells["hidden"] == hidden]
    records = with_status(history[history["hidden"] == hidden], shown)
    return finite(records, columns), shown


def sane_values(records: pd.DataFrame, y: str) -> pd.Series:
    """Finite ``y`` values of cells that did not diverge, plus every cell's first record."""
    first = records["iteration"] == records["iteration"].min()
    return records.loc[(records["status"] != STATUS_DIVERGED) | first, y].dropna()


def history_limits(records: pd.DataFrame, y: str, scale: str) -> tuple[float, float] | None:
    """The y range of a per-iteration figure: what cells that did not diverge reach, plus
    every cell's starting value.

    A diverging cell's records climb to 1e300 before the overflow is caught; letting them set
    the range would flatten every other curve (and overflow matplotlib's margins), so they
    leave the panel instead. Log scales pad by a factor, linear ones by 5 % of the range.

    Returns
    -------
    (low, high) or None
        None when no value can be shown on this scale (the axis then autoscales).
    """
    values = sane_values(records, y)
    if scale in ("log", "symlog"):
        positive = values[values > 0]
        if positive.empty:
            return None
        high = positive.max() * 1.5
        if scale == "symlog":  # 0 must stay in view: it is what zero init is compared with
            return -0.5 * symlog_threshold(values), high
        return positive.min() / 1.5, high
    if values.empty:
        return None
    margin = 0.05 * (values.max() - values.min()) or 0.05
    return values.min() - margin, values.max() + margin


def _history_panels(
    panels: Sequence[tuple], *, y: str, hue: str, colours: Mapping, scale: str = "linear"
):
    """Draw one per-iteration quantity ``y`` on ``(ax, records)`` panels sharing a y range.

    Cells that did not diverge give the mean over seeds with the range of the seeds as its
    band. A diverged cell is
    left out of the mean (its late records are overflowing numbers) and drawn on its own as
    a thin dashed line, ending in an ``X`` at its last finite record.
    """
    everything = pd.concat([records for _, records in panels])
    limits = history_limits(everything, y, scale)
    scale_options = {}
    if scale == "symlog":
        scale_options["linthresh"] = symlog_threshold(sane_values(everything, y))
    for ax, records in panels:
        healthy = records[records["status"] != STATUS_DIVERGED]
        line_with_band(
            ax, healthy, x="iteration", y=y, hue=hue, colours=colours, errorbar=SEED_RANGE
        )
        diverged = records[records["status"] == STATUS_DIVERGED]
        for _, network in diverged.groupby(list(NETWORK_COLUMNS), sort=True):
            colour = colours[network[hue].iloc[0]]
            ax.plot(network["iteration"], network[y], color=colour, lw=0.8, ls="--")
    # Scales only after every panel is drawn: seaborn averages in the axis' scale, and shared
    # axes would make later panels geometric means. The mean over seeds is arithmetic.
    for ax, records in panels:
        if limits is not None:  # first: fixed limits keep the scale change from autoscaling
            ax.set_ylim(limits)
        ax.set_yscale(scale, **scale_options)
        if scale == "log":
            readable_log_axis(ax.yaxis)
        mark_diverged_histories(ax, records, y=y, hue=hue, colours=colours, limits=limits)
        ax.xaxis.set_major_locator(MaxNLocator(ITERATION_TICKS, steps=[1, 2, 2.5, 5, 10]))
        ax.set_xlabel("iteration")


def plot_learning_curves(history: pd.DataFrame, cells: pd.DataFrame, *, hidden: int) -> Figure:
    """Training cost versus iteration, one line per activation, one panel per init.

    Parameters
    ----------
    history : DataFrame
        ``history.csv.gz`` rows (``activation, init, hidden, seed, iteration, cost``).
    cells : DataFrame
        ``cells.csv`` rows (each network's status, and which are selected).
    hidden : int
        The hidden size shown (:func:`ablation.figure_plan.history_hidden`).
    """
    records, shown = history_at(history, cells, hidden, ["cost"])
    inits = style_order(shown["init"], INIT_ORDER)
    colours = palette(style_order(cells["activation"], ACTIVATION_ORDER))
    with figure_style():
        figure, axes = wrapped_panels(len(inits))
        panels = [(ax, records[records["init"] == init]) for ax, init in zip(axes, inits)]
        # Cross-entropy spans decades as training converges; log keeps late progress visible.
        _history_panels(panels, y="cost", hue="activation", colours=colours, scale="log")
        for ax, init in zip(axes, inits):
            ax.set(title=f"init = {init}", ylabel="training cost (log)")
        finish(
            figure,
            f"Learning curves at $n_h$ = {hidden} ({cells['dataset'].iloc[0]}), "
            "mean and range over seeds",
            shown,
            "activation",
            line_handles(colours),
        )
    return figure


#: Decades of the symmetry figure's log part, below the largest spread's decade.
SYMLOG_DECADES = 6


def symlog_threshold(values: pd.Series, decades: int = SYMLOG_DECADES) -> float:
    """Linear range of the symmetry figure's symlog axis: ``decades`` below the decade of the
    largest spread.

    Random inits give spreads within a few decades of each other; a symmetric network gives 0,
    or a spread at floating-point roundoff (around 1e-16 of the weights) when the hardware
    sums identical rows in different orders. Bounding the log part keeps the meaningful
    decades readable and draws roundoff on the linear part, next to an exact 0.

    >>> symlog_threshold(pd.Series([0.0, 3e-18, 0.02, 40.0]))
    1e-05
    """
    positive = values[values > 0]
    if positive.empty:
        return 1e-3
    return 10.0 ** (math.floor(math.log10(positive.max())) - decades)


def _symmetric_note(records: pd.DataFrame, init: str = "zeros") -> str | None:
    """Largest spread ever recorded for ``init`` in a panel, as text (None if not shown)."""
    spreads = records.loc[records["init"] == init, "unit_spread"].dropna()
    if spreads.empty:
        return None
    largest = spreads.max()
    return (
        f"{init} init: spread exactly 0"
        if largest == 0
        else f"{init} init: max spread {largest:.1e}"
    )


def plot_symmetry(history: pd.DataFrame, cells: pd.DataFrame, *, hidden: int) -> Figure:
    """Spread between hidden units versus iteration, one line per init, one panel per
    activation: zero init starts symmetric and stays at exactly 0.

    Parameters
    ----------
    history : DataFrame
        ``history.csv.gz`` rows (``unit_spread``).
    cells : DataFrame
        ``cells.csv`` rows.
    hidden : int
        The hidden size shown; above 1, or there is no spread to measure.
    """
    records, shown = history_at(history, cells, hidden, ["unit_spread"])
    activations = style_order(shown["activation"], ACTIVATION_ORDER)
    colours = palette(style_order(cells["init"], INIT_ORDER))
    threshold = symlog_threshold(sane_values(records, "unit_spread"))
    with figure_style():
        figure, axes = wrapped_panels(len(activations))
        panels = [
            (ax, records[records["activation"] == activation])
            for ax, activation in zip(axes, activations)
        ]
        _history_panels(panels, y="unit_spread", hue="init", colours=colours, scale="symlog")
        for (ax, panel), activation in zip(panels, activations):
            note = _symmetric_note(panel)
            if note:  # the exact value, which the linear part of the axis cannot show
                ax.text(0.98, 0.1, note, transform=ax.transAxes, ha="right", fontsize="small")
            ax.axhline(0.0, color="0.3", lw=0.8, ls=":")
            ax.set(title=f"activation = {activation}", ylabel="unit spread (symlog)")
        finish(
            figure,
            f"Symmetry between hidden units at $n_h$ = {hidden} ({cells['dataset'].iloc[0]}); "
            f"linear below {threshold:g}",
            shown,
            "init",
            line_handles(colours),
        )
    return figure


def plot_saturation(history: pd.DataFrame, cells: pd.DataFrame, *, hidden: int) -> Figure:
    """Fraction of saturated hidden units and the gradient norm of ``W1`` versus iteration,
    one line per activation, ``small`` versus ``large`` init in columns.

    Falls back to every init in the table when it has neither ``small`` nor ``large``.

    Parameters
    ----------
    history : DataFrame
        ``history.csv.gz`` rows (``saturation``, ``grad_norm_W1``).
    cells : DataFrame
        ``cells.csv`` rows.
    hidden : int
        The hidden size shown.
    """
    quantities = {"saturation": "saturated fraction", "grad_norm_W1": "‖dW1‖ (log)"}
    records, shown = history_at(history, cells, hidden, list(quantities))
    present = set(shown["init"])
    inits = [init for init in SATURATION_INITS if init in present] or style_order(
        present, INIT_ORDER
    )
    shown = shown[shown["init"].isin(inits)]
    colours = palette(style_order(cells["activation"], ACTIVATION_ORDER))
    with figure_style():
        figure, axes = panel_grid(len(quantities), len(inits), sharey="row")
        # Gradient norms differ by decades between saturated and healthy units: log scale.
        for row, (quantity, scale) in enumerate(
            {"saturation": "linear", "grad_norm_W1": "log"}.items()
        ):
            panels = [
                (axes[row, column], records[records["init"] == init])
                for column, init in enumerate(inits)
            ]
            _history_panels(panels, y=quantity, hue="activation", colours=colours, scale=scale)
            for column, init in enumerate(inits):
                axes[row, column].set(title=f"init = {init}", ylabel=quantities[quantity])
        finish(
            figure,
            f"Saturation at $n_h$ = {hidden} ({cells['dataset'].iloc[0]}), mean and range "
            "over seeds",
            shown,
            "activation",
            line_handles(colours),
        )
    return figure
