"""Training one cell (every learning rate x replicate): on small prepared planar data, where each
replicate draws its own training set, and on the cat images, where replicates hold out folds."""

import json

import numpy as np
import pytest
import shallownet

from ablation.cell import (
    HISTORY_COLUMNS,
    NETWORK_KEYS,
    PARAM_NAMES,
    read_member_params,
    stored_logits,
    train_cell,
)
from ablation.grid import MEMBER_COLUMNS, cell_rng
from ablation.io import write_json, write_npz
from ablation.prepare import prepare_h5, prepare_planar, prepared_content_sha256
from ablation.replicates import load_replicates

#: The replicates every fixture prepares.
SEEDS = [0, 1, 2]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """Planar data: each replicate's own training draw of 160 points, shared dev and test."""
    path = tmp_path_factory.mktemp("data") / "prepared.h5"
    prepare_planar(
        path,
        n_train=160,
        n_dev=100,
        n_test=80,
        noise=0.2,
        data_seed=1,
        standardize="none",
        dev_split="resample",
        seeds=SEEDS,
        dev_fraction=0.25,
        split_seed=0,
    )
    return path


@pytest.fixture(scope="module")
def folds(tmp_path_factory, cat_data_dir):
    """The cat images: three replicates, each holding out a third of the training file."""
    path = tmp_path_factory.mktemp("cat") / "prepared.h5"
    files = {split: cat_data_dir / f"{split}_catvnoncat.h5" for split in ("train", "test")}
    prepare_h5(
        path,
        files,
        standardize="scale255",
        dev_split="resample",
        seeds=SEEDS,
        dev_fraction=0.2,
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

    def recording_fit_batch(**options):
        calls.append((len(options["params"]), list(options["learning_rates"])))
        return original(**options)

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


def test_each_member_is_the_network_fit_trains_on_its_replicates_draw(prepared):
    result = train_cell(prepared, **settings(seeds=[0, 1], learning_rates=[0.3, 1.2]))
    replicates = load_replicates(prepared)
    draws = [replicates.training_set(seed)[0] for seed in (0, 1)]
    assert not np.array_equal(*draws)  # the replicates' training sets differ
    for index, network in enumerate(result.metrics["networks"]):
        X, Y = replicates.training_set(network["seed"])
        alone = shallownet.fit(
            X,
            Y,
            shallownet.initialize(2, 4, "xavier", cell_rng("planar", network["seed"])),
            activation="tanh",
            learning_rate=network["learning_rate"],
            iterations=200,
            record_every=50,
        )
        for name in PARAM_NAMES:
            np.testing.assert_array_equal(result.params[name][index], alone.params[name])
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
    data = load_replicates(prepared).arrays
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
                # Kept in float32 (stored_logits): its rounding, and not more.
                assert out[f"{split}_logits"].dtype == np.float32
                np.testing.assert_allclose(out[f"{split}_logits"][index], logits[0], rtol=1e-7)
        # The stored predictions give the accuracies the metrics were computed with, exactly:
        # every replicate predicts the whole shared dev draw.
        networks = result.metrics["networks"]
        assert np.isfinite(out["dev_logits"]).all()
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


def test_identity_networks_compute_their_collapsed_linear_function(prepared):
    result = train_cell(prepared, **settings(activation="identity", seeds=[0, 1]))
    gaps = [network["linear_gap"] for network in result.metrics["networks"]]
    assert all(0 <= gap < 1e-12 for gap in gaps)
    tanh = train_cell(prepared, **settings(seeds=[0]))
    assert tanh.metrics["networks"][0]["linear_gap"] is None


def test_a_replicate_predicts_its_held_out_fold_and_every_example_is_predicted_once(folds):
    result = train_cell(
        folds,
        **settings(dataset="cat", hidden=3, seeds=SEEDS, learning_rates=[0.01], iterations=20),
    )
    replicates = load_replicates(folds)
    dev = result.predictions["dev_logits"]
    assert dev.shape == (3, 209)
    for index, seed in enumerate(SEEDS):
        held_out = replicates.dev_columns(seed)
        assert np.isfinite(dev[index, held_out]).all() and np.isnan(dev[index, ~held_out]).all()
    # Out of fold: each training image predicted by exactly one replicate.
    assert (np.isfinite(dev).sum(axis=0) == 1).all()
    networks = result.metrics["networks"]
    assert sum(int(replicates.dev_columns(seed).sum()) for seed in SEEDS) == 209
    assert [n["dev_accuracy"] is not None for n in networks] == [True] * 3


def written_cell(result, directory):
    """The cell's params.npz and metrics.json, as its train job writes them, in ``directory``."""
    write_npz(directory / "params.npz", result.params)
    write_json(directory / "metrics.json", result.metrics)
    return directory / "params.npz"


def test_a_fold_replicate_is_the_network_trained_on_the_other_folds_alone(folds, tmp_path):
    result = train_cell(
        folds,
        **settings(dataset="cat", hidden=3, seeds=SEEDS, learning_rates=[0.01], iterations=20),
    )
    params_file = written_cell(result, tmp_path)
    replicates = load_replicates(folds)
    for index, seed in enumerate(SEEDS):
        X, Y = replicates.training_set(seed)
        X_dev, Y_dev = replicates.dev_set(seed)
        alone = shallownet.fit(
            X,
            Y,
            shallownet.initialize(X.shape[0], 3, "xavier", cell_rng("cat", seed)),
            activation="tanh",
            learning_rate=0.01,
            iterations=20,
            record_every=50,
            X_dev=X_dev,
            Y_dev=Y_dev,
        )
        ours = read_member_params(params_file, learning_rate=0.01, seed=seed, prepared_path=folds)
        for name in PARAM_NAMES:
            reference = alone.params[name]
            difference = np.linalg.norm(ours[name] - reference)
            assert difference <= 1e-9 * np.linalg.norm(reference), name
        # Its held-out fold is the dev set of its history, as the dev set alone would be.
        ours = [record["dev_cost"] for record in result.history if record["seed"] == seed]
        theirs = [record["dev_cost"] for record in alone.history]
        np.testing.assert_allclose(ours, theirs, rtol=1e-9)


@pytest.mark.parametrize("init", ["xavier", "zeros"])
def test_a_gram_cell_keeps_coefficients_from_which_its_weights_are_rebuilt_exactly(
    folds, tmp_path, monkeypatch, init
):
    trained = {}
    original = shallownet.fit_batch

    def keeping_fit_batch(**options):
        trained["fits"] = original(**options)
        return trained["fits"]

    monkeypatch.setattr(shallownet, "fit_batch", keeping_fit_batch)
    result = train_cell(
        folds,
        **settings(
            dataset="cat",
            init=init,
            hidden=4,
            seeds=[0, 2],
            learning_rates=[0.01, 0.03],
            iterations=30,
        ),
    )
    assert result.metrics["method"] == "gram" and "W1" not in result.params
    assert result.params["C"].shape == (4, 4, 209)  # 209 floats per unit instead of 12288
    params_file = written_cell(result, tmp_path)
    for fit, network in zip(trained["fits"], result.metrics["networks"]):
        rebuilt = read_member_params(
            params_file,
            learning_rate=network["learning_rate"],
            seed=network["seed"],
            prepared_path=folds,
        )
        for name in PARAM_NAMES:
            assert rebuilt[name].tobytes() == fit.params[name].tobytes(), name
        if init == "zeros":  # identical units stay identical bit for bit
            assert (rebuilt["W1"] == rebuilt["W1"][0]).all()


def test_a_gram_cell_needs_the_prepared_data_to_rebuild_its_weights(folds, tmp_path):
    result = train_cell(folds, **settings(dataset="cat", hidden=2, iterations=5))
    with pytest.raises(ValueError, match="give prepared_path, the dataset's prepared.h5"):
        read_member_params(written_cell(result, tmp_path), learning_rate=1.2, seed=0)


def test_a_float32_cell_trains_and_keeps_its_arrays_in_float32(prepared, folds):
    for path, dataset in ((prepared, "planar"), (folds, "cat")):
        result = train_cell(path, **settings(dataset=dataset, precision="float32", iterations=20))
        assert result.metrics["precision"] == "float32"
        # Every array but the members' learning rates (float64 keys, as in every cell).
        stored = {**result.params, **result.predictions}
        dtypes = {name: array.dtype for name, array in stored.items() if name != "learning_rate"}
        assert {dtypes[name] for name in dtypes if name != "seed"} == {np.dtype(np.float32)}
        assert result.metrics["networks"][0]["dev_accuracy"] is not None


def test_stored_logits_keep_every_prediction():
    logits = np.array([1e-300, -1e-300, 0.0, -0.0, 1e300, -1e300, np.nan, 0.3, -2.5])
    stored = stored_logits(logits)
    assert stored.dtype == np.float32
    np.testing.assert_array_equal(stored > 0, logits > 0)  # the sign of a vanishing logit too
    np.testing.assert_array_equal(stored < 0, logits < 0)
    assert np.isfinite(stored[:6]).all() and np.isnan(stored[6])
    np.testing.assert_allclose(stored[7:], logits[7:], rtol=1e-7)
