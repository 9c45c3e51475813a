"""``/docs``: Swagger UI over ``/api/openapi.json``, served from the files of the ``swagger-ui-bundle-v2`` package
(Swagger UI 5, which reads the OpenAPI 3.1 that FastAPI writes; Swagger UI 4 refuses it).

Nothing comes from a CDN, so the page works offline, and it runs under the app's strict Content-Security-Policy:
the page has no inline script (its start-up script is ``/docs/init.js``).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from ..errors import Errors, MarsadError

ASSETS = "/docs/assets"

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>marsad API</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" href="/favicon.ico">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
"""

_INIT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({url: "%s", dom_id: "#swagger-ui", deepLinking: true,
                               presets: [SwaggerUIBundle.presets.apis]});
});
"""


def assets_dir():
    """The bundled Swagger UI files, or None when the package is missing."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    return swagger_ui_path


def mount(app: FastAPI) -> None:
    """Add ``/docs`` (the page), ``/docs/init.js`` and ``/docs/assets/…`` to ``app``."""
    router = APIRouter(include_in_schema=False)
    assets = assets_dir()

    @router.get("/docs")
    def docs_page():
        if assets is None:
            raise MarsadError(Errors.E313, detail="the API docs need the swagger-ui-bundle-v2 package (pip install "
                                                  "swagger-ui-bundle-v2); the spec is at /api/openapi.json")
        return HTMLResponse(_PAGE.format(assets=ASSETS), headers={"Cache-Control": "no-cache"})

    @router.get("/docs/init.js")
    def docs_init():
        return Response(_INIT % app.openapi_url, media_type="text/javascript; charset=utf-8")

    app.include_router(router)
    if assets is not None:
        app.mount(ASSETS, StaticFiles(directory=str(assets)), name="docs-assets")
