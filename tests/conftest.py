import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from marsad.paths import samples_dir as _samples_dir, shared_dir as _shared_dir


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    d = _shared_dir()
    if not d.exists():
        pytest.skip(f"shared reference data not found at {d}")
    return d


@pytest.fixture(scope="session")
def samples_dir(shared_dir) -> Path:
    return shared_dir / "samples"


@pytest.fixture(scope="session")
def sample_paths(samples_dir) -> list[Path]:
    return sorted(samples_dir.glob("*.txt"))


@contextmanager
def _live(app):
    """Serve ``app`` with uvicorn on a free loopback port in a thread; yields its URL, stops it after."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server():
    """``live_server(app)``: a context manager serving the app on loopback, yielding its URL (browser tests)."""
    return _live
