"""Bad parameters get a clear 4xx with a message — never a 500."""

from __future__ import annotations

import pytest

pytest.importorskip("httpx", reason="the FastAPI test client needs httpx (test extra)")
from fastapi.testclient import TestClient  # noqa: E402

from marsad.api.app import create_app  # noqa: E402
from marsad.api.fixtures import build_store  # noqa: E402


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("api_err") / "api.duckdb"
    build_store(str(path))
    return TestClient(create_app(str(path)), raise_server_exceptions=False)


LISTS = ["/api/events", "/api/articles", "/api/figures", "/api/stories", "/api/export/events.jsonl",
         "/api/export/events.geojson", "/api/export/acled.csv"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("params, says", [
    ({"from": "yesterday"}, "from"),
    ({"from": "2019-02-30"}, "from"),
    ({"to": "2019-13"}, "to"),
    ({"from": "29/05/2019"}, "from"),
    ({"from": "2019-06-10", "to": "2019-06-01"}, "after"),
    ({"from": "2019-05-29T10:00"}, "from"),
])
def test_bad_dates(client, path, params, says):
    r = client.get(path, params=params)
    assert r.status_code == 400, (path, params, r.text)
    body = r.json()
    assert body["error"] == "bad_request" and says in body["message"]


@pytest.mark.parametrize("path", ["/api/events", "/api/articles", "/api/figures", "/api/stories", "/api/entities",
                                  "/api/places", "/api/search?q=إدلب"])
@pytest.mark.parametrize("params, says", [
    ({"limit": 5000}, "limit"), ({"limit": 0}, "limit"), ({"limit": -3}, "limit"), ({"limit": "ten"}, "limit"),
    ({"offset": -1}, "offset"), ({"offset": "x"}, "offset"),
])
def test_bad_paging(client, path, params, says):
    r = client.get(path, params=params)
    assert r.status_code == 400, (path, params, r.text)
    assert says in r.json()["message"]


@pytest.mark.parametrize("params, says", [
    ({"type": "FIGHT"}, "PLOVER"),
    ({"type": "ASSAULT,bombing"}, "bombing"),
    ({"governorate": "Narnia"}, "governorate"),
    ({"admin1": "Atlantis"}, "governorate"),
    ({"fused": "maybe"}, "fused"),
    ({"actor": "x" * 500}, "actor"),
])
def test_bad_event_filters(client, params, says):
    r = client.get("/api/events", params=params)
    assert r.status_code == 400, r.text
    assert says in r.json()["message"]


def test_limit_at_the_maximum_is_fine(client):
    assert client.get("/api/events", params={"limit": 1000}).status_code == 200


@pytest.mark.parametrize("path, what", [
    ("/api/events/no-such-event", "event"), ("/api/articles/0000000000000000", "article"),
    ("/api/stories/no-such-story", "story"), ("/api/no/such/endpoint", "endpoint"),
])
def test_unknown_ids_are_404(client, path, what):
    r = client.get(path)
    assert r.status_code == 404
    assert r.json()["error"] == "not_found" and what in r.json()["message"]


@pytest.mark.parametrize("q", ["", "ا", "؟!", "  ", "x" * 300])
def test_bad_search_queries(client, q):
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 400, r.text
    assert r.json()["message"].startswith("q")


def test_missing_search_query(client):
    r = client.get("/api/search")
    assert r.status_code == 400 and "q" in r.json()["message"]


def test_odd_but_harmless_values_do_not_break(client):
    for params in ({"outlet": "' OR 1=1 --"}, {"actor": "%_%"}, {"place": "\"]"}, {"type": " assault "}):
        r = client.get("/api/events", params=params)
        assert r.status_code == 200, (params, r.text)
    assert client.get("/api/events", params={"outlet": "' OR 1=1 --"}).json()["total"] == 0


def test_store_busy_is_503(tmp_path):
    """While another process holds the DuckDB file for writing, requests get 503 and Retry-After."""
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "busy.duckdb"
    build_store(str(path))
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(path)!r})
        print("held", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        app = create_app(str(path), lock_wait=0.3)
        r = TestClient(app, raise_server_exceptions=False).get("/api/events")
        assert r.status_code == 503 and r.json()["error"] == "store_busy"
        assert r.headers["retry-after"]
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    r = TestClient(create_app(str(path), lock_wait=0.3)).get("/api/events")
    assert r.status_code == 200  # free again once the writer is gone
