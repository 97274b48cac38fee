"""Critical-difference diagrams: the ranks drawn must be the ranks of the data.

A small cells table with two learning rates, where dev selected the rate 1.0 for every
configuration (``cells.csv``'s ``selected``) and the other rate's test scores are in the
opposite order: ranks computed from the wrong networks (or with zero init among the
activations) come out visibly different.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pandas as pd
import pytest
import scikit_posthocs
from matplotlib.collections import PathCollection
from scipy import stats

from shallownet import STATUS_DIVERGED, STATUS_OK

from ablation.cell import EVALUATION_KEYS
from ablation.plots import plot_critical_difference, save_figure
from ablation.plots.critical_difference import (
    ALPHA,
    block_scores,
    rank_test,
    score_column,
    within_block_ranks,
)

ACTIVATIONS = ["sigmoid", "tanh", "relu", "identity"]
INITS = ["zeros", "small", "xavier"]
HIDDEN = [1, 2, 4, 8]
SEEDS = [0, 1, 2]
SELECTED_RATE = 1.0
METRIC = "balanced_accuracy"


def skill(activation, init, hidden, seed, rng):
    """Test balanced accuracy: a random order of the activations in each block, so that the
    mean ranks are not a foregone conclusion; zero init at chance but for sigmoid."""
    if init == "zeros" and activation != "sigmoid":
        return 0.5
    return float(0.6 + 0.3 * rng.random())


def make_cells(diverged=()):
    """One row per network; ``diverged`` names (activation, init, hidden) whose every network
    diverged, at every learning rate."""
    rng = np.random.default_rng(7)
    rows = []
    for activation, init, hidden, seed in itertools.product(ACTIVATIONS, INITS, HIDDEN, SEEDS):
        test = skill(activation, init, hidden, seed, rng)
        lost = (activation, init, hidden) in diverged
        for rate in (0.1, SELECTED_RATE):
            # The rate that is not selected: worse on dev, test order reversed.
            value = test if rate == SELECTED_RATE else 1.4 - test
            dev = value if rate == SELECTED_RATE else value - 0.5
            scores = dict.fromkeys(EVALUATION_KEYS, dev)
            scores.update(
                {
                    "test_accuracy": value,
                    "test_balanced_accuracy": value,
                    "test_cost": 1 - value,
                    "dev_cost": 1 - dev,
                }
            )
            rows.append(
                {
                    "dataset": "toy",
                    "activation": activation,
                    "init": init,
                    "hidden": hidden,
                    "learning_rate": rate,
                    "seed": seed,
                    "alpha": math.nan,
                    "selected": rate == SELECTED_RATE,
                    "status": STATUS_DIVERGED if lost else STATUS_OK,
                    **(dict.fromkeys(EVALUATION_KEYS, math.nan) if lost else scores),
                }
            )
    return pd.DataFrame(rows)


def direct_mean_ranks(cells, factor, blocks, column, inits=INITS):
    """Mean ranks computed straight from the table: the selected rate's networks, seeds
    averaged, each block ranked by pandas, 1 the highest score."""
    chosen = cells[(cells["learning_rate"] == SELECTED_RATE) & cells["init"].isin(inits)]
    scores = chosen.pivot_table(index=list(blocks), columns=factor, values=column, aggfunc="mean")
    return scores.dropna().rank(axis=1, ascending=False).mean()


@pytest.fixture(scope="module")
def cells():
    return make_cells()


@pytest.fixture(scope="module")
def figure(cells):
    return plot_critical_difference(cells, METRIC)


def drawn_ranks(ax) -> dict[str, float]:
    """Method -> mean rank, read from the diagram's labels ("tanh (1.25)", "(3.50) relu"),
    with the markers' positions checked to be the same ranks."""
    ranks = {}
    for text in ax.texts:
        match = re.fullmatch(r"(\S+) \(([\d.]+)\)|\(([\d.]+)\) (\S+)", text.get_text())
        if match:
            name = match.group(1) or match.group(4)
            ranks[name] = float(match.group(2) or match.group(3))
    markers = sorted(
        collection.get_offsets()[0][0]
        for collection in ax.collections
        if isinstance(collection, PathCollection)
    )
    assert markers == pytest.approx(sorted(ranks.values()), abs=0.005)
    return ranks


@pytest.mark.parametrize(
    ("panel", "factor", "blocks", "split", "inits"),
    [
        (0, "activation", ("init", "hidden"), "test", ["small", "xavier"]),
        (1, "activation", ("init", "hidden"), "dev", ["small", "xavier"]),
        (2, "init", ("activation", "hidden"), "test", INITS),
        (3, "init", ("activation", "hidden"), "dev", INITS),
    ],
)
def test_drawn_mean_ranks_match_a_direct_pandas_computation(
    cells, figure, panel, factor, blocks, split, inits
):
    expected = direct_mean_ranks(cells, factor, blocks, f"{split}_balanced_accuracy", inits)
    drawn = drawn_ranks(figure.axes[panel])
    assert drawn == pytest.approx(expected.round(2).to_dict(), abs=0.005)
    title = figure.axes[panel].get_title()
    assert f"ranked by {split} balanced accuracy" in title
    blocks_count = len(HIDDEN) * (len(inits) if factor == "activation" else len(ACTIVATIONS))
    assert f"{blocks_count} blocks of {' x '.join(blocks)}" in title


def test_the_statistics_are_friedmans_and_nemenyis(cells):
    scores, dropped = block_scores(
        cells[cells["learning_rate"] == SELECTED_RATE],
        "init",
        ("activation", "hidden"),
        "test_balanced_accuracy",
    )
    test = rank_test(scores, higher_is_better=True)
    n, k = scores.shape
    assert dropped == 0 and (n, k) == (len(ACTIVATIONS) * len(HIDDEN), len(INITS))
    expected = stats.friedmanchisquare(*(scores[column] for column in scores))
    assert (test.friedman_statistic, test.friedman_p) == pytest.approx(
        (expected.statistic, expected.pvalue)
    )
    assert test.nemenyi.equals(scikit_posthocs.posthoc_nemenyi_friedman(scores))
    # Pairs further apart than the critical difference are those the Nemenyi test separates.
    ranks = within_block_ranks(scores, True).mean()
    for first, second in itertools.combinations(scores.columns, 2):
        apart = abs(ranks[first] - ranks[second]) > test.critical_difference
        assert apart == (test.nemenyi.loc[first, second] < ALPHA)


@pytest.mark.parametrize(("k", "q_alpha"), [(3, 2.343), (4, 2.569), (5, 2.728), (10, 3.164)])
def test_the_critical_difference_is_demsars(k, q_alpha):
    """Demšar (2006), table 5(a): critical values of the Nemenyi test at alpha = 0.05."""
    n = 28
    scores = pd.DataFrame(np.random.default_rng(0).random((n, k)))
    expected = q_alpha * math.sqrt(k * (k + 1) / (6 * n))
    assert rank_test(scores, True).critical_difference == pytest.approx(expected, abs=5e-4)


def test_lower_is_better_for_cross_entropy():
    scores = pd.DataFrame({"a": [0.2, 0.3], "b": [0.5, 0.6], "c": [0.9, 0.1]})
    assert rank_test(scores, higher_is_better=False).mean_ranks.to_dict() == {
        "a": 1.5,
        "c": 2.0,
        "b": 2.5,
    }
    assert score_column("cross_entropy", "test") == "test_cost"
    assert score_column("balanced_accuracy", "dev") == "dev_balanced_accuracy"


def test_a_block_with_a_configuration_that_always_diverged_is_left_out():
    cells = make_cells(diverged={("relu", "small", 2)})
    figure = plot_critical_difference(cells, METRIC)
    title = figure.axes[0].get_title()
    assert "7 blocks of init x hidden; 1 with a diverged configuration left out" in title
    expected = direct_mean_ranks(
        cells, "activation", ("init", "hidden"), "test_balanced_accuracy", ["small", "xavier"]
    )
    assert drawn_ranks(figure.axes[0]) == pytest.approx(expected.round(2).to_dict(), abs=0.005)


def test_two_methods_get_ranks_but_no_friedman_test_and_one_gets_no_panel(cells):
    two = cells[cells["activation"].isin(["tanh", "relu"]) & (cells["init"] != "small")]
    figure = plot_critical_difference(two[two["init"] != "zeros"], METRIC)
    assert len(figure.axes) == 2  # one init left: only the activations are ranked
    assert "no Friedman test with 2 methods" in figure.axes[0].get_title()
    assert set(drawn_ranks(figure.axes[0])) == {"tanh", "relu"}


def test_nothing_to_rank_is_said_not_raised(cells, tmp_path):
    one = cells[(cells["activation"] == "tanh") & (cells["init"] == "small")]
    figure = plot_critical_difference(one, METRIC)
    assert "nothing to rank" in figure.axes[0].get_title()
    zeros_only = cells[cells["init"] == "zeros"]
    figure = plot_critical_difference(zeros_only, METRIC)
    assert "nothing to rank" in figure.axes[0].get_title()  # no random init for activations
    save_figure(figure, tmp_path / "empty.png")


def test_a_grid_where_every_block_ties_has_no_friedman_test():
    scores = pd.DataFrame({"a": [0.5, 0.5], "b": [0.5, 0.5], "c": [0.5, 0.5]})
    test = rank_test(scores, True)
    assert test.friedman_p is None and "every block is a tie" in test.note
    assert test.mean_ranks.to_dict() == {"a": 2.0, "b": 2.0, "c": 2.0}


def test_the_figure_renders_at_the_reports_width(figure, tmp_path):
    save_figure(figure, tmp_path / "critical_difference.png")
    assert (tmp_path / "critical_difference.png").stat().st_size > 10_000
