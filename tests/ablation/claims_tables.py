"""Hand-built results of one dataset, in the workflow's formats, for the claims tests.

:func:`make_results` builds ``cells.csv``, ``history.csv.gz``, ``summary/predictions.npz``,
the baseline's predictions and ``best.json`` of a small grid, every value a constant or a
function of the network (keyword arguments ``activation, init, hidden, learning_rate, seed``;
history values also get ``iteration``), and returns the
:class:`ablation.claims.DatasetResults` the checks take.

Test predictions are made from a *skill* per network: the test set has
:data:`PER_CLASS` examples of each class, each with a difficulty evenly spread in (0, 1), and
a network is right on the examples easier than its skill. Its balanced accuracy (and
accuracy) is then its skill rounded to 1 / PER_CLASS, and two networks of different skill
disagree only on the examples between them: a difference that is the same on every seed has
no seed noise, and the example noise of a consistent difference is small.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from shallownet import STATUS_DIVERGED, STATUS_OK

from ablation.claims import DatasetResults
from ablation.grid import NETWORK_COLUMNS, parse_activation_label
from ablation.metrics import class_mix
from ablation.selection import best_configuration, choose, selected_networks
from ablation.statistics import family_confidence

PER_CLASS = 100
LABELS = np.repeat([0, 1], PER_CLASS)
DIFFICULTY = np.tile((np.arange(PER_CLASS) + 0.5) / PER_CLASS, 2)
SEEDS = (0, 1, 2, 3, 4)
BUDGET = 2500
RECORD_EVERY = 100
_SCORES = ("accuracy", "balanced_accuracy")
#: The level of a table of about 30 decisive intervals, as in the default run.
CONFIDENCE = family_confidence(30)


def logits_of(skill: float) -> np.ndarray:
    """Test logits of a network right exactly on the examples easier than ``skill``; NaN
    (a diverged network) for a NaN skill."""
    if math.isnan(skill):
        return np.full(LABELS.size, np.nan)
    sign = 2 * LABELS - 1
    return np.where(DIFFICULTY < skill, sign, -sign).astype(float)


def by_seed(values):
    """A value that depends on the seed only: ``values[seed % len(values)]``."""
    return lambda seed, **_: values[seed % len(values)]


def _value(value, **network):
    return value(**network) if callable(value) else value


def make_results(
    activations=("tanh",),
    inits=("small",),
    hidden=(2,),
    seeds=SEEDS,
    learning_rates=(1.0,),
    *,
    skill=0.7,
    dev=None,
    train_accuracy=0.8,
    reach=500,
    saturation=0.1,
    grad_norm_W1=1.0,
    unit_spread=1.0,
    unit_gap=0.5,
    linear_gap=1e-15,
    baseline_skill=0.7,
    baseline_beats_constant=True,
    train_positives=0.5,
    best=None,
    planar=False,
    metric="balanced_accuracy",
    precision="float64",
) -> DatasetResults:
    """A dataset's results over the grid (see the module docstring).

    ``skill`` gives each network's test predictions (NaN: diverged); ``dev`` its dev
    predictions, the same way (default: its skill); ``reach`` the iteration at which its
    training cost falls to 0.1 (None: never; it is 0.69 before); ``saturation``,
    ``grad_norm_W1``, ``unit_spread`` are history values (also of ``iteration``);
    ``unit_gap`` the final smallest distance between units, ``linear_gap`` that of an
    identity network from its linear function. ``baseline_skill`` makes the logistic
    regression's predictions (every replicate's). ``best`` overrides best.json's
    configuration (default: the one chosen on dev).
    """
    networks = [
        dict(zip(NETWORK_COLUMNS, values))
        for values in itertools.product(activations, inits, hidden, learning_rates, seeds)
    ]
    rows, history, logits, dev_logits = [], [], [], []
    for network in networks:
        test_skill = _value(skill, **network)
        diverged = math.isnan(test_skill)
        dev_value = test_skill if dev is None else _value(dev, **network)
        name, alpha = parse_activation_label(network["activation"])
        scores = {
            # Every score of ablation.cell.EVALUATION_KEYS: claim 7b reads a network's own dev.
            **{f"{split}_{score}": dev_value for split in ("train", "dev") for score in _SCORES},
            **{f"test_{score}": test_skill for score in _SCORES},
            "train_accuracy": _value(train_accuracy, **network),
            "final_cost": 0.3,
            "dev_cost": 1 - dev_value,
            "test_cost": 1 - test_skill,
        }
        rows.append(
            {
                "dataset": "toy",
                **network,
                "alpha": alpha,
                "status": STATUS_DIVERGED if diverged else STATUS_OK,
                **scores,
                "unit_gap": math.nan if network["hidden"] < 2 else _value(unit_gap, **network),
                "linear_gap": (
                    _value(linear_gap, **network)
                    if name == "identity" and not diverged
                    else math.nan
                ),
            }
        )
        logits.append(logits_of(test_skill))
        dev_logits.append(logits_of(math.nan if diverged else dev_value))
        reached = _value(reach, **network)
        for iteration in range(0, BUDGET + 1, RECORD_EVERY):
            record = {**network, "iteration": iteration}
            record["cost"] = 0.1 if reached is not None and iteration >= reached else 0.69
            for name, value in (
                ("saturation", saturation),
                ("grad_norm_W1", grad_norm_W1),
                ("unit_spread", unit_spread),
            ):
                record[name] = _value(value, **record)
            history.append(record)
    cells = pd.DataFrame(rows)
    configurations = choose(cells, np.array(dev_logits), LABELS, metric)
    cells = cells.assign(selected=selected_networks(cells, configurations))
    positives = round(train_positives * 100)
    mix = class_mix(np.repeat([1, 0], [positives, 100 - positives]))
    mixes = {"train": mix, "dev": class_mix(LABELS), "test": class_mix(LABELS)}
    if configurations["rank"].notna().any():
        chosen = best_configuration(
            configurations, dataset="toy", metric=metric, dev_examples=LABELS.size, class_mix=mixes
        )
    else:  # every configuration diverged somewhere: a test gives best.json's choice itself
        chosen = {"selection_metric": metric, "majority": mixes, "indistinguishable": []}
    selected = cells["selected"].to_numpy()
    return DatasetResults(
        name="toy",
        cells=cells,
        configurations=configurations,
        history=pd.DataFrame(history),
        prediction_keys=cells.loc[selected, list(NETWORK_COLUMNS)].reset_index(drop=True),
        predictions={"test_logits": np.array(logits)[selected], "test_labels": LABELS},
        baseline={
            "C": 0.5,
            "replicates": {
                str(seed): {
                    "training_cost": 0.4 if baseline_beats_constant else 0.8,
                    "constant_predictor_cost": 0.69,
                    "beats_constant_predictor": baseline_beats_constant,
                }
                for seed in seeds
            },
        },
        baseline_predictions={
            "test_logits": np.array([logits_of(baseline_skill)] * len(seeds)),
            "seed": np.array(seeds),
        },
        best=chosen | (best or {}),
        planar=planar,
        precision=precision,
    )
