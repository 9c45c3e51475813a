"""Which of the places named around an event are where it happened (ACLED codes the location of the happening).

The events stage gives the place mentions of an event's clause; this module reads the words that introduce each
(data/places/lexicon.json, ``event_place``), walking back from the name over the words of its place phrase
(في، مواقع، محيط، مدينة، ريف …):

* the origin of an attack — من + place phrase (قصف من مواقعها في محيط حلب على النيرب، انطلقت الصواريخ من ريف
  حلب), or a position word (المتمركزة في جبل الأكراد) — is not where the attack struck;
* the goal of a movement — إلى / باتجاه / نحو after a withdrawal (انسحاب الفصائل إلى التمانعة) — is where it
  went, not where it happened (of an attack, باتجاه X is its target: it stays);
* the place the trigger itself puts the event in — في / على / ب right after it, through its place phrase (قصف على
  مدينة معرة النعمان، استهداف مواقع … في قرى معرزيتا) with no other trigger between — comes first.

A place is dropped only when another remains: an attack told only by where it came from keeps that place.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from ..language.normalize import normalize
from ..view import has_key
from .gazetteer import lexicon

WALK_BACK = 6  # words of a place phrase walked back over before the word that introduces it
ATTACH_AHEAD = 12  # words after a trigger within which the place it puts the event in starts


@lru_cache(maxsize=1)
def _words() -> dict:
    lx = lexicon()
    ev = lx["event_place"]

    def norm(ws) -> frozenset:
        return frozenset(normalize(w) for w in ws)

    # the words of a place phrase: its own bridge words and every place-type, countryside, site and direction
    # word the finder reads as a cue
    bridge = set(norm(ev["bridge"]))
    for key in ("locality_cues", "city_cues", "governorate_cues", "countryside_words", "site_cues", "direction_heads",
                "directions"):
        bridge |= norm(lx[key])
    toward = norm(ev["toward"])
    # the words that put a place in the area named before them (X جنوب إدلب، قرية X بريف حلب)
    area = set()
    for key in ("governorate_cues", "countryside_words", "direction_heads", "directions"):
        area |= norm(lx[key])
    return {
        "bridge": frozenset(bridge - toward),
        "area": frozenset(area),
        "origin": norm(ev["origin"]),
        "near": norm(ev["near"]) | norm(ev["quantity"]),
        "position": norm(ev["position"]),
        "toward": toward,
        "goal": norm(ev["goal"]),
        "locative": norm(ev["locative"]),
        "origin_types": frozenset(ev["origin_types"]),
        "movement_types": frozenset(ev["movement_types"]),
    }


def introduced_by(toks: list, i: int, i0: int, inside: set, start: Optional[int] = None) -> Optional[str]:
    """What introduces the place mention starting at token ``i`` (at character ``start``, past any proclitic the
    place finder split off): "origin", "toward", "goal", "locative" or None. Walks back from the name over the
    words of its place phrase and over other place mentions (``inside``: their token indices), at most WALK_BACK
    words, not past ``i0`` (the sentence start)."""
    w = _words()
    tok = toks[i]
    if start is not None and start > tok.start and "ب" in tok.text[:start - tok.start]:
        return "locative"  # بريف إدلب, وبإدلب: the proclitic preposition "in", as the place finder read the word
    k = i - 1
    steps = 0
    put_in = False  # an area word walked over: the name is put in the place named before it (X بريف إدلب)
    while k >= i0 and steps < WALK_BACK:
        t = toks[k]
        if k in inside:
            if not put_in:
                return None  # "حلب بلدة النيرب": another name ends here; this one starts a phrase of its own
            k -= 1
            steps += 1
            continue
        if has_key(t, w["origin"]):
            # بالقرب من X: near X; عدد من القرى في X: some of the villages of X
            return None if k > i0 and has_key(toks[k - 1], w["near"]) else "origin"
        if has_key(t, w["position"]):
            return "origin"  # المتمركزة في X: where the side is positioned
        if has_key(t, w["toward"]):
            return "toward"
        if has_key(t, w["goal"]):
            return "goal"
        if has_key(t, w["locative"]):
            # في X، على X: look on past it for an origin or a position (من مواقعها في X)
            found = introduced_by(toks, k, i0, inside) if steps + 1 < WALK_BACK else None
            return found if found in ("origin",) else "locative"
        if "ب" in t.procl and has_key(t, w["bridge"]):
            return "locative"  # بمدينة، بريف
        if not has_key(t, w["bridge"]):
            return None
        put_in = put_in or has_key(t, w["area"])
        k -= 1
        steps += 1
    return None


def event_places(etype: str, places: list, toks: list, i0: int, trigger: tuple, other_triggers: set) -> list:
    """``places`` (the event's place mentions in token coordinates, ``.i``/``.j``/``.start``, in text order)
    without those that are not where an event of type ``etype`` happened, the place its trigger puts it in first.
    ``trigger``: the (i, j) token range of the event's first trigger; ``other_triggers``: token indices where the
    sentence's triggers start."""
    if not places:
        return places
    w = _words()
    a, b = trigger
    inside = {k for p in places for k in range(p.i, p.j)}
    how = {id(p): introduced_by(toks, p.i, i0, inside, p.start) for p in places}
    drop = set()
    if etype in w["origin_types"]:  # where the attack came from is told after its trigger (قصف من …، قصفت من مواقعها)
        drop |= {k for k, p in enumerate(places) if how[id(p)] == "origin" and p.i >= b}
    if etype in w["movement_types"]:
        drop |= {k for k, p in enumerate(places) if how[id(p)] in ("goal", "toward")}
    kept = [p for k, p in enumerate(places) if k not in drop] or places
    # the place the trigger puts the event in: the first introduced by في/على/ب after a trigger, close to it, with
    # no other trigger of the sentence between
    for p in kept:
        if how[id(p)] == "locative" and b <= p.i <= b + ATTACH_AHEAD and not any(k in other_triggers for k in range(b, p.i)):
            return [p] + [q for q in kept if q is not p]
    return kept


__all__ = ["event_places", "introduced_by"]
