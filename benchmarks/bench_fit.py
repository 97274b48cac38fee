"""Per-iteration cost of full-batch gradient descent (issues 4 and 11).

1. One network on the cat data's shape: shallownet's ``direct`` and ``gram`` methods,
   scikit-learn's ``MLPClassifier`` configured as the same full-batch gradient descent
   (solver "sgd", batch_size = m, momentum 0, alpha 0, no early stopping, constant learning
   rate), and PyTorch on the CPU if it is installed (Linear -> ReLU -> Linear, SGD,
   BCEWithLogitsLoss). All run in float64 with the same BLAS thread count, ReLU hidden units,
   learning rate 0.0075. Before timing, each peer is checked to compute the same arithmetic:
   started from shallownet's initial weights, its cost after a few iterations must match ours.
2. Batches (``shallownet.fit_batch``): the time per network per iteration of a batch of 1,
   15 and 60 networks (seeds) on the cat shape (gram path, ReLU, learning rate 0.0075) and on
   the planar shape (400 points, direct path, tanh, learning rate 1.2), against the single
   network.

Per-iteration time = (time of a long run - time of a short run) / (difference in
iterations), each the best of ``--repeats``; one-time setup (e.g. the Gram matrix) cancels.

Usage (scikit-learn comes with the workflow extra; optionally ``pip install torch``)::

    .venv/bin/python benchmarks/bench_fit.py [--hidden 1 7 50] [--threads 1] [--budget 1.0]
        [--batch-hidden 1 2 4 10 50] [--batch-sizes 1 15 60] [--skip-peers] [--skip-batches]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import warnings
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "catvnoncat"
LEARNING_RATE = 0.0075


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hidden", type=int, nargs="+", default=[1, 7, 50], help="hidden sizes")
    parser.add_argument("--threads", type=int, default=1, help="BLAS/PyTorch threads (default 1)")
    parser.add_argument("--budget", type=float, default=1.0, help="seconds per long timing run")
    parser.add_argument("--repeats", type=int, default=3, help="timings per run length (best kept)")
    parser.add_argument(
        "--data-dir", type=Path, default=DEFAULT_DATA, help="directory of the cat .h5 files"
    )
    parser.add_argument(
        "--batch-hidden", type=int, nargs="+", default=[1, 2, 4, 10, 50], help="batch table sizes"
    )
    parser.add_argument(
        "--batch-sizes", type=int, nargs="+", default=[1, 15, 60], help="networks per batch"
    )
    parser.add_argument("--skip-peers", action="store_true", help="skip the single-network table")
    parser.add_argument("--skip-batches", action="store_true", help="skip the batch table")
    return parser.parse_args()


ARGUMENTS = parse_arguments()
# The thread count must be fixed before NumPy (and its OpenBLAS) is imported.
os.environ["OPENBLAS_NUM_THREADS"] = str(ARGUMENTS.threads)

import numpy as np  # noqa: E402

import shallownet  # noqa: E402
from ablation.prepare import load_prepared, prepare_h5, prepare_planar  # noqa: E402
from machine import cpu_model  # noqa: E402


def load_cat_training_set(data_dir):
    """A fixed training split of the cat data, (12288, 168) scaled by 1/255: the shape of a
    replicate's training folds (167 or 168 of the 209 images)."""
    files = {split: data_dir / f"{split}_catvnoncat.h5" for split in ("train", "test")}
    return prepared_training_set(
        prepare_h5,
        files,
        standardize="scale255",
        dev_split="fixed",
        seeds=[0],
        dev_fraction=0.2,
        split_seed=0,
    )


def prepared_training_set(prepare, *args, **settings):
    """``X_train, Y_train`` of the file the workflow's ``prepare`` function writes."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "prepared.h5"
        prepare(path, *args, **settings)
        arrays = load_prepared(path, ("X_train", "Y_train"))
    return arrays["X_train"], arrays["Y_train"]


def timed(run, iterations):
    start = time.perf_counter()
    run(iterations)
    return time.perf_counter() - start


def per_iteration_seconds(run, budget, repeats):
    """Seconds per iteration of ``run(n)``, with the setup cost of a run subtracted.

    The long run is the first power-of-two multiple of 10 iterations whose iterations (its
    time less that of a run of 1 iteration, about the setup) last ``budget`` seconds, the
    short run a tenth of it; long and short runs alternate so that both see the same machine
    load, and the best time of each is kept.
    """
    setup = timed(run, 1)
    long = 10
    while timed(run, long) - setup < budget and long < 10_000_000:
        long *= 2
    short = long // 10
    long_times, short_times = [], []
    for _ in range(repeats):
        long_times.append(timed(run, long))
        short_times.append(timed(run, short))
    return (min(long_times) - min(short_times)) / (long - short)


def shallownet_runner(X, Y, start, method):
    def run(iterations):
        return shallownet.fit(
            X,
            Y,
            start,
            activation="relu",
            learning_rate=LEARNING_RATE,
            iterations=iterations,
            method=method,
        )

    return run


def sklearn_runner(X, Y, hidden, start=None):
    """MLPClassifier as full-batch gradient descent; from ``start`` if given (warm start)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X_rows, labels = np.ascontiguousarray(X.T), Y.ravel()
    m = X.shape[1]

    def classifier(iterations):
        return MLPClassifier(
            hidden_layer_sizes=(hidden,),
            activation="relu",
            solver="sgd",
            alpha=0.0,
            batch_size=m,
            learning_rate="constant",
            learning_rate_init=LEARNING_RATE,
            max_iter=iterations,
            shuffle=False,
            momentum=0.0,
            nesterovs_momentum=False,
            early_stopping=False,
            tol=0.0,
            n_iter_no_change=iterations + 1,
            random_state=0,
            warm_start=start is not None,
        )

    def run(iterations):
        model = classifier(iterations)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            if start is not None:
                # Let sklearn set up its state with one iteration, then restart from `start`.
                model.set_params(max_iter=1)
                model.fit(X_rows, labels)
                model.coefs_ = [start["W1"].T.copy(), start["W2"].T.copy()]
                model.intercepts_ = [start["b1"].ravel().copy(), start["b2"].ravel().copy()]
                model.set_params(max_iter=iterations, n_iter_no_change=iterations + 1)
                model.loss_curve_ = []
            model.fit(X_rows, labels)
        return model

    return run


def torch_runner(X, Y, start, threads):
    import torch

    torch.set_num_threads(threads)
    X_rows = torch.from_numpy(np.ascontiguousarray(X.T))
    labels = torch.from_numpy(Y.T.astype(np.float64))
    n_x, n_h = start["W1"].shape[1], start["W1"].shape[0]

    def run(iterations):
        model = torch.nn.Sequential(
            torch.nn.Linear(n_x, n_h), torch.nn.ReLU(), torch.nn.Linear(n_h, 1)
        ).double()
        with torch.no_grad():
            for layer, weight, bias in ((model[0], "W1", "b1"), (model[2], "W2", "b2")):
                layer.weight.copy_(torch.from_numpy(start[weight]))
                layer.bias.copy_(torch.from_numpy(start[bias].ravel()))
        optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.0)
        loss_function = torch.nn.BCEWithLogitsLoss()
        losses = []
        for _ in range(iterations):
            optimizer.zero_grad(set_to_none=True)
            loss = loss_function(model(X_rows), labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return losses

    return run, torch.__version__


def check_same_arithmetic(X, Y, start, peers):
    """Each peer's cost after a few iterations from ``start`` equals shallownet's."""
    iterations = 5
    ours = shallownet.fit(
        X,
        Y,
        start,
        activation="relu",
        learning_rate=LEARNING_RATE,
        iterations=iterations,
        record_every=1,
    ).history
    reference = [record["cost"] for record in ours[:iterations]]  # costs before each update
    for name, costs in peers.items():
        difference = max(abs(a - b) / b for a, b in zip(costs, reference))
        status = "ok" if difference < 1e-9 else "MISMATCH"
        print(
            f"  same arithmetic as shallownet ({name}): cost relative difference {difference:.1e} {status}"
        )


def gemm_gflops(repeats):
    size = 2048
    A = np.random.default_rng(0).standard_normal((size, size))
    best = min(timed(lambda _: A @ A, 0) for _ in range(repeats))
    return 2 * size**3 / best / 1e9


def peer_table(X, Y, arguments, have_sklearn, have_torch):
    """Section 1: one network, shallownet's two methods against scikit-learn and PyTorch."""
    rows = []
    for hidden in arguments.hidden:
        start = shallownet.initialize(X.shape[0], hidden, "he", np.random.default_rng(0))
        runs = {
            "shallownet gram": shallownet_runner(X, Y, start, "gram"),
            "shallownet direct": shallownet_runner(X, Y, start, "direct"),
        }
        peers = {}
        if have_sklearn:
            runs["scikit-learn MLPClassifier"] = sklearn_runner(X, Y, hidden)
            peers["scikit-learn"] = sklearn_runner(X, Y, hidden, start)(5).loss_curve_
        if have_torch:
            torch_run, _ = torch_runner(X, Y, start, arguments.threads)
            runs["PyTorch CPU"] = torch_run
            peers["PyTorch"] = torch_run(5)
        print(f"hidden {hidden}:")
        check_same_arithmetic(X, Y, start, peers)
        seconds = {
            name: per_iteration_seconds(run, arguments.budget, arguments.repeats)
            for name, run in runs.items()
        }
        rows.append((hidden, seconds))

    print()
    print(
        "| hidden | implementation | ms / iteration | speed-up vs fastest peer | speed-up vs our direct |"
    )
    print("|---:|---|---:|---:|---:|")
    for hidden, seconds in rows:
        peer_times = [value for name, value in seconds.items() if not name.startswith("shallownet")]
        fastest_peer = min(peer_times) if peer_times else None
        for name, value in seconds.items():
            versus_peer = f"{fastest_peer / value:.1f}x" if fastest_peer else "n/a"
            versus_direct = f"{seconds['shallownet direct'] / value:.1f}x"
            print(f"| {hidden} | {name} | {1e3 * value:.3f} | {versus_peer} | {versus_direct} |")
    print()
    for hidden, seconds in rows:
        peer_times = [value for name, value in seconds.items() if not name.startswith("shallownet")]
        if not peer_times:
            continue
        ratio = min(peer_times) / seconds["shallownet direct"]
        print(
            f"Target (hidden {hidden}): direct at least as fast as the fastest peer: "
            f"{ratio:.2f}x {'met' if ratio >= 1 else 'NOT met'}"
        )
        if hidden == 7:
            ratio = min(peer_times) / seconds["shallownet gram"]
            print(
                f"Target (hidden 7): gram >= 30x faster than the fastest peer: {ratio:.1f}x {'met' if ratio >= 30 else 'NOT met'}"
            )


def planar_training_set():
    """A replicate's planar training draw, as the workflow makes it: 400 points."""
    return prepared_training_set(
        prepare_planar,
        n_train=400,
        n_dev=200,
        n_test=200,
        noise=0.2,
        data_seed=1,
        standardize="none",
        dev_split="resample",
        seeds=[0],
        dev_fraction=0.2,
        split_seed=0,
    )


def batch_runner(X, Y, starts, activation, learning_rate, method):
    def run(iterations):
        return shallownet.fit_batch(
            X,
            Y,
            starts,
            activation=activation,
            learning_rates=[learning_rate] * len(starts),
            iterations=iterations,
            method=method,
        )

    return run


def batch_table(cat, arguments):
    """Section 2: seconds per network per iteration in batches of several sizes."""
    shapes = {
        "cat (gram, relu)": (*cat, "relu", LEARNING_RATE, "gram", "he"),
        "planar (direct, tanh)": (*planar_training_set(), "tanh", 1.2, "direct", "xavier"),
    }
    sizes = arguments.batch_sizes
    print()
    print("Batches: microseconds per network per iteration (ratio to a single network)")
    print()
    print("| shape | hidden | " + " | ".join(f"batch of {size}" for size in sizes) + " |")
    print("|---|---:|" + "---:|" * len(sizes))
    verdicts = []
    for shape, (X, Y, activation, rate, method, init) in shapes.items():
        for hidden in arguments.batch_hidden:
            per_network = {}
            for size in sizes:
                starts = [
                    shallownet.initialize(X.shape[0], hidden, init, np.random.default_rng(seed))
                    for seed in range(size)
                ]
                run = batch_runner(X, Y, starts, activation, rate, method)
                per_network[size] = (
                    per_iteration_seconds(run, arguments.budget, arguments.repeats) / size
                )
            single = per_network[sizes[0]]
            cells = [
                f"{1e6 * per_network[size]:.1f} ({per_network[size] / single:.2f})"
                for size in sizes
            ]
            print(f"| {shape} | {hidden} | " + " | ".join(cells) + " |")
            worst = max(per_network[size] / single for size in sizes)
            verdicts.append(
                f"Target ({shape}, hidden {hidden}): no network costs more than alone: "
                f"worst ratio {worst:.2f} {'met' if worst <= 1 else 'NOT met'}"
            )
            if shape.startswith("planar") and hidden <= 2 and 15 in per_network:
                ratio = per_network[15] / single
                verdicts.append(
                    f"Target (planar, hidden {hidden}): a network of a batch of 15 costs <= 1/4 "
                    f"of a single one: {ratio:.2f} {'met' if ratio <= 0.25 else 'NOT met'}"
                )
    print()
    print("\n".join(verdicts))


def main():
    arguments = ARGUMENTS
    X, Y = load_cat_training_set(arguments.data_dir)
    versions = [f"numpy {np.__version__}", f"shallownet {shallownet.__version__}"]
    try:
        import sklearn

        versions.append(f"scikit-learn {sklearn.__version__}")
        have_sklearn = True
    except ImportError:
        have_sklearn = False
        print("scikit-learn not installed: skipped (pip install -e '.[workflow]')")
    try:
        import torch

        versions.append(f"torch {torch.__version__}")
        have_torch = True
    except ImportError:
        have_torch = False
        print("PyTorch not installed: skipped (optional)")

    print(
        f"Machine: {cpu_model()}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"
    )
    print(f"Load average at start: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    print(f"Threads: {arguments.threads} (OPENBLAS_NUM_THREADS / torch.set_num_threads)")
    print(f"Versions: {', '.join(versions)}; Python {platform.python_version()}")
    print(f"Data: cat training split X {X.shape} float64, ReLU, learning rate {LEARNING_RATE}")
    print(f"float64 GEMM (2048 x 2048): {gemm_gflops(arguments.repeats):.1f} GFLOP/s")
    if not arguments.skip_peers:
        peer_table(X, Y, arguments, have_sklearn, have_torch)
    if not arguments.skip_batches:
        batch_table((X, Y), arguments)
    return 0


if __name__ == "__main__":
    sys.exit(main())
