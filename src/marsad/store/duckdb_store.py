"""The embedded default: one DuckDB file. DuckDB lets one process write a file at a time, so a second
ingest waits for the first to release the file instead of failing — parallel runs lose nothing."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .base import SQLStore

LOCK_WAIT_SECONDS = float(os.environ.get("MARSAD_LOCK_WAIT", 600))
# DuckDB's own default lets its buffer pool take 80 % of the machine's memory, and it runs inside the ingesting
# process: cap it so a long ingest keeps a steady footprint (pages beyond it are written out and re-read).
MEMORY_LIMIT = os.environ.get("MARSAD_DUCKDB_MEMORY", "512MB")


class DuckDBStore(SQLStore):
    def __init__(self, path: str | Path = "marsad.duckdb", read_only: bool = False,
                 lock_wait: float = LOCK_WAIT_SECONDS):
        self.path = str(path)
        self.url = f"duckdb:///{self.path}"
        self.read_only = read_only
        self.lock_wait = lock_wait
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        super().__init__()

    def _connect(self):
        import duckdb

        deadline = time.monotonic() + self.lock_wait
        told = False
        while True:
            try:
                config = {"memory_limit": MEMORY_LIMIT} if MEMORY_LIMIT else {}
                return duckdb.connect(self.path, read_only=self.read_only, config=config)
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                if not told:
                    print(f"marsad: store {self.path} is in use by another process; waiting for it…",
                          file=sys.stderr)
                    told = True
                time.sleep(0.2)

    def _ensure_schema(self) -> None:
        if not self.read_only:
            super()._ensure_schema()
