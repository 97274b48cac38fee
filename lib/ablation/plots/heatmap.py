"""The heatmap: the mean dev score of every configuration in the selection metric, activation
x hidden size, one panel per init; the table ``best.json`` is chosen from.

Its diverging colour scale is centred on what a constant predictor scores on dev (the
majority-class baseline: 0.5 in balanced accuracy), so that a configuration which learned
nothing from its input is white rather than a colour of success.
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

from ablation.aggregate import at_selected_learning_rates, configuration_means
from ablation.metrics import CONSTANT_PREDICTOR, METRIC_LABELS, SELECTION_METRICS
from ablation.plots.common import (
    ACTIVATION_ORDER,
    INIT_ORDER,
    figure_scale,
    divergence_note,
    figure_style,
    style_order,
    wrapped_panels,
)

#: Colour of a title that carries a warning.
WARNING_COLOUR = "#b2182b"


def heatmap_tables(
    cells: pd.DataFrame, init: str, *, metric: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean dev score in ``metric`` and diverged-seed count of one init, activation x hidden
    size, each configuration at its learning rate selected by ``metric``.

    Returns
    -------
    mean, diverged : DataFrame, shape (activations, hidden sizes)
        Rows in :data:`~ablation.plots.common.ACTIVATION_ORDER`, columns ascending. The mean
        is over seeds that did not diverge (NaN where every seed diverged).
    """
    cells = at_selected_learning_rates(cells, metric)
    activations = style_order(cells["activation"], ACTIVATION_ORDER)
    hidden = sorted(cells["hidden"].unique())
    means = configuration_means(cells[cells["init"] == init])
    column, _ = SELECTION_METRICS[metric]
    tables = [
        means.pivot(index="activation", columns="hidden", values=values).reindex(
            index=activations, columns=hidden
        )
        for values in (f"mean_{column}", "diverged")
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


def plot_heatmap(cells: pd.DataFrame, best: Mapping) -> Figure:
    """Mean dev score over seeds in the selection metric, activation x hidden size, one panel
    per init, with the selected configuration boxed.

    Each cell is annotated with its mean; ``(k×)`` adds the number of seeds that diverged,
    and a grey ``×`` cell means every seed diverged. The colour scale is shared and diverging,
    centred on ``best["constant_predictor_dev_score"]``, with better-than-constant cells blue
    (for cross-entropy, lower is better). When ``best`` does not beat the majority-class
    baseline on dev, the title says so in red.

    Parameters
    ----------
    cells : DataFrame
        ``cells.csv`` rows.
    best : mapping
        ``best.json``: ``selection_metric``, the selected ``activation``, ``init``, ``hidden``
        and ``learning_rate``, ``constant_predictor_dev_score``, ``beats_majority_on_dev``.
    """
    metric, centre = best["selection_metric"], best["constant_predictor_dev_score"]
    label = METRIC_LABELS[metric]
    _, higher_is_better = SELECTION_METRICS[metric]
    cells = at_selected_learning_rates(cells, metric)
    inits = style_order(cells["init"], INIT_ORDER)
    column, _ = SELECTION_METRICS[metric]
    low, high = colour_range(configuration_means(cells)[f"mean_{column}"], centre, metric)
    with figure_style():
        figure, axes = wrapped_panels(len(inits), sharex=False, sharey=False, panel_size=(3.9, 2.9))
        for ax, init in zip(axes, inits):
            mean, diverged = heatmap_tables(cells, init, metric=metric)
            sns.heatmap(
                mean,
                ax=ax,
                vmin=low,
                vmax=high,
                cmap=centred_colormap("RdBu" if higher_is_better else "RdBu_r", low, high, centre),
                annot=heatmap_labels(mean, diverged),
                fmt="",
                annot_kws={"fontsize": 6.5 * figure_scale()},
                cbar=False,
                linewidths=0.5,
                linecolor="white",
            )
            ax.set_facecolor("0.85")  # NaN means (every seed diverged) are left unpainted: grey
            for row, column in zip(*np.nonzero((mean.isna() & (diverged > 0)).to_numpy())):
                ax.text(
                    column + 0.5,
                    row + 0.5,
                    "×",
                    ha="center",
                    va="center",
                    fontsize=11 * figure_scale(),
                )
            if init == best["init"]:
                selected = (
                    list(mean.columns).index(best["hidden"]),
                    list(mean.index).index(best["activation"]),
                )
                ax.add_patch(Rectangle(selected, 1, 1, fill=False, edgecolor="black", lw=2.2))
            ax.set(title=f"init = {init}", xlabel="hidden units $n_h$", ylabel="")
            ax.tick_params(axis="y", rotation=0)
        colour_bar = figure.colorbar(
            axes[0].collections[0], ax=axes, label=f"mean dev {label}", shrink=0.85
        )
        colour_bar.ax.axhline(centre, color="black", lw=1.5)
        lines = [
            f"Mean dev {label} over seeds ({cells['dataset'].iloc[0]})",
            f"white: {centre:.2f}, the majority-class baseline ({CONSTANT_PREDICTOR[metric]})",
            f"{divergence_note(cells)}; (k×): k seeds diverged, grey ×: all diverged",
            f"box: selected ({best['activation']}, {best['init']} init, $n_h$ = "
            f"{best['hidden']}, learning rate {best['learning_rate']:g})",
        ]
        if not best["beats_majority_on_dev"]:
            lines.append("WARNING: it does not beat the majority-class baseline on dev")
        figure.suptitle(
            "\n".join(lines),
            fontsize="large",
            color="black" if best["beats_majority_on_dev"] else WARNING_COLOUR,
        )
    return figure
