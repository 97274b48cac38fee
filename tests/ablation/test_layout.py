"""Own HDF5 data: every layout of the h5 source, prepared in blocks, and each bad layout's error.

The files are generated here, small: examples of several classes whose mean depends on the
class, in the layouts the config describes (other keys, groups, one file for both splits, no
test file, string, boolean and multi-class labels, rank 2, 3 and 4 examples).
"""

import re

import h5py
import numpy as np
import pytest

from ablation.fetch import sha256_of
from ablation.layout import DataError, SplitSource, read_split, stratified_mask
from ablation.prepare import (
    ZSCORE_STATS,
    check_dataset,
    describe_classes,
    load_prepared,
    prepare_h5,
)

#: A fixed dev split: the layouts are the point here (the folds are tested in test_prepare.py).
SETTINGS = {"standardize": "zscore", "dev_split": "fixed", "dev_fraction": 0.25, "split_seed": 0}
#: The replicates: one, as the fixed split serves them all.
SEEDS = [0]


def examples(m, shape, labels, seed=0):
    """``m`` float32 examples of ``shape`` whose values are shifted by their class index."""
    rng = np.random.default_rng(seed)
    _, index = np.unique(labels, return_inverse=True)
    shift = index.reshape(-1, *[1] * len(shape))
    return (rng.normal(size=(m, *shape)) + shift).astype(np.float32)


def labels_of(values, m, seed=0):
    """``m`` labels drawn from ``values``, each present."""
    rng = np.random.default_rng(seed + 1)
    return np.array(list(values) * 2 + list(rng.choice(values, m - 2 * len(values))))


def generated(path, arrays):
    """Write ``arrays`` (keys may hold groups) to ``path``; return the path."""
    with h5py.File(path, "w") as file:
        for name, array in arrays.items():
            file.create_dataset(name, data=array)
    return path


def prepared(tmp_path, paths, files, **settings):
    """Prepare into tmp_path/prepared.h5: (arrays, attrs)."""
    output = tmp_path / "prepared.h5"
    attrs = prepare_h5(output, paths, files, seeds=SEEDS, **SETTINGS | settings)
    return load_prepared(output), attrs


def two_files_in_groups(tmp_path, shape=(6, 5, 3), values=(0, 1)):
    """Train and test files with /train/images, /train/labels (and /test/...)."""
    paths = {}
    for seed, split, m in ((0, "train", 60), (1, "test", 24)):
        labels = labels_of(values, m, seed)
        paths[split] = generated(
            tmp_path / f"{split}.h5",
            {
                f"{split}/images": examples(m, shape, labels, seed),
                f"{split}/labels": labels,
            },
        )
    files = {split: {"x_key": f"/{split}/images", "y_key": f"{split}/labels"} for split in paths}
    return paths, files


def one_file(tmp_path, shape=(8,), labels=None, test=True):
    """One file holding both splits (or only train), tabular by default."""
    labels = labels_of((0, 1), 80) if labels is None else labels
    m = len(labels)
    arrays = {"features": examples(m, shape, labels), "target": labels}
    if test:
        arrays |= {"test_features": examples(30, shape, labels[:30], 5), "test_target": labels[:30]}
    path = generated(tmp_path / "mine.h5", arrays)
    files = {"train": {"x_key": "features", "y_key": "target"}}
    if test:
        files["test"] = {"x_key": "test_features", "y_key": "test_target"}
    return path, files


def features_of(path, key, rows):
    """The raw examples ``rows`` of ``path``'s ``key``, flattened as columns (n_x, m)."""
    with h5py.File(path) as file:
        return file[key][()][rows].reshape(len(rows), -1).T.astype(np.float64)


def zscore_in_feature_units(path):
    """The zscore mean and standard deviation (n_x, 1) of a prepared file, in the features'
    units (see ablation.prepare.ZSCORE_STATS)."""
    with h5py.File(path) as file:
        stats = {name: file[f"stats/{name}"][()] for name in ZSCORE_STATS}
    return stats["scale"] * (stats["mean"] + stats["mean_residual"]), stats["scale"] * stats["std"]


# --- Layouts -------------------------------------------------------------------------------


def test_the_course_layout_by_default(cat_data_dir):
    train = read_split(SplitSource.from_config("train", cat_data_dir / "train_catvnoncat.h5", {}))
    assert train.example_shape == (64, 64, 3) and train.labels.shape == (209,)
    assert int(train.labels.sum()) == 72
    assert [train.name(label) for label in (0, 1)] == ["non-cat", "cat"]
    test = read_split(SplitSource.from_config("test", cat_data_dir / "test_catvnoncat.h5", {}))
    assert test.labels.shape == (50,) and int(test.labels.sum()) == 33


def test_other_keys_in_groups_rank_4(tmp_path):
    paths, files = two_files_in_groups(tmp_path)
    arrays, attrs = prepared(tmp_path, paths, files)
    assert arrays["X_train"].shape == (90, attrs["m_train"])
    assert attrs["m_train"] + attrs["m_dev"] == 60 and attrs["m_test"] == 24
    assert attrs["classes"] == ["0", "1"]
    # The test split is the whole test file in its order, flattened in C order and
    # standardized with the training split's statistics.
    mean, std = zscore_in_feature_units(tmp_path / "prepared.h5")
    raw_test = features_of(paths["test"], "test/images", np.arange(24))
    np.testing.assert_allclose(arrays["X_test"], (raw_test - mean) / std, rtol=1e-12)


def test_zscore_in_blocks_matches_numpy_in_memory(tmp_path):
    paths, files = two_files_in_groups(tmp_path)
    arrays, _ = prepared(tmp_path, paths, files, block_bytes=3 * 90 * 8)
    mean, std = zscore_in_feature_units(tmp_path / "prepared.h5")
    assert mean.shape == std.shape == (90, 1)
    with h5py.File(paths["train"]) as file:
        labels = file["train/labels"][()]
    # The training split's raw columns: recover them from the standardized ones.
    raw_train = arrays["X_train"] * std + mean
    np.testing.assert_allclose(mean, raw_train.mean(axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(std, raw_train.std(axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(arrays["X_train"].mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(arrays["X_train"].std(axis=1), 1, rtol=1e-12)
    assert arrays["Y_train"].sum() + arrays["Y_dev"].sum() == labels.sum()


def test_blocks_do_not_change_the_file(tmp_path):
    paths, files = two_files_in_groups(tmp_path)
    output = {}
    for name, block_bytes in (("small", 90 * 8), ("large", 1 << 20)):
        prepare_h5(tmp_path / name, paths, files, seeds=SEEDS, **SETTINGS, block_bytes=block_bytes)
        output[name] = load_prepared(tmp_path / name)
    for key, array in output["small"].items():
        np.testing.assert_allclose(array, output["large"][key], rtol=1e-13, atol=1e-13)


def test_one_file_for_both_splits_rank_2(tmp_path):
    path, files = one_file(tmp_path)
    arrays, attrs = prepared(tmp_path, {"train": path, "test": path}, files)
    assert attrs["n_x"] == 8 and attrs["m_test"] == 30
    assert attrs["m_train"] + attrs["m_dev"] == 80


def test_no_test_file_carves_a_stratified_test_split(tmp_path):
    path, files = one_file(tmp_path, test=False)
    settings = {"test_fraction": 0.25, "standardize": "none"}
    arrays, attrs = prepared(tmp_path, {"train": path}, files, **settings)
    assert attrs["m_train"] + attrs["m_dev"] + attrs["m_test"] == 80
    assert attrs["test_fraction"] == 0.25
    with h5py.File(path) as file:
        labels = file["target"][()]
    # Per class: a quarter of the examples to test, then a quarter of the rest to dev.
    for label in (0, 1):
        count = int((labels == label).sum())
        in_test = round(0.25 * count)
        assert int((arrays["Y_test"] == label).sum()) == in_test
        assert int((arrays["Y_dev"] == label).sum()) == round(0.25 * (count - in_test))
    # Each test column is an example of the file, with its label; none is in train or dev.
    with h5py.File(path) as file:
        raw = file["features"][()].astype(np.float64)
    rows = [int(np.flatnonzero((raw == column).all(axis=1))[0]) for column in arrays["X_test"].T]
    np.testing.assert_array_equal(labels[rows], arrays["Y_test"][0])
    train_rows = {tuple(column) for column in arrays["X_train"].T}
    assert not train_rows & {tuple(column) for column in arrays["X_test"].T}
    # Another seed draws another test split.
    again, _ = prepared(tmp_path, {"train": path}, files, **settings)
    other, _ = prepared(tmp_path, {"train": path}, files, **settings, split_seed=1)
    np.testing.assert_array_equal(again["X_test"], arrays["X_test"])
    assert not np.array_equal(other["X_test"], arrays["X_test"])


def test_string_labels_one_vs_rest(tmp_path):
    labels = labels_of((b"bird", b"cat", b"dog"), 90)
    path, files = one_file(tmp_path, shape=(7, 6), labels=labels, test=False)
    arrays, attrs = prepared(
        tmp_path, {"train": path}, files, positive_class="dog", test_fraction=0.2
    )
    assert attrs["classes"] == ["not dog", "dog"]
    positives = sum(int(arrays[f"Y_{split}"].sum()) for split in ("train", "dev", "test"))
    assert positives == int((labels == b"dog").sum())
    assert attrs["n_x"] == 42  # rank 3, grey images: 7 x 6
    assert describe_classes(tmp_path / "prepared.h5") == (
        "Positive class (1): dog; negative class (0): not dog (every label but dog, "
        "one-vs-rest)."
    )


def test_two_classes_kept_others_dropped_with_names_from_the_file(tmp_path):
    paths, files = two_files_in_groups(tmp_path, values=(0, 1, 2, 3))
    for split, path in paths.items():
        with h5py.File(path, "a") as file:
            file["names"] = np.array([b"plane", b"car", b"ship", b"truck"])
        files[split]["names_key"] = "names"
    arrays, attrs = prepared(tmp_path, paths, files, classes=["ship", 1])
    assert attrs["classes"] == ["ship", "car"]
    kept = 0
    for split, path in paths.items():
        with h5py.File(path) as file:
            labels = file[f"{split}/labels"][()]
        kept += int(np.isin(labels, (1, 2)).sum())
        dropped = 84 - kept
    assert sum(attrs[f"m_{split}"] for split in ("train", "dev", "test")) == kept
    assert attrs["dropped_examples"] == dropped
    # ship (2) is negative, car (1) positive.
    with h5py.File(paths["test"]) as file:
        test_labels = file["test/labels"][()]
    np.testing.assert_array_equal(
        arrays["Y_test"][0], test_labels[np.isin(test_labels, (1, 2))] == 1
    )
    assert "84" not in describe_classes(tmp_path / "prepared.h5")
    assert f"{dropped} examples of other classes dropped" in describe_classes(
        tmp_path / "prepared.h5"
    )


@pytest.mark.parametrize(
    "labels", [np.array([True, False] * 40), np.array([1.0, 0.0] * 40)], ids=["bool", "float"]
)
def test_boolean_and_integral_float_labels_need_no_setting(tmp_path, labels):
    path, files = one_file(tmp_path, labels=labels, test=False)
    arrays, _ = prepared(tmp_path, {"train": path}, files, test_fraction=0.25)
    assert int(arrays["Y_train"].sum() + arrays["Y_dev"].sum() + arrays["Y_test"].sum()) == 40


# --- Errors: each names the file, the key and what was expected ----------------------------


def raises(match, paths, files, tmp_path, **settings):
    with pytest.raises(DataError, match=match):
        prepared(tmp_path, paths, files, **settings)
    assert not (tmp_path / "prepared.h5").exists()


def test_missing_key_lists_the_files_datasets_groups_included(tmp_path):
    paths, files = two_files_in_groups(tmp_path)
    files["train"]["x_key"] = "train/imgs"
    expected = (
        f"{paths['train']}: no dataset 'train/imgs'; expected a dataset there. The file has: "
        "/train/images (60, 6, 5, 3), /train/labels (60,)"
    )
    raises(re.escape(expected), paths, files, tmp_path)


def test_a_group_where_a_dataset_is_expected(tmp_path):
    paths, files = two_files_in_groups(tmp_path)
    files["test"]["y_key"] = "test"
    raises(f"{paths['test']}: a group 'test'; expected a dataset", paths, files, tmp_path)


def test_course_keys_by_default_name_the_missing_one(tmp_path):
    paths, _ = two_files_in_groups(tmp_path)
    raises(f"{paths['train']}: no dataset 'train_set_x'", paths, {}, tmp_path)


def test_splits_of_different_feature_shapes(tmp_path):
    paths, files = two_files_in_groups(tmp_path)
    generated(
        paths["test"], {"test/images": np.zeros((4, 6, 5)), "test/labels": np.array([0, 1] * 2)}
    )
    raises(
        rf"{paths['test']}: key '/test/images' has examples of shape \(6, 5\) but "
        rf"{paths['train']}: key '/train/images' has \(6, 5, 3\); expected the same feature size",
        paths,
        files,
        tmp_path,
    )


def test_positive_class_not_among_the_labels(tmp_path):
    path, files = one_file(tmp_path, labels=labels_of((b"a", b"b", b"c"), 80), test=False)
    raises(
        rf"{path}: key 'target': positive_class 'z' is not among the labels; "
        r"the labels are \['a', 'b', 'c'\]",
        {"train": path},
        files,
        tmp_path,
        positive_class="z",
        test_fraction=0.2,
    )


def test_a_kept_class_not_among_the_labels(tmp_path):
    path, files = one_file(tmp_path)
    raises(
        r"key 'target': classes 7 is not among the labels; the labels are \['0', '1'\]",
        {"train": path, "test": path},
        files,
        tmp_path,
        classes=[0, 7],
    )


def test_several_classes_without_a_setting(tmp_path):
    path, files = one_file(tmp_path, labels=labels_of((3, 5, 9), 80), test=False)
    raises(
        rf"{path}: key 'target' holds 3 classes \['3', '5', '9'\]; expected labels 0 and 1 "
        r"\(or booleans\). Set positive_class",
        {"train": path},
        files,
        tmp_path,
        test_fraction=0.2,
    )


def test_a_class_left_without_examples_after_the_dev_split(tmp_path):
    labels = np.array([1, 1] + [0] * 78)
    path, files = one_file(tmp_path, labels=labels, test=False)
    raises(
        r"test_fraction=0.2 leaves the test split with no example of class \[1\]; expected "
        "both classes in train and test",
        {"train": path},
        files,
        tmp_path,
        test_fraction=0.2,
    )
    raises(
        r"dev_fraction=0.1 leaves the dev split with no example of class \[1\]",
        {"train": path},
        files,
        tmp_path,
        test_fraction=0.5,
        dev_fraction=0.1,
    )


def test_a_test_file_without_a_class(tmp_path):
    path, files = one_file(tmp_path)
    with h5py.File(path, "a") as file:
        file["test_target"][...] = 0
    raises(
        rf"{path}: key 'test_target': leaves the test split with no example of class \[1\]",
        {"train": path, "test": path},
        files,
        tmp_path,
    )


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_non_finite_values_name_the_example(tmp_path, value):
    path, files = one_file(tmp_path, test=False)
    with h5py.File(path, "a") as file:
        file["features"][17, 3] = value
    raises(
        rf"{path}: key 'features': example 17 holds NaN or infinite values; expected finite",
        {"train": path},
        files,
        tmp_path,
        test_fraction=0.2,
    )


def test_a_missing_file(tmp_path):
    source = SplitSource.from_config("train", tmp_path / "absent.h5", {})
    with pytest.raises(
        DataError, match=r"absent\.h5: file not found; expected keys train_set_x, train_set_y"
    ):
        read_split(source)


def test_not_an_hdf5_file(tmp_path):
    path = tmp_path / "text.h5"
    path.write_text("not hdf5")
    with pytest.raises(
        DataError, match=r"text\.h5: not a readable HDF5 file.*expected keys train_set_x"
    ):
        read_split(SplitSource.from_config("train", path, {}))


def test_an_empty_split(tmp_path):
    path, files = one_file(tmp_path)
    generated(path, {"features": np.zeros((0, 8)), "target": np.zeros(0, dtype=int)})
    raises(
        rf"{path}: key 'features' has zero examples; expected at least one",
        {"train": path},
        files,
        tmp_path,
        test_fraction=0.2,
    )


@pytest.mark.parametrize(
    "arrays, match",
    [
        ({"features": np.zeros(80)}, "has shape (80,) (rank 1); expected rank 2 or more"),
        ({"features": np.array([[b"x"]] * 80)}, "has dtype |S1; expected numbers"),
        ({"target": np.zeros(79, dtype=int)}, "has 79 labels but 'features' has 80 examples"),
        ({"target": np.linspace(0, 1, 80)}, "holds float64 labels such as"),
        ({"target": np.zeros((2, 40), dtype=int)}, "expected (m,), (1, m) or (m, 1)"),
    ],
    ids=["rank-1", "text-examples", "label-count", "fractional-labels", "label-shape"],
)
def test_malformed_examples_or_labels(tmp_path, arrays, match):
    path, files = one_file(tmp_path, test=False)
    with h5py.File(path, "a") as file:
        for key, array in arrays.items():
            del file[key]
            file[key] = array
    raises(
        re.escape(f"{path}: key '") + ".*" + re.escape(match),
        {"train": path},
        files,
        tmp_path,
        test_fraction=0.2,
    )


@pytest.mark.parametrize(
    "dtype, lost",
    [(np.complex64, "the imaginary part"), (np.clongdouble, "the imaginary part")]
    + [(np.longdouble, "precision or range")] * (np.dtype(np.longdouble).itemsize > 8),
)
def test_examples_float64_cannot_hold_are_refused_naming_the_dtype(tmp_path, dtype, lost):
    path, files = one_file(tmp_path, test=False)
    with h5py.File(path, "a") as file:
        features = file["features"][()].astype(dtype)
        del file["features"]
        file["features"] = features + (1j if np.dtype(dtype).kind == "c" else 0)
    raises(
        re.escape(
            f"{path}: key 'features' has dtype {np.dtype(dtype)}, which float64 cannot hold "
            f"without losing {lost}; expected real numbers"
        ),
        {"train": path},
        files,
        tmp_path,
        test_fraction=0.2,
    )


@pytest.mark.parametrize(
    "dtype, value",
    [(np.int64, 2**53 + 1), (np.int64, -(2**62) - 1), (np.uint64, 2**64 - 1)],
)
def test_integers_float64_cannot_hold_are_refused_naming_the_example(tmp_path, dtype, value):
    path, files = one_file(tmp_path, test=False)
    with h5py.File(path, "a") as file:
        features = np.round(np.abs(file["features"][()]) * 100).astype(dtype)
        features[21, 5] = value
        del file["features"]
        file["features"] = features
    raises(
        re.escape(
            f"{path}: key 'features': example 21 holds {value} ({np.dtype(dtype)}), which "
            "float64 cannot hold exactly"
        ),
        {"train": path},
        files,
        tmp_path,
        test_fraction=0.2,
    )


@pytest.mark.parametrize(
    "features",
    [
        np.array([[2**53, -(2**53), 2**62, -(2**63)]] * 80, dtype=np.int64),
        np.array([[2**63, 2**53, 0, 2**64 - 2**11]] * 80, dtype=np.uint64),
        np.eye(80, 4, dtype=bool),
        np.ones((80, 4), dtype=np.float16),
    ],
    ids=["int64", "uint64", "bool", "float16"],
)
def test_values_float64_holds_exactly_are_prepared_exactly(tmp_path, features):
    path, files = one_file(tmp_path, test=False)
    with h5py.File(path, "a") as file:
        del file["features"]
        file["features"] = features
    arrays, _ = prepared(tmp_path, {"train": path}, files, test_fraction=0.2, standardize="none")
    examples = np.concatenate([arrays[f"X_{split}"] for split in ("train", "dev", "test")], 1).T
    # Back in the file's dtype, the prepared examples are the file's, value for value.
    np.testing.assert_array_equal(
        np.unique(examples.astype(features.dtype), axis=0), np.unique(features, axis=0)
    )


# --- Before any job: check_dataset on the local files --------------------------------------


def own_spec(files, paths, **settings):
    """A validated-looking dataset entry for local generated files."""
    entries = {
        split: {"path": str(paths[split]), "sha256": sha256_of(paths[split])} | files[split]
        for split in files
    }
    return {"source": "h5", "files": entries} | SETTINGS | settings


def test_check_dataset_accepts_a_good_own_layout(tmp_path):
    paths, files = two_files_in_groups(tmp_path)
    check_dataset("mine", own_spec(files, paths), SEEDS)


@pytest.mark.parametrize(
    "change, match",
    [
        ({"positive_class": "z"}, "positive_class 'z' is not among the labels"),
        ({"dev_fraction": 0.01}, "dev_fraction=0.01 leaves the dev split with no example"),
    ],
)
def test_check_dataset_names_the_entry_and_the_problem(tmp_path, change, match):
    path, files = one_file(tmp_path, labels=labels_of((b"a", b"b"), 80), test=False)
    spec = own_spec(files, {"train": path}, test_fraction=0.2, positive_class="a")
    with pytest.raises(DataError, match=rf"config\['datasets'\]\['mine'\]: .*{match}"):
        check_dataset("mine", spec | change, SEEDS)


def test_check_dataset_finds_a_non_finite_example_of_the_test_file(tmp_path):
    path, files = one_file(tmp_path)
    with h5py.File(path, "a") as file:
        file["test_features"][4, 0] = np.nan
    spec = own_spec(files, {"train": path, "test": path})
    with pytest.raises(DataError, match=f"{path}: key 'test_features': example 4 holds NaN"):
        check_dataset("mine", spec, SEEDS)


def narrow_train_far_test(tmp_path):
    """One file whose test example 4 lies 1e310 training standard deviations from the
    training mean in feature 2: its zscore is beyond float64's range."""
    path, files = one_file(tmp_path)
    with h5py.File(path, "a") as file:
        train, test = (file[key][()].astype(np.float64) for key in ("features", "test_features"))
        train[:, 2] = np.linspace(-1, 1, 80) * 1e-10
        test[4, 2] = 1e300
        for key, values in (("features", train), ("test_features", test)):
            del file[key]
            file[key] = values
    return path, files


def test_check_dataset_names_an_example_zscore_takes_beyond_float64(tmp_path):
    path, files = narrow_train_far_test(tmp_path)
    spec = own_spec(files, {"train": path, "test": path})
    with pytest.raises(DataError) as raised:
        check_dataset("mine", spec, SEEDS)
    assert str(raised.value).startswith(
        f"config['datasets']['mine']: {path}: key 'test_features': example 4 of the test split "
        "holds 1e+300 in feature 2, which zscore takes beyond float64's range: the training "
        "split's mean of that feature is "
    )
    assert "expected values within about 1e308 standard deviations" in str(raised.value)
    check_dataset("mine", spec | {"standardize": "none"}, SEEDS)


def test_prepare_stops_on_an_example_zscore_takes_beyond_float64(tmp_path):
    """The prepare job's view of a file the check could not see before (downloaded later):
    the overflow is a numeric fault, an error (here by the suite's warnings-as-errors, in a
    job by ablation.faults' regime), and no prepared file is written."""
    path, files = narrow_train_far_test(tmp_path)
    with pytest.raises(RuntimeWarning, match="overflow encountered in divide"):
        prepared(tmp_path, {"train": path, "test": path}, files)
    assert not (tmp_path / "prepared.h5").exists()


def test_check_dataset_refuses_complex_examples_before_any_job(tmp_path):
    path, files = one_file(tmp_path)
    with h5py.File(path, "a") as file:
        features = file["test_features"][()] + 0.5j
        del file["test_features"]
        file["test_features"] = features.astype(np.complex64)
    with pytest.raises(
        DataError,
        match=re.escape(
            f"config['datasets']['mine']: {path}: key 'test_features' has dtype complex64, which "
            "float64 cannot hold without losing the imaginary part"
        ),
    ):
        check_dataset("mine", own_spec(files, {"train": path, "test": path}), SEEDS)


def test_stratified_mask():
    labels = np.array([1] * 20 + [0] * 30)
    in_dev = stratified_mask(labels, 0.2, np.random.default_rng(4))
    assert (int(labels[in_dev].sum()), int(in_dev.sum())) == (4, 10)  # 20 % of each class
    assert (int(labels[~in_dev].sum()), int((~in_dev).sum())) == (16, 40)
    again = stratified_mask(labels, 0.2, np.random.default_rng(4))
    other = stratified_mask(labels, 0.2, np.random.default_rng(5))
    assert np.array_equal(again, in_dev) and not np.array_equal(other, in_dev)
