"""Storage backends behind one interface: DuckDB by default, PostgreSQL for a team (by connection URL)."""

from __future__ import annotations

import os

from .base import SQLStore

DEFAULT_STORE = os.environ.get("MARSAD_STORE", "marsad.duckdb")


def open_store(url: str | None = None, read_only: bool = False) -> SQLStore:
    """``postgresql://…`` opens PostgreSQL; ``duckdb:///path``, a plain path or ``:memory:`` opens DuckDB."""
    url = url or DEFAULT_STORE
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres_store import PostgresStore

        return PostgresStore(url, read_only=read_only)
    if url.startswith("duckdb://"):
        # as SQLAlchemy writes it: duckdb:///relative.db, duckdb:////absolute/path.db, duckdb://:memory:
        url = url[len("duckdb://"):]
        url = url[1:] if url.startswith("/") else url
    from .duckdb_store import DuckDBStore

    return DuckDBStore(url, read_only=read_only)


__all__ = ["open_store", "SQLStore", "DEFAULT_STORE"]
