"""Prepared data: layout, dtypes, the stratified dev split, and errors naming the file."""

import h5py
import numpy as np
import pytest
from shallownet.data import DataError

from ablation.io import write_h5
from ablation.prepare import (
    CLASS_MIX_KEYS,
    content_sha256,
    load_labels,
    load_prepared,
    prepare_h5,
    prepare_planar,
    prepared_content_sha256,
    read_class_mix,
)

PLANAR = dict(
    n_train=120,
    n_test=60,
    noise=0.2,
    data_seed=1,
    standardize="none",
    dev_fraction=0.25,
    split_seed=0,
)


def test_cat_data_prepared_as_float64_columns(cat_data_dir):
    arrays, attrs = prepare_h5(
        cat_data_dir / "train_catvnoncat.h5",
        cat_data_dir / "test_catvnoncat.h5",
        standardize="scale255",
        dev_fraction=0.2,
        split_seed=0,
    )
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


def test_planar_draws_are_independent_and_deterministic():
    first, attrs = prepare_planar(**PLANAR)
    second, _ = prepare_planar(**PLANAR)
    for name in first:
        np.testing.assert_array_equal(first[name], second[name])
    assert first["X_train"].shape == (2, attrs["m_train"])
    assert attrs["m_train"] + attrs["m_dev"] == 120 and attrs["m_test"] == 60
    assert not np.allclose(first["X_test"][:, :10], first["X_train"][:, :10])
    other, _ = prepare_planar(**PLANAR | {"data_seed": 2})
    assert not np.array_equal(other["X_test"], first["X_test"])


def test_prepared_file_round_trips(tmp_path):
    arrays, attrs = prepare_planar(**PLANAR)
    write_h5(tmp_path / "prepared.h5", arrays, attrs)
    loaded = load_prepared(tmp_path / "prepared.h5")
    for name, array in loaded.items():
        np.testing.assert_array_equal(array, arrays[name])
    with h5py.File(tmp_path / "prepared.h5") as file:
        assert file.attrs["m_dev"] == attrs["m_dev"]


def test_prepared_file_records_each_splits_class_mix_and_labels(tmp_path):
    arrays, attrs = prepare_planar(**PLANAR)
    write_h5(tmp_path / "prepared.h5", arrays, attrs)
    mix = read_class_mix(tmp_path / "prepared.h5")
    labels = load_labels(tmp_path / "prepared.h5")
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
    arrays, attrs = prepare_planar(**PLANAR)
    older = {name: value for name, value in attrs.items() if not name.endswith(CLASS_MIX_KEYS)}
    write_h5(tmp_path / "prepared.h5", arrays, older)
    with pytest.raises(ValueError, match=f"{tmp_path / 'prepared.h5'} lacks the class-mix"):
        read_class_mix(tmp_path / "prepared.h5")


def test_prepared_file_records_the_digest_of_its_arrays(tmp_path):
    arrays, attrs = prepare_planar(**PLANAR)
    write_h5(tmp_path / "prepared.h5", arrays, attrs)
    recorded = prepared_content_sha256(tmp_path / "prepared.h5")
    with h5py.File(tmp_path / "prepared.h5") as file:
        read_back = {name: file[name][...] for name in arrays}
    assert recorded == content_sha256(read_back) == attrs["content_sha256"]
    assert len(recorded) == 64
    # Any change of a value, a name or a shape gives another digest.
    changed = dict(read_back, X_dev=read_back["X_dev"].copy())
    changed["X_dev"][0, 0] += 1e-12
    renamed = {("X_val" if name == "X_dev" else name): array for name, array in read_back.items()}
    reshaped = dict(read_back, Y_test=read_back["Y_test"].reshape(-1))
    assert len({recorded, *map(content_sha256, (changed, renamed, reshaped))}) == 4


def test_dev_split_that_empties_a_class_is_an_error_naming_dev_fraction():
    with pytest.raises(DataError, match="dev_fraction=0.001 leaves the dev split with no example"):
        prepare_planar(**PLANAR | {"dev_fraction": 0.001})


def test_train_and_test_of_different_sizes_are_rejected(tmp_path, cat_data_dir):
    small = tmp_path / "test_small.h5"
    with h5py.File(small, "w") as file:
        file["test_set_x"] = np.zeros((4, 32, 32, 3), dtype=np.uint8)
        file["test_set_y"] = np.array([0, 1, 0, 1])
        file["list_classes"] = np.array([b"non-cat", b"cat"])
    with pytest.raises(DataError, match=f"{small}.*expected the same feature size"):
        prepare_h5(
            cat_data_dir / "train_catvnoncat.h5",
            small,
            standardize="scale255",
            dev_fraction=0.2,
            split_seed=0,
        )
