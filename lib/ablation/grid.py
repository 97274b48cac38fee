"""The ablation grid: config -> table of cells, activation labels, and cell seeds.

A *cell* is one training run: (activation label, init, hidden size, seed) on one dataset.
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
#: Cell table columns, in path order (``activation~.../init~.../hidden~.../seed~...``).
CELL_COLUMNS = ("activation", "init", "hidden", "seed")


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
        The validated workflow config: ``grid`` (lists ``activation``, ``init``, ``hidden``,
        ``seed``) and ``leaky_relu_alpha`` (list of slopes).

    Returns
    -------
    list of dict
        ``len(labels) * len(init) * len(hidden) * len(seed)`` cells in grid order.
    """
    grid = config["grid"]
    labels = activation_labels(grid["activation"], config["leaky_relu_alpha"])
    return [
        dict(zip(CELL_COLUMNS, values))
        for values in itertools.product(labels, grid["init"], grid["hidden"], grid["seed"])
    ]


def cell_frame(config: Mapping):
    """:func:`cell_records` as a pandas DataFrame, ready for ``snakemake.utils.Paramspace``."""
    import pandas as pd  # kept out of module scope: training jobs import this module

    return pd.DataFrame(cell_records(config), columns=list(CELL_COLUMNS))


def cell_rng(dataset: str, seed: int) -> np.random.Generator:
    """The random generator for a cell's initialization.

    It depends on ``(dataset, seed)`` only, so cells that differ in activation, init or
    hidden size but share a seed start from the same random stream and are comparable.
    """
    return np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(dataset.encode())]))
