"""Rule plot_learning_rates: the pooled dev score in the selection metric against every
learning rate trained, one line per activation, one panel per init, the selected rates marked."""

from ablation.io import read_json, read_table
from ablation.logs import start_job
from ablation.plots import figure_context, plot_learning_rates, save_figure

start_job(snakemake)
with figure_context(snakemake.params.style["context"]):
    figure = plot_learning_rates(
        read_table(snakemake.input.configurations), read_json(snakemake.input.best)
    )
save_figure(figure, snakemake.output, dpi=snakemake.params.style["dpi"])
