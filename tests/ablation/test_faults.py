"""Numeric faults are errors: the regime of the data check (a context) and of every job
(set up by ``start_job``, run here in a child process without ``PYTHONWARNINGS``)."""

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

from ablation.faults import ERRSTATE, NumericFault, numeric_faults

FAULTS = {
    "overflow": (lambda: np.array([1e200]) ** 2, "overflow encountered in square"),
    "invalid": (lambda: np.array([np.inf]) - np.inf, "invalid value encountered in subtract"),
    "divide": (lambda: np.array([1.0]) / 0.0, "divide by zero encountered in divide"),
    "complex-cast": (
        lambda: np.array([1 + 2j], dtype=np.complex64).astype(np.float64),
        "Casting complex values to real discards the imaginary part",
    ),
}


@pytest.mark.parametrize("compute, what", FAULTS.values(), ids=FAULTS.keys())
def test_a_fault_inside_the_context_is_an_error_naming_where(compute, what):
    # Outside the suite's own filter (every warning an error), as in the Snakemake process.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("default")
        with pytest.raises(NumericFault) as raised:
            with numeric_faults("data/raw/x.h5: key 'x' (train split)"):
                compute()
        assert str(raised.value) == (
            f"data/raw/x.h5: key 'x' (train split): numeric fault ({what})"
        )
        # The process's settings are back: the same computation passes silently.
        assert np.geterr() == dict.fromkeys(ERRSTATE, "ignore")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            if "complex" not in what:  # errstate ignore silences only floating-point faults
                compute()


def test_underflow_and_a_local_opt_out_are_not_faults():
    with numeric_faults("here"):
        assert np.array([1e-300])[0] * 1e-300 == 0.0
        # Training detects divergence itself, under a local np.errstate.
        with np.errstate(over="ignore", invalid="ignore"):
            assert np.isnan(np.array([1e200]) ** 2 - np.inf)[0]


JOB = """
import sys, types
import numpy as np
from ablation.logs import start_job

job = types.SimpleNamespace(
    rule="train",
    log=[sys.argv[1]],
    wildcards={"dataset": "planar", "activation": "tanh", "init": "he", "hidden": "3"},
    input=["results/planar/data/prepared.h5"],
)
start_job(job)
with np.errstate(over="ignore"):
    np.array([1e200]) ** 2  # a fault a function handles itself passes
"""


def run_job(tmp_path, fault):
    """Run a stand-in job script in a child process, as Snakemake runs one: without
    ``PYTHONWARNINGS``, whatever the suite's environment."""
    script = tmp_path / "job.py"
    script.write_text(f"{JOB}{fault}\nprint('not reached')\n")
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONWARNINGS"}
    log = tmp_path / "job.log"
    result = subprocess.run(
        [sys.executable, str(script), str(log)], capture_output=True, text=True, env=environment
    )
    return result, log.read_text()


JOB_NAME = (
    "job train (dataset=planar, activation=tanh, init=he, hidden=3; "
    "input results/planar/data/prepared.h5)"
)


@pytest.mark.parametrize(
    "fault, what",
    [
        ("np.array([1e300]) * 1e10", "overflow encountered in multiply"),
        ("np.log(np.zeros(1))", "divide by zero encountered in log"),
        ("np.sqrt(-np.ones(1))", "invalid value encountered in sqrt"),
        (
            "np.array([1j], dtype=np.complex64).astype(float)",
            "Casting complex values to real discards the imaginary part",
        ),
    ],
)
def test_a_fault_stops_a_job_with_an_error_naming_the_job(tmp_path, fault, what):
    result, log = run_job(tmp_path, fault)
    assert result.returncode != 0
    assert "not reached" not in result.stdout
    message = f"ablation.faults.NumericFault: {JOB_NAME}: numeric fault ({what})"
    assert result.stderr.rstrip().endswith(message)
    assert message in log and "stopped by an error" in log


def test_other_errors_of_a_job_are_left_as_they_are(tmp_path):
    result, log = run_job(tmp_path, "raise ValueError('bad setting')")
    assert result.returncode != 0
    assert result.stderr.rstrip().endswith("ValueError: bad setting")
    assert "NumericFault" not in result.stderr + log
