"""Rule prepare: split, flatten and standardize one dataset into prepared.h5, in blocks."""

import logging

from ablation.logs import start_job
from ablation.prepare import prepare_h5, prepare_planar

start_job(snakemake)
settings = dict(snakemake.params.settings)
source = settings.pop("source")
attrs = {"dataset": snakemake.wildcards.dataset, "source": source}
if source == "h5":
    # The inputs are the verified copies of the files, by split (one file may serve both).
    paths = dict(snakemake.input.items())
    attrs = prepare_h5(snakemake.output[0], paths, attrs=attrs, **settings)
else:
    attrs = prepare_planar(snakemake.output[0], attrs=attrs, **settings)
logging.info("prepared %s: %s", snakemake.wildcards.dataset, attrs)
