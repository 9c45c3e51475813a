"""Export views of the store as CSV, JSONL, GeoJSON or Parquet."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Callable

from .base import SQLStore

FORMATS = ("csv", "jsonl", "geojson", "parquet")


class ExportError(Exception):
    pass


def event_rows(store: SQLStore) -> list[dict]:
    """One row per event and place (an event in three villages is three mapped rows, as ACLED codes it)."""
    places = {(r["article_id"], r["id"]): r for r in store.query("SELECT * FROM places")}
    rows = []
    for ev in store.query(
            "SELECT events.*, articles.outlet, articles.url, articles.title FROM events"
            " LEFT JOIN articles ON articles.id = events.article_id ORDER BY event_date, events.id"):
        record = json.loads(ev.pop("record"))
        place_ids = json.loads(ev.pop("places") or "[]") or [None]
        sources = record.get("sources") or ([ev["article_id"]] if ev["article_id"] else [])
        for pid in place_ids:
            p = places.get((ev["article_id"], pid)) or _fused_place(store, pid, sources, places)
            rows.append({
                **ev, "sources": ";".join(sources), "place_id": pid,
                "place": p["name"] if p else None, "latitude": p["lat"] if p else None,
                "longitude": p["lon"] if p else None, "admin1": p["admin1"] if p else None,
                "geo_precision": p["geo_precision"] if p else None,
            })
    return rows


def _fused_place(store, pid, sources, places):
    for aid in sources:
        if (aid, pid) in places:
            return places[(aid, pid)]
    return None


def acled_view(store: SQLStore) -> list[dict]:
    try:
        from ..events.acled import acled_rows
    except ImportError as exc:
        raise ExportError(f"the ACLED view needs the events layer ({exc})")
    return acled_rows(list(store.load_documents()))


VIEWS: dict[str, Callable[[SQLStore], list[dict]]] = {
    "events": event_rows,
    "acled": acled_view,
    "figures": lambda s: s.query("SELECT figures.*, articles.outlet FROM figures"
                                 " LEFT JOIN articles ON articles.id = figures.article_id"
                                 " ORDER BY article_id, idx"),
    "articles": lambda s: s.query("SELECT id, outlet, url, title, published, published_precision, source_path,"
                                  " clean_text FROM articles ORDER BY published, id"),
}


def _geojson(rows: list[dict]) -> dict:
    feats = []
    for r in rows:
        lat, lon = r.get("latitude"), r.get("longitude")
        if lat in (None, "") or lon in (None, ""):
            continue
        props = {k: v for k, v in r.items() if k not in ("latitude", "longitude")}
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                      "properties": props})
    return {"type": "FeatureCollection", "features": feats}


def write_rows(rows: list[dict], fmt: str, path: Path) -> int:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{k: (str(v) if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]
    if fmt == "csv":
        cols = list(dict.fromkeys(k for r in rows for k in r))
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=cols)
            w.writeheader()
            w.writerows(rows)
    elif fmt == "jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif fmt == "geojson":
        gj = _geojson(rows)
        path.write_text(json.dumps(gj, ensure_ascii=False, default=str), encoding="utf-8")
        return len(gj["features"])
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        cols = list(dict.fromkeys(k for r in rows for k in r))
        table = pa.table({c: [None if r.get(c) is None else str(r.get(c)) if isinstance(r.get(c), (dict, list))
                              else r.get(c) for r in rows] for c in cols}) if rows else pa.table({})
        pq.write_table(table, path)
    else:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return len(rows)


def export(store: SQLStore, view: str, fmt: str, path: Path) -> int:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if view not in VIEWS:
        raise ExportError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    return write_rows(VIEWS[view](store), fmt, path)
