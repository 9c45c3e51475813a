"""Online story clustering across outlets.

``StoryBuilder.add(doc)`` takes one processed Document at a time:

1. Near-duplicates. A MinHash signature of the normalised word 3-shingles is looked up in an LSH index
   (datasketch). A verbatim copy (Jaccard >= ``copy_threshold``) or a light rewrite (>= ``rewrite_threshold``,
   dates within ``dup_days`` and no conflicting event types) is linked to the ORIGINAL (``copy_of``: the first
   article of its copy family) and joins the original's story without clustering; its events are fused as
   extra sources but it never counts as an independent witness.
2. Story assignment. Candidate stories come from a day index: stories with an article dated within
   ``max_gap`` days of this one. Nothing compares against the whole archive, so the cost per article depends
   on how many stories are active in the window, not on the archive size. The ``top_k`` candidates by
   embedding similarity are scored

       base  = weighted mean of the channels present on both sides
                 content  embedding cosine to the story centroid, calibrated to 0..1        weight 0.6
                 places   1 shared place, 0.5 shared district, 0.2 shared governorate      weight 0.4
       score = base + 0.15 * shared actors + 0.05 * shared event types     (bonuses: they only add)

   Places, actors and types count by SUPPORT: a key carried by fewer than a quarter of the story's articles
   counts in proportion, so a story that has sprawled over many villages does not attract every article.
                    - date_weight * (gap_days - date_grace) / (max_gap - date_grace)

   and the article joins the best story scoring >= ``threshold``, else it opens a new story. A story never
   spans more than ``max_span`` days, so the same actors nine months later open a new story even when
   everything else matches. Places are a gate too: when both sides name places and share none (not even a
   governorate) the article does not join. Date proximity is a hard gate: an article without a date (neither published
   nor an event date) joins a story only as a copy (``undated_join`` relaxes this).
3. Event fusion inside the story (``fusion.py``): same type, participants, place and a date within a day.

State: ``state()`` returns a JSON-serialisable dict; ``StoryBuilder(state=...)`` resumes from it (indexes are
rebuilt from the stored signatures and story centroids, nothing is reclustered).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ..model import Document, Event, Story
from .embed import EmbedderRef, calibrate, get_embedder
from .features import DocFeatures, extract, iso, overlap, place_similarity
from .fusion import FusedEvent, figure_record, fuse_into, index_fused
from .text import MinHasher, pack_f32, pack_u32, shingles, unpack_f32, unpack_u32, words

STATE_VERSION = 1


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
    # story assignment
    max_gap: int = 21  # days between an article and the story's nearest date
    max_span: int = 45  # days a story may cover in all
    threshold: float = 0.6
    undated_join: bool = False  # may an article join a story when either has no date? (False: only as a copy)
    undated_margin: float = 0.2  # if allowed, the extra score it needs
    date_weight: float = 0.25  # penalty at max_gap days …
    date_grace: int = 2  # … growing linearly from 0 after this many days
    w_content: float = 0.6  # base channels (weighted mean of those present on both sides)
    w_places: float = 0.4
    bonus_actors: float = 0.15  # bonus channels: shared actors / event types only ever add
    bonus_types: float = 0.05
    recent_k: int = 300
    top_k: int = 40  # candidates scored in full (by content similarity)
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


class _Story:
    __slots__ = ("id", "seq", "row", "article_ids", "days", "outlets", "actors", "places", "types", "n_vec",
                 "title", "title_day", "fused", "fused_index", "duplicates", "figures", "updated", "n_profile")

    def __init__(self, sid: str, seq: int, row: int):
        self.id, self.seq, self.row = sid, seq, row
        self.article_ids: list = []
        self.days: list = []
        self.outlets: Counter = Counter()
        self.actors: Counter = Counter()
        self.places: Counter = Counter()
        self.types: Counter = Counter()
        self.n_vec = 0
        self.n_profile = 0  # articles (copies excluded) counted in actors/places/types
        self.title = ""
        self.title_day: Optional[int] = None
        self.fused: list[FusedEvent] = []
        self.fused_index: dict = {}
        self.duplicates: list = []
        self.figures: list = []
        self.updated = seq

    @property
    def start(self) -> Optional[int]:
        return min(self.days) if self.days else None

    @property
    def end(self) -> Optional[int]:
        return max(self.days) if self.days else None

    def to_state(self, centroid: np.ndarray) -> dict:
        return {"id": self.id, "seq": self.seq, "article_ids": self.article_ids, "days": self.days,
                "outlets": dict(self.outlets), "actors": dict(self.actors), "places": dict(self.places),
                "types": dict(self.types), "n_vec": self.n_vec, "n_profile": self.n_profile,
                "title": self.title, "title_day": self.title_day,
                "fused": [fe.event.to_dict() for fe in self.fused], "duplicates": self.duplicates,
                "figures": self.figures, "updated": self.updated, "centroid": pack_f32(centroid)}


class StoryBuilder:
    def __init__(self, state: Optional[dict] = None, params: Optional[StoryParams] = None,
                 embedder: str = "use"):
        if state and state.get("params"):
            known = {f.name for f in dataclasses.fields(StoryParams)}
            params = params or StoryParams(**{k: v for k, v in state["params"].items() if k in known})
        self.params = params or StoryParams()
        self.embedder = EmbedderRef(state.get("embedder", embedder) if state else embedder)
        self.notes: list = []
        self.hasher = MinHasher(self.params.num_perm)
        self._lsh: dict = {}  # time bucket (copy_days wide; "u" for undated) -> MinHashLSH
        self._stories: dict[str, _Story] = {}
        self._articles: dict[str, dict] = {}  # id -> {story, day, title, outlet, copy_of, date_source}
        self._sig: dict[str, np.ndarray] = {}
        self._by_day: dict[int, set] = {}
        self._recent: OrderedDict = OrderedDict()  # story id -> None, most recently updated last
        dim = self.embedder.dim
        self._sums = np.zeros((64, dim), dtype=np.float32)
        self._norms = np.zeros(64, dtype=np.float32)
        self._row_story: list[str] = []
        self._free_rows: list[int] = []  # centroid rows of retired stories, reused by new ones
        self._newest_day: Optional[int] = None
        self.retired = 0  # stories retired over this builder's life
        self._seq = 0
        if state:
            self._restore(state)

    # ------------------------------------------------------------------------------------------ public
    def add(self, doc: Document, sketch: Optional[ArticleSketch] = None) -> StoryUpdate:
        """Cluster one article. ``sketch`` (``sketch_article``) saves the text work when made elsewhere; one
        made with another embedder or MinHash setting is ignored and redone here."""
        p = self.params
        aid = doc.article.id
        if aid in self._articles:  # already clustered: nothing changes
            info = self._articles[aid]
            return StoryUpdate(aid, info["story"], copy_of=info.get("copy_of"), reason="already added")
        feats = extract(doc)
        if sketch is None or not sketch.fits(p, self.embedder.name):
            sketch = sketch_article(doc, self.embedder.name, p.num_perm, p.shingle, title=feats.title)
            if sketch.embedder != self.embedder.name:  # the encoder cannot load here: hashing vectors from now on
                self._fell_back(sketch.embedder)
        sig = self.hasher.from_values(sketch.signature)
        vec = sketch.vector
        n_sh = sketch.n_shingles

        # 1. near-duplicates
        indexed = sketch.n_tokens >= p.min_shingles
        copy_of, sim, kind = self._find_copy(sig, n_sh, feats) if indexed else (None, None, None)
        story: Optional[_Story] = None
        created, score, reason = False, None, ""
        if copy_of is not None:
            story = self._stories[self._articles[copy_of]["story"]]
            reason = f"{kind} of {copy_of}"
        else:
            story, score = self._best_story(feats, vec)
            reason = f"joined (score {score:.2f})" if story is not None else "new story"
        if story is None:
            story = self._new_story(aid)
            created = True

        # 2. record the article
        self._seq += 1
        if indexed:
            self._lsh_for(feats.day).insert(aid, sig, check_duplication=False)
        self._sig[aid] = sig.hashvalues.astype(np.uint64)
        self._articles[aid] = {"story": story.id, "day": feats.day, "title": feats.title, "outlet": feats.outlet,
                               "copy_of": copy_of, "date_source": feats.date_source, "seq": self._seq,
                               "indexed": indexed, "n_sh": n_sh,
                               "ek": sorted(feats.event_keys)[:20],
                               "pl": sorted(k for k in feats.places if k.startswith("p|"))[:20]}
        if copy_of is not None:
            story.duplicates.append([aid, copy_of, round(sim, 3), kind])
            doc.article.meta["copy_of"] = copy_of
        doc.article.meta["story_id"] = story.id
        self._join(story, feats, vec, count_vector=copy_of is None)
        for f in doc.figures[: p.max_figures_per_article]:
            story.figures.append(figure_record(f, aid, feats.outlet, copy_of))

        # 3. event fusion
        touched = fuse_into(story.fused, story.id, doc, aid, feats.outlet, feats.day, feats.place_admin, copy_of,
                            date_tol=p.event_date_tol, index=story.fused_index)
        return StoryUpdate(aid, story.id, created=created, copy_of=copy_of, copy_similarity=sim,
                           copy_kind=kind, score=score, reason=reason, story_ids=[story.id],
                           fused_event_ids=[fe.event.id for fe in touched])

    def _fell_back(self, actual: str) -> None:
        reason = getattr(get_embedder(self.embedder.name), "fallback_reason", None) or \
            f"embedder {self.embedder.name} unavailable; using {actual}"
        if reason not in self.notes:
            self.notes.append(reason)
        self.embedder = EmbedderRef(actual)

    def stories(self) -> list[Story]:
        return [self._story_record(s) for s in sorted(self._stories.values(), key=lambda s: s.seq)]

    def story(self, story_id: str) -> Optional[Story]:
        s = self._stories.get(story_id)
        return self._story_record(s) if s else None

    def fused_events(self, story_id: Optional[str] = None) -> list[Event]:
        if story_id is not None:
            s = self._stories.get(story_id)
            return [_public_event(fe.event) for fe in s.fused] if s else []
        out = []
        for s in sorted(self._stories.values(), key=lambda s: s.seq):
            out.extend(_public_event(fe.event) for fe in s.fused)
        return out

    def duplicates(self) -> list[list]:
        """[[article_id, copy_of, similarity, kind]] over all stories."""
        return [d for s in sorted(self._stories.values(), key=lambda s: s.seq) for d in s.duplicates]

    def copy_of(self, article_id: str) -> Optional[str]:
        info = self._articles.get(article_id)
        return info.get("copy_of") if info else None

    def story_of(self, article_id: str) -> Optional[str]:
        info = self._articles.get(article_id)
        return info["story"] if info else None

    def view(self, story_id: str) -> Optional[dict]:
        from .view import story_view

        st = self.story(story_id)
        return story_view(st, self.fused_events(story_id)) if st else None

    def __len__(self) -> int:
        return len(self._articles)

    def retire(self) -> list[str]:
        """Forget the stories no new article can join any more (see StoryParams.retire_*): their articles,
        signatures, centroid rows and LSH entries. Call it once their records are saved (ingest does, after
        each flush): memory and the saved state then stay bounded by the stories of the last few months,
        however long the archive. An article arriving later than that opens a new story; ``story_of`` of a
        retired article is None (the store's story tables keep the answer)."""
        p = self.params
        old: list[_Story] = []
        for st in self._stories.values():
            if st.updated >= self._seq - p.retire_idle_after:
                continue
            if st.days:
                if self._newest_day is not None and st.end < self._newest_day - p.retire_days:
                    old.append(st)
            elif st.updated < self._seq - p.retire_undated_after:
                old.append(st)
        for st in old:
            del self._stories[st.id]
            self._recent.pop(st.id, None)
            for d in set(st.days):
                ids = self._by_day.get(d)
                if ids is not None:
                    ids.discard(st.id)
                    if not ids:
                        del self._by_day[d]
            self._sums[st.row] = 0.0
            self._norms[st.row] = 0.0
            self._free_rows.append(st.row)
            for aid in st.article_ids:
                info = self._articles.pop(aid, None)
                self._sig.pop(aid, None)
                if info is not None and info.get("indexed", True):
                    lsh = self._lsh.get(self._bucket(info.get("day")))
                    if lsh is not None and aid in lsh:
                        lsh.remove(aid)
        for b in [b for b, lsh in self._lsh.items() if b != "u" and lsh.is_empty()]:
            del self._lsh[b]
        self.retired += len(old)
        return [st.id for st in old]

    # ------------------------------------------------------------------------------------------ state
    def state(self) -> dict:
        return {
            "version": STATE_VERSION,
            "params": dataclasses.asdict(self.params),
            "embedder": self.embedder.name,
            "seq": self._seq,
            "stories": [s.to_state(self._sums[s.row]) for s in sorted(self._stories.values(), key=lambda s: s.seq)],
            "articles": {aid: {**info, "sig": pack_u32(self._sig[aid])} for aid, info in self._articles.items()},
            "notes": self.notes,
        }

    def _restore(self, state: dict) -> None:
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"story state version {state.get('version')} is not {STATE_VERSION}")
        self._seq = int(state.get("seq", 0))
        dim = self.embedder.dim
        for st in state.get("stories", []):
            s = self._new_story(sid=st["id"], seq=st["seq"])
            s.article_ids = list(st["article_ids"])
            s.days = list(st["days"])
            s.outlets, s.actors = Counter(st["outlets"]), Counter(st["actors"])
            s.places, s.types = Counter(st["places"]), Counter(st["types"])
            s.n_vec, s.title, s.title_day = st["n_vec"], st["title"], st.get("title_day")
            s.n_profile = st.get("n_profile", len(s.article_ids))
            s.fused = [FusedEvent(Event.from_dict(e)) for e in st.get("fused", [])]
            s.fused_index = index_fused(s.fused)
            s.duplicates, s.figures = st.get("duplicates", []), st.get("figures", [])
            s.updated = st.get("updated", s.seq)
            c = unpack_f32(st["centroid"]) if st.get("centroid") else np.zeros(dim, np.float32)
            if c.shape[0] != dim:  # the state was built with another embedder: vectors cannot be compared
                c = np.zeros(dim, np.float32)
                s.n_vec = 0
                note = "story centroids reset: state embedder dimension differs"
                if note not in self.notes:
                    self.notes.append(note)
            self._sums[s.row] = c
            self._norms[s.row] = float(np.linalg.norm(c))
            for d in s.days:
                self._by_day.setdefault(d, set()).add(s.id)
                if self._newest_day is None or d > self._newest_day:
                    self._newest_day = d
        for s in sorted(self._stories.values(), key=lambda s: s.updated):
            self._recent[s.id] = None
            self._recent.move_to_end(s.id)
        for aid, info in state.get("articles", {}).items():
            sig = unpack_u32(info.pop("sig"))
            self._sig[aid] = sig
            self._articles[aid] = info
            if info.get("indexed", True):
                self._lsh_for(info.get("day")).insert(aid, self.hasher.from_values(sig), check_duplication=False)

    # ------------------------------------------------------------------------------------------ internals
    def _new_story(self, first_article: str = "", seq: Optional[int] = None, sid: str = "") -> _Story:
        sid = sid or "story:" + first_article
        if self._free_rows:
            row = self._free_rows.pop()
            self._row_story[row] = sid
        else:
            row = len(self._row_story)
            if row >= self._sums.shape[0]:
                grow = self._sums.shape[0]
                self._sums = np.vstack([self._sums, np.zeros((grow, self._sums.shape[1]), np.float32)])
                self._norms = np.concatenate([self._norms, np.zeros(grow, np.float32)])
            self._row_story.append(sid)
        s = _Story(sid, self._seq + 1 if seq is None else seq, row)
        self._stories[sid] = s
        return s

    def _find_copy(self, sig, n_sh: int, feats: DocFeatures):
        """The original this article copies (root of its copy family), the similarity and the kind."""
        p = self.params
        best = None
        cands = [c for lsh in self._lsh_near(feats.day) for c in lsh.query(sig)]
        if not cands:
            return None, None, None
        sims = (np.vstack([self._sig[c] for c in cands]) == sig.hashvalues).mean(axis=1)
        for cand, j in zip(cands, sims):
            if j < p.lsh_threshold:
                continue
            info = self._articles[cand]
            j = float(j)
            # containment of the shorter text in the longer, from Jaccard and the two set sizes
            n2 = info.get("n_sh") or n_sh
            inter = j / (1.0 + j) * (n_sh + n2)
            cont = min(1.0, inter / max(1, min(n_sh, n2)))
            gap = abs(feats.day - info["day"]) if feats.day is not None and info.get("day") is not None else 0
            if j >= p.copy_threshold and gap <= p.copy_days:
                kind = "copy"
            elif (j >= p.rewrite_threshold or cont >= p.rewrite_containment) and gap <= p.dup_days:
                if not _same_reports(feats, info):
                    continue  # other events or places: a templated article, not a rewrite
                kind = "rewrite"
            else:
                continue
            key = (kind == "copy", j)
            if best is None or key > best[0]:
                best = (key, cand, j, kind)
        if best is None:
            return None, None, None
        _, cand, j, kind = best
        return self._articles[cand].get("copy_of") or cand, j, kind

    def _bucket(self, day: Optional[int]):
        return "u" if day is None else day // max(1, self.params.copy_days)

    def _lsh_for(self, day: Optional[int]):
        b = self._bucket(day)
        if b not in self._lsh:
            from datasketch import MinHashLSH

            # the band split (b, r) is found by numerical integration, ~40 ms: once per builder, not per bucket
            bands = getattr(self, "_lsh_bands", None)
            lsh = MinHashLSH(threshold=self.params.lsh_threshold, num_perm=self.params.num_perm, params=bands)
            self._lsh_bands = (lsh.b, lsh.r)
            self._lsh[b] = lsh
        return self._lsh[b]

    def _lsh_near(self, day: Optional[int]) -> list:
        """The LSH indexes a copy of an article of ``day`` can be in: the neighbouring time buckets (copies
        are published within ``copy_days``) and the undated one; an undated article looks everywhere."""
        if day is None:
            return list(self._lsh.values())
        b = self._bucket(day)
        return [self._lsh[k] for k in (b - 1, b, b + 1, "u") if k in self._lsh]

    def _candidates(self, feats: DocFeatures) -> tuple[list[str], bool]:
        p = self.params
        if feats.day is None:
            if not p.undated_join:
                return [], True
            return list(reversed(list(self._recent.keys())))[: p.recent_k], True
        seen: set = set()
        for d in range(feats.day - p.max_gap, feats.day + p.max_gap + 1):
            ids = self._by_day.get(d)
            if ids:
                seen |= ids
        undated = [] if not p.undated_join else \
            [sid for sid in list(reversed(list(self._recent.keys())))[: p.recent_k]
             if not self._stories[sid].days and sid not in seen]
        return list(seen) + undated, False

    def _best_story(self, feats: DocFeatures, vec: np.ndarray):
        p = self.params
        cands, undated_doc = self._candidates(feats)
        if not cands:
            return None, None
        rows = np.fromiter((self._stories[c].row for c in cands), dtype=np.int64, count=len(cands))
        norms = self._norms[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            cos = (self._sums[rows] @ vec) / np.where(norms > 0, norms, 1.0)
        content = calibrate(cos, self.embedder)
        has_vec = norms > 0
        order = np.argsort(-content)[: p.top_k] if len(cands) > p.top_k else range(len(cands))
        best, best_score = None, None
        for i in order:
            s = self._stories[cands[i]]
            margin = 0.0
            gap = 0
            if feats.day is not None and s.days:
                start, end = s.start, s.end
                if max(end, feats.day) - min(start, feats.day) > p.max_span:
                    continue
                gap = 0 if start <= feats.day <= end else min(abs(feats.day - start), abs(feats.day - end))
                if gap > p.max_gap:
                    continue
            else:
                margin = p.undated_margin
            parts = self._score_parts(feats, s, float(content[i]) if has_vec[i] else None)
            if parts is None:
                continue
            score = parts - p.date_weight * max(0, gap - p.date_grace) / max(1, p.max_gap - p.date_grace)
            if score >= p.threshold + margin and (best_score is None or score > best_score):
                best, best_score = s, score
        return best, best_score

    def _score_parts(self, feats: DocFeatures, s: _Story, content: Optional[float]) -> Optional[float]:
        """Similarity of an article to a story before the date penalty (None: nothing to compare)."""
        p = self.params
        num = den = 0.0
        if content is not None:
            num, den = p.w_content * content, p.w_content
        n = s.n_profile
        pl = place_similarity(feats.places, s.places, n)
        if pl is not None and not any(k in s.places for k in feats.places):
            return None  # both name places and share none, not even a governorate: another story
        if pl is not None:
            num, den = num + p.w_places * pl, den + p.w_places
        ac = overlap(feats.actors, s.actors, cap=2, n=n)
        ty = overlap(feats.types, s.types, cap=2, n=n)
        if den == 0:
            if ac is None:
                return None
            return (ac or 0.0) * 0.5  # only actors known: never enough alone to pass the threshold
        return num / den + p.bonus_actors * (ac or 0.0) + p.bonus_types * (ty or 0.0)

    def _join(self, s: _Story, feats: DocFeatures, vec: np.ndarray, count_vector: bool) -> None:
        s.article_ids.append(feats.article_id)
        if feats.outlet:
            s.outlets[feats.outlet] += 1
        if feats.day is not None:
            s.days.append(feats.day)
            self._by_day.setdefault(feats.day, set()).add(s.id)
            if self._newest_day is None or feats.day > self._newest_day:
                self._newest_day = feats.day
        if count_vector:  # a copy adds no new evidence to the story's profile
            s.actors.update(feats.actors)
            s.places.update(feats.places)
            s.types.update(feats.types)
            s.n_profile += 1
            if float(np.linalg.norm(vec)) > 0:
                self._sums[s.row] += vec
                self._norms[s.row] = float(np.linalg.norm(self._sums[s.row]))
                s.n_vec += 1
        if feats.title and (not s.title or (feats.day is not None and
                                            (s.title_day is None or feats.day < s.title_day))):
            s.title, s.title_day = feats.title, feats.day
        s.updated = self._seq
        self._recent[s.id] = None
        self._recent.move_to_end(s.id)

    def _story_record(self, s: _Story) -> Story:
        copies = {d[0]: d[1] for d in s.duplicates}
        articles = []
        for aid in s.article_ids:
            info = self._articles.get(aid, {})
            articles.append({"id": aid, "title": info.get("title"), "outlet": info.get("outlet"),
                             "date": iso(info.get("day")), "date_source": info.get("date_source"),
                             "copy_of": info.get("copy_of")})
        return Story(
            id=s.id, title=s.title, article_ids=list(s.article_ids), outlets=sorted(s.outlets),
            start=iso(s.start), end=iso(s.end), event_ids=[fe.event.id for fe in s.fused],
            duplicates=[list(d) for d in s.duplicates],
            attrs={"n_articles": len(s.article_ids), "n_unique": len([a for a in s.article_ids if a not in copies]),
                   "actors": [k for k, _ in s.actors.most_common(10)],
                   "places": [k for k, _ in s.places.most_common(10)],
                   "event_types": dict(s.types.most_common()), "articles": articles, "figures": list(s.figures)})


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
