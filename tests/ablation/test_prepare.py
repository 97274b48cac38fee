"""Prepared data: layout, dtypes, the stratified dev split, blocks, and errors naming the file.

Other HDF5 layouts (keys, one file, a carved test split, labels) are tested in test_layout.py.
"""

import statistics
from fractions import Fraction

import h5py
import numpy as np
import pytest

from ablation.layout import DataError, Selection, SplitSource
from ablation.fetch import sha256_of
from ablation.prepare import (
    check_dataset,
    BLOCK_BYTES,
    CLASS_MIX_KEYS,
    apply_standardization,
    content_sha256,
    fit_standardization,
    load_labels,
    load_prepared,
    prepare_h5,
    prepare_planar,
    prepared_content_sha256,
    read_class_mix,
    standardization_stats,
)

#: The planar data with the course's fixed dev split (the replicates' own draws: below).
PLANAR = dict(
    n_train=120,
    n_test=60,
    noise=0.2,
    data_seed=1,
    standardize="none",
    dev_split="fixed",
    seeds=[0],
    dev_fraction=0.25,
    split_seed=0,
)


def planar(tmp_path, **changes):
    """Prepare the planar data into ``tmp_path``: (arrays, attrs, path)."""
    path = tmp_path / "prepared.h5"
    attrs = prepare_planar(path, **PLANAR | changes)
    return load_prepared(path), attrs, path


def prepare_cat(cat_data_dir, path, **settings):
    """Prepare the cat data into ``path``; return its arrays and attributes."""
    files = {split: cat_data_dir / f"{split}_catvnoncat.h5" for split in ("train", "test")}
    defaults = {
        "standardize": "scale255",
        "dev_split": "fixed",
        "seeds": [0],
        "dev_fraction": 0.2,
        "split_seed": 0,
    }
    attrs = prepare_h5(path, files, **defaults | settings)
    arrays = load_prepared(path) | load_prepared(path, ("stats/scale",))
    return arrays, attrs


def test_cat_data_prepared_as_float64_columns(cat_data_dir, tmp_path):
    arrays, attrs = prepare_cat(cat_data_dir, tmp_path / "prepared.h5")
    assert (
        arrays["X_train"].shape[0]
        == arrays["X_dev"].shape[0]
        == arrays["X_test"].shape[0]
        == 64 * 64 * 3
    )
    assert attrs["m_train"] + attrs["m_dev"] == 209 and attrs["m_test"] == 50
    for split in ("train", "dev", "test"):
        assert arrays[f"X_{split}"].dtype == arrays[f"Y_{split}"].dtype == np.float64
        assert arrays[f"Y_{split}"].shape == (1, attrs[f"m_{split}"])
        assert 0.0 <= arrays[f"X_{split}"].min() and arrays[f"X_{split}"].max() <= 1.0
    # stratified: the dev set has the training file's share of cats (72 of 209), to rounding
    assert arrays["Y_dev"].sum() == round(0.2 * 72)
    assert attrs["classes"] == ["non-cat", "cat"]
    assert float(arrays["stats/scale"]) == 255.0
    # The class mix shifts: a third cats in train and dev, two thirds in test.
    assert (attrs["dev_positives"], attrs["dev_negatives"]) == (14, 27)
    assert (attrs["test_positives"], attrs["test_negatives"]) == (33, 17)
    assert (attrs["train_positives"], attrs["train_negatives"]) == (58, 110)
    assert attrs["dev_majority_accuracy"] == pytest.approx(27 / 41)
    assert attrs["test_majority_accuracy"] == pytest.approx(0.66)


def test_cat_data_in_small_blocks_gives_the_same_file(cat_data_dir, tmp_path):
    """Blocks of 5 images give the bytes of one block of all: the file does not depend on
    how it was read (the workflow's prepared.h5 for the cat data is that of the in-memory
    preparation before blocks, byte for byte)."""
    prepare_cat(cat_data_dir, tmp_path / "whole.h5", block_bytes=1 << 30)
    prepare_cat(cat_data_dir, tmp_path / "blocks.h5", block_bytes=5 * 12288 * 8)
    assert (tmp_path / "whole.h5").read_bytes() == (tmp_path / "blocks.h5").read_bytes()


def test_planar_draws_are_independent_and_deterministic(tmp_path):
    first, attrs, _ = planar(tmp_path / "first")
    second, _, _ = planar(tmp_path / "second")
    for name in first:
        np.testing.assert_array_equal(first[name], second[name])
    assert first["X_train"].shape == (2, attrs["m_train"])
    assert attrs["m_train"] + attrs["m_dev"] == 120 and attrs["m_test"] == 60
    assert not np.allclose(first["X_test"][:, :10], first["X_train"][:, :10])
    other, _, _ = planar(tmp_path / "other", data_seed=2)
    assert not np.array_equal(other["X_test"], first["X_test"])


def test_prepared_file_round_trips(tmp_path):
    arrays, attrs, path = planar(tmp_path)
    loaded = load_prepared(path)
    assert len(loaded) == 6
    for name, array in loaded.items():
        np.testing.assert_array_equal(array, arrays[name])
    assert list(load_prepared(path, ("X_train", "Y_train"))) == ["X_train", "Y_train"]
    with h5py.File(path) as file:
        assert file.attrs["m_dev"] == attrs["m_dev"]


def test_prepared_file_records_each_splits_class_mix_and_labels(tmp_path):
    arrays, attrs, path = planar(tmp_path)
    mix = read_class_mix(path)
    labels = load_labels(path)
    for split in ("train", "dev", "test"):
        Y = arrays[f"Y_{split}"]
        assert labels[split].dtype == np.int64 and labels[split].shape == (Y.shape[1],)
        np.testing.assert_array_equal(labels[split], Y[0])
        assert mix[split]["positives"] == int(Y.sum())
        assert mix[split]["negatives"] == Y.shape[1] - int(Y.sum())
        assert mix[split]["majority_accuracy"] == max(Y.mean(), 1 - Y.mean())
    # The planar draws are balanced: every constant answer is right half the time.
    assert mix["test"]["majority_accuracy"] == 0.5


def test_a_prepared_file_without_the_class_mix_names_itself_and_the_fix(tmp_path):
    _, attrs, path = planar(tmp_path)
    with h5py.File(path, "a") as file:
        for name in attrs:
            if name.endswith(CLASS_MIX_KEYS):
                del file.attrs[name]
    with pytest.raises(ValueError, match=f"{path} lacks the class-mix"):
        read_class_mix(path)


def test_prepared_file_records_the_digest_of_its_arrays(tmp_path):
    arrays, attrs, path = planar(tmp_path)
    recorded = prepared_content_sha256(path)
    with h5py.File(path) as file:
        read_back = {name: file[name][...] for name in arrays}
    assert recorded == content_sha256(read_back) == attrs["content_sha256"]
    assert len(recorded) == 64
    # Any change of a value, a name or a shape gives another digest.
    changed = dict(read_back, X_dev=read_back["X_dev"].copy())
    changed["X_dev"][0, 0] += 1e-12
    renamed = {("X_val" if name == "X_dev" else name): array for name, array in read_back.items()}
    reshaped = dict(read_back, Y_test=read_back["Y_test"].reshape(-1))
    assert len({recorded, *map(content_sha256, (changed, renamed, reshaped))}) == 4


def test_digest_in_blocks_equals_the_digest_in_one_piece():
    arrays = {"X": np.arange(35.0).reshape(5, 7), "scale": np.array(255.0)}
    assert content_sha256(arrays, block_bytes=8) == content_sha256(arrays)


def test_dev_split_that_empties_a_class_is_an_error_naming_dev_fraction(tmp_path):
    with pytest.raises(DataError, match="dev_fraction=0.001 leaves the dev split with no example"):
        planar(tmp_path, dev_fraction=0.001)
    assert not (tmp_path / "prepared.h5").exists()


def test_train_and_test_of_different_sizes_are_rejected(tmp_path, cat_data_dir):
    small = tmp_path / "test_small.h5"
    with h5py.File(small, "w") as file:
        file["test_set_x"] = np.zeros((4, 32, 32, 3), dtype=np.uint8)
        file["test_set_y"] = np.array([0, 1, 0, 1])
        file["list_classes"] = np.array([b"non-cat", b"cat"])
    files = {"train": cat_data_dir / "train_catvnoncat.h5", "test": small}
    with pytest.raises(DataError, match=f"{small}.*expected the same feature size"):
        prepare_h5(
            tmp_path / "prepared.h5",
            files,
            standardize="scale255",
            dev_split="resample",
            seeds=[0, 1],
            dev_fraction=0.2,
            split_seed=0,
        )
    assert not (tmp_path / "prepared.h5").exists()


def test_resampled_cat_data_hold_the_training_file_and_its_stratified_folds(cat_data_dir, tmp_path):
    arrays, attrs = prepare_cat(
        cat_data_dir, tmp_path / "folds.h5", dev_split="resample", seeds=[3, 1, 4, 0, 2]
    )
    assert "X_dev" not in arrays and arrays["X_train"].shape == (12288, 209)
    fold, labels = arrays["fold"], arrays["Y_train"][0]
    # Five folds of 41 or 42 images, each with 14 or 15 of the 72 cats.
    assert sorted(np.bincount(fold).tolist()) == [41, 42, 42, 42, 42]
    assert sorted(np.bincount(fold[labels == 1]).tolist()) == [14, 14, 14, 15, 15]
    assert attrs["dev_split"] == "resample" and list(attrs["replicate_seeds"]) == [0, 1, 2, 3, 4]
    assert "dev_fraction" not in attrs
    # Every training image is a dev example (of one replicate): the dev mix is the file's.
    assert (attrs["dev_positives"], attrs["dev_negatives"]) == (72, 137)
    assert load_labels(tmp_path / "folds.h5")["dev"].size == 209
    again, _ = prepare_cat(
        cat_data_dir, tmp_path / "again.h5", dev_split="resample", seeds=[0, 1, 2, 3, 4]
    )
    np.testing.assert_array_equal(again["fold"], fold)


def test_resampling_needs_two_replicates_and_each_class_in_every_fold(cat_data_dir, tmp_path):
    spec = {
        "source": "h5",
        "files": {
            split: {
                "path": str(cat_data_dir / f"{split}_catvnoncat.h5"),
                "sha256": sha256_of(cat_data_dir / f"{split}_catvnoncat.h5"),
            }
            for split in ("train", "test")
        },
        "standardize": "scale255",
        "dev_split": "resample",
        "dev_fraction": 0.2,
        "split_seed": 0,
    }
    check_dataset("cat", spec, [0, 1])
    with pytest.raises(DataError, match=r"\['cat'\]: dev_split: resample .* grid.seed lists 1"):
        check_dataset("cat", spec, [0])
    with pytest.raises(DataError, match="class 1 has 72; expected at least 80 per class"):
        check_dataset("cat", spec, list(range(80)))
    check_dataset("cat", spec | {"dev_split": "fixed"}, [0])


def test_each_planar_replicate_draws_its_own_training_set(tmp_path):
    settings = {"dev_split": "resample", "n_dev": 80, "seeds": [0, 1, 2]}
    arrays, attrs, path = planar(tmp_path / "three", **settings)
    assert arrays["X_train"].shape == (2, 3 * 120) and arrays["X_dev"].shape == (2, 80)
    np.testing.assert_array_equal(arrays["draw"], np.repeat([0, 1, 2], 120))
    draws = [arrays["X_train"][:, arrays["draw"] == index] for index in range(3)]
    assert not np.array_equal(draws[0], draws[1])
    # A replicate's draw depends on the data seed and its own seed only: adding a seed keeps
    # the others' draws, and the shared dev and test draws.
    more, _, _ = planar(tmp_path / "four", **settings | {"seeds": [0, 1, 2, 5]})
    for index in range(3):
        np.testing.assert_array_equal(more["X_train"][:, more["draw"] == index], draws[index])
    for split in ("dev", "test"):
        np.testing.assert_array_equal(more[f"X_{split}"], arrays[f"X_{split}"])
    # The fixed split's training draw and test draw are those of before the replicates.
    fixed, _, _ = planar(tmp_path / "fixed")
    np.testing.assert_array_equal(fixed["X_test"], arrays["X_test"])
    assert attrs["m_dev"] == 80 and list(attrs["replicate_seeds"]) == [0, 1, 2]


def test_scale255_divides_by_255():
    X = np.array([[0, 255], [51, 102]], dtype=np.float64)
    stats = standardization_stats("scale255")
    np.testing.assert_allclose(apply_standardization(X, "scale255", stats), [[0, 1], [0.2, 0.4]])
    assert float(stats["scale"]) == 255


def zscore_fitted(X_train, block_bytes=BLOCK_BYTES):
    """zscore statistics of the features X_train (n_x, m), fitted as prepare_h5 fits them."""
    rows = np.arange(X_train.shape[1])
    train = Selection(SplitSource("in memory", "X", "Y"), rows, np.zeros((1, rows.size)))
    return fit_standardization(np.ascontiguousarray(X_train.T), train, "zscore", block_bytes)


def test_zscore_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    X_train = rng.normal(3, 2, (4, 50))
    X_train[3] = 7.0  # a constant feature: divided by 1, not by 0
    X_dev, X_test = rng.normal(0, 1, (4, 10)), rng.normal(0, 1, (4, 8))
    stats = zscore_fitted(X_train)
    Z_train, Z_dev, Z_test = (
        apply_standardization(X, "zscore", stats) for X in (X_train, X_dev, X_test)
    )
    np.testing.assert_allclose(Z_train[:3].mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(Z_train[:3].std(axis=1), 1, rtol=1e-12)
    np.testing.assert_array_equal(Z_train[3], 0)
    mean, std = X_train.mean(axis=1, keepdims=True), X_train.std(axis=1, keepdims=True)
    std[3] = 1
    np.testing.assert_allclose(Z_dev, (X_dev - mean) / std, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(Z_test, (X_test - mean) / std, rtol=1e-12, atol=1e-12)


def hard_features(m=40):
    """Features (n_x, m) that a plain mean and variance get wrong: near float64's largest and
    smallest magnitudes, opposite signs at the limit, a spread of one unit on 1.7e9 (a
    timestamp), constants whose mean NumPy does not return exactly, and a zero feature."""
    rng = np.random.default_rng(3)
    uniform = rng.uniform(0.5, 1.0, m)
    finite_max = np.finfo(np.float64).max
    return np.stack(
        [
            uniform * 1e200,
            uniform * finite_max,
            np.where(np.arange(m) % 2, 1, -1) * finite_max * uniform,
            rng.integers(1, 50, m) * np.finfo(np.float64).smallest_subnormal,
            uniform * 1e-310,
            1.7e9 + rng.integers(0, 2, m),
            np.full(m, 0.1),
            np.full(m, -finite_max),
            np.zeros(m),
        ]
    )


@pytest.mark.parametrize("block_bytes", [8 * 9, BLOCK_BYTES], ids=["one-example", "one-block"])
def test_zscore_is_exact_and_finite_at_the_limits_of_float64(block_bytes):
    X_train = hard_features()
    stats = zscore_fitted(X_train, block_bytes)
    assert all(np.isfinite(value).all() for value in stats.values())
    scale = stats["scale"][:, 0]
    mean = scale * (stats["mean"][:, 0] + stats["mean_residual"][:, 0])
    std = scale * stats["std"][:, 0]
    for feature, values in enumerate(X_train):
        # Exact references: the mean in rationals; pstdev is exact but for its last rounding.
        exact_mean = float(sum(map(Fraction, values.tolist())) / values.size)
        assert mean[feature] == pytest.approx(exact_mean, rel=1e-15, abs=0)
        assert std[feature] == pytest.approx(statistics.pstdev(values.tolist()), rel=1e-14)
    Z = apply_standardization(X_train, "zscore", stats)
    varying = std > 0
    assert varying.tolist() == [True] * 6 + [False] * 3
    np.testing.assert_allclose(Z[varying].mean(axis=1), 0, atol=1e-15)
    np.testing.assert_allclose(Z[varying].std(axis=1), 1, rtol=1e-15)
    # A constant feature is exactly 0 (0.1's mean in NumPy is not 0.1: std would be 1e-17).
    np.testing.assert_array_equal(Z[~varying], 0)


def test_zscore_of_a_constant_feature_divides_dev_values_by_1():
    stats = zscore_fitted(np.array([[7.0] * 5, [0.1] * 5, [0.0, 1, 2, 3, 4]]))
    Z = apply_standardization(np.array([[8.0], [0.3], [2.0]]), "zscore", stats)
    np.testing.assert_allclose(Z[:, 0], [1.0, 0.2, 0.0], rtol=1e-15)


def test_none_and_unknown_standardization():
    X = np.array([[1.0, 2.0]])
    stats = standardization_stats("none")
    np.testing.assert_array_equal(apply_standardization(X, "none", stats), X)
    assert stats == {}
    with pytest.raises(ValueError, match="unknown standardization"):
        standardization_stats("minmax")
