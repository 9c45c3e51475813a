"""What the story builder reads from one processed Document (it works with whatever layers are present)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from ..model import DateRef, Document

# events whose modality says they did not (yet) happen are fused apart from asserted ones
FACTUAL_MODALITIES = {"asserted", "reported", ""}


def day_of(date: Optional[DateRef]) -> Optional[int]:
    """Ordinal day of a DateRef (any precision: month/year give their first day), or None."""
    if date is None or not date.value:
        return None
    try:
        return dt.date.fromisoformat(date.value[:10]).toordinal()
    except ValueError:
        return None


def iso(day: Optional[int]) -> Optional[str]:
    return dt.date.fromordinal(day).isoformat() if day is not None else None


@dataclass
class DocFeatures:
    article_id: str
    title: str
    outlet: Optional[str]
    day: Optional[int]  # the article's date (ordinal)
    date_source: str  # published | events | none
    actors: set = field(default_factory=set)
    places: set = field(default_factory=set)  # place ids and their admin parents
    types: set = field(default_factory=set)
    place_admin: dict = field(default_factory=dict)  # place id -> [subdistrict, district] (for event fusion)
    event_keys: set = field(default_factory=set)  # "TYPE|actor+recipient" of its events


def _published_day(doc: Document) -> Optional[int]:
    p = doc.article.published
    if p is None or p.precision != "day":
        return None
    return day_of(p)


def _events_day(doc: Document) -> Optional[int]:
    """Fallback article date: the latest day-precision date of an asserted event (news reports the latest)."""
    days = [day_of(e.date) for e in doc.events
            if e.date is not None and e.date.precision == "day" and not e.negated
            and (e.modality or "") in FACTUAL_MODALITIES]
    days = [d for d in days if d is not None]
    return max(days) if days else None


def title_of(doc: Document) -> str:
    a = doc.article
    if a.title:
        return a.title.strip()
    text = doc.text or ""
    if doc.sentences:
        s = doc.sentences[0]
        return text[s.start:s.end].strip()[:200]
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def extract(doc: Document, max_actors: int = 12) -> DocFeatures:
    a = doc.article
    day, source = _published_day(doc), "published"
    if day is None:
        day, source = _events_day(doc), "events"
    if day is None:
        source = "none"
    # actors: event participants first, then the most-mentioned canonical entities
    actors: set = set()
    for e in doc.events:
        for x in (e.actor, e.recipient):
            if x:
                actors.add(x)
    ranked = sorted(doc.entities, key=lambda en: -len(en.mentions or []))
    for en in ranked:
        if len(actors) >= max_actors:
            break
        if en.id and not en.id.startswith("ner:"):
            actors.add(en.id)
    places: set = set()  # "p|id" for places, "a|name" for their district/subdistrict, "g|name" governorate
    place_admin: dict = {}
    for p in doc.places:
        if not p.id:
            continue
        place_admin[p.id] = [x for x in (p.admin3, p.admin2) if x]  # near enough for two reports of one event
        places.add("p|" + p.id)
        places.update("a|" + x for x in (p.admin3, p.admin2) if x)
        if p.admin1:
            places.add("g|" + p.admin1)
    for e in doc.events:
        for pid in e.places or []:
            places.add("p|" + pid)
    types = {e.type for e in doc.events if e.type}
    event_keys = {e.type + "|" + "+".join(sorted(x for x in (e.actor, e.recipient) if x))
                  for e in doc.events if e.type}
    return DocFeatures(article_id=a.id, title=title_of(doc), outlet=a.outlet, day=day, date_source=source,
                       actors=actors, places=places, types=types, place_admin=place_admin,
                       event_keys=event_keys)


PLACE_LEVEL_SCORE = {"p": 1.0, "a": 0.5, "g": 0.2}


def support(count: int, n: int, share: float = 0.25) -> float:
    """How characteristic a key is of a story: 1.0 once ``share`` of its articles carry it, less below, so a
    sprawling story that has seen every village once does not match every article."""
    if n <= 0:
        return 0.0
    return min(1.0, count / max(1.0, share * n))


def place_similarity(doc_places: set, story_places: Counter, n: int = 0) -> Optional[float]:
    """How close the article's places come to the story's: 1.0 for a shared place, 0.5 for a shared
    district/subdistrict, 0.2 for a shared governorate only (the best level reached, weighted by how
    characteristic the key is of the story, see ``support``); None without places."""
    if not doc_places or not story_places:
        return None
    best = 0.0
    for key in doc_places:
        c = story_places.get(key)
        if c:
            sc = PLACE_LEVEL_SCORE[key[0]] * (support(c, n) if n else 1.0)
            if sc > best:
                best = sc
    return best


def overlap(doc_set: set, story_counts: Counter, cap: int = 0, n: int = 0) -> Optional[float]:
    """Share of the document's keys the story has (over at most ``cap`` keys: sharing ``cap`` keys is full
    agreement), each weighted by how characteristic it is of the story (``support`` over ``n`` articles);
    None when either side is empty."""
    if not doc_set or not story_counts:
        return None
    shared = sum((support(story_counts[k], n) if n else 1.0) for k in doc_set if k in story_counts)
    return min(1.0, shared / (min(len(doc_set), cap) if cap else len(doc_set)))
