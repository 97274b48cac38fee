"""Wall time of the whole ablation and of Snakemake's planning (issue 4, item 5).

1. Runs the default ablation (config/config.yaml, both datasets unless ``--datasets`` says
   otherwise) from an empty scratch directory with ``--cores`` cores, and prints the total wall
   time, the sum of the ``train`` jobs' own benchmark times (``s`` column of their
   ``benchmark:`` files), and the share of the wall-core time that is not training (Snakemake
   scheduling, job start-up, data preparation, aggregation, figures).
2. Times ``snakemake -n`` on a grid of ``--dry-run-cells`` cells, i.e. training jobs (planar
   data, more hidden sizes), which measures DAG construction alone.

Usage::

    .venv/bin/python benchmarks/bench_workflow.py [--cores 2] [--scratch DIR] [--keep]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
DEFAULT_DATA = REPO / ".." / "shared" / "data" / "catvnoncat"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cores", type=int, default=os.cpu_count(), help="cores for snakemake")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA, help="cat .h5 files")
    parser.add_argument("--scratch", type=Path, help="working directory (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--datasets", nargs="+", help="datasets of the config to run")
    parser.add_argument("--dry-run-cells", type=int, default=10_000, help="cells in the -n grid")
    parser.add_argument("--skip-run", action="store_true", help="only time the dry run")
    return parser.parse_args()


def prepare_workdir(workdir: Path, config: dict, data_dir: Path) -> None:
    """A working directory with ``config`` and (for h5 datasets) the local data files."""
    (workdir / "config").mkdir(parents=True, exist_ok=True)
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    for spec in config["datasets"].values():
        for file in spec.get("files", {}).values():
            target = workdir / file["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(data_dir / Path(file["path"]).name, target)


def snakemake(workdir: Path, *arguments) -> float:
    """Run the repository's Snakefile in ``workdir`` as ``make ablation`` does (same workflow
    profile); return the wall time in seconds."""
    command = [str(SNAKEMAKE), "--snakefile", str(REPO / "Snakefile"),
               "--workflow-profile", str(REPO / "workflow" / "profiles" / "default"),
               "--directory", str(workdir), "--quiet", "all", *map(str, arguments)]
    start = time.perf_counter()
    # A dry run lists every job on stdout even with --quiet all (10,000 of them here).
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def time_full_run(config: dict, arguments, workdir: Path) -> None:
    prepare_workdir(workdir, config, arguments.data_dir)
    wall = snakemake(workdir, "--cores", arguments.cores)
    benchmarks = list((workdir / "results").glob("*/benchmarks/train/**/*.tsv"))
    train_seconds = sum(pd.read_csv(path, sep="\t")["s"].sum() for path in benchmarks)
    core_seconds = wall * arguments.cores
    print(f"full ablation: {len(benchmarks)} cells, datasets {', '.join(config['datasets'])}")
    print(f"  total wall time          {wall:9.1f} s  ({wall / 60:.1f} min, {arguments.cores} cores)")
    print(f"  sum of train job times   {train_seconds:9.1f} s")
    print(f"  not training (overhead)  {1 - train_seconds / core_seconds:9.1%} of {core_seconds:.0f} core-seconds")


def dry_run_config(config: dict, cells: int) -> dict:
    """The planar dataset alone, with enough hidden sizes for about ``cells`` cells (a cell is
    one training job: seeds and learning rates are trained inside it)."""
    grid = dict(config["grid"])
    per_size = len(grid["activation"]) * len(grid["init"])
    grid["hidden"] = list(range(1, -(-cells // per_size) + 1))
    return config | {"datasets": {"planar": config["datasets"]["planar"]}, "grid": grid}


def main():
    arguments = parse_arguments()
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    if arguments.datasets:
        config["datasets"] = {name: config["datasets"][name] for name in arguments.datasets}
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    scratch = arguments.scratch or Path(tempfile.mkdtemp(prefix="bench-workflow-"))
    try:
        if not arguments.skip_run:
            time_full_run(config, arguments, scratch / "ablation")
        big = dry_run_config(config, arguments.dry_run_cells)
        prepare_workdir(scratch / "dry-run", big, arguments.data_dir)
        n_cells = (len(big["grid"]["activation"]) * len(big["grid"]["init"])
                   * len(big["grid"]["hidden"]))
        seconds = snakemake(scratch / "dry-run", "-n")
        print(f"snakemake -n on {n_cells} cells: {seconds:.1f} s")
    finally:
        if arguments.keep:
            print(f"scratch directory kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
