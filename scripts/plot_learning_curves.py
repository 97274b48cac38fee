"""Rule plot_learning_curves: training cost versus iteration per activation, one panel per init."""

from ablation.io import read_table
from ablation.logs import log_to
from ablation.plots import plot_learning_curves, save_figure

log_to(snakemake.log[0])
figure = plot_learning_curves(
    read_table(snakemake.input.history),
    read_table(snakemake.input.cells),
    hidden=snakemake.params.hidden,
)
save_figure(figure, snakemake.output[0])
