"""The heatmap: the pooled dev score of every configuration in the selection metric, activation
x hidden size, one panel per init, at its selected learning rate; the table ``best.json`` is
chosen from (``configurations.csv``).

Its diverging colour scale is centred on what a constant predictor scores on dev (the
majority-class baseline: 0.5 in balanced accuracy), so that a configuration which learned
nothing from its input is white rather than a colour of success. The selected configuration
is boxed, and a dot marks each one the dev set cannot tell from it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import colormaps
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ablation.metrics import metric_named
from ablation.plots.common import (
    ACTIVATION_ORDER,
    INIT_ORDER,
    figure_scale,
    figure_style,
    style_order,
    wrapped_panels,
)

#: Colour of a title that carries a warning.
WARNING_COLOUR = "#b2182b"


def heatmap_tables(
    configurations: pd.DataFrame, init: str, *, metric: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Pooled dev score in ``metric``, diverged-replicate count and indistinguishability of one
    init, activation x hidden size, each configuration at its selected learning rate.

    Returns
    -------
    score, diverged, indistinguishable : DataFrame, shape (activations, hidden sizes)
        Rows in :data:`~ablation.plots.common.ACTIVATION_ORDER`, columns ascending. The score
        is NaN where a replicate diverged (its fold has no predictions).
    """
    chosen = configurations[configurations["selected"]]
    activations = style_order(chosen["activation"], ACTIVATION_ORDER)
    hidden = sorted(chosen["hidden"].unique())
    shown = chosen[chosen["init"] == init]
    score, diverged, same = (
        shown.pivot(index="activation", columns="hidden", values=values).reindex(
            index=activations, columns=hidden
        )
        for values in (metric_named(metric).dev_column, "diverged", "indistinguishable")
    )
    return score, diverged, same.fillna(False).astype(bool)


def heatmap_labels(score: pd.DataFrame) -> np.ndarray:
    """Annotation of each heatmap cell with a score (seaborn leaves cells without one bare)."""
    return np.vectorize(lambda value: f"{value:.2f}")(score.to_numpy())


def colour_range(means: pd.Series, centre: float, metric: str) -> tuple[float, float]:
    """The shared colour scale: the means rounded outwards to 0.05 (tidy colour-bar ends) and
    widened to hold ``centre``; accuracies stay within [0, 1]."""
    values = [*means.dropna(), centre]
    low = math.floor(min(values) * 20) / 20
    high = math.ceil(max(values) * 20) / 20
    if metric != "cross_entropy":
        low, high = max(low, 0.0), min(high, 1.0)
    return low, high


def centred_colormap(name: str, low: float, high: float, centre: float) -> ListedColormap:
    """The part of the diverging colormap ``name`` that spans ``low``..``high`` when its middle
    colour sits at ``centre`` and both ends are as far from it: equal distances from the centre
    get equally strong colours on either side, however lopsided the range.

    (seaborn's ``center`` does the same, through a matplotlib call that is being deprecated.)
    """
    reach = max(high - centre, centre - low) or 1.0
    position = Normalize(centre - reach, centre + reach)
    return ListedColormap(colormaps[name](np.linspace(position(low), position(high), 256)))


def plot_heatmap(configurations: pd.DataFrame, best: Mapping) -> Figure:
    """Pooled dev score in the selection metric, activation x hidden size, one panel per init,
    each configuration at its selected learning rate, with the selected configuration boxed
    and those the dev set cannot tell from it dotted.

    Each cell is annotated with its score; a grey ``×`` with ``(k)`` marks a configuration
    of which k replicates diverged (no score: their dev examples have no prediction). The colour scale is shared and
    diverging, centred on ``best["constant_predictor_dev_score"]``, with better-than-constant
    cells blue (for cross-entropy, lower is better). When ``best`` does not beat the
    majority-class baseline on dev, the title says so in red.

    Parameters
    ----------
    configurations : DataFrame
        ``configurations.csv`` rows.
    best : mapping
        ``best.json``: ``selection_metric``, the selected ``activation``, ``init``,
        ``hidden`` and ``learning_rate``, ``dev_examples``, ``indistinguishable``,
        ``constant_predictor_dev_score``, ``beats_majority_on_dev``.
    """
    metric = metric_named(best["selection_metric"])
    centre = best["constant_predictor_dev_score"]
    chosen = configurations[configurations["selected"]]
    inits = style_order(chosen["init"], INIT_ORDER)
    low, high = colour_range(chosen[metric.dev_column], centre, metric.name)
    with figure_style():
        figure, axes = wrapped_panels(len(inits), sharex=False, sharey=False, panel_size=(3.9, 2.9))
        for ax, init in zip(axes, inits):
            score, diverged, same = heatmap_tables(configurations, init, metric=metric.name)
            sns.heatmap(
                score,
                ax=ax,
                vmin=low,
                vmax=high,
                cmap=centred_colormap(
                    "RdBu" if metric.higher_is_better else "RdBu_r", low, high, centre
                ),
                annot=heatmap_labels(score),
                fmt="",
                annot_kws={"fontsize": 6.5 * figure_scale()},
                cbar=False,
                linewidths=0.5,
                linecolor="white",
            )
            ax.set_facecolor("0.85")  # NaN scores (a replicate diverged) are unpainted: grey
            # k replicates diverged: their dev examples have no prediction, hence no score.
            for row, column in zip(*np.nonzero((score.isna() & (diverged > 0)).to_numpy())):
                count = diverged.iloc[row, column]
                ax.text(
                    column + 0.5,
                    row + 0.5,
                    f"×\n({count:.0f})",
                    ha="center",
                    va="center",
                    fontsize=6.5 * figure_scale(),
                )
            for row, column in zip(*np.nonzero(same.to_numpy())):
                ax.plot(
                    column + 0.88, row + 0.2, "o", color="black", markersize=2.5 * figure_scale()
                )
            if init == best["init"]:
                box = (
                    list(score.columns).index(best["hidden"]),
                    list(score.index).index(best["activation"]),
                )
                ax.add_patch(Rectangle(box, 1, 1, fill=False, edgecolor="black", lw=2.2))
            ax.set(title=f"init = {init}", xlabel="hidden units $n_h$", ylabel="")
            ax.tick_params(axis="y", rotation=0)
        colour_bar = figure.colorbar(
            axes[0].collections[0], ax=axes, label=f"pooled dev {metric.label}", shrink=0.85
        )
        colour_bar.ax.axhline(centre, color="black", lw=1.5)
        diverged = int(chosen["diverged"].sum())
        lines = [
            f"Dev {metric.label} of each configuration's pooled dev predictions "
            f"({best['dataset']}: {best['dev_examples']} dev examples), at its selected rate",
            f"white: {centre:.2f}, the majority-class baseline ({metric.constant_predictor})",
            f"{diverged} of the {int(chosen['replicates'].sum())} networks shown diverged; "
            "grey × (k): k replicates diverged, no score",
            f"box: selected ({best['activation']}, {best['init']} init, $n_h$ = "
            f"{best['hidden']}, learning rate {best['learning_rate']:g}); dot: one of the "
            f"{len(best['indistinguishable'])} the dev set cannot tell from it",
        ]
        if not best["beats_majority_on_dev"]:
            lines.append("WARNING: it does not beat the majority-class baseline on dev")
        figure.suptitle(
            "\n".join(lines),
            fontsize="large",
            color="black" if best["beats_majority_on_dev"] else WARNING_COLOUR,
        )
    return figure
