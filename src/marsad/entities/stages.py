"""The "entities" stage: actor-base linking, in-document coreference and CRF NER for unknown names.

Adds ``Mention`` records to ``doc.mentions`` (source ``kb`` | ``coref`` | ``ner``) and one ``Entity`` per
linked actor / unknown person or organisation to ``doc.entities``. LOC mentions from the NER model are added as
mentions only (places are resolved by the places stage).
"""

from __future__ import annotations

import bisect
from typing import Optional

from ..language.morph import strip_al
from ..language.normalize import normalize_word
from ..language.segment import TOKEN_RE, sentence_bounds
from ..model import Entity, Mention
from ..pipeline import register
from .kb import ActorBase, coref_words, get_actor_base, skip_letters
from .ner import NerTagger, get_tagger

NER_LABELS = {"PER", "ORG", "LOC"}
MAX_NER_TOKENS = 120


def _article_date(doc) -> Optional[str]:
    pub = doc.article.published
    if pub is not None and getattr(pub, "value", None):
        return str(pub.value)[:10]
    ref = doc.article.meta.get("reference_date") if doc.article.meta else None
    return str(ref)[:10] if ref else None


class _Tok:
    __slots__ = ("start", "end", "text", "norm")

    def __init__(self, start, end, text, norm):
        self.start, self.end, self.text, self.norm = start, end, text, norm


def _tokens(doc) -> list:
    if doc.tokens:
        return doc.tokens
    text = doc.text
    return [_Tok(m.start(), m.end(), m.group(), normalize_word(m.group())) for m in TOKEN_RE.finditer(text)]


class EntityStage:
    """Links actor-base mentions, resolves نظيره/الرئيسان/الجانبان, tags unknown names with the CRF model."""

    name = "entities"

    def __init__(self, kb: Optional[ActorBase] = None, tagger: Optional[NerTagger] = None, use_ner: bool = True):
        self.kb = kb or get_actor_base()
        self.coref = coref_words()
        self.tagger = (tagger or get_tagger()) if use_ner else None
        self._strip_cache: dict = {}

    # ------------------------------------------------------------------ helpers
    def _base(self, norm: str) -> str:
        """The token without و/ف + ب/ل/ك proclitics (for coref keywords and blockers)."""
        hit = self._strip_cache.get(norm)
        if hit is None:
            hit = norm
            if len(hit) > 4 and hit[0] in "وف":
                hit = hit[1:]
            if len(hit) > 4 and hit[0] in "بلك" and not hit.startswith("ال"):
                hit = ("ا" + hit[1:]) if hit.startswith("لل") else hit[1:]
            self._strip_cache[norm] = hit
        return hit

    def _add(self, doc, ents: dict, start: int, end: int, actor_id: str, source: str, score: float,
             label: Optional[str] = None) -> Optional[Mention]:
        actor = self.kb.actors.get(actor_id)
        if actor is None or end <= start:
            return None
        m = Mention(span=doc.span(start, end), label=label or actor["label"], source=source,
                    entity_id=actor_id, score=score)
        ent = ents.get(actor_id)
        if ent is None:
            is_person = actor["type"] == "person"
            attrs = {"type": actor["type"], "kb_source": actor.get("source", "seed")}
            if actor.get("parent"):
                attrs["parent"] = actor["parent"]
            if actor.get("attrs"):
                attrs.update(actor["attrs"])
            ent = Entity(id=actor_id, name=actor["name"],
                         label="PER" if is_person else (actor.get("sector") or actor["label"]),
                         country=actor.get("country"), sector=actor.get("sector"),
                         name_en=actor.get("name_en"), attrs=attrs)
            ents[actor_id] = ent
        ent.mentions.append(m)
        doc.mentions.append(m)
        return m

    # ------------------------------------------------------------------ KB
    def link(self, doc, toks: list, date: Optional[str], ents: dict) -> list:
        """KB mentions as [(start_char, end_char, entity_id, tok_index_start, tok_index_end)]."""
        kb = self.kb
        norms = [t.norm for t in toks]
        found = []
        matches = kb.find(norms)
        named = frozenset(c[0] for m in matches for c in m.cands[:1] if c[3] in ("name", "petrarch"))
        for mi, m in enumerate(matches):
            blocked = False
            cand = None
            if any(c[3] == "role" or c[3] == "role_fallback" for c in m.cands):
                prev = self._base(norms[m.start_tok - 1]) if m.start_tok > 0 else ""
                nxt = norms[m.end_tok] if m.end_tok < len(norms) else ""
                blocked = prev in kb.role_blockers or nxt in kb.role_blockers_after
                if not blocked and mi + 1 < len(matches) and matches[mi + 1].start_tok <= m.end_tok + 1:
                    # "الرئيس الأميركي دونالد ترامب": the name picks the office holder
                    named = kb.choose(matches[mi + 1].cands, date)
                    if named is not None:
                        cand = next((c for c in m.cands if c[3] == "role" and c[0] == named[0]), None)
            if cand is None:
                cand = kb.choose(m.cands, date, blocked, named)
            if cand is None:
                continue
            t0, t1 = toks[m.start_tok], toks[m.end_tok - 1]
            start = t0.start + skip_letters(t0.text, m.span_strip)
            mention = self._add(doc, ents, start, t1.end, cand[0], "kb", cand[4])
            if mention is not None:
                found.append((start, t1.end, cand[0], m.start_tok, m.end_tok))
        return found

    # ------------------------------------------------------------------ coreference
    def resolve(self, doc, toks: list, date: Optional[str], ents: dict, found: list) -> list:
        cw = self.coref
        kb = self.kb
        adj = kb.adjectives
        out = []
        starts = [f[0] for f in found]
        taken = {i for f in found for i in range(f[3], f[4])}
        n = len(toks)
        for i, t in enumerate(toks):
            if i in taken:
                continue
            base = self._base(t.norm)
            kind = ("counterpart" if base in cw["counterpart"] else "heads" if base in cw["dual_heads"]
                    else "sides" if base in cw["dual_sides"] else None)
            if kind is None:
                continue
            # nationality adjectives after the word: التركي | التركي والروسي
            c1 = adj.get(toks[i + 1].norm) if i + 1 < n else None
            c2 = None
            if c1 and i + 2 < n and toks[i + 2].norm.startswith("و"):
                c2 = adj.get(toks[i + 2].norm[1:])
            end_i = i + (3 if c2 else 2 if c1 else 1)
            before = [f for f in found[: bisect.bisect_left(starts, t.start)] if t.start - f[1] <= cw["window"]]
            targets: list = []
            if kind == "counterpart":
                if not c1:
                    continue
                targets = self._counterpart(before, c1, date, ents)
                targets = targets[:1]
            elif kind == "heads":
                countries = [c for c in (c1, c2) if c]
                if len(countries) == 2:
                    targets = [self._head_of(c, date, before, ents) for c in countries]
                else:
                    targets = self._last_distinct(before, date, heads_only=True)
            else:  # sides
                if c1 and c2:
                    targets = [c1, c2]
                else:
                    targets = self._last_distinct(before, date, heads_only=False)
            targets = [x for x in targets if x]
            if not targets or (kind != "counterpart" and len(targets) < 2):
                continue
            s, e = t.start + skip_letters(t.text, len(t.norm) - len(base)), toks[end_i - 1].end
            for aid in dict.fromkeys(targets):
                if self._add(doc, ents, s, e, aid, "coref", 0.8) is not None:
                    out.append((s, e, aid, i, end_i))
        return out

    def _counterpart(self, before: list, country: str, date, ents) -> list:
        kb = self.kb
        for f in reversed(before):
            a = kb.actors.get(f[2], {})
            if a.get("type") != "person" or a.get("country") == country:
                continue
            office = kb.office_of(f[2], date) or next((o["office"] for o in a.get("offices", [])), None)
            if office is None:
                continue
            holders = kb.holders(office, country, date)
            mentioned = [h for h in holders if h in ents]
            if mentioned or holders:
                return [(mentioned or holders)[0]]
            fb = kb.office_fallback.get(office)
            return [fb.replace("{C}", country)] if fb else [country]
        # no office-holding antecedent: a person of that country already named
        for f in reversed(before):
            a = kb.actors.get(f[2], {})
            if a.get("type") == "person" and a.get("country") == country:
                return [f[2]]
        return []

    def _head_of(self, country: str, date, before, ents) -> Optional[str]:
        kb = self.kb
        office = self.coref["head_office"]
        for f in reversed(before):
            a = kb.actors.get(f[2], {})
            if a.get("country") == country and a.get("type") == "person" and kb.office_of(f[2], date) == office:
                return f[2]
        hs = kb.holders(office, country, date)
        return hs[0] if hs else (country if country in kb.actors else None)

    def _last_distinct(self, before: list, date, heads_only: bool) -> list:
        kb = self.kb
        office = self.coref["head_office"]
        seen_c: dict = {}
        if not heads_only:  # persons first: "الطرفان" after two leaders' names means the leaders
            seen_c = dict.fromkeys(self._last_distinct(before, date, True))
            seen_c = {kb.actors[a]["country"]: a for a in seen_c}
        for f in reversed(before):
            a = kb.actors.get(f[2], {})
            c = a.get("country")
            if not c or c in ("IGO", "NGO", "IMG") or c in seen_c:
                continue
            if heads_only and not (a.get("type") == "person" and (kb.office_of(f[2], date) == office or date is None and
                                                                 any(o["office"] == office for o in a.get("offices", [])))):
                continue
            seen_c[c] = f[2]
            if len(seen_c) == 2:
                break
        return list(seen_c.values()) if len(seen_c) == 2 else []

    # ------------------------------------------------------------------ NER
    def ner(self, doc, toks: list, covered: list, ents: dict) -> None:
        tagger = self.tagger
        if tagger is None or not tagger.available or not toks:
            return
        text = doc.text
        sents = doc.sentences or [doc.span(s, e) for s, e in sentence_bounds(text)]
        tstarts = [t.start for t in toks]
        cov = sorted((c[0], c[1]) for c in covered)
        cov_starts = [c[0] for c in cov]
        splitter = tagger.features.splitter
        last_names: dict = {}
        trig = tagger.features.trig

        def overlaps(s, e):
            k = bisect.bisect_right(cov_starts, e) - 1
            while k >= 0:
                cs, ce = cov[k]
                if ce > s and cs < e:
                    return True
                if ce <= s and k < len(cov) - 1 and cs < s - 400:
                    break
                k -= 1
            return False

        for sent in sents:
            a = bisect.bisect_left(tstarts, sent.start)
            b = bisect.bisect_left(tstarts, sent.end)
            for c0 in range(a, b, MAX_NER_TOKENS):
                chunk = toks[c0: min(b, c0 + MAX_NER_TOKENS)]
                words = [t.text for t in chunk]
                for i, j, lab in tagger.entities(words):
                    if lab not in NER_LABELS:
                        continue
                    t0, t1 = chunk[i], chunk[j - 1]
                    base, pre, _ = splitter.split(t0.text)
                    strip = len("".join(pre)) if pre else 0
                    s = t0.start + skip_letters(t0.text, strip)
                    e = t1.end
                    if e <= s or overlaps(s, e) or not any(ch.isalpha() for ch in text[s:e]):
                        continue
                    if all(self._base(t.norm) in trig or strip_al(normalize_word(splitter.split(t.text)[0])) in trig
                           for t in chunk[i:j]):
                        continue  # "ريف", "المدينة": a context word, not a name
                    span = doc.span(s, e)
                    if lab == "LOC":
                        doc.mentions.append(Mention(span=span, label="LOC", source="ner", score=0.7))
                        continue
                    name_norm = " ".join(normalize_word(w) for w in TOKEN_RE.findall(text[s:e]))
                    eid = f"ner:{lab}:{name_norm}"
                    if lab == "PER" and " " not in name_norm and name_norm in last_names:
                        eid = last_names[name_norm]  # "طلحة" after "محمود طلحة"
                    m = Mention(span=span, label=lab, source="ner", entity_id=eid, score=0.7)
                    ent = ents.get(eid)
                    if ent is None:
                        ent = Entity(id=eid, name=text[s:e], label=lab, attrs={"type": "ner"})
                        ents[eid] = ent
                        if lab == "PER" and " " in name_norm:
                            last_names.setdefault(name_norm.rsplit(" ", 1)[1], eid)
                    ent.mentions.append(m)
                    doc.mentions.append(m)

    # ------------------------------------------------------------------ stage
    def __call__(self, doc):
        toks = _tokens(doc)
        date = _article_date(doc)
        ents: dict = {e.id: e for e in doc.entities}
        found = self.link(doc, toks, date, ents)
        found.sort()
        corefs = self.resolve(doc, toks, date, ents, found)
        self.ner(doc, toks, found + corefs, ents)
        known = {e.id for e in doc.entities}
        doc.entities.extend(e for eid, e in ents.items() if eid not in known)
        doc.mentions.sort(key=lambda m: (m.span.start, m.span.end))
        return doc


@register("entities")
def make_entities_stage():
    return EntityStage()


__all__ = ["EntityStage", "make_entities_stage"]
