"""The order in which the claims are shown: the forest plot, ``claims.html`` and ``claims.md``.

Within each dataset (in the table's order), the claims that were tested come first, grouped
by the unit of their effect (one panel of the forest plot per unit, in :data:`UNITS` order)
and in catalogue order within a unit; then the claims that are listed rather than drawn:
those ``not applicable`` and any without an effect. Everything is read from the columns of
``claims.csv`` (:data:`ablation.claims.evaluate.CLAIM_COLUMNS`), never from claim ids, so a
reworked catalogue orders itself.
"""

from __future__ import annotations

import pandas as pd

from ablation.claims.units import UNITS
from ablation.claims.verdicts import NOT_APPLICABLE

#: The ``panel`` of a claim that is listed with its reason rather than drawn.
LISTED = "listed"


def is_drawn(table: pd.DataFrame) -> pd.Series:
    """Whether each row is drawn in the forest plot: tested (not ``not applicable``) and with
    an effect in a known unit."""
    return (table["verdict"] != NOT_APPLICABLE) & table["unit"].isin(UNITS)


def display_order(table: pd.DataFrame) -> pd.DataFrame:
    """``table``'s rows in display order, with a ``panel`` column: the unit of a drawn row's
    effect, or :data:`LISTED`.

    The row labels of ``table`` are kept, so that a row can be traced back.
    """
    drawn = is_drawn(table)
    panel = table["unit"].where(drawn, LISTED)
    keys = pd.DataFrame(
        {
            "dataset": pd.Categorical(table["dataset"], categories=table["dataset"].unique()),
            "panel": pd.Categorical(panel, categories=[*UNITS, LISTED]),
            "position": range(len(table)),
        },
        index=table.index,
    )
    order = keys.sort_values(["dataset", "panel", "position"], kind="stable").index
    return table.assign(panel=panel).loc[order]
