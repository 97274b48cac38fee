"""Rule plot_accuracy_vs_hidden: train/dev/test accuracy versus hidden size per activation."""

import pandas as pd

from ablation.logs import log_to
from ablation.plots import plot_accuracy_vs_hidden, save_figure

log_to(snakemake.log[0])
save_figure(plot_accuracy_vs_hidden(pd.read_csv(snakemake.input.cells)), snakemake.output[0])
