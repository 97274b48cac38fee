"""Obtain a raw data file: a verified local copy, or a verified download.

The configured local file wins if it exists; otherwise the file is downloaded. Either way the
bytes are hashed while they are copied into a temporary file beside the destination, and the
temporary file is renamed onto the destination only if its SHA-256 matches the config. A
mismatch or a failed download leaves nothing at the destination.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from ablation.io import atomic_path

log = logging.getLogger(__name__)

_CHUNK_BYTES = 1 << 20


class FetchError(RuntimeError):
    """A raw data file could not be obtained or failed verification."""


def sha256_of(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch_verified(
    destination: str | os.PathLike,
    *,
    sha256: str,
    local_path: str | os.PathLike | None = None,
    url: str | None = None,
    timeout: float = 60.0,
) -> str:
    """Place a file with the expected SHA-256 at ``destination``.

    Parameters
    ----------
    destination : path
        Where the verified file goes (written atomically).
    sha256 : str
        Expected hex SHA-256 of the file's bytes.
    local_path : path, optional
        A local copy to use if it exists.
    url : str, optional
        Where to download the file from if there is no local copy.
    timeout : float
        Seconds to wait for the server.

    Returns
    -------
    str
        ``"local"`` or ``"download"``: where the bytes came from.

    Raises
    ------
    FetchError
        The local copy or the download has another SHA-256 (the message names the file and
        both sums), or there is no local copy and the download fails (the message says where
        to put the file).
    """
    expected = sha256.lower()
    if local_path is not None and Path(local_path).is_file():
        log.info("using local copy %s", local_path)
        with open(local_path, "rb") as source:
            _copy_verified(source, destination, expected, origin=str(local_path))
        return "local"
    if url is None:
        raise _no_source_error(local_path, expected)
    log.info("no local copy at %s; downloading %s", local_path, url)
    # Imported here, not at module scope: every training job imports this module (through
    # ablation.prepare), and urllib's HTTP stack costs it 15 ms.
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            _copy_verified(response, destination, expected, origin=url)
    except (urllib.error.URLError, OSError) as error:
        if isinstance(error, urllib.error.HTTPError):
            error.close()  # an HTTP error carries the open response
        raise FetchError(
            f"cannot download {url} ({getattr(error, 'reason', error)}) and there is no local "
            f"copy at {local_path}: put the file (sha256 {expected}) there, or check the "
            f"network and the URL"
        ) from error
    return "download"


def _copy_verified(source: BinaryIO, destination, expected: str, *, origin: str) -> None:
    """Copy ``source`` to ``destination`` atomically, keeping it only if its hash matches."""
    digest = hashlib.sha256()
    with atomic_path(destination) as temporary:
        with open(temporary, "wb") as target:
            for chunk in iter(lambda: source.read(_CHUNK_BYTES), b""):
                digest.update(chunk)
                target.write(chunk)
        _require_sum(
            digest.hexdigest(),
            expected,
            origin=origin,
            consequence=f"nothing was written to {destination}",
        )


def check_local_source(
    *, sha256: str, local_path: str | os.PathLike | None = None, url: str | None = None
) -> bool:
    """Check, without copying anything, what :func:`fetch_verified` would do with a source.

    Cheap enough to run before any job starts (it hashes the local copy once), so that a
    wrong file stops the whole workflow instead of only the jobs that read it.

    Parameters
    ----------
    sha256, local_path, url
        As for :func:`fetch_verified`.

    Returns
    -------
    bool
        True if the local copy exists (and has the expected SHA-256); False if there is none
        and the file will be downloaded from ``url``.

    Raises
    ------
    FetchError
        The local copy has another SHA-256, or there is neither a local copy nor a URL (the
        same messages as :func:`fetch_verified`).
    """
    expected = sha256.lower()
    if local_path is not None and Path(local_path).is_file():
        _require_sum(
            sha256_of(local_path),
            expected,
            origin=str(local_path),
            consequence="replace the file or correct its sha256 in the config",
        )
        return True
    if url is None:
        raise _no_source_error(local_path, expected)
    return False


#: The keys of a config ``files`` entry that say where its bytes come from; the others
#: (``x_key``, ``y_key``, ``names_key``) say what the file holds.
FETCH_KEYS = ("path", "url", "sha256")


def fetch_settings(source: Mapping[str, str]) -> dict:
    """The :data:`FETCH_KEYS` of a config ``files`` entry, sorted: two entries with equal
    settings name the same file, fetched once."""
    return {key: source[key] for key in sorted(FETCH_KEYS) if key in source}


def layout_settings(source: Mapping[str, str]) -> dict:
    """The keys of a config ``files`` entry other than :data:`FETCH_KEYS` (what the file
    holds where), sorted."""
    return {key: source[key] for key in sorted(source) if key not in FETCH_KEYS}


def source_arguments(source: Mapping[str, str]) -> dict:
    """A config ``files`` entry (``path``, ``url``, ``sha256``) as keyword arguments of
    :func:`fetch_verified` and :func:`check_local_source`."""
    return {"sha256": source["sha256"], "local_path": source.get("path"), "url": source.get("url")}


def _require_sum(actual: str, expected: str, *, origin: str, consequence: str) -> None:
    if actual != expected:
        raise FetchError(
            f"checksum mismatch for {origin}: expected sha256 {expected}, got {actual}; "
            f"{consequence}"
        )


def _no_source_error(local_path, expected: str) -> FetchError:
    return FetchError(
        f"{local_path} does not exist and no URL is configured: "
        f"put the file (sha256 {expected}) at {local_path}"
    )
