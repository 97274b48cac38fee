"""Rule plot_linear_collapse: identity network vs best non-linear vs logistic regression."""

from ablation.io import read_json, read_table
from ablation.logs import log_to
from ablation.plots import plot_linear_collapse, save_figure

log_to(snakemake.log[0])
figure = plot_linear_collapse(
    read_table(snakemake.input.cells),
    read_table(snakemake.input.configurations),
    metric=read_json(snakemake.input.best)["selection_metric"],
)
save_figure(figure, snakemake.output[0])
