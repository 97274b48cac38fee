"""Fixtures of the workflow tests: run the repository's Snakefile in a temporary directory.

Plain ``from conftest import ...`` is unreliable with several conftest.py files in the
suite, so the helpers are handed to tests as fixtures.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
#: The small config of the workflow tests (cat + planar, 8 cells each, few iterations).
TEST_CONFIG = REPO / ".test" / "config" / "config.yaml"
CAT_FILES = ("train_catvnoncat.h5", "test_catvnoncat.h5")


class Snakemake:
    """The repository's Snakefile run in a given working directory, as a user runs it: no
    profile named, so Snakemake reads profiles/default next to the Snakefile by itself."""

    executable = Path(sys.executable).parent / "snakemake"
    # A user's environment, without PYTHONWARNINGS even if the caller's shell sets it: the
    # workflow itself makes every numeric fault in a job an error (ablation.faults).
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONWARNINGS"}

    def command(self, workdir, *args) -> list[str]:
        """The command line running the workflow in ``workdir`` with extra ``args``."""
        return [
            str(self.executable),
            "--snakefile",
            str(REPO / "Snakefile"),
            "--directory",
            str(workdir),
            *map(str, args),
        ]

    def __call__(self, workdir, *args, check=True) -> subprocess.CompletedProcess:
        """Run the workflow in ``workdir``; fail the test if it fails and ``check`` is set."""
        command = self.command(workdir, *args)
        result = subprocess.run(command, capture_output=True, text=True, env=self.environment)
        if check and result.returncode != 0:
            pytest.fail(
                f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
            )
        return result


@pytest.fixture(scope="session")
def snakemake() -> Snakemake:
    """Runs the workflow: ``snakemake(workdir, *args, check=True)``; ``.command(...)`` and
    ``.environment`` for tests that start the process themselves."""
    return Snakemake()


@pytest.fixture(scope="session")
def make_workdir(cat_data_dir):
    """Makes a working directory: ``make_workdir(path, config=None) -> path``.

    It holds ``config/config.yaml`` (the dict ``config``, or the workflow tests' small
    config) and copies of the cat data in ``data/raw/``, where the configs expect them.
    """

    def make(path: Path, config: dict | None = None) -> Path:
        (path / "config").mkdir(parents=True)
        if config is None:
            shutil.copyfile(TEST_CONFIG, path / "config" / "config.yaml")
        else:
            (path / "config" / "config.yaml").write_text(yaml.safe_dump(config))
        (path / "data" / "raw").mkdir(parents=True)
        for name in CAT_FILES:
            shutil.copyfile(cat_data_dir / name, path / "data" / "raw" / name)
        return path

    return make
