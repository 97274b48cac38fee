"""The whole claims table: level, verdict logic, rendering, and the README's section."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from claims_tables import PER_CLASS, make_results

from ablation.claims import CLAIM_COLUMNS, claims_html, claims_markdown, evaluate
from ablation.claims.catalogue import CATALOGUE
from ablation.claims.checks import CHECKS, Finding, Part
from ablation.claims.evaluate import MIN_SEEDS, family_size, judge
from ablation.claims.readme import (
    BEGIN,
    END,
    HEADLINE_BEGIN,
    HEADLINE_END,
    claims_headline,
    claims_section,
    main,
    replace_section,
)
from ablation.statistics import Exact, SeedMeans, family_confidence
from ablation.claims.verdicts import (
    CONTRADICTED,
    INCONCLUSIVE,
    NOT_APPLICABLE,
    SUPPORTED,
    VERDICTS,
    Rule,
)
from ablation.io import read_table, write_table

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu-0.01", "identity")


def full_grid(planar: bool, name: str):
    results = make_results(
        ACTIVATIONS,
        ("zeros", "small", "large", "he"),
        (1, 2, 3, 5),
        learning_rates=(0.5, 1.0),
        skill=lambda activation, init, hidden, seed, **_: (
            0.5
            if init == "zeros" and activation != "sigmoid"
            else 0.6 + 0.02 * hidden + 0.01 * seed
        ),
        unit_spread=lambda init, **_: 0.0 if init == "zeros" else 1.0,
        grad_norm_W1=lambda activation, init, **_: (
            0.0 if init == "zeros" and activation != "sigmoid" else 1.0
        ),
        saturation=lambda init, **_: 0.6 if init == "large" else 0.05,
        planar=planar,
    )
    return type(results)(**{**_fields(results), "name": name})


def _fields(results):
    return {
        name: getattr(results, name) for name in results.__dataclass_fields__ if name != "metric"
    }


@pytest.fixture(scope="module")
def datasets():
    return [full_grid(False, "cat"), full_grid(True, "planar")]


@pytest.fixture(scope="module")
def table(datasets):
    return evaluate(datasets)


def test_every_claim_once_per_dataset(table):
    assert list(table.columns) == list(CLAIM_COLUMNS)
    assert table["claim_id"].tolist() == list(CATALOGUE) * 2
    assert table["dataset"].tolist() == ["cat"] * len(CATALOGUE) + ["planar"] * len(CATALOGUE)
    assert set(table["verdict"]) <= set(VERDICTS)
    assert table["decision_rule"].str.len().min() > 20
    assert "{" not in "".join(table["test"])  # every placeholder filled


def test_claims_the_lecture_makes_for_planar_data_are_not_applicable_elsewhere(table):
    cat = table[table["dataset"] == "cat"].set_index("claim_id")
    for claim in ("1b", "7a", "7b"):
        assert cat.loc[claim, "verdict"] == NOT_APPLICABLE
    assert cat.loc["1b", "evidence"].startswith("Not applicable: the lecture makes this claim")
    assert np.isfinite(cat.loc["7b", "estimate"])  # what cat shows, without a verdict
    planar = table[table["dataset"] == "planar"].set_index("claim_id")
    assert planar.loc["7b", "verdict"] != NOT_APPLICABLE
    assert planar.loc["9", "verdict"] == NOT_APPLICABLE  # one leaky slope


def test_n_is_replicates_times_examples(table):
    rows = table.set_index(["dataset", "claim_id"])
    assert rows.loc[("cat", "5a"), "n"] == f"5 replicates x {2 * PER_CLASS} test examples"
    assert rows.loc[("cat", "5a"), ["n_seeds", "n_examples"]].tolist() == [5, 2 * PER_CLASS]
    assert rows.loc[("cat", "5b"), "n"] == "5 replicates"
    assert rows.loc[("cat", "5b"), "n_examples"] == 0
    assert rows.loc[("cat", "2a"), "n"].endswith("networks of 5 replicates, exact check")


def test_one_bonferroni_level_over_the_decisive_intervals(table):
    findings = []
    for planar, name in ((False, "cat"), (True, "planar")):
        results = full_grid(planar, name)
        findings += [CHECKS[claim_id](results) for claim_id in CATALOGUE]
    k = family_size(findings)
    # Exact checks, planar-only claims off planar data and claim 9 (one slope) do not count.
    assert 20 < k < 2 * 20
    assert (table["confidence"] == family_confidence(k)).all()


def test_the_table_is_deterministic(table):
    again = evaluate([full_grid(False, "cat"), full_grid(True, "planar")])
    pd.testing.assert_frame_equal(table, again)


# --------------------------------------------------------------------------- judge


def _part(values, rule=Rule("above", 0.0, "0"), premise=False):
    return Part("effect", "share", SeedMeans(np.array(values, dtype=float)), rule, premise)


@pytest.mark.parametrize(
    ("premise", "main", "expected"),
    [
        ([0.5, 0.5, 0.5], [1.0, 1.0, 1.0], SUPPORTED),
        ([-0.5, -0.5, -0.5], [1.0, 1.0, 1.0], NOT_APPLICABLE),  # the premise fails
        ([1.0, -1.0, 1.0], [1.0, 1.0, 1.0], INCONCLUSIVE),  # the premise is unclear
        ([0.5, 0.5, 0.5], [-1.0, -1.0, -1.0], CONTRADICTED),
    ],
)
def test_judge_decides_the_premise_first(premise, main, expected):
    finding = Finding((_part(premise, premise=True), _part(main)))
    assert judge(finding, 0.99).verdict == expected


def test_judge_needs_enough_seeds_but_not_for_exact_checks():
    few = Finding((_part([1.0] * (MIN_SEEDS - 1)),))
    assert judge(few, 0.99).verdict == INCONCLUSIVE
    exact = Part("spread", "distance", Exact(0.0, 1, 4), Rule("below", 1e-12, "1e-12"))
    assert judge(Finding((exact,)), 0.99).verdict == SUPPORTED


def test_judge_not_applicable_keeps_the_reason():
    judgement = judge(Finding(not_applicable="no such networks"), 0.99)
    assert (judgement.verdict, judgement.reason) == (NOT_APPLICABLE, "no such networks")


# --------------------------------------------------------------------------- rendering


def test_markdown_and_html_show_every_row(table):
    markdown, page = claims_markdown(table), claims_html(table)
    for row in table.itertuples():
        assert f"| [{row.claim_id}](#{row.dataset}-{row.claim_id}) | **{row.verdict}** |" in (
            markdown
        )
        assert f"### {row.dataset} {row.claim_id}: {row.verdict}" in markdown
    assert page.count('<details class="claim"') == len(table)
    assert "results/planar/figures/symmetry.png" in markdown
    k = round(0.05 / (1 - table["confidence"].iloc[0]))
    assert f"k = {k} intervals" in markdown and "Bonferroni" in page


def test_the_rule_of_the_headline_part_is_in_columns(datasets, table):
    """rule_kind, threshold and exact say what decision_rule says in words, for the first
    part that is not a premise; n_parts counts the parts; a claim without parts has none."""
    results = {dataset.name: dataset for dataset in datasets}
    for row in table.itertuples():
        parts = CHECKS[row.claim_id](results[row.dataset]).parts
        assert row.n_parts == len(parts)
        if not parts:
            assert row.rule_kind == "" and np.isnan(row.threshold) and not row.exact
            continue
        first = next(part for part in parts if not part.premise)
        assert (row.rule_kind, row.threshold, row.exact) == (
            first.rule.kind,
            first.rule.threshold,
            isinstance(first.estimate, Exact),
        )
        assert row.effect == first.label
        assert first.rule.describe("the value" if row.exact else "the interval") in (
            row.decision_rule
        )


def test_the_reason_of_a_claim_not_applicable_is_a_column(table):
    not_applicable = table["verdict"] == NOT_APPLICABLE
    assert (table.loc[~not_applicable, "reason"] == "").all()
    for row in table[not_applicable].itertuples():
        assert row.reason and f"Not applicable: {row.reason}." in row.evidence


def test_rendering_a_claims_csv_read_back_gives_the_same_text(table, tmp_path):
    write_table(tmp_path / "claims.csv", table)
    again = read_table(tmp_path / "claims.csv")
    assert claims_markdown(again) == claims_markdown(table)


# --------------------------------------------------------------------------- README and docs


README = """# Project

Intro.

<!-- claims-headline:begin -->
old headline
<!-- claims-headline:end -->

## After
Kept as is.
"""
METHOD = README.replace("claims-headline:", "claims:").replace("old headline", "old table")


def test_replace_section_rewrites_only_between_the_markers():
    updated = replace_section(METHOD, "new table\nline two")
    assert updated == METHOD.replace("old table", "new table\nline two")
    assert replace_section(updated, "old table") == METHOD
    headline = replace_section(README, "new", HEADLINE_BEGIN, HEADLINE_END)
    assert headline == README.replace("old headline", "new")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("no markers\n", "found <!-- claims:begin --> 0x"),
        (f"{BEGIN}\n{BEGIN}\n{END}\n", "<!-- claims:begin --> 2x"),
        (f"{END}\n{BEGIN}\n", "comes before"),
        (README, "found <!-- claims:begin --> 0x"),  # the headline's markers are others
    ],
)
def test_replace_section_needs_one_pair_of_markers_in_order(document, message):
    with pytest.raises(ValueError, match=message):
        replace_section(document, "x")


def test_headline_counts_each_datasets_verdicts_and_names_the_claims(table):
    headline = claims_headline(table, "results/claims.csv")
    lines = headline.splitlines()
    assert lines[2] == "| dataset | " + " | ".join(VERDICTS) + " |"
    rows = {line.split(" | ")[0].strip("| "): line for line in lines[4:]}
    assert list(rows) == ["cat", "planar"]
    for dataset, line in rows.items():
        cells = [cell.strip() for cell in line.strip("|").split("|")][1:]
        claims = table[table["dataset"] == dataset]
        for verdict, cell in zip(VERDICTS, cells):
            ids = list(claims.loc[claims["verdict"] == verdict, "claim_id"])
            assert cell == (f"{len(ids)}: {', '.join(ids)}" if ids else "0")
        assert sum(int(cell.split(":")[0]) for cell in cells) == len(claims)


def test_command_regenerates_the_headline_and_the_table_from_claims_csv(table, tmp_path):
    write_table(tmp_path / "claims.csv", table)
    readme, method = tmp_path / "README.md", tmp_path / "method.md"
    readme.write_text(README)
    method.write_text(METHOD)
    main([str(tmp_path / "claims.csv"), str(readme), str(method)])
    source = str(tmp_path / "claims.csv")
    text = method.read_text()
    assert text.startswith("# Project\n\nIntro.\n\n" + BEGIN + "\n")
    assert text.endswith(END + "\n\n## After\nKept as is.\n")
    assert "| planar | 7b |" in text and "- **9** Leaky ReLU's slope" in text
    assert claims_section(read_table(source), source) in text
    headline = readme.read_text()
    assert "old headline" not in headline and "| planar | " in headline
    assert claims_headline(read_table(source), source) in headline
    assert headline.endswith(HEADLINE_END + "\n\n## After\nKept as is.\n")


def test_command_fails_clearly_on_a_file_that_is_not_a_claims_table(tmp_path, capsys):
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    readme, method = tmp_path / "README.md", tmp_path / "method.md"
    readme.write_text(README)
    method.write_text(METHOD)
    with pytest.raises(SystemExit) as stop:
        main([str(tmp_path / "other.csv"), str(readme), str(method)])
    assert stop.value.code == 1
    assert "is not a claims table: it lacks the columns" in capsys.readouterr().err
    assert readme.read_text() == README and method.read_text() == METHOD


def test_command_changes_neither_document_when_one_lacks_its_markers(table, tmp_path, capsys):
    write_table(tmp_path / "claims.csv", table)
    readme, method = tmp_path / "README.md", tmp_path / "method.md"
    readme.write_text(README)
    method.write_text(README)  # the headline's markers, not the table's
    with pytest.raises(SystemExit):
        main([str(tmp_path / "claims.csv"), str(readme), str(method)])
    assert f"cannot update {method}" in capsys.readouterr().err
    assert readme.read_text() == README and method.read_text() == README
