"""The "entities" stage: actor-base linking, in-document coreference and CRF NER for unknown names.

Adds ``Mention`` records to ``doc.mentions`` (source ``kb`` | ``coref`` | ``ner``) and one ``Entity`` per
linked actor / unknown person or organisation to ``doc.entities``. LOC mentions from the NER model are added as
mentions only (places are resolved by the places stage).
"""

from __future__ import annotations

import bisect
from typing import Optional

from ..language.forms import is_ordinary, proclitic_readings, skip_letters, stem, strip_article as strip_al
from ..language.normalize import normalize_word
from ..language.segment import TOKEN_RE
from ..model import Entity, Mention, Tokens
from ..pipeline import factory
from .kb import ActorBase, coref_words, get_actor_base
from .ner import NerTagger, get_tagger

NER_LABELS = {"PER", "ORG", "LOC"}
LABEL_KIND = {"PER": "PER", "ORG": "ORG", "ACTOR": "ORG", "GPE": "LOC", "LOC": "LOC"}  # actor label -> tagger label
STRONG = 0.9  # the model's confidence that makes an ordinary word a name (context, not the word, speaks)
MAX_NER_TOKENS = 120
STATE_SECTORS = {"GOV", "MIL", "LEG", "JUD", "SPY", "COP", "ELI", None}  # who speaks for a state (CAMEO sectors)


def _article_date(doc) -> Optional[str]:
    pub = doc.article.published
    if pub is not None and getattr(pub, "value", None):
        return str(pub.value)[:10]
    ref = doc.run.reference_date if doc.run is not None else None  # the run's (marsad.run.RunContext)
    return ref.isoformat() if ref else None


class _Single:
    """A one-token stand-in for a KB match (a word linked by rule, not by the alias trie)."""

    __slots__ = ("start_tok", "end_tok", "strip", "span_strip")

    def __init__(self, tok: int, strip: int):
        self.start_tok, self.end_tok, self.strip, self.span_strip = tok, tok + 1, strip, strip


def _tokens(doc) -> Tokens:
    """The language layer's tokens (the stage requires them)."""
    return Tokens.of(doc.tokens)


class EntityStage:
    """Links actor-base mentions, resolves نظيره/الرئيسان/الجانبان, tags unknown names with the CRF model."""

    name = "entities"

    def __init__(self, kb: Optional[ActorBase] = None, tagger: Optional[NerTagger] = None, use_ner: bool = True,
                 ner_networks: Optional[int] = None):
        self.kb = kb or get_actor_base()
        self.coref = coref_words()
        self.tagger = (tagger or get_tagger(ner_networks)) if use_ner else None
        self._strip_cache: dict = {}
        self._gazetteer = None
        self._described: set = set()

    # ------------------------------------------------------------------ helpers
    def _base(self, norm: str) -> str:
        """The token without its proclitics (for coref keywords and blockers)."""
        hit = self._strip_cache.get(norm)
        if hit is None:
            hit = self._strip_cache[norm] = stem(norm)
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
    def link(self, doc, toks: Tokens, date: Optional[str], ents: dict, tagged: Optional[list] = None) -> list:
        """KB mentions as [(start_char, end_char, entity_id, tok_index_start, tok_index_end)].

        A match is a candidate, weighed with the tagger's reading of the sentence (``tagged``, see :meth:`tag`): a
        one-word name that is also an ordinary word of the language (الأمل، جابر as "mender", عباس) is linked only
        where the tagger reads a name there."""
        kb = self.kb
        norms = toks.norms()
        matches = kb.find(norms)
        named = frozenset(c[0] for m in matches for c in m.cands[:1] if c[3] in ("name", "petrarch"))
        chosen: list = []  # [match, candidate]
        for mi, m in enumerate(matches):
            blocked = False
            cand = None
            kinds = {c[3] for c in m.cands}
            if kinds & {"role", "role_fallback", "bare_role"}:
                prev = self._base(norms[m.start_tok - 1]) if m.start_tok > 0 else ""
                nxt = norms[m.end_tok] if m.end_tok < len(norms) else ""
                blocked = prev in kb.role_blockers or nxt in kb.role_blockers_after
                follower = matches[mi + 1] if mi + 1 < len(matches) else None
                if not blocked and follower is not None and follower.start_tok <= m.end_tok + 1:
                    # "الرئيس الأميركي دونالد ترامب": the name picks the office holder
                    holder = kb.choose(follower.cands, date)
                    if holder is not None:
                        cand = next((c for c in m.cands if c[3] == "role" and c[0] == holder[0]), None)
                        if cand is None and "bare_role" in kinds and self._apposed(toks, m.end_tok, follower):
                            # "وزير الدفاع، خلوصي أكار": an office named without its country, then its holder
                            offices = [c[0].split(":", 1)[1] for c in m.cands if c[3] == "bare_role"]
                            if any(kb.holds(holder[0], o, date) for o in offices):
                                cand = [holder[0], None, None, "bare_role", 0.9]
            if cand is None:
                cand = kb.choose(m.cands, date, blocked, named)
            if cand is not None and tagged is not None and not self._name_evidence(m, cand, norms, tagged):
                continue
            if cand is not None:
                chosen.append([m, cand])
        self._coordinated_nationalities(toks, chosen)
        self._resolve_countries(doc, toks, chosen)
        found = []
        for m, cand in chosen:
            a, b = m.start_tok, m.end_tok
            strip = m.span_strip
            inner = self._inner_name(m, cand, tagged) if tagged else None
            if inner is not None:  # "مراسل الجزيرة", "حزب الله اللبناني": the name is what the tagger reads in it
                a, b = inner
                strip = 0
            t0, t1 = toks[a], toks[b - 1]
            start = t0.start + skip_letters(t0.text, strip)
            mention = self._add(doc, ents, start, t1.end, cand[0], "kb", cand[4])
            if mention is not None:
                found.append((start, t1.end, cand[0], m.start_tok, m.end_tok))
                if cand[3] not in ("name", "petrarch"):
                    self._described.add((start, t1.end))
        return found

    def _inner_name(self, m, cand, tagged: list):
        """The tokens of a name the tagger reads strictly inside a KB name match, of the same kind, or None."""
        if cand[3] not in ("name", "petrarch"):
            return None
        want = LABEL_KIND.get(self.kb.actors.get(cand[0], {}).get("label"))
        k = bisect.bisect_left(tagged, (m.start_tok,))
        hit = None
        while k < len(tagged) and tagged[k][0] < m.end_tok:
            s, e, lab, conf = tagged[k]
            if e <= m.end_tok and (s, e) != (m.start_tok, m.end_tok):
                if lab != want or hit is not None:
                    return None
                hit = (s, e)
            elif e > m.end_tok:
                return None
            k += 1
        return hit

    def _name_evidence(self, m, cand, norms, tagged: list) -> bool:
        """Is a KB match acceptable in context? Descriptions (titles, templates) and multi-word names are; a
        one-word name that is an ordinary word needs the tagger to read a name on it."""
        if cand[3] not in ("name", "petrarch"):
            return True
        if self.kb.actors.get(cand[0], {}).get("type") == "person" and self._inside_longer_name(m, tagged):
            return False  # "أحمد بن محمد بن راشد آل مكتوم" is not the KB's محمد بن راشد: the tagger's name wins
        if self._crossed_by_names(m, cand, tagged):
            return False
        if m.end_tok - m.start_tok > 1:
            return True
        word = stem(norms[m.start_tok])
        if not is_ordinary(strip_al(word)) and not is_ordinary(word):
            return True
        if self.tagger is None or not self.tagger.available:
            return True
        k = bisect.bisect_right(tagged, (m.start_tok, 10**9)) - 1
        while k >= 0 and tagged[k][1] > m.start_tok - 20:
            if tagged[k][0] < m.end_tok and tagged[k][1] > m.start_tok:
                return True
            k -= 1
        return False

    def _crossed_by_names(self, m, cand, tagged: list) -> bool:
        """Does the tagger read the words otherwise: a name of another kind that contains the match ("ابيدجان"
        inside the club "أسيك ابيدجان"), or two names of its kind inside it ("مجلس الأمن | التابع | للأمم المتحدة")? Then
        the tagger's names stand, each linked by its own name where the KB knows it."""
        want = LABEL_KIND.get(self.kb.actors.get(cand[0], {}).get("label"))
        if any(lab != want and (s, e) != (m.start_tok, m.end_tok) for s, e, lab in self._around(m, tagged)):
            return True
        k = bisect.bisect_left(tagged, (m.start_tok,))
        inside = 0
        while k < len(tagged) and tagged[k][0] < m.end_tok:
            inside += tagged[k][1] <= m.end_tok and tagged[k][2] == want  # not "مجلس الأمن القومي | بتركيا"
            k += 1
        return inside >= 2

    @staticmethod
    def _around(m, tagged: list):
        """The tagger's names (start, end, label) that cover the whole match, nearest first."""
        k = bisect.bisect_right(tagged, (m.start_tok, 10**9)) - 1
        while k >= 0 and tagged[k][1] > m.start_tok - 20:
            s, e, lab, conf = tagged[k]
            if s <= m.start_tok and e >= m.end_tok:
                yield s, e, lab
            k -= 1

    def _inside_longer_name(self, m, tagged: list) -> bool:
        """Does the tagger read a longer person name around the match (it begins before, or it ends after
        the match by more than one word)?"""
        return any(lab == "PER" and (s < m.start_tok or e > m.end_tok + 1) for s, e, lab in self._around(m, tagged))

    @staticmethod
    def _apposed(toks: Tokens, end_tok: int, follower) -> bool:
        """The name right after a title, at most a comma between and no proclitic on it (not "الرئيس لبوتين")."""
        gap = toks[end_tok:follower.start_tok]
        return follower.strip == 0 and all(t.text in ("،", ",") for t in gap)

    def _coordinated_nationalities(self, toks: Tokens, chosen: list) -> None:
        """"الطائرات الروسية والتركية", "العسكريين الروس والأتراك": the second adjective names the same kind of
        actor of its own country (not the bare country its plural would otherwise give)."""
        kb = self.kb
        adj = kb.adjectives
        by_start = {m.start_tok: k for k, (m, _) in enumerate(chosen)}
        norms = toks.norms()
        extra = []
        for m, cand in chosen:
            if m.end_tok >= len(toks) or kb.actors.get(cand[0], {}).get("type") not in ("group", "org", "country"):
                continue
            c1 = adj.get(norms[m.end_tok - 1])
            nxt = norms[m.end_tok]
            c2 = adj.get(nxt[1:]) if nxt.startswith("و") else None
            if not c1 or not c2 or c1 == c2 or not (cand[0] == c1 or cand[0].startswith(c1 + ".")):
                continue
            aid = c2 + cand[0][len(c1):]
            if aid not in kb.actors:
                continue
            k = by_start.get(m.end_tok)
            if k is not None:
                if chosen[k][0].end_tok != m.end_tok + 1:
                    continue  # the word begins a longer phrase of its own
                chosen[k][1] = [aid, None, None, "template", cand[4]]
            else:
                extra.append([_Single(m.end_tok, 1), [aid, None, None, "template", cand[4]]])
        if extra:
            chosen.extend(extra)
            chosen.sort(key=lambda mc: mc[0].start_tok)

    def _resolve_countries(self, doc, toks: Tokens, chosen: list) -> None:
        """An actor named without its country ("مجلس الأمن القومي") takes the country of the nearest state actor
        in its sentence (before it first): "بوتين … اجتماعا لمجلس الأمن القومي" is Russia's council."""
        kb = self.kb
        todo = [k for k, (_, c) in enumerate(chosen) if kb.actors.get(c[0], {}).get("attrs", {}).get("country_template")]
        if not todo:
            return
        bounds = [(sp.start, sp.end) for sp in doc.sentences]
        starts = [b[0] for b in bounds]

        def sent_of(tok_index: int) -> int:
            return bisect.bisect_right(starts, toks.starts[tok_index]) - 1

        for k in todo:
            m, cand = chosen[k]
            sid = sent_of(m.start_tok)
            near = [j for j in range(len(chosen)) if j != k and sent_of(chosen[j][0].start_tok) == sid]
            near.sort(key=lambda j: (j > k, abs(j - k)))
            for j in near:
                a = kb.actors.get(chosen[j][1][0], {})
                c = a.get("country")
                if not c or len(c) != 3 or c in ("IGO", "NGO", "IMG"):
                    continue
                if a.get("type") not in ("person", "country") and a.get("sector") not in ("GOV", "MIL"):
                    continue
                aid = kb.actors[cand[0]]["attrs"]["country_template"].replace("{C}", c)
                if aid in kb.actors:
                    chosen[k][1] = [aid, None, None, "context", cand[4]]
                break

    # ------------------------------------------------------------------ coreference
    def resolve(self, doc, toks: Tokens, date: Optional[str], ents: dict, found: list) -> list:
        cw = self.coref
        kb = self.kb
        adj = kb.adjectives
        out = []
        starts = [f[0] for f in found]
        taken = {i for f in found for i in range(f[3], f[4])}
        norms = toks.norms()
        n = len(norms)
        for i, norm in enumerate(norms):  # the columns: a Token is made only for the few coreference words
            if i in taken:
                continue
            base = self._base(norm)
            kind = ("counterpart" if base in cw["counterpart"] else "heads" if base in cw["dual_heads"]
                    else "persons" if base in cw["dual_persons"] else "sides" if base in cw["dual_sides"]
                    else "anaphor" if base in cw["anaphors"] else None)
            if kind is None:
                continue
            t = toks[i]
            # nationality adjectives after the word: التركي | التركي والروسي
            c1 = adj.get(norms[i + 1]) if i + 1 < n else None
            c2 = None
            if c1 and i + 2 < n and norms[i + 2].startswith("و"):
                c2 = adj.get(norms[i + 2][1:])
            end_i = i + (3 if c2 else 2 if c1 else 1)
            before = [f for f in found[: bisect.bisect_left(starts, t.start)] if t.start - f[1] <= cw["window"]]
            targets: list = []
            if kind == "counterpart":
                if not c1:
                    continue
                targets = self._counterpart(before, c1, date, ents)
                targets = targets[:1]
            elif kind == "anaphor":  # "الوزير التركي": the Turkish minister named last
                if not c1 or c2:
                    continue
                end_i = i + 2
                suffix = cw["anaphors"][base]
                prior = sorted(before + [o for o in out if o[1] <= t.start and t.start - o[1] <= cw["window"]])
                targets = [next((f[2] for f in reversed(prior) if kb.actors.get(f[2], {}).get("country") == c1
                                 and kb.actors[f[2]].get("type") == "person" and kb.holds(f[2], suffix, date)), None)]
            elif kind == "persons":  # الوزيران: the last two officials of two countries
                targets = self._last_distinct(before, date, heads_only=False, persons_only=True)
            elif kind == "heads":
                countries = [c for c in (c1, c2) if c]
                if len(countries) == 2:
                    targets = [self._head_of(c, date, before, ents) for c in countries]
                else:
                    targets = self._last_distinct(before, date, heads_only=True)
            else:  # sides
                if c1 and c2:
                    tpl = cw["dual_side_ids"].get(base, "{C}")
                    targets = [tpl.replace("{C}", c) if tpl.replace("{C}", c) in kb.actors else c for c in (c1, c2)]
                else:
                    targets = self._last_distinct(before, date, heads_only=False)
            targets = [x for x in targets if x]
            if not targets or (kind not in ("counterpart", "anaphor") and len(targets) < 2):
                continue
            s, e = t.start + skip_letters(t.text, len(norm) - len(base)), toks.ends[end_i - 1]
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

    def _last_distinct(self, before: list, date, heads_only: bool, persons_only: bool = False) -> list:
        kb = self.kb
        office = self.coref["head_office"]
        if not heads_only and not persons_only:  # persons first: "الطرفان" after two leaders' names means the leaders
            heads = self._last_distinct(before, date, True)
            if heads:
                return heads
        seen_c: dict = {}
        for f in reversed(before):
            a = kb.actors.get(f[2], {})
            c = a.get("country")
            if not c or c in ("IGO", "NGO", "IMG") or c in seen_c or a.get("sector") not in STATE_SECTORS:
                continue  # the two sides of talks are states: not the civilians or rebels of one of them
            if persons_only and a.get("type") != "person":
                continue
            if heads_only and not (a.get("type") == "person" and (kb.office_of(f[2], date) == office or date is None and
                                                                 any(o["office"] == office for o in a.get("offices", [])))):
                continue
            seen_c[c] = f[2]
            if len(seen_c) == 2:
                break
        return list(seen_c.values()) if len(seen_c) == 2 else []

    def dependents(self, doc, toks: Tokens, found: list, ents: dict) -> list:
        """"جيش النظام وميليشياته": auxiliaries named by a pronoun right after an armed actor are that actor."""
        phrases = self.coref["dependent_forces"]
        kb = self.kb
        after = {f[4]: f for f in found}  # token right after a mention -> the mention
        out = []
        norms = toks.norms()
        for i, f in sorted(after.items()):  # only the tokens right after a mention
            if i >= len(norms) or not norms[i].startswith("و"):
                continue
            if kb.actors.get(f[2], {}).get("sector") not in ("GOV", "MIL", "REB"):
                continue
            for ph in phrases:
                j = i + len(ph)
                if ph[0] == norms[i][1:] and j <= len(norms) and tuple(norms[i + 1:j]) == ph[1:]:
                    s, e = toks.starts[i] + skip_letters(toks.texts()[i], 1), toks.ends[j - 1]
                    if self._add(doc, ents, s, e, f[2], "coref", 0.8) is not None:
                        out.append((s, e, f[2], i, j))
                    break
        return out

    # ------------------------------------------------------------------ NER
    def _place_name(self, text: str) -> bool:
        """A name the gazetteer knows as a city, country or governorate ("سوتشي" in "مؤتمر سوتشي")."""
        if self._gazetteer is None:
            from ..places.gazetteer import get_gazetteer

            self._gazetteer = get_gazetteer()
        return any(e.kind in ("city", "country", "governorate") for e in self._gazetteer.lookup(text))

    def _affiliation(self, covered: list, text: str, s: int):
        """The group or organisation named right before a person ("السفير البلجيكي مارك …", "الناشط، فلان")."""
        k = bisect.bisect_left(covered, (s,)) - 1
        while k >= 0 and covered[k][1] > s:
            k -= 1
        if k < 0 or text[covered[k][1]:s].strip(" ،,:") != "":
            return None
        a = self.kb.actors.get(covered[k][2], {})
        c = a.get("country")
        if a.get("type") in ("group", "org") and c and len(c) == 3 and c not in ("IGO", "NGO", "IMG"):
            return a
        return None

    def tag(self, doc, toks: Tokens) -> list:
        """The tagger's entity spans over the document, ``[(tok_start, tok_end, label, confidence)]`` sorted."""
        tagger = self.tagger
        if tagger is None or not tagger.available or not toks:
            return []
        tstarts = toks.starts
        texts = toks.texts()
        starts, chunks = [], []
        for sent in doc.sentences:
            a = bisect.bisect_left(tstarts, sent.start)
            b = bisect.bisect_left(tstarts, sent.end)
            for c0 in range(a, b, MAX_NER_TOKENS):
                starts.append(c0)
                chunks.append(texts[c0: min(b, c0 + MAX_NER_TOKENS)])
        out = []
        for c0, spans in zip(starts, tagger.tag_document(chunks, scored=True)):  # both passes over the document
            out.extend((c0 + i, c0 + j, lab, conf) for i, j, lab, conf in spans)
        return out

    def ner(self, doc, toks: Tokens, covered: list, ents: dict, tagged: Optional[list] = None) -> None:
        """Mentions for the tagger's names not already linked. A one-word PER or LOC on an ordinary word of the
        language is kept only when the model is confident of it in context (``STRONG``)."""
        tagger = self.tagger
        if tagger is None or not tagger.available or not toks:
            return
        if tagged is None:
            tagged = self.tag(doc, toks)
        text = doc.text
        cov = sorted((c[0], c[1]) for c in covered)
        covered_sorted = sorted(c[:3] for c in covered)
        cov_starts = [c[0] for c in cov]
        splitter = tagger.features.splitter
        last_names: dict = {}
        trig = tagger.features.trig

        described = self._described

        def overlaps(s, e):
            k = bisect.bisect_right(cov_starts, e) - 1
            while k >= 0:
                cs, ce = cov[k]
                if ce > s and cs < e and not ((cs, ce) in described and cs <= s and e <= ce and (cs, ce) != (s, e)):
                    return True  # (a name inside a title, "الأمين العام | للأمم المتحدة", is a name of its own)
                if ce <= s and k < len(cov) - 1 and cs < s - 400:
                    break
                k -= 1
            return False

        norms = toks.norms()
        actors = self.kb.actors
        # words linked as a description (a nationality, a title: a template actor), not as a name
        linked = {k for c in covered if actors.get(c[2], {}).get("source") == "template" for k in range(c[3], c[4])}
        for i, j, lab, conf in tagged:
            if lab not in NER_LABELS:
                continue
            while i < j and i in linked:  # "السفير البلجيكي | مارك …": a description before a name
                i += 1
            while j > i and j - 1 in linked:
                j -= 1
            if i == j:
                continue
            if j - i == 1 and lab in ("PER", "LOC") and conf < STRONG and self._ordinary(norms[i], lab):
                continue  # "الفيديو", "السجن": an ordinary word, not a name, unless the context is strong
            chunk = toks[i:j]  # Token objects only for what the model tagged
            t0, t1 = chunk[0], chunk[-1]
            base, pre, _ = splitter.split(t0.text)
            strip = len("".join(pre)) if pre else 0
            s = t0.start + skip_letters(t0.text, strip)
            e = t1.end
            if e <= s or overlaps(s, e) or not any(ch.isalpha() for ch in text[s:e]):
                continue
            if all(self._base(t.norm) in trig or strip_al(normalize_word(splitter.split(t.text)[0])) in trig
                   for t in chunk):
                continue  # "ريف", "المدينة": a context word, not a name
            if lab != "LOC" and self._place_name(text[s:e]):
                lab = "LOC"  # the model's ORG/PER on a known city or country ("مؤتمر سوتشي")
            aid = self._alias_name(text[s:e]) if lab != "PER" else None
            if aid is not None:  # "للأمم المتحدة" inside "الأمين العام للأمم المتحدة": the UN, by its name
                self._add(doc, ents, s, e, aid, "kb", 0.8)
                continue
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
                aff = self._affiliation(covered_sorted, text, s) if lab == "PER" else None
                if aff is not None:
                    ent.country, ent.sector = aff["country"], aff.get("sector")
                    ent.attrs["affiliation"] = aff["id"]
                if lab == "PER" and " " in name_norm:
                    last_names.setdefault(name_norm.rsplit(" ", 1)[1], eid)
            ent.mentions.append(m)
            doc.mentions.append(m)

    def _alias_name(self, text: str) -> Optional[str]:
        """The actor a KB *name* alias gives these words (their first word read with its proclitics), or None."""
        words = [normalize_word(w) for w in TOKEN_RE.findall(text)]
        if not words:
            return None
        for first in [words[0]] + [r.stem for r in proclitic_readings(words[0])]:
            for c in self.kb.aliases.get(" ".join([first, *words[1:]]), []):
                if c[3] in ("name", "petrarch") and c[0] in self.kb.actors:
                    return c[0]
        return None

    def _ordinary(self, norm: str, label: str) -> bool:
        """An ordinary word of the language, not a name known as ``label`` (موسكو is frequent, and a place)."""
        word = stem(norm)
        if not (is_ordinary(strip_al(word)) or is_ordinary(word)):
            return False
        lists = self.tagger.features.names.get(strip_al(word), ())
        return ("LOCm" if label == "LOC" else label) not in lists  # a village's name is no evidence

    # ------------------------------------------------------------------ stage
    def __call__(self, doc):
        toks = _tokens(doc)
        date = _article_date(doc)
        self._described: set = set()  # spans the KB linked as a title or description, not as a name
        ents: dict = {e.id: e for e in doc.entities}
        tagged = self.tag(doc, toks)
        found = self.link(doc, toks, date, ents, tagged)
        found.sort()
        corefs = self.resolve(doc, toks, date, ents, found)
        corefs += self.dependents(doc, toks, found, ents)
        self.ner(doc, toks, found + corefs, ents, tagged)
        known = {e.id for e in doc.entities}
        doc.entities.extend(e for eid, e in ents.items() if eid not in known)
        doc.mentions.sort(key=lambda m: (m.span.start, m.span.end))
        return doc


@factory("entities", requires=["sentences", "tokens"], assigns=["mentions", "entities"],
         default_config={"use_ner": True, "ner_networks": None})
def make_entities_stage(use_ner: bool = True, ner_networks: Optional[int] = None):
    """``ner_networks``: how many of the NER second pass's networks run (None: all shipped; 1 is faster)."""
    return EntityStage(use_ner=use_ner, ner_networks=ner_networks)


__all__ = ["EntityStage", "make_entities_stage"]
