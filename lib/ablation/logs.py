"""The set-up every workflow script starts with: its log, numeric faults as errors, and
uncaught errors named with the job."""

from __future__ import annotations

import logging
import sys

from ablation.faults import FAULT_ERRORS, NumericFault, describe, raise_numeric_faults

#: At most this many input files are named in a numeric fault's message.
_LISTED_INPUTS = 3


def start_job(job) -> None:
    """Set up a script of a workflow job; ``job`` is the script's ``snakemake`` object.

    The script's log records, and any uncaught exception, go to the rule's log file
    (``job.log[0]``). Numeric faults are errors for the rest of the job
    (:func:`ablation.faults.raise_numeric_faults`); one that stops it ends as a
    :class:`ablation.faults.NumericFault` naming the job: its rule, wildcards (the dataset,
    the cell) and input files. The exception still reaches stderr too (the default hook runs
    after logging it), so Snakemake's console shows the error message and the log file keeps
    the full record.
    """
    logging.basicConfig(
        filename=job.log[0],
        filemode="w",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.captureWarnings(True)
    raise_numeric_faults()

    def log_then_raise(kind, error, traceback):
        if isinstance(error, FAULT_ERRORS):
            fault = NumericFault(f"{describe_job(job)}: {describe(error)}")
            fault.__cause__ = error
            kind, error, traceback = NumericFault, fault, None
        logging.getLogger("uncaught").error(
            "stopped by an error", exc_info=(kind, error, traceback)
        )
        sys.__excepthook__(kind, error, traceback)

    sys.excepthook = log_then_raise


def describe_job(job) -> str:
    """``job <rule> (<wildcard>=<value>, ...; input <files>)``: which job, for a message."""
    parts = [", ".join(f"{name}={value}" for name, value in job.wildcards.items())]
    inputs = [str(path) for path in job.input]
    if inputs:
        more = len(inputs) - _LISTED_INPUTS
        listed = ", ".join(inputs[:_LISTED_INPUTS]) + (f" and {more} more" if more > 0 else "")
        parts.append(f"input {listed}")
    described = "; ".join(part for part in parts if part)
    return f"job {job.rule}" + (f" ({described})" if described else "")
