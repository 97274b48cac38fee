"""Prepared data for training: flattened, standardized, split, float64, examples as columns.

Both dataset sources end in the same layout (written with :func:`ablation.io.write_h5`), so
training never needs to know where the data came from. The file's attributes record each
split's class mix (:data:`CLASS_MIX_KEYS`), which the cat data shifts between dev and test.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping

import h5py
import numpy as np
from shallownet import data as sndata

from ablation.fetch import FetchError, check_local_source, source_arguments
from ablation.metrics import class_mix

#: Arrays every prepared file holds, each of shape (n_x, m) for X and (1, m) for Y.
SPLITS = ("train", "dev", "test")
#: Each split's class mix (:func:`ablation.metrics.class_mix`), stored in the prepared file's
#: attributes as ``<split>_<key>``.
CLASS_MIX_KEYS = ("positives", "negatives", "majority_accuracy")


def prepare_h5(
    train_path: str | os.PathLike,
    test_path: str | os.PathLike,
    *,
    standardize: str,
    dev_fraction: float,
    split_seed: int,
) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """Load the image files, flatten, split a stratified dev set off train, standardize.

    Parameters
    ----------
    train_path, test_path : path
        HDF5 files with keys ``train_set_x``/``train_set_y`` and ``test_set_x``/``test_set_y``.
    standardize : {"scale255", "zscore", "none"}
        Standardization, fitted on the training split only.
    dev_fraction : float
        Fraction of the training file held out as the dev set, per class.
    split_seed : int
        Seed of the dev split.

    Returns
    -------
    arrays : dict
        ``X_train`` (n_x, m_train), ``Y_train`` (1, m_train), same for dev and test, and the
        standardization statistics under ``stats/<name>``.
    attrs : dict
        Sizes and settings, stored as attributes of the file.

    Raises
    ------
    shallownet.data.DataError
        A file is unreadable or malformed, train and test images differ in size, or the
        dev split leaves a class without examples.
    """
    loaded = load_h5_files({"train": train_path, "test": test_path})
    train_images, Y_train_full, classes = loaded["train"]
    test_images, Y_test, _ = loaded["test"]
    X_train_full = sndata.flatten(train_images)
    X_test = sndata.flatten(test_images)
    arrays, attrs = _split_and_standardize(
        X_train_full, Y_train_full, X_test, Y_test, standardize, dev_fraction, split_seed
    )
    attrs["classes"] = list(classes)
    return arrays, attrs


def prepare_planar(
    *,
    n_train: int,
    n_test: int,
    noise: float,
    data_seed: int,
    standardize: str,
    dev_fraction: float,
    split_seed: int,
) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """Generate the planar "flower" data: a training draw (split into train and dev) and an
    independent test draw from a second stream of the same seed.

    Returns the same ``(arrays, attrs)`` as :func:`prepare_h5`, with n_x = 2.
    """
    (X_train_full, Y_train_full), (X_test, Y_test) = planar_draws(
        n_train=n_train, n_test=n_test, noise=noise, data_seed=data_seed
    )
    arrays, attrs = _split_and_standardize(
        X_train_full, Y_train_full, X_test, Y_test, standardize, dev_fraction, split_seed
    )
    attrs.update(noise=noise, data_seed=data_seed)
    return arrays, attrs


def planar_draws(*, n_train: int, n_test: int, noise: float, data_seed: int):
    """The planar training and test draws: ``((X (2, n_train), Y (1, n_train)), (X (2, n_test),
    Y (1, n_test)))``, from two independent streams of ``data_seed``."""
    return tuple(
        sndata.make_planar(m=m, noise=noise, rng=np.random.default_rng(stream))
        for m, stream in zip((n_train, n_test), np.random.SeedSequence(data_seed).spawn(2))
    )


def _split_and_standardize(
    X_train_full, Y_train_full, X_test, Y_test, method, dev_fraction, split_seed
):
    X_train, Y_train, X_dev, Y_dev = sndata.stratified_split(
        X_train_full, Y_train_full, dev_fraction, split_seed
    )
    _require_both_classes(Y_train, Y_dev, dev_fraction)
    X_train, X_dev, X_test, stats = sndata.standardize(X_train, X_dev, X_test, method)
    arrays = {
        "X_train": X_train,
        "Y_train": Y_train,
        "X_dev": X_dev,
        "Y_dev": Y_dev,
        "X_test": X_test,
        "Y_test": Y_test,
    }
    arrays = {name: np.ascontiguousarray(array, dtype=np.float64) for name, array in arrays.items()}
    arrays.update({f"stats/{name}": np.asarray(value) for name, value in stats.items()})
    attrs = {
        # Provenance for every model trained on the file, computed once here rather than by
        # hashing the file in each of the many training jobs.
        "content_sha256": content_sha256(arrays),
        "standardize": method,
        "dev_fraction": dev_fraction,
        "split_seed": split_seed,
        "n_x": X_train.shape[0],
        **{f"m_{split}": arrays[f"Y_{split}"].shape[1] for split in SPLITS},
        **{
            f"{split}_{key}": value
            for split in SPLITS
            for key, value in class_mix(arrays[f"Y_{split}"]).items()
        },
    }
    return arrays, attrs


def load_h5_files(paths: Mapping[str, str | os.PathLike]) -> dict[str, tuple]:
    """Load and validate image files of the course's layout, and check they fit together.

    Parameters
    ----------
    paths : mapping
        Split name (``"train"``, ``"test"``) -> HDF5 file; one split or both.

    Returns
    -------
    dict
        Split -> ``(images (m, height, width, channels), Y (1, m), classes)`` as returned by
        :func:`shallownet.data.load_h5_split`, in the order of ``paths``.

    Raises
    ------
    shallownet.data.DataError
        A file is missing, unreadable or malformed (the message names file, key and
        expectation), or train and test images differ in size.
    """
    loaded = {split: sndata.load_h5_split(path, split) for split, path in paths.items()}
    if loaded.keys() >= {"train", "test"}:
        sndata.check_same_features(
            loaded["train"][0],
            loaded["test"][0],
            train_path=paths["train"],
            test_path=paths["test"],
        )
    return loaded


def check_dataset(name: str, spec: Mapping) -> None:
    """Raise now the data errors that preparing the dataset would raise later.

    Meant to run before any job starts (at DAG construction): it checks the configured local
    copies of an h5 dataset's files (checksum, then everything :func:`load_h5_files`
    validates) and whether the dev split leaves both classes in train and dev. A file that is
    not present locally yet will be downloaded by a job; :func:`prepare_h5` checks it then.

    Parameters
    ----------
    name : str
        The dataset's name in the config, for the messages.
    spec : mapping
        Its validated config entry (``source``, ``files`` or the planar keys,
        ``dev_fraction``, ``split_seed``).

    Raises
    ------
    ablation.fetch.FetchError
        A local copy has the wrong SHA-256, or a file has neither a local copy nor a URL.
    shallownet.data.DataError
        A local file is malformed, or the dev split leaves a class without examples.
        Both messages start with ``config['datasets'][<name>]``, the entry to look at.
    """
    try:
        if spec["source"] == "h5":
            local = {
                split: source["path"]
                for split, source in spec["files"].items()
                if check_local_source(**source_arguments(source))
            }
            loaded = load_h5_files(local)
            labels = loaded["train"][1] if "train" in loaded else None
        else:
            (_, labels), _ = planar_draws(
                **{key: spec[key] for key in ("n_train", "n_test", "noise", "data_seed")}
            )
        if labels is not None:
            # The split depends on the labels only: features with zero rows stand in for X.
            _, Y_train, _, Y_dev = sndata.stratified_split(
                np.empty((0, labels.shape[1])), labels, spec["dev_fraction"], spec["split_seed"]
            )
            _require_both_classes(Y_train, Y_dev, spec["dev_fraction"])
    except (FetchError, sndata.DataError) as error:
        raise type(error)(f"config['datasets'][{name!r}]: {error}") from error


def _require_both_classes(Y_train, Y_dev, dev_fraction) -> None:
    for split, Y in (("train", Y_train), ("dev", Y_dev)):
        missing = sorted({0, 1} - set(np.unique(Y).tolist()))
        if missing:
            raise sndata.DataError(
                f"dev_fraction={dev_fraction} leaves the {split} split with no example of "
                f"class {missing}; expected both classes in train and dev"
            )


def content_sha256(arrays: Mapping[str, np.ndarray]) -> str:
    """SHA-256 of named arrays: each name, dtype, shape and data bytes, in the given order."""
    digest = hashlib.sha256()
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        digest.update(f"{name} {array.dtype.str} {array.shape}\n".encode())
        digest.update(array.tobytes())
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
    """Each split's labels from a prepared file: split -> int64 array of shape (m,)."""
    with h5py.File(path, "r") as file:
        return {split: file[f"Y_{split}"][0].astype(np.int64) for split in SPLITS}


def load_prepared(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Read ``X_{split}`` and ``Y_{split}`` for train, dev and test from a prepared file."""
    with h5py.File(path, "r") as file:
        return {
            f"{kind}_{split}": file[f"{kind}_{split}"][...] for split in SPLITS for kind in "XY"
        }
