"""Numeric faults are errors: the regime of every workflow job and of the data check that the
main Snakemake process runs before any job.

A numeric fault is an overflow, an invalid operation (a NaN made from numbers), a division by
zero, or a cast that loses information (complex to real). NumPy only warns about them, a
warning in a job log is easily missed, and the results computed past it are garbage; so every
job turns them into errors (:func:`raise_numeric_faults`, called by
:func:`ablation.logs.start_job`), and the data check runs inside :func:`numeric_faults`.

The regime is NumPy's warnings for overflow, invalid values and division by zero, each made an
error by the ``RuntimeWarning`` category (``ComplexWarning`` and NumPy's and SciPy's other
numeric warnings are ``RuntimeWarning`` too): the same guarantee the test suite has. It is
not ``np.seterr(all="raise")``, which would also raise inside library code that deliberately
silences such a warning (pandas casts arrays holding NaN under ``warnings.catch_warnings``).
Underflow stays silent: a result rounded to zero or to a subnormal is the right answer to
float64's precision.

Code that handles a fault itself opts out where it does, with ``np.errstate``: training
detects a diverging network from its non-finite cost (``shallownet.fit_batch``), records it as
``diverged`` and trains its batch-mates on.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

#: NumPy's floating-point error handling under the regime (``np.seterr`` keywords).
ERRSTATE = {"over": "warn", "invalid": "warn", "divide": "warn", "under": "ignore"}
#: The warning category made an error.
FAULTS = RuntimeWarning
#: The exceptions a numeric fault raises: the warning made an error, or NumPy's own error
#: where code asks for one (``np.errstate(over="raise")``).
FAULT_ERRORS = (FAULTS, FloatingPointError)


class NumericFault(ArithmeticError):
    """A numeric fault where the workflow does not expect one; the message says where (the
    dataset and file and key, or the job and its cell) and what went wrong."""


def raise_numeric_faults() -> None:
    """Make numeric faults errors for the rest of the process (a workflow job)."""
    np.seterr(**ERRSTATE)
    warnings.simplefilter("error", FAULTS)


@contextmanager
def numeric_faults(where: str) -> Iterator[None]:
    """Numeric faults inside are errors, raised as :class:`NumericFault` ``"<where>: <what>"``.

    The process's own settings are restored on leaving: the main Snakemake process runs the
    data check inside, and nothing else of it.
    """
    with np.errstate(**ERRSTATE), warnings.catch_warnings():
        warnings.simplefilter("error", FAULTS)
        try:
            yield
        except FAULT_ERRORS as fault:
            raise NumericFault(f"{where}: {describe(fault)}") from fault


def describe(fault: BaseException) -> str:
    """What went wrong, e.g. ``numeric fault (overflow encountered in square)``."""
    return f"numeric fault ({fault})"
