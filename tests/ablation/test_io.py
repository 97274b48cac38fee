"""Atomic writes: a failed write leaves the previous file and no temporary file behind."""

import json
import math

import numpy as np
import pytest

from ablation.io import (
    atomic_path,
    read_json,
    read_table,
    write_json,
    write_npz,
    write_records_csv,
    write_table,
)


def test_failed_write_keeps_the_previous_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "metrics.json"
    write_json(target, {"a": 1})
    with pytest.raises(RuntimeError, match="killed"):
        with atomic_path(target) as temporary:
            temporary.write_text('{"a": ')  # a truncated write ...
            raise RuntimeError("killed")  # ... interrupted before the rename
    assert read_json(target) == {"a": 1}
    assert [path.name for path in tmp_path.iterdir()] == ["metrics.json"]


def test_temporary_file_is_in_the_destination_directory(tmp_path):
    target = tmp_path / "sub" / "dir" / "file.txt"
    with atomic_path(target) as temporary:
        assert temporary.parent == target.parent
        assert not target.exists()
        temporary.write_text("done")
    assert target.read_text() == "done"


def test_json_is_deterministic_and_has_no_nan(tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    write_json(first, {"b": np.float64(0.5), "a": [np.int64(3), math.nan], "c": math.inf})
    write_json(second, {"c": math.inf, "a": [3, math.nan], "b": 0.5})
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text()) == {"a": [3, None], "b": 0.5, "c": None}


def test_records_csv_round_trips_floats_and_writes_none_as_empty(tmp_path):
    target = tmp_path / "history.csv"
    value = 0.1 + 0.2
    write_records_csv(
        target, [{"iteration": 0, "cost": value, "dev": None}], ["iteration", "cost", "dev"]
    )
    header, row = target.read_text().splitlines()
    assert header == "iteration,cost,dev"
    iteration, cost, dev = row.split(",")
    assert (iteration, float(cost), dev) == ("0", value, "")


def test_read_json_names_the_file_when_corrupted(tmp_path):
    target = tmp_path / "metrics.json"
    target.write_text('{"status": "ok", "dev_acc')
    with pytest.raises(ValueError, match=f"cannot read {target}"):
        read_json(target)
    target.write_text("[1, 2]")
    with pytest.raises(ValueError, match="not an object"):
        read_json(target)


def test_npz_writes(tmp_path):
    arrays = {"W1": np.arange(6.0).reshape(2, 3), "b1": np.zeros((2, 1))}
    write_npz(tmp_path / "params.npz", arrays)
    with np.load(tmp_path / "params.npz") as loaded:
        np.testing.assert_array_equal(loaded["W1"], arrays["W1"])


def test_atomic_files_get_ordinary_permissions(tmp_path):
    # mkstemp's private 0600 would make results unreadable to the rest of a group
    write_json(tmp_path / "m.json", {})
    expected = 0o666 & ~_current_umask()
    assert (tmp_path / "m.json").stat().st_mode & 0o777 == expected


def _current_umask():
    import os

    umask = os.umask(0)
    os.umask(umask)
    return umask


def test_gz_tables_are_compressed_deterministic_and_read_back(tmp_path):
    import pandas as pd

    table = pd.DataFrame({"iteration": [0, 100], "cost": [0.6931471805599453, 0.1 + 0.2]})
    records = table.to_dict("records")
    written = {}
    for name in ("a", "b"):  # two names: the file name is not in the gzip header
        write_table(tmp_path / name / "table.csv.gz", table)
        write_records_csv(tmp_path / name / "records.csv.gz", records, ["iteration", "cost"])
        written[name] = [
            (tmp_path / name / file).read_bytes() for file in ("table.csv.gz", "records.csv.gz")
        ]
    assert written["a"] == written["b"]
    assert all(data[:2] == b"\x1f\x8b" for data in written["a"])  # gzip's magic number
    for file in ("table.csv.gz", "records.csv.gz"):
        pd.testing.assert_frame_equal(read_table(tmp_path / "a" / file), table)
