"""Train one grid cell -- every network of one (activation, init, hidden) -- and describe it.

:func:`train_cell` trains the cell's members (every learning rate x seed of its dataset, in
the order of :func:`ablation.grid.cell_members`) with one ``shallownet.fit_batch`` call and
returns everything a train job writes: the deterministic ``metrics`` (the cell's settings and
provenance once, then one entry per network: outcome, final costs and accuracies, final
diagnostics), the ``history`` records of every network, the trained ``params`` and the
dev/test ``predictions`` stacked over members, and the non-deterministic ``timing`` kept
apart so that ``metrics.json`` is byte-identical across reruns (with the same software and
CPU: a different BLAS kernel may round differently).
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import shallownet
from shallownet.gram import gram_params

from ablation.grid import (
    DEFAULT_ALPHA,
    MEMBER_COLUMNS,
    cell_members,
    cell_rng,
    parse_activation_label,
)
from ablation.metrics import balanced_accuracy
from ablation.prepare import SPLITS, prepared_content_sha256
from ablation.replicates import Replicates, load_replicates

#: Columns of a cell's ``history.csv.gz``: the member, then the keys of ``shallownet.fit``'s
#: records, one row per network and record.
HISTORY_COLUMNS = (*MEMBER_COLUMNS, *shallownet.HISTORY_KEYS)
#: Final diagnostics copied from a network's last history record into its metrics.
DIAGNOSTICS = shallownet.DIAGNOSTIC_KEYS
#: Name of the final cost on each split in the metrics (``final_cost`` is the training cost).
_COST_NAMES = {"train": "final_cost", "dev": "dev_cost", "test": "test_cost"}
#: The keys :func:`evaluate` returns.
EVALUATION_KEYS = (
    *_COST_NAMES.values(),
    *(f"{split}_accuracy" for split in SPLITS),
    *(f"{split}_balanced_accuracy" for split in SPLITS),
)
#: Keys of each entry of ``metrics["networks"]``. ``linear_gap`` (identity networks only,
#: else None): the largest difference, over the test examples, between the network's logit and
#: the linear function it collapses to, W2 W1 x + W2 b1 + b2, relative to the largest logit.
NETWORK_KEYS = (
    *MEMBER_COLUMNS,
    "status",
    "iterations_run",
    "diverged_at",
    *EVALUATION_KEYS,
    *DIAGNOSTICS,
    "linear_gap",
)
#: The network's parameters: W1 (n_h, n_x), b1 (n_h, 1), W2 (1, n_h), b2 (1, 1).
PARAM_NAMES = ("W1", "b1", "W2", "b2")
#: What ``params.npz`` stacks over members, by training path: the parameters themselves
#: (direct), or the coefficients C (B, n_h, m) of W1 = W1_0 + C X^T and b1 = b1_0 + C 1 over
#: the training examples with the output unit (gram: 12288 x n_h floats per network become
#: 209 x n_h on the cat data; :func:`read_member_params` rebuilds W1 and b1 exactly).
STORED_PARAMS = {"direct": PARAM_NAMES, "gram": ("C", "W2", "b2")}
#: The splits whose output logits ``predictions.npz`` keeps, as ``<split>_logits`` (B, m):
#: every dev example of the dataset (NaN where the network's replicate does not predict it:
#: the other folds) and every test example.
PREDICTION_SPLITS = ("dev", "test")
#: The dtype of the logits ``predictions.npz`` keeps (see :func:`stored_logits`).
STORED_LOGITS = np.float32


@dataclass(frozen=True)
class CellResult:
    """What one train job writes (see the module docstring).

    ``params`` and ``predictions`` hold, besides their arrays, ``learning_rate`` (B,) and
    ``seed`` (B,): row ``i`` of every array is member ``i``.
    """

    metrics: dict
    history: list[dict]
    params: dict[str, np.ndarray]
    predictions: dict[str, np.ndarray]
    timing: dict


def train_cell(
    prepared_path: str | os.PathLike,
    *,
    dataset: str,
    activation: str,
    init: str,
    hidden: int,
    seeds: list[int],
    learning_rates: list[float],
    iterations: int,
    record_every: int,
    init_scale: float | None = None,
    precision: str = "float64",
) -> CellResult:
    """Initialize every member from its seed, train them with one ``shallownet.fit_batch``
    call, each on its replicate's data, and evaluate each on its own splits.

    Parameters
    ----------
    prepared_path : path
        The dataset's ``prepared.h5`` (:func:`ablation.replicates.load_replicates`).
    dataset : str
        Dataset name; with a seed it determines a network's initialization stream.
    activation : str
        Activation label (``tanh``, ``leaky_relu-0.01``, ...).
    init : str
        Initializer name from ``shallownet.INITIALIZERS``.
    hidden : int
        Hidden units.
    seeds, learning_rates : lists
        The cell trains one network per (learning rate, seed) pair, in the order of
        :func:`ablation.grid.cell_members`. A seed is a replicate: the same starting weights
        and the same data at every learning rate.
    iterations, record_every
        Gradient-descent iterations and history interval.
    precision : {"float64", "float32"}
        The dtype the networks train in, and of the parameters and predictions returned.
    init_scale : float, optional
        Scale for the ``small``/``large`` initializers.

    Returns
    -------
    CellResult
    """
    name, alpha = parse_activation_label(activation)
    slope = DEFAULT_ALPHA if alpha is None else alpha
    members = cell_members(learning_rates, seeds)
    replicates = load_replicates(prepared_path)
    start = time.perf_counter()
    n_x = replicates.arrays["X_train"].shape[0]
    initial = {
        seed: starting_params(
            n_x, dataset=dataset, init=init, hidden=hidden, seed=seed, init_scale=init_scale
        )
        for seed in sorted(seeds)
    }
    fits = shallownet.fit_batch(
        params=[initial[seed] for _, seed in members],
        activation=name,
        learning_rates=[rate for rate, _ in members],
        iterations=iterations,
        alpha=slope,
        record_every=record_every,
        method="auto",
        dtype=precision,
        X_eval={"test": replicates.arrays["X_test"]},
        **replicates.fit_arguments([seed for _, seed in members]),
    )
    networks, history, member_predictions = [], [], []
    for (rate, seed), fit in zip(members, fits):
        member_logits = trained_logits(fit, replicates, seed)
        member = dict(zip(MEMBER_COLUMNS, (rate, seed)))
        last_record = fit.history[-1] if fit.history else {}
        networks.append(
            {
                **member,
                "status": fit.status,
                "iterations_run": fit.iterations_run,
                "diverged_at": fit.diverged_at,
                **evaluate(member_logits, replicates.split_labels(seed)),
                **{key: last_record.get(key) for key in DIAGNOSTICS},
                "linear_gap": (
                    linear_gap(fit.params, member_logits, replicates.arrays["X_test"])
                    if name == "identity" and member_logits is not None
                    else None
                ),
            }
        )
        history += [member | record for record in fit.history]
        member_predictions.append(prediction_rows(member_logits, replicates, seed))
    train_seconds = time.perf_counter() - start

    member_arrays = {
        "learning_rate": np.array([rate for rate, _ in members], dtype=np.float64),
        "seed": np.array([seed for _, seed in members], dtype=np.int64),
    }
    method = fits[0].method
    params = {
        key: np.stack([stored_param(fit, key) for fit in fits]) for key in STORED_PARAMS[method]
    }
    predictions = {
        f"{split}_logits": np.stack([rows[split] for rows in member_predictions])
        for split in PREDICTION_SPLITS
    }
    metrics = {
        "dataset": dataset,
        "activation": activation,
        "activation_name": name,
        "alpha": alpha,
        "init": init,
        "init_scale": init_scale,
        "hidden": hidden,
        "method": method,
        "precision": precision,
        "learning_rates": sorted(learning_rates),
        "seeds": sorted(seeds),
        "iterations": iterations,
        "record_every": record_every,
        "networks": networks,
        "provenance": provenance(prepared_path),
    }
    timing = {
        "cell_train_seconds": train_seconds,
        "hostname": socket.gethostname(),
        "slurm_job_id": os.environ.get("SLURM_JOB_ID"),
    }
    return CellResult(metrics, history, params | member_arrays, predictions | member_arrays, timing)


def prediction_rows(
    logits: Mapping[str, np.ndarray] | None, replicates: Replicates, seed: int
) -> dict[str, np.ndarray]:
    """A model's rows of ``predictions.npz`` (:func:`stored_logits`): its logits on every dev
    example of the dataset (NaN on those its replicate does not predict) and on every test
    example; a row of NaN when it has none (diverged or overflowed)."""
    dev = np.full(replicates.dev_examples, np.nan, dtype=STORED_LOGITS)
    test = np.full(replicates.arrays["Y_test"].shape[1], np.nan, dtype=STORED_LOGITS)
    if logits is not None:
        dev[replicates.dev_columns(seed)] = stored_logits(logits["dev"][0])
        test[:] = stored_logits(logits["test"][0])
    return {"dev": dev, "test": test}


def stored_logits(logits: np.ndarray) -> np.ndarray:
    """Logits as ``predictions.npz`` keeps them: rounded to float32, half the bytes of
    float64, with every prediction unchanged -- a logit too small for float32 keeps its sign
    (the smallest float32 of that sign, not 0, which would predict class 0) and one too large
    stays finite (the largest float32). The accuracies computed from them are exact; the
    cross-entropies agree with float64's to float32's rounding (1e-7 relative)."""
    limits = np.finfo(STORED_LOGITS)
    rounded = np.clip(logits, -limits.max, limits.max).astype(STORED_LOGITS)
    vanished = (rounded == 0) & (logits != 0)
    rounded[vanished] = np.copysign(limits.smallest_subnormal, logits[vanished])
    return rounded


def linear_gap(params: Mapping[str, np.ndarray], logits: Mapping[str, np.ndarray], X) -> float:
    """How far an identity network's test logits are from the linear function it collapses
    to, (W2 W1) X + (W2 b1 + b2): the largest absolute difference over the examples,
    relative to the largest logit (claim 1a's exact check; rounding leaves about 1e-15)."""
    collapsed = (params["W2"] @ params["W1"]) @ X + (params["W2"] @ params["b1"] + params["b2"])
    scale = max(float(np.max(np.abs(logits["test"]))), np.finfo(float).tiny)
    return float(np.max(np.abs(logits["test"] - collapsed))) / scale


def starting_params(
    n_x: int, *, dataset: str, init: str, hidden: int, seed: int, init_scale: float | None
) -> dict[str, np.ndarray]:
    """A network's starting parameters: its initializer drawn from the stream of its dataset
    and seed (:func:`ablation.grid.cell_rng`), the same at every learning rate."""
    return shallownet.initialize(n_x, hidden, init, cell_rng(dataset, seed), scale=init_scale)


def stored_param(fit: shallownet.FitResult, name: str) -> np.ndarray:
    """One array of ``params.npz`` (:data:`STORED_PARAMS`) for a trained network."""
    return (
        fit.coefficients
        if name == "C"
        else fit.params[name] if name in ("W1", "b1") else fit.output_weights[name]
    )


def read_member_params(
    path: str | os.PathLike,
    *,
    learning_rate: float,
    seed: int,
    prepared_path: str | os.PathLike | None = None,
) -> dict[str, np.ndarray]:
    """The parameters of one network of a cell's ``params.npz``: W1 (n_h, n_x), b1, W2, b2.

    A cell trained on the gram path keeps its networks as coefficients (:data:`STORED_PARAMS`):
    W1 and b1 are rebuilt from them, the network's starting parameters (drawn again from its
    seed, with the settings of the cell's ``metrics.json`` beside ``path``) and the training
    examples of ``prepared_path`` (the dataset's ``prepared.h5``), to the bits the training
    returned (:func:`shallownet.gram.gram_params`).

    Raises
    ------
    ValueError
        The file holds no network with this learning rate and seed, or it is a gram-path
        cell and ``prepared_path`` is not given.
    """
    with np.load(path) as arrays:
        match = np.flatnonzero(
            (arrays["learning_rate"] == learning_rate) & (arrays["seed"] == seed)
        )
        if match.size != 1:
            raise ValueError(
                f"{path} holds no network with learning_rate={learning_rate} and seed={seed}; "
                f"it has learning rates {sorted(set(arrays['learning_rate'].tolist()))} and "
                f"seeds {sorted(set(arrays['seed'].tolist()))}"
            )
        stored = {name: arrays[name][match[0]] for name in arrays.files}
    if "C" not in stored:
        return {name: stored[name] for name in PARAM_NAMES}
    if prepared_path is None:
        raise ValueError(
            f"{path} keeps its networks as coefficients over the training examples (gram "
            "path); give prepared_path, the dataset's prepared.h5, to rebuild W1 and b1"
        )
    settings = json.loads((Path(path).parent / "metrics.json").read_text())
    replicates = load_replicates(prepared_path)
    X = replicates.fit_arguments([seed])["X"]
    start = starting_params(
        X.shape[-2],
        dataset=settings["dataset"],
        init=settings["init"],
        hidden=settings["hidden"],
        seed=seed,
        init_scale=settings["init_scale"],
    )
    hidden_layer = gram_params(start, stored["C"], X[0] if X.ndim == 3 else X)
    return hidden_layer | {"W2": stored["W2"], "b2": stored["b2"]}


def trained_logits(
    fit: shallownet.FitResult, replicates: Replicates, seed: int
) -> dict[str, np.ndarray] | None:
    """A trained network's output logits (1, m) on each split as the replicate of ``seed``
    sees it (what it trains on, the dev examples it predicts, the test set); None after a
    divergence, whose parameters are the last finite iterate rather than a trained model,
    and if a logit is not finite (a run that overflowed: its predictions mean nothing)."""
    if fit.logits is None:
        return None
    logits = replicates.split_logits(seed, fit.logits)
    if not all(np.isfinite(values).all() for values in logits.values()):
        return None
    return logits


def evaluate(logits: Mapping[str, np.ndarray] | None, labels: Mapping[str, np.ndarray]) -> dict:
    """Cost, accuracy and balanced accuracy on each split from its logits
    (:func:`trained_logits`) and labels (:meth:`ablation.replicates.Replicates.split_labels`);
    every value None when there are no logits.

    Returns
    -------
    dict
        :data:`EVALUATION_KEYS`: ``final_cost`` (training cost), ``dev_cost``, ``test_cost``,
        ``{train,dev,test}_accuracy`` (see :func:`score`) and
        ``{train,dev,test}_balanced_accuracy`` (:func:`ablation.metrics.balanced_accuracy`).
    """
    results = dict.fromkeys(EVALUATION_KEYS)
    if logits is None:
        return results
    for split, cost_name in _COST_NAMES.items():
        Y = labels[split]
        results[cost_name], results[f"{split}_accuracy"] = score(logits[split], Y)
        results[f"{split}_balanced_accuracy"] = float(balanced_accuracy(logits[split][0] > 0, Y))
    return results


def score(logits: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
    """Cross-entropy cost and accuracy of logits (1, m) against labels Y (1, m).

    Predictions follow ``shallownet.predict`` (positive logit -> class 1).
    """
    return shallownet.cost_from_logits(logits, Y), shallownet.accuracy(
        (logits > 0).astype(Y.dtype), Y
    )


def provenance(prepared_path: str | os.PathLike) -> dict:
    """Versions of the software that trained a model and the SHA-256 of its data.

    ``data_sha256`` is the content digest that the prepare job recorded in the file (see
    :func:`ablation.prepare.content_sha256`).
    """
    return {
        "python": "{}.{}.{}".format(*sys.version_info[:3]),
        "numpy": np.__version__,
        "h5py": h5py.__version__,
        "shallownet": shallownet.__version__,
        "data_sha256": prepared_content_sha256(prepared_path),
    }
