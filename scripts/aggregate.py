"""Rule aggregate: cells.csv, configurations.csv, history.csv.gz (long), predictions.npz and
best.json of one dataset: the tables, and every choice the dev set makes, written down once."""

import logging

from ablation.collect import CellFiles, read_baseline
from ablation.io import write_json, write_npz, write_table
from ablation.logs import start_job
from ablation.metrics import metric_named
from ablation.prepare import load_labels, read_class_mix
from ablation.selection import best_configuration, choose, selected_networks
from ablation.tables import aggregate_cells, selected_predictions, with_selection

start_job(snakemake)
inputs = snakemake.input
class_mix = read_class_mix(inputs.prepared)
aggregated = aggregate_cells(
    map(CellFiles, inputs.metrics, inputs.timing, inputs.history, inputs.predictions),
    labels=load_labels(inputs.prepared),
    class_mix=class_mix,
    baseline=read_baseline(inputs.baseline),
)
dev_labels = aggregated.labels["dev"]
configurations = choose(
    aggregated.cells, aggregated.logits["dev_logits"], dev_labels, snakemake.params.metric
)
cells = with_selection(aggregated.cells, selected_networks(aggregated.cells, configurations))
best = best_configuration(
    configurations,
    dataset=snakemake.wildcards.dataset,
    metric=snakemake.params.metric,
    dev_examples=dev_labels.size,
    class_mix=class_mix,
)
write_table(snakemake.output.cells, cells)
write_table(snakemake.output.configurations, configurations)
write_table(snakemake.output.history, aggregated.history)
write_npz(snakemake.output.predictions, selected_predictions(cells, aggregated))
write_json(snakemake.output.best, best)
logging.info(
    "%d networks; best %s/%s/%s at learning rate %s (pooled dev %s %.4f on %d examples); "
    "%d configurations indistinguishable from it on dev",
    len(cells),
    best["activation"],
    best["init"],
    best["hidden"],
    best["learning_rate"],
    best["selection_metric"],
    best[metric_named(best["selection_metric"]).dev_column],
    best["dev_examples"],
    len(best["indistinguishable"]),
)
