"""Rule prepare: flatten, split and standardize one dataset into prepared.h5."""

import logging

from ablation.io import write_h5
from ablation.logs import log_to
from ablation.prepare import prepare_h5, prepare_planar

log_to(snakemake.log[0])
settings = dict(snakemake.params.settings)
source = settings.pop("source")
if source == "h5":
    arrays, attrs = prepare_h5(snakemake.input.train, snakemake.input.test, **settings)
else:
    arrays, attrs = prepare_planar(**settings)
attrs.update(dataset=snakemake.wildcards.dataset, source=source)
write_h5(snakemake.output[0], arrays, attrs)
logging.info("prepared %s: %s", snakemake.wildcards.dataset, attrs)
