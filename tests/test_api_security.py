"""What the server shows and whom it answers (issue 25: #1 secrets and Host, #8 readers never starve a writer,
#11 the announced address, LIKE wildcards, the responses in the spec) and the offline docs (issue 24)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import uuid
from urllib.parse import quote

import pytest

pytest.importorskip("httpx", reason="the FastAPI test client needs httpx (test extra)")
from fastapi.testclient import TestClient  # noqa: E402

from marsad.api.app import create_app  # noqa: E402
from marsad.api.fixtures import build_store  # noqa: E402

SRC = os.path.join(os.path.dirname(__file__), "..", "src")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("api_sec") / "secret-folder" / "api.duckdb"
    path.parent.mkdir(parents=True)
    build_store(str(path))
    return path


@pytest.fixture(scope="module")
def client(store_path):
    return TestClient(create_app(str(store_path)))


# -- #1: secrets -------------------------------------------------------------------------------------------------
def test_health_names_the_store_by_kind_and_file_name_only(client, store_path):
    body = client.get("/api/health").json()
    assert body["store"] == {"kind": "duckdb", "database": "api.duckdb"}
    assert "secret-folder" not in client.get("/api/health").text


def test_the_serve_log_names_no_url_or_password():
    from marsad.api.server import announce

    url = "postgresql://analyst:hunter2@db.example:5432/events?sslmode=require"
    text = "\n".join(announce(url, "127.0.0.1", 8765, ["127.0.0.1", "localhost"]))
    assert "hunter2" not in text and "analyst" not in text and "db.example" not in text
    assert "postgresql database events" in text and "http://127.0.0.1:8765/" in text


def test_describe_store_never_shows_credentials():
    from marsad.api.db import describe_store

    assert describe_store("postgresql://u:p%40ss@h/marsad") == {"kind": "postgresql", "database": "marsad"}
    assert describe_store("postgres://u:pw@h:1/?dbname=team") == {"kind": "postgresql", "database": "team"}
    assert describe_store("duckdb:////data/x/marsad.duckdb") == {"kind": "duckdb", "database": "marsad.duckdb"}
    assert describe_store(":memory:") == {"kind": "duckdb", "database": ":memory:"}


# -- #1: Host header (DNS rebinding) -----------------------------------------------------------------------------
def _served(store_path, host, allow=(), base="http://127.0.0.1:8765"):
    from marsad.api.server import build

    app, _allowed = build(str(store_path), host, allow)
    return lambda base_url=base: TestClient(app, base_url=base_url)


def test_a_foreign_host_header_is_refused(store_path):
    served = _served(store_path, "127.0.0.1")
    for base in ("http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765"):
        assert served(base).get("/api/health").status_code == 200, base
    for base in ("http://evil.example:8765", "http://attacker.test", "http://127.0.0.1.evil.example:8765"):
        r = served(base).get("/api/health")
        assert r.status_code == 400, base
        assert r.json()["code"] == "E308" and r.json()["error"] == "bad_host"
        assert "ok" not in r.json() and r.headers["x-frame-options"] == "DENY"
    assert served("http://evil.example").get("/").status_code == 400  # the dashboard too


def test_allow_host_adds_names(store_path):
    served = _served(store_path, "127.0.0.1", allow=["marsad.lan"])
    assert served("http://marsad.lan:8765").get("/api/health").status_code == 200
    assert served("http://other.lan:8765").get("/api/health").status_code == 400


def test_every_address_accepts_this_machine_but_not_others(store_path):
    import socket

    served = _served(store_path, "0.0.0.0")
    assert served(f"http://{socket.gethostname()}:8765").get("/api/health").status_code == 200
    assert served("http://127.0.0.1:8765").get("/api/health").status_code == 200
    assert served("http://evil.example:8765").get("/api/health").status_code == 400


# -- #11: the announced address ----------------------------------------------------------------------------------
def test_every_address_is_announced_as_such():
    import socket

    from marsad.api.server import allowed_hosts, announce

    allowed = allowed_hosts("0.0.0.0")
    text = "\n".join(announce("marsad.duckdb", "0.0.0.0", 9000, allowed))
    assert "every address" in text and socket.gethostname().lower() in text
    assert "http://localhost:9000" not in text  # not "localhost" alone: the server is reachable from elsewhere
    assert "http://[::1]:9000/" in "\n".join(announce("m.duckdb", "::1", 9000))
    assert "http://192.0.2.7:9000/" in "\n".join(announce("m.duckdb", "192.0.2.7", 9000))


def test_serve_cli_takes_allow_host():
    from typer.testing import CliRunner

    from marsad.cli.main import app

    out = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"}).output
    assert "--allow-host" in out


# -- #11: LIKE wildcards in the reporter filter ------------------------------------------------------------------
def test_reporter_filter_takes_percent_and_underscore_literally(client):
    every = client.get("/api/figures").json()["total"]
    assert every > 0
    for wild in ("%", "_", "%_%", "__"):
        assert client.get("/api/figures", params={"reporter": wild}).json()["total"] == 0, wild
    some = client.get("/api/figures").json()["items"][0]["reporter"]
    assert client.get("/api/figures", params={"reporter": some[:3]}).json()["total"] >= 1


# -- #11: the spec lists the responses the API gives -------------------------------------------------------------
def test_spec_lists_400_404_503_and_not_422(client):
    spec = client.get("/api/openapi.json").json()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            assert {"200", "400", "503"} <= codes, (path, codes)
            assert "422" not in codes, path  # a bad parameter is a 400
            if "{" in path:
                assert "404" in codes, path
    assert set(spec["components"]["schemas"]["ErrorBody"]["properties"]) == {"error", "code", "message"}
    # what the spec says is what the API answers
    assert client.get("/api/events", params={"limit": 0}).status_code == 400
    assert client.get("/api/events/nope").status_code == 404


def test_errors_carry_their_stable_code(client):
    assert client.get("/api/events", params={"from": "soon"}).json()["code"] == "E301"
    assert client.get("/api/events", params={"limit": 0}).json()["code"] == "E300"
    assert client.get("/api/events/nope").json()["code"] == "E310"
    assert client.get("/api/search", params={"q": "!"}).json()["code"] == "E306"


# -- issue 24: /docs offline -------------------------------------------------------------------------------------
def test_docs_are_served_from_bundled_files(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    page = r.text
    assert "http://" not in page and "https://" not in page and "//cdn" not in page  # nothing from elsewhere
    assert "<script>" not in page  # no inline script: the CSP forbids it
    import re

    for ref in re.findall(r'(?:src|href)="([^"]+)"', page):
        got = client.get(ref)
        assert got.status_code == 200 and got.content, ref
    js = client.get("/docs/init.js")
    assert "/api/openapi.json" in js.text and "javascript" in js.headers["content-type"]
    assert "SwaggerUIBundle" in client.get("/docs/assets/swagger-ui-bundle.js").text
    assert "script-src 'self'" in r.headers["content-security-policy"]


# -- #8: readers never starve a writer (DuckDB) ------------------------------------------------------------------
WRITER = textwrap.dedent("""
    import sys
    from marsad.store.duckdb_store import DuckDBStore
    try:
        s = DuckDBStore(sys.argv[1], lock_wait=float(sys.argv[2]))
    except Exception as exc:
        print("starved", type(exc).__name__, flush=True)
        sys.exit(0)
    s.execute("INSERT INTO meta (key, value) VALUES ('writer', 'was here') ON CONFLICT DO NOTHING")
    s.close()
    print("stored", flush=True)
""")


def _hammer(app, stop: threading.Event, statuses: list, max_requests: int = 3000) -> None:
    c = TestClient(app, raise_server_exceptions=False)
    for _ in range(max_requests):
        if stop.is_set():
            return
        statuses.append(c.get("/api/events", params={"limit": 5}).status_code)


def test_an_ingest_gets_the_file_while_the_dashboard_is_read(tmp_path):
    path = tmp_path / "busy.duckdb"
    build_store(str(path))
    app = create_app(str(path), lock_wait=0.5)
    stop, statuses = threading.Event(), []
    readers = [threading.Thread(target=_hammer, args=(app, stop, statuses)) for _ in range(6)]
    for t in readers:
        t.start()
    try:
        while len(statuses) < 30:  # the readers are under way
            if not any(t.is_alive() for t in readers):
                break
            threading.Event().wait(0.05)
        env = {**os.environ, "PYTHONPATH": os.path.abspath(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        out = subprocess.run([sys.executable, "-c", WRITER, str(path), "8"], capture_output=True, text=True,
                             timeout=120, env=env).stdout
        assert any(t.is_alive() for t in readers), "the readers stopped before the writer ran"
    finally:
        stop.set()
        for t in readers:
            t.join(timeout=60)
    assert out.strip() == "stored", out
    assert set(statuses) <= {200, 503} and 200 in statuses
    c = TestClient(create_app(str(path)))
    assert c.get("/api/events").status_code == 200  # readers are served again once the writer is done


# -- #8 on PostgreSQL: read-only sessions of their own -----------------------------------------------------------
@pytest.fixture
def pg_url():
    base = os.environ.get("MARSAD_TEST_PG_URL")
    if not base:
        pytest.skip("PostgreSQL tests need MARSAD_TEST_PG_URL (run: eval \"$(bash scripts/ci_postgres.sh)\")")
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as c:
        c.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options={quote(f'-csearch_path={schema},public')}"
    with psycopg.connect(base, autocommit=True) as c:
        c.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.mark.postgres
def test_postgres_api_readers_are_read_only_sessions_of_their_own(pg_url):
    import psycopg

    build_store(pg_url)
    app = create_app(pg_url)
    provider = app.state.provider
    with provider.open() as a, provider.open() as b:
        assert a is not b and a.conn is not b.conn  # two requests at once: two connections, no queue
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            a.execute("INSERT INTO meta (key, value) VALUES ('api', 'wrote')")
    assert TestClient(app).get("/api/events").json()["total"] == 6


@pytest.mark.postgres
def test_postgres_health_shows_no_password(pg_url):
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(pg_url)
    user = parts.username or "postgres"
    netloc = f"{user}:not-a-real-secret@{parts.hostname}:{parts.port or 5432}"
    url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))  # trust auth ignores the password
    build_store(url)
    body = TestClient(create_app(url)).get("/api/health")
    assert body.status_code == 200
    assert "not-a-real-secret" not in body.text and "://" not in body.text and "@" not in body.text
    assert body.json()["store"] == {"kind": "postgresql", "database": parts.path.lstrip("/")}


@pytest.mark.postgres
def test_postgres_ingest_proceeds_while_the_api_is_read(pg_url):
    build_store(pg_url)
    app = create_app(pg_url)
    stop, statuses = threading.Event(), []
    readers = [threading.Thread(target=_hammer, args=(app, stop, statuses, 400)) for _ in range(4)]
    for t in readers:
        t.start()
    try:
        env = {**os.environ, "PYTHONPATH": os.path.abspath(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        code = textwrap.dedent("""
            import sys
            from marsad.store import open_store
            s = open_store(sys.argv[1])
            for i in range(50):
                with s.transaction():
                    s.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [f"w{i}", "x"])
            s.save_stories([])
            s.close()
            print("stored", flush=True)
        """)
        out = subprocess.run([sys.executable, "-c", code, pg_url], capture_output=True, text=True, timeout=120,
                             env=env)
    finally:
        stop.set()
        for t in readers:
            t.join(timeout=60)
    assert out.stdout.strip() == "stored", out.stderr
    assert set(statuses) == {200}


# -- #1: the command line names a store it cannot open by kind and name, not by URL ------------------------------
UNREACHABLE = "postgresql://bob:sekret-pw@127.0.0.1:1/teamdb"  # loopback port 1: refused at once


@pytest.mark.parametrize("command", [["stats"], ["serve", "--port", "8799"]])
def test_cli_never_prints_the_store_url(command):
    from typer.testing import CliRunner

    from marsad.cli.main import app

    res = CliRunner().invoke(app, [*command, "--store", UNREACHABLE])
    text = res.output + (getattr(res, "stderr", "") or "")
    assert res.exit_code == 2, (res.exit_code, text, res.exception)
    assert "sekret-pw" not in text and "bob" not in text
    assert "E202" in text and "teamdb" in text
