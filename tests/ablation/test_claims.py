"""Verdict logic of the claims table (issue 7), on hand-built tables.

Every claim gets one table per verdict, built so that the verdict follows from the
threshold stated in :mod:`ablation.claims`; the helpers (intervals, censoring, pairing) are
checked on their own first.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from shallownet import STATUS_OK

from ablation import claims
from ablation.claims import CONTRADICTED, INCONCLUSIVE, SUPPORTED
from ablation.grid import NETWORK_COLUMNS, parse_activation_label

BUDGET = 2500
RECORD_EVERY = 100
LEARNING_RATE = 1.2


# --------------------------------------------------------------------------- builders


def make_cells(
    activations=("tanh",),
    inits=("small",),
    hidden=(1, 2, 3),
    seeds=(0, 1, 2),
    learning_rate=LEARNING_RATE,
    **metrics,
) -> pd.DataFrame:
    """A cells.csv-like table over the grid at one learning rate; each metric is a constant
    or a function of the cell.

    Unspecified metrics get plausible constants: every cell trained, 70 % accuracy, distinct
    units.
    """
    defaults = dict(
        status=STATUS_OK,
        dev_accuracy=0.7,
        test_accuracy=0.7,
        train_accuracy=0.8,
        final_cost=0.3,
        # Scores the learning-rate selection averages (ablation.aggregate.configuration_means).
        dev_cost=0.5,
        test_cost=0.5,
        train_balanced_accuracy=0.8,
        dev_balanced_accuracy=0.7,
        test_balanced_accuracy=0.7,
        unit_spread=1.0,
        saturation=0.1,
        grad_norm_W1=1.0,
    )
    defaults.update(metrics)
    rows = []
    for activation, init, size, seed in itertools.product(activations, inits, hidden, seeds):
        cell = dict(
            activation=activation, init=init, hidden=size, learning_rate=learning_rate, seed=seed
        )
        cell["alpha"] = parse_activation_label(activation)[1]
        for name, value in defaults.items():
            cell[name] = value(**cell) if callable(value) else value
        rows.append(cell)
    return pd.DataFrame(rows)


def make_history(cells: pd.DataFrame, reach_at, **constants) -> pd.DataFrame:
    """A history.csv-like table: cost 0.69 until ``reach_at(cell)`` (None: never), then 0.1.

    ``constants`` (``saturation``, ``grad_norm_W1``, ``unit_spread``) are constants or
    functions of the cell (and ``iteration``), as in :func:`make_cells`.
    """
    diagnostics = dict(saturation=0.1, grad_norm_W1=1.0, unit_spread=1.0) | constants
    rows = []
    for cell in cells[list(NETWORK_COLUMNS)].to_dict("records"):
        reached = reach_at(**cell)
        for iteration in range(0, BUDGET + 1, RECORD_EVERY):
            row = dict(cell, iteration=iteration)
            row["cost"] = 0.1 if reached is not None and iteration >= reached else 0.69
            for name, value in diagnostics.items():
                row[name] = value(**row) if callable(value) else value
            rows.append(row)
    return pd.DataFrame(rows)


def alternating(low, high):
    """A metric that alternates between two values over cells: wide noise around the middle."""
    return lambda hidden, seed, **_: low if (hidden + seed) % 2 else high


# --------------------------------------------------------------------------- helpers


def test_bootstrap_mean_is_reproducible_and_brackets_the_mean():
    values = [0.1, 0.3, 0.2, 0.5, 0.4]
    first, second = claims.bootstrap_mean(values), claims.bootstrap_mean(values)
    assert first == second
    assert first.estimate == pytest.approx(0.3)
    assert first.low < first.estimate < first.high
    assert first.n == 5


def test_bootstrap_mean_of_constant_values_is_a_point():
    interval = claims.bootstrap_mean([0.2, 0.2, 0.2, math.nan])
    assert (interval.low, interval.high, interval.n) == (pytest.approx(0.2), pytest.approx(0.2), 3)


def test_wilson_interval_stays_inside_zero_one_and_is_not_degenerate():
    all_hits = claims.wilson_interval(10, 10)
    assert all_hits.high == 1.0 and 0.6 < all_hits.low < 0.8
    no_hits = claims.wilson_interval(0, 10)
    assert no_hits.low == 0.0 and 0.2 < no_hits.high < 0.4


def test_iterations_to_threshold_censors_cells_that_never_reach_it():
    cells = make_cells(activations=("tanh", "sigmoid"), hidden=(2,), seeds=(0,))
    history = make_history(cells, lambda activation, **_: 300 if activation == "tanh" else None)
    times = claims.iterations_to_threshold(history).set_index("activation")
    assert times.loc["tanh", "iterations"] == 300 and times.loc["tanh", "reached"]
    assert times.loc["sigmoid", "iterations"] == BUDGET and not times.loc["sigmoid", "reached"]


def test_paired_speedup_drops_pairs_where_neither_cell_reached_the_threshold():
    cells = make_cells(activations=("tanh", "sigmoid"), hidden=(2, 3), seeds=(0,))
    history = make_history(cells, lambda activation, hidden, **_: 300 if hidden == 2 else None)
    pairs, dropped = claims.paired_speedup(history, "activation", "tanh", "sigmoid")
    assert dropped == 1 and len(pairs) == 1


def test_paired_differences_pair_only_cells_equal_in_every_other_key():
    cells = make_cells(activations=("tanh", "sigmoid"), hidden=(2,), seeds=(0, 1))
    cells.loc[cells["activation"] == "tanh", "dev_accuracy"] = [0.8, 0.9]
    cells = cells.drop(index=cells.index[(cells["activation"] == "sigmoid") & (cells["seed"] == 1)])
    pairs = claims.paired_differences(cells, "activation", "tanh", "sigmoid", "dev_accuracy")
    assert pairs["difference"].tolist() == [pytest.approx(0.1)]


def test_rule_needs_enough_pairs():
    rule = claims.Rule("greater", 0.0, 0.03, "accuracy")
    assert rule.decide(claims.Interval(0.5, 0.4, 0.6, 2)) == INCONCLUSIVE
    assert rule.decide(claims.Interval(0.5, 0.4, 0.6, 3)) == SUPPORTED


# --------------------------------------------------------------------------- claim 1a

BASELINE = {"dev_accuracy": 0.70}


@pytest.mark.parametrize(
    ("identity_dev", "verdict"),
    [
        (lambda hidden, seed, **_: 0.70 + 0.005 * (seed - 1), SUPPORTED),  # within ±3 pp
        (0.50, CONTRADICTED),  # 20 pp below logistic regression
        (alternating(0.55, 0.85), INCONCLUSIVE),  # mean equal, interval wider than ±3 pp
    ],
)
def test_claim_1a_identity_matches_logistic_regression(identity_dev, verdict):
    cells = make_cells(activations=("identity",), inits=("small", "he"), dev_accuracy=identity_dev)
    result = claims.claim_linear_matches_logistic(cells, BASELINE)
    assert result.verdict == verdict
    assert result.n_cells == 18


def test_claim_1a_ignores_zero_init_which_does_not_train_the_identity_network():
    cells = make_cells(
        activations=("identity",),
        inits=("zeros", "small"),
        dev_accuracy=lambda init, **_: 0.4 if init == "zeros" else 0.7,
    )
    assert claims.claim_linear_matches_logistic(cells, BASELINE).verdict == SUPPORTED


# --------------------------------------------------------------------------- claim 1b


@pytest.mark.parametrize(
    ("identity_dev", "verdict"),
    [
        (0.50, SUPPORTED),  # 40 pp below the best non-linear network
        (0.88, CONTRADICTED),  # only 2 pp below
        (alternating(0.75, 0.92), INCONCLUSIVE),  # interval straddles -10 pp
    ],
)
def test_claim_1b_identity_far_below_best_nonlinear(identity_dev, verdict):
    cells = make_cells(
        activations=("identity", "tanh", "relu"),
        dev_accuracy=lambda activation, **cell: (
            (identity_dev(**cell) if callable(identity_dev) else identity_dev)
            if activation == "identity"
            else (0.9 if activation == "tanh" else 0.8)
        ),
    )
    assert claims.claim_linear_far_below_nonlinear(cells).verdict == verdict


# --------------------------------------------------------------------------- claim 2a


def _zero_init_history(hidden, unit_spread):
    cells = make_cells(activations=("sigmoid", "tanh"), inits=("zeros",), hidden=hidden)
    return make_history(cells, lambda **_: 500, unit_spread=unit_spread)


def test_claim_2a_supported_when_every_record_has_zero_spread():
    result = claims.claim_zero_init_symmetric(_zero_init_history((1, 2, 4), 0.0))
    assert result.verdict == SUPPORTED
    assert "exactly 0" in result.evidence and result.n_cells == 12


def test_claim_2a_contradicted_when_one_record_breaks_symmetry():
    def spread(activation, hidden, seed, iteration, **_):
        return 1e-3 if (activation, hidden, seed, iteration) == ("sigmoid", 4, 2, 1200) else 0.0

    result = claims.claim_zero_init_symmetric(_zero_init_history((1, 2, 4), spread))
    assert result.verdict == CONTRADICTED
    assert "activation~sigmoid/init~zeros/hidden~4/seed~2" in result.evidence


def test_claim_2a_inconclusive_without_zero_init_cells_of_two_units():
    result = claims.claim_zero_init_symmetric(_zero_init_history((1,), 0.0))
    assert result.verdict == INCONCLUSIVE and result.n_cells == 0
    assert result.evidence.startswith("No verdict: the grid has no zero-init cells")


# --------------------------------------------------------------------------- claim 2b


@pytest.mark.parametrize(
    ("dev_accuracy", "verdict"),
    [
        (0.65, SUPPORTED),  # identical units: the same accuracy at every size
        (lambda hidden, **_: 0.6 if hidden == 1 else 0.75, CONTRADICTED),  # +15 pp
        (
            lambda hidden, seed, **_: 0.65 if hidden == 1 else alternating(0.5, 0.8)(hidden, seed),
            INCONCLUSIVE,
        ),
    ],
)
def test_claim_2b_extra_units_useless_under_zero_init(dev_accuracy, verdict):
    cells = make_cells(
        activations=("sigmoid", "tanh"),
        inits=("zeros",),
        hidden=(1, 2, 4),
        dev_accuracy=dev_accuracy,
    )
    assert claims.claim_zero_init_extra_units_useless(cells).verdict == verdict


def test_claim_2b_a_loss_from_extra_units_does_not_contradict_no_gain():
    cells = make_cells(
        activations=("sigmoid",),
        inits=("zeros",),
        hidden=(1, 2, 4),
        dev_accuracy=lambda hidden, **_: 0.65 if hidden == 1 else 0.55,
    )
    assert claims.claim_zero_init_extra_units_useless(cells).verdict == SUPPORTED


# --------------------------------------------------------------------------- claim 3


def test_claim_3_supported_when_every_random_init_cell_has_distinct_units():
    cells = make_cells(
        inits=("small", "he", "zeros"),
        unit_spread=lambda init, **_: 0.0 if init == "zeros" else 0.5,
    )
    result = claims.claim_random_init_breaks_symmetry(cells)
    assert result.verdict == SUPPORTED and result.n_cells == 12  # hidden 2 and 3, 2 inits, 3 seeds


def test_claim_3_contradicted_by_a_single_cell_with_identical_units():
    cells = make_cells(
        unit_spread=lambda hidden, seed, **_: 0.0 if (hidden, seed) == (3, 1) else 0.5
    )
    result = claims.claim_random_init_breaks_symmetry(cells)
    assert result.verdict == CONTRADICTED
    assert "5 of 6" in result.evidence and "hidden~3/seed~1" in result.evidence


def test_claim_3_inconclusive_without_random_init_cells_of_two_units():
    cells = make_cells(inits=("small",), hidden=(1,))
    assert claims.claim_random_init_breaks_symmetry(cells).verdict == INCONCLUSIVE


# --------------------------------------------------------------------------- claim 4a/4b


def _saturation_history(activation, large_saturation, large_reaches):
    cells = make_cells(activations=(activation,), inits=("small", "large"))
    return make_history(
        cells,
        lambda init, **_: 500 if init == "small" else large_reaches,
        saturation=lambda init, **_: 0.02 if init == "small" else large_saturation,
    )


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_claim_4_saturating_activation_supported(activation):
    history = _saturation_history(activation, large_saturation=0.9, large_reaches=2000)
    result = claims.claim_saturation_slows(history, activation, "4x")
    assert result.verdict == SUPPORTED
    assert result.estimate == pytest.approx(1500)


def test_claim_4_contradicted_when_large_init_does_not_saturate():
    history = _saturation_history("sigmoid", large_saturation=0.02, large_reaches=2000)
    assert claims.claim_saturation_slows(history, "sigmoid", "4a").verdict == CONTRADICTED


def test_claim_4_contradicted_when_large_init_learns_faster():
    history = _saturation_history("tanh", large_saturation=0.9, large_reaches=100)
    assert claims.claim_saturation_slows(history, "tanh", "4b").verdict == CONTRADICTED


def test_claim_4_inconclusive_when_no_cell_reaches_the_cost_threshold():
    cells = make_cells(activations=("sigmoid",), inits=("small", "large"))
    history = make_history(
        cells, lambda **_: None, saturation=lambda init, **_: 0.9 if init == "large" else 0.0
    )
    result = claims.claim_saturation_slows(history, "sigmoid", "4a")
    assert result.verdict == INCONCLUSIVE
    assert "no informative pair" in result.evidence


# --------------------------------------------------------------------------- claim 4c


@pytest.mark.parametrize(
    ("large_saturation", "verdict"),
    [
        (0.5, SUPPORTED),  # same sign pattern at any scale: no change
        (0.9, CONTRADICTED),  # +40 pp saturated
        (lambda hidden, seed, **_: alternating(0.4, 0.65)(hidden, seed), INCONCLUSIVE),
    ],
)
def test_claim_4c_relu_family_does_not_saturate(large_saturation, verdict):
    cells = make_cells(activations=("relu", "leaky_relu-0.01"), inits=("small", "large"))
    history = make_history(
        cells,
        lambda **_: 500,
        saturation=lambda init, **cell: (
            0.5
            if init == "small"
            else (large_saturation(**cell) if callable(large_saturation) else large_saturation)
        ),
    )
    assert claims.claim_relu_does_not_saturate(history).verdict == verdict


# --------------------------------------------------------------------------- claim 5a


@pytest.mark.parametrize(
    ("tanh_dev", "verdict"),
    [
        (0.78, SUPPORTED),  # +8 pp in every pair
        (0.70, CONTRADICTED),  # no advantage at all: below the 3 pp that would matter
        (alternating(0.6, 0.85), INCONCLUSIVE),  # interval holds both 0 and +3 pp
    ],
)
def test_claim_5a_tanh_more_accurate_than_sigmoid(tanh_dev, verdict):
    cells = make_cells(
        activations=("tanh", "sigmoid"),
        inits=("small", "xavier", "zeros"),
        dev_accuracy=lambda activation, **cell: (
            (tanh_dev(**cell) if callable(tanh_dev) else tanh_dev) if activation == "tanh" else 0.70
        ),
    )
    result = claims.claim_tanh_more_accurate(cells)
    assert result.verdict == verdict
    assert result.n_cells == 36  # zero init left out


# --------------------------------------------------------------------------- claim 5b and 6b


def _speed_history(faster, slower, faster_reaches):
    cells = make_cells(activations=(faster, slower), inits=("small", "he"))
    return make_history(
        cells, lambda activation, **cell: faster_reaches(**cell) if activation == faster else 1000
    )


SPEED_CASES = [
    (lambda **_: 300, SUPPORTED),  # 700 iterations sooner in every pair
    (lambda **_: 1500, CONTRADICTED),  # 500 iterations later
    (lambda hidden, seed, **_: alternating(0, 2000)(hidden, seed), INCONCLUSIVE),
]


@pytest.mark.parametrize(("tanh_reaches", "verdict"), SPEED_CASES)
def test_claim_5b_tanh_faster_than_sigmoid(tanh_reaches, verdict):
    history = _speed_history("tanh", "sigmoid", tanh_reaches)
    assert claims.claim_tanh_faster(history).verdict == verdict


@pytest.mark.parametrize(("relu_reaches", "verdict"), SPEED_CASES)
def test_claim_6b_relu_faster_than_tanh(relu_reaches, verdict):
    history = _speed_history("relu", "tanh", relu_reaches)
    assert claims.claim_relu_fast(history).verdict == verdict


def test_speed_claim_counts_a_censored_cell_at_the_budget():
    history = _speed_history("tanh", "sigmoid", lambda **_: 300)
    history.loc[history["activation"] == "sigmoid", "cost"] = 0.69  # sigmoid never gets there
    result = claims.claim_tanh_faster(history)
    assert result.estimate == pytest.approx(BUDGET - 300)
    assert "lower bound" in result.evidence


# --------------------------------------------------------------------------- claim 6a


def _relu_cells(relu_dev):
    return make_cells(
        activations=("relu", "tanh", "sigmoid"),
        inits=("small", "he"),
        hidden=(2, 4),
        dev_accuracy=lambda activation, **cell: relu_dev(**cell) if activation == "relu" else 0.8,
    )


def test_claim_6a_supported_when_relu_is_always_near_the_best():
    result = claims.claim_relu_near_best(_relu_cells(lambda **_: 0.79))
    assert result.verdict == SUPPORTED and result.estimate == 1.0


def test_claim_6a_contradicted_when_relu_is_always_far_behind():
    assert claims.claim_relu_near_best(_relu_cells(lambda **_: 0.6)).verdict == CONTRADICTED


def test_claim_6a_inconclusive_when_relu_is_near_the_best_in_half_the_settings():
    result = claims.claim_relu_near_best(
        _relu_cells(lambda hidden, **_: 0.8 if hidden == 2 else 0.6)
    )
    assert result.verdict == INCONCLUSIVE and result.estimate == 0.5


# --------------------------------------------------------------------------- claim 7

HIDDEN = (1, 2, 3, 5, 10)


def test_claim_7_supported_by_a_rise_then_a_plateau():
    cells = make_cells(
        activations=("tanh", "relu"),
        hidden=HIDDEN,
        dev_accuracy=lambda hidden, **_: 0.67 if hidden <= 2 else 0.9,
    )
    result = claims.claim_hidden_size_plateau(cells)
    assert result.verdict == SUPPORTED
    assert "h* = 3" in result.evidence and result.estimate == pytest.approx(0.23)


def test_claim_7_contradicted_when_accuracy_does_not_rise():
    cells = make_cells(activations=("tanh", "relu"), hidden=HIDDEN, dev_accuracy=0.8)
    assert claims.claim_hidden_size_plateau(cells).verdict == CONTRADICTED


def test_claim_7_inconclusive_while_still_rising_at_the_largest_size():
    cells = make_cells(
        activations=("tanh", "relu"),
        hidden=HIDDEN,
        dev_accuracy=lambda hidden, **_: 0.5 + 0.04 * hidden,
    )
    result = claims.claim_hidden_size_plateau(cells)
    assert result.verdict == INCONCLUSIVE and "h* is the largest size" in result.evidence


def test_claim_7_quotes_the_course_numbers_on_planar_data():
    cells = make_cells(
        hidden=HIDDEN, train_accuracy=lambda hidden, **_: 0.675 if hidden <= 2 else 0.905
    )
    evidence = claims.claim_hidden_size_plateau(cells, planar=True).evidence
    assert "1-2 units 67.5 %" in evidence and ">= 3 units 90.5 %" in evidence


# --------------------------------------------------------------------------- claim 8


def _selection_cells(seeds, test_of_dev_winner):
    """Config tanh/small/2 wins on dev; its test accuracy is given, the others' is 0.80."""
    return make_cells(
        activations=("tanh", "relu"),
        hidden=(2, 4),
        seeds=seeds,
        dev_accuracy=lambda activation, hidden, **_: (
            0.9 if (activation, hidden) == ("tanh", 2) else 0.7
        ),
        test_accuracy=lambda activation, hidden, **_: (
            test_of_dev_winner if (activation, hidden) == ("tanh", 2) else 0.80
        ),
    )


def test_claim_8_supported_when_the_dev_winner_is_the_test_winner():
    result = claims.claim_dev_selection(_selection_cells((0, 1, 2), 0.85))
    assert result.verdict == SUPPORTED and result.estimate == 0.0
    assert "dev-selected tanh/small/2" in result.evidence


def test_claim_8_contradicted_when_the_dev_winner_is_far_worse_on_test():
    result = claims.claim_dev_selection(_selection_cells((0, 1, 2), 0.60))
    assert result.verdict == CONTRADICTED and result.estimate == pytest.approx(0.2)


def test_claim_8_inconclusive_with_fewer_than_three_seeds():
    result = claims.claim_dev_selection(_selection_cells((0, 1), 0.85))
    assert result.verdict == INCONCLUSIVE and "fewer than 3" in result.evidence


def test_claim_8_breaks_dev_ties_by_lower_final_cost():
    cells = _selection_cells((0, 1, 2), 0.60)
    cells.loc[
        (cells["activation"] == "relu") & (cells["hidden"] == 4), ["dev_accuracy", "final_cost"]
    ] = [0.9, 0.1]
    assert "dev-selected relu/small/4" in claims.claim_dev_selection(cells).evidence


# --------------------------------------------------------------------------- claim 9


def _leaky_cells(slopes, dev_of, test_of):
    return make_cells(
        activations=[f"leaky_relu-{alpha:g}" for alpha in slopes] + ["tanh"],
        inits=("small", "he"),
        dev_accuracy=lambda activation, **_: dev_of(activation),
        test_accuracy=lambda activation, **_: test_of(activation),
    )


def test_claim_9_supported_when_the_tuned_slope_wins_on_test():
    cells = _leaky_cells(
        (0.01, 0.2),
        dev_of=lambda label: 0.85 if label == "leaky_relu-0.2" else 0.75,
        test_of=lambda label: 0.84 if label == "leaky_relu-0.2" else 0.74,
    )
    result = claims.claim_leaky_slope(cells)
    assert result.verdict == SUPPORTED and result.estimate == pytest.approx(0.10)


def test_claim_9_contradicted_when_dev_picks_the_default_slope():
    cells = _leaky_cells(
        (0.01, 0.2),
        dev_of=lambda label: 0.8 if label == "leaky_relu-0.01" else 0.7,
        test_of=lambda label: 0.7,
    )
    result = claims.claim_leaky_slope(cells)
    assert result.verdict == CONTRADICTED and "tuning gains nothing" in result.evidence


def test_claim_9_inconclusive_with_a_single_slope():
    cells = _leaky_cells((0.01,), dev_of=lambda label: 0.8, test_of=lambda label: 0.8)
    result = claims.claim_leaky_slope(cells)
    assert result.verdict == INCONCLUSIVE
    assert "only one leaky ReLU slope was run (alpha = 0.01)" in result.evidence


# --------------------------------------------------------------------------- the whole table


@pytest.fixture(scope="module")
def table():
    cells = make_cells(
        activations=("sigmoid", "tanh", "relu", "leaky_relu-0.01", "identity"),
        inits=("zeros", "small", "large"),
        hidden=(1, 2, 4),
        seeds=(0, 1, 2),
        unit_spread=lambda init, hidden, **_: 0.0 if init == "zeros" or hidden == 1 else 0.5,
    )
    history = make_history(
        cells, lambda **_: 500, unit_spread=lambda init, **_: 0.0 if init == "zeros" else 0.5
    )
    return claims.evaluate_dataset("planar", cells, history, BASELINE, planar=True)


def test_evaluate_dataset_has_every_claim_once(table):
    assert table["claim_id"].tolist() == [
        "1a",
        "1b",
        "2a",
        "2b",
        "3",
        "4a",
        "4b",
        "4c",
        "5a",
        "5b",
        "6a",
        "6b",
        "7",
        "8",
        "9",
    ]
    assert list(table.columns) == list(claims.CLAIM_COLUMNS)
    assert set(table["verdict"]) <= {SUPPORTED, CONTRADICTED, INCONCLUSIVE}
    assert table["decision_rule"].str.len().min() > 20


def test_with_several_learning_rates_claims_use_each_configurations_selected_rate():
    def tables(learning_rate, dev_accuracy):
        cells = make_cells(
            activations=("sigmoid", "tanh", "relu", "identity"),
            inits=("zeros", "small", "large"),
            hidden=(1, 2, 4),
            learning_rate=learning_rate,
            dev_accuracy=lambda activation, hidden, seed, **_: dev_accuracy
            + 0.05 * (activation == "tanh")
            + 0.01 * hidden
            + 0.02 * seed,
        )
        history = make_history(
            cells, lambda activation, **_: 300 if activation != "sigmoid" else 900
        )
        return cells, history

    slow, slow_history = tables(0.1, 0.6)
    fast, fast_history = tables(1.2, 0.7)  # better on dev everywhere: the selected rate
    both = claims.evaluate_dataset(
        "toy",
        pd.concat([slow, fast], ignore_index=True),
        pd.concat([slow_history, fast_history], ignore_index=True),
        BASELINE,
    )
    alone = claims.evaluate_dataset("toy", fast, fast_history, BASELINE)
    numbers = ["claim_id", "estimate", "ci_low", "ci_high", "n_cells", "verdict"]
    pd.testing.assert_frame_equal(both[numbers], alone[numbers])
    note = " Each configuration at its learning rate selected on dev accuracy among 0.1, 1.2."
    assert (both["evidence"] == alone["evidence"] + note).all()
    assert not alone["evidence"].str.contains("selected on dev accuracy among").any()


def test_markdown_and_html_show_every_row(table):
    markdown, page = claims.claims_markdown(table), claims.claims_html(table)
    for claim_id, verdict in zip(table["claim_id"], table["verdict"]):
        assert f"| planar | {claim_id} | **{verdict}** |" in markdown
    assert page.count("<tr style=") == len(table)
    assert "results/planar/figures/symmetry.png" in markdown
