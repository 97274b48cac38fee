"""Rule claims: test the lecture's claims on every dataset's aggregated results.

Writes ``results/claims.csv`` (one row per dataset and claim), ``claims.md`` (the table and
each claim's test and numbers) and ``claims.html`` (the table for the Snakemake report).
"""

import logging

import pandas as pd

from ablation.claims import claims_html, claims_markdown, evaluate_dataset
from ablation.io import read_json, read_table, write_table, write_text
from ablation.logs import log_to

log_to(snakemake.log[0])
tables = []
for dataset, cells, history, baseline in zip(
    snakemake.params.datasets,
    snakemake.input.cells,
    snakemake.input.history,
    snakemake.input.baseline,
):
    table = evaluate_dataset(
        dataset,
        read_table(cells),
        read_table(history),
        read_json(baseline),
        planar=dataset in snakemake.params.planar_datasets,
    )
    logging.info("%s: %s", dataset, table["verdict"].value_counts().to_dict())
    tables.append(table)
claims = pd.concat(tables, ignore_index=True)
write_table(snakemake.output.csv, claims)
write_text(snakemake.output.md, claims_markdown(claims))
write_text(snakemake.output.html, claims_html(claims))
