"""Fetching raw data: local copy, real download from a local HTTP server, corrupted, offline."""

import functools
import http.server
import shutil
import threading

import pytest

from ablation.fetch import FetchError, fetch_verified, sha256_of

TRAIN_FILE = "train_catvnoncat.h5"
TRAIN_SHA256 = "fbe56ab67c3ae28d564e3a644189117976d6b31af0a3ce9bb17dbf22908af242"


@pytest.fixture
def served(tmp_path):
    """A directory served over HTTP on 127.0.0.1; yields (directory, base URL)."""
    directory = tmp_path / "served"
    directory.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield directory, f"http://127.0.0.1:{server.server_port}"
        server.shutdown()
        thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def corrupted_copy(source, target):
    data = bytearray(source.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def leftovers(directory):
    return sorted(path.name for path in directory.iterdir())


def test_shared_copy_has_the_published_sum(cat_data_dir):
    assert sha256_of(cat_data_dir / TRAIN_FILE) == TRAIN_SHA256


def test_local_copy_is_verified_and_copied(cat_data_dir, tmp_path):
    destination = tmp_path / "out" / "train.h5"
    origin = fetch_verified(
        destination,
        sha256=TRAIN_SHA256,
        local_path=cat_data_dir / TRAIN_FILE,
        url="http://127.0.0.1:9/unused",
    )
    assert origin == "local"
    assert destination.read_bytes() == (cat_data_dir / TRAIN_FILE).read_bytes()


def test_corrupted_local_copy_is_rejected_naming_file_and_both_sums(cat_data_dir, tmp_path):
    local = corrupted_copy(cat_data_dir / TRAIN_FILE, tmp_path / TRAIN_FILE)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(FetchError) as error:
        fetch_verified(out / "train.h5", sha256=TRAIN_SHA256, local_path=local)
    message = str(error.value)
    assert str(local) in message and TRAIN_SHA256 in message and sha256_of(local) in message
    assert leftovers(out) == []


def test_download_from_a_local_http_server(cat_data_dir, served, tmp_path):
    directory, base_url = served
    shutil.copyfile(cat_data_dir / TRAIN_FILE, directory / TRAIN_FILE)
    destination = tmp_path / "train.h5"
    origin = fetch_verified(
        destination,
        sha256=TRAIN_SHA256,
        local_path=tmp_path / "absent.h5",
        url=f"{base_url}/{TRAIN_FILE}",
    )
    assert origin == "download"
    assert sha256_of(destination) == TRAIN_SHA256


def test_corrupted_download_is_rejected_and_leaves_no_file(cat_data_dir, served, tmp_path):
    directory, base_url = served
    corrupted = corrupted_copy(cat_data_dir / TRAIN_FILE, directory / TRAIN_FILE)
    out = tmp_path / "out"
    out.mkdir()
    url = f"{base_url}/{TRAIN_FILE}"
    with pytest.raises(FetchError) as error:
        fetch_verified(
            out / "train.h5", sha256=TRAIN_SHA256, local_path=tmp_path / "absent.h5", url=url
        )
    message = str(error.value)
    assert url in message and TRAIN_SHA256 in message and sha256_of(corrupted) in message
    assert leftovers(out) == []


def test_offline_without_local_copy_says_where_to_put_the_file(served, tmp_path):
    _, base_url = served
    local = tmp_path / "data" / "raw" / TRAIN_FILE
    with pytest.raises(FetchError) as error:
        # 404 from a live server and a refused connection fail the same way
        fetch_verified(
            tmp_path / "train.h5",
            sha256=TRAIN_SHA256,
            local_path=local,
            url=f"{base_url}/missing.h5",
        )
    assert f"put the file (sha256 {TRAIN_SHA256}) there" in str(error.value)
    assert str(local) in str(error.value)
    assert not (tmp_path / "train.h5").exists()


def test_refused_connection_is_reported_like_offline(tmp_path):
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), _QuietHandler) as server:
        port = server.server_port  # bound, then closed: nothing listens there any more
    with pytest.raises(FetchError, match="cannot download .*put the file"):
        fetch_verified(
            tmp_path / "train.h5",
            sha256=TRAIN_SHA256,
            local_path=tmp_path / "absent.h5",
            url=f"http://127.0.0.1:{port}/{TRAIN_FILE}",
            timeout=5,
        )
