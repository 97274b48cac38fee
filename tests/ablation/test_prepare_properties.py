"""Property: whatever HDF5 data a user brings, the workflow either refuses it before any job
with an error naming the dataset, the file and the key, or prepares a finite training split
that zscore standardizes to per-feature mean 0 and standard deviation 1 (0 for a constant
feature) to 1e-9.

Hypothesis draws the layout (one file or two, keys in groups or not, example rank 2 to 4),
the examples' dtype (every real one, complex, long double), each feature's value range (up
to the dtype's limits, subnormals, constants, a spread far below the magnitude), the label
encoding (0/1, booleans, floats, byte strings one-vs-rest, integers of three classes with two
kept) and shape, and NaN or an infinity at a kept example. Each draw runs the functions the
workflow runs: ``check_dataset`` (the main Snakemake process, before any job) and
``prepare_h5`` (the prepare job). Running the real Snakemake per draw would take seconds
each; tests/workflow/test_numeric_faults.py runs it on the cases of issue 20.

The draws are derandomized with a fixed budget (the ``ci`` profile of tests/conftest.py);
``HYPOTHESIS_PROFILE=thorough`` draws more, at random.
"""

import re
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import h5py
import numpy as np
from hypothesis import event, given
from hypothesis import strategies as st

from ablation.faults import NumericFault
from ablation.fetch import sha256_of
from ablation.layout import DataError
from ablation.prepare import check_dataset, load_prepared, prepare_h5

REAL_DTYPES = [
    np.float64,
    np.float32,
    np.float16,
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.uint8,
    np.uint16,
    np.uint32,
    np.uint64,
    np.bool_,
]
#: Dtypes float64 does not hold (long double only where it is wider than float64).
REFUSED_DTYPES = [np.complex64, np.complex128] + [np.longdouble] * (
    np.dtype(np.longdouble).itemsize > 8
)
#: Per feature: how its values are drawn (see :func:`feature_values`).
RANGES = ["scaled", "limit", "subnormal", "narrow", "constant", "far"]
#: Label encodings: (labels of the classes, config settings).
ENCODINGS = {
    "zero-one": ([0, 1], {}),
    "boolean": ([False, True], {}),
    "float": ([0.0, 1.0], {}),
    "one-vs-rest": ([b"cat", b"dog", b"eel"], {"positive_class": "dog"}),
    "two-of-three": ([3, 5, 9], {"classes": [5, 9]}),
}
DATASET = "drawn"


@dataclass
class Draw:
    """One drawn dataset: its files' arrays, the config entry, and what must be refused."""

    arrays: dict  # file name -> {key: array}
    files: dict  # split -> layout keys and file name
    settings: dict
    expected: list  # fragments of the errors the data deserves (empty: must be prepared)


def feature_values(rng, dtype, kind, exponent, size, split):
    """One feature's values in float64 or integers, within the dtype's range. A ``far``
    feature is narrow in the training file and at the dtype's limits in the test file."""
    dtype = np.dtype(dtype)
    if kind == "far":
        kind = "limit" if split == "test" else "narrow"
    if dtype == bool:
        return rng.integers(0, 2, size).astype(bool) if kind != "constant" else np.ones(size, bool)
    if dtype.kind in "iu":
        limits = np.iinfo(dtype)
        bits = {"constant": 0, "narrow": 3}.get(kind, int(exponent % (8 * dtype.itemsize)) + 1)
        low, high = max(limits.min, -(2 ** (bits - 1))), min(limits.max, 2 ** (bits - 1))
        if kind == "limit":
            low, high = limits.min, limits.max
        return rng.integers(low, high, size, dtype=dtype, endpoint=True)
    info = np.finfo(dtype)
    if kind == "constant":
        return np.full(size, float(info.max) * 0.3 ** (exponent % 60) * (-1) ** exponent)
    if kind == "limit":
        return rng.choice([-1, 1], size) * float(info.max) * rng.uniform(0.5, 1, size)
    if kind == "subnormal":
        return rng.integers(0, 50, size) * float(info.smallest_subnormal)
    # From the smallest normal magnitude to just below the largest, evenly in the exponent.
    lowest, largest = np.log10(float(info.tiny)), np.log10(float(info.max))
    power = 10.0 ** (lowest + (exponent % 1000) / 1000 * (largest - lowest))
    if kind == "narrow":
        return power * (1 - rng.integers(0, 3, size) * float(info.eps))
    return rng.uniform(-1, 1, size) * power


def lossy_integers(values):
    """Which integer values float64 cannot hold exactly."""
    if values.dtype.kind not in "iu":
        return np.zeros(values.shape, bool)
    return np.array([int(float(value)) != int(value) for value in values.ravel().tolist()]).reshape(
        values.shape
    )


@st.composite
def draws(draw):
    dtype = draw(st.sampled_from(REAL_DTYPES + REFUSED_DTYPES))
    example_shape = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    classes, label_settings = ENCODINGS[encoding]
    two_files = draw(st.booleans())
    label_shape = draw(st.sampled_from(["m", "1m", "m1"]))
    grouped = draw(st.booleans())
    n_features = int(np.prod(example_shape))
    kinds = draw(st.lists(st.sampled_from(RANGES), min_size=n_features, max_size=n_features))
    exponents = draw(st.lists(st.integers(0, 10**6), min_size=n_features, max_size=n_features))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    splits = {"train": draw(st.integers(6, 9)) * len(classes)}
    if two_files:
        splits["test"] = draw(st.integers(2, 4)) * len(classes)
    arrays, files, expected = {}, {}, []
    real = np.dtype(dtype) not in map(np.dtype, REFUSED_DTYPES)
    # A refused dtype's values are drawn as those of the real dtype it holds.
    values_of = {np.complex64: np.float32, np.complex128: np.float64, np.longdouble: np.float64}
    if not real:
        expected.append(f"has dtype {np.dtype(dtype)}, which float64 cannot hold")
    for split, m in splits.items():
        labels = np.array(classes * (m // len(classes)))[rng.permutation(m)]
        kept = np.isin(labels, [5, 9]) if encoding == "two-of-three" else np.ones(m, bool)
        columns = [
            feature_values(rng, dtype if real else values_of[dtype], kind, exponent, m, split)
            for kind, exponent in zip(kinds, exponents)
        ]
        examples = np.stack(columns, axis=1).astype(dtype)
        if real and lossy_integers(examples)[kept].any():
            expected.append("which float64 cannot hold exactly")
        special = draw(st.sampled_from([None, np.nan, np.inf, -np.inf]))
        if special is not None and np.dtype(dtype).kind == "f":
            row = draw(st.sampled_from(np.flatnonzero(kept).tolist()))
            examples[row, draw(st.integers(0, n_features - 1))] = special
            if real:
                expected.append("holds NaN or infinite values")
        shaped_labels = {"m": labels, "1m": labels[None, :], "m1": labels[:, None]}[label_shape]
        name = f"{split}.h5" if two_files else "data.h5"
        prefix = f"{split}/" if grouped else f"{split}_"
        arrays.setdefault(name, {})[f"{prefix}x"] = examples.reshape(m, *example_shape)
        arrays[name][f"{prefix}y"] = shaped_labels
        files[split] = {"file": name, "x_key": f"{prefix}x", "y_key": f"{prefix}y"}
    settings = {
        "standardize": draw(st.sampled_from(["zscore", "zscore", "zscore", "none", "scale255"])),
        "dev_split": "fixed",
        "dev_fraction": 0.25,
        "split_seed": draw(st.integers(0, 1000)),
        **label_settings,
        **({} if two_files else {"test_fraction": 0.25}),
    }
    return Draw(arrays, files, settings, expected)


def written(directory: Path, drawn: Draw):
    """Write the drawn files; return (the config entry, the paths by split, the layouts)."""
    for name, arrays in drawn.arrays.items():
        with h5py.File(directory / name, "w") as file:
            for key, array in arrays.items():
                file[key] = array
    paths = {split: directory / entry["file"] for split, entry in drawn.files.items()}
    layouts = {
        split: {key: entry[key] for key in ("x_key", "y_key")}
        for split, entry in drawn.files.items()
    }
    entries = {
        split: {"path": str(paths[split]), "sha256": sha256_of(paths[split])} | layouts[split]
        for split in paths
    }
    return {"source": "h5", "files": entries, **drawn.settings}, paths, layouts


def beyond_float64(message: str) -> bool:
    """Whether a "beyond float64's range" refusal is right about its own numbers: the value's
    distance from the training mean, in training standard deviations, exceeds float64's
    largest number (within the 6 digits the message gives)."""
    value, mean, std = map(
        Fraction,
        re.search(
            r"holds (\S+) in feature \d+, .* mean of that feature is (\S+) and its standard "
            r"deviation (\S+);",
            message,
        ).groups(),
    )
    return abs(value - mean) / (std or 1) > Fraction(np.finfo(np.float64).max) * Fraction(
        99999, 100000
    )


@given(draws())
def test_drawn_data_is_refused_before_any_job_or_prepared_standardized(drawn):
    with tempfile.TemporaryDirectory() as directory:
        directory = Path(directory)
        spec, paths, layouts = written(directory, drawn)
        output = directory / "prepared.h5"
        try:
            check_dataset(DATASET, spec, [0])
        except (DataError, NumericFault) as error:
            message = str(error)
            # Named: the dataset's entry, then one of its files and keys.
            assert re.match(
                rf"config\['datasets'\]\['{DATASET}'\]: {re.escape(str(directory))}/\w+\.h5: "
                r"key '\w+/?\w*'",
                message,
            ), message
            reasons = drawn.expected or ["which zscore takes beyond float64's range"]
            assert any(reason in message for reason in reasons), (message, reasons)
            event(f"refused: {next(reason for reason in reasons if reason in message)}")
            if not drawn.expected:
                assert beyond_float64(message), message
            # The prepare job would have stopped too, writing nothing.
            try:
                prepare_h5(output, paths, layouts, seeds=[0], **drawn.settings)
            except (DataError, RuntimeWarning):
                pass
            else:
                raise AssertionError(f"check_dataset refused what prepare_h5 accepts: {message}")
            assert not output.exists()
            return
        assert not drawn.expected, f"accepted data that deserves: {drawn.expected}"
        prepare_h5(output, paths, layouts, seeds=[0], **drawn.settings)
        arrays = load_prepared(output)
        event(f"prepared: {drawn.settings['standardize']}")
    for name, array in arrays.items():
        assert np.isfinite(array).all(), name
    if drawn.settings["standardize"] == "zscore":
        X = arrays["X_train"]
        constant = (X == 0).all(axis=1)
        varying = X[~constant]
        np.testing.assert_allclose(varying.mean(axis=1), 0, atol=1e-9)
        np.testing.assert_allclose(varying.std(axis=1), 1, rtol=1e-9)
