"""Training one cell and the baseline on a small prepared planar file."""

import json

import numpy as np
import pytest

from ablation.baseline import BASELINE_HISTORY_COLUMNS, fit_logistic_regression, train_baseline
from ablation.cell import HISTORY_COLUMNS, train_cell
from ablation.io import write_h5, write_json
from ablation.prepare import prepare_planar, prepared_content_sha256


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    arrays, attrs = prepare_planar(
        n_train=160,
        n_test=80,
        noise=0.2,
        data_seed=1,
        standardize="none",
        dev_fraction=0.25,
        split_seed=0,
    )
    path = tmp_path_factory.mktemp("data") / "prepared.h5"
    write_h5(path, arrays, attrs)
    return path


def settings(**changes):
    return (
        dict(
            dataset="planar",
            activation="tanh",
            init="xavier",
            hidden=4,
            seed=0,
            learning_rate=1.2,
            iterations=200,
            record_every=50,
        )
        | changes
    )


def test_cell_metrics_history_and_params(prepared):
    result = train_cell(prepared, **settings())
    metrics = result.metrics
    assert metrics["status"] == "ok" and metrics["iterations_run"] == 200
    for split in ("train", "dev", "test"):
        assert 0 <= metrics[f"{split}_accuracy"] <= 1
    assert metrics["provenance"]["data_sha256"] == prepared_content_sha256(prepared)
    assert [record["iteration"] for record in result.history] == [0, 50, 100, 150, 200]
    assert set(HISTORY_COLUMNS) <= set(result.history[-1])
    assert result.params["W1"].shape == (4, 2)
    assert result.timing["train_seconds"] > 0


def test_cell_metrics_are_deterministic(prepared, tmp_path):
    first, second = (train_cell(prepared, **settings()) for _ in range(2))
    write_json(tmp_path / "a.json", first.metrics)
    write_json(tmp_path / "b.json", second.metrics)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_cells_sharing_a_seed_start_from_the_same_stream(prepared):
    # identical first-layer weights for the same (dataset, seed), whatever the activation
    tanh = train_cell(prepared, **settings(iterations=1, learning_rate=1e-12))
    relu = train_cell(prepared, **settings(activation="relu", iterations=1, learning_rate=1e-12))
    np.testing.assert_allclose(tanh.params["W1"], relu.params["W1"], rtol=1e-9)


def test_leaky_relu_label_sets_the_slope(prepared):
    result = train_cell(prepared, **settings(activation="leaky_relu-0.2"))
    assert (result.metrics["activation_name"], result.metrics["alpha"]) == ("leaky_relu", 0.2)


def test_diverged_cell_finishes_with_its_status(prepared, tmp_path):
    result = train_cell(
        prepared, **settings(init="large", learning_rate=1e4, activation="relu", hidden=20)
    )
    metrics = result.metrics
    assert metrics["status"] == "diverged"
    assert isinstance(metrics["diverged_at"], int)
    # no accuracy or cost for a model that never finished training
    assert metrics["dev_accuracy"] is None and metrics["final_cost"] is None
    write_json(tmp_path / "metrics.json", metrics)  # non-finite numbers become null
    assert json.loads((tmp_path / "metrics.json").read_text())["status"] == "diverged"


def test_logistic_regression_learns_a_linear_boundary():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 200))
    Y = (X[0:1] + 0.5 * X[1:2] > 0).astype(float)
    params, history = fit_logistic_regression(
        X, Y, learning_rate=1.0, iterations=300, record_every=100, X_dev=X, Y_dev=Y
    )
    assert [record["iteration"] for record in history] == [0, 100, 200, 300]
    assert history[-1]["cost"] < history[0]["cost"]
    assert history[-1]["train_accuracy"] > 0.95
    assert params["w"].shape == (1, 2)


def test_baseline_metrics(prepared):
    metrics, history = train_baseline(
        prepared, dataset="planar", learning_rate=1.2, iterations=100, record_every=50
    )
    assert list(history[0]) == list(BASELINE_HISTORY_COLUMNS)
    assert metrics["model"] == "logistic_regression" and 0 <= metrics["dev_accuracy"] <= 1
