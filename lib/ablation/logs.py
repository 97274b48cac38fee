"""Logging set-up shared by the workflow scripts."""

from __future__ import annotations

import logging
import os
import sys


def log_to(path: str | os.PathLike) -> None:
    """Send the script's log records, and any uncaught exception, to the rule's log file.

    The exception still reaches stderr too (the default hook runs after logging it), so
    Snakemake's console shows the error message and the log file keeps the full record.
    """
    logging.basicConfig(
        filename=path,
        filemode="w",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.captureWarnings(True)

    def log_then_raise(kind, error, traceback):
        logging.getLogger("uncaught").error(
            "stopped by an error", exc_info=(kind, error, traceback)
        )
        sys.__excepthook__(kind, error, traceback)

    sys.excepthook = log_then_raise
