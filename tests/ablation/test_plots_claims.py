"""The forest plot of the claims: what it draws must be what claims.csv says.

Each artist of a row carries the row's name in its gid (``effect cat a1``, ``interval ...``,
``region ...``, ``threshold ...``, ``listed ...``), so the tests read the figure back.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from claims_rows import claims_table
from matplotlib.colors import to_rgba
from matplotlib.image import imread

from ablation.claims.order import LISTED, display_order
from ablation.claims.units import UNITS
from ablation.io import read_table, write_table
from ablation.plots import plot_claims, save_figure
from ablation.plots.claims import UNIT_AXES, VERDICT_STYLES, row_key


@pytest.fixture(scope="module")
def table():
    return claims_table()


@pytest.fixture(scope="module")
def figure(table):
    return plot_claims(table)


def artists(figure, kind):
    """Every artist of ``kind`` (effect, interval, region, threshold, listed) by row key."""
    found = {}
    for ax in figure.axes:
        for artist in [*ax.lines, *ax.patches, *ax.texts]:
            gid = artist.get_gid() or ""
            if gid.startswith(kind + " "):
                found.setdefault(gid.removeprefix(kind + " "), []).append((ax, artist))
    return found


def rows_by_key(table):
    return {row_key(row): row for _, row in table.iterrows()}


def test_each_tested_claim_is_a_point_coloured_and_shaped_by_its_verdict(table, figure):
    points = artists(figure, "effect")
    drawn = table[table["verdict"] != "not applicable"]
    # planar b2 has no bounds (too few seeds): its point is drawn all the same.
    assert set(points) == {row_key(row) for _, row in drawn.iterrows()}
    for key, [(_, point)] in points.items():
        row = rows_by_key(table)[key]
        style = VERDICT_STYLES[row["verdict"]]
        assert to_rgba(point.get_color()) == to_rgba(style["color"]), key
        assert point.get_marker() == style["marker"], key
        hollow = to_rgba(point.get_markerfacecolor()) == to_rgba("white")
        assert hollow == bool(row["exact"]), key


def test_points_and_intervals_sit_on_the_units_own_scale(table, figure):
    points, intervals = artists(figure, "effect"), artists(figure, "interval")
    for key, row in rows_by_key(table).items():
        if key not in points:
            continue
        factor = UNIT_AXES[row["unit"]][1]
        [(ax, point)] = points[key]
        assert point.get_xdata()[0] == pytest.approx(factor * row["estimate"])
        assert ax.get_xlabel() == UNIT_AXES[row["unit"]][0]
        bounded = np.isfinite([row["ci_low"], row["ci_high"]]).all()
        if bounded and row["ci_low"] < row["ci_high"]:
            [(_, line)] = intervals[key]
            assert list(line.get_xdata()) == pytest.approx(
                [factor * row["ci_low"], factor * row["ci_high"]]
            )
        else:  # an exact check, or an interval without bounds: the point alone
            assert key not in intervals


def test_each_panel_holds_one_dataset_and_unit_in_display_order(table, figure):
    """Rows top to bottom in each panel, panels top to bottom, as claims.html lists them."""
    points = artists(figure, "effect")
    ordered = display_order(table)
    shown = []
    for ax in sorted(figure.axes, key=lambda ax: -ax.get_position().y0):
        in_panel = [(key, point) for key, [(owner, point)] in points.items() if owner is ax]
        in_panel.sort(key=lambda item: item[1].get_ydata()[0])
        shown += [key for key, _ in in_panel]
        labels = [label.get_text() for label in ax.get_yticklabels()]
        assert len(labels) == len(in_panel) or not in_panel
        for label, (key, _) in zip(labels, in_panel):
            assert label.startswith(key.split()[1] + "  ")
    expected = [row_key(row) for _, row in ordered.iterrows() if row["panel"] != LISTED]
    assert shown == expected


@pytest.mark.parametrize(
    ("key", "kind"),
    [("cat a1", "within"), ("cat b1", "below"), ("cat b3", "above"), ("cat c2", "above")],
)
def test_the_shaded_region_and_threshold_are_the_rules(table, figure, key, kind):
    row = rows_by_key(table)[key]
    factor = UNIT_AXES[row["unit"]][1]
    [(ax, region)] = artists(figure, "region")[key]
    low, high = ax.get_xlim()
    start, stop = region.get_x(), region.get_x() + region.get_width()
    threshold = factor * row["threshold"]
    expected = {
        "above": (threshold, high),
        "below": (low, threshold),
        "within": (-threshold, threshold),
    }[kind]
    assert (start, stop) == pytest.approx(expected)
    edges = sorted(line.get_xdata()[0] for _, line in artists(figure, "threshold")[key])
    assert edges == pytest.approx([-threshold, threshold] if kind == "within" else [threshold])


def test_claims_not_applicable_are_listed_with_their_reason_not_drawn(table, figure):
    listed = artists(figure, "listed")
    not_applicable = table[table["verdict"] == "not applicable"]
    assert set(listed) == {row_key(row) for _, row in not_applicable.iterrows()}
    for key, [(_, text)] in listed.items():
        row = rows_by_key(table)[key]
        assert " ".join(text.get_text().split()).endswith(row["reason"])
        assert key not in artists(figure, "effect")


def test_a_row_resting_on_several_parts_says_so(figure):
    labels = [label.get_text() for ax in figure.axes for label in ax.get_yticklabels()]
    several = [label for label in labels if "one of 2 parts" in " ".join(label.split())]
    assert [label.split()[0] for label in several] == ["b1", "b1"]
    exact = [label for label in labels if "exact check" in label]
    assert [label.split()[0] for label in exact] == ["a2"]


def test_every_unit_has_an_axis():
    assert set(UNIT_AXES) == set(UNITS)


def test_an_unknown_rule_kind_is_a_clear_error():
    table = claims_table()
    table.loc[0, "rule_kind"] = "beyond"
    with pytest.raises(ValueError, match="unknown rule_kind 'beyond' in claims.csv"):
        plot_claims(table)


def png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_a_claims_csv_read_back_draws_the_same_picture(table, figure, tmp_path):
    write_table(tmp_path / "claims.csv", table)
    assert png(plot_claims(read_table(tmp_path / "claims.csv"))) == png(figure)


def test_the_picture_fits_the_report(figure, tmp_path):
    save_figure(figure, tmp_path / "claims.png")
    height, width, _ = imread(tmp_path / "claims.png").shape
    assert 700 <= width <= 900 and height < 4000
