"""Rule plot_linear_collapse: identity network vs best non-linear vs logistic regression."""

from ablation.io import read_json, read_table
from ablation.logs import start_job
from ablation.plots import figure_context, plot_linear_collapse, save_figure

start_job(snakemake)
with figure_context(snakemake.params.style["context"]):
    figure = plot_linear_collapse(
        read_table(snakemake.input.cells),
        read_table(snakemake.input.configurations),
        metric=read_json(snakemake.input.best)["selection_metric"],
    )
save_figure(figure, snakemake.output, dpi=snakemake.params.style["dpi"])
