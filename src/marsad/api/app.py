"""The HTTP API (FastAPI, OpenAPI at /api/openapi.json, Swagger UI at /docs) and the offline dashboard at /.

The routes live in :mod:`marsad.api.routers` (one router per kind of record); the query parameters they share
are class dependencies in :mod:`marsad.api.deps`. Every error is JSON ``{"error": <kind>, "code": <stable code
of marsad.errors>, "message": <what to fix>}``: bad parameters are 400, unknown ids 404, a store held by a running
ingest 503. Every response carries a Content-Security-Policy that only allows the app's own files (the dashboard
and the docs load nothing from elsewhere and run no inline script). Given ``allowed_hosts`` (``marsad serve``
always gives them), a request whose ``Host`` header names another server is refused (DNS rebinding).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import Errors, MarsadError
from . import docs
from .db import StoreProvider
from .routers import ALL as ROUTERS

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
_HTTP_CODES = {404: Errors.E312, 405: Errors.E309}


def _error(status: int, kind: str, code: str, message: str) -> JSONResponse:
    resp = JSONResponse({"error": kind, "code": code, "message": message}, status_code=status)
    if status == 503:
        resp.headers["Retry-After"] = "5"
    return resp


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors():
        loc = [str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body")]
        name = ".".join(loc) or "request"
        got = e.get("input")
        parts.append(f"{name}: {e.get('msg', 'invalid')}" + (f" (got {got!r})" if got is not None else ""))
    return "; ".join(parts) or "invalid request"


def host_name(header: str) -> str:
    """The host of a ``Host`` header without its port, lower-case (``[::1]:8765`` → ``::1``)."""
    h = header.strip().lower()
    if h.startswith("["):
        return h[1:h.find("]")] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def create_app(store_url: str, lock_wait: Optional[float] = None,
               allowed_hosts: Optional[Iterable[str]] = None) -> FastAPI:
    """The API and dashboard over the store at ``store_url`` (DuckDB path/URL or postgresql:// URL).

    ``allowed_hosts``: the host names a request's ``Host`` header may give (see :mod:`marsad.api.server`); None
    accepts any (for tests and embedding behind a proxy that checks it)."""
    provider = StoreProvider(store_url, **({"lock_wait": lock_wait} if lock_wait is not None else {}))
    app = FastAPI(title="marsad API", version="0.1.0", openapi_url="/api/openapi.json", docs_url=None,
                  redoc_url=None,
                  description="Arabic news → conflict event data: articles with their layers, PLOVER events with "
                              "evidence, sourced figures, stories fused across outlets. Lists return "
                              "{total, limit, offset, items}; errors return {error, code, message} with a 4xx or "
                              "503 status.")
    app.state.provider = provider
    hosts = None if allowed_hosts is None else {host_name(h) for h in allowed_hosts}
    app.state.allowed_hosts = hosts

    # errors ------------------------------------------------------------------------------------------------
    @app.exception_handler(MarsadError)
    async def _on_marsad(request: Request, exc: MarsadError):
        return _error(exc.status, exc.kind, exc.code or "E300", exc.text)

    @app.exception_handler(RequestValidationError)
    async def _on_validation(request: Request, exc: RequestValidationError):
        return _error(400, Errors.E300.kind, Errors.E300.code, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _on_http(request: Request, exc: StarletteHTTPException):
        msg = _HTTP_CODES.get(exc.status_code)
        kind = msg.kind if msg else {400: "bad_request", 503: "unavailable"}.get(exc.status_code, "error")
        return _error(exc.status_code, kind, msg.code if msg else f"HTTP{exc.status_code}", str(exc.detail))

    @app.exception_handler(Exception)
    async def _on_error(request: Request, exc: Exception):  # pragma: no cover - a bug, logged
        log.exception("error serving %s", request.url.path)
        m = Errors.E390
        return _error(500, m.kind, m.code, m(exc=type(exc).__name__, path=request.url.path))

    @app.middleware("http")
    async def _security_headers(request: Request, call_next):
        host = host_name(request.headers.get("host", ""))
        if hosts is not None and host not in hosts:
            m = Errors.E308
            response = _error(m.status, m.kind, m.code, m(host=host, allowed=", ".join(sorted(hosts))))
        else:
            response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    # routes ------------------------------------------------------------------------------------------------
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/api/{rest:path}", include_in_schema=False)
    def api_unknown(rest: str):
        raise MarsadError(Errors.E311, rest=rest)

    docs.mount(app)

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index():
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.openapi = lambda: _openapi(app)
    return app


def _openapi(app: FastAPI) -> dict:
    """The spec with the responses the API really gives: FastAPI's own 422 is never sent (a bad parameter is 400)."""
    if app.openapi_schema is None:
        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for ops in spec.get("paths", {}).values():
            for op in ops.values():
                op.get("responses", {}).pop("422", None)
        schemas = spec.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        app.openapi_schema = spec
    return app.openapi_schema
