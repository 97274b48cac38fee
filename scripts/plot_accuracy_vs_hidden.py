"""Rule plot_accuracy_vs_hidden: train/dev/test accuracy versus hidden size per activation,
with the majority-class and logistic-regression baselines."""

from ablation.io import read_json, read_table
from ablation.logs import start_job
from ablation.plots import figure_context, plot_accuracy_vs_hidden, save_figure

start_job(snakemake)
with figure_context(snakemake.params.style["context"]):
    figure = plot_accuracy_vs_hidden(
        read_table(snakemake.input.cells),
        metric=read_json(snakemake.input.best)["selection_metric"],
    )
save_figure(figure, snakemake.output, dpi=snakemake.params.style["dpi"])
