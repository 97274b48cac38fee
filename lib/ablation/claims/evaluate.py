"""The claims table: every claim of the catalogue on every dataset, with verdicts.

:func:`evaluate` runs the checks (:data:`ablation.claims.checks.CHECKS`) on every dataset,
then sets one level for all intervals -- Bonferroni over the k intervals that decide a
verdict (premises and parts counted separately; exact checks and claims the data cannot
address are not tests and do not count), each at 1 - 0.05 / k, so that the chance of any
false verdict in the table stays below 5 % -- and decides each claim:

1. the data cannot address the claim: ``not applicable``, with the reason;
2. a premise is contradicted: ``not applicable`` (the claim's condition does not occur in
   the data); a premise that is inconclusive makes the claim inconclusive;
3. otherwise the parts' verdicts combine: contradicted if any part is, supported if all
   are, else inconclusive. A part resting on fewer than :data:`MIN_SEEDS` seeds is
   inconclusive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ablation.claims.catalogue import CATALOGUE
from ablation.claims.checks import CHECKS, Finding, Part
from ablation.claims.results import COST_THRESHOLD, DatasetResults
from ablation.statistics import Exact, Interval, family_confidence
from ablation.claims.units import format_interval, format_threshold
from ablation.claims.verdicts import (
    CONTRADICTED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    SUPPORTED,
    combine,
)

#: Fewer seeds than this give no interval worth a verdict.
MIN_SEEDS = 3

#: Columns of ``claims.csv``, in order. ``n`` says what the interval rests on in words
#: ("5 replicates x 50 test examples"); ``n_examples`` is 0 for effects without examples.
#: ``reason`` says why a claim is not applicable ("" otherwise). The effect columns
#: (``effect`` to ``n``) describe the first part that is not a premise, the headline, and
#: ``rule_kind`` (above, below, within), ``threshold`` and ``exact`` (an exact check, not an
#: interval) its rule, for figures: ``decision_rule`` says the same in words. ``n_parts``
#: counts the parts (premises included) the verdict rests on; empty effect columns (NaN
#: threshold, ``rule_kind`` "") mean the claim has no part.
CLAIM_COLUMNS = (
    "dataset",
    "claim_id",
    "claim",
    "test",
    "effect",
    "unit",
    "estimate",
    "ci_low",
    "ci_high",
    "confidence",
    "n_seeds",
    "n_examples",
    "n",
    "verdict",
    "reason",
    "decision_rule",
    "rule_kind",
    "threshold",
    "exact",
    "n_parts",
    "evidence",
    "figure",
)


def is_test(part: Part) -> bool:
    """Whether a part is a statistical test (an interval), not an exact check."""
    return not isinstance(part.estimate, Exact)


def family_size(findings: Sequence[Finding]) -> int:
    """k: the intervals that decide a verdict, over every finding of the table."""
    return sum(
        is_test(part)
        for finding in findings
        if finding.not_applicable is None
        for part in finding.parts
    )


def evaluate(datasets: Sequence[DatasetResults]) -> pd.DataFrame:
    """Every claim on every dataset.

    Returns
    -------
    DataFrame, shape (len(datasets) * len(CATALOGUE), len(CLAIM_COLUMNS))
        One row per dataset and claim, in dataset then catalogue order.
    """
    findings = [
        (results, claim_id, CHECKS[claim_id](results))
        for results in datasets
        for claim_id in CATALOGUE
    ]
    confidence = family_confidence(family_size([finding for *_, finding in findings]))
    rows = [_row(results, claim_id, finding, confidence) for results, claim_id, finding in findings]
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))


def part_verdict(part: Part, interval: Interval) -> str:
    """A part's verdict: its rule's, or inconclusive with fewer than :data:`MIN_SEEDS` seeds."""
    if is_test(part) and part.estimate.n_seeds < MIN_SEEDS:
        return INCONCLUSIVE
    return part.rule.decide(interval)


@dataclass(frozen=True)
class Judgement:
    """A finding decided at one level: the claim's verdict, why it is not applicable (or
    ""), and each part's interval and verdict."""

    verdict: str
    reason: str
    intervals: tuple[Interval, ...]
    part_verdicts: tuple[str, ...]


def judge(finding: Finding, confidence: float) -> Judgement:
    """Decide ``finding`` with intervals at ``confidence`` (see the module docstring)."""
    intervals = tuple(part.estimate.interval(confidence) for part in finding.parts)
    verdicts = tuple(
        part_verdict(part, interval) for part, interval in zip(finding.parts, intervals)
    )
    premises = [v for part, v in zip(finding.parts, verdicts) if part.premise]
    if finding.not_applicable is not None:
        verdict, reason = NOT_APPLICABLE, finding.not_applicable
    elif CONTRADICTED in premises:
        verdict, reason = NOT_APPLICABLE, "its premise does not hold in these data"
    elif INCONCLUSIVE in premises:
        verdict, reason = INCONCLUSIVE, ""
    else:
        verdict = combine([v for part, v in zip(finding.parts, verdicts) if not part.premise])
        reason = ""
    return Judgement(verdict, reason, intervals, verdicts)


def _row(results: DatasetResults, claim_id: str, finding: Finding, confidence: float) -> dict:
    text = CATALOGUE[claim_id]
    judgement = judge(finding, confidence)
    parts = list(zip(finding.parts, judgement.intervals, judgement.part_verdicts))
    lines = [
        f"{part.label}: {format_interval(interval, part.unit)} ({_n(part)}): {verdict}."
        for part, interval, verdict in parts
    ]
    reason = f"Not applicable: {judgement.reason}." if judgement.reason else ""
    evidence = " ".join([reason, finding.evidence, *lines]).strip()
    if judgement.verdict == INCONCLUSIVE and any(
        is_test(part) and part.estimate.n_seeds < MIN_SEEDS for part in finding.parts
    ):
        evidence += f" Fewer than {MIN_SEEDS} replicates behind a part: no verdict from it."
    metric = results.metric
    row = {
        "dataset": results.name,
        "claim_id": claim_id,
        "claim": text.claim,
        "test": text.test.format(
            metric=metric.score_name,
            cost=f"{COST_THRESHOLD:.3f}",
            margin=format_threshold(metric.margin, metric.unit),
        ),
        "effect": "",
        "unit": "",
        "estimate": float("nan"),
        "ci_low": float("nan"),
        "ci_high": float("nan"),
        "confidence": confidence,
        "n_seeds": 0,
        "n_examples": 0,
        "n": "",
        "verdict": judgement.verdict,
        "reason": judgement.reason,
        "decision_rule": _decision_rule(finding),
        "rule_kind": "",
        "threshold": float("nan"),
        "exact": False,
        "n_parts": len(finding.parts),
        "evidence": evidence,
        "figure": text.figure,
    }
    headline = next(((part, interval) for part, interval, _ in parts if not part.premise), None)
    if headline is not None:
        part, interval = headline
        row |= {
            "effect": part.label,
            "unit": part.unit,
            "estimate": interval.estimate,
            "ci_low": interval.low,
            "ci_high": interval.high,
            "n_seeds": part.estimate.n_seeds,
            "n_examples": part.estimate.n_examples,
            "n": _n(part),
            "rule_kind": part.rule.kind,
            "threshold": part.rule.threshold,
            "exact": not is_test(part),
        }
    return row


def _n(part: Part) -> str:
    """What an estimate rests on: seeds x examples, seeds, or networks of an exact check."""
    estimate = part.estimate
    if isinstance(estimate, Exact):
        return f"{estimate.n_networks} networks of {estimate.n_seeds} replicates, exact check"
    if estimate.n_examples:
        return f"{estimate.n_seeds} replicates x {estimate.n_examples} {estimate.split} examples"
    return f"{estimate.n_seeds} replicates"


def _decision_rule(finding: Finding) -> str:
    """Each part's rule in words, and how the parts make the verdict."""
    if not finding.parts:
        return "not applicable: the data cannot address the claim"
    rules = [
        ("premise " if part.premise else "")
        + f"{part.label}: "
        + part.rule.describe("the interval" if is_test(part) else "the value")
        for part in finding.parts
    ]
    text = "; ".join(rules)
    if any(part.premise for part in finding.parts):
        text += (
            ". A contradicted premise makes the claim not applicable, an inconclusive one "
            "inconclusive"
        )
    if sum(not part.premise for part in finding.parts) > 1:
        text += f". The claim is {SUPPORTED} if every part is, {CONTRADICTED} if any part is"
    return text
