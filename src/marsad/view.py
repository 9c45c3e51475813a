"""The lookup view of a Document, made once per document and shared by the stages that read tokens.

``doc_view(doc)`` gives the document's tokens with their lexicon keys (from the one word-form model,
:mod:`marsad.language.forms`), a character-offset index over them (in the manner of spaCy's ``Doc.char_span``),
and the mention views the events and figures stages both read: entity mentions and place mentions in
token coordinates. It is built from the language layer's token columns; a stage that reads it declares that it
requires ``tokens``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Optional

from .language.forms import ARTICLE, fold, lookup_keys
from .model import Document, Tokens


@dataclass(slots=True)
class Tok:
    """One token as the lexicon-reading stages see it."""

    start: int
    end: int
    text: str
    keys: tuple  # lookup keys, most specific first (forms.lookup_keys)
    prefixed: bool  # had a preposition or the article (a noun reading is likelier)
    procl: str = ""  # proclitic letters split off (و، ب، ل …)
    encl: str = ""  # attached pronoun split off (ودعاهما → هما)
    base: str = ""  # the word without its clitics (للنظام → النظام)


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
    """A place mention in token coordinates."""

    i: int
    j: int
    start: int
    end: int
    place: object


class TokIndex:
    """Token lookup by character offset."""

    def __init__(self, toks: list[Tok]):
        self.toks = toks
        self.starts = [t.start for t in toks]
        self.ends = [t.end for t in toks]

    def covering(self, start: int, end: int) -> tuple[int, int]:
        """Token index range [i, j) overlapping characters [start, end)."""
        i = bisect.bisect_right(self.ends, start)
        j = bisect.bisect_left(self.starts, end)
        return i, max(i, j)


def has_key(tok: Tok, keys) -> bool:
    """Is one of the token's lookup keys in ``keys`` (a set of keys, or any container)?"""
    if type(keys) is frozenset or type(keys) is set:  # the usual case, tested in C
        return not keys.isdisjoint(tok.keys)
    return any(k in keys for k in tok.keys)


def in_range(items: list, firsts: Optional[list], i0: int, i1: int) -> list:
    """The items (sorted by ``.i``; ``firsts`` their ``.i`` values, or None) lying inside token range [i0, i1): found
    by bisection, so a stage walking the sentences of a long article does not rescan every mention for each
    sentence."""
    firsts = firsts if firsts is not None else [m.i for m in items]
    lo = bisect.bisect_left(firsts, i0)
    hi = bisect.bisect_left(firsts, i1, lo)
    return [m for m in items[lo:hi] if m.j <= i1]


def as_written(toks: list, i: int, start: int, text: str) -> str:
    """A mention's text as a name is written on its own: without the proclitics of its first word (للنظام →
    النظام, وبوتين → بوتين), so actor and recipient texts read as names. A word with an attached pronoun keeps
    its surface (its base alone would change the meaning)."""
    t = toks[i]
    if t.procl and t.base and not t.encl and start == t.start and text.startswith(t.text):
        return t.base + text[len(t.text):]
    return text


class DocView:
    """Tokens with lookup keys, their offset index, and the document's mentions in token coordinates."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.toks = _lookup_tokens(doc.tokens)
        self.index = TokIndex(self.toks)
        self._tokens, self._text = doc.tokens, doc.text
        self._ents: Optional[tuple] = None  # (key, mentions, their first tokens), see _cached
        self._places: Optional[tuple] = None

    def current(self, doc: Document) -> bool:
        return self._tokens is doc.tokens and self._text is doc.text

    def _cached(self, slot: str, key: tuple, build) -> tuple:
        """``(items, their first tokens)`` built by ``build`` and kept in ``slot`` while ``key`` (the sizes of
        the document's layers it reads) stays the same."""
        hit = getattr(self, slot)
        if hit is None or hit[0] != key:
            items = build()
            hit = (key, items, [m.i for m in items])
            setattr(self, slot, hit)
        return hit[1], hit[2]

    def _entity_key(self) -> tuple:
        return (len(self.doc.entities), len(self.doc.mentions))

    def entity_mentions(self) -> list[M]:
        """Linked entity mentions and linked non-place mentions, by position (longest first at a position)."""
        return self._cached("_ents", self._entity_key(), self._entity_mentions)[0]

    def mentions_in(self, i0: int, i1: int) -> list[M]:
        """The entity mentions inside token range [i0, i1) (a sentence)."""
        return in_range(*self._cached("_ents", self._entity_key(), self._entity_mentions), i0, i1)

    def place_mentions(self) -> list[P]:
        """Place mentions by position."""
        return self._cached("_places", (len(self.doc.places),), self._place_mentions)[0]

    def places_in(self, i0: int, i1: int) -> list[P]:
        """The place mentions inside token range [i0, i1)."""
        return in_range(*self._cached("_places", (len(self.doc.places),), self._place_mentions), i0, i1)

    def _entity_mentions(self) -> list[M]:
        doc, idx = self.doc, self.index
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
                out.append(M(i, j, span.start, span.end, eid, as_written(idx.toks, i, span.start, text or span.text),
                             "entity"))

        for e in doc.entities:
            for m in e.mentions:
                add(m.span, e.id, m.span.text)
        for m in doc.mentions:
            if m.entity_id and m.label not in ("LOC", "GPE"):
                add(m.span, m.entity_id, m.span.text)
        out.sort(key=lambda m: (m.i, -(m.j - m.i)))
        return out

    def _place_mentions(self) -> list[P]:
        out = []
        covering = self.index.covering
        for p in self.doc.places:
            for m in p.mentions:
                i, j = covering(m.span.start, m.span.end)
                if j > i:
                    out.append(P(i, j, m.span.start, m.span.end, p))
        out.sort(key=lambda p: p.i)
        return out


def doc_view(doc: Document) -> DocView:
    """The document's view, made on first call and kept on the document while its tokens and text stay the same
    (the events and figures stages read the same one)."""
    view = doc.__dict__.get("_view")
    if view is None or not view.current(doc):
        view = DocView(doc)
        doc.__dict__["_view"] = view
    return view


def _lookup_tokens(tokens: Tokens) -> list[Tok]:
    out: list[Tok] = []
    toks = Tokens.of(tokens)
    seen: dict = {}  # id of a shared form -> what its tokens get (worked out once per form)
    for s, e, form in zip(toks.starts, toks.ends, toks.forms):
        got = seen.get(id(form))
        if got is None:
            w, _norm, base, prefixes, suffixes = form
            base = base or ""
            # the article or a preposition makes a noun reading likelier; the conjunction و/ف does not (ونفت، فقصفت)
            pre = any(x not in ("و", "ف") for x in (prefixes or ())) or fold(base or w).startswith(ARTICLE)
            got = (w, lookup_keys(w, base), pre, "".join(prefixes or ()), "".join(suffixes or ()), base)
            seen[id(form)] = got
        out.append(Tok(s, e, *got))
    return out


__all__ = ["DocView", "M", "P", "Tok", "TokIndex", "as_written", "doc_view", "in_range"]
