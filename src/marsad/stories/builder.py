"""Stories of happenings across outlets, the same whatever order the articles arrive in.

``StoryBuilder.add(doc)`` takes one processed Document at a time:

1. Near-duplicates. A MinHash signature of the normalised word 3-shingles is looked up in an LSH index
   (datasketch): a verbatim copy (Jaccard >= ``copy_threshold``), a light rewrite (Jaccard >=
   ``rewrite_threshold`` or containment >= ``rewrite_containment``) or a paraphrase (sentence-encoder cosine
   >= ``paraphrase_cos``), the last two within ``dup_days`` and reporting the same events and places, is
   linked to the ORIGINAL (``copy_of``: the first article of its copy family). A copy is never an independent
   source in event fusion.
2. The happening. Each article's main happening is read from its lead (``happening.py``): the kind of its
   events (a family of PLOVER types), its town/village places with coordinates, its date. Two articles are
   scored as reports of one happening (``_pair``): a hard gate (days at most ``max_gap`` apart; an undated
   article only with the same place and the same kind of happening), then encoder similarity of the texts,
   place agreement (a shared place or one within a few km, else a shared district), kind agreement and a
   penalty per day apart.
3. Order independence. The new article is scored against the articles of the days around it (a day index:
   the cost per article depends on how many articles those days hold, not on the archive); the stories it
   links to (score >= ``link_floor``) and the article are clustered again from scratch in a fixed order:
   average-link agglomeration, a merge needing a mean pair score >= ``threshold``, no pair below
   ``pair_floor`` (single-link chaining through intermediate articles cannot join two happenings) and a span
   of at most ``max_span`` days. Stories merged away are reported (``removed_story_ids``, ``pop_removed``).
   A follow-up days later stays its own story, listed in ``attrs["related"]`` (same place, same kind, within
   ``arc_days``).
4. Event fusion inside each changed story (``fusion.py``), from its articles in (day, id) order.

State: ``state()`` returns a JSON-serialisable dict of the kept articles (vectors, signatures, happenings,
events and figures); ``StoryBuilder(state=...)`` resumes from it.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ..model import Article, Document, Event, Figure, Story
from .embed import EmbedderRef, calibrate, get_embedder
from .features import DocFeatures, extract, iso
from .fusion import FusedEvent, figure_record, fuse_into
from .happening import (Happening, actors_compatible, family_agreement, place_agreement, read_happening,
                        violent, weekdays_compatible)
from .text import MinHasher, pack_f32, pack_u32, shingles, unpack_f32, unpack_u32, words

STATE_VERSION = 2


@dataclass
class StoryParams:
    # near-duplicates
    num_perm: int = 128
    shingle: int = 3
    lsh_threshold: float = 0.3  # LSH candidate level (recall); confirmed by the estimated Jaccard below
    copy_threshold: float = 0.8
    rewrite_threshold: float = 0.4
    rewrite_containment: float = 0.6  # or: this share of the shorter text's shingles is in the other
    dup_days: int = 3  # a rewrite is published within this many days of its original
    copy_days: int = 30  # a verbatim copy within this many days (same words later = a new report)
    min_shingles: int = 8  # shorter texts are never called copies
    paraphrase_cos: float = 0.92  # encoder cosine of a paraphrased rewrite (sentence encoder only)
    # happenings
    max_gap: int = 2  # days between two reports of one happening
    # reports this many days apart must name the same place (or one a few km away): on another day, other
    # villages of the district are the next happening of a campaign, not a later telling of this one
    other_day_same_place: int = 1
    max_span: int = 3  # days a story may cover in all
    threshold: float = 0.55  # mean pair score for two clusters to merge
    pair_floor: float = 0.2  # no pair of a story scores below this
    link_floor: float = 0.3  # a pair scoring this links the new article's neighbourhood for reclustering
    w_content: float = 0.55
    w_places: float = 0.3
    w_types: float = 0.15
    place_unknown: float = 0.4  # place term when either names no place
    kind_unknown: float = 0.5  # kind term when either has no event
    day_penalty: float = 0.15  # per day apart
    actor_penalty: float = 0.0  # when both leads name participants and they share none
    # a pair with an undated article needs the same place and kind of happening, compatible participants, this
    # content similarity and (``undated_weekday``) the same weekday: what an undated page still says of its day
    # ("اليوم الأحد"; a dated article's day or the day before when its lead names none). Without the weekday,
    # reports of one village weeks apart read alike (0.5/weekday: news_dev without feed dates F1 0.759, 2 hard
    # negatives merged; 0.5 without the weekday: 0.763, 5 merged; undated joining only as copies: 0.686)
    undated_content: float = 0.5
    undated_weekday: bool = True
    undated_component: int = 200  # articles clustered again together at most around undated articles
    arc_days: int = 14  # a related story (an arc) within this many days
    # event fusion
    event_date_tol: int = 1
    # per-story caps (keep states small)
    max_figures_per_article: int = 40
    # retirement (``retire``): a dated story whose last day is this far behind the newest day seen can no
    # longer be joined (max_gap, max_span and copy_days are all shorter); an undated one (joined only by
    # copies) after this many further articles
    retire_days: int = 90
    retire_undated_after: int = 20000
    # … and, either way, only once this many articles have come since it was last joined (archives read out
    # of time order keep their stories this long)
    retire_idle_after: int = 5000


@dataclass
class StoryUpdate:
    """What ``add`` changed: the story the article went to, whether it opened it, copy links, fused events."""

    article_id: str
    story_id: Optional[str]
    created: bool = False
    copy_of: Optional[str] = None
    copy_similarity: Optional[float] = None
    copy_kind: Optional[str] = None  # copy | rewrite
    score: Optional[float] = None
    reason: str = ""
    story_ids: list = field(default_factory=list)  # every story whose record changed
    fused_event_ids: list = field(default_factory=list)  # fused events created or changed
    removed_story_ids: list = field(default_factory=list)  # stories merged into others by this article


@dataclass
class ArticleSketch:
    """What clustering needs of one article's text, computable away from the builder (a Dask worker does it
    beside the pipeline, so the single clustering process does not run the sentence encoder): the embedder
    that made the vector, the token and shingle counts, the MinHash values and the document vector."""

    embedder: str
    num_perm: int
    shingle: int
    n_tokens: int
    n_shingles: int
    signature: np.ndarray  # uint64 MinHash values
    vector: np.ndarray  # float32, unit length

    def fits(self, params: "StoryParams", embedder_name: str) -> bool:
        return (self.embedder, self.num_perm, self.shingle) == (embedder_name, params.num_perm, params.shingle)


_HASHERS: dict = {}


def sketch_article(doc: Document, embedder: str = "use", num_perm: int = StoryParams.num_perm,
                   shingle: int = StoryParams.shingle, title: Optional[str] = None) -> ArticleSketch:
    """The ArticleSketch of ``doc`` (the embedder and hasher are loaded once per process)."""
    return sketch_articles([doc], embedder, num_perm, shingle, None if title is None else [title])[0]


def sketch_articles(docs: list, embedder: str = "use", num_perm: int = StoryParams.num_perm,
                    shingle: int = StoryParams.shingle, titles: Optional[list] = None) -> list:
    """ArticleSketches of many documents, their vectors in one encoder call."""
    emb = get_embedder(embedder)
    hasher = _HASHERS.get(num_perm) or _HASHERS.setdefault(num_perm, MinHasher(num_perm))
    toks = [words(d.text or "") for d in docs]
    titles = titles if titles is not None else [extract(d).title for d in docs]
    vecs = emb.embed_many(titles, [d.text or "" for d in docs], tokens=toks if emb.name == "hashing" else None)
    out = []
    for tk, vec in zip(toks, vecs):
        sh = shingles(tk, shingle)
        sig = hasher.signature(sh)
        out.append(ArticleSketch(emb.name, num_perm, shingle, len(tk), len(sh), sig.hashvalues.astype(np.uint64),
                                 np.asarray(vec, dtype=np.float32)))
    return out


class _Art:
    """What the builder keeps of one article: enough to score it against others and to rebuild its story."""

    __slots__ = ("id", "seq", "day", "date_source", "title", "outlet", "vec", "hap", "sig", "n_sh", "indexed",
                 "copy_of", "copy_sim", "copy_kind", "events", "figures", "place_admin", "ek", "pl", "story")

    def to_state(self) -> dict:
        return {"id": self.id, "seq": self.seq, "day": self.day, "date_source": self.date_source,
                "title": self.title, "outlet": self.outlet, "vec": pack_f32(self.vec), "hap": self.hap.to_dict(),
                "sig": pack_u32(self.sig), "n_sh": self.n_sh, "indexed": self.indexed, "copy_of": self.copy_of,
                "copy_sim": self.copy_sim, "copy_kind": self.copy_kind,
                "events": [e.to_dict() for e in self.events], "figures": [f.to_dict() for f in self.figures],
                "place_admin": self.place_admin, "ek": self.ek, "pl": self.pl, "story": self.story}

    @classmethod
    def from_state(cls, d: dict) -> "_Art":
        a = cls()
        a.id, a.seq, a.day, a.date_source = d["id"], d["seq"], d["day"], d.get("date_source", "")
        a.title, a.outlet = d.get("title", ""), d.get("outlet")
        a.vec, a.hap = unpack_f32(d["vec"]), Happening.from_dict(d["hap"])
        a.sig, a.n_sh, a.indexed = unpack_u32(d["sig"]), d.get("n_sh", 0), d.get("indexed", True)
        a.copy_of, a.copy_sim, a.copy_kind = d.get("copy_of"), d.get("copy_sim"), d.get("copy_kind")
        a.events = [Event.from_dict(e) for e in d.get("events", [])]
        a.figures = [Figure.from_dict(f) for f in d.get("figures", [])]
        a.place_admin, a.ek, a.pl, a.story = d.get("place_admin", {}), d.get("ek", []), d.get("pl", []), d["story"]
        return a

    def info(self) -> dict:  # what _same_reports reads
        return {"ek": self.ek, "pl": self.pl}


class _Story:
    __slots__ = ("id", "seq", "members", "fused", "updated")

    def __init__(self, sid: str, seq: int):
        self.id, self.seq, self.updated = sid, seq, seq
        self.members: list = []  # article ids, by (day, id)
        self.fused: list[FusedEvent] = []


def _sort_key(a: "_Art"):
    return (a.day if a.day is not None else 10 ** 9, a.id)


class StoryBuilder:
    """Stories of happenings, the same whatever order the articles come in (see the module doc)."""

    def __init__(self, state: Optional[dict] = None, params: Optional[StoryParams] = None,
                 embedder: str = "use"):
        self.notes: list = []
        if state and state.get("version") != STATE_VERSION:
            self.notes.append(f"story state version {state.get('version')} is not {STATE_VERSION}: "
                              "earlier stories are not resumed")
            state = None
        if state and state.get("params"):
            known = {f.name for f in dataclasses.fields(StoryParams)}
            params = params or StoryParams(**{k: v for k, v in state["params"].items() if k in known})
        self.params = params or StoryParams()
        self.embedder = EmbedderRef(state.get("embedder", embedder) if state else embedder)
        self.hasher = MinHasher(self.params.num_perm)
        self._lsh: dict = {}  # time bucket (copy_days wide; "u" for undated) -> MinHashLSH
        self._stories: dict[str, _Story] = {}
        self._arts: dict[str, _Art] = {}
        self._by_day: dict[int, set] = {}  # day -> article ids
        self._by_place: dict = {}  # place key -> article ids (for undated articles: same place, same action)
        self._by_place_undated: dict = {}  # the same for undated articles only (what a dated article looks up)
        self._removed: set = set()  # story ids merged away since the last ``pop_removed``
        self._newest_day: Optional[int] = None
        self.retired = 0
        self._seq = 0
        if state:
            self._restore(state)

    # ------------------------------------------------------------------------------------------ public
    def add(self, doc: Document, sketch: Optional[ArticleSketch] = None) -> StoryUpdate:
        """Cluster one article: score it against the articles of the days around it, then cluster again the
        stories it links to together with it (so the result does not depend on the order of arrival)."""
        p = self.params
        aid = doc.article.id
        if aid in self._arts:
            a = self._arts[aid]
            return StoryUpdate(aid, a.story, copy_of=a.copy_of, reason="already added")
        feats = extract(doc)
        if sketch is None or not sketch.fits(p, self.embedder.name):
            sketch = sketch_article(doc, self.embedder.name, p.num_perm, p.shingle, title=feats.title)
            if sketch.embedder != self.embedder.name:
                self._fell_back(sketch.embedder)
        sig = self.hasher.from_values(sketch.signature)
        self._seq += 1
        a = _Art()
        a.id, a.seq, a.day, a.date_source = aid, self._seq, feats.day, feats.date_source
        a.title, a.outlet, a.vec, a.hap = feats.title, feats.outlet, np.asarray(sketch.vector, np.float32), \
            read_happening(doc)
        a.sig, a.n_sh, a.indexed = sketch.signature.astype(np.uint64), sketch.n_shingles, \
            sketch.n_tokens >= p.min_shingles
        a.events = list(doc.events)
        a.figures = list(doc.figures[: p.max_figures_per_article])
        a.place_admin = feats.place_admin
        a.ek = sorted(feats.event_keys)[:20]
        a.pl = sorted(k for k in feats.places if k.startswith("p|"))[:20]
        a.story = None

        # 1. near-duplicates: verbatim copies and rewrites (MinHash), paraphrases (encoder similarity)
        copy_of, sim, kind = self._find_copy(sig, a, feats) if a.indexed else (None, None, None)
        a.copy_of, a.copy_sim, a.copy_kind = copy_of, sim, kind
        if copy_of is not None:
            doc.article.meta["copy_of"] = copy_of

        # 2. links to the articles around it, then the affected neighbourhood clustered again
        cands = self._candidates(a)
        scores = self._scores(a, [self._arts[c] for c in cands]) if cands else np.zeros(0)
        linked = [c for c, s in zip(cands, scores) if s >= p.link_floor]
        self._arts[aid] = a
        self._index(a)
        affected = {aid}
        old_ids = set()
        for c in linked:
            sid = self._arts[c].story
            if sid not in old_ids:
                old_ids.add(sid)
                affected.update(self._stories[sid].members)
        if any(self._arts[m].day is None for m in affected):
            self._undated_component(affected, old_ids)
        changed, removed = self._recluster(sorted(affected), old_ids)
        story = self._stories[a.story]
        doc.article.meta["story_id"] = story.id
        best = max((float(s) for c, s in zip(cands, scores) if self._arts[c].story == a.story), default=None)
        touched = [fe.event.id for sid in changed for fe in self._stories[sid].fused]
        created = story.members == [aid]
        reason = f"{kind} of {copy_of}" if copy_of else ("new story" if created else f"joined (score {best:.2f})")
        return StoryUpdate(aid, story.id, created=created, copy_of=copy_of, copy_similarity=sim, copy_kind=kind,
                           score=best, reason=reason, story_ids=sorted(changed | removed),
                           fused_event_ids=touched, removed_story_ids=sorted(removed))

    def _fell_back(self, actual: str) -> None:
        reason = f"story embedder {self.embedder.name!r} unavailable; using {actual!r} vectors"
        if reason not in self.notes:
            self.notes.append(reason)
        self.embedder = EmbedderRef(actual)

    def stories(self) -> list[Story]:
        return [self._story_record(s) for s in sorted(self._stories.values(), key=lambda s: s.id)]

    def story(self, story_id: str) -> Optional[Story]:
        s = self._stories.get(story_id)
        return self._story_record(s) if s else None

    def fused_events(self, story_id: Optional[str] = None) -> list[Event]:
        if story_id is not None:
            s = self._stories.get(story_id)
            return [_public_event(fe.event) for fe in s.fused] if s else []
        return [_public_event(fe.event) for s in sorted(self._stories.values(), key=lambda s: s.id)
                for fe in s.fused]

    def duplicates(self) -> list[list]:
        """[[article_id, copy_of, similarity, kind]] over all articles."""
        return [[a.id, a.copy_of, round(a.copy_sim or 0.0, 3), a.copy_kind]
                for a in sorted(self._arts.values(), key=lambda a: a.seq) if a.copy_of]

    def copy_of(self, article_id: str) -> Optional[str]:
        a = self._arts.get(article_id)
        return a.copy_of if a else None

    def story_of(self, article_id: str) -> Optional[str]:
        a = self._arts.get(article_id)
        return a.story if a else None

    def pop_removed(self) -> list[str]:
        """Story ids merged into others since the last call (their stored records are to be deleted)."""
        out = sorted(self._removed - set(self._stories))
        self._removed = set()
        return out

    def view(self, story_id: str) -> Optional[dict]:
        from .view import story_view

        st = self.story(story_id)
        return story_view(st, self.fused_events(story_id)) if st else None

    def __len__(self) -> int:
        return len(self._arts)

    def retire(self) -> list[str]:
        """Forget the stories no new article can join any more: a dated story whose last day is
        ``retire_days`` behind the newest day seen, once ``retire_idle_after`` articles have come since it
        changed (an undated one after ``retire_undated_after``). Call it once their records are saved: memory
        and the state then stay bounded by the last few months, however long the archive."""
        p = self.params
        old = []
        for st in self._stories.values():
            if st.updated >= self._seq - p.retire_idle_after:
                continue
            days = [self._arts[m].day for m in st.members if self._arts[m].day is not None]
            if days:
                if self._newest_day is not None and max(days) < self._newest_day - p.retire_days:
                    old.append(st)
            elif st.updated < self._seq - p.retire_undated_after:
                old.append(st)
        for st in old:
            del self._stories[st.id]
            for m in st.members:
                a = self._arts.pop(m)
                self._unindex(a)
        for b in [b for b, lsh in self._lsh.items() if b != "u" and lsh.is_empty()]:
            del self._lsh[b]
        self.retired += len(old)
        return sorted(st.id for st in old)

    # ------------------------------------------------------------------------------------------ state
    def state(self) -> dict:
        return {"version": STATE_VERSION, "params": dataclasses.asdict(self.params), "embedder": self.embedder.name,
                "seq": self._seq, "removed": sorted(self._removed),
                "stories": [{"id": s.id, "seq": s.seq, "updated": s.updated}
                            for s in sorted(self._stories.values(), key=lambda s: s.seq)],
                "articles": [a.to_state() for a in sorted(self._arts.values(), key=lambda a: a.seq)],
                "notes": self.notes}

    def _restore(self, state: dict) -> None:
        self._seq = int(state.get("seq", 0))
        self._removed = set(state.get("removed", []))
        for n in state.get("notes", []):
            if n not in self.notes:
                self.notes.append(n)
        for st in state.get("stories", []):
            s = _Story(st["id"], st["seq"])
            s.updated = st.get("updated", s.seq)
            self._stories[s.id] = s
        for d in state.get("articles", []):
            a = _Art.from_state(d)
            if a.vec.shape[0] != self.embedder.dim:
                a.vec = np.zeros(self.embedder.dim, np.float32)
                note = "article vectors reset: state embedder dimension differs"
                if note not in self.notes:
                    self.notes.append(note)
            self._arts[a.id] = a
            self._index(a)
            self._stories[a.story].members.append(a.id)
        for s in self._stories.values():
            s.members.sort(key=lambda m: _sort_key(self._arts[m]))
            self._fuse(s)

    # ------------------------------------------------------------------------------------------ internals
    def _index(self, a: _Art) -> None:
        if a.indexed:
            self._lsh_for(a.day).insert(a.id, self.hasher.from_values(a.sig), check_duplication=False)
        if a.day is not None:
            self._by_day.setdefault(a.day, set()).add(a.id)
            if self._newest_day is None or a.day > self._newest_day:
                self._newest_day = a.day
        for k in a.hap.keys:
            self._by_place.setdefault(k, set()).add(a.id)
            if a.day is None:
                self._by_place_undated.setdefault(k, set()).add(a.id)

    def _unindex(self, a: _Art) -> None:
        if a.day is not None:
            ids = self._by_day.get(a.day)
            if ids is not None:
                ids.discard(a.id)
                if not ids:
                    del self._by_day[a.day]
        for index in (self._by_place, self._by_place_undated):
            for k in a.hap.keys:
                ids = index.get(k)
                if ids is not None:
                    ids.discard(a.id)
                    if not ids:
                        del index[k]
        if a.indexed:
            lsh = self._lsh.get(self._bucket(a.day))
            if lsh is not None and a.id in lsh:
                lsh.remove(a.id)

    def _find_copy(self, sig, a: _Art, feats: DocFeatures):
        """The original this article copies (root of its copy family), the similarity and the kind: a copy
        (MinHash Jaccard >= copy_threshold), a rewrite (Jaccard or containment over the rewrite levels) or a
        paraphrase (encoder cosine >= paraphrase_cos), the last two within ``dup_days`` and reporting the
        same events and places."""
        p = self.params
        best = None
        cands = {c for lsh in self._lsh_near(a.day) for c in lsh.query(sig)}
        near = [c for c in self._days_around(a.day, p.dup_days) if c not in cands] if a.day is not None else []
        others = [o for o in (self._arts.get(c) for c in sorted(cands) + sorted(near)) if o is not None
                  and (a.day is None or o.day is None or abs(a.day - o.day) <= max(p.copy_days, p.dup_days))]
        if not others:
            return None, None, None
        # the measures of all candidates at once; only those over a level are looked at one by one
        J = np.count_nonzero(np.vstack([o.sig for o in others]) == a.sig, axis=1) / len(a.sig)
        N = np.array([o.n_sh or a.n_sh for o in others], dtype=float)
        C = np.minimum(1.0, J / (1.0 + J) * (a.n_sh + N) / np.maximum(1, np.minimum(a.n_sh, N)))
        COS = np.vstack([o.vec for o in others]) @ a.vec
        keep = (J >= min(p.copy_threshold, p.rewrite_threshold)) | (C >= p.rewrite_containment)
        if self.embedder.name == "use":
            keep |= COS >= p.paraphrase_cos
        for k in np.flatnonzero(keep):
            o, j, cont, cos = others[k], float(J[k]), float(C[k]), float(COS[k])
            gap = abs(a.day - o.day) if a.day is not None and o.day is not None else 0
            if j >= p.copy_threshold and gap <= p.copy_days:
                kind = "copy"
            elif gap <= p.dup_days and (j >= p.rewrite_threshold or cont >= p.rewrite_containment
                                        or (self.embedder.name == "use" and cos >= p.paraphrase_cos)):
                if not _same_reports(feats, o.info()) or not weekdays_compatible(_weekdays(a), _weekdays(o)):
                    continue  # other events, places or weekdays: a templated article, not a rewrite
                kind = "rewrite"
            else:
                continue
            key = (kind == "copy", max(j, cos if kind == "rewrite" else 0.0), o.id)
            if best is None or key > best[0]:
                best = (key, o, max(j, cont, cos if self.embedder.name == "use" else 0.0), kind)
        if best is None:
            return None, None, None
        _, o, s, kind = best
        return o.copy_of or o.id, s, kind

    def _days_around(self, day: int, width: int) -> list:
        out = []
        for d in range(day - width, day + width + 1):
            out.extend(self._by_day.get(d, ()))
        return out

    def _bucket(self, day: Optional[int]):
        return "u" if day is None else day // max(1, self.params.copy_days)

    def _lsh_for(self, day: Optional[int]):
        b = self._bucket(day)
        if b not in self._lsh:
            from datasketch import MinHashLSH

            bands = getattr(self, "_lsh_bands", None)  # found by numerical integration: once per builder
            lsh = MinHashLSH(threshold=self.params.lsh_threshold, num_perm=self.params.num_perm, params=bands)
            self._lsh_bands = (lsh.b, lsh.r)
            self._lsh[b] = lsh
        return self._lsh[b]

    def _lsh_near(self, day: Optional[int]) -> list:
        if day is None:
            return list(self._lsh.values())
        b = self._bucket(day)
        return [self._lsh[k] for k in (b - 1, b, b + 1, "u") if k in self._lsh]

    def _candidates(self, a: _Art) -> list:
        """Articles that may report the same happening: those of the days within ``max_gap``; for an
        undated article (or against undated ones), those naming one of its places."""
        p = self.params
        out = set(self._days_around(a.day, p.max_gap)) if a.day is not None else set()
        index = self._by_place if a.day is None else self._by_place_undated
        for k in a.hap.near:  # a place of its own or one in a neighbouring cell (place_agreement's "near")
            out.update(index.get(k, ()))
        out.discard(a.id)
        return sorted(out)

    def _undated_component(self, affected: set, old_ids: set) -> None:
        """Grow ``affected`` (and ``old_ids``) by the stories linked to its undated articles, and theirs in
        turn: an undated article links across any days, so the stories it bridges are clustered again
        together whatever order they came in (at most ``undated_component`` articles)."""
        p = self.params
        todo = sorted((m for m in affected if self._arts[m].day is None), reverse=True)
        seen = set(todo)
        while todo and len(affected) < p.undated_component:
            u = self._arts[todo.pop()]
            cands = self._candidates(u)
            scores = self._scores(u, [self._arts[c] for c in cands]) if cands else np.zeros(0)
            for c, sc in zip(cands, scores):
                sid = self._arts[c].story
                if sc < p.link_floor or sid is None or sid in old_ids:
                    continue
                old_ids.add(sid)
                for m in self._stories[sid].members:
                    affected.add(m)
                    if self._arts[m].day is None and m not in seen:
                        seen.add(m)
                        todo.append(m)

    def _scores(self, a: _Art, others: list) -> np.ndarray:
        """Pair scores of ``a`` with each of ``others`` (see ``_pair``)."""
        if not others:
            return np.zeros(0)
        cos = np.vstack([o.vec for o in others]) @ a.vec
        content = calibrate(cos, self.embedder)
        return np.array([self._pair(a, o, float(c)) for o, c in zip(others, content)])

    def _pair(self, a: _Art, b: _Art, content: float) -> float:
        """How surely two articles report one happening; NO_LINK when they cannot.

            gate   both dated: at most ``max_gap`` days apart, and on different days the same place (when
                   both name places); one undated: same place, same kind of happening, no other weekday
                   named, participants compatible and content similarity >= ``undated_content``
            score  w_content * calibrated encoder similarity + w_places * place agreement
                   + w_types * kind agreement - day_penalty * days apart
        A copy and its original score 1."""
        p = self.params
        if a.copy_of == b.id or b.copy_of == a.id or (a.copy_of and a.copy_of == b.copy_of):
            return 1.0
        ma, mb = a.hap.main, b.hap.main
        if ma is not None and mb is not None:
            if ma and mb and ma != mb:
                return NO_LINK  # other kinds of main happening
            if not (ma and mb) and violent(ma or mb):
                return NO_LINK  # a lead telling events only as background (a visit hours after a capture)
        pl = place_agreement(a.hap, b.hap)
        fa = family_agreement(a.hap, b.hap)
        if a.day is None or b.day is None:
            if pl != 1.0 or fa != 1.0 or content < p.undated_content \
                    or not weekdays_compatible(_weekdays(a), _weekdays(b), p.undated_weekday) \
                    or not actors_compatible(a.hap, b.hap):
                return NO_LINK
            gap = 0
        else:
            gap = abs(a.day - b.day)
            if gap > p.max_gap:
                return NO_LINK
            if gap >= p.other_day_same_place and pl is not None and pl < 1.0:
                return NO_LINK  # another day and other places: the campaign's next strike, not a later report
        pl_term = p.place_unknown if pl is None else pl
        fa_term = p.kind_unknown if fa is None else fa
        clash = p.actor_penalty if a.hap.actors and b.hap.actors and not (a.hap.actors & b.hap.actors) else 0.0
        return (p.w_content * content + p.w_places * pl_term + p.w_types * fa_term - p.day_penalty * gap - clash)

    def _recluster(self, ids: list, old_ids: set) -> tuple[set, set]:
        """Cluster ``ids`` (whole stories and the new article) again, from scratch and in a fixed order:
        average-link agglomeration over pair scores, two clusters merged only when their mean pair score
        reaches ``threshold``, no pair between them is below ``pair_floor`` (so a chain of similar articles
        cannot join two happenings) and the merged story spans at most ``max_span`` days."""
        p = self.params
        arts = sorted((self._arts[i] for i in ids), key=_sort_key)
        n = len(arts)
        if n == 1:
            groups = [[arts[0].id]]
        else:
            V = np.vstack([x.vec for x in arts])
            content = calibrate(V @ V.T, self.embedder)
            S = np.full((n, n), NO_LINK)
            for i in range(n):
                for j in range(i + 1, n):
                    S[i, j] = S[j, i] = self._pair(arts[i], arts[j], float(content[i, j]))
            groups = _agglomerate(S, [x.day for x in arts], p.threshold, p.pair_floor, p.max_span)
            groups = [[arts[i].id for i in g] for g in groups]
        # story ids: a cluster keeps the id of the old story it holds most of (ties: the smallest id)
        counts = []
        for g in groups:
            c = Counter(self._arts[m].story for m in g if self._arts[m].story is not None)
            counts.append(c)
        taken: set = set()
        order = sorted(range(len(groups)), key=lambda k: (-max(counts[k].values(), default=0), groups[k]))
        new_ids = {}
        for k in order:
            for sid, _ in sorted(counts[k].items(), key=lambda kv: (-kv[1], kv[0])):
                if sid not in taken:
                    new_ids[k] = sid
                    taken.add(sid)
                    break
            else:
                sid = "story:" + groups[k][0]
                while sid in self._stories and sid not in old_ids or sid in taken:
                    sid += "+"
                new_ids[k] = sid
                taken.add(sid)
        changed, removed = set(), set()
        for sid in old_ids - taken:
            self._stories.pop(sid, None)
            removed.add(sid)
            self._removed.add(sid)
        for k, g in enumerate(groups):
            sid = new_ids[k]
            s = self._stories.get(sid)
            before = list(s.members) if s is not None else None
            if s is None:
                s = _Story(sid, self._seq)
                self._stories[sid] = s
                self._removed.discard(sid)
            s.members = sorted(g, key=lambda m: _sort_key(self._arts[m]))
            for m in g:
                self._arts[m].story = sid
            if s.members != before:
                s.updated = self._seq
                self._fuse(s)
                changed.add(sid)
        return changed, removed

    def _fuse(self, s: _Story) -> None:
        """The story's fused events, from its articles in (day, id) order."""
        s.fused = []
        index: dict = {}
        for m in s.members:
            a = self._arts[m]
            doc = Document(article=Article(id=a.id, raw_text=""), events=a.events, figures=a.figures)
            fuse_into(s.fused, s.id, doc, a.id, a.outlet, a.day, a.place_admin, a.copy_of,
                      date_tol=self.params.event_date_tol, index=index)

    def _story_record(self, s: _Story) -> Story:
        arts = [self._arts[m] for m in s.members]
        days = [a.day for a in arts if a.day is not None]
        titled = [a for a in arts if a.title]
        title = min(titled, key=_sort_key).title if titled else ""
        copies = [a for a in arts if a.copy_of]
        places, actors, types = Counter(), Counter(), Counter()
        for a in arts:
            if a.copy_of:
                continue
            places.update(list(a.hap.places))
            actors.update(a.hap.actors)
            types.update({e.type for e in a.events if e.type})
        outlets = sorted({a.outlet for a in arts if a.outlet})
        independent = sorted({a.outlet or a.id for a in arts if not a.copy_of})
        articles = [{"id": a.id, "title": a.title, "outlet": a.outlet, "date": iso(a.day),
                     "date_source": a.date_source, "copy_of": a.copy_of} for a in arts]
        return Story(
            id=s.id, title=title, article_ids=list(s.members), outlets=outlets,
            start=iso(min(days)) if days else None, end=iso(max(days)) if days else None,
            event_ids=[fe.event.id for fe in s.fused],
            duplicates=[[a.id, a.copy_of, round(a.copy_sim or 0.0, 3), a.copy_kind] for a in copies],
            attrs={"n_articles": len(arts), "n_unique": len(arts) - len(copies),
                   "independent_sources": len(independent),
                   "actors": [k for k, _ in actors.most_common(10)],
                   "places": [k for k, _ in places.most_common(10)],
                   "event_types": dict(types.most_common()), "articles": articles,
                   "figures": [figure_record(f, a.id, a.outlet, a.copy_of) for a in arts for f in a.figures],
                   "related": self._related(s)})

    def _related(self, s: _Story) -> list:
        """Stories of the same kind of happening at the same place within ``arc_days`` (an arc: the
        follow-up days later), by id."""
        p = self.params
        arts = [self._arts[m] for m in s.members if not self._arts[m].copy_of] or \
            [self._arts[m] for m in s.members]
        out = set()
        for a in arts:
            if a.day is None:
                continue
            for c in self._days_around(a.day, p.arc_days):
                o = self._arts[c]
                if o.story == s.id or o.story in out:
                    continue
                if place_agreement(a.hap, o.hap) == 1.0 and family_agreement(a.hap, o.hap) == 1.0:
                    out.add(o.story)
        return sorted(out)


NO_LINK = -1.0


def _weekdays(a: "_Art") -> set:
    """The weekdays an article's happening may have fallen on: those its lead names, else for a dated article
    the weekday of its day and of the day before (a report of yesterday)."""
    if a.hap.weekdays or a.day is None:
        return a.hap.weekdays
    return {(a.day - 1) % 7, (a.day - 2) % 7}  # ordinal 1 (0001-01-01) was a Monday


def _agglomerate(S: np.ndarray, days: list, threshold: float, floor: float, max_span: int) -> list:
    """Average-link agglomeration of items 0..n-1 (S: symmetric pair scores), in a fixed order: the pair of
    clusters with the highest mean score merges first (ties: the lowest indices); a merge needs mean >=
    ``threshold``, every pair >= ``floor`` and a day span <= ``max_span``. Dated articles are grouped first,
    undated ones then join those groups or each other: an undated article links across any days, so were it
    let in early, it would take a dated report before that report's own happening was grouped, and the
    stories would depend on which articles came first."""
    n = S.shape[0]
    sums = S.copy()
    np.fill_diagonal(sums, 0.0)
    mins = S.copy()
    sizes = np.ones(n)
    lo = np.array([d if d is not None else np.nan for d in days], dtype=float)
    hi = lo.copy()
    alive = np.ones(n, dtype=bool)
    members = [[i] for i in range(n)]
    dated = ~np.isnan(lo)  # a cluster holding only dated articles
    phase = 0 if dated.any() and not dated.all() else 1
    while True:
        avg = sums / np.outer(sizes, sizes)
        span = np.fmax.outer(hi, hi) - np.fmin.outer(lo, lo)
        ok = (mins >= floor) & (avg >= threshold) & ~(span > max_span)
        ok &= np.outer(alive, alive)
        if phase == 0:
            ok &= np.outer(dated, dated)
        np.fill_diagonal(ok, False)
        if not ok.any():
            if phase == 0:
                phase = 1
                continue
            break
        masked = np.where(ok, avg, -np.inf)
        i, j = np.unravel_index(int(np.argmax(masked)), masked.shape)
        i, j = min(i, j), max(i, j)
        sums[i, :] += sums[j, :]
        sums[:, i] = sums[i, :]
        sums[i, i] = 0.0
        mins[i, :] = np.minimum(mins[i, :], mins[j, :])
        mins[:, i] = mins[i, :]
        sizes[i] += sizes[j]
        lo[i], hi[i] = np.fmin(lo[i], lo[j]), np.fmax(hi[i], hi[j])
        dated[i] = dated[i] and dated[j]
        alive[j] = False
        sums[j, :] = sums[:, j] = 0.0
        mins[j, :] = mins[:, j] = NO_LINK
        members[i].extend(members[j])
        members[j] = []
    return [sorted(m) for m in members if m]


def _same_reports(feats: DocFeatures, info: dict) -> bool:
    """A rewrite reports what its original reports: a shared event (type and participants) when both have
    events, a shared place when both have places."""
    ek = info.get("ek") or []
    if feats.event_keys and ek and not (feats.event_keys & set(ek)):
        return False
    pl = info.get("pl") or []
    doc_pl = {k for k in feats.places if k.startswith("p|")}
    if doc_pl and pl and not (doc_pl & set(pl)):
        return False
    return True


def _public_event(ev: Event) -> Event:
    """The fused record without the builder's private bookkeeping keys."""
    out = Event.from_dict(ev.to_dict())
    out.attrs.pop("_days", None)
    return out
