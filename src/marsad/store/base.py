"""The storage interface and its SQL implementation shared by the DuckDB and PostgreSQL backends.

Writes are per article and transactional; ids are content hashes, so storing the same article twice is a
no-op. Backends differ only in how they connect, their parameter style and their full-text search.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Optional, Sequence

from ..model import Document, Event, Story
from .schema import ARTICLE_TABLES, INDEXES, SCHEMA_VERSION, TABLES


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _date_parts(ref) -> tuple[Optional[str], Optional[str], Optional[str]]:
    if ref is None:
        return None, None, None
    return ref.value, ref.precision, ref.source


class SQLStore:
    """Backend-neutral store. Subclasses provide ``_connect`` and may override ``_param`` and search."""

    url: str = ""
    placeholder = "?"

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

    def save_document(self, doc: Document, norm_text: Optional[str] = None) -> bool:
        """Store one processed document in one transaction. Returns False if the article was already stored."""
        a = doc.article
        with self.transaction():
            inserted = self.execute(
                "INSERT INTO articles (id, outlet, url, title, published, published_precision, published_source,"
                " source_path, source_format, raw_text, clean_text, norm_text, meta, doc, ingested_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                [a.id, a.outlet, a.url, a.title, *_date_parts(a.published), a.source_path, a.source_format,
                 a.raw_text, a.clean_text, norm_text, _json(a.meta), doc.to_json(),
                 datetime.now(timezone.utc).replace(tzinfo=None)],
            ).fetchall()
            if not inserted:
                return False
            self._write_layers(doc)
        return True

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
    def save_stories(self, stories: Sequence[Story], fused_events: Sequence[Event] = ()) -> None:
        """Replace the given stories and their fused events (stories change as articles join them)."""
        with self.transaction():
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
