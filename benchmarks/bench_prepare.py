"""Peak memory and time of preparing a large HDF5 feature set.

Generates, in a temporary directory and block by block, one HDF5 file of ``--examples`` x
``--features`` values (float32 by default, or uint8) with 0/1 labels, no test split. Then a
child process prepares it as the workflow's prepare job does (``ablation.prepare.prepare_h5``:
a carved stratified test split, a dev split, zscore statistics, all read in blocks) and
reports its peak resident memory (``VmHWM`` of ``/proc/self/status``, printed as it ends:
Linux only; ``ru_maxrss`` would not do, as a child keeps the peak of the parent it was forked
from across ``exec``) against the size of the prepared float64 array
(examples x features x 8 bytes). A second child that only imports the same modules gives the
interpreter's own share of that peak.

Usage::

    .venv/bin/python benchmarks/bench_prepare.py [--examples 100000] [--features 3072]
        [--dtype float32] [--block-mib 32] [--scratch DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py
import numpy as np
from machine import cpu_model

#: The child that prepares: it prints its wall time and its peak resident set.
PREPARE = """
import re, sys, time
from ablation.prepare import prepare_h5
source, output, block_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
start = time.perf_counter()
prepare_h5(
    output,
    {"train": source},
    {"train": {"x_key": "features", "y_key": "labels"}},
    standardize="zscore",
    dev_split="resample",
    seeds=range(5),
    dev_fraction=0.2,
    split_seed=0,
    test_fraction=0.2,
    block_bytes=block_bytes,
)
seconds = time.perf_counter() - start
print(seconds, re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
"""
#: The child that only imports what the preparing child imports.
IMPORT_ONLY = """
import re
import ablation.prepare
print(0, re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
"""


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100_000, help="rows of the set")
    parser.add_argument("--features", type=int, default=3072, help="values per example")
    parser.add_argument("--dtype", choices=["float32", "uint8"], default="float32")
    parser.add_argument("--block-mib", type=int, default=32, help="preparation block size")
    parser.add_argument("--scratch", type=Path, help="directory for the files (default: temp)")
    return parser.parse_args()


def generate(path: Path, examples: int, features: int, dtype: str) -> None:
    """Write the set block by block: its generation never holds it whole either."""
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, examples)
    with h5py.File(path, "w") as file:
        file["labels"] = labels
        data = file.create_dataset("features", shape=(examples, features), dtype=dtype)
        step = max(1, (64 << 20) // (features * 8))
        for start in range(0, examples, step):
            stop = min(start + step, examples)
            block = rng.normal(labels[start:stop, None] * 0.1, 1.0, (stop - start, features))
            if dtype == "uint8":
                block = np.clip(block * 40 + 128, 0, 255)
            data[start:stop] = block.astype(dtype)


def child_peak(code: str, *arguments: str) -> tuple[float, int]:
    """Run ``code`` in a fresh interpreter: the seconds it reports and its peak resident set
    in bytes."""
    result = subprocess.run(
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, check=True
    )
    seconds, kilobytes = result.stdout.split()
    return float(seconds), int(kilobytes) * 1024


def main() -> None:
    arguments = parse_arguments()
    with tempfile.TemporaryDirectory(dir=arguments.scratch) as scratch:
        source, output = Path(scratch) / "set.h5", Path(scratch) / "prepared.h5"
        start = time.perf_counter()
        generate(source, arguments.examples, arguments.features, arguments.dtype)
        generated = time.perf_counter() - start
        _, import_peak = child_peak(IMPORT_ONLY)
        seconds, prepare_peak = child_peak(
            PREPARE, str(source), str(output), str(arguments.block_mib << 20)
        )
        prepared_bytes = arguments.examples * arguments.features * 8
        print(
            f"{cpu_model()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, NumPy {np.__version__}, h5py {h5py.__version__}"
        )
        print(
            f"set: {arguments.examples:,} x {arguments.features:,} {arguments.dtype} "
            f"({source.stat().st_size / 1e9:.2f} GB on disk, generated in {generated:.1f} s)"
        )
        print(
            f"prepared float64 arrays: {prepared_bytes / 1e9:.2f} GB "
            f"({output.stat().st_size / 1e9:.2f} GB file)"
        )
        print(f"preparation: {seconds:.1f} s, block {arguments.block_mib} MiB")
        print(
            f"peak resident memory: {prepare_peak / 1e9:.3f} GB "
            f"({prepare_peak / prepared_bytes:.1%} of the prepared arrays); "
            f"interpreter and imports alone: {import_peak / 1e9:.3f} GB"
        )


if __name__ == "__main__":
    main()
