"""How the API reads the store without holding up ``marsad ingest``: each request gets its own read connection.

DuckDB lets one process hold a file for writing, and a writer excludes every other process (readers included).
So for a DuckDB file the API opens a *read-only* connection per request and closes it when the response is
built: between requests the file is free. A writer that wants the file announces it
(:func:`marsad.store.duckdb_store.write_intent`); from then on the API opens no new connection, the requests
under way finish, and the writer gets the file — a dashboard in use never starves an ingest. While a writer waits
for or holds the file, a request waits up to ``lock_wait`` seconds and then gets 503 "store busy" with
Retry-After, instead of hanging or failing with a 500.

PostgreSQL: each request borrows a connection of its own from a small pool of read-only sessions
(``default_transaction_read_only``), so readers neither queue behind one another nor take a lock a writer could
wait for. ``:memory:`` DuckDB stores are shared (one connection; the store serialises its use).

:meth:`StoreProvider.describe` names the store by kind and database only — never its URL, which for PostgreSQL
can carry a password.
"""

from __future__ import annotations

import os
import queue
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from ..store import describe_store, duckdb_path as _duckdb_path, is_postgres as _is_postgres, open_store
from ..store import store_label  # noqa: F401  (re-exported: how logs name a store)
from ..store.base import SQLStore

API_LOCK_WAIT = float(os.environ.get("MARSAD_API_LOCK_WAIT", 5))
POOL_SIZE = int(os.environ.get("MARSAD_API_CONNECTIONS", 8))  # idle PostgreSQL read connections kept


class StoreBusy(Exception):
    """The store file is held by a writer (an ingest) for longer than the API waits."""


class StoreProvider:
    def __init__(self, url: str, lock_wait: float = API_LOCK_WAIT):
        self._url = url  # never shown: see describe()
        self.lock_wait = lock_wait
        self.path = _duckdb_path(url)
        self.postgres = _is_postgres(url)
        self._shared: Optional[SQLStore] = None
        self._pool: "queue.LifoQueue[SQLStore]" = queue.LifoQueue()
        if self.postgres:
            open_store(url).close()  # the schema, made once by a writing session
        elif self.path is None:
            self._shared = open_store(url)
        elif not Path(self.path).exists():
            open_store(url).close()  # create the file with its schema so read-only opens work

    def describe(self) -> dict:
        return describe_store(self._url)

    @contextmanager
    def open(self) -> Iterator[SQLStore]:
        if self._shared is not None:
            yield self._shared
        elif self.postgres:
            with self._postgres() as store:
                yield store
        else:
            with self._duckdb() as store:
                yield store

    @contextmanager
    def _postgres(self) -> Iterator[SQLStore]:
        try:
            store = self._pool.get_nowait()
        except queue.Empty:
            store = open_store(self._url, read_only=True)
        try:
            yield store
        finally:  # autocommit sessions: no transaction is left open by a failed request
            if self._pool.qsize() < POOL_SIZE and not store.conn.closed:
                self._pool.put(store)
            else:
                store.close()

    @contextmanager
    def _duckdb(self) -> Iterator[SQLStore]:
        from ..store.duckdb_store import DuckDBStore, writer_waiting

        deadline = time.monotonic() + self.lock_wait
        while writer_waiting(self.path):  # a writer wants the file: let it have it first
            if time.monotonic() > deadline:
                raise StoreBusy("a writer is waiting for the store")
            time.sleep(0.05)
        try:
            store = DuckDBStore(self.path, read_only=True, lock_wait=max(0.0, deadline - time.monotonic()))
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
        while not self._pool.empty():
            self._pool.get_nowait().close()
