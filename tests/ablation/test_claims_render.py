"""claims.html and claims.md: compact per-dataset tables in the forest plot's order, each
claim's test, rule and numbers one click away, the method last."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from claims_rows import claims_table

from ablation.claims import claims_html, claims_markdown
from ablation.claims.order import display_order
from ablation.claims.render import anchor, method_text


class Claims(HTMLParser):
    """The ``<details class="claim">`` of a page: id, summary text, details text."""

    def __init__(self):
        super().__init__()
        self.claims, self.headings = [], []
        self._where = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details" and attrs.get("class") == "claim":
            self.claims.append({"id": attrs["id"], "summary": "", "details": ""})
        elif tag == "summary" and self.claims:
            self._where = "summary"
        elif tag == "dl" and self.claims:
            self._where = "details"
        elif tag == "h2":
            self._where = "heading"
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag in ("summary", "dl", "h2"):
            self._where = None

    def handle_data(self, data):
        if self._where == "heading":
            self.headings[-1] += data
        elif self._where:
            self.claims[-1][self._where] += data + " "


def parsed(page: str) -> Claims:
    parser = Claims()
    parser.feed(page)
    return parser


def test_html_lists_each_claim_once_in_the_forest_plots_order():
    table = claims_table()
    page = parsed(claims_html(table))
    ordered = display_order(table)
    assert [claim["id"] for claim in page.claims] == [anchor(row) for _, row in ordered.iterrows()]
    assert page.headings[:2] == ["cat data", "planar data"]


def test_html_line_shows_verdict_and_effect_or_reason_and_hides_the_rest():
    table = claims_table()
    claims = {claim["id"]: claim for claim in parsed(claims_html(table)).claims}
    for _, row in table.iterrows():
        claim = claims[anchor(row)]
        assert row["verdict"] in claim["summary"]
        if row["verdict"] == "not applicable":
            assert row["reason"] in claim["summary"]
        else:
            assert row["effect"] in claim["summary"]
        for hidden in (row["test"], row["decision_rule"], row["evidence"], row["claim"]):
            assert hidden in claim["details"] and hidden not in claim["summary"]


def test_html_states_the_level_first_and_the_method_last():
    table = claims_table()
    page = claims_html(table)
    assert page.index("99.8 % interval") < page.index("<h2>cat data</h2>")
    last_claim = page.rindex('<details class="claim"')
    first_paragraph = method_text(table)[0][:40]
    assert page.index("How the table was made") > last_claim
    assert page.index(first_paragraph) > last_claim


def test_markdown_links_each_compact_line_to_its_details_in_the_same_order():
    table = claims_table()
    text = claims_markdown(table)
    ordered = display_order(table)
    links = re.findall(r"^\| \[([^\]]+)\]\(#([^)]+)\) \| \*\*([^*]+)\*\* \|", text, re.M)
    assert [(claim, target, verdict) for claim, target, verdict in links] == [
        (row["claim_id"], anchor(row), row["verdict"]) for _, row in ordered.iterrows()
    ]
    targets = re.findall(r'^<a id="([^"]+)"></a>$', text, re.M)
    assert targets == [anchor(row) for _, row in ordered.iterrows()]
    assert text.index("## planar data") < text.index("## Each claim's test, rule and numbers")
    assert text.rindex('<a id="') < text.index("## How the table was made")


def test_anchors_are_unique_and_safe_in_a_url():
    table = claims_table()
    assert len({anchor(row) for _, row in table.iterrows()}) == len(table)
    assert anchor({"dataset": "Cat Data", "claim_id": "4.b"}) == "cat-data-4-b"
