"""The documentation holds together: the README stays short, every relative link of the README
and the docs resolves (anchors included), every page of docs/ is reachable from the README, and
config/README.md describes exactly the schema's keys, with its defaults."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCUMENTS = [README, REPO / "config" / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SCHEMA = yaml.safe_load((REPO / "config" / "config.schema.yaml").read_text())
#: A Markdown link or image: [text](target) or ![text](target).
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def prose(text: str) -> str:
    """``text`` without code blocks and code spans, where brackets are not links."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces made hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a Markdown file, repeated headings numbered as GitHub does."""
    seen: dict[str, int] = {}
    found = set()
    for line in FENCE.sub("", path.read_text()).splitlines():
        match = re.match(r"#{1,6} (.+)", line)
        if match:
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


def relative_links(path: Path) -> Iterator[str]:
    for target in LINK.findall(prose(path.read_text())):
        if not re.match(r"[a-z]+:", target):  # http:, https:, mailto: are not checked
            yield target


def test_the_readme_reads_in_ten_minutes():
    assert len(README.read_text().splitlines()) <= 250


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(REPO)))
def test_every_relative_link_resolves(document):
    links = list(relative_links(document))
    broken = []
    for link in links:
        target, _, anchor = link.partition("#")
        path = (document.parent / target).resolve() if target else document
        if not path.exists():
            broken.append(f"{link}: no file {path}")
        elif anchor and (path.suffix != ".md" or anchor not in anchors(path)):
            broken.append(f"{link}: no heading #{anchor} in {path.relative_to(REPO)}")
    assert broken == []


def test_the_link_checker_sees_links_and_headings():
    readme_links = list(relative_links(README))
    assert "docs/method.md#the-lectures-claims-tested" in readme_links
    assert "the-lectures-claims-tested" in anchors(REPO / "docs" / "method.md")
    assert slug("The `selection.metric`, tested: 2a & 2b") == "the-selectionmetric-tested-2a--2b"


def test_every_docs_page_is_linked_from_the_readme():
    linked = {(README.parent / link.partition("#")[0]).resolve() for link in relative_links(README)}
    assert [page.name for page in sorted((REPO / "docs").glob("*.md")) if page not in linked] == []


# --------------------------------------------------------------------------- config/README.md


def resolve(node: dict) -> dict:
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def schema_keys(node: dict = SCHEMA, path: tuple = (), parent: dict | None = None):
    """(dotted key, schema, required) of every leaf key; a dataset's name is ``<name>``."""
    node = resolve(node)
    if "properties" in node:
        for name, child in node["properties"].items():
            yield from schema_keys(child, (*path, name), node)
    elif isinstance(node.get("additionalProperties"), dict):
        yield from schema_keys(node["additionalProperties"], (*path, "<name>"), node)
    else:
        yield ".".join(path), node, path[-1] in (parent or {}).get("required", ())


def documented_keys() -> dict[str, str]:
    """The key table of config/README.md: dotted key (placeholders kept) -> default cell."""
    rows = {}
    for line in (REPO / "config" / "README.md").read_text().splitlines():
        match = re.match(r"\| `([^`]+)` \| ([^|]+) \|", line)
        if match:
            rows[match.group(1)] = match.group(2).strip()
    return rows


def matches(documented: str, key: str) -> bool:
    """Whether a documented key, whose ``<...>`` parts stand for any name, names ``key``."""
    pattern = r"\.".join(
        r"[^.]+" if part.startswith("<") else re.escape(part) for part in documented.split(".")
    )
    return re.fullmatch(pattern, key) is not None


def test_config_readme_describes_exactly_the_schemas_keys():
    documented = documented_keys()
    keys = [key for key, _, _ in schema_keys()]
    assert len(keys) > 30  # the walk reaches the datasets' and files' keys
    assert [key for key in keys if not any(matches(doc, key) for doc in documented)] == []
    assert [doc for doc in documented if not any(matches(doc, key) for key in keys)] == []


def test_config_readme_states_the_schemas_defaults_and_required_keys():
    documented = documented_keys()
    wrong = []
    for key, node, required in schema_keys():
        cell = next((cell for doc, cell in documented.items() if matches(doc, key)), None)
        if cell is None:  # undocumented: the test above names it
            continue
        if "default" in node:
            if yaml.safe_load(cell.strip("`")) != node["default"]:
                wrong.append(f"{key}: documented {cell}, schema {node['default']!r}")
        elif cell != ("required" if required else "—"):
            wrong.append(f"{key}: documented {cell}, schema has no default (required: {required})")
    assert wrong == []


def test_the_workflow_catalog_file_declares_the_usage_and_the_report():
    catalog = yaml.safe_load((REPO / ".snakemake-workflow-catalog.yml").read_text())
    usage = catalog["usage"]
    assert set(usage) == {"mandatory-flags", "software-stack-deployment", "report"}
    assert usage["report"] is True
    assert set(usage["mandatory-flags"]) == {"desc", "flags"}
