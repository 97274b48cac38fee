"""Rule plot_saturation: saturated fraction and gradient norm versus iteration, by init."""

import pandas as pd

from ablation.logs import log_to
from ablation.plots import plot_saturation, save_figure

log_to(snakemake.log[0])
figure = plot_saturation(
    pd.read_csv(snakemake.input.history),
    pd.read_csv(snakemake.input.cells),
    hidden=snakemake.params.hidden,
)
save_figure(figure, snakemake.output[0])
