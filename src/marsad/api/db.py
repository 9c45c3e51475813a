"""How the API reaches the store without locking out ``marsad ingest``.

DuckDB lets one process hold a file for writing, and a writer excludes every other process (readers included).
So for a DuckDB file the API opens a *read-only* connection per request and closes it when the response is
built: between requests the file is free, and an ingest started next to ``marsad serve`` gets it within one
request's time. While an ingest holds the file, a request waits up to ``lock_wait`` seconds (the store's own
lock wait) and then gets 503 "store busy" with Retry-After, instead of hanging or failing with a 500.
PostgreSQL and ``:memory:`` stores are shared: one connection for the app (the store serialises its use).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from ..store import open_store
from ..store.base import SQLStore

API_LOCK_WAIT = float(os.environ.get("MARSAD_API_LOCK_WAIT", 5))


class StoreBusy(Exception):
    """The store file is held by a writer (an ingest) for longer than the API waits."""


def _duckdb_path(url: str) -> Optional[str]:
    if url.startswith(("postgresql://", "postgres://")):
        return None
    if url.startswith("duckdb://"):
        url = url[len("duckdb://"):]
        url = url[1:] if url.startswith("/") else url
    return None if url == ":memory:" else url


class StoreProvider:
    def __init__(self, url: str, lock_wait: float = API_LOCK_WAIT):
        self.url = url
        self.lock_wait = lock_wait
        self.path = _duckdb_path(url)
        self._shared: Optional[SQLStore] = None
        if self.path is None:
            self._shared = open_store(url)
        elif not Path(self.path).exists():
            open_store(url).close()  # create the file with its schema so read-only opens work

    @contextmanager
    def open(self) -> Iterator[SQLStore]:
        if self._shared is not None:
            yield self._shared
            return
        from ..store.duckdb_store import DuckDBStore

        try:
            store = DuckDBStore(self.path, read_only=True, lock_wait=self.lock_wait)
        except Exception as exc:
            if "lock" in str(exc).lower():
                raise StoreBusy(str(exc)) from exc
            raise
        try:
            yield store
        finally:
            store.close()

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()
            self._shared = None
