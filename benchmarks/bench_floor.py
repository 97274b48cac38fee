"""What a training iteration costs against the arithmetic it cannot avoid.

For each shape the workflow trains -- a cat cell (the gram path: 5 replicates x 3 learning
rates, each replicate training on 4 of 5 folds of the 209 training images) and a planar cell
(the direct path: each replicate on its own 400 points) -- and each hidden size u, the table
gives the measured time per network and iteration of ``shallownet.fit_batch``, trained as the
workflow's ``train`` job trains a cell, next to a **floor**: the time of the work any
full-batch gradient descent of such a network has to do with NumPy, each piece timed on this
machine:

- the matrix products, at the speed this machine's BLAS reaches on their shapes in their
  best arrangement. Gram path: Z1 = C (K + 1) over the network's m training examples,
  2 u m^2 flops, timed as the product of every network's rows stacked, (B u x m) @ (m x m);
  direct path: Z1 = [W1 | b1] [X; 1] and dJ/dW1 = g'(Z1) ([X; 1] dZ2)^T, timed as NumPy's
  batched products;
- the elementwise passes over the u x m hidden pre-activations, at the time NumPy takes per
  element on arrays of the size the training's chunks have (:data:`CHUNK_ELEMENTS`), the
  cost of the call itself left out (the difference of two sizes): the activation and its
  slope (the activation's own passes), and simple passes at the time of one
  ``np.multiply`` -- gram:
  Z1_0 added, Z2 = W2 A1 and dW2 = A1 dZ2 (each a pass over A1), g' dZ2, the rows scaled by
  the learning rate times W2, C updated (6); direct: Z2 and dW2 (2), and g' dZ2 where there are
  fewer units than features + 1 (then dZ2 cannot scale the examples instead);
- the output unit's passes over the m logits, as many at any u: the sigmoid's ``np.exp`` and
  four simple passes (b2 added, 1 + exp(-u), the gradient's division, the sum that is dJ/db2).

The history records are left out of the floor, and so is Python's call overhead, which is why
few units cannot reach it. The target:
within 1.5x of the floor from 4 units, within 3x at 1-2 units. The header gives what the
floor is made of on this machine: the BLAS's GFLOP/s on each product and NumPy's ns per
element of each pass.

Last, the floor of a whole run: every cell of the default grid (config/config.yaml, or the
grid of ``--config``, on the shapes above) at the floor of its activation and distinct units
(one for a zero-initialized cell), times its networks and iterations, in core-seconds and in
seconds on this machine's cores; with ``--results``, beside the training time the cells of
that run measured (``cell_train_seconds``).

Usage::

    .venv/bin/python benchmarks/bench_floor.py [--hidden 1 2 4 10 20 50]
        [--activations relu tanh sigmoid] [--precision float64] [--budget 0.5]
        [--config config/config.yaml] [--results results]
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
import yaml  # noqa: E402

import shallownet  # noqa: E402
from ablation.grid import (  # noqa: E402
    activation_labels,
    cell_members,
    cell_rng,
    learning_rates,
    parse_activation_label,
)
from ablation.prepare import prepare_h5, prepare_planar  # noqa: E402
from ablation.replicates import load_replicates  # noqa: E402
from bench_workflow import training_seconds  # noqa: E402
from machine import cpu_model  # noqa: E402
from shallownet.activations import get_activation  # noqa: E402
from shallownet.training import CHUNK_ELEMENTS  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "data" / "catvnoncat"
SEEDS = [0, 1, 2, 3, 4]
#: The default config's learning rates and an initialization of each dataset.
SHAPES = {
    "cat": {"rates": [0.0025, 0.0075, 0.025], "init": "he", "method": "gram"},
    "planar": {"rates": [0.4, 1.2, 4.0], "init": "xavier", "method": "direct"},
}


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hidden", type=int, nargs="+", default=[1, 2, 4, 10, 20, 50])
    parser.add_argument("--activations", nargs="+", default=["relu", "tanh", "sigmoid"])
    parser.add_argument("--precision", choices=["float64", "float32"], default="float64")
    parser.add_argument("--budget", type=float, default=0.5, help="seconds per timing run")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--config",
        type=Path,
        default=REPO / "config" / "config.yaml",
        help="the config whose grid's floor is printed last",
    )
    parser.add_argument(
        "--results",
        type=Path,
        help="a default run's results/ directory, to set its cells' training time beside the "
        "grid's floor",
    )
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


def per_iteration_seconds(train, budget: float, repeats: int = 5, estimates: int = 3) -> float:
    """Seconds per iteration of ``train(iterations)``, set-up excluded: the difference of the
    best of ``repeats`` long runs (lasting about ``budget``) and of as many short ones, run
    alternately so that both see the same load of the machine; the median of ``estimates``
    such differences, as one of them can be far off on a shared virtual machine."""
    long = 20
    while best_seconds(lambda: train(long), 0) < budget and long < 1_000_000:
        long *= 2
    short = long // 4
    differences = []
    for _ in range(estimates):
        times = {long: [], short: []}
        for _ in range(repeats):
            for iterations in times:
                start = time.perf_counter()
                train(iterations)
                times[iterations].append(time.perf_counter() - start)
        differences.append((min(times[long]) - min(times[short])) / (long - short))
    return float(np.median(differences))


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


def training_sets(dataset, replicates):
    """The training examples of each network of a cell, in member order."""
    return [
        replicates.training_set(seed)[0]
        for _, seed in cell_members(SHAPES[dataset]["rates"], SEEDS)
    ]


def cell_trainer(dataset, replicates, activation, hidden, precision):
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
            dtype=precision,
            **arguments,
        )

    return train


def gram_products(training_sets, hidden, precision, budget, rng):
    """Per network: Z1 = C (K + 1), every network's rows stacked against one K of its size;
    and the GFLOP/s."""
    m = round(np.mean([X.shape[1] for X in training_sets]))
    X = training_sets[0][:, :m].astype(precision)
    K = X.T @ X + 1
    rows = rng.standard_normal((len(training_sets) * hidden, m)).astype(precision)
    out = np.empty_like(rows)
    seconds = best_seconds(lambda: np.matmul(rows, K, out=out), budget)
    return seconds / len(training_sets), 2 * rows.shape[0] * m * m / seconds / 1e9, m


def direct_products(training_sets, hidden, precision, budget, rng):
    """Per network: Z1 = [W1 | b1] [X; 1] and g' ([X; 1] dZ2)^T, batched; and the GFLOP/s."""
    X = np.stack([np.vstack([X, np.ones((1, X.shape[1]))]) for X in training_sets])
    X = X.astype(precision)
    networks, features, m = X.shape
    weights = rng.standard_normal((networks, hidden, features)).astype(precision)
    Z1 = np.empty((networks, hidden, m), dtype=precision)
    scaled = X.swapaxes(1, 2).copy()
    change = np.empty_like(weights)

    def products():
        np.matmul(weights, X, out=Z1)
        np.matmul(Z1, scaled, out=change)

    seconds = best_seconds(products, budget)
    return seconds / networks, 4 * networks * hidden * features * m / seconds / 1e9, m


def pass_costs(activations, precision, budget, rng):
    """Seconds per element on arrays of a chunk's size, the cost of the calls left out (the
    difference between that size and a quarter of it): each activation with its slope, one
    np.multiply and one np.exp."""

    def per_element(run_on):
        sizes = (CHUNK_ELEMENTS, CHUNK_ELEMENTS // 4)
        seconds = [best_seconds(run_on(size), budget) for size in sizes]
        return max(seconds[0] - seconds[1], 0.0) / (sizes[0] - sizes[1])

    def multiply(size):
        a, b, out = (rng.standard_normal(size).astype(precision) for _ in range(3))
        return lambda: np.multiply(a, b, out=out)

    def exp(size):
        a, out = (rng.standard_normal(size).astype(precision) for _ in range(2))
        return lambda: np.exp(a, out=out)

    def activation(name):
        def run_on(size):
            Z = rng.standard_normal(size).astype(precision)
            work, out = np.empty_like(Z), np.empty_like(Z)
            g = get_activation(name)

            def activate():
                np.copyto(work, Z)  # the activation overwrites its input
                g.function_and_derivative(work, out=out)

            return activate

        return run_on

    def copy(size):
        Z, work = rng.standard_normal(size).astype(precision), np.empty(size, dtype=precision)
        return lambda: np.copyto(work, Z)

    copying = per_element(copy)
    costs = {"multiply": per_element(multiply), "exp": per_element(exp)}
    for name in activations:
        costs[name] = max(per_element(activation(name)) - copying, 0.0)
    return costs


#: The output unit's simple passes over the logits (besides the sigmoid's exp).
OUTPUT_PASSES = 4


def simple_passes(method: str, hidden: int, features: int) -> int:
    if method == "gram":
        return 6
    return 2 if features + 1 < hidden else 3


class Floor:
    """The floor of one network's iteration on a dataset's cells, by activation and hidden
    size: products (timed once per size) plus elementwise passes."""

    def __init__(self, dataset, replicates, costs, precision, budget, rng):
        self.method = SHAPES[dataset]["method"]
        self.training_sets = training_sets(dataset, replicates)
        self.features = replicates.arrays["X_train"].shape[0]
        self.costs, self.precision, self.budget, self.rng = costs, precision, budget, rng
        self._products = {}

    def products(self, hidden):
        """(seconds per network, GFLOP/s, m) of the products at ``hidden`` units."""
        if hidden not in self._products:
            measure = {"gram": gram_products, "direct": direct_products}[self.method]
            self._products[hidden] = measure(
                self.training_sets, hidden, self.precision, self.budget, self.rng
            )
        return self._products[hidden]

    def elementwise(self, activation, hidden):
        m = self.products(hidden)[2]
        passes = simple_passes(self.method, hidden, self.features)
        hidden_layer = hidden * m * (self.costs[activation] + passes * self.costs["multiply"])
        return hidden_layer + m * (self.costs["exp"] + OUTPUT_PASSES * self.costs["multiply"])

    def seconds(self, activation, hidden):
        return self.products(hidden)[0] + self.elementwise(activation, hidden)


def grid_floor(config: dict, dataset: str, floor: Floor) -> float:
    """Core-seconds of the floor of every cell of ``dataset`` in ``config``'s grid: its
    networks x iterations x one network's iteration at its activation and distinct units."""
    grid, spec = config["grid"], config["datasets"][dataset]
    networks = len(grid["seed"]) * len(learning_rates(spec["learning_rate"]))
    total = 0.0
    for label in activation_labels(grid["activation"], config["leaky_relu_alpha"]):
        activation = parse_activation_label(label)[0]
        for init in grid["init"]:
            for hidden in grid["hidden"]:
                units = 1 if init == "zeros" else hidden
                total += networks * spec["iterations"] * floor.seconds(activation, units)
    return total


def main():
    arguments = parse_arguments()
    rng = np.random.default_rng(0)
    config = yaml.safe_load(arguments.config.read_text())
    grid_activations = [parse_activation_label(label)[0] for label in config["grid"]["activation"]]
    measured_activations = sorted(set(arguments.activations) | set(grid_activations))
    costs = pass_costs(measured_activations, arguments.precision, arguments.budget / 5, rng)
    print(
        f"{cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"NumPy {np.__version__}, one BLAS thread, {arguments.precision}"
    )
    print(
        f"NumPy per element on arrays of {CHUNK_ELEMENTS} elements: "
        + ", ".join(f"{name} {1e9 * seconds:.2f} ns" for name, seconds in costs.items())
    )
    print()
    print(
        "| data (path) | activation | u | measured us | floor us: products (GFLOP/s) "
        "+ elementwise | measured / floor | goal |"
    )
    print("|---|---|---:|---:|---|---:|---|")
    floors = {}
    with tempfile.TemporaryDirectory() as scratch:
        for dataset, shape in SHAPES.items():
            replicates = prepared(dataset, arguments.data_dir, Path(scratch))
            floor = floors[dataset] = Floor(
                dataset, replicates, costs, arguments.precision, arguments.budget / 5, rng
            )
            networks = len(floor.training_sets)
            for activation in arguments.activations:
                for hidden in arguments.hidden:
                    train = cell_trainer(
                        dataset, replicates, activation, hidden, arguments.precision
                    )
                    measured = per_iteration_seconds(train, arguments.budget) / networks
                    product, gflops, _ = floor.products(hidden)
                    elementwise = floor.elementwise(activation, hidden)
                    ratio = measured / (product + elementwise)
                    goal = 3.0 if hidden <= 2 else 1.5
                    print(
                        f"| {dataset} ({shape['method']}) | {activation} | {hidden} "
                        f"| {1e6 * measured:.1f} | {1e6 * (product + elementwise):.1f}: "
                        f"{1e6 * product:.1f} ({gflops:.0f}) + {1e6 * elementwise:.1f} "
                        f"| {ratio:.2f} | <= {goal:g}: {'met' if ratio <= goal else 'NOT met'} |",
                        flush=True,
                    )
    print_grid_floor(config, arguments.config, floors, arguments.results)


def print_grid_floor(config: dict, path: Path, floors: dict, results: Path | None):
    """The floor of the grid's training, per dataset and in all, and on this machine's
    cores; beside a run's measured training if ``results`` is given."""
    cores = os.cpu_count()
    rows = {
        dataset: (
            grid_floor(config, dataset, floors[dataset]),
            training_seconds(results, dataset) if results else None,
        )
        for dataset in config["datasets"]
    }
    floors_sum = sum(floor for floor, _ in rows.values())
    rows["together"] = (
        floors_sum,
        sum(measured for _, measured in rows.values()) if results else None,
    )
    print()
    print(f"The grid of {path} at the floor, {cores} cores:")
    print()
    if results:
        print(
            "| dataset | floor core-s | measured core-s (cell_train_seconds) | measured / floor |"
        )
        print("|---|---:|---:|---:|")
    else:
        print("| dataset | floor core-s |")
        print("|---|---:|")
    for dataset, (floor, measured) in rows.items():
        measured_columns = "" if measured is None else f" {measured:.0f} | {measured / floor:.2f} |"
        print(f"| {dataset} | {floor:.0f} |{measured_columns}")
    print()
    print(
        f"On {cores} cores the training alone takes at least {floors_sum / cores:.0f} s "
        "at the floor, before start-up, data preparation, aggregation and figures."
    )


if __name__ == "__main__":
    main()
