"""Rule aggregate: cells.csv, history.csv (long) and best.json of one dataset."""

import logging

from ablation.aggregate import aggregate_cells, select_best
from ablation.io import write_json, write_table
from ablation.logs import log_to

log_to(snakemake.log[0])
cells, history = aggregate_cells(
    list(zip(snakemake.input.metrics, snakemake.input.timing, snakemake.input.history))
)
write_table(snakemake.output.cells, cells)
write_table(snakemake.output.history, history)
best = select_best(cells)
write_json(snakemake.output.best, best)
logging.info("%d cells; best %s", len(cells), best)
