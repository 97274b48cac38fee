"""The test of each claim: what is compared, on which networks, against which threshold.

One function per claim id of :data:`ablation.claims.catalogue.CATALOGUE` (:data:`CHECKS`)
takes a dataset's :class:`~ablation.claims.results.DatasetResults` and returns a
:class:`Finding`: the claim's :class:`Part` s -- each an effect with its estimate (which can
give an interval at any level) and the :class:`~ablation.claims.verdicts.Rule` that decides
it -- plus the numbers behind them in words, or why the data cannot address the claim. The
level of the intervals and the verdicts are set for the whole table at once
(:mod:`ablation.claims.evaluate`), because the error rate is controlled over all of them.

Thresholds (the metric's own margins are in :mod:`ablation.claims.scores`):

SPEED_MARGIN_FRACTION : 0.05
    Speed differences below 5 % of the iteration budget are negligible.
SATURATION_MARGIN : 0.05
    Large init "saturates more" if the saturated share of the hidden pre-activations at
    iteration 0 rises by more than 5 percentage points.
SYMMETRY_TOLERANCE : 1e-12
    Two units are identical when the distance between their rows of W1 is at most this
    (float64 round-off on weights of order 1); ``unit_spread`` and ``unit_gap`` are exactly 0
    for identical rows (:func:`shallownet.diagnostics.squared_distances`).
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
from ablation.claims.statistics import (
    CrossedBootstrap,
    Exact,
    SeedMeans,
    example_weights,
    resampled_means,
    seed_weights,
)
from ablation.claims.units import format_threshold, format_value, percent
from ablation.claims.verdicts import Rule
from ablation.grid import CELL_COLUMNS, DEFAULT_ALPHA, LEAKY_RELU

SPEED_MARGIN_FRACTION = 0.05
SATURATION_MARGIN = 0.05
SYMMETRY_TOLERANCE = 1e-12

#: Activations whose hidden layer gets exactly zero gradient from a zero init (g(0) = 0).
_FROZEN_BY_ZERO_INIT = ("tanh", "relu", LEAKY_RELU, "identity")
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
    estimate: CrossedBootstrap | SeedMeans | Exact
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


def _speed_part(
    results: DatasetResults, pairs: pd.DataFrame, label: str, rule: Rule, sides: tuple[str, str]
) -> tuple[Part, str]:
    """Iterations to :data:`COST_THRESHOLD`, ``treatment`` minus ``control`` of ``pairs``
    (named ``sides`` in the text), pairs where neither network got there left out; with the
    numbers in words."""
    times = results.times
    treatment, control = (
        times.loc[pairs[side]].reset_index(drop=True) for side in ("treatment", "control")
    )
    informative = (treatment["reached"] | control["reached"]).to_numpy()
    differences = treatment["iterations"] - control["iterations"]
    estimate = seed_means(differences[informative], pairs["seed"][informative])
    one_censored = int((treatment["reached"] ^ control["reached"]).sum())
    evidence = (
        f"Cost threshold {COST_THRESHOLD:.3f}, budget {results.budget:.0f} iterations: "
        f"{int(informative.sum())} informative pairs, {one_censored} with one network that "
        "never got there (counted at the budget: the gap is a lower bound), "
        f"{int((~informative).sum())} where neither did left out."
    )
    if informative.any():
        medians = [side["iterations"][informative].median() for side in (treatment, control)]
        evidence += f" Median iterations: {sides[0]} {medians[0]:.0f}, {sides[1]} {medians[1]:.0f}."
    return Part(label, "iterations", estimate, rule), evidence


def _best_on_dev(results: DatasetResults, table: pd.DataFrame) -> pd.Series:
    """For each (init, hidden) of ``table``, the activation label with the best mean dev
    value of the selection metric over seeds (ties: the first label in order)."""
    preference = results.dev_preference(table).rename("preference")
    means = pd.concat([table[["init", "hidden", "activation"]], preference], axis=1)
    means = means.groupby(["init", "hidden", "activation"])["preference"].mean().reset_index()
    ranked = means.sort_values(
        ["init", "hidden", "preference", "activation"],
        ascending=[True, True, False, True],
        kind="mergesort",
    )
    return ranked.drop_duplicates(["init", "hidden"]).set_index(["init", "hidden"])["activation"]


def _best_networks(candidates: pd.DataFrame, best: pd.Series) -> pd.DataFrame:
    """The networks of ``candidates`` whose activation is ``best`` at their (init, hidden)."""
    chosen = candidates.join(best.rename("best"), on=["init", "hidden"])
    return chosen[chosen["activation"] == chosen["best"]]


def _counts(best: pd.Series) -> str:
    """How often each activation is the best, in words."""
    counts = ", ".join(f"{name} ({count})" for name, count in best.value_counts().items())
    return f"{counts} of the (init, hidden) settings"


def _baseline_level(results: DatasetResults) -> float:
    return float(results.baseline_scores @ results.metric.example_weights(results.test_labels))


def _by_hidden(results: DatasetResults, table: pd.DataFrame) -> str:
    """Mean test value of the metric by hidden size, in words."""
    values = pd.Series(results.test_metric(table.index), index=table.index)
    means = values.groupby(table["hidden"]).mean()
    return ", ".join(f"{hidden}: {_level(results, value)}" for hidden, value in means.items())


def _network_name(table: pd.DataFrame, row) -> str:
    keys = [*CELL_COLUMNS, "learning_rate", "seed"]
    return "/".join(f"{key}~{table.loc[row, key]}" for key in keys)


# --------------------------------------------------------------------------- claims 1


def check_linear_matches_logistic(results: DatasetResults) -> Finding:
    """1a: identity networks score as logistic regression does (within the metric's margin)."""
    identity = random_init(results.selected)
    identity = identity[identity["base_activation"] == "identity"]
    if identity.empty:
        return _missing("the grid has no identity networks with a random init")
    if not np.isfinite(results.baseline_scores).all():
        return _missing("the logistic regression diverged: it has no test predictions")
    effect, diverged = results.effect_against(identity, results.baseline_scores)
    metric = results.metric
    part = _part_of(
        results,
        effect,
        "identity - logistic regression",
        _metric_rule(results, "within", metric.margin),
    )
    values = pd.Series(results.test_metric(identity.index))
    baseline = _baseline_level(results)
    evidence = (
        f"Logistic regression (learning rate {results.baseline['learning_rate']:g}, kept on "
        f"dev): test {metric.score_name} {_level(results, baseline)}; identity networks "
        f"{_level(results, values.mean())} on average (range "
        f"{_level(results, values.min())} to {_level(results, values.max())}) over "
        f"{len(identity)} networks." + _diverged_note(diverged)
    )
    return Finding((part,), evidence)


def check_linear_far_below_nonlinear(results: DatasetResults) -> Finding:
    """1b: the best non-linear network (its activation chosen on dev) scores more than the
    metric's ``far`` above the linear model, logistic regression, on the same examples; the
    lecture's data are the planar flower."""
    nonlinear = random_init(results.selected)
    nonlinear = nonlinear[nonlinear["base_activation"] != "identity"]
    if nonlinear.empty:
        return _missing("the grid has no non-linear networks with a random init")
    if not np.isfinite(results.baseline_scores).all():
        return _missing("the logistic regression diverged: it has no test predictions")
    best = _best_on_dev(results, nonlinear)
    networks = _best_networks(nonlinear, best)
    effect, diverged = results.effect_against(networks, results.baseline_scores)
    part = _part_of(
        results,
        effect,
        "best non-linear - logistic regression",
        _metric_rule(results, "above", results.metric.far),
    )
    evidence = (
        f"Mean test {results.metric.score_name}: best non-linear on dev "
        f"{_mean_level(results, networks.index)}, logistic regression "
        f"{_level(results, _baseline_level(results))}; the activation best on dev: "
        + _counts(best)
        + "."
        + _diverged_note(diverged)
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
    part = Part(
        "largest unit_spread of a zero-init network",
        "distance",
        Exact(largest, int(cells.loc[spread.index, "seed"].nunique()), len(spread)),
        Rule("below", SYMMETRY_TOLERANCE, f"{SYMMETRY_TOLERANCE:g}"),
    )
    evidence = (
        f"{len(spread)} zero-init networks with >= 2 units, every learning rate, "
        f"{zero['iteration'].nunique()} records each; largest unit_spread {largest:.3g}"
        + (" (exactly 0)." if largest == 0 else ".")
    )
    broken = spread[spread > SYMMETRY_TOLERANCE]
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
        f"hidden-layer gradient. Structural (not evidence): {frozen_total - frozen} of "
        f"{frozen_total} zero-init tanh/ReLU/leaky ReLU/identity networks had exactly zero "
        "hidden-layer gradient at every record." + diverged
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
    distinct = trained(random_init(results.cells))
    distinct = distinct[distinct["hidden"] >= 2].dropna(subset=["unit_gap"])
    smallest = float(distinct["unit_gap"].min()) if len(distinct) else float("nan")
    gap = Part(
        "smallest unit_gap of a random-init network",
        "distance",
        Exact(smallest, int(distinct["seed"].nunique()), len(distinct)),
        Rule("above", SYMMETRY_TOLERANCE, f"{SYMMETRY_TOLERANCE:g}"),
    )
    identical = distinct[distinct["unit_gap"] <= SYMMETRY_TOLERANCE]
    evidence = (
        f"Mean test {results.metric.score_name} of sigmoid networks: random init "
        f"{_mean_level(results, pairs['treatment'])}, zero init "
        f"{_mean_level(results, pairs['control'])}. {len(distinct) - len(identical)} of "
        f"{len(distinct)} random-init networks end with distinct units; smallest unit_gap "
        f"{smallest:.3g}."
        + (
            f" Identical units in e.g. {_network_name(results.cells, identical.index[0])}."
            if len(identical)
            else ""
        )
        + diverged
    )
    return Finding((gain, gap), evidence)


# --------------------------------------------------------------------------- claims 4


def check_saturation_slows(results: DatasetResults, activation: str) -> Finding:
    """4a/4b: large init saturates ``activation`` at iteration 0 (premise) and slows descent."""
    table = with_base_activation(results.cells)
    table = table[(table["activation"] == activation) & table["init"].isin(["small", "large"])]
    if set(table["init"]) != {"small", "large"}:
        return _missing(f"the grid has no {activation} networks with both small and large init")
    pairs = pair(table, "init", "large", "small", ("activation", "hidden", "learning_rate", "seed"))
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
    slowdown, speed = _speed_part(
        results,
        pairs,
        "iterations to the cost threshold, large - small init",
        _speed_rule(results, "above"),
        ("large init", "small init"),
    )
    gradient = {
        side: start.loc[pairs[side], "grad_norm_W1"].to_numpy() for side in ("treatment", "control")
    }
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = pd.Series(gradient["treatment"] / gradient["control"]).median()
    evidence = (
        f"Saturated share at iteration 0: small init {percent(saturation['control'].mean())}, "
        f"large {percent(saturation['treatment'].mean())}; ||dW1|| at iteration 0, median "
        f"ratio large/small {ratio:.3g}. " + speed
    )
    return Finding((premise, slowdown), evidence)


def check_relu_large_init(results: DatasetResults) -> Finding:
    """4c: ReLU and leaky ReLU under large init match He init in speed and accuracy."""
    table = with_base_activation(results.cells)
    table = table[
        table["base_activation"].isin(["relu", LEAKY_RELU]) & table["init"].isin(["large", "he"])
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
    best = _best_on_dev(results, table)
    # ReLU may be the best itself: its networks then stand on both sides.
    sides = pd.concat([relu.assign(side="ReLU"), _best_networks(table, best).assign(side="best")])
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


def check_hidden_size_plateau(results: DatasetResults) -> Finding:
    """7: the metric rises from the smallest size to the plateau size h* and stays level
    after it; h* is chosen on the other seeds for each held-out seed."""
    table = random_init(results.selected)
    table = table[table["base_activation"] != "identity"]
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
        "h* chosen on the other seeds, by held-out seed: "
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
    if results.planar:
        evidence += " " + _course_planar_comparison(table)
    not_applicable = None if results.planar else "the lecture makes this claim for the planar data"
    return Finding((rise, level), evidence + diverged, not_applicable)


def _course_planar_comparison(table: pd.DataFrame) -> str:
    """The course's planar setting (tanh, small init, train accuracy) beside its numbers."""
    course = table[(table["activation"] == "tanh") & (table["init"] == "small")]
    if course.empty:
        return "No tanh/small-init networks to compare with the course."
    few = course.loc[course["hidden"] <= 2, "train_accuracy"].mean()
    many = course.loc[course["hidden"] >= 3, "train_accuracy"].mean()
    return (
        f"Course setting (tanh, small init, train accuracy): 1-2 units {percent(few)}, "
        f">= 3 units {percent(many)} (course: about 67 % and 90 %)."
    )


# --------------------------------------------------------------------------- claim 8


def check_dev_selection(results: DatasetResults) -> Finding:
    """8: best.json's configuration, against the best configuration on test (the price of
    selecting on dev) and against the constant predictor of the training class mix.

    The configurations are those best.json chooses among: at their selected learning rate,
    every seed trained. The best on test is chosen again in every resample, so the price's
    interval includes the luck of that choice.
    """
    best = results.best
    key = tuple(best[column] for column in CELL_COLUMNS)
    name = "/".join(map(str, key))
    table = trained(results.selected).reset_index(names="row")
    seeds = sorted(results.selected["seed"].unique())
    complete = table.groupby(list(CELL_COLUMNS))["seed"].transform("count") == len(seeds)
    table = table[complete].sort_values([*CELL_COLUMNS, "seed"], kind="mergesort")
    configurations = list(table[list(CELL_COLUMNS)].drop_duplicates().itertuples(index=False))
    if key not in configurations:
        raise ValueError(
            f"{results.name}: best.json selects {name}, which has no trained network for "
            "every seed at its selected learning rate in cells.csv; rerun the aggregation"
        )
    selected = configurations.index(key)
    chosen = table[table[list(CELL_COLUMNS)].apply(tuple, axis=1) == key]
    if not np.isclose(chosen["learning_rate"].iloc[0], best["learning_rate"]):
        raise ValueError(
            f"{results.name}: best.json's learning rate {best['learning_rate']:g} for {name} "
            f"is not the one selected on dev ({chosen['learning_rate'].iloc[0]:g}); rerun "
            "the aggregation"
        )
    labels, metric = results.test_labels, results.metric
    weights = metric.example_weights(labels)
    scores = results.test_scores[results.cells.index.get_indexer(pd.Index(table["row"]))]
    scores = scores.reshape(len(configurations), len(seeds), labels.size)
    means = scores.mean(axis=1) @ weights
    replicates = resampled_means(scores, seed_weights(len(seeds)), example_weights(labels, weights))
    price = CrossedBootstrap(
        float(means.max() - means[selected]),
        replicates.max(axis=0) - replicates[selected],
        len(seeds),
        labels.size,
        "test",
    )
    price_part = Part(
        _label(results, "best configuration - dev-selected"),
        metric.unit,
        price,
        _metric_rule(results, "below", metric.margin),
    )
    majority, _ = results.effect_against(chosen.set_index("row"), results.constant_scores)
    majority_part = _part_of(
        results,
        majority,
        "dev-selected - majority class",
        _metric_rule(results, "above", metric.margin),
    )
    oracle = "/".join(map(str, configurations[int(means.argmax())]))
    evidence = (
        f"best.json selects {name} at learning rate {best['learning_rate']:g}: test "
        f"{metric.score_name} {_level(results, means[selected])}; the best on test is {oracle} "
        f"with {_level(results, means.max())}, of {len(configurations)} configurations with "
        "every seed trained; the constant predictor of the training class mix scores "
        f"{_level(results, float(results.constant_scores @ weights))}."
    )
    if not best.get("beats_majority_on_dev", True):
        evidence += f" best.json warns: {best['warning']}"
    return Finding((price_part, majority_part), evidence)


# --------------------------------------------------------------------------- claim 9


def check_leaky_slope(results: DatasetResults) -> Finding:
    """9: the slope chosen on dev beats the lecture's 0.01 by more than the margin on test."""
    leaky = random_init(results.selected)
    leaky = leaky[leaky["base_activation"] == LEAKY_RELU]
    slopes = sorted(leaky["alpha"].unique())
    if len(slopes) < 2:
        configured = ", ".join(f"{alpha:g}" for alpha in slopes) or "none"
        return _missing(
            f"one leaky ReLU slope was run (alpha = {configured}): list several in the "
            "config's leaky_relu_alpha to test this claim"
        )
    by_slope = results.dev_preference(leaky).groupby(leaky["alpha"]).mean()
    tuned = float(by_slope.idxmax())
    default = min(slopes, key=lambda alpha: abs(alpha - DEFAULT_ALPHA))
    label = leaky.groupby("alpha")["activation"].first()
    pairs = pair(leaky, "activation", label[tuned], label[default], _BY_SETTING)
    part, diverged = _prediction_part(
        results,
        pairs,
        f"tuned slope {tuned:g} - {default:g}",
        _metric_rule(results, "above", results.metric.margin),
    )
    evidence = (
        "Mean dev selection value by slope: "
        + ", ".join(f"{alpha:g}: {value:.3f}" for alpha, value in by_slope.items())
        + f"; dev selects {tuned:g}"
        + (" -- the default itself: tuning gains nothing." if tuned == default else ".")
        + diverged
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
    "7": check_hidden_size_plateau,
    "8": check_dev_selection,
    "9": check_leaky_slope,
}
