"""Rule plot_claims: the forest plot of the claims, drawn from claims.csv alone."""

from ablation.io import read_table
from ablation.logs import log_to
from ablation.plots import plot_claims, save_figure

log_to(snakemake.log[0])
save_figure(plot_claims(read_table(snakemake.input.claims)), snakemake.output[0])
