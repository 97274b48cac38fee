"""How the claims table writes a number of each unit."""

from __future__ import annotations

import math
from collections.abc import Callable

from ablation.statistics import Interval

#: Accuracies and shares in percentage points, the rest in their own unit.
_FORMATS: dict[str, Callable[[float], str]] = {
    "accuracy": lambda value: f"{100 * value:+.1f} pp",
    "share": lambda value: f"{100 * value:+.1f} pp",
    "nats": lambda value: f"{value:+.3f} nats",
    "iterations": lambda value: f"{value:+.0f} iterations",
    "distance": lambda value: f"{value:.3g}",
}
UNITS = tuple(_FORMATS)


def format_value(value: float, unit: str) -> str:
    """``value`` written in ``unit``; NaN (or None) becomes ``n/a``."""
    if unit not in _FORMATS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {UNITS}")
    if value is None or not math.isfinite(value):
        return "n/a"
    return _FORMATS[unit](value)


def format_threshold(value: float, unit: str) -> str:
    """A threshold: unsigned when positive ("above 3.0 pp", not "above +3.0 pp")."""
    text = format_value(value, unit)
    return text.lstrip("+")


def format_interval(interval: Interval, unit: str) -> str:
    """``estimate [low, high]``; a point (no noise, or no bounds) is just the estimate."""
    estimate = format_value(interval.estimate, unit)
    if not (math.isfinite(interval.low) and math.isfinite(interval.high)):
        return estimate
    if interval.low == interval.high:
        return estimate
    return f"{estimate} [{format_value(interval.low, unit)}, {format_value(interval.high, unit)}]"


def percent(value: float) -> str:
    """A level or a share as a plain percentage ("66.7 %")."""
    return "n/a" if value is None or not math.isfinite(value) else f"{100 * value:.1f} %"
