"""Rule train: train one grid cell, every learning rate x seed of one activation, init and
hidden size; write metrics.json, history.csv.gz, params.npz, predictions.npz, timing.json.

Kept light (no pandas): it runs once per grid cell, so its start-up time counts.
"""

import logging

from ablation.cell import HISTORY_COLUMNS, train_cell
from ablation.io import write_json, write_npz, write_records_csv
from ablation.logs import start_job

start_job(snakemake)
settings = snakemake.params.settings
logging.info("training %s", settings)
result = train_cell(snakemake.input.prepared, **settings)
write_records_csv(snakemake.output.history, result.history, HISTORY_COLUMNS)
write_npz(snakemake.output.params, result.params)
write_npz(snakemake.output.predictions, result.predictions)
write_json(snakemake.output.timing, result.timing)
write_json(snakemake.output.metrics, result.metrics)
for network in result.metrics["networks"]:
    logging.info(
        "learning rate %s, seed %s: status %s after %d iterations, dev accuracy %s",
        network["learning_rate"],
        network["seed"],
        network["status"],
        network["iterations_run"],
        network["dev_accuracy"],
    )
logging.info(
    "%d networks in %.2f s", len(result.metrics["networks"]), result.timing["cell_train_seconds"]
)
