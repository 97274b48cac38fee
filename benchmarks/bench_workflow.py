"""The whole ablation, timed: wall time, where the core-seconds go, what results/ weighs.

1. Runs this checkout's default ablation (config/config.yaml) from an empty scratch directory
   with ``--cores`` cores, as ``make ablation`` does (without the report), and prints its wall
   time; the sum of the ``train`` jobs' own times (``s`` column of their ``benchmark:``
   files) and, of it, the time inside the cells' training (``cell_train_seconds``); the rest
   of those jobs' time (Python start-up, imports, reading the data, writing the files) as a
   share of it; and the size of ``results/``, by kind of file.
2. With ``--against CHECKOUT`` (an older commit, e.g. ``git worktree add ../ed101b6 ed101b6``),
   runs CHECKOUT's default config -- a grid both versions understand -- with CHECKOUT's
   Snakefile and library and then with this checkout's, each from an empty directory, in
   the same benchmark run, and prints both and the speed-up. The protocol has changed since
   (``dev_split: resample``: more training examples per replicate), so it then runs this
   code once more on that grid with ``dev_split: fixed``, the older protocol, whose
   arithmetic is the older code's: the speed-up of the code alone. The run of section 1 is
   skipped with ``--skip-default``.
3. Times ``snakemake -n`` on a grid of ``--dry-run-networks`` networks (planar data, 10 seeds,
   more hidden sizes), which measures DAG construction alone.

Usage::

    .venv/bin/python benchmarks/bench_workflow.py [--cores 2] [--against ../ed101b6]
        [--skip-default] [--scratch DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import yaml
from machine import cpu_model

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
DEFAULT_DATA = REPO / ".." / "shared" / "data" / "catvnoncat"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cores", type=int, default=os.cpu_count(), help="cores for snakemake")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA, help="cat .h5 files")
    parser.add_argument("--against", type=Path, help="checkout of an older commit to compare")
    parser.add_argument("--skip-default", action="store_true", help="skip section 1")
    parser.add_argument("--scratch", type=Path, help="working directory (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument(
        "--dry-run-networks", type=int, default=10_000, help="networks in the -n grid"
    )
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


def default_profile(checkout: Path) -> Path:
    """``checkout``'s default workflow profile: profiles/default next to its Snakefile, or
    workflow/profiles/default in checkouts older than that layout (such as ed101b6)."""
    profile = checkout / "profiles" / "default"
    return profile if profile.is_dir() else checkout / "workflow" / "profiles" / "default"


def snakemake(workdir: Path, *arguments, checkout: Path = REPO) -> float:
    """Run ``checkout``'s Snakefile (and library) in ``workdir`` with its default workflow
    profile, as ``make ablation`` does; return the wall time in seconds."""
    command = [
        str(SNAKEMAKE),
        "--snakefile",
        str(checkout / "Snakefile"),
        "--workflow-profile",
        str(default_profile(checkout)),
        "--directory",
        str(workdir),
        "--quiet",
        "all",
        *map(str, arguments),
    ]
    # The checkout's own library, ahead of the one installed in this environment.
    environment = os.environ | {"PYTHONPATH": str(checkout / "lib")}
    start = time.perf_counter()
    # A dry run lists every job on stdout even with --quiet all (thousands of them here).
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment)
    return time.perf_counter() - start


def time_full_run(name: str, config: dict, arguments, workdir: Path, checkout: Path = REPO):
    """Run ``config`` from scratch with ``checkout``; print and return its wall time."""
    prepare_workdir(workdir, config, arguments.data_dir)
    # Byte-compiled first, as make ablation does: with PYTHONDONTWRITEBYTECODE set, every job
    # would compile the library again. The older checkout gets the same, so only the code differs.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(checkout / "lib")], check=True)
    wall = snakemake(workdir, "--cores", arguments.cores, checkout=checkout)
    results = workdir / "results"
    benchmarks = sorted(results.glob("*/benchmarks/train/**/*.tsv"))
    job_seconds = sum(pd.read_csv(path, sep="\t")["s"].sum() for path in benchmarks)
    training = {dataset: training_seconds(results, dataset) for dataset in config["datasets"]}
    inside = sum(training.values())
    print(f"{name} ({checkout}):")
    print(
        f"  wall time                  {wall:8.1f} s ({wall / 60:.1f} min, {arguments.cores} cores)"
    )
    print(f"  train jobs                 {len(benchmarks):8d}, {job_seconds:.1f} core-seconds")
    print(
        "  inside the cells' training "
        + ", ".join(f"{dataset} {seconds:.1f} s" for dataset, seconds in training.items())
    )
    print(
        f"  around it in those jobs    {job_seconds - inside:8.1f} s "
        f"({1 - inside / job_seconds:.1%} of their time; "
        f"{(job_seconds - inside) / len(benchmarks):.3f} s per job)"
    )
    print(f"  results/                   {size_report(results)}")
    return wall


def training_seconds(results: Path, dataset: str) -> float:
    """Core-seconds a run's cells of ``dataset`` spent training (``cell_train_seconds``)."""
    return sum(
        json.loads(path.read_text())["cell_train_seconds"]
        for path in (results / dataset / "cells").glob("**/timing.json")
    )


def size_report(results: Path) -> str:
    """The size of ``results`` in MB, with its three largest kinds of file."""
    sizes = Counter()
    for path in results.rglob("*"):
        if path.is_file():
            sizes[path.name if path.parent.name != "figures" else "figures"] += path.stat().st_size
    largest = ", ".join(f"{name} {size / 1e6:.1f}" for name, size in sizes.most_common(3))
    return f"{sum(sizes.values()) / 1e6:.1f} MB (largest: {largest})"


def with_fixed_dev_split(config: dict) -> dict:
    """``config`` with every dataset on one dev split shared by the replicates, the protocol
    of checkouts older than ``dev_split`` (a planar replicate trains on n_train minus its dev
    fraction, a cat replicate on the training file minus it): the same arithmetic as theirs."""
    datasets = {name: spec | {"dev_split": "fixed"} for name, spec in config["datasets"].items()}
    return config | {"datasets": datasets}


def dry_run_config(config: dict, networks: int) -> dict:
    """The planar dataset alone, 10 seeds and enough hidden sizes for about ``networks``
    networks (one training job per activation x init x hidden size)."""
    grid = dict(config["grid"], seed=list(range(10)))
    per_size = len(grid["activation"]) * len(grid["init"]) * len(grid["seed"])
    grid["hidden"] = list(range(1, -(-networks // per_size) + 1))
    return config | {"datasets": {"planar": config["datasets"]["planar"]}, "grid": grid}


def main():
    arguments = parse_arguments()
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    print(
        f"machine: {cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average at start {' '.join(f'{value:.2f}' for value in os.getloadavg())}"
    )
    scratch = arguments.scratch or Path(tempfile.mkdtemp(prefix="bench-workflow-"))
    try:
        if not arguments.skip_default:
            time_full_run("default ablation", config, arguments, scratch / "default")
        if arguments.against:
            other = arguments.against.resolve()
            shared = yaml.safe_load((other / "config" / "config.yaml").read_text())
            before = time_full_run(
                "the older checkout's default grid, older code",
                shared,
                arguments,
                scratch / "older",
                checkout=other,
            )
            after = time_full_run(
                "the older checkout's default grid, this code", shared, arguments, scratch / "this"
            )
            print(
                f"speed-up on the same grid: {before / after:.2f}x ({before:.0f} s -> {after:.0f} s)"
            )
            older_protocol = time_full_run(
                "the same grid and the older protocol (dev_split: fixed), this code",
                with_fixed_dev_split(shared),
                arguments,
                scratch / "this-fixed",
            )
            print(
                f"speed-up on the same grid and protocol: {before / older_protocol:.2f}x "
                f"({before:.0f} s -> {older_protocol:.0f} s)"
            )
        big = dry_run_config(config, arguments.dry_run_networks)
        prepare_workdir(scratch / "dry-run", big, arguments.data_dir)
        grid = big["grid"]
        jobs = len(grid["activation"]) * len(grid["init"]) * len(grid["hidden"])
        seconds = snakemake(scratch / "dry-run", "-n")
        print(
            f"snakemake -n on {jobs * len(grid['seed'])} networks ({jobs} train jobs): "
            f"{seconds:.1f} s"
        )
    finally:
        if arguments.keep:
            print(f"scratch directory kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
