"""What fit_batch returns besides the history: each trained network's logits (on its training
columns, on X_dev, on the sets of X_eval) and, on the gram path, its coefficients C.

The logits come from the training's own representation (the gram path's cross-Grams, the
compacted columns of a masked network) rather than from W1: they agree with the textbook
decision function of the returned parameters to rounding. A gram-path network's W1 is never
formed during training; ``shallownet.gram.gram_params`` rebuilds it from C, the bits
``FitResult.params`` holds.
"""

import numpy as np
import pytest

import shallownet
from shallownet import decision_function, fit, fit_batch
from shallownet.gram import gram_params

RELATIVE = 1e-9


def assert_logits_close(logits, params, X, activation):
    reference = decision_function(params, X, activation=activation)[0]
    scale = np.max(np.abs(reference))
    assert np.max(np.abs(logits - reference)) <= RELATIVE * scale


def unequal_folds(m, rng):
    """Three training masks over m columns whose held-out folds differ in size."""
    fold = rng.permutation(np.arange(m) % 3)
    fold[np.flatnonzero(fold == 2)[:2]] = 0
    masks = np.stack([fold != i for i in range(3)])
    assert len(set(masks.sum(axis=1))) == 3
    return masks


@pytest.mark.parametrize("method", ["direct", "gram"])
@pytest.mark.parametrize("masked", [False, True])
def test_the_logits_are_the_decision_function_of_the_trained_parameters(method, masked):
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((30, 40)), (rng.random((1, 40)) > 0.5).astype(float)
    X_dev, Y_dev = rng.standard_normal((30, 11)), (rng.random((1, 11)) > 0.5).astype(float)
    X_test = rng.standard_normal((30, 7))
    starts = [
        shallownet.initialize(30, 5, "xavier", np.random.default_rng(seed)) for seed in range(3)
    ]
    masks = np.stack([np.arange(40) % 3 != i for i in range(3)]) if masked else None
    results = fit_batch(
        X,
        Y,
        starts,
        activation="tanh",
        learning_rates=[0.1, 0.3, 0.5],
        iterations=40,
        X_dev=X_dev,
        Y_dev=Y_dev,
        train_mask=masks,
        X_eval={"test": X_test},
        method=method,
    )
    for result in results:
        assert set(result.logits) == {"train", "dev", "test"}
        assert result.logits["train"].shape == (40,)  # held-out columns included
        for name, examples in (("train", X), ("dev", X_dev), ("test", X_test)):
            assert_logits_close(result.logits[name], result.params, examples, "tanh")


def test_a_diverged_network_has_no_logits():
    X, Y = shallownet.data.make_planar(m=100, noise=0.2, rng=np.random.default_rng(1))
    start = shallownet.initialize(2, 4, "large", np.random.default_rng(0))
    result = fit(X, Y, start, activation="identity", learning_rate=1e4, iterations=50)
    assert result.status == shallownet.STATUS_DIVERGED and result.logits is None


@pytest.mark.parametrize("init", ["he", "zeros"])
def test_gram_coefficients_rebuild_the_trained_hidden_layer_bit_for_bit(init):
    rng = np.random.default_rng(4)
    X, Y = rng.random((200, 30)), (rng.random((1, 30)) > 0.5).astype(float)
    masks = unequal_folds(30, rng)
    starts = [shallownet.initialize(200, 4, init, np.random.default_rng(seed)) for seed in range(3)]
    results = fit_batch(
        X,
        Y,
        starts,
        activation="sigmoid",
        learning_rates=[0.5] * 3,
        iterations=25,
        train_mask=masks,
        method="gram",
    )
    for result, start, mask in zip(results, starts, masks):
        assert result.coefficients.shape == (4, 30)
        assert (result.coefficients[:, ~mask] == 0).all()  # held-out columns never move W1
        rebuilt = gram_params(start, result.coefficients, X)
        for name in ("W1", "b1"):
            assert rebuilt[name].tobytes() == result.params[name].tobytes(), name


def test_direct_networks_have_no_coefficients():
    X, Y = shallownet.data.make_planar(m=50, noise=0.2, rng=np.random.default_rng(1))
    start = shallownet.initialize(2, 3, "he", np.random.default_rng(0))
    assert fit(X, Y, start, activation="relu", learning_rate=0.5, iterations=5).coefficients is None


def test_evaluation_sets_cannot_take_the_names_of_the_training_outputs():
    X, Y = shallownet.data.make_planar(m=50, noise=0.2, rng=np.random.default_rng(1))
    start = shallownet.initialize(2, 3, "he", np.random.default_rng(0))
    with pytest.raises(ValueError, match="X_eval cannot name a set 'dev'"):
        fit(X, Y, start, activation="relu", learning_rate=0.5, iterations=5, X_eval={"dev": X})
