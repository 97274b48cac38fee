"""distinct_units: identical hidden units grouped by their bytes, and expanded back."""

import numpy as np

import shallownet
from shallownet.units import distinct_units


def test_identical_units_are_grouped_in_order_of_first_occurrence():
    params = shallownet.initialize(4, 6, "he", np.random.default_rng(0))
    for name in ("W1", "b1"):
        params[name][[2, 5]] = params[name][1]
    params["W2"][0, [2, 5]] = params["W2"][0, 1]
    units = distinct_units(params)
    assert units.groups.tolist() == [0, 1, 1, 2, 3, 1]
    assert units.counts.tolist() == [1, 3, 1, 1]
    assert (units.W1 == params["W1"][[0, 1, 3, 4]]).all()
    assert units.W1[units.groups].tobytes() == params["W1"].tobytes()
    assert units.b1[units.groups].tobytes() == params["b1"].tobytes()
    assert units.W2[units.groups][np.newaxis, :].tobytes() == params["W2"].tobytes()


def test_zero_initialization_is_one_unit_counted_n_h_times():
    units = distinct_units(shallownet.initialize(3, 7, "zeros", np.random.default_rng(0)))
    assert units.counts.tolist() == [7]
    assert units.groups.tolist() == [0] * 7


def test_units_differing_only_in_their_outgoing_weight_or_sign_of_zero_are_distinct():
    params = shallownet.initialize(3, 3, "zeros", np.random.default_rng(0))
    params["W2"][0, 1] = 0.5
    params["b1"][2, 0] = -0.0
    assert distinct_units(params).counts.tolist() == [1, 1, 1]


def test_a_single_unit_has_no_gap_and_identical_units_a_gap_of_zero():
    one = shallownet.initialize(3, 1, "he", np.random.default_rng(0))
    record = shallownet.fit(
        np.eye(3), np.array([[0, 1, 1]]), one, activation="tanh", learning_rate=0.1, iterations=2
    ).history[-1]
    assert np.isnan(record["unit_gap"]) and record["unit_spread"] == 0.0
    assert np.isnan(shallownet.unit_gap(one["W1"]))
    W1 = np.array([[1.0, 2.0], [1.0, 2.0], [4.0, 6.0]])
    assert shallownet.unit_gap(W1) == 0.0 and shallownet.unit_spread(W1) == 5.0
    assert shallownet.unit_gap(W1[1:]) == 5.0
