"""The claims table (:data:`ablation.claims.evaluate.CLAIM_COLUMNS`) as Markdown and HTML.

Both open on the verdicts: per dataset, a compact table of one line per claim (claim,
verdict, effect [interval], n; a claim that is not applicable gives its reason instead of
its effect), in the order of the forest plot (:func:`ablation.claims.order.display_order`),
with each claim's test, rule and numbers one click away -- an HTML ``<details>`` element, a
link to a section of the Markdown. :func:`method_text` -- how the intervals are made, how the
error rate of the whole table is controlled, how a verdict is decided -- closes both.
:func:`summary_lines` (one Markdown table of every row) is the README's. Everything shown is
read from the table, so a ``claims.csv`` alone renders the same text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

import pandas as pd

from ablation.claims.order import display_order
from ablation.claims.units import format_interval, percent
from ablation.statistics import FAMILY_ERROR_RATE, Interval
from ablation.claims.verdicts import CONTRADICTED, INCONCLUSIVE, NOT_APPLICABLE, SUPPORTED

_VERDICT_COLOURS = {
    SUPPORTED: "#d8f0d8",
    CONTRADICTED: "#f6d6d6",
    INCONCLUSIVE: "#eeeeee",
    NOT_APPLICABLE: "#ffffff",
}
_SUMMARY_HEAD = ("dataset", "claim", "verdict", "effect [interval]", "n", "figure")
#: The columns of the compact table of each dataset.
_COMPACT_HEAD = ("claim", "verdict", "effect [interval]", "n")
_FIGURE_PATH = "results/{dataset}/figures/{figure}.png"


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
    """One Markdown table of every row, in display order (the README's)."""
    lines = [
        "| " + " | ".join(_SUMMARY_HEAD) + " |",
        "|" + "---|" * len(_SUMMARY_HEAD),
    ]
    for _, row in display_order(table).iterrows():
        lines.append(
            f"| {row['dataset']} | {row['claim_id']} | **{row['verdict']}** | "
            f"{effect_text(row)} | {_n_text(row)} | {row['figure']} |"
        )
    return lines


def _text(value) -> str:
    """A text column read back from ``claims.csv``: an empty text is NaN there."""
    return value if isinstance(value, str) else ""


def glance_text(row: Mapping) -> str:
    """The effect column of the compact table: the effect with its interval, or why the
    claim is not applicable."""
    if row["verdict"] == NOT_APPLICABLE:
        return _text(row["reason"]) or "see the numbers"
    return effect_text(row)


def anchor(row: Mapping) -> str:
    """The id of a row's details: ``<dataset>-<claim_id>``, lower case, other characters as
    dashes."""
    return re.sub(r"[^a-z0-9]+", "-", f"{row['dataset']}-{row['claim_id']}".lower()).strip("-")


def _details(row: Mapping, figure_path: str) -> list[tuple[str, str]]:
    """What one click shows: the claim, its test, rule and numbers, and its figure."""
    figure = figure_path.format(dataset=row["dataset"], figure=row["figure"])
    return [
        ("Claim", row["claim"]),
        ("Test", f"{row['test']}."),
        ("Effect", f"{effect_text(row)} ({_n_text(row)})."),
        ("Decided by", f"{row['decision_rule']}."),
        ("Numbers", row["evidence"]),
        ("Figure", figure),
    ]


def intro_text(table: pd.DataFrame) -> str:
    """The line above the tables: what a row shows and the level of its interval."""
    level = percent(float(table["confidence"].iloc[0]))
    return (
        f"One line per claim and dataset, in the order of the forest plot (claims.png): the "
        f"verdict and the claim's headline effect with its {level} interval (one level for "
        "the whole table, Bonferroni: see the end). Each claim's test, rule and numbers are "
        "one click away."
    )


def claims_markdown(table: pd.DataFrame, figure_path: str = _FIGURE_PATH) -> str:
    """The claims table in Markdown: per dataset a compact table whose claims link to their
    test, rule and numbers below, then how the table was made."""
    ordered = display_order(table)
    lines = ["# The lecture's claims, tested", "", intro_text(table)]
    for dataset, rows in ordered.groupby("dataset", sort=False):
        lines += [
            "",
            f"## {dataset} data",
            "",
            "| " + " | ".join(_COMPACT_HEAD) + " |",
            "|" + "---|" * len(_COMPACT_HEAD),
        ]
        lines += [
            f"| [{row['claim_id']}](#{anchor(row)}) | **{row['verdict']}** | "
            f"{glance_text(row)} | {_n_text(row)} |"
            for _, row in rows.iterrows()
        ]
    lines += ["", "## Each claim's test, rule and numbers"]
    for _, row in ordered.iterrows():
        lines += [
            "",
            f'<a id="{anchor(row)}"></a>',
            "",
            f"### {row['dataset']} {row['claim_id']}: {row['verdict']}",
            "",
        ]
        lines += [f"- {name}: {text}" for name, text in _details(row, f"`{figure_path}`")]
    lines += ["", "## How the table was made", ""]
    for paragraph in method_text(table):
        lines += [paragraph, ""]
    return "\n".join(lines)


_STYLE = (
    "body{font-family:sans-serif;font-size:13px;max-width:1100px}"
    ".row{display:grid;grid-template-columns:4em 8.5em 1fr 15em;gap:0 .8em;"
    "padding:3px 6px;border-bottom:1px solid #ddd;align-items:baseline}"
    ".head{font-weight:bold;border-bottom:2px solid #999}"
    "summary{list-style:none;cursor:pointer}summary::-webkit-details-marker{display:none}"
    "summary:hover{background:#f4f4f4}"
    "summary .id::before{content:'\\25B8  ';color:#777}"
    "details[open] summary .id::before{content:'\\25BE  '}"
    ".verdict{padding:0 4px;border-radius:3px}"
    ".more{margin:0;padding:4px 8px 10px 4.8em;border-bottom:1px solid #ddd;background:#fafafa}"
    ".more dt{font-weight:bold;margin-top:4px}.more dd{margin-left:1.5em}"
)


def _html_row(row: Mapping) -> str:
    """One claim: its compact line as the summary of a ``<details>`` holding the rest."""
    cells = (
        f'<span class="id">{html.escape(str(row["claim_id"]))}</span>'
        f'<span class="verdict" style="background:{_VERDICT_COLOURS[row["verdict"]]}">'
        f'{html.escape(row["verdict"])}</span>'
        f"<span>{html.escape(glance_text(row))}</span>"
        f"<span>{html.escape(_n_text(row))}</span>"
    )
    more = "".join(
        f"<dt>{name}</dt><dd>{html.escape(str(text))}</dd>"
        for name, text in _details(row, _FIGURE_PATH)
    )
    return (
        f'<details class="claim" id="{anchor(row)}"><summary class="row">{cells}</summary>'
        f'<dl class="more">{more}</dl></details>'
    )


def claims_html(table: pd.DataFrame) -> str:
    """The claims table as a self-contained HTML page, for the Snakemake report."""
    ordered = display_order(table)
    head = '<div class="row head">' + "".join(
        f"<span>{html.escape(name)}</span>" for name in _COMPACT_HEAD
    )
    sections = "".join(
        f"<h2>{html.escape(str(dataset))} data</h2>{head}</div>"
        + "".join(_html_row(row) for _, row in rows.iterrows())
        for dataset, rows in ordered.groupby("dataset", sort=False)
    )
    method = "".join(
        f"<p>{html.escape(paragraph).replace('**', '')}</p>" for paragraph in method_text(table)
    )
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8"><title>Claims</title><style>'
        + _STYLE
        + "</style></head><body><h1>The lecture's claims, tested</h1>"
        + f"<p>{html.escape(intro_text(table))}</p>"
        + sections
        + "<h2>How the table was made</h2>"
        + method
        + "</body></html>\n"
    )
