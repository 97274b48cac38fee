"""Training one cell (every learning rate x seed) and the baseline on small prepared planar data."""

import json

import numpy as np
import pytest
import shallownet

from ablation import baseline
from ablation.baseline import (
    BASELINE_HISTORY_COLUMNS,
    CANDIDATE_KEYS,
    fit_logistic_regression,
    logistic_logits,
    train_baseline,
)
from ablation.cell import (
    HISTORY_COLUMNS,
    NETWORK_KEYS,
    PARAM_NAMES,
    read_member_params,
    train_cell,
)
from ablation.grid import MEMBER_COLUMNS, cell_rng
from ablation.io import write_json, write_npz
from ablation.metrics import balanced_accuracy
from ablation.prepare import load_prepared, prepare_planar, prepared_content_sha256


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "prepared.h5"
    prepare_planar(
        path,
        n_train=160,
        n_test=80,
        noise=0.2,
        data_seed=1,
        standardize="none",
        dev_fraction=0.25,
        split_seed=0,
    )
    return path


def settings(**changes):
    return (
        dict(
            dataset="planar",
            activation="tanh",
            init="xavier",
            hidden=4,
            seeds=[0],
            learning_rates=[1.2],
            iterations=200,
            record_every=50,
        )
        | changes
    )


def member(arrays, index):
    """Member ``index``'s parameters from a cell's stacked arrays."""
    return {name: arrays[name][index] for name in PARAM_NAMES}


def test_cell_metrics_history_and_params(prepared):
    result = train_cell(prepared, **settings())
    metrics = result.metrics
    (network,) = metrics["networks"]
    assert set(network) == set(NETWORK_KEYS)
    assert network["status"] == shallownet.STATUS_OK and network["iterations_run"] == 200
    assert (network["learning_rate"], network["seed"]) == (1.2, 0)
    for split in ("train", "dev", "test"):
        assert 0 <= network[f"{split}_accuracy"] <= 1
    assert metrics["provenance"]["data_sha256"] == prepared_content_sha256(prepared)
    assert [record["iteration"] for record in result.history] == [0, 50, 100, 150, 200]
    assert set(HISTORY_COLUMNS) <= set(result.history[-1])
    assert result.params["W1"].shape == (1, 4, 2)
    assert result.timing["cell_train_seconds"] > 0


def test_a_cell_trains_every_seed_and_learning_rate_in_one_fit_batch_call(prepared, monkeypatch):
    calls = []
    original = shallownet.fit_batch

    def recording_fit_batch(X, Y, params, **options):
        calls.append((len(params), list(options["learning_rates"])))
        return original(X, Y, params, **options)

    monkeypatch.setattr(shallownet, "fit_batch", recording_fit_batch)
    result = train_cell(
        prepared, **settings(seeds=[2, 0, 1], learning_rates=[1.2, 0.3], iterations=60)
    )
    assert calls == [(6, [0.3, 0.3, 0.3, 1.2, 1.2, 1.2])]
    members = [(0.3, 0), (0.3, 1), (0.3, 2), (1.2, 0), (1.2, 1), (1.2, 2)]
    # One metrics entry per network, in member order (learning rate, then seed) ...
    networks = result.metrics["networks"]
    assert [(n["learning_rate"], n["seed"]) for n in networks] == members
    assert result.metrics["learning_rates"] == [0.3, 1.2]
    assert result.metrics["seeds"] == [0, 1, 2]
    # ... and each network's own history rows, 60 / 50 -> records at 0, 50 and 60.
    rows = [tuple(record[key] for key in MEMBER_COLUMNS) for record in result.history]
    assert rows == [m for m in members for _ in range(3)]


def test_each_member_is_the_network_fit_trains_from_its_seed_at_its_rate(prepared):
    result = train_cell(prepared, **settings(seeds=[0, 1], learning_rates=[0.3, 1.2]))
    data = load_prepared(prepared)
    for index, network in enumerate(result.metrics["networks"]):
        alone = shallownet.fit(
            data["X_train"],
            data["Y_train"],
            shallownet.initialize(2, 4, "xavier", cell_rng("planar", network["seed"])),
            activation="tanh",
            learning_rate=network["learning_rate"],
            iterations=200,
            record_every=50,
        )
        for name in PARAM_NAMES:
            np.testing.assert_allclose(result.params[name][index], alone.params[name], rtol=1e-7)
        assert result.params["learning_rate"][index] == network["learning_rate"]
        assert result.params["seed"][index] == network["seed"]


def test_a_seed_starts_from_the_same_weights_at_every_learning_rate(prepared):
    # 0 iterations: the parameters returned are the starting ones.
    result = train_cell(prepared, **settings(seeds=[0, 1], learning_rates=[0.3, 1.2], iterations=0))
    for index, seed in enumerate(result.params["seed"]):
        start = shallownet.initialize(2, 4, "xavier", cell_rng("planar", int(seed)))
        for name in PARAM_NAMES:
            np.testing.assert_array_equal(result.params[name][index], start[name])
    assert not np.array_equal(result.params["W1"][0], result.params["W1"][1])


def test_params_and_predictions_files_hold_every_member(prepared, tmp_path):
    result = train_cell(prepared, **settings(seeds=[0, 1], learning_rates=[0.3, 1.2]))
    data = load_prepared(prepared)
    m_dev, m_test = data["Y_dev"].shape[1], data["Y_test"].shape[1]
    write_npz(tmp_path / "params.npz", result.params)
    write_npz(tmp_path / "predictions.npz", result.predictions)
    with np.load(tmp_path / "params.npz") as params, np.load(tmp_path / "predictions.npz") as out:
        shapes = {name: params[name].shape for name in params.files}
        assert shapes == {
            "W1": (4, 4, 2),
            "b1": (4, 4, 1),
            "W2": (4, 1, 4),
            "b2": (4, 1, 1),
            "learning_rate": (4,),
            "seed": (4,),
        }
        assert {name: out[name].shape for name in out.files} == {
            "dev_logits": (4, m_dev),
            "test_logits": (4, m_test),
            "learning_rate": (4,),
            "seed": (4,),
        }
        np.testing.assert_array_equal(out["learning_rate"], [0.3, 0.3, 1.2, 1.2])
        np.testing.assert_array_equal(out["seed"], params["seed"])
        for index in range(4):
            for split in ("dev", "test"):
                logits = shallownet.decision_function(
                    member(params, index), data[f"X_{split}"], activation="tanh"
                )
                np.testing.assert_allclose(out[f"{split}_logits"][index], logits[0], rtol=1e-12)
        # The stored predictions are the ones the metrics were computed from.
        networks = result.metrics["networks"]
        for split in ("dev", "test"):
            predicted, labels = out[f"{split}_logits"] > 0, data[f"Y_{split}"] > 0.5
            np.testing.assert_allclose(
                (predicted == labels).mean(axis=1), [n[f"{split}_accuracy"] for n in networks]
            )
            recalls = [(predicted[:, labels[0] == value] == value).mean(axis=1) for value in (0, 1)]
            np.testing.assert_allclose(
                np.mean(recalls, axis=0), [n[f"{split}_balanced_accuracy"] for n in networks]
            )


def test_read_member_params_picks_the_network_by_rate_and_seed(prepared, tmp_path):
    result = train_cell(prepared, **settings(seeds=[0, 1], learning_rates=[0.3, 1.2]))
    write_npz(tmp_path / "params.npz", result.params)
    chosen = read_member_params(tmp_path / "params.npz", learning_rate=1.2, seed=0)
    for name in PARAM_NAMES:
        np.testing.assert_array_equal(chosen[name], result.params[name][2])
    with pytest.raises(ValueError, match=r"params.npz holds no network with learning_rate=0.5"):
        read_member_params(tmp_path / "params.npz", learning_rate=0.5, seed=0)


def test_cell_metrics_are_deterministic(prepared, tmp_path):
    first, second = (
        train_cell(prepared, **settings(seeds=[0, 1], learning_rates=[0.3, 1.2])) for _ in range(2)
    )
    write_json(tmp_path / "a.json", first.metrics)
    write_json(tmp_path / "b.json", second.metrics)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_cells_sharing_a_seed_start_from_the_same_stream(prepared):
    # identical first-layer weights for the same (dataset, seed), whatever the activation
    tanh = train_cell(prepared, **settings(iterations=1, learning_rates=[1e-12]))
    relu = train_cell(prepared, **settings(activation="relu", iterations=1, learning_rates=[1e-12]))
    np.testing.assert_allclose(tanh.params["W1"], relu.params["W1"], rtol=1e-9)


def test_leaky_relu_label_sets_the_slope(prepared):
    result = train_cell(prepared, **settings(activation="leaky_relu-0.2"))
    assert (result.metrics["activation_name"], result.metrics["alpha"]) == ("leaky_relu", 0.2)


def test_diverged_member_finishes_with_its_status_beside_a_trained_one(prepared, tmp_path):
    result = train_cell(
        prepared,
        **settings(init="large", learning_rates=[0.3, 1e4], activation="relu", hidden=20),
    )
    trained, diverged = result.metrics["networks"]
    assert trained["status"] == shallownet.STATUS_OK and trained["dev_accuracy"] is not None
    assert diverged["status"] == shallownet.STATUS_DIVERGED
    assert isinstance(diverged["diverged_at"], int)
    # no accuracy or cost for a model that never finished training
    assert diverged["dev_accuracy"] is None and diverged["final_cost"] is None
    assert diverged["dev_balanced_accuracy"] is None and diverged["dev_cost"] is None
    # its predictions are a NaN row, the trained member's are finite
    for split in ("dev", "test"):
        logits = result.predictions[f"{split}_logits"]
        assert np.isfinite(logits[0]).all() and np.isnan(logits[1]).all()
    write_json(tmp_path / "metrics.json", result.metrics)  # non-finite numbers become null
    written = json.loads((tmp_path / "metrics.json").read_text())
    assert written["networks"][1]["status"] == shallownet.STATUS_DIVERGED


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


def baseline_settings(**changes):
    return (
        dict(
            dataset="planar",
            learning_rates=[1.2],
            iterations=100,
            record_every=50,
            selection_metric="balanced_accuracy",
        )
        | changes
    )


def test_baseline_metrics_and_predictions(prepared):
    result = train_baseline(prepared, **baseline_settings())
    metrics, history = result.metrics, result.history
    assert list(history[0]) == list(BASELINE_HISTORY_COLUMNS)
    assert metrics["model"] == "logistic_regression" and 0 <= metrics["dev_accuracy"] <= 1
    assert metrics["learning_rate"] == 1.2
    assert metrics["selection_metric"] == "balanced_accuracy"
    # One learning rate: exactly the model gradient descent gives at that rate.
    data = load_prepared(prepared)
    params, alone = fit_logistic_regression(
        data["X_train"],
        data["Y_train"],
        learning_rate=1.2,
        iterations=100,
        record_every=50,
        X_dev=data["X_dev"],
        Y_dev=data["Y_dev"],
    )
    assert history == alone
    # Its predictions are the kept model's logits, from which its scores were computed.
    assert set(result.predictions) == {"dev_logits", "test_logits"}
    for split in ("dev", "test"):
        logits = result.predictions[f"{split}_logits"]
        np.testing.assert_array_equal(logits, logistic_logits(params, data[f"X_{split}"])[0])
        labels = data[f"Y_{split}"][0]
        assert metrics[f"{split}_balanced_accuracy"] == balanced_accuracy(logits > 0, labels)


def test_baseline_with_several_rates_keeps_the_best_on_dev(prepared):
    result = train_baseline(prepared, **baseline_settings(learning_rates=[1.2, 1e-3, 0.05]))
    metrics = result.metrics
    candidates = metrics["candidates"]
    assert [candidate["learning_rate"] for candidate in candidates] == [1e-3, 0.05, 1.2]
    assert set(candidates[0]) == {"learning_rate", *CANDIDATE_KEYS}
    assert metrics["dev_balanced_accuracy"] == max(
        candidate["dev_balanced_accuracy"] for candidate in candidates
    )
    # The kept model is the one trained at that rate alone.
    alone = train_baseline(prepared, **baseline_settings(learning_rates=[metrics["learning_rate"]]))
    assert result.history == alone.history
    assert {key: metrics[key] for key in alone.metrics if key != "candidates"} == {
        key: value for key, value in alone.metrics.items() if key != "candidates"
    }
    for name, logits in alone.predictions.items():
        np.testing.assert_array_equal(result.predictions[name], logits)


#: Made-up dev scores of the models at each learning rate: (accuracy, balanced accuracy,
#: cost); rate 0.1 would also be best on test, which must never decide.
SCORES = {
    0.1: (0.66, 0.50, 0.70),  # a constant predictor: best dev accuracy, nothing else
    0.2: (0.60, 0.62, 0.60),
    0.3: (0.60, 0.62, 0.55),  # ties 0.2 and 0.4 in balanced accuracy, lowest cost of them
    0.4: (0.62, 0.62, 0.65),
    0.5: (0.55, 0.55, 0.50),  # lowest dev cross-entropy
}


@pytest.mark.parametrize(
    "metric, kept",
    [("accuracy", 0.1), ("balanced_accuracy", 0.3), ("cross_entropy", 0.5)],
)
def test_baseline_keeps_the_best_rate_in_the_selection_metric_and_never_looks_at_test(
    prepared, monkeypatch, metric, kept
):
    # Each rate's model predicts the constant logit `rate`, so its scores can be looked up.
    def constant_model(X, Y, *, learning_rate, **_):
        return {"w": np.zeros((1, X.shape[0])), "b": np.array([[learning_rate]])}, []

    def made_up_scores(logits, data):
        rate = float(logits["dev"][0, 0])
        accuracy, balanced, cost = SCORES[rate]
        return {
            "dev_accuracy": accuracy,
            "dev_balanced_accuracy": balanced,
            "dev_cost": cost,
            "final_cost": 0.3,
            "test_accuracy": 0.99 if rate == 0.1 else 0.5,
        }

    monkeypatch.setattr(baseline, "fit_logistic_regression", constant_model)
    monkeypatch.setattr(baseline, "evaluate", made_up_scores)
    result = train_baseline(
        prepared,
        **baseline_settings(
            learning_rates=list(SCORES)[::-1], iterations=1, record_every=1, selection_metric=metric
        ),
    )
    assert result.metrics["learning_rate"] == kept
    assert result.metrics["selection_rule"] == baseline.selection_rule(metric)
    np.testing.assert_array_equal(np.unique(result.predictions["dev_logits"]), [kept])


def test_baseline_ties_in_both_dev_scores_go_to_the_smaller_rate(prepared, monkeypatch):
    monkeypatch.setattr(
        baseline,
        "evaluate",
        lambda logits, data: dict.fromkeys(
            ("dev_accuracy", "dev_balanced_accuracy", "dev_cost", "final_cost"), 0.5
        ),
    )
    result = train_baseline(
        prepared, **baseline_settings(learning_rates=[0.4, 0.2], iterations=1, record_every=1)
    )
    assert result.metrics["learning_rate"] == 0.2


def test_baseline_rejects_an_unknown_selection_metric(prepared):
    with pytest.raises(ValueError, match="selection_metric='f1'; expected one of"):
        train_baseline(prepared, **baseline_settings(selection_metric="f1"))
