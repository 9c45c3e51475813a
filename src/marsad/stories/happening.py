"""The happening an article reports: its main event's kind, places, day and actors, read from the article's lead.

A news report tells its happening first: the title and the opening sentences name what happened, where and when;
background (earlier strikes, the wider offensive, reactions) follows. So the happening of an article is read
from the lead (``LEAD_SENTENCES`` sentences, at most ``LEAD_CHARS`` characters of the clean text):

* ``families``: the kinds of happening (data/stories/happenings.json) of the events told in the lead (all events
  when none is);
* ``places``: the town- and village-level places named in the lead, with coordinates (all places of the
  article when the lead names none);
* ``day``: the article's date (publication, else the latest day-precise asserted event date);
* ``actors``: the participants of the lead's events;
* ``weekdays``: the weekdays the lead names ("اليوم الأحد", "أمس الاثنين", "فجر الخميس"): what an undated page
  still says of its day, so two undated reports naming other weekdays are not one happening.

``agreement(a, b)`` scores how far two articles' happenings agree, and ``compatible`` is the hard gate: two
articles whose days are more than a few days apart, whose places are all far apart, or whose kinds of happening
differ never report one happening.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..language.dates import scan_dates
from ..model import Document

LEAD_SENTENCES = 2
LEAD_CHARS = 420
WIDE_KINDS = {"governorate", "country", "region", "district"}  # too wide to place a happening
CELL_DEG = 0.03  # grid cell: places in neighbouring cells (at most about 7 km apart) are "near"


@lru_cache(maxsize=1)
def _data() -> dict:
    from ..paths import DATA_DIR

    return json.loads((DATA_DIR / "stories" / "happenings.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _background() -> tuple:
    """(folded background words, folded time spans, window, violent families), compiled once from
    happenings.json."""
    from ..language.forms import fold_word

    d = _data()
    return (frozenset(fold_word(w) for w in d.get("background", [])),
            frozenset(fold_word(w) for w in d.get("background_spans", [])), int(d.get("background_window", 4)),
            frozenset(d.get("violent", [])))


@lru_cache(maxsize=1)
def families() -> dict:
    """PLOVER type -> family name."""
    data = _data()
    out = {}
    for fam, types in data["families"].items():
        for t in types:
            out[t] = fam
    return out


def family_of(event_type: str) -> str:
    return families().get(event_type, event_type)


@dataclass
class Happening:
    families: set = field(default_factory=set)
    places: dict = field(default_factory=dict)  # place id -> (lat, lon) or None
    districts: set = field(default_factory=set)  # admin3/admin2 names of the places
    actors: set = field(default_factory=set)
    weekdays: set = field(default_factory=set)  # 0=Monday
    # family of the main happening: the lead's first event that is not background; "" when the lead tells
    # events only as background (a visit hours after a capture); None when no event is read at all
    main: Optional[str] = None
    keys: set = field(default_factory=set, repr=False)  # place ids and their grid cells
    near: set = field(default_factory=set, repr=False)  # place ids and the cells around theirs

    def __post_init__(self):
        self.reindex()

    def reindex(self) -> None:
        """The place keys: a place and every place within about a cell (CELL_DEG) of it share a key."""
        self.keys, self.near = set(self.places), set(self.places)
        for ll in self.places.values():
            if ll is None:
                continue
            i, j = int(math.floor(ll[0] / CELL_DEG)), int(math.floor(ll[1] / CELL_DEG))
            self.keys.add((i, j))
            self.near.update((i + di, j + dj) for di in (-1, 0, 1) for dj in (-1, 0, 1))

    def to_dict(self) -> dict:
        return {"f": sorted(self.families), "p": {k: list(v) if v else None for k, v in sorted(self.places.items())},
                "d": sorted(self.districts), "a": sorted(self.actors), "w": sorted(self.weekdays), "m": self.main}

    @classmethod
    def from_dict(cls, d: dict) -> "Happening":
        return cls(set(d.get("f", [])), {k: tuple(v) if v else None for k, v in d.get("p", {}).items()},
                   set(d.get("d", [])), set(d.get("a", [])), set(d.get("w", [])), d.get("m"))


def lead_end(doc: Document) -> int:
    """End offset of the lead: the first LEAD_SENTENCES sentences, at most LEAD_CHARS characters."""
    text = doc.text or ""
    end = doc.sentences[min(len(doc.sentences), LEAD_SENTENCES) - 1].end if doc.sentences else len(text)
    end = min(end, LEAD_CHARS)
    return end if end >= 80 else min(len(text), LEAD_CHARS)


def _mentioned_before(place, end: int) -> bool:
    return any(m.span is not None and m.span.start < end for m in (place.mentions or []))


_BREAKS = set(".،,:;!?؟\n")


def is_background(text: str, start: int) -> bool:
    """True when "some time after/before" (a background word, then a time span: بعد ساعات من) stands within
    the window of words before ``start`` in the same clause: the event told there happened before (or after)
    the sentence's own happening."""
    from ..language.forms import lookup_keys

    words, spans, window, _ = _background()
    left = text[max(0, start - 80):start]
    cut = max(left.rfind(c) for c in _BREAKS)
    toks = [set(lookup_keys(t.strip("\"'«»“”()"))) for t in left[cut + 1:].split()[-window:]]
    return any(toks[i] & words and toks[i + 1] & spans for i in range(len(toks) - 1))


def _trigger_start(e) -> int:
    sp = (e.spans or {}).get("trigger")  # a Span, or its dict in a document read back from a store
    start = sp.get("start") if isinstance(sp, dict) else getattr(sp, "start", None)
    if start is not None:
        return start
    return e.evidence.start if e.evidence is not None else 10 ** 9


def main_family(doc: Document, events: list) -> str:
    """Family of the first of ``events`` (by trigger position) that is not background; "" when all are, or
    when all those of the first sentence are (its main clause tells something else: a visit, a statement)."""
    text = doc.text or ""
    first_end = doc.sentences[0].end if doc.sentences else len(text)
    seen_first = False
    for e in sorted(events, key=lambda e: (_trigger_start(e), e.type)):
        st = _trigger_start(e)
        if st >= first_end and seen_first:
            return ""
        seen_first = seen_first or st < first_end
        if st < 10 ** 9 and is_background(text, st):
            continue
        return family_of(e.type)
    return ""


def violent(family: Optional[str]) -> bool:
    return bool(family) and family in _background()[3]


def read_happening(doc: Document) -> Happening:
    end = lead_end(doc)
    lead_events = [e for e in doc.events if e.type and e.evidence is not None and e.evidence.start < end
                   and not e.negated]
    events = lead_events or [e for e in doc.events if e.type and not e.negated]
    h = Happening()
    h.families = {family_of(e.type) for e in events}
    h.main = main_family(doc, events) if events else None  # no event read at all: nothing to compare
    for e in events:
        h.actors.update(x for x in (e.actor, e.recipient) if x)
    local = [p for p in doc.places if p.id and (p.kind or "") not in WIDE_KINDS
             and (p.precision_level or "") not in WIDE_KINDS]
    lead = [p for p in local if _mentioned_before(p, end)]
    for p in lead or local:
        h.places[p.id] = (p.lat, p.lon) if p.lat is not None and p.lon is not None else None
        h.districts.update(x for x in (p.admin3, p.admin2) if x)
    h.weekdays = {f.wd for f in scan_dates((doc.text or "")[:end]) if f.wd is not None}
    h.reindex()
    return h


def km(a: tuple, b: tuple) -> float:
    """Great-circle distance in km."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    x = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(x)))


def place_agreement(a: Happening, b: Happening) -> Optional[float]:
    """1.0 a shared place or two places in neighbouring grid cells (a few km); 0.5 a shared district;
    0.0 both name places and none is near; None when either names no place."""
    if not a.places or not b.places:
        return None
    if a.keys & b.near or b.keys & a.near:
        return 1.0
    if a.districts & b.districts:
        return 0.5
    return 0.0


def family_agreement(a: Happening, b: Happening) -> Optional[float]:
    if not a.families or not b.families:
        return None
    return 1.0 if a.families & b.families else 0.0


def _related_actor(x: str, y: str) -> bool:
    """One actor code names the other or a part of it (SYR.GOV and SYR.GOV.assad, RUS and RUS.MIL)."""
    return x == y or x.startswith(y + ".") or y.startswith(x + ".")


def actors_compatible(a: Happening, b: Happening) -> bool:
    """False when both leads name participants and none of one side's is, or is part of, one of the other's."""
    if not a.actors or not b.actors:
        return True
    return any(_related_actor(x, y) for x in a.actors for y in b.actors)


def weekdays_compatible(a: set, b: set, required: bool = False) -> bool:
    """False when both sets of weekdays are known and share none (``required``: or either is unknown)."""
    if not a or not b:
        return not required
    return bool(a & b)
