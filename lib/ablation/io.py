"""Atomic file writes and checked reads.

Every output is written to a temporary file in the destination's directory and then renamed
over the destination with :func:`os.replace`, which is atomic on POSIX file systems. A job
killed mid-write therefore leaves either the previous file or no file, never a truncated one.
A table whose name ends in ``.gz`` is written gzip-compressed, with no name or time in its
header, so that equal tables still give byte-identical files.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

# The process's umask, read once (os.umask can only be read by setting it).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` if the block succeeds.

    The temporary file lives in the same directory (a rename across file systems is not
    atomic) and is removed if the block raises. Parent directories are created.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(temporary)
    # mkstemp makes the file private (0600); give it the permissions a plain open() would.
    temporary.chmod(0o666 & ~_UMASK)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def json_safe(value):
    """Return ``value`` with NumPy scalars made Python numbers and non-finite floats made None.

    JSON has no NaN or infinity; a diverged cell's cost is recorded as ``null``.
    """
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_json(path: str | os.PathLike, data: Mapping) -> None:
    """Write ``data`` as JSON with sorted keys, so equal data give byte-identical files."""
    write_text(path, json.dumps(json_safe(data), indent=2, sort_keys=True, allow_nan=False) + "\n")


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write a text file atomically."""
    with atomic_path(path) as temporary:
        temporary.write_text(text)


#: The fastest deflate level: a table of floats compresses nearly as well as at gzip's default
#: (9) in a small fraction of its time, which every train job pays for its history.
_GZIP_LEVEL = 1


@contextmanager
def text_output(path: str | os.PathLike) -> Iterator[io.TextIOBase]:
    """A text stream writing ``path`` atomically (:func:`atomic_path`); gzip-compressed when
    the name ends in ``.gz``, deterministically (no file name or time in the gzip header)."""
    with atomic_path(path) as temporary, open(temporary, "wb") as raw:
        if not str(path).endswith(".gz"):
            with io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
                yield text
            return
        with gzip.GzipFile(
            fileobj=raw, mode="wb", filename="", mtime=0, compresslevel=_GZIP_LEVEL
        ) as compressed:
            with io.TextIOWrapper(compressed, encoding="utf-8", newline="") as text:
                yield text


def write_table(path: str | os.PathLike, table) -> None:
    """Write a pandas DataFrame as CSV (no index, ``\\n`` line ends) atomically, gzip-compressed
    if ``path`` ends in ``.gz``."""
    with text_output(path) as stream:
        table.to_csv(stream, index=False, lineterminator="\n")


def read_json(path: str | os.PathLike) -> dict:
    """Read a JSON object; ``ValueError`` naming the file if it is unreadable or not an object."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"cannot read {path}: {error}") from error
    if not isinstance(data, dict):
        raise ValueError(
            f"cannot read {path}: it holds a JSON {type(data).__name__}, not an object"
        )
    return data


def read_table(path: str | os.PathLike):
    """Read a CSV table as a pandas DataFrame; ``ValueError`` naming the file if it cannot be
    read. (pandas parses the floats :func:`write_records_csv` writes back exactly.)"""
    import pandas as pd  # kept out of module scope: training jobs import this module

    try:
        return pd.read_csv(path)
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read {path}: {error}") from error


def write_records_csv(
    path: str | os.PathLike, records: Sequence[Mapping], columns: Sequence[str]
) -> None:
    """Write ``records`` (dicts) as CSV with the given column order; None becomes empty;
    gzip-compressed if ``path`` ends in ``.gz``.

    Floats are written with :func:`repr`, the shortest text that reads back to the same
    float, so the file is deterministic and lossless.
    """
    with text_output(path) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow(_csv_field(json_safe(record.get(column))) for column in columns)


def _csv_field(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


#: The timestamp of every ``.npz`` entry (the earliest a zip file can hold).
_NPZ_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


def write_npz(path: str | os.PathLike, arrays: Mapping[str, np.ndarray]) -> None:
    """Save named arrays to a compressed ``.npz`` file that :func:`numpy.load` reads.

    Written entry by entry rather than with :func:`numpy.savez_compressed`, which stamps each
    entry with the current time: here equal arrays give byte-identical files. The fastest
    deflate level is enough: what compresses in these arrays (repeated rows, NaN rows, the
    high bytes of floats) compresses at once, and the trained values themselves do not.
    """
    with atomic_path(path) as temporary, zipfile.ZipFile(temporary, "w") as archive:
        for name, array in arrays.items():
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=_NPZ_ENTRY_TIME)
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asanyarray(array), allow_pickle=False)
            archive.writestr(
                entry, buffer.getvalue(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=1
            )
