"""Rule plot_symmetry: spread between hidden units versus iteration per init."""

from ablation.io import read_table
from ablation.logs import log_to
from ablation.plots import plot_symmetry, save_figure

log_to(snakemake.log[0])
figure = plot_symmetry(
    read_table(snakemake.input.history),
    read_table(snakemake.input.cells),
    hidden=snakemake.params.hidden,
)
save_figure(figure, snakemake.output[0])
