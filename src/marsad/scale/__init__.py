"""Scale: parallel/distributed ingestion with Dask (``dask_ingest``) and a synthetic corpus (``corpus``)."""
