"""The test of each claim: what is compared, on which networks, against which threshold.

One function per claim id of :data:`ablation.claims.catalogue.CATALOGUE` (:data:`CHECKS`)
takes a dataset's :class:`~ablation.claims.results.DatasetResults` and returns a
:class:`Finding`: the claim's :class:`Part` s -- each an effect with its estimate (which can
give an interval at any level) and the :class:`~ablation.claims.verdicts.Rule` that decides
it -- plus the numbers behind them in words, or why the data cannot address the claim. The
level of the intervals and the verdicts are set for the whole table at once
(:mod:`ablation.claims.evaluate`), because the error rate is controlled over all of them.

Every choice made on dev (a configuration's learning rate, the best activation of a setting,
a leaky ReLU slope) uses the pooled dev scores the aggregation wrote (``configurations.csv``);
the test set only measures.

Thresholds (the metric's own margins are in :data:`ablation.metrics.METRICS`):

SPEED_MARGIN_FRACTION : 0.05
    Speed differences below 5 % of the iteration budget are negligible.
SATURATION_MARGIN : 0.05
    Large init "saturates more" if the saturated share of the hidden pre-activations at
    iteration 0 rises by more than 5 percentage points.
SYMMETRY_TOLERANCE : 1e-12 (float64), 5e-4 (float32)
    Two units are identical when the distance between their rows of W1 is at most this
    (round-off on weights of order 1, about 4500 units of the precision's epsilon);
    ``unit_spread`` and ``unit_gap`` are exactly 0 for identical rows
    (:func:`shallownet.diagnostics.squared_distances`).
LINEAR_TOLERANCE : 1e-9 (float64), 5e-4 (float32)
    An identity network computes its collapsed linear function when its test logits differ
    from W2 W1 x + W2 b1 + b2 by at most this, relative to the largest logit (rounding of
    two orders of the same products leaves about 1e-14 in float64 and 1e-6 in float32, a
    function that is not linear differs by a large fraction of its logits).
COURSE_PLATEAU_SIZE : 3
    The course's planar data: "about 67 % with 1-2 units, about 90 % from 3 units on".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ablation.claims.results import (
    COST_THRESHOLD,
    ZERO_INIT,
    DatasetResults,
    pair,
    random_init,
    seed_means,
    trained,
    with_base_activation,
)
from ablation.claims.units import format_threshold, format_value, percent
from ablation.claims.verdicts import Rule
from ablation.grid import CELL_COLUMNS, DEFAULT_ALPHA, LEAKY_RELU
from ablation.statistics import CrossedEstimate, Exact, SeedMeans, crossed_estimate

SPEED_MARGIN_FRACTION = 0.05
SATURATION_MARGIN = 0.05
SYMMETRY_TOLERANCE = {"float64": 1e-12, "float32": 5e-4}
LINEAR_TOLERANCE = {"float64": 1e-9, "float32": 5e-4}
COURSE_PLATEAU_SIZE = 3
#: Seed of the stratified halving of the test set in claim 8 (the oracle is chosen on one
#: half, measured on the other).
TEST_HALVES_SEED = 20240607

#: Activations whose hidden layer gets exactly zero gradient from a zero init (g(0) = 0).
_FROZEN_BY_ZERO_INIT = ("tanh", "relu", LEAKY_RELU, "identity")
#: Activations that do not saturate: the controls of claims 4a and 4b.
_NON_SATURATING = ("relu", LEAKY_RELU)
_BY_SETTING = ("init", "hidden", "seed")
#: What a curve over hidden sizes shares (claim 7).
_BY_CURVE = ("activation", "init", "seed")
#: A part the data cannot estimate (no usable pair): no seeds, hence inconclusive.
NO_ESTIMATE = SeedMeans(np.empty(0))


@dataclass(frozen=True)
class Part:
    """One decided comparison of a claim: ``label`` names the effect, ``unit`` its unit
    (:mod:`ablation.claims.units`); a ``premise`` part that is contradicted makes the claim
    not applicable instead."""

    label: str
    unit: str
    estimate: CrossedEstimate | SeedMeans | Exact
    rule: Rule
    premise: bool = False


@dataclass(frozen=True)
class Finding:
    """What a check found: its parts (the first non-premise part is the headline), the
    numbers behind them, and ``not_applicable``: why the data cannot address the claim
    (parts may still be given, to show what the data say)."""

    parts: tuple[Part, ...] = ()
    evidence: str = ""
    not_applicable: str | None = None


def _missing(reason: str) -> Finding:
    return Finding(not_applicable=reason)


# --------------------------------------------------------------------------- building blocks


def _metric_rule(results: DatasetResults, kind: str, threshold: float) -> Rule:
    unit = results.metric.unit
    return Rule(kind, threshold, format_threshold(threshold, unit))


def _speed_rule(results: DatasetResults, kind: str) -> Rule:
    margin = SPEED_MARGIN_FRACTION * results.budget
    return Rule(kind, margin, format_threshold(margin, "iterations"))


def _label(results: DatasetResults, comparison: str) -> str:
    return f"test {results.metric.score_name}, {comparison}"


def _level(results: DatasetResults, value: float) -> str:
    """A level of the metric (not a difference): "66.7 %" or "-0.520 nats"."""
    if results.metric.unit == "accuracy":
        return percent(value)
    return format_value(value, "nats")


def _mean_level(results: DatasetResults, rows) -> str:
    # pandas skips NaN (diverged networks) and gives NaN, without a warning, when all are.
    return _level(results, pd.Series(results.test_metric(rows)).mean())


def _prediction_part(
    results: DatasetResults, pairs: pd.DataFrame, comparison: str, rule: Rule
) -> tuple[Part, str]:
    """A part comparing the test scores of ``pairs``, and the note on diverged networks."""
    effect, diverged = results.paired_effect(pairs)
    return _part_of(results, effect, comparison, rule), _diverged_note(diverged)


def _part_of(results, effect, comparison, rule) -> Part:
    # No usable pair at all (every pair had a diverged network): no estimate.
    estimate = effect if effect is not None else NO_ESTIMATE
    return Part(_label(results, comparison), results.metric.unit, estimate, rule)


def _diverged_note(diverged: int) -> str:
    return f" {diverged} diverged network(s) left out." if diverged else ""


def _reach_shares(results: DatasetResults, rows_by_side: dict[str, pd.Series]) -> str:
    """The share of each side's networks whose training cost reached the threshold."""
    times = results.times
    return ", ".join(
        f"{side} {percent(times.loc[rows, 'reached'].mean())}"
        for side, rows in rows_by_side.items()
    )


def _speed_part(
    results: DatasetResults, pairs: pd.DataFrame, label: str, rule: Rule, sides: tuple[str, str]
) -> tuple[Part, str]:
    """Iterations to :data:`COST_THRESHOLD`, ``treatment`` minus ``control`` of ``pairs``
    (named ``sides`` in the text), among the pairs where both networks got there: a network
    that never does is censored (it may lack the capacity), not slow, so the share of each
    side that got there is reported beside the time rather than folded into it."""
    times = results.times
    treatment, control = (
        times.loc[pairs[side]].reset_index(drop=True) for side in ("treatment", "control")
    )
    both = (treatment["reached"] & control["reached"]).to_numpy()
    differences = treatment["iterations"] - control["iterations"]
    estimate = seed_means(differences[both], pairs["seed"][both])
    evidence = (
        f"Cost threshold {COST_THRESHOLD:.3f}, budget {results.budget:.0f} iterations. Share "
        "of networks that got there: "
        + _reach_shares(results, {sides[0]: pairs["treatment"], sides[1]: pairs["control"]})
        + f"; {int(both.sum())} of {len(pairs)} pairs where both did are timed (the others are "
        "censored, not counted as slow)."
    )
    if both.any():
        medians = [side["iterations"][both].median() for side in (treatment, control)]
        evidence += f" Median iterations: {sides[0]} {medians[0]:.0f}, {sides[1]} {medians[1]:.0f}."
    return Part(label, "iterations", estimate, rule), evidence


def _best_on_dev(results: DatasetResults, table: pd.DataFrame, factor: str) -> pd.Series:
    """For each (init, hidden) of ``table``, the value of ``factor`` (an activation label)
    whose configuration has the best pooled dev score at its selected rate (ties: the first
    label in order)."""
    scores = pd.concat(
        [
            table[["init", "hidden", factor]],
            results.pooled_dev_preference(table).rename("preference"),
        ],
        axis=1,
    ).drop_duplicates(["init", "hidden", factor])
    ranked = scores.sort_values(
        ["init", "hidden", "preference", factor],
        ascending=[True, True, False, True],
        kind="mergesort",
        na_position="last",
    )
    return ranked.drop_duplicates(["init", "hidden"]).set_index(["init", "hidden"])[factor]


def _best_networks(candidates: pd.DataFrame, best: pd.Series, factor: str) -> pd.DataFrame:
    """The networks of ``candidates`` whose ``factor`` is ``best`` at their (init, hidden)."""
    chosen = candidates.join(best.rename("best"), on=["init", "hidden"])
    return chosen[chosen[factor] == chosen["best"]]


def _counts(best: pd.Series) -> str:
    """How often each value is the best, in words."""
    counts = ", ".join(f"{name} ({count})" for name, count in best.value_counts().items())
    return f"{counts} of the (init, hidden) settings"


def _baseline_level(results: DatasetResults) -> float:
    weights = results.metric.example_weights(results.test_labels)
    return float((results.baseline_scores.to_numpy() @ weights).mean())


def _by_hidden(results: DatasetResults, table: pd.DataFrame) -> str:
    """Mean test value of the metric by hidden size, in words."""
    values = pd.Series(results.test_metric(table.index), index=table.index)
    means = values.groupby(table["hidden"]).mean()
    return ", ".join(f"{hidden}: {_level(results, value)}" for hidden, value in means.items())


def _network_name(table: pd.DataFrame, row) -> str:
    keys = [*CELL_COLUMNS, "learning_rate", "seed"]
    return "/".join(f"{key}~{table.loc[row, key]}" for key in keys)


def _baseline_unusable(results: DatasetResults) -> str | None:
    """Why the logistic regression cannot serve as the linear model, or None."""
    if not np.isfinite(results.baseline_scores.to_numpy()).all():
        return "the logistic regression has no test predictions"
    if not results.baseline_converged:
        return (
            "the logistic regression does not fit its training data better than a constant "
            "predictor (baseline/metrics.json: beats_constant_predictor)"
        )
    return None


def _baseline_text(results: DatasetResults) -> str:
    baseline = results.baseline
    costs = [replicate["training_cost"] for replicate in baseline["replicates"].values()]
    constants = [
        replicate["constant_predictor_cost"] for replicate in baseline["replicates"].values()
    ]
    return (
        f"Logistic regression (scikit-learn, L2 with C = {baseline['C']:g} kept on dev, "
        f"solved to convergence per replicate): test {results.metric.score_name} "
        f"{_level(results, _baseline_level(results))}, training cross-entropy "
        f"{min(costs):.3f}-{max(costs):.3f} against {min(constants):.3f}-{max(constants):.3f} "
        "for the constant predictor of the training class mix."
    )


# --------------------------------------------------------------------------- claims 1


def check_linear_matches_logistic(results: DatasetResults) -> Finding:
    """1a: every identity network computes a linear function (exact check), and identity
    networks score as logistic regression of the same replicate does (within the margin)."""
    identity = random_init(results.selected)
    identity = identity[identity["base_activation"] == "identity"]
    if identity.empty:
        return _missing("the grid has no identity networks with a random init")
    reason = _baseline_unusable(results)
    if reason:
        return _missing(reason)
    collapsed = with_base_activation(trained(results.cells))
    collapsed = collapsed[collapsed["base_activation"] == "identity"].dropna(subset=["linear_gap"])
    largest_gap = float(collapsed["linear_gap"].max()) if len(collapsed) else float("nan")
    linear = Part(
        "largest gap between an identity network and its linear function",
        "distance",
        Exact(largest_gap, int(collapsed["seed"].nunique()), len(collapsed)),
        Rule(
            "below", LINEAR_TOLERANCE[results.precision], f"{LINEAR_TOLERANCE[results.precision]:g}"
        ),
    )
    effect, diverged = results.effect_against(identity, results.baseline_scores)
    metric = results.metric
    part = _part_of(
        results,
        effect,
        "identity - logistic regression",
        _metric_rule(results, "within", metric.margin),
    )
    values = pd.Series(results.test_metric(identity.index))
    evidence = (
        f"{_baseline_text(results)} Identity networks: {_level(results, values.mean())} on "
        f"average (range {_level(results, values.min())} to {_level(results, values.max())}) "
        f"over {len(identity)} networks, each paired with its replicate's logistic "
        f"regression; every one of the {len(collapsed)} trained identity networks computes "
        f"W2 W1 x + W2 b1 + b2 to {largest_gap:.2g} (relative)." + _diverged_note(diverged)
    )
    return Finding((part, linear), evidence)


def check_linear_far_below_nonlinear(results: DatasetResults) -> Finding:
    """1b: the best non-linear network (its activation chosen on dev) scores more than the
    metric's ``far`` above the linear model, logistic regression, on the same examples; the
    lecture's data are the planar flower."""
    nonlinear = random_init(results.selected)
    nonlinear = nonlinear[nonlinear["base_activation"] != "identity"]
    if nonlinear.empty:
        return _missing("the grid has no non-linear networks with a random init")
    reason = _baseline_unusable(results)
    if reason:
        return _missing(reason)
    best = _best_on_dev(results, nonlinear, "activation")
    networks = _best_networks(nonlinear, best, "activation")
    effect, diverged = results.effect_against(networks, results.baseline_scores)
    part = _part_of(
        results,
        effect,
        "best non-linear - logistic regression",
        _metric_rule(results, "above", results.metric.far),
    )
    evidence = (
        f"{_baseline_text(results)} Mean test {results.metric.score_name} of the best "
        f"non-linear on dev: {_mean_level(results, networks.index)}; the activation best on "
        "dev: " + _counts(best) + "." + _diverged_note(diverged)
    )
    planar = None if results.planar else "the lecture makes this claim for the planar data"
    return Finding((part,), evidence, not_applicable=planar)


# --------------------------------------------------------------------------- claims 2 and 3


def check_zero_init_symmetric(results: DatasetResults) -> Finding:
    """2a: zero init keeps every unit identical at every record (exact check)."""
    history = results.keyed_history
    zero = history[(history["init"] == ZERO_INIT) & (history["hidden"] >= 2)]
    if zero.empty:
        return _missing("the grid has no zero-init networks with >= 2 hidden units")
    spread = zero.groupby("row")["unit_spread"].max().dropna()
    largest = float(spread.max()) if len(spread) else float("nan")
    cells = results.cells
    tolerance = SYMMETRY_TOLERANCE[results.precision]
    part = Part(
        "largest unit_spread of a zero-init network",
        "distance",
        Exact(largest, int(cells.loc[spread.index, "seed"].nunique()), len(spread)),
        Rule("below", tolerance, f"{tolerance:g}"),
    )
    evidence = (
        f"{len(spread)} zero-init networks with >= 2 units, every learning rate, "
        f"{zero['iteration'].nunique()} records each; largest unit_spread {largest:.3g}"
        + (" (exactly 0)." if largest == 0 else ".")
    )
    broken = spread[spread > tolerance]
    if len(broken):
        evidence += (
            f" Symmetry broken in {len(broken)} networks, e.g. "
            f"{_network_name(cells, broken.index[0])}."
        )
    return Finding((part,), evidence)


def _moved_zero_init(results: DatasetResults, activations) -> tuple[int, int]:
    """How many zero-init networks of ``activations`` ever got a hidden-layer gradient, of
    how many (any record with ``grad_norm_W1 > 0``)."""
    history = results.keyed_history
    base = with_base_activation(history)["base_activation"]
    zero = history[(history["init"] == ZERO_INIT) & base.isin(activations)]
    moved = zero.groupby("row")["grad_norm_W1"].max() > 0
    return int(moved.sum()), len(moved)


def check_zero_init_extra_units_useless(results: DatasetResults) -> Finding:
    """2b: zero-init sigmoid networks gain nothing from more units (below the margin)."""
    sigmoid = results.selected
    sigmoid = sigmoid[(sigmoid["init"] == ZERO_INIT) & (sigmoid["activation"] == "sigmoid")]
    sizes = sorted(sigmoid["hidden"].unique())
    if len(sizes) < 2:
        return _missing("the grid has no zero-init sigmoid networks at two hidden sizes")
    moved, total = _moved_zero_init(results, ("sigmoid",))
    if moved == 0:
        return _missing(
            f"none of the {total} zero-init sigmoid networks ever got a hidden-layer gradient "
            "(zero weights are an exact critical point on these data), so every size computes "
            "the same function by construction"
        )
    pairs = pd.concat(
        [
            pair(sigmoid, "hidden", size, sizes[0], ("activation", "init", "seed"))
            for size in sizes[1:]
        ],
        ignore_index=True,
    )
    metric = results.metric
    part, diverged = _prediction_part(
        results,
        pairs,
        f"more hidden units - {sizes[0]}",
        _metric_rule(results, "below", metric.margin),
    )
    frozen, frozen_total = _moved_zero_init(results, _FROZEN_BY_ZERO_INIT)
    evidence = (
        f"Sigmoid, zero init, mean test {metric.score_name} by hidden size: "
        f"{_by_hidden(results, sigmoid)}; {moved} of {total} zero-init sigmoid networks got a "
        f"hidden-layer gradient; their replicates differ in their training data. Structural "
        f"(not evidence): {frozen_total - frozen} of {frozen_total} zero-init "
        "tanh/ReLU/leaky ReLU/identity networks had exactly zero hidden-layer gradient at "
        "every record." + diverged
    )
    return Finding((part,), evidence)


def check_random_init_breaks_symmetry(results: DatasetResults) -> Finding:
    """3: random init gains over zero init (sigmoid), and leaves every unit distinct."""
    sigmoid = results.selected
    sigmoid = sigmoid[(sigmoid["activation"] == "sigmoid") & (sigmoid["hidden"] >= 2)]
    inits = sorted(set(sigmoid["init"]) - {ZERO_INIT})
    if ZERO_INIT not in set(sigmoid["init"]) or not inits:
        return _missing(
            "the grid has no sigmoid networks with >= 2 hidden units under both zero and "
            "random init"
        )
    pairs = pd.concat(
        [
            pair(sigmoid, "init", init, ZERO_INIT, ("activation", "hidden", "seed"))
            for init in inits
        ],
        ignore_index=True,
    )
    gain, diverged = _prediction_part(
        results,
        pairs,
        "random - zero init (sigmoid)",
        _metric_rule(results, "above", results.metric.margin),
    )
    every_rate = trained(random_init(results.cells))
    every_rate = every_rate[every_rate["hidden"] >= 2].dropna(subset=["unit_gap"])
    distinct = every_rate[every_rate["selected"]]
    smallest = float(distinct["unit_gap"].min()) if len(distinct) else float("nan")
    tolerance = SYMMETRY_TOLERANCE[results.precision]
    gap = Part(
        "smallest unit_gap of a random-init network",
        "distance",
        Exact(smallest, int(distinct["seed"].nunique()), len(distinct)),
        Rule("above", tolerance, f"{tolerance:g}"),
    )
    identical = distinct[distinct["unit_gap"] <= tolerance]
    merged = every_rate[~every_rate["selected"] & (every_rate["unit_gap"] <= tolerance)]
    evidence = (
        f"Mean test {results.metric.score_name} of sigmoid networks: random init "
        f"{_mean_level(results, pairs['treatment'])}, zero init "
        f"{_mean_level(results, pairs['control'])}. {len(distinct) - len(identical)} of "
        f"{len(distinct)} random-init networks at their selected learning rate end with "
        f"distinct units; smallest unit_gap {smallest:.3g}."
        + (
            f" Identical units in e.g. {_network_name(results.cells, identical.index[0])}."
            if len(identical)
            else ""
        )
        + (
            f" At learning rates not selected on dev, {len(merged)} networks that started "
            f"with distinct units end with two identical ones (e.g. "
            f"{_network_name(results.cells, merged.index[0])}): units can merge during "
            "training."
            if len(merged)
            else ""
        )
        + diverged
    )
    return Finding((gain, gap), evidence)


# --------------------------------------------------------------------------- claims 4


def _init_change(results: DatasetResults, table: pd.DataFrame, large: str, control: str):
    """Per (activation, hidden, learning rate, seed): ``reached`` (both networks got to the
    cost threshold) and ``change`` (iterations under ``large`` init minus under ``control``)."""
    pairs = pair(table, "init", large, control, ("activation", "hidden", "learning_rate", "seed"))
    times = results.times
    treatment, reference = (
        times.loc[pairs[side]].reset_index(drop=True) for side in ("treatment", "control")
    )
    return pairs.assign(
        reached=(treatment["reached"] & reference["reached"]).to_numpy(),
        change=(treatment["iterations"] - reference["iterations"]).to_numpy(),
    )


def check_saturation_slows(results: DatasetResults, activation: str) -> Finding:
    """4a/4b: large init saturates ``activation`` at iteration 0 (premise) and slows descent
    more than it slows a non-saturating activation (ReLU, leaky ReLU) under the same change of
    init: a difference in differences, so that what large weights do to every activation
    (larger steps of the output unit, another starting point) is not taken for saturation."""
    table = with_base_activation(results.cells)
    table = table[table["init"].isin(["small", "large"])]
    target = table[table["activation"] == activation]
    controls = table[table["base_activation"].isin(_NON_SATURATING)]
    if set(target["init"]) != {"small", "large"} or set(controls["init"]) != {"small", "large"}:
        return _missing(
            f"the grid has no {activation}, and no ReLU or leaky ReLU, networks with both "
            "small and large init"
        )
    pairs = pair(
        target, "init", "large", "small", ("activation", "hidden", "learning_rate", "seed")
    )
    start = results.start
    saturation = {
        side: start.loc[pairs[side], "saturation"].to_numpy() for side in ("treatment", "control")
    }
    premise = Part(
        "saturated share at iteration 0, large - small init",
        "share",
        seed_means(pd.Series(saturation["treatment"] - saturation["control"]), pairs["seed"]),
        Rule("above", SATURATION_MARGIN, format_threshold(SATURATION_MARGIN, "share")),
        premise=True,
    )
    settings = ["hidden", "learning_rate", "seed"]
    changes = _init_change(results, target, "large", "small")
    control_changes = _init_change(results, controls, "large", "small")
    timed = changes[changes["reached"]].set_index(settings)["change"]
    control_timed = control_changes[control_changes["reached"]].groupby(settings)["change"].mean()
    both = timed.index.intersection(control_timed.index)
    difference = (timed[both] - control_timed[both]).reset_index(name="difference")
    slowdown = Part(
        f"iterations to the cost threshold, large - small init, {activation} minus ReLU/leaky ReLU",
        "iterations",
        seed_means(difference["difference"], difference["seed"]) if len(both) else NO_ESTIMATE,
        _speed_rule(results, "above"),
    )
    reached = {
        f"{activation} {init}": target.index[target["init"] == init] for init in ("small", "large")
    } | {
        f"ReLU/leaky ReLU {init}": controls.index[controls["init"] == init]
        for init in ("small", "large")
    }
    evidence = (
        f"Saturated share at iteration 0: small init {percent(saturation['control'].mean())}, "
        f"large {percent(saturation['treatment'].mean())}. Cost threshold "
        f"{COST_THRESHOLD:.3f}, budget {results.budget:.0f} iterations; share of networks that "
        "got there: " + _reach_shares(results, reached) + ". Slow-down from small to large "
        f"init where all got there (same hidden size, learning rate and seed): {activation} "
        f"{timed[both].mean():+.0f}, ReLU/leaky ReLU {control_timed[both].mean():+.0f} "
        f"iterations on average over {len(both)} settings; the others are censored."
    )
    return Finding((premise, slowdown), evidence)


def check_relu_large_init(results: DatasetResults) -> Finding:
    """4c: ReLU and leaky ReLU under large init match He init in speed and accuracy."""
    table = with_base_activation(results.cells)
    table = table[
        table["base_activation"].isin(_NON_SATURATING) & table["init"].isin(["large", "he"])
    ]
    if set(table["init"]) != {"large", "he"}:
        return _missing("the grid has no ReLU or leaky ReLU networks with both large and He init")
    same_rate = pair(
        table, "init", "large", "he", ("activation", "hidden", "learning_rate", "seed")
    )
    speed, speed_evidence = _speed_part(
        results,
        same_rate,
        "iterations to the cost threshold, large - He init",
        _speed_rule(results, "below"),
        ("large init", "He init"),
    )
    selected = results.selected
    selected = selected[selected.index.isin(table.index)]
    tuned = pair(selected, "init", "large", "he", ("activation", "hidden", "seed"))
    accuracy, diverged = _prediction_part(
        results, tuned, "large - He init", _metric_rule(results, "above", -results.metric.margin)
    )
    evidence = (
        f"Mean test {results.metric.score_name}: "
        f"large init {_mean_level(results, tuned['treatment'])}, "
        f"He {_mean_level(results, tuned['control'])}. Speed: " + speed_evidence + diverged
    )
    return Finding((speed, accuracy), evidence)


# --------------------------------------------------------------------------- claims 5 and 6


def _activation_pairs(results: DatasetResults, treatment: str, control: str) -> pd.DataFrame:
    table = random_init(results.selected)
    return pair(table, "activation", treatment, control, _BY_SETTING)


def check_tanh_more_accurate(results: DatasetResults) -> Finding:
    """5a: tanh scores more than the margin above sigmoid."""
    pairs = _activation_pairs(results, "tanh", "sigmoid")
    if pairs.empty:
        return _missing("the grid has no tanh and sigmoid networks with a shared random init")
    part, diverged = _prediction_part(
        results, pairs, "tanh - sigmoid", _metric_rule(results, "above", results.metric.margin)
    )
    evidence = (
        f"Mean test {results.metric.score_name}: tanh {_mean_level(results, pairs['treatment'])}, "
        f"sigmoid {_mean_level(results, pairs['control'])} over {len(pairs)} pairs." + diverged
    )
    return Finding((part,), evidence)


def _speed_claim(results: DatasetResults, faster: str, slower: str) -> Finding:
    """``faster`` saves more than the speed margin over ``slower`` (each at its rate)."""
    pairs = _activation_pairs(results, slower, faster)
    if pairs.empty:
        return _missing(f"the grid has no {faster} and {slower} networks with a shared random init")
    part, evidence = _speed_part(
        results,
        pairs,
        f"iterations saved by {faster} over {slower}",
        _speed_rule(results, "above"),
        (slower, faster),
    )
    return Finding((part,), evidence)


def check_tanh_faster(results: DatasetResults) -> Finding:
    """5b: tanh reaches the cost threshold sooner than sigmoid."""
    return _speed_claim(results, "tanh", "sigmoid")


def check_relu_near_best(results: DatasetResults) -> Finding:
    """6a: ReLU scores within the margin of the activation best on dev (non-inferiority)."""
    table = random_init(results.selected)
    relu = table[table["activation"] == "relu"]
    if relu.empty:
        return _missing("the grid has no ReLU networks with a random init")
    best = _best_on_dev(results, table, "activation")
    # ReLU may be the best itself: its networks then stand on both sides.
    sides = pd.concat(
        [relu.assign(side="ReLU"), _best_networks(table, best, "activation").assign(side="best")]
    )
    pairs = pair(sides, "side", "ReLU", "best", _BY_SETTING)
    part, diverged = _prediction_part(
        results, pairs, "ReLU - best on dev", _metric_rule(results, "above", -results.metric.margin)
    )
    evidence = (
        f"Mean test {results.metric.score_name}: ReLU {_mean_level(results, pairs['treatment'])}, "
        f"the activation best on dev {_mean_level(results, pairs['control'])}; best on dev: "
        + _counts(best)
        + "."
        + diverged
    )
    return Finding((part,), evidence)


def check_relu_faster(results: DatasetResults) -> Finding:
    """6b: ReLU reaches the cost threshold sooner than tanh."""
    return _speed_claim(results, "relu", "tanh")


# --------------------------------------------------------------------------- claim 7


def _plateau_size(results: DatasetResults, table: pd.DataFrame) -> int:
    """The smallest hidden size above the smallest whose mean dev value of the metric is
    within the margin of the best size's."""
    curve = results.dev_preference(table).groupby(table["hidden"]).mean()
    sizes = curve.index[1:]
    near = curve[sizes] >= curve.max() - results.metric.margin
    return int(sizes[near.to_numpy()].min()) if near.any() else int(sizes.max())


def _curves(results: DatasetResults, activations=None) -> pd.DataFrame:
    """Non-linear networks (or those of ``activations``) with a random init, at their
    selected rates: the accuracy-against-size curves of claim 7."""
    table = random_init(results.selected)
    table = table[table["base_activation"] != "identity"]
    if activations is not None:
        table = table[table["activation"].isin(activations)]
    return table


def check_course_plateau(results: DatasetResults) -> Finding:
    """7a: the course's statement as it stands -- tanh on the planar data scores about 67 %
    with 1-2 hidden units and about 90 % from 3 on: a rise from 1-2 units to 3 above the
    margin, and no change from 3 units to the largest size beyond it."""
    table = _curves(results, ("tanh",))
    sizes = sorted(table["hidden"].unique())
    small = [size for size in sizes if size < COURSE_PLATEAU_SIZE]
    if COURSE_PLATEAU_SIZE not in sizes or not small or sizes[-1] <= COURSE_PLATEAU_SIZE:
        return _missing(
            f"the course's statement needs tanh networks with {COURSE_PLATEAU_SIZE} hidden "
            "units, fewer, and more; the grid has sizes " + ", ".join(map(str, sizes))
        )
    metric = results.metric
    # The small sizes' networks are averaged within each seed, as settings are (the pairs of
    # a seed are averaged by paired_effect).
    rises = pd.concat(
        [pair(table, "hidden", COURSE_PLATEAU_SIZE, size, _BY_CURVE) for size in small],
        ignore_index=True,
    )
    rise, diverged = _prediction_part(
        results,
        rises,
        f"{COURSE_PLATEAU_SIZE} units - {'-'.join(map(str, small))} units (tanh)",
        _metric_rule(results, "above", metric.margin),
    )
    level, _ = _prediction_part(
        results,
        pair(table, "hidden", sizes[-1], COURSE_PLATEAU_SIZE, _BY_CURVE),
        f"{sizes[-1]} units - {COURSE_PLATEAU_SIZE} units (tanh)",
        _metric_rule(results, "within", metric.margin),
    )
    evidence = (
        f"tanh, random inits, mean test {metric.score_name} by hidden size: "
        f"{_by_hidden(results, table)} (course: about 67 % with 1-2 units, about 90 % from 3)."
        + diverged
    )
    not_applicable = None if results.planar else "the lecture makes this claim for the planar data"
    return Finding((rise, level), evidence, not_applicable)


def check_hidden_size_plateau(results: DatasetResults) -> Finding:
    """7b: the metric rises from the smallest size to the plateau size h* and stays level
    after it; h* is chosen on the other seeds for each held-out seed."""
    table = _curves(results)
    sizes = sorted(table["hidden"].unique())
    seeds = sorted(table["seed"].unique())
    if len(sizes) < 3 or len(seeds) < 2:
        return _missing(
            "a rise then a plateau needs three hidden sizes or more and two seeds or more "
            f"(non-linear, random init); the grid has {len(sizes)} and {len(seeds)}"
        )
    smallest, largest = sizes[0], sizes[-1]
    plateau_of = {seed: _plateau_size(results, table[table["seed"] != seed]) for seed in seeds}

    def held_out(treatment: Callable[[int], int], control: Callable[[int], int]):
        """Pairs within each held-out seed, of the sizes given as functions of its h*."""
        by_seed = [
            pair(table[table["seed"] == seed], "hidden", treatment(h), control(h), _BY_CURVE)
            for seed, h in plateau_of.items()
        ]
        return pd.concat(by_seed, ignore_index=True)

    metric = results.metric
    rise, diverged = _prediction_part(
        results,
        held_out(lambda h: h, lambda h: smallest),
        f"plateau size h* - smallest size ({smallest}), held-out seeds",
        _metric_rule(results, "above", metric.margin),
    )
    level_label = f"largest size ({largest}) - h*, held-out seeds"
    level_rule = _metric_rule(results, "within", metric.margin)
    evidence = (
        "h* chosen on the other seeds' own dev examples, by held-out seed: "
        + ", ".join(f"{seed}: {size}" for seed, size in plateau_of.items())
        + f". Mean test {metric.score_name} by hidden size: {_by_hidden(results, table)}."
    )
    if largest in plateau_of.values():
        # Still rising at the largest size on some seeds: there is no plateau to test.
        evidence += f" On some seeds h* is the largest size ({largest}): no plateau to test."
        level = Part(_label(results, level_label), metric.unit, NO_ESTIMATE, level_rule)
    else:
        level, _ = _prediction_part(
            results, held_out(lambda h: largest, lambda h: h), level_label, level_rule
        )
    not_applicable = None if results.planar else "the lecture makes this claim for the planar data"
    return Finding((rise, level), evidence + diverged, not_applicable)


# --------------------------------------------------------------------------- claim 8


def halves_of_the_test_set(labels: np.ndarray) -> np.ndarray:
    """A stratified split of the test examples into two halves: True for the half on which
    claim 8 picks the best configuration, False for the one it measures on."""
    rng = np.random.default_rng(TEST_HALVES_SEED)
    first = np.zeros(labels.size, dtype=bool)
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        first[members[: members.size // 2]] = True
    return first


def check_dev_selection(results: DatasetResults) -> Finding:
    """8: best.json's configuration against the best configuration and against no model.

    (i) The price of selecting on dev: the best alternative on one half of the test set
    (the configuration, other than the dev-selected one, that a reader looking at test scores
    would have picked) minus the dev-selected one, both measured on the other half, which
    that choice never saw: a difference of two fixed configurations, whose interval keeps its
    coverage (an interval of the best of many configurations measured where it was chosen
    would not, and the best including the selected one would make a price of exactly 0 by
    construction whenever they coincide). Negative: no alternative did better. (ii) The
    dev-selected configuration minus the constant predictor of the training class mix.
    """
    best = results.best
    key = tuple(best[column] for column in CELL_COLUMNS)
    name = "/".join(map(str, key))
    table = trained(results.selected)
    seeds = sorted(results.selected["seed"].unique())
    complete = table.groupby(list(CELL_COLUMNS))["seed"].transform("count") == len(seeds)
    table = table[complete]
    chosen = table[table[list(CELL_COLUMNS)].apply(tuple, axis=1) == key]
    if chosen.empty:
        raise ValueError(
            f"{results.name}: best.json selects {name}, which has no trained network for "
            "every seed at its selected learning rate in cells.csv; rerun the aggregation"
        )
    if not np.isclose(chosen["learning_rate"].iloc[0], best["learning_rate"]):
        raise ValueError(
            f"{results.name}: best.json's learning rate {best['learning_rate']:g} for {name} "
            f"is not the one selected on dev ({chosen['learning_rate'].iloc[0]:g}); rerun "
            "the aggregation"
        )
    labels, metric = results.test_labels, results.metric
    choose_on = halves_of_the_test_set(labels)
    weights = {
        half: metric.example_weights(labels[columns])
        for half, columns in (("choose", choose_on), ("measure", ~choose_on))
    }
    scores = results.scores_of(table.index)
    choice_means = pd.Series(scores[:, choose_on] @ weights["choose"], index=table.index)
    by_configuration = choice_means.groupby([table[column] for column in CELL_COLUMNS]).mean()
    alternatives = by_configuration.drop(key)
    if alternatives.empty:
        return _missing("the grid has a single configuration with every seed trained")
    oracle = alternatives.idxmax()
    oracle_rows = table[table[list(CELL_COLUMNS)].apply(tuple, axis=1) == oracle]
    differences = (
        pd.DataFrame(results.scores_of(oracle_rows.index)[:, ~choose_on], index=oracle_rows["seed"])
        - pd.DataFrame(results.scores_of(chosen.index)[:, ~choose_on], index=chosen["seed"])
    ).sort_index()
    price = crossed_estimate(
        differences.to_numpy(), labels[~choose_on], weights["measure"], "test half"
    )
    price_part = Part(
        _label(results, "best alternative on the other test half - dev-selected"),
        metric.unit,
        price,
        _metric_rule(results, "below", metric.margin),
    )
    majority, _ = results.effect_against(chosen, results.constant_scores)
    majority_part = _part_of(
        results,
        majority,
        "dev-selected - majority class",
        _metric_rule(results, "above", metric.margin),
    )
    all_weights = metric.example_weights(labels)
    evidence = (
        f"best.json selects {name} at learning rate {best['learning_rate']:g} on "
        f"{best['dev_examples']} dev examples: test {metric.score_name} "
        f"{_mean_level(results, chosen.index)}; the best of the {alternatives.size} other "
        f"configurations with every seed trained, on a stratified half of the test set "
        f"({int(choose_on.sum())} examples), is {'/'.join(map(str, oracle))}, measured with "
        f"the selected one on the other {int((~choose_on).sum())}; "
        f"{len(best['indistinguishable'])} configurations are indistinguishable from the "
        "selected one on dev; the constant predictor of the training class mix scores "
        f"{_level(results, float(results.constant_scores @ all_weights))}."
    )
    if not best.get("beats_majority_on_dev", True):
        evidence += f" best.json warns: {best['warning']}"
    return Finding((price_part, majority_part), evidence)


# --------------------------------------------------------------------------- claim 9


def check_leaky_slope(results: DatasetResults) -> Finding:
    """9: for each (init, hidden), the leaky ReLU slope chosen on dev beats the lecture's 0.01
    by more than the margin on test, where dev chose another slope."""
    leaky = random_init(results.selected)
    leaky = leaky[leaky["base_activation"] == LEAKY_RELU]
    slopes = sorted(leaky["alpha"].unique())
    if len(slopes) < 2:
        configured = ", ".join(f"{alpha:g}" for alpha in slopes) or "none"
        return _missing(
            f"one leaky ReLU slope was run (alpha = {configured}): list several in the "
            "config's leaky_relu_alpha to test this claim"
        )
    default = min(slopes, key=lambda alpha: abs(alpha - DEFAULT_ALPHA))
    default_label = leaky.loc[leaky["alpha"] == default, "activation"].iloc[0]
    tuned = _best_on_dev(results, leaky, "activation")
    moved = tuned[tuned != default_label]
    counts = ", ".join(f"{label} ({count})" for label, count in tuned.value_counts().items())
    if moved.empty:
        return _missing(
            f"dev chooses the default slope {default:g} at every (init, hidden) "
            f"({counts}): there is no tuned slope to compare with it"
        )
    sides = pd.concat(
        [
            _best_networks(leaky, moved, "activation").assign(side="tuned"),
            leaky[leaky["activation"] == default_label].assign(side="default"),
        ]
    )
    pairs = pair(sides, "side", "tuned", "default", _BY_SETTING)
    part, diverged = _prediction_part(
        results,
        pairs,
        f"slope chosen on dev - {default:g}",
        _metric_rule(results, "above", results.metric.margin),
    )
    evidence = (
        f"The slope chosen on dev at each (init, hidden): {counts}; measured where it is not "
        f"{default:g} ({len(moved)} settings): mean test {results.metric.score_name} "
        f"{_mean_level(results, pairs['treatment'])} against "
        f"{_mean_level(results, pairs['control'])} at {default:g}." + diverged
    )
    return Finding((part,), evidence)


#: The check of each claim id, in the catalogue's order.
CHECKS: dict[str, Callable[[DatasetResults], Finding]] = {
    "1a": check_linear_matches_logistic,
    "1b": check_linear_far_below_nonlinear,
    "2a": check_zero_init_symmetric,
    "2b": check_zero_init_extra_units_useless,
    "3": check_random_init_breaks_symmetry,
    "4a": lambda results: check_saturation_slows(results, "sigmoid"),
    "4b": lambda results: check_saturation_slows(results, "tanh"),
    "4c": check_relu_large_init,
    "5a": check_tanh_more_accurate,
    "5b": check_tanh_faster,
    "6a": check_relu_near_best,
    "6b": check_relu_faster,
    "7a": check_course_plateau,
    "7b": check_hidden_size_plateau,
    "8": check_dev_selection,
    "9": check_leaky_slope,
}
