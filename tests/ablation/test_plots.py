"""The ablation figures on small synthetic tables shaped like ``cells.csv`` and ``history.csv.gz``.

Each figure must render to a PNG of a sane size, plot the right numbers, and cope with
diverged cells (NaN metrics, histories that stop early) without any warning: pytest turns
warnings into errors for the whole suite.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib import colormaps as plt_colormaps
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from shallownet import STATUS_DIVERGED, STATUS_OK

from ablation import plots
from ablation.metrics import class_mix
from ablation.selection import (
    best_configuration,
    choose,
    compare_with_majority,
    selected_networks,
)
from ablation.tables import CELL_TABLE_COLUMNS, HISTORY_TABLE_COLUMNS
from ablation.plots import common
from ablation.plots import heatmap as heatmap_plots
from ablation.plots import history as history_plots
from ablation.plots.learning_rates import SELECTED_MARKER_AREA
from ablation.figure_plan import FIGURES, PLANAR_FIGURES
from ablation.grid import NETWORK_COLUMNS, learning_rates, parse_activation_label
from ablation.io import write_npz

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu-0.01", "identity"]
INITS = ["zeros", "small", "large", "xavier"]
HIDDEN = [1, 2, 4, 8]
SEEDS = [0, 1, 2]
ITERATIONS = range(0, 1001, 100)
LEARNING_RATE = 0.5
#: Networks that diverge: one seed of relu/large/8, and every seed of sigmoid/large/4.
DIVERGED = {("relu", "large", 8, 1)} | {("sigmoid", "large", 4, seed) for seed in SEEDS}
DIVERGED_AT = 450
#: Every figure's selection metric unless a test says otherwise (the config's default).
METRIC = "balanced_accuracy"
#: The class mix behind :data:`BASELINES`' majority shares.
CLASS_MIX = {
    split: class_mix(np.array([1] * positives + [0] * (total - positives)))
    for split, positives, total in (("train", 35, 100), ("dev", 17, 50), ("test", 32, 50))
}
#: The baseline columns of every row: a majority class that shifts from train and dev to test
#: (as on the cat data), and a logistic regression.
BASELINES = {
    "train_majority_accuracy": 0.65,
    "dev_majority_accuracy": 0.66,
    "test_majority_accuracy": 0.64,
    "train_logistic_accuracy": 0.9,
    "dev_logistic_accuracy": 0.61,
    "test_logistic_accuracy": 0.6,
    "train_logistic_balanced_accuracy": 0.85,
    "dev_logistic_balanced_accuracy": 0.56,
    "test_logistic_balanced_accuracy": 0.55,
}


def synthetic_tables(seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A ``cells.csv`` and a ``history.csv.gz`` table over a small grid at one learning rate,
    with diverged networks.

    Accuracies grow with the hidden size for non-linear activations and stay flat for the
    identity; zero init keeps a unit spread of exactly 0; a diverged cell has NaN metrics and a
    history whose cost, gradient and spread run away towards 1e300 and that ends at
    :data:`DIVERGED_AT` with a non-finite cost.
    """
    rng = np.random.default_rng(seed)
    cells, records = [], []
    for activation, init, hidden, cell_seed in itertools.product(ACTIVATIONS, INITS, HIDDEN, SEEDS):
        key = (activation, init, hidden, cell_seed)
        diverged = key in DIVERGED
        _, alpha = parse_activation_label(activation)
        skill = 0.0 if activation == "identity" else 0.05 * np.log2(hidden)
        scores = {}
        for split, drop in (("train", -0.05), ("dev", 0.0), ("test", 0.02)):
            accuracy = min(1.0, 0.6 + skill + rng.uniform(0, 0.05) - drop)
            # Balanced accuracy below accuracy, as on data with a majority class.
            balanced = accuracy - 0.1 + rng.uniform(0, 0.05)
            scores[f"{split}_accuracy"] = np.nan if diverged else accuracy
            scores[f"{split}_balanced_accuracy"] = np.nan if diverged else balanced
        for split in ("dev", "test"):
            scores[f"{split}_cost"] = np.nan if diverged else 0.6 - skill / 2
        cells.append(
            {
                "dataset": "synthetic",
                "activation": activation,
                "alpha": alpha,
                "init": init,
                "hidden": hidden,
                "learning_rate": LEARNING_RATE,
                "seed": cell_seed,
                "status": STATUS_DIVERGED if diverged else STATUS_OK,
                "iterations": DIVERGED_AT if diverged else ITERATIONS[-1],
                "diverged_at": DIVERGED_AT if diverged else pd.NA,
                "final_cost": np.nan if diverged else 0.3 - skill / 2,
                **scores,
                "cell_train_seconds": 0.1,
                "grad_norm_W1": rng.uniform(0.01, 1),
                "grad_norm_W2": rng.uniform(0.01, 1),
                "saturation": rng.uniform(),
                "dead_fraction": 0.0,
                "unit_spread": 0.0 if init == "zeros" else rng.uniform(0.01, 1),
                "unit_gap": 0.0 if init == "zeros" else rng.uniform(0.001, 0.01),
                "linear_gap": 1e-16 if activation == "identity" and not diverged else np.nan,
                **BASELINES,
            }
        )
        for iteration in ITERATIONS:
            if diverged and iteration > DIVERGED_AT:
                break
            overflowed = diverged and iteration + 100 > DIVERGED_AT
            # Before the overflow is caught, a diverging run's numbers climb to ~1e300.
            runaway = 10.0 ** (0.75 * iteration) if diverged and iteration > 0 else None
            records.append(
                {
                    "dataset": "synthetic",
                    "activation": activation,
                    "alpha": alpha,
                    "init": init,
                    "hidden": hidden,
                    "learning_rate": LEARNING_RATE,
                    "seed": cell_seed,
                    "iteration": iteration,
                    "cost": (
                        np.inf
                        if overflowed
                        else runaway or 0.7 * np.exp(-iteration / 400) + 0.05 + rng.uniform(0, 0.01)
                    ),
                    "train_accuracy": 0.7,
                    "dev_cost": 0.6,
                    "dev_accuracy": 0.65,
                    "grad_norm_W1": (
                        0.0
                        if iteration == 0 and init == "zeros"
                        else runaway or rng.uniform(1e-4, 1)
                    ),
                    "grad_norm_W2": rng.uniform(1e-4, 1),
                    "saturation": rng.uniform(0.5, 1) if init == "large" else rng.uniform(0, 0.1),
                    "dead_fraction": 0.0,
                    "unit_spread": (
                        0.0 if init == "zeros" or hidden == 1 else runaway or rng.uniform(1e-3, 1)
                    ),
                }
            )
    columns = [column for column in CELL_TABLE_COLUMNS if column != "selected"]
    cells = pd.DataFrame(cells, columns=columns).astype({"diverged_at": "Int64"})
    history = pd.DataFrame(records, columns=list(HISTORY_TABLE_COLUMNS))
    return cells, history


#: The dev examples of the synthetic tables: two thirds negatives, each class's examples of
#: evenly spread difficulty.
DEV_LABELS = np.repeat([0, 1], [34, 16])
DEV_DIFFICULTY = np.concatenate([(np.arange(34) + 0.5) / 34, (np.arange(16) + 0.5) / 16])


def dev_logits(cells):
    """Each network's dev logits: right on the examples easier than its dev balanced
    accuracy (so that a configuration's pooled dev balanced accuracy is about the mean of
    its networks'), NaN for a diverged network."""
    sign = 2 * DEV_LABELS - 1
    skill = cells["dev_balanced_accuracy"].to_numpy()[:, None]
    logits = np.where(DEV_DIFFICULTY < skill, sign, -sign).astype(float)
    return np.where(np.isnan(skill), np.nan, logits)


def select(cells, metric=METRIC):
    """``cells`` with its ``selected`` column and the ``configurations.csv`` table, chosen on
    dev by the workflow's own selection."""
    configurations = choose(cells, dev_logits(cells), DEV_LABELS, metric)
    return cells.assign(selected=selected_networks(cells, configurations)), configurations


def with_another_rate(cells, history, rate, dev_change):
    """The tables plus a copy of every network at learning rate ``rate``, whose dev
    accuracies (plain and balanced) differ by ``dev_change`` (statuses, test scores and
    histories alike, the costs doubled)."""
    other = cells.assign(
        learning_rate=rate,
        dev_accuracy=cells["dev_accuracy"] + dev_change,
        dev_balanced_accuracy=cells["dev_balanced_accuracy"] + dev_change,
    )
    other_history = history.assign(learning_rate=rate, cost=2 * history["cost"])
    return (
        pd.concat([cells, other], ignore_index=True),
        pd.concat([history, other_history], ignore_index=True),
    )


@pytest.fixture(autouse=True)
def fewer_bootstrap_samples(monkeypatch):
    """Bootstrapping dominates the drawing time; these tests check what is drawn, not the
    width of the bands, so 100 resamples instead of 1000 keep them fast."""
    monkeypatch.setattr(common, "N_BOOT", 100)


@pytest.fixture(scope="module")
def tables():
    cells, history = synthetic_tables()
    cells, configurations = select(cells)
    return cells, history, configurations


def best_json(configurations, metric=METRIC):
    """``best.json`` for ``configurations``, as the aggregate rule writes it."""
    return best_configuration(
        configurations,
        dataset="synthetic",
        metric=metric,
        dev_examples=DEV_LABELS.size,
        class_mix=CLASS_MIX,
    )


def assert_sane_png(figure, path, *, min_pixels=(500, 300), max_pixels=(5000, 5000)):
    """Save ``figure`` and check it is a PNG whose pixel size is within the given bounds."""
    plots.save_figure(figure, path)
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    assert min_pixels[0] <= width <= max_pixels[0] and min_pixels[1] <= height <= max_pixels[1]
    assert path.stat().st_size > 10_000  # a blank canvas compresses to a few kB
    assert not list(path.parent.glob(".*.tmp")), "the temporary file must be renamed away"


def diverged_markers(figure) -> int:
    """Number of points drawn with the diverged-cell marker style (``X``, black edge)."""
    black = to_rgba("black")
    count = 0
    for ax in figure.axes:
        for collection in ax.collections:
            if not isinstance(collection, PathCollection):  # bands and meshes are not markers
                continue
            edges = collection.get_edgecolors()
            if len(collection.get_offsets()) and len(edges) and tuple(edges[0]) == black:
                count += len(collection.get_offsets())
    return count


def test_style_order_follows_the_lecture_and_sorts_slopes():
    assert common.style_order(
        ["identity", "relu", "leaky_relu-0.2", "sigmoid", "leaky_relu-0.01"],
        common.ACTIVATION_ORDER,
    ) == ["sigmoid", "relu", "leaky_relu-0.01", "leaky_relu-0.2", "identity"]


def test_heatmap_values_are_the_pooled_dev_score_of_the_selection_metric(tables, tmp_path):
    cells, _, configurations = tables
    score, diverged, same = plots.heatmap_tables(configurations, "large", metric=METRIC)
    expected = configurations[configurations["init"] == "large"].set_index(["activation", "hidden"])
    assert list(score.index) == ["sigmoid", "tanh", "relu", "leaky_relu-0.01", "identity"]
    for (activation, hidden), row in expected.iterrows():
        assert score.loc[activation, hidden] == pytest.approx(
            row["dev_balanced_accuracy"], nan_ok=True
        )
    # About the mean of the networks' own dev scores (the dev logits are made from them).
    means = cells[cells["init"] == "large"].groupby(["activation", "hidden"])
    assert score.loc["tanh", 4] == pytest.approx(
        means["dev_balanced_accuracy"].mean()["tanh", 4], abs=0.05
    )
    # A diverged replicate leaves its dev examples unpredicted: no score, a count.
    assert diverged.loc["relu", 8] == 1 and diverged.loc["sigmoid", 4] == 3
    assert np.isnan(score.loc["relu", 8]) and np.isnan(score.loc["sigmoid", 4])
    cost, _, _ = plots.heatmap_tables(configurations, "large", metric="cross_entropy")
    assert cost.loc["tanh", 2] == pytest.approx(expected.loc[("tanh", 2), "dev_cost"])

    best = best_json(configurations)
    figure = plots.plot_heatmap(configurations, best)
    # What is painted is the table: one quad mesh per init, holding the scores in order.
    large = figure.axes[INITS.index("large")]
    painted = large.collections[0].get_array().reshape(score.shape)
    np.testing.assert_allclose(np.ma.filled(painted, np.nan), score.to_numpy())
    labels = {text.get_text() for text in large.texts}
    assert "×\n(1)" in labels and "×\n(3)" in labels
    assert "4 of the 240 networks shown diverged" in figure.get_suptitle()
    assert "50 dev examples" in figure.get_suptitle()
    assert_sane_png(figure, tmp_path / "heatmap.png")


def test_heatmap_dots_the_configurations_the_dev_set_cannot_tell_from_the_selected_one(tables):
    _, _, configurations = tables
    best = best_json(configurations)
    figure = plots.plot_heatmap(configurations, best)
    dots = sum(
        len(line.get_xdata())
        for ax in figure.axes
        for line in ax.get_lines()
        if line.get_marker() == "o"
    )
    assert dots == len(best["indistinguishable"]) > 1
    assert f"one of the {len(best['indistinguishable'])} the dev set cannot tell" in (
        figure.get_suptitle()
    )


@pytest.mark.parametrize("metric", ["balanced_accuracy", "accuracy", "cross_entropy"])
def test_heatmap_colours_centre_on_the_majority_baseline(tables, metric):
    cells, history, _ = tables
    _, configurations = select(cells.drop(columns="selected"), metric)
    best = best_json(configurations, metric)
    centre = best["constant_predictor_dev_score"]
    assert centre == {"balanced_accuracy": 0.5, "accuracy": 0.66}.get(metric, centre)
    mesh = plots.plot_heatmap(configurations, best).axes[0].collections[0]
    low, high = mesh.norm.vmin, mesh.norm.vmax
    assert low <= centre <= high
    # The centre is the middle colour of the diverging map, whatever the range around it.
    middle = plt_colormaps["RdBu"](0.5)
    np.testing.assert_allclose(mesh.cmap(mesh.norm(centre)), middle, atol=0.02)
    # Better than the baseline is blue, in either direction of the metric.
    better = centre + (0.05 if metric != "cross_entropy" else -0.05)
    red, _, blue, _ = mesh.cmap(mesh.norm(better))
    assert blue > red


def test_heatmap_boxes_the_selection_and_warns_when_it_does_not_beat_the_majority(tables):
    _, _, configurations = tables
    best = best_json(configurations)
    figure = plots.plot_heatmap(configurations, best)
    ax = figure.axes[INITS.index(best["init"])]
    (box,) = [patch for patch in ax.patches if isinstance(patch, Rectangle)]
    score, _, _ = plots.heatmap_tables(configurations, best["init"], metric=METRIC)
    assert box.get_xy() == (
        list(score.columns).index(best["hidden"]),
        list(score.index).index(best["activation"]),
    )
    assert "WARNING" not in figure.get_suptitle()
    flagged = best | compare_with_majority(dict(best, dev_balanced_accuracy=0.5), CLASS_MIX)
    assert flagged["beats_majority_on_dev"] is False
    title = plots.plot_heatmap(configurations, flagged)._suptitle
    assert "WARNING: it does not beat the majority-class baseline on dev" in title.get_text()
    assert to_rgba(title.get_color()) == to_rgba(heatmap_plots.WARNING_COLOUR)


def reference_lines(ax) -> dict[str, float]:
    """The baselines' horizontal lines of ``ax``, by the label their style stands for."""
    found = {}
    for line in ax.get_lines():
        for label, style in common.REFERENCE_STYLES.items():
            if (line.get_linestyle(), to_rgba(line.get_color())) == (
                {":": ":", "--": "--"}[style["ls"]],
                to_rgba(style["color"]),
            ):
                found[label] = line.get_ydata()[0]
    return found


def test_accuracy_vs_hidden_plots_seed_means_and_marks_divergence(tables, tmp_path):
    cells, _, _ = tables
    figure = plots.plot_accuracy_vs_hidden(cells, metric=METRIC)
    assert len(figure.axes) == len(INITS) * 3
    # Panel (init=xavier, split=dev): the tanh line goes through the means over seeds.
    ax = figure.axes[INITS.index("xavier") * 3 + 1]
    tanh = cells[(cells["activation"] == "tanh") & (cells["init"] == "xavier")]
    expected = tanh.groupby("hidden")["dev_balanced_accuracy"].mean()
    line = ax.get_lines()[ACTIVATIONS.index("tanh")]
    # Each activation's points are shifted a fraction of an octave so coinciding lines show.
    shift = common.dodge_factors(ACTIVATIONS)["tanh"]
    assert shift != 1.0
    np.testing.assert_allclose(line.get_xdata(), expected.index * shift)
    np.testing.assert_allclose(line.get_ydata(), expected.to_numpy())
    assert ax.get_ylabel() == "balanced accuracy"
    # Three panels (train/dev/test) of init=large show the two diverged (activation, hidden) points.
    assert diverged_markers(figure) == 3 * 2
    assert_sane_png(figure, tmp_path / "accuracy_vs_hidden.png")


@pytest.mark.parametrize(
    "metric, majority, logistic",
    [
        # Balanced accuracy: every constant answer scores 0.5, on every split.
        ("balanced_accuracy", [0.5, 0.5, 0.5], [0.85, 0.56, 0.55]),
        ("accuracy", [0.65, 0.66, 0.64], [0.9, 0.61, 0.6]),
    ],
)
def test_accuracy_vs_hidden_draws_both_baselines_in_every_panel(tables, metric, majority, logistic):
    cells, _, _ = tables
    figure = plots.plot_accuracy_vs_hidden(cells, metric=metric)
    for row in range(len(INITS)):
        for column in range(3):
            lines = reference_lines(figure.axes[row * 3 + column])
            assert lines == {
                common.MAJORITY: pytest.approx(majority[column]),
                common.LOGISTIC: pytest.approx(logistic[column]),
            }
    legend = [text.get_text() for text in figure.legends[0].get_texts()]
    assert common.MAJORITY in legend and common.LOGISTIC in legend


@pytest.mark.parametrize(
    "plot", [plots.plot_learning_curves, plots.plot_symmetry, plots.plot_saturation]
)
def test_history_figures_render_with_diverged_cells(tables, tmp_path, plot):
    cells, history, _ = tables
    figure = plot(history, cells, hidden=8)
    assert "1 of the" in figure.get_suptitle()  # relu/large/8 seed 1 is the only divergence at 8
    assert diverged_markers(figure) >= 1
    assert_sane_png(figure, tmp_path / "figure.png")


def test_learning_curves_keep_runaway_costs_out_of_the_range_and_the_means(tables):
    cells, history, _ = tables
    figure = plots.plot_learning_curves(history, cells, hidden=8)
    large = figure.axes[INITS.index("large")]
    # The y range is the healthy cells' (costs below 1), not the diverged cell's 1e300.
    low, high = large.get_ylim()
    assert 0.01 < low < high < 2.0
    # The diverged cell's X sits at its last finite record, held on the panel's top edge.
    marker = next(c for c in large.collections if isinstance(c, PathCollection))
    last_finite = history[
        (history["activation"] == "relu")
        & (history["init"] == "large")
        & (history["hidden"] == 8)
        & (history["seed"] == 1)
        & np.isfinite(history["cost"])
    ].iloc[-1]
    assert last_finite["cost"] > 1e200
    np.testing.assert_allclose(marker.get_offsets()[0], [last_finite["iteration"], high])
    # The relu mean line averages the two healthy seeds only.
    healthy = history[
        (history["activation"] == "relu")
        & (history["init"] == "large")
        & (history["hidden"] == 8)
        & (history["seed"] != 1)
    ]
    relu_mean = large.get_lines()[ACTIVATIONS.index("relu")]
    np.testing.assert_allclose(
        relu_mean.get_ydata(), healthy.groupby("iteration")["cost"].mean().to_numpy()
    )


def test_symmetry_figure_keeps_zero_init_at_exactly_zero_on_a_visible_scale(tables):
    cells, history, _ = tables
    figure = plots.plot_symmetry(history, cells, hidden=8)
    ax = figure.axes[0]
    assert ax.get_yscale() == "symlog"
    assert ax.get_ylim()[0] < 0.0  # 0 is inside the axis, not on its edge
    zeros = ax.get_lines()[0]  # inits in course order: zeros first
    assert zeros.get_color() == common.palette(INITS)["zeros"] or to_rgba(
        zeros.get_color()
    ) == to_rgba(common.palette(INITS)["zeros"])
    assert np.all(zeros.get_ydata() == 0.0)
    assert [text.get_text() for text in ax.texts] == ["zeros init: spread exactly 0"]


def test_symlog_threshold_keeps_roundoff_on_the_linear_part():
    spreads = pd.Series([0.0, 3e-18, 0.02, 40.0])
    assert history_plots.symlog_threshold(spreads) == pytest.approx(1e-5)  # 6 decades below 10
    assert history_plots.symlog_threshold(pd.Series([0.0, 0.0])) == 1e-3


def test_saturation_contrasts_small_and_large_init(tables):
    cells, history, _ = tables
    figure = plots.plot_saturation(history, cells, hidden=4)
    titles = [ax.get_title() for ax in figure.axes]
    assert titles == ["init = small", "init = large", "init = small", "init = large"]
    assert figure.axes[2].get_yscale() == "log"
    assert "3 of the" in figure.get_suptitle()  # sigmoid/large/4 diverged on every seed


@pytest.mark.parametrize(
    "metric, logistic, majority",
    [
        ("balanced_accuracy", [0.85, 0.56, 0.55], [0.5, 0.5, 0.5]),
        ("accuracy", [0.9, 0.61, 0.6], [0.65, 0.66, 0.64]),
    ],
)
def test_linear_collapse_compares_identity_best_nonlinear_and_baselines(
    tables, tmp_path, metric, logistic, majority
):
    cells, _, configurations = tables
    figure = plots.plot_linear_collapse(cells, configurations, metric=metric)
    legend_labels = [text.get_text() for text in figure.legends[0].get_texts()]
    assert legend_labels[0] == common.LOGISTIC and common.MAJORITY in legend_labels
    assert any(label.startswith("identity (") for label in legend_labels)
    # The bar heights: logistic regression's scores, then the identity's means over seeds.
    left, right = figure.axes
    heights = [patch.get_height() for patch in left.patches if patch.get_width() > 0]
    assert heights[:3] == pytest.approx(logistic)
    # The majority-class baseline across each split's bars, and both baselines on the right.
    segments = [line.get_ydata()[0] for line in left.get_lines() if len(line.get_xdata()) == 2]
    assert segments[-3:] == pytest.approx(majority)
    assert reference_lines(right) == {
        common.MAJORITY: pytest.approx(majority[1]),
        common.LOGISTIC: pytest.approx(logistic[1]),
    }
    assert_sane_png(figure, tmp_path / "linear_collapse.png")


def test_linear_collapse_says_when_the_grid_has_no_identity_cell(tables):
    cells, _, configurations = tables
    figure = plots.plot_linear_collapse(
        cells[cells["activation"] != "identity"],
        configurations[configurations["activation"] != "identity"],
        metric=METRIC,
    )
    notes = [text.get_text() for text in figure.axes[1].texts]
    assert notes == ["no identity configuration without divergence in the grid"]


def test_learning_rates_figure_shows_every_rate_and_marks_the_selected_ones(tables, tmp_path):
    cells, history, _ = tables
    # Rate 2.0 is better on dev everywhere: every configuration that trained selects it.
    both, _ = with_another_rate(cells.drop(columns="selected"), history, 2.0, 0.1)
    _, configurations = select(both)
    best = best_json(configurations)
    figure = plots.plot_learning_rates(configurations, best)
    assert [ax.get_title() for ax in figure.axes] == [f"init = {init}" for init in INITS]
    xavier = figure.axes[INITS.index("xavier")]
    # The tanh line: the mean over hidden sizes of the pooled dev scores, at each rate.
    tanh = configurations[
        (configurations["activation"] == "tanh") & (configurations["init"] == "xavier")
    ]
    expected = tanh.groupby("learning_rate")["dev_balanced_accuracy"].mean()
    line = xavier.get_lines()[ACTIVATIONS.index("tanh")]
    np.testing.assert_allclose(line.get_xdata(), [LEARNING_RATE, 2.0])
    np.testing.assert_allclose(line.get_ydata(), expected.to_numpy())
    # One circle per activation at the rate its hidden sizes selected, area proportional to
    # how many (all four); the majority-class baseline at 0.5.
    (marks,) = [c for c in xavier.collections if isinstance(c, PathCollection)]
    np.testing.assert_allclose(marks.get_offsets()[:, 0], [2.0] * len(ACTIVATIONS))
    np.testing.assert_allclose(
        marks.get_sizes(), [SELECTED_MARKER_AREA * len(HIDDEN)] * len(ACTIVATIONS)
    )
    assert reference_lines(xavier) == {common.MAJORITY: 0.5}
    assert xavier.get_xscale() == "log"
    assert diverged_markers(figure) >= 2  # sigmoid/large/4 and relu/large/8, at both rates
    assert "configurations at a rate (with a diverged replicate)" in figure.get_suptitle()
    assert_sane_png(figure, tmp_path / "learning_rates.png")


def network_scores(dev: float, test: float) -> dict:
    """Every score column of a hand-built ``cells.csv`` row: ``dev`` and ``test`` accuracy,
    plain and balanced, the rest fixed."""
    return {
        "final_cost": 0.3,
        "dev_cost": 0.5,
        "test_cost": 0.5,
        "train_accuracy": 0.9,
        "dev_accuracy": dev,
        "test_accuracy": test,
        "train_balanced_accuracy": 0.9,
        "dev_balanced_accuracy": dev,
        "test_balanced_accuracy": test,
    }


def test_decision_regions_are_where_the_logit_is_positive():
    xs, ys = np.linspace(-1, 1, 5), np.linspace(-2, 2, 3)
    seen = {}

    def diagonal(weights, points, *, activation, alpha=0.01):
        seen.update(activation=activation, alpha=alpha, shape=points.shape)
        return (points[0] - points[1])[None, :]

    regions = plots.decision_regions({}, "leaky_relu-0.2", xs, ys, decision_function=diagonal)
    assert seen == {"activation": "leaky_relu", "alpha": 0.2, "shape": (2, 15)}
    assert regions.shape == (3, 5)
    np.testing.assert_array_equal(regions, xs[None, :] > ys[:, None])


def test_boundary_networks_take_the_seed_at_each_cells_selected_rate(tmp_path):
    members = [(0.5, 0), (0.5, 1), (1.2, 0), (1.2, 1)]  # member order: rate, then seed
    files, rows = {}, []
    for hidden, better in ((1, 1.2), (2, 0.5)):
        # Member i's parameters are all equal to i, so the chosen member can be read off.
        arrays = {
            name: np.stack([np.full(shape, float(index)) for index in range(len(members))])
            for name, shape in (("W1", (hidden, 2)), ("b1", (hidden, 1)), ("W2", (1, hidden)))
        }
        arrays["b2"] = np.arange(len(members), dtype=float).reshape(-1, 1, 1)
        arrays["learning_rate"] = np.array([rate for rate, _ in members])
        arrays["seed"] = np.array([seed for _, seed in members])
        files["tanh", hidden] = tmp_path / f"hidden{hidden}.npz"
        write_npz(files["tanh", hidden], arrays)
        rows += [
            {
                "activation": "tanh",
                "init": "xavier",
                "hidden": hidden,
                "learning_rate": rate,
                "seed": seed,
                "alpha": None,
                "status": STATUS_OK,
                **network_scores(
                    dev=0.9 if rate == better else 0.6,
                    test=0.9 if rate != better else 0.6,  # test never decides
                ),
            }
            for rate, seed in members
        ]
    cells, _ = select(pd.DataFrame(rows).assign(dataset="toy"))
    networks = plots.boundary_networks(cells, files, init="xavier", seed=1)
    assert list(networks) == [("tanh", 1), ("tanh", 2)]
    assert networks["tanh", 1]["W1"].shape == (1, 2)
    assert networks["tanh", 1]["b2"].item() == members.index((1.2, 1))
    assert networks["tanh", 2]["b2"].item() == members.index((0.5, 1))


def test_decision_boundaries_skip_diverged_cells(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 60))
    Y = (X[0:1] > 0).astype(float)
    rows = [
        {
            "activation": activation,
            "init": "xavier",
            "hidden": hidden,
            "learning_rate": 0.5,
            "seed": 0,
            "status": STATUS_DIVERGED if (activation, hidden) == ("relu", 2) else STATUS_OK,
            **network_scores(dev=0.9, test=0.9),
            "alpha": None,
        }
        for activation, hidden in itertools.product(["tanh", "relu"], [1, 2])
    ]
    cells = pd.DataFrame(rows).assign(
        dev_balanced_accuracy=lambda frame: frame["dev_balanced_accuracy"].where(
            frame["status"] == STATUS_OK
        )
    )
    params = {(row["activation"], row["hidden"]): {"w": np.array([1.0, 0.0])} for row in rows}
    calls = []

    def vertical_boundary(weights, points, *, activation, alpha=0.01):
        calls.append(activation)
        return (weights["w"] @ points)[None, :]  # positive right of x = 0

    other_seed = cells.assign(seed=1, status=STATUS_DIVERGED)  # rows of another seed: not shown
    # Networks at a rate with a lower dev accuracy are not the selected ones: not shown either.
    other_rate = pd.concat([cells, other_seed]).assign(learning_rate=2.0, dev_balanced_accuracy=0.5)
    every_rate = pd.concat([cells, other_seed, other_rate], ignore_index=True)
    every_rate, _ = select(every_rate.assign(dataset="toy"))
    figure = plots.plot_decision_boundaries(
        every_rate,
        params,
        X,
        Y,
        init="xavier",
        seed=0,
        metric=METRIC,
        decision_function=vertical_boundary,
        resolution=50,
    )
    assert sorted(calls) == ["relu", "tanh", "tanh"]  # the diverged cell is not evaluated
    panel_notes = [text.get_text() for ax in figure.axes for text in ax.texts]
    # The selected rate, named: several were run.
    assert "dev 0.90, rate 0.5" in panel_notes
    assert "in each panel: dev balanced accuracy, learning rate" in figure.get_suptitle()
    diverged_panel = figure.axes[3]
    assert any("diverged" in text.get_text() for text in diverged_panel.texts)
    assert "1 of the 4 networks shown diverged (marked ×)" in figure.get_suptitle()
    assert_sane_png(figure, tmp_path / "decision_boundaries.png", min_pixels=(300, 300))


def test_equal_tables_give_byte_identical_pngs(tables, tmp_path):
    cells, history, _ = tables
    for name in ("a.png", "b.png"):
        figure = plots.plot_learning_curves(history, cells, hidden=4)
        plots.save_figure(figure, tmp_path / name)
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


#: The first bytes of a file of each format save_figure writes.
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-", "svg": b"<?xml"}


def test_every_format_is_written_by_suffix_with_equal_bytes_for_equal_figures(tables, tmp_path):
    cells, history, _ = tables
    for name in ("a", "b"):
        figure = plots.plot_learning_curves(history, cells, hidden=4)
        plots.save_figure(figure, [tmp_path / f"{name}.{suffix}" for suffix in MAGIC])
    for suffix, magic in MAGIC.items():
        content = (tmp_path / f"a.{suffix}").read_bytes()
        assert content.startswith(magic), suffix
        assert content == (tmp_path / f"b.{suffix}").read_bytes(), suffix
    pdf = (tmp_path / "a.pdf").read_bytes()
    # TrueType (Type 42) fonts, not Type 3, and no date of writing.
    assert b"/FontFile2" in pdf and b"/Type3" not in pdf and b"CreationDate" not in pdf
    assert b"<dc:date>" not in (tmp_path / "a.svg").read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_unknown_format_is_refused_before_any_file_is_written(tables, tmp_path):
    cells, _, configurations = tables
    figure = plots.plot_linear_collapse(cells, configurations, metric=METRIC)
    with pytest.raises(ValueError, match=r"cannot save a figure as .*figure\.jpg: expected"):
        plots.save_figure(figure, [tmp_path / "figure.png", tmp_path / "figure.jpg"])
    assert list(tmp_path.iterdir()) == []


def png_width(path) -> int:
    return int.from_bytes(path.read_bytes()[16:20], "big")


def test_png_resolution_follows_dpi(tables, tmp_path):
    cells, _, configurations = tables
    figure = plots.plot_linear_collapse(cells, configurations, metric=METRIC)
    plots.save_figure(figure, tmp_path / "default.png")
    plots.save_figure(figure, tmp_path / "fine.png", dpi=2 * common.DPI)
    assert png_width(tmp_path / "fine.png") == pytest.approx(
        2 * png_width(tmp_path / "default.png"), abs=1
    )


def test_a_larger_plotting_context_scales_text_more_than_the_figure(tables):
    _, _, configurations = tables

    def drawn(context=None):
        if context is None:
            return plots.plot_heatmap(configurations, best_json(configurations))
        with plots.figure_context(context):
            return plots.plot_heatmap(configurations, best_json(configurations))

    paper, talk, after = drawn("paper"), drawn("talk"), drawn()
    title_size = {
        name: figure._suptitle.get_fontsize() for name, figure in (("paper", paper), ("talk", talk))
    }
    text_scale = title_size["talk"] / title_size["paper"]
    size_scale = talk.get_size_inches() / paper.get_size_inches()
    assert text_scale == pytest.approx(1.5 / 0.8)  # seaborn's talk and paper
    assert size_scale == pytest.approx([text_scale / common.MAX_TEXT_GROWTH] * 2)
    # Leaving the context restores the default for the next figure.
    assert after.get_size_inches() == pytest.approx(paper.get_size_inches())
    assert after._suptitle.get_fontsize() == title_size["paper"]


@pytest.mark.parametrize("dev_change", [-0.1, 0.1])
def test_heatmap_shows_each_configuration_at_its_selected_learning_rate(tables, dev_change):
    cells, history, configurations = tables
    both, _ = with_another_rate(cells.drop(columns="selected"), history, 2.0, dev_change)
    _, both_configurations = select(both)
    score, diverged, _ = plots.heatmap_tables(both_configurations, "xavier", metric=METRIC)
    single, single_diverged, _ = plots.heatmap_tables(configurations, "xavier", metric=METRIC)
    # The other rate is chosen where it is better on dev, never averaged in.
    assert (score >= single - 1e-12).all().all()
    if dev_change < 0:
        pd.testing.assert_frame_equal(score, single)
    else:
        assert (score > single).all().all()
    pd.testing.assert_frame_equal(diverged, single_diverged)


def png_bytes(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=common.DPI)
    return buffer.getvalue()


def test_with_several_learning_rates_every_figure_draws_the_selected_networks(tables):
    cells, history, _ = tables
    both, both_history = with_another_rate(cells.drop(columns="selected"), history, 2.0, 0.1)
    both, configurations = select(both)
    # Rate 2.0 is better on dev where the dev scores have room to rise.
    assert set(both.loc[both["selected"], "learning_rate"]) == {LEARNING_RATE, 2.0}
    selected = both[both["selected"]]
    keys = list(NETWORK_COLUMNS)
    selected_history = both_history.merge(selected[keys], on=keys)
    draw = {
        "accuracy_vs_hidden": lambda cells, history: plots.plot_accuracy_vs_hidden(
            cells, metric=METRIC
        ),
        "learning_curves": lambda cells, history: plots.plot_learning_curves(
            history, cells, hidden=8
        ),
        "linear_collapse": lambda cells, history: plots.plot_linear_collapse(
            cells, configurations, metric=METRIC
        ),
    }
    for name, plot in draw.items():
        assert png_bytes(plot(both, both_history)) == png_bytes(
            plot(selected, selected_history)
        ), name


def test_figures_draw_the_networks_cells_csv_marks_selected(tables):
    cells, history, _ = tables
    both, both_history = with_another_rate(cells.drop(columns="selected"), history, 2.0, 0.1)
    # Whatever chose them: here rate 2.0 for 8 hidden units, the first rate elsewhere.
    chosen = (both["learning_rate"] == 2.0) == (both["hidden"] == 8)
    both = both.assign(selected=chosen)[list(CELL_TABLE_COLUMNS)]
    keys = list(NETWORK_COLUMNS)
    at_eight = both_history.merge(both.loc[chosen, keys], on=keys)
    figure = plots.plot_learning_curves(both_history, both, hidden=8)
    expected = plots.plot_learning_curves(at_eight, both[chosen], hidden=8)
    assert png_bytes(figure) == png_bytes(expected)


def test_legend_lists_every_activation_in_course_order(tables):
    cells, history, _ = tables
    figure = plots.plot_learning_curves(history, cells, hidden=2)
    handles = [h for h in figure.legends[0].legend_handles if isinstance(h, Line2D)]
    assert [h.get_label() for h in handles] == ACTIVATIONS  # no diverged cell at n_h = 2


REPO = Path(__file__).resolve().parents[2]


#: Result files whose link targets Snakemake appends to every caption (one per result file),
#: as far as our captions refer to them.
REPORT_LINKS = ("claims.png", "claims.html")


@pytest.mark.parametrize("name", [*FIGURES, *PLANAR_FIGURES, "workflow", "claims", "claims_forest"])
def test_report_captions_render_without_rst_problems(name, tmp_path, monkeypatch):
    """Each figure has a caption, and it renders as Snakemake's report renders it (Jinja2 with
    ``snakemake.config/wildcards/params``, then reStructuredText, in the working directory
    where the front page finds the run's results/overview.rst) without a warning."""
    import yaml

    monkeypatch.chdir(tmp_path)
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "overview.rst").write_text("What the run found.\n")

    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    # As the workflow does (common.smk); planar with two rates, so both wordings render.
    config["datasets"]["planar"]["learning_rate"] = [0.5, 1.2]
    for spec in config["datasets"].values():
        spec["learning_rate"] = learning_rates(spec["learning_rate"])
    for dataset in config["datasets"]:
        render_caption(name, config, dataset)


def render_caption(name, config, dataset):
    import jinja2
    from docutils.core import publish_parts

    snakemake = SimpleNamespace(
        config=config,
        wildcards=SimpleNamespace(dataset=dataset),
        params=SimpleNamespace(hidden=5, init="xavier", seed=0),
    )
    template = (REPO / "workflow" / "report" / f"{name}.rst").read_text()
    environment = jinja2.Environment(
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined
    )
    links = "".join(
        f"\n\n.. _{target}: javascript:void(0)"
        for target in REPORT_LINKS
        if f"`{target}`_" in template
    )
    text = environment.from_string(template + links).render(snakemake=snakemake)
    problems = io.StringIO()
    publish_parts(
        text, writer="html", settings_overrides={"warning_stream": problems, "report_level": 1}
    )
    assert problems.getvalue() == ""


def test_every_figure_renders_for_a_one_seed_grid_like_the_end_to_end_config(tables, tmp_path):
    """One seed (no band to draw), no identity, and neither ``small`` nor ``large`` init."""
    cells, history, _ = tables
    keep = ["tanh", "leaky_relu-0.01"], ["zeros", "xavier"], [1, 4]
    cells = cells[
        cells["activation"].isin(keep[0])
        & cells["init"].isin(keep[1])
        & cells["hidden"].isin(keep[2])
        & (cells["seed"] == 0)
    ]
    cells, configurations = select(cells.drop(columns="selected").reset_index(drop=True))
    history = history.merge(cells[list(NETWORK_COLUMNS)], on=list(NETWORK_COLUMNS))
    best = best_json(configurations)
    figures = {
        "heatmap": plots.plot_heatmap(configurations, best),
        "accuracy_vs_hidden": plots.plot_accuracy_vs_hidden(cells, metric=METRIC),
        "learning_curves": plots.plot_learning_curves(history, cells, hidden=4),
        "symmetry": plots.plot_symmetry(history, cells, hidden=4),
        "saturation": plots.plot_saturation(history, cells, hidden=4),
        "linear_collapse": plots.plot_linear_collapse(cells, configurations, metric=METRIC),
        "learning_rates": plots.plot_learning_rates(configurations, best),
        "critical_difference": plots.plot_critical_difference(cells, metric=METRIC),
    }
    assert set(figures) == set(FIGURES)
    assert [ax.get_title() for ax in figures["saturation"].axes[:2]] == [
        "init = zeros",
        "init = xavier",
    ]
    for name, figure in figures.items():
        assert_sane_png(figure, tmp_path / f"{name}.png")
