"""Who acts and who is acted upon, read from the structure of the clause around a trigger (data/events/roles.json).

The events stage (:mod:`.extract`) chooses roles among the *entity mentions* of a sentence; many actors and most
targets of news reports are no named entity (مسلحون، انتحاري، 18 شخصا، دورية للشرطة). This module finds the
*noun phrase* that fills each role from the words around the trigger, so that the stage can take the entity
mention inside it, or the phrase itself when no entity is named:

- agent phrases after the trigger: هجوم شنه مسلحون، التي نفذتها خلية، من قبل / على يد / برصاص X → actor X;
- passive and victim readings: قتل 18 شخصا، أصيب ثلاثة من عناصر، اغتيل فلان (no subject before the verb, a count
  or a noun after it), مقتل X، أسفر عن إصابة X → target X; تعرضت قافلة لهجوم، نجا فلان من محاولة اغتيال → the
  subject of the exposure verb is the target;
- a verb trigger: its subject before it in the clause (SVO; the antecedent of الذي/التي before it) or right after
  it (VSO) acts, the noun phrase after the verb (or after the subject) is its object;
- a verbal-noun trigger: its genitive acts (هجوم المسلحين) unless the noun is one whose genitive is acted upon
  (اغتيال فلان، خطف أربعة أميركيين); a support verb before it (شن، نفذ، نظم) has the actor as subject;
  على / ضد / بحق / استهدف introduce the target;
- a protest's actor is the crowd or the protesters the sentence names (آلاف المتظاهرين، عشرات النشطاء).

A noun phrase is read without a parser: it starts at a word that is no particle, preposition, time word nor
verb, and runs over what may continue it (a definite head takes only definite words, its adjectives; an
indefinite head or a number takes its genitive or counted noun), at most ``np_max`` words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

from ..language.forms import ARTICLE, past_forms
from ..view import Tok
from .lexicon import EVENTS_DATA, has_key, key, key_set, load_json, phrase_keys

PREP_CLITICS = ("ب", "ل", "ك")
OBJECT_PRONOUNS = ("ه", "ها", "هما", "هم", "هن")


@dataclass
class Phrase:
    """A role's noun phrase, tokens [i, j), and the cue that found it."""

    i: int
    j: int
    how: str


@dataclass
class Found:
    actor: Optional[Phrase] = None
    target: Optional[Phrase] = None
    victims: Optional[Phrase] = None  # who was hit, told around an attack (قتل 33 جنديا في غارة …)


def _definite(tok: Tok) -> bool:
    """The article, or an attached pronoun (جنوده): the word takes no genitive after it."""
    # (a final ة read as the pronoun ه by the clitic splitter, دورية → دوري + ه, is no pronoun)
    return bool(tok.encl and not tok.text.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652").endswith("ة")) or _article(tok)


def _article(tok: Tok) -> bool:
    return (bool(tok.keys) and tok.keys[0].startswith(ARTICLE)) or (tok.base or "").startswith(ARTICLE)


def _prep(tok: Tok) -> bool:
    return any(c in tok.procl for c in PREP_CLITICS)


def _inflected(words) -> frozenset:
    """Keys of listed past-tense verbs and their endings (language.forms.past_forms)."""
    return frozenset(f for w in words for f in past_forms(key(w)))


class RoleStructure:
    """The cues of data/events/roles.json, compiled once; ``find`` reads one trigger's roles."""

    def __init__(self, adjectives: frozenset = frozenset()):
        d = load_json(EVENTS_DATA / "roles.json")
        self.adjectives = frozenset(adjectives)  # nisba adjectives that name a side (روسي، التركي): not a genitive
        self.np_max = int(d.get("np_max", 4))
        self.stops = key_set(d["np_stops"])
        self.breaks = frozenset(d["np_breaks"])
        self.openers = key_set(d["np_openers"])
        self.time = key_set(d["time_words"])
        self.time_units = key_set(d["time_units"])
        self.partitive = key_set(d["partitive"])
        self.agent_phrases = phrase_keys(d["agent_phrases"])
        self.agent_verbs = key_set(d["agent_verbs"])
        self.agent_verb_prep = {key(k): key(v) for k, v in d.get("agent_verbs_prep", {}).items()}
        self.support = key_set(d["support_verbs"])
        self.support_prep = key_set(d["support_verbs_prep"])
        self.suppression = key_set(d["suppression_verbs"])
        self.against = key_set(["على", "ضد"])
        self.exposure = key_set(d["exposure_verbs"])
        self.victim_verbs = _inflected(d["victim_verbs"])
        self.intransitive = _inflected(d["intransitive_victim_verbs"])
        self.casualty = key_set(d["casualty_nouns"])
        self.target_cues = key_set(d["target_cues"])
        self.patient_nouns = key_set(d["patient_nouns"])
        self.object_nouns = key_set(d["object_nouns"])
        self.adjectives = self.adjectives | key_set(d["adjectives"])
        self.protest_targets = key_set(d["protest_target_cues"]) | key_set(d["protest_addressee_cues"])
        self.slogans = key_set(d.get("protest_slogan_cues", []))
        self.cue_preps = key_set(d["protest_cue_preps"])
        self.demonstratives = key_set(d["demonstratives"])
        self.confront = {key(k): key(v) if v else "" for k, v in d["protest_confront_verbs"].items()}
        self.openers_clause = key_set(d["clause_openers"])
        self.others = key_set(d["others"])
        self.armed = key_set(d["armed_people"])
        self.relatives = key_set(d["relative_pronouns"])
        self.agent_nouns = key_set(d["agent_nouns"])
        self.devices = key_set(d["devices"])
        self.crowd = key_set(d["crowd_nouns"])
        self.protesters = key_set(d["protester_nouns"])
        self.core_protesters = key_set(d["protester_core"])
        self.preps = key_set(d["prepositions"])
        self.verbs = self.agent_verbs | self.support | self.exposure | self.victim_verbs | key_set(d["other_verbs"])

    # ------------------------------------------------------------------------------------------ words

    def _is_break(self, tok: Tok) -> bool:
        return tok.text in self.breaks

    def _verb(self, toks: list[Tok], k: int, is_verb: Callable[[int], bool]) -> bool:
        tk = toks[k]
        if _prep(tk) or _article(tk):
            return False
        if is_verb(k) or has_key(tk, self.verbs):
            return True
        # a present-tense verb of the third person: يرتدون، يقود (a noun with ي- is rarer and mostly listed)
        k0 = tk.keys[-1] if tk.keys else ""
        return len(k0) >= 4 and k0[0] == "ي" and not has_key(tk, self.time) and not tk.text[:1].isdigit()

    def _skip_time(self, toks: list[Tok], k: int, i1: int, dates: set) -> int:
        """Past time words and date tokens (أمس، أول من أمس، قبل ظهر أمس الثلاثاء، قبل خمسة أيام) from ``k``."""
        n = 0
        while k < i1 and n < 6:
            tk = toks[k]
            if k in dates or has_key(tk, self.time) or (tk.text == "من" and k + 1 < i1 and has_key(toks[k + 1], self.time)):
                k += 1
            elif k + 1 < i1 and n and has_key(toks[k + 1], self.time_units):  # قبل خمسة أيام
                k += 2
            else:
                break
            n += 1
        return k

    def np_at(self, toks: list[Tok], k: int, limit: int, is_verb: Callable[[int], bool], numbers: set,
              allow_prep: bool = False, lam: bool = True, dates: frozenset = frozenset()) -> Optional[int]:
        """End (exclusive) of the noun phrase starting at token ``k`` (before ``limit``), or None. ``lam``: an
        indefinite head may take its genitive with لـ (دورية للشرطة، مواقع لقوات النظام)."""
        if k >= limit:
            return None
        tk = toks[k]
        if self._is_break(tk) or (_prep(tk) and not allow_prep) or self._verb(toks, k, is_verb):
            return None
        if k in dates and k not in numbers:
            return None
        counted = k in numbers or has_key(tk, self.openers)
        if has_key(tk, self.demonstratives) and k + 1 < limit and _article(toks[k + 1]):
            counted = True  # تلك الأعمال، هذا الإسلامي: the demonstrative opens the phrase
        if has_key(tk, self.stops) and not counted:
            return None
        if has_key(tk, self.time) and not counted:
            return None
        definite = _definite(tk)
        quantity = counted  # a count may go on with من into what it counts
        j, words = k + 1, 1
        while j < limit and words < self.np_max:
            x = toks[j]
            if x.text in "«\"“" and not definite:  # a quoted name as genitive: خلية من «القاعدة»
                close = next((c for c in range(j + 1, min(limit, j + 5)) if toks[c].text in "»\"”"), None)
                if close is None:
                    break
                j = close + 1
                break
            if quantity and has_key(x, self.partitive) and j + 1 < limit and not _prep(toks[j + 1]):
                j += 1  # ثلاثة من عناصر الشرطة، خمسة عناصر من قوات النظام: on into what is counted
                quantity = counted = definite = False
                continue
            if lam and not definite and x.procl == "ل" and j + 1 <= limit and not self._verb(toks, j, is_verb) \
                    and not has_key(x, self.stops):
                definite, lam = True, False  # what follows belongs to the لـ genitive
                j += 1
                words += 1
                continue
            if self._is_break(x) or _prep(x) or "و" in x.procl or "ف" in x.procl or has_key(x, self.stops) \
                    or has_key(x, self.time) or self._verb(toks, j, is_verb):
                if not (j in numbers and counted):
                    break
            if j in numbers and not counted:
                break  # مسلحون 15 شخصا: a count opens the next phrase
            xdef = _definite(x)
            if definite and not xdef and j not in numbers:
                break  # a definite head takes only definite adjectives after it
            counted = counted and j in numbers
            definite = definite or xdef
            j += 1
            words += 1
        return j

    def np_ending(self, toks: list[Tok], end: int, lo: int, is_verb, numbers: set, dates=frozenset()) -> Optional[int]:
        """Start of the noun phrase that ends right at token ``end`` (exclusive), searching back to ``lo``; a phrase
        after a preposition (وفي واقعة منفصلة استهدف) is no subject."""
        for k in range(max(lo, end - self.np_max - 2), end):
            if self.np_at(toks, k, end, is_verb, numbers, dates=dates) == end:
                if k - 1 >= 0 and has_key(toks[k - 1], self.preps):
                    return None
                return k
        return None

    # ------------------------------------------------------------------------------------------ roles

    def _clause_start(self, toks: list[Tok], i0: int, i: int, comps, soft: bool = False) -> int:
        """First token of the clause holding token ``i``: after punctuation (``soft``: not a comma), a
        complementizer or a word opening a clause."""
        for k in range(i - 1, i0 - 1, -1):
            tk = toks[k]
            if (self._is_break(tk) and not (soft and tk.text in "،,")) or has_key(tk, comps) \
                    or has_key(tk, self.openers_clause):
                return k + 1
        return i0

    def _clause_end(self, toks: list[Tok], j: int, i1: int) -> int:
        """Where the clause of a trigger ending at ``j`` ends: punctuation (not quotes around a name) or a word
        opening another clause (حيث، بينما، التي …)."""
        k = j
        while k < i1:
            if toks[k].text == "(":  # a parenthesis (the distance, the month's other name) does not end the clause
                close = next((c for c in range(k + 1, min(i1, k + 8)) if toks[c].text == ")"), None)
                if close is not None:
                    k = close + 1
                    continue
            if (self._is_break(toks[k]) and toks[k].text not in "«»\"“”") or has_key(toks[k], self.openers_clause):
                return k
            k += 1
        return i1

    def _agent_after(self, toks, j, end, is_verb, numbers, dates) -> Optional[Phrase]:
        """هجوم شنه مسلحون، التي نفذتها خلية، من قبل / على يد / برصاص X."""
        for k in range(j, min(end, j + 10)):
            tk = toks[k]
            for p in self.agent_phrases:
                n = len(p)
                if all(k + x < end and p[x] in toks[k + x].keys for x in range(n)):
                    a = self._skip_time(toks, k + n, end, dates)
                    e = self.np_at(toks, a, end, is_verb, numbers)
                    if e is not None:
                        return Phrase(a, e, "agent_phrase")
            if has_key(tk, self.agent_verbs) and not _article(tk):
                nxt = k + 1
                prep = next((self.agent_verb_prep[x] for x in tk.keys if x in self.agent_verb_prep), None)
                if prep is not None:  # قام بها، تقف وراءه
                    if nxt < end and (prep in toks[nxt].keys or toks[nxt].procl.endswith(prep)):
                        nxt += 1
                    else:
                        continue
                elif tk.encl not in OBJECT_PRONOUNS:
                    continue
                a = self._skip_time(toks, nxt, end, dates)
                e = self.np_at(toks, a, end, is_verb, numbers)
                if e is not None:
                    return Phrase(a, e, "agent_verb")
        return None

    def _after_cue(self, toks, j, end, cues, is_verb, numbers, dates, window: int = 8,
                   through_prep: bool = False, reject: Optional[Callable] = None) -> Optional[Phrase]:
        """The noun phrase after the first of ``cues`` within ``window`` tokens from ``j`` (على، ضد، استهدف);
        ``through_prep``: past a preposition after the cue (احتجاجا على X، تنديدا بإعدام X)."""
        for k in range(j, min(end, j + window)):
            tk = toks[k]
            if has_key(tk, cues):
                a = self._skip_time(toks, k + 1, end, dates)
                if through_prep and a < end and has_key(toks[a], self.cue_preps) and a + 1 < end:
                    a += 1
                e = self.np_at(toks, a, end, is_verb, numbers, allow_prep=through_prep)
                if e is not None and not (reject and reject(Phrase(a, e, "cue"))):
                    return Phrase(a, e, "cue")
            elif tk.procl.endswith("ل") and k > j and has_key(toks[k - 1], cues):
                continue
        return None

    def _victims(self, toks, i0, i1, t_i, t_j, is_verb, numbers, dates) -> Optional[Phrase]:
        """Who was hit, told around the trigger: مقتل X، قتل 18 شخصا، أصيب ثلاثة من عناصر الشرطة، شخصان قتلا. The
        victims first named win over "others" (وأصيب خمسة آخرون), then the nearest."""
        cands = []
        for k in range(max(i0, t_i - 20), min(i1, t_j + 25)):
            if t_i <= k < t_j:
                continue
            tk = toks[k]
            cand = None
            if has_key(tk, self.casualty) and k + 1 < i1:
                a = self._skip_time(toks, k + 1, i1, dates)
                e = self.np_at(toks, a, i1, is_verb, numbers)
                if e is not None:
                    cand = Phrase(a, e, "casualty")
            if cand is None and has_key(tk, self.victim_verbs) and not _article(tk) \
                    and not any(c in tk.procl for c in "بك"):  # فقتل، ليقتل are verbs still
                a = self._skip_time(toks, k + 1, i1, dates)
                e = self.np_at(toks, a, i1, is_verb, numbers)
                passive = has_key(tk, self.intransitive) or (a < i1 and (a in numbers or has_key(toks[a], self.openers)))
                if e is not None and passive:
                    cand = Phrase(a, e, "passive")
                elif e is None or has_key(tk, self.intransitive):
                    # شخصان قتلا، أربعة من الحراس قتلوا في هجوم: a subject before, nothing after: it was hit
                    lo = self._clause_start(toks, i0, k, ())
                    s = self.np_ending(toks, k, max(lo, k - 7), is_verb, numbers)
                    cand = Phrase(s, k, "victim_subject") if s is not None else None
            if cand is not None:
                cands.append(cand)
        if not cands:
            return None
        return min(cands, key=lambda c: (has_key(toks[c.j - 1], self.others) or has_key(toks[c.i], self.others),
                                         abs(c.i - t_i)))

    def find(self, toks: list[Tok], i0: int, i1: int, t_i: int, t_j: int, nominal: bool, etype: str,
             is_verb: Callable[[int], bool], numbers: set, dates: set, comps) -> Found:
        """The actor and target phrases of the trigger at tokens [t_i, t_j) of the sentence [i0, i1)."""
        out = Found()
        if not nominal and t_i - 1 >= i0 and has_key(toks[t_i - 1], self.preps):
            nominal = True  # على قصف منزل …: after a preposition the word is the verbal noun
        start = self._clause_start(toks, i0, t_i, comps)
        end = self._clause_end(toks, t_j, i1)
        # a relative clause right after the trigger tells who did it (الهجوم الذي نفذته خلية، غارة، التي شنتها …)
        agent_end = end
        rel = end + 1 if end + 1 < i1 and self._is_break(toks[end]) else end
        if end - t_j < 4 and rel < i1 and has_key(toks[rel], self.relatives):
            agent_end = self._clause_end(toks, rel + 1, i1)
        out.actor = self._agent_after(toks, t_j, agent_end, is_verb, numbers, dates)
        tk = toks[t_i]
        if not nominal:
            if has_key(tk, self.intransitive):  # اغتيل فلان، أصيب ثلاثة: the subject was hit
                a = self._skip_time(toks, t_j, end, dates)
                e = self.np_at(toks, a, end, is_verb, numbers)
                if e is not None:
                    out.target = Phrase(a, e, "passive")
                return out
            subj_start = None
            lead = t_i
            while lead - 1 >= start and (has_key(toks[lead - 1], self.time) or key("قد") in toks[lead - 1].keys):
                lead -= 1
            if lead - 1 >= i0 and has_key(toks[lead - 1], self.relatives):
                s = self.np_ending(toks, lead - 1, max(i0, lead - 8), is_verb, numbers)  # the antecedent acts
                if s is not None and tk.encl in OBJECT_PRONOUNS:
                    out.target = Phrase(s, lead - 1, "antecedent_object")  # النازحين الذين استهدفهم القصف: it was hit
                elif s is not None:
                    subj_start = (s, lead - 1)
            elif lead > start:
                s = self.np_ending(toks, lead, start, is_verb, numbers, dates)
                if s is not None:
                    subj_start = (s, lead)
            a = self._skip_time(toks, t_j, end, dates)
            after = self.np_at(toks, a, end, is_verb, numbers)
            if subj_start is not None and after is None and has_key(tk, self.victim_verbs):
                out.target = Phrase(subj_start[0], subj_start[1], "victim_subject")  # الجنود قتلوا في …: they were hit
            elif subj_start is not None:
                if out.actor is None:
                    out.actor = Phrase(subj_start[0], subj_start[1], "subject_before")
                if after is not None:
                    out.target = Phrase(a, after, "object")
            elif after is not None:
                b = self._skip_time(toks, after, end, dates)
                obj = self.np_at(toks, b, end, is_verb, numbers)
                # قتل 18 شخصا، خطف موظف بريطاني: a verb of harm with a count, or with one noun phrase that names no
                # armed men and no object after it, is read as a passive
                passive = has_key(tk, self.victim_verbs) and (
                    a in numbers or has_key(toks[a], self.openers)
                    or (obj is None and not any(has_key(toks[x], self.armed) for x in range(a, after))))
                if passive:
                    out.target = Phrase(a, after, "passive")
                else:
                    if out.actor is None:
                        out.actor = Phrase(a, after, "subject_after")
                    if obj is not None:
                        out.target = Phrase(b, obj, "object")
        else:
            a = t_j + 1 if t_j + 1 < end and toks[t_j].text in "«\"“" else t_j  # مظاهرات «إسلاميين»
            # a definite noun takes no genitive (القصف التركي: an adjective), nor does a noun before a side's nisba
            adjective = _definite(tk) or (a < end and has_key(toks[a], self.adjectives))
            gen = self.np_at(toks, a, end, is_verb, numbers, lam=False) if a < end and not adjective else None
            if gen is not None:
                words = range(a, gen)
                device = any(has_key(toks[x], self.devices) for x in words)
                lam = gen < end and "ل" in toks[gen].procl
                if lam:  # مهاجمة الفصائل لقوات النظام: the genitive acts, the لـ phrase is acted upon
                    obj = self.np_at(toks, gen, end, is_verb, numbers, allow_prep=True)
                    if obj is not None:
                        out.target = Phrase(gen, obj, "lam_object")
                    if out.actor is None:
                        out.actor = Phrase(a, gen, "genitive")
                elif has_key(tk, self.patient_nouns) and not device:
                    out.target = Phrase(a, gen, "genitive_patient")
                elif has_key(tk, self.object_nouns) and not device:
                    out.target = Phrase(a, gen, "genitive_object")  # the events stage: a named side acts
                elif out.actor is None:
                    out.actor = Phrase(a, gen, "genitive_device" if device else "genitive")
            # شن مسلحون هجوما، المتمردين شنوا الهجوم، نظم حزب X مظاهرة، قامت الجماعة بخطف: the support verb's subject
            # acts when the trigger is its object (right after it or after its subject); تعرض X لهجوم، نجا X من محاولة
            # اغتيال: the exposure verb's subject is hit
            wide = self._clause_start(toks, i0, t_i, comps, soft=True)
            for k in range(t_i - 1, max(wide, t_i - 12) - 1, -1):
                tkk = toks[k]
                if _article(tkk) or any(c in tkk.procl for c in "بك"):
                    continue
                exposure = has_key(tkk, self.exposure)
                loose = exposure or has_key(tkk, self.support_prep)  # قام ب …، تعرض ل …: anything may stand between
                if not (loose or (k >= start and k >= t_i - 6 and has_key(tkk, self.support))):
                    continue
                subj = None
                b = self._skip_time(toks, k + 1, t_i, dates)
                e = self.np_at(toks, b, t_i, is_verb, numbers, dates=dates) if b < t_i else None
                if b >= t_i:
                    s0 = self.np_ending(toks, k, start, is_verb, numbers, dates)
                    subj = Phrase(s0, k, "support_subject") if s0 is not None else None
                elif e is not None and (loose or self._skip_time(toks, e, t_i, dates) == t_i):
                    subj = Phrase(b, e, "support_subject")
                elif not loose:
                    break  # the trigger is no object of this verb (شنوا الهجوم … بسيارة مفخخة)
                if subj is not None:
                    if exposure:
                        if out.target is None:
                            out.target = subj
                    elif out.actor is None or out.actor.how.startswith("genitive"):
                        out.actor = subj
                break
        if etype == "PROTEST" and out.target is not None and (out.target.how == "object" or self._people(toks, out.target)):
            out.target = None  # تظاهر أمس عشرات …: a protest verb takes no object; the protesters are not its target
        if out.target is None:
            if etype == "PROTEST":  # what a protest is against may come late in its clause (… أمام مقر البرلمان)
                if t_j + 1 < i1 and has_key(toks[t_j], self.against):  # احتجوا على X، مظاهرة ضد X
                    e = self.np_at(toks, t_j + 1, i1, is_verb, numbers, allow_prep=True, dates=dates)
                    if e is not None:
                        out.target = Phrase(t_j + 1, e, "cue")
                people = lambda p: self._people(toks, Phrase(p.i, min(i1, p.j + 1), p.how))  # نحو ألف متظاهر
                if out.target is None:
                    out.target = self._after_cue(toks, t_j, self._clause_end(toks, t_j, i1), self.protest_targets, is_verb,
                                                 numbers, dates, window=i1 - t_j, through_prep=True, reject=people)
                if out.target is None:  # the side the protesters faced (فرقت الشرطة …، رشق المتظاهرون قوات الأمن)
                    out.target = self._suppressor(toks, i0, i1, is_verb, numbers, dates) \
                        or self._confronted(toks, i0, i1, is_verb, numbers, dates)
                if out.target is None:  # the one a chanted slogan names («يسقط X»، «الموت لـX»)
                    out.target = self._after_cue(toks, i0, i1, self.slogans, is_verb, numbers, dates,
                                                 window=i1 - i0, through_prep=True, reject=people)
                if out.target is None:  # what the protest was against, told anywhere in the sentence (شعارات ضد X)
                    out.target = self._after_cue(toks, i0, i1, self.protest_targets, is_verb, numbers, dates,
                                                 window=i1 - i0, through_prep=True, reject=people)
            else:
                out.target = self._after_cue(toks, t_j, end, self.target_cues, is_verb, numbers, dates)
        if etype == "ASSAULT":
            out.victims = self._victims(toks, i0, i1, t_i, t_j, is_verb, numbers, dates)
            if out.target is None:
                out.target = out.victims
        if etype == "PROTEST" and (out.actor is None or not self._people(toks, out.actor)):
            crowd = self._crowd(toks, i0, i1, is_verb, numbers, comps)
            if crowd is not None and (out.actor is None or out.actor.how not in ("agent_phrase", "agent_verb", "support_subject")):
                out.actor = crowd
        return out

    def _suppressor(self, toks, i0, i1, is_verb, numbers, dates) -> Optional[Phrase]:
        """فرقت الشرطة المتظاهرين، قمعت السلطة …، قامت الشرطة بتفريقهم: the side a protest faced."""
        for k in range(i0, i1):
            tk = toks[k]
            if not has_key(tk, self.suppression) or _article(tk):
                continue
            at = k
            if any(c in tk.procl for c in "بل") and k - 1 >= i0:  # قامت الشرطة بتفريقهم: the subject of قامت
                sup = next((x for x in range(k - 1, max(i0, k - 6) - 1, -1) if has_key(toks[x], self.support_prep)), None)
                if sup is None:
                    continue
                b = self._skip_time(toks, sup + 1, k, dates)
                e = self.np_at(toks, b, k, is_verb, numbers, dates=dates) if b < k else None
                if e is not None and not self._people(toks, Phrase(b, e, "")):
                    return Phrase(b, e, "suppressor")
                at = sup
            s0 = self.np_ending(toks, at, max(i0, at - 6), is_verb, numbers, dates)
            if s0 is not None and not self._people(toks, Phrase(s0, at, "")):
                return Phrase(s0, at, "suppressor")
            b = self._skip_time(toks, at + 1, i1, dates)
            e = self.np_at(toks, b, i1, is_verb, numbers, dates=dates)
            if e is not None and not self._people(toks, Phrase(b, e, "")) and at == k:
                return Phrase(b, e, "suppressor")
        return None

    def _confronted(self, toks, i0, i1, is_verb, numbers, dates) -> Optional[Phrase]:
        """رشق المتظاهرون قوات الأمن، اشتبك المحتجون مع الجنود: the object of a confronting verb whose subject (before
        or right after it) is the protesters."""
        for k in range(i0, i1):
            tk = toks[k]
            prep = next((self.confront[x] for x in tk.keys if x in self.confront), None)
            if prep is None or _article(tk) or _prep(tk):
                continue
            b = self._skip_time(toks, k + 1, i1, dates)
            e = self.np_at(toks, b, i1, is_verb, numbers, dates=dates)
            if e is not None and self._people(toks, Phrase(b, e, "")):
                b = self._skip_time(toks, e, i1, dates)
            else:
                s0 = self.np_ending(toks, k, max(i0, k - 6), is_verb, numbers, dates)
                if s0 is None or not self._people(toks, Phrase(s0, k, "")):
                    continue
            if prep:
                if b < i1 and prep in toks[b].keys:
                    b += 1
                else:
                    continue
            e = self.np_at(toks, b, i1, is_verb, numbers, dates=dates)
            if e is not None and not self._people(toks, Phrase(b, e, "")):
                return Phrase(b, e, "suppressor")
        return None

    def _people(self, toks, p: Phrase) -> bool:
        return any(has_key(toks[k], self.protesters | self.crowd) for k in range(p.i, p.j))

    def _crowd(self, toks, i0, i1, is_verb, numbers, comps=()) -> Optional[Phrase]:
        """آلاف المتظاهرين، عشرات النشطاء، المتظاهرون: who protests, wherever the sentence names them; protesters
        before crowds before other people; not a speaker (وأضاف النشطاء أن …)."""
        best = None
        for k in range(i0, i1):
            tk = toks[k]
            rank = 0 if has_key(tk, self.core_protesters) else 1 if has_key(tk, self.crowd) else \
                2 if has_key(tk, self.protesters) else None
            if rank is None or (best is not None and rank >= best[0]):
                continue
            if k + 1 < i1 and has_key(toks[k + 1], comps):
                continue
            s = k
            if k - 1 >= i0 and (k - 1 in numbers or has_key(toks[k - 1], self.openers) or has_key(toks[k - 1], self.crowd)):
                s = k - 1
            e = self.np_at(toks, s, i1, is_verb, numbers, allow_prep=True)
            if e is not None:
                best = (rank, Phrase(s, e, "crowd" if rank < 2 else "people"))
        return best[1] if best else None


@lru_cache(maxsize=1)
def role_structure() -> RoleStructure:
    from .fallback import fallback_actors
    from .lexicon import event_cues

    mode_words = [w for modes in event_cues()["mode_cues"].values() for ws in modes.values() for w in ws]
    return RoleStructure(frozenset(fallback_actors().nisba) | frozenset(mode_words))


__all__ = ["Found", "Phrase", "RoleStructure", "role_structure"]
