"""Rule plot_claims: the forest plot of the claims, drawn from claims.csv alone."""

from ablation.io import read_table
from ablation.logs import log_to
from ablation.plots import figure_context, plot_claims, save_figure

log_to(snakemake.log[0])
with figure_context(snakemake.params.style["context"]):
    figure = plot_claims(read_table(snakemake.input.claims))
save_figure(figure, snakemake.output, dpi=snakemake.params.style["dpi"])
