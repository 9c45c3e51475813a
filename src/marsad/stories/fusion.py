"""Event fusion: reports of one real event from several articles become one fused ``Event``.

Two reports are the same event when they have
  * the same PLOVER type, the same modality class (asserted/reported vs planned, threatened, denied…) and
    the same negation;
  * the same set of participants {actor, recipient} (order ignored: "A called B" = "B called A"); reports with
    no participants at all must share a place;
  * compatible dates: both day-precise and at most ``date_tol`` days apart (a call "yesterday evening" may be
    dated to the publication day by a second outlet), or a month/year-precise date containing the other;
    an undated report joins only if exactly one fused event fits;
  * compatible places: either side has none, or they share a place or a subdistrict/district (reports that
    name neighbouring villages for one strike are fused, and the place difference is flagged).
So the same two leaders phoning each other two weeks (or nine months) apart are two events.

Figures: a figure belongs to an event when the figures layer linked it (``attrs["event_id"]``) or it was read
in the event's sentence. Per-source figures are kept side by side; the fused figure is CONSERVATIVE:

    FIGURE_RULE: for each (kind, group), every independent source (copies excluded) contributes its credible
    minimum (an exact value; the low end of a range; "more than N"/"at least N" → N; "up to N" contributes
    nothing); the fused value is the MINIMUM of those source minimums, and ``max_reported`` keeps the
    highest so a reader sees the spread. Differing values are flagged as a disagreement.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Iterable, Optional

from ..model import DateRef, Document, Event, Figure
from .features import FACTUAL_MODALITIES, day_of, iso

FIGURE_RULE = ("min over independent sources of each source's credible minimum "
               "(exact value; low end of a range; 'more than N' -> N; 'up to N' ignored)")
DATE_RULE = "most reported day-precise date; ties -> earliest"


def modality_class(ev: Event) -> str:
    m = ev.modality or ""
    return "factual" if m in FACTUAL_MODALITIES else m


def actor_set(ev: Event) -> list:
    return sorted({x for x in (ev.actor, ev.recipient) if x})


def credible_min(f: dict) -> Optional[float]:
    """The lowest count a figure asserts: the low end of a range, 'more than N' -> N, 'up to N' -> nothing."""
    low, value = f.get("low"), f.get("value")
    if f.get("qualifier") == "up_to":
        return float(low) if low is not None else None
    if low is not None:
        return float(low)
    if value is not None:
        return float(value)
    return None


def figure_record(f: Figure, article_id: str, outlet: Optional[str], copy_of: Optional[str]) -> dict:
    return {"article_id": article_id, "outlet": outlet, "kind": f.kind, "group": f.group, "value": f.value,
            "low": f.low, "high": f.high, "qualifier": f.qualifier, "reporter": f.reporter,
            "reporter_text": f.reporter_text, "period": f.period.value if f.period else None,
            "period_end": f.period.end if f.period else None, "place": f.place, "copy_of": copy_of,
            "text": f.evidence.text if f.evidence else None}


def figures_of_event(doc: Document, ev: Event) -> list[Figure]:
    out = []
    for f in doc.figures:
        linked = (f.attrs or {}).get("event_id")
        if linked is not None:
            if linked == ev.id:
                out.append(f)
            continue
        if f.evidence is not None and ev.evidence is not None and \
                f.evidence.start < ev.evidence.end and ev.evidence.start < f.evidence.end:
            out.append(f)
    return out


def fuse_figures(figs: Iterable[dict]) -> list[dict]:
    """Conservative fused figures per (kind, group) from per-source figure records (see FIGURE_RULE)."""
    by_key: dict = {}
    for f in figs:
        by_key.setdefault((f["kind"], f["group"]), []).append(f)
    out = []
    for (kind, group), items in sorted(by_key.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or "")):
        per_source: dict = {}
        for f in items:
            if f.get("copy_of"):
                continue  # a copy repeats its original; it is not a second witness
            m = credible_min(f)
            if m is None:
                continue
            per_source[f["article_id"]] = max(per_source.get(f["article_id"], m), m)
        values = sorted(set(per_source.values()))
        out.append({
            "kind": kind, "group": group,
            "value": min(values) if values else None,
            "max_reported": max(values) if values else None,
            "by_source": {aid: v for aid, v in per_source.items()},
            "n_sources": len(per_source),
            "disagreement": len(values) > 1,
            "rule": FIGURE_RULE,
        })
    return out


class FusedEvent:
    """A fused event under construction; ``event`` is the model record the store and API see."""

    def __init__(self, event: Event):
        self.event = event
        a = event.attrs
        self.key = (event.type, a["modality_class"], bool(event.negated), tuple(a["actor_set"]))
        self.place_keys: set = set(a.get("place_keys", []))
        self.days: list = [tuple(x) for x in a.get("_days", [])]  # [(day, precision)]

    @classmethod
    def new(cls, story_id: str, ev: Event, article_id: str) -> "FusedEvent":
        fid = "fev:" + hashlib.sha1(f"{story_id}|{article_id}|{ev.id}".encode()).hexdigest()[:16]
        fused = Event(id=fid, type=ev.type, mode=ev.mode, context=list(ev.context or []), actor=ev.actor,
                      recipient=ev.recipient, actor_text=ev.actor_text, recipient_text=ev.recipient_text,
                      places=[], date=None, negated=ev.negated, modality=ev.modality,
                      evidence=ev.evidence, confidence=ev.confidence, article_id=None, sources=[],
                      attrs={"story_id": story_id, "fused": True, "modality_class": modality_class(ev),
                             "actor_set": actor_set(ev), "evidence_article": article_id, "outlets": [],
                             "outlets_by_article": {}, "member_events": [], "dates_by_source": {},
                             "places_by_source": {}, "figures_by_source": {}, "copies": {},
                             "independent_sources": 0, "fused_figures": [], "disagreements": [],
                             "place_keys": [], "_days": [], "date_rule": DATE_RULE,
                             "figure_rule": FIGURE_RULE})
        return cls(fused)

    # -- matching -------------------------------------------------------------------------------
    def date_gap(self, day: Optional[int], precision: str, tol: int) -> Optional[int]:
        """Days between ``day`` and this event's dates if compatible, else None; 0 when unknown."""
        if day is None or not self.days:
            return 0
        best = None
        for d, p in self.days:
            if precision == "day" and p == "day":
                gap = abs(d - day)
                if gap > tol:
                    continue
            elif same_period(d, p, day, precision):
                gap = 0
            else:
                continue
            best = gap if best is None else min(best, gap)
        return best

    def places_compatible(self, keys: set, place_ids: list) -> bool:
        if not place_ids or not self.event.places:
            return True
        return bool(keys & self.place_keys)

    # -- adding a report ------------------------------------------------------------------------
    def add(self, ev: Event, article_id: str, outlet: Optional[str], day: Optional[int], precision: str,
            place_keys: set, figures: list[dict], copy_of: Optional[str]) -> None:
        e, a = self.event, self.event.attrs
        if article_id not in e.sources:
            e.sources.append(article_id)
        a["member_events"].append([article_id, ev.id])
        if outlet:
            a["outlets_by_article"][article_id] = outlet
            if outlet not in a["outlets"]:
                a["outlets"].append(outlet)
        if copy_of:
            a["copies"][article_id] = copy_of
        if day is not None:
            self.days.append((day, precision))
            ds = a["dates_by_source"].setdefault(article_id, [])
            if iso(day) not in ds:
                ds.append(iso(day))
        for pid in ev.places or []:
            if pid not in e.places:
                e.places.append(pid)
        if ev.places:
            ps = a["places_by_source"].setdefault(article_id, [])
            ps.extend(p for p in ev.places if p not in ps)
        self.place_keys |= place_keys
        e.mode = e.mode or ev.mode
        e.actor_text = e.actor_text or ev.actor_text
        e.recipient_text = e.recipient_text or ev.recipient_text
        e.confidence = max(e.confidence or 0.0, ev.confidence or 0.0)
        if figures:
            fs = a["figures_by_source"].setdefault(article_id, [])
            seen = {(f["kind"], f["group"], f["value"], f["low"], f["text"]) for f in fs}
            for f in figures:
                k = (f["kind"], f["group"], f["value"], f["low"], f["text"])
                if k not in seen:
                    fs.append(f)
                    seen.add(k)
        self._refresh()

    def _refresh(self) -> None:
        e, a = self.event, self.event.attrs
        a["independent_sources"] = sum(1 for s in e.sources if s not in a["copies"])
        day_days = Counter(d for d, p in self.days if p == "day")
        if day_days:
            best = sorted(day_days.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            e.date = DateRef(value=iso(best), precision="day", source="fused")
        elif self.days:
            d, p = min(self.days)
            e.date = DateRef(value=iso(d), precision=p, source="fused")
        figs = [f for fl in a["figures_by_source"].values() for f in fl]
        a["fused_figures"] = fuse_figures(figs)
        dis = []
        distinct_days = sorted({d for d, p in self.days if p == "day"})
        if len(distinct_days) > 1:
            dis.append({"field": "date", "values": a["dates_by_source"]})
        place_sets = {tuple(sorted(v)) for v in a["places_by_source"].values()}
        if len(place_sets) > 1:
            dis.append({"field": "places", "values": a["places_by_source"]})
        for ff in a["fused_figures"]:
            if ff["disagreement"]:
                dis.append({"field": f"figure:{ff['kind']}/{ff['group']}", "values": ff["by_source"]})
        a["disagreements"] = dis
        a["place_keys"] = sorted(self.place_keys)
        a["_days"] = [list(x) for x in self.days]


_COARSENESS = {"day": 0, "month": 1, "year": 2}


def same_period(d1: int, p1: str, d2: int, p2: str) -> bool:
    """Whether two dates can name the same day, at the coarser of their two precisions."""
    import datetime as dt

    coarse = max(_COARSENESS.get(p1, 0), _COARSENESS.get(p2, 0))
    a, b = dt.date.fromordinal(d1), dt.date.fromordinal(d2)
    if coarse == 2:
        return a.year == b.year
    if coarse == 1:
        return (a.year, a.month) == (b.year, b.month)
    return a == b


def event_day(ev: Event, fallback_day: Optional[int]) -> tuple[Optional[int], str]:
    """The event's own date, else the article's date (as day precision)."""
    d = day_of(ev.date)
    if d is not None:
        return d, ev.date.precision or "day"
    return fallback_day, "day"


def place_keys_for(place_ids: list, place_admin: dict) -> set:
    keys = set(place_ids)
    for pid in place_ids:
        keys.update(place_admin.get(pid, []))
    return keys


def index_fused(fused_list: list[FusedEvent]) -> dict:
    """Fused events by matching key (type, modality class, negation, participants)."""
    index: dict = {}
    for fe in fused_list:
        index.setdefault(fe.key, []).append(fe)
    return index


def fuse_into(fused_list: list[FusedEvent], story_id: str, doc: Document, article_id: str,
              outlet: Optional[str], doc_day: Optional[int], place_admin: dict, copy_of: Optional[str],
              date_tol: int = 1, index: Optional[dict] = None) -> list[FusedEvent]:
    """Fuse every event of ``doc`` into ``fused_list`` (in place; ``index`` from ``index_fused`` is kept in
    step when given, so the cost does not grow with the story); returns the fused events touched."""
    touched: list[FusedEvent] = []
    for ev in doc.events:
        if not ev.type:
            continue
        day, prec = event_day(ev, doc_day)
        keys = place_keys_for(list(ev.places or []), place_admin)
        key = (ev.type, modality_class(ev), bool(ev.negated), tuple(actor_set(ev)))
        figs = [figure_record(f, article_id, outlet, copy_of) for f in figures_of_event(doc, ev)]
        cands = []
        for fe in (index.get(key, ()) if index is not None else fused_list):
            if fe.key != key:
                continue
            if not key[3] and not (keys & fe.place_keys):
                continue  # no participants: only a shared place makes two reports one event
            gap = fe.date_gap(day, prec, date_tol)
            if gap is None or not fe.places_compatible(keys, list(ev.places or [])):
                continue
            shared = len(keys & fe.place_keys)
            cands.append((gap, -shared, fe))
        target = None
        if cands:
            if day is None and len(cands) > 1:
                target = None  # an undated report that fits several events is kept apart
            else:
                target = min(cands, key=lambda c: (c[0], c[1]))[2]
        if target is None:
            target = FusedEvent.new(story_id, ev, article_id)
            fused_list.append(target)
            if index is not None:
                index.setdefault(key, []).append(target)
        target.add(ev, article_id, outlet, day, prec, keys, figs, copy_of)
        if target not in touched:
            touched.append(target)
    return touched
