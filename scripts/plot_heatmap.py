"""Rule plot_heatmap: mean dev accuracy, activation x hidden size, one panel per init."""

from ablation.io import read_table
from ablation.logs import log_to
from ablation.plots import plot_heatmap, save_figure

log_to(snakemake.log[0])
save_figure(plot_heatmap(read_table(snakemake.input.cells)), snakemake.output[0])
