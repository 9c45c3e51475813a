"""The article's place of focus, and whether a place lies inside a coarser one.

ACLED codes an event at the most specific location the report gives for it. When the clause of an event names only
an area (ريف إدلب الجنوبي، محافظة إدلب، شمال سوريا) while the article is about one village or town inside that area,
the event is placed at that village, the area kept beside it. The focus is the locality the article names most,
the headline and lead counting double; it must be named at least twice, or in the lead, or be the only locality
the article names.
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
