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

Corpus-level state follows the sequential ``marsad.ingest``: per-outlet repeated lines (the client keeps the
model and sends each partition the compact set of lines that count as chrome), ambiguous publication dates
(deferred to the end of the run and resolved against the run's median date), and stories (the client feeds
each stored Document to the StoryBuilder as it arrives, saving its state every ``story_flush`` articles; on
start, stored articles the saved story state does not know — left by a killed run — are added first). The
per-article part of clustering — MinHash signature and sentence-encoder vector, most of its cost — is done
on the workers beside the pipeline (``ArticleSketch``), so the single clustering client does not cap the run.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections import deque
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

from ..ingest import (IngestSummary, date_is_ambiguous, make_story_builder, norm_text_of, reference_from,
                      save_repeated_lines, save_story_state)
from ..model import Article, Document, Tokens
from ..readers import ReadError, read_paths
from ..store import open_store

PARTITION_SIZE = int(os.environ.get("MARSAD_PARTITION_SIZE", 32))
STORY_FLUSH = int(os.environ.get("MARSAD_STORY_FLUSH", 2000))
PROGRESS_EVERY = float(os.environ.get("MARSAD_PROGRESS_EVERY", 2.0))  # seconds between plain progress lines

# ---------------------------------------------------------------------------------------------- worker side

_PIPELINE = None
_WRITER = {}  # store url -> store opened by this worker (PostgreSQL only)


class FrozenRepeated:
    """What the cleaner needs of a RepeatedLineModel for ONE article: which of its lines count as chrome.

    The client decides with its model in the state the sequential ingest would have at that article."""

    def __init__(self, keys: Iterable[str]):
        self.keys = set(keys)

    def is_chrome(self, outlet, line: str) -> bool:
        from ..language.clean import _key

        return _key(line) in self.keys


def worker_pipeline():
    """The worker's pipeline, built once per process (stages load their data in their constructors)."""
    global _PIPELINE
    if _PIPELINE is None:
        from ..pipeline import Pipeline

        _PIPELINE = Pipeline.default()
    return _PIPELINE


def warm_up(embedder: Optional[str] = None) -> list:
    names = worker_pipeline().names
    if embedder:  # the stories' sentence encoder too, when the workers sketch articles
        from ..stories.embed import get_embedder

        get_embedder(embedder)
    return names


class _Serialised(Document):
    """A Document whose JSON was produced on the worker, so the single writing client does not redo it."""

    _json: str = ""

    def to_json(self) -> str:  # type: ignore[override]
        return self._json or super().to_json()


def process_partition(articles: list[tuple], reference_date: Optional[str], defer: bool,
                      write_url: Optional[str], sketch: Optional[tuple] = None) -> list[tuple]:
    """Run the pipeline over one partition of (article dict, repeated chrome lines). Returns one tuple per article:
    ("done", doc, json, norm_text, sketch) to be written by the client, ("stored"|"skipped", doc, sketch) when
    written here, ("deferred", article_dict) when the publication date needs the run's reference, ("error",
    message). ``sketch`` = (embedder, num_perm, shingle) of the client's StoryBuilder: the worker also makes each
    article's ArticleSketch (its sentence-encoder vector is the costly part of clustering), else None."""
    pipeline = worker_pipeline()
    cleaner = next((s for s in pipeline.stages if s.name == "clean" and hasattr(s, "repeated")), None)
    store = None
    if write_url:
        store = _WRITER.get(write_url)
        if store is None:
            store = _WRITER[write_url] = open_store(write_url)
    out: list[tuple] = []
    done: list[tuple] = []
    for data, chrome in articles:
        if cleaner is not None:
            cleaner.repeated = FrozenRepeated(chrome)
        art = Article.from_dict(data)
        if reference_date:
            art.meta["reference_date"] = reference_date
        try:
            doc = pipeline(Document(article=art))
        except Exception as exc:  # one bad article must not stop the run
            where = traceback.extract_tb(exc.__traceback__)[-1]
            out.append(("error", f"{art.source_path}: processing failed ({type(exc).__name__}: {exc} "
                                 f"at {Path(where.filename).name}:{where.lineno})"))
            continue
        if defer and not reference_date and date_is_ambiguous(doc):
            out.append(("deferred", data))  # resent with the run's reference date
            continue
        done.append((doc, norm_text_of(doc)))
    sketches = _sketches([doc for doc, _ in done], sketch)
    if store is not None:  # PostgreSQL: this worker writes the partition, in one transaction
        for (doc, _), new, sk in zip(done, store.save_documents(done), sketches):
            out.append(("stored" if new else "skipped", _without_tokens(doc), sk))
    else:
        out.extend(("done", doc, doc.to_json(), norm, sk) for (doc, norm), sk in zip(done, sketches))
        for doc, _ in done:
            _without_tokens(doc)
    return out


def _without_tokens(doc: Document) -> Document:
    """The client stores the document's JSON (made here) and reads no tokens, which are about half of what
    would be pickled back to it (unpickling them cost the single client more than anything else it does)."""
    doc.tokens = Tokens()
    return doc


def _sketches(docs: list, spec: Optional[tuple]) -> list:
    if not spec or not docs:
        return [None] * len(docs)
    from ..stories import sketch_articles

    try:
        return sketch_articles(docs, *spec)
    except Exception:  # the client redoes them (and reports what fails)
        return [None] * len(docs)


# ---------------------------------------------------------------------------------------------- client side


class _Repeated:
    """The client's per-outlet repeated-line model (learned as articles are read, as in the sequential
    ingest); for each article it names the article's own lines that count as chrome at that point."""

    def __init__(self, store):
        from ..language.clean import RepeatedLineModel

        state = store.scalar("SELECT value FROM meta WHERE key = 'repeated_lines'")
        self.model = RepeatedLineModel.from_dict(json.loads(state)) if state else RepeatedLineModel()

    def chrome_lines(self, art: Article, learn: bool = True) -> list[str]:
        from ..language.clean import _LINE, _key, detect_outlet

        outlet = art.outlet or detect_outlet(art.raw_text)[0]
        if learn:
            self.model.add(outlet, art.raw_text)
        if not self.model.article_counts.get(outlet):
            return []
        return [_key(m.group(0)) for m in _LINE.finditer(art.raw_text)
                if m.group(0).strip() and self.model.is_chrome(outlet, m.group(0))]


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


def ingest_parallel(paths: Iterable[Union[str, Path]], store_url: str, workers: int = 2,
                    scheduler: Optional[str] = None, stories: bool = True, progress: bool = True,
                    reference_date: Optional[str] = None, partition_size: int = PARTITION_SIZE,
                    story_flush: int = STORY_FLUSH,
                    on_item: Optional[Callable[[object, str], None]] = None) -> IngestSummary:
    """Ingest ``paths`` into the store at ``store_url`` with Dask workers; returns an IngestSummary."""
    # one process per core: BLAS thread pools (numpy's OpenBLAS in the stories' sentence encoder) in the
    # client and every worker would otherwise oversubscribe the cores (set before numpy loads; inherited)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from dask.distributed import as_completed

    t0 = time.perf_counter()
    summary = IngestSummary()
    store = open_store(store_url)
    direct = store.url.startswith(("postgresql://", "postgres://")) or type(store).__name__ == "PostgresStore"
    write_url = store_url if direct else None
    show = _Progress(progress)
    client = cluster = None
    try:
        known = store.article_ids()
        repeated = _Repeated(store)
        builder = make_story_builder(store) if stories else None
        changed: set = set()
        known_dates: list[str] = []
        since_flush = 0

        def add_to_stories(doc: Document, sketch=None) -> None:
            nonlocal since_flush
            if builder is None:
                return
            update = builder.add(doc, sketch)
            changed.update(getattr(update, "story_ids", None) or [])
            since_flush += 1
            if since_flush >= story_flush:
                flush()

        def flush() -> None:
            nonlocal since_flush
            if builder is not None and changed:
                summary.stories += save_story_state(store, builder, set(changed))
                changed.clear()
            save_repeated_lines(store, repeated.model)
            since_flush = 0

        if builder is not None:  # articles a killed run stored but never handed to the stories
            missing = [r["id"] for r in store.query(
                "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles)")]
            for doc in store.load_documents(missing):
                add_to_stories(doc)

        client, cluster = _make_client(workers, scheduler)
        sketch_spec = (builder.embedder.name, builder.params.num_perm, builder.params.shingle) \
            if builder is not None else None  # (an empty builder is falsy: it has a length)
        client.run(warm_up, sketch_spec[0] if sketch_spec else None)  # every worker loads once, in parallel
        show.start()

        def handle(results: list[tuple]) -> None:
            to_write = [r for r in results if r[0] == "done"]
            if to_write:  # DuckDB: the client writes the partition in one transaction
                for r in to_write:
                    r[1].__class__ = _Serialised
                    r[1]._json = r[2]
                news = iter(store.save_documents([(r[1], r[3]) for r in to_write]))
                for r in to_write:
                    r[1].__class__ = Document
                    r[1].__dict__.pop("_json", None)
                results = [("stored" if next(news) else "skipped", r[1], r[4]) if r[0] == "done" else r
                           for r in results]
            for r in results:
                kind = r[0]
                if kind == "error":
                    summary.errors.append(r[1])
                    on_item and on_item(r[1], "error")
                    continue
                if kind == "deferred":
                    deferred.append(r[1])
                    continue
                doc = r[1]
                if kind == "stored":
                    summary.stored += 1
                    summary.events += len(doc.events)
                    summary.figures += len(doc.figures)
                    if doc.article.published is not None:
                        known_dates.append(doc.article.published.value)
                    add_to_stories(doc, r[2])
                else:  # another writer stored it meanwhile
                    summary.skipped += 1
                on_item and on_item(doc.article, kind)

        deferred: list[dict] = []
        payloads: dict = {}  # task key -> future of its scattered partition
        inflight = as_completed()
        n_inflight = 0
        limit = 2 * max(1, len(client.scheduler_info().get("workers", {})) or workers)

        def submit(batch: list[Article], ref: Optional[str], defer: bool, learn: bool = True) -> None:
            nonlocal n_inflight
            payload = [(a.to_dict(), repeated.chrome_lines(a, learn)) for a in batch]
            # The articles travel as scattered data, not inside the task: the scheduler keeps the specs of
            # finished tasks (a few KB per article, growing with the run), never scattered data once released.
            data = client.scatter([payload], hash=False)[0]
            fut = client.submit(process_partition, data, ref, defer, write_url, sketch_spec, pure=False)
            payloads[fut.key] = data
            inflight.add(fut)
            n_inflight += 1

        def drain(until: int) -> None:
            nonlocal n_inflight
            while n_inflight > until:
                fut = next(inflight)
                n_inflight -= 1
                try:
                    results = fut.result()
                except Exception as exc:  # a partition that failed as a whole (e.g. a worker kept dying)
                    summary.errors.append(f"a partition failed: {type(exc).__name__}: {exc}")
                    continue
                finally:
                    fut.release()
                    payloads.pop(fut.key).release()
                handle(results)
                show.update(summary, n_inflight)

        seen: set[str] = set()
        batch: list[Article] = []
        defer = not reference_date
        for item in read_paths(paths):
            if isinstance(item, ReadError):
                summary.errors.append(item.message)
                on_item and on_item(item, "error")
                continue
            summary.read += 1
            if item.id in seen or item.id in known:
                summary.skipped += 1
                on_item and on_item(item, "skipped")
                continue
            seen.add(item.id)
            batch.append(item)
            if len(batch) >= partition_size:
                drain(limit - 1)
                submit(batch, reference_date, defer)
                batch = []
        if batch:
            drain(limit - 1)
            submit(batch, reference_date, defer)
        drain(0)
        if deferred:  # ambiguous dates: resolve against the run's median known date
            ref = reference_from(known_dates)
            pending = [Article.from_dict(d) for d in deferred]
            deferred.clear()
            for i in range(0, len(pending), partition_size):  # the model as it stands at the end, as in ingest()
                drain(limit - 1)
                submit(pending[i:i + partition_size], ref, False, learn=False)
            drain(0)
        flush()
        show.update(summary, 0, final=True)
    finally:
        show.close()
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        store.close()
    summary.seconds = time.perf_counter() - t0
    return summary


__all__ = ["ingest_parallel", "process_partition", "FrozenRepeated"]
