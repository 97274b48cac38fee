"""Critical-difference diagrams (Demšar 2006, JMLR 7): which activation, and which init, ranks
best across the settings of the grid.

The activations are compared within *blocks*, one per random init and hidden size: in each
block every activation has one score, the mean over seeds of the selection metric of its
configuration at its learning rate selected on dev (networks that diverged left out; a block
where a configuration has no score at all is dropped, since rank tests need complete
blocks). Activations are ranked within each block, 1 the best, ties sharing their mean rank,
and the ranks averaged over the blocks. The inits are compared in the same way, within
blocks of activation and hidden size, zero init included.

The statistics come from libraries: the Friedman test from SciPy
(:func:`scipy.stats.friedmanchisquare`, which needs three methods or more) and the Nemenyi
post-hoc p-values and the diagram from scikit-posthocs
(:func:`scikit_posthocs.posthoc_nemenyi_friedman`,
:func:`scikit_posthocs.critical_difference_diagram`). A bar joins methods no two of which the
Nemenyi test tells apart at :data:`ALPHA`; the critical difference CD drawn above the axis is
the smallest difference of mean ranks that it does tell apart, q_alpha * sqrt(k (k + 1) / 6N)
with q_alpha the studentized range quantile over sqrt(2) (Demšar's eq. for the Nemenyi test).

The diagrams are drawn twice: on test, and on dev. Dev is the split that chose the learning
rates, so its ranks flatter every configuration a little; test is the fair one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scikit_posthocs
from matplotlib.figure import Figure
from scipy import stats

from ablation.claims.results import random_init
from ablation.metrics import metric_named
from ablation.plots.common import (
    ACTIVATION_ORDER,
    DPI,
    INIT_ORDER,
    figure_style,
    palette,
    selected,
    style_order,
)

#: Family-wise error rate of the Nemenyi test (the diagram's bars) and level of the Friedman
#: test.
ALPHA = 0.05
#: What is compared, within which blocks, on which networks: factor -> (blocks, networks).
COMPARISONS = {
    "activation": (("init", "hidden"), "random inits"),
    "init": (("activation", "hidden"), "every init"),
}
_ORDERS = {"activation": ACTIVATION_ORDER, "init": INIT_ORDER}
#: The splits ranked, each with what the panel title says about it.
SPLIT_NOTES = {
    "test": "",
    "dev": "\n(dev chose the learning rates: its ranks are a little optimistic)",
}
FIGURE_WIDTH = 7.5
PANEL_HEIGHT = 2.1
#: Height of the critical-difference ruler, in the diagram's rows (above the rank numbers).
RULER_HEIGHT = 1.7


def score_column(metric: str, split: str) -> str:
    """The ``cells.csv`` column of ``metric`` on ``split`` (e.g. ``test_balanced_accuracy``,
    ``test_cost`` for cross-entropy): the selection column, on another split."""
    return metric_named(metric).split_column(split)


def block_scores(networks: pd.DataFrame, factor: str, blocks: tuple[str, ...], column: str):
    """One score per block and level of ``factor``: the mean over seeds of ``column``.

    Returns
    -------
    scores : DataFrame
        One row per complete block (indexed by ``blocks``), one column per level of
        ``factor`` in the figures' order.
    dropped : int
        Blocks left out because some level has no score (every seed diverged).
    """
    means = networks.groupby([*blocks, factor], sort=True)[column].mean()
    table = means.unstack(factor)
    table = table[style_order(table.columns, _ORDERS[factor])]
    complete = table.dropna()
    return complete, len(table) - len(complete)


@dataclass(frozen=True)
class RankTest:
    """Mean ranks of the methods over the blocks of ``scores`` (1 = best), the Friedman test
    (``friedman_p`` None when it cannot run: ``note`` says why), the Nemenyi p-values of each
    pair and the critical difference at :data:`ALPHA`."""

    scores: pd.DataFrame
    mean_ranks: pd.Series
    friedman_statistic: float | None
    friedman_p: float | None
    nemenyi: pd.DataFrame
    critical_difference: float
    note: str


def within_block_ranks(scores: pd.DataFrame, higher_is_better: bool) -> pd.DataFrame:
    """Each block's methods ranked, 1 the best, ties sharing their mean rank."""
    return scores.rank(axis=1, ascending=not higher_is_better, method="average")


def rank_test(scores: pd.DataFrame, higher_is_better: bool) -> RankTest:
    """Friedman test, Nemenyi p-values and critical difference of ``scores`` (blocks x methods).

    Raises
    ------
    ValueError
        Fewer than two methods or no block.
    """
    n, k = scores.shape
    if k < 2 or n < 1:
        raise ValueError(f"ranking needs two methods or more in one block or more, got {k} x {n}")
    mean_ranks = within_block_ranks(scores, higher_is_better).mean().sort_values(kind="stable")
    statistic = p_value = None
    tied = scores.nunique(axis=1).eq(1).all()
    if k < 3:
        note = f"no Friedman test with {k} methods (needs 3 or more)"
    elif tied:
        note = "no Friedman test: every block is a tie"
    else:
        result = stats.friedmanchisquare(*(scores[column].to_numpy() for column in scores))
        statistic, p_value = float(result.statistic), float(result.pvalue)
        note = f"Friedman χ² = {statistic:.1f}, p = {p_value:.2g}"
    # SciPy's studentized range integrates down to p-values that underflow for ranks far
    # apart: harmless (they are 0), so not a fault even where scripts make NumPy raise.
    with np.errstate(under="ignore"):
        nemenyi = scikit_posthocs.posthoc_nemenyi_friedman(scores)
        q_alpha = stats.studentized_range.isf(ALPHA, k, np.inf) / math.sqrt(2)
    critical_difference = float(q_alpha * math.sqrt(k * (k + 1) / (6 * n)))
    return RankTest(scores, mean_ranks, statistic, p_value, nemenyi, critical_difference, note)


def compared_networks(cells: pd.DataFrame, factor: str) -> pd.DataFrame:
    """The networks a comparison of ``factor`` ranks: each configuration at its learning rate
    selected on dev (``cells.csv``'s ``selected``), random inits only when comparing
    activations."""
    networks = selected(cells)
    return random_init(networks) if factor == "activation" else networks


def draw_diagram(ax, test: RankTest, colours):
    """The diagram of ``test`` on ``ax``: mean ranks on the top axis, bars, and the critical
    difference as a ruler above the axis's numbers, starting at rank 1."""
    artists = scikit_posthocs.critical_difference_diagram(
        test.mean_ranks,
        test.nemenyi,
        alpha=ALPHA,
        ax=ax,
        color_palette={label: colours[label] for label in test.mean_ranks.index},
        label_fmt_left="{label} ({rank:.2f})",
        label_fmt_right="({rank:.2f}) {label}",
        label_props={"fontsize": "small"},
        elbow_props={"lw": 1.2},
        text_h_margin=0.05,
    )
    k = len(test.mean_ranks)
    ruler = ax.plot(
        [1, 1 + test.critical_difference],
        [RULER_HEIGHT] * 2,
        color="black",
        lw=1.2,
        marker="|",
        markersize=8,
        clip_on=False,
        gid="critical difference",
    )
    ax.text(
        1 + test.critical_difference,
        RULER_HEIGHT,
        f"  CD = {test.critical_difference:.2f}",
        va="center",
        fontsize="small",
    )
    lowest = min(min(elbow.get_ydata()) for elbow in artists["elbows"])
    # A critical difference wider than the ranks' span stays on the axis: the scale stretches.
    ax.set_xlim(0.9, max(k, 1 + test.critical_difference) + 0.1)
    ax.set_xticks(range(1, k + 1))
    ax.set_ylim(lowest - 0.7, RULER_HEIGHT + 0.2)
    ax.grid(False)
    return artists | {"ruler": ruler}


def comparison(cells: pd.DataFrame, factor: str, split: str, metric: str):
    """The rank test of ``factor`` on ``split`` and the panel's title; the test is None when
    fewer than two levels have a complete block (the title then says why)."""
    blocks, networks_shown = COMPARISONS[factor]
    networks = compared_networks(cells, factor)
    scores, dropped = block_scores(networks, factor, blocks, score_column(metric, split))
    title = f"{factor}s ({networks_shown}) ranked by {split} {metric_named(metric).label}\n"
    if scores.shape[1] < 2 or scores.empty:
        return None, title + "nothing to rank: fewer than two of them in a complete block"
    test = rank_test(scores, metric_named(metric).higher_is_better)
    left_out = f"; {dropped} with a diverged configuration left out" if dropped else ""
    return test, (
        f"{title}{len(scores)} blocks of {' x '.join(blocks)}{left_out}; {test.note}"
        f"{SPLIT_NOTES[split]}"
    )


def plot_critical_difference(cells: pd.DataFrame, metric: str) -> Figure:
    """Critical-difference diagrams of the activations and of the inits, on test and on dev
    (see the module docstring), each configuration at its learning rate selected on dev,
    ranked by the selection ``metric``. A factor with a single level in the grid (one activation) has no panel; a
    panel with nothing to rank says so."""
    dataset = cells["dataset"].iloc[0]
    panels = [
        (factor, split)
        for factor in COMPARISONS
        if cells[factor].nunique() > 1
        for split in SPLIT_NOTES
    ]
    with figure_style():
        figure = Figure(figsize=(FIGURE_WIDTH, PANEL_HEIGHT * max(len(panels), 1) + 1.3), dpi=DPI)
        # Labels sit beside the axis, outside it: fixed margins leave them room.
        grid = figure.add_gridspec(
            max(len(panels), 1),
            1,
            left=0.25,
            right=0.75,
            top=1 - 1.3 / figure.get_figheight(),
            bottom=0.02,
            hspace=0.75,
        )
        for position, (factor, split) in enumerate(panels):
            ax = figure.add_subplot(grid[position])
            test, title = comparison(cells, factor, split, metric)
            if test is None:
                ax.set_axis_off()
            else:
                draw_diagram(ax, test, palette(style_order(cells[factor], _ORDERS[factor])))
            ax.set_title(title, fontsize="small", pad=8)
        if not panels:
            ax = figure.add_subplot(grid[0])
            ax.set_axis_off()
            ax.set_title("one activation and one init in the grid: nothing to rank")
        figure.suptitle(
            f"Mean rank on the {dataset} data (1 = best). A bar joins methods that the "
            f"Nemenyi test\ndoes not tell apart (α = {ALPHA:g}); CD: the critical difference "
            "of mean ranks",
            fontsize="medium",
        )
    return figure
