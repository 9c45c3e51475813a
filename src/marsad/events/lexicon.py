"""Compiled lexicons shared by the events and figures stages.

Tokens are looked up by their keys (:func:`marsad.language.forms.lookup_keys`: normalised, article and proclitics
split off, attached pronoun removed), read from the document's one lookup view (:func:`marsad.view.doc_view`);
a dictionary word's key is its normalised form without the article.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Optional

from ..language.forms import fold, strip_article, verb_forms
from ..paths import DATA_DIR
from ..view import Tok, has_key  # noqa: F401  (has_key: events modules import it from here)

EVENTS_DATA = DATA_DIR / "events"
FIGURES_DATA = DATA_DIR / "figures"


def load_json(path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def key(word: str) -> str:
    """The lexicon key of a dictionary word: normalised, article stripped."""
    return strip_article(fold(word.strip()))


def key_set(words: Iterable[str]) -> frozenset:
    return frozenset(key(w) for w in words)


def phrase_keys(words: Iterable[str]) -> list[tuple]:
    """Multi-word cues as tuples of keys."""
    return [tuple(key(p) for p in w.split()) for w in words]


def match_phrase(toks: list[Tok], i: int, phrase: tuple) -> bool:
    n = len(phrase)
    if i + n > len(toks) or phrase[0] not in toks[i].keys:  # most tries fail on the first word
        return False
    return n == 1 or all(phrase[k] in toks[i + k].keys for k in range(1, n))


def one_deletion_variants(word: str) -> set:
    """Forms of ``word`` with one letter dropped (typo tolerance: استشد for استشهد)."""
    return {word[:i] + word[i + 1:] for i in range(1, len(word))}


# ---------------------------------------------------------------------------------------------- triggers


@dataclass
class TriggerEntry:
    id: str
    type: str
    mode: Optional[str]
    form: str
    conf: float
    needs: frozenset = frozenset()
    needs_not: frozenset = frozenset()
    window: int = 4
    blocked_by: frozenset = frozenset()
    call_cue: bool = False
    deny_cue: bool = False
    threat_cue: bool = False
    weak_mode: bool = False  # the mode is a default that weapon cues (طائرات، مسيرة) override
    accused_subject: bool = False  # the trigger's subject is the one accused; the one who says it accuses
    victim_verb: bool = False  # قتل: tells who died; a trigger only where no attack word of its type is (في قصف روسي)


@dataclass
class TriggerLexicon:
    single: dict = field(default_factory=dict)  # key -> (entry, nominal)
    phrases: dict = field(default_factory=dict)  # first key -> list[(tuple keys, entry, nominal)]
    excluded: frozenset = frozenset()

    def match(self, toks: list[Tok], i: int):
        """(entry, length, nominal, future) for a trigger starting at token i, or None."""
        t = toks[i]
        best = None
        for k in t.keys:
            for phrase, entry, nominal in self.phrases.get(k, ()):
                if (best is None or len(phrase) > best[1]) and all(
                    phrase[j] in toks[i + j].keys for j in range(1, len(phrase)) if i + j < len(toks)
                ) and i + len(phrase) <= len(toks):
                    best = (entry, len(phrase), True, False)
        if best is not None:
            return best
        if any(k in self.excluded for k in t.keys[:2]):
            return None
        for k in t.keys:
            hit = self.single.get(k)
            if hit is not None:
                entry, nominal = hit
                return entry, 1, nominal or t.prefixed, False
        for k in t.keys:  # future prefix: سيغادر → يغادر
            if len(k) >= 4 and k[0] == "س" and k[1] in "يتن":
                hit = self.single.get(k[1:])
                if hit is not None:
                    return hit[0], 1, False, True
        return None


@lru_cache(maxsize=1)
def trigger_lexicon() -> TriggerLexicon:
    data = load_json(EVENTS_DATA / "triggers.json")
    lex = TriggerLexicon()
    excluded = set()
    for e in data["entries"]:
        entry = TriggerEntry(
            id=e["id"], type=e["type"], mode=e.get("mode"), form=e.get("form", ""), conf=float(e.get("conf", 0.6)),
            needs=key_set(e.get("needs", [])), needs_not=key_set(e.get("needs_not", [])),
            window=int(e.get("window", 4)), blocked_by=key_set(e.get("blocked_by", [])),
            call_cue=bool(e.get("call_cue")), deny_cue=bool(e.get("deny_cue")), threat_cue=bool(e.get("threat_cue")),
            weak_mode=bool(e.get("weak_mode")), accused_subject=bool(e.get("accused_subject")),
            victim_verb=bool(e.get("victim_verb")),
        )
        words: list[tuple[str, bool]] = []
        for verb in ([e["verb"]] if "verb" in e else []) + e.get("verbs", []):
            words += [(f, False) for f in verb_forms(*verb)]
        words += [(f, False) for f in e.get("forms", [])]
        words += [(f, True) for f in e.get("nominal_forms", [])]
        words += [(f, False) for f in e.get("phrases", [])]
        for w, nominal in words:
            parts = tuple(key(p) for p in w.split())
            if len(parts) == 1:
                lex.single.setdefault(parts[0], (entry, nominal))
            else:
                lex.phrases.setdefault(parts[0], []).append((parts, entry, nominal))
        excluded.update(key(w) for w in e.get("exclude_forms", []))
    lex.excluded = frozenset(excluded)
    return lex


@lru_cache(maxsize=1)
def event_cues() -> dict:
    d = load_json(EVENTS_DATA / "cues.json")
    out: dict = {k: v for k, v in d.items() if not isinstance(v, list)}
    for name, words in d.items():
        if isinstance(words, list) and all(isinstance(w, str) for w in words):
            out[name] = key_set(words)
    out["mode_cues"] = {t: {m: key_set(ws) for m, ws in modes.items()} for t, modes in d["mode_cues"].items()}
    out["actor_preps_phr"] = phrase_keys(d["actor_preps"])
    out["context_frames"] = phrase_keys(d.get("context_frames", []))
    frames = []
    for f in d.get("scope_frames", []):
        first: dict = {}  # first key -> its phrases: a token is tried only against phrases it can open
        for ph in phrase_keys(f["before"]):
            first.setdefault(ph[0], []).append(ph)
        frames.append((f["modality"], int(f.get("window", 4)), first))
    out["scope_frames"] = frames
    return out


@lru_cache(maxsize=1)
def _fallback_data() -> dict:
    return load_json(EVENTS_DATA / "actor_fallback.json")


@lru_cache(maxsize=1)
def actor_fallback() -> tuple[dict, dict, list]:
    """(first key -> list[(phrase keys, code)], nisba key -> code, means phrases as key tuples)."""
    d = _fallback_data()
    phrases: dict = {}
    for code, words in d["phrases"].items():
        for w in words:
            ks = tuple(key(p) for p in w.split())
            phrases.setdefault(ks[0], []).append((ks, code))
    for lst in phrases.values():
        lst.sort(key=lambda x: -len(x[0]))
    nisba = {key(k): v for k, v in d["nisba"].items()}
    means = sorted(phrase_keys(d.get("means", [])), key=len, reverse=True)
    return phrases, nisba, means


@lru_cache(maxsize=1)
def means_modifiers() -> frozenset:
    """Words that may stand between a means noun and its nisba (طائرة شحن عسكرية روسية)."""
    return key_set(_fallback_data().get("means_modifiers", []))


@lru_cache(maxsize=1)
def fallback_capitals() -> frozenset:
    """Fallback phrases that are also places (دمشق): a side only when not introduced as a location."""
    return key_set(_fallback_data().get("capitals", []))
