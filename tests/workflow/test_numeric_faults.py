"""End to end, as a user runs it (no PYTHONWARNINGS): the inputs of issue 20 and a numeric fault
inside a job.

- Complex examples: refused before any job, naming the file, the key and the dtype.
- Examples of about 1e200 with ``zscore``: prepared to mean 0 and standard deviation 1, and
  trained, without a warning (the statistics used to overflow to an infinite std).
- A test example that ``zscore`` takes beyond float64's range: refused before any job when the
  file is local; when it is downloaded by a job, the prepare job stops on the numeric fault,
  naming the job, and no cell trains.
"""

import re

import h5py
import numpy as np
import pytest

from ablation.fetch import sha256_of
from ablation.prepare import load_prepared

pytestmark = pytest.mark.workflow

RAW = "data/raw/own.h5"
CELL = "results/own/cells/activation~tanh/init~he/hidden~2"


def own_file(path, *, dtype=np.float64, magnitude=1.0, far_test_example=False):
    """60 training and 20 test examples of 4 features around ``magnitude``, two classes whose
    mean differs; ``far_test_example``: training feature 2 spans 2e-10 and test example 3
    holds 1e300 there (about 1e310 training standard deviations away)."""
    rng = np.random.default_rng(11)
    arrays = {}
    for split, m in (("train", 60), ("test", 20)):
        labels = np.arange(m) % 2
        features = (1 + 0.1 * rng.normal(size=(m, 4)) + 0.05 * labels[:, None]) * magnitude
        if far_test_example:
            features[:, 2] = np.linspace(-1, 1, m) * 1e-10
            if split == "test":
                features[3, 2] = 1e300
        if np.dtype(dtype).kind == "c":
            features = features + 1j * rng.normal(size=features.shape)
        arrays[f"{split}/x"], arrays[f"{split}/y"] = features.astype(dtype), labels
    with h5py.File(path, "w") as file:
        for key, array in arrays.items():
            file[key] = array
    return path


def own_config(path, *, test_local=True):
    """One dataset from ``path`` (train and test keys of one file) with zscore, one cell; with
    ``test_local`` False the test file has no local copy and is downloaded by a job."""
    source = {"path": RAW, "sha256": sha256_of(path)}
    test = source | {"x_key": "test/x", "y_key": "test/y"}
    if not test_local:
        test = test | {"path": "data/raw/absent.h5", "url": path.resolve().as_uri()}
    return {
        "datasets": {
            "own": {
                "source": "h5",
                "files": {"train": source | {"x_key": "train/x", "y_key": "train/y"}, "test": test},
                "standardize": "zscore",
                "learning_rate": 0.1,
                "iterations": 20,
            }
        },
        "grid": {"activation": ["tanh"], "init": ["he"], "hidden": [2], "seed": [0, 1]},
        "record_every": 10,
    }


def workdir_with(tmp_path, make_workdir, test_local=True, **file_settings):
    path = own_file(tmp_path / "own.h5", **file_settings)
    workdir = make_workdir(tmp_path / "run", own_config(path, test_local=test_local))
    (workdir / RAW).write_bytes(path.read_bytes())
    return workdir


def test_complex_examples_stop_the_run_before_any_job(tmp_path, make_workdir, snakemake):
    workdir = workdir_with(tmp_path, make_workdir, dtype=np.complex64)
    failed = snakemake(workdir, "--cores", 2, check=False)
    assert failed.returncode != 0
    assert re.search(
        re.escape(f"config['datasets']['own']: {RAW}: key '")
        + r"(train|test)/x"
        + re.escape(
            "' has dtype complex64, which float64 cannot hold without losing the imaginary"
        ),
        failed.stderr,
    )
    assert "Building DAG of jobs" not in failed.stdout + failed.stderr
    assert not (workdir / "results").exists()


def test_examples_of_1e200_are_standardized_and_trained_without_a_warning(
    tmp_path, make_workdir, snakemake
):
    workdir = workdir_with(tmp_path, make_workdir, magnitude=1e200)
    run = snakemake(workdir, "--cores", 2, f"{CELL}/metrics.json")
    assert "warning" not in (run.stdout + run.stderr).lower()
    X_train = load_prepared(workdir / "results/own/data/prepared.h5", ("X_train",))["X_train"]
    np.testing.assert_allclose(X_train.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(X_train.std(axis=1), 1, rtol=1e-12)
    metrics = (workdir / CELL / "metrics.json").read_text()
    assert '"status": "ok"' in metrics and '"diverged"' not in metrics


def test_a_test_example_beyond_float64_stops_the_run_before_any_job(
    tmp_path, make_workdir, snakemake
):
    workdir = workdir_with(tmp_path, make_workdir, far_test_example=True)
    failed = snakemake(workdir, "--cores", 2, check=False)
    assert failed.returncode != 0
    assert (
        f"config['datasets']['own']: {RAW}: key 'test/x': example 3 of the test split holds "
        "1e+300 in feature 2, which zscore takes beyond float64's range" in failed.stderr
    )
    assert "Building DAG of jobs" not in failed.stdout + failed.stderr
    assert not (workdir / "results").exists()


def test_a_numeric_fault_in_a_job_stops_it_naming_the_job(tmp_path, make_workdir, snakemake):
    """The same data with the test file downloaded by a job: the check before any job cannot
    see it, so the prepare job meets the overflow; the workflow itself (not the caller's
    environment) makes it an error, and no cell trains."""
    workdir = workdir_with(tmp_path, make_workdir, test_local=False, far_test_example=True)
    failed = snakemake(workdir, "--cores", 2, check=False)
    assert failed.returncode != 0
    # The job's stderr reaches the console; Snakemake lists a rule's inputs in its own order.
    raw = r"results/own/data/raw/(train|test)\.h5"
    message = (
        re.escape("ablation.faults.NumericFault: job prepare (dataset=own; input ")
        + f"{raw}, {raw}"
        + re.escape("): numeric fault (overflow encountered in divide)")
    )
    assert re.search(message, failed.stdout + failed.stderr)
    assert re.search(message, (workdir / "results/own/logs/prepare.log").read_text())
    assert not (workdir / "results/own/data/prepared.h5").exists()
    assert not (workdir / "results/own/cells").exists()
