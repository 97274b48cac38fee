"""Rule summary: summary.md of one dataset (best cell, headline numbers, baseline)."""

import pandas as pd

from ablation.aggregate import summary_markdown
from ablation.io import read_json, write_text
from ablation.logs import log_to

log_to(snakemake.log[0])
summary = summary_markdown(
    pd.read_csv(snakemake.input.cells),
    read_json(snakemake.input.best),
    read_json(snakemake.input.baseline),
)
write_text(snakemake.output[0], summary)
