"""The ablation's figures, drawn with seaborn from the aggregated tables.

Every ``plot_*`` function takes DataFrames shaped like ``cells.csv`` (one row per trained
network) and/or ``history.csv`` (one row per network and recorded iteration) and returns a
:class:`matplotlib.figure.Figure`; :func:`save_figure` writes it atomically as a PNG.

Conventions shared by all figures:

- Figures are :class:`~matplotlib.figure.Figure` objects built without ``pyplot``: no GUI
  backend, no global figure registry to leak, and ``savefig`` renders with Agg. Sizes and dpi
  are fixed and confidence bands use a fixed bootstrap seed, so equal tables give
  byte-identical PNGs.
- Bands are seaborn's: ``errorbar=("ci", 95)`` over seeds for final accuracies, and the range
  of the seeds (``errorbar=("pi", 100)``) for the per-iteration histories, whose hundred
  recorded iterations per line would each need a bootstrap (never hand-written intervals).
- Each configuration (activation, init, hidden) is shown at its learning rate selected on
  the dev set (:func:`ablation.aggregate.at_selected_learning_rates`): one network per seed,
  which is every network when a single learning rate was run.
- A *diverged* network (``status == shallownet.STATUS_DIVERGED``) has no accuracy or final
  cost: its weights overflowed, so its numbers mean nothing and are left out of means and
  bands. It is never silently dropped, though: each figure marks where it was (an ``X``
  marker, or a grey ``×`` cell in the heatmap) and the second line of the figure title
  counts the diverged networks among those the figure shows. Snakemake renders report
  captions from static text, so the count lives in the figure and the caption points at it.
- Activations and inits keep one order and one colour across figures (:func:`style_order`).
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import (
    FixedLocator,
    FuncFormatter,
    LogLocator,
    NullLocator,
    ScalarFormatter,
)
from matplotlib.transforms import blended_transform_factory

from shallownet import STATUS_DIVERGED

from ablation.aggregate import (
    at_selected_learning_rates,
    configuration_means,
    select_best,
    select_learning_rates,
)
from ablation.cell import read_member_params
from ablation.grid import CELL_COLUMNS, NETWORK_COLUMNS, parse_activation_label
from ablation.io import atomic_path

#: Resolution of every PNG; with the fixed sizes below it makes the pixel size deterministic.
DPI = 110
#: Width and height (inches) of one panel; figures are grids of panels.
PANEL_SIZE = (3.4, 2.7)
#: Smallest figure width (inches), so that titles fit however few panels a grid has.
MIN_WIDTH = 7.0
#: Course order of the activations and inits (lecture order, linear last).
ACTIVATION_ORDER = ("sigmoid", "tanh", "relu", "leaky_relu", "identity")
INIT_ORDER = ("zeros", "small", "large", "xavier", "he")
SPLITS = ("train", "dev", "test")
#: Inits contrasted by the saturation figure (the lecture: large pre-activations saturate).
SATURATION_INITS = ("small", "large")
#: Bootstrap settings of every confidence band: fixed so that reruns draw the same bands.
ERRORBAR = ("ci", 95)
#: The band of the per-iteration figures: from the lowest to the highest seed.
SEED_RANGE = ("pi", 100)
BOOTSTRAP_SEED = 0
N_BOOT = 1000
DIVERGED_MARKER = {"marker": "X", "s": 55, "edgecolor": "black", "linewidth": 0.6, "zorder": 5}


# ----------------------------------------------------------------------------------------
# Shared figure machinery
# ----------------------------------------------------------------------------------------


def style_order(values: Iterable[str], reference: Sequence[str]) -> list[str]:
    """Distinct ``values`` in ``reference`` order (activation labels by their registry name,
    leaky ReLU slopes ascending); unknown names last, alphabetically.

    >>> style_order(["identity", "leaky_relu-0.1", "tanh", "leaky_relu-0.01"], ACTIVATION_ORDER)
    ['tanh', 'leaky_relu-0.01', 'leaky_relu-0.1', 'identity']
    """

    def key(value):
        name, alpha = parse_activation_label(value)
        rank = reference.index(name) if name in reference else len(reference)
        return rank, name, alpha or 0.0

    return sorted(set(values), key=key)


def palette(values: Sequence[str]) -> dict[str, tuple]:
    """One colour-blind-safe colour per value, in the given order."""
    return dict(zip(values, sns.color_palette("colorblind", len(values))))


def divergence_note(cells: pd.DataFrame, *, averaged: bool = True) -> str:
    """One line counting the diverged networks among ``cells`` (shown under each figure
    title); ``averaged`` says the figure shows means, which leave those networks out."""
    diverged = int((cells["status"] == STATUS_DIVERGED).sum())
    if diverged == 0:
        return f"No diverged network among the {len(cells)} shown"
    treatment = "marked ×; left out of means" if averaged else "marked ×"
    return f"{diverged} of the {len(cells)} networks shown diverged ({treatment})"


def finite(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``frame`` with infinities in ``columns`` turned into NaN.

    Seaborn drops NaN before aggregating but would average an infinity into the band (and
    NumPy would warn), so a value that overflowed counts as missing, like a diverged metric.
    """
    return frame.assign(
        **{column: frame[column].where(np.isfinite(frame[column])) for column in columns}
    )


@contextmanager
def _style():
    """The look of every figure; a context, so importing this module changes no global rc."""
    with sns.axes_style("whitegrid"), sns.plotting_context("paper", font_scale=1.1):
        yield


def _panel_grid(nrows: int, ncols: int, *, sharex=True, sharey=True, panel_size=PANEL_SIZE):
    """A figure holding an ``nrows`` x ``ncols`` grid of axes (a 2-D array, even for 1 x 1)."""
    width, height = panel_size
    # The two-line title needs about MIN_WIDTH inches, whatever the number of columns.
    figure = Figure(
        figsize=(max(ncols * width, MIN_WIDTH), nrows * height + 0.7), dpi=DPI, layout="constrained"
    )
    axes = figure.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=False)
    return figure, axes


def _wrapped_panels(count: int, *, max_columns: int = 3, **grid_options):
    """A grid of ``count`` panels wrapped after ``max_columns``; unused axes are removed."""
    ncols = min(count, max_columns)
    nrows = math.ceil(count / ncols)
    figure, axes = _panel_grid(nrows, ncols, **grid_options)
    for spare in axes.flat[count:]:
        spare.remove()
    return figure, list(axes.flat[:count])


def _line_handles(colours: Mapping) -> list:
    """Legend entries: one coloured line per label."""
    return [Line2D([], [], color=colour, lw=2, label=label) for label, colour in colours.items()]


def _finish(
    figure: Figure,
    title: str,
    cells_shown: pd.DataFrame,
    legend_title: str,
    handles: list,
    *,
    below: bool = False,
    averaged: bool = True,
):
    """Title (with the divergence count as its second line) and the figure's legend.

    An ``X`` entry is appended to ``handles`` when some shown cell diverged. The legend goes
    on the right, centred so that a tall one never runs into the title, or in one row
    ``below`` (for long labels). ``averaged``: see :func:`divergence_note`.
    """
    note = divergence_note(cells_shown, averaged=averaged)
    figure.suptitle(f"{title}\n{note}", fontsize="large")
    if (cells_shown["status"] == STATUS_DIVERGED).any():
        diverged = Line2D(
            [],
            [],
            ls="",
            marker="X",
            color="0.4",
            markeredgecolor="black",
            markersize=8,
            label="diverged network",
        )
        handles = [*handles, diverged]
    if below:
        figure.legend(
            handles=handles, title=legend_title, loc="outside lower center", ncols=len(handles)
        )
    else:
        figure.legend(handles=handles, title=legend_title, loc="outside right center")


def _line_with_band(
    ax,
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str,
    colours: Mapping,
    errorbar=ERRORBAR,
    **style,
):
    """Mean over seeds with a band (``errorbar``: the 95 % bootstrap interval unless told
    otherwise), one line per ``hue`` value."""
    data = data.dropna(subset=[y])
    if data.empty:  # every cell here diverged: only the markers remain
        return
    sns.lineplot(
        data=data,
        x=x,
        y=y,
        hue=hue,
        hue_order=[key for key in colours if key in set(data[hue])],
        palette=colours,
        errorbar=errorbar,
        n_boot=N_BOOT,
        seed=BOOTSTRAP_SEED,
        legend=False,
        ax=ax,
        **style,
    )


def _hidden_axis(ax, hidden_sizes: Sequence[int]):
    """Log-2 x axis ticked at the grid's hidden sizes (they span 1..50 unevenly)."""
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_locator(FixedLocator(sorted(hidden_sizes)))
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("hidden units $n_h$")


def _readable_log_axis(axis, max_decades: float = 3.0):
    """Label a log axis with plain numbers (0.5, 2, 10), adding 2 and 5 of every decade when
    it spans at most ``max_decades``: costs often span one or two decades, which a
    powers-of-ten-only axis leaves nearly unlabelled."""
    plain = FuncFormatter(lambda value, _: f"{value:g}")
    axis.set_major_formatter(plain)
    low, high = axis.get_view_interval()
    if 0 < low and high / low <= 10**max_decades:
        axis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
        axis.set_minor_formatter(plain)


def dodge_factors(keys: Sequence[str], octaves: float = 0.07) -> dict[str, float]:
    """Factor by which each hue's hidden sizes are shifted on the log-2 axis.

    Lines that coincide (e.g. every activation at chance with zero init) would hide one
    another; shifting each hue by a fraction of an octave keeps every marker visible.
    """
    middle = (len(keys) - 1) / 2
    return {key: 2.0 ** (octaves * (position - middle)) for position, key in enumerate(keys)}


def _dodged(frame: pd.DataFrame, *, hue: str, colours: Mapping) -> pd.DataFrame:
    """``frame`` with ``hidden`` shifted per hue (:func:`dodge_factors`)."""
    return frame.assign(hidden=frame["hidden"] * frame[hue].map(dodge_factors(list(colours))))


def _mark_diverged_at_bottom(ax, cells: pd.DataFrame, *, x: str, hue: str, colours: Mapping):
    """An ``X`` at the bottom of the panel for each diverged (x, hue) point, in hue colour.

    Used where a diverged network has no y value to sit on (accuracies). Hues are stacked a
    little apart so that two activations diverging at the same x stay visible.
    """
    diverged = cells[cells["status"] == STATUS_DIVERGED].drop_duplicates([x, hue])
    if diverged.empty:
        return
    bottom = blended_transform_factory(ax.transData, ax.transAxes)
    offsets = {key: 0.04 + 0.05 * position for position, key in enumerate(colours)}
    ax.scatter(
        diverged[x],
        diverged[hue].map(offsets),
        c=[colours[key] for key in diverged[hue]],
        transform=bottom,
        clip_on=False,
        **DIVERGED_MARKER,
    )


def _mark_diverged_histories(
    ax, history: pd.DataFrame, *, y: str, hue: str, colours: Mapping, limits: tuple | None
):
    """An ``X`` at the last finite record of each diverged network's ``y`` curve, held inside
    ``limits`` (a runaway value sits on the panel's edge rather than off the figure)."""
    diverged = history[(history["status"] == STATUS_DIVERGED) & history[y].notna()]
    if diverged.empty:
        return
    last = diverged.groupby(list(NETWORK_COLUMNS), sort=True).tail(1)
    values = last[y] if limits is None else last[y].clip(*limits)
    ax.scatter(
        last["iteration"],
        values,
        c=[colours[key] for key in last[hue]],
        clip_on=False,
        **DIVERGED_MARKER,
    )


def _with_status(history: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """The records of the networks in ``cells``, each with its ``status`` attached (the
    history has no status column)."""
    keys = list(NETWORK_COLUMNS)
    return history.merge(cells[[*keys, "status"]], on=keys, how="inner", validate="many_to_one")


def save_figure(figure: Figure, path: str | os.PathLike) -> None:
    """Write ``figure`` as a PNG at :data:`DPI`, atomically (temporary file, then rename)."""
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format="png", dpi=DPI)


# ----------------------------------------------------------------------------------------
# Figures from cells.csv
# ----------------------------------------------------------------------------------------


def heatmap_tables(cells: pd.DataFrame, init: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean dev accuracy and diverged-seed count of one init, activation x hidden size, each
    configuration at its selected learning rate.

    Returns
    -------
    mean_dev_accuracy, diverged : DataFrame, shape (activations, hidden sizes)
        Rows in :data:`ACTIVATION_ORDER`, columns ascending. The mean is over seeds that did
        not diverge (NaN where every seed diverged).
    """
    cells = at_selected_learning_rates(cells)
    activations = style_order(cells["activation"], ACTIVATION_ORDER)
    hidden = sorted(cells["hidden"].unique())
    means = configuration_means(cells[cells["init"] == init])
    tables = [
        means.pivot(index="activation", columns="hidden", values=column).reindex(
            index=activations, columns=hidden
        )
        for column in ("mean_dev_accuracy", "diverged")
    ]
    return tables[0], tables[1]


def heatmap_labels(mean: pd.DataFrame, diverged: pd.DataFrame) -> np.ndarray:
    """Annotation of each heatmap cell: the mean, plus ``(k×)`` when k seeds diverged."""
    return np.array(
        [
            [
                f"{value:.2f}" + (f"\n({count:.0f}×)" if count > 0 else "")
                for value, count in zip(means, counts)
            ]
            for means, counts in zip(mean.to_numpy(), diverged.fillna(0).to_numpy())
        ]
    )


def plot_heatmap(cells: pd.DataFrame) -> Figure:
    """Mean dev accuracy over seeds, activation x hidden size, one panel per init.

    Each cell is annotated with its mean; ``(k×)`` adds the number of seeds that diverged,
    and a grey ``×`` cell means every seed diverged. The colour scale is shared.

    Parameters
    ----------
    cells : DataFrame
        ``cells.csv`` rows (columns ``activation, init, hidden, learning_rate, seed, status,
        dev_accuracy``).
    """
    cells = at_selected_learning_rates(cells)
    inits = style_order(cells["init"], INIT_ORDER)
    finite_means = configuration_means(cells)["mean_dev_accuracy"].dropna()
    # Round the shared scale outwards to 0.05 so that the colour bar has tidy ends.
    low = math.floor(finite_means.min() * 20) / 20 if len(finite_means) else 0.0
    high = min(1.0, math.ceil(finite_means.max() * 20) / 20) if len(finite_means) else 1.0
    with _style():
        figure, axes = _wrapped_panels(
            len(inits), sharex=False, sharey=False, panel_size=(3.9, 2.9)
        )
        for ax, init in zip(axes, inits):
            mean, diverged = heatmap_tables(cells, init)
            sns.heatmap(
                mean,
                ax=ax,
                vmin=low,
                vmax=high,
                cmap="viridis",
                annot=heatmap_labels(mean, diverged),
                fmt="",
                annot_kws={"fontsize": 6.5},
                cbar=False,
                linewidths=0.5,
                linecolor="white",
            )
            ax.set_facecolor("0.85")  # NaN means (every seed diverged) are left unpainted: grey
            for row, column in zip(*np.nonzero((mean.isna() & (diverged > 0)).to_numpy())):
                ax.text(column + 0.5, row + 0.5, "×", ha="center", va="center", fontsize=11)
            ax.set(title=f"init = {init}", xlabel="hidden units $n_h$", ylabel="")
            ax.tick_params(axis="y", rotation=0)
        figure.colorbar(axes[0].collections[0], ax=axes, label="mean dev accuracy", shrink=0.85)
        figure.suptitle(
            f"Mean dev accuracy over seeds ({cells['dataset'].iloc[0]})\n{divergence_note(cells)}; "
            "(k×): k seeds diverged, grey ×: all diverged",
            fontsize="large",
        )
    return figure


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
    with _style():
        figure, axes = _panel_grid(len(inits), len(SPLITS))
        for row, init in enumerate(inits):
            for column, split in enumerate(SPLITS):
                ax = axes[row, column]
                shown = long[(long["init"] == init) & (long["split"] == split)]
                shown = _dodged(shown, hue="activation", colours=colours)
                _line_with_band(
                    ax,
                    shown,
                    x="hidden",
                    y="accuracy",
                    hue="activation",
                    colours=colours,
                    marker="o",
                    markersize=4,
                )
                _mark_diverged_at_bottom(ax, shown, x="hidden", hue="activation", colours=colours)
                _hidden_axis(ax, hidden)
                ax.set(title=f"{split} · init = {init}", ylabel="accuracy")
        _finish(
            figure,
            f"Accuracy versus hidden size ({cells['dataset'].iloc[0]}), "
            "mean and 95 % CI over seeds",
            cells,
            "activation",
            _line_handles(colours),
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

    with _style():
        # Separate y axes: bars must start at 0, the curves need their own range to be read.
        figure, axes = _panel_grid(1, 2, sharex=False, sharey=False, panel_size=(4.2, 3.4))
        left, right = axes[0]
        sns.barplot(
            data=bars,
            x="split",
            y="accuracy",
            hue="model",
            hue_order=list(colours),
            palette=colours,
            errorbar=ERRORBAR,
            n_boot=N_BOOT,
            seed=BOOTSTRAP_SEED,
            legend=False,
            ax=left,
        )
        left.set(title="chosen configurations", xlabel="", ylabel="accuracy")
        curves = _dodged(curves, hue="model", colours=network_colours)
        _line_with_band(
            right,
            curves,
            x="hidden",
            y="dev_accuracy",
            hue="model",
            colours=network_colours,
            marker="o",
            markersize=4,
        )
        _mark_diverged_at_bottom(right, curves, x="hidden", hue="model", colours=network_colours)
        right.axhline(baseline["dev_accuracy"], color=colours[reference], ls="--", lw=1.2)
        _hidden_axis(right, sorted(cells["hidden"].unique()))
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
        _finish(
            figure,
            "Linear collapse: identity hidden layer vs logistic regression "
            f"({cells['dataset'].iloc[0]})",
            curves,
            "model",
            _line_handles(colours),
            below=True,
        )
    return figure


# ----------------------------------------------------------------------------------------
# Figures from history.csv (one hidden size, every recorded iteration)
# ----------------------------------------------------------------------------------------


def history_at(history: pd.DataFrame, cells: pd.DataFrame, hidden: int, columns: Sequence[str]):
    """The records and rows of the networks with ``hidden`` units, each configuration at its
    selected learning rate, ready to plot.

    Returns
    -------
    history : DataFrame
        Their records with each network's ``status`` attached and infinities in ``columns``
        made NaN (:func:`finite`).
    cells : DataFrame
        Their ``cells.csv`` rows (what the figure's divergence count is over).
    """
    cells = at_selected_learning_rates(cells)
    shown = cells[cells["hidden"] == hidden]
    records = _with_status(history[history["hidden"] == hidden], shown)
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
        _line_with_band(
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
            _readable_log_axis(ax.yaxis)
        _mark_diverged_histories(ax, records, y=y, hue=hue, colours=colours, limits=limits)
        ax.set_xlabel("iteration")


def plot_learning_curves(history: pd.DataFrame, cells: pd.DataFrame, *, hidden: int) -> Figure:
    """Training cost versus iteration, one line per activation, one panel per init.

    Parameters
    ----------
    history : DataFrame
        ``history.csv`` rows (``activation, init, hidden, seed, iteration, cost``).
    cells : DataFrame
        ``cells.csv`` rows (for each cell's status).
    hidden : int
        The hidden size shown (:func:`ablation.figure_plan.history_hidden`).
    """
    records, shown = history_at(history, cells, hidden, ["cost"])
    inits = style_order(shown["init"], INIT_ORDER)
    colours = palette(style_order(cells["activation"], ACTIVATION_ORDER))
    with _style():
        figure, axes = _wrapped_panels(len(inits))
        panels = [(ax, records[records["init"] == init]) for ax, init in zip(axes, inits)]
        # Cross-entropy spans decades as training converges; log keeps late progress visible.
        _history_panels(panels, y="cost", hue="activation", colours=colours, scale="log")
        for ax, init in zip(axes, inits):
            ax.set(title=f"init = {init}", ylabel="training cost (log)")
        _finish(
            figure,
            f"Learning curves at $n_h$ = {hidden} ({cells['dataset'].iloc[0]}), "
            "mean and range over seeds",
            shown,
            "activation",
            _line_handles(colours),
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
        ``history.csv`` rows (``unit_spread``).
    cells : DataFrame
        ``cells.csv`` rows.
    hidden : int
        The hidden size shown; above 1, or there is no spread to measure.
    """
    records, shown = history_at(history, cells, hidden, ["unit_spread"])
    activations = style_order(shown["activation"], ACTIVATION_ORDER)
    colours = palette(style_order(cells["init"], INIT_ORDER))
    threshold = symlog_threshold(sane_values(records, "unit_spread"))
    with _style():
        figure, axes = _wrapped_panels(len(activations))
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
        _finish(
            figure,
            f"Symmetry between hidden units at $n_h$ = {hidden} ({cells['dataset'].iloc[0]}); "
            f"linear below {threshold:g}",
            shown,
            "init",
            _line_handles(colours),
        )
    return figure


def plot_saturation(history: pd.DataFrame, cells: pd.DataFrame, *, hidden: int) -> Figure:
    """Fraction of saturated hidden units and the gradient norm of ``W1`` versus iteration,
    one line per activation, ``small`` versus ``large`` init in columns.

    Falls back to every init in the table when it has neither ``small`` nor ``large``.

    Parameters
    ----------
    history : DataFrame
        ``history.csv`` rows (``saturation``, ``grad_norm_W1``).
    cells : DataFrame
        ``cells.csv`` rows.
    hidden : int
        The hidden size shown.
    """
    metrics = {"saturation": "saturated fraction", "grad_norm_W1": "‖dW1‖ (log)"}
    records, shown = history_at(history, cells, hidden, list(metrics))
    present = set(shown["init"])
    inits = [init for init in SATURATION_INITS if init in present] or style_order(
        present, INIT_ORDER
    )
    shown = shown[shown["init"].isin(inits)]
    colours = palette(style_order(cells["activation"], ACTIVATION_ORDER))
    with _style():
        figure, axes = _panel_grid(len(metrics), len(inits), sharey="row")
        # Gradient norms differ by decades between saturated and healthy units: log scale.
        for row, (metric, scale) in enumerate(
            {"saturation": "linear", "grad_norm_W1": "log"}.items()
        ):
            panels = [
                (axes[row, column], records[records["init"] == init])
                for column, init in enumerate(inits)
            ]
            _history_panels(panels, y=metric, hue="activation", colours=colours, scale=scale)
            for column, init in enumerate(inits):
                axes[row, column].set(title=f"init = {init}", ylabel=metrics[metric])
        _finish(
            figure,
            f"Saturation at $n_h$ = {hidden} ({cells['dataset'].iloc[0]}), mean and range "
            "over seeds",
            shown,
            "activation",
            _line_handles(colours),
        )
    return figure


# ----------------------------------------------------------------------------------------
# Decision boundaries (planar data)
# ----------------------------------------------------------------------------------------

#: Colours of class 0 and class 1 (points, and the regions predicted as each class).
CLASS_COLOURS = {"class 0": "#d7301f", "class 1": "#2b6cb0"}


def boundary_networks(
    cells: pd.DataFrame,
    params_files: Mapping[tuple[str, int], str | os.PathLike],
    *,
    init: str,
    seed: int,
) -> dict[tuple[str, int], dict[str, np.ndarray]]:
    """The trained network each decision-boundary panel shows.

    Parameters
    ----------
    cells : DataFrame
        ``cells.csv`` rows: they decide each configuration's learning rate
        (:func:`ablation.aggregate.select_learning_rates`).
    params_files : mapping
        ``(activation label, hidden) -> params.npz`` of that panel's cell (with ``init``).
    init, seed
        The init of every panel, and the seed whose network is shown.

    Returns
    -------
    dict
        ``(activation label, hidden) -> {"W1", "b1", "W2", "b2"}``: the cell's network with
        ``seed`` at the cell's selected learning rate, in the order of ``params_files``.
    """
    rates = select_learning_rates(cells).set_index(list(CELL_COLUMNS))["learning_rate"]
    return {
        (activation, hidden): read_member_params(
            path, learning_rate=float(rates[activation, init, hidden]), seed=seed
        )
        for (activation, hidden), path in params_files.items()
    }


def decision_regions(
    params: Mapping[str, np.ndarray],
    activation: str,
    xs: np.ndarray,
    ys: np.ndarray,
    *,
    decision_function: Callable,
) -> np.ndarray:
    """Where a trained network predicts class 1 on the grid ``xs`` x ``ys`` of 2-D inputs.

    Returns
    -------
    ndarray of bool, shape (len(ys), len(xs))
        ``[i, j]`` is True when the logit at ``(xs[j], ys[i])`` is positive (the layout
        ``contourf(xs, ys, ...)`` expects).
    """
    mesh_x, mesh_y = np.meshgrid(xs, ys)
    name, alpha = parse_activation_label(activation)
    slope = {} if alpha is None else {"alpha": alpha}
    logits = decision_function(
        params, np.vstack([mesh_x.ravel(), mesh_y.ravel()]), activation=name, **slope
    )
    return (logits > 0).reshape(mesh_x.shape)


def plot_decision_boundaries(
    cells: pd.DataFrame,
    params: Mapping[tuple[str, int], Mapping[str, np.ndarray]],
    X: np.ndarray,
    Y: np.ndarray,
    *,
    init: str,
    seed: int,
    decision_function: Callable,
    resolution: int = 200,
) -> Figure:
    """The regions each trained network assigns to class 1, activation x hidden size.

    Parameters
    ----------
    cells : DataFrame
        ``cells.csv`` rows (``activation, init, hidden, learning_rate, seed, status,
        dev_accuracy``); the panels' rows are those of ``init`` and ``seed`` at each
        configuration's selected learning rate.
    params : mapping
        ``(activation label, hidden) -> {"W1", "b1", "W2", "b2"}``: one panel per key, the
        trained parameters of that network (seed ``seed``, selected learning rate).
    X : ndarray, shape (2, m)
        Points drawn over the regions (the training set).
    Y : ndarray, shape (1, m)
        Their labels in {0, 1}.
    decision_function : callable
        ``shallownet.decision_function``: ``(params, X, activation=, alpha=) -> (1, m)`` logits.
    resolution : int
        Grid points per axis at which the boundary is evaluated.
    """
    panels = list(params)
    # Panels may then differ in learning rate, which their dev accuracy depends on.
    several_rates = cells["learning_rate"].nunique() > 1
    cells = at_selected_learning_rates(cells)
    cells = cells[(cells["init"] == init) & (cells["seed"] == seed)]
    cells = cells[[panel in params for panel in zip(cells["activation"], cells["hidden"])]]
    activations = style_order([activation for activation, _ in panels], ACTIVATION_ORDER)
    hidden_sizes = sorted({hidden for _, hidden in panels})
    margin = 0.5
    xs = np.linspace(X[0].min() - margin, X[0].max() + margin, resolution)
    ys = np.linspace(X[1].min() - margin, X[1].max() + margin, resolution)
    point_colours = np.where(Y.ravel() > 0.5, CLASS_COLOURS["class 1"], CLASS_COLOURS["class 0"])
    by_panel = cells.set_index(["activation", "hidden"])
    with _style():
        figure, axes = _panel_grid(len(activations), len(hidden_sizes), panel_size=(1.75, 1.6))
        for (row, activation), (column, hidden) in itertools.product(
            enumerate(activations), enumerate(hidden_sizes)
        ):
            ax = axes[row, column]
            # Equal scales: the input plane is not stretched, so boundary angles are true.
            ax.set(xticks=[], yticks=[], xlim=(xs[0], xs[-1]), ylim=(ys[0], ys[-1]), aspect="equal")
            ax.grid(False)
            if row == 0:
                ax.set_title(f"$n_h$ = {hidden}")
            if column == 0:
                ax.set_ylabel(activation)
            panel = (activation, hidden)
            if panel not in params or panel not in by_panel.index:
                ax.set_facecolor("0.95")  # no such cell: leave the slot visibly empty
                continue
            cell, weights = by_panel.loc[panel], params[panel]
            if cell["status"] == STATUS_DIVERGED or not all(
                np.isfinite(w).all() for w in weights.values()
            ):
                # Non-finite weights have no boundary; evaluating them would only overflow.
                ax.set_facecolor("0.8")
                ax.text(0.5, 0.5, "× diverged", ha="center", va="center", transform=ax.transAxes)
                continue
            predicted = decision_regions(
                weights, activation, xs, ys, decision_function=decision_function
            )
            ax.contourf(
                xs,
                ys,
                predicted.astype(float),
                levels=[-0.5, 0.5, 1.5],
                colors=list(CLASS_COLOURS.values()),
                alpha=0.3,
            )
            ax.scatter(X[0], X[1], c=point_colours, s=3, linewidths=0)
            ax.text(
                0.03,
                0.03,
                f"dev {cell['dev_accuracy']:.2f}"
                + (f", rate {cell['learning_rate']:g}" if several_rates else ""),
                transform=ax.transAxes,
                fontsize="x-small",
                bbox={"facecolor": "white", "alpha": 0.7, "lw": 0, "pad": 1},
            )
        _finish(
            figure,
            f"Decision boundaries, planar training set (init {init}, seed {seed})",
            cells,
            "label (points) and prediction (regions)",
            [
                Patch(facecolor=colour, edgecolor=colour, alpha=0.5, label=label)
                for label, colour in CLASS_COLOURS.items()
            ],
            averaged=False,
        )
    return figure
