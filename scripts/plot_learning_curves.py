"""Rule plot_learning_curves: training cost versus iteration per activation, one panel per init."""

from ablation.io import read_table
from ablation.logs import start_job
from ablation.plots import figure_context, plot_learning_curves, save_figure

start_job(snakemake)
with figure_context(snakemake.params.style["context"]):
    figure = plot_learning_curves(
        read_table(snakemake.input.history),
        read_table(snakemake.input.cells),
        hidden=snakemake.params.hidden,
    )
save_figure(figure, snakemake.output, dpi=snakemake.params.style["dpi"])
