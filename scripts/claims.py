"""Rule claims: test the lecture's claims on every dataset's results.

Writes ``results/claims.csv`` (one row per dataset and claim), ``claims.md`` (the table and
each claim's test and numbers) and ``claims.html`` (the table for the Snakemake report).
"""

import logging

import numpy as np

from ablation.claims import DatasetResults, claims_html, claims_markdown, evaluate
from ablation.io import read_json, read_table, write_table, write_text
from ablation.logs import start_job
from ablation.tables import read_predictions

start_job(snakemake)
datasets = []
inputs = snakemake.input
for name, cells, configurations, history, baseline, baseline_predictions, predictions, best in zip(
    snakemake.params.datasets,
    inputs.cells,
    inputs.configurations,
    inputs.history,
    inputs.baseline,
    inputs.baseline_predictions,
    inputs.predictions,
    inputs.best,
):
    keys, arrays = read_predictions(predictions)
    with np.load(baseline_predictions) as baseline_arrays:
        baseline_logits = dict(baseline_arrays)
    datasets.append(
        DatasetResults(
            name=name,
            cells=read_table(cells),
            configurations=read_table(configurations),
            history=read_table(history),
            prediction_keys=keys,
            predictions=arrays,
            baseline=read_json(baseline),
            baseline_predictions=baseline_logits,
            best=read_json(best),
            planar=name in snakemake.params.planar_datasets,
            precision=snakemake.params.precision,
        )
    )
claims = evaluate(datasets)
for name, table in claims.groupby("dataset", sort=False):
    logging.info("%s: %s", name, table["verdict"].value_counts().to_dict())
write_table(snakemake.output.csv, claims)
write_text(snakemake.output.md, claims_markdown(claims))
write_text(snakemake.output.html, claims_html(claims))
