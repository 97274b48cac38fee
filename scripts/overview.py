"""Rule overview: the opening of the report (best configuration per dataset against the
baselines, verdicts of the claims, their forest plot) as reStructuredText."""

from pathlib import Path

from ablation.io import read_json, read_table, write_text
from ablation.logs import start_job
from ablation.overview import overview_rst

start_job(snakemake)
tables = [
    (read_table(cells), read_json(best))
    for cells, best in zip(snakemake.input.cells, snakemake.input.best)
]
claims = read_table(snakemake.input.claims)
forest_plot = Path(snakemake.input.forest_plot).read_bytes()
write_text(snakemake.output[0], overview_rst(tables, claims, forest_plot))
