"""The claims' decision rules and how they write numbers."""

from __future__ import annotations

import math

import pytest

from ablation.claims.units import format_interval, format_value
from ablation.claims.verdicts import (
    CONTRADICTED,
    INCONCLUSIVE,
    SUPPORTED,
    Rule,
    combine,
)
from ablation.statistics import Interval

# --------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    ("kind", "low", "high", "verdict"),
    [
        ("above", 0.04, 0.2, SUPPORTED),
        ("above", -0.1, 0.02, CONTRADICTED),
        ("above", 0.0, 0.05, INCONCLUSIVE),
        ("above", 0.03, 0.05, INCONCLUSIVE),  # touching the threshold is not beyond it
        ("below", -0.1, 0.02, SUPPORTED),
        ("below", 0.04, 0.2, CONTRADICTED),
        ("below", 0.0, 0.05, INCONCLUSIVE),
        ("within", -0.02, 0.02, SUPPORTED),
        ("within", 0.03, 0.1, CONTRADICTED),
        ("within", -0.2, -0.05, CONTRADICTED),
        ("within", 0.0, 0.05, INCONCLUSIVE),
        ("above", math.nan, math.nan, INCONCLUSIVE),
    ],
)
def test_rule_regions_never_overlap(kind, low, high, verdict):
    rule = Rule(kind, 0.03, "3.0 pp")
    assert rule.decide(Interval((low + high) / 2, low, high, 0.95)) == verdict


def test_rule_says_its_regions_in_words():
    assert Rule("above", 0.03, "3.0 pp").describe() == (
        "supported if the interval lies above 3.0 pp, contradicted if it lies below 3.0 pp, "
        "else inconclusive"
    )
    assert "inside ±3.0 pp" in Rule("within", 0.03, "3.0 pp").describe()
    assert Rule("below", 1e-12, "1e-12").describe("the value").startswith("supported if the value")
    with pytest.raises(ValueError, match="unknown rule kind"):
        Rule("greater", 0.0, "0")


def test_combine_parts():
    assert combine([SUPPORTED, SUPPORTED]) == SUPPORTED
    assert combine([SUPPORTED, CONTRADICTED]) == CONTRADICTED
    assert combine([SUPPORTED, INCONCLUSIVE]) == INCONCLUSIVE
    assert combine([]) == INCONCLUSIVE


def test_formats():
    assert format_value(0.0312, "accuracy") == "+3.1 pp"
    assert format_value(math.nan, "iterations") == "n/a"
    assert format_interval(Interval(0.1, 0.05, 0.2, 0.95), "accuracy") == (
        "+10.0 pp [+5.0 pp, +20.0 pp]"
    )
    assert format_interval(Interval(0.1, math.nan, math.nan, 0.95), "nats") == "+0.100 nats"
    with pytest.raises(ValueError, match="unknown unit"):
        format_value(1.0, "furlongs")
