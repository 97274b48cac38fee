"""Decision boundaries on 2-D (planar) data: the region each trained network assigns to class
1, activation x hidden size."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from shallownet import STATUS_DIVERGED

from ablation.cell import read_member_params
from ablation.grid import CELL_COLUMNS, parse_activation_label
from ablation.metrics import METRICS, metric_named
from ablation.plots.common import (
    ACTIVATION_ORDER,
    figure_style,
    finish,
    panel_grid,
    selected,
    style_order,
)

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
        ``cells.csv`` rows: their ``selected`` networks are at each configuration's learning
        rate selected on dev.
    params_files : mapping
        ``(activation label, hidden) -> params.npz`` of that panel's cell (with ``init``).
    init, seed
        The init of every panel, and the seed (replicate) whose network is shown.

    Returns
    -------
    dict
        ``(activation label, hidden) -> {"W1", "b1", "W2", "b2"}``: the cell's network with
        ``seed`` at the cell's selected learning rate, in the order of ``params_files``.
    """
    rates = selected(cells).drop_duplicates(list(CELL_COLUMNS)).set_index(list(CELL_COLUMNS))
    rates = rates["learning_rate"]
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
    metric: str,
    decision_function: Callable,
    resolution: int = 200,
) -> Figure:
    """The regions each trained network assigns to class 1, activation x hidden size.

    Parameters
    ----------
    cells : DataFrame
        ``cells.csv`` rows; the panels' rows are those of ``init`` and ``seed`` at each
        configuration's learning rate selected by ``metric``. Each panel names its dev
        accuracy (balanced unless ``metric`` is ``accuracy``).
    params : mapping
        ``(activation label, hidden) -> {"W1", "b1", "W2", "b2"}``: one panel per key, the
        trained parameters of that network (seed ``seed``, selected learning rate).
    X : ndarray, shape (2, m)
        Points drawn over the regions (the training set of the seed's replicate).
    Y : ndarray, shape (1, m)
        Their labels in {0, 1}.
    decision_function : callable
        ``shallownet.decision_function``: ``(params, X, activation=, alpha=) -> (1, m)`` logits.
    metric : str
        The selection metric.
    resolution : int
        Grid points per axis at which the boundary is evaluated.
    """
    panels = list(params)
    # Panels may then differ in learning rate, which their dev accuracy depends on.
    several_rates = cells["learning_rate"].nunique() > 1
    cells = selected(cells)
    kind = metric_named(metric).accuracy_shown
    cells = cells[(cells["init"] == init) & (cells["seed"] == seed)]
    cells = cells[[panel in params for panel in zip(cells["activation"], cells["hidden"])]]
    activations = style_order([activation for activation, _ in panels], ACTIVATION_ORDER)
    hidden_sizes = sorted({hidden for _, hidden in panels})
    margin = 0.5
    xs = np.linspace(X[0].min() - margin, X[0].max() + margin, resolution)
    ys = np.linspace(X[1].min() - margin, X[1].max() + margin, resolution)
    point_colours = np.where(Y.ravel() > 0.5, CLASS_COLOURS["class 1"], CLASS_COLOURS["class 0"])
    by_panel = cells.set_index(["activation", "hidden"])
    with figure_style():
        figure, axes = panel_grid(len(activations), len(hidden_sizes), panel_size=(1.75, 1.6))
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
                f"dev {cell[f'dev_{kind}']:.2f}"
                + (f", rate {cell['learning_rate']:g}" if several_rates else ""),
                transform=ax.transAxes,
                fontsize="x-small",
                bbox={"facecolor": "white", "alpha": 0.7, "lw": 0, "pad": 1},
            )
        finish(
            figure,
            f"Decision boundaries, planar training set (init {init}, seed {seed})\n"
            # The panels have room for numbers only: the title names them.
            f"in each panel: dev {METRICS[kind].label}"
            + (", learning rate selected on dev" if several_rates else ""),
            cells,
            "label (points) and prediction (regions)",
            [
                Patch(facecolor=colour, edgecolor=colour, alpha=0.5, label=label)
                for label, colour in CLASS_COLOURS.items()
            ],
            averaged=False,
        )
    return figure
