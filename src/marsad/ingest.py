"""Ingest: read files → run the per-document pipeline → store each article → update stories.

Nothing is lost on bad input: every unreadable file or record, and every article a stage fails on, becomes
one line in the summary, and the run goes on with the rest. Each article is stored in its own transaction.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

from .model import Article, Document
from .pipeline import Pipeline
from .readers import ReadError, read_paths
from .store.base import SQLStore


@dataclass
class IngestSummary:
    read: int = 0  # articles read from the inputs
    stored: int = 0  # new articles stored
    skipped: int = 0  # already in the store (same content hash)
    events: int = 0
    figures: int = 0
    stories: int = 0
    errors: list = field(default_factory=list)  # one-line messages
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("read", "stored", "skipped", "events", "figures", "stories",
                                              "errors", "seconds")}


def process_article(article: Article, pipeline: Pipeline) -> Document:
    return pipeline(Document(article=article))


def norm_text_of(doc: Document) -> Optional[str]:
    """Normalised text kept in the store for Arabic full-text search."""
    try:
        from .language.normalize import normalize
    except ImportError:  # pragma: no cover
        return None
    return normalize(doc.text)


def make_story_builder(store: SQLStore):
    """The online story builder, resumed from the store; None while the stories layer is absent."""
    try:
        from .stories import StoryBuilder
    except ImportError:
        return None
    state = store.scalar("SELECT value FROM meta WHERE key = 'story_state'")
    if state:
        import json

        return StoryBuilder(state=json.loads(state))
    return StoryBuilder()


def save_story_state(store: SQLStore, builder, changed_ids: Optional[set] = None) -> int:
    """Save the changed stories (all when ``changed_ids`` is None), then retire from the builder the stories
    no article can join any more (their records are in the store by then), then save the builder's state."""
    import json

    if changed_ids is None:
        stories, fused = builder.stories(), builder.fused_events()
    else:  # only what changed is turned into records: a long run holds thousands of stories
        stories = [st for st in (builder.story(sid) for sid in sorted(changed_ids)) if st is not None]
        fused = [e for st in stories for e in builder.fused_events(st.id)]
    removed = builder.pop_removed() if hasattr(builder, "pop_removed") else []
    if removed:  # stories merged into others since the last save
        store.delete_stories(removed)
    store.save_stories(stories, fused)
    builder.retire()
    with store.transaction():
        store.execute("DELETE FROM meta WHERE key = 'story_state'")
        store.execute("INSERT INTO meta VALUES ('story_state', ?)", [json.dumps(builder.state(), ensure_ascii=False)])
    return len(stories)


def date_is_ambiguous(doc: Document) -> bool:
    """The text narrows the publication date to several candidates (e.g. a weekday and a day of month
    that fit several years) and nothing chose between them."""
    ev = doc.article.meta.get("published_evidence") or {}
    return doc.article.published is None and bool(ev.get("ambiguous"))


def reference_from(dates: list[str]) -> Optional[str]:
    """The median of the publication dates known so far: articles collected together are near in time."""
    if not dates:
        return None
    ordered = sorted(dates)
    return ordered[len(ordered) // 2]


def attach_repeated_lines(store: SQLStore, pipeline: Pipeline):
    """Give the cleaner the store's per-outlet line counts, so boilerplate lines that repeat across an outlet's
    articles become chrome too. Returns the model (to be updated and saved), or None without a cleaner."""
    cleaner = next((s for s in pipeline.stages if s.name == "clean" and hasattr(s, "repeated")), None)
    if cleaner is None:
        return None
    import json

    from .language.clean import RepeatedLineModel

    state = store.scalar("SELECT value FROM meta WHERE key = 'repeated_lines'")
    cleaner.repeated = RepeatedLineModel.from_dict(json.loads(state)) if state else RepeatedLineModel()
    return cleaner.repeated


def save_repeated_lines(store: SQLStore, model) -> None:
    import json

    with store.transaction():
        store.execute("DELETE FROM meta WHERE key = 'repeated_lines'")
        store.execute("INSERT INTO meta VALUES ('repeated_lines', ?)", [json.dumps(model.to_dict(), ensure_ascii=False)])


def ingest(paths: Iterable[Union[str, Path]], store: SQLStore, pipeline: Optional[Pipeline] = None,
           on_item: Optional[Callable[[Union[Article, ReadError], str], None]] = None,
           stories: bool = True, reference_date: Optional[str] = None) -> IngestSummary:
    """Ingest every article under ``paths``; ``on_item(item, status)`` reports progress per item.

    ``reference_date`` (ISO) says roughly when the articles were published; it only chooses among the
    candidates an article's own evidence leaves (recorded as "inferred:weekday+reference"). Without it,
    ambiguous articles are held back to the end of the run and resolved against the median publication date
    of the articles read in the same run.
    """
    t0 = time.perf_counter()
    pipeline = pipeline or Pipeline.default()
    summary = IngestSummary()
    builder = make_story_builder(store) if stories else None
    repeated = attach_repeated_lines(store, pipeline)
    seen_this_run: set[str] = set()  # ids read but not yet in the store (deferred, or waiting in the batch)
    writer = _BatchWriter(store, summary, _StoryFeed(store, builder), on_item, seen_this_run)
    deferred: list[Article] = []
    known_dates: list[str] = []
    for item in read_paths(paths):
        if isinstance(item, ReadError):
            summary.errors.append(item.message)
            on_item and on_item(item, "error")
            continue
        summary.read += 1
        if item.id in seen_this_run or store.has_article(item.id):
            summary.skipped += 1
            on_item and on_item(item, "skipped")
            continue
        if repeated is not None:
            from .language.clean import detect_outlet

            repeated.add(item.outlet or detect_outlet(item.raw_text)[0], item.raw_text)
        if reference_date:
            item.meta["reference_date"] = reference_date
        pristine = Article.from_dict(item.to_dict()) if not reference_date else None
        doc = _process(item, pipeline, summary, on_item)
        if doc is None:
            continue
        if pristine is not None and date_is_ambiguous(doc):
            deferred.append(pristine)  # decide once the run's other dates are known
            seen_this_run.add(item.id)
            continue
        if doc.article.published is not None:
            known_dates.append(doc.article.published.value)
        writer.add(doc)
    reference = reference_from(known_dates)
    for item in deferred:
        if reference:
            item.meta["reference_date"] = reference
            item.meta["run_reference"] = True  # chosen by the run, not given: weaker (see infer_publication_date)
        doc = _process(item, pipeline, summary, on_item)
        if doc is not None:
            writer.add(doc)
    writer.flush()
    if repeated is not None and summary.stored:
        save_repeated_lines(store, repeated)
    summary.stories = writer.stories.flush()
    summary.seconds = time.perf_counter() - t0
    return summary


def _process(item: Article, pipeline: Pipeline, summary: IngestSummary, on_item) -> Optional[Document]:
    try:
        return process_article(item, pipeline)
    except Exception as exc:  # one bad article must not stop the run
        where = traceback.extract_tb(exc.__traceback__)[-1]
        summary.errors.append(f"{item.source_path}: processing failed ({type(exc).__name__}: {exc} "
                              f"at {Path(where.filename).name}:{where.lineno})")
        on_item and on_item(item, "error")
        return None


class _StoryFeed:
    """Clusters each stored document at once (no document is kept for the end of the run) and saves the
    changed stories every ``flush_every`` articles, so a crash loses at most that much clustering."""

    flush_every = 2000

    def __init__(self, store: SQLStore, builder):
        self.store, self.builder = store, builder
        self.changed: set = set()
        self.pending = 0
        self.saved = 0  # stories saved over the run (a story saved by two flushes counts once)
        self._saved_ids: set = set()

    def add(self, doc: Document) -> None:
        if self.builder is None:
            return
        update = self.builder.add(doc)
        self.changed |= set(getattr(update, "story_ids", None) or [])
        self.pending += 1
        if self.pending >= self.flush_every:
            self.flush()

    def flush(self) -> int:
        """Save what changed since the last flush; returns the number of stories saved over the run."""
        if self.builder is not None and self.pending:
            n = save_story_state(self.store, self.builder, self.changed or None)
            self._saved_ids |= self.changed
            self.saved = len(self._saved_ids) if self.changed else max(self.saved, n)
            self.changed, self.pending = set(), 0
        return self.saved


class _BatchWriter:
    """Writes processed documents ``batch_size`` at a time, each batch in one transaction (DuckDB pays
    milliseconds per statement, so one article per transaction caps a run at a few tens of articles per
    second); a crash loses at most one batch, which the next run processes again."""

    batch_size = 64

    def __init__(self, store: SQLStore, summary: IngestSummary, stories: _StoryFeed, on_item, pending_ids: set):
        self.store, self.summary, self.stories, self.on_item = store, summary, stories, on_item
        self.pending_ids = pending_ids
        self.batch: list[Document] = []

    def add(self, doc: Document) -> None:
        self.batch.append(doc)
        self.pending_ids.add(doc.article.id)
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        new = self.store.save_documents([(doc, norm_text_of(doc)) for doc in batch])
        for doc, is_new in zip(batch, new):
            self.pending_ids.discard(doc.article.id)
            if is_new:
                self.summary.stored += 1
                self.summary.events += len(doc.events)
                self.summary.figures += len(doc.figures)
                self.stories.add(doc)
                self.on_item and self.on_item(doc.article, "stored")
            else:  # another process stored it meanwhile
                self.summary.skipped += 1
                self.on_item and self.on_item(doc.article, "skipped")
