"""Rule baseline: logistic regression on the prepared data of one dataset, at each of its
learning rates; the one best on dev in the selection metric is kept."""

import logging

from ablation.baseline import BASELINE_HISTORY_COLUMNS, train_baseline
from ablation.io import write_json, write_npz, write_records_csv
from ablation.logs import start_job

start_job(snakemake)
result = train_baseline(
    snakemake.input.prepared,
    dataset=snakemake.wildcards.dataset,
    selection_metric=snakemake.params.selection_metric,
    **snakemake.params.settings,
)
write_records_csv(snakemake.output.history, result.history, BASELINE_HISTORY_COLUMNS)
write_npz(snakemake.output.predictions, result.predictions)
write_json(snakemake.output.metrics, result.metrics)
logging.info(
    "logistic regression: learning rate %s, dev balanced accuracy %s (candidates %s)",
    result.metrics["learning_rate"],
    result.metrics["dev_balanced_accuracy"],
    result.metrics["candidates"],
)
