"""The embedded default: one DuckDB file. DuckDB lets one process write a file at a time, so a second
ingest waits for the first to release the file instead of failing — parallel runs lose nothing.

A writer waiting for the file says so to readers: while it waits it holds a shared ``flock`` on ``<file>.writers``
(released when it has the file, or when the process dies), and the API (:mod:`marsad.api.db`) opens no new read
connection while that lock is held. Readers finish the requests they are serving, and the writer gets the file —
it is never starved by a dashboard in use.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from ..errors import Warnings
from .base import SQLStore

LOCK_WAIT_SECONDS = float(os.environ.get("MARSAD_LOCK_WAIT", 600))
# DuckDB's own default lets its buffer pool take 80 % of the machine's memory, and it runs inside the ingesting
# process: cap it so a long ingest keeps a steady footprint (pages beyond it are written out and re-read).
MEMORY_LIMIT = os.environ.get("MARSAD_DUCKDB_MEMORY", "512MB")


try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no write intent, readers and writers take turns as they come
    fcntl = None


def intent_path(path: str) -> str:
    return f"{path}.writers"


@contextmanager
def write_intent(path: str) -> Iterator[None]:
    """Hold the "a writer is waiting" lock of ``path`` (shared between writers) for the block."""
    fd = None
    if fcntl is not None and path != ":memory:":
        try:
            fd = os.open(intent_path(path), os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:  # a read-only folder: carry on without announcing
            if fd is not None:
                os.close(fd)
            fd = None
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)  # closing releases the lock


def writer_waiting(path: str) -> Optional[bool]:
    """Is a writer waiting for (or opening) ``path``? None when that cannot be told."""
    if fcntl is None or path == ":memory:":
        return None
    try:
        fd = os.open(intent_path(path), os.O_RDONLY)
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return None
    finally:
        os.close(fd)  # also releases the probe's lock
    return False


class DuckDBStore(SQLStore):
    def __init__(self, path: str | Path = "marsad.duckdb", read_only: bool = False,
                 lock_wait: float = LOCK_WAIT_SECONDS):
        self.path = str(path)
        self.url = f"duckdb:///{self.path}"
        self.read_only = read_only
        self.lock_wait = lock_wait
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        super().__init__()

    def _connect(self):
        if self.read_only:
            return self._open_file()
        with write_intent(self.path):
            return self._open_file()

    def _open_file(self):
        import duckdb

        deadline = time.monotonic() + self.lock_wait
        told = False
        while True:
            try:
                config = {"memory_limit": MEMORY_LIMIT} if MEMORY_LIMIT else {}
                return duckdb.connect(self.path, read_only=self.read_only, config=config)
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                if not told:
                    print(f"marsad: {Warnings.W201.format(store=Path(self.path).name)}", file=sys.stderr)
                    told = True
                time.sleep(0.2)

    def _ensure_schema(self) -> None:
        if not self.read_only:
            super()._ensure_schema()
