"""Verdicts: where a claim predicts its effect, and how an interval decides.

A :class:`Rule` has one threshold ``d`` and three regions that never overlap:

- ``above`` (the claim: the effect exceeds d): **supported** if the whole interval lies
  above d, **contradicted** if it lies wholly below d, **inconclusive** if it contains d;
- ``below``: the mirror image;
- ``within`` (an equivalence claim, |effect| < d): **supported** if the interval lies
  inside (-d, d), **contradicted** if it lies wholly outside it, else **inconclusive**.

**not applicable** is not decided by a rule: it is given when the claim's premise does not
hold in the data, or when the data cannot address the claim (:mod:`ablation.claims.checks`).
An interval with missing bounds (too few seeds) is inconclusive.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ablation.statistics import Interval

SUPPORTED = "supported"
CONTRADICTED = "contradicted"
INCONCLUSIVE = "inconclusive"
NOT_APPLICABLE = "not applicable"
#: Every verdict, in the order tables list them.
VERDICTS = (SUPPORTED, CONTRADICTED, INCONCLUSIVE, NOT_APPLICABLE)

_KINDS = ("above", "below", "within")


@dataclass(frozen=True)
class Rule:
    """The region a claim predicts for its effect: ``kind`` (above, below, within) and the
    threshold ``threshold``, written as ``threshold_text`` (the threshold in the effect's
    unit, e.g. "3 pp")."""

    kind: str
    threshold: float
    threshold_text: str

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"unknown rule kind {self.kind!r}; expected one of {_KINDS}")
        if self.kind == "within" and self.threshold <= 0:
            raise ValueError(f"an equivalence margin must be positive, got {self.threshold}")

    def decide(self, interval: Interval) -> str:
        """The verdict of ``interval``: see the module docstring."""
        low, high, d = interval.low, interval.high, self.threshold
        if math.isnan(low) or math.isnan(high):
            return INCONCLUSIVE
        if self.kind == "above":
            return SUPPORTED if low > d else CONTRADICTED if high < d else INCONCLUSIVE
        if self.kind == "below":
            return SUPPORTED if high < d else CONTRADICTED if low > d else INCONCLUSIVE
        if -d < low and high < d:
            return SUPPORTED
        return CONTRADICTED if low >= d or high <= -d else INCONCLUSIVE

    def describe(self, subject: str = "the interval") -> str:
        """The rule in words, about ``subject`` ("the value" for an exact check)."""
        d = self.threshold_text
        if self.kind == "within":
            return (
                f"supported if {subject} lies inside ±{d}, contradicted if it lies wholly "
                f"outside ±{d}, else inconclusive"
            )
        predicted, other = ("above", "below") if self.kind == "above" else ("below", "above")
        return (
            f"supported if {subject} lies {predicted} {d}, contradicted if it lies {other} "
            f"{d}, else inconclusive"
        )


def combine(verdicts: Sequence[str]) -> str:
    """The verdict of a claim made of parts: contradicted if any part is, supported if all
    are, else inconclusive."""
    if CONTRADICTED in verdicts:
        return CONTRADICTED
    if verdicts and all(verdict == SUPPORTED for verdict in verdicts):
        return SUPPORTED
    return INCONCLUSIVE
