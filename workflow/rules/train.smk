# Training: one job per grid cell (activation x init x hidden size), which trains every
# learning rate x seed (replicate) of its dataset at once, plus the logistic-regression
# baseline per dataset (one model per replicate and penalty, the penalty best on dev in the
# selection metric kept). The baseline runs before the cells (priority): aggregation needs
# it, and left to the end it would hold up the figures while the other core idles.


rule train:
    input:
        prepared="results/{dataset}/data/prepared.h5",
    output:
        metrics=cell_path("metrics.json"),
        history=cell_path("history.csv.gz"),
        params=cell_path("params.npz"),
        predictions=cell_path("predictions.npz"),
        timing=cell_path("timing.json"),
    log:
        f"results/{{dataset}}/logs/train/{CELLS.wildcard_pattern}.log",
    benchmark:
        f"results/{{dataset}}/benchmarks/train/{CELLS.wildcard_pattern}.tsv"
    conda:
        "../envs/ablation.yaml"
    params:
        settings=cell_settings,
    script:
        "../../scripts/train.py"


rule baseline:
    input:
        prepared="results/{dataset}/data/prepared.h5",
    output:
        metrics="results/{dataset}/baseline/metrics.json",
        predictions="results/{dataset}/baseline/predictions.npz",
    log:
        "results/{dataset}/logs/baseline.log",
    priority: 5
    conda:
        "../envs/ablation.yaml"
    params:
        settings=baseline_settings,
        selection_metric=SELECTION_METRIC,
    script:
        "../../scripts/baseline.py"
