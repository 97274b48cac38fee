"""The replicates of a dataset: what each trains on and which dev examples it predicts.

A replicate is a (data split, initial weights) pair named by its seed (config ``grid.seed``):
the seed draws the network's starting weights (:func:`ablation.grid.cell_rng`) and picks its
data. How the data vary is the prepared file's ``dev_split`` (:mod:`ablation.prepare`):

- ``folds`` (``dev_split: resample``, h5 data): ``X_train`` holds the whole training file
  and ``fold`` the fold of each example; replicate i trains on the other folds and predicts
  fold i, so every training example is predicted exactly once, by a network that did not
  train on it (out of fold). All replicates share the examples (one Gram matrix per cell:
  each network's training mask selects its columns);
- ``draws`` (``dev_split: resample``, planar data): ``X_train`` holds every replicate's own
  training draw side by side and ``draw`` says whose each column is; the dev and test draws
  are shared;
- ``fixed`` (``dev_split: fixed``): one training split and one dev split shared by all, as
  in the course; replicates differ in their starting weights only.

The *dev examples* of a dataset are those its pooled dev scores are computed on: the
training file's (folds) or ``X_dev``'s. A replicate predicts all of them (draws, fixed) or
its own fold (folds); :meth:`Replicates.dev_columns` says which.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import h5py
import numpy as np

from ablation.prepare import load_prepared

FOLDS, DRAWS, FIXED = "folds", "draws", "fixed"


@dataclass(frozen=True)
class Replicates:
    """The prepared data of a dataset, by replicate (see the module docstring).

    ``arrays`` holds ``X_<split>`` (n_x, m) and ``Y_<split>`` (1, m) of the splits the file
    has, and ``fold`` or ``draw`` (m_train,) for the resampled kinds; ``seeds[i]`` is
    replicate i.
    """

    kind: str
    seeds: tuple[int, ...]
    arrays: dict

    @property
    def dev_labels(self) -> np.ndarray:
        """The labels of the dev examples, (1, m_dev)."""
        return self.arrays["Y_train" if self.kind == FOLDS else "Y_dev"]

    def index(self, seed: int) -> int:
        """The replicate index of ``seed``."""
        try:
            return self.seeds.index(seed)
        except ValueError:
            raise ValueError(
                f"seed {seed} is not a replicate of the prepared data (seeds {list(self.seeds)}); "
                "prepare the data again"
            ) from None

    def dev_columns(self, seed: int) -> np.ndarray:
        """Which dev examples the replicate of ``seed`` predicts: bool (m_dev,)."""
        if self.kind == FOLDS:
            return self.arrays["fold"] == self.index(seed)
        return np.ones(self.dev_labels.shape[1], dtype=bool)

    def training_columns(self, seed: int) -> np.ndarray:
        """Which columns of ``X_train`` the replicate of ``seed`` trains on: bool (m_train,)."""
        if self.kind == FOLDS:
            return self.arrays["fold"] != self.index(seed)
        if self.kind == DRAWS:
            return self.arrays["draw"] == self.index(seed)
        return np.ones(self.arrays["Y_train"].shape[1], dtype=bool)

    def training_set(self, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """The examples and labels the replicate of ``seed`` trains on."""
        columns = self.training_columns(seed)
        return self.arrays["X_train"][:, columns], self.arrays["Y_train"][:, columns]

    def dev_set(self, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """The dev examples and labels the replicate of ``seed`` predicts."""
        columns = self.dev_columns(seed)
        X = self.arrays["X_train" if self.kind == FOLDS else "X_dev"]
        return X[:, columns], self.dev_labels[:, columns]

    def split_examples(self, seed: int) -> dict[str, np.ndarray]:
        """The examples (n_x, m) of each split as the replicate of ``seed`` sees it (see
        :meth:`split_labels`)."""
        return {
            "train": self.training_set(seed)[0],
            "dev": self.dev_set(seed)[0],
            "test": self.arrays["X_test"],
        }

    def split_labels(self, seed: int) -> dict[str, np.ndarray]:
        """The labels (1, m) of each split as the replicate of ``seed`` sees it: what it trains
        on, the dev examples it predicts, the test set."""
        return {
            "train": self.arrays["Y_train"][:, self.training_columns(seed)],
            "dev": self.dev_labels[:, self.dev_columns(seed)],
            "test": self.arrays["Y_test"],
        }

    def split_logits(self, seed: int, logits: dict) -> dict[str, np.ndarray]:
        """A network's logits (1, m) on the splits of :meth:`split_labels`, from the logits
        ``shallownet.fit_batch`` returns for it (``FitResult.logits``, trained with
        :meth:`fit_arguments` and the test set as ``X_eval["test"]``): with folds, its
        training columns and its held-out fold are both columns of ``train``."""
        if self.kind == FOLDS:
            train, dev = (
                logits["train"][self.training_columns(seed)],
                logits["train"][self.dev_columns(seed)],
            )
        else:
            train, dev = logits["train"], logits["dev"]
        return {
            split: values[np.newaxis, :]
            for split, values in (("train", train), ("dev", dev), ("test", logits["test"]))
        }

    def fit_arguments(self, seeds: Sequence[int]) -> dict:
        """``shallownet.fit_batch``'s data arguments for a batch of networks of these
        replicates (one seed per network): a shared training set with one training mask
        per network (folds), one training set per network (draws), or one for all (fixed);
        the shared dev set where there is one."""
        arrays = self.arrays
        if self.kind == FOLDS:
            masks = np.stack([self.training_columns(seed) for seed in seeds])
            return {"X": arrays["X_train"], "Y": arrays["Y_train"], "train_mask": masks}
        if self.kind == DRAWS:
            sets = [self.training_set(seed) for seed in seeds]
            shared = {"X": np.stack([X for X, _ in sets]), "Y": np.stack([Y for _, Y in sets])}
        else:
            shared = {"X": arrays["X_train"], "Y": arrays["Y_train"]}
        return shared | {"X_dev": arrays["X_dev"], "Y_dev": arrays["Y_dev"]}

    @property
    def dev_examples(self) -> int:
        """The number of dev examples: what a pooled dev score rests on."""
        return int(self.dev_labels.shape[1])


def load_replicates(path: str | os.PathLike) -> Replicates:
    """The replicates of a prepared file (:mod:`ablation.prepare`).

    Raises
    ------
    ValueError
        The file lacks the attributes of its dev split (prepared by an earlier version).
    """
    with h5py.File(path, "r") as file:
        if "dev_split" not in file.attrs or "replicate_seeds" not in file.attrs:
            raise ValueError(
                f"{path} does not record its dev split; prepare it again with: "
                f"snakemake --cores all --forcerun {path}"
            )
        kind = FIXED
        if file.attrs["dev_split"] == "resample":
            kind = FOLDS if "fold" in file else DRAWS
        seeds = tuple(int(seed) for seed in file.attrs["replicate_seeds"])
    return Replicates(kind, seeds, load_prepared(path))
