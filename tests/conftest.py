"""Shared pytest fixtures for the whole suite, and single-threaded BLAS for the test run."""

import os

# Before anything imports NumPy: one BLAS thread. The suite's matrices are small, and on a
# shared 2-core machine OpenBLAS's spinning worker threads make a loaded run up to 10x
# slower; single-threaded results are also the same whatever the machine's core count.
# Set OPENBLAS_NUM_THREADS yourself to override.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from pathlib import Path  # noqa: E402  (after the environment is set)

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# Property-based tests: a fixed budget and the same draws on every run, so CI is reproducible
# and stays within its time; HYPOTHESIS_PROFILE=thorough draws three times more, at random.
settings.register_profile("ci", max_examples=500, deadline=5000, derandomize=True, database=None)
settings.register_profile("thorough", max_examples=1500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
