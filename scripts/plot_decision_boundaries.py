"""Rule plot_decision_boundaries: the planar decision regions, activation x hidden size."""

import logging

import numpy as np
import pandas as pd
import shallownet

from ablation.logs import log_to
from ablation.plots import plot_decision_boundaries, save_figure
from ablation.prepare import load_prepared

log_to(snakemake.log[0])
panels = [tuple(panel) for panel in snakemake.params.panels]
cells = pd.read_csv(snakemake.input.cells)
shown = cells[
    (cells["init"] == snakemake.params.init)
    & (cells["seed"] == snakemake.params.seed)
    & cells[["activation", "hidden"]].apply(tuple, axis=1).isin(panels)
]
# The input list follows the order of the panels (see rule plot_decision_boundaries).
params = {}
for panel, path in zip(panels, snakemake.input.params):
    with np.load(path) as arrays:
        params[panel] = {name: arrays[name] for name in arrays.files}
data = load_prepared(snakemake.input.prepared)
logging.info(
    "%d panels, init %s, seed %s", len(panels), snakemake.params.init, snakemake.params.seed
)
figure = plot_decision_boundaries(
    shown, params, data["X_train"], data["Y_train"], decision_function=shallownet.decision_function
)
save_figure(figure, snakemake.output[0])
