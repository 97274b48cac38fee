# Aggregation of the cells of each dataset into tables and a plain-text summary.


rule aggregate:
    input:
        metrics=dataset_cell_files("metrics.json"),
        timing=dataset_cell_files("timing.json"),
        history=dataset_cell_files("history.csv"),
    output:
        cells=report(
            "results/{dataset}/summary/cells.csv",
            category="Summary tables",
            labels={"dataset": "{dataset}", "table": "cells"},
        ),
        history="results/{dataset}/summary/history.csv",
        best=report(
            "results/{dataset}/summary/best.json",
            category="Summary tables",
            labels={"dataset": "{dataset}", "table": "best configuration"},
        ),
    log:
        "results/{dataset}/logs/aggregate.log",
    conda:
        "../envs/ablation.yaml"
    script:
        "../../scripts/aggregate.py"


rule summary:
    input:
        cells="results/{dataset}/summary/cells.csv",
        best="results/{dataset}/summary/best.json",
        baseline="results/{dataset}/baseline/metrics.json",
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
