"""The report's opening (results/overview.rst): best configurations against the baselines,
verdict counts, and the forest plot embedded so that docutils renders it inside the page."""

from __future__ import annotations

import base64
import math
import re

import pandas as pd
import pytest
from claims_rows import claims_table
from docutils.core import publish_parts

from ablation.overview import best_line, overview_rst, verdict_line

#: A PNG's signature and a few bytes: the figure is copied, never decoded.
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 300


def cells(**baselines):
    values = {
        "test_majority_accuracy": 0.66,
        "test_logistic_accuracy": 0.7,
        "test_logistic_balanced_accuracy": 0.62,
    } | baselines
    return pd.DataFrame([values, values])


def best(**changes):
    return {
        "dataset": "cat",
        "activation": "leaky_relu-0.01",
        "init": "xavier",
        "hidden": 50,
        "learning_rate": 0.025,
        "selection_metric": "balanced_accuracy",
        "mean_test_balanced_accuracy": 0.7468,
        "mean_test_accuracy": 0.74,
        "replicates": 5,
        "beats_majority_on_dev": True,
    } | changes


def test_the_best_configuration_against_both_baselines_in_balanced_accuracy():
    line = best_line(cells(), best())
    assert line == (
        "- **cat**: ``leaky_relu-0.01``, ``xavier`` init, 50 hidden units, learning rate "
        "0.025 -- test balanced accuracy **0.747** (mean of 5 replicates) against 0.500 for the "
        "majority-class baseline and 0.620 for logistic regression."
    )


def test_plain_accuracy_compares_with_the_majority_share_and_warns_without_skill():
    line = best_line(cells(), best(selection_metric="accuracy", beats_majority_on_dev=False))
    assert "test accuracy **0.740**" in line
    assert "against 0.660 for the majority-class baseline and 0.700 for logistic" in line
    assert "**Warning**: it does not beat the majority-class baseline on dev" in line


def test_a_logistic_regression_that_overflowed_is_said_so():
    line = best_line(cells(test_logistic_balanced_accuracy=math.nan), best())
    assert "n/a (it overflowed) for logistic regression" in line


def test_verdicts_are_counted_per_dataset():
    table = claims_table()
    assert verdict_line("cat", table) == (
        "- **cat**: 2 supported, 2 contradicted, 1 inconclusive, 2 not applicable (of 7)."
    )
    assert verdict_line("planar", table) == (
        "- **planar**: 2 supported, 0 contradicted, 2 inconclusive, 0 not applicable (of 4)."
    )


def test_docutils_renders_the_summary_then_the_embedded_forest_plot():
    text = overview_rst([(cells(), best())], claims_table(), PNG)
    assert max(len(line) for line in text.splitlines()) < 10_000  # docutils' line limit
    page = publish_parts(text, writer="html")["html_body"]
    assert "System Message" not in page
    order = [page.index(mark) for mark in ("Best configuration", "0.747", "claims", "<img")]
    assert order == sorted(order)
    source = re.search(r'<img alt="[^"]*" src="data:image/png;base64,([^"]+)"', page)
    assert source and base64.b64decode(source.group(1)) == PNG


@pytest.mark.parametrize("dataset", ["cat", "planar"])
def test_every_dataset_of_the_claims_is_counted(dataset):
    tables = [(cells(), best(dataset="cat")), (cells(), best(dataset="planar"))]
    assert f"- **{dataset}**: " in overview_rst(tables, claims_table(), PNG).split("claims**")[1]
