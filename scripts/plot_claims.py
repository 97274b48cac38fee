"""Rule plot_claims: the forest plot of the claims, drawn from claims.csv alone."""

from ablation.io import read_table
from ablation.logs import start_job
from ablation.plots import figure_context, plot_claims, save_figure

start_job(snakemake)
with figure_context(snakemake.params.style["context"]):
    figure = plot_claims(read_table(snakemake.input.claims))
save_figure(figure, snakemake.output, dpi=snakemake.params.style["dpi"])
