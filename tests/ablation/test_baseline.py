"""Logistic regression: solved to convergence by scikit-learn, per replicate and penalty, the
penalty chosen on pooled dev predictions; it must beat a constant predictor on its training
data."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from ablation import baseline
from ablation.baseline import BaselineError, fit_logistic_regression, selection_rule, train_baseline
from ablation.metrics import balanced_accuracy
from ablation.prepare import prepare_h5, prepare_planar
from ablation.replicates import load_replicates

SEEDS = [0, 1, 2]


@pytest.fixture(scope="module")
def planar(tmp_path_factory):
    path = tmp_path_factory.mktemp("planar") / "prepared.h5"
    prepare_planar(
        path,
        n_train=200,
        n_dev=200,
        n_test=100,
        noise=0.2,
        data_seed=1,
        standardize="none",
        dev_split="resample",
        seeds=SEEDS,
        dev_fraction=0.2,
        split_seed=0,
    )
    return path


@pytest.fixture(scope="module")
def cat(tmp_path_factory, cat_data_dir):
    path = tmp_path_factory.mktemp("cat") / "prepared.h5"
    files = {split: cat_data_dir / f"{split}_catvnoncat.h5" for split in ("train", "test")}
    prepare_h5(
        path,
        files,
        standardize="scale255",
        dev_split="resample",
        seeds=[0, 1, 2, 3, 4],
        dev_fraction=0.2,
        split_seed=0,
    )
    return path


def settings(**changes):
    return (
        dict(dataset="toy", seeds=SEEDS, C=[0.01, 1.0], selection_metric="balanced_accuracy")
        | changes
    )


def test_a_fit_is_scikit_learns_optimum_on_few_features():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 200))
    Y = (X[0:1] + 0.5 * X[1:2] + 0.3 * rng.standard_normal((1, 200)) > 0).astype(float)
    model = fit_logistic_regression(X, Y, C=1.0)
    reference = LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(X.T, Y.ravel())
    np.testing.assert_allclose(model.w, reference.coef_[0], rtol=1e-5)
    assert model.b == pytest.approx(reference.intercept_[0], rel=1e-5)
    assert model.logits(X).shape == (1, 200)


def test_with_more_features_than_examples_the_fit_in_their_span_is_the_full_optimum():
    # The penalized problem in the examples' span is the same problem: the same w.
    rng = np.random.default_rng(1)
    X = rng.standard_normal((300, 40))
    Y = (rng.random((1, 40)) < 0.4).astype(float)
    Y[0, :2] = [0, 1]
    model = fit_logistic_regression(X, Y, C=0.1)
    reference = LogisticRegression(C=0.1, tol=1e-12, max_iter=100_000).fit(X.T, Y.ravel())
    np.testing.assert_allclose(model.w, reference.coef_[0], rtol=1e-4, atol=1e-7)
    assert model.b == pytest.approx(reference.intercept_[0], rel=1e-4, abs=1e-7)


def test_a_fit_that_does_not_converge_is_an_error(monkeypatch):
    monkeypatch.setattr(baseline, "MAX_ITERATIONS", 2)
    rng = np.random.default_rng(2)
    X = rng.standard_normal((2, 100))
    with pytest.raises(BaselineError, match="C=1 on 100 examples did not converge in 2"):
        fit_logistic_regression(X, (X[:1] > 0).astype(float), C=1.0)


def test_baseline_metrics_and_predictions(planar):
    result = train_baseline(planar, **settings())
    metrics, predictions = result.metrics, result.predictions
    assert metrics["model"] == "logistic_regression" and metrics["C"] in (0.01, 1.0)
    assert [candidate["C"] for candidate in metrics["candidates"]] == [0.01, 1.0]
    assert metrics["selection_rule"] == selection_rule("balanced_accuracy")
    assert set(metrics["replicates"]) == {"0", "1", "2"}
    replicates = load_replicates(planar)
    assert predictions["dev_logits"].shape == (3, replicates.dev_examples)
    assert predictions["test_logits"].shape == (3, 100)
    np.testing.assert_array_equal(predictions["seed"], SEEDS)
    # Each replicate's model is the one fitted on its own draw, its scores from its logits.
    for row, seed in enumerate(SEEDS):
        model = fit_logistic_regression(*replicates.training_set(seed), C=metrics["C"])
        test = replicates.arrays["X_test"]
        np.testing.assert_allclose(predictions["test_logits"][row], model.logits(test)[0])
        scores = metrics["replicates"][str(seed)]
        labels = replicates.arrays["Y_test"][0]
        assert scores["test_balanced_accuracy"] == pytest.approx(
            balanced_accuracy(predictions["test_logits"][row] > 0, labels)
        )
    kept = max(metrics["candidates"], key=lambda candidate: candidate["dev_balanced_accuracy"])
    assert metrics["C"] == kept["C"]


@pytest.mark.parametrize("name", ["planar", "cat"])
def test_the_baseline_fits_its_training_data_better_than_a_constant_predictor(name, request):
    result = train_baseline(request.getfixturevalue(name), **settings(C=[0.01, 0.1, 1.0]))
    for replicate in result.metrics["replicates"].values():
        assert replicate["training_cost"] < replicate["constant_predictor_cost"]
        assert replicate["beats_constant_predictor"] is True


#: Made-up pooled dev scores of the models with each penalty: (accuracy, balanced accuracy,
#: cost); each C's models predict the constant logit C, so their scores can be looked up.
SCORES = {
    0.1: (0.66, 0.50, 0.70),  # a constant predictor: best dev accuracy, nothing else
    0.2: (0.60, 0.62, 0.60),
    0.3: (0.60, 0.62, 0.55),  # ties 0.2 and 0.4 in balanced accuracy, lowest cost of them
    0.4: (0.62, 0.62, 0.65),
    0.5: (0.55, 0.55, 0.50),  # lowest dev cross-entropy
}


@pytest.mark.parametrize(
    "metric, kept", [("accuracy", 0.1), ("balanced_accuracy", 0.3), ("cross_entropy", 0.5)]
)
def test_the_penalty_best_on_dev_in_the_selection_metric_is_kept(planar, monkeypatch, metric, kept):
    def constant_model(X, Y, C):
        return baseline.LogisticModel(np.zeros(X.shape[0]), C, 1)

    def made_up(dev_logits, replicates):
        # Each penalty's logits are the penalty itself, as predictions.npz keeps it (float32).
        penalty = min(SCORES, key=lambda C: abs(C - float(dev_logits[0, 0])))
        accuracy, balanced, cost = SCORES[penalty]
        return {"accuracy": accuracy, "balanced_accuracy": balanced, "cost": cost}

    monkeypatch.setattr(baseline, "fit_logistic_regression", constant_model)
    monkeypatch.setattr(baseline, "pooled_dev_scores", made_up)
    result = train_baseline(planar, **settings(C=list(SCORES)[::-1], selection_metric=metric))
    assert result.metrics["C"] == kept
    np.testing.assert_array_equal(np.unique(result.predictions["dev_logits"]), [np.float32(kept)])


def test_an_unknown_selection_metric_is_an_error(planar):
    with pytest.raises(ValueError, match="unknown selection metric 'f1'"):
        train_baseline(planar, **settings(selection_metric="f1"))
