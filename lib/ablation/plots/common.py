"""What every figure of :mod:`ablation.plots` shares: style, panel grids, bands, legends,
divergence marks, and the atomic figure writer.

Conventions shared by all figures:

- Figures are :class:`~matplotlib.figure.Figure` objects built without ``pyplot``: no GUI
  backend, no global figure registry to leak, and ``savefig`` renders with Agg. Sizes are
  fixed, confidence bands use a fixed bootstrap seed and the files carry no date, so equal
  tables give byte-identical files in every format.
- The config's ``figures`` section (each figure rule passes it on) chooses seaborn's plotting
  context, applied by :func:`figure_context` around the drawing, and the files' formats and
  dpi, applied by :func:`save_figure`: a new figure gets both by drawing inside
  :func:`figure_style` and being saved by :func:`save_figure`.
- Bands are seaborn's: ``errorbar=("ci", 95)`` over seeds for final accuracies, and the range
  of the seeds (``errorbar=("pi", 100)``) for the per-iteration histories, whose hundred
  recorded iterations per line would each need a bootstrap (never hand-written intervals).
- A *diverged* network (``status == shallownet.STATUS_DIVERGED``) has no accuracy or final
  cost: its weights overflowed, so its numbers mean nothing and are left out of means and
  bands. It is never silently dropped, though: each figure marks where it was (an ``X``
  marker, or a grey ``×`` cell in the heatmap) and the second line of the figure title
  counts the diverged networks among those the figure shows. Snakemake renders report
  captions from static text, so the count lives in the figure and the caption points at it.
- Activations and inits keep one order and one colour across figures (:func:`style_order`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import matplotlib

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import (
    FixedLocator,
    FuncFormatter,
    LogLocator,
    NullLocator,
    ScalarFormatter,
)
from matplotlib.transforms import blended_transform_factory

from shallownet import STATUS_DIVERGED

from ablation.grid import NETWORK_COLUMNS, parse_activation_label
from ablation.io import atomic_path

#: Defaults of the config's ``figures`` section (config/config.schema.yaml says the same):
#: resolution of the PNGs, seaborn plotting context, file formats.
DPI = 110
CONTEXT = "paper"
FORMATS = ("png",)
#: What :func:`save_figure` writes, by file suffix: each format's metadata without the date
#: of writing (PDF and SVG carry one by default), so that equal figures give equal bytes.
FORMAT_METADATA = {"png": {}, "pdf": {"CreationDate": None}, "svg": {"Date": None}}
#: Settings read while saving. PDF fonts as TrueType (Type 42) rather than Type 3, which
#: journals' submission checks reject; SVG element ids from a fixed salt instead of a random
#: one, so that equal figures give equal bytes.
SAVE_RC = {"pdf.fonttype": 42, "svg.hashsalt": "shallownet-ablation"}
#: Width and height (inches) of one panel; figures are grids of panels.
PANEL_SIZE = (3.4, 2.7)
#: Smallest figure width (inches), so that titles fit however few panels a grid has.
MIN_WIDTH = 7.0
#: How much larger than in the ``paper`` context text may become relative to its figure in a
#: larger plotting context: text grows by the context's scale (:func:`context_scale`), the
#: figure as much as needed to keep this share (:func:`figure_scale`). The densest figures
#: leave no more room: at 1.17 linear collapse's panel titles fill their panels, and larger
#: shares cut them, overlap the heatmap's numbers and overflow the decision boundaries' notes.
MAX_TEXT_GROWTH = 1.15
#: Course order of the activations and inits (lecture order, linear last).
ACTIVATION_ORDER = ("sigmoid", "tanh", "relu", "leaky_relu", "identity")
INIT_ORDER = ("zeros", "small", "large", "xavier", "he")
SPLITS = ("train", "dev", "test")
#: Bootstrap settings of every confidence band: fixed so that reruns draw the same bands.
ERRORBAR = ("ci", 95)
#: The band of the per-iteration figures: from the lowest to the highest seed.
SEED_RANGE = ("pi", 100)
BOOTSTRAP_SEED = 0
N_BOOT = 1000
DIVERGED_MARKER = {"marker": "X", "s": 55, "edgecolor": "black", "linewidth": 0.6, "zorder": 5}


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


def selected(cells: pd.DataFrame) -> pd.DataFrame:
    """The networks at their configuration's learning rate selected on dev (``cells.csv``'s
    ``selected``, :mod:`ablation.selection`): one per configuration and replicate."""
    return cells[cells["selected"]]


def palette(values: Sequence[str]) -> dict[str, tuple]:
    """One colour-blind-safe colour per value, in the given order."""
    return dict(zip(values, sns.color_palette("colorblind", len(values))))


def divergence_note(
    cells: pd.DataFrame, *, averaged: bool = True, noun: tuple[str, str] = ("network", "networks")
) -> str:
    """One line counting the diverged rows among ``cells`` (shown under each figure title):
    networks, or other things named by ``noun`` (singular, plural); ``averaged`` says the
    figure shows means, which leave those rows out."""
    diverged = int((cells["status"] == STATUS_DIVERGED).sum())
    if diverged == 0:
        return f"No diverged {noun[0]} among the {len(cells)} shown"
    treatment = "marked ×; left out of means" if averaged else "marked ×"
    return f"{diverged} of the {len(cells)} {noun[1]} shown diverged ({treatment})"


def finite(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``frame`` with infinities in ``columns`` turned into NaN.

    Seaborn drops NaN before aggregating but would average an infinity into the band (and
    NumPy would warn), so a value that overflowed counts as missing, like a diverged metric.
    """
    return frame.assign(
        **{column: frame[column].where(np.isfinite(frame[column])) for column in columns}
    )


#: The seaborn plotting context of the figures drawn now (:func:`figure_context`).
_plotting_context = ContextVar("plotting_context", default=CONTEXT)


@contextmanager
def figure_context(context: str = CONTEXT):
    """Draw the figures made inside in seaborn's plotting ``context`` (paper, notebook, talk,
    poster: fonts, lines and markers from smallest to largest; sizes in inches unchanged).

    A context rather than an argument of every ``plot_*`` function, so that each figure, and
    any figure added later, follows the config's ``figures.context`` by drawing inside
    :func:`figure_style`.
    """
    token = _plotting_context.set(context)
    try:
        yield
    finally:
        _plotting_context.reset(token)


def context_scale() -> float:
    """How many times larger than in the default ``paper`` context the current plotting
    context (:func:`figure_context`) draws text and lines (seaborn: 1, 1.25, 1.875, 2.5)."""
    size = sns.plotting_context(_plotting_context.get())["font.size"]
    return size / sns.plotting_context(CONTEXT)["font.size"]


def figure_scale() -> float:
    """How many times larger than in the ``paper`` context the current plotting context makes
    a figure (and the numbers drawn inside panels, which must keep fitting their cells): text
    becomes up to :data:`MAX_TEXT_GROWTH` times larger relative to the figure, no more."""
    scale = context_scale()
    return scale / min(scale, MAX_TEXT_GROWTH)


@contextmanager
def figure_style():
    """The look of every figure, in the plotting context of :func:`figure_context`; a context,
    so importing this module changes no global rc."""
    with sns.axes_style("whitegrid"), sns.plotting_context(_plotting_context.get(), font_scale=1.1):
        yield


def panel_grid(nrows: int, ncols: int, *, sharex=True, sharey=True, panel_size=PANEL_SIZE):
    """A figure holding an ``nrows`` x ``ncols`` grid of axes (a 2-D array, even for 1 x 1).

    In a larger plotting context the figure grows by :func:`figure_scale`.
    """
    width, height = panel_size
    # The two-line title needs about MIN_WIDTH inches, whatever the number of columns.
    size = (max(ncols * width, MIN_WIDTH), nrows * height + 0.7)
    figure = Figure(
        figsize=tuple(inches * figure_scale() for inches in size),
        dpi=DPI,
        layout="constrained",
    )
    axes = figure.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=False)
    return figure, axes


def wrapped_panels(count: int, *, max_columns: int = 3, **grid_options):
    """A grid of ``count`` panels wrapped after ``max_columns``; unused axes are removed."""
    ncols = min(count, max_columns)
    nrows = math.ceil(count / ncols)
    figure, axes = panel_grid(nrows, ncols, **grid_options)
    for spare in axes.flat[count:]:
        spare.remove()
    return figure, list(axes.flat[:count])


def line_handles(colours: Mapping) -> list:
    """Legend entries: one coloured line per label."""
    return [Line2D([], [], color=colour, lw=2, label=label) for label, colour in colours.items()]


#: Entries per row of a legend below the panels: two long labels fit the narrowest figure.
LEGEND_BELOW_COLUMNS = 2


def finish(
    figure: Figure,
    title: str,
    cells_shown: pd.DataFrame,
    legend_title: str,
    handles: list,
    *,
    below: bool = False,
    averaged: bool = True,
    noun: tuple[str, str] = ("network", "networks"),
):
    """Title (with the divergence count as its second line) and the figure's legend.

    An ``X`` entry is appended to ``handles`` when some shown cell diverged. The legend goes
    on the right, centred so that a tall one never runs into the title, or ``below`` in rows
    of :data:`LEGEND_BELOW_COLUMNS` (for long labels). ``averaged`` and ``noun``: see
    :func:`divergence_note`.
    """
    note = divergence_note(cells_shown, averaged=averaged, noun=noun)
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
            handles=handles,
            title=legend_title,
            loc="outside lower center",
            ncols=min(len(handles), LEGEND_BELOW_COLUMNS),
        )
    else:
        figure.legend(handles=handles, title=legend_title, loc="outside right center")


def line_with_band(
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
        **bootstrap_band(errorbar),
        legend=False,
        ax=ax,
        **style,
    )


#: The two baselines drawn as horizontal lines in the figures of final scores: always
#: answering the majority class (no skill: what a network that learned nothing from its
#: input can reach) and logistic regression (the linear model; the ``baseline`` rule).
MAJORITY = "majority-class baseline"
LOGISTIC = "logistic regression"
REFERENCE_STYLES = {
    MAJORITY: {"color": "0.45", "ls": ":", "lw": 1.5},
    LOGISTIC: {"color": "0.15", "ls": "--", "lw": 1.2},
}


def reference_scores(cells: pd.DataFrame, split: str, kind: str) -> dict[str, float]:
    """What each baseline scores on ``split`` in ``kind`` (``accuracy`` or
    ``balanced_accuracy``), read from the baseline columns of ``cells.csv``: the majority class
    scores the split's majority share in accuracy and exactly 0.5 in balanced accuracy."""
    first = cells.iloc[0]
    majority = 0.5 if kind == "balanced_accuracy" else first[f"{split}_majority_accuracy"]
    return {MAJORITY: float(majority), LOGISTIC: float(first[f"{split}_logistic_{kind}"])}


def draw_references(ax, scores: Mapping[str, float]):
    """Each baseline's score as a horizontal line across ``ax`` (none where it has no score:
    a logistic regression that overflowed)."""
    for label, value in scores.items():
        if np.isfinite(value):
            ax.axhline(value, **REFERENCE_STYLES[label])


def reference_handles(labels: Iterable[str] = tuple(REFERENCE_STYLES)) -> list:
    """Legend entries of the baselines' lines."""
    return [Line2D([], [], label=label, **REFERENCE_STYLES[label]) for label in labels]


def bootstrap_band(errorbar=ERRORBAR) -> dict:
    """Seaborn's band options: ``errorbar`` with the fixed bootstrap settings (read at each
    call, so that a test can lower :data:`N_BOOT`)."""
    return {"errorbar": errorbar, "n_boot": N_BOOT, "seed": BOOTSTRAP_SEED}


def hidden_axis(ax, hidden_sizes: Sequence[int]):
    """Log-2 x axis ticked at the grid's hidden sizes (they span 1..50 unevenly)."""
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_locator(FixedLocator(sorted(hidden_sizes)))
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("hidden units $n_h$")


def readable_log_axis(axis, max_decades: float = 3.0):
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


def dodged(frame: pd.DataFrame, *, hue: str, colours: Mapping) -> pd.DataFrame:
    """``frame`` with ``hidden`` shifted per hue (:func:`dodge_factors`)."""
    return frame.assign(hidden=frame["hidden"] * frame[hue].map(dodge_factors(list(colours))))


def mark_diverged_at_bottom(ax, cells: pd.DataFrame, *, x: str, hue: str, colours: Mapping):
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


def mark_diverged_histories(
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


def with_status(history: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """The records of the networks in ``cells``, each with its ``status`` attached (the
    history has no status column)."""
    keys = list(NETWORK_COLUMNS)
    return history.merge(cells[[*keys, "status"]], on=keys, how="inner", validate="many_to_one")


def save_figure(
    figure: Figure, paths: str | os.PathLike | Iterable[str | os.PathLike], *, dpi: int = DPI
) -> None:
    """Write ``figure`` to each of ``paths`` (one path or several, e.g. a figure rule's
    outputs) in the format its suffix names (:data:`FORMAT_METADATA`), PNGs at ``dpi``; each
    file atomically (temporary file, then rename).

    Raises
    ------
    ValueError
        For a suffix that is not a known format, before any file is written.
    """
    paths = [Path(paths)] if isinstance(paths, (str, os.PathLike)) else [Path(p) for p in paths]
    unknown = [str(path) for path in paths if path.suffix[1:] not in FORMAT_METADATA]
    if unknown:
        raise ValueError(
            f"cannot save a figure as {', '.join(unknown)}: expected a file name ending in "
            + ", ".join(f".{suffix}" for suffix in FORMAT_METADATA)
        )
    with matplotlib.rc_context(SAVE_RC):
        for path in paths:
            suffix = path.suffix[1:]
            with atomic_path(path) as temporary:
                figure.savefig(temporary, format=suffix, dpi=dpi, metadata=FORMAT_METADATA[suffix])
