"""Rule aggregate: cells.csv, history.csv (long), predictions.npz and best.json of one
dataset."""

import logging

from ablation.aggregate import (
    CellFiles,
    aggregate_cells,
    compare_with_majority,
    read_baseline,
    select_best,
)
from ablation.io import write_json, write_npz, write_table
from ablation.logs import start_job
from ablation.prepare import load_labels, read_class_mix

start_job(snakemake)
inputs = snakemake.input
class_mix = read_class_mix(inputs.prepared)
aggregated = aggregate_cells(
    map(CellFiles, inputs.metrics, inputs.timing, inputs.history, inputs.predictions),
    labels=load_labels(inputs.prepared),
    class_mix=class_mix,
    baseline=read_baseline(inputs.baseline),
)
write_table(snakemake.output.cells, aggregated.cells)
write_table(snakemake.output.history, aggregated.history)
write_npz(snakemake.output.predictions, aggregated.predictions)
best = select_best(aggregated.cells, metric=snakemake.params.metric)
best |= compare_with_majority(best, class_mix)
write_json(snakemake.output.best, best)
logging.info("%d networks; best %s", len(aggregated.cells), best)
