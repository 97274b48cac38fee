"""Hand-written rows of ``claims.csv`` for the tests of what shows the claims (order, forest
plot, claims.html/md): every verdict, rule kind and unit, an exact check, claims not
applicable with and without an effect, an interval without bounds, units interleaved in the
table's order. Claim ids are made up: nothing downstream of ``claims.csv`` may depend on
which claims the catalogue holds.
"""

from __future__ import annotations

import math

import pandas as pd

from ablation.claims import CLAIM_COLUMNS

NAN = math.nan
CONFIDENCE = 0.9975
#: (dataset, claim_id, unit, rule_kind, threshold, estimate, ci_low, ci_high, verdict, exact,
#: n_parts, reason)
# fmt: off
ROWS = [
    ("cat", "a1", "accuracy", "within", 0.03, -0.016, -0.076, 0.055, "inconclusive", False, 1, ""),
    ("cat", "a2", "distance", "below", 1e-12, 0.0, 0.0, 0.0, "supported", True, 1, ""),
    ("cat", "b1", "iterations", "below", 125.0, 1632, 1260, 2004, "contradicted", False, 2, ""),
    ("cat", "b2", "accuracy", "above", 0.1, -0.036, -0.14, 0.081, "not applicable", False, 1,
     "the lecture makes this claim for the planar data"),
    ("cat", "b3", "iterations", "above", 125.0, 967, 759, 1174, "supported", False, 1, ""),
    ("cat", "c1", "", "", NAN, NAN, NAN, NAN, "not applicable", False, 0,
     "one leaky ReLU slope was run"),
    ("cat", "c2", "accuracy", "above", -0.03, -0.097, -0.154, -0.035, "contradicted", False, 1,
     ""),
    ("planar", "a1", "accuracy", "above", 0.1, 0.28, 0.19, 0.38, "supported", False, 1, ""),
    ("planar", "b1", "share", "above", 0.05, 0.4, 0.3, 0.5, "supported", False, 2, ""),
    ("planar", "b2", "accuracy", "above", 0.03, 0.05, NAN, NAN, "inconclusive", False, 1, ""),
    ("planar", "c1", "nats", "within", 0.05, 0.01, -0.08, 0.1, "inconclusive", False, 1, ""),
]
# fmt: on
_FIELDS = (
    "dataset",
    "claim_id",
    "unit",
    "rule_kind",
    "threshold",
    "estimate",
    "ci_low",
    "ci_high",
    "verdict",
    "exact",
    "n_parts",
    "reason",
)


def claims_table(rows=ROWS) -> pd.DataFrame:
    """A claims table (every column of ``claims.csv``) of ``rows``."""
    records = []
    for values in rows:
        row = dict(zip(_FIELDS, values))
        has_effect = bool(row["unit"])
        records.append(
            row
            | {
                "claim": f"Claim {row['claim_id']} says something.",
                "test": f"the test of {row['claim_id']}",
                "effect": f"effect of {row['claim_id']}" if has_effect else "",
                "confidence": CONFIDENCE,
                "n_seeds": 5 if has_effect else 0,
                "n_examples": 50 if row["unit"] == "accuracy" else 0,
                "n": "5 seeds x 50 test examples" if has_effect else "",
                "decision_rule": f"rule of {row['claim_id']}",
                "evidence": f"numbers of {row['claim_id']}",
                "figure": "heatmap",
            }
        )
    return pd.DataFrame(records, columns=list(CLAIM_COLUMNS))
