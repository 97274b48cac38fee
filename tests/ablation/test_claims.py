"""Each claim reaching each of its verdicts on hand-built tables (claims_tables.py).

Every test builds the smallest grid the claim needs and decides the check's finding at the
level of a table of 30 tests (:data:`claims_tables.CONFIDENCE`). Effects that are the same
on every seed have no seed noise; ``by_seed`` makes an effect swing from seed to seed,
which leaves a wide interval around the threshold: inconclusive.
"""

from __future__ import annotations

import math

import pytest
from claims_tables import CONFIDENCE, LABELS, by_seed, make_results

from ablation.claims import checks
from ablation.claims.catalogue import CATALOGUE
from ablation.claims.evaluate import judge
from ablation.claims.verdicts import CONTRADICTED, INCONCLUSIVE, NOT_APPLICABLE, SUPPORTED

RANDOM = ("small", "he")
#: A difference that swings around any threshold of a few points from seed to seed.
SWING = (0.95, 0.45)


def verdict(check, results) -> str:
    return judge(check(results), CONFIDENCE).verdict


def skill_of(activation_skills: dict, default=0.7):
    """A skill per activation label (the others get ``default``); values may be callables."""

    def skill(activation, **network):
        value = activation_skills.get(activation, default)
        return value(activation=activation, **network) if callable(value) else value

    return skill


# --------------------------------------------------------------------------- 1a


@pytest.mark.parametrize(
    ("identity_skill", "expected"),
    [
        (0.7, SUPPORTED),  # the logistic regression's predictions exactly
        (0.5, CONTRADICTED),  # 20 pp below
        (by_seed(SWING), INCONCLUSIVE),
    ],
)
def test_claim_1a_identity_scores_as_logistic_regression(identity_skill, expected):
    results = make_results(("identity",), RANDOM, (1, 2), skill=identity_skill, baseline_skill=0.7)
    assert verdict(checks.check_linear_matches_logistic, results) == expected


@pytest.mark.parametrize(
    ("linear_gap", "precision", "expected"),
    [
        (1e-14, "float64", SUPPORTED),
        (1e-6, "float64", CONTRADICTED),  # far more than float64 rounds: not its linear function
        (1e-6, "float32", SUPPORTED),  # what float32 rounds to
        (1e-2, "float32", CONTRADICTED),
    ],
)
def test_claim_1a_checks_the_collapse_to_the_rounding_of_the_precision(
    linear_gap, precision, expected
):
    results = make_results(
        ("identity",), RANDOM, (1, 2), linear_gap=linear_gap, precision=precision
    )
    assert verdict(checks.check_linear_matches_logistic, results) == expected


def test_claim_1a_not_applicable_without_identity_networks():
    results = make_results(("tanh",), RANDOM)
    finding = checks.check_linear_matches_logistic(results)
    assert judge(finding, CONFIDENCE).verdict == NOT_APPLICABLE
    assert "no identity networks" in finding.not_applicable


def test_claim_1a_not_applicable_when_the_logistic_regression_diverged():
    results = make_results(("identity",), RANDOM, baseline_skill=math.nan)
    assert verdict(checks.check_linear_matches_logistic, results) == NOT_APPLICABLE


def test_claim_1a_with_every_identity_network_diverged_says_so_without_a_warning():
    best = {"activation": "identity", "init": "small", "hidden": 2, "learning_rate": 1.0}
    results = make_results(("identity",), RANDOM, skill=math.nan, best=best)
    finding = checks.check_linear_matches_logistic(results)
    assert judge(finding, CONFIDENCE).verdict == INCONCLUSIVE
    assert "10 diverged network(s) left out" in finding.evidence


def test_claim_1a_leaves_out_diverged_networks_and_says_so():
    results = make_results(
        ("identity",),
        RANDOM,
        skill=lambda init, seed, **_: math.nan if (init, seed) == ("he", 0) else 0.7,
    )
    finding = checks.check_linear_matches_logistic(results)
    assert judge(finding, CONFIDENCE).verdict == SUPPORTED
    assert "1 diverged network(s) left out" in finding.evidence


# --------------------------------------------------------------------------- 1b


@pytest.mark.parametrize(
    ("baseline_skill", "tanh_skill", "planar", "expected"),
    [
        (0.5, 0.9, True, SUPPORTED),  # 40 pp above logistic regression
        (0.88, 0.9, True, CONTRADICTED),  # 2 pp above
        (0.7, by_seed((1.0, 0.6)), True, INCONCLUSIVE),
        (0.5, 0.9, False, NOT_APPLICABLE),  # the lecture's claim is about the planar data
    ],
)
def test_claim_1b_linear_model_far_below_the_best_nonlinear(
    baseline_skill, tanh_skill, planar, expected
):
    results = make_results(
        ("identity", "tanh", "relu"),
        RANDOM,
        skill=skill_of({"identity": baseline_skill, "tanh": tanh_skill, "relu": 0.6}),
        dev=lambda activation, **_: {"tanh": 0.9, "relu": 0.6}.get(activation, 0.5),
        baseline_skill=baseline_skill,
        planar=planar,
    )
    finding = checks.check_linear_far_below_nonlinear(results)
    assert judge(finding, CONFIDENCE).verdict == expected
    if not planar:
        assert finding.parts, "the row still shows what the data say"


def test_claim_1b_measures_the_activation_chosen_on_dev_not_on_test():
    # tanh is best on dev, relu on test: the comparison is with tanh's test score.
    results = make_results(
        ("tanh", "relu"),
        RANDOM,
        skill=skill_of({"tanh": 0.6, "relu": 0.9}),
        dev=lambda activation, **_: {"tanh": 0.9, "relu": 0.6}[activation],
        baseline_skill=0.5,
        planar=True,
    )
    finding = checks.check_linear_far_below_nonlinear(results)
    assert finding.parts[0].estimate.estimate == pytest.approx(0.1)
    assert "best on dev: tanh (2)" in finding.evidence


# --------------------------------------------------------------------------- 2a


def _zero_init(unit_spread, hidden=(1, 2, 4), precision="float64"):
    return make_results(
        ("sigmoid", "tanh"), ("zeros",), hidden, unit_spread=unit_spread, precision=precision
    )


@pytest.mark.parametrize(
    ("spread", "precision", "expected"),
    [
        (1e-5, "float64", CONTRADICTED),
        (1e-5, "float32", SUPPORTED),
        (1e-2, "float32", CONTRADICTED),
    ],
)
def test_claim_2a_allows_the_rounding_of_the_precision(spread, precision, expected):
    results = _zero_init(lambda hidden, **_: spread if hidden == 4 else 0.0, precision=precision)
    assert verdict(checks.check_zero_init_symmetric, results) == expected


def test_claim_2a_supported_when_every_record_has_zero_spread():
    finding = checks.check_zero_init_symmetric(_zero_init(0.0))
    assert judge(finding, CONFIDENCE).verdict == SUPPORTED
    assert "(exactly 0)" in finding.evidence


def test_claim_2a_contradicted_when_one_record_breaks_symmetry():
    def spread(activation, hidden, seed, iteration, **_):
        return 1e-3 if (activation, hidden, seed, iteration) == ("sigmoid", 4, 2, 1500) else 0.0

    finding = checks.check_zero_init_symmetric(_zero_init(spread))
    assert judge(finding, CONFIDENCE).verdict == CONTRADICTED
    assert "activation~sigmoid/init~zeros/hidden~4/learning_rate~1.0/seed~2" in finding.evidence


def test_claim_2a_not_applicable_without_zero_init_networks_of_two_units():
    assert verdict(checks.check_zero_init_symmetric, _zero_init(0.0, hidden=(1,))) == (
        NOT_APPLICABLE
    )


# --------------------------------------------------------------------------- 2b


def _zero_sigmoid(skill, grad_norm_W1=1.0, activations=("sigmoid", "tanh")):
    return make_results(
        activations,
        ("zeros",),
        (1, 2, 4),
        skill=skill,
        unit_spread=0.0,
        grad_norm_W1=lambda activation, **_: 0.0 if activation != "sigmoid" else grad_norm_W1,
    )


@pytest.mark.parametrize(
    ("skill", "expected"),
    [
        (0.65, SUPPORTED),  # identical units: the same predictions at every size
        (lambda hidden, **_: 0.6 if hidden == 1 else 0.85, CONTRADICTED),  # +25 pp
        (lambda hidden, seed, **_: 0.7 if hidden == 1 else SWING[seed % 2], INCONCLUSIVE),
    ],
)
def test_claim_2b_extra_units_bring_no_gain_under_zero_init(skill, expected):
    assert verdict(checks.check_zero_init_extra_units_useless, _zero_sigmoid(skill)) == expected


def test_claim_2b_ignores_activations_that_cannot_move_from_zero():
    # tanh gains 25 pp with more units: impossible from zero init, and not evidence anyway.
    results = _zero_sigmoid(
        lambda activation, hidden, **_: 0.9 if activation == "tanh" and hidden > 1 else 0.65
    )
    finding = checks.check_zero_init_extra_units_useless(results)
    assert judge(finding, CONFIDENCE).verdict == SUPPORTED
    assert "15 of 15 zero-init tanh/ReLU/leaky ReLU/identity networks had exactly zero" in (
        finding.evidence
    )


def test_claim_2b_not_applicable_when_sigmoid_units_never_move():
    finding = checks.check_zero_init_extra_units_useless(_zero_sigmoid(0.65, grad_norm_W1=0.0))
    assert judge(finding, CONFIDENCE).verdict == NOT_APPLICABLE
    assert "ever got a hidden-layer gradient" in finding.not_applicable


def test_claim_2b_not_applicable_without_zero_init_sigmoid():
    results = _zero_sigmoid(0.65, activations=("tanh",))
    assert verdict(checks.check_zero_init_extra_units_useless, results) == NOT_APPLICABLE


# --------------------------------------------------------------------------- 3


def _symmetry(random_skill, unit_gap=0.5, inits=("zeros", "small", "he")):
    return make_results(
        ("sigmoid",),
        inits,
        (1, 2, 4),
        skill=lambda init, **network: (
            0.6 if init == "zeros" else random_skill(init=init, **network)
        ),
        unit_gap=lambda init, **network: 0.0 if init == "zeros" else unit_gap(**network),
    )


@pytest.mark.parametrize(
    ("random_skill", "unit_gap", "expected"),
    [
        (lambda **_: 0.9, lambda **_: 0.5, SUPPORTED),
        (lambda **_: 0.6, lambda **_: 0.5, CONTRADICTED),  # no gain from random init
        # Two units of one random-init network end identical: the symmetry is not broken.
        (
            lambda **_: 0.9,
            lambda hidden, seed, **_: 0.0 if (hidden, seed) == (4, 3) else 0.5,
            CONTRADICTED,
        ),
        (lambda seed, **_: (1.0, 0.4)[seed % 2], lambda **_: 0.5, INCONCLUSIVE),
    ],
)
def test_claim_3_random_init_gains_and_keeps_units_distinct(random_skill, unit_gap, expected):
    finding = checks.check_random_init_breaks_symmetry(_symmetry(random_skill, unit_gap))
    assert judge(finding, CONFIDENCE).verdict == expected


def test_claim_3_counts_units_merged_at_a_rate_not_selected_as_evidence_only():
    # The better dev score picks rate 0.1; at rate 1.0 one network's units merge in training.
    results = make_results(
        ("sigmoid",),
        ("zeros", "small"),
        (2, 4),
        learning_rates=(0.1, 1.0),
        skill=lambda init, learning_rate, **_: (
            0.6 if init == "zeros" else (0.95 if learning_rate == 0.1 else 0.85)
        ),
        unit_gap=lambda init, learning_rate, hidden, seed, **_: (
            0.0 if init == "zeros" or (learning_rate, hidden, seed) == (1.0, 4, 3) else 0.5
        ),
    )
    finding = checks.check_random_init_breaks_symmetry(results)
    assert judge(finding, CONFIDENCE).verdict == SUPPORTED
    assert "1 networks that started with distinct units end with two identical" in (
        finding.evidence
    )


def test_claim_3_not_applicable_without_zero_init_sigmoid():
    results = _symmetry(lambda **_: 0.9, lambda **_: 0.5, inits=("small", "he"))
    assert verdict(checks.check_random_init_breaks_symmetry, results) == NOT_APPLICABLE


# --------------------------------------------------------------------------- 4a, 4b


def _saturation(activation, large_saturation, large_reach, small_reach=500, control_slowdown=0):
    """``activation`` and ReLU under small and large init: ReLU never saturates and reaches
    the cost threshold ``control_slowdown`` iterations later under large init."""
    return make_results(
        (activation, "relu"),
        ("small", "large"),
        (1, 4),
        learning_rates=(0.5, 1.0),
        saturation=lambda init, activation, **network: (
            _call(large_saturation, **network) if init == "large" and activation != "relu" else 0.02
        ),
        reach=lambda init, activation, **network: (
            small_reach
            if init == "small"
            else (
                small_reach + control_slowdown
                if activation == "relu"
                else _call(large_reach, **network)
            )
        ),
    )


def _call(value, **network):
    return value(**network) if callable(value) else value


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize(
    ("large_saturation", "large_reach", "control_slowdown", "expected"),
    [
        (0.9, 2000, 0, SUPPORTED),  # saturates, then 1500 iterations slower; ReLU is not
        (0.9, 2000, 1400, CONTRADICTED),  # slower, but so is ReLU: not saturation
        (0.9, 500, 0, CONTRADICTED),  # saturates, but no slower
        (0.9, lambda seed, **_: (2400, 100)[seed % 2], 0, INCONCLUSIVE),
        (0.02, 2000, 0, NOT_APPLICABLE),  # large init does not saturate: the premise fails
        (lambda seed, **_: (0.95, 0.0)[seed % 2], 2000, 0, INCONCLUSIVE),  # premise unclear
    ],
)
def test_claim_4_saturation_slows_descent_more_than_relu(
    activation, large_saturation, large_reach, control_slowdown, expected
):
    results = _saturation(
        activation, large_saturation, large_reach, control_slowdown=control_slowdown
    )
    finding = checks.check_saturation_slows(results, activation)
    judgement = judge(finding, CONFIDENCE)
    assert judgement.verdict == expected
    if expected == NOT_APPLICABLE:
        assert judgement.reason == "its premise does not hold in these data"


def test_claim_4_measures_the_difference_in_differences():
    finding = checks.check_saturation_slows(
        _saturation("sigmoid", 0.9, 2000, control_slowdown=300), "sigmoid"
    )
    assert finding.parts[1].estimate.estimate == pytest.approx(1500 - 300)
    assert "sigmoid +1500, ReLU/leaky ReLU +300 iterations on average" in finding.evidence


def test_claim_4_censors_a_network_that_never_gets_there():
    # Large-init sigmoid never reaches the threshold at 1 unit: those settings are censored,
    # not counted as slow; the 4-unit settings decide.
    reach = lambda hidden, **_: None if hidden == 1 else 2000  # noqa: E731
    finding = checks.check_saturation_slows(_saturation("sigmoid", 0.9, reach), "sigmoid")
    assert finding.parts[1].estimate.estimate == pytest.approx(1500)
    assert "sigmoid large 50.0 %" in finding.evidence
    assert judge(finding, CONFIDENCE).verdict == SUPPORTED


def test_claim_4_not_applicable_without_relu_to_compare_with():
    results = make_results(("tanh",), ("small", "large"))
    finding = checks.check_saturation_slows(results, "tanh")
    assert "no ReLU or leaky ReLU" in finding.not_applicable


def test_claim_4_not_applicable_without_large_init():
    results = make_results(("tanh",), ("small", "he"))
    assert verdict(lambda r: checks.check_saturation_slows(r, "tanh"), results) == NOT_APPLICABLE


# --------------------------------------------------------------------------- 4c


def _relu_large(large_reach=500, large_skill=0.8, inits=("large", "he")):
    return make_results(
        ("relu", "leaky_relu-0.01"),
        inits,
        (2, 4),
        learning_rates=(0.5, 1.0),
        reach=lambda init, **network: _call(large_reach, **network) if init == "large" else 500,
        skill=lambda init, **network: _call(large_skill, **network) if init == "large" else 0.8,
    )


@pytest.mark.parametrize(
    ("large_reach", "large_skill", "expected"),
    [
        (500, 0.8, SUPPORTED),  # as fast and as accurate as He init
        (2000, 0.8, CONTRADICTED),  # 1500 iterations slower
        (500, 0.55, CONTRADICTED),  # 25 pp less accurate
        (500, by_seed(SWING), INCONCLUSIVE),
    ],
)
def test_claim_4c_relu_family_unhurt_by_large_init(large_reach, large_skill, expected):
    assert verdict(checks.check_relu_large_init, _relu_large(large_reach, large_skill)) == expected


def test_claim_4c_not_applicable_without_he_init():
    results = _relu_large(inits=("large", "small"))
    assert verdict(checks.check_relu_large_init, results) == NOT_APPLICABLE


# --------------------------------------------------------------------------- 5a, 6a


@pytest.mark.parametrize(
    ("tanh_skill", "expected"),
    [(0.85, SUPPORTED), (0.7, CONTRADICTED), (by_seed(SWING), INCONCLUSIVE)],
)
def test_claim_5a_tanh_scores_above_sigmoid(tanh_skill, expected):
    results = make_results(
        ("tanh", "sigmoid"),
        ("zeros", *RANDOM),
        (2, 4),
        skill=skill_of({"tanh": tanh_skill}, default=0.7),
    )
    assert verdict(checks.check_tanh_more_accurate, results) == expected


def test_claim_5a_not_applicable_without_sigmoid():
    assert verdict(checks.check_tanh_more_accurate, make_results(("tanh",), RANDOM)) == (
        NOT_APPLICABLE
    )


def test_claim_5a_compares_each_configuration_at_its_learning_rate_selected_on_dev():
    # At rate 0.5 tanh is the better on dev and test; at 1.0 sigmoid's dev is best, and
    # that is its rate: the test comparison is tanh@0.5 (0.9) against sigmoid@1.0 (0.8).
    results = make_results(
        ("tanh", "sigmoid"),
        RANDOM,
        learning_rates=(0.5, 1.0),
        skill=lambda activation, learning_rate, **_: {
            ("tanh", 0.5): 0.9,
            ("tanh", 1.0): 0.6,
            ("sigmoid", 0.5): 0.5,
            ("sigmoid", 1.0): 0.8,
        }[activation, learning_rate],
    )
    finding = checks.check_tanh_more_accurate(results)
    assert finding.parts[0].estimate.estimate == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("relu_skill", "expected"),
    [
        (0.8, SUPPORTED),  # ReLU is (tied with) the best on dev
        (0.6, CONTRADICTED),  # 20 pp below tanh
        (by_seed((0.85, 0.5)), INCONCLUSIVE),  # tanh best on dev; ReLU level or far below
    ],
)
def test_claim_6a_relu_within_the_margin_of_the_best(relu_skill, expected):
    results = make_results(
        ("relu", "tanh", "sigmoid"),
        RANDOM,
        (2, 4),
        skill=skill_of({"relu": relu_skill, "tanh": 0.8, "sigmoid": 0.7}),
    )
    assert verdict(checks.check_relu_near_best, results) == expected


def test_claim_6a_not_applicable_without_relu():
    results = make_results(("tanh", "sigmoid"), RANDOM)
    assert verdict(checks.check_relu_near_best, results) == NOT_APPLICABLE


# --------------------------------------------------------------------------- 5b, 6b


SPEED_CASES = [
    (300, SUPPORTED),  # 700 iterations sooner
    (1500, CONTRADICTED),  # 500 iterations later
    (by_seed((0, 2000)), INCONCLUSIVE),
]


def _speed(faster, slower, faster_reach):
    return make_results(
        (faster, slower),
        RANDOM,
        (2, 4),
        reach=lambda activation, **network: (
            _call(faster_reach, **network) if activation == faster else 1000
        ),
    )


@pytest.mark.parametrize(("tanh_reach", "expected"), SPEED_CASES)
def test_claim_5b_tanh_faster_than_sigmoid(tanh_reach, expected):
    assert verdict(checks.check_tanh_faster, _speed("tanh", "sigmoid", tanh_reach)) == expected


@pytest.mark.parametrize(("relu_reach", "expected"), SPEED_CASES)
def test_claim_6b_relu_faster_than_tanh(relu_reach, expected):
    assert verdict(checks.check_relu_faster, _speed("relu", "tanh", relu_reach)) == expected


def test_claims_5b_6b_not_applicable_without_both_activations():
    results = make_results(("tanh",), RANDOM)
    assert verdict(checks.check_tanh_faster, results) == NOT_APPLICABLE
    assert verdict(checks.check_relu_faster, results) == NOT_APPLICABLE


def test_speed_is_timed_where_both_networks_get_there_and_the_shares_are_reported():
    # At 4 units sigmoid never gets there: tanh is not "faster" by the whole budget there;
    # those pairs are censored and the shares say how often each side got there.
    results = make_results(
        ("tanh", "sigmoid"),
        RANDOM,
        (2, 4),
        reach=lambda activation, hidden, **_: (
            300 if activation == "tanh" else 1000 if hidden == 2 else None
        ),
    )
    finding = checks.check_tanh_faster(results)
    assert finding.parts[0].estimate.estimate == pytest.approx(700)
    assert "sigmoid 50.0 %, tanh 100.0 %" in finding.evidence
    assert "10 of 20 pairs where both did are timed" in finding.evidence


# --------------------------------------------------------------------------- 7

HIDDEN = (1, 2, 3, 5, 10)


def _plateau(skill, planar=True, hidden=HIDDEN):
    return make_results(("tanh", "relu"), RANDOM, hidden, skill=skill, planar=planar)


@pytest.mark.parametrize(
    ("skill", "expected"),
    [
        (lambda hidden, **_: 0.675 if hidden <= 2 else 0.9, SUPPORTED),  # the course's curve
        (0.8, CONTRADICTED),  # flat: no rise
        (lambda hidden, **_: 0.9 if hidden == 3 else 0.6, CONTRADICTED),  # rise, then a fall
        (lambda hidden, **_: 0.5 + 0.045 * hidden, INCONCLUSIVE),  # still rising at 10
        (lambda hidden, seed, **_: 0.6 if hidden <= 2 else SWING[seed % 2], INCONCLUSIVE),
    ],
)
def test_claim_7b_rise_then_plateau_on_held_out_seeds(skill, expected):
    finding = checks.check_hidden_size_plateau(_plateau(skill))
    assert judge(finding, CONFIDENCE).verdict == expected


def test_claim_7b_chooses_the_plateau_size_on_the_other_seeds():
    # Seed 0 alone peaks at 2 units; the other seeds put h* at 3, and so does every fold.
    def skill(hidden, seed, **_):
        if seed == 0:
            return 0.9 if hidden == 2 else 0.6
        return 0.6 if hidden <= 2 else 0.9

    finding = checks.check_hidden_size_plateau(_plateau(skill))
    assert "0: 3, 1: 3, 2: 3, 3: 3, 4: 3" in finding.evidence


def test_claim_7b_not_applicable_off_the_planar_data_but_shows_the_numbers():
    finding = checks.check_hidden_size_plateau(_plateau(0.8, planar=False))
    assert judge(finding, CONFIDENCE).verdict == NOT_APPLICABLE
    assert len(finding.parts) == 2


def test_claim_7b_not_applicable_with_two_hidden_sizes():
    finding = checks.check_hidden_size_plateau(_plateau(0.8, hidden=(1, 3)))
    assert "three hidden sizes" in finding.not_applicable


@pytest.mark.parametrize(
    ("skill", "expected"),
    [
        (lambda hidden, **_: 0.675 if hidden <= 2 else 0.9, SUPPORTED),  # the course's curve
        (0.8, CONTRADICTED),  # flat: no rise at 3 units
        # Rises at 3 units but keeps rising after it: not the course's plateau.
        (lambda hidden, **_: 0.6 if hidden <= 2 else 0.75 if hidden == 3 else 0.9, CONTRADICTED),
        (lambda hidden, seed, **_: 0.6 if hidden <= 2 else SWING[seed % 2], INCONCLUSIVE),
    ],
)
def test_claim_7a_tests_the_course_statement_as_it_stands(skill, expected):
    finding = checks.check_course_plateau(_plateau(skill))
    assert judge(finding, CONFIDENCE).verdict == expected
    assert "course: about 67 % with 1-2 units" in finding.evidence


def test_claim_7a_measures_tanh_only_and_needs_sizes_around_three():
    # ReLU's curve (flat) must not dilute tanh's rise.
    results = _plateau(skill_of({"tanh": lambda hidden, **_: 0.67 if hidden <= 2 else 0.9}, 0.6))
    finding = checks.check_course_plateau(results)
    assert finding.parts[0].estimate.estimate == pytest.approx(0.23)
    missing = checks.check_course_plateau(_plateau(0.8, hidden=(1, 2, 5)))
    assert "needs tanh networks with 3 hidden units" in missing.not_applicable
    off_planar = checks.check_course_plateau(_plateau(0.8, planar=False))
    assert judge(off_planar, CONFIDENCE).verdict == NOT_APPLICABLE


# --------------------------------------------------------------------------- 8

SELECTED = {"activation": "tanh", "init": "small", "hidden": 2, "learning_rate": 1.0}


def _selection(selected_skill, others=0.8, train_positives=0.5):
    return make_results(
        ("tanh", "relu"),
        ("small",),
        (2, 4),
        skill=lambda activation, hidden, **network: (
            _call(selected_skill, **network) if (activation, hidden) == ("tanh", 2) else others
        ),
        dev=lambda activation, hidden, **_: 0.9 if (activation, hidden) == ("tanh", 2) else 0.7,
        best=SELECTED,
        train_positives=train_positives,
    )


@pytest.mark.parametrize(
    ("selected_skill", "others", "expected"),
    [
        (0.95, 0.8, SUPPORTED),  # the best alternative is 15 pp worse, far above the majority
        (0.6, 0.95, CONTRADICTED),  # 35 pp below the best alternative
        (0.3, 0.25, CONTRADICTED),  # no price, but worse than always saying "non-cat"
        (by_seed((1.0, 0.7)), 0.9, INCONCLUSIVE),
    ],
)
def test_claim_8_dev_selection(selected_skill, others, expected):
    finding = checks.check_dev_selection(_selection(selected_skill, others))
    assert judge(finding, CONFIDENCE).verdict == expected
    assert "best.json selects tanh/small/2 at learning rate 1" in finding.evidence


def test_claim_8_uses_best_json_and_rejects_a_selection_it_cannot_find():
    results = make_results(("tanh",), ("small",), (2,), best={**SELECTED, "hidden": 7})
    with pytest.raises(ValueError, match="best.json selects tanh/small/7"):
        checks.check_dev_selection(results)
    results = make_results(("tanh",), ("small",), (2,), best={**SELECTED, "learning_rate": 0.1})
    with pytest.raises(ValueError, match="learning rate 0.1 for tanh/small/2 is not the one"):
        checks.check_dev_selection(results)


def test_claim_8_measures_the_alternative_chosen_on_one_test_half_on_the_other():
    # relu/4 is the best alternative on test; the price is measured on the half of the
    # test set it was not chosen on.
    results = make_results(
        ("tanh", "relu"),
        ("small",),
        (2, 4),
        skill=lambda activation, hidden, **_: {("tanh", 2): 0.8, ("relu", 4): 0.9}.get(
            (activation, hidden), 0.6
        ),
        dev=lambda activation, hidden, **_: 0.9 if (activation, hidden) == ("tanh", 2) else 0.7,
    )
    finding = checks.check_dev_selection(results)
    assert "is relu/small/4, measured with the selected one on the other 100" in finding.evidence
    assert finding.parts[0].estimate.n_examples == 100
    assert finding.parts[0].estimate.estimate == pytest.approx(0.1, abs=0.02)
    halves = checks.halves_of_the_test_set(results.test_labels)
    assert halves.sum() == 100 and halves[results.test_labels == 1].sum() == 50


def test_claim_8_compares_with_the_constant_predictor_of_the_training_mix():
    # Balanced accuracy: any constant scores 50 %, whatever the training mix.
    finding = checks.check_dev_selection(_selection(0.95, train_positives=0.3))
    assert "class mix scores 50.0 %" in finding.evidence
    assert finding.parts[1].estimate.estimate == pytest.approx(0.45)


# --------------------------------------------------------------------------- 9


def _leaky(slopes, dev, test):
    return make_results(
        [f"leaky_relu-{alpha:g}" for alpha in slopes] + ["tanh"],
        RANDOM,
        skill=lambda activation, **network: _call(test(activation), **network),
        dev=lambda activation, **_: dev(activation),
    )


@pytest.mark.parametrize(
    ("dev", "test", "expected"),
    [
        (
            lambda a: 0.85 if a == "leaky_relu-0.2" else 0.75,
            lambda a: 0.9 if a == "leaky_relu-0.2" else 0.7,
            SUPPORTED,
        ),
        # Dev picks 0.2, which does worse on test than the default.
        (
            lambda a: 0.85 if a == "leaky_relu-0.2" else 0.75,
            lambda a: 0.6 if a == "leaky_relu-0.2" else 0.7,
            CONTRADICTED,
        ),
        (
            lambda a: 0.85 if a == "leaky_relu-0.2" else 0.75,
            lambda a: by_seed((1.0, 0.55)) if a == "leaky_relu-0.2" else 0.7,
            INCONCLUSIVE,
        ),
    ],
)
def test_claim_9_tuned_slope(dev, test, expected):
    assert verdict(checks.check_leaky_slope, _leaky((0.01, 0.2), dev, test)) == expected


def test_claim_9_not_applicable_when_dev_always_picks_the_default():
    # Tuning would then compare the default with itself: an effect of 0 by construction.
    finding = checks.check_leaky_slope(
        _leaky((0.01, 0.2), lambda a: 0.85 if a == "leaky_relu-0.01" else 0.75, lambda a: 0.7)
    )
    assert judge(finding, CONFIDENCE).verdict == NOT_APPLICABLE
    assert "dev chooses the default slope 0.01 at every (init, hidden)" in finding.not_applicable


def test_claim_9_not_applicable_with_one_slope():
    finding = checks.check_leaky_slope(_leaky((0.01,), lambda a: 0.8, lambda a: 0.8))
    assert judge(finding, CONFIDENCE).verdict == NOT_APPLICABLE
    assert "one leaky ReLU slope was run (alpha = 0.01)" in finding.not_applicable


# --------------------------------------------------------------------------- metrics


def test_cross_entropy_claims_are_measured_in_nats():
    results = make_results(
        ("tanh", "sigmoid"),
        RANDOM,
        skill=skill_of({"tanh": 0.9}, default=0.6),
        metric="cross_entropy",
    )
    finding = checks.check_tanh_more_accurate(results)
    part = finding.parts[0]
    assert part.unit == "nats" and part.label.startswith("test negative cross-entropy")
    # Logits are ±1: each example changed from wrong to right saves 1 nat of log-loss.
    assert part.estimate.estimate == pytest.approx(0.3)
    assert judge(finding, CONFIDENCE).verdict == SUPPORTED


def test_results_reject_predictions_of_other_networks():
    results = make_results(("tanh",), RANDOM)
    keys = results.prediction_keys.iloc[::-1]
    with pytest.raises(ValueError, match="not the selected networks of cells.csv"):
        make_like(results, prediction_keys=keys)
    with pytest.raises(ValueError, match="do not match"):
        make_like(results, predictions={**results.predictions, "test_labels": LABELS[:10]})


def test_effects_on_predictions_are_measured_in_the_metric_best_json_was_selected_by():
    results = make_results(("tanh",), RANDOM, metric="cross_entropy")
    assert results.metric.name == "cross_entropy"


def make_like(results, **changes):
    fields = {
        name: getattr(results, name)
        for name in (
            "name",
            "cells",
            "configurations",
            "history",
            "prediction_keys",
            "predictions",
            "baseline",
            "baseline_predictions",
            "best",
            "planar",
        )
    }
    return type(results)(**(fields | changes))


def test_every_claim_of_the_catalogue_has_a_check():
    assert list(checks.CHECKS) == list(CATALOGUE)
