"""Rule baseline: logistic regression on the prepared data of one dataset, one model per
replicate and penalty, solved to convergence; the penalty best on dev in the selection metric
is kept."""

import logging

from ablation.baseline import train_baseline
from ablation.io import write_json, write_npz
from ablation.logs import start_job

start_job(snakemake)
result = train_baseline(
    snakemake.input.prepared,
    selection_metric=snakemake.params.selection_metric,
    **snakemake.params.settings,
)
write_npz(snakemake.output.predictions, result.predictions)
write_json(snakemake.output.metrics, result.metrics)
logging.info(
    "logistic regression: C %s, pooled dev balanced accuracy %s (candidates %s)",
    result.metrics["C"],
    result.metrics["pooled_balanced_accuracy"],
    result.metrics["candidates"],
)
