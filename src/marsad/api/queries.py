"""Read-side queries behind the API, in SQL that DuckDB and PostgreSQL both run.

Every list returns ``{"total", "limit", "offset", "items"}``. Events carry their places (name, coordinates,
governorate) and sources (article, outlet); details carry evidence: the sentence's offsets into the article's
clean text and the text around it, so a client can highlight exactly what was read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from ..store.base import SQLStore, article_conditions, like_anywhere
from .params import admin1_names

CONTEXT_CHARS = 400
MAX_ROWS = 100_000  # cap on rows gathered for one story view


def _loads(value, default):
    if value in (None, ""):
        return default
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return default


def _marks(values) -> str:
    return ", ".join("?" for _ in values)


_like = like_anywhere


def _page(total: int, limit: int, offset: int, items: list) -> dict:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def known_admin1(store: SQLStore) -> list[str]:
    return [r["admin1"] for r in store.query("SELECT DISTINCT admin1 FROM places WHERE admin1 IS NOT NULL")]


# ---------------------------------------------------------------------------------------------- events


def _place_condition(place: Optional[str], admin1: Optional[list]) -> tuple[str, list]:
    """SQL on a ``places`` row ``pl``: it is the place ``place`` (id or name) and lies in one of ``admin1``."""
    cond, p = [], []
    if place:
        cond.append("(pl.id = ? OR pl.name = ? OR lower(pl.name_en) = ?)")
        p += [place, place, place.lower()]
    if admin1:
        cond.append(f"pl.admin1 IN ({_marks(admin1)})")
        p += admin1
    return " AND ".join(cond), p


@dataclass
class EventFilter:
    date_from: Optional[str] = None
    date_to: Optional[str] = None
    types: list = field(default_factory=list)
    actor: Optional[str] = None
    place: Optional[str] = None
    admin1: list = field(default_factory=list)  # stored admin1 values
    outlet: Optional[str] = None
    fused: Optional[bool] = False  # False: one event per report; True: fused across outlets; None: both
    story_id: Optional[str] = None
    article_id: Optional[str] = None

    def where(self) -> tuple[str, list]:
        w, p = [], []
        if self.fused is not None:
            w.append("e.fused = ?")
            p.append(self.fused)
        if self.date_from:
            w.append("e.event_date >= ?")
            p.append(self.date_from)
        if self.date_to:
            w.append("e.event_date <= ?")
            p.append(self.date_to)
        if self.types:
            w.append(f"e.type IN ({_marks(self.types)})")
            p += self.types
        if self.actor:
            # an actor code also selects the codes under it (RUS → RUS.MIL, RUS.GOV.putin); a name matches the
            # text read in the article or the actor's canonical names (Putin → RUS.GOV.putin)
            a = self.actor.strip().lower()
            like, sub = _like(a), _like(a)[1:-1] + ".%"
            names = "SELECT id FROM entities WHERE lower(name) LIKE ? ESCAPE '!' OR lower(name_en) LIKE ? ESCAPE '!'"
            w.append("(" + " OR ".join(
                [f"lower(e.{r}) = ? OR lower(e.{r}) LIKE ? ESCAPE '!' OR lower(e.{r}_text) LIKE ? ESCAPE '!'"
                 f" OR e.{r} IN ({names})" for r in ("actor", "recipient")]) + ")")
            p += [a, sub, like, like, like] * 2
        if self.place or self.admin1:
            cond, cp = _place_condition(self.place, self.admin1)
            w.append("EXISTS (SELECT 1 FROM event_sources es JOIN places pl ON pl.article_id = es.article_id"
                     " WHERE es.event_id = e.id AND strpos(e.places, '\"' || pl.id || '\"') > 0 AND " + cond + ")")
            p += cp
        if self.outlet:
            w.append("EXISTS (SELECT 1 FROM event_sources es WHERE es.event_id = e.id AND es.outlet = ?)")
            p.append(self.outlet)
        if self.story_id:
            w.append("(e.story_id = ? OR e.article_id IN (SELECT article_id FROM story_articles WHERE story_id = ?))")
            p += [self.story_id, self.story_id]
        if self.article_id:
            w.append("EXISTS (SELECT 1 FROM event_sources es WHERE es.event_id = e.id AND es.article_id = ?)")
            p.append(self.article_id)
        return (" WHERE " + " AND ".join(w)) if w else "", p


_EVENT_COLS = ("e.id, e.article_id, e.fused, e.story_id, e.type, e.mode, e.actor, e.recipient, e.actor_text,"
               " e.recipient_text, e.places, e.event_date, e.date_precision, e.modality, e.negated, e.confidence,"
               " e.evidence_start, e.evidence_end, e.evidence_text")


def _sources(store: SQLStore, event_ids: list[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for i in range(0, len(event_ids), 500):
        chunk = event_ids[i:i + 500]
        for r in store.query(
                "SELECT es.event_id, es.article_id, COALESCE(es.outlet, a.outlet) AS outlet, a.title, a.published,"
                " a.url FROM event_sources es LEFT JOIN articles a ON a.id = es.article_id"
                f" WHERE es.event_id IN ({_marks(chunk)}) ORDER BY a.published, es.article_id", chunk):
            out.setdefault(r.pop("event_id"), []).append(r)
    return out


def _place_rows(store: SQLStore, article_ids: list[str]) -> dict[tuple, dict]:
    out: dict[tuple, dict] = {}
    for i in range(0, len(article_ids), 500):
        chunk = article_ids[i:i + 500]
        for r in store.query("SELECT article_id, id, name, name_en, lat, lon, kind, geo_precision, precision_level,"
                             f" admin1, admin2, admin3 FROM places WHERE article_id IN ({_marks(chunk)})", chunk):
            r.update(admin1_names(r["admin1"]))
            out[(r.pop("article_id"), r["id"])] = r
    return out


def _actor_names(store: SQLStore, ids: list[str]) -> dict[str, dict]:
    """Canonical Arabic and English names of actor codes, from the entities the articles linked."""
    out: dict[str, dict] = {}
    ids = sorted({i for i in ids if i})
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in store.query(f"SELECT id, MIN(name) AS name, MIN(name_en) AS name_en FROM entities"
                             f" WHERE id IN ({_marks(chunk)}) GROUP BY id", chunk):
            out[r["id"]] = r
    return out


def _attach(store: SQLStore, rows: list[dict]) -> list[dict]:
    """Add sources and resolved places to event rows."""
    if not rows:
        return rows
    sources = _sources(store, [r["id"] for r in rows])
    aids = sorted({s["article_id"] for ss in sources.values() for s in ss} | {r["article_id"] for r in rows
                                                                              if r["article_id"]})
    places = _place_rows(store, aids)
    names = _actor_names(store, [r[k] for r in rows for k in ("actor", "recipient")])
    for r in rows:
        for role in ("actor", "recipient"):
            n = names.get(r[role]) or {}
            r[role + "_name"], r[role + "_name_en"] = n.get("name"), n.get("name_en")
        r["sources"] = sources.get(r["id"], [])
        src_ids = [r["article_id"]] if r["article_id"] else []
        src_ids += [s["article_id"] for s in r["sources"] if s["article_id"] not in src_ids]
        resolved = []
        for pid in _loads(r["places"], []):
            p = next((places[(a, pid)] for a in src_ids if (a, pid) in places), None)
            resolved.append(dict(p) if p else {"id": pid, "name": None, "lat": None, "lon": None})
        r["places"] = resolved
        first = r["sources"][0] if r["sources"] else {}
        r["outlet"] = first.get("outlet")
        r["title"] = first.get("title")
        r["published"] = first.get("published")
    return rows


def list_events(store: SQLStore, flt: EventFilter, limit: int, offset: int) -> dict:
    where, params = flt.where()
    total = store.scalar(f"SELECT COUNT(*) FROM events e{where}", params) or 0
    rows = store.query(f"SELECT {_EVENT_COLS} FROM events e{where} ORDER BY e.event_date, e.id LIMIT ? OFFSET ?",
                       [*params, limit, offset])
    return _page(total, limit, offset, _attach(store, rows))


def event_ids(store: SQLStore, flt: EventFilter) -> list[str]:
    where, params = flt.where()
    return [r["id"] for r in store.query(f"SELECT e.id FROM events e{where} ORDER BY e.event_date, e.id", params)]


def _context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> dict:
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    return {"before": text[lo:start], "text": text[start:end], "after": text[end:hi],
            "context_start": lo, "context_end": hi}


def _evidence(record: dict, article: Optional[dict]) -> Optional[dict]:
    ev = record.get("evidence") or None
    if not ev or article is None:
        return None
    text = article.get("clean_text") or article.get("raw_text") or ""
    start, end = int(ev.get("start", 0)), int(ev.get("end", 0))
    ok = 0 <= start <= end <= len(text)
    out = {"event_id": record.get("id"), "article_id": article["id"], "outlet": article.get("outlet"),
           "title": article.get("title"), "published": article.get("published"), "start": start, "end": end,
           "text": ev.get("text") or (text[start:end] if ok else ""), "offsets_valid": ok,
           "spans": {role: {"start": s.get("start"), "end": s.get("end"), "text": s.get("text")}
                     for role, s in (record.get("spans") or {}).items() if isinstance(s, dict)}}
    if ok:
        out.update(_context(text, start, end))
    return out


def _articles_by_id(store: SQLStore, ids: list[str], cols: str = "id, outlet, title, published, url, clean_text,"
                    " raw_text") -> dict[str, dict]:
    ids = [i for i in dict.fromkeys(ids) if i]
    if not ids:
        return {}
    return {r["id"]: r for r in store.query(f"SELECT {cols} FROM articles WHERE id IN ({_marks(ids)})", ids)}


def member_events(store: SQLStore, record: dict) -> list[dict]:
    """The per-report events a fused event was built from: named in its attrs if the stories layer says so,
    else the same-type events of its source articles."""
    attrs = record.get("attrs") or {}
    ids = next((attrs[k] for k in ("member_events", "members", "member_ids", "event_ids")
                if isinstance(attrs.get(k), list)), None)
    if ids:  # ids, [article_id, event_id] pairs or {"id": …} dicts
        ids = [i[-1] if isinstance(i, (list, tuple)) and i else (i.get("id") if isinstance(i, dict) else i)
               for i in ids]
        ids = [str(i) for i in ids if i]
        rows = store.query(f"SELECT record FROM events WHERE id IN ({_marks(ids)})", ids) if ids else []
    else:
        src = record.get("sources") or []
        rows = store.query(f"SELECT record FROM events WHERE NOT fused AND type = ? AND article_id IN ({_marks(src)})",
                           [record.get("type"), *src]) if src else []
    return [_loads(r["record"], {}) for r in rows]


def event_detail(store: SQLStore, event_id: str) -> Optional[dict]:
    rows = store.query(f"SELECT {_EVENT_COLS}, e.record FROM events e WHERE e.id = ?", [event_id])
    if not rows:
        return None
    row = rows[0]
    record = _loads(row.pop("record"), {})
    _attach(store, [row])
    members = member_events(store, record) if row["fused"] else [record]
    articles = _articles_by_id(store, [m.get("article_id") for m in members])
    row["record"] = record
    row["evidence"] = [e for e in (_evidence(m, articles.get(m.get("article_id"))) for m in members) if e]
    if row["fused"]:
        row["members"] = [m.get("id") for m in members]
    return row


# ---------------------------------------------------------------------------------------------- articles


def list_articles(store: SQLStore, date_from, date_to, outlet, limit, offset, ids: Optional[list] = None) -> dict:
    w, p = article_conditions(date_from, date_to, outlet, alias="a.")
    where = (" WHERE " + " AND ".join(w)) if w else ""
    total = store.scalar(f"SELECT COUNT(*) FROM articles a{where}", p) or 0
    rows = store.query(
        "SELECT a.id, a.outlet, a.title, a.published, a.published_precision, a.url, a.source_format,"
        " (SELECT COUNT(*) FROM events e WHERE e.article_id = a.id) AS n_events,"
        " (SELECT COUNT(*) FROM figures f WHERE f.article_id = a.id) AS n_figures"
        f" FROM articles a{where} ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?", [*p, limit, offset])
    return _page(total, limit, offset, rows)


def article_detail(store: SQLStore, article_id: str, tokens: bool = False, raw: bool = False) -> Optional[dict]:
    rows = store.query("SELECT id, outlet, url, title, published, published_precision, published_source,"
                       " source_path, source_format, clean_text, raw_text, doc FROM articles WHERE id = ?",
                       [article_id])
    if not rows:
        return None
    row = rows[0]
    doc = _loads(row.pop("doc"), {})
    if not raw:
        row.pop("raw_text")
    art = doc.get("article") or {}
    row["labels"] = art.get("labels") or []
    row["meta"] = art.get("meta") or {}
    layers = {k: doc.get(k) or [] for k in ("sentences", "mentions", "entities", "places", "events", "figures",
                                             "dates", "numbers", "warnings")}
    for pl in layers["places"]:
        if isinstance(pl, dict):
            pl.update(admin1_names(pl.get("admin1")))
    if tokens:
        layers["tokens"] = doc.get("tokens") or []
    row["layers"] = layers
    row["stories"] = [r["story_id"] for r in store.query(
        "SELECT story_id FROM story_articles WHERE article_id = ?", [article_id])]
    return row


# ---------------------------------------------------------------------------------------------- figures


def list_figures(store: SQLStore, date_from, date_to, kind, reporter, outlet, article_id, story_id,
                 limit, offset, place: Optional[str] = None, admin1: Optional[list] = None) -> dict:
    """Figures, filtered; ``place`` / ``admin1`` keep those read for that place or governorate (a figure with no
    place of its own is not for any place)."""
    w, p = [], []
    if date_from:
        w.append("COALESCE(f.period_start, a.published) >= ?")
        p.append(date_from)
    if date_to:
        w.append("COALESCE(f.period_start, a.published) <= ?")
        p.append(date_to)
    if kind:
        w.append("f.kind = ?")
        p.append(kind)
    if reporter:
        w.append("(lower(f.reporter) LIKE ? ESCAPE '!' OR lower(f.reporter_text) LIKE ? ESCAPE '!')")
        p += [_like(reporter.lower())] * 2
    if outlet:
        w.append("a.outlet = ?")
        p.append(outlet)
    if article_id:
        w.append("f.article_id = ?")
        p.append(article_id)
    if story_id:
        w.append("f.article_id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
        p.append(story_id)
    if place or admin1:
        cond, cp = _place_condition(place, admin1)
        w.append("EXISTS (SELECT 1 FROM places pl WHERE pl.article_id = f.article_id AND pl.id = f.place AND "
                 + cond + ")")
        p += cp
    where = (" WHERE " + " AND ".join(w)) if w else ""
    base = " FROM figures f LEFT JOIN articles a ON a.id = f.article_id" + where
    total = store.scalar("SELECT COUNT(*)" + base, p) or 0
    rows = store.query("SELECT f.*, a.outlet, a.title, a.published" + base
                       + " ORDER BY COALESCE(f.period_start, a.published), f.article_id, f.idx LIMIT ? OFFSET ?",
                       [*p, limit, offset])
    for r in rows:
        r["group"] = r.pop("group_name")
    return _page(total, limit, offset, rows)


def figures_by_source(figures: list[dict]) -> list[dict]:
    """Figures grouped by what they count (kind, group), each source's claim side by side — never averaged."""
    groups: dict[tuple, dict] = {}
    for f in figures:
        key = (f["kind"], f["group"])
        g = groups.setdefault(key, {"kind": f["kind"], "group": f["group"], "claims": []})
        g["claims"].append({k: f.get(k) for k in ("article_id", "outlet", "title", "published", "reporter",
                                                  "reporter_text", "value", "low", "high", "qualifier",
                                                  "evidence_start", "evidence_end", "evidence_text")})
    for g in groups.values():
        values = {c["value"] for c in g["claims"] if c["value"] is not None}
        g["agree"] = len(values) <= 1
    return list(groups.values())


# ---------------------------------------------------------------------------------------------- stories


def list_stories(store: SQLStore, date_from, date_to, outlet, limit, offset) -> dict:
    w, p = [], []
    if date_from:
        w.append("COALESCE(s.last_date, s.first_date) >= ?")
        p.append(date_from)
    if date_to:
        w.append("COALESCE(s.first_date, s.last_date) <= ?")
        p.append(date_to)
    if outlet:
        w.append("EXISTS (SELECT 1 FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
                 " WHERE sa.story_id = s.id AND a.outlet = ?)")
        p.append(outlet)
    where = (" WHERE " + " AND ".join(w)) if w else ""
    total = store.scalar(f"SELECT COUNT(*) FROM stories s{where}", p) or 0
    rows = store.query(
        "SELECT s.id, s.title, s.first_date, s.last_date, s.n_articles, s.outlets,"
        " (SELECT COUNT(*) FROM events e WHERE e.fused AND e.story_id = s.id) AS n_events"
        f" FROM stories s{where} ORDER BY s.n_articles DESC, s.first_date DESC, s.id LIMIT ? OFFSET ?",
        [*p, limit, offset])
    for r in rows:
        r["outlets"] = _loads(r["outlets"], [])
    return _page(total, limit, offset, rows)


def story_detail(store: SQLStore, story_id: str) -> Optional[dict]:
    rows = store.query("SELECT * FROM stories WHERE id = ?", [story_id])
    if not rows:
        return None
    row = rows[0]
    record = _loads(row.pop("record"), {})
    row["outlets"] = _loads(row["outlets"], [])
    row["attrs"] = record.get("attrs") or {}
    row["duplicates"] = record.get("duplicates") or []
    copies = {d[0]: d[1] for d in row["duplicates"] if isinstance(d, (list, tuple)) and len(d) >= 2}
    sources = store.query(
        "SELECT a.id, a.outlet, a.title, a.published, a.url, a.source_format FROM story_articles sa"
        " JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ? ORDER BY a.published, a.id", [story_id])
    for s in sources:
        s["duplicate_of"] = copies.get(s["id"])
    row["sources"] = sources
    aids = [s["id"] for s in sources]
    frows = store.query(f"SELECT {_EVENT_COLS}, e.record FROM events e WHERE e.fused AND e.story_id = ?"
                        " ORDER BY e.event_date, e.id", [story_id])
    records = {r["id"]: _loads(r.pop("record"), {}) for r in frows}
    _attach(store, frows)
    for r in frows:
        r["members"] = [m.get("id") for m in member_events(store, records[r["id"]])]
        a = records[r["id"]].get("attrs") or {}  # independent sources vs copies, and what each source says
        r["independent_sources"] = a.get("independent_sources", len(r["sources"]))
        r["copies"] = a.get("copies", {})
        r["values_by_source"] = {"dates": a.get("dates_by_source", {}), "places": a.get("places_by_source", {}),
                                 "figures": a.get("figures_by_source", {})}
    row["events"] = frows
    reports = []
    if aids:
        reports = store.query(f"SELECT {_EVENT_COLS} FROM events e WHERE NOT e.fused AND e.article_id IN"
                              f" ({_marks(aids)}) ORDER BY e.event_date, e.id", aids)
        _attach(store, reports)
    row["report_events"] = reports
    figs = list_figures(store, None, None, None, None, None, None, story_id, MAX_ROWS, 0)["items"]
    row["figures"] = figs
    row["figures_by_source"] = figures_by_source(figs)
    timeline = [{"date": s["published"], "kind": "article", "article_id": s["id"], "outlet": s["outlet"],
                 "title": s["title"]} for s in sources]
    timeline += [{"date": e["event_date"], "kind": "event", "event_id": e["id"], "type": e["type"],
                  "fused": bool(e["fused"]), "places": [p.get("name") for p in e["places"]]} for e in frows]
    timeline += [{"date": e["event_date"], "kind": "report_event", "event_id": e["id"], "type": e["type"],
                  "article_id": e["article_id"], "outlet": e["outlet"]} for e in reports]
    row["timeline"] = sorted(timeline, key=lambda t: (t["date"] or "9999", t["kind"]))
    row["view"] = _stories_layer_view(record, records)
    return row


def _stories_layer_view(record: dict, fused_records: dict) -> Optional[dict]:
    """The stories layer's own story view (disagreements, fused figures…) when that layer is installed."""
    try:
        from ..model import Event, Story
        from ..stories.view import story_view
    except ImportError:
        return None
    try:
        return story_view(Story.from_dict(record), [Event.from_dict(r) for r in fused_records.values()])
    except Exception:  # a view the layer cannot build must not break the API's own story view
        return None



# ---------------------------------------------------------------------------------------------- entities, places


def list_entities(store: SQLStore, q, label, article_id, limit, offset) -> dict:
    w, p = [], []
    if q:
        w.append("(lower(name) LIKE ? ESCAPE '!' OR lower(name_en) LIKE ? ESCAPE '!' OR lower(id) LIKE ? ESCAPE '!')")
        p += [_like(q.lower())] * 3
    if label:
        w.append("label = ?")
        p.append(label)
    if article_id:
        w.append("article_id = ?")
        p.append(article_id)
    where = (" WHERE " + " AND ".join(w)) if w else ""
    total = store.scalar(f"SELECT COUNT(DISTINCT id) FROM entities{where}", p) or 0
    rows = store.query(
        "SELECT id, MIN(name) AS name, MIN(name_en) AS name_en, MIN(label) AS label, MIN(country) AS country,"
        " MIN(sector) AS sector, COUNT(DISTINCT article_id) AS n_articles, SUM(n_mentions) AS n_mentions"
        f" FROM entities{where} GROUP BY id ORDER BY n_articles DESC, n_mentions DESC, id LIMIT ? OFFSET ?",
        [*p, limit, offset])
    return _page(total, limit, offset, rows)


def list_places(store: SQLStore, q, admin1, article_id, limit, offset) -> dict:
    w, p = [], []
    if q:
        w.append("(name LIKE ? ESCAPE '!' OR lower(name_en) LIKE ? ESCAPE '!' OR id = ?)")
        p += [_like(q), _like(q.lower()), q]
    if admin1:
        w.append(f"admin1 IN ({_marks(admin1)})")
        p += admin1
    if article_id:
        w.append("article_id = ?")
        p.append(article_id)
    where = (" WHERE " + " AND ".join(w)) if w else ""
    total = store.scalar(f"SELECT COUNT(DISTINCT id) FROM places{where}", p) or 0
    rows = store.query(
        "SELECT id, MIN(name) AS name, MIN(name_en) AS name_en, MIN(lat) AS lat, MIN(lon) AS lon,"
        " MIN(kind) AS kind, MIN(geo_precision) AS geo_precision, MIN(precision_level) AS precision_level,"
        " MIN(admin1) AS admin1, MIN(admin2) AS admin2, COUNT(DISTINCT article_id) AS n_articles,"
        " SUM(n_mentions) AS n_mentions"
        f" FROM places{where} GROUP BY id ORDER BY n_articles DESC, id LIMIT ? OFFSET ?", [*p, limit, offset])
    for r in rows:
        r.update(admin1_names(r["admin1"]))
    return _page(total, limit, offset, rows)


def facets(store: SQLStore) -> dict[str, Any]:
    """Values for the dashboard's filter menus."""
    return {
        "outlets": store.query("SELECT outlet, COUNT(*) AS n FROM articles WHERE outlet IS NOT NULL"
                               " GROUP BY outlet ORDER BY n DESC, outlet"),
        "types": store.query("SELECT type, COUNT(*) AS n FROM events WHERE NOT fused GROUP BY type"
                             " ORDER BY n DESC, type"),
        "admin1": store.query("SELECT admin1, COUNT(DISTINCT article_id) AS n FROM places WHERE admin1 IS NOT NULL"
                              " GROUP BY admin1 ORDER BY n DESC, admin1"),
        "actors": _actor_facet(store),
        "places": store.query(
            "SELECT pl.id, MIN(pl.name) AS name, MIN(pl.name_en) AS name_en, COUNT(DISTINCT e.id) AS n"
            " FROM events e JOIN places pl ON pl.article_id = e.article_id"
            " AND strpos(e.places, '\"' || pl.id || '\"') > 0 WHERE NOT e.fused"
            " GROUP BY pl.id ORDER BY n DESC, pl.id LIMIT 500"),
        "figure_kinds": store.query("SELECT kind, COUNT(*) AS n FROM figures GROUP BY kind ORDER BY n DESC, kind"),
        "date_range": store.query("SELECT MIN(event_date) AS first, MAX(event_date) AS last FROM events")[0],
    }


def _actor_facet(store: SQLStore) -> list[dict]:
    """Actors and recipients of the per-report events, with their names and how many events name them."""
    rows = store.query("SELECT id, COUNT(*) AS n FROM (SELECT actor AS id FROM events WHERE NOT fused AND actor IS NOT"
                       " NULL UNION ALL SELECT recipient AS id FROM events WHERE NOT fused AND recipient IS NOT NULL)"
                       " x GROUP BY id ORDER BY n DESC, id")
    names = _actor_names(store, [r["id"] for r in rows])
    for r in rows:
        n = names.get(r["id"]) or {}
        r["name"], r["name_en"] = n.get("name"), n.get("name_en")
    return rows
