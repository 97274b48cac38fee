"""The claims table (:data:`ablation.claims.evaluate.CLAIM_COLUMNS`) as Markdown and HTML.

Both start with :func:`method_text` -- how the intervals are made, how the error rate of
the whole table is controlled, how a verdict is decided -- then give one line per dataset
and claim (:func:`summary_lines` for Markdown, also used by the README), then each claim's
test, rule and numbers. Everything shown is read from the table, so a ``claims.csv`` alone
renders the same text.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd

from ablation.statistics import FAMILY_ERROR_RATE, Interval
from ablation.claims.units import format_interval
from ablation.claims.verdicts import CONTRADICTED, INCONCLUSIVE, NOT_APPLICABLE, SUPPORTED

_VERDICT_COLOURS = {
    SUPPORTED: "#d8f0d8",
    CONTRADICTED: "#f6d6d6",
    INCONCLUSIVE: "#eeeeee",
    NOT_APPLICABLE: "#ffffff",
}
_SUMMARY_HEAD = ("dataset", "claim", "verdict", "effect [interval]", "n", "figure")


def intervals_in_family(confidence: float) -> int:
    """The number k of decisive intervals behind a Bonferroni level 1 - 0.05 / k."""
    return max(1, round(FAMILY_ERROR_RATE / (1 - confidence)))


def method_text(table: pd.DataFrame) -> list[str]:
    """Paragraphs saying how the table was made (level, k, intervals, verdicts)."""
    confidence = float(table["confidence"].iloc[0])
    k = intervals_in_family(confidence)
    level = f"{100 * confidence:.2f} %"
    return [
        "Effects on predictions are measured on the test examples with the workflow's "
        "selection metric (`selection.metric`; balanced accuracy by default: a constant "
        "predictor scores exactly 50 % whatever the class mix, so a shift of the class mix "
        "between dev and test cannot reward one), each configuration at its learning rate "
        "selected on the pooled dev predictions of its replicates, never on test. A replicate "
        "is a seed: its data split and its starting weights. Both sides of a comparison are "
        "paired on the replicates and the test examples; settings are averaged within a "
        "replicate first. The interval is crossed over both sources of noise: the replicates' "
        "part (the variance of the per-replicate effects) at a Student t quantile with "
        "replicates - 1 degrees of freedom, the examples' part (their variance within each "
        "class, less the replicate-by-example interaction the first part already counts) at "
        "the examples' Welch-Satterthwaite quantile, the two half-widths added in quadrature; "
        "simulations at five replicates keep each tail at or below its nominal rate "
        "(tests/ablation/test_statistics.py). Effects of training dynamics (iterations to a "
        "low training cost, saturated share) have no examples: a Student t interval over the "
        "replicates. Every bound is closed-form: no resampling, no Monte Carlo error. n counts "
        "replicates x examples.",
        f"Many claims are tested at once: each of the k = {k} intervals that decide a verdict "
        f"is a {level} interval (Bonferroni, 1 - {FAMILY_ERROR_RATE:g} / k), so the chance "
        f"that any verdict of the table is wrong stays below {100 * FAMILY_ERROR_RATE:g} %. "
        "Exact checks of structural facts are not estimates and do not count.",
        "Verdicts: **supported** if the interval lies wholly in the region the claim "
        "predicts, **contradicted** if it lies wholly outside it, **inconclusive** if it "
        "straddles the threshold (regions never overlap; each row's rule gives the "
        "threshold); **not applicable** if the claim's premise does not hold in the data or "
        "the data cannot address it (the row says why).",
    ]


def effect_text(row: Mapping) -> str:
    """``effect: estimate [low, high]``, or just the effect's absence."""
    # Read back from claims.csv, an empty text is NaN.
    if not isinstance(row["effect"], str) or not row["effect"]:
        return "n/a"
    interval = Interval(row["estimate"], row["ci_low"], row["ci_high"], row["confidence"])
    return f"{row['effect']}: {format_interval(interval, row['unit'])}"


def _n_text(row: Mapping) -> str:
    n = row["n"]
    return n if isinstance(n, str) and n else "-"


def summary_lines(table: pd.DataFrame) -> list[str]:
    """The one-line-per-claim Markdown table."""
    lines = [
        "| " + " | ".join(_SUMMARY_HEAD) + " |",
        "|" + "---|" * len(_SUMMARY_HEAD),
    ]
    for row in table.to_dict("records"):
        lines.append(
            f"| {row['dataset']} | {row['claim_id']} | **{row['verdict']}** | "
            f"{effect_text(row)} | {_n_text(row)} | {row['figure']} |"
        )
    return lines


def claims_markdown(
    table: pd.DataFrame, figure_path: str = "results/{dataset}/figures/{figure}.png"
) -> str:
    """The claims table in Markdown: method, summary, then each claim's test and numbers."""
    lines = ["# The lecture's claims, tested", ""]
    for paragraph in method_text(table):
        lines += [paragraph, ""]
    lines += summary_lines(table)
    for row in table.to_dict("records"):
        figure = figure_path.format(dataset=row["dataset"], figure=row["figure"])
        lines += [
            "",
            f"## {row['dataset']} {row['claim_id']}: {row['verdict']}",
            "",
            row["claim"],
            "",
            f"- Test: {row['test']}.",
            f"- Effect: {effect_text(row)} ({_n_text(row)}).",
            f"- Decided by: {row['decision_rule']}.",
            f"- Numbers: {row['evidence']}",
            f"- Figure: `{figure}`",
        ]
    return "\n".join(lines) + "\n"


def claims_html(table: pd.DataFrame) -> str:
    """The claims table as a self-contained HTML page, for the Snakemake report."""
    head = (
        "dataset",
        "claim",
        "claim in one sentence",
        "verdict",
        "effect [interval]",
        "n",
        "test",
        "decided by",
        "numbers",
        "figure",
    )
    rows = []
    for row in table.to_dict("records"):
        values = (
            row["dataset"],
            row["claim_id"],
            row["claim"],
            row["verdict"],
            effect_text(row),
            _n_text(row),
            row["test"],
            row["decision_rule"],
            row["evidence"],
            row["figure"],
        )
        rows.append(
            f'<tr style="background:{_VERDICT_COLOURS[row["verdict"]]}">'
            + "".join(f"<td>{html.escape(str(value))}</td>" for value in values)
            + "</tr>"
        )
    method = "".join(
        f"<p>{html.escape(paragraph).replace('**', '')}</p>" for paragraph in method_text(table)
    )
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8"><title>Claims</title><style>'
        "body{font-family:sans-serif;font-size:13px}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px;vertical-align:top;text-align:left}"
        "</style></head><body><h1>The lecture's claims, tested</h1>"
        + method
        + "<table><tr>"
        + "".join(f"<th>{html.escape(name)}</th>" for name in head)
        + "</tr>"
        + "".join(rows)
        + "</table></body></html>\n"
    )
