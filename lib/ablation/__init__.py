"""The workflow side of the shallownet ablation.

One module per concern, each used by a thin script under ``scripts/``:

- :mod:`ablation.grid` -- the config's grid as a table of cells, activation labels, seeds,
  and the workflow's vocabulary: the columns naming a cell, a member and a network;
- :mod:`ablation.fetch` -- a verified local copy or a verified download of a raw data file;
- :mod:`ablation.prepare` -- flattened, standardized, split data in ``prepared.h5``;
- :mod:`ablation.cell` -- train one grid cell (every learning rate x seed) and describe it;
- :mod:`ablation.baseline` -- logistic regression on the same prepared data;
- :mod:`ablation.aggregate` -- ``cells.csv``, ``history.csv``, ``best.json``, ``summary.md``,
  and the dev-set choice of each configuration's learning rate;
- :mod:`ablation.figure_plan` -- which figures to draw from which cells (read by the workflow);
- :mod:`ablation.plots` -- the seaborn figures (a package: one module per kind of figure);
  :mod:`ablation.claims` -- the lecture's claims;
- :mod:`ablation.io` -- atomic writes, so that a killed job never leaves a truncated file;
- :mod:`ablation.logs` -- scripts log to their rule's log file.

``pandas`` is imported only by the modules that aggregate; the per-cell training path stays
light because it runs once per grid cell.
"""
