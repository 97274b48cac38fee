"""Rule plot_linear_collapse: identity network vs best non-linear vs logistic regression."""

import pandas as pd

from ablation.io import read_json
from ablation.logs import log_to
from ablation.plots import plot_linear_collapse, save_figure

log_to(snakemake.log[0])
figure = plot_linear_collapse(
    pd.read_csv(snakemake.input.cells), read_json(snakemake.input.baseline)
)
save_figure(figure, snakemake.output[0])
