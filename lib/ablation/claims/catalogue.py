"""The lecture's claims: one table, keyed by claim id, of what each claim says and how it
is tested.

``claim`` is the claim in one sentence, quoting the lecture notes where it can; ``test``
says what is measured, on which networks and with which interval, with ``{metric}`` (the
selection metric's name), ``{cost}`` (the training-cost threshold) and ``{margin}`` filled
in by :mod:`ablation.claims.evaluate`; ``figure`` names the figure that shows it; ``scope``
is ``"planar"`` for a claim the lecture makes about the planar data only (elsewhere the row
reports what the data show, with the verdict ``not applicable``). The numbers and verdicts
come from :mod:`ablation.claims.checks`, one function per id.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Networks at the learning rate selected on dev, measured on test: the phrase of most tests.
_SELECTED = "each configuration at its learning rate selected on dev, never on test"
_CROSSED = (
    "paired on replicates (seeds: data split and starting weights) and test examples, "
    "crossed t interval over both"
)
_SEEDS = "t interval over replicates"
_SPEED = (
    "iterations until the training cost first reaches {cost}, among the pairs where both "
    "networks get there (one that never does is censored, not slow: the share of each side "
    "that gets there is reported beside the time)"
)

_SATURATION_TEST = (
    "premise: saturated share of the hidden pre-activations at iteration 0, large minus "
    f"small init (which differ in W1's scale only), {_SEEDS}; if large init does not "
    "saturate more, the claim is not applicable. Slow-down, a difference in differences: "
    "iterations until the training cost first reaches {cost}, large minus small init, minus "
    "the same change for ReLU and leaky ReLU (which do not saturate), at the same hidden "
    "size, learning rate and seed, every learning rate, where all four networks get there "
    f"(the others are censored); {_SEEDS}"
)


@dataclass(frozen=True)
class ClaimText:
    """What one claim says and how it is tested (see the module docstring)."""

    claim: str
    test: str
    figure: str
    scope: str = "all"


CATALOGUE: dict[str, ClaimText] = {
    "1a": ClaimText(
        'A linear (identity) hidden layer makes the network a linear model -- "a linear '
        'hidden layer is more or less useless" -- so it scores as logistic regression does.',
        f"test {{metric}} of the identity networks (random inits, every hidden size, {_SELECTED}) "
        "minus that of the logistic regression of the same replicate (scikit-learn, L2 "
        "penalty chosen on dev, solved to convergence; it must fit its training data better "
        f"than a constant predictor), on the same examples; {_CROSSED}. Exact check: every "
        "trained identity network's test logits equal its collapsed linear function "
        "W2 W1 x + W2 b1 + b2 to rounding (1e-9 relative in float64, 5e-4 in float32)",
        "linear_collapse",
    ),
    "1b": ClaimText(
        "On data that need a non-linear boundary (the planar flower) a linear model -- "
        'logistic regression, which the identity network matches (1a), since it "is just '
        'outputting a linear function of the input" -- falls far below the best non-linear '
        "network.",
        "test {metric} of the non-linear activation with the best pooled dev {metric} at each "
        f"random init and hidden size ({_SELECTED}) minus that of the logistic regression of "
        f"the same replicate, on the same examples; {_CROSSED}",
        "linear_collapse",
        scope="planar",
    ),
    "2a": ClaimText(
        'Zero initialization keeps all hidden units identical: "both hidden units are still '
        'computing exactly the same function".',
        "largest unit_spread (largest distance between two rows of W1) over every record of "
        "every zero-init network with >= 2 hidden units, at every learning rate. An exact "
        "check of a structural fact (the lecture's proof by induction) on the implementation, "
        "not statistical evidence",
        "symmetry",
    ),
    "2b": ClaimText(
        "With zero initialization \"there's really no point to having more than one hidden "
        'unit": extra units bring no gain.',
        "sigmoid, zero init: test {metric} with more hidden units minus with the smallest size "
        f"({_SELECTED}); {_CROSSED}. Only sigmoid is evidence: "
        "its zero-init units output g(0) = 1/2 and move (identically). tanh, ReLU, leaky ReLU "
        "and identity have g(0) = 0, so their hidden layer gets exactly zero gradient and never "
        "moves: for them the claim holds by construction and is not tested",
        "accuracy_vs_hidden",
    ),
    "3": ClaimText(
        'Random initialization breaks the symmetry -- "the solution to this is to initialize '
        'your parameters randomly": the hidden units differ, and the network gains from it.',
        "(i) gain: test {metric} of sigmoid networks with >= 2 hidden units, each random init "
        f"minus zero init at the same hidden size ({_SELECTED}); "
        f"{_CROSSED} (sigmoid: the activation whose zero-init units train, see 2b); "
        "(ii) the smallest distance between two units (unit_gap) after training, over every "
        "random-init network with >= 2 hidden units at its selected learning rate (exact "
        "check; networks whose units merge at other rates are counted in the evidence)",
        "symmetry",
    ),
    "4a": ClaimText(
        'sigmoid saturates when |z| is large and gradient descent slows: "the slope of the '
        'function either ends up being close to zero and so this can slow down gradient descent".',
        _SATURATION_TEST,
        "saturation",
    ),
    "4b": ClaimText(
        'tanh saturates when |z| is large and gradient descent slows: "the slope of the '
        'function either ends up being close to zero and so this can slow down gradient descent".',
        _SATURATION_TEST,
        "saturation",
    ),
    "4c": ClaimText(
        "ReLU and leaky ReLU do not saturate (slope 1 whenever z > 0), so a large init neither "
        "slows them down nor costs accuracy.",
        "ReLU and leaky ReLU, large init against He init (the same normal draws scaled: the "
        "same sign pattern, so the same saturated share by construction). Speed: "
        f"{_SPEED}, large minus He at the same learning rate, hidden size and seed; {_SEEDS}. "
        f"Accuracy: test {{metric}}, large minus He ({_SELECTED}); {_CROSSED}",
        "saturation",
    ),
    "5a": ClaimText(
        'tanh is better than sigmoid for hidden units -- "the tanh function is pretty much '
        'strictly superior".',
        f"test {{metric}}, tanh minus sigmoid ({_SELECTED}), paired on random init, hidden "
        f"size, replicate and example; {_CROSSED}",
        "heatmap",
    ),
    "5b": ClaimText(
        'tanh is "pretty much strictly superior" to sigmoid in speed too: it reaches a low '
        "training cost in fewer iterations.",
        f"{_SPEED}, sigmoid minus tanh ({_SELECTED}), paired on random init, hidden size and "
        f"replicate; {_SEEDS}",
        "learning_curves",
    ),
    "6a": ClaimText(
        'ReLU is a good default -- "if you\'re not sure what else to use, use this one": it '
        "scores within a small margin of the best activation.",
        "test {metric} of ReLU minus that of the activation with the best pooled dev {metric} "
        f"at the same random init and hidden size ({_SELECTED}); {_CROSSED}",
        "heatmap",
    ),
    "6b": ClaimText(
        'ReLU is a fast default: without the flat slopes that "slow down gradient descent" it '
        "reaches a low training cost before tanh.",
        f"{_SPEED}, tanh minus ReLU ({_SELECTED}), paired on random init, hidden size and "
        f"replicate; {_SEEDS}",
        "learning_curves",
    ),
    "7a": ClaimText(
        "Accuracy rises with the number of hidden units and then plateaus, as the course "
        "states it for its planar data: about 67 % with 1-2 units, about 90 % from 3 units on.",
        f"tanh (the course's activation), random inits, {_SELECTED}: rise = test {{metric}} "
        "with 3 units minus with 1-2 units; plateau = with the largest size minus with 3 units; "
        f"{_CROSSED}",
        "accuracy_vs_hidden",
        scope="planar",
    ),
    "7b": ClaimText(
        "Accuracy rises with the number of hidden units and then plateaus, wherever the "
        "plateau starts: the plateau size chosen on held-out replicates.",
        f"non-linear activations, random inits, {_SELECTED}. For each replicate the plateau "
        "size h* (the smallest size above the smallest whose mean dev {metric} is within "
        "{margin} of the best size's) is chosen on the other replicates; on the held-out one, "
        "rise = test {metric} at h* minus at the smallest size and plateau = at the largest "
        f"size minus at h*; {_CROSSED}",
        "accuracy_vs_hidden",
        scope="planar",
    ),
    "8": ClaimText(
        'The dev set picks the model -- "evaluate on like a holdout validation set or like a '
        'development set" -- at a small price against the best configuration, and better '
        "than no model at all.",
        "the configuration best.json selected by its pooled dev {metric}: (i) price = test "
        "{metric} of the best alternative configuration, chosen on one stratified half of the "
        "test set, minus the selected one's, both measured on the other half (which that choice "
        "never saw); (ii) the selected one minus the constant predictor of the training "
        f"split's class mix; {_CROSSED}",
        "heatmap",
    ),
    "9": ClaimText(
        "Leaky ReLU's slope is worth tuning: \"why is that constant 0.01? You can also make "
        'that another parameter of the learning algorithm."',
        "at each random init and hidden size, the leaky ReLU slope with the best pooled dev "
        "{metric}; where it is not the slope closest to 0.01, its test {metric} minus that "
        f"slope's ({_SELECTED}); {_CROSSED}. Needs two slopes or more in leaky_relu_alpha, "
        "and dev choosing another slope somewhere",
        "heatmap",
    ),
}
