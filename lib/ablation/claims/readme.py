"""Regenerate the documentation's claims sections from ``results/claims.csv``.

``python -m ablation.claims.readme results/claims.csv README.md docs/method.md`` (``make
claims-docs``) rewrites two generated sections from that run's claims table:

- in the README, between the lines :data:`HEADLINE_BEGIN` and :data:`HEADLINE_END`, the
  headline: each dataset's count of claims per verdict, with the claims' ids;
- in docs/method.md, between :data:`BEGIN` and :data:`END`, the whole table: how it was made,
  one line per dataset and claim, and the claims as tested.

The rest of both documents is left byte for byte, so the numbers they show can never drift
from a run's. Either both documents are updated or, on any error, neither.
"""

from __future__ import annotations

import argparse

import pandas as pd

from ablation.claims.evaluate import CLAIM_COLUMNS
from ablation.claims.render import method_text, summary_lines
from ablation.claims.verdicts import VERDICTS
from ablation.io import read_table, write_text

BEGIN = "<!-- claims:begin -->"
END = "<!-- claims:end -->"
HEADLINE_BEGIN = "<!-- claims-headline:begin -->"
HEADLINE_END = "<!-- claims-headline:end -->"
#: The command that regenerates the sections, named in them.
COMMAND = "make claims-docs"


def _checked(table: pd.DataFrame, source: str) -> pd.DataFrame:
    missing = [column for column in CLAIM_COLUMNS if column not in table.columns]
    if missing:
        raise ValueError(f"{source} is not a claims table: it lacks the columns {missing}")
    return table


def _generated_by(source: str) -> str:
    return f"*Generated from `{source}` by `{COMMAND}`; edit the claims code, not this text."


def claims_section(table: pd.DataFrame, source: str) -> str:
    """The whole claims table (docs/method.md), from a claims table read from ``source``."""
    claims = _checked(table, source).drop_duplicates("claim_id")
    lines = [
        f"{_generated_by(source)} `results/claims.md` gives each claim's test, rule and numbers.*",
        "",
    ]
    for paragraph in method_text(table):
        lines += [paragraph, ""]
    lines += summary_lines(table)
    lines += ["", "Claims, as tested:", ""]
    lines += [f"- **{row.claim_id}** {row.claim}" for row in claims.itertuples()]
    return "\n".join(lines)


def claims_headline(table: pd.DataFrame, source: str) -> str:
    """The README's headline: per dataset (rows, in the table's order) and verdict (columns),
    how many claims got it and which."""
    _checked(table, source)
    lines = [
        f"{_generated_by(source)}*",
        "",
        "| dataset | " + " | ".join(VERDICTS) + " |",
        "|---|" + "---|" * len(VERDICTS),
    ]
    for dataset, rows in table.groupby("dataset", sort=False):
        cells = []
        for verdict in VERDICTS:
            ids = list(rows.loc[rows["verdict"] == verdict, "claim_id"].astype(str))
            cells.append(f"{len(ids)}: {', '.join(ids)}" if ids else "0")
        lines.append(f"| {dataset} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def replace_section(document: str, section: str, begin: str = BEGIN, end: str = END) -> str:
    """``document`` with the text between its ``begin`` and ``end`` lines replaced.

    Raises
    ------
    ValueError
        Unless each marker stands exactly once, on a line of its own, ``begin`` before ``end``.
    """
    lines = document.split("\n")
    positions = {
        marker: [i for i, line in enumerate(lines) if line.strip() == marker]
        for marker in (begin, end)
    }
    if any(len(found) != 1 for found in positions.values()):
        counts = ", ".join(f"{marker} {len(found)}x" for marker, found in positions.items())
        raise ValueError(f"expected each claims marker once on a line of its own, found {counts}")
    first, last = positions[begin][0], positions[end][0]
    if last < first:
        raise ValueError(f"{end} comes before {begin}")
    return "\n".join([*lines[: first + 1], section, *lines[last:]])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("claims", help="claims.csv of a run (results/claims.csv)")
    parser.add_argument("readme", help="the document holding the headline (README.md)")
    parser.add_argument("method", help="the document holding the whole table (docs/method.md)")
    args = parser.parse_args(argv)
    updates = {}
    for path, render, markers in (
        (args.readme, claims_headline, (HEADLINE_BEGIN, HEADLINE_END)),
        (args.method, claims_section, (BEGIN, END)),
    ):
        try:
            with open(path, encoding="utf-8") as file:
                document = file.read()
            section = render(read_table(args.claims), args.claims)
            updates[path] = replace_section(document, section, *markers)
        except (OSError, ValueError) as error:
            parser.exit(1, f"cannot update {path}: {error}\n")
    for path, updated in updates.items():
        write_text(path, updated)


if __name__ == "__main__":
    main()
