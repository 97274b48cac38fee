"""End to end: the real Snakefile on the small config (.test/config/config.yaml).

One workflow run in a temporary working directory is shared by the module; the tests then
inspect it, dry-run changes against it, and (last) damage a copy of it.
"""

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

import numpy as np
import shallownet

from ablation.cell import PARAM_NAMES, PREDICTION_SPLITS
from ablation.collect import retrain_command
from ablation.figure_plan import FIGURES, PLANAR_FIGURES, figure_files
from ablation.grid import CELL_COLUMNS, NETWORK_COLUMNS, cell_records, learning_rates
from ablation.metrics import balanced_accuracy
from ablation.metrics import METRICS
from ablation.prepare import load_labels
from ablation.replicates import load_replicates
from ablation.selection import CONFIGURATION_COLUMNS
from ablation.tables import CELL_TABLE_COLUMNS, read_predictions

pytestmark = pytest.mark.workflow

REPO = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((REPO / ".test" / "config" / "config.yaml").read_text())
DATASETS = list(CONFIG["datasets"])
#: Training jobs per dataset: one per activation x init x hidden size.
CELLS_PER_DATASET = len(cell_records(CONFIG))
#: The learning rates of each dataset (cat has one, given as a number; planar two).
RATES = {name: learning_rates(spec["learning_rate"]) for name, spec in CONFIG["datasets"].items()}
#: Trained networks of a cell: one per learning rate and seed.
MEMBERS = {name: len(rates) * len(CONFIG["grid"]["seed"]) for name, rates in RATES.items()}


def planned_jobs(dry_run_output):
    """Job counts by rule from a dry run's "Job stats" table."""
    table = dry_run_output.split("Job stats:")[1].split("total")[0]
    return {name: int(count) for name, count in re.findall(r"^(\w+)\s+(\d+)$", table, re.M)}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory, make_workdir, snakemake):
    path = make_workdir(tmp_path_factory.mktemp("e2e"))
    snakemake(path, "--cores", 2)
    return path


def with_config_change(workdir, change):
    """Write a changed copy of the config and return its path (for --configfile)."""
    config = yaml.safe_load((workdir / "config" / "config.yaml").read_text())
    change(config)
    path = workdir / "config" / "changed.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_every_declared_output_exists(workdir, snakemake):
    summary = snakemake(workdir, "--summary").stdout
    rows = [line.split("\t") for line in summary.splitlines()[1:] if "\t" in line]
    assert rows, summary
    not_ok = [(row[0], row[4]) for row in rows if row[4] != "ok"]
    assert not_ok == []
    assert all((workdir / row[0]).is_file() for row in rows)
    train_outputs = [row[0] for row in rows if row[2] == "train"]
    assert len(train_outputs) == 5 * CELLS_PER_DATASET * len(DATASETS)


@pytest.mark.parametrize("dataset", DATASETS)
def test_cells_table_has_one_row_per_network_and_valid_accuracies(workdir, dataset):
    cells = pd.read_csv(workdir / "results" / dataset / "summary" / "cells.csv")
    assert list(cells.columns) == list(CELL_TABLE_COLUMNS)
    expected = {
        (*cell.values(), rate, seed)
        for cell in cell_records(CONFIG)
        for rate in RATES[dataset]
        for seed in CONFIG["grid"]["seed"]
    }
    assert set(cells[list(NETWORK_COLUMNS)].itertuples(index=False, name=None)) == expected
    assert len(cells) == CELLS_PER_DATASET * MEMBERS[dataset]
    for column in ("train_accuracy", "dev_accuracy", "test_accuracy"):
        assert cells[column].between(0, 1).all(), column
    assert (cells["dataset"] == dataset).all()
    # One learning rate selected per configuration: one network per configuration and seed.
    chosen = cells[cells["selected"]]
    assert len(chosen) == CELLS_PER_DATASET * len(CONFIG["grid"]["seed"])
    assert not chosen.duplicated([*CELL_COLUMNS, "seed"]).any()
    # The timing column is the whole cell job's: one value per cell, on each of its rows.
    assert (cells.groupby(list(CELL_COLUMNS))["cell_train_seconds"].nunique() == 1).all()


@pytest.mark.parametrize("dataset", DATASETS)
def test_history_best_and_summary(workdir, dataset):
    summary_dir = workdir / "results" / dataset / "summary"
    history = pd.read_csv(summary_dir / "history.csv.gz")
    records = CONFIG["datasets"][dataset]["iterations"] // CONFIG["record_every"] + 1
    assert history.groupby(list(NETWORK_COLUMNS)).size().eq(records).all()
    best = yaml.safe_load((summary_dir / "best.json").read_text())
    assert best["selection_metric"] == "balanced_accuracy"  # the default: the config has none
    configurations = pd.read_csv(summary_dir / "configurations.csv")
    assert list(configurations.columns) == list(CONFIGURATION_COLUMNS)
    assert len(configurations) == CELLS_PER_DATASET * len(RATES[dataset])
    # The pooled dev score of every configuration at every rate, and the choices made on it:
    # the best is ranked first and is the highest pooled dev balanced accuracy.
    ranked = configurations[configurations["rank"].notna()].sort_values("rank")
    first = ranked.iloc[0]
    assert [first[key] for key in (*CELL_COLUMNS, "learning_rate")] == [
        best[key] for key in (*CELL_COLUMNS, "learning_rate")
    ]
    assert best["dev_balanced_accuracy"] == pytest.approx(ranked["dev_balanced_accuracy"].max())
    assert best["learning_rates_tried"] == RATES[dataset]
    labels = load_labels(workdir / "results" / dataset / "data" / "prepared.h5")
    assert best["dev_examples"] == labels["dev"].size
    assert {tuple(entry[key] for key in CELL_COLUMNS) for entry in best["indistinguishable"]} == {
        tuple(row[key] for key in CELL_COLUMNS)
        for _, row in ranked[ranked["indistinguishable"]].iterrows()
    }
    summary = (summary_dir / "summary.md").read_text()
    assert f"activation {best['activation']}" in summary
    baseline = yaml.safe_load(
        (workdir / "results" / dataset / "baseline" / "metrics.json").read_text()
    )
    assert [candidate["C"] for candidate in baseline["candidates"]] == sorted(
        CONFIG.get("baseline", {}).get("C", [0.001, 0.01, 0.1, 1.0, 10.0, 100.0])
    )
    assert baseline["selection_metric"] == "balanced_accuracy"
    cells = pd.read_csv(summary_dir / "cells.csv")
    assert (cells["dev_logistic_balanced_accuracy"] == baseline["pooled_balanced_accuracy"]).all()
    # The logistic regression fits its training data better than a constant predictor.
    assert all(entry["beats_constant_predictor"] for entry in baseline["replicates"].values())


def test_cat_dev_scores_rest_on_every_training_image_out_of_fold(workdir):
    results = workdir / "results" / "cat"
    replicates = load_replicates(results / "data" / "prepared.h5")
    assert replicates.kind == "folds" and replicates.dev_examples == 209
    keys, arrays = read_predictions(results / "summary" / "predictions.npz")
    dev = arrays["dev_logits"]
    # Each selected configuration's replicates predict every training image exactly once.
    for _, rows in keys.groupby(list(CELL_COLUMNS)).groups.items():
        assert (np.isfinite(dev[rows]).sum(axis=0) == 1).all()
    best = yaml.safe_load((results / "summary" / "best.json").read_text())
    assert best["dev_examples"] == 209


@pytest.mark.parametrize("dataset", DATASETS)
def test_best_and_summary_state_the_class_mix_and_the_majority_baseline(workdir, dataset):
    results = workdir / "results" / dataset
    best = yaml.safe_load((results / "summary" / "best.json").read_text())
    labels = load_labels(results / "data" / "prepared.h5")
    summary = (results / "summary" / "summary.md").read_text()
    cells = pd.read_csv(results / "summary" / "cells.csv")
    for split, split_labels in labels.items():
        positives = int(split_labels.sum())
        negatives = len(split_labels) - positives
        majority = max(positives, negatives) / len(split_labels)
        assert best["majority"][split] == {
            "accuracy": pytest.approx(majority),
            "positives": positives,
            "negatives": negatives,
        }
        np.testing.assert_allclose(cells[f"{split}_majority_accuracy"], majority)
        assert f"| {split} | {len(split_labels)} | {positives} | {negatives} |" in summary
    assert best["constant_predictor_dev_score"] == 0.5
    beats = best["dev_balanced_accuracy"] > 0.5
    assert best["beats_majority_on_dev"] is beats
    assert ("> **Warning.**" in summary) is (not beats) and (best["warning"] is None) is beats


@pytest.mark.parametrize("dataset", DATASETS)
def test_summary_predictions_follow_cells_csv_and_the_cells_files(workdir, dataset):
    results = workdir / "results" / dataset
    cells = pd.read_csv(results / "summary" / "cells.csv")
    chosen = cells[cells["selected"]].reset_index(drop=True)
    keys, arrays = read_predictions(results / "summary" / "predictions.npz")
    pd.testing.assert_frame_equal(keys, chosen[list(NETWORK_COLUMNS)])
    labels = load_labels(results / "data" / "prepared.h5")
    for split in PREDICTION_SPLITS:
        np.testing.assert_array_equal(arrays[f"{split}_labels"], labels[split])
    # The test scores in cells.csv are those of the stored logits ...
    predicted = arrays["test_logits"] > 0
    np.testing.assert_allclose((predicted == labels["test"]).mean(axis=1), chosen["test_accuracy"])
    np.testing.assert_allclose(
        balanced_accuracy(predicted, labels["test"]), chosen["test_balanced_accuracy"]
    )
    # ... and so are the dev scores, on the dev examples each network's replicate predicts.
    balanced = METRICS["balanced_accuracy"]
    for row, logits in enumerate(arrays["dev_logits"]):
        seen = np.isfinite(logits)
        assert balanced.pooled(logits[np.newaxis, seen], labels["dev"][seen]) == pytest.approx(
            chosen.loc[row, "dev_balanced_accuracy"]
        )
    # Each row holds its cell's own predictions of that network.
    cell = results / "cells" / "activation~tanh" / "init~he" / "hidden~3"
    rows = np.flatnonzero(
        (chosen["activation"] == "tanh") & (chosen["init"] == "he") & (chosen["hidden"] == 3)
    )
    with np.load(cell / "predictions.npz") as stored:
        members = np.isin(stored["learning_rate"], chosen.loc[rows, "learning_rate"])
        for split in PREDICTION_SPLITS:
            np.testing.assert_array_equal(
                arrays[f"{split}_logits"][rows], stored[f"{split}_logits"][members]
            )


@pytest.mark.parametrize("dataset", DATASETS)
def test_baseline_predictions_are_those_of_its_replicates(workdir, dataset):
    results = workdir / "results" / dataset
    metrics = yaml.safe_load((results / "baseline" / "metrics.json").read_text())
    labels = load_labels(results / "data" / "prepared.h5")
    seeds = sorted(CONFIG["grid"]["seed"])
    with np.load(results / "baseline" / "predictions.npz") as stored:
        assert sorted(stored.files) == ["dev_logits", "seed", "test_logits"]
        assert stored["seed"].tolist() == seeds
        for row, seed in enumerate(seeds):
            assert metrics["replicates"][str(seed)]["test_balanced_accuracy"] == pytest.approx(
                balanced_accuracy(stored["test_logits"][row] > 0, labels["test"])
            )
        assert metrics["pooled_balanced_accuracy"] == pytest.approx(
            METRICS["balanced_accuracy"].pooled(stored["dev_logits"], labels["dev"])
        )


def test_metrics_are_deterministic_and_timing_is_apart(workdir):
    cell = "activation~tanh/init~he/hidden~3"
    metrics = workdir / "results" / "planar" / "cells" / cell / "metrics.json"
    text = metrics.read_text()
    assert "seconds" not in text and "hostname" not in text
    assert "cell_train_seconds" in (metrics.parent / "timing.json").read_text()


def test_cell_files_hold_every_network_and_its_predictions(workdir):
    cell = workdir / "results" / "planar" / "cells" / "activation~tanh" / "init~he" / "hidden~3"
    replicates = load_replicates(workdir / "results" / "planar" / "data" / "prepared.h5")
    networks = yaml.safe_load((cell / "metrics.json").read_text())["networks"]
    members = [(network["learning_rate"], network["seed"]) for network in networks]
    assert members == [(rate, seed) for rate in RATES["planar"] for seed in CONFIG["grid"]["seed"]]
    with np.load(cell / "params.npz") as params, np.load(cell / "predictions.npz") as predictions:
        assert params["W1"].shape == (len(members), 3, 2)
        for arrays in (params, predictions):
            assert list(zip(arrays["learning_rate"], arrays["seed"])) == members
        for index, (_, seed) in enumerate(members):
            member = {name: params[name][index] for name in PARAM_NAMES}
            for split, X in (
                ("dev", replicates.dev_set(seed)[0]),
                ("test", replicates.arrays["X_test"]),
            ):
                logits = shallownet.decision_function(member, X, activation="tanh")
                # Kept in float32 (ablation.cell.stored_logits): its rounding, and not more.
                np.testing.assert_allclose(
                    predictions[f"{split}_logits"][index], logits[0], rtol=1e-7
                )


def test_nothing_to_do_after_a_complete_run(workdir, snakemake):
    assert "Nothing to be done" in snakemake(workdir, "--dry-run").stdout


def dry_run_jobs(workdir, snakemake, change):
    """The jobs a dry run with a changed config plans, by rule."""
    changed = with_config_change(workdir, change)
    return planned_jobs(snakemake(workdir, "--dry-run", "--configfile", changed).stdout)


def test_adding_a_seed_adds_a_replicate_everywhere_and_fetches_nothing(workdir, snakemake):
    def one_more_seed(config):
        config["grid"]["seed"].append(max(config["grid"]["seed"]) + 1)

    # A replicate is a data split too: the folds (cat) and draws (planar) are prepared again.
    jobs = dry_run_jobs(workdir, snakemake, one_more_seed)
    assert jobs["train"] == CELLS_PER_DATASET * len(DATASETS)
    assert jobs["prepare"] == jobs["baseline"] == len(DATASETS)
    assert "fetch_data" not in jobs


def test_adding_a_learning_rate_retrains_that_datasets_cells_only(workdir, snakemake):
    def one_more_rate(config):
        config["datasets"]["planar"]["learning_rate"].append(2.0)

    jobs = dry_run_jobs(workdir, snakemake, one_more_rate)
    assert jobs["train"] == CELLS_PER_DATASET
    assert jobs["aggregate"] == 1  # planar's only: cat's cells are untouched
    # The baseline's penalty, not a learning rate, is what it tunes.
    assert "baseline" not in jobs and "prepare" not in jobs and "fetch_data" not in jobs


def test_changing_the_selection_metric_reselects_without_retraining(workdir, snakemake):
    def by_cross_entropy(config):
        config["selection"] = {"metric": "cross_entropy"}

    jobs = dry_run_jobs(workdir, snakemake, by_cross_entropy)
    assert "train" not in jobs and "prepare" not in jobs
    assert jobs["baseline"] == jobs["aggregate"] == len(DATASETS)
    assert jobs["plot_heatmap"] == jobs["plot_learning_rates"] == len(DATASETS)


def test_a_learning_rate_given_as_a_list_of_one_equals_the_number(workdir, snakemake):
    def cat_rate_as_list(config):
        config["datasets"]["cat"]["learning_rate"] = [config["datasets"]["cat"]["learning_rate"]]

    assert isinstance(CONFIG["datasets"]["cat"]["learning_rate"], float)
    changed = with_config_change(workdir, cat_rate_as_list)
    dry_run = snakemake(workdir, "--dry-run", "--configfile", changed)
    assert "Nothing to be done" in dry_run.stdout


def test_reordered_config_keys_and_lists_retrain_nothing(workdir, tmp_path, snakemake):
    def reversed_keys(node, keep_order=("datasets",), key=None):
        if isinstance(node, dict):
            items = [(name, reversed_keys(value, key=name)) for name, value in node.items()]
            return dict(items if key in keep_order else items[::-1])
        return node

    config = reversed_keys(yaml.safe_load((workdir / "config" / "config.yaml").read_text()))
    config["grid"]["seed"].reverse()
    config["datasets"]["planar"]["learning_rate"].reverse()
    copy = tmp_path / "reordered"
    shutil.copytree(workdir, copy, symlinks=True)
    (copy / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    assert "Nothing to be done" in snakemake(copy, "--dry-run").stdout


def test_changing_a_learning_rate_retrains_that_datasets_cells_only(workdir, snakemake):
    def faster_cat(config):
        config["datasets"]["cat"]["learning_rate"] *= 2

    changed = with_config_change(workdir, faster_cat)
    jobs = planned_jobs(snakemake(workdir, "--dry-run", "--configfile", changed).stdout)
    assert jobs["train"] == CELLS_PER_DATASET
    assert "baseline" not in jobs and "prepare" not in jobs and "fetch_data" not in jobs


def test_adding_a_hidden_size_trains_only_the_new_cells(workdir, snakemake):
    def one_more_size(config):
        config["grid"]["hidden"].append(max(config["grid"]["hidden"]) + 1)

    changed = with_config_change(workdir, one_more_size)
    jobs = planned_jobs(snakemake(workdir, "--dry-run", "--configfile", changed).stdout)
    new_cells_per_dataset = CELLS_PER_DATASET // len(CONFIG["grid"]["hidden"])
    assert jobs["train"] == new_cells_per_dataset * len(DATASETS)
    assert "baseline" not in jobs and "prepare" not in jobs


def test_lint_is_clean(workdir, snakemake):
    result = snakemake(workdir, "--lint")
    assert "Lints for" not in result.stdout + result.stderr


def test_report_builds(workdir, snakemake):
    snakemake(workdir, "--report", "results/report.html")
    report = workdir / "results" / "report.html"
    assert report.is_file() and report.stat().st_size > 10_000


#: The figure jobs of a complete run: every figure of each dataset, the decision boundaries
#: of the planar one, and the forest plot of the claims.
FIGURE_JOBS = len(FIGURES) * len(DATASETS) + len(PLANAR_FIGURES) + 1
#: What a figure's redrawing also redoes: the report's opening embeds the forest plot.
REDRAWN_WITH_THE_FIGURES = {"overview"}


def figure_paths(root, formats=("png",)):
    """Every figure file of a run in ``root`` in each of ``formats``."""
    return [
        root / path
        for dataset, spec in CONFIG["datasets"].items()
        for path in figure_files(dataset, spec["source"], formats)
    ] + [root / "results" / f"claims.{suffix}" for suffix in formats]


def training_outputs(root):
    """Modification times of every cell's and baseline's files and of the summary tables."""
    paths = [*root.glob("results/*/cells/**/*.*"), *root.glob("results/*/baseline/*")]
    paths += root.glob("results/*/summary/*")
    assert paths
    return {path.relative_to(root): path.stat().st_mtime_ns for path in paths}


def write_overlay(root, figures):
    """A config file holding only a ``figures`` section, for --configfile."""
    path = root / "config" / "figures.yaml"
    path.write_text(yaml.safe_dump({"figures": figures}))
    return path


@pytest.mark.parametrize("style", [{"context": "talk"}, {"dpi": 300}])
def test_changing_the_figure_style_redraws_only_the_figures(workdir, snakemake, style):
    overlay = write_overlay(workdir, style)
    jobs = planned_jobs(snakemake(workdir, "--dry-run", "--configfile", overlay).stdout)
    assert {rule for rule in jobs if rule != "all"} == {
        f"plot_{name}" for name in [*FIGURES, *PLANAR_FIGURES, "claims"]
    } | REDRAWN_WITH_THE_FIGURES
    assert sum(jobs.values()) == FIGURE_JOBS + len(REDRAWN_WITH_THE_FIGURES) + 1


def test_a_pdf_overlay_adds_a_pdf_of_every_figure_and_retrains_nothing(
    workdir, tmp_path, snakemake
):
    copy = tmp_path / "pdf"
    shutil.copytree(workdir, copy, symlinks=True)
    before = training_outputs(copy)
    pngs = {path: path.read_bytes() for path in figure_paths(copy)}
    overlay = write_overlay(copy, {"formats": ["png", "pdf"]})
    jobs = planned_jobs(snakemake(copy, "--dry-run", "--configfile", overlay).stdout)
    assert sum(count for rule, count in jobs.items() if rule.startswith("plot_")) == FIGURE_JOBS
    assert set(jobs) - {"all"} - REDRAWN_WITH_THE_FIGURES == {
        rule for rule in jobs if rule.startswith("plot_")
    }

    snakemake(copy, "--cores", 2, "--configfile", overlay)
    pdfs = figure_paths(copy, ["pdf"])
    assert len(pdfs) == FIGURE_JOBS
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF-"), pdf
    assert training_outputs(copy) == before
    # Redrawn in the same style, the PNGs the report shows are the same bytes.
    assert {path: path.read_bytes() for path in pngs} == pngs
    assert "Nothing to be done" in snakemake(copy, "--dry-run", "--configfile", overlay).stdout


def test_make_figures_redraws_every_figure_and_the_report_and_retrains_nothing(
    workdir, tmp_path, snakemake
):
    copy = tmp_path / "figures"
    shutil.copytree(workdir, copy, symlinks=True)
    before = training_outputs(copy)
    drawn = {path: path.stat().st_mtime_ns for path in figure_paths(copy)}
    venv = Path(sys.prefix)
    installed = venv / "bin" / ".installed"
    # The Makefile's commands run on the copy, with the test's environment as it is (-o: the
    # virtual environment counts as installed, whatever its files' times).
    subprocess.run(
        ["make", "-C", REPO, "figures", f"VENV={venv}", "CORES=2", "-o", installed,
         f"SNAKEMAKE={snakemake.executable} --directory {copy}"],
        check=True, capture_output=True, env=snakemake.environment,
    )  # fmt: skip
    redrawn = {path: path.stat().st_mtime_ns for path in drawn}
    assert all(redrawn[path] > mtime for path, mtime in drawn.items())
    assert training_outputs(copy) == before
    report = copy / "results" / "report.html"
    assert report.stat().st_mtime_ns > max(redrawn.values())


def test_report_opens_on_what_the_run_found(workdir, snakemake, tmp_path):
    """The front page, as `make report` builds it: the best configurations against the
    baselines and the verdicts, then the forest plot itself, then the method; the stylesheet
    that keeps the page's top in view."""
    report = tmp_path / "report.html"
    stylesheet = REPO / "workflow" / "report" / "report.css"
    snakemake(workdir, "--report", report, "--report-stylesheet", stylesheet)
    page = report.read_text()
    front = json.loads(re.search(r"var workflow_desc = (.*);$", page, re.M).group(1))
    marks = [
        "What it found",
        "Best configuration of each dataset",
        *(f"<strong>{dataset}</strong>: <tt" for dataset in DATASETS),
        "The lecture's claims",
        '<img alt="forest plot',
        "How it was run",
    ]
    missing = [mark for mark in marks if mark not in front]
    assert not missing, front[:3000]
    assert [front.index(mark) for mark in marks] == sorted(front.index(mark) for mark in marks)
    image = re.search(r'src="data:image/png;base64,([^"]+)"', front).group(1)
    assert base64.b64decode(image) == (workdir / "results" / "claims.png").read_bytes()
    assert "System Message" not in front
    assert stylesheet.read_text() in page


def test_corrupted_metrics_stop_aggregation_until_the_cell_is_retrained(
    workdir, tmp_path, snakemake
):
    damaged = tmp_path / "damaged"
    shutil.copytree(workdir, damaged, symlinks=True)
    cells_csv = Path("results/cat/summary/cells.csv")
    before = pd.read_csv(damaged / cells_csv).drop(columns="cell_train_seconds")
    metrics = Path("results/cat/cells/activation~tanh/init~zeros/hidden~1/metrics.json")
    (damaged / metrics).write_text((damaged / metrics).read_text()[:40])

    failed = snakemake(damaged, "--cores", 2, check=False)
    assert failed.returncode != 0
    assert f"cannot read {metrics}" in failed.stderr
    assert retrain_command(metrics) in failed.stderr

    # The command the error names, run in the same place, repairs the results.
    command = retrain_command(metrics).split()
    assert command[:3] == ["snakemake", "--cores", "all"]
    snakemake(damaged, "--cores", 2, *command[3:])
    after = pd.read_csv(damaged / cells_csv).drop(columns="cell_train_seconds")
    pd.testing.assert_frame_equal(after, before)


def test_bad_config_value_stops_before_any_job(workdir, snakemake):
    def hidden_zero(config):
        config["grid"]["hidden"] = [0, 3]

    changed = with_config_change(workdir, hidden_zero)
    before = sorted(path.stat().st_mtime_ns for path in (workdir / "results").rglob("*"))
    failed = snakemake(workdir, "--cores", 2, "--configfile", changed, check=False)
    assert failed.returncode != 0
    assert "0 is less than the minimum of 1" in failed.stderr
    assert "['grid']['hidden']" in failed.stderr
    after = sorted(path.stat().st_mtime_ns for path in (workdir / "results").rglob("*"))
    assert after == before


def test_corrupted_raw_file_stops_the_run_before_training(tmp_path, make_workdir, snakemake):
    fresh = make_workdir(tmp_path / "fresh")
    raw = fresh / "data" / "raw" / "train_catvnoncat.h5"
    raw.write_bytes(raw.read_bytes()[:-1000])
    failed = snakemake(fresh, "--cores", 2, check=False)
    assert failed.returncode != 0
    expected_sum = CONFIG["datasets"]["cat"]["files"]["train"]["sha256"]
    assert (
        f"checksum mismatch for data/raw/train_catvnoncat.h5: expected sha256 {expected_sum}"
        in failed.stderr
    )
    assert not (fresh / "results" / "cat" / "data" / "raw" / "train.h5").exists()
    # No cat cell trained. (Planar cells may have started on the other core: the data rules
    # run first by priority, but Snakemake does not hold a free core back for them.)
    assert not (fresh / "results" / "cat" / "cells").exists()


def test_killed_run_resumes_to_identical_results_on_one_core(
    workdir, tmp_path, make_workdir, snakemake
):
    """SIGKILL the whole workflow mid-training, unlock, rerun the same command: the metrics and
    cells.csv equal the uninterrupted two-core run's byte for byte (cells.csv without its
    timing column)."""
    resumed = make_workdir(tmp_path / "resumed")
    targets = [f"results/{dataset}/summary/cells.csv" for dataset in DATASETS]
    command = snakemake.command(resumed, "--cores", 1, *targets)
    process = subprocess.Popen(
        command,
        env=snakemake.environment,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(list(resumed.glob("results/*/cells/**/metrics.json"))) < 3:
        assert process.poll() is None and time.monotonic() < deadline, "no cell trained"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert not all((resumed / target).exists() for target in targets)

    # The documented recovery: release the killed run's lock, rerun the same command (the
    # profile's rerun-incomplete redoes the jobs that were running).
    snakemake(resumed, "--unlock")
    snakemake(resumed, "--cores", 1, *targets)
    for metrics in workdir.glob("results/*/cells/**/metrics.json"):
        relative = metrics.relative_to(workdir)
        assert (resumed / relative).read_bytes() == metrics.read_bytes(), relative
    for target in targets:
        without_timing = [
            pd.read_csv(root / target).drop(columns="cell_train_seconds").to_csv(index=False)
            for root in (workdir, resumed)
        ]
        assert without_timing[0] == without_timing[1]
