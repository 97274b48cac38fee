# The opening of the report: what the run found, in a few generated lines and the forest plot
# of the claims, which the front page (workflow/report/workflow.rst) includes.


rule overview:
    input:
        # In the order of the config's datasets; cells.csv holds the baselines' test scores.
        cells=expand("results/{dataset}/summary/cells.csv", dataset=DATASETS),
        best=expand("results/{dataset}/summary/best.json", dataset=DATASETS),
        claims="results/claims.csv",
        forest_plot="results/claims.png",
    output:
        "results/overview.rst",
    log:
        "results/logs/overview.log",
    conda:
        "../envs/ablation.yaml"
    script:
        "../../scripts/overview.py"
