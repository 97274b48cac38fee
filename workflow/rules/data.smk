# Obtaining and preparing the data. Local raw files are already checked before any job
# starts (check_dataset in common.smk); a file that has to be downloaded is checked by its
# fetch_data job (checksum) and by prepare (content). Both rules have a high priority, so
# downloaded data is checked as early as possible; a dataset's own cells never start before
# its data is ok, but another dataset's cells may already be training on another core.


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
