"""``/docs`` in headless Chromium: Swagger UI renders the API's operations from bundled files only, under the
app's Content-Security-Policy, served as ``marsad serve`` serves (Host check on)."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} not found: run scripts/install_browser_deps.sh to install Chromium",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package (test extra) is not installed")


@pytest.fixture(scope="module")
def served(tmp_path_factory, live_server):
    from marsad.api.fixtures import build_store
    from marsad.api.server import build

    path = tmp_path_factory.mktemp("docs") / "docs.duckdb"
    build_store(str(path))
    app, _allowed = build(str(path), "127.0.0.1")
    with live_server(app) as url:
        yield url


def test_docs_render_offline_under_the_csp(served):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            external, errors, csp = [], [], []
            page.on("request", lambda r: None if r.url.startswith(served) or r.url.startswith("data:")
                    else external.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
            resp = page.goto(f"{served}/docs")
            assert resp.status == 200
            page.wait_for_selector(".opblock-summary-path", timeout=20_000)
            paths = page.locator(".opblock-summary-path").all_inner_texts()
            assert any("/api/events" in t for t in paths) and any("/api/search" in t for t in paths)
            assert page.locator(".swagger-ui .info .title").first.inner_text().startswith("marsad API")
            assert not external, external
            assert not errors, errors
            assert not [m for m in csp if "script" in m], csp
        finally:
            browser.close()
