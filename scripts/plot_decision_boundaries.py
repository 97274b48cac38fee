"""Rule plot_decision_boundaries: the planar decision regions, activation x hidden size.

Each panel's network is the member of its cell's params.npz with the boundary seed at the
cell's learning rate selected on the dev set (cells.csv's ``selected``), drawn over the
training set of that seed's replicate.
"""

import logging

import shallownet

from ablation.io import read_json, read_table
from ablation.logs import start_job
from ablation.plots import boundary_networks, figure_context, plot_decision_boundaries, save_figure
from ablation.replicates import load_replicates

start_job(snakemake)
cells = read_table(snakemake.input.cells)
init, seed = snakemake.params.init, snakemake.params.seed
# The params files follow the order of the panels (see rule plot_decision_boundaries).
params_files = {
    (activation, hidden): path
    for (activation, hidden), path in zip(snakemake.params.panels, snakemake.input.params)
}
params = boundary_networks(cells, params_files, init=init, seed=seed)
X_train, Y_train = load_replicates(snakemake.input.prepared).training_set(seed)
logging.info("%d panels, init %s, seed %s", len(params), init, seed)
with figure_context(snakemake.params.style["context"]):
    figure = plot_decision_boundaries(
        cells,
        params,
        X_train,
        Y_train,
        init=init,
        seed=seed,
        metric=read_json(snakemake.input.best)["selection_metric"],
        decision_function=shallownet.decision_function,
    )
save_figure(figure, snakemake.output, dpi=snakemake.params.style["dpi"])
