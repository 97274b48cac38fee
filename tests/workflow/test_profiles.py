"""The workflow profiles lie where Snakemake looks for them: in a checkout, a plain
``snakemake`` reads profiles/default, and ``--workflow-profile slurm`` names profiles/slurm."""

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.workflow

REPO = Path(__file__).resolve().parents[2]
#: What a clone holds that a dry run reads.
WORKFLOW_FILES = ("Snakefile", "workflow", "profiles", "config", "scripts")


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A copy of the repository's workflow, as a new user's clone has it (no results)."""
    path = tmp_path_factory.mktemp("checkout")
    for name in WORKFLOW_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, path / name)
        else:
            shutil.copy(source, path / name)
    return path


def dry_run(checkout, snakemake, *args):
    """``snakemake -n *args`` typed in the checkout's root, nothing else on the command line."""
    result = subprocess.run(
        [str(snakemake.executable), "-n", *args],
        cwd=checkout,
        capture_output=True,
        text=True,
        env=snakemake.environment,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_plain_snakemake_reads_the_default_profile(checkout, snakemake):
    result = dry_run(checkout, snakemake, "--cores", "2")
    assert (
        "Using workflow specific profile profiles/default for setting default command line "
        "arguments." in result.stderr
    )
    assert "train" in result.stdout  # the whole ablation is planned


def test_the_cluster_profile_is_named_slurm(checkout, snakemake):
    result = dry_run(checkout, snakemake, "--workflow-profile", "slurm")
    assert "Using workflow specific profile profiles/slurm for" in result.stderr
    assert "profiles/default" not in result.stderr
