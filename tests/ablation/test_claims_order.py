"""The order the claims are shown in (forest plot, claims.html, claims.md)."""

from __future__ import annotations

from claims_rows import claims_table

from ablation.claims.order import LISTED, display_order, is_drawn
from ablation.io import read_table, write_table


def keys(table):
    return list(zip(table["dataset"], table["claim_id"], table["panel"]))


def test_dataset_then_unit_then_table_order_with_claims_not_drawn_last():
    assert keys(display_order(claims_table())) == [
        ("cat", "a1", "accuracy"),
        ("cat", "c2", "accuracy"),
        ("cat", "b1", "iterations"),
        ("cat", "b3", "iterations"),
        ("cat", "a2", "distance"),
        ("cat", "b2", LISTED),
        ("cat", "c1", LISTED),
        ("planar", "a1", "accuracy"),
        ("planar", "b2", "accuracy"),
        ("planar", "b1", "share"),
        ("planar", "c1", "nats"),
    ]


def test_every_row_once_with_its_row_label():
    table = claims_table()
    ordered = display_order(table)
    assert sorted(ordered.index) == list(table.index)
    assert ordered.drop(columns="panel").equals(table.loc[ordered.index])


def test_a_claim_not_applicable_is_listed_even_with_an_effect():
    table = claims_table()
    drawn = is_drawn(table)
    assert not drawn[(table["dataset"] == "cat") & (table["claim_id"] == "b2")].item()
    assert drawn.sum() == (table["verdict"] != "not applicable").sum()


def test_the_order_of_a_claims_csv_read_back_is_the_same(tmp_path):
    write_table(tmp_path / "claims.csv", claims_table())
    again = read_table(tmp_path / "claims.csv")
    assert keys(display_order(again)) == keys(display_order(claims_table()))
