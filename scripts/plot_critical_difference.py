"""Rule plot_critical_difference: activations and inits ranked across the grid's settings,
on test and on dev, with the Friedman test and Nemenyi critical difference."""

from ablation.io import read_json, read_table
from ablation.logs import start_job
from ablation.plots import figure_context, plot_critical_difference, save_figure

start_job(snakemake)
with figure_context(snakemake.params.style["context"]):
    figure = plot_critical_difference(
        read_table(snakemake.input.cells),
        metric=read_json(snakemake.input.best)["selection_metric"],
    )
save_figure(figure, snakemake.output, dpi=snakemake.params.style["dpi"])
