"""The ablation's figures, drawn with seaborn from the aggregated tables.

Every ``plot_*`` function takes DataFrames shaped like ``cells.csv`` (one row per trained
network) and/or ``history.csv.gz`` (one row per network and recorded iteration) -- the forest
plot of the claims takes ``claims.csv`` -- and returns a
:class:`matplotlib.figure.Figure`; :func:`save_figure` writes it atomically, as a PNG, PDF
or SVG. Each
configuration (activation, init, hidden) is shown at its learning rate selected on the dev set
(:func:`ablation.aggregate.at_selected_learning_rates`): one network per seed, which is every
network when a single learning rate was run; only the learning-rate figure shows every rate.
The workflow's scripts draw inside :func:`figure_context` (the config's seaborn context) and
save with :func:`save_figure` (every configured format).

One module per kind of figure, each readable on its own:

- :mod:`ablation.plots.common` -- style, panel grids, bands, legends, divergence marks, the
  conventions every figure follows, :func:`figure_context` and :func:`save_figure`;
- :mod:`ablation.plots.heatmap` -- the mean dev score in the selection metric, activation x
  hidden size, per init, centred on the majority-class baseline;
- :mod:`ablation.plots.accuracy` -- accuracy against hidden size, and linear collapse, with
  the majority-class and logistic-regression baselines;
- :mod:`ablation.plots.learning_rates` -- the dev score against every learning rate trained;
- :mod:`ablation.plots.history` -- learning curves, symmetry and saturation over iterations;
- :mod:`ablation.plots.boundaries` -- decision boundaries on planar data;
- :mod:`ablation.plots.critical_difference` -- activations and inits ranked across the grid
  (Friedman test, Nemenyi critical difference);
- :mod:`ablation.plots.claims` -- the forest plot of the claims, from ``claims.csv`` alone.

The names below are what the workflow's scripts and the tests use.
"""

from ablation.plots.accuracy import plot_accuracy_vs_hidden, plot_linear_collapse
from ablation.plots.boundaries import (
    boundary_networks,
    decision_regions,
    plot_decision_boundaries,
)
from ablation.plots.claims import plot_claims
from ablation.plots.common import divergence_note, figure_context, save_figure
from ablation.plots.critical_difference import plot_critical_difference
from ablation.plots.heatmap import heatmap_tables, plot_heatmap
from ablation.plots.learning_rates import plot_learning_rates
from ablation.plots.history import plot_learning_curves, plot_saturation, plot_symmetry

__all__ = [
    "boundary_networks",
    "decision_regions",
    "divergence_note",
    "figure_context",
    "heatmap_tables",
    "plot_accuracy_vs_hidden",
    "plot_claims",
    "plot_critical_difference",
    "plot_decision_boundaries",
    "plot_heatmap",
    "plot_learning_curves",
    "plot_learning_rates",
    "plot_linear_collapse",
    "plot_saturation",
    "plot_symmetry",
    "save_figure",
]
