"""Rule fetch_data: a verified local copy or download of one raw HDF5 file."""

from ablation.fetch import fetch_verified, source_arguments
from ablation.logs import log_to

log_to(snakemake.log[0])
fetch_verified(snakemake.output[0], **source_arguments(snakemake.params.source))
