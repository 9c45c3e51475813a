"""PostgreSQL for a team: the same tables and SQL as DuckDB, through psycopg 3, selected by a postgresql:// URL.

Many processes may write at once. Each article is one transaction and ``INSERT … ON CONFLICT DO NOTHING``
on its content-hash id decides which writer stores it: a second writer of the same article waits for the
first to commit, then finds the row and writes nothing. Schema creation and story updates are serialised
with advisory locks, so concurrent runs neither race on ``CREATE TABLE`` nor deadlock on stories.

Search: articles.norm_text (normalised Arabic) gets a pg_trgm GIN index, which PostgreSQL uses for the
``LIKE`` that narrows the candidates of :mod:`marsad.store.search`. A tsvector with the 'simple'
configuration was the other candidate, but its prefix queries (``ادلب:*``) cannot see through proclitics
(وبادلب), and pg_trgm ships in Debian's ``postgresql`` package. Without pg_trgm the same queries still run,
unindexed.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache

from .base import SQLStore
from .schema import INDEXES, TABLES

_LITERAL_OR_MARK = re.compile(r"'(?:[^']|'')*'|\?|%")


@lru_cache(maxsize=1024)
def to_psycopg(sql: str) -> str:
    """``?`` parameters → ``%s``, literal ``%`` → ``%%``; question marks inside string literals stay."""

    def sub(m: re.Match) -> str:
        tok = m.group(0)
        if tok == "?":
            return "%s"
        if tok == "%":
            return "%%"
        return tok.replace("%", "%%")

    return _LITERAL_OR_MARK.sub(sub, sql)

_SCHEMA_LOCK = 4_242_001  # advisory lock keys (any constant shared by all marsad processes)
_STORIES_LOCK = 4_242_002
TRGM_INDEX = "CREATE INDEX IF NOT EXISTS articles_norm_trgm ON articles USING gin (norm_text gin_trgm_ops)"


class PostgresStore(SQLStore):
    placeholder = "%s"

    def __init__(self, url: str, connect_timeout: float = 10.0, read_only: bool = False):
        self.url = url
        self.connect_timeout = connect_timeout
        self.read_only = read_only
        self.has_trgm = False
        super().__init__()

    def _connect(self):
        import psycopg

        # autocommit: transactions are opened explicitly with BEGIN, exactly as with DuckDB. A read-only store's
        # session refuses writes (default_transaction_read_only): the API's readers can never lock rows.
        conn = psycopg.connect(self.url, autocommit=True, connect_timeout=int(self.connect_timeout))
        if self.read_only:
            conn.execute("SET default_transaction_read_only = on")
        return conn

    def _sql(self, sql: str) -> str:
        return to_psycopg(sql)

    def _begin(self) -> None:
        self.conn.execute("BEGIN")

    def _ensure_schema(self) -> None:
        if self.read_only:
            return
        with self._lock:
            if self._schema_complete():
                # CREATE INDEX IF NOT EXISTS takes a SHARE lock on its table before it looks: run against a
                # live store, it deadlocks with writers mid-transaction. A complete schema needs no DDL.
                self.has_trgm = self._trgm_index_exists()
                return
            self.conn.execute("SELECT pg_advisory_lock(%s)", [_SCHEMA_LOCK])
            try:
                super()._ensure_schema()
                self.has_trgm = self._ensure_trgm()
            finally:
                self.conn.execute("SELECT pg_advisory_unlock(%s)", [_SCHEMA_LOCK])

    def _schema_complete(self) -> bool:
        names = list(TABLES) + [re.search(r"EXISTS\s+(\w+)", ddl).group(1) for ddl in INDEXES]
        found = self.conn.execute("SELECT count(*) FROM pg_class WHERE relname = ANY(%s)"
                                  " AND pg_table_is_visible(oid)", [names]).fetchone()[0]
        return found == len(names)

    def _trgm_index_exists(self) -> bool:
        return self.conn.execute("SELECT to_regclass('articles_norm_trgm') IS NOT NULL").fetchone()[0]

    def _ensure_trgm(self) -> bool:
        import psycopg

        installed = self.conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()
        if not installed:
            try:
                self.conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except psycopg.Error:  # not installed on the server, or no right to create it
                return False
        try:
            self.conn.execute(TRGM_INDEX)
        except psycopg.Error:  # the extension lives in a schema outside search_path
            return False
        return True

    # -- writes that touch shared rows --------------------------------------------------------------
    def save_stories(self, stories, fused_events=()) -> None:
        """Stories are shared between writers: serialise their replacement, retry on a deadlock."""
        import psycopg

        for attempt in range(5):
            try:
                with self._lock:
                    self.conn.execute("SELECT pg_advisory_lock(%s)", [_STORIES_LOCK])
                    try:
                        return super().save_stories(stories, fused_events)
                    finally:
                        self.conn.execute("SELECT pg_advisory_unlock(%s)", [_STORIES_LOCK])
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                if attempt == 4:
                    raise
                time.sleep(0.1 * (attempt + 1))

    def article_ids(self) -> set[str]:
        with self._lock:
            with self.conn.cursor() as cur:
                cur.execute("SELECT id FROM articles")
                return {r[0] for r in cur}
