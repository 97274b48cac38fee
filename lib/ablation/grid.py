"""The ablation grid: config -> table of cells, activation labels, members, seeds.

The vocabulary of the whole workflow, defined here once:

- a *cell* (:data:`CELL_COLUMNS`) is one training job: (activation label, init, hidden size)
  on one dataset. It trains one network per *member* (:data:`MEMBER_COLUMNS`): every
  (learning rate, seed) of its dataset, in one ``shallownet.fit_batch`` call;
- a *network* (:data:`NETWORK_COLUMNS`) is one trained model, one row of ``cells.csv``;
- after each cell's learning rate is selected on the dev set
  (:func:`ablation.aggregate.select_learning_rates`), a cell has one network per seed,
  identified by :data:`SELECTED_NETWORK_COLUMNS`: what figures and claims pair on.

Leaky ReLU cells carry their slope in the label (``leaky_relu-0.01``), one label per value of
the config's ``leaky_relu_alpha`` list, so the slope is a grid axis for leaky ReLU only.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Mapping, Sequence

import numpy as np

#: The activation whose cells are multiplied by the ``leaky_relu_alpha`` axis.
LEAKY_RELU = "leaky_relu"
#: Default slope passed to activations that ignore it (matches ``shallownet``'s default).
DEFAULT_ALPHA = 0.01
#: What a training job is: cell table columns, in path order
#: (``activation~.../init~.../hidden~...``).
CELL_COLUMNS = ("activation", "init", "hidden")
#: What tells the networks of one cell apart, in member order (by learning rate, then seed).
MEMBER_COLUMNS = ("learning_rate", "seed")
#: What identifies a trained network within one dataset (one row of ``cells.csv``).
NETWORK_COLUMNS = CELL_COLUMNS + MEMBER_COLUMNS
#: What identifies a network once each cell's learning rate is selected: one per cell and seed.
SELECTED_NETWORK_COLUMNS = CELL_COLUMNS + ("seed",)


def activation_label(name: str, alpha: float | None = None) -> str:
    """Label of an activation in paths and tables: the name, plus the slope for leaky ReLU.

    >>> activation_label("leaky_relu", 0.01), activation_label("tanh")
    ('leaky_relu-0.01', 'tanh')
    """
    if name == LEAKY_RELU:
        return f"{name}-{alpha:g}"
    return name


def parse_activation_label(label: str) -> tuple[str, float | None]:
    """Inverse of :func:`activation_label`: ``(registry name, slope or None)``.

    >>> parse_activation_label("leaky_relu-0.1"), parse_activation_label("relu")
    (('leaky_relu', 0.1), ('relu', None))
    """
    prefix = f"{LEAKY_RELU}-"
    if label.startswith(prefix):
        return LEAKY_RELU, float(label[len(prefix) :])
    return label, None


def activation_labels(activations: Sequence[str], leaky_relu_alphas: Sequence[float]) -> list[str]:
    """Expand the config's activation list: leaky ReLU once per slope, the others once."""
    labels = []
    for name in activations:
        if name == LEAKY_RELU:
            labels.extend(activation_label(name, alpha) for alpha in leaky_relu_alphas)
        else:
            labels.append(activation_label(name))
    return labels


def cell_records(config: Mapping) -> list[dict]:
    """Every cell of the config's grid as a dict with keys :data:`CELL_COLUMNS`.

    Parameters
    ----------
    config : mapping
        The validated workflow config: ``grid`` (lists ``activation``, ``init``, ``hidden``)
        and ``leaky_relu_alpha`` (list of slopes). Seeds are not a cell axis: every cell
        trains all of them.

    Returns
    -------
    list of dict
        ``len(labels) * len(init) * len(hidden)`` cells in grid order.
    """
    grid = config["grid"]
    labels = activation_labels(grid["activation"], config["leaky_relu_alpha"])
    return [
        dict(zip(CELL_COLUMNS, values))
        for values in itertools.product(labels, grid["init"], grid["hidden"])
    ]


def cell_frame(config: Mapping):
    """:func:`cell_records` as a pandas DataFrame, ready for ``snakemake.utils.Paramspace``."""
    import pandas as pd  # kept out of module scope: training jobs import this module

    return pd.DataFrame(cell_records(config), columns=list(CELL_COLUMNS))


def learning_rates(setting: float | Sequence[float]) -> list[float]:
    """A dataset's ``learning_rate`` setting as a sorted list: a number is a list of one.

    The workflow normalizes the config with it once, so every consumer sees one form and the
    same rates listed in another order give the same training settings.

    >>> learning_rates(1.2), learning_rates([1.2, 0.5])
    ([1.2], [0.5, 1.2])
    """
    if isinstance(setting, (int, float)):
        return [float(setting)]
    return sorted(float(rate) for rate in setting)


def cell_members(rates: Sequence[float], seeds: Sequence[int]) -> list[tuple[float, int]]:
    """The (learning rate, seed) of each network of a cell, in member order: by learning
    rate, then seed, whatever order the lists come in.

    >>> cell_members([1.2, 0.5], [1, 0])
    [(0.5, 0), (0.5, 1), (1.2, 0), (1.2, 1)]
    """
    return list(itertools.product(sorted(rates), sorted(seeds)))


def cell_rng(dataset: str, seed: int) -> np.random.Generator:
    """The random generator for the initialization of a network with this seed.

    It depends on ``(dataset, seed)`` only, so networks that differ in activation, init,
    hidden size or learning rate but share a seed start from the same random stream and are
    comparable.
    """
    return np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(dataset.encode())]))
