"""Rule plot_saturation: saturated fraction and gradient norm versus iteration, by init."""

from ablation.io import read_table
from ablation.logs import start_job
from ablation.plots import figure_context, plot_saturation, save_figure

start_job(snakemake)
with figure_context(snakemake.params.style["context"]):
    figure = plot_saturation(
        read_table(snakemake.input.history),
        read_table(snakemake.input.cells),
        hidden=snakemake.params.hidden,
    )
save_figure(figure, snakemake.output, dpi=snakemake.params.style["dpi"])
