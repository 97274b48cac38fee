"""What a run found, in reStructuredText: the opening of the report.

``results/overview.rst`` (rule ``overview``) is included at the top of the report's front page
(``workflow/report/workflow.rst``). Per dataset it gives the configuration selected on dev
with its mean test score against the two baselines (majority class and logistic regression),
and how many claims are supported, contradicted, inconclusive or not applicable; then the
forest plot of the claims. The score is the one the accuracy figures show
(:attr:`ablation.metrics.Metric.accuracy_shown`): the selection metric when it is an accuracy,
balanced accuracy under cross-entropy.

The figure is embedded as a data URI, since the report is one self-contained HTML file and
Snakemake 9's own ``embeddedfigure`` directive leaves the file's path in the page.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence

import pandas as pd

from ablation.claims.verdicts import VERDICTS
from ablation.metrics import METRICS
from ablation.plots.common import LOGISTIC, MAJORITY, reference_scores


def _score(value: float) -> str:
    return f"{value:.3f}" if math.isfinite(value) else "n/a (it overflowed)"


def best_line(cells: pd.DataFrame, best: Mapping) -> str:
    """One dataset's selected configuration and its mean test score against the baselines."""
    kind = METRICS[best["selection_metric"]].accuracy_shown
    references = reference_scores(cells, "test", kind)
    line = (
        f"- **{best['dataset']}**: ``{best['activation']}``, ``{best['init']}`` init, "
        f"{best['hidden']} hidden units, learning rate {best['learning_rate']:g} -- test "
        f"{METRICS[kind].label} **{_score(best[f'mean_test_{kind}'])}** (mean of "
        f"{best['replicates']} replicates) against {_score(references[MAJORITY])} for the "
        f"majority-class baseline and {_score(references[LOGISTIC])} for logistic regression."
    )
    if not best["beats_majority_on_dev"]:
        line += (
            " **Warning**: it does not beat the majority-class baseline on dev; the selection "
            "is no evidence."
        )
    return line


def verdict_line(dataset: str, claims: pd.DataFrame) -> str:
    """How many of one dataset's claims got each verdict."""
    counts = claims.loc[claims["dataset"] == dataset, "verdict"].value_counts()
    listed = ", ".join(f"{counts.get(verdict, 0)} {verdict}" for verdict in VERDICTS)
    return f"- **{dataset}**: {listed} (of {int(counts.sum())})."


def figure_directive(png: bytes, alt: str) -> list[str]:
    """An reStructuredText figure showing the PNG ``png`` at the page's width.

    The data URI is wrapped over indented lines (docutils limits a line to 10,000 characters
    and removes the whitespace of an image's URI).
    """
    encoded = base64.b64encode(png).decode("ascii")
    wrapped = [f"   {encoded[start:start + 76]}" for start in range(0, len(encoded), 76)]
    return [".. figure:: data:image/png;base64,", *wrapped, "   :width: 100%", f"   :alt: {alt}"]


def overview_rst(
    tables: Sequence[tuple[pd.DataFrame, Mapping]], claims: pd.DataFrame, forest_plot: bytes
) -> str:
    """The overview of a run.

    Parameters
    ----------
    tables : sequence of (cells, best)
        Each dataset's ``cells.csv`` and ``best.json``, in the config's order.
    claims : DataFrame
        ``claims.csv``.
    forest_plot : bytes
        ``claims.png``, the forest plot of ``claims``.
    """
    datasets = [best["dataset"] for _, best in tables]
    lines = [
        "**Best configuration of each dataset**, selected on dev (the test set plays no part "
        "in the choice):",
        "",
        *(best_line(cells, best) for cells, best in tables),
        "",
        "**The lecture's claims**, tested on each dataset:",
        "",
        *(verdict_line(dataset, claims) for dataset in datasets),
        "",
        *figure_directive(forest_plot, "forest plot of the lecture's claims"),
    ]
    return "\n".join(lines) + "\n"
