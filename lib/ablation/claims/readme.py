"""Regenerate the README's claims section from ``results/claims.csv``.

``python -m ablation.claims.readme results/claims.csv README.md`` (``make readme-claims``)
replaces what lies between the lines :data:`BEGIN` and :data:`END` of the README with the
claims table of that run: how it was made, one line per dataset and claim, and the claims as
tested. The rest of the README is left byte for byte, so the numbers it shows can never
drift from a run's.
"""

from __future__ import annotations

import argparse

import pandas as pd

from ablation.claims.evaluate import CLAIM_COLUMNS
from ablation.claims.render import method_text, summary_lines
from ablation.io import read_table, write_text

BEGIN = "<!-- claims:begin -->"
END = "<!-- claims:end -->"


def claims_section(table: pd.DataFrame, source: str) -> str:
    """The text between the markers, from a claims table read from ``source``."""
    missing = [column for column in CLAIM_COLUMNS if column not in table.columns]
    if missing:
        raise ValueError(f"{source} is not a claims table: it lacks the columns {missing}")
    claims = table.drop_duplicates("claim_id")
    lines = [
        f"*Generated from `{source}` by `make readme-claims`; edit the claims code, not this "
        "text. `results/claims.md` gives each claim's test, rule and numbers.*",
        "",
    ]
    for paragraph in method_text(table):
        lines += [paragraph, ""]
    lines += summary_lines(table)
    lines += ["", "Claims, as tested:", ""]
    lines += [f"- **{row.claim_id}** {row.claim}" for row in claims.itertuples()]
    return "\n".join(lines)


def replace_section(document: str, section: str) -> str:
    """``document`` with the text between its :data:`BEGIN` and :data:`END` lines replaced.

    Raises
    ------
    ValueError
        Unless each marker stands exactly once, on a line of its own, BEGIN before END.
    """
    lines = document.split("\n")
    positions = {
        marker: [i for i, line in enumerate(lines) if line.strip() == marker]
        for marker in (BEGIN, END)
    }
    if any(len(found) != 1 for found in positions.values()):
        counts = ", ".join(f"{marker} {len(found)}x" for marker, found in positions.items())
        raise ValueError(f"expected each claims marker once on a line of its own, found {counts}")
    begin, end = positions[BEGIN][0], positions[END][0]
    if end < begin:
        raise ValueError(f"{END} comes before {BEGIN}")
    return "\n".join([*lines[: begin + 1], section, *lines[end:]])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("claims", help="claims.csv of a run (results/claims.csv)")
    parser.add_argument("readme", help="the document to update in place (README.md)")
    args = parser.parse_args(argv)
    try:
        with open(args.readme, encoding="utf-8") as file:
            document = file.read()
        section = claims_section(read_table(args.claims), args.claims)
        updated = replace_section(document, section)
    except (OSError, ValueError) as error:
        parser.exit(1, f"cannot update {args.readme}: {error}\n")
    write_text(args.readme, updated)


if __name__ == "__main__":
    main()
