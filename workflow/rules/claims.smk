# The lecture's claims tested on every dataset's results (issues 7, 12): one table, shown first
# in the report. The report menu lists categories alphabetically, so the leading "1." puts
# this one before the figure and summary categories.
CLAIMS_CATEGORY = "1. Claims"


rule claims:
    input:
        cells=expand("results/{dataset}/summary/cells.csv", dataset=DATASETS),
        configurations=expand(
            "results/{dataset}/summary/configurations.csv", dataset=DATASETS
        ),
        history=expand("results/{dataset}/summary/history.csv.gz", dataset=DATASETS),
        baseline=expand("results/{dataset}/baseline/metrics.json", dataset=DATASETS),
        baseline_predictions=expand(
            "results/{dataset}/baseline/predictions.npz", dataset=DATASETS
        ),
        predictions=expand(
            "results/{dataset}/summary/predictions.npz", dataset=DATASETS
        ),
        best=expand("results/{dataset}/summary/best.json", dataset=DATASETS),
    output:
        html=report(
            "results/claims.html",
            caption="../report/claims.rst",
            category=CLAIMS_CATEGORY,
            labels={"result": "claims, verdicts and numbers"},
        ),
        csv=report(
            "results/claims.csv",
            caption="../report/claims.rst",
            category=CLAIMS_CATEGORY,
            labels={"result": "claims (CSV)"},
        ),
        md="results/claims.md",
    log:
        "results/logs/claims.log",
    conda:
        "../envs/ablation.yaml"
    params:
        # The input lists follow this order.
        datasets=DATASETS,
        # Data that need a non-linear boundary: claim 1b and the course's planar numbers.
        planar_datasets=[
            name
            for name, spec in config["datasets"].items()
            if spec["source"] == "planar"
        ],
        # The exact checks allow the rounding of the precision the networks trained in.
        precision=config["precision"],
    script:
        "../../scripts/claims.py"


# The forest plot: every claim's effect with its interval, drawn from claims.csv alone; the
# report's front page opens on it (workflow/report/workflow.rst).
rule plot_claims:
    input:
        claims="results/claims.csv",
    output:
        figure_outputs(
            "results/claims",
            caption="../report/claims_forest.rst",
            category=CLAIMS_CATEGORY,
            labels={"result": "forest plot of the claims"},
        ),
    log:
        "results/logs/plot_claims.log",
    conda:
        "../envs/ablation.yaml"
    params:
        style=FIGURE_STYLE,
    script:
        "../../scripts/plot_claims.py"


# The claims' files, for rule all. A lambda because Snakemake's linter wants named functions
# in common.smk, not beside rules.
claims_targets = lambda: [
    str(path) for path in [*rules.claims.output, *rules.plot_claims.output]
]
