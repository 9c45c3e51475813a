"""The one run path: inputs → batches of articles → the pipeline → (store) → stories.

``marsad ingest`` (sequential), ``marsad ingest --workers N`` (Dask), ``marsad eval`` and ``marsad analyze`` all
go through :class:`Run` and its per-batch function :func:`process_batch`; they differ only in where a batch is
processed (here, or on a Dask worker) and whether the result is stored.

What a run knows is passed explicitly, never stored in ``Article.meta``:

- :class:`RunOptions` — the run's settings: pipeline stages and their settings, the caller's reference date,
  stories on or off, batch size, how often the story state is saved.
- :class:`RunContext` — what a stage may know of the run for one article, set as ``doc.run`` before the
  pipeline: the reference date (given by the caller, or the run's median date for articles whose own evidence
  leaves several dates), and the repeated lines that count as chrome for that article.

Corpus-level state is resumable. The per-outlet repeated-line (chrome) model counts the lines of every stored
article; it is saved with the number of articles it counts, and a run that finds another number in the store
(a run killed before it saved) rebuilds it from the stored articles, so the model never depends on when a run
was killed. The story state is saved every ``story_flush`` stored articles; on start, stored articles that no
story holds (left by a killed run) are fed to the stories first, whichever path stored them.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional, Union

from .model import Article, Document
from .readers import ReadError, read_paths

# ---------------------------------------------------------------------------------------------- options


@dataclass(frozen=True)
class RunOptions:
    """The settings of one run."""

    stages: Optional[tuple] = None  # pipeline stage names; None: the default pipeline
    config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # per-stage settings
    reference_date: Optional[str] = None  # ISO; roughly when the articles were published (given by the caller)
    stories: bool = True
    batch_size: int = 64  # articles per processed batch and per write transaction
    story_flush: int = 2000  # stored articles between saves of the story state

    def __post_init__(self):
        if self.reference_date is not None:
            dt.date.fromisoformat(str(self.reference_date)[:10])  # ValueError for a malformed date
        if self.batch_size < 1 or self.story_flush < 1:
            raise ValueError("batch_size and story_flush must be at least 1")

    def pipeline(self):
        """The pipeline these options name (built once per process and kept: stages load their data)."""
        key = (self.stages, json.dumps(self.config, sort_keys=True, default=str))
        pipe = _PIPELINES.get(key)
        if pipe is None:
            from .pipeline import Pipeline

            pipe = _PIPELINES[key] = Pipeline.default(self.stages, self.config)
        return pipe


_PIPELINES: dict = {}


@dataclass(frozen=True)
class RunContext:
    """What a stage may know of the run for one article (``doc.run``)."""

    reference_date: Optional[dt.date] = None
    reference_from_run: bool = False  # the run's median date, not given by the caller: weaker evidence
    chrome: Optional[frozenset] = None  # comparison keys of this article's lines that repeat across its outlet

    @classmethod
    def given(cls, reference_date: Optional[str]) -> "RunContext":
        return cls(reference_date=_as_date(reference_date))


def _as_date(value) -> Optional[dt.date]:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# ---------------------------------------------------------------------------------------------- summary


@dataclass
class IngestSummary:
    read: int = 0  # articles read from the inputs
    stored: int = 0  # new articles stored
    skipped: int = 0  # already in the store (same content hash)
    events: int = 0
    figures: int = 0
    stories: int = 0
    errors: list = field(default_factory=list)  # one-line messages: input not read, article not processed
    warnings: list = field(default_factory=list)  # one-line messages: read, but repaired or a field dropped
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("read", "stored", "skipped", "events", "figures", "stories",
                                              "errors", "warnings", "seconds")}


def read_warnings(art: Article) -> list[str]:
    """What the reader repaired or dropped in an article, as summary lines naming it."""
    out = []
    meta = art.meta or {}
    if meta.get("replaced_bytes"):
        from .readers.base import replaced_note

        out.append(f"{art.source_path}: {replaced_note(meta['replaced_bytes'])}")
    if meta.get("published_problem"):
        out.append(f"{art.source_path}: {meta['published_problem']}; publication date left to the text")
    return out


# ---------------------------------------------------------------------------------------------- one batch


@dataclass
class Outcome:
    """What became of one article of a batch. ``kind``: "done" (processed, not yet written), "stored",
    "skipped" (another writer stored it meanwhile), "deferred" (its date needs the run's reference; ``article``
    is the article as read), "error" (``message``)."""

    kind: str
    doc: Optional[Document] = None
    article: Optional[Article] = None
    message: str = ""
    json: Optional[str] = None  # the Document's JSON, when made where the batch was processed
    norm: Optional[str] = None  # normalised text for the store's search
    sketch: Any = None  # the stories' ArticleSketch, when made where the batch was processed


def process_batch(items: list, pipeline, *, defer: bool = False, store=None, serialise: bool = False,
                  sketch: Optional[tuple] = None) -> list[Outcome]:
    """Run ``pipeline`` over one batch of ``(article, RunContext)``; the one per-batch function of every run path.

    ``defer``: an article whose own evidence leaves several publication dates comes back "deferred" (to be
    processed again with the run's median date). ``store``: the batch's documents are written there, in one
    transaction. ``serialise``: each document's JSON and search text are made here (a Dask worker, so the single
    writing client does not redo them). ``sketch`` = (embedder, num_perm, shingle): the stories' per-article
    sketches are made here too. One article failing never stops the batch."""
    out: list[Outcome] = []
    for art, ctx in items:
        pristine = art.to_dict() if defer else None  # the article as read, should it be deferred
        doc = Document(article=art)
        doc.run = ctx
        try:
            doc = pipeline(doc)
        except Exception as exc:  # one bad article must not stop the run
            where = traceback.extract_tb(exc.__traceback__)[-1]
            out.append(Outcome("error", article=art, message=f"{art.source_path}: processing failed "
                               f"({type(exc).__name__}: {exc} at {Path(where.filename).name}:{where.lineno})"))
            continue
        finally:
            doc.run = None
        if defer and date_is_ambiguous(doc):
            out.append(Outcome("deferred", article=Article.from_dict(pristine)))
            continue
        out.append(Outcome("done", doc=doc, norm=norm_text_of(doc) if (store is not None or serialise) else None))
    done = [o for o in out if o.kind == "done"]
    if sketch and done:
        for o, sk in zip(done, _sketches([o.doc for o in done], sketch)):
            o.sketch = sk
    if serialise:
        for o in done:
            o.json = o.doc.to_json()
    if store is not None:
        store_outcomes(store, out)
    return out


def store_outcomes(store, outcomes: list[Outcome]) -> None:
    """Write the "done" outcomes in one transaction; each becomes "stored", or "skipped" if already there."""
    done = [o for o in outcomes if o.kind == "done"]
    if not done:
        return
    items = [(o.doc, o.norm if o.norm is not None else norm_text_of(o.doc), o.json) for o in done]
    for o, new in zip(done, store.save_documents(items)):
        o.kind = "stored" if new else "skipped"
        o.json = None


def _sketches(docs: list, spec: tuple) -> list:
    from .stories import sketch_articles

    try:
        return sketch_articles(docs, *spec)
    except Exception:  # the client's builder redoes them (and reports what fails)
        return [None] * len(docs)


def norm_text_of(doc: Document) -> Optional[str]:
    """Normalised text kept in the store for Arabic full-text search."""
    from .language.normalize import normalize

    return normalize(doc.text)


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


# ---------------------------------------------------------------------------------------------- chrome model


def outlet_key(art: Article) -> Optional[str]:
    """The outlet an article's lines are counted under (the cleaner's outlet: given, else detected)."""
    if art.outlet:
        return art.outlet
    from .language.clean import detect_outlet

    return detect_outlet(art.raw_text or "")[0]


class ChromeModel:
    """The run's per-outlet repeated-line model, as stored: it counts every stored article once. Articles read
    in the run are learnt as they are read (so an article's chrome is decided with the model as it stands at
    that article, in reading order), and unlearnt if they fail."""

    KEY = "repeated_lines"

    def __init__(self, model=None):
        from .language.clean import RepeatedLineModel

        self.model = model if model is not None else RepeatedLineModel()

    @classmethod
    def load(cls, store) -> "ChromeModel":
        """The saved model if it counts exactly the stored articles, else one rebuilt from them."""
        from .language.clean import RepeatedLineModel

        if store is None:
            return cls()
        state = store.scalar("SELECT value FROM meta WHERE key = ?", [cls.KEY])
        stored = store.scalar("SELECT COUNT(*) FROM articles") or 0
        if state:
            data = json.loads(state)
            if data.get("articles") == stored:
                return cls(RepeatedLineModel.from_dict(data))
        return cls.rebuilt(store)

    @classmethod
    def rebuilt(cls, store) -> "ChromeModel":
        """The model of every stored article (counts do not depend on the order articles are added in)."""
        self = cls()
        cur = store.execute("SELECT outlet, raw_text FROM articles ORDER BY id")
        while True:
            rows = cur.fetchmany(1000)
            if not rows:
                break
            for outlet, raw in rows:
                self.model.add(outlet_key(Article(id="", raw_text=raw or "", outlet=outlet)), raw or "")
        return self

    def learn(self, art: Article) -> None:
        self.model.add(outlet_key(art), art.raw_text)

    def unlearn(self, art: Article) -> None:
        self.model.remove(outlet_key(art), art.raw_text)

    def chrome(self, art: Article) -> frozenset:
        """Comparison keys of the article's lines that count as chrome, with the model as it stands."""
        from .language.clean import _LINE, _key

        outlet = outlet_key(art)
        if not self.model.article_counts.get(outlet):
            return frozenset()
        return frozenset(_key(m.group(0)) for m in _LINE.finditer(art.raw_text or "")
                         if m.group(0).strip() and self.model.is_chrome(outlet, m.group(0)))

    def articles(self) -> int:
        return sum(self.model.article_counts.values())

    def save(self, store) -> None:
        """Save the model, with the number of articles it counts (compared with the store's on load)."""
        data = self.model.to_dict()
        data["articles"] = self.articles()
        with store.transaction():
            store.execute("DELETE FROM meta WHERE key = ?", [self.KEY])
            store.execute("INSERT INTO meta VALUES (?, ?)", [self.KEY, json.dumps(data, ensure_ascii=False)])


# ---------------------------------------------------------------------------------------------- stories


class StoryFeed:
    """Every call the run makes to the stories layer, in one place: resume the builder from the store, catch up
    on stored articles no story holds, cluster each stored document as it arrives, save the changed stories and
    the builder's state every ``flush_every`` articles and at the end."""

    STATE_KEY = "story_state"

    def __init__(self, store, flush_every: int = 2000):
        from .stories import StoryBuilder

        self.store, self.flush_every = store, flush_every
        state = store.scalar("SELECT value FROM meta WHERE key = ?", [self.STATE_KEY])
        self.builder = StoryBuilder(state=json.loads(state)) if state else StoryBuilder()
        self.changed: set = set()
        self.pending = 0
        self._saved_ids: set = set()

    @property
    def sketch_spec(self) -> tuple:
        """What a worker needs to make the builder's per-article sketches: (embedder, num_perm, shingle)."""
        b = self.builder
        return (b.embedder.name, b.params.num_perm, b.params.shingle)

    def catch_up(self) -> int:
        """Feed the stored articles that no story holds and the builder does not know (stored by a run killed
        before it saved its stories), in the order they were stored. Returns how many."""
        rows = self.store.query("SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles)"
                                " ORDER BY ingested_at, id")
        missing = [r["id"] for r in rows if self.builder.story_of(r["id"]) is None]
        order = {aid: i for i, aid in enumerate(missing)}
        docs = sorted(self.store.load_documents(missing), key=lambda d: order[d.article.id])
        for doc in docs:
            self.add(doc)
        return len(docs)

    def add(self, doc: Document, sketch=None) -> None:
        update = self.builder.add(doc, sketch)
        self.changed |= set(getattr(update, "story_ids", None) or [])
        self.pending += 1
        if self.pending >= self.flush_every:
            self.flush()

    def flush(self) -> int:
        """Save what changed since the last flush; returns the number of stories saved over the run."""
        if self.pending or self.changed:
            stories = [st for st in (self.builder.story(sid) for sid in sorted(self.changed)) if st is not None]
            fused = [e for st in stories for e in self.builder.fused_events(st.id)]
            removed = self.builder.pop_removed()  # stories merged into others since the last save
            if removed:
                self.store.delete_stories(removed)
            self.store.save_stories(stories, fused)
            self.builder.retire()
            with self.store.transaction():
                self.store.execute("DELETE FROM meta WHERE key = ?", [self.STATE_KEY])
                self.store.execute("INSERT INTO meta VALUES (?, ?)",
                                   [self.STATE_KEY, json.dumps(self.builder.state(), ensure_ascii=False)])
            self._saved_ids |= self.changed
            self.changed, self.pending = set(), 0
        return len(self._saved_ids)


# ---------------------------------------------------------------------------------------------- executors


class LocalExecutor:
    """Processes each batch at once, in this process (writing it to the store, if any)."""

    def __init__(self, pipeline, store=None):
        self.pipeline, self.store = pipeline, store
        self._ready: list = []

    def start(self, run: "Run") -> None:
        pass

    def submit(self, items: list, defer: bool) -> None:
        self._ready.append(process_batch(items, self.pipeline, defer=defer, store=self.store))

    def ready(self, wait_all: bool = False) -> Iterator[list]:
        while self._ready:
            yield self._ready.pop(0)

    def close(self) -> None:
        pass


# ---------------------------------------------------------------------------------------------- the run


class Run:
    """One run over inputs: reads, batches, processes (through an executor), stores, feeds the stories.

    ``store`` None: nothing is written and no stories are made; documents go to ``on_doc`` (``marsad analyze``,
    ``marsad eval``). ``on_item(item, status)`` reports each input: "stored", "skipped", "error", "done"."""

    def __init__(self, store=None, options: Optional[RunOptions] = None, pipeline=None, executor=None,
                 on_item: Optional[Callable] = None, on_doc: Optional[Callable[[Document], None]] = None):
        self.store = store
        self.options = options or RunOptions()
        self.pipeline = pipeline
        self.executor = executor
        self.on_item, self.on_doc = on_item, on_doc
        self.summary = IngestSummary()
        self.known_dates: list[str] = []
        self.deferred: list[Article] = []
        self.chrome: Optional[ChromeModel] = None
        self.stories: Optional[StoryFeed] = None
        self._failed: list[Article] = []

    # -- the steps -----------------------------------------------------------------------------------------
    def open(self) -> None:
        """Load the corpus-level state (chrome model, stories) and catch up on what a killed run left."""
        self.chrome = ChromeModel.load(self.store)
        if self.store is not None and self.options.stories:
            self.stories = StoryFeed(self.store, self.options.story_flush)
            self.stories.catch_up()
        if self.executor is None:
            self.executor = LocalExecutor(self.pipeline or self.options.pipeline(), self.store)
        self.executor.start(self)

    def context(self, art: Article, learn: bool = True, reference: Optional[str] = None) -> RunContext:
        """The article's RunContext; ``learn``: count its lines in the chrome model first (in reading order)."""
        if learn:
            self.chrome.learn(art)
        given = self.options.reference_date
        if given:
            ref, from_run = _as_date(given), False
        else:
            ref, from_run = _as_date(reference), reference is not None
        return RunContext(reference_date=ref, reference_from_run=from_run, chrome=self.chrome.chrome(art))

    def handle(self, outcomes: list[Outcome]) -> None:
        s = self.summary
        done = [o for o in outcomes if o.kind == "done"]
        if done and self.store is not None:
            store_outcomes(self.store, done)
        if self.store is not None:
            # a batch's articles go to the stories in the order they were stored (by id), the order in which a
            # later run catches up on them should this run be killed before it saves its stories
            outcomes = sorted(outcomes, key=lambda o: o.doc.article.id if o.doc is not None else "")
        for o in outcomes:
            if o.kind == "error":
                s.errors.append(o.message)
                if o.article is not None:
                    self._failed.append(o.article)
                self._report(o.message, "error")
            elif o.kind == "deferred":
                self.deferred.append(o.article)
            elif o.kind == "skipped":  # another writer stored it meanwhile
                s.skipped += 1
                self._report(o.doc.article, "skipped")
            else:  # "stored", or "done" without a store
                doc = o.doc
                s.stored += 1
                s.events += len(doc.events)
                s.figures += len(doc.figures)
                if doc.article.published is not None:
                    self.known_dates.append(doc.article.published.value)
                if self.stories is not None:
                    self.stories.add(doc, o.sketch)
                if self.on_doc is not None:
                    self.on_doc(doc)
                self._report(doc.article, o.kind)

    def _report(self, item, status: str) -> None:
        if self.on_item is not None:
            self.on_item(item, status)

    def drain(self, wait_all: bool = False) -> None:
        for outcomes in self.executor.ready(wait_all):
            self.handle(outcomes)

    def feed(self, items: Iterable[Union[Article, ReadError]]) -> IngestSummary:
        """Run over ``items`` (Articles and ReadErrors, as ``read_paths`` yields them) and finish."""
        t0 = time.perf_counter()
        s = self.summary
        self.open()
        try:
            known = self.store.article_ids() if self.store is not None else set()
            seen: set = set()
            batch: list = []
            defer = not self.options.reference_date
            for item in items:
                if isinstance(item, ReadError):
                    s.errors.append(item.message)
                    self._report(item, "error")
                    continue
                s.read += 1
                if item.id in seen or item.id in known:
                    s.skipped += 1
                    self._report(item, "skipped")
                    continue
                seen.add(item.id)
                s.warnings.extend(read_warnings(item))
                batch.append((item, self.context(item)))
                if len(batch) >= self.options.batch_size:
                    self.executor.submit(batch, defer)
                    batch = []
                    self.drain()
            if batch:
                self.executor.submit(batch, defer)
            self.drain(wait_all=True)
            self._resolve_deferred()
            self.finish()
        finally:
            self.executor.close()
        s.seconds = time.perf_counter() - t0
        return s

    def _resolve_deferred(self) -> None:
        """Articles whose dates were ambiguous, processed again against the run's median known date (with the
        chrome model as it stands at the end of the run)."""
        if not self.deferred:
            return
        reference = reference_from(self.known_dates)
        pending, self.deferred = self.deferred, []
        size = self.options.batch_size
        for i in range(0, len(pending), size):
            self.executor.submit([(a, self.context(a, learn=False, reference=reference))
                                  for a in pending[i:i + size]], False)
            self.drain()
        self.drain(wait_all=True)

    def finish(self) -> None:
        for art in self._failed:  # the model counts stored articles only
            self.chrome.unlearn(art)
        self._failed = []
        if self.store is not None and (self.summary.stored or self.chrome.articles() != self._saved_chrome()):
            self.chrome.save(self.store)
        if self.stories is not None:
            self.summary.stories = self.stories.flush()

    def _saved_chrome(self) -> Optional[int]:
        state = self.store.scalar("SELECT value FROM meta WHERE key = ?", [ChromeModel.KEY])
        return json.loads(state).get("articles") if state else None


# ---------------------------------------------------------------------------------------------- entry points


def ingest(paths: Iterable[Union[str, Path]], store, options: Optional[RunOptions] = None, pipeline=None,
           on_item: Optional[Callable] = None) -> IngestSummary:
    """Ingest every article under ``paths`` into ``store``, in this process."""
    return Run(store, options, pipeline=pipeline, on_item=on_item).feed(read_paths(paths))


def analyze_items(items: Iterable[Union[Article, ReadError]], options: Optional[RunOptions] = None, pipeline=None,
                  on_item: Optional[Callable] = None) -> Iterator[Document]:
    """Documents of ``items`` without a store, through the same run (chrome learnt from the articles read,
    ambiguous dates against the run's median date). Documents come in the order they are done: those whose date
    waited for the run's reference come last. ReadErrors and failures go to ``on_item``."""
    out: list[Document] = []
    opts = replace(options or RunOptions(), stories=False)
    run = Run(None, opts, pipeline=pipeline, on_item=on_item, on_doc=out.append)
    summary = run.feed(items)
    yield from out
    return summary


def analyze(item: Union[str, Article, Document], *, title: Optional[str] = None, outlet: Optional[str] = None,
            url: Optional[str] = None, published: Optional[str] = None, reference_date: Optional[str] = None,
            stages: Optional[Iterable[str]] = None, config: Optional[Mapping] = None, pipeline=None) -> Document:
    """Analyse one article without a store: ``text`` (an Arabic news text), an :class:`Article` or a
    :class:`Document` (its article is analysed again) → a :class:`Document` with every layer.

    ``published`` (ISO) is the article's publication date if known; ``reference_date`` says roughly when it was
    published and chooses among the dates its own evidence allows. Raises ValueError for a text that cannot be
    an article (empty), and the stage's exception if the pipeline fails on it."""
    from .model import DateRef, content_id

    if isinstance(item, Document):
        item = item.article
    if isinstance(item, str):
        text = item.replace("\r\n", "\n")
        if not text.strip():
            raise ValueError("analyze: empty text")
        art = Article(id=content_id(text), raw_text=text, source_format="text")
    elif isinstance(item, Article):
        art = Article.from_dict(item.to_dict())  # the caller's article is left as it was
    else:
        raise TypeError(f"analyze: expected a text, an Article or a Document, not {type(item).__name__}")
    for name, value in (("title", title), ("outlet", outlet), ("url", url)):
        if value is not None:
            setattr(art, name, value)
    if published is not None:
        from .readers.dates import parse_published

        art.published = parse_published(published, strict=True)
    options = RunOptions(stages=tuple(stages) if stages is not None else None, config=dict(config or {}),
                         reference_date=reference_date, stories=False, batch_size=1)
    failures: list = []
    docs = list(analyze_items([art], options, pipeline=pipeline,
                              on_item=lambda it, st: failures.append(it) if st == "error" else None))
    if not docs:
        raise RuntimeError(failures[0] if failures else "analyze: the article was not processed")
    return docs[0]



# ---------------------------------------------------------------------------------------------- analysis output


def _offsets(span) -> dict:
    return {"start": span.start, "end": span.end, "raw_start": span.raw_start, "raw_end": span.raw_end}


def _place_fields(p) -> dict:
    return {"id": p.id, "name": p.name, "name_en": p.name_en, "lat": p.lat, "lon": p.lon, "kind": p.kind,
            "geo_precision": p.precision, "admin1": p.admin1, "admin2": p.admin2, "country": p.country}


def document_record(doc: Document) -> dict:
    """One article's analysis as one JSON object (a line of ``marsad analyze``): the article's metadata and
    publication date with its precision and evidence; entity and place mentions with their offsets (into the
    clean text, ``raw_*`` into the text as read) and what they were linked to; events and figures with the
    columns the events export gives them (event places resolved to names and coordinates)."""
    a = doc.article
    pub = a.published
    places = {p.id: p for p in doc.places}
    entities = {e.id: e for e in doc.entities}
    return {
        "id": a.id, "url": a.url, "title": a.title, "outlet": a.outlet, "source_path": a.source_path,
        "published": {"date": pub.value if pub else None, "precision": pub.precision if pub else None,
                      "source": pub.source if pub else None,
                      "evidence": (a.meta or {}).get("published_evidence")},
        "entities": [{"label": e.label, "text": m.span.text, **_offsets(m.span), "id": e.id, "name": e.name,
                      "name_en": e.name_en, "country": e.country, "sector": e.sector}
                     for e in doc.entities for m in e.mentions],
        "places": [{"text": m.span.text, **_offsets(m.span), **_place_fields(p)}
                   for p in doc.places for m in p.mentions],
        "events": [{
            "id": ev.id, "type": ev.type, "mode": ev.mode, "modality": ev.modality, "negated": ev.negated,
            "actor": ev.actor, "actor_name": entities[ev.actor].name if ev.actor in entities else None,
            "actor_text": ev.actor_text, "recipient": ev.recipient,
            "recipient_name": entities[ev.recipient].name if ev.recipient in entities else None,
            "recipient_text": ev.recipient_text,
            "event_date": ev.date.value if ev.date else None, "date_precision": ev.date.precision if ev.date else None,
            "places": [_place_fields(places[pid]) for pid in ev.places if pid in places],
            "confidence": ev.confidence,
            "evidence": {"text": ev.evidence.text, **_offsets(ev.evidence)} if ev.evidence else None,
        } for ev in doc.events],
        "figures": [{
            "kind": f.kind, "group": f.group, "value": f.value, "low": f.low, "high": f.high,
            "qualifier": f.qualifier, "side": f.side, "reporter": f.reporter, "reporter_text": f.reporter_text,
            "period_start": f.period.value if f.period else None, "period_end": f.period.end if f.period else None,
            "place": _place_fields(places[f.place]) if f.place in places else None, "parent": f.parent,
            "evidence": {"text": f.evidence.text, **_offsets(f.evidence)} if f.evidence else None,
        } for f in doc.figures],
        "warnings": list(doc.warnings),
    }


__all__ = ["ChromeModel", "IngestSummary", "LocalExecutor", "Outcome", "Run", "RunContext", "RunOptions",
           "StoryFeed", "analyze", "analyze_items", "date_is_ambiguous", "document_record", "ingest", "norm_text_of",
           "process_batch", "reference_from", "store_outcomes"]
