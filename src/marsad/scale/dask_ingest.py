"""Parallel and distributed ingestion with Dask: ``marsad ingest PATH --workers N`` or ``--scheduler ADDR``.

How the work is split. The client (this process) reads the inputs — reading is cheap —, drops articles the
store already holds (content-hash ids), and sends the rest to the workers in partitions of
``partition_size`` articles. Each worker process builds ``Pipeline.default()`` once and runs it over its
partitions. Only ``2 × workers`` partitions are in flight at a time, so memory stays flat however many
articles there are: nothing holds the whole corpus, and the client keeps only a set of ids.

How writes stay idempotent and resumable. Each partition's articles are written in one transaction
with ``INSERT … ON CONFLICT DO NOTHING`` on their content-hash ids (``SQLStore.save_documents``), so an
article is either fully stored or absent, and storing it twice is a no-op.
- DuckDB allows one writing process: workers return the processed Documents (with their JSON already
  serialised) and the client writes them.
- PostgreSQL takes many writers: workers write their articles directly and return them for the stories.
A crash — even ``kill -9`` of the client and all workers — loses at most the articles in flight; rerunning
the same command skips what was stored and processes the rest. A worker that dies is replaced by Dask and
its partition recomputed (the writes are idempotent, so a repeated partition stores nothing twice).

The run is the sequential one (:class:`marsad.run.Run`): only where a batch is processed differs. The client
reads, keeps the corpus-level state (the repeated-line model, whose chrome lines for each article travel with it
in its RunContext; ambiguous dates deferred to the end of the run; the stories, caught up on start with what a
killed run stored) and stores; each worker runs :func:`marsad.run.process_batch` over its partitions. The
per-article part of clustering — MinHash signature and sentence-encoder vector, most of its cost — is done
on the workers beside the pipeline (``ArticleSketch``), so the single clustering client does not cap the run.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from ..readers import read_paths
from ..run import IngestSummary, Run, RunOptions, process_batch
from ..store import open_store

PARTITION_SIZE = int(os.environ.get("MARSAD_PARTITION_SIZE", 32))
STORY_FLUSH = int(os.environ.get("MARSAD_STORY_FLUSH", 2000))
PROGRESS_EVERY = float(os.environ.get("MARSAD_PROGRESS_EVERY", 2.0))  # seconds between plain progress lines

# ---------------------------------------------------------------------------------------------- worker side

_PIPELINES: dict = {}  # run options -> the worker's pipeline, built once per process
_WRITER = {}  # store url -> store opened by this worker (PostgreSQL only)


def worker_pipeline(options: Optional[RunOptions] = None):
    """The worker's pipeline for ``options`` (stages load their data in their constructors, once)."""
    return (options or RunOptions()).pipeline()


def warm_up(options: Optional[RunOptions] = None, embedder: Optional[str] = None) -> list:
    names = worker_pipeline(options).names
    if embedder:  # the stories' sentence encoder too, when the workers sketch articles
        from ..stories.embed import get_embedder

        get_embedder(embedder)
    return names


def process_partition(items: list, options: RunOptions, defer: bool, write_url: Optional[str],
                      sketch: Optional[tuple] = None) -> list:
    """One partition of ``(article, RunContext)`` on a worker: :func:`marsad.run.process_batch` with the worker's
    pipeline. With ``write_url`` (PostgreSQL) the worker writes the partition itself; else each document comes
    back with its JSON made here. Tokens are dropped from what is sent back: the client stores the JSON made
    here and reads no tokens, which are about half of what would be pickled back to it."""
    store = None
    if write_url:
        store = _WRITER.get(write_url)
        if store is None:
            store = _WRITER[write_url] = open_store(write_url)
    out = process_batch(items, worker_pipeline(options), defer=defer, store=store, serialise=store is None,
                        sketch=sketch)
    from ..model import Tokens

    for o in out:
        if o.doc is not None:
            o.doc.tokens = Tokens()
    return out


# ---------------------------------------------------------------------------------------------- client side


class _Progress:
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.live = None
        self.last_line = 0.0
        if enabled:
            from rich.console import Console

            console = Console(stderr=True)
            if console.is_terminal:
                from rich.progress import Progress, TextColumn, TimeElapsedColumn

                self.live = Progress(TextColumn("[bold]{task.description}"), TextColumn("{task.fields[status]}"),
                                     TimeElapsedColumn(), console=console)
                self.task = self.live.add_task("ingesting (dask)", status="starting workers")
                self.live.start()

    def update(self, s: IngestSummary, inflight: int, final: bool = False) -> None:
        if not self.enabled:
            return
        rate = s.stored / max(time.perf_counter() - self.t0, 1e-9) if hasattr(self, "t0") else 0.0
        status = (f"read {s.read} · stored {s.stored} · skipped {s.skipped} · errors {len(s.errors)}"
                  f" · in flight {inflight} · {rate:.0f}/s")
        if self.live is not None:
            self.live.update(self.task, status=status)
        elif final or time.monotonic() - self.last_line >= PROGRESS_EVERY:
            print(f"marsad ingest: {status}", file=sys.stderr, flush=True)
            self.last_line = time.monotonic()

    def start(self) -> None:
        self.t0 = time.perf_counter()

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()


def _make_client(workers: int, scheduler: Optional[str]):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=40)
    return Client(cluster), cluster


class DaskExecutor:
    """Processes the run's batches on Dask workers, ``2 × workers`` partitions in flight at a time."""

    def __init__(self, workers: int = 2, scheduler: Optional[str] = None, write_url: Optional[str] = None,
                 progress: Optional[_Progress] = None):
        self.workers, self.scheduler, self.write_url = workers, scheduler, write_url
        self.progress = progress or _Progress(False)
        self.client = self.cluster = None
        self.inflight = None
        self.n_inflight = 0
        self.payloads: dict = {}  # task key -> future of its scattered partition

    def start(self, run: Run) -> None:
        from dask.distributed import as_completed

        self.run = run
        self.options = run.options
        self.client, self.cluster = _make_client(self.workers, self.scheduler)
        self.sketch = run.stories.sketch_spec if run.stories is not None else None
        # every worker loads once, in parallel
        self.client.run(warm_up, self.options, self.sketch[0] if self.sketch else None)
        self.limit = 2 * max(1, len(self.client.scheduler_info().get("workers", {})) or self.workers)
        self.inflight = as_completed()
        self.progress.start()

    def submit(self, items: list, defer: bool) -> None:
        # The articles travel as scattered data, not inside the task: the scheduler keeps the specs of
        # finished tasks (a few KB per article, growing with the run), never scattered data once released.
        data = self.client.scatter([items], hash=False)[0]
        fut = self.client.submit(process_partition, data, self.options, defer, self.write_url, self.sketch,
                                 pure=False)
        self.payloads[fut.key] = data
        self.inflight.add(fut)
        self.n_inflight += 1

    def ready(self, wait_all: bool = False) -> Iterator[list]:
        """Results of finished partitions: waits while the window is full (all of them with ``wait_all``)."""
        until = 0 if wait_all else self.limit - 1
        while self.n_inflight > until:
            fut = next(self.inflight)
            self.n_inflight -= 1
            try:
                results = fut.result()
            except Exception as exc:  # a partition that failed as a whole (e.g. a worker kept dying)
                self.run.summary.errors.append(f"a partition failed: {type(exc).__name__}: {exc}")
                continue
            finally:
                fut.release()
                self.payloads.pop(fut.key).release()
            yield results
            self.progress.update(self.run.summary, self.n_inflight)

    def close(self) -> None:
        self.progress.update(self.run.summary, 0, final=True) if hasattr(self, "run") else None
        self.progress.close()
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def ingest_parallel(paths: Iterable[Union[str, Path]], store_url: str, workers: int = 2,
                    scheduler: Optional[str] = None, stories: bool = True, progress: bool = True,
                    reference_date: Optional[str] = None, partition_size: int = PARTITION_SIZE,
                    story_flush: int = STORY_FLUSH, on_item: Optional[Callable[[object, str], None]] = None,
                    options: Optional[RunOptions] = None) -> IngestSummary:
    """Ingest ``paths`` into the store at ``store_url`` with Dask workers; returns an IngestSummary."""
    # one process per core: BLAS thread pools (numpy's OpenBLAS in the stories' sentence encoder) in the
    # client and every worker would otherwise oversubscribe the cores (set before numpy loads; inherited)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from dataclasses import replace

    opts = replace(options or RunOptions(), stories=stories, batch_size=partition_size, story_flush=story_flush,
                   reference_date=reference_date or (options.reference_date if options else None))
    store = open_store(store_url)
    try:
        direct = store.url.startswith(("postgresql://", "postgres://")) or type(store).__name__ == "PostgresStore"
        executor = DaskExecutor(workers, scheduler, write_url=store_url if direct else None,
                                progress=_Progress(progress))
        return Run(store, opts, executor=executor, on_item=on_item).feed(read_paths(paths))
    finally:
        store.close()


__all__ = ["DaskExecutor", "ingest_parallel", "process_partition"]
