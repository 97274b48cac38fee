"""Shared pytest fixtures for the whole suite."""

import os
from pathlib import Path

import pytest

#: The course's cat data, beside the repository: <repo>/../shared/data/catvnoncat.
CAT_DATA_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "catvnoncat"


@pytest.fixture(scope="session")
def cat_data_dir() -> Path:
    """Directory holding train_catvnoncat.h5 and test_catvnoncat.h5.

    Skips the test when the data is absent locally; in CI (CI=true) absence is a failure.
    """
    files = [CAT_DATA_DIR / f"{split}_catvnoncat.h5" for split in ("train", "test")]
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        message = f"cat data not found: {missing}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CAT_DATA_DIR.resolve()
