"""Rule plot_decision_boundaries: the planar decision regions, activation x hidden size."""

import logging

import numpy as np
import pandas as pd
import shallownet

from ablation.logs import log_to
from ablation.plots import plot_decision_boundaries, save_figure
from ablation.prepare import load_prepared

log_to(snakemake.log[0])
# The params files follow the order of the panels (see rule plot_decision_boundaries).
params = {}
for (activation, hidden), path in zip(snakemake.params.panels, snakemake.input.params):
    with np.load(path) as arrays:
        params[activation, hidden] = {name: arrays[name] for name in arrays.files}
data = load_prepared(snakemake.input.prepared)
logging.info(
    "%d panels, init %s, seed %s", len(params), snakemake.params.init, snakemake.params.seed
)
figure = plot_decision_boundaries(
    pd.read_csv(snakemake.input.cells),
    params,
    data["X_train"],
    data["Y_train"],
    init=snakemake.params.init,
    seed=snakemake.params.seed,
    decision_function=shallownet.decision_function,
)
save_figure(figure, snakemake.output[0])
