"""The heatmap: mean dev accuracy of every configuration, activation x hidden size, one panel
per init; the table the best configuration is chosen from."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from ablation.aggregate import at_selected_learning_rates, configuration_means
from ablation.plots.common import (
    ACTIVATION_ORDER,
    INIT_ORDER,
    divergence_note,
    figure_style,
    style_order,
    wrapped_panels,
)


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
    with figure_style():
        figure, axes = wrapped_panels(
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
