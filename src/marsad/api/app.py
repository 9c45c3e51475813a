"""The HTTP API (FastAPI, OpenAPI at /api/openapi.json) and the offline dashboard at /.

Every error is JSON ``{"error": <kind>, "message": <what to fix>}`` with a 4xx status: bad parameters are 400,
unknown ids 404, a store held by a running ingest 503. Every response carries a Content-Security-Policy that
only allows the app's own files (the dashboard loads nothing from elsewhere and runs no inline script).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Optional

from fastapi import Depends, FastAPI, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import queries as Q
from .db import StoreBusy, StoreProvider
from .params import MAX_LIMIT, PLOVER_TYPES, admin1_aliases, bad, date_range, event_types
from .search import QueryError, search as run_search

log = logging.getLogger("marsad.api")

STATIC_DIR = Path(__file__).resolve().parents[1] / "web" / "static"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

# shared query parameters -------------------------------------------------------------------------------------
Limit = Query(100, ge=1, le=MAX_LIMIT, description=f"Page size, 1–{MAX_LIMIT}.")
Offset = Query(0, ge=0, le=10_000_000, description="Rows to skip.")
From = Query(None, alias="from", description="First day, YYYY-MM-DD (YYYY-MM and YYYY also accepted).",
             max_length=10)
To = Query(None, alias="to", description="Last day (inclusive), YYYY-MM-DD.", max_length=10)
Outlet = Query(None, description="Outlet name exactly as stored (see /api/facets).", max_length=200)
TypeQ = Query(None, description="PLOVER event type(s), comma-separated: " + ", ".join(PLOVER_TYPES) + ".",
              max_length=300)
ACTOR_HELP = ("Actor or recipient: a code (RUS also selects RUS.MIL, RUS.GOV.putin…), a canonical name (Putin, "
              "بوتين) or words read in the article.")
Governorate = Query(None, description="Governorate (admin1): Arabic or English name, alias or OCHA p-code.",
                    max_length=100)


def _error(status: int, kind: str, message: str, **extra) -> JSONResponse:
    return JSONResponse({"error": kind, "message": message, **extra}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors():
        loc = [str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body")]
        name = ".".join(loc) or "request"
        got = e.get("input")
        parts.append(f"{name}: {e.get('msg', 'invalid')}" + (f" (got {got!r})" if got is not None else ""))
    return "; ".join(parts) or "invalid request"


def _event_filter(store, date_from, date_to, type_, actor, place, governorate, outlet, fused,
                  story=None, article=None) -> Q.EventFilter:
    lo, hi = date_range(date_from, date_to)
    f = Q.EventFilter(date_from=lo, date_to=hi, types=event_types(type_), actor=actor or None,
                      place=place or None, outlet=outlet or None, story_id=story, article_id=article)
    f.fused = {"report": False, "fused": True, "all": None}[fused]
    if governorate:
        f.admin1 = admin1_aliases(governorate, Q.known_admin1(store))
    return f


def create_app(store_url: str, lock_wait: Optional[float] = None) -> FastAPI:
    """The API and dashboard over the store at ``store_url`` (DuckDB path/URL or postgresql:// URL)."""
    provider = StoreProvider(store_url, **({"lock_wait": lock_wait} if lock_wait is not None else {}))
    app = FastAPI(title="marsad API", version="0.1.0", openapi_url="/api/openapi.json", docs_url=None,
                  redoc_url=None,
                  description="Arabic news → conflict event data: articles with their layers, PLOVER events with "
                              "evidence, sourced figures, stories fused across outlets. Lists return "
                              "{total, limit, offset, items}; errors return {error, message} with a 4xx status.")
    app.state.provider = provider

    def get_store():
        try:
            with provider.open() as store:
                yield store
        except StoreBusy:
            raise StarletteHTTPException(503, "store busy: an ingest is writing to it; retry in a few seconds")

    # errors ------------------------------------------------------------------------------------------------
    @app.exception_handler(RequestValidationError)
    async def _on_validation(request: Request, exc: RequestValidationError):
        return _error(400, "bad_request", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _on_http(request: Request, exc: StarletteHTTPException):
        kind = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 503: "unavailable"}.get(
            exc.status_code, "error")
        if exc.status_code == 503 and str(exc.detail).startswith("store busy"):
            kind = "store_busy"
        resp = _error(exc.status_code, kind, str(exc.detail))
        if exc.status_code == 503:
            resp.headers["Retry-After"] = "5"
        return resp

    @app.exception_handler(Exception)
    async def _on_error(request: Request, exc: Exception):  # pragma: no cover - a bug, logged
        log.exception("error serving %s", request.url.path)
        return _error(500, "internal_error", f"{type(exc).__name__} while serving {request.url.path}")

    @app.middleware("http")
    async def _security_headers(request: Request, call_next):
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    def not_found(what: str, ident: str):
        return StarletteHTTPException(404, f"no {what} with id {ident!r}")

    # meta --------------------------------------------------------------------------------------------------
    @app.get("/api/health", tags=["meta"], summary="Store statistics")
    def health(store=Depends(get_store)):
        return {"ok": True, "store": provider.url, **store.stats()}

    @app.get("/api/facets", tags=["meta"], summary="Values for filter menus: outlets, types, governorates")
    def facets(store=Depends(get_store)):
        from .params import governorates

        out = Q.facets(store)
        out["plover_types"] = list(PLOVER_TYPES)
        out["governorates"] = [{k: g[k] for k in ("pcode", "name_ar", "name_en")} for g in governorates()]
        return out

    # articles ----------------------------------------------------------------------------------------------
    @app.get("/api/articles", tags=["articles"], summary="Articles, newest first")
    def articles(date_from: Optional[str] = From, date_to: Optional[str] = To, outlet: Optional[str] = Outlet,
                 limit: int = Limit, offset: int = Offset, store=Depends(get_store)):
        lo, hi = date_range(date_from, date_to)
        return Q.list_articles(store, lo, hi, outlet, limit, offset)

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One article: clean text and every layer")
    def article(article_id: str = PathParam(..., min_length=1, max_length=200), tokens: bool = Query(False, description="Include tokens."),
                raw: bool = Query(False, description="Include the raw text."), store=Depends(get_store)):
        row = Q.article_detail(store, article_id, tokens=tokens, raw=raw)
        if row is None:
            raise not_found("article", article_id)
        return row

    # events ------------------------------------------------------------------------------------------------
    Fused = Query("report", pattern="^(report|fused|all)$",
                  description="report: one event per article (default); fused: events fused across outlets by "
                              "story; all: both.")

    @app.get("/api/events", tags=["events"], summary="Events with places and sources")
    def events(date_from: Optional[str] = From, date_to: Optional[str] = To, type: Optional[str] = TypeQ,
               actor: Optional[str] = Query(None, max_length=200, description=ACTOR_HELP),
               place: Optional[str] = Query(None, max_length=200, description="Place id or name."),
               governorate: Optional[str] = Governorate,
               admin1: Optional[str] = Query(None, max_length=100, description="Same as governorate."),
               outlet: Optional[str] = Outlet, fused: str = Fused,
               story: Optional[str] = Query(None, max_length=200, description="Story id."),
               article: Optional[str] = Query(None, max_length=200, description="Article id."),
               limit: int = Limit, offset: int = Offset, store=Depends(get_store)):
        flt = _event_filter(store, date_from, date_to, type, actor, place, governorate or admin1, outlet, fused,
                            story, article)
        return Q.list_events(store, flt, limit, offset)

    @app.get("/api/events/{event_id}", tags=["events"],
             summary="One event with its evidence: offsets into the article's clean text and the text around it")
    def event(event_id: str = PathParam(..., min_length=1, max_length=200), store=Depends(get_store)):
        row = Q.event_detail(store, event_id)
        if row is None:
            raise not_found("event", event_id)
        return row

    # figures -----------------------------------------------------------------------------------------------
    @app.get("/api/figures", tags=["figures"], summary="Reported counts with their reporter and evidence")
    def figures(date_from: Optional[str] = From, date_to: Optional[str] = To,
                kind: Optional[str] = Query(None, max_length=50, description="killed, injured, displaced…"),
                reporter: Optional[str] = Query(None, max_length=200), outlet: Optional[str] = Outlet,
                article: Optional[str] = Query(None, max_length=200), story: Optional[str] = Query(None, max_length=200),
                place: Optional[str] = Query(None, max_length=200, description="Place id or name the figure is for."),
                governorate: Optional[str] = Governorate,
                limit: int = Limit, offset: int = Offset, store=Depends(get_store)):
        lo, hi = date_range(date_from, date_to)
        admin1 = admin1_aliases(governorate, Q.known_admin1(store)) if governorate else []
        return Q.list_figures(store, lo, hi, kind, reporter, outlet, article, story, limit, offset,
                              place=place or None, admin1=admin1)

    # stories -----------------------------------------------------------------------------------------------
    @app.get("/api/stories", tags=["stories"], summary="Stories (articles about one happening)")
    def stories(date_from: Optional[str] = From, date_to: Optional[str] = To, outlet: Optional[str] = Outlet,
                limit: int = Limit, offset: int = Offset, store=Depends(get_store)):
        lo, hi = date_range(date_from, date_to)
        return Q.list_stories(store, lo, hi, outlet, limit, offset)

    @app.get("/api/stories/{story_id}", tags=["stories"],
             summary="Story view: sources, fused events, per-report events, figures by source, timeline")
    def story(story_id: str = PathParam(..., min_length=1, max_length=200), store=Depends(get_store)):
        row = Q.story_detail(store, story_id)
        if row is None:
            raise not_found("story", story_id)
        return row

    # entities, places --------------------------------------------------------------------------------------
    @app.get("/api/entities", tags=["entities"], summary="Actors, people and organisations across articles")
    def entities(q: Optional[str] = Query(None, max_length=200), label: Optional[str] = Query(None, max_length=20),
                 article: Optional[str] = Query(None, max_length=200), limit: int = Limit, offset: int = Offset,
                 store=Depends(get_store)):
        return Q.list_entities(store, q, label, article, limit, offset)

    @app.get("/api/places", tags=["places"], summary="Resolved places across articles")
    def places(q: Optional[str] = Query(None, max_length=200), governorate: Optional[str] = Governorate,
               article: Optional[str] = Query(None, max_length=200), limit: int = Limit, offset: int = Offset,
               store=Depends(get_store)):
        adm = admin1_aliases(governorate, Q.known_admin1(store)) if governorate else []
        return Q.list_places(store, q, adm, article, limit, offset)

    # search ------------------------------------------------------------------------------------------------
    @app.get("/api/search", tags=["search"],
             summary="Full-text search of the Arabic text (normalised, proclitic-aware: وبإدلب matches إدلب)")
    def search(q: str = Query(..., min_length=1, max_length=200), date_from: Optional[str] = From,
               date_to: Optional[str] = To, outlet: Optional[str] = Outlet, limit: int = Query(20, ge=1, le=MAX_LIMIT),
               offset: int = Offset, store=Depends(get_store)):
        lo, hi = date_range(date_from, date_to)
        try:
            return run_search(store, q, limit, offset, lo, hi, outlet)
        except QueryError as exc:
            raise bad(str(exc))

    # exports -----------------------------------------------------------------------------------------------
    def _export_rows(store, flt: Q.EventFilter) -> list[dict]:
        from ..store.export import event_rows

        rows = event_rows(store, flt)  # filtered in SQL
        return [{k: (str(v) if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]

    def _attachment(body: str, media: str, name: str) -> Response:
        return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/api/export/events.jsonl", tags=["export"], summary="Events (one row per event and place), JSON lines")
    def export_jsonl(date_from: Optional[str] = From, date_to: Optional[str] = To, type: Optional[str] = TypeQ,
                     actor: Optional[str] = Query(None, max_length=200, description=ACTOR_HELP),
                     place: Optional[str] = Query(None, max_length=200),
                     governorate: Optional[str] = Governorate, outlet: Optional[str] = Outlet, fused: str = Fused,
                     store=Depends(get_store)):
        flt = _event_filter(store, date_from, date_to, type, actor, place, governorate, outlet, fused)
        rows = _export_rows(store, flt)
        body = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
        return _attachment(body, "application/x-ndjson; charset=utf-8", "events.jsonl")

    @app.get("/api/export/events.geojson", tags=["export"], summary="Mapped events as a GeoJSON FeatureCollection")
    def export_geojson(date_from: Optional[str] = From, date_to: Optional[str] = To, type: Optional[str] = TypeQ,
                       actor: Optional[str] = Query(None, max_length=200, description=ACTOR_HELP),
                       place: Optional[str] = Query(None, max_length=200), governorate: Optional[str] = Governorate,
                       outlet: Optional[str] = Outlet, fused: str = Fused, store=Depends(get_store)):
        from ..store.export import _geojson

        flt = _event_filter(store, date_from, date_to, type, actor, place, governorate, outlet, fused)
        body = json.dumps(_geojson(_export_rows(store, flt)), ensure_ascii=False, default=str)
        return _attachment(body, "application/geo+json; charset=utf-8", "events.geojson")

    @app.get("/api/export/acled.csv", tags=["export"],
             summary="Per-report events in ACLED's columns (one row per event and place), CSV")
    def export_acled(date_from: Optional[str] = From, date_to: Optional[str] = To, type: Optional[str] = TypeQ,
                     actor: Optional[str] = Query(None, max_length=200, description=ACTOR_HELP),
                     place: Optional[str] = Query(None, max_length=200), governorate: Optional[str] = Governorate,
                     outlet: Optional[str] = Outlet, store=Depends(get_store)):
        from ..store.export import ExportError, acled_view, csv_text

        # the same filter as /api/events, applied through each row's marsad_event_id (ACLED's own columns
        # name no PLOVER type and spell outlets differently)
        flt = _event_filter(store, date_from, date_to, type, actor, place, governorate, outlet, "report")
        try:
            from ..events.acled import COLUMNS, EXTRA_COLUMNS

            rows = acled_view(store, flt)  # filtered in SQL; cells neutralised against formula injection
        except (ExportError, ImportError) as exc:
            raise StarletteHTTPException(503, str(exc))
        return _attachment(csv_text(rows, COLUMNS + EXTRA_COLUMNS), "text/csv; charset=utf-8", "acled.csv")

    # dashboard ---------------------------------------------------------------------------------------------
    @app.get("/api/{rest:path}", include_in_schema=False)
    def api_unknown(rest: str):
        raise StarletteHTTPException(404, f"no API endpoint /api/{rest}; see /api/openapi.json")

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index():
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
