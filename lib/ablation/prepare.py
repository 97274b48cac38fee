"""Prepared data for training: flattened, standardized, split, float64, examples as columns.

Both dataset sources end in the same layout, so training never needs to know where the data
came from. The file's attributes record each split's class mix (:data:`CLASS_MIX_KEYS`),
which the cat data shifts between dev and test.

An h5 dataset is never read whole: the splits are chosen from the labels alone
(:func:`ablation.layout.plan_splits`), then the examples are read, standardized and written
in blocks of about :data:`BLOCK_BYTES` of float64, so preparing a file takes little more
memory than one block, whatever the file's size.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from contextlib import ExitStack, contextmanager
from functools import partial

import h5py
import numpy as np
from shallownet.data import make_planar

from ablation.faults import FAULT_ERRORS, NumericFault, numeric_faults
from ablation.fetch import FetchError, check_local_source, source_arguments
from ablation.io import atomic_path
from ablation.layout import (
    DataError,
    Plan,
    Selection,
    SplitLabels,
    SplitSource,
    binary_labels,
    example_blocks,
    plan_splits,
    read_split,
)
from ablation.metrics import class_mix

#: Arrays every prepared file holds, each of shape (n_x, m) for X and (1, m) for Y.
SPLITS = ("train", "dev", "test")
#: Each split's class mix (:func:`ablation.metrics.class_mix`), stored in the prepared file's
#: attributes as ``<split>_<key>``.
CLASS_MIX_KEYS = ("positives", "negatives", "majority_accuracy")
#: Bytes of float64 features read, standardized and written at a time.
BLOCK_BYTES = 32 << 20
#: Dataset settings that choose the labels and the test split of an h5 source.
LABEL_SETTINGS = ("test_fraction", "positive_class", "classes")
#: What a resampled dev split records of each training column: the fold a replicate holds out
#: (h5 data) or the replicate whose own draw it is (planar data).
REPLICATE_COLUMNS = ("fold", "draw")
#: The standardizations of a dataset (config ``standardize``).
STANDARDIZATIONS = ("scale255", "zscore", "none")
#: The ``zscore`` statistics, each (n_x, 1) and stored as ``stats/<name>``: per feature, the
#: power of two ``scale`` that brings its largest training magnitude into [1, 2) (1 for a
#: feature constant on the training split), and the training ``mean`` and ``std`` of the
#: feature divided by it; the mean is ``mean + mean_residual``, two float64 numbers, so that
#: a feature whose spread is far below its magnitude (timestamps, say) is still centred to
#: float64's precision. In the feature's own units the mean is ``scale * (mean +
#: mean_residual)`` and the standard deviation ``scale * std``.
ZSCORE_STATS = ("scale", "mean", "mean_residual", "std")


def standardization_stats(method: str, **zscore) -> dict:
    """The statistics of a standardization, fitted on the training split only.

    ``scale255`` divides by 255 (pixels to [0, 1], as in the course); ``zscore`` standardizes
    each feature by its training mean and standard deviation, from the arrays (n_x, 1) named
    by :data:`ZSCORE_STATS` that :func:`fit_standardization` computes; ``none`` keeps the
    values.

    Returns ``{"scale": 255.0}``, the ``zscore`` arrays, or ``{}``.
    """
    if method not in STANDARDIZATIONS:
        raise ValueError(
            f"unknown standardization {method!r}; expected one of {list(STANDARDIZATIONS)}"
        )
    if method == "scale255":
        return {"scale": np.array(255.0)}
    if method == "zscore":
        return {name: zscore[name] for name in ZSCORE_STATS}
    return {}


def apply_standardization(X, method: str, stats) -> np.ndarray:
    """Standardize float64 features X (n_x, m) with :func:`standardization_stats`.

    ``zscore`` computes ``((X / scale - mean) - mean_residual) / std`` (see
    :data:`ZSCORE_STATS`): dividing by a power of two is exact, and nothing else can overflow
    unless the standardized value itself is beyond float64's range (an example far outside
    the training split's range). A feature constant on the training split (std 0, scale 1)
    is divided by 1, not by 0: it becomes ``X - mean``.

    Elementwise, so a block of examples (columns) gives the same values as the whole matrix.
    """
    if method == "scale255":
        return X / stats["scale"]
    if method == "zscore":
        centred = X / stats["scale"] - stats["mean"] - stats["mean_residual"]
        return centred / np.where(stats["std"] > 0, stats["std"], 1.0)
    return X


def prepare_h5(
    output: str | os.PathLike,
    paths: Mapping[str, str | os.PathLike],
    files: Mapping[str, Mapping] | None = None,
    *,
    standardize: str,
    dev_split: str,
    seeds: Sequence[int],
    dev_fraction: float,
    split_seed: int,
    attrs: Mapping[str, object] = (),
    block_bytes: int = BLOCK_BYTES,
    **labels,
) -> dict[str, object]:
    """Prepare an h5 dataset into ``output``: split, flatten, standardize, in blocks.

    Parameters
    ----------
    output : path
        The prepared HDF5 file (written atomically).
    paths : mapping
        Split (``"train"``, and ``"test"`` unless ``test_fraction`` is given) -> HDF5 file;
        both may name the same file.
    files : mapping, optional
        Split -> its config entry's layout keys (``x_key``, ``y_key``, ``names_key``);
        missing keys take the course's layout (:data:`ablation.layout.COURSE_KEYS`).
    standardize : {"scale255", "zscore", "none"}
        Standardization, fitted on the training split only (for ``dev_split="resample"``,
        the whole training file: every fold).
    dev_split : {"resample", "fixed"}
        How the replicates get their dev sets (:func:`ablation.layout.plan_splits`):
        ``resample`` writes the training file whole with the ``fold`` of each example
        (replicate i, the i-th of the sorted ``seeds``, holds out fold i); ``fixed`` writes
        one train/dev split that every replicate shares.
    seeds : sequence of int
        The replicates (``grid.seed``): their number is the number of folds.
    dev_fraction : float
        ``fixed`` only: fraction of the training examples held out as the dev set, per class.
    split_seed : int
        Seed of the folds or the dev split (and of the test split ``test_fraction`` carves).
    attrs : mapping
        More attributes of the file, written after the computed ones.
    block_bytes : int
        Size of a block of float64 features.
    **labels
        ``test_fraction``, ``positive_class``, ``classes``: see
        :func:`ablation.layout.plan_splits`.

    Returns
    -------
    dict
        The attributes written: sizes, settings, class mix, ``classes`` ([negative,
        positive] names) and the label settings used.

    Raises
    ------
    ablation.layout.DataError
        A file is unreadable or malformed, train and test examples differ in shape, a class
        setting does not fit the labels, a split is left without a class, the examples' dtype
        is not one float64 holds, or an example holds a non-finite value or an integer float64
        cannot hold; each message names the file and key. An example that ``zscore`` takes
        beyond float64's range is a numeric fault (:mod:`ablation.faults`: an error in a
        workflow job; :func:`check_dataset` names the example).
    """
    seeds = sorted(seeds)
    plan = plan_h5(
        paths,
        files or {},
        dev_split=dev_split,
        replicates=len(seeds),
        dev_fraction=dev_fraction,
        split_seed=split_seed,
        **labels,
    )
    with ExitStack() as stack:
        examples = {
            source: stack.enter_context(h5py.File(source.path, "r"))[source.x_key]
            for source in {selection.source for selection in plan.selections.values()}
        }
        return write_prepared(
            output,
            plan,
            examples,
            standardize=standardize,
            replicate_columns={} if plan.folds is None else {"fold": plan.folds},
            attrs={
                "classes": plan.classes,
                **plan.attrs,
                **_split_attrs(dev_split, seeds, dev_fraction, split_seed),
                **dict(attrs),
            },
            block_bytes=block_bytes,
        )


def plan_h5(
    paths: Mapping[str, str | os.PathLike], files: Mapping[str, Mapping], **split_settings
) -> Plan:
    """Read the labels of an h5 dataset's files and choose each split's examples.

    ``paths`` may lack ``"test"`` (a test file still to be downloaded): train and dev are
    planned then. ``split_settings`` are :func:`ablation.layout.plan_splits`'s keywords.
    """
    splits = {
        split: read_split(SplitSource.from_config(split, path, files.get(split, {})))
        for split, path in paths.items()
    }
    return plan_splits(splits["train"], splits.get("test"), **split_settings)


def prepare_planar(
    output: str | os.PathLike,
    *,
    n_train: int,
    n_test: int,
    noise: float,
    data_seed: int,
    standardize: str,
    dev_split: str,
    seeds: Sequence[int],
    dev_fraction: float,
    split_seed: int,
    n_dev: int | None = None,
    attrs: Mapping[str, object] = (),
) -> dict[str, object]:
    """Generate the planar "flower" data into ``output``, every draw from its own stream of
    ``data_seed`` (:func:`planar_draw`).

    ``dev_split="resample"``: each replicate (each of ``seeds``) draws its own ``n_train``
    training points, written side by side as ``X_train`` with the ``draw`` (the replicate's
    index) of each column; the dev set (``n_dev`` points) and the test set (``n_test``) are
    draws shared by every replicate. ``fixed``: one training draw of ``n_train`` points split
    into train and dev by ``dev_fraction`` and ``split_seed``, as in the course.

    Returns the attributes written, as :func:`prepare_h5` (n_x = 2).
    """
    seeds = sorted(seeds)
    draw = partial(planar_draw, noise=noise, data_seed=data_seed)
    test = draw(n_test, TEST_STREAM)
    columns = {}
    if dev_split == "resample":
        draws = [draw(n_train, (REPLICATE_STREAM, seed)) for seed in seeds]
        train = tuple(np.concatenate(parts, axis=1) for parts in zip(*draws))
        named = {"train": train, "dev": draw(n_dev, DEV_STREAM), "test": test}
        columns["draw"] = np.repeat(np.arange(len(seeds)), n_train)
    else:
        named = {"train": draw(n_train, TRAIN_STREAM), "test": test}
    splits = {}
    for split, (X, Y) in named.items():
        source = SplitSource(f"planar data (data_seed {data_seed})", f"{split} draw", "labels")
        splits[split] = (SplitLabels(source, (2,), Y[0], {}), np.ascontiguousarray(X.T))
    if dev_split == "resample":
        plan = Plan(
            {
                split: Selection(labels.source, np.arange(labels.labels.size), _as_Y(labels))
                for split, (labels, _) in splits.items()
            },
            classes=[],
            attrs={},
        )
    else:
        plan = plan_splits(
            splits["train"][0],
            splits["test"][0],
            dev_split=dev_split,
            replicates=len(seeds),
            dev_fraction=dev_fraction,
            split_seed=split_seed,
        )
    return write_prepared(
        output,
        plan,
        {labels.source: rows for labels, rows in splits.values()},
        standardize=standardize,
        replicate_columns=columns,
        attrs={
            "noise": noise,
            "data_seed": data_seed,
            **_split_attrs(dev_split, seeds, dev_fraction, split_seed),
            **dict(attrs),
        },
    )


#: Streams of :func:`planar_draw`: spawn keys of ``numpy.random.SeedSequence(data_seed)``.
#: The fixed split's training draw and the test draw are the first two children, as
#: ``SeedSequence(data_seed).spawn(2)`` made them before the replicates had draws of their own.
TRAIN_STREAM, TEST_STREAM, DEV_STREAM, REPLICATE_STREAM = (0,), (1,), (2,), 3


def planar_draw(m: int, stream: tuple | tuple[int, int], *, noise: float, data_seed: int):
    """A draw of ``m`` planar points, ``(X (2, m), Y (1, m))``, from the stream of
    ``data_seed`` with spawn key ``stream``: :data:`TRAIN_STREAM`, :data:`TEST_STREAM`,
    :data:`DEV_STREAM`, or ``(REPLICATE_STREAM, seed)`` for a replicate's training draw."""
    key = stream if isinstance(stream, tuple) else (stream,)
    rng = np.random.default_rng(np.random.SeedSequence(data_seed, spawn_key=key))
    return make_planar(m=m, noise=noise, rng=rng)


def _split_attrs(dev_split: str, seeds: Sequence[int], dev_fraction: float, split_seed: int):
    """The settings that made the splits, as attributes of the prepared file."""
    attrs = {"dev_split": dev_split, "split_seed": split_seed, "replicate_seeds": list(seeds)}
    if dev_split == "fixed":
        attrs["dev_fraction"] = dev_fraction
    return attrs


def _as_Y(labels: SplitLabels) -> np.ndarray:
    return labels.labels.astype(np.float64).reshape(1, -1)


def write_prepared(
    output: str | os.PathLike,
    plan: Plan,
    examples: Mapping[SplitSource, object],
    *,
    standardize: str,
    replicate_columns: Mapping[str, np.ndarray] = (),
    attrs: Mapping[str, object] = (),
    block_bytes: int = BLOCK_BYTES,
) -> dict[str, object]:
    """Write the planned splits to ``output`` block by block; return the attributes written.

    ``examples`` maps each source of the plan to its examples as rows (an open h5py dataset
    or an array). The standardization is fitted on the training split first (a pass over it
    for ``zscore``); then each split's features are written as columns of ``X_<split>``, its
    labels as ``Y_<split>``, each of ``replicate_columns`` (``fold`` or ``draw``: a
    replicate's index for each training column), and the statistics as ``stats/<name>``;
    the content digest is read back from the file in blocks. Without a dev split (k folds)
    the dev examples are the training examples: the ``dev`` class mix is the training one.
    """
    train = plan.selections["train"]
    stats = fit_standardization(examples[train.source], train, standardize, block_bytes)
    n_x = int(np.prod(examples[train.source].shape[1:]))
    splits = [split for split in SPLITS if split in plan.selections]
    with atomic_path(output) as temporary, h5py.File(temporary, "w") as file:
        # Each array is created and filled in turn, in the order of content_sha256, so the
        # file's bytes equal those of an in-memory write of the same arrays.
        for split in splits:
            selection = plan.selections[split]
            X = file.create_dataset(
                f"X_{split}", shape=(n_x, selection.rows.size), dtype=np.float64, track_times=False
            )
            for column, block in example_blocks(examples[selection.source], selection, block_bytes):
                X[:, column : column + block.shape[0]] = apply_standardization(
                    block.T, standardize, stats
                )
            file.create_dataset(f"Y_{split}", data=selection.Y, track_times=False)
        for name, values in dict(replicate_columns).items():
            file.create_dataset(name, data=np.asarray(values, dtype=np.int64), track_times=False)
        for name, value in stats.items():
            file.create_dataset(f"stats/{name}", data=np.asarray(value), track_times=False)
        names = [f"{kind}_{split}" for split in splits for kind in "XY"]
        names += [*dict(replicate_columns), *(f"stats/{name}" for name in stats)]
        dev = plan.selections.get("dev", train)
        written = {
            # Provenance for every model trained on the file, computed once here rather than
            # by hashing the file in each of the many training jobs.
            "content_sha256": content_sha256({name: file[name] for name in names}, block_bytes),
            "standardize": standardize,
            "n_x": n_x,
            **{f"m_{split}": int(plan.selections[split].rows.size) for split in splits},
            **{
                f"{split}_{key}": value
                for split, selection in (
                    ("train", train),
                    ("dev", dev),
                    ("test", plan.selections["test"]),
                )
                for key, value in class_mix(selection.Y).items()
            },
            **dict(attrs),
        }
        for name, value in written.items():
            file.attrs[name] = value
    return written


def fit_standardization(examples, train, method: str, block_bytes: int = BLOCK_BYTES) -> dict:
    """The standardization statistics of the training selection, read in blocks.

    ``zscore``'s statistics (:data:`ZSCORE_STATS`; the standard deviation is the population
    one, as NumPy's ``std``) take two passes over the training split, both in units of each
    feature's power-of-two scale, where no sum or square can overflow or underflow whatever
    the finite input, from 5e-324 to 1.8e308 in magnitude. The first pass finds each
    feature's extremes and a first mean, summed in units of the largest scale met so far
    (rescaling the sum by a power of two is exact); the second sums the deviations from that
    mean and their squares (the corrected two-pass algorithm), which gives the mean's
    residual and a variance that does not cancel. A feature whose training values are all
    equal gets scale 1, its value as the mean and std 0, exactly.

    The standardized training split then has per-feature mean 0 and standard deviation 1 to
    about 1e-15 (0 and 0 for a constant feature).
    """
    if method != "zscore":
        return standardization_stats(method)

    def blocks():
        return (block for _, block in example_blocks(examples, train, block_bytes))

    count, low, high, scale, total = 0, None, None, None, None
    for block in blocks():
        block_scale = _power_of_two_scale(np.abs(block).max(axis=0))
        if count == 0:
            low, high, scale, total = block.min(axis=0), block.max(axis=0), block_scale, 0.0
        grown = np.maximum(scale, block_scale)
        total = total * (scale / grown) + (block / grown).sum(axis=0)
        low, high = np.minimum(low, block.min(axis=0)), np.maximum(high, block.max(axis=0))
        scale, count = grown, count + block.shape[0]
    constant = low == high
    scale = np.where(constant, 1.0, scale)
    mean = np.where(constant, low, total / count)
    deviations, squares = 0.0, 0.0
    for block in blocks():
        deviation = block / scale - mean
        deviations = deviations + deviation.sum(axis=0)
        squares = squares + (deviation**2).sum(axis=0)
    residual = deviations / count
    variance = np.maximum(squares / count - residual**2, 0.0)
    return standardization_stats(
        method,
        **{
            name: value.reshape(-1, 1)
            for name, value in zip(ZSCORE_STATS, (scale, mean, residual, np.sqrt(variance)))
        },
    )


def _power_of_two_scale(magnitude: np.ndarray) -> np.ndarray:
    """The power of two that brings each positive ``magnitude`` into [1, 2); for 0, the
    smallest one (so that the largest scale of a feature is that of its largest value)."""
    scale = np.ldexp(1.0, np.frexp(magnitude)[1] - 1)
    return np.where(magnitude > 0, scale, np.finfo(np.float64).smallest_subnormal)


def check_dataset(name: str, spec: Mapping, seeds: Sequence[int]) -> None:
    """Raise now the data errors that preparing the dataset would raise later.

    Meant to run before any job starts (at DAG construction): it checks the configured local
    copies of an h5 dataset's files (checksum, then everything :func:`prepare_h5` checks:
    keys, shapes, dtypes, labels and the class settings, both classes in every split and fold,
    finite values of the examples it keeps, integers that float64 holds, and their
    standardized values within float64's range) and the planar data's fixed dev split. It
    runs under the workflow's numeric regime (:func:`ablation.faults.numeric_faults`), as
    every job does. A file that is not present locally yet will be downloaded by a job;
    :func:`prepare_h5` checks it then.

    Parameters
    ----------
    name : str
        The dataset's name in the config, for the messages.
    spec : mapping
        Its validated config entry.
    seeds : sequence of int
        The replicates (``grid.seed``).

    Raises
    ------
    ablation.fetch.FetchError
        A local copy has the wrong SHA-256, or a file has neither a local copy nor a URL.
    ablation.layout.DataError
        A local file is malformed, or a split is left without a class.
    ablation.faults.NumericFault
        A numeric fault while checking (the message names the file and key).
        Every message starts with ``config['datasets'][<name>]``, the entry to look at.
    """
    try:
        with numeric_faults(f"{spec['source']} data"):
            if spec["source"] == "h5":
                if spec["dev_split"] == "resample" and len(seeds) < 2:
                    raise DataError(
                        "dev_split: resample splits the training file into one fold per "
                        f"replicate, but grid.seed lists {len(seeds)}; expected at least 2 "
                        "seeds, or set dev_split: fixed"
                    )
                _check_h5(spec, len(seeds))
            elif spec["dev_split"] == "fixed":
                _, labels = planar_draw(
                    spec["n_train"], TRAIN_STREAM, noise=spec["noise"], data_seed=spec["data_seed"]
                )
                source = SplitSource("planar data", "train draw", "labels")
                plan_splits(
                    SplitLabels(source, (2,), labels[0], {}),
                    None,
                    dev_split="fixed",
                    replicates=len(seeds),
                    dev_fraction=spec["dev_fraction"],
                    split_seed=spec["split_seed"],
                )
    except (FetchError, DataError, NumericFault) as error:
        raise type(error)(f"config['datasets'][{name!r}]: {error}") from error


def _check_h5(spec: Mapping, replicates: int) -> None:
    # A file serving both splits is hashed once.
    present = {}
    for source in spec["files"].values():
        arguments = source_arguments(source)
        key = (arguments["local_path"], arguments["sha256"])
        if key not in present:
            present[key] = check_local_source(**arguments)
    local = {
        split: source["path"]
        for split, source in spec["files"].items()
        if present[source.get("path"), source["sha256"]]
    }
    labels = {key: spec[key] for key in LABEL_SETTINGS if key in spec}
    if "train" in local:
        plan = plan_h5(
            local,
            spec["files"],
            dev_split=spec["dev_split"],
            replicates=replicates,
            dev_fraction=spec["dev_fraction"],
            split_seed=spec["split_seed"],
            **labels,
        )
        _check_examples(plan, spec["standardize"])
    elif "test" in local:
        # Without the training file there are no splits to plan: the test file alone.
        test = read_split(SplitSource.from_config("test", local["test"], spec["files"]["test"]))
        binary_labels(test, positive_class=spec.get("positive_class"), classes=spec.get("classes"))


def _check_examples(plan: Plan, standardize: str) -> None:
    """Read the planned examples as :func:`prepare_h5` does, and standardize them: the
    statistics come from the training split, and each split's values must stay within
    float64's range."""
    with _examples(plan.selections["train"], "train") as examples:
        stats = fit_standardization(examples, plan.selections["train"], standardize)
    for split, selection in plan.selections.items():
        # zscore's fit has read the training split, whose standardized values lie within
        # sqrt(m) of 0: only the other splits can reach beyond float64's range.
        if split == "train" and standardize == "zscore":
            continue
        with _examples(selection, split) as examples:
            for column, block in example_blocks(examples, selection, BLOCK_BYTES):
                try:
                    apply_standardization(block.T, standardize, stats)
                except FAULT_ERRORS as fault:
                    raise _beyond_range(selection, split, column, block, stats) from fault


@contextmanager
def _examples(selection, split: str):
    """The open examples of a selection, read under the numeric regime naming them."""
    source = selection.source
    with numeric_faults(f"{source.where(source.x_key)} ({split} split)"):
        with h5py.File(source.path, "r") as file:
            yield file[source.x_key]


def _beyond_range(selection, split: str, column: int, block, stats) -> DataError:
    """The error naming the first example of ``block`` whose zscore standardization
    overflows, its feature and value, and the training statistics."""
    with np.errstate(all="ignore"):
        finite = np.isfinite(apply_standardization(block.T, "zscore", stats))
        feature, example = np.argwhere(~finite)[0]
        scale = stats["scale"][feature, 0]
        mean = scale * (stats["mean"][feature, 0] + stats["mean_residual"][feature, 0])
        std = scale * stats["std"][feature, 0]
    source = selection.source
    return DataError(
        f"{source.where(source.x_key)}: example {selection.rows[column + example]} of the "
        f"{split} split holds {block[example, feature]:.6g} in feature {feature}, which zscore "
        f"takes beyond float64's range: the training split's mean of that feature is "
        f"{mean:.6g} and its standard deviation {std:.6g}; expected values within about "
        "1e308 standard deviations of the training mean"
    )


def content_sha256(arrays: Mapping[str, object], block_bytes: int = BLOCK_BYTES) -> str:
    """SHA-256 of named arrays: each name, dtype, shape and data bytes (C order), in the given
    order. The arrays may be h5py datasets: they are read in blocks of rows."""
    digest = hashlib.sha256()
    for name, array in arrays.items():
        # A scalar is hashed with shape (1,), as numpy.ascontiguousarray made it when the
        # digest was computed in memory: the digests recorded before stay valid.
        shape = array.shape or (1,)
        digest.update(f"{name} {array.dtype.str} {shape}\n".encode())
        if len(array.shape) == 0:
            digest.update(np.asarray(array[()]).tobytes())
            continue
        row_bytes = array.dtype.itemsize * int(np.prod(array.shape[1:]))
        rows = max(1, block_bytes // max(row_bytes, 1))
        for start in range(0, array.shape[0], rows):
            digest.update(np.ascontiguousarray(array[start : start + rows]).tobytes())
    return digest.hexdigest()


def prepared_content_sha256(path: str | os.PathLike) -> str:
    """The ``content_sha256`` that :func:`content_sha256` recorded in a prepared file."""
    with h5py.File(path, "r") as file:
        return str(file.attrs["content_sha256"])


def read_class_mix(path: str | os.PathLike) -> dict[str, dict]:
    """Each split's class mix as recorded at preparation: split -> ``positives``,
    ``negatives``, ``majority_accuracy``.

    Raises
    ------
    ValueError
        The file lacks an attribute (it was prepared by a version that did not record them).
    """
    with h5py.File(path, "r") as file:
        names = [f"{split}_{key}" for split in SPLITS for key in CLASS_MIX_KEYS]
        missing = [name for name in names if name not in file.attrs]
        if missing:
            raise ValueError(
                f"{path} lacks the class-mix attributes {missing}; prepare it again with: "
                f"snakemake --cores all --forcerun {path}"
            )
        return {
            split: {key: file.attrs[f"{split}_{key}"].item() for key in CLASS_MIX_KEYS}
            for split in SPLITS
        }


def load_labels(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Each split's labels from a prepared file: split -> int64 array of shape (m,). The dev
    labels are those of the dev examples (:mod:`ablation.replicates`): the training file's
    when the replicates hold out its folds."""
    with h5py.File(path, "r") as file:
        return {
            split: file[f"Y_{split}" if f"Y_{split}" in file else "Y_train"][0].astype(np.int64)
            for split in SPLITS
        }


def load_prepared(
    path: str | os.PathLike, names: tuple[str, ...] | None = None
) -> dict[str, np.ndarray]:
    """Read arrays of a prepared file: ``names`` (e.g. ``("X_train", "Y_train")``), by
    default every ``X_<split>`` and ``Y_<split>`` it has (no ``X_dev`` when the replicates
    hold out folds of ``X_train``) and the ``fold`` or ``draw`` of each training column."""
    with h5py.File(path, "r") as file:
        if names is None:
            names = [f"{kind}_{split}" for split in SPLITS for kind in "XY"]
            names = [name for name in (*names, *REPLICATE_COLUMNS) if name in file]
        return {name: file[name][...] for name in names}


def describe_classes(path: str | os.PathLike) -> str | None:
    """A sentence naming the prepared file's classes, or None if it does not record them
    (generated data): which is positive (1) and negative (0), the labels one-vs-rest puts
    in the negative class, and the examples of other classes dropped."""
    with h5py.File(path, "r") as file:
        if "classes" not in file.attrs:
            return None
        negative, positive = (str(name) for name in file.attrs["classes"])
        sentence = f"Positive class (1): {positive}; negative class (0): {negative}"
        if "positive_class" in file.attrs:
            sentence += f" (every label but {file.attrs['positive_class']}, one-vs-rest)"
        if "dropped_examples" in file.attrs:
            sentence += f"; {int(file.attrs['dropped_examples'])} examples of other classes dropped"
        return sentence + "."
