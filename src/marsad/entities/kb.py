"""The actor base (data/entities/actors.json) and a token-trie matcher over normalised text.

Matching works on normalised tokens; the first token of a phrase may carry proclitics (و ف ب ل ك and their
combinations, لل = ل + ال; read by the word-form model's rule for names, :mod:`marsad.language.forms`), later
tokens must match exactly. The longest phrase wins; among the candidates of a
phrase the first whose date range holds the article date is linked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..language.forms import word_forms
from ..language.normalize import normalize
from ..paths import DATA_DIR

ENT_DIR = DATA_DIR / "entities"
END = "\0"
def fits(date: Optional[str], frm: Optional[str], to: Optional[str]) -> bool:
    if date is None:
        return True
    return (frm is None or date >= frm) and (to is None or date <= to)


@dataclass
class Match:
    start_tok: int
    end_tok: int  # exclusive
    strip: int  # letters of proclitics on the first token
    span_strip: int  # letters to leave out of the mention span (لل keeps its ل: للرئيس stays whole)
    key: str
    cands: list


class ActorBase:
    def __init__(self, path=None):
        with open(path or ENT_DIR / "actors.json", encoding="utf-8") as fh:
            data = json.load(fh)
        self.actors: dict = data["actors"]
        self.aliases: dict = data["aliases"]
        self.adjectives: dict = data["nationality_adjectives"]
        self.office_holders: dict = data.get("office_holders", {})
        self.office_fallback: dict = data.get("office_fallback", {})
        self.role_blockers = set(data.get("role_blockers", []))
        self.role_blockers_after = set(data.get("role_blockers_after", []))
        self.trie: dict = {}
        for key, cands in self.aliases.items():
            node = self.trie
            for tok in key.split():
                node = node.setdefault(tok, {})
            node[END] = (key, cands)
        self._variants: dict = {}
        self._forms = word_forms()

    def __len__(self) -> int:
        return len(self.actors)

    def variants(self, norm: str) -> tuple:
        hit = self._variants.get(norm)
        if hit is None:
            trie = self.trie
            hit = tuple((form, len(r.prefix), r.outside) if r else (form, 0, 0)
                        for form, r in self._forms.name_readings(norm, trie, drop_article=False))
            if len(self._variants) < 300_000:
                self._variants[norm] = hit
        return hit

    def find(self, norms: list) -> list:
        """Longest, left-to-right, non-overlapping matches over a list of normalised tokens."""
        out = []
        trie = self.trie
        n = len(norms)
        i = 0
        variants = self.variants
        while i < n:
            best = None
            for form, k, ks in variants(norms[i]):
                node = trie[form]
                last = (i + 1, node[END]) if END in node else None
                j = i + 1
                while j < n:
                    node = node.get(norms[j])
                    if node is None:
                        break
                    j += 1
                    if END in node:
                        last = (j, node[END])
                if last is not None and (best is None or last[0] > best.end_tok or (last[0] == best.end_tok and k < best.strip)):
                    best = Match(i, last[0], k, ks, last[1][0], last[1][1])
            if best is not None:
                out.append(best)
                i = best.end_tok
            else:
                i += 1
        return out

    def choose(self, cands: list, date: Optional[str], blocked: bool = False, named: frozenset = frozenset()) -> Optional[list]:
        """The candidate to link: first whose dates fit. Without an article date a role phrase names a person
        only if one person ever held the office in the base, or one holder is named elsewhere in the article."""
        roles = {c[0] for c in cands if c[3] == "role"}
        if blocked:  # "نائب وزير الخارجية": the office, not its holder
            fb = [c for c in cands if c[3] == "role_fallback"]
            return fb[0] if fb else None
        if date is None and len(roles) > 1:
            hit = [c for c in cands if c[3] == "role" and c[0] in named]
            if len({c[0] for c in hit}) == 1:
                return hit[0]
            cands = [c for c in cands if c[3] != "role"]
        for c in cands:
            if fits(date, c[1], c[2]):
                actor = self.actors.get(c[0])
                if actor is None:
                    continue
                v = actor.get("valid") or [None, None]
                if fits(date, v[0], v[1]):
                    return c
        return None

    def office_of(self, actor_id: str, date: Optional[str]) -> Optional[str]:
        for o in self.actors.get(actor_id, {}).get("offices", []):
            if fits(date, o.get("from"), o.get("to")):
                return o["office"]
        return None

    def holds(self, actor_id: str, office_suffix: str, date: Optional[str]) -> bool:
        """Whether the actor held (at ``date``; any time when undated) an office named ``office_suffix`` or ending
        with it."""
        for o in self.actors.get(actor_id, {}).get("offices", []):
            if o["office"].endswith(office_suffix) and fits(date, o.get("from"), o.get("to")):
                return True
        return False

    def holders(self, office: str, country: str, date: Optional[str]) -> list:
        return [h[0] for h in self.office_holders.get(office, []) if h[1] == country and fits(date, h[2], h[3])]


@lru_cache(maxsize=1)
def get_actor_base() -> ActorBase:
    return ActorBase()


@lru_cache(maxsize=1)
def coref_words() -> dict:
    with open(ENT_DIR / "coref.json", encoding="utf-8") as fh:
        data = json.load(fh)
    return {
        "counterpart": {normalize(w) for w in data["counterpart"]},
        "dual_heads": {normalize(w) for w in data["dual_heads"]},
        "dual_sides": {normalize(w) for w in data["dual_sides"]},
        "dual_persons": {normalize(w) for w in data.get("dual_persons", [])},
        "head_office": data.get("head_office", "head_of_state"),
        "window": int(data.get("window_chars", 1500)),
        "anaphors": {normalize(w): suffix for w, suffix in data.get("anaphors", {}).items()},
        "dual_side_ids": {normalize(w): tpl for w, tpl in data.get("dual_side_ids", {}).items()},
        "dependent_forces": [tuple(normalize(w).split()) for w in data.get("dependent_forces", [])],
    }
