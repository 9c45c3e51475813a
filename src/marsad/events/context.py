"""The "context_actors" stage: the actor a report implies for an event its sentence names no actor for.

ACLED codes the actor the report implies. «غارات جوية على خان شيخون» in an article whose earlier sentences say
«الطيران الروسي» is coded to Russia's forces; «قصف مدفعي» after «قوات النظام» in the same paragraph to Syria's.
The events stage reads roles inside one sentence; this stage, after it, looks at the article:

0. an air strike with a weapon only one actor uses where it falls (barrel bombs in Syria: the government's);
1. the sentence itself: an armed actor named in it that no role took (not the event's target, not a victim
   «مقتل عناصر من قوات النظام», not a backer «المدعومة من …», not a source «بحسب …»; a conjunct «ضد هيئة
   تحرير الشام والفصائل» shares its first member's role), nearest to the trigger;
2. the paragraph before the event: the actor of the nearest earlier event of the same family, else the nearest
   compatible actor named earlier;
3. the article: its main attacker for that family (the actor of most such events), else the nearest compatible
   actor named anywhere in it.

Compatible: of a side the event's family admits (an air strike: state forces; a clash, shelling or a seizure:
state forces or armed groups) and not the side of the event's own target. Reinforcements and sieges take only
an actor of their own sentence (step 1). For an air strike a mention of
aircraft (الطيران الروسي) is preferred at each step. Families, sides and cue words are in
data/events/context_actors.json; which actor codes are armed and of which side comes from the ACLED actor
tables (:func:`marsad.events.acled.armed_side`).

Nothing is invented silently: the event's ``actor`` stays as read; the inferred actor goes to
``attrs["actor_inferred"]`` with its basis (sentence / paragraph / article), how it was found (an event's actor or a
mention) and the mention's offsets, and the ACLED view marks the row (``marsad_actor1_inferred``, tag
"actor inferred"). Unclaimed bombs, withdrawals, reinforcements and protests are never given an actor.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..model import Document, Event
from ..pipeline import factory
from ..view import doc_view
from .acled import _core, entity_index
from .lexicon import EVENTS_DATA, event_cues, has_key, key_set, load_json, phrase_keys, match_phrase


@lru_cache(maxsize=1)
def context_data() -> dict:
    d = load_json(EVENTS_DATA / "context_actors.json")
    cues = event_cues()
    return {
        "families": d["families"],
        "sides": {k: frozenset(v) for k, v in d["sides"].items()},
        "air": key_set(w for w in d["air_means"] if " " not in w),
        "air_phrases": phrase_keys(w for w in d["air_means"] if " " in w),
        "victim": key_set(list(d["victim_preps"]) + list(d["backer_cues"]) + list(cues["casualty_nouns"])
                          + list(cues["target_nouns"])),
        "reporter": key_set(cues["reporter_cues"]),
        "place_preps": key_set(list(cues["blocking_preps"]) + list(d.get("place_words", []))),
        "loser": {k: key_set(v) for k, v in d.get("loser_preps", {}).items()},
        "sentence_only": frozenset(d.get("sentence_only", [])),
        "weapons": {country: [(code, key_set(words)) for code, words in by.items()]
                    for country, by in d.get("weapon_actors", {}).items()},
        "weapon_window": int(d.get("weapon_window", 4)),
    }


def event_family(ev: Event) -> Optional[str]:
    """The family an event takes an implied actor of ("aerial", "ground"), or None when it never takes one."""
    fams = context_data()["families"]
    for k in (f"{ev.type}/{ev.mode}" if ev.mode else None, f"{ev.type}/{ev.attrs.get('form')}", ev.type):
        if k and k in fams:
            return fams[k]
    return None


@dataclass
class _Cand:
    id: str
    text: str
    start: int
    end: int
    sent: int
    para: int
    side: str
    air: bool
    via: str  # "mention" or "event:<id>"
    after: frozenset = frozenset()  # the families whose "loser" cue stands right before it (من الفصائل)


def _offsets(ev: Event, role: str) -> Optional[tuple]:
    """(start, end, text) of an event's role span; a span read back from the store is a plain dict."""
    sp = ev.spans.get(role)
    if sp is None:
        return None
    if isinstance(sp, dict):
        return sp["start"], sp["end"], sp.get("text") or ""
    return sp.start, sp.end, sp.text


class ContextActors:
    """Finds the implied actor of each event without a named one (see the module's docstring)."""

    def __init__(self):
        from .fallback import fallback_actors

        self.data = context_data()
        self.fallback = fallback_actors()

    def needs(self, ev: Event, entities: dict) -> bool:
        from .acled import acled_actors, acled_named, coded

        if ev.actor and _core(ev.actor) in acled_actors()["unidentified_codes"]:
            return False  # the report says no one knows who (مسلحون مجهولون): ACLED's unidentified group
        return coded(ev) and event_family(ev) is not None and not acled_named(ev.actor, entities)

    def __call__(self, doc: Document) -> Document:
        entities = entity_index(doc.entities)
        todo = [ev for ev in doc.events if self.needs(ev, entities)]
        if not todo or not doc.sentences:
            return doc
        from .acled import armed_side

        view = doc_view(doc)
        toks, idx = view.toks, view.index
        text = doc.text
        starts = [s.start for s in doc.sentences]
        breaks = [k for k, ch in enumerate(text) if ch == "\n"]

        def sent_of(pos: int) -> int:
            return max(0, bisect_right(starts, pos) - 1)

        def para_of(pos: int) -> int:
            return bisect_right(breaks, pos)

        roles = set()  # the spans some event already took as its target: never an attacker
        for ev in doc.events:
            sp = _offsets(ev, "recipient")
            if sp is not None:
                roles.add(sp[:2])
        mentions: list[_Cand] = []
        for sent in doc.sentences:
            i0, i1 = idx.covering(sent.start, sent.end)
            if i1 <= i0:
                continue
            smen = view.mentions_in(i0, i1)
            placed = [(p.start, p.end) for p in view.places_in(i0, i1)]
            last = None  # (end token, blocked, lost) of the mention before: «ضد هيئة تحرير الشام والفصائل»
            for m in sorted(smen + self.fallback.mentions(toks, i0, i1, smen), key=lambda m: m.i):
                prev = toks[m.i - 1] if m.i > i0 else None
                before = range(max(i0, m.i - 2), m.i)
                # a target, a victim or a backer (ضد، مقتل عناصر من، المدعومة من …), a source (بحسب …), a country as a
                # place (شمال سوريا)
                blocked = any(has_key(toks[k], self.data["victim"]) or has_key(toks[k], self.data["reporter"])
                              for k in before) or \
                    ("." not in _core(m.id) and prev is not None and has_key(prev, self.data["place_preps"]))
                lost = frozenset(f for f, ks in self.data["loser"].items() if prev is not None and has_key(prev, ks))
                if last is not None and last[0] == m.i and "و" in toks[m.i].procl:
                    blocked, lost = blocked or last[1], lost | last[2]  # a conjunct shares its first member's role
                last = (m.j, blocked, lost)
                side = armed_side(m.id, entities)
                if side is None or blocked or (m.start, m.end) in roles or \
                        any(a <= m.start and m.end <= b for a, b in placed):
                    continue  # not armed, not a subject, some event's target, or inside a place name (معرة الصين)
                air = any(has_key(toks[k], self.data["air"]) for k in range(m.i, m.j)) or any(
                    match_phrase(toks, k, p) for k in range(m.i, m.j) for p in self.data["air_phrases"])
                mentions.append(_Cand(m.id, m.text, m.start, m.end, sent_of(m.start), para_of(m.start), side, air,
                                      "mention", lost))
        told: list[tuple[_Cand, str]] = []  # actors read for events, with the event's family
        for ev in doc.events:
            fam = event_family(ev)
            sp = _offsets(ev, "actor")
            side = armed_side(ev.actor, entities) if ev.actor else None
            if fam is None or side is None or sp is None:
                continue
            a, b, said = sp
            air = any(c.start == a and c.air for c in mentions) or fam == "aerial"
            told.append((_Cand(ev.actor, ev.actor_text or said, a, b, sent_of(a), para_of(a), side, air,
                               f"event:{ev.id}"), fam))
        places = {p.id: p for p in doc.places}
        for ev in todo:
            pick = self._weapon(ev, places, toks, idx) or self._pick(ev, entities, mentions, told, sent_of, para_of)
            if pick is not None:
                cand, basis = pick
                ev.attrs["actor_inferred"] = {"id": cand.id, "text": cand.text, "basis": basis, "via": cand.via,
                                              "start": cand.start, "end": cand.end}
        return doc

    def _weapon(self, ev: Event, places: dict, toks: list, idx):
        """An air strike with a weapon only one actor uses where it falls (براميل متفجرة in Syria)."""
        if event_family(ev) != "aerial" or ev.evidence is None:
            return None
        trig = _offsets(ev, "trigger")
        if trig is None:
            return None
        countries = {(places[p].country or "SYR") for p in ev.places if p in places}
        t0, _ = idx.covering(trig[0], trig[1])
        _, i1 = idx.covering(ev.evidence.start, ev.evidence.end)
        for country in sorted(countries):
            for code, words in self.data["weapons"].get(country, ()):
                k = next((k for k in range(t0, min(i1, t0 + 1 + self.data["weapon_window"])) if has_key(toks[k], words)),
                         None)
                if k is not None:
                    return _Cand(code, toks[k].text, toks[k].start, toks[k].end, -1, -1, "state", True, "weapon"), \
                        "sentence"
        return None

    def _pick(self, ev: Event, entities: dict, mentions: list, told: list, sent_of, para_of):
        from .acled import armed_side

        fam = event_family(ev)
        sides = self.data["sides"][fam]
        trig = _offsets(ev, "trigger")
        pos = trig[0] if trig is not None else (ev.evidence.start if ev.evidence is not None else 0)
        s, p = sent_of(pos), para_of(pos)
        target = _bucket(ev.recipient, armed_side(ev.recipient, entities) if ev.recipient else None)
        own = _offsets(ev, "recipient")

        def ok(c: _Cand) -> bool:
            return c.side in sides and fam not in c.after and _bucket(c.id, c.side) != target and \
                not (own is not None and c.start < own[1] and c.end > own[0])

        def first(cands, key):
            cands = [c for c in cands if ok(c)]
            if fam == "aerial" and any(c.air for c in cands):
                cands = [c for c in cands if c.air]
            return min(cands, key=key) if cands else None

        # 1. the sentence: an armed actor no role took, nearest the trigger (a country's bare name, more often a
        # place than a force, after the others)
        c = first([m for m in mentions if m.sent == s], key=lambda m: ("." not in _core(m.id), abs(m.start - pos)))
        if c is not None:
            return c, "sentence"
        if fam in self.data["sentence_only"]:
            return None
        # 2. the paragraph before: the nearest earlier event of the family, else the nearest earlier mention
        earlier = [t for t, f in told if f == fam and t.para == p and t.start < pos]
        c = first(earlier, key=lambda t: pos - t.start)
        if c is None:
            c = first([m for m in mentions if m.para == p and m.start < pos], key=lambda m: pos - m.start)
        if c is not None:
            return c, "paragraph"
        # 3. the article: its main attacker for the family, else the nearest actor named anywhere in it
        main = [t for t, f in told if f == fam and ok(t)]
        if fam == "aerial" and any(t.air for t in main):
            main = [t for t in main if t.air]
        if main:
            counts = Counter(_bucket(t.id, t.side) for t in main)
            best = max(counts.values())
            c = min((t for t in main if counts[_bucket(t.id, t.side)] == best), key=lambda t: abs(pos - t.start))
            return c, "article"
        # (an air strike only to aircraft named in the article: a ground force named elsewhere does not fly)
        c = first([m for m in mentions if m.air or fam != "aerial"], key=lambda m: (m.start > pos, abs(pos - m.start)))
        if c is not None:
            return c, "article"
        return None


def _bucket(actor_id: Optional[str], side: Optional[str]) -> Optional[tuple]:
    """Which side an actor is on, for "not the target's side": a state by its country, an armed group by its
    country and sector (HTS and «الإرهابيين» are both SYR.REB: one side facing the state)."""
    if not actor_id or side is None:
        return None
    parts = _core(actor_id).split(".")
    return (parts[0], side) if side == "state" else tuple(parts[:2])


@factory("context_actors", requires=["events", "entities"], assigns=["events"])
def make_context_actors_stage():
    return ContextActors()


__all__ = ["ContextActors", "context_data", "event_family", "make_context_actors_stage"]
