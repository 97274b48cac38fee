"""Rule plot_accuracy_vs_hidden: train/dev/test accuracy versus hidden size per activation."""

from ablation.io import read_table
from ablation.logs import log_to
from ablation.plots import plot_accuracy_vs_hidden, save_figure

log_to(snakemake.log[0])
save_figure(plot_accuracy_vs_hidden(read_table(snakemake.input.cells)), snakemake.output[0])
