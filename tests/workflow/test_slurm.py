"""The unchanged workflow on a real SLURM cluster through the slurm profile (issue 5).

Needs a reachable SLURM with accounting (``sacct`` must work: the plugin polls job states
with it). ``tests/slurm/start-cluster.sh`` starts such a one-node cluster as root; CI does
that before ``make test``. Without SLURM the tests are skipped, except under ``CI=true``,
where a skip would hide a broken cluster setup and is a failure instead.

Every Snakemake call runs under ``timeout -s KILL``: when status queries fail the plugin can
wait forever and ignores SIGTERM.
"""

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

pytestmark = [pytest.mark.slurm, pytest.mark.workflow]

REPO = Path(__file__).resolve().parents[2]
SLURM_PROFILE = REPO / "profiles" / "slurm" / "config.yaml"
# The end-to-end test's small grid (8 cells, i.e. training jobs, per dataset at the time of
# writing, each training every seed x learning rate), few iterations.
TEST_CONFIG = REPO / ".test" / "config" / "config.yaml"
CAT_FILES = ("train_catvnoncat.h5", "test_catvnoncat.h5")
DATASETS = ("cat", "planar")
# Up to the per-dataset summaries: every cell and baseline (the SLURM part) and the tables
# built from them. Figures and claims only add local rules, covered by the end-to-end test.
TARGETS = [f"results/{dataset}/summary/summary.md" for dataset in DATASETS]

# What start-cluster.sh creates; the two keys a user edits in the profile.
ACCOUNT = os.environ.get("SLURM_TEST_ACCOUNT", "shallownet")
PARTITION = os.environ.get("SLURM_TEST_PARTITION", "cells")

# Test-only profile settings. The plugin waits 40 s before its first status query by
# default, a fair load on a shared cluster but most of a test's run time here.
FIRST_STATUS_CHECK_SECONDS = 2
# Small groups, so that even the small grid becomes several SLURM jobs: its 16 cells and 2
# baselines become 2 jobs, which the test cluster's 2 CPUs run side by side.
JOBS_PER_GROUP = 9

# A whole Snakemake run is killed after this long (the grid takes 1-4 minutes on the 2-CPU
# test machine, depending on its load and on which rules run locally).
RUN_TIMEOUT_SECONDS = 600
# A run with a failing SLURM job must end by itself well within this.
FAILURE_BOUND_SECONDS = 240

# cells.csv columns that measure the run rather than the result.
TIMING_COLUMNS = ["cell_train_seconds"]
SUBMITTED_JOB = re.compile(r"has been submitted with SLURM jobid (\d+)")


def slurm_unavailable_reason():
    """Why the SLURM tests cannot run here, or None when a cluster answers."""
    if shutil.which("sinfo") is None or shutil.which("sacct") is None:
        return "no SLURM client commands (sinfo, sacct) on PATH"
    checks = {
        "sinfo": ["sinfo", "--noheader", "--responding", "--format=%t"],
        # The plugin's status queries need accounting (slurmdbd).
        "sacct": ["sacct", "--noheader", "--allocations", "--starttime=now"],
    }
    outputs = {}
    for name, command in checks.items():
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        except subprocess.TimeoutExpired:
            return f"`{' '.join(command)}` did not answer within 30 s"
        if result.returncode != 0:
            return f"`{' '.join(command)}` failed: {result.stderr.strip()}"
        outputs[name] = result.stdout
    node_states = outputs["sinfo"].split()
    if not any(state.rstrip("*~#") in {"idle", "mix", "alloc"} for state in node_states):
        return f"no SLURM node is up (sinfo states: {node_states or 'none'})"
    return None


@pytest.fixture(scope="module")
def slurm_cluster():
    """Skip (locally) or fail (in CI) unless a SLURM cluster with accounting answers."""
    reason = slurm_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the SLURM tests (.ci/run starts the cluster): {reason}")
    pytest.skip(f"no SLURM cluster reachable: {reason}")


def make_workdir(path, cat_data_dir):
    """A working directory with the small test config and a copy of the cat data."""
    (path / "config").mkdir(parents=True)
    shutil.copy(TEST_CONFIG, path / "config" / "config.yaml")
    raw = path / "data" / "raw"
    raw.mkdir(parents=True)
    for name in CAT_FILES:
        shutil.copy(cat_data_dir / name, raw / name)
    return path


def write_test_profile(directory):
    """The slurm profile as a user edits it for the test cluster, plus test-only speed-ups."""
    profile = yaml.safe_load(SLURM_PROFILE.read_text())
    profile["default-resources"] |= {"slurm_account": ACCOUNT, "slurm_partition": PARTITION}
    profile["group-components"] = dict.fromkeys(profile["group-components"], JOBS_PER_GROUP)
    profile["slurm-init-seconds-before-status-checks"] = FIRST_STATUS_CHECK_SECONDS
    directory.mkdir()
    (directory / "config.yaml").write_text(yaml.safe_dump(profile, sort_keys=False))
    return directory


def run_snakemake(snakemake, workdir, *args, timeout=RUN_TIMEOUT_SECONDS):
    """Run the repository's Snakefile in ``workdir`` with the executable and environment of
    the ``snakemake`` fixture (so a NumPy warning in any job, here on SLURM, fails it, as in
    the other workflow tests); return (completed process, seconds)."""
    command = [
        "timeout", "-s", "KILL", str(timeout),
        snakemake.executable, "--snakefile", REPO / "Snakefile", "--directory", workdir, *args,
    ]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(
        command, cwd=workdir, capture_output=True, text=True, env=snakemake.environment
    )
    return result, time.monotonic() - started


def describe(result):
    """The end of a Snakemake run's output, for assertion messages."""
    return f"exit status {result.returncode}; output ends with:\n{result.stderr[-4000:]}"


def submitted_job_ids(result):
    """The SLURM job ids the plugin reported submitting during a run."""
    return set(SUBMITTED_JOB.findall(result.stderr))


def sacct_records(job_ids):
    """sacct's JobID, State, Account and Partition of each job (allocations only)."""
    output = subprocess.run(
        ["sacct", "--noheader", "--parsable2", "--allocations",
         f"--jobs={','.join(sorted(job_ids))}", "--format=JobID,State,Account,Partition"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    records = [line.split("|") for line in output.splitlines() if line]
    return {job_id: (state, account, partition) for job_id, state, account, partition in records}


def cell_timings(workdir):
    """timing.json of every cell of a run, keyed by the cell directory."""
    return {
        path.parent.relative_to(workdir): json.loads(path.read_text())
        for path in workdir.glob("results/*/cells/**/timing.json")
    }


def test_grid_runs_as_grouped_slurm_jobs_and_matches_a_local_run(
    slurm_cluster, snakemake, cat_data_dir, tmp_path
):
    profile = write_test_profile(tmp_path / "profile")
    on_slurm = make_workdir(tmp_path / "slurm", cat_data_dir)
    local = make_workdir(tmp_path / "local", cat_data_dir)

    slurm_run, slurm_seconds = run_snakemake(
        snakemake, on_slurm, "--workflow-profile", profile, *TARGETS
    )
    assert slurm_run.returncode == 0, describe(slurm_run)
    print(f"SLURM run: {slurm_seconds:.0f} s")
    local_run, _ = run_snakemake(snakemake, local, "--cores", "2", *TARGETS)
    assert local_run.returncode == 0, describe(local_run)

    timings = cell_timings(on_slurm)
    assert timings.keys() == cell_timings(local).keys()
    assert len(timings) >= 16, "expected at least 8 cells per dataset"
    job_of_cell = {cell: timing["slurm_job_id"] for cell, timing in timings.items()}
    cells_outside_slurm = [cell for cell, job_id in job_of_cell.items() if job_id is None]
    assert not cells_outside_slurm, "cells trained outside SLURM"
    slurm_jobs = set(job_of_cell.values())
    print(f"{len(timings)} cells ran in {len(slurm_jobs)} SLURM jobs")
    assert len(slurm_jobs) >= 2, "the cells were not split into several group jobs"
    assert len(slurm_jobs) < len(timings), "cells were not grouped"
    assert slurm_jobs <= submitted_job_ids(slurm_run)

    records = sacct_records(slurm_jobs)
    assert records.keys() == slurm_jobs
    for job_id, (state, account, partition) in records.items():
        assert (state, account, partition) == ("COMPLETED", ACCOUNT, PARTITION), job_id

    for dataset in DATASETS:
        tables = [
            pd.read_csv(workdir / "results" / dataset / "summary" / "cells.csv")
            for workdir in (on_slurm, local)
        ]
        from_slurm, from_local = (table.drop(columns=TIMING_COLUMNS) for table in tables)
        pd.testing.assert_frame_equal(from_slurm, from_local, check_exact=True)


def test_failing_cell_on_slurm_fails_the_run_in_bounded_time(
    slurm_cluster, snakemake, cat_data_dir, tmp_path
):
    profile = write_test_profile(tmp_path / "profile")
    workdir = make_workdir(tmp_path / "run", cat_data_dir)
    # Prepare both datasets locally, then break the cat data every cat cell reads, so that
    # the cat cells fail inside their SLURM jobs rather than on the submit host.
    prepared = [f"results/{dataset}/data/prepared.h5" for dataset in DATASETS]
    preparation, _ = run_snakemake(snakemake, workdir, "--cores", "2", *prepared)
    assert preparation.returncode == 0, describe(preparation)
    (workdir / prepared[0]).write_bytes(b"not an HDF5 file")

    failing_run, seconds = run_snakemake(
        snakemake, workdir, "--workflow-profile", profile, *TARGETS, timeout=FAILURE_BOUND_SECONDS
    )
    print(f"failing SLURM run ended after {seconds:.0f} s")
    # 137 would mean `timeout` had to kill a hanging run.
    assert failing_run.returncode == 1, describe(failing_run)
    job_ids = submitted_job_ids(failing_run)
    assert job_ids, describe(failing_run)
    states = {state for state, _, _ in sacct_records(job_ids).values()}
    assert "FAILED" in states, states
