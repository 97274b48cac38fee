# The shallownet ablation: HDF5 / generated data -> one training job per grid cell ->
# tables, figures and the lecture's claims. Settings: config/config.yaml (schema in
# config/config.schema.yaml); threads and resources: workflow/profiles/default.


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/aggregate.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/claims.smk"


rule all:
    default_target: True
    input:
        [summary_targets(dataset) for dataset in DATASETS],
        [figure_targets(dataset) for dataset in DATASETS],
        claims_targets(),
