"""Export views of the store (events, acled, figures, articles) as CSV, JSONL, GeoJSON or Parquet.

Filters (dates, types, actor, place, governorate) are SQL conditions on the store (the API's event filter),
so an export reads only the rows it writes. Every format works for every view:

* GeoJSON maps a row by its own coordinates; figures without a place take their article's main place
  (the place it names most), articles are mapped by their main place. Rows with no coordinates are left
  out and counted (:class:`ExportResult`).
* CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) are
  neutralised as OWASP recommends: prefixed with a single quote (:func:`csv_cell`).
* Parquet columns get one type each: a column mixing numbers with empty strings is written as numbers with
  nulls, any other mix as text.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from .base import SQLStore

FORMATS = ("csv", "jsonl", "geojson", "parquet")
VIEW_NAMES = ("acled", "events", "figures", "articles")
_CHUNK = 500


class ExportError(Exception):
    pass


@dataclass
class ExportResult:
    """What an export wrote: ``rows`` written, and for GeoJSON the rows ``left_out`` for want of coordinates;
    ``not_coded`` counts, for the ACLED view, the events left out and why."""

    rows: int = 0
    left_out: int = 0
    not_coded: Counter = field(default_factory=Counter)

    def __int__(self) -> int:
        return self.rows


def _marks(values) -> str:
    return ", ".join("?" for _ in values)


def _chunks(values: list):
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


def event_filter(store: SQLStore, date_from=None, date_to=None, types=None, actor=None, place=None,
                 governorate=None, fused: Optional[bool] = False):
    """The API's event filter (one definition of what each filter means) from plain values. Dates are
    YYYY[-MM[-DD]]; ``types`` a list or comma-separated PLOVER types; ``governorate`` an Arabic or English
    name or a p-code. A bad value raises ExportError with the message the API would give."""
    from ..api import params as P
    from ..api.queries import EventFilter, known_admin1

    try:
        lo, hi = P.date_range(date_from, date_to)
        tlist = P.event_types(",".join(types) if isinstance(types, (list, tuple)) else types)
        admin1 = P.admin1_aliases(governorate, known_admin1(store)) if governorate else []
    except Exception as exc:  # fastapi's HTTPException carries the message in .detail
        raise ExportError(getattr(exc, "detail", None) or str(exc)) from None
    return EventFilter(date_from=lo, date_to=hi, types=tlist, actor=actor or None, place=place or None,
                       admin1=admin1, fused=fused)


def _places_of(store: SQLStore, article_ids: list) -> dict:
    out = {}
    for chunk in _chunks(sorted(set(article_ids))):
        for r in store.query(f"SELECT * FROM places WHERE article_id IN ({_marks(chunk)})", chunk):
            out[(r["article_id"], r["id"])] = r
    return out


def event_ids(store: SQLStore, flt=None) -> list[str]:
    if flt is None:
        return [r["id"] for r in store.query("SELECT id FROM events e ORDER BY e.event_date, e.id")]
    where, params = flt.where()
    return [r["id"] for r in store.query(f"SELECT e.id FROM events e{where} ORDER BY e.event_date, e.id", params)]


def event_rows(store: SQLStore, flt=None) -> list[dict]:
    """One row per event and place (an event in three villages is three mapped rows, as ACLED codes it).
    ``flt``: an event filter (:func:`event_filter`); None = every event, per report and fused."""
    where, params = flt.where() if flt is not None else ("", [])
    events = store.query(
        "SELECT e.*, articles.outlet, articles.url, articles.title FROM events e"
        f" LEFT JOIN articles ON articles.id = e.article_id{where} ORDER BY e.event_date, e.id", params)
    records = [json.loads(ev.pop("record")) for ev in events]
    sources = [r.get("sources") or ([ev["article_id"]] if ev["article_id"] else []) for ev, r in zip(events, records)]
    places = _places_of(store, [a for ss in sources for a in ss])
    rows = []
    for ev, srcs in zip(events, sources):
        place_ids = json.loads(ev.pop("places") or "[]") or [None]
        for pid in place_ids:
            p = next((places[(a, pid)] for a in srcs if (a, pid) in places), None)
            rows.append({
                **ev, "sources": ";".join(srcs), "place_id": pid,
                "place": p["name"] if p else None, "latitude": p["lat"] if p else None,
                "longitude": p["lon"] if p else None, "admin1": p["admin1"] if p else None,
                "geo_precision": p["geo_precision"] if p else None,
            })
    return rows


def acled_view(store: SQLStore, flt=None, not_coded: Optional[Counter] = None) -> list[dict]:
    """ACLED rows of the per-report events that ``flt`` selects (all when None)."""
    try:
        from ..events.acled import acled_rows
    except ImportError as exc:
        raise ExportError(f"the ACLED view needs the events layer ({exc})")
    if flt is not None:
        flt.fused = False
        keep = set(event_ids(store, flt))
        aids = sorted({r["article_id"] for chunk in _chunks(sorted(keep)) for r in store.query(
            f"SELECT article_id FROM events WHERE id IN ({_marks(chunk)})", chunk)})
    else:
        keep = None
        aids = [r["id"] for r in store.query("SELECT id FROM articles ORDER BY id")]
    fused: dict = {}
    stamps: dict = {}
    for chunk in _chunks(aids):
        for r in store.query("SELECT DISTINCT e.id, e.record FROM events e JOIN event_sources es ON es.event_id = e.id"
                             f" WHERE e.fused AND es.article_id IN ({_marks(chunk)})", chunk):
            attrs = json.loads(r["record"]).get("attrs") or {}
            attrs["id"] = r["id"]
            for _aid, evid in attrs.get("member_events") or []:
                fused[evid] = attrs
        for r in store.query(f"SELECT id, ingested_at FROM articles WHERE id IN ({_marks(chunk)})", chunk):
            t = r["ingested_at"]
            if t is not None and hasattr(t, "timestamp"):
                from datetime import timezone

                stamps[r["id"]] = int(t.replace(tzinfo=timezone.utc).timestamp() if t.tzinfo is None else t.timestamp())
    docs = sorted(store.load_documents(aids), key=lambda d: d.article.id)
    rows = acled_rows(docs, fused=fused, timestamps=stamps, left_out=not_coded)
    if keep is not None:
        rows = [r for r in rows if r["marsad_event_id"] in keep]
    rows.sort(key=lambda r: (r["event_date"] or "9999", r["event_id_cnty"]))
    return rows


def _main_places(store: SQLStore, article_ids: list) -> dict:
    """Each article's main place: the mapped place it names most (ties: the most precise, then by id)."""
    best: dict = {}
    for chunk in _chunks(sorted(set(article_ids))):
        for r in store.query("SELECT article_id, id, name, lat, lon, admin1, geo_precision, n_mentions FROM places"
                             f" WHERE lat IS NOT NULL AND lon IS NOT NULL AND article_id IN ({_marks(chunk)})", chunk):
            key = (-(r["n_mentions"] or 0), r["geo_precision"] or 9, r["id"])
            if r["article_id"] not in best or key < best[r["article_id"]][0]:
                best[r["article_id"]] = (key, r)
    return {a: r for a, (k, r) in best.items()}


def _article_condition(flt, alias: str) -> tuple[str, list]:
    """Date / place / governorate conditions on an article (``alias``.id / published) for figures and
    articles; types and actors do not apply to them."""
    if flt is None:
        return "", []
    w, p = [], []
    if flt.date_from:
        w.append(f"{alias}.published >= ?")
        p.append(flt.date_from)
    if flt.date_to:
        w.append(f"substr({alias}.published, 1, 10) <= ?")
        p.append(flt.date_to)
    if flt.place or flt.admin1:
        from ..api.queries import _place_condition

        cond, cp = _place_condition(flt.place, flt.admin1)
        w.append(f"EXISTS (SELECT 1 FROM places pl WHERE pl.article_id = {alias}.id AND {cond})")
        p += cp
    return (" WHERE " + " AND ".join(w)) if w else "", p


def figure_rows(store: SQLStore, flt=None) -> list[dict]:
    where, params = _article_condition(flt, "a")
    rows = store.query("SELECT f.*, a.outlet, a.published FROM figures f JOIN articles a ON a.id = f.article_id"
                       f"{where} ORDER BY f.article_id, f.idx", params)
    places = _places_of(store, [r["article_id"] for r in rows])
    main = _main_places(store, [r["article_id"] for r in rows])
    for r in rows:
        p = places.get((r["article_id"], r["place"])) if r["place"] else None
        how = "figure"
        if p is None or p["lat"] is None:
            p, how = main.get(r["article_id"]), "article main place"
        r["place_name"] = p["name"] if p else None
        r["latitude"], r["longitude"] = (p["lat"], p["lon"]) if p else (None, None)
        r["admin1"] = p["admin1"] if p else None
        r["located_by"] = how if p else None
    return rows


def article_rows(store: SQLStore, flt=None) -> list[dict]:
    where, params = _article_condition(flt, "a")
    rows = store.query("SELECT a.id, a.outlet, a.url, a.title, a.published, a.published_precision, a.source_path,"
                       f" a.clean_text FROM articles a{where} ORDER BY a.published, a.id", params)
    main = _main_places(store, [r["id"] for r in rows])
    story, copy_of = _stories_of(store, [r["id"] for r in rows])
    for r in rows:
        p = main.get(r["id"])
        r["main_place"] = p["name"] if p else None
        r["latitude"], r["longitude"] = (p["lat"], p["lon"]) if p else (None, None)
        r["admin1"] = p["admin1"] if p else None
        r["story_id"] = story.get(r["id"])
        r["duplicate_of"] = copy_of.get(r["id"])  # the article it copies or rewrites (not an independent source)
    return rows


def _stories_of(store: SQLStore, article_ids: list) -> tuple[dict, dict]:
    """Each article's story and the article it copies (from the story records' duplicates)."""
    import json

    story: dict = {}
    for chunk in _chunks(article_ids):
        for r in store.query(f"SELECT article_id, story_id FROM story_articles WHERE article_id IN ({_marks(chunk)})",
                             chunk):
            story[r["article_id"]] = r["story_id"]
    copy_of: dict = {}
    sids = sorted(set(story.values()))
    for chunk in _chunks(sids):
        for r in store.query(f"SELECT record FROM stories WHERE id IN ({_marks(chunk)})", chunk):
            rec = json.loads(r["record"]) if isinstance(r["record"], str) else (r["record"] or {})
            for d in rec.get("duplicates") or []:
                if isinstance(d, (list, tuple)) and len(d) >= 2:
                    copy_of[d[0]] = d[1]
    return story, copy_of


VIEWS: dict[str, Callable[..., list[dict]]] = {
    "events": event_rows,
    "acled": acled_view,
    "figures": figure_rows,
    "articles": article_rows,
}


# ------------------------------------------------------------------------------------------------ writers

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV cell that a spreadsheet will show, never run: text starting with = + - @, a tab or a carriage
    return gets a leading single quote (OWASP's advice against CSV injection); numbers are left as numbers
    (-3 stays -3). Lists and dicts are written as JSON."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(rows: list[dict], columns: Optional[list] = None) -> str:
    """Rows as CSV text (header first), every cell through :func:`csv_cell`."""
    cols = columns or list(dict.fromkeys(k for r in rows for k in r))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(cols)
    for r in rows:
        w.writerow([csv_cell(r.get(c)) for c in cols])
    return buf.getvalue()


def geojson(rows: list[dict]) -> tuple[dict, int]:
    """A FeatureCollection of the rows that have coordinates, and the number left out for having none."""
    feats, left = [], 0
    for r in rows:
        lat, lon = r.get("latitude"), r.get("longitude")
        if lat in (None, "") or lon in (None, ""):
            left += 1
            continue
        props = {k: v for k, v in r.items() if k not in ("latitude", "longitude")}
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                      "properties": props})
    return {"type": "FeatureCollection", "features": feats}, left


def _geojson(rows: list[dict]) -> dict:  # kept for callers of the former name
    return geojson(rows)[0]


def _arrow_table(rows: list[dict], columns: list):
    """One Arrow column per field, with a single type: numbers with empty strings become numbers with nulls;
    booleans stay booleans; anything else mixed is text (lists and dicts as JSON)."""
    import pyarrow as pa

    arrays = {}
    for c in columns:
        vals = [r.get(c) for r in rows]
        vals = [None if v == "" else v for v in vals]
        present = [v for v in vals if v is not None]
        if present and all(isinstance(v, bool) for v in present):
            arrays[c] = pa.array(vals, type=pa.bool_())
        elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            arrays[c] = pa.array(vals, type=pa.int64())
        elif present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
            arrays[c] = pa.array([None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
                                  for v in vals], type=pa.float64())
        else:
            arrays[c] = pa.array([None if v is None else json.dumps(v, ensure_ascii=False)
                                  if isinstance(v, (list, dict)) else str(v) for v in vals], type=pa.string())
    return pa.table(arrays) if arrays else pa.table({})


def write_rows(rows: list[dict], fmt: str, path: Path, columns: Optional[list] = None) -> ExportResult:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{k: (str(v) if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]
    cols = columns or list(dict.fromkeys(k for r in rows for k in r))
    result = ExportResult(rows=len(rows))
    if fmt == "csv":
        path.write_text(csv_text(rows, cols), encoding="utf-8", newline="")
    elif fmt == "jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({c: r.get(c) for c in cols}, ensure_ascii=False, default=str) + "\n")
    elif fmt == "geojson":
        gj, left = geojson([{c: r.get(c) for c in cols} for r in rows])
        path.write_text(json.dumps(gj, ensure_ascii=False, default=str), encoding="utf-8")
        result.rows, result.left_out = len(gj["features"]), left
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(_arrow_table(rows, cols), path)
    else:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return result


def export(store: SQLStore, view: str, fmt: str, path: Path, flt=None) -> ExportResult:
    """Write view ``view`` (acled, events, figures, articles) of the rows ``flt`` selects as ``fmt``."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if view not in VIEWS:
        raise ExportError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    if view in ("figures", "articles") and flt is not None and (flt.types or flt.actor):
        raise ExportError(f"--type and --actor select events; the {view} view takes --from/--to/--place/--governorate")
    not_coded: Counter = Counter()
    columns = None
    if view == "acled":
        from ..events.acled import COLUMNS, EXTRA_COLUMNS

        rows = acled_view(store, flt, not_coded)
        columns = COLUMNS + EXTRA_COLUMNS
    else:
        rows = VIEWS[view](store, flt)
    result = write_rows(rows, fmt, path, columns)
    result.not_coded = not_coded
    return result
