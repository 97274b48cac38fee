"""The lecture's claims, put to the test on an ablation's results.

The package, a module per concern, each readable on its own:

- :mod:`~ablation.claims.catalogue` -- what each claim says and how it is tested, one
  table keyed by claim id;
- :mod:`~ablation.claims.results` -- one dataset's tables, checked and in the shape the
  claims need (networks at their selected learning rate, per-example test scores, iterations
  to a low cost), and the pairing of networks (their intervals: :mod:`ablation.statistics`);
- :mod:`~ablation.claims.verdicts` -- decision rules with non-overlapping regions;
- :mod:`~ablation.claims.checks` -- the test of each claim;
- :mod:`~ablation.claims.evaluate` -- the whole table: level, verdicts, ``claims.csv`` rows;
- :mod:`~ablation.claims.units`, :mod:`~ablation.claims.render` -- numbers in words,
  Markdown and HTML;
- :mod:`~ablation.claims.readme` -- the README's claims section from ``claims.csv``.
"""

from ablation.claims.evaluate import CLAIM_COLUMNS, evaluate
from ablation.claims.render import claims_html, claims_markdown
from ablation.claims.results import DatasetResults

__all__ = ["CLAIM_COLUMNS", "DatasetResults", "claims_html", "claims_markdown", "evaluate"]
