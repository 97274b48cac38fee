"""Where an h5 dataset's examples and labels are, and which of them each prepared split gets.

A dataset's config says, per split, which file and which datasets inside it hold the examples
(``x_key``) and the labels (``y_key``); the course's layout is the default. Everything here
reads labels and shapes only, never the examples' values, so the splits of a large file are
chosen before any feature is read (:mod:`ablation.prepare` then reads them in blocks).

Examples are the rows of ``x_key``: any array of rank 2 or more, ``(m, features)``,
``(m, height, width)`` or ``(m, height, width, channels)``. Each is flattened in C order (the
last axis varies fastest: for an image, the channels of a pixel, then the pixels of a row,
then the rows), as ``reshape(m, -1)`` does and as the course flattens its images.

Labels may be 0/1, booleans, integers, or byte or text strings. Two classes 0/1 (or
False/True) need no setting; otherwise ``positive_class`` makes one class positive and every
other negative (one-vs-rest), or ``classes: [negative, positive]`` keeps two classes and drops
the examples of any other.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import h5py
import numpy as np

#: Dataset keys of a split in the course's layout (the default), by key name.
COURSE_KEYS = {"x_key": "{split}_set_x", "y_key": "{split}_set_y"}
#: The dataset of class names in the course's layout, read when a file has it.
COURSE_NAMES_KEY = "list_classes"
#: At most this many datasets are listed when a key is missing.
_LISTED_KEYS = 20


class DataError(ValueError):
    """Input data is missing or malformed; the message names the file, the key and what was
    expected."""


def stratified_mask(labels, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Which examples a stratified split draws: ``round(fraction * count)`` of each class.

    Parameters
    ----------
    labels : ndarray, shape (m,)
        Labels in {0, 1}.
    fraction : float
        In [0, 1).
    rng : numpy.random.Generator
        Draws class 0's members first, then class 1's.

    Returns
    -------
    ndarray of bool, shape (m,)
        True for the drawn examples. It depends on the labels only, so a split can be chosen
        before any feature is read.
    """
    labels = np.asarray(labels)
    drawn = np.zeros(labels.shape[0], dtype=bool)
    for label in (0, 1):
        members = np.flatnonzero(labels == label)
        count = int(round(fraction * members.size))
        drawn[rng.choice(members, size=count, replace=False)] = True
    return drawn


def stratified_folds(labels, folds: int, rng: np.random.Generator) -> np.ndarray:
    """The fold of each example for a stratified k-fold split: each class's examples, in an
    order drawn from ``rng`` (class 0 first), are dealt to folds 0, 1, ..., k - 1 in turn,
    class 1 continuing where class 0 stopped. Fold sizes differ by at most one, overall and
    within each class.

    Parameters
    ----------
    labels : ndarray, shape (m,)
        Labels in {0, 1}.
    folds : int
        k >= 2.
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of int64, shape (m,)
        Values 0 .. k - 1. Like :func:`stratified_mask`, it depends on the labels only.
    """
    labels = np.asarray(labels)
    fold = np.empty(labels.shape[0], dtype=np.int64)
    dealt = 0
    for label in (0, 1):
        members = rng.permutation(np.flatnonzero(labels == label))
        fold[members] = (dealt + np.arange(members.size)) % folds
        dealt += members.size
    return fold


@dataclass(frozen=True)
class SplitSource:
    """One split's examples and labels: a file and two dataset paths inside it."""

    path: str
    x_key: str
    y_key: str
    names_key: str | None = None

    @classmethod
    def from_config(cls, split: str, path: str | os.PathLike, entry: Mapping) -> SplitSource:
        """The source of ``split`` from its ``files.<split>`` entry, read at ``path`` (the
        entry's local path, or the verified copy the workflow made of it)."""
        keys = {
            key: entry.get(key, default.format(split=split)) for key, default in COURSE_KEYS.items()
        }
        return cls(str(path), names_key=entry.get("names_key"), **keys)

    def where(self, key: str) -> str:
        """``<file>: key '<key>'``, the start of a message about one of its datasets."""
        return f"{self.path}: key {key!r}"


@dataclass(frozen=True)
class SplitLabels:
    """What a split's file holds, without its examples' values."""

    source: SplitSource
    #: Shape of one example, e.g. (64, 64, 3) or (20,).
    example_shape: tuple[int, ...]
    #: Labels (m,): int64, bool or str.
    labels: np.ndarray
    #: Label -> class name, for labels the file names (``names_key``).
    names: Mapping

    def name(self, label) -> str:
        """The class name of a label: its name in the file, else the label itself."""
        return str(self.names.get(label, label))

    def matches(self, labels: np.ndarray, wanted) -> np.ndarray:
        """Which of ``labels`` are the config's class ``wanted``: its label or its name."""
        distinct = np.unique(labels)
        same = [
            str(label) == str(wanted) or self.name(label) == str(wanted)
            for label in distinct.tolist()
        ]
        return np.isin(labels, distinct[np.array(same, dtype=bool)])


@dataclass(frozen=True)
class Selection:
    """The examples of one prepared split: rows of a source, in increasing order."""

    source: SplitSource
    rows: np.ndarray
    #: Labels in {0, 1}, float64, shape (1, m), as the prepared file stores them.
    Y: np.ndarray


@dataclass(frozen=True)
class Plan:
    """The prepared splits of an h5 dataset and what the report says about its classes."""

    selections: dict[str, Selection]
    #: [negative, positive] class names.
    classes: list[str]
    #: Attributes of the prepared file beyond those every dataset has: the settings given
    #: among positive_class, kept_classes (classes) and test_fraction, and dropped_examples.
    attrs: dict
    #: ``dev_split: resample``: the fold of each training example (replicate i holds out fold
    #: i, :func:`stratified_folds`); None for a fixed dev split.
    folds: np.ndarray | None = None


def read_split(source: SplitSource) -> SplitLabels:
    """Read and check a split's labels, its example shape and its class names.

    Raises
    ------
    DataError
        The file is missing or not HDF5, a key is missing (the message lists the datasets
        the file has), the examples are not numbers of rank 2 or more or there are none,
        the labels are not one per example, or not integers, booleans or strings. Examples of a
        dtype that float64 does not hold (complex, or floats wider than float64) are refused
        here, naming the dtype; integers of 64 bits are checked value by value as they are
        read (:func:`example_blocks`).
    """
    expected = f"expected keys {source.x_key}, {source.y_key}"
    if not os.path.isfile(source.path):
        raise DataError(f"{source.path}: file not found; {expected}")
    try:
        with h5py.File(source.path, "r") as file:
            examples = _dataset(file, source, source.x_key)
            labels = _dataset(file, source, source.y_key)[()]
            names_key = source.names_key or (COURSE_NAMES_KEY if COURSE_NAMES_KEY in file else None)
            names = _dataset(file, source, names_key)[()] if names_key else ()
            shape, dtype = examples.shape, examples.dtype
    except OSError as error:
        raise DataError(f"{source.path}: not a readable HDF5 file ({error}); {expected}") from error
    x_where = source.where(source.x_key)
    if len(shape) < 2:
        raise DataError(
            f"{x_where} has shape {shape} (rank {len(shape)}); expected rank 2 or more: "
            "(m, features), (m, height, width) or (m, height, width, channels)"
        )
    if shape[0] == 0:
        raise DataError(f"{x_where} has zero examples; expected at least one")
    if not (np.issubdtype(dtype, np.number) or dtype == bool):
        raise DataError(f"{x_where} has dtype {dtype}; expected numbers")
    if dtype.kind == "c" or (dtype.kind == "f" and dtype.itemsize > 8):
        raise DataError(
            f"{x_where} has dtype {dtype}, which float64 cannot hold without losing "
            f"{'the imaginary part' if dtype.kind == 'c' else 'precision or range'}; expected "
            "real numbers that float64 holds: booleans, integers, float16, float32 or float64"
        )
    labels = _label_vector(labels, source)
    if labels.shape[0] != shape[0]:
        raise DataError(
            f"{source.where(source.y_key)} has {labels.shape[0]} labels but {source.x_key!r} "
            f"has {shape[0]} examples; expected one label per example"
        )
    class_names = {index: _text(name) for index, name in enumerate(np.ravel(names))}
    return SplitLabels(source, tuple(shape[1:]), labels, class_names)


def _dataset(file: h5py.File, source: SplitSource, key: str) -> h5py.Dataset:
    node = file.get(key)
    if not isinstance(node, h5py.Dataset):
        found = "a group" if node is not None else "no dataset"
        raise DataError(
            f"{source.path}: {found} {key!r}; expected a dataset there. The file has: "
            f"{_describe_datasets(file)}"
        )
    return node


def _describe_datasets(file: h5py.File) -> str:
    """``/group/name (shape), ...``: the file's datasets, groups included."""
    listed = []
    file.visititems(
        lambda name, node: (
            listed.append(f"/{name} {node.shape}") if isinstance(node, h5py.Dataset) else None
        )
    )
    more = len(listed) - _LISTED_KEYS
    return (", ".join(listed[:_LISTED_KEYS]) or "no datasets") + (
        f" and {more} more" if more > 0 else ""
    )


def _label_vector(labels: np.ndarray, source: SplitSource) -> np.ndarray:
    """Labels as int64, bool or str, shape (m,) from (m,), (1, m) or (m, 1)."""
    where = source.where(source.y_key)
    if labels.ndim == 2 and 1 in labels.shape:
        labels = labels.reshape(-1)
    if labels.ndim != 1:
        raise DataError(f"{where} has shape {labels.shape}; expected (m,), (1, m) or (m, 1)")
    if labels.dtype == bool or np.issubdtype(labels.dtype, np.integer):
        return labels if labels.dtype == bool else labels.astype(np.int64)
    if labels.dtype.kind in "SUO":
        return np.array([_text(label) for label in labels], dtype=str)
    if np.issubdtype(labels.dtype, np.floating) and np.isfinite(labels).all():
        if (labels == np.round(labels)).all():
            return labels.astype(np.int64)
    raise DataError(
        f"{where} holds {labels.dtype} labels such as {labels[:3].tolist()}; expected "
        "integers, booleans or strings"
    )


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def binary_labels(
    split: SplitLabels, *, positive_class=None, classes=None
) -> tuple[np.ndarray, np.ndarray]:
    """A split's labels as 0/1 and which examples are kept.

    Parameters
    ----------
    split : SplitLabels
    positive_class : label or class name, optional
        One-vs-rest: this class is 1, every other 0.
    classes : [negative, positive], optional
        Keep these two classes (0 and 1) and drop the examples of any other.
        Without either, the labels must be 0/1 or booleans.

    Returns
    -------
    Y : ndarray of int64, shape (m,)
    kept : ndarray of bool, shape (m,)

    Raises
    ------
    DataError
        A configured class is not among the split's labels, or, without either setting, the
        labels are not two classes 0/1 or False/True.
    """
    labels, where = split.labels, split.source.where(split.source.y_key)
    found = _label_list(split)
    if positive_class is not None:
        _require_class(split, positive_class, "positive_class", found)
        return split.matches(labels, positive_class).astype(np.int64), np.ones(labels.size, bool)
    if classes is not None:
        for wanted in classes:
            _require_class(split, wanted, "classes", found)
        negative, positive = (split.matches(labels, wanted) for wanted in classes)
        return positive.astype(np.int64), negative | positive
    if labels.dtype == bool or set(np.unique(labels).tolist()) <= {0, 1}:
        return labels.astype(np.int64), np.ones(labels.size, bool)
    count = np.unique(labels).size
    raise DataError(
        f"{where} holds {count} classes {found}; expected labels 0 and 1 (or booleans). "
        "Set positive_class: <label> (that class against the rest) or classes: "
        "[<negative>, <positive>] (keep two classes) in the dataset's config"
    )


def _label_list(split: SplitLabels) -> list[str]:
    """The split's distinct labels, each with its class name when the file names it."""
    listed = []
    for label in np.unique(split.labels).tolist():
        name = split.name(label)
        listed.append(str(label) if name == str(label) else f"{label} ({name})")
    return listed


def _require_class(split: SplitLabels, wanted, setting: str, found: list[str]) -> None:
    if not split.matches(split.labels, wanted).any():
        raise DataError(
            f"{split.source.where(split.source.y_key)}: {setting} {wanted!r} is not among the "
            f"labels; the labels are {found}"
        )


def class_names(split: SplitLabels, *, positive_class=None, classes=None) -> list[str]:
    """[negative, positive] names for the report: the file's names of 0 and 1, ``not <P>``
    and ``P`` for one-vs-rest, or the two kept classes."""
    if positive_class is not None:
        positive = _configured_name(split, positive_class)
        return [f"not {positive}", positive]
    if classes is not None:
        return [_configured_name(split, wanted) for wanted in classes]
    if split.labels.dtype == bool:
        return ["False", "True"]
    return [split.name(0), split.name(1)]


def _configured_name(split: SplitLabels, wanted) -> str:
    label = split.labels[split.matches(split.labels, wanted)][0]
    return split.name(label.item())


def check_same_example_shape(train: SplitLabels, test: SplitLabels) -> None:
    """Require examples of the same shape in train and test."""
    if train.example_shape != test.example_shape:
        raise DataError(
            f"{test.source.where(test.source.x_key)} has examples of shape "
            f"{test.example_shape} but {train.source.where(train.source.x_key)} has "
            f"{train.example_shape}; expected the same feature size in train and test"
        )


def plan_splits(
    train: SplitLabels,
    test: SplitLabels | None,
    *,
    dev_split: str,
    replicates: int,
    dev_fraction: float,
    split_seed: int,
    test_fraction: float | None = None,
    positive_class=None,
    classes=None,
) -> Plan:
    """Choose each prepared split's examples from the labels alone.

    The test split is the test file's (kept) examples, or, with ``test_fraction``, a
    stratified draw from the training file's, from a child stream of ``split_seed``
    (:class:`numpy.random.SeedSequence`). The remaining training examples then give the
    replicates their dev sets, drawn with ``numpy.random.default_rng(split_seed)``:

    - ``dev_split="resample"``: a stratified split into ``replicates`` folds
      (:func:`stratified_folds`); replicate i trains on the other folds and holds out fold
      i, so every training example is a dev example exactly once;
    - ``dev_split="fixed"``: one stratified dev split of ``dev_fraction`` of each class,
      held out by every replicate, as in the course.

    ``test`` None without ``test_fraction`` plans train and dev only (a test file still to
    be downloaded).

    Raises
    ------
    DataError
        As :func:`binary_labels`; or a split (a fold) is left without an example of a class.
    """
    mapping = {"positive_class": positive_class, "classes": classes}
    Y_train, kept = binary_labels(train, **mapping)
    rows = np.flatnonzero(kept)
    # Examples of other classes dropped from the test file (none unless classes is set).
    test_kept = np.ones(0, dtype=bool)
    selections = {}
    # As text: HDF5 attributes hold one type, and labels and names may mix (classes: [3, "cat"]).
    attrs = {}
    if positive_class is not None:
        attrs["positive_class"] = str(positive_class)
    if classes is not None:
        attrs["kept_classes"] = [str(wanted) for wanted in classes]
    if test_fraction is not None:
        carve = np.random.default_rng(np.random.SeedSequence(split_seed).spawn(1)[0])
        in_test = stratified_mask(Y_train[rows], test_fraction, carve)
        selections["test"] = Selection(train.source, rows[in_test], _as_Y(Y_train, rows[in_test]))
        rows = rows[~in_test]
        _require_both_classes(selections, f"test_fraction={test_fraction}", "train and test")
        attrs["test_fraction"] = test_fraction
    elif test is not None:
        check_same_example_shape(train, test)
        Y_test, test_kept = binary_labels(test, **mapping)
        test_rows = np.flatnonzero(test_kept)
        selections["test"] = Selection(test.source, test_rows, _as_Y(Y_test, test_rows))
        _require_both_classes(
            selections, f"{test.source.where(test.source.y_key)}:", "train and test"
        )
    folds = None
    if dev_split == "resample":
        folds = stratified_folds(Y_train[rows], replicates, np.random.default_rng(split_seed))
        selections["train"] = Selection(train.source, rows, _as_Y(Y_train, rows))
        _require_both_classes_in_folds(Y_train[rows], folds)
    else:
        in_dev = stratified_mask(Y_train[rows], dev_fraction, np.random.default_rng(split_seed))
        for split, chosen in (("train", rows[~in_dev]), ("dev", rows[in_dev])):
            selections[split] = Selection(train.source, chosen, _as_Y(Y_train, chosen))
        _require_both_classes(
            {split: selections[split] for split in ("train", "dev")},
            f"dev_fraction={dev_fraction}",
            "train and dev",
        )
    if classes is not None:
        attrs["dropped_examples"] = int((~kept).sum()) + int((~test_kept).sum())
    order = [split for split in ("train", "dev", "test") if split in selections]
    return Plan(
        {split: selections[split] for split in order},
        class_names(train, **mapping),
        attrs,
        folds,
    )


def _require_both_classes_in_folds(labels: np.ndarray, folds: np.ndarray) -> None:
    """Every fold (a replicate's dev set) needs an example of each class: k per class."""
    k = int(folds.max()) + 1
    for label in (0, 1):
        count = int((labels == label).sum())
        if count < k:
            raise DataError(
                f"dev_split: resample with {k} replicates (grid.seed) deals each class's "
                f"training examples to {k} folds, but class {label} has {count}; expected at "
                f"least {k} per class: list fewer seeds, or set dev_split: fixed"
            )


def _as_Y(labels: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return labels[rows].astype(np.float64).reshape(1, -1)


def _require_both_classes(selections: Mapping[str, Selection], cause: str, splits: str) -> None:
    for split, selection in selections.items():
        missing = sorted({0, 1} - set(np.unique(selection.Y).astype(int).tolist()))
        if missing:
            raise DataError(
                f"{cause} leaves the {split} split with no example of class {missing}; "
                f"expected both classes in {splits}"
            )


def example_blocks(
    examples, selection: Selection, block_bytes: int
) -> Iterator[tuple[int, np.ndarray]]:
    """A selection's examples in blocks of about ``block_bytes`` of float64:
    ``(first column, features (k, n_x) float64)``, in the selection's order.

    ``examples`` is the open ``x_key`` dataset (or an array with examples as rows). Each
    block reads a contiguous slice of rows and keeps the selected ones: h5py's fancy
    indexing builds one selection per index, far slower than one slice read.

    Raises
    ------
    DataError
        A selected example holds NaN or an infinite value, or an integer that float64 cannot
        hold exactly (only some beyond 2**53 in magnitude); the message names its row.
    """
    n_x = int(np.prod(examples.shape[1:]))
    window = max(1, block_bytes // (8 * max(n_x, 1)))
    rows, column = selection.rows, 0
    while column < rows.size:
        start = rows[column]
        stop = np.searchsorted(rows, start + window)
        chosen = rows[column:stop]
        block = examples[start : chosen[-1] + 1]
        if chosen.size < block.shape[0]:
            block = block[chosen - start]
        features = np.asarray(block, dtype=np.float64).reshape(chosen.size, n_x)
        _require_exact_integers(block, features, chosen, selection)
        if not np.isfinite(features).all():
            bad = chosen[np.flatnonzero(~np.isfinite(features).all(axis=1))[0]]
            raise DataError(
                f"{selection.source.where(selection.source.x_key)}: example {bad} holds NaN "
                "or infinite values; expected finite values"
            )
        yield column, features
        column = stop


def _require_exact_integers(block, features, chosen, selection: Selection) -> None:
    """Require integers of 64 bits to survive their conversion to float64 exactly."""
    block = np.asarray(block)
    if block.dtype.kind not in "iu" or block.dtype.itemsize < 8:
        return
    # float64 holds every integer of 32 bits or fewer; of 64 bits, those below 2**53 in
    # magnitude, and others only when their low bits are zero: compare the round trip.
    lowest = float(np.iinfo(block.dtype).min)
    inside = (features >= lowest) & (features < 2.0 ** (64 - (lowest < 0)))
    back = np.zeros(features.shape, dtype=block.dtype)
    back[inside] = features[inside].astype(block.dtype)
    lossy = ~inside | (back != block.reshape(features.shape))
    if lossy.any():
        row, feature = np.argwhere(lossy)[0]
        raise DataError(
            f"{selection.source.where(selection.source.x_key)}: example {chosen[row]} holds "
            f"{block.reshape(features.shape)[row, feature]} ({block.dtype}), which float64 "
            "cannot hold exactly; expected integers that float64 holds exactly (every one "
            "below 2**53 in magnitude does)"
        )
