# The shallownet ablation: HDF5 / generated data -> one training job per grid cell ->
# tables, figures and the lecture's claims. Settings: config/config.yaml (schema in
# config/config.schema.yaml, every key in config/README.md); command-line defaults: the
# workflow profile profiles/default, which Snakemake reads by itself.
import gc


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/aggregate.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/report.smk"


# On a cluster (profiles/slurm) only the training jobs go to compute nodes: the other
# rules are light, and fetch_data needs the submit host's internet access.
localrules:
    all,
    fetch_data,
    prepare,
    aggregate,
    summary,
    claims,
    plot_claims,
    overview,
    plot_heatmap,
    plot_critical_difference,
    plot_accuracy_vs_hidden,
    plot_learning_curves,
    plot_symmetry,
    plot_saturation,
    plot_linear_collapse,
    plot_learning_rates,
    plot_decision_boundaries,


rule all:
    default_target: True
    input:
        [summary_targets(dataset) for dataset in DATASETS],
        [figure_targets(dataset) for dataset in DATASETS],
        claims_targets(),
        rules.overview.output,


# Snakemake holds every job and file of the DAG in memory, tens of thousands of objects per
# 1000 cells, and CPython's full garbage collections rescan all of them again and again: a
# fifth of a 10,000-cell dry run. What exists by now (modules, config, grid) lives as long as
# the process, so it is frozen out of the collector, and full collections run 100x less often.
gc.freeze()
gc.set_threshold(*gc.get_threshold()[:2], 1000)
