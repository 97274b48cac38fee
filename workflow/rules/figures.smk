# Figures of each dataset: seaborn figures drawn from the aggregated tables, each in the
# config's formats (figure_outputs) with its PNG shown in the report with its caption
# (workflow/report/<figure>.rst). The drawing is in lib/ablation/plots/ (one module per kind
# of figure); the scripts only read the inputs, draw in the config's style and save. Every
# figure rule is named plot_*: `make figures` redraws them all by that name.
from ablation.grid import activation_labels
from ablation.figure_plan import (
    FIGURES,
    PLANAR_FIGURES,
    decision_boundary_choice,
    figure_files,
    history_hidden,
)

# The report lists categories alphabetically: after "1. Claims", before "Summary tables".
FIGURES_CATEGORY = "2. Figures"
# Every figure but the learning-rate one shows each configuration at its learning rate selected
# on dev: the aggregate rule chose it and wrote it down (cells.csv's selected,
# configurations.csv); figures read the choice and the selection metric (best.json), never
# choose again.
# Hidden size of the per-iteration figures; a rule parameter, so known before training.
HISTORY_HIDDEN = history_hidden(config["grid"]["hidden"])
# The init, seed and hidden sizes of the decision-boundary grid, and its panels in order.
# Each panel's network is the seed's member of the cell at its dev-selected learning rate.
BOUNDARY = decision_boundary_choice(
    config["grid"]["init"], config["grid"]["hidden"], config["grid"]["seed"]
)
BOUNDARY_PANELS = [
    (label, hidden)
    for label in activation_labels(
        config["grid"]["activation"], config["leaky_relu_alpha"]
    )
    for hidden in BOUNDARY["hidden"]
]
PLANAR_DATASETS = [
    name for name, spec in config["datasets"].items() if spec["source"] == "planar"
]

# The figure files of one dataset, for rule all. Lambdas, not defs: Snakemake's linter
# wants named functions in common.smk, not beside rules.
figure_targets = lambda dataset: figure_files(
    dataset, config["datasets"][dataset]["source"], FIGURE_FORMATS
)
figure_output = lambda name: figure_outputs(
    f"results/{{dataset}}/figures/{name}",
    caption=f"../report/{name}.rst",
    category=FIGURES_CATEGORY,
    subcategory="{dataset}",
    labels={"dataset": "{dataset}", "figure": {**FIGURES, **PLANAR_FIGURES}[name]},
)


rule plot_heatmap:
    input:
        configurations="results/{dataset}/summary/configurations.csv",
        # The selection metric, the majority-class baseline the colours centre on, and the
        # selected configuration (boxed; a warning when it does not beat the baseline).
        best="results/{dataset}/summary/best.json",
    output:
        figure_output("heatmap"),
    log:
        "results/{dataset}/logs/figures/heatmap.log",
    conda:
        "../envs/ablation.yaml"
    params:
        style=FIGURE_STYLE,
    script:
        "../../scripts/plot_heatmap.py"


# Activations and inits ranked within the grid's settings (Friedman, Nemenyi), on test and dev.
rule plot_critical_difference:
    input:
        cells="results/{dataset}/summary/cells.csv",
        best="results/{dataset}/summary/best.json",
    output:
        figure_output("critical_difference"),
    log:
        "results/{dataset}/logs/figures/critical_difference.log",
    conda:
        "../envs/ablation.yaml"
    params:
        style=FIGURE_STYLE,
    script:
        "../../scripts/plot_critical_difference.py"


rule plot_accuracy_vs_hidden:
    input:
        cells="results/{dataset}/summary/cells.csv",
        best="results/{dataset}/summary/best.json",
    output:
        figure_output("accuracy_vs_hidden"),
    log:
        "results/{dataset}/logs/figures/accuracy_vs_hidden.log",
    conda:
        "../envs/ablation.yaml"
    params:
        style=FIGURE_STYLE,
    script:
        "../../scripts/plot_accuracy_vs_hidden.py"


rule plot_learning_curves:
    input:
        cells="results/{dataset}/summary/cells.csv",
        history="results/{dataset}/summary/history.csv.gz",
    output:
        figure_output("learning_curves"),
    log:
        "results/{dataset}/logs/figures/learning_curves.log",
    conda:
        "../envs/ablation.yaml"
    params:
        style=FIGURE_STYLE,
        hidden=HISTORY_HIDDEN,
    script:
        "../../scripts/plot_learning_curves.py"


rule plot_symmetry:
    input:
        cells="results/{dataset}/summary/cells.csv",
        history="results/{dataset}/summary/history.csv.gz",
    output:
        figure_output("symmetry"),
    log:
        "results/{dataset}/logs/figures/symmetry.log",
    conda:
        "../envs/ablation.yaml"
    params:
        style=FIGURE_STYLE,
        hidden=HISTORY_HIDDEN,
    script:
        "../../scripts/plot_symmetry.py"


rule plot_saturation:
    input:
        cells="results/{dataset}/summary/cells.csv",
        history="results/{dataset}/summary/history.csv.gz",
    output:
        figure_output("saturation"),
    log:
        "results/{dataset}/logs/figures/saturation.log",
    conda:
        "../envs/ablation.yaml"
    params:
        style=FIGURE_STYLE,
        hidden=HISTORY_HIDDEN,
    script:
        "../../scripts/plot_saturation.py"


rule plot_linear_collapse:
    input:
        # Holds the logistic-regression and majority-class baselines of every split.
        cells="results/{dataset}/summary/cells.csv",
        configurations="results/{dataset}/summary/configurations.csv",
        best="results/{dataset}/summary/best.json",
    output:
        figure_output("linear_collapse"),
    log:
        "results/{dataset}/logs/figures/linear_collapse.log",
    conda:
        "../envs/ablation.yaml"
    params:
        style=FIGURE_STYLE,
    script:
        "../../scripts/plot_linear_collapse.py"


# The fixed-learning-rate view: every rate trained, the selected ones marked.
rule plot_learning_rates:
    input:
        configurations="results/{dataset}/summary/configurations.csv",
        best="results/{dataset}/summary/best.json",
    output:
        figure_output("learning_rates"),
    log:
        "results/{dataset}/logs/figures/learning_rates.log",
    conda:
        "../envs/ablation.yaml"
    params:
        style=FIGURE_STYLE,
    script:
        "../../scripts/plot_learning_rates.py"


rule plot_decision_boundaries:
    input:
        cells="results/{dataset}/summary/cells.csv",
        best="results/{dataset}/summary/best.json",
        prepared="results/{dataset}/data/prepared.h5",
        # The cell of each panel, in the order of params.panels.
        params=expand(
            cell_path("params.npz"),
            zip,
            activation=[label for label, _ in BOUNDARY_PANELS],
            hidden=[hidden for _, hidden in BOUNDARY_PANELS],
            init=[BOUNDARY["init"]] * len(BOUNDARY_PANELS),
            allow_missing=True,
        ),
    output:
        figure_output("decision_boundaries"),
    log:
        "results/{dataset}/logs/figures/decision_boundaries.log",
    wildcard_constraints:
        dataset=one_of(PLANAR_DATASETS),
    conda:
        "../envs/ablation.yaml"
    params:
        style=FIGURE_STYLE,
        panels=BOUNDARY_PANELS,
        init=BOUNDARY["init"],
        seed=BOUNDARY["seed"],
    script:
        "../../scripts/plot_decision_boundaries.py"
