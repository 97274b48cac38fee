# Obtaining and preparing the data. Both rules have a high priority, so the data of every
# dataset is fetched and checked as early as possible and bad data stops the run before
# most (usually all) training jobs; a dataset's own cells never start before its data is ok.


rule fetch_data:
    output:
        "results/{dataset}/data/raw/{split}.h5",
    log:
        "results/{dataset}/logs/fetch_data/{split}.log",
    wildcard_constraints:
        dataset=one_of(H5_DATASETS),
        split="train|test",
    priority: 10
    conda:
        "../envs/ablation.yaml"
    params:
        source=raw_file_source,
    script:
        "../../scripts/fetch_data.py"


rule prepare:
    input:
        unpack(raw_files),
    output:
        "results/{dataset}/data/prepared.h5",
    log:
        "results/{dataset}/logs/prepare.log",
    priority: 10
    conda:
        "../envs/ablation.yaml"
    params:
        settings=data_settings,
    script:
        "../../scripts/prepare.py"
