"""Rule plot_learning_rates: the pooled dev score in the selection metric against every
learning rate trained, one line per activation, one panel per init, the selected rates marked."""

from ablation.io import read_json, read_table
from ablation.logs import log_to
from ablation.plots import plot_learning_rates, save_figure

log_to(snakemake.log[0])
figure = plot_learning_rates(
    read_table(snakemake.input.configurations), read_json(snakemake.input.best)
)
save_figure(figure, snakemake.output[0])
