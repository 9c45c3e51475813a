"""PLOVER event extraction from one Document, sentence by sentence.

1. Triggers: each token is looked up (by its clitic-stripped keys) in the trigger lexicon
   (data/events/triggers.json); multi-word triggers (اتصال هاتفي) win over their parts. A trigger may need a
   co-occurring word (بحث … مع), or be blocked by its neighbour.
2. Scope: a trigger inside the complement of a call (دعا إلى، طالب، ضرورة), a denial (نفى), a threat or an
   agreement (اتفقا على …) is not coded as a separate event: it gives the REQUEST its mode, or, for a
   protest or a mobilisation called for (دعوات للتظاهر), becomes the event with modality planned/called_for.
   Triggers right after a reference to an existing agreement (ينص الاتفاق على انسحاب …) are dropped.
3. One event per type per sentence (triggers with different non-null modes stay separate events).
4. Roles: actor and recipient are entity mentions (doc.entities / doc.mentions) of the sentence, chosen by
   position: a verb's subject follows it (VSO) or precedes it in the clause (SVO); a verbal noun's actor is
   its genitive or nisba adjective (غارات روسية) or an "من قبل" phrase; the recipient follows a preposition
   (على، ضد، مع، لـ، مواقع) or is coordinated with the actor. Speakers (before أن/إن) and reporters (بحسب X)
   are never actors. Where no entity covers a phrase, data/events/actor_fallback.json gives a coded actor.
5. Places (material events only; verbal events keep them as topic places; of those named, where it happened:
   places/happening.py; a definite re-mention naming none, القصف, takes the place told before it: places/focus.py),
   date (nearest DateRef of the sentence, else the publication date with source "publication"), negation, modality,
   spans, confidence.
6. Article level (``consolidate``): a later mention of an event already coded (same type, day and
   participants: "وناقش الرئيسان …" after the call) becomes a further mention of it, not a new event; a
   recipient that is the actor's own country is dropped; what carries no one who acts (a verbal event with
   no actor nor recipient, an actorless event inside a quotation, a toll summed over a period that the
   figures layer records) is not coded.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Optional

from ..model import DateRef, Document, Event, Span
from ..places.focus import inherit as inherit_places, refine as refine_places
from ..places.happening import event_places
from ..readers.text import split_header
from ..language.forms import ARTICLE, PREP
from ..view import M, P, Tok, TokIndex, as_written, doc_view
from .fallback import fallback_actors
from .lexicon import event_cues, has_key, match_phrase, trigger_lexicon
from .roles import OBJECT_PRONOUNS, Phrase, role_structure

MATERIAL = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE", "RETREAT", "AID", "SANCTION", "COOPERATE"}
EMBED_AS_EVENT = {"PROTEST", "MOBILIZE"}  # a call to protest is coded as a (planned) protest
# as ACLED codes them: an attack or a protest is an event even when no one named acts and no place is named
CODED_UNNAMED = {"ASSAULT", "PROTEST"}
STRUCTURED = {"ASSAULT", "PROTEST"}  # roles read from the clause's structure as well (events/roles.py)
STRONG_AGENT = {"agent_phrase", "agent_verb", "support_subject"}  # cues that name who acted, whatever else is near
COARSE_KINDS = {"governorate", "country", "region", "district", "subdistrict"}


def _share_roles(evs: list) -> None:
    """Diplomatic events of one sentence share their participants (اتفق X ونظيره Y خلال اتصال هاتفي)."""
    dip = {"CONSULT", "AGREE"}
    full = [e for e in evs if e.type in dip and e.actor and e.recipient]
    for e in evs:
        if e.type in dip and full and e is not full[0] and (e.actor is None or e.recipient is None):
            src = full[0]
            if e.actor is None or e.actor == src.actor or e.actor == src.recipient:
                e.actor, e.actor_text = src.actor, src.actor_text
                e.recipient, e.recipient_text = src.recipient, src.recipient_text
                e.attrs["roles_from"] = src.id


DIPLOMATIC = {"CONSULT", "AGREE"}
SYMMETRIC = ("CONSULT", "AGREE", "COOPERATE")  # the two parties of these act together
SPLIT_TYPES = {"CONSULT", "AGREE", "COOPERATE", "REQUEST", "ACCUSE", "THREATEN", "REJECT", "SANCTION", "AID"}  # one event per dyad
QUOTE_OPEN, QUOTE_CLOSE = "“«\"", "”»\""


def _quoted(text: str, sent: Span, pos: int) -> bool:
    """Is ``pos`` inside a quotation opened earlier in its sentence (or the paragraph the quote spans)?"""
    depth = 0
    for ch in text[sent.start:pos]:
        if ch in QUOTE_OPEN and not (ch == '"' and depth):
            depth += 1
        elif ch in QUOTE_CLOSE and depth:
            depth -= 1
    return depth > 0


def _country(code: Optional[str]) -> Optional[str]:
    return code.split(".", 1)[0] if code else None


def _same_event(a: Event, b: Event) -> bool:
    """``b`` tells of ``a`` again: same type, day and actor; ``b`` adds no other recipient nor place."""
    if a.type != b.type or a.modality != b.modality or a.negated != b.negated:
        return False
    if (a.date.value if a.date else None) != (b.date.value if b.date else None):
        # a re-mention without a date of its own ("وبحث الرئيسان") falls back to the publication date
        if not (a.date and b.date and b.date.source == "publication" and a.date.source != "publication"):
            return False
    if a.type in MATERIAL and a.evidence is not None and b.evidence is not None and a.evidence.start == b.evidence.start \
            and b.actor == a.actor and not b.places and b.recipient in (None, a.recipient):
        return True  # "استهدفت الفصائل … وقالت إنها دمرت آلية": what the same side did in the same attack
    if a.type in MATERIAL and b.actor is None and b.attrs.get("victim_only") and a.recipient in (None, b.recipient) \
            and (not b.places or set(b.places) <= set(a.places)):
        return True  # "وقال إن الجنود قتلوا في …": who died in an attack already told
    if a.type in MATERIAL:
        # the same side acting on no other target; the later telling names a subset of the places, or one of the two
        # is a definite noun (القصف، قصفهما) that sums up or refers back to the other and one names no place
        if b.actor is None or b.actor != a.actor or not (a.recipient is None or b.recipient in (None, a.recipient)):
            return False
        if b.places and set(b.places) <= set(a.places):
            return True
        return bool(a.attrs.get("definite") or b.attrs.get("definite")) and (not a.places or not b.places)
    if b.actor is None or b.actor not in (a.actor, a.recipient):
        return False
    return b.recipient is None or b.recipient in (a.actor, a.recipient)


def _sentence_no(ev: Event, starts: list) -> int:
    return bisect.bisect_right(starts, ev.evidence.start) if ev.evidence is not None and starts else 0


def _mention_of(first: Event, ev: Event) -> None:
    trig = ev.spans.get("trigger")
    first.attrs.setdefault("mentions", []).append({"start": trig.start, "end": trig.end, "text": trig.text} if trig else {})


def consolidate(events: list, text: str, sentence_starts: Optional[list] = None) -> list:
    """Article-level clean-up of sentence events (step 6 of the module doc); events in text order."""
    out: list[Event] = []
    starts = sentence_starts or []
    last_told: dict = {}  # event id -> sentence number of its latest telling
    for ev in events:
        here = _sentence_no(ev, starts)
        if ev.type in MATERIAL and ev.actor is None and ev.attrs.get("definite"):
            # "وطال القصف كلًا من …": a definite noun with no actor of its own tells again of the attack just told
            # (within two sentences), adding where it struck
            told = next((e for e in reversed(out) if e.type == ev.type and e.actor and modality_class(e) == modality_class(ev)
                         and 0 <= here - last_told.get(e.id, here) <= 2), None)
            if told is not None:
                _add_places(told, ev)
                _mention_of(told, ev)
                last_told[told.id] = here
                continue
        if ev.recipient and ev.recipient == _country(ev.actor) and ev.recipient != ev.actor:
            ev.recipient = ev.recipient_text = None  # an actor does not act upon its own country
            ev.spans.pop("recipient", None)
        if ev.attrs.get("dyad") and ev.type in DIPLOMATIC:
            told = next((e for e in reversed(out) if e.type in DIPLOMATIC and e.actor and e.recipient), None)
            if told is not None:
                ev.actor, ev.actor_text, ev.recipient, ev.recipient_text = \
                    told.actor, told.actor_text, told.recipient, told.recipient_text
                ev.attrs["roles_from"] = told.id
        if ev.type in DIPLOMATIC and (ev.date is None or ev.date.source == "publication") and ev.actor:
            # undated talk between a pair already met on a told day ("وبحث الرئيسان … واتفقا") is of that occasion
            pair = {ev.actor, ev.recipient}
            met = next((e for e in reversed(out) if e.type in DIPLOMATIC and {e.actor, e.recipient} == pair
                        and e.date is not None and e.date.source != "publication"), None)
            if met is not None:
                ev.date = met.date
                ev.attrs["date_from"] = met.id
        if ev.actor is None and ev.recipient is None and (ev.type not in MATERIAL or not ev.places):
            if ev.type not in CODED_UNNAMED:
                continue  # no one acts, no one is acted upon and (for a material event) no place: nothing to code
            ev.attrs["unnamed"] = True
        if ev.actor is None and ev.attrs.get("aggregate") and not ev.places:
            continue
        trig = ev.spans.get("trigger")
        if (ev.actor is None or (ev.type in MATERIAL and not ev.places)) and trig is not None \
                and ev.evidence is not None and _quoted(text, ev.evidence, trig.start):
            if ev.type not in CODED_UNNAMED:
                continue
            ev.attrs["quoted_unnamed"] = True  # an attack or protest told in a quotation: the classifier judges it
        vaguer = next((e for e in out if _generalises(e, ev)), None)
        if vaguer is not None:  # "أجرى الجانبان التركي والروسي مباحثات" then who talked: one event, named precisely
            vaguer.actor, vaguer.actor_text, vaguer.recipient, vaguer.recipient_text = \
                ev.actor, ev.actor_text, ev.recipient, ev.recipient_text
            for role in ("actor", "recipient"):
                if role in ev.spans:
                    vaguer.spans[role] = ev.spans[role]
            _mention_of(vaguer, ev)
            last_told[vaguer.id] = here
            continue
        first = next((e for e in out if _same_event(e, ev) or _generalises(ev, e)), None)
        if first is not None:
            if first.type in MATERIAL and not first.places:
                _add_places(first, ev)
            if first.recipient is None and ev.recipient is not None:  # the later telling names the target
                first.recipient, first.recipient_text = ev.recipient, ev.recipient_text
                if "recipient" in ev.spans:
                    first.spans["recipient"] = ev.spans["recipient"]
            _mention_of(first, ev)
            last_told[first.id] = here
            continue
        out.append(ev)
        last_told[ev.id] = here
    return out


def _covers(general: Optional[str], specific: Optional[str]) -> bool:
    """TUR covers TUR.GOV and TUR.GOV.akar: the code is a prefix of the other by its dotted parts."""
    if not general or not specific:
        return False
    g, s = general.split(":")[-1], specific.split(":")[-1]
    return s == g or s.startswith(g + ".")


def _generalises(a: Event, b: Event) -> bool:
    """``a`` is a vaguer telling of diplomatic event ``b``: same type and day, its two sides are the countries
    (الجانبان التركي والروسي، المباحثات التركية – الروسية) of ``b``'s participants. Sides named as bodies
    (الوفدان) may hold talks of their own beside their leaders'."""
    if a.type != b.type or a.type not in DIPLOMATIC or not (a.actor and a.recipient and b.actor and b.recipient):
        return False
    if "." in a.actor.split(":")[-1] or "." in a.recipient.split(":")[-1]:
        return False
    if (a.date.value if a.date else None) != (b.date.value if b.date else None) or {a.actor, a.recipient} == {b.actor, b.recipient}:
        return False
    return (_covers(a.actor, b.actor) and _covers(a.recipient, b.recipient)) or \
        (_covers(a.actor, b.recipient) and _covers(a.recipient, b.actor))


def modality_class(ev: Event) -> str:
    return "factual" if ev.modality in ("asserted", "reported") else ev.modality


def _add_places(first: Event, ev: Event) -> None:
    n = sum(1 for k in first.spans if k.startswith("place"))
    for pid, key in zip(ev.places, [k for k in ev.spans if k.startswith("place")] or [None] * len(ev.places)):
        if pid in first.places:
            continue
        first.places.append(pid)
        if key is not None:
            first.spans["place" if n == 0 else f"place:{n}"] = ev.spans[key]
            n += 1


def _pronoun_objects(evs: list) -> None:
    """A verb whose object is an attached pronoun (ودعاهما، وحثهم) acts on the recipients of the event told
    just before it in the sentence, by that event's actor (unless it names its own actor, who is not one of them)."""
    for n, ev in enumerate(evs):
        if not ev.attrs.get("object_pronoun") or n == 0:
            continue
        prev = next((e for e in reversed(evs[:n]) if e.recipient), None)
        if prev is None:
            continue
        them = {prev.recipient} | {c["id"] for c in prev.attrs.get("co_recipients", [])}
        if ev.actor is None or ev.actor in them:
            ev.actor, ev.actor_text = prev.actor, prev.actor_text
            ev.spans.pop("actor", None)
        ev.recipient, ev.recipient_text = prev.recipient, prev.recipient_text
        if prev.attrs.get("co_recipients"):
            ev.attrs["co_recipients"] = list(prev.attrs["co_recipients"])
        ev.attrs["roles_from"] = prev.id


def _split_dyads(doc: Document, ev: Event) -> list:
    """One event per dyad: an event with coordinated recipients becomes one event for each of them."""
    extra = ev.attrs.pop("co_recipients", None)
    if not extra:
        return [ev]
    out = [ev]
    for k, c in enumerate(extra, 1):
        e = Event.from_dict(ev.to_dict())
        e.id = hashlib.sha1(f"{ev.id}:{c['id']}".encode("utf-8")).hexdigest()[:16]
        e.recipient, e.recipient_text = c["id"], c["text"]
        e.spans = dict(ev.spans)
        e.spans["recipient"] = doc.span(c["start"], c["end"])
        e.attrs["dyad_of"] = ev.id
        out.append(e)
    return out


def _future_verb(tok: Tok) -> bool:
    """سيستعرض، ستكون: a future prefix س on a present-tense verb the word list knows without it."""
    for k in tok.keys:
        if len(k) >= 5 and k[0] == "س" and k[1] in "يتن":
            from ..language.resources import lexicon

            lx = lexicon()
            return k[1:] in lx and k not in lx
    return False


def _civilian(m) -> bool:
    return m.id == "CIV" or m.id.split(":")[-1].startswith("CIV") or ".CIV" in m.id


def _coord(tok: Tok) -> bool:
    """The token starts with the conjunction و (split off by the language layer, or visibly attached)."""
    return "و" in tok.procl or (not tok.procl and tok.text.startswith("و") and len(tok.keys) > 1)


def event_id(article_id: str, sent_start: int, etype: str, k: int = 0) -> str:
    raw = f"{article_id}:{sent_start}:{etype}" + (f":{k}" if k else "")
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


@dataclass
class Roles:
    """Who acts and who is acted upon for one trigger, with what else the clause says of them."""

    actor: Optional[M] = None
    recipient: Optional[M] = None
    assoc: Optional[M] = None  # a co-actor (النظام وحلفاؤه الروس)
    corecipients: list = field(default_factory=list)  # further recipients coordinated with the first
    joint: bool = False  # both sides of a dual affirm a need together: an agreement, not a request


@dataclass
class Trig:
    i: int
    j: int
    entry: object
    nominal: bool
    future: bool
    modality: str = "asserted"
    negated: bool = False
    mode: Optional[str] = None
    embedded: list = field(default_factory=list)
    dropped: bool = False


def _headline_end(doc: Document) -> int:
    """Clean-text offset where the body starts when the article has a title line (headline events are
    duplicates of body events)."""
    a = doc.article
    title = a.title
    if not title:
        _, span = split_header(doc.text)
        title = doc.text[span[0]:span[1]] if span else None
    if not title:
        return -1
    pos = doc.text.find(title.strip())
    return pos + len(title.strip()) if 0 <= pos < 400 else -1


class EventExtractor:
    def __init__(self):
        self._name_quotes: set = set()
        self._nominal_ends: set = set()
        self._trigger_at: set = set()
        self._sent_trigs: list = []
        self._contents: list = []  # (start, end) token ranges of what the sentence's calls and agreements are about
        self.lex = trigger_lexicon()
        self.use_classifier = True  # the learned check of ASSAULT/PROTEST events (events/classify.py)
        self.cues = event_cues()
        self.fallback = fallback_actors()
        self.nisba = self.fallback.nisba
        self.structure = role_structure()
        self._numbers: set = set()  # token indices of the document's numbers and dates (noun phrases of roles)
        self._dates: set = set()

    # ------------------------------------------------------------------------------------------ triggers

    def _triggers(self, toks: list[Tok], i0: int, i1: int) -> list[Trig]:
        out: list[Trig] = []
        i = i0
        while i < i1:
            hit = self.lex.match(toks, i)
            if hit is None:
                i += 1
                continue
            entry, n, nominal, future = hit
            j = i + n
            ok = True
            if entry.needs:
                w = entry.window
                ok = any(has_key(toks[k], entry.needs) for k in range(max(i0, i - w), min(i1, j + w)) if not i <= k < j)
            if ok and entry.needs_not:
                ok = not any(has_key(toks[k], entry.needs_not) for k in range(max(i0, i - 4), i))
            if ok and entry.blocked_by:
                nb = [k for k in (i - 1, j) if i0 <= k < i1]
                ok = not any(has_key(toks[k], entry.blocked_by) for k in nb)
            if ok:
                out.append(Trig(i, j, entry, nominal, future))
            i = j
        return out

    def _scope(self, trigs: list[Trig], toks: list[Tok], i0: int, i1: int) -> list[Trig]:
        """Apply call / denial / threat / agreement / background scope; returns the triggers to code."""
        c = self.cues
        for t in trigs:
            if t.dropped:
                continue
            e = t.entry
            if e.type == "AGREE":
                # content starts at على/أن after the trigger
                start = next((k for k in range(t.j, min(i1, t.j + 12)) if has_key(toks[k], {"علي", "ان", "بان"})), None)
            elif e.call_cue or e.deny_cue or e.threat_cue:
                start = t.j
            else:
                continue
            if start is None:
                continue
            end = self._content_end(toks, start, i1)
            for u in trigs:
                if u is t or u.dropped or u.i < start or u.i >= end:
                    continue
                if e.call_cue and u.entry.type in EMBED_AS_EVENT:
                    u.modality = "called_for"
                    t.dropped = True
                    t.embedded.append(u)
                    continue
                if e.deny_cue:
                    u.modality, u.negated = "denied", True
                    t.dropped = True
                    continue
                u.dropped = True
                t.embedded.append(u)
        for t in trigs:  # reference to an existing agreement: ينص الاتفاق على انسحاب
            if not t.dropped and t.entry.type != "AGREE":
                for k in range(max(i0, t.i - 3), t.i):
                    if has_key(toks[k], c["background_cues"]):
                        t.dropped = True
                        break
            # the goal of an action, not an event: وقف الهجمات، لمنع … هجوم
            if not t.dropped and t.entry.type in ("ASSAULT", "COERCE") and any(
                    has_key(toks[k], c["stop_cues"]) for k in range(max(i0, t.i - 2), t.i)):
                t.dropped = True
        return [t for t in trigs if not t.dropped]

    # ------------------------------------------------------------------------------------------ features

    def _mode(self, t: Trig, toks: list[Tok], i0: int, i1: int) -> Optional[str]:
        mode = t.entry.mode
        cues = self.cues["mode_cues"].get(t.entry.type)
        if not cues:
            return mode
        if t.entry.type == "REQUEST":
            lo, hi = t.j, min(i1, t.j + 8)
        else:
            w = self.cues["mode_window"]
            lo, hi = max(i0, t.i - w), min(i1, t.j + w)
        found = set()
        for k in range(lo, hi):
            for m, keys in cues.items():
                if has_key(toks[k], keys):
                    found.add(m)
        for e in t.embedded:
            if e.entry.type in ("RETREAT", "ASSAULT"):
                found.add("yield")
            elif e.entry.type == "CONSULT":
                found.add("meet")
            elif e.entry.type == "AID":
                found.add("assist")
        for m in self.cues["mode_priority"].get(t.entry.type, []):
            if m in found and (mode is None or t.entry.weak_mode or t.entry.type == "ASSAULT" and m == "drone"
                               or t.entry.type == "REQUEST"):
                return m
        if mode is None and t.entry.type == "ASSAULT":
            for m in ("aerial", "heavy-weapons", "firearms"):
                if m in found:
                    return m
        return mode

    def _negated(self, t: Trig, toks: list[Tok], i0: int) -> bool:
        neg = self.cues["negation"]
        if t.nominal:
            return t.i - 1 >= i0 and has_key(toks[t.i - 1], {"عدم", "دون", "بدون"})
        return any(has_key(toks[k], neg) for k in range(max(i0, t.i - 2), t.i))

    def _future(self, t: Trig, toks: list[Tok], i0: int, i1: int) -> bool:
        if t.future:
            return True
        for k in range(i0, t.i):
            if _future_verb(toks[k]):
                return True
        w, back = self.cues["future_window"], self.cues.get("future_back_window", 2)
        return any(has_key(toks[k], self.cues["future"]) and not any(self._break(toks[x], x) for x in range(k, t.i))
                   for k in range(max(i0, t.i - back), min(i1, t.j + w)))

    # ------------------------------------------------------------------------------------------ clauses and dates

    def _clauses(self, toks: list[Tok], i0: int, i1: int) -> tuple[list, set]:
        """Clause number of each token of the sentence, and the numbers of relative clauses. A clause opens at a
        clause_starts word (التي، حيث، كما …) or after a comma before a word with the conjunction و; a relative
        clause ends at the next comma."""
        c = self.cues
        ids, rel = [], set()
        cid, in_rel, open_next = 0, False, False
        for k in range(i0, i1):
            tk = toks[k]
            if open_next or has_key(tk, c["clause_starts"]):
                cid += 1
                in_rel = has_key(tk, c["relative_pronouns"])
                if in_rel:
                    rel.add(cid)
                open_next = False
            ids.append(cid)
            if tk.text in ("،", ",", "؛", ";"):
                if in_rel or (k + 1 < i1 and _coord(toks[k + 1])):
                    open_next = True
                    in_rel = False
        return ids, rel

    def _parts(self, toks: list[Tok], i0: int, i1: int) -> list:
        """Part number of each token: a new part starts at each additive clause opener (كما، بينما، فيما)."""
        out, n = [], 0
        for k in range(i0, i1):
            if k > i0 and has_key(toks[k], self.cues["additive_starts"]):
                n += 1
            out.append(n)
        return out

    def _content_start(self, t: Trig, toks: list[Tok], i1: int) -> Optional[int]:
        """First token of what an agreement or a call is about (اتفقا على …، دعا إلى …، ضرورة …), or None."""
        e = t.entry
        if not (e.type in ("AGREE", "REQUEST") or e.call_cue or e.threat_cue):
            return None
        if t.nominal and e.type != "AGREE":
            return t.j
        return next((k for k in range(t.j, min(i1, t.j + 12)) if has_key(toks[k], self.cues["content_starts"])), None)

    def _content_end(self, toks: list[Tok], k: int, i1: int) -> int:
        """End of the content (of a call, denial, agreement) that starts at ``k``: the sentence's end, an additive
        clause opener (كما …) or a new coordinated clause (نفت أن تكون … ، واتهمت …)."""
        for x in range(k + 1, i1):
            if has_key(toks[x], self.cues["additive_starts"]) or (
                    toks[x - 1].text in ("،", ",") and _coord(toks[x]) and self._verb_at(toks, x)):
                return x
        return i1

    def _verb_at(self, toks: list[Tok], k: int) -> bool:
        """Is token ``k`` a known verb (a verb-form trigger or a speech verb)? "، واتهمت" opens a clause; "، وانسحاب"
        goes on listing what was called for."""
        verb = any(hit is not None and not hit[1] for hit in (self.lex.single.get(x) for x in toks[k].keys))
        return verb or has_key(toks[k], self.cues["speech_verbs"])

    def _pick_date(self, t: Trig, toks: list[Tok], i0: int, i1: int, sdates: list, idx: TokIndex,
                   clauses: tuple) -> Optional[DateRef]:
        """The date of the event told by trigger ``t``: the nearest date of its own clause; else the nearest date of
        another clause that is neither relative nor a period start; never one inside the content of an agreement
        or call of the sentence (that dates what is agreed or called for) unless ``t`` is inside it too."""
        ids, rel = clauses
        own, other = [], []
        for d in sdates:
            k = idx.covering(d.span.start, d.span.end)[0]
            if not i0 <= k < i1 or any(lo <= k < hi and not lo <= t.i < hi for lo, hi in self._contents):
                continue
            if ids[k - i0] == ids[t.i - i0]:
                own.append(d)
            elif ids[k - i0] not in rel and d.end is None and not d.attrs.get("since"):
                other.append(d)
        pool = own or other
        if not pool:
            return None
        tpos = toks[t.i].start
        return min(pool, key=lambda d: abs(d.span.start - tpos))

    def _context_frame(self, toks: list[Tok], i0: int, i1: int) -> bool:
        """Does the sentence open by setting the report in its context (يأتي ذلك في ظل حملة …، الجدير بالذكر أن …)?
        What it tells is the setting, not the news: background."""
        i = i0
        while i < i1 and not toks[i].text[:1].isalpha():  # a quote mark or a dash before the first word
            i += 1
        return any(match_phrase(toks, i, ph) for ph in self.cues["context_frames"])

    def _scope_frame(self, t: Trig, toks: list[Tok], i0: int) -> Optional[str]:
        """The modality a frame word before the trigger puts it in (data/events/cues.json 'scope_frames': إذا شنت
        هجوما، لتفادي أي ضربة، ما يجري من قتل، التحقيق في اغتيال), or None; a clause break in between ends the frame."""
        for modality, window, first in self.cues["scope_frames"]:
            for k in range(t.i - 1, max(i0, t.i - window) - 1, -1):
                if any(match_phrase(toks, k, ph) and k + len(ph) <= t.i
                       for key in toks[k].keys for ph in first.get(key, ())):
                    return modality
                if self._break(toks[k], k):
                    break
        return None

    def _background(self, date: Optional[DateRef], pub: Optional[DateRef]) -> bool:
        """Told as background: the event's own date (not a period still running) ended well before publication."""
        if date is None or pub is None or date.source == "publication" or date.end or date.attrs.get("since"):
            return False
        try:
            start = dt.date.fromisoformat(date.value[:10])
            published = dt.date.fromisoformat(pub.value[:10])
        except ValueError:
            return False
        length = {"day": 1, "week": 7, "month": 31, "year": 366}.get(date.precision, 1)
        return (published - start).days - length >= int(self.cues.get("background_days", 30))

    # ------------------------------------------------------------------------------------------ roles

    def _complementizers(self, toks: list[Tok], i0: int, i: int) -> list[int]:
        """Indices of the complementizers (أن، إن …) in tokens ``i0 … i-1``, in order."""
        comps = self.cues["complementizers"]
        return [k for k in range(i0, i) if has_key(toks[k], comps)]

    def _speaker_as_actor(self, t: Trig, ments: list, toks: list[Tok], i0: int):
        """قال الرئيس إنه سيلتقي …: the speaker, pointed back to by the pronoun on أن/إن, acts."""
        comp = self._complementizers(toks, i0, t.i)
        if not comp or not has_key(toks[comp[-1]], self.cues["self_complementizers"]):
            return None
        if has_key(toks[comp[-1]], self.cues["dyad_cues"]):
            return None  # "وأنهما اتفقا": the two just named, not the one who speaks (see consolidate)
        if any(m for m in ments if comp[-1] < m.i < t.i):
            return None  # a subject of its own between أنه and the verb
        return self._speaker_before(comp[-1], ments, toks, i0)

    def _speaker_before(self, comp: int, ments: list, toks: list[Tok], i0: int):
        """Who says what follows the complementizer at token ``comp``."""
        before = [m for m in ments if m.j <= comp]
        speech = next((k for k in range(comp - 1, i0 - 1, -1) if has_key(toks[k], self.cues["speech_verbs"])), None)
        if speech is not None:
            named = [m for m in before if m.i > speech]
            if named:
                return named[0]  # قال الرئيس إنه …
            # "وقالت إنها …": the speech verb has no subject of its own; the sentence's subject speaks
            subject = [m for m in before if m.i < speech and not self._blocked(m, toks, i0)]
            return subject[0] if subject else None
        return before[-1] if before else None

    def _excluded(self, ments: list[M], toks: list[Tok], i0: int, trig_i: int) -> set:
        """Indices of mentions that are speakers (before a complementizer preceding the trigger) or reporters."""
        c = self.cues
        comp = self._complementizers(toks, i0, trig_i)
        last_comp = comp[-1] if comp else -1
        out = set()
        for n, m in enumerate(ments):
            if m.j <= last_comp:
                out.add(n)
            elif any(has_key(toks[k], c["reporter_cues"]) and not any(
                    has_key(toks[x], c["complementizers"]) for x in range(k + 1, m.i)) for k in range(max(i0, m.i - 2), m.i)):
                out.add(n)  # بحسب مصادر X; but in "المصادر أن X" X is what the sources speak of
        return out

    def _victim(self, m: M, toks: list[Tok], i0: int) -> bool:
        """قتلى قوات النظام: a mention right after a casualty noun names who was hit."""
        return m.i - 1 >= i0 and has_key(toks[m.i - 1], self.cues["casualty_nouns"])

    def _blocked(self, m: M, toks: list[Tok], i0: int, since: Optional[int] = None) -> bool:
        """A mention introduced by a preposition (right before it, or anywhere after ``since``) is not a subject."""
        if any(ch in toks[m.i].procl for ch in PREP):
            return True
        if self._victim(m, toks, i0):
            return True
        lo = m.i - 1 if since is None else since
        return any(has_key(toks[k], self.cues["blocking_preps"]) for k in range(max(i0, lo), m.i))

    def _recipient_cue(self, m: M, toks: list[Tok], i0: int, etype: str = "") -> bool:
        c = self.cues["recipient_preps"]
        if m.i - 1 >= i0 and has_key(toks[m.i - 1], self.cues["occasion_cues"]):
            return False  # على هامش قمة العشرين: the occasion, not a party
        if "ل" in toks[m.i].procl:
            # لـ marks an attack's target only after a target noun (مواقع لقوات النظام)
            return etype != "ASSAULT" or any(has_key(toks[k], self.cues["target_nouns"]) for k in range(max(i0, m.i - 3), m.i))
        if "ب" in toks[m.i].procl and etype == "CONSULT":
            return True  # اتصل بالرئيس، أجرى اتصالا بنظيره
        return any(has_key(toks[k], c) for k in range(max(i0, m.i - 2), m.i))

    def _dual(self, m: M, ments: list[M], toks: list[Tok]) -> list[M]:
        """The mentions that share ``m``'s span, in the order the span names them (by its nisba adjectives)."""
        same = [x for x in ments if (x.i, x.j) == (m.i, m.j)]

        def named_at(x: M) -> int:
            country = x.id.split(":")[-1].split(".")[0]
            for k in range(m.i, m.j):
                code = next((self.nisba[kk] for kk in toks[k].keys if kk in self.nisba), None)
                if code and code.split(".")[0] == country:
                    return k
            return m.j

        return sorted(same, key=named_at)

    def _break(self, tok: Tok, k: int) -> bool:
        """Does token ``k`` end a clause for role search? Quotes around a short name (من نوع ”بيرقدار“) do not."""
        return has_key(tok, self.cues["clause_breaks"]) and k not in self._name_quotes

    @staticmethod
    def _short_quotes(toks: list[Tok], i0: int, i1: int) -> set:
        out, opened = set(), None
        for k in range(i0, i1):
            if toks[k].text in QUOTE_OPEN or toks[k].text in QUOTE_CLOSE:
                if opened is not None and k - opened <= 4:
                    out.update((opened, k))
                    opened = None
                else:
                    opened = k
        return out

    @staticmethod
    def _definite(t: Trig, toks: list[Tok]) -> bool:
        """A definite verbal noun (الاجتماع، القصف، قصفهما): it may refer back to an event already told."""
        return t.nominal and (bool(toks[t.i].encl) or any(k.startswith(ARTICLE) for k in toks[t.i].keys[:1]))

    def _event_place(self, p: P, toks: list[Tok], i0: int) -> bool:
        """Can this place mention be where the event happened? Not when it names an agreement or a meeting
        (اتفاق أستانا), nor a country that is not introduced as a location (المدعومة من تركيا، باتجاه سوريا)."""
        prev = toks[p.i - 1] if p.i - 1 >= i0 else None
        if prev is not None and has_key(prev, self.cues["name_heads"]):
            return False
        # وقالت دمشق: a capital not introduced as a location is its government speaking or acting
        if p.j - p.i == 1 and has_key(toks[p.i], self.fallback.capitals) and not self.fallback.located(toks, p.i, i0):
            return False
        # المقربة من دمشق، الموالية لأنقرة: a side the text ties someone to, not where it happened
        if any(has_key(toks[k], self.cues["affiliation_cues"]) for k in range(max(i0, p.i - 2), p.i)) and (
                prev is None or has_key(prev, self.cues["affiliation_cues"]) or has_key(prev, {"من"}) or toks[p.i].procl.endswith("ل")):
            return False
        kind = getattr(p.place, "kind", "")
        # a foreign capital stands for its government as often as a country does (مع موسكو، أعلنت أنقرة)
        if kind != "country" and not (kind == "city" and getattr(p.place, "country", "SYR") != "SYR"):
            return True
        tk = toks[p.i]
        return "ب" in tk.procl or (prev is not None and has_key(prev, self.cues["locative_cues"]))

    def _nisba_side(self, t: Trig, toks: list[Tok], k: int) -> Optional[M]:
        """The side a nisba adjective at token ``k`` names (غارات روسية → RUS.MIL); for talks, its country."""
        code = next((self.nisba[kk] for kk in toks[k].keys if kk in self.nisba), None)
        if code is None:
            return None
        if t.entry.type in DIPLOMATIC:
            code = code.split(".")[0]  # المباحثات التركية: talks between the countries, not their armies
        tk = toks[k]
        return M(k, k + 1, tk.start, tk.end, code, as_written(toks, k, tk.start, tk.text), "nisba")

    def _roles(self, t: Trig, ments: list[M], toks: list[Tok], i0: int, i1: int, inherit: bool = True) -> Roles:
        joint = False
        nisba_recipient = None
        excl = self._excluded(ments, toks, i0, t.i)
        civ_object = None
        assoc = None
        cand = [m for n, m in enumerate(ments) if n not in excl and not (m.i < t.j and m.j > t.i)
                and not (t.entry.type in DIPLOMATIC and _civilian(m))]  # civilians are talked about, not parties
        actor = None
        mode_words = set().union(*self.cues["mode_cues"].get(t.entry.type, {}).values()) if t.entry.type in self.cues["mode_cues"] else set()
        if not t.nominal and t.j < i1 and any(k in self.nisba or k in mode_words for k in toks[t.j].keys[:2]):
            t.nominal = True  # a verb is not followed by an adjective: قصف روسي، قصف مدفعي is the noun
        if t.nominal:  # an entity phrase that contains the trigger (قصف روسي) names the actor
            over = [m for m in ments if m.i <= t.i and m.j > t.j]
            if over:
                actor = over[0]
        if actor is None and t.entry.type == "ASSAULT":
            cand_actor = [m for m in cand if not _civilian(m)]
        else:
            cand_actor = cand
        if t.nominal and actor is None:
            nxt = [m for m in cand if m.i == t.j]
            if nxt and not _civilian(nxt[0]) and nxt[0] not in cand_actor:
                nxt = []
            if nxt and _civilian(nxt[0]):
                civ_object = nxt[0]  # قصف المدنيين: the genitive of an attack noun on civilians is its target
            elif nxt:
                actor = nxt[0]
            elif t.j < i1:
                actor = self._nisba_side(t, toks, t.j)
                # المناقشات التركية – الروسية، المباحثات التركية والروسية: the second adjective is the other side
                k = t.j + 2 if t.j + 1 < i1 and toks[t.j + 1].text in "-–—" else t.j + 1
                if actor is not None and t.entry.type in SYMMETRIC and k < i1 and (k == t.j + 2 or _coord(toks[k])):
                    nisba_recipient = self._nisba_side(t, toks, k)
            if actor is None:
                for k in range(t.j, i1 - 1):
                    if any(match_phrase(toks, k, p) for p in self.cues["actor_preps_phr"]):
                        after = [m for m in cand if k < m.i <= k + 3]
                        if after:
                            actor = after[0]
                        break
            if actor is None and t.entry.type == "ASSAULT":  # قصف مدفعي مكثف من قوات النظام
                for k in range(t.j, min(i1 - 1, t.j + self.cues["agent_from_window"])):
                    if k in self._trigger_at:
                        break  # … الغارات مع قصف مدفعي من قوات النظام: the agent of the next attack noun
                    if has_key(toks[k], self.cues["agent_from"]):
                        actor = next((m for m in cand if m.i == k + 1 and not _civilian(m)), None)
                        break
        if actor is None:
            right = []
            for m in cand_actor:
                if t.j <= m.i <= t.j + 4 and not self._blocked(m, toks, i0, since=t.j):
                    if any(self._break(toks[k], k) for k in range(t.j, m.i)):
                        continue
                    right.append(m)
            # SVO: a subject right before the verb (السلطات التركية منعت طائرة … روسية) makes what follows the object
            adjacent = [m for m in cand_actor if m.j == t.i and not self._blocked(m, toks, i0)]
            if right and not t.nominal and not adjacent:
                actor = right[0]
            else:
                soft = {"،", ","}
                left = [m for m in cand_actor if m.j <= t.i and t.i - m.j <= 14 and not self._blocked(m, toks, i0)
                        and not any(self._break(toks[k], k) and toks[k].text not in soft for k in range(m.j, t.i))]
                allies: list[M] = []
                for m in left:  # … وحلفائه الروس والإيرانيين: each ally coordinated after an ally is one too
                    if (m.i - 1 >= i0 and has_key(toks[m.i - 1], self.cues["ally_nouns"])) or \
                            (allies and m.i == allies[-1].j and _coord(toks[m.i])):
                        allies.append(m)
                if allies:  # النظام السوري وحلفائه الروس: the allies back the side named just before them
                    backed = next((m for m in cand_actor if m.j == allies[0].i - 1), None)
                    assoc = allies[0]
                    left = [backed] if backed is not None else [m for m in left if m not in allies] or allies
                if left:
                    # the first mention of the clause is the subject ("الرئيس التركي … أردوغان … بحث")
                    actor = left[0] if t.entry.call_cue and t.nominal else left[-1]
                    # a coordination "X و Y" before the verb: actor X, recipient Y
                    if len(left) >= 2 and left[-1].i == left[-2].j and _coord(toks[left[-1].i]):
                        actor = left[-2]
                        if t.entry.type not in ("CONSULT", "AGREE", "COOPERATE"):
                            assoc = left[-1]
                elif right:
                    actor = right[0]
            if inherit and not t.nominal and t.i - 1 > i0 and toks[t.i - 1].text in ("،", ",") and _coord(toks[t.i]):
                # "ونفت الوزارة أن …، واتهمت …": a verb coordinated after a comma with no subject after it shares
                # the subject of the verb before it
                prev = [u for u in self._sent_trigs if u.i < t.i and not u.nominal and u is not t]
                comps = self._complementizers(toks, i0, t.i)
                top = [u for u in prev if not comps or u.i < comps[0]]  # not a verb of what was said (… أن تكون استهدفت)
                if top or prev:
                    shared = self._roles((top or prev)[-1], ments, toks, i0, i1, inherit=False).actor
                    if shared is not None:
                        actor = shared
        recipient = civ_object if civ_object is not None else nisba_recipient
        content = self._content_start(t, toks, i1)  # who is named inside a call's content is not its recipient
        # nor is the genitive of another verbal noun (… القصف التركي وهجمات فصائل المعارضة: the factions attack)
        # … nor a phrase built on another trigger (القصف التركي names who shelled)
        others = self._nominal_ends - {t.j}
        heads = self._trigger_at - {t.i}
        pool = [m for m in cand if (actor is None or (m.id != actor.id and not (m.i < actor.j and m.j > actor.i)))
                and m is not assoc and (content is None or m.i < content or m.i < t.i) and m.i not in others
                and not any(m.i <= h < m.j for h in heads)]
        after_pos = max(t.j, actor.j if actor is not None else t.j)
        if actor is not None:
            coord = [m for m in pool if m.i == actor.j and _coord(toks[m.i])]
            if coord and t.entry.type in ("CONSULT", "AGREE", "COOPERATE"):
                recipient = coord[0]
            elif coord:
                assoc = coord[0]  # "النظام وحلفاؤه الروس": a co-actor, not the target
        et = t.entry.type

        comps = self.cues["complementizers"]

        def same_clause(m):
            # a mention after أن/إن belongs to what is said, not to the trigger before it
            lo, hi = (t.j, m.i) if m.i >= t.j else (m.j, t.i)
            return not any(self._break(toks[k], k) or (m.i >= t.j and has_key(toks[k], comps)) for k in range(lo, hi))

        if recipient is None and not t.nominal and actor is not None and actor.j == t.i:
            # SVO: the mention right after the verb is its object, before any cued one further on
            recipient = next((m for m in pool if m.i == t.j), None)
        if recipient is None:
            cued = [m for m in pool if m.i >= t.j and same_clause(m) and self._recipient_cue(m, toks, i0, et)]
            # a mention right after its cue (لقوات، على المدنيين) before one a word further (مواقع وصفها ناشطون)
            cued.sort(key=lambda m: not ("ل" in toks[m.i].procl or (m.i - 1 >= i0 and has_key(toks[m.i - 1], self.cues["recipient_preps"]))))
            if t.entry.call_cue and t.nominal and actor is not None:
                cued = [m for m in pool if actor.j <= m.i < t.i and self._recipient_cue(m, toks, i0, et)] + cued
            if cued:
                recipient = cued[0]
        if recipient is None and t.nominal and actor is not None and actor.i == t.j:
            obj = [m for m in pool if m.i == actor.j and "ل" in toks[m.i].procl]  # مهاجمة الفصائل لقوات النظام
            if obj:
                recipient = obj[0]
        if recipient is None and actor is not None and et in ("REQUEST", "ACCUSE", "THREATEN", "CONSULT") and actor.i >= t.j:
            obj = [m for m in pool if m.i == actor.j]  # VSO: حض الرئيس التركي نظيره الروسي
            if obj:
                recipient = obj[0]
        if recipient is None and et == "ASSAULT":
            # قتلى قوات النظام … ; وقتل 4 مدنيين في قصف: who is hit, or civilians in the attack's clause
            hit = [m for m in pool if (self._victim(m, toks, i0) or _civilian(m)) and same_clause(m)
                   and abs(m.i - t.i) <= 8]
            if hit:
                recipient = hit[0]
        if recipient is None and et in ("ASSAULT", "COERCE", "ACCUSE", "THREATEN", "CONSULT", "SANCTION"):
            after = [m for m in pool if m.i >= after_pos and m.i - after_pos <= 6 and same_clause(m)
                     and not self._blocked(m, toks, i0, since=after_pos)]
            if after:
                recipient = after[0]
        if assoc is not None and recipient is not None and recipient.id == assoc.id:
            recipient = None
        if et == "REQUEST" and t.entry.call_cue and actor is not None and recipient is None and \
                len(self._dual(actor, ments, toks)) >= 2:
            joint = True  # "أكد الطرفان ضرورة …": both sides affirm a need together, an agreement
            actor, recipient = self._dual(actor, ments, toks)[:2]
        if actor is None and recipient is not None and recipient.i - 1 >= i0 \
                and has_key(toks[recipient.i - 1], self.cues["between"]):
            other = next((m for m in pool if m.i == recipient.j and m.id != recipient.id and _coord(toks[m.i])), None)
            if other is not None:  # اشتباكات بين الفصائل وقوات النظام: the first acts, the second is acted upon
                actor, recipient = recipient, other
        side = actor if actor is not None else recipient
        if et in SYMMETRIC and side is not None:
            # a dual (الرئيسان، الوفدين الروسي والتركي) is linked to both parties on one span: they are the two sides
            both = self._dual(side, ments, toks)
            if len(both) >= 2:
                actor, recipient = both[0], both[1]
        # "مع الرئيس الفرنسي والمستشارة الألمانية": each party coordinated with the recipient is a recipient too
        corecipients: list[M] = []
        if recipient is not None and et in SPLIT_TYPES:
            end, ids = recipient.j, {recipient.id}
            for m in pool:
                if m.i != end:
                    continue
                if m.id in ids:  # a further mention of the same party (الرئيس الفرنسي إيمانويل ماكرون)
                    end = m.j
                elif _coord(toks[m.i]) and not _civilian(m):
                    corecipients.append(m)
                    ids.add(m.id)
                    end = m.j
        return Roles(actor, recipient, assoc, corecipients, joint)

    def _phrase_role(self, doc_text: str, toks: list[Tok], ph, smen: list[M]) -> M:
        """The entity mention a role phrase names (the first inside it, else the first overlapping it), or the
        phrase itself as an unnamed participant (id "", source "phrase": مسلحون يرتدون …، 18 شخصا)."""
        inside = [m for m in smen if ph.i <= m.i and m.j <= ph.j and m.source != "nisba"]
        if not inside:
            inside = [m for m in smen if m.i < ph.j and m.j > ph.i and m.source != "nisba"]
        if inside:
            return inside[0]
        a, b = toks[ph.i], toks[ph.j - 1]
        return M(ph.i, ph.j, a.start, b.end, "", as_written(toks, ph.i, a.start, doc_text[a.start:b.end]), "phrase")

    def _structured(self, g: list, t: Trig, toks: list[Tok], i0: int, i1: int, smen: list[M],
                    actor: Optional[M], recipient: Optional[M], splaces: list = ()) -> tuple:
        """Actor and recipient checked against the clause's structure (events/roles.py): a passive or victim reading
        turns a victim chosen as actor into the recipient; an agent phrase (شنتها، من قبل، على يد) names the actor;
        a role no entity filled is the noun phrase that fills it."""
        def inside(m: Optional[M], ph) -> bool:
            return m is not None and ph is not None and m.i < ph.j and m.j > ph.i

        found = None
        for x in [t] + [y for y in g if y is not t]:
            f = self.structure.find(toks, i0, i1, x.i, x.j, x.nominal, x.entry.type, lambda k: self._verb_at(toks, k),
                                    self._numbers, self._dates, self.cues["complementizers"])
            if found is None:
                found = f
            else:  # … غارة جوية نفذها الجيش: a later trigger of the event with an agent cue names who acted
                if found.actor is None or (found.actor.how not in STRONG_AGENT and f.actor is not None
                                           and f.actor.how in STRONG_AGENT):
                    found.actor = f.actor
                found.target = found.target or f.target
                found.victims = found.victims or f.victims
        text = self._doc_text

        tgt = self._phrase_role(text, toks, found.target, smen) if found.target is not None else None
        if tgt is not None and not tgt.id and t.entry.type == "PROTEST" and any(inside(p, found.target) for p in splaces):
            tgt = found.target = None  # تظاهروا على الحدود: where they protested, not against whom
        if found.target is not None and found.target.how == "genitive_object" and tgt.id and not _civilian(tgt) \
                and tgt.i == found.target.i:
            # استهداف قوات النظام المدنيين، قصف النظام: a named side in the genitive acts; what follows it is hit
            named = [m for m in smen if found.target.i <= m.i and m.j <= found.target.j and m.id and m.id != tgt.id]
            found.actor = Phrase(tgt.i, tgt.j, "genitive")
            act_first = tgt
            tgt = named[0] if named else None
            found.target = Phrase(tgt.i, tgt.j, "object") if tgt is not None else None
            if actor is None or inside(actor, found.actor):
                actor = act_first
        if found.victims is not None and found.victims is not found.target:
            vic = self._phrase_role(text, toks, found.victims, smen)
            if vic.id and (tgt is None or not tgt.id):  # قتل 33 جنديا تركيا في غارة … على مواقعهم: the side hit
                tgt, found.target = vic, found.victims
        act = self._phrase_role(text, toks, found.actor, smen) if found.actor is not None else None
        if act is not None and tgt is not None and (act.i, act.j, act.id) == (tgt.i, tgt.j, tgt.id):
            act = None if found.target.how in ("passive", "genitive_patient", "casualty") else act
            tgt = None if act is not None else tgt
        if inside(actor, found.target) and (act is None or not inside(actor, found.actor)):
            # قتل 33 جنديا تركيا: the one chosen as actor is who was hit
            actor = None
            if recipient is None or inside(recipient, found.target) or inside(recipient, found.actor):
                recipient = tgt
        if inside(recipient, found.actor) and act is not None:
            recipient = None
        if act is not None and found.actor.how == "crowd" and actor is not None and actor.id != act.id \
                and not inside(actor, found.actor) and (recipient is None or inside(recipient, found.actor)):
            recipient = actor  # الجيش … لتفريق ألف متظاهر: the protesters act; the side that faced them is the other party
        if act is not None and (actor is None or found.actor.how in STRONG_AGENT or found.actor.how == "crowd"):
            actor = act
        if tgt is not None and (actor is None or not inside(actor, found.target)) and (
                recipient is None or (t.entry.type == "PROTEST" and found.target.how in ("cue", "suppressor")
                                      and not inside(recipient, found.target))):
            recipient = tgt  # a protest's structural target (احتجاجا على X، أمام مقر X) wins over a name nearby
        if actor is not None and recipient is not None and actor.id and actor.id == recipient.id:
            recipient = None
        return actor, recipient

    # ------------------------------------------------------------------------------------------ main

    def __call__(self, doc: Document) -> Document:
        view = doc_view(doc)
        toks, idx = view.toks, view.index
        if not toks:
            return doc
        pub = doc.article.published
        aid = doc.article.id
        head_end = _headline_end(doc)
        self._doc_text = doc.text
        self._numbers = {k for n in doc.numbers if n.span is not None for k in range(*idx.covering(n.span.start, n.span.end))}
        self._dates = {k for d in doc.dates if d.span is not None for k in range(*idx.covering(d.span.start, d.span.end))}
        events: list[Event] = []
        headline: list[Event] = []
        for sent in doc.sentences:
            i0, i1 = idx.covering(sent.start, sent.end)
            if i1 <= i0 or not doc.reporting(sent.start):  # a "read also" teaser reports nothing here
                continue
            if i1 - i0 <= 3:  # a subheading ("غارات وقصف"): its events are told in the body
                continue
            trigs = self._triggers(toks, i0, i1)
            for t in trigs:  # خلال الاتصال: a definite verbal noun referring back to a coded event
                if (t.nominal and t.entry.type == "CONSULT" and toks[t.i].prefixed and t.j - t.i == 1
                        and t.i > i0 and has_key(toks[t.i - 1], self.cues["anaphoric_preps"])
                        and any(e.type == "CONSULT" for e in events + headline)):
                    t.dropped = True
                # على هامش قمة …: the meeting is the occasion of what the sentence tells, not an event of its own
                if t.nominal and t.entry.type == "CONSULT" and t.i > i0 and has_key(toks[t.i - 1], self.cues["occasion_cues"]):
                    t.dropped = True
            # وقتل … في قصف روسي: beside an attack word the verb telling who died is that attack's outcome
            # (roles.py reads its victims), not a second trigger
            told = {t.entry.type for t in trigs if not t.dropped and not t.entry.victim_verb}
            trigs = [t for t in trigs if not t.dropped and not (t.entry.victim_verb and t.entry.type in told)]
            if not trigs:
                continue
            self._sent_trigs = list(trigs)  # with those scope drops (a denial's verb still has a subject)
            trigs = self._scope(trigs, toks, i0, i1)
            if not trigs:
                continue
            self._nominal_ends = {x.j for x in trigs if x.nominal}  # where a verbal noun's genitive would start
            self._trigger_at = {x.i for x in trigs}
            self._name_quotes = self._short_quotes(toks, i0, i1)
            self._contents = [(c, self._content_end(toks, c, i1)) for c in (self._content_start(x, toks, i1) for x in trigs)
                              if c is not None]
            smen = view.mentions_in(i0, i1)
            smen = sorted(smen + self.fallback.mentions(toks, i0, i1, smen), key=lambda m: m.i)
            splaces = view.places_in(i0, i1)
            sdates = [d for d in doc.dates if d.span is not None and sent.start <= d.span.start < sent.end]
            clauses = self._clauses(toks, i0, i1)
            cid, rel = clauses
            part = self._parts(toks, i0, i1)
            groups: list[list[Trig]] = []
            for t in trigs:
                t.mode = self._mode(t, toks, i0, i1)
                for g in groups:
                    # one event per type per sentence part (كما … adds another); a relative clause (… التي قتلت
                    # جنوده غارة) tells its own unless its noun is definite (it refers back)
                    same_part = part[g[0].i - i0] == part[t.i - i0]
                    if g[0].entry.type == t.entry.type and (g[0].mode is None or t.mode is None or g[0].mode == t.mode) \
                            and same_part and (cid[g[0].i - i0] == cid[t.i - i0] or self._definite(t, toks)
                                               or (cid[g[0].i - i0] not in rel and cid[t.i - i0] not in rel)):
                        g.append(t)
                        if g[0].mode is None:
                            g[0].mode = t.mode
                        break
                else:
                    groups.append([t])
            counts: dict = {}
            self._trigger_clauses = {cid[t.i - i0] for t in trigs}
            sent_events = [self._event(doc, aid, sent, g, toks, i0, i1, smen, splaces, sdates, pub, counts, idx, clauses)
                           for g in groups]
            _share_roles(sent_events)
            _pronoun_objects(sent_events)
            sent_events = [x for ev in sent_events for x in _split_dyads(doc, ev)]
            for ev in sent_events:
                (headline if sent.start < head_end else events).append(ev)
        body_types = {e.type for e in events}
        for ev in headline:
            if ev.type not in body_types:
                ev.attrs["headline"] = True
                ev.confidence = round(ev.confidence * 0.8, 3)
                events.append(ev)
        events.sort(key=lambda e: (e.evidence.start if e.evidence else 0))
        doc.events.extend(consolidate(events, doc.text, [x.start for x in doc.sentences]))
        if self.use_classifier and doc.events:
            from .classify import apply

            apply(doc)
        # a material event whose sentence names no place happened where the report tells of (ACLED codes it there)
        inherit_places(doc, [e for e in doc.events if e.type in MATERIAL and not e.places and e.attrs.get("definite")])
        return doc

    def _event(self, doc, aid, sent, g, toks, i0, i1, smen, splaces, sdates, pub, counts, idx, clauses) -> Event:
        t = max(g, key=lambda x: (x.entry.conf, -x.i))
        first = min(g, key=lambda x: x.i)
        etype = t.entry.type
        roles, t_roles = Roles(), first
        for cand in [first] + [x for x in g if x is not first]:
            r = self._roles(cand, smen, toks, i0, i1)
            if r.actor is not None or r.recipient is not None:
                roles, t_roles = r, cand
                break
        actor, recipient, assoc, corecipients, joint = \
            roles.actor, roles.recipient, roles.assoc, roles.corecipients, roles.joint
        if joint:
            etype = "AGREE"
        if t_roles.entry.accused_subject:
            # "مشددا على أن تركيا لم تف بالتزاماتها": who failed is accused by who says so
            comp = self._complementizers(toks, i0, t_roles.i)
            speaker = self._speaker_before(comp[-1], smen, toks, i0) if comp else None
            accused = actor if actor is not None and (speaker is None or actor.id != speaker.id) else None
            actor, recipient = speaker, accused
        if etype in STRUCTURED:
            actor, recipient = self._structured(g, t_roles, toks, i0, i1, smen, actor, recipient, splaces)
        if actor is None and not t_roles.entry.accused_subject:
            actor = self._speaker_as_actor(t_roles, smen, toks, i0)
        # one plainly told trigger makes the event told (خرجت مظاهرات … وطالب المتظاهرون … ولم تسجل أعمال عنف
        # أثناء المظاهرات: the later words are inside a demand and a negation, the march is not)
        plain = [x for x in g if x.modality == "asserted" and not x.negated]
        head = plain[0] if plain else t_roles  # the trigger whose words around it say how the event is told
        modality = "asserted" if plain else next((x.modality for x in g if x.modality != "asserted"), "asserted")
        negated = (not plain and any(x.negated for x in g)) or self._negated(head, toks, i0)
        if modality == "asserted" and any(self._future(x, toks, i0, i1) for x in g):
            modality = "planned"
        elif modality == "called_for" and any(self._future(x, toks, i0, i1) for x in g):
            modality = "planned"
        if negated and modality == "asserted":
            modality = "denied" if any(has_key(toks[k], self.cues["deny"]) for k in range(i0, t.i)) else "asserted"
        attempted = any(has_key(toks[k], self.cues["attempt"]) for k in range(max(i0, first.i - 3), first.i))
        # places: those of the event's own clauses, else of clauses that tell no event (… في ريف إدلب)
        named_a = actor if actor is not None and actor.id else None  # a place inside an unnamed phrase is where it was
        named_r = recipient if recipient is not None and recipient.id else None
        pl = [p for p in splaces if not (named_a and named_a.i <= p.i < named_a.j) and not (named_r and named_r.i <= p.i < named_r.j)
              and self._event_place(p, toks, i0)]
        cid, rel = clauses
        mine = {cid[x.i - i0] for x in g}
        # … and a relative clause (قوات النظام شمالي حماة والتي بدأت تقدمها) shares the places of what it describes
        pl = [p for p in pl if cid[p.i - i0] in mine] or \
            [p for p in pl if cid[p.i - i0] + 1 in mine & rel] or \
            [p for p in pl if cid[p.i - i0] not in getattr(self, "_trigger_clauses", set())]
        # where it happened: not where an attack came from nor where a withdrawal went; the trigger's own place first
        pl = event_places(etype, pl, toks, i0, (first.i, first.j), getattr(self, "_trigger_at", set()))
        fine = [p for p in pl if getattr(p.place, "kind", "") not in COARSE_KINDS and getattr(p.place, "precision", 3) <= 2]
        chosen = fine if fine else pl
        place_ids: list[str] = []
        for p in chosen:
            if p.place.id not in place_ids:
                place_ids.append(p.place.id)
        material = etype in MATERIAL
        if material and not fine:  # only an area named: the article's village inside it (ACLED: most specific)
            place_ids = refine_places(doc, place_ids)
        # date
        date = self._pick_date(t_roles, toks, i0, i1, sdates, idx, clauses) if sdates else None
        if date is None and pub is not None:
            date = DateRef(value=pub.value, precision=pub.precision, span=None, source="publication",
                           attrs={"published_source": pub.source})
        if modality == "asserted" and not negated:
            modality = self._scope_frame(head, toks, i0) or modality
        if modality == "asserted" and not negated and (self._background(date, pub) or self._context_frame(toks, i0, i1)):
            modality = "background"
        if modality == "asserted" and attempted and etype != "ASSAULT":
            modality = "attempted"  # يحاول التقدم: an attack that fails is still an attack; a failed advance is not a seizure
        aggregate = any(has_key(toks[k], self.cues["aggregate_cues"]) for k in range(i0, i1)) and any(
            d.end is not None or d.attrs.get("since") for d in sdates)
        k = counts.get(etype, 0)
        counts[etype] = k + 1
        spans = {"trigger": doc.span(toks[t_roles.i].start, toks[t_roles.j - 1].end)}
        if actor is not None:
            spans["actor"] = doc.span(actor.start, actor.end)
        if recipient is not None:
            spans["recipient"] = doc.span(recipient.start, recipient.end)
        for n, p in enumerate(chosen):
            spans["place" if n == 0 else f"place:{n}"] = doc.span(p.start, p.end)
        conf = t.entry.conf * (0.6 + 0.2 * bool(actor is not None and actor.id) + 0.1 * bool(place_ids or not material) + 0.1 * (date is not None))
        if modality != "asserted" or negated:
            conf *= 0.9
        if sent.text and len(g) > 1:
            conf = min(1.0, conf + 0.05)
        attrs = {"trigger": toks[t_roles.i].text, "trigger_id": t.entry.id, "form": t.entry.form,
                 "triggers": [" ".join(x.text for x in toks[y.i:y.j]) for y in g]}
        for role, m in (("actor", actor), ("recipient", recipient)):
            if m is not None and m.id:
                attrs[f"{role}_source"] = m.source
            elif m is not None:
                attrs[f"{role}_phrase"] = True  # an unnamed participant: its span and text, no entity id
        if all(x.entry.victim_verb for x in g):
            attrs["victim_only"] = True  # only a verb telling who died (قتلوا): may tell again of an attack told before
        if attempted:
            attrs["attempted"] = True
        if self._definite(t_roles, toks):
            attrs["definite"] = True  # القصف: may refer back to an attack already told (see consolidate)
        if assoc is not None and (actor is None or assoc.id != actor.id):
            attrs["assoc_actor"] = assoc.id
            attrs["assoc_actor_text"] = assoc.text
        if aggregate:
            attrs["aggregate"] = True
        if actor is None and recipient is None and any(has_key(toks[k], self.cues["dyad_cues"]) for k in range(i0, i1)):
            attrs["dyad"] = True  # "الرئيسان": the parties of the call or meeting just told (see consolidate)
        if t.embedded:
            attrs["content"] = sorted({e.entry.type for e in t.embedded})
        if corecipients:
            attrs["co_recipients"] = [{"id": m.id, "text": m.text, "start": m.start, "end": m.end} for m in corecipients]
        if toks[t_roles.i].encl in OBJECT_PRONOUNS and recipient is None and not t_roles.nominal:  # not دورية
            attrs["object_pronoun"] = toks[t_roles.i].encl  # ودعاهما: its recipients are named before (see _pronoun_objects)
        if not material and place_ids:
            attrs["topic_places"] = place_ids
            spans = {k2: v for k2, v in spans.items() if not k2.startswith("place")}
            place_ids = []
        context = ["military"] if etype in ("ASSAULT", "MOBILIZE") or t.entry.form in ("territory", "advance", "ceasefire") else []
        return Event(
            id=event_id(aid, sent.start, etype, k),
            type=etype,
            mode=None if joint else (t.mode if t.mode is not None else next((x.mode for x in g if x.mode), None)),
            context=context,
            actor=(actor.id or None) if actor else None,
            recipient=(recipient.id or None) if recipient else None,
            actor_text=actor.text if actor else None,
            recipient_text=recipient.text if recipient else None,
            places=place_ids,
            date=date,
            negated=negated,
            modality=modality,
            evidence=sent,
            spans=spans,
            confidence=round(min(conf, 1.0), 3),
            article_id=aid,
            attrs=attrs,
        )
