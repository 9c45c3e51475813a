"""The storage interface and its SQL implementation shared by the DuckDB and PostgreSQL backends.

Writes are per article and transactional; ids are content hashes, so storing the same article twice is a
no-op. Backends differ only in how they connect and their parameter style; search is :mod:`marsad.store.search`.
"""

from __future__ import annotations

import json
import re
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Optional, Sequence

from ..model import Document, Event, Story
from .schema import ARTICLE_TABLES, INDEXES, SCHEMA_VERSION, TABLES


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def like_anywhere(value: str) -> str:
    """A LIKE pattern matching ``value`` anywhere, its own % and _ taken literally (use with ESCAPE '!')."""
    return "%" + value.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"


def article_conditions(date_from: Optional[str] = None, date_to: Optional[str] = None, outlet: Optional[str] = None,
                       alias: str = "") -> tuple[list[str], list]:
    """SQL conditions and parameters selecting articles by publication period and outlet (``alias``: the articles
    table's alias in the query, e.g. ``"a."``)."""
    w, p = [], []
    for cond, value in ((f"{alias}published >= ?", date_from), (f"{alias}published <= ?", date_to),
                        (f"{alias}outlet = ?", outlet)):
        if value:
            w.append(cond)
            p.append(value)
    return w, p


def _date_parts(ref) -> tuple[Optional[str], Optional[str], Optional[str]]:
    if ref is None:
        return None, None, None
    return ref.value, ref.precision, ref.source


class SQLStore:
    """Backend-neutral store. Subclasses provide ``_connect`` and may override ``_param`` and search."""

    url: str = ""
    placeholder = "?"
    _batch: Optional[dict] = None  # sql -> rows, while save_documents gathers layer rows
    MAX_BATCH_PARAMS = 20_000  # parameters per multi-row INSERT (PostgreSQL allows 65,535)

    def __init__(self) -> None:
        self._lock = threading.RLock()  # one connection, many threads: serialise its use
        self.conn = self._connect()
        self._ensure_schema()

    # -- backend hooks ------------------------------------------------------------------------------
    def _connect(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def _begin(self) -> None:
        self.conn.execute("BEGIN TRANSACTION")

    def _commit(self) -> None:
        self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        self.conn.execute("ROLLBACK")

    # -- plumbing -----------------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence = ()):
        with self._lock:
            return self.conn.execute(self._sql(sql), list(params))

    def executemany(self, sql: str, rows: Sequence[Sequence]) -> None:
        if not rows:
            return
        if self._batch is not None:  # inside save_documents: gathered, written as multi-row INSERTs
            self._batch.setdefault(sql, []).extend(rows)
            return
        with self._lock:
            cur = self.conn.cursor() if hasattr(self.conn, "cursor") and self.placeholder != "?" else self.conn
            cur.executemany(self._sql(sql), [list(r) for r in rows])

    def query(self, sql: str, params: Sequence = ()) -> list[dict]:
        with self._lock:
            cur = self.execute(sql, params)
            cols = [d[0] for d in cur.description] if cur.description else []
            return [dict(zip(cols, row)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence = ()):
        with self._lock:
            row = self.execute(sql, params).fetchone()
        return row[0] if row else None

    @contextmanager
    def transaction(self):
        with self._lock:
            self._begin()
            try:
                yield self
            except BaseException:
                self._rollback()
                raise
            else:
                self._commit()

    def _ensure_schema(self) -> None:
        with self.transaction():
            for ddl in TABLES.values():
                self.execute(ddl)
            for ddl in INDEXES:
                self.execute(ddl)
            self.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
                         ["schema_version", str(SCHEMA_VERSION)])

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- articles -----------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self.scalar("SELECT 1 FROM articles WHERE id = ?", [article_id]) is not None

    def article_ids(self) -> set[str]:
        return {r[0] for r in self.execute("SELECT id FROM articles").fetchall()}

    _ARTICLE_INSERT = (
        "INSERT INTO articles (id, outlet, url, title, published, published_precision, published_source,"
        " source_path, source_format, raw_text, clean_text, norm_text, meta, doc, ingested_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id")

    @staticmethod
    def _article_row(doc: Document, norm_text: Optional[str], doc_json: Optional[str] = None) -> list:
        a = doc.article
        return [a.id, a.outlet, a.url, a.title, *_date_parts(a.published), a.source_path, a.source_format,
                a.raw_text, a.clean_text, norm_text, _json(a.meta), doc_json or doc.to_json(),
                datetime.now(timezone.utc).replace(tzinfo=None)]

    def save_document(self, doc: Document, norm_text: Optional[str] = None) -> bool:
        """Store one processed document in one transaction. Returns False if the article was already stored."""
        with self.transaction():
            inserted = self.execute(self._ARTICLE_INSERT, self._article_row(doc, norm_text)).fetchall()
            if not inserted:
                return False
            with self._gathering():
                self._write_layers(doc)
        return True

    def save_documents(self, items: Sequence[tuple]) -> list[bool]:
        """Store many ``(doc, norm_text)`` or ``(doc, norm_text, doc_json)`` (the JSON made elsewhere, e.g. on a
        Dask worker) in ONE transaction — all or none — with a few multi-row INSERTs
        (per-statement overhead dominates single-article writes in DuckDB). Idempotent like save_document:
        returns, per item, whether it was new; already stored articles (and repeats in ``items``) are left."""
        if not items:
            return []
        with self.transaction():
            ordered = sorted(items, key=lambda it: it[0].article.id)  # one lock order for concurrent writers
            rows = [self._article_row(*item) for item in ordered]
            new = {r[0] for r in self._insert_rows(self._ARTICLE_INSERT, rows)}
            with self._gathering():
                done: set = set()
                for doc, *_ in items:
                    if doc.article.id in new and doc.article.id not in done:
                        done.add(doc.article.id)
                        self._write_layers(doc)
        out, given = [], set()
        for doc, *_ in items:
            out.append(doc.article.id in new and doc.article.id not in given)
            given.add(doc.article.id)
        return out

    @contextmanager
    def _gathering(self):
        """Inside a transaction: gather executemany() rows and write them as multi-row INSERTs at the end
        (DuckDB's executemany costs milliseconds per call). Nested use joins the outer gathering."""
        if self._batch is not None:
            yield
            return
        self._batch = {}
        try:
            yield
            gathered, self._batch = self._batch, None
            for sql, rows in gathered.items():
                self._insert_rows(sql, rows)
        finally:
            self._batch = None

    def _insert_rows(self, sql: str, rows: list) -> list:
        """``INSERT … VALUES (?, …) …`` for many rows at once; returns the rows a RETURNING clause gives.

        DuckDB binds parameters slowly, so there the rows go in as one Arrow table (``INSERT … SELECT``);
        elsewhere, or for rows Arrow cannot type, as multi-row VALUES statements."""
        m = re.search(r"VALUES\s*(\([?,\s]+\))", sql)
        if m is None:
            self.executemany(sql, rows)
            return []
        group, width = m.group(1), m.group(1).count("?")
        if hasattr(self.conn, "register"):  # DuckDB
            try:
                import pyarrow as pa

                table = pa.table({f"c{i}": pa.array([r[i] for r in rows]) for i in range(width)})
                if any(pa.types.is_nested(c.type) for c in table.columns):
                    table = None  # lists or dicts: let the VALUES path bind (or refuse) them
            except (ImportError, TypeError, ValueError, ArithmeticError):  # pa.ArrowInvalid is a ValueError
                table = None
            if table is not None:
                name = "_marsad_rows"
                with self._lock:
                    self.conn.register(name, table)
                    try:
                        cur = self.conn.execute(sql[:m.start()] + f"SELECT * FROM {name}" + sql[m.end():])
                        return cur.fetchall() if cur.description else []
                    finally:
                        self.conn.unregister(name)
        out: list = []
        step = max(1, self.MAX_BATCH_PARAMS // width)
        for i in range(0, len(rows), step):
            chunk = rows[i:i + step]
            many = sql[:m.start(1)] + ", ".join([group] * len(chunk)) + sql[m.end(1):]
            cur = self.execute(many, [v for r in chunk for v in r])
            if cur.description:
                out += cur.fetchall()
        return out

    def _write_layers(self, doc: Document) -> None:
        aid = doc.article.id
        self.executemany(
            "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [[aid, i, m.span.start, m.span.end, m.span.raw_start, m.span.raw_end, m.span.text, m.label,
              m.source, m.entity_id] for i, m in enumerate(doc.mentions)])
        self.executemany(
            "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [[aid, e.id, e.name, e.name_en, e.label, e.country, e.sector, len(e.mentions)] for e in doc.entities])
        self.executemany(
            "INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [[aid, p.id, p.name, p.name_en, p.lat, p.lon, p.kind, p.precision, p.precision_level, p.country,
              p.admin1, p.admin2, p.admin3, len(p.mentions)] for p in doc.places])
        self._write_events(doc.events, fused=False, story_id=None)
        self.executemany(
            "INSERT INTO event_sources VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [[ev.id, aid, doc.article.outlet] for ev in doc.events])
        self.executemany(
            "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [[aid, i, f.kind, f.group, f.value, f.low, f.high, f.qualifier, f.side, f.reporter, f.reporter_text,
              f.period.value if f.period else None, f.period.end if f.period else None, f.place, f.parent,
              f.evidence.start if f.evidence else None, f.evidence.end if f.evidence else None,
              f.evidence.text if f.evidence else None] for i, f in enumerate(doc.figures)])

    def _write_events(self, events: Iterable[Event], fused: bool, story_id: Optional[str]) -> None:
        self.executemany(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [[ev.id, ev.article_id, fused, story_id, ev.type, ev.mode, ev.actor, ev.recipient, ev.actor_text,
              ev.recipient_text, _json(ev.places), ev.date.value if ev.date else None,
              ev.date.precision if ev.date else None, ev.modality, ev.negated, ev.confidence,
              ev.evidence.start if ev.evidence else None, ev.evidence.end if ev.evidence else None,
              ev.evidence.text if ev.evidence else None, ev.to_json()] for ev in events])

    def load_documents(self, ids: Optional[Iterable[str]] = None) -> Iterator[Document]:
        if ids is None:
            rows = self.execute("SELECT doc FROM articles ORDER BY published, id").fetchall()
        else:
            wanted = list(ids)
            rows = []
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                marks = ", ".join("?" for _ in chunk)
                rows += self.execute(f"SELECT doc FROM articles WHERE id IN ({marks})", chunk).fetchall()
        for (doc_json,) in rows:
            yield Document.from_dict(json.loads(doc_json))

    # -- stories ------------------------------------------------------------------------------------
    def delete_stories(self, story_ids: Sequence[str]) -> None:
        """Delete stories (merged into others by the story builder) with their article links and fused events."""
        with self.transaction():
            for sid in story_ids:
                for (eid,) in self.execute("SELECT id FROM events WHERE fused AND story_id = ?", [sid]).fetchall():
                    self.execute("DELETE FROM event_sources WHERE event_id = ?", [eid])
                self.execute("DELETE FROM events WHERE fused AND story_id = ?", [sid])
                self.execute("DELETE FROM story_articles WHERE story_id = ?", [sid])
                self.execute("DELETE FROM stories WHERE id = ?", [sid])

    def save_stories(self, stories: Sequence[Story], fused_events: Sequence[Event] = ()) -> None:
        """Replace the given stories and their fused events (stories change as articles join them)."""
        with self.transaction(), self._gathering():
            for st in stories:
                self.execute("DELETE FROM story_articles WHERE story_id = ?", [st.id])
                self.execute("DELETE FROM stories WHERE id = ?", [st.id])
                old = [r[0] for r in self.execute(
                    "SELECT id FROM events WHERE fused AND story_id = ?", [st.id]).fetchall()]
                for eid in old:
                    self.execute("DELETE FROM event_sources WHERE event_id = ?", [eid])
                self.execute("DELETE FROM events WHERE fused AND story_id = ?", [st.id])
                self.execute("INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [st.id, st.title, st.start, st.end, len(st.article_ids), _json(st.outlets),
                              st.to_json()])
                self.executemany("INSERT INTO story_articles VALUES (?, ?) ON CONFLICT DO NOTHING",
                                 [[st.id, aid] for aid in st.article_ids])
            by_story: dict[Optional[str], list[Event]] = {}
            for ev in fused_events:
                by_story.setdefault(ev.attrs.get("story_id"), []).append(ev)
            for sid, evs in by_story.items():
                self.execute("DELETE FROM events WHERE id IN (%s)" % ", ".join("?" for _ in evs),
                             [e.id for e in evs])
                self._write_events(evs, fused=True, story_id=sid)
                outlets = {}
                for ev in evs:
                    outlets.update(ev.attrs.get("outlets_by_article", {}))
                self.executemany("INSERT INTO event_sources VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                 [[ev.id, aid, outlets.get(aid)] for ev in evs for aid in ev.sources])

    # -- reading ------------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[dict]:
        """Articles whose text holds every word of ``query``, clitics allowed (إدلب finds وبإدلب), best first —
        the API's search (:mod:`marsad.store.search`). Each hit: id, title, outlet, published, url, score (matches
        in the text) and snippet (the clean text around the first match); a query with no word finds nothing."""
        from .search import QueryError, search

        try:
            found = search(self, query, limit, offset)
        except QueryError:
            return []
        out = []
        for it in found["items"]:
            snip = it["snippets"][0] if it["snippets"] else None
            text = " ".join(snip["text"].split()) if snip else ""
            if snip:
                text = ("…" if snip["cut_before"] else "") + text + ("…" if snip["cut_after"] else "")
            out.append({"id": it["id"], "title": it["title"], "outlet": it["outlet"], "published": it["published"],
                        "url": it["url"], "score": it["n_matches"], "snippet": text})
        return out

    def stats(self) -> dict:
        counts = {t: self.scalar(f"SELECT COUNT(*) FROM {t}") for t in
                  ("articles", "mentions", "entities", "places", "events", "figures", "stories")}
        counts["fused_events"] = self.scalar("SELECT COUNT(*) FROM events WHERE fused")
        return {
            "counts": counts,
            "outlets": self.query("SELECT COALESCE(outlet, '?') AS outlet, COUNT(*) AS n FROM articles"
                                  " GROUP BY 1 ORDER BY n DESC"),
            "event_types": self.query("SELECT type, COUNT(*) AS n FROM events WHERE NOT fused"
                                      " GROUP BY type ORDER BY n DESC"),
            "date_range": self.query("SELECT MIN(published) AS first, MAX(published) AS last FROM articles")[0],
        }
