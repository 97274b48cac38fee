"""The grid: activation labels, the cell table, Paramspace paths, members, seeds."""

import numpy as np
import pytest
from snakemake.utils import Paramspace

from ablation.grid import (
    CELL_COLUMNS,
    MEMBER_COLUMNS,
    NETWORK_COLUMNS,
    SELECTED_NETWORK_COLUMNS,
    activation_label,
    activation_labels,
    cell_frame,
    cell_members,
    cell_records,
    cell_rng,
    learning_rates,
    parse_activation_label,
)


def grid_config(activation, alphas=(0.01,), init=("zeros", "he"), hidden=(1, 3), seed=(0, 1)):
    return {
        "grid": {
            "activation": list(activation),
            "init": list(init),
            "hidden": list(hidden),
            "seed": list(seed),
        },
        "leaky_relu_alpha": list(alphas),
    }


@pytest.mark.parametrize("alpha", [0.01, 0.1, 0.3, 1e-05, 0.25])
def test_leaky_relu_label_carries_the_slope_and_parses_back(alpha):
    label = activation_label("leaky_relu", alpha)
    assert label == f"leaky_relu-{alpha:g}"
    assert parse_activation_label(label) == ("leaky_relu", alpha)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_other_activations_are_labelled_by_name_without_slope(name):
    assert activation_label(name, 0.3) == name
    assert parse_activation_label(name) == (name, None)


def test_only_leaky_relu_is_multiplied_by_the_slope_axis():
    labels = activation_labels(["tanh", "leaky_relu", "relu"], [0.01, 0.1, 0.3])
    assert labels == ["tanh", "leaky_relu-0.01", "leaky_relu-0.1", "leaky_relu-0.3", "relu"]


def test_cell_records_are_the_cartesian_product_over_labels():
    config = grid_config(["tanh", "leaky_relu"], alphas=[0.01, 0.2], hidden=[1, 3, 5])
    cells = cell_records(config)
    # (tanh + two leaky slopes) x 2 inits x 3 hidden; seeds are members, not cells
    assert len(cells) == 3 * 2 * 3
    assert all(tuple(cell) == CELL_COLUMNS for cell in cells)
    assert len({tuple(cell.values()) for cell in cells}) == len(cells)
    assert {cell["activation"] for cell in cells} == {"tanh", "leaky_relu-0.01", "leaky_relu-0.2"}


def test_paramspace_paths_follow_the_contract_layout():
    space = Paramspace(cell_frame(grid_config(["leaky_relu"], hidden=[2], seed=[0, 1])))
    assert space.wildcard_pattern == "activation~{activation}/init~{init}/hidden~{hidden}"
    assert sorted(space.instance_patterns) == [
        "activation~leaky_relu-0.01/init~he/hidden~2",
        "activation~leaky_relu-0.01/init~zeros/hidden~2",
    ]


def test_the_key_tuples_compose():
    assert CELL_COLUMNS == ("activation", "init", "hidden")
    assert NETWORK_COLUMNS == CELL_COLUMNS + MEMBER_COLUMNS
    assert set(SELECTED_NETWORK_COLUMNS) == set(NETWORK_COLUMNS) - {"learning_rate"}


def test_a_scalar_learning_rate_is_a_list_of_one_and_lists_are_sorted():
    assert learning_rates(0.5) == learning_rates([0.5]) == [0.5]
    assert learning_rates(10) == [10.0] and isinstance(learning_rates(10)[0], float)
    assert learning_rates([1.2, 0.05, 0.5]) == [0.05, 0.5, 1.2]


def test_members_are_ordered_by_learning_rate_then_seed_whatever_the_input_order():
    members = cell_members([1.2, 0.5], [2, 0])
    assert members == [(0.5, 0), (0.5, 2), (1.2, 0), (1.2, 2)]
    assert cell_members([0.5, 1.2], [0, 2]) == members


def test_cell_seed_depends_on_dataset_and_seed_only():
    draw = lambda dataset, seed: cell_rng(dataset, seed).standard_normal(5)  # noqa: E731
    np.testing.assert_array_equal(draw("cat", 1), draw("cat", 1))
    assert not np.array_equal(draw("cat", 1), draw("cat", 2))
    assert not np.array_equal(draw("cat", 1), draw("planar", 1))
