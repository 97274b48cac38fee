"""Wall time of the whole ablation and of Snakemake's planning (issues 4 and 11).

1. Runs the default ablation (config/config.yaml, both datasets unless ``--datasets`` says
   otherwise) from an empty scratch directory with ``--cores`` cores, and prints the total wall
   time, the sum of the ``train`` jobs' own benchmark times (``s`` column of their
   ``benchmark:`` files), the time spent inside ``fit_batch`` and around it, and the share of
   the wall-core time that is not training (Snakemake scheduling, job start-up, data
   preparation, aggregation, figures).
2. With ``--per-network-checkout DIR`` (a checkout of the last commit that trained one network
   per job, e.g. ``git worktree add ../per-network 710aeba``), runs the grid that was the
   default then (3 seeds, the course's learning rates, 9 hidden sizes) in both layouts, in the
   same benchmark run, and compares: wall time, and how far its ``cells.csv`` (without timing
   columns) is from ours. Then a control of what the differences are: some networks whose
   final cost differs and as many that agree are trained again with this checkout's library,
   once as they were and once with every starting weight moved by one unit in the last place.
   If the networks that differ between the layouts are the ones that a one-ulp change sends
   elsewhere, and the others are not, the differences are rounding amplified by unstable
   training, not a change of what is computed.
3. Times ``snakemake -n`` on a grid of ``--dry-run-networks`` networks (planar data, 10 seeds,
   more hidden sizes), which measures DAG construction alone.

Usage::

    .venv/bin/python benchmarks/bench_workflow.py [--cores 2] [--scratch DIR] [--keep]
        [--per-network-checkout DIR] [--skip-run]
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

import numpy as np
import pandas as pd
import shallownet
import yaml
from ablation.grid import cell_rng, parse_activation_label
from ablation.prepare import load_prepared

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
DEFAULT_DATA = REPO / ".." / "shared" / "data" / "catvnoncat"
#: The default grid of the per-network layout: its seeds, hidden sizes and (one per dataset)
#: learning rates, the course's.
PREVIOUS_DEFAULT = {
    "seed": [0, 1, 2],
    "hidden": [1, 2, 3, 4, 5, 7, 10, 20, 50],
    "learning_rate": {"cat": 0.0075, "planar": 1.2},
}
#: cells.csv columns that measure the run rather than its result, in either layout.
TIMING_COLUMNS = ("train_seconds", "cell_train_seconds")
#: Columns naming a network in both layouts (one learning rate).
NETWORK_KEYS = ["activation", "init", "hidden", "seed"]
#: The init whose starting weights changed after the per-network layout (W2's scale).
CHANGED_INIT = "large"
#: Final costs further apart than this (relative) count as different.
DIFFERENT = 1e-9
#: Networks per dataset and group (differing, agreeing) retrained by the rounding control.
CONTROL_SAMPLE = 20


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cores", type=int, default=os.cpu_count(), help="cores for snakemake")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA, help="cat .h5 files")
    parser.add_argument("--scratch", type=Path, help="working directory (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--datasets", nargs="+", help="datasets of the config to run")
    parser.add_argument(
        "--per-network-checkout", type=Path, help="checkout of the one-network-per-job layout"
    )
    parser.add_argument(
        "--dry-run-networks", type=int, default=10_000, help="networks in the -n grid"
    )
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


def default_profile(checkout: Path) -> Path:
    """``checkout``'s own default workflow profile: profiles/default next to its Snakefile, or
    workflow/profiles/default in checkouts older than that layout (such as the per-network
    one), which Snakemake does not find by itself."""
    profile = checkout / "profiles" / "default"
    return profile if profile.is_dir() else checkout / "workflow" / "profiles" / "default"


def snakemake(workdir: Path, *arguments, checkout: Path = REPO) -> float:
    """Run ``checkout``'s Snakefile (and library) in ``workdir`` as ``make ablation`` does
    (with its default workflow profile); return the wall time in seconds."""
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
    """Run ``config`` from scratch; print and return its wall time and where it went."""
    prepare_workdir(workdir, config, arguments.data_dir)
    wall = snakemake(workdir, "--cores", arguments.cores, checkout=checkout)
    benchmarks = list((workdir / "results").glob("*/benchmarks/train/**/*.tsv"))
    job_seconds = sum(pd.read_csv(path, sep="\t")["s"].sum() for path in benchmarks)
    cells = {
        dataset: pd.read_csv(workdir / "results" / dataset / "summary" / "cells.csv")
        for dataset in config["datasets"]
    }
    fit_seconds = {dataset: fit_time(table) for dataset, table in cells.items()}
    networks = sum(len(table) for table in cells.values())
    core_seconds = wall * arguments.cores
    print(
        f"{name}: {len(benchmarks)} train jobs, {networks} networks, "
        f"datasets {', '.join(config['datasets'])}"
    )
    print(
        f"  total wall time            {wall:9.1f} s  ({wall / 60:.1f} min, {arguments.cores} cores)"
    )
    print(f"  sum of train job times     {job_seconds:9.1f} s")
    print(
        "  of which training          "
        + ", ".join(f"{dataset} {seconds:.1f} s" for dataset, seconds in fit_seconds.items())
    )
    print(
        f"  not training (overhead)    {1 - sum(fit_seconds.values()) / core_seconds:9.1%} "
        f"of {core_seconds:.0f} core-seconds"
    )
    return wall, cells


def fit_time(cells: pd.DataFrame) -> float:
    """Seconds spent training the networks of ``cells.csv``, in either layout: a per-network
    ``train_seconds``, or a per-cell ``cell_train_seconds`` repeated on each network's row."""
    if "cell_train_seconds" in cells:
        keys = ["activation", "init", "hidden"]
        return float(cells.groupby(keys)["cell_train_seconds"].first().sum())
    return float(cells["train_seconds"].sum())


def compare_results(ours: dict, theirs: dict) -> dict:
    """How far two runs' cells.csv are apart, column by column (same networks, same seeds);
    returns, per dataset, the networks side by side."""
    print(
        "cells.csv, this layout against the per-network one (timing columns left out; "
        f"{CHANGED_INIT} init left out: its W2 has been drawn at another scale since ecb2c5a):"
    )
    merged_tables = {}
    for dataset, table in ours.items():
        table = table[table["init"] != CHANGED_INIT]
        merged = table.merge(
            theirs[dataset], on=NETWORK_KEYS, suffixes=("", "_theirs"), validate="1:1"
        )
        merged_tables[dataset] = merged
        if len(merged) != len(table):
            print(f"  {dataset}: {len(table)} networks here, {len(merged)} matched")
        numeric = [
            column
            for column in theirs[dataset].columns
            if column not in NETWORK_KEYS
            and column not in TIMING_COLUMNS
            and pd.api.types.is_float_dtype(theirs[dataset][column])
        ]
        for column in numeric:
            a, b = merged[column].to_numpy(float), merged[f"{column}_theirs"].to_numpy(float)
            both = np.isfinite(a) & np.isfinite(b)
            scale = np.maximum(np.abs(a[both]), np.abs(b[both]))
            relative = np.abs(a[both] - b[both]) / np.where(scale > 0, scale, 1)
            differing = int((relative > DIFFERENT).sum()) + int(
                (np.isfinite(a) != np.isfinite(b)).sum()
            )
            largest = relative.max() if relative.size else 0.0
            print(
                f"  {dataset} {column:16s} {differing:4d} of {len(merged)} networks differ by "
                f"more than {DIFFERENT:g} (largest |a - b| / max(|a|, |b|): {largest:.2g})"
            )
        status = (merged["status"] != merged["status_theirs"]).sum()
        print(f"  {dataset} status           {status} of {len(merged)} networks differ")
    return merged_tables


def final_cost(data, network, settings, nudge=False) -> float:
    """The final training cost of one network of the grid, retrained with this checkout's
    library; ``nudge`` moves every starting weight by one unit in the last place."""
    name, alpha = parse_activation_label(network["activation"])
    start = shallownet.initialize(
        data["X_train"].shape[0],
        int(network["hidden"]),
        network["init"],
        cell_rng(settings["dataset"], int(network["seed"])),
        scale=settings["init_scale"].get(network["init"]),
    )
    if nudge:
        for weights in ("W1", "W2"):
            start[weights] = np.nextafter(start[weights], np.inf)
    fit = shallownet.fit(
        data["X_train"],
        data["Y_train"],
        start,
        activation=name,
        alpha=0.01 if alpha is None else alpha,
        learning_rate=settings["learning_rate"],
        iterations=settings["iterations"],
        record_every=settings["iterations"],
    )
    return fit.history[-1]["cost"]


def rounding_control(merged_tables: dict, config: dict, workdir: Path) -> None:
    """Are the networks that differ between the layouts the ones sensitive to one ulp?"""
    print(
        f"rounding control: {CONTROL_SAMPLE} networks per group, final cost moved by more "
        f"than {DIFFERENT:g} (relative) when every starting weight moves by one ulp:"
    )
    for dataset, merged in merged_tables.items():
        spec = config["datasets"][dataset]
        settings = {
            "dataset": dataset,
            "init_scale": config["init_scale"],
            "learning_rate": spec["learning_rate"],
            "iterations": spec["iterations"],
        }
        data = load_prepared(workdir / "results" / dataset / "data" / "prepared.h5")
        ok = merged[(merged["status"] == "ok") & (merged["status_theirs"] == "ok")]
        apart = (ok["final_cost"] - ok["final_cost_theirs"]).abs() > DIFFERENT * ok[
            "final_cost_theirs"
        ].abs()
        for label, group in (("differ between layouts", ok[apart]), ("agree", ok[~apart])):
            sample = group.sample(min(CONTROL_SAMPLE, len(group)), random_state=0)
            moved = sum(
                abs(
                    final_cost(data, network, settings, nudge=True)
                    - final_cost(data, network, settings)
                )
                > DIFFERENT * abs(network["final_cost"])
                for _, network in sample.iterrows()
            )
            print(
                f"  {dataset}: of {len(sample)} networks that {label} "
                f"({len(group)} in all), {moved} move under a one-ulp change"
            )


def previous_default_config(config: dict) -> dict:
    """``config`` with the grid that was the default of the per-network layout."""
    datasets = {
        name: spec | {"learning_rate": PREVIOUS_DEFAULT["learning_rate"][name]}
        for name, spec in config["datasets"].items()
    }
    grid = config["grid"] | {key: PREVIOUS_DEFAULT[key] for key in ("seed", "hidden")}
    return config | {"datasets": datasets, "grid": grid}


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
    if arguments.datasets:
        config["datasets"] = {name: config["datasets"][name] for name in arguments.datasets}
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average at start "
        f"{' '.join(f'{value:.2f}' for value in os.getloadavg())}"
    )
    scratch = arguments.scratch or Path(tempfile.mkdtemp(prefix="bench-workflow-"))
    try:
        if not arguments.skip_run:
            time_full_run("default grid", config, arguments, scratch / "ablation")
            if arguments.per_network_checkout:
                checkout = arguments.per_network_checkout.resolve()
                previous = previous_default_config(config)
                wall, cells = time_full_run(
                    "previous default grid", previous, arguments, scratch / "previous"
                )
                old_wall, old_cells = time_full_run(
                    f"previous default grid, per-network layout ({checkout})",
                    previous,
                    arguments,
                    scratch / "per-network",
                    checkout=checkout,
                )
                print(
                    f"speed-up of the whole ablation: {old_wall / wall:.2f}x "
                    f"({old_wall:.0f} s -> {wall:.0f} s)"
                )
                rounding_control(compare_results(cells, old_cells), previous, scratch / "previous")
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
