"""The document model every pipeline stage reads and writes.

An Article holds the raw text exactly as read and the clean text the language layer derives from it.
Every other record points into the clean text with character offsets (``Span``); ``OffsetMap`` carries
those offsets back to the raw text, so any claim can be shown where it was read.
All records are plain dataclasses that round-trip through JSON (``to_dict`` / ``from_dict``).
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import json
import operator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Optional

# ---------------------------------------------------------------------------------------------- helpers


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict = {}  # dataclass type -> its field names (dataclasses.fields() is slow, and a document
# holds thousands of records: serialising is a good share of the parallel ingest's time)


def _field_names(t: type) -> tuple:
    """The field names of dataclass ``t``, in order (made once)."""
    names = _FIELD_NAMES.get(t)
    if names is None:
        names = _FIELD_NAMES[t] = tuple(f.name for f in dataclasses.fields(t))
    return names


def _to_plain(value: Any) -> Any:
    t = type(value)
    if t in _SCALARS:
        return value
    names = _FIELD_NAMES.get(t)
    if names is None:
        if t is Tokens:
            return value.to_plain()
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = _field_names(t)
        elif isinstance(value, (list, tuple)):
            return [_to_plain(v) for v in value]
        elif isinstance(value, dict):
            return {k: _to_plain(v) for k, v in value.items()}
        else:
            return value
    return {n: _to_plain(getattr(value, n)) for n in names}


class Record:
    """Mixin: JSON round-trip for the dataclasses below."""

    __slots__ = ()  # lets hot records (Token) be slotted dataclasses

    def to_dict(self) -> dict:
        return _to_plain(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict):
        kwargs = {}
        hints = {f.name: f for f in dataclasses.fields(cls)}
        for name, value in data.items():
            if name not in hints:
                continue
            nested = _NESTED.get((cls.__name__, name))
            if nested is not None and value is not None:
                if isinstance(value, list):
                    value = [nested.from_dict(v) if isinstance(v, dict) else v for v in value]
                elif isinstance(value, dict):
                    value = nested.from_dict(value)
            kwargs[name] = value
        return cls(**kwargs)


def content_id(text: str) -> str:
    """Stable article id: a hash of the whitespace-folded text, so re-ingesting the same article changes nothing."""
    folded = " ".join(text.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------- offsets

_run_start = operator.itemgetter(0)


@dataclass
class OffsetMap(Record):
    """Maps offsets in a derived text back to the text it was derived from.

    Stored as runs: ``runs[k] = (derived_start, source_start, length)``; inside a run the mapping is linear.
    Characters inserted by the derivation (no source) simply fall between runs and map to the next run's start.
    """

    runs: list = field(default_factory=list)

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        return cls([[0, 0, length]]) if length else cls([])

    def add(self, derived_start: int, source_start: int, length: int) -> None:
        if length <= 0:
            return
        if self.runs:
            d, s, n = self.runs[-1]
            if d + n == derived_start and s + n == source_start:  # extend the last run
                self.runs[-1][2] = n + length
                return
        self.runs.append([derived_start, source_start, length])

    def to_source(self, offset: int) -> int:
        """Source offset of derived character ``offset`` (an end offset maps just past its last character)."""
        if not self.runs:
            return offset
        k = bisect.bisect_right(self.runs, offset, key=_run_start) - 1  # no list of starts built per call
        if k < 0:
            return self.runs[0][1]
        d, s, n = self.runs[k]
        if offset <= d + n:
            return s + (offset - d)
        # offset lies in inserted text after run k: map to the start of the next run
        return self.runs[k + 1][1] if k + 1 < len(self.runs) else s + n

    def to_sources(self, offsets) -> list:
        """``[to_source(o) for o in offsets]``, in one pass: a run found for one offset is kept for the next (or
        its successor taken), so offsets in order (a document's sentences) cost comparisons instead of a search."""
        runs = self.runs
        if not runs:
            return list(offsets)
        out = []
        add = out.append
        last = len(runs) - 1
        k = 0
        d, s, n = runs[0]
        nxt = runs[1][0] if last else None  # start of run k + 1
        for o in offsets:
            if nxt is not None and o >= nxt and (k == last - 1 or o < runs[k + 2][0]):  # the next run's
                k += 1
                d, s, n = runs[k]
                nxt = runs[k + 1][0] if k < last else None
            elif o < d or (nxt is not None and o >= nxt):  # not run k's: search, as to_source does
                k = bisect.bisect_right(runs, o, key=_run_start) - 1
                if k < 0:
                    add(runs[0][1])
                    k = 0
                    d, s, n = runs[0]
                    nxt = runs[1][0] if last else None
                    continue
                d, s, n = runs[k]
                nxt = runs[k + 1][0] if k < last else None
            if o <= d + n:
                add(s + (o - d))
            else:  # in text inserted after run k
                add(runs[k + 1][1] if k < last else s + n)
        return out

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            p = self.to_source(start)
            return p, p
        return self.to_source(start), self.to_source(end - 1) + 1

    def compose(self, inner: "OffsetMap") -> "OffsetMap":
        """``self`` maps C→B and ``inner`` maps B→A; return C→A."""
        out = OffsetMap()
        for d, s, n in self.runs:
            for i in range(n):
                out.add(d + i, inner.to_source(s + i), 1)
        return out


# ---------------------------------------------------------------------------------------------- spans


@dataclass
class Span(Record):
    """Characters ``[start, end)`` of the article's clean text; ``raw_start``/``raw_end`` point into raw text."""

    start: int
    end: int
    text: str = ""
    raw_start: Optional[int] = None
    raw_end: Optional[int] = None


@dataclass
class DateRef(Record):
    """A resolved date with its precision: ``day`` (2019-05-29), ``month`` (2019-05), ``year`` (2019)."""

    value: str  # ISO date; for month/year precision the first day of the period
    precision: str  # day | month | year
    span: Optional[Span] = None
    source: str = ""  # what it was resolved from: "text", "metadata", "inferred:weekday", "publication"
    end: Optional[str] = None  # for ranges ("منذ 19 من الشهر الحالي وحتى اليوم")
    attrs: dict = field(default_factory=dict)  # time of day, "since" flags, candidate years…


@dataclass(slots=True)
class Token(Record):
    """A token of the clean text; ``base`` is the lookup form with clitics split off (وبإدلب → إدلب)."""

    start: int
    end: int
    text: str
    norm: str = ""
    base: str = ""
    prefixes: list = field(default_factory=list)
    suffixes: list = field(default_factory=list)


class Tokens:
    """The tokens of a document, kept as columns as spaCy's Doc keeps them in an array: ``starts``, ``ends`` and
    ``forms``, a form being the ``(text, norm, base, prefixes, suffixes)`` tuple that every token of one surface
    form shares. ``tokens[i]`` makes a :class:`Token` when one is asked for; stages that scan every token read
    the columns (``norms()``, ``texts()``), so a document's thousands of tokens cost no object each.
    Read-only once made, like the forms' clitic lists."""

    __slots__ = ("starts", "ends", "forms", "_norms", "_texts")

    def __init__(self, starts: Optional[list] = None, ends: Optional[list] = None, forms: Optional[list] = None):
        self.starts = starts if starts is not None else []
        self.ends = ends if ends is not None else []
        self.forms = forms if forms is not None else []
        self._norms = self._texts = None

    @classmethod
    def of(cls, items) -> "Tokens":
        """``items`` as Tokens: Tokens as they are, else a list of Token objects or their dicts (JSON)."""
        if isinstance(items, Tokens):
            return items
        out = cls()
        for t in items or ():
            if isinstance(t, dict):
                t = Token.from_dict(t)
            out.starts.append(t.start)
            out.ends.append(t.end)
            out.forms.append((t.text, t.norm, t.base, t.prefixes, t.suffixes))
        return out

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [Token(s, e, *f) for s, e, f in zip(self.starts[i], self.ends[i], self.forms[i])]
        return Token(self.starts[i], self.ends[i], *self.forms[i])

    def __iter__(self):
        for s, e, f in zip(self.starts, self.ends, self.forms):
            yield Token(s, e, *f)

    def __eq__(self, other) -> bool:
        if isinstance(other, Tokens):
            return (self.starts, self.ends, self.forms) == (other.starts, other.ends, other.forms)
        if isinstance(other, (list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Tokens({len(self)} tokens)"

    def norms(self) -> list:
        """The normalised form of every token (made once)."""
        if self._norms is None:
            self._norms = [f[1] for f in self.forms]
        return self._norms

    def texts(self) -> list:
        """The text of every token (made once)."""
        if self._texts is None:
            self._texts = [f[0] for f in self.forms]
        return self._texts

    def to_plain(self) -> list:
        """The tokens as Token dicts, the JSON form (no Token objects made)."""
        names = _field_names(Token)  # a form tuple is Token's fields after start and end
        return [dict(zip(names, (s, e, w, n, b, list(p), list(q))))
                for s, e, (w, n, b, p, q) in zip(self.starts, self.ends, self.forms)]


@dataclass
class NumberRef(Record):
    """A number read from text: exact (value) or vague (low..high, with ACLED's conventional value)."""

    span: Span
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    acled_value: Optional[float] = None
    vague: bool = False
    attrs: dict = field(default_factory=dict)


@dataclass
class Mention(Record):
    """A stretch of clean text that names something: an actor, a place, a person, an organisation."""

    span: Span
    label: str  # PER | ORG | LOC | GPE | ACTOR | MISC
    source: str = ""  # kb | gazetteer | ner | coref
    entity_id: Optional[str] = None
    score: float = 1.0


@dataclass
class Entity(Record):
    """A canonical actor, person or organisation, linked to its mentions in one article."""

    id: str  # canonical id, e.g. "actor:TUR.GOV.erdogan" or "ner:PER:فلان" for unknown names
    name: str  # canonical Arabic name
    label: str  # PER | ORG | GOV | MIL | REB | IGO | NGO | MED | CIV | ...
    country: Optional[str] = None  # ISO3 / CAMEO country code
    sector: Optional[str] = None
    name_en: Optional[str] = None
    mentions: list = field(default_factory=list)  # list[Mention]
    attrs: dict = field(default_factory=dict)


@dataclass
class Place(Record):
    """A resolved place: gazetteer id, coordinates, admin hierarchy and ACLED-style geo precision."""

    id: str
    name: str
    lat: Optional[float] = None
    lon: Optional[float] = None
    kind: str = ""  # village | town | city | district | subdistrict | governorate | region | country | site
    precision: int = 3  # ACLED geo_precision: 1 exact town/village, 2 near/part of region, 3 larger region
    precision_level: str = ""  # village | district | governorate | region | country
    country: str = "SYR"
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    admin3: Optional[str] = None
    name_en: Optional[str] = None
    mentions: list = field(default_factory=list)  # list[Mention]
    attrs: dict = field(default_factory=dict)


@dataclass
class Event(Record):
    """A PLOVER-coded event read from one sentence (or fused from several reports)."""

    id: str
    type: str  # PLOVER event type, e.g. ASSAULT
    mode: Optional[str] = None  # PLOVER mode, e.g. aerial
    context: list = field(default_factory=list)
    actor: Optional[str] = None  # entity id
    recipient: Optional[str] = None  # entity id
    actor_text: Optional[str] = None
    recipient_text: Optional[str] = None
    places: list = field(default_factory=list)  # place ids
    date: Optional[DateRef] = None
    negated: bool = False
    modality: str = "asserted"  # asserted | planned | called_for | denied | threatened | reported | background | attempted | hypothetical
    evidence: Optional[Span] = None  # the sentence
    spans: dict = field(default_factory=dict)  # role -> Span (trigger, actor, recipient, place…)
    confidence: float = 0.5
    article_id: Optional[str] = None
    sources: list = field(default_factory=list)  # for fused events: article ids
    attrs: dict = field(default_factory=dict)


@dataclass
class Figure(Record):
    """A reported count: who (group), what happened to them (kind), how many, who says so, over which period."""

    kind: str  # killed | injured | displaced | in_need | detained | missing | ...
    group: str  # civilians | children | women | men | families | persons | soldiers | fighters | ...
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    qualifier: Optional[str] = None  # more_than | about | at_least | up_to
    side: Optional[str] = None  # entity id of the side the group belongs to (Turkish soldiers …)
    reporter: Optional[str] = None  # entity id or name of the reporting organisation
    reporter_text: Optional[str] = None
    period: Optional[DateRef] = None
    place: Optional[str] = None  # place id
    parent: Optional[int] = None  # index of the figure this one breaks down
    evidence: Optional[Span] = None
    article_id: Optional[str] = None
    attrs: dict = field(default_factory=dict)


@dataclass
class Story(Record):
    """Articles about one real-world happening, with the events fused from them."""

    id: str
    title: str = ""
    article_ids: list = field(default_factory=list)
    outlets: list = field(default_factory=list)
    start: Optional[str] = None
    end: Optional[str] = None
    event_ids: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)  # [[article_id, copy_of_article_id, similarity]]
    attrs: dict = field(default_factory=dict)


@dataclass
class Article(Record):
    id: str
    raw_text: str
    outlet: Optional[str] = None
    url: Optional[str] = None
    title: Optional[str] = None
    published: Optional[DateRef] = None
    clean_text: Optional[str] = None
    clean_map: Optional[OffsetMap] = None  # clean-text offsets -> raw-text offsets
    source_path: Optional[str] = None
    source_format: Optional[str] = None  # txt | html | jsonl | feed
    labels: list = field(default_factory=list)  # section labels found above the title
    meta: dict = field(default_factory=dict)  # byline, source lines, removed chrome, detected encoding…


@dataclass
class Document(Record):
    """One article and every layer the stages added to it."""

    article: Article
    sentences: list = field(default_factory=list)  # list[Span]
    tokens: Tokens = field(default_factory=Tokens)  # a list of Token objects (as from JSON) becomes Tokens
    numbers: list = field(default_factory=list)  # list[NumberRef]
    dates: list = field(default_factory=list)  # list[DateRef]
    mentions: list = field(default_factory=list)  # list[Mention]
    entities: list = field(default_factory=list)  # list[Entity]
    places: list = field(default_factory=list)  # list[Place]
    events: list = field(default_factory=list)  # list[Event]
    figures: list = field(default_factory=list)  # list[Figure]
    warnings: list = field(default_factory=list)  # list[str]
    timings: dict = field(default_factory=dict)  # stage -> seconds
    # What a stage may know of the run (a marsad.run.RunContext: reference date, repeated chrome lines), set by
    # the run path while the pipeline runs over this document; not a field, never serialised.
    run: ClassVar[Optional[Any]] = None

    def __post_init__(self):
        if not isinstance(self.tokens, Tokens):
            self.tokens = Tokens.of(self.tokens)

    @property
    def text(self) -> str:
        """The text stages work on: clean text once the cleaner ran, raw text before."""
        a = self.article
        return a.clean_text if a.clean_text is not None else a.raw_text

    def reporting(self, start: int) -> bool:
        """Whether working-text offset ``start`` lies outside the lines the cleaner marked non-reporting (a "read
        also" teaser, a linked headline: ``article.meta["non_reporting"]``); no event is coded from those."""
        marks = self.article.meta.get("non_reporting") if self.article.clean_text is not None else None
        return not marks or not any(m["start"] <= start < m["end"] for m in marks)

    def span(self, start: int, end: int) -> Span:
        """A Span over the working text, with offsets mapped back to the raw text."""
        a = self.article
        if a.clean_map is not None:
            rs, re_ = a.clean_map.span_to_source(start, end)
        else:
            rs, re_ = start, end
        return Span(start, end, self.text[start:end], rs, re_)

    def spans(self, pairs: list) -> list:
        """``[span(s, e) for s, e in pairs]``, with the offsets mapped in one pass (see OffsetMap.to_sources)."""
        text = self.text
        cmap = self.article.clean_map
        if cmap is None:
            return [Span(s, e, text[s:e], s, e) for s, e in pairs]
        # each span's first and last character; an empty span maps its start twice
        mapped = cmap.to_sources([x for s, e in pairs for x in (s, (e - 1 if e > s else s))])
        return [Span(s, e, text[s:e], a, b + 1 if e > s else b)
                for (s, e), a, b in zip(pairs, mapped[0::2], mapped[1::2])]


_NESTED: dict = {
    ("Article", "published"): DateRef,
    ("Article", "clean_map"): OffsetMap,
    ("DateRef", "span"): Span,
    ("NumberRef", "span"): Span,
    ("Mention", "span"): Span,
    ("Entity", "mentions"): Mention,
    ("Place", "mentions"): Mention,
    ("Event", "date"): DateRef,
    ("Event", "evidence"): Span,
    ("Figure", "period"): DateRef,
    ("Figure", "evidence"): Span,
    ("Document", "article"): Article,
    ("Document", "sentences"): Span,
    ("Document", "tokens"): Token,
    ("Document", "numbers"): NumberRef,
    ("Document", "dates"): DateRef,
    ("Document", "mentions"): Mention,
    ("Document", "entities"): Entity,
    ("Document", "places"): Place,
    ("Document", "events"): Event,
    ("Document", "figures"): Figure,
}
