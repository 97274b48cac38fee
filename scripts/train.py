"""Rule train: train one grid cell; write metrics.json, history.csv, params.npz, timing.json.

Kept light (no pandas): it runs once per grid cell, so its start-up time counts.
"""

import logging

from ablation.cell import HISTORY_COLUMNS, train_cell
from ablation.io import write_json, write_npz, write_records_csv
from ablation.logs import log_to

log_to(snakemake.log[0])
settings = snakemake.params.settings
logging.info("training %s", settings)
result = train_cell(snakemake.input.prepared, **settings)
write_records_csv(snakemake.output.history, result.history, HISTORY_COLUMNS)
write_npz(snakemake.output.params, result.params)
write_json(snakemake.output.timing, result.timing)
write_json(snakemake.output.metrics, result.metrics)
logging.info(
    "status %s after %d iterations, dev accuracy %s, %.2f s",
    result.metrics["status"],
    result.metrics["iterations_run"],
    result.metrics["dev_accuracy"],
    result.timing["train_seconds"],
)
