"""The article's place of focus, and whether a place lies inside a coarser one.

ACLED codes an event at the most specific location the report gives for it. When the clause of an event names only
an area (ريف إدلب الجنوبي، محافظة إدلب، شمال سوريا) while the article is about one village or town inside that area,
the event is placed at that village, the area kept beside it. The focus is the locality the article names most,
the headline and lead counting double; it must be named at least twice, or in the lead, or be the only locality
the article names.

An event whose sentence names no place at all (وأسفر القصف عن مقتل …) happened where the report is telling of:
at the place of the event told just before it in its paragraph, else at the article's focus (``inherit``).
"""

from __future__ import annotations

from typing import Optional

from ..model import Document, Place

FINE_KINDS = frozenset({"village", "town", "city", "neighbourhood", "site"})
COARSE_KINDS = frozenset({"governorate", "region", "district", "subdistrict", "country"})
LEAD_CHARS = 300
REGION_KM = 60.0


def _fine(p: Place) -> bool:
    return p.kind in FINE_KINDS and p.country == "SYR" and not p.attrs.get("eponym_only") and (p.precision or 3) <= 2


def focus_place(doc: Document) -> Optional[Place]:
    """The locality the article is about (see the module's doc), or None."""
    best, best_score = None, 0.0
    fine = [p for p in doc.places if _fine(p) and p.mentions]
    if len(fine) == 1:
        return fine[0]  # the only locality the article names
    for p in fine:
        starts = [m.span.start for m in p.mentions if m.span is not None]
        lead = sum(1 for s in starts if s < LEAD_CHARS)
        score = len(starts) + lead
        if len(starts) < 2 and not lead:
            continue
        if score > best_score or (score == best_score and best is not None and min(starts) < _first(best)):
            best, best_score = p, score
    return best


def _first(p: Place) -> int:
    return min((m.span.start for m in p.mentions if m.span is not None), default=10 ** 9)


def inside(fine: Place, coarse: Place) -> bool:
    """Does locality ``fine`` lie in area ``coarse`` (its governorate, the countryside or region of one, the
    country)?"""
    from .gazetteer import distance_km

    if coarse.kind == "country":
        return fine.country == coarse.country
    if coarse.admin1:
        if fine.admin1 != coarse.admin1:
            return False
        if coarse.kind == "region" and coarse.lat is not None and fine.lat is not None:
            return distance_km(fine.lat, fine.lon, coarse.lat, coarse.lon) <= REGION_KM
        return True
    # a region with no governorate (شمال سوريا): the same country, within reach of its centre
    if coarse.country and fine.country != coarse.country:
        return False
    return coarse.lat is not None and fine.lat is not None and \
        distance_km(fine.lat, fine.lon, coarse.lat, coarse.lon) <= 3 * REGION_KM


def refine(doc: Document, place_ids: list) -> list:
    """``place_ids`` of an event with the article's focus put first when they name only areas that contain it."""
    if not place_ids:
        return place_ids
    by_id = {p.id: p for p in doc.places}
    places = [by_id.get(i) for i in place_ids]
    if any(p is None or p.kind not in COARSE_KINDS for p in places):
        return place_ids
    f = focus_place(doc)
    if f is None or f.id in place_ids or not any(inside(f, p) for p in places):
        return place_ids
    return [f.id] + list(place_ids)


def inherit(doc: Document, events: list) -> None:
    """Give each of ``events`` (events of ``doc`` that name no place) the place the report is telling of: the
    places of the closest earlier event of ``doc.events`` with places in the same paragraph, else the article's
    focus; never a place the event's own sentence names (the events stage found it is not where the event
    happened: اتفاق أستانا). Marked in ``attrs["place_from"]``."""
    if not events:
        return
    todo = {id(e) for e in events}
    text = doc.text
    by_id = {p.id: p for p in doc.places}
    focus = None
    last = None

    def named_in(pid: str, ev) -> bool:
        p = by_id.get(pid)
        sent = ev.evidence
        return p is not None and sent is not None and any(
            m.span is not None and sent.start <= m.span.start < sent.end for m in p.mentions)

    for ev in sorted(doc.events, key=lambda e: e.evidence.start if e.evidence is not None else 0):
        if id(ev) not in todo:
            if ev.places and ev.evidence is not None:
                last = ev
            continue
        if last is not None and ev.evidence is not None and "\n" not in text[last.evidence.start:ev.evidence.start]:
            got = [pid for pid in last.places if not named_in(pid, ev)]
            if got:
                ev.places = got
                ev.attrs["place_from"] = {"event": last.id}
                continue
        if focus is None:
            focus = focus_place(doc) or False
        if focus and not named_in(focus.id, ev):
            ev.places = [focus.id]
            ev.attrs["place_from"] = {"focus": focus.id}
