# Aggregation of the cells of each dataset into tables and the selected networks' predictions;
# every choice the dev set makes (learning rates, the best configuration, those it cannot tell
# from the best) is made here once and written down; and a plain-text summary.


rule aggregate:
    input:
        metrics=dataset_cell_files("metrics.json"),
        timing=dataset_cell_files("timing.json"),
        history=dataset_cell_files("history.csv.gz"),
        predictions=dataset_cell_files("predictions.npz"),
        # The labels and each split's class mix (the majority-class baseline).
        prepared="results/{dataset}/data/prepared.h5",
        baseline="results/{dataset}/baseline/metrics.json",
    output:
        cells=report(
            "results/{dataset}/summary/cells.csv",
            category="Summary tables",
            labels={"dataset": "{dataset}", "table": "cells"},
        ),
        configurations=report(
            "results/{dataset}/summary/configurations.csv",
            category="Summary tables",
            labels={"dataset": "{dataset}", "table": "configurations"},
        ),
        history="results/{dataset}/summary/history.csv.gz",
        predictions="results/{dataset}/summary/predictions.npz",
        best=report(
            "results/{dataset}/summary/best.json",
            category="Summary tables",
            labels={"dataset": "{dataset}", "table": "best configuration"},
        ),
    log:
        "results/{dataset}/logs/aggregate.log",
    conda:
        "../envs/ablation.yaml"
    params:
        metric=SELECTION_METRIC,
    script:
        "../../scripts/aggregate.py"


rule summary:
    input:
        cells="results/{dataset}/summary/cells.csv",
        configurations="results/{dataset}/summary/configurations.csv",
        best="results/{dataset}/summary/best.json",
        baseline="results/{dataset}/baseline/metrics.json",
        # The class names, recorded at preparation.
        prepared="results/{dataset}/data/prepared.h5",
    output:
        report(
            "results/{dataset}/summary/summary.md",
            category="Summary tables",
            labels={"dataset": "{dataset}", "table": "summary"},
        ),
    log:
        "results/{dataset}/logs/summary.log",
    conda:
        "../envs/ablation.yaml"
    script:
        "../../scripts/summary.py"
