"""Reported counts (figures) from one Document.

For each number of a sentence (``doc.numbers`` from the language layer; vague counts such as عشرات stay
ranges with ACLED's conventional value):

* group — the counted noun right after it (مدنيًا، طفلًا، عائلة، نسمة، عنصرًا، "من النساء والأطفال"); "ثلاثة
  آخرون" repeats the previous group; soldiers/fighters get the side from the entity (or fallback actor
  phrase) right after them or between the kind word and the number;
* kind — from the counted noun itself (مصابًا = injured), a kind word right after (نزحوا، بين قتيل وجريح) or
  the nearest kind word before it in the sentence (مقتل، نزوح، أودى بحياة; one-letter typos tolerated);
* qualifier — the phrase right before it (أكثر من، نحو، ما لا يقل عن …);
* reporter — the organisation after a reporting cue (بحسب، وفق إحصائية، في إحصائية لـ) or the speaker of the
  sentence (أكد غوتيريش أن …); an entity id when the entity layer linked it, else its text;
* period — the date after منذ (a DateRef, with its end when the text gives one);
* breakdowns — numbers after بينهم / توزعوا بين / الموزعين على are children (``parent`` = index in
  doc.figures) of the figure of the named kind (الضحايا → killed, الجرحى → injured).

Reporter and period apply within their sentence only, or to the next sentence when it explicitly continues
(وأكدت الإحصائية …، في تلك الفترة); never across unrelated sentences.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..events.extract import COARSE_KINDS
from ..events.fallback import fallback_actors
from ..events.lexicon import (
    FIGURES_DATA,
    has_key,
    key,
    key_set,
    load_json,
    match_phrase,
    one_deletion_variants,
    phrase_keys,
)
from ..view import Tok, doc_view
from ..model import DateRef, Document, Figure, NumberRef

BREAKS = {"،", ",", "؛", ";", ".", ":", "!", "؟"}


@dataclass
class FigLex:
    kind_single: dict
    kind_phrases: list  # (keys, kind)
    kind_phrase_starts: frozenset  # first keys of kind_phrases: most tokens start none, and skip the scan
    kind_typos: dict
    group: dict  # key -> group
    group_kind: dict  # key -> kind
    persons: frozenset
    others: frozenset
    qualifiers: list  # (keys, qualifier), longest first
    reporter_cues: list
    reporter_skip: frozenset
    reporter_stop: frozenset
    reporter_max: int
    speech: frozenset
    breakdown: list
    breakdown_kind: dict
    continuation: frozenset
    continuation_period: list
    period_cues: frozenset
    side_nisba: dict
    win_left: int
    win_right: int
    dual: dict  # key -> group of a noun in the dual (counts two)
    singular: dict  # key -> group of a counted noun in the singular (counts one after a kind word)


@lru_cache(maxsize=1)
def fig_lexicon() -> FigLex:
    d = load_json(FIGURES_DATA / "figures.json")
    single, phrases, typos = {}, [], {}
    for kind, words in d["kinds"].items():
        for w in words:
            ks = tuple(key(p) for p in w.split())
            if len(ks) == 1:
                single.setdefault(ks[0], kind)
            else:
                phrases.append((ks, kind))
    for k, kind in list(single.items()):
        if len(k) >= d.get("typo_min_len", 5):
            for v in one_deletion_variants(k):
                typos.setdefault(v, kind)
    group, group_kind = {}, {}
    for g, words in d["group_nouns"].items():
        for w in words:
            group.setdefault(key(w), g)
    for kind, words in d["group_kinds"].items():
        for w in words:
            group_kind.setdefault(key(w), kind)
    quals = sorted(((ks, q) for q, ws in d["qualifiers"].items() for ks in phrase_keys(ws)), key=lambda x: -len(x[0]))
    bk = {}
    for kind, ws in d["breakdown_kind_words"].items():
        for w in ws:
            bk[key(w)] = kind
    return FigLex(
        kind_single=single,
        kind_phrases=sorted(phrases, key=lambda x: -len(x[0])),
        kind_phrase_starts=frozenset(ks[0] for ks, _ in phrases),
        kind_typos={k: v for k, v in typos.items() if k not in single and len(k) >= 4},
        group=group,
        group_kind=group_kind,
        persons=key_set(d["persons_groups"]),
        others=key_set(d["others"]),
        qualifiers=quals,
        reporter_cues=sorted(phrase_keys(d["reporter_cues"]), key=len, reverse=True),
        reporter_skip=key_set(d["reporter_skip"]),
        reporter_stop=key_set(d["reporter_stop"]),
        reporter_max=int(d["reporter_max_tokens"]),
        speech=key_set(d["speech_verbs"]),
        breakdown=sorted(phrase_keys(d["breakdown_cues"]), key=len, reverse=True),
        breakdown_kind=bk,
        continuation=key_set(d["continuation_nouns"]),
        continuation_period=phrase_keys(d["continuation_period"]),
        period_cues=key_set(d["period_cues"]),
        side_nisba={key(k): v for k, v in d["side_nisba"].items()},
        win_left=int(d["kind_window_left"]),
        win_right=int(d["kind_window_right"]),
        dual={key(w): g for g, ws in d.get("dual_nouns", {}).items() for w in ws},
        singular={key(w): g for g, ws in d.get("singular_nouns", {}).items() for w in ws},
    )


def _is_number_tok(tok: Tok) -> bool:
    return any(ch.isdigit() for ch in tok.text)


def _lookup(tok: Tok, table: dict) -> Optional[str]:
    for k in tok.keys:
        v = table.get(k)
        if v is not None:
            return v
    return None


class FigureExtractor:
    def __init__(self):
        self.lx = fig_lexicon()

    # ------------------------------------------------------------------------------------------ helpers

    def _kind_at(self, toks: list[Tok], k: int, typos: bool = True) -> Optional[tuple[str, int]]:
        """(kind, length) of a kind word/phrase starting at token k."""
        if has_key(toks[k], self.lx.kind_phrase_starts):
            for ks, kind in self.lx.kind_phrases:
                if match_phrase(toks, k, ks):
                    return kind, len(ks)
        v = _lookup(toks[k], self.lx.kind_single)
        if v is None and typos:
            v = _lookup(toks[k], self.lx.kind_typos)
        return (v, 1) if v else None

    def _group_after(self, toks, j, i1):
        """(group, kind implied, groups list, end index) of the counted noun after token j."""
        k = j
        if k < i1 and has_key(toks[k], {"من"}):
            k += 1
        groups, implied, end = [], None, j
        while k < i1:
            g = _lookup(toks[k], self.lx.group)
            gk = _lookup(toks[k], self.lx.group_kind)
            if g is None and gk is None:
                break
            if gk and implied is None:
                implied = gk
            elif gk and implied and gk != implied:
                implied = "casualties"
            if g is not None:
                groups.append("persons" if has_key(toks[k], self.lx.persons) else g)
            elif gk is not None and not groups:
                groups.append("persons")
            end = k + 1
            k += 1
            if k < i1 and not groups[-1:] == ["__"] and toks[k].text.startswith("و") and (
                    _lookup(toks[k], self.lx.group) or _lookup(toks[k], self.lx.group_kind)):
                continue
            break
        if not groups:
            return None, implied, [], end
        uniq = list(dict.fromkeys(groups))
        group = uniq[0] if len(uniq) == 1 else ("civilians" if set(uniq) <= {"women", "children", "elderly", "men", "civilians"} else uniq[0])
        return group, implied, uniq, end

    def _qualifier(self, toks, i, i0) -> Optional[str]:
        for ks, q in self.lx.qualifiers:
            s = i - len(ks)
            if s >= i0 and match_phrase(toks, s, ks):
                return q
        return None

    def _reporter(self, toks, i0, i1, ments):
        """(id or None, text, token index) of the reporting organisation of the sentence."""
        lx = self.lx
        for k in range(i0, i1):
            cue = next((ks for ks in lx.reporter_cues if match_phrase(toks, k, ks)), None)
            if cue is None:
                continue
            s = k + len(cue)
            while s < i1 and (has_key(toks[s], lx.reporter_skip) or not toks[s].text.strip("\"“”«»ـ")):
                s += 1
            m = next((m for m in ments if s <= m.i <= s + 1), None)
            if m is not None and m.source == "entity":
                return m.id, m.text, k
            words = []
            e = s
            while e < i1 and len(words) < lx.reporter_max:
                t = toks[e]
                if has_key(t, lx.reporter_stop) or t.text in BREAKS or any(ch.isdigit() for ch in t.text):
                    break
                if t.text.strip("\"“”«»"):
                    words.append(t.text.strip("\"“”«»"))
                e += 1
            if words:
                text = " ".join(words)
                return None, text, k
        # the speaker of the sentence: "وأكد غوتيريش أن …"
        for k in range(i0, min(i1, i0 + 3)):
            if has_key(toks[k], lx.speech):
                words, stop = [], k + 1
                for e in range(k + 1, min(i1, k + 1 + lx.reporter_max)):
                    t = toks[e]
                    if has_key(t, lx.reporter_stop) or t.text in BREAKS:
                        break
                    words.append(t.text)
                    stop = e + 1
                m = next((m for m in ments if k < m.i < stop), None)
                if m is not None:
                    return (m.id if m.source == "entity" else None), m.text, k
                if words:
                    return None, " ".join(words), k
        return None

    def _period(self, doc, toks, i0, i1) -> tuple[Optional[DateRef], Optional[str]]:
        for k in range(i0, i1):
            if has_key(toks[k], self.lx.period_cues):
                lo = toks[k].end
                hi = toks[min(i1 - 1, k + 3)].end
                for d in doc.dates:
                    if d.span is not None and lo <= d.span.start <= hi:
                        return d, None
                e = k + 1
                while e < i1 and toks[e].text not in BREAKS and e - k <= 8 and not any(
                        match_phrase(toks, e, ks) for ks in self.lx.reporter_cues):
                    e += 1
                return None, doc.text[toks[k].start:toks[e - 1].end]
        return None, None

    def _implicit_counts(self, doc, toks, i0, i1) -> list:
        """Counts a noun gives without a number: a dual (بينهم طفلان = 2), or a singular right after a kind word
        (مقتل مدني = 1). Returned as NumberRefs on the noun, marked ``implicit`` (the noun is also the group)."""
        out = []
        for k in range(i0, i1):
            tk = toks[k]
            g, value = _lookup(tk, self.lx.dual), 2.0
            if g is None and k > i0 and self._kind_at(toks, k - 1, typos=False):
                g, value = _lookup(tk, self.lx.singular), 1.0
            if g is not None and not (k + 1 < i1 and _is_number_tok(toks[k + 1])):
                out.append(NumberRef(span=doc.span(tk.start, tk.end), value=value, attrs={"implicit": g}))
        return out

    def _side(self, toks, ments, a, b):
        for m in ments:
            if a <= m.i <= b:
                return m.id
        for k in range(a, min(b + 1, len(toks))):
            v = _lookup(toks[k], self.lx.side_nisba)
            if v:
                return v
        return None

    # ------------------------------------------------------------------------------------------ main

    def __call__(self, doc: Document) -> Document:
        if not doc.numbers:
            return doc
        view = doc_view(doc)
        toks, idx = view.toks, view.index
        if not toks:
            return doc
        fallback = fallback_actors()
        numbers = sorted(doc.numbers, key=lambda n: n.span.start)
        number_starts = [n.span.start for n in numbers]
        lx = self.lx
        figures = doc.figures
        prev_ctx = None  # (reporter id, reporter text, period, period_text) of the last sentence with figures
        reporters: list = []  # every reporter named so far, for later "الفريق"
        ev_by_sent: dict = {}
        for ev in doc.events:
            if ev.evidence is not None:
                ev_by_sent.setdefault(ev.evidence.start, []).append(ev)
        for sent in doc.sentences:
            i0, i1 = idx.covering(sent.start, sent.end)
            nums = numbers[bisect_left(number_starts, sent.start):bisect_left(number_starts, sent.end)]
            nums = sorted(nums + self._implicit_counts(doc, toks, i0, i1), key=lambda n: n.span.start)
            if not nums or i1 <= i0:
                prev_ctx = None  # continuation only reaches the very next sentence
                continue
            smen = view.mentions_in(i0, i1)
            smen = sorted(smen + fallback.mentions(toks, i0, i1, smen), key=lambda m: m.i)
            rep = self._reporter(toks, i0, i1, smen)
            if rep is not None and rep[0] is None and key(rep[1]) in lx.continuation:
                # "وأوضح الفريق": the team, organisation … named before in the article
                stem = key(rep[1])
                rep = next((r for r in reversed(reporters) if stem in key(r[1] or "") or stem in (r[0] or "")), rep)
            elif rep is not None:
                reporters.append(rep)
            period, period_text = self._period(doc, toks, i0, i1)
            continuing = any(has_key(toks[k], lx.continuation) for k in range(i0, min(i1, i0 + 4)))
            cont_period = any(match_phrase(toks, k, ks) for k in range(i0, i1) for ks in lx.continuation_period)
            if prev_ctx is not None and continuing and rep is None:
                rep = prev_ctx[0]
            if prev_ctx is not None and (continuing or cont_period) and period is None and period_text is None:
                period, period_text = prev_ctx[1], prev_ctx[2]
            splaces = view.places_in(i0, i1)
            fine = [p for p in splaces if getattr(p.place, "kind", "") not in COARSE_KINDS]
            place = fine[0].place.id if len(fine) == 1 else (splaces[0].place.id if len(splaces) == 1 else None)
            sent_events = ev_by_sent.get(sent.start, [])
            event = next((e for e in sent_events if e.type == "ASSAULT"), sent_events[0] if sent_events else None)
            last_top: Optional[int] = None
            last_fig: Optional[Figure] = None
            parent_for_clause: Optional[int] = None
            bk_positions = []
            for k in range(i0, i1):
                for ks in lx.breakdown:
                    if match_phrase(toks, k, ks):
                        bk_positions.append((k, len(ks)))
                        break
            added = 0
            for n in nums:
                ni, nj = idx.covering(n.span.start, n.span.end)
                if nj <= ni:
                    continue
                if n.attrs.get("implicit"):  # the noun itself: طفلان
                    group, implied, groups, gend = n.attrs["implicit"], None, [n.attrs["implicit"]], nj
                else:
                    group, implied, groups, gend = self._group_after(toks, nj, i1)
                other = nj < i1 and has_key(toks[nj], lx.others)
                before = figures[last_top] if last_top is not None else last_fig  # not a breakdown (بينهم طفلان)
                if other and before is not None:  # "وأصيب تسعة آخرون": the group repeats; the kind is looked for
                    group, groups = before.group, [before.group]
                    gend = nj + 1
                kind = implied
                left_kind_pos = None
                if kind is None:  # a kind word just before (مقتل 48، أودى بحياة 229، وأصاب 727)
                    for k in range(ni - 1, max(i0, ni - 3) - 1, -1):
                        if _is_number_tok(toks[k]):
                            break
                        hit = self._kind_at(toks, k)
                        if hit:
                            kind, left_kind_pos = hit[0], k
                            break
                if kind is None:  # a kind word right after (نزحوا، بين قتيل وجريح)
                    for k in range(gend, min(i1, gend + lx.win_right)):
                        if _is_number_tok(toks[k]) or toks[k].text in BREAKS:
                            break
                        hit = self._kind_at(toks, k)
                        if hit:
                            kind = hit[0]
                            break
                if kind is None:
                    for k in range(ni - 1, max(i0, ni - lx.win_left) - 1, -1):
                        if toks[k].text in (".", "؟", "!"):
                            break
                        hit = self._kind_at(toks, k)
                        if hit:
                            kind, left_kind_pos = hit[0], k
                            break
                if kind is None and other and last_fig is not None:
                    kind = last_fig.kind
                # a coordinated second kind after the group: عشرات الضحايا والجرحى
                if kind and gend < i1:
                    k2 = _lookup(toks[gend - 1], lx.group_kind) if gend > nj else None
                    if k2 and k2 != kind:
                        kind = "casualties"
                if group is None:
                    if kind is None:
                        continue
                    # a number right after a kind verb without a noun (وأصاب 727): the sentence's group
                    near = any(self._kind_at(toks, k) for k in range(max(i0, ni - 2), ni))
                    if not near:
                        continue
                    group = last_fig.group if last_fig is not None else "persons"
                if kind is None:
                    continue
                # breakdown parent
                parent = None
                # a breakdown (بينهم …) reaches the numbers of its own clause only
                bk = [p for p in bk_positions if p[0] + p[1] <= ni
                      and not any(toks[x].text in BREAKS for x in range(p[0] + p[1], ni))]
                if bk:
                    bpos, blen = bk[-1]
                    if parent_for_clause is None or parent_for_clause[0] != bpos:
                        want = None
                        for k in range(max(i0, bpos - 3), bpos + blen):
                            v = _lookup(toks[k], lx.breakdown_kind)
                            if v:
                                want = v
                        pidx = None
                        # the parent is in this sentence, or (for a named kind) in the sentence it continues
                        reach = {sent.start} | ({prev_ctx[3]} if (prev_ctx and want) else set())
                        for q in range(len(figures) - 1, -1, -1):
                            f = figures[q]
                            if f.evidence is None or f.evidence.start not in reach:
                                break
                            if f.parent is None and (want is None or f.kind == want):
                                pidx = q
                                break
                        parent_for_clause = (bpos, pidx)
                    parent = parent_for_clause[1]
                    if parent is not None:
                        kind = figures[parent].kind
                qual = self._qualifier(toks, ni, i0)
                side = None
                if group in ("soldiers", "fighters"):
                    side = self._side(toks, smen, gend - 1, min(i1 - 1, gend + 2))
                    if side is None and left_kind_pos is not None:
                        side = self._side(toks, smen, left_kind_pos + 1, ni - 1)
                value = n.value if not n.vague else None
                low = high = None
                if n.vague:
                    low, high = n.low, n.high
                elif qual in ("more_than", "at_least"):
                    low = value
                elif qual in ("up_to", "less_than"):
                    high = value
                pf = figures[parent] if parent is not None else None
                f = Figure(
                    kind=kind,
                    group=group,
                    value=value,
                    low=low,
                    high=high,
                    qualifier=qual,
                    side=side,
                    reporter=(pf.reporter if pf else (rep[0] or rep[1]) if rep else None),
                    reporter_text=(pf.reporter_text if pf else rep[1] if rep else None),
                    period=(pf.period if pf else period),
                    place=place,
                    parent=parent,
                    evidence=sent,
                    article_id=doc.article.id,
                    attrs={"number": n.span.text, "number_span": [n.span.start, n.span.end]},
                )
                if n.vague:
                    f.attrs["vague"] = True
                    f.attrs["acled_value"] = n.acled_value
                if len(groups) > 1:
                    f.attrs["groups"] = groups
                if period is None and period_text and not pf:
                    f.attrs["period_text"] = period_text
                if event is not None:
                    f.attrs["event_id"] = event.id
                if ni > i0 and toks[ni - 1].text == "(" and last_fig is not None:
                    f.attrs["equivalent_of"] = len(figures) - 1
                    f.kind = last_fig.kind
                figures.append(f)
                added += 1
                last_fig = f
                if parent is None:
                    last_top = len(figures) - 1
            if added:
                prev_ctx = (rep, period, period_text, sent.start)
            elif prev_ctx is not None:
                prev_ctx = None  # an unrelated sentence breaks the continuation
        return doc
