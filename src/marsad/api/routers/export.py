"""Exports of the events, filtered like ``/api/events``: JSON lines, GeoJSON, ACLED's columns as CSV."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from ...errors import Errors, MarsadError
from .. import queries as Q
from ..deps import COMMON, EventQuery, Fused, get_store

router = APIRouter(prefix="/api/export", tags=["export"], responses=COMMON)


def _export_rows(store, flt: Q.EventFilter) -> list[dict]:
    from ...store.export import event_rows

    rows = event_rows(store, flt)  # filtered in SQL
    return [{k: (str(v) if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]


def _attachment(body: str, media: str, name: str) -> Response:
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/events.jsonl", summary="Events (one row per event and place), JSON lines")
def export_jsonl(q: EventQuery = Depends(), fused: str = Fused, store=Depends(get_store)):
    rows = _export_rows(store, q.filter(store, fused))
    body = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
    return _attachment(body, "application/x-ndjson; charset=utf-8", "events.jsonl")


@router.get("/events.geojson", summary="Mapped events as a GeoJSON FeatureCollection")
def export_geojson(q: EventQuery = Depends(), fused: str = Fused, store=Depends(get_store)):
    from ...store.export import _geojson

    body = json.dumps(_geojson(_export_rows(store, q.filter(store, fused))), ensure_ascii=False, default=str)
    return _attachment(body, "application/geo+json; charset=utf-8", "events.geojson")


@router.get("/acled.csv", summary="Per-report events in ACLED's columns (one row per event and place), CSV")
def export_acled(q: EventQuery = Depends(), store=Depends(get_store)):
    from ...store.export import ExportError, acled_view, csv_text

    # the same filter as /api/events (ACLED's own columns name no PLOVER type and spell outlets differently)
    flt = q.filter(store, "report")
    try:
        from ...events.acled import COLUMNS, EXTRA_COLUMNS

        rows = acled_view(store, flt)  # filtered in SQL; cells neutralised against formula injection
    except (ExportError, ImportError) as exc:
        raise MarsadError(Errors.E313, detail=str(exc)) from None
    return _attachment(csv_text(rows, COLUMNS + EXTRA_COLUMNS), "text/csv; charset=utf-8", "acled.csv")
