"""Storage backends behind one interface: DuckDB by default, PostgreSQL for a team (by connection URL)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urlsplit

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


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def duckdb_path(url: str) -> Optional[str]:
    """The DuckDB file of a store URL, or None for PostgreSQL and ``:memory:``."""
    if is_postgres(url):
        return None
    if url.startswith("duckdb://"):
        url = url[len("duckdb://"):]
        url = url[1:] if url.startswith("/") else url
    return None if url == ":memory:" else url


def describe_store(url: str) -> dict:
    """``{"kind", "database"}`` of a store URL: its kind, and the database's name (a DuckDB file's name, a
    PostgreSQL database's name) — never a user, password, host or folder, so it can be shown and logged."""
    if is_postgres(url):
        parts = urlsplit(url)
        name = unquote(parts.path.lstrip("/")) or None
        if not name:  # a key=value query may name it: ?dbname=x
            for kv in parts.query.split("&"):
                k, _, v = kv.partition("=")
                if k == "dbname":
                    name = unquote(v)
        return {"kind": "postgresql", "database": name or "(server default)"}
    path = duckdb_path(url)
    return {"kind": "duckdb", "database": ":memory:" if path is None else Path(path).name}


def store_label(url: str) -> str:
    """How messages name a store: ``duckdb file marsad.duckdb``, ``postgresql database marsad``."""
    d = describe_store(url)
    return f"{d['kind']} {'file' if d['kind'] == 'duckdb' else 'database'} {d['database']}"


__all__ = ["open_store", "SQLStore", "DEFAULT_STORE", "describe_store", "store_label"]
