"""The workflow side of the shallownet ablation.

One module per concern, each used by a thin script under ``scripts/``:

- :mod:`ablation.grid` -- the config's grid as a table of cells, activation labels, seeds,
  and the workflow's vocabulary: the columns naming a cell, a member and a network;
- :mod:`ablation.fetch` -- a verified local copy or a verified download of a raw data file;
- :mod:`ablation.layout` -- where an h5 dataset's examples and labels are, and the splits
  (folds per replicate, or one fixed dev split) chosen from the labels;
- :mod:`ablation.prepare` -- flattened, standardized, split data in ``prepared.h5``;
- :mod:`ablation.replicates` -- what each replicate (a seed: data split and starting
  weights) trains on and predicts;
- :mod:`ablation.cell` -- train one grid cell (every learning rate x replicate) and describe it;
- :mod:`ablation.baseline` -- logistic regression on the same prepared data;
- :mod:`ablation.collect`, :mod:`ablation.tables` -- the cells' files, checked, as the tables
  ``cells.csv``, ``history.csv.gz`` and the selected networks' predictions;
- :mod:`ablation.metrics` -- every metric the workflow scores and chooses by, in one registry;
- :mod:`ablation.selection` -- every choice the dev set makes, written down once
  (``configurations.csv``, ``best.json``);
- :mod:`ablation.statistics` -- intervals over replicates and examples, paired tests;
- :mod:`ablation.summary`, :mod:`ablation.overview` -- a dataset's run and the report's
  opening in words;
- :mod:`ablation.figure_plan` -- which figures to draw from which cells (read by the workflow);
- :mod:`ablation.plots` -- the seaborn figures (a package: one module per kind of figure);
  :mod:`ablation.claims` -- the lecture's claims;
- :mod:`ablation.io` -- atomic writes, so that a killed job never leaves a truncated file;
- :mod:`ablation.logs`, :mod:`ablation.faults` -- scripts log to their rule's log file, and
  numeric faults are errors in every job.

``pandas`` is imported only by the modules that aggregate; the per-cell training path stays
light because it runs once per grid cell.
"""
