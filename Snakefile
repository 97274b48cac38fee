# The shallownet ablation: HDF5 / generated data -> one training job per grid cell ->
# tables and summary per dataset. Settings: config/config.yaml (schema in
# config/config.schema.yaml); threads and resources: workflow/profiles/default.


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/aggregate.smk"


rule all:
    default_target: True
    input:
        [summary_targets(dataset) for dataset in DATASETS],
