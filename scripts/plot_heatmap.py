"""Rule plot_heatmap: pooled dev score in the selection metric, activation x hidden size, one
panel per init, centred on the majority-class baseline, the selection boxed, those the dev set
cannot tell from it dotted."""

from ablation.io import read_json, read_table
from ablation.logs import start_job
from ablation.plots import figure_context, plot_heatmap, save_figure

start_job(snakemake)
with figure_context(snakemake.params.style["context"]):
    figure = plot_heatmap(
        read_table(snakemake.input.configurations), read_json(snakemake.input.best)
    )
save_figure(figure, snakemake.output, dpi=snakemake.params.style["dpi"])
