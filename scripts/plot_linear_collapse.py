"""Rule plot_linear_collapse: identity network vs best non-linear vs logistic regression."""

from ablation.io import read_table
from ablation.logs import start_job
from ablation.plots import plot_linear_collapse, save_figure

start_job(snakemake)
figure = plot_linear_collapse(read_table(snakemake.input.cells), metric=snakemake.params.metric)
save_figure(figure, snakemake.output[0])
