"""Coded actors for phrases no entity covers (data/events/actor_fallback.json): قوات النظام, الطائرات الروسية.

Read by the events stage (actors and recipients) and the figures stage (the side of counted soldiers, reporters).
"""

from __future__ import annotations

from functools import lru_cache

from ..view import M, Tok, as_written
from .lexicon import actor_fallback, event_cues, fallback_capitals, has_key, match_phrase, means_modifiers


class FallbackActors:
    """Fallback actor phrases and nisba adjectives, compiled once."""

    def __init__(self):
        self.phrases, self.nisba, self.means = actor_fallback()
        self._means_starts = frozenset(p[0] for p in self.means)  # most tokens start no means phrase
        self._means_modifiers = means_modifiers()
        self.capitals = fallback_capitals()
        self._locative = event_cues()["locative_cues"]

    def located(self, toks: list[Tok], k: int, i0: int) -> bool:
        """في دمشق، بدمشق: the capital is introduced as a location, so it names where, not a side."""
        return "ب" in toks[k].procl or (k - 1 >= i0 and has_key(toks[k - 1], self._locative))

    def mentions(self, toks: list[Tok], i0: int, i1: int, taken: list[M]) -> list[M]:
        """Fallback mentions in tokens [i0, i1) outside the ``taken`` mentions, longest phrase first."""
        out: list[M] = []
        covered = set()
        for m in taken:
            covered.update(range(m.i, m.j))
        k = i0
        while k < i1:
            hit = None
            if k not in covered:
                for kk in toks[k].keys:
                    for phrase, code in self.phrases.get(kk, ()):
                        if match_phrase(toks, k, phrase) and k + len(phrase) <= i1:
                            if hit is None or len(phrase) > hit[0]:
                                hit = (len(phrase), code)
            if hit is None and k not in covered and has_key(toks[k], self._means_starts):
                for phrase in self.means:  # الطائرات الروسية: a force noun + a nisba adjective
                    n = len(phrase)
                    if k + n < i1 and match_phrase(toks, k, phrase):
                        a = k + n  # past up to two modifiers: طائرة شحن عسكرية روسية
                        while a + 1 < i1 and a - (k + n) < 2 and has_key(toks[a], self._means_modifiers):
                            a += 1
                        code = next((self.nisba[x] for x in toks[a].keys if x in self.nisba), None)
                        if code:
                            hit = (a - k + 1, code)
                            break
            if hit is not None and hit[0] == 1 and has_key(toks[k], self.capitals) and self.located(toks, k, i0):
                hit = None
            if hit is not None and not any(x in covered for x in range(k, k + hit[0])):
                n, code = hit
                out.append(M(k, k + n, toks[k].start, toks[k + n - 1].end, code,
                             as_written(toks, k, toks[k].start, " ".join(t.text for t in toks[k:k + n])), "fallback"))
                k += n
            else:
                k += 1
        return out


@lru_cache(maxsize=1)
def fallback_actors() -> FallbackActors:
    return FallbackActors()
