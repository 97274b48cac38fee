# Configuration check, the grid of cells, and helpers shared by the rule files.
import re

from jsonschema import ValidationError
from snakemake.exceptions import WorkflowError
from snakemake.utils import Paramspace, min_version, validate

from ablation.fetch import fetch_settings, layout_settings
from ablation.grid import cell_frame, learning_rates
from ablation.prepare import check_dataset

min_version("9.0")


configfile: "config/config.yaml"


def config_error(violation):
    """A short error for one schema violation: the key, what is wrong, what is allowed.

    Snakemake's own message prints the whole schema after the violation.
    """
    key = "config" + "".join(f"[{part!r}]" for part in violation.absolute_path)
    message = f"invalid config: {key}: {violation.message}"
    if violation.validator == "additionalProperties":
        message += f"; allowed keys: {', '.join(violation.schema['properties'])}"
    if violation.absolute_path and "description" in violation.schema:
        message += f". About this key: {violation.schema['description']}"
    return WorkflowError(
        f"{message}. Every key is described in config/README.md and config/config.schema.yaml."
    )


# Stops the run before any job starts, naming the offending key; also fills in defaults.
try:
    validate(config, "../../config/config.schema.yaml")
except WorkflowError as error:
    # Snakemake raises its error while handling jsonschema's, which has the details.
    if not isinstance(error.__context__, ValidationError):
        raise
    raise config_error(error.__context__) from None

# A dataset's learning_rate may be a number or a list: from here on it is a sorted list, so
# every rule, script and report caption sees one form.
for spec in config["datasets"].values():
    spec["learning_rate"] = learning_rates(spec["learning_rate"])
DATASETS = list(config["datasets"])
# The dev score that chooses learning rates and the best configuration (ablation.metrics).
SELECTION_METRIC = config["selection"]["metric"]
# Bad data stops the whole run before any job starts, not only the jobs that read it, and
# leaves results/ untouched: the local raw files are checksummed and their layout checked
# (keys, shapes, dtypes, labels and class settings, both classes in every split, finite
# values, standardized values within float64's range), under the jobs' numeric regime
# (ablation.faults). Files still to be downloaded are checked by their jobs. Milliseconds for
# the course's data; a large file costs one read (hash) plus one of its examples, and with
# zscore one more of its training examples, each run (2.3 s for 0.37 GB of float32). A cluster job reads this file again in
# its own Snakemake process; the main one has checked.
if workflow.is_main_process:
    for name, spec in config["datasets"].items():
        check_dataset(name, spec, config["grid"]["seed"])
H5_DATASETS = [
    name for name, spec in config["datasets"].items() if spec["source"] == "h5"
]
# One training job per row: columns activation (label), init, hidden. Each job trains every
# learning rate x seed of its dataset.
CELLS = Paramspace(cell_frame(config))
# Each cell's directory under results/{dataset}/cells/ (activation~tanh/init~he/hidden~4/...).
CELL_DIRECTORIES = list(CELLS.instance_patterns)
# Per-dataset keys that only affect training; the rest describe the data.
TRAINING_KEYS = ("learning_rate", "iterations")


def one_of(values):
    """A wildcard pattern matching exactly one of ``values``."""
    return "|".join(re.escape(str(value)) for value in values)


wildcard_constraints:
    dataset=one_of(DATASETS),
    activation=one_of(CELLS.dataframe["activation"].unique()),
    init=one_of(config["grid"]["init"]),
    hidden=r"\d+",


def canonical(settings):
    """``settings`` with sorted keys.

    Snakemake's params rerun trigger compares the text of the params, so the same settings
    listed in another order in the config would otherwise retrain everything.
    """
    return dict(sorted(settings.items()))


# How the figures are written (config figures): the formats make each figure rule's outputs,
# the style is a parameter of the figure rules, so changing either redraws the figures only.
FIGURE_FORMATS = config["figures"]["formats"]
FIGURE_STYLE = canonical(
    {key: value for key, value in config["figures"].items() if key != "formats"}
)


def figure_outputs(stem, **report_options):
    """The outputs of a figure rule: ``stem`` in each configured format, the PNG shown in the
    report (``report_options``: caption, category, labels), the others written beside it.

    A figure rule using it also takes ``style=FIGURE_STYLE`` as a parameter, and its script
    draws in ``figure_context(style["context"])`` and saves every output with ``save_figure``.
    """
    png = report(f"{stem}.png", **report_options)
    return [png, *(f"{stem}.{suffix}" for suffix in FIGURE_FORMATS if suffix != "png")]


def cell_path(name):
    """Path pattern of one file of a cell, with the {dataset} and cell wildcards."""
    return f"results/{{dataset}}/cells/{CELLS.wildcard_pattern}/{name}"


def dataset_cell_files(name):
    """Input function: the paths of one file of every cell of the {dataset} wildcard's dataset.

    A function rather than a list of paths, so that the list (three per cell for the
    aggregate rule) is built only when an aggregate job is, not each time Snakemake reads the
    workflow (cluster jobs, dry runs of other targets).
    """
    return lambda wildcards: [
        f"results/{wildcards.dataset}/cells/{cell}/{name}" for cell in CELL_DIRECTORIES
    ]


def raw_file_split(dataset, split):
    """The split whose fetched copy holds ``split``'s file: train's when both splits name
    the same file (fetched once), else its own."""
    files = config["datasets"][dataset]["files"]
    same = fetch_settings(files[split]) == fetch_settings(files["train"])
    return "train" if same else split


def raw_files(wildcards):
    """The fetched HDF5 files of an h5 dataset, by split (none for generated data)."""
    if config["datasets"][wildcards.dataset]["source"] != "h5":
        return {}
    return {
        split: f"results/{wildcards.dataset}/data/raw/"
        f"{raw_file_split(wildcards.dataset, split)}.h5"
        for split in config["datasets"][wildcards.dataset]["files"]
    }


def data_settings(wildcards):
    """Settings of the prepare job: every dataset key except training and where the files
    come from (an h5 dataset's ``files`` keep what each file holds: its keys), and the
    replicates' seeds, which pick their folds or draws."""
    spec = config["datasets"][wildcards.dataset]
    settings = {key: value for key, value in spec.items() if key not in TRAINING_KEYS}
    settings["seeds"] = sorted(config["grid"]["seed"])
    if "files" in settings:
        settings["files"] = canonical(
            {
                split: layout_settings(entry)
                for split, entry in settings["files"].items()
            }
        )
    return canonical(settings)


def training_settings(wildcards):
    """The gradient-descent settings of one dataset's cells: ``learning_rates`` (sorted),
    ``iterations``, ``record_every``, ``precision``."""
    spec = config["datasets"][wildcards.dataset]
    return canonical(
        {
            "learning_rates": spec["learning_rate"],
            "iterations": spec["iterations"],
            "record_every": config["record_every"],
            "precision": config["precision"],
        }
    )


def cell_settings(wildcards):
    """Everything a train job passes to ``ablation.cell.train_cell`` for one cell.

    Passed as params so that Snakemake's params rerun trigger retrains exactly the cells
    whose settings changed (e.g. a learning rate or a seed added, one init's scale). The
    lists are sorted: the same values listed in another order retrain nothing.
    """
    # From the wildcards (constrained to the grid's values) rather than CELLS.instance(),
    # which builds pandas objects for every value: a quarter of a 10,000-cell dry run.
    return canonical(
        {
            "dataset": wildcards.dataset,
            "activation": wildcards.activation,
            "init": wildcards.init,
            "init_scale": config["init_scale"].get(wildcards.init),
            "hidden": int(wildcards.hidden),
            "seeds": sorted(config["grid"]["seed"]),
        }
        | training_settings(wildcards)
    )


def baseline_settings(wildcards):
    """Everything the baseline job passes to ``ablation.baseline.train_baseline``: the
    replicates' seeds and the L2 strengths tried (sorted)."""
    return canonical(
        {
            "dataset": wildcards.dataset,
            "seeds": sorted(config["grid"]["seed"]),
            "C": sorted(config["baseline"]["C"]),
        }
    )


def raw_file_source(wildcards):
    """Settings of one fetch job: local path, URL and SHA-256 of the file."""
    return fetch_settings(
        config["datasets"][wildcards.dataset]["files"][wildcards.split]
    )


def summary_targets(dataset):
    """The final outputs of this part of the workflow for one dataset."""
    return expand(
        "results/{dataset}/{file}",
        dataset=dataset,
        file=[
            "summary/cells.csv",
            "summary/configurations.csv",
            "summary/history.csv.gz",
            "summary/best.json",
            "summary/summary.md",
            "baseline/metrics.json",
        ],
    )
