"""End to end on own data: a generated HDF5 file in a layout other than the course's.

One file holds grey 8 x 8 images under a group and byte-string labels of three classes, no
test split: the config makes one class positive against the rest and carves a test split.
The workflow's small grid then runs to the figures, the claims and the report; a wrong key
stops it before any job.
"""

import re

import h5py
import numpy as np
import pandas as pd
import pytest

from ablation.fetch import sha256_of
from ablation.figure_plan import figure_files
from ablation.prepare import load_labels

pytestmark = pytest.mark.workflow

RAW = "data/raw/shapes.h5"


def shapes_file(path):
    """300 grey 8 x 8 images: squares, discs and noise, a third each, labels as bytes."""
    rng = np.random.default_rng(7)
    labels = np.array([b"square", b"disc", b"noise"] * 100)
    grid = np.add.outer(np.arange(8) - 3.5, np.zeros(8))
    disc = (grid**2 + grid.T**2 < 9).astype(np.float32)
    square = np.zeros((8, 8), np.float32)
    square[2:6, 2:6] = 1
    templates = {b"square": square, b"disc": disc, b"noise": np.full((8, 8), 0.5, np.float32)}
    images = np.stack([templates[label] for label in labels])
    images += rng.normal(0, 0.4, images.shape).astype(np.float32)
    with h5py.File(path, "w") as file:
        file["images/grey"] = images
        file["images/label"] = labels
    return path


def own_config(sha256, **train_entry):
    return {
        "datasets": {
            "shapes": {
                "source": "h5",
                "files": {
                    "train": {
                        "path": RAW,
                        "sha256": sha256,
                        "x_key": "/images/grey",
                        "y_key": "/images/label",
                    }
                    | train_entry
                },
                "test_fraction": 0.2,
                "positive_class": "square",
                "standardize": "zscore",
                "learning_rate": [0.05, 0.2],
                "iterations": 40,
            }
        },
        "grid": {"activation": ["tanh", "relu"], "init": ["he"], "hidden": [1, 3], "seed": [0, 1]},
        "record_every": 20,
    }


@pytest.fixture(scope="module")
def own_workdir(tmp_path_factory, make_workdir, snakemake):
    workdir = tmp_path_factory.mktemp("own")
    path = shapes_file(workdir / "shapes.h5")
    make_workdir(workdir / "run", own_config(sha256_of(path)))
    path.rename(workdir / "run" / RAW)
    snakemake(workdir / "run", "--cores", 2)
    snakemake(workdir / "run", "--report", "results/report.html")
    return workdir / "run"


def test_own_data_gives_figures_claims_and_report(own_workdir):
    results = own_workdir / "results"
    for figure in figure_files("shapes", "h5"):
        assert (own_workdir / figure).stat().st_size > 1000, figure
    claims = pd.read_csv(results / "claims.csv")
    assert set(claims["dataset"]) == {"shapes"} and len(claims) > 5
    assert (results / "report.html").stat().st_size > 10_000
    cells = pd.read_csv(results / "shapes" / "summary" / "cells.csv")
    assert len(cells) == 4 * 2 * 2  # cells x learning rates x seeds


def test_the_summary_names_the_classes_and_the_splits_follow_the_config(own_workdir):
    summary = (own_workdir / "results" / "shapes" / "summary" / "summary.md").read_text()
    assert (
        "Positive class (1): square; negative class (0): not square (every label but square, "
        "one-vs-rest)." in summary
    )
    labels = load_labels(own_workdir / "results" / "shapes" / "data" / "prepared.h5")
    # 100 squares among 300: 20 of them (a fifth) in test; the other 80 are the training
    # examples, every one of them a dev example of the replicate holding out its fold.
    assert [int(labels[split].sum()) for split in ("test", "dev", "train")] == [20, 80, 80]
    assert len(labels["test"]) + len(labels["train"]) == 300
    np.testing.assert_array_equal(labels["dev"], labels["train"])


def test_a_wrong_key_stops_the_run_before_any_job(tmp_path, make_workdir, snakemake):
    path = shapes_file(tmp_path / "shapes.h5")
    workdir = make_workdir(tmp_path / "run", own_config(sha256_of(path), x_key="/images/gray"))
    path.rename(workdir / RAW)
    failed = snakemake(workdir, "--cores", 2, check=False)
    assert failed.returncode != 0
    assert (
        f"config['datasets']['shapes']: {RAW}: no dataset '/images/gray'; expected a dataset "
        "there. The file has: /images/grey (300, 8, 8), /images/label (300,)" in failed.stderr
    )
    assert not (workdir / "results").exists()


def test_one_file_for_both_splits_is_fetched_once(tmp_path, make_workdir, snakemake):
    path = shapes_file(tmp_path / "shapes.h5")
    with h5py.File(path, "a") as file:
        file["test/grey"] = file["images/grey"][:60]
        file["test/label"] = file["images/label"][:60]
    config = own_config(sha256_of(path))
    dataset = config["datasets"]["shapes"]
    del dataset["test_fraction"]
    dataset["files"]["test"] = dataset["files"]["train"] | {
        "x_key": "test/grey",
        "y_key": "test/label",
    }
    workdir = make_workdir(tmp_path / "run", config)
    path.rename(workdir / RAW)
    dry_run = snakemake(workdir, "--dry-run").stdout
    assert re.search(r"^fetch_data\s+1$", dry_run, re.M), dry_run
    assert re.search(r"^prepare\s+1$", dry_run, re.M)
