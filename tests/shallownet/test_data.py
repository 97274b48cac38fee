"""shallownet.data: loading with validation, flatten, standardize, stratified split, planar data."""

import h5py
import numpy as np
import pytest

from shallownet import data
from shallownet.data import DataError


def write_split(path, split="train", images=None, labels=None, skip=()):
    """Write an HDF5 file in the course's layout (defaults: 5 valid 4x4x3 images)."""
    rng = np.random.default_rng(0)
    arrays = {
        f"{split}_set_x": (
            rng.integers(0, 256, (5, 4, 4, 3), dtype=np.uint8) if images is None else images
        ),
        f"{split}_set_y": np.array([0, 1, 1, 0, 1]) if labels is None else labels,
        "list_classes": np.array([b"non-cat", b"cat"]),
    }
    with h5py.File(path, "w") as file:
        for key, value in arrays.items():
            if key not in skip:
                file[key] = value
    return path


def test_loads_the_real_cat_data(cat_data_dir):
    images, Y, classes = data.load_h5_split(cat_data_dir / "train_catvnoncat.h5", "train")
    assert images.shape == (209, 64, 64, 3) and images.dtype == np.uint8
    assert Y.shape == (1, 209) and int(Y.sum()) == 72
    assert classes == ("non-cat", "cat")
    test_images, Y_test, _ = data.load_h5_split(cat_data_dir / "test_catvnoncat.h5", "test")
    assert test_images.shape == (50, 64, 64, 3) and int(Y_test.sum()) == 33


def test_valid_file_round_trips(tmp_path):
    path = write_split(tmp_path / "ok.h5", split="test")
    images, Y, classes = data.load_h5_split(path, "test")
    assert images.shape == (5, 4, 4, 3)
    np.testing.assert_array_equal(Y, [[0, 1, 1, 0, 1]])


# One test per bad input: each error must name the file, the key and what was expected.
def test_missing_file(tmp_path):
    path = tmp_path / "absent.h5"
    with pytest.raises(
        DataError, match=r"absent\.h5: file not found; expected an HDF5 file with keys train_set_x"
    ):
        data.load_h5_split(path, "train")


def test_not_an_hdf5_file(tmp_path):
    path = tmp_path / "text.h5"
    path.write_text("not hdf5")
    with pytest.raises(
        DataError, match=r"text\.h5: not a readable HDF5 file.*expected keys train_set_x"
    ):
        data.load_h5_split(path, "train")


def test_missing_key(tmp_path):
    path = write_split(tmp_path / "nokey.h5", skip=("train_set_y",))
    with pytest.raises(
        DataError,
        match=r"nokey\.h5: key 'train_set_y' missing; the file has \['list_classes', 'train_set_x'\]",
    ):
        data.load_h5_split(path, "train")


def test_wrong_rank(tmp_path):
    path = write_split(tmp_path / "rank.h5", images=np.zeros((5, 48), dtype=np.uint8))
    with pytest.raises(
        DataError,
        match=r"rank\.h5: key 'train_set_x' has shape \(5, 48\) \(rank 2\); expected rank 4",
    ):
        data.load_h5_split(path, "train")


def test_labels_outside_zero_one(tmp_path):
    path = write_split(tmp_path / "labels.h5", labels=np.array([0, 1, 2, 0, -1]))
    with pytest.raises(
        DataError,
        match=r"labels\.h5: key 'train_set_y' holds labels \[-1, 2\]; expected only 0 and 1",
    ):
        data.load_h5_split(path, "train")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_pixels(tmp_path, bad):
    images = np.zeros((5, 4, 4, 3))
    images[2, 1, 1, 0] = bad
    path = write_split(tmp_path / "nan.h5", images=images)
    with pytest.raises(
        DataError,
        match=r"nan\.h5: key 'train_set_x' contains NaN or infinite values; expected finite",
    ):
        data.load_h5_split(path, "train")


def test_zero_examples(tmp_path):
    path = write_split(
        tmp_path / "empty.h5", images=np.zeros((0, 4, 4, 3), np.uint8), labels=np.zeros(0, int)
    )
    with pytest.raises(
        DataError, match=r"empty\.h5: key 'train_set_x' has zero examples; expected at least one"
    ):
        data.load_h5_split(path, "train")


def test_label_count_differs_from_image_count(tmp_path):
    path = write_split(tmp_path / "count.h5", labels=np.array([0, 1, 1]))
    with pytest.raises(
        DataError, match=r"count\.h5: key 'train_set_y' has 3 labels but 'train_set_x' has 5 images"
    ):
        data.load_h5_split(path, "train")


def test_flatten_puts_each_image_in_a_column():
    images = np.arange(2 * 4 * 4 * 3).reshape(2, 4, 4, 3)
    X = data.flatten(images)
    assert X.shape == (48, 2) and X.flags.c_contiguous
    np.testing.assert_array_equal(X[:, 1], images[1].ravel())


def test_standardize_scale255():
    X = np.array([[0, 255], [51, 102]], dtype=np.uint8)
    X_train, X_dev, X_test, stats = data.standardize(X, None, X, "scale255")
    np.testing.assert_allclose(X_train, [[0, 1], [0.2, 0.4]])
    assert X_dev is None and X_train.dtype == np.float64 and float(stats["scale"]) == 255


def test_standardize_zscore_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    X_train = rng.normal(3, 2, (4, 50))
    X_train[3] = 7.0  # a constant feature: divided by 1, not by 0
    X_dev, X_test = rng.normal(0, 1, (4, 10)), rng.normal(0, 1, (4, 8))
    Z_train, Z_dev, Z_test, stats = data.standardize(X_train, X_dev, X_test, "zscore")
    np.testing.assert_allclose(Z_train[:3].mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(Z_train[:3].std(axis=1), 1, rtol=1e-12)
    np.testing.assert_array_equal(Z_train[3], 0)
    std = np.where(stats["std"] > 0, stats["std"], 1)
    np.testing.assert_allclose(Z_dev, (X_dev - X_train.mean(axis=1, keepdims=True)) / std)
    np.testing.assert_allclose(Z_test, (X_test - stats["mean"]) / std)


def test_standardize_none_and_unknown():
    X = np.array([[1, 2]])
    X_train, _, _, stats = data.standardize(X, X, X, "none")
    np.testing.assert_array_equal(X_train, X)
    assert stats == {}
    with pytest.raises(ValueError, match="unknown standardization"):
        data.standardize(X, X, X, "minmax")


def test_stratified_split():
    X = np.arange(3 * 50).reshape(3, 50)
    Y = np.array([[1] * 20 + [0] * 30])
    X_train, Y_train, X_dev, Y_dev = data.stratified_split(X, Y, 0.2, seed=4)
    assert (int(Y_dev.sum()), Y_dev.size) == (4, 10)  # 20 % of each class
    assert (int(Y_train.sum()), Y_train.size) == (16, 40)
    columns_train, columns_dev = X_train[0].tolist(), X_dev[0].tolist()
    assert sorted(columns_train + columns_dev) == X[0].tolist()  # a partition
    assert columns_train == sorted(columns_train) and columns_dev == sorted(
        columns_dev
    )  # order kept
    np.testing.assert_array_equal(Y_dev[0], Y[0, X_dev[0]])  # labels travel with their examples
    again = data.stratified_split(X, Y, 0.2, seed=4)
    other = data.stratified_split(X, Y, 0.2, seed=5)
    assert np.array_equal(again[2], X_dev) and not np.array_equal(other[2], X_dev)


def test_planar_data_follows_the_published_formula():
    X, Y = data.make_planar(m=400, noise=0.0, rng=np.random.default_rng(0))
    assert X.shape == (2, 400) and Y.shape == (1, 400)
    np.testing.assert_array_equal(Y, [[0] * 200 + [1] * 200])
    # Without noise: theta = linspace(3.12 j, 3.12 (j + 1), 200), r = 4 sin(4 theta).
    theta = np.concatenate([np.linspace(0, 3.12, 200), np.linspace(3.12, 6.24, 200)])
    radius = 4 * np.sin(4 * theta)
    np.testing.assert_allclose(X, [radius * np.sin(theta), radius * np.cos(theta)], atol=1e-15)


def test_planar_data_is_seeded_and_noisy():
    first = data.make_planar(rng=np.random.default_rng(1))
    second = data.make_planar(rng=np.random.default_rng(1))
    other = data.make_planar(rng=np.random.default_rng(2))
    assert first[0].shape == (2, 400)
    np.testing.assert_array_equal(first[0], second[0])
    assert not np.array_equal(first[0], other[0])
    with pytest.raises(ValueError, match="even"):
        data.make_planar(m=5, rng=np.random.default_rng(0))
