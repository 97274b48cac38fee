"""Rule summary: summary.md of one dataset (best configuration, what dev can tell, headline
numbers, baselines)."""

from ablation.io import read_json, read_table, write_text
from ablation.logs import start_job
from ablation.prepare import describe_classes
from ablation.summary import summary_markdown

start_job(snakemake)
summary = summary_markdown(
    read_table(snakemake.input.cells),
    read_table(snakemake.input.configurations),
    read_json(snakemake.input.best),
    read_json(snakemake.input.baseline),
    classes=describe_classes(snakemake.input.prepared),
)
write_text(snakemake.output[0], summary)
