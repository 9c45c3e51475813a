"""kill -9 during a Dask ingest, then rerun: the store holds exactly N articles, none half-written."""

import os
import re
import signal
import subprocess
import sys
import time

from marsad.scale.corpus import write_corpus
from marsad.scale.dask_ingest import ingest_parallel
from marsad.store import open_store


def _consistent(store) -> None:
    """Every stored article has all its layer rows: nothing half-written."""
    events = places = 0
    for doc in store.load_documents():
        events += len(doc.events)
        places += len(doc.places)
    assert store.scalar("SELECT COUNT(*) FROM events WHERE NOT fused") == events
    assert store.scalar("SELECT COUNT(*) FROM places") == places


def test_kill_9_mid_run_then_resume_stores_exactly_n(tmp_path):
    n = 300
    write_corpus(n, tmp_path / "in", "jsonl", seed=5, per_file=100)
    db = str(tmp_path / "k.duckdb")
    env = {**os.environ, "MARSAD_PROGRESS_EVERY": "0", "MARSAD_PARTITION_SIZE": "8"}
    proc = subprocess.Popen([sys.executable, "-m", "marsad.cli.main", "ingest", str(tmp_path / "in"),
                             "--workers", "2", "--store", db, "--no-stories"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env,
                            start_new_session=True)  # own process group: the client, nannies and workers
    seen = 0
    deadline = time.monotonic() + 60
    for line in proc.stderr:
        m = re.search(r"stored (\d+)", line)
        if m:
            seen = int(m.group(1))
            if seen >= 16:
                break
        assert time.monotonic() < deadline, "ingest made no progress"
    os.killpg(proc.pid, signal.SIGKILL)  # kill -9, the whole run
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL and 16 <= seen < n
    for _ in range(50):  # every process of the run is gone
        try:
            os.killpg(proc.pid, 0)
            time.sleep(0.1)
        except ProcessLookupError:
            break
    store = open_store(db)
    before = store.scalar("SELECT COUNT(*) FROM articles")
    assert 16 <= before < n
    _consistent(store)
    store.close()
    resumed = ingest_parallel([tmp_path / "in"], db, workers=2, stories=True, progress=False)
    assert resumed.errors == []
    assert (resumed.read, resumed.stored, resumed.skipped) == (n, n - before, before)
    store = open_store(db)
    assert store.scalar("SELECT COUNT(*) FROM articles") == n
    assert store.scalar("SELECT COUNT(DISTINCT id) FROM articles") == n
    _consistent(store)
    if store.scalar("SELECT COUNT(*) FROM stories"):  # stories layer present: it covers every article,
        # including those the killed run stored without stories
        assert store.scalar("SELECT COUNT(DISTINCT article_id) FROM story_articles") == n
    store.close()
