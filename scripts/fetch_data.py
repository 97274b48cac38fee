"""Rule fetch_data: a verified local copy or download of one raw HDF5 file."""

from ablation.fetch import fetch_verified
from ablation.logs import log_to

log_to(snakemake.log[0])
source = snakemake.params.source
fetch_verified(
    snakemake.output[0],
    sha256=source["sha256"],
    local_path=source.get("path"),
    url=source.get("url"),
)
