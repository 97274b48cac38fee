"""Rule plot_learning_curves: training cost versus iteration per activation, one panel per init."""

import pandas as pd

from ablation.logs import log_to
from ablation.plots import plot_learning_curves, save_figure

log_to(snakemake.log[0])
figure = plot_learning_curves(
    pd.read_csv(snakemake.input.history),
    pd.read_csv(snakemake.input.cells),
    hidden=snakemake.params.hidden,
)
save_figure(figure, snakemake.output[0])
