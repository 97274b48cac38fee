"""Rule baseline: logistic regression on the prepared data of one dataset, at each of its
learning rates; the one with the best dev accuracy is kept."""

import logging

from ablation.baseline import BASELINE_HISTORY_COLUMNS, train_baseline
from ablation.io import write_json, write_records_csv
from ablation.logs import log_to

log_to(snakemake.log[0])
metrics, history = train_baseline(
    snakemake.input.prepared, dataset=snakemake.wildcards.dataset, **snakemake.params.settings
)
write_records_csv(snakemake.output.history, history, BASELINE_HISTORY_COLUMNS)
write_json(snakemake.output.metrics, metrics)
logging.info(
    "logistic regression: learning rate %s, dev accuracy %s (candidates %s)",
    metrics["learning_rate"],
    metrics["dev_accuracy"],
    metrics["candidates"],
)
