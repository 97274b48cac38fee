"""Rule plot_decision_boundaries: the planar decision regions, activation x hidden size.

Each panel's network is the member of its cell's params.npz with the boundary seed at the
cell's learning rate selected on the dev set.
"""

import logging

import shallownet

from ablation.aggregate import select_learning_rates
from ablation.cell import read_member_params
from ablation.grid import CELL_COLUMNS
from ablation.io import read_table
from ablation.logs import log_to
from ablation.plots import plot_decision_boundaries, save_figure
from ablation.prepare import load_prepared

log_to(snakemake.log[0])
cells = read_table(snakemake.input.cells)
init, seed = snakemake.params.init, snakemake.params.seed
rates = select_learning_rates(cells).set_index(list(CELL_COLUMNS))["learning_rate"]
panel_rates = {
    (activation, hidden): float(rates[activation, init, hidden])
    for activation, hidden in snakemake.params.panels
}
# The params files follow the order of the panels (see rule plot_decision_boundaries).
params = {
    panel: read_member_params(path, learning_rate=panel_rates[panel], seed=seed)
    for panel, path in zip(panel_rates, snakemake.input.params)
}
data = load_prepared(snakemake.input.prepared)
logging.info("init %s, seed %s, learning rate of each panel: %s", init, seed, panel_rates)
figure = plot_decision_boundaries(
    cells,
    params,
    data["X_train"],
    data["Y_train"],
    init=init,
    seed=seed,
    decision_function=shallownet.decision_function,
)
save_figure(figure, snakemake.output[0])
