"""Reliability of the real Snakefile (issue 6): bad input, divergence, determinism.

One small run (both datasets, 2 cells each, figures and claims) is shared by the module. Its
planar learning rate of 10 makes the identity cell diverge while the tanh cell trains, so
the same run shows divergence handled end to end. Each bad input is then fed to a copy of
it: the run must stop before any job, with a message naming the file or config key and what
was expected, and leave every file of ``results/`` byte-identical.
"""

import hashlib
import json
import os
import shutil
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest
import yaml

from shallownet import STATUS_DIVERGED, STATUS_OK

from ablation.fetch import sha256_of
from ablation.figure_plan import figure_files
from ablation.plots import divergence_note

pytestmark = pytest.mark.workflow

REPO = Path(__file__).resolve().parents[2]
RAW = Path("data/raw")
RAW_FILES = {"train": RAW / "train_catvnoncat.h5", "test": RAW / "test_catvnoncat.h5"}


def reliability_config():
    """The workflow tests' small config with 2 cells per dataset, planar at learning rate 10."""
    config = yaml.safe_load((REPO / ".test" / "config" / "config.yaml").read_text())
    config["grid"] = {
        "activation": ["tanh", "identity"],
        "init": ["large"],
        "hidden": [3],
        "seed": [0],
    }
    config["datasets"]["cat"]["iterations"] = 20
    # One replicate: the course's fixed dev split (k folds need two replicates at least).
    for spec in config["datasets"].values():
        spec["dev_split"] = "fixed"
    # At this step size the identity network's cost overflows after about 170 of the 200
    # iterations, whatever the init; tanh's bounded units keep training (reaching ~0.9).
    config["datasets"]["planar"]["learning_rate"] = 10
    return config


CONFIG = reliability_config()
DIVERGED_CELL = "results/planar/cells/activation~identity/init~large/hidden~3"
HEALTHY_CELL = "results/planar/cells/activation~tanh/init~large/hidden~3"
CELL_TABLES = [f"results/{dataset}/summary/cells.csv" for dataset in CONFIG["datasets"]]


@pytest.fixture(scope="module")
def completed(tmp_path_factory, make_workdir, snakemake):
    """A working directory after a complete run (rule all) of :data:`CONFIG` on two cores."""
    path = make_workdir(tmp_path_factory.mktemp("reliability"), CONFIG)
    snakemake(path, "--cores", 2)
    return path


@pytest.fixture(scope="module")
def completed_hashes(completed):
    return file_hashes(completed / "results")


def file_hashes(root):
    """SHA-256 of every file under ``root``, by relative path."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def copy_of(workdir, destination):
    """A copy of a working directory whose results/ files are hard links (fast, no space).

    A workflow that touched a result could only replace or delete the link (writes are
    atomic renames), which leaves the original intact and shows in the copy's hashes.
    """
    shutil.copytree(workdir, destination, symlinks=True, ignore=shutil.ignore_patterns("results"))
    shutil.copytree(workdir / "results", destination / "results", copy_function=os.link)
    return destination


# --- Bad input. Each case changes a copy's config (a dict) and data files in place. ---


def config_value(keys, value):
    """A case setting ``config[keys[0]][keys[1]]... = value``."""

    def change(workdir, config):
        *parents, last = keys
        for key in parents:
            config = config[key]
        config[last] = value

    return change


def raw_file(split, make_bytes):
    """A case replacing the ``split`` file by ``bad_<split>.h5`` with the bytes
    ``make_bytes(original file)``, its path and SHA-256 in the config, so the checksum
    passes and the content check has to catch it."""

    def change(workdir, config):
        bad = RAW / f"bad_{split}.h5"
        (workdir / bad).write_bytes(make_bytes(workdir / RAW_FILES[split]))
        config["datasets"]["cat"]["files"][split] |= {
            "path": str(bad),
            "sha256": sha256_of(workdir / bad),
        }

    return change


def h5_content(split, edit):
    """Bytes of an HDF5 file holding the original ``split`` file's arrays after ``edit``
    (a function changing the dict of arrays in place)."""

    def make_bytes(original):
        with h5py.File(original, "r") as file:
            arrays = {key: file[key][()] for key in file}
        edit(arrays)
        rewritten = original.with_suffix(".rewritten.h5")
        with h5py.File(rewritten, "w") as file:
            for key, array in arrays.items():
                file[key] = array
        return rewritten.read_bytes()

    return raw_file(split, make_bytes)


def set_pixel(value):
    def edit(arrays):
        images = arrays["train_set_x"].astype(np.float64)
        images[3, 10, 20, 1] = value
        arrays["train_set_x"] = images

    return edit


def complex_pixels(arrays):
    arrays["train_set_x"] = arrays["train_set_x"].astype(np.complex64) + 1j


def set_label(arrays):
    arrays["train_set_y"][5] = 2


def drop_labels(arrays):
    del arrays["train_set_y"]


def rank_1_images(arrays):
    arrays["train_set_x"] = arrays["train_set_x"].reshape(-1)


def no_examples(arrays):
    arrays["train_set_x"] = arrays["train_set_x"][:0]
    arrays["train_set_y"] = arrays["train_set_y"][:0]


def half_size_test_images(arrays):
    arrays["test_set_x"] = arrays["test_set_x"][:, ::2, ::2, :]


def flip_one_byte(workdir, config):
    """The local train file corrupted while its configured checksum stays the published one."""
    path = workdir / RAW_FILES["train"]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def missing_file_without_url(workdir, config):
    source = config["datasets"]["cat"]["files"]["train"]
    source["path"] = str(RAW / "absent.h5")
    del source["url"]


def typo_at_top_level(workdir, config):
    config["record_evry"] = config.pop("record_every")


BAD_TRAIN = str(RAW / "bad_train.h5")
PUBLISHED_TRAIN_SUM = CONFIG["datasets"]["cat"]["files"]["train"]["sha256"]
NOT_HDF5 = [BAD_TRAIN, "not a readable HDF5 file", "expected keys train_set_x, train_set_y"]
CAT = "config['datasets']['cat']"

# (id, change, fragments the error message must contain: where, and what was expected)
BAD_INPUTS = [
    (
        "file-missing",
        missing_file_without_url,
        [f"{RAW}/absent.h5 does not exist", "put the file (sha256"],
    ),
    ("text-file", raw_file("train", lambda _: b"train_set_x,train_set_y\n1,0\n"), NOT_HDF5),
    ("truncated", raw_file("train", lambda original: original.read_bytes()[:100_000]), NOT_HDF5),
    ("zero-bytes", raw_file("train", lambda _: b""), NOT_HDF5),
    (
        "missing-key",
        h5_content("train", drop_labels),
        [BAD_TRAIN, "no dataset 'train_set_y'", "The file has: /list_classes (2,), /train_set_x"],
    ),
    (
        "images-rank-1",
        h5_content("train", rank_1_images),
        [BAD_TRAIN, "'train_set_x'", "expected rank 2 or more"],
    ),
    (
        "label-2",
        h5_content("train", set_label),
        [
            BAD_TRAIN,
            "'train_set_y' holds 3 classes ['0 (non-cat)', '1 (cat)', '2']",
            "expected labels 0 and 1",
        ],
    ),
    (
        "nan-pixel",
        h5_content("train", set_pixel(np.nan)),
        [BAD_TRAIN, "'train_set_x': example 3 holds NaN", "expected finite values"],
    ),
    (
        "infinite-pixel",
        h5_content("train", set_pixel(np.inf)),
        [BAD_TRAIN, "'train_set_x': example 3 holds NaN or infinite", "expected finite values"],
    ),
    (
        "complex-pixels",
        h5_content("train", complex_pixels),
        [
            BAD_TRAIN,
            "'train_set_x' has dtype complex64, which float64 cannot hold without losing the "
            "imaginary part",
        ],
    ),
    (
        "own-layout-missing-key",
        config_value(("datasets", "cat", "files", "train", "x_key"), "train/images"),
        [
            f"{RAW_FILES['train']}: no dataset 'train/images'",
            "The file has: /list_classes (2,), /train_set_x (209, 64, 64, 3), /train_set_y (209,)",
        ],
    ),
    (
        "positive-class-not-a-label",
        config_value(("datasets", "cat", "positive_class"), "dog"),
        [f"{RAW_FILES['train']}: key 'train_set_y': positive_class 'dog' is not among the labels"],
    ),
    (
        "test-fraction-with-a-test-file",
        config_value(("datasets", "cat", "test_fraction"), 0.2),
        [CAT, "should not be valid under", "With a files.test entry the test split"],
    ),
    (
        "zero-examples",
        h5_content("train", no_examples),
        [BAD_TRAIN, "zero examples; expected at least one"],
    ),
    (
        "feature-sizes-differ",
        h5_content("test", half_size_test_images),
        [
            str(RAW / "bad_test.h5"),
            str(RAW_FILES["train"]),
            "expected the same feature size in train and test",
        ],
    ),
    (
        "checksum-mismatch",
        flip_one_byte,
        [f"checksum mismatch for {RAW_FILES['train']}: expected sha256 {PUBLISHED_TRAIN_SUM}"],
    ),
    (
        "unknown-activation",
        config_value(("grid", "activation"), ["tanh", "swish"]),
        ["config['grid']['activation']", "'swish' is not one of ['sigmoid', 'tanh'"],
    ),
    (
        "unknown-init",
        config_value(("grid", "init"), ["glorot"]),
        ["config['grid']['init']", "'glorot' is not one of ['zeros'"],
    ),
    (
        "hidden-0",
        config_value(("grid", "hidden"), [0, 3]),
        ["config['grid']['hidden']", "0 is less than the minimum of 1"],
    ),
    (
        "hidden-negative",
        config_value(("grid", "hidden"), [-2]),
        ["config['grid']['hidden']", "-2 is less than the minimum of 1"],
    ),
    (
        "learning-rate-0",
        config_value(("datasets", "cat", "learning_rate"), 0),
        [f"{CAT}['learning_rate']", "0 is less than or equal to the minimum of 0"],
    ),
    (
        "learning-rate-negative",
        config_value(("datasets", "planar", "learning_rate"), -0.5),
        ["config['datasets']['planar']['learning_rate']", "less than or equal to the minimum of 0"],
    ),
    (
        "learning-rate-empty-list",
        config_value(("datasets", "cat", "learning_rate"), []),
        [f"{CAT}['learning_rate']", "[] should be non-empty"],
    ),
    (
        "learning-rate-repeated",
        config_value(("datasets", "planar", "learning_rate"), [0.5, 1.2, 0.5]),
        ["config['datasets']['planar']['learning_rate']", "has non-unique elements"],
    ),
    (
        "learning-rate-list-item-0",
        config_value(("datasets", "cat", "learning_rate"), [0.1, 0]),
        [f"{CAT}['learning_rate'][1]", "0 is less than or equal to the minimum of 0"],
    ),
    (
        "iterations-0",
        config_value(("datasets", "cat", "iterations"), 0),
        [f"{CAT}['iterations']", "0 is less than the minimum of 1"],
    ),
    (
        "dev-fraction-0",
        config_value(("datasets", "cat", "dev_fraction"), 0),
        [f"{CAT}['dev_fraction']", "0 is less than or equal to the minimum of 0"],
    ),
    (
        "dev-fraction-1",
        config_value(("datasets", "cat", "dev_fraction"), 1),
        [f"{CAT}['dev_fraction']", "1 is greater than or equal to the maximum of 1"],
    ),
    (
        "dev-split-empties-a-class-h5",
        config_value(("datasets", "cat", "dev_fraction"), 0.001),
        [
            CAT,
            "dev_fraction=0.001 leaves the dev split with no example",
            "expected both classes in train and dev",
        ],
    ),
    (
        "folds-of-one-replicate",
        config_value(("datasets", "cat", "dev_split"), "resample"),
        [CAT, "grid.seed lists 1; expected at least 2 seeds, or set dev_split: fixed"],
    ),
    (
        "dev-split-empties-a-class-planar",
        config_value(
            ("datasets", "planar"),
            CONFIG["datasets"]["planar"] | {"n_train": 4, "dev_fraction": 0.9},
        ),
        [
            "config['datasets']['planar']",
            "dev_fraction=0.9 leaves the train split with no example",
            "expected both classes in train and dev",
        ],
    ),
    (
        "top-level-typo",
        typo_at_top_level,
        ["'record_evry' was unexpected", "allowed keys: datasets, grid"],
    ),
]


def test_an_unchanged_copy_has_nothing_to_do(completed, completed_hashes, tmp_path, snakemake):
    """The control for the bad-input cases: without a change, the copy is complete."""
    workdir = copy_of(completed, tmp_path / "copy")
    result = snakemake(workdir, "--cores", 2)
    assert "Nothing to be done" in result.stdout + result.stderr
    assert file_hashes(workdir / "results") == completed_hashes


@pytest.mark.parametrize(
    "change, expected", [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUTS]
)
def test_bad_input_stops_the_run_before_any_job_and_leaves_results_untouched(
    completed, completed_hashes, tmp_path, snakemake, change, expected
):
    workdir = copy_of(completed, tmp_path / "copy")
    config_file = workdir / "config" / "config.yaml"
    config = yaml.safe_load(config_file.read_text())
    change(workdir, config)
    config_file.write_text(yaml.safe_dump(config))

    failed = snakemake(workdir, "--cores", 2, check=False)
    assert failed.returncode != 0
    for fragment in expected:
        assert fragment in failed.stderr
    # Stopped while reading the workflow: no job was even planned.
    assert "Building DAG of jobs" not in failed.stdout + failed.stderr
    assert file_hashes(workdir / "results") == completed_hashes
    shutil.rmtree(workdir)  # the cases would otherwise keep ~25 copies of the data


# --- Divergence: the same completed run. ---


def test_diverged_cell_finishes_with_its_status_and_iteration(completed):
    (diverged,) = json.loads((completed / DIVERGED_CELL / "metrics.json").read_text())["networks"]
    assert diverged["status"] == STATUS_DIVERGED
    assert 0 < diverged["diverged_at"] <= CONFIG["datasets"]["planar"]["iterations"]
    assert diverged["iterations_run"] < CONFIG["datasets"]["planar"]["iterations"]
    assert diverged["dev_accuracy"] is None and diverged["final_cost"] is None
    (healthy,) = json.loads((completed / HEALTHY_CELL / "metrics.json").read_text())["networks"]
    assert healthy["status"] == STATUS_OK and healthy["diverged_at"] is None
    assert healthy["dev_accuracy"] > 0.8


def test_aggregation_figures_and_claims_handle_a_diverged_cell(completed):
    cells = pd.read_csv(completed / "results" / "planar" / "summary" / "cells.csv")
    diverged = cells[cells["status"] == STATUS_DIVERGED]
    assert diverged["activation"].tolist() == ["identity"]
    assert diverged["diverged_at"].notna().all() and diverged["dev_accuracy"].isna().all()
    summary = (completed / "results" / "planar" / "summary" / "summary.md").read_text()
    assert "Networks: 2 (1 ok, 1 diverged) in 2 cells" in summary
    best = json.loads((completed / "results" / "planar" / "summary" / "best.json").read_text())
    assert best["activation"] == "tanh"
    # The count each figure's title carries.
    assert divergence_note(cells).startswith("1 of the 2 networks shown diverged")
    for dataset, spec in CONFIG["datasets"].items():
        for figure in figure_files(dataset, spec["source"]):
            assert (completed / figure).stat().st_size > 10_000, figure
    assert "1 diverged network(s) left out" in (completed / "results" / "claims.md").read_text()


# --- Determinism: the same config run again from scratch. ---


def test_running_the_same_config_again_gives_identical_metrics_and_tables(
    completed, tmp_path, make_workdir, snakemake
):
    again = make_workdir(tmp_path / "again", CONFIG)
    snakemake(again, "--cores", 2, *CELL_TABLES)
    metrics = sorted(completed.glob("results/*/cells/**/metrics.json"))
    assert len(metrics) == 4
    for path in metrics:
        relative = path.relative_to(completed)
        assert (again / relative).read_bytes() == path.read_bytes(), relative
        history = relative.with_name("history.csv.gz")
        assert (again / history).read_bytes() == (completed / history).read_bytes(), history
    for table in CELL_TABLES:
        without_timing = [
            pd.read_csv(root / table).drop(columns="cell_train_seconds").to_csv(index=False)
            for root in (completed, again)
        ]
        assert without_timing[0] == without_timing[1], table
    # Arrays too: every .npz (cells, baselines, summaries) and best.json, byte for byte.
    written = sorted(completed.glob("results/*/**/*.npz")) + sorted(
        completed.glob("results/*/summary/best.json")
    )
    assert len(written) == 4 * 2 + 2 * 3
    for path in written:
        relative = path.relative_to(completed)
        assert (again / relative).read_bytes() == path.read_bytes(), relative
