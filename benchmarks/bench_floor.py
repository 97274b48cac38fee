"""What a training iteration costs against the arithmetic it cannot avoid (issue 18).

For each shape the workflow trains -- a cat cell (the gram path: 5 replicates x 3 learning
rates, each replicate training on 4 of 5 folds of the 209 training images) and a planar cell
(the direct path: each replicate on its own 400 points) -- and each hidden size, the table
gives the measured time per network and iteration of ``shallownet.fit_batch`` trained as the
workflow's ``train`` job trains it, next to a **floor**: the time of the work that any
full-batch gradient descent of these networks has to do with NumPy, each piece timed on this
machine at the shape and array size the training uses:

- the matrix products, at the speed this machine's BLAS reaches on their shapes, best
  arrangement: on the gram path Z1 = C (K + 1), 2 u m^2 flops per network, timed as the
  stacked product of all networks' rows (B u x m) @ (m x m); on the direct path
  Z1 = [W1 | b1] [X; 1] and dJ/dW1 = dZ1 [X; 1]^T, timed as the batched products;
- the elementwise passes over the u x m hidden pre-activations: the activation and its
  derivative (the activation's own passes, timed as one call), and five passes at the time of
  one ``np.multiply`` per element (gram: the start Z1_0 added, dZ1 = g'(Z1) dZ2, scaled by
  the learning rate times W2, and C updated, plus the two products with the output unit,
  Z2 = W2 A1 and dW2 = A1 dZ2, each a pass over A1; direct: the same without the first and
  the last, which are products there).

Work on the m-vectors of the output unit and on the history records (every 100 iterations)
is left out of the floor; so is Python's call overhead, which is why few units cannot reach
it. The goal (issue 18): within 1.5x of the floor from 4 units, within 3x at 1-2 units.

Usage::

    .venv/bin/python benchmarks/bench_floor.py [--hidden 1 2 4 10 20 50]
        [--activations relu tanh sigmoid] [--budget 0.5] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

# One BLAS thread, as every job of the workflow: set before NumPy is imported.
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402

import shallownet  # noqa: E402
from ablation.grid import cell_members, cell_rng  # noqa: E402
from ablation.prepare import prepare_h5, prepare_planar  # noqa: E402
from ablation.replicates import load_replicates  # noqa: E402
from shallownet.activations import get_activation  # noqa: E402
from shallownet.training import CHUNK_ELEMENTS  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "catvnoncat"
SEEDS = [0, 1, 2, 3, 4]
#: The default config's learning rates and initializations of the two datasets.
SHAPES = {
    "cat": {"rates": [0.0025, 0.0075, 0.025], "init": "he", "method": "gram"},
    "planar": {"rates": [0.4, 1.2, 4.0], "init": "xavier", "method": "direct"},
}
#: Simple elementwise passes over the u x m pre-activations in the floor, by path.
SIMPLE_PASSES = {"gram": 5, "direct": 3}


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hidden", type=int, nargs="+", default=[1, 2, 4, 10, 20, 50])
    parser.add_argument("--activations", nargs="+", default=["relu", "tanh", "sigmoid"])
    parser.add_argument("--budget", type=float, default=0.5, help="seconds per timing run")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    return parser.parse_args()


def best_seconds(run, budget: float) -> float:
    """The best time of ``run()`` over repeats filling about ``budget`` seconds."""
    run()
    best, spent = float("inf"), 0.0
    while spent < budget:
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
        best, spent = min(best, elapsed), spent + elapsed
    return best


def per_iteration_seconds(train, budget: float) -> float:
    """Seconds per iteration of ``train(iterations)``, set-up excluded: the difference of a
    long and a short run (the long one lasting about ``budget``), each the best of repeats."""
    long = 20
    while best_seconds(lambda: train(long), 0) < budget and long < 1_000_000:
        long *= 2
    short = long // 4
    return (
        best_seconds(lambda: train(long), budget) - best_seconds(lambda: train(short), budget)
    ) / (long - short)


def prepared(dataset: str, data_dir: Path, scratch: Path):
    """The dataset prepared as the default config prepares it, and its replicates."""
    path = scratch / f"{dataset}.h5"
    settings = {"dev_split": "resample", "seeds": SEEDS, "dev_fraction": 0.2, "split_seed": 0}
    if dataset == "cat":
        files = {split: data_dir / f"{split}_catvnoncat.h5" for split in ("train", "test")}
        prepare_h5(path, files, standardize="scale255", **settings)
    else:
        prepare_planar(
            path,
            n_train=400,
            n_dev=2000,
            n_test=5000,
            noise=0.2,
            data_seed=1,
            standardize="none",
            **settings,
        )
    return load_replicates(path)


def cell_trainer(dataset, replicates, activation, hidden):
    """``train(iterations)``: fit_batch on one cell's 15 networks, as the train job calls it."""
    shape = SHAPES[dataset]
    members = cell_members(shape["rates"], SEEDS)
    n_x = replicates.arrays["X_train"].shape[0]
    starts = {
        seed: shallownet.initialize(n_x, hidden, shape["init"], cell_rng(dataset, seed))
        for seed in SEEDS
    }
    arguments = replicates.fit_arguments([seed for _, seed in members])

    def train(iterations):
        shallownet.fit_batch(
            params=[starts[seed] for _, seed in members],
            activation=activation,
            learning_rates=[rate for rate, _ in members],
            iterations=iterations,
            record_every=max(iterations, 1),
            method=shape["method"],
            **arguments,
        )

    return train, arguments, len(members)


def training_width(arguments) -> int:
    """m: the columns of each network's Z1."""
    return arguments["X"].shape[-1]


def product_seconds(method, arguments, networks, hidden, budget, rng):
    """Per network: the matrix products of one iteration, best arrangement (see above)."""
    X = arguments["X"]
    m = X.shape[-1]
    if method == "gram":
        K = X.T @ X + 1
        rows = rng.standard_normal((networks * hidden, m))
        out = np.empty_like(rows)
        return best_seconds(lambda: np.matmul(rows, K, out=out), budget) / networks
    X = X if X.ndim == 3 else np.broadcast_to(X, (networks, *X.shape))
    augmented = np.concatenate([X, np.ones((networks, 1, m))], axis=1)
    transposed = augmented.swapaxes(1, 2)
    weights = rng.standard_normal((networks, hidden, augmented.shape[1]))
    Z1 = np.empty((networks, hidden, m))
    change = np.empty_like(weights)

    def products():
        np.matmul(weights, augmented, out=Z1)
        np.matmul(Z1, transposed, out=change)

    return best_seconds(products, budget) / networks


def elementwise_seconds(activation, method, m, hidden, budget, rng):
    """Per network: the activation's passes and the simple passes over u x m elements, timed
    on arrays of one chunk's size (the training's work arrays, :data:`CHUNK_ELEMENTS`)."""
    per_chunk = max(1, CHUNK_ELEMENTS // (hidden * m))
    size = per_chunk * hidden * m
    Z = rng.standard_normal(size)
    work, out, other = np.empty(size), np.empty(size), np.empty(size)
    g = get_activation(activation)

    def activate():
        np.copyto(work, Z)
        g.function_and_derivative(work, out=out)

    copy = best_seconds(lambda: np.copyto(work, Z), budget)
    activation_time = best_seconds(activate, budget) - copy
    simple = best_seconds(lambda: np.multiply(Z, out, out=other), budget)
    return (activation_time + SIMPLE_PASSES[method] * simple) / per_chunk


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    arguments = parse_arguments()
    rng = np.random.default_rng(0)
    print(
        f"{cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"NumPy {np.__version__}, one BLAS thread"
    )
    print()
    print(
        "| data (path) | activation | u | measured us | floor us (products + elementwise) "
        "| measured / floor | goal |"
    )
    print("|---|---|---:|---:|---|---:|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for dataset, shape in SHAPES.items():
            replicates = prepared(dataset, arguments.data_dir, Path(scratch))
            for activation in arguments.activations:
                for hidden in arguments.hidden:
                    train, fit_arguments, networks = cell_trainer(
                        dataset, replicates, activation, hidden
                    )
                    measured = per_iteration_seconds(train, arguments.budget) / networks
                    m = training_width(fit_arguments)
                    products = product_seconds(
                        shape["method"], fit_arguments, networks, hidden, arguments.budget / 5, rng
                    )
                    elementwise = elementwise_seconds(
                        activation, shape["method"], m, hidden, arguments.budget / 5, rng
                    )
                    floor = products + elementwise
                    ratio = measured / floor
                    goal = 3.0 if hidden <= 2 else 1.5
                    print(
                        f"| {dataset} ({shape['method']}) | {activation} | {hidden} "
                        f"| {1e6 * measured:.1f} | {1e6 * floor:.1f} ({1e6 * products:.1f} + "
                        f"{1e6 * elementwise:.1f}) | {ratio:.2f} | <= {goal:g}: "
                        f"{'met' if ratio <= goal else 'NOT met'} |",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
