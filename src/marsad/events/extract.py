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
5. Places (material events only; verbal events keep them as topic places), date (nearest DateRef of the
   sentence, else the publication date with source "publication"), negation, modality, spans, confidence.
6. Article level (``consolidate``): a later mention of an event already coded (same type, day and
   participants: "وناقش الرئيسان …" after the call) becomes a further mention of it, not a new event; a
   recipient that is the actor's own country is dropped; what carries no one who acts (a verbal event with
   no actor nor recipient, an actorless event inside a quotation, a toll summed over a period that the
   figures layer records) is not coded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Optional

from ..model import DateRef, Document, Event, Span
from .lexicon import (
    Tok,
    TokIndex,
    actor_fallback,
    event_cues,
    has_key,
    match_phrase,
    tokens_of,
    trigger_lexicon,
)

MATERIAL = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE", "RETREAT", "AID", "SANCTION", "COOPERATE"}
EMBED_AS_EVENT = {"PROTEST", "MOBILIZE"}  # a call to protest is coded as a (planned) protest
COARSE_KINDS = {"governorate", "country", "region", "district", "subdistrict"}
SENT_BREAK = set(".!؟?\n")


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
    if b.actor is None or b.actor not in (a.actor, a.recipient):
        return False
    if b.recipient is not None and b.recipient not in (a.actor, a.recipient):
        return False
    if a.type in MATERIAL:
        return bool(b.places) and set(b.places) <= set(a.places)
    return True


def consolidate(events: list, text: str) -> list:
    """Article-level clean-up of sentence events (step 6 of the module doc); events in text order."""
    out: list[Event] = []
    for ev in events:
        if ev.recipient and ev.recipient == _country(ev.actor) and ev.recipient != ev.actor:
            ev.recipient = ev.recipient_text = None  # an actor does not act upon its own country
            ev.spans.pop("recipient", None)
        if ev.attrs.get("dyad") and ev.type in DIPLOMATIC:
            told = next((e for e in reversed(out) if e.type in DIPLOMATIC and e.actor and e.recipient), None)
            if told is not None:
                ev.actor, ev.actor_text, ev.recipient, ev.recipient_text = \
                    told.actor, told.actor_text, told.recipient, told.recipient_text
                ev.attrs["roles_from"] = told.id
        if ev.actor is None and ev.recipient is None and ev.type not in MATERIAL:
            continue
        if ev.actor is None and ev.attrs.get("aggregate") and not ev.places:
            continue
        trig = ev.spans.get("trigger")
        if ev.actor is None and trig is not None and ev.evidence is not None and _quoted(text, ev.evidence, trig.start):
            continue
        first = next((e for e in out if _same_event(e, ev)), None)
        if first is not None:
            first.attrs.setdefault("mentions", []).append(
                {"start": trig.start, "end": trig.end, "text": trig.text} if trig else {})
            continue
        out.append(ev)
    return out


def _future_verb(tok: Tok) -> bool:
    """سيستعرض، ستكون: a future prefix س on a present-tense verb the word list knows without it."""
    n = tok.keys[-1] if tok.keys else ""
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
class M:
    """A mention usable as actor/recipient (entity or fallback phrase) in token coordinates."""

    i: int
    j: int
    start: int
    end: int
    id: str
    text: str
    source: str  # entity | fallback | nisba


@dataclass
class P:
    i: int
    j: int
    start: int
    end: int
    place: object


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


def _sentences(doc: Document) -> list[Span]:
    if doc.sentences:
        return doc.sentences
    text, out, s = doc.text, [], 0
    for k, ch in enumerate(text):
        if ch in SENT_BREAK:
            if text[s:k + 1].strip():
                out.append(doc.span(s, k + 1))
            s = k + 1
    if text[s:].strip():
        out.append(doc.span(s, len(text)))
    return out


def _entity_mentions(doc: Document, idx: TokIndex) -> list[M]:
    seen, out = set(), []

    def add(span, eid, text):
        if span is None or eid is None:
            return
        key = (span.start, span.end, eid)
        if key in seen:
            return
        seen.add(key)
        i, j = idx.covering(span.start, span.end)
        if j > i:
            out.append(M(i, j, span.start, span.end, eid, text or span.text, "entity"))

    for e in doc.entities:
        for m in e.mentions:
            add(m.span, e.id, m.span.text)
    for m in doc.mentions:
        if m.entity_id and m.label not in ("LOC", "GPE"):
            add(m.span, m.entity_id, m.span.text)
    out.sort(key=lambda m: (m.i, -(m.j - m.i)))
    return out


def _place_mentions(doc: Document, idx: TokIndex) -> list[P]:
    out = []
    for p in doc.places:
        for m in p.mentions:
            i, j = idx.covering(m.span.start, m.span.end)
            if j > i:
                out.append(P(i, j, m.span.start, m.span.end, p))
    out.sort(key=lambda p: p.i)
    return out


def _headline_end(doc: Document) -> int:
    """Clean-text offset where the body starts when the article has a title line (headline events are
    duplicates of body events)."""
    a = doc.article
    title = a.title
    if not title:
        try:
            from ..readers.text import split_header

            _, span = split_header(doc.text)
            title = doc.text[span[0]:span[1]] if span else None
        except Exception:  # pragma: no cover - reader layer missing
            title = None
    if not title:
        return -1
    pos = doc.text.find(title.strip())
    return pos + len(title.strip()) if 0 <= pos < 400 else -1


class EventExtractor:
    def __init__(self):
        self.lex = trigger_lexicon()
        self.cues = event_cues()
        self.fb_phrases, self.nisba, self.means = actor_fallback()

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
        breaks = c["clause_breaks"]
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
            for u in trigs:
                if u is t or u.dropped or u.i < start:
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
        w = self.cues["future_window"]
        return any(has_key(toks[k], self.cues["future"]) for k in range(max(i0, t.i - 2), min(i1, t.j + w)))

    # ------------------------------------------------------------------------------------------ roles

    def _fallback_mentions(self, toks: list[Tok], i0: int, i1: int, taken: list[M]) -> list[M]:
        out: list[M] = []
        covered = set()
        for m in taken:
            covered.update(range(m.i, m.j))
        k = i0
        while k < i1:
            hit = None
            if k not in covered:
                for kk in toks[k].keys:
                    for phrase, code in self.fb_phrases.get(kk, ()):
                        if match_phrase(toks, k, phrase) and k + len(phrase) <= i1:
                            if hit is None or len(phrase) > hit[0]:
                                hit = (len(phrase), code)
            if hit is None and k not in covered:
                for phrase in self.means:  # الطائرات الروسية: a force noun + a nisba adjective
                    n = len(phrase)
                    if k + n < i1 and match_phrase(toks, k, phrase):
                        code = next((self.nisba[x] for x in toks[k + n].keys if x in self.nisba), None)
                        if code:
                            hit = (n + 1, code)
                            break
            if hit is not None and not any(x in covered for x in range(k, k + hit[0])):
                n, code = hit
                out.append(M(k, k + n, toks[k].start, toks[k + n - 1].end, code,
                             " ".join(t.text for t in toks[k:k + n]), "fallback"))
                k += n
            else:
                k += 1
        return out

    def _speaker_as_actor(self, t: Trig, ments: list, toks: list[Tok], i0: int):
        """قال الرئيس إنه سيلتقي …: the speaker, pointed back to by the pronoun on أن/إن, acts."""
        comp = [k for k in range(i0, t.i) if has_key(toks[k], self.cues["complementizers"])]
        if not comp or not has_key(toks[comp[-1]], self.cues["self_complementizers"]):
            return None
        if any(m for m in ments if comp[-1] < m.i < t.i):
            return None  # a subject of its own between أنه and the verb
        before = [m for m in ments if m.j <= comp[-1]]
        return before[-1] if before else None

    def _excluded(self, ments: list[M], toks: list[Tok], i0: int, trig_i: int) -> set:
        """Indices of mentions that are speakers (before a complementizer preceding the trigger) or reporters."""
        c = self.cues
        comp = [k for k in range(i0, trig_i) if has_key(toks[k], c["complementizers"])]
        last_comp = comp[-1] if comp else -1
        out = set()
        for n, m in enumerate(ments):
            if m.j <= last_comp:
                out.add(n)
            elif any(has_key(toks[k], c["reporter_cues"]) for k in range(max(i0, m.i - 2), m.i)):
                out.add(n)
        return out

    def _blocked(self, m: M, toks: list[Tok], i0: int, since: Optional[int] = None) -> bool:
        """A mention introduced by a preposition (right before it, or anywhere after ``since``) is not a subject."""
        if any(ch in toks[m.i].procl for ch in "بلك"):
            return True
        lo = m.i - 1 if since is None else since
        return any(has_key(toks[k], self.cues["blocking_preps"]) for k in range(max(i0, lo), m.i))

    def _recipient_cue(self, m: M, toks: list[Tok], i0: int, etype: str = "") -> bool:
        c = self.cues["recipient_preps"]
        if "ل" in toks[m.i].procl:
            # لـ marks an attack's target only after a target noun (مواقع لقوات النظام)
            return etype != "ASSAULT" or (m.i - 1 >= i0 and has_key(toks[m.i - 1], self.cues["target_nouns"]))
        return any(has_key(toks[k], c) for k in range(max(i0, m.i - 2), m.i))

    def _roles(self, t: Trig, ments: list[M], toks: list[Tok], i0: int, i1: int):
        excl = self._excluded(ments, toks, i0, t.i)
        civ_object = None
        assoc = None
        cand = [m for n, m in enumerate(ments) if n not in excl and not (m.i < t.j and m.j > t.i)]
        actor = None
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
                for kk in toks[t.j].keys:
                    code = self.nisba.get(kk)
                    if code:
                        tk = toks[t.j]
                        actor = M(t.j, t.j + 1, tk.start, tk.end, code, tk.text, "nisba")
                        break
            if actor is None:
                for k in range(t.j, i1 - 1):
                    if any(match_phrase(toks, k, p) for p in self.cues["actor_preps_phr"]):
                        after = [m for m in cand if k < m.i <= k + 3]
                        if after:
                            actor = after[0]
                        break
        if actor is None:
            breaks = self.cues["clause_breaks"]
            right = []
            for m in cand_actor:
                if t.j <= m.i <= t.j + 4 and not self._blocked(m, toks, i0, since=t.j):
                    if any(has_key(toks[k], breaks) for k in range(t.j, m.i)):
                        continue
                    right.append(m)
            if right and not t.nominal:
                actor = right[0]
            else:
                soft = {"،", ","}
                left = [m for m in cand_actor if m.j <= t.i and t.i - m.j <= 14 and not self._blocked(m, toks, i0)
                        and not any(has_key(toks[k], breaks) and toks[k].text not in soft for k in range(m.j, t.i))]
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
        recipient = civ_object
        pool = [m for m in cand if (actor is None or (m.id != actor.id and not (m.i < actor.j and m.j > actor.i)))
                and m is not assoc]
        after_pos = max(t.j, actor.j if actor is not None else t.j)
        if actor is not None:
            coord = [m for m in pool if m.i == actor.j and _coord(toks[m.i])]
            if coord and t.entry.type in ("CONSULT", "AGREE", "COOPERATE"):
                recipient = coord[0]
            elif coord:
                assoc = coord[0]  # "النظام وحلفاؤه الروس": a co-actor, not the target
        breaks = self.cues["clause_breaks"]
        et = t.entry.type

        def same_clause(m):
            lo, hi = (t.j, m.i) if m.i >= t.j else (m.j, t.i)
            return not any(has_key(toks[k], breaks) for k in range(lo, hi))

        if recipient is None:
            cued = [m for m in pool if m.i >= t.j and same_clause(m) and self._recipient_cue(m, toks, i0, et)]
            if t.entry.call_cue and t.nominal and actor is not None:
                cued = [m for m in pool if actor.j <= m.i < t.i and self._recipient_cue(m, toks, i0, et)] + cued
            if cued:
                recipient = cued[0]
        if recipient is None and actor is not None and et in ("REQUEST", "ACCUSE", "THREATEN", "CONSULT") and actor.i >= t.j:
            obj = [m for m in pool if m.i == actor.j]  # VSO: حض الرئيس التركي نظيره الروسي
            if obj:
                recipient = obj[0]
        if recipient is None and et in ("ASSAULT", "COERCE", "ACCUSE", "THREATEN", "CONSULT", "SANCTION"):
            after = [m for m in pool if m.i >= after_pos and m.i - after_pos <= 6 and same_clause(m)
                     and not self._blocked(m, toks, i0, since=after_pos)]
            if after:
                recipient = after[0]
        if assoc is not None and recipient is not None and recipient.id == assoc.id:
            recipient = None
        self._last_assoc = assoc
        return actor, recipient

    # ------------------------------------------------------------------------------------------ main

    def __call__(self, doc: Document) -> Document:
        toks = tokens_of(doc)
        if not toks:
            return doc
        idx = TokIndex(toks)
        ments = _entity_mentions(doc, idx)
        places = _place_mentions(doc, idx)
        pub = doc.article.published
        aid = doc.article.id
        head_end = _headline_end(doc)
        events: list[Event] = []
        headline: list[Event] = []
        for sent in _sentences(doc):
            i0, i1 = idx.covering(sent.start, sent.end)
            if i1 <= i0:
                continue
            if i1 - i0 <= 3:  # a subheading ("غارات وقصف"): its events are told in the body
                continue
            trigs = self._triggers(toks, i0, i1)
            for t in trigs:  # خلال الاتصال: a definite verbal noun referring back to a coded event
                if (t.nominal and t.entry.type == "CONSULT" and toks[t.i].prefixed and t.j - t.i == 1
                        and t.i > i0 and has_key(toks[t.i - 1], self.cues["anaphoric_preps"])
                        and any(e.type == "CONSULT" for e in events + headline)):
                    t.dropped = True
            trigs = [t for t in trigs if not t.dropped]
            if not trigs:
                continue
            trigs = self._scope(trigs, toks, i0, i1)
            if not trigs:
                continue
            smen = [m for m in ments if i0 <= m.i and m.j <= i1]
            smen = sorted(smen + self._fallback_mentions(toks, i0, i1, smen), key=lambda m: m.i)
            splaces = [p for p in places if i0 <= p.i and p.j <= i1]
            sdates = [d for d in doc.dates if d.span is not None and sent.start <= d.span.start < sent.end]
            groups: list[list[Trig]] = []
            for t in trigs:
                t.mode = self._mode(t, toks, i0, i1)
                for g in groups:
                    if g[0].entry.type == t.entry.type and (g[0].mode is None or t.mode is None or g[0].mode == t.mode):
                        g.append(t)
                        if g[0].mode is None:
                            g[0].mode = t.mode
                        break
                else:
                    groups.append([t])
            counts: dict = {}
            sent_events = [self._event(doc, aid, sent, g, toks, i0, i1, smen, splaces, sdates, pub, counts) for g in groups]
            _share_roles(sent_events)
            for ev in sent_events:
                (headline if sent.start < head_end else events).append(ev)
        body_types = {e.type for e in events}
        for ev in headline:
            if ev.type not in body_types:
                ev.attrs["headline"] = True
                ev.confidence = round(ev.confidence * 0.8, 3)
                events.append(ev)
        events.sort(key=lambda e: (e.evidence.start if e.evidence else 0))
        doc.events.extend(consolidate(events, doc.text))
        return doc

    def _event(self, doc, aid, sent, g, toks, i0, i1, smen, splaces, sdates, pub, counts) -> Event:
        t = max(g, key=lambda x: (x.entry.conf, -x.i))
        first = min(g, key=lambda x: x.i)
        etype = t.entry.type
        actor = recipient = None
        for cand in [first] + [x for x in g if x is not first]:
            a, r = self._roles(cand, smen, toks, i0, i1)
            if a is not None or r is not None:
                actor, recipient = a, r
                t_roles = cand
                break
        else:
            t_roles = first
        if actor is None:
            actor = self._speaker_as_actor(t_roles, smen, toks, i0)
        assoc = getattr(self, "_last_assoc", None) if (actor is not None or recipient is not None) else None
        modality = next((x.modality for x in g if x.modality != "asserted"), "asserted")
        negated = any(x.negated for x in g) or self._negated(t_roles, toks, i0)
        if modality == "asserted" and any(self._future(x, toks, i0, i1) for x in g):
            modality = "planned"
        elif modality == "called_for" and any(self._future(x, toks, i0, i1) for x in g):
            modality = "planned"
        if negated and modality == "asserted":
            modality = "denied" if any(has_key(toks[k], self.cues["deny"]) for k in range(i0, t.i)) else "asserted"
        attempted = any(has_key(toks[k], self.cues["attempt"]) for k in range(max(i0, first.i - 3), first.i))
        # places
        pl = [p for p in splaces if not (actor and actor.i <= p.i < actor.j) and not (recipient and recipient.i <= p.i < recipient.j)]
        fine = [p for p in pl if getattr(p.place, "kind", "") not in COARSE_KINDS and getattr(p.place, "precision", 3) <= 2]
        chosen = fine if fine else pl
        place_ids: list[str] = []
        for p in chosen:
            if p.place.id not in place_ids:
                place_ids.append(p.place.id)
        material = etype in MATERIAL
        # date
        date = None
        if sdates:
            tpos = toks[t_roles.i].start
            d = min(sdates, key=lambda d: abs(d.span.start - tpos))
            date = d
        elif pub is not None:
            date = DateRef(value=pub.value, precision=pub.precision, span=None, source="publication",
                           attrs={"published_source": pub.source})
        aggregate = any(has_key(toks[k], self.cues["aggregate_cues"]) for k in range(i0, i1)) and date is not None and (
            date.end is not None or date.attrs.get("since"))
        k = counts.get(etype, 0)
        counts[etype] = k + 1
        spans = {"trigger": doc.span(toks[t_roles.i].start, toks[t_roles.j - 1].end)}
        if actor is not None:
            spans["actor"] = doc.span(actor.start, actor.end)
        if recipient is not None:
            spans["recipient"] = doc.span(recipient.start, recipient.end)
        for n, p in enumerate(chosen):
            spans["place" if n == 0 else f"place:{n}"] = doc.span(p.start, p.end)
        conf = t.entry.conf * (0.6 + 0.2 * (actor is not None) + 0.1 * bool(place_ids or not material) + 0.1 * (date is not None))
        if modality != "asserted" or negated:
            conf *= 0.9
        if sent.text and len(g) > 1:
            conf = min(1.0, conf + 0.05)
        attrs = {"trigger": toks[t_roles.i].text, "trigger_id": t.entry.id, "form": t.entry.form,
                 "triggers": [" ".join(x.text for x in toks[y.i:y.j]) for y in g]}
        if actor is not None:
            attrs["actor_source"] = actor.source
        if recipient is not None:
            attrs["recipient_source"] = recipient.source
        if attempted:
            attrs["attempted"] = True
        if assoc is not None and (actor is None or assoc.id != actor.id):
            attrs["assoc_actor"] = assoc.id
            attrs["assoc_actor_text"] = assoc.text
        if aggregate:
            attrs["aggregate"] = True
        if actor is None and recipient is None and any(has_key(toks[k], self.cues["dyad_cues"]) for k in range(i0, i1)):
            attrs["dyad"] = True  # "الرئيسان": the parties of the call or meeting just told (see consolidate)
        if t.embedded:
            attrs["content"] = sorted({e.entry.type for e in t.embedded})
        if not material and place_ids:
            attrs["topic_places"] = place_ids
            spans = {k2: v for k2, v in spans.items() if not k2.startswith("place")}
            place_ids = []
        context = ["military"] if etype in ("ASSAULT", "MOBILIZE") or t.entry.form in ("territory", "advance", "ceasefire") else []
        return Event(
            id=event_id(aid, sent.start, etype, k),
            type=etype,
            mode=t.mode if t.mode is not None else next((x.mode for x in g if x.mode), None),
            context=context,
            actor=actor.id if actor else None,
            recipient=recipient.id if recipient else None,
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
