"""``marsad serve``: the API and dashboard under uvicorn, on localhost by default."""

from __future__ import annotations

import sys

from .app import create_app


def run(store_url: str, host: str = "127.0.0.1", port: int = 8765, log_level: str = "info") -> None:
    import uvicorn

    app = create_app(store_url)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    print(f"marsad: serving {store_url} at http://{shown}:{port}/  (API: /api/openapi.json)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level=log_level)
