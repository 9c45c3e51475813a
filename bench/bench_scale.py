"""Scaling of the parallel ingest: articles/s and memory for growing corpora and 1 vs 2 Dask workers.

    python bench/bench_scale.py                       # 1k and 10k articles, 1 and 2 workers, DuckDB
    python bench/bench_scale.py --sizes 1000,10000,100000 --workers 1,2
    python bench/bench_scale.py --store postgres      # PostgreSQL at $MARSAD_BENCH_PG_URL or $MARSAD_TEST_PG_URL
    python bench/bench_scale.py --stories             # with story clustering (runs in the client)
    python bench/bench_scale.py --resume-check 10000  # kill -9 half-way through, rerun, check exactly N stored

Each configuration runs in a fresh child process against a fresh store, on a corpus generated once per size
(marsad.scale.corpus, JSONL, cached under --work). Reported: wall time of the ingest (cluster start-up apart),
articles/s overall and per worker, peak RSS of the client and of the largest worker, and the client's RSS once
the store is closed. Workers and the client's own state should not grow with the number of articles:
partitions stream through a bounded window, nothing holds the corpus. With DuckDB the client's peak does grow:
the embedded engine lives in the client's process and keeps its primary-key indexes and cached pages in memory
(the "after close" column shows what remains without it); with PostgreSQL that memory is the server's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    """Resident memory now (Linux), e.g. once the store is closed: what the client itself keeps."""
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024
    except (OSError, StopIteration):
        return float("nan")


def corpus(work: Path, n: int, seed: int) -> Path:
    from marsad.scale.corpus import write_corpus

    d = work / f"corpus_{n}_{seed}"
    if not (d / ".done").exists():
        write_corpus(n, d, "jsonl", seed=seed)
        (d / ".done").write_text("ok")
    return d


def store_url(kind: str, work: Path) -> tuple[str, callable]:
    if kind == "duckdb":
        path = work / f"bench_{uuid.uuid4().hex[:8]}.duckdb"

        def drop():
            for p in (path, Path(str(path) + ".wal")):
                p.unlink(missing_ok=True)

        return str(path), drop
    import psycopg

    base = os.environ.get("MARSAD_BENCH_PG_URL") or os.environ.get("MARSAD_TEST_PG_URL")
    if not base:
        sys.exit("--store postgres needs MARSAD_BENCH_PG_URL or MARSAD_TEST_PG_URL (bash scripts/ci_postgres.sh)")
    schema = "bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(base, autocommit=True) as c:
        c.execute(f"CREATE SCHEMA {schema}")

    def drop():
        with psycopg.connect(base, autocommit=True) as c:
            c.execute(f"DROP SCHEMA {schema} CASCADE")

    return f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={schema},public')}", drop


def one(args) -> int:
    """Child process: one ingest, JSON result on stdout."""
    import logging

    logging.disable(logging.WARNING)
    from dask.distributed import Client, LocalCluster

    from marsad.scale.dask_ingest import ingest_parallel

    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    cluster = LocalCluster(n_workers=args.one_workers, threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=40)
    client = Client(cluster)
    t = time.perf_counter()
    s = ingest_parallel([args.one_corpus], args.one_store, scheduler=cluster.scheduler_address,
                        stories=args.stories, progress=False)
    wall = time.perf_counter() - t
    end_mb = _rss_mb()  # the store is closed by now: its engine's caches and indexes are gone
    workers_rss = client.run(_maxrss_mb)
    client.close()
    cluster.close()
    print(json.dumps({"stored": s.stored, "errors": len(s.errors), "wall": wall, "client_mb": _maxrss_mb(),
                      "client_end_mb": end_mb,
                      "worker_mb": max(workers_rss.values())}))
    return 0


def resume_check(n: int, work: Path, seed: int, workers: int) -> int:
    """kill -9 a CLI ingest of n articles half-way through, rerun it, and check the store holds exactly n."""
    from marsad.store import open_store

    src = corpus(work, n, seed)
    url, drop = store_url("duckdb", work)
    env = {**os.environ, "MARSAD_PROGRESS_EVERY": "0.5"}
    cmd = [sys.executable, "-m", "marsad.cli.main", "ingest", str(src), "--workers", str(workers), "--store", url,
           "--no-stories"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env,
                            start_new_session=True)
    seen = 0
    for line in proc.stderr:
        m = re.search(r"stored (\d+)", line)
        if m and int(m.group(1)) >= n // 2:
            seen = int(m.group(1))
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    s = open_store(url)
    before = s.scalar("SELECT COUNT(*) FROM articles")
    s.close()
    print(f"killed -9 after {time.perf_counter() - t:.0f} s: progress said {seen} stored, store holds {before}")
    t = time.perf_counter()
    rerun = subprocess.run(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    tail = rerun.stderr.strip().splitlines()[-1] if rerun.stderr.strip() else ""
    s = open_store(url)
    total, distinct = s.scalar("SELECT COUNT(*) FROM articles"), s.scalar("SELECT COUNT(DISTINCT id) FROM articles")
    events = s.scalar("SELECT COUNT(*) FROM events WHERE NOT fused")
    in_docs = sum(len(d.events) for d in s.load_documents())
    s.close()
    drop()
    ok = total == distinct == n and events == in_docs
    print(f"rerun {time.perf_counter() - t:.0f} s, exit {rerun.returncode}: {tail}")
    print(f"store: {total} articles ({distinct} distinct) of {n}; event rows {events} = events in documents "
          f"{in_docs}: {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--store", choices=("duckdb", "postgres"), default="duckdb")
    ap.add_argument("--stories", action="store_true", help="cluster stories too (single-threaded, in the client)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "marsad-bench")
    ap.add_argument("--resume-check", type=int, default=0, metavar="N")
    ap.add_argument("--one-corpus", help=argparse.SUPPRESS)
    ap.add_argument("--one-store", help=argparse.SUPPRESS)
    ap.add_argument("--one-workers", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.one_corpus:
        return one(args)
    if args.resume_check:
        return resume_check(args.resume_check, args.work, args.seed, max(int(w) for w in args.workers.split(",")))

    sizes = [int(x) for x in args.sizes.split(",")]
    workers = [int(x) for x in args.workers.split(",")]
    print(f"marsad scale benchmark — store {args.store}, stories {'on' if args.stories else 'off'}, "
          f"{os.cpu_count()} cores")
    head = (f"{'articles':>9}{'workers':>8}{'seconds':>9}{'art/s':>8}{'art/s/worker':>13}"
            f"{'client MB':>10}{'after close':>12}{'worker MB':>10}")
    print(head)
    print("-" * len(head))
    for n in sizes:
        src = corpus(args.work, n, args.seed)
        for w in workers:
            url, drop = store_url(args.store, args.work)
            try:
                out = subprocess.run([sys.executable, __file__, "--one-corpus", str(src), "--one-store", url,
                                      "--one-workers", str(w)] + (["--stories"] if args.stories else []),
                                     capture_output=True, text=True)
                if out.returncode != 0:
                    print(out.stderr[-2000:], file=sys.stderr)
                    continue
                r = json.loads(out.stdout.strip().splitlines()[-1])
            finally:
                drop()
            rate = r["stored"] / r["wall"]
            flag = "" if r["stored"] == n and not r["errors"] else f"  (stored {r['stored']}, {r['errors']} errors)"
            print(f"{n:>9}{w:>8}{r['wall']:>9.1f}{rate:>8.1f}{rate / w:>13.1f}{r['client_mb']:>10.0f}"
                  f"{r.get('client_end_mb', float('nan')):>12.0f}{r['worker_mb']:>10.0f}{flag}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
