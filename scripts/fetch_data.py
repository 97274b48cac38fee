"""Rule fetch_data: a verified local copy or download of one raw HDF5 file."""

from ablation.fetch import fetch_verified, source_arguments
from ablation.logs import start_job

start_job(snakemake)
fetch_verified(snakemake.output[0], **source_arguments(snakemake.params.source))
