"""The one full-text search of marsad: Arabic words with their clitics, over the stored articles' normalised text.

Used by the HTTP API (``/api/search``) and by :meth:`marsad.store.base.SQLStore.search` alike.

The query is folded like the stored ``norm_text``. Each query word becomes its stems — as typed, without its
article, and without the proclitics the language layer finds (``marsad.language.forms.query_stems``: «وبإدلب» →
«إدلب», «للرقة» → «رقة») — and a stem matches a whole word of the text written with the word-form model's
proclitics before it (و/ف, then ب/ك/ل, then the article or the ل of لل) and an
attached pronoun after it, ة turning into ت before the pronoun (مدينتها). So «إدلب» finds «وبإدلب» and «الرقة»
finds «بالرقة», «للرقة» and «رقة», but not «حرقة», «الرقتين» or «إدلبي». Every word of the query must occur.

A portable SQL ``LIKE`` on ``norm_text`` (indexed by pg_trgm on PostgreSQL) narrows the candidates, then the word
regex decides and gives the match offsets, mapped back to the clean text for highlighting. Results: most matches
first, then newest, then id.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..errors import Errors, RequestError
from ..language import forms
from ..language.normalize import normalize_with_map

_WORD = re.compile(r"\w+", re.UNICODE)
SNIPPET_CHARS = 90
MAX_SNIPPETS = 3
MIN_WORD = 2
MAX_WORDS = 12

# the proclitics, the article and the attached pronouns are the word-form model's (marsad.language.forms)
PROCLITICS = "(?:[{}])?(?:[{}])?(?:{}|ل)?".format("".join(forms.CONJ), "".join(forms.PREP), forms.ARTICLE)
_PRONOUN = "(?:{})".format("|".join(sorted(forms.PRONOUNS, key=len, reverse=True)))
TA_MARBUTA = forms.fold("ة")


class QueryError(RequestError):
    """A query with no searchable word, or too many."""


def _stems(word: str) -> tuple[str, ...]:
    """A query word's stems (:func:`marsad.language.forms.query_stems`): as typed without its article, and without
    the proclitics the language layer finds."""
    try:
        return forms.query_stems(word, MIN_WORD)
    except Exception:  # pragma: no cover - a splitter failure must not fail the search: the word as typed
        return tuple(f for f in (forms.strip_article(forms.fold(word)),) if len(f) >= MIN_WORD)


def _stem_pattern(stem: str) -> str:
    """A stem with what may follow it: a pronoun, and for a stem in ة, its ت before a pronoun."""
    if stem.endswith(TA_MARBUTA) and len(stem) > 2:
        return f"{re.escape(stem[:-1])}(?:{TA_MARBUTA}|ت{_PRONOUN})"
    return f"{re.escape(stem)}{_PRONOUN}?"


def like_key(stem: str) -> str:
    """The part of a stem every written form of it contains (ة may be written ت before a pronoun)."""
    return stem[:-1] if stem.endswith(TA_MARBUTA) and len(stem) > 2 else stem


@lru_cache(maxsize=4096)
def _stem_re(stem: str) -> re.Pattern:
    return re.compile(_stem_pattern(stem))


@lru_cache(maxsize=512)
def compile_query(q: str) -> tuple[list[tuple[str, ...]], re.Pattern]:
    """The query's words (each a tuple of alternative stems) and one regex matching any stem with its clitics, as a
    whole word (the written stem in group ``w``). Raises :class:`QueryError`."""
    words = [w for w in _WORD.findall(forms.fold(q or "")) if w != "_"]
    groups = [g for g in dict.fromkeys(_stems(w) for w in dict.fromkeys(words)) if g]
    if not groups:
        raise QueryError(Errors.E306)
    if len(groups) > MAX_WORDS:
        raise QueryError(Errors.E307, n=MAX_WORDS)
    stems = sorted({s for g in groups for s in g}, key=len, reverse=True)
    alts = "|".join(_stem_pattern(s) for s in stems)
    return groups, re.compile(rf"(?<!\w){PROCLITICS}(?P<w>{alts})(?!\w)")


def _matches(pattern: re.Pattern, groups: list[tuple[str, ...]], norm: str) -> list[tuple[int, int]]:
    """Spans of the query's words in normalised text, or [] unless every word occurs (AND)."""
    hits = list(pattern.finditer(norm))
    if not hits:
        return []
    written = {m.group("w") for m in hits}
    if not all(any(_stem_re(s).fullmatch(x) for s in g for x in written) for g in groups):
        return []
    return [m.span() for m in hits]


def _snippets(text: str, spans: list[tuple[int, int]]) -> list[dict]:
    out: list[dict] = []
    for s, e in spans:
        if out and s < out[-1]["end_offset"]:
            continue  # already inside the previous snippet
        lo, hi = max(0, s - SNIPPET_CHARS), min(len(text), e + SNIPPET_CHARS)
        marks = [[a - lo, b - lo] for a, b in spans if a >= lo and b <= hi]
        out.append({"text": text[lo:hi], "start_offset": lo, "end_offset": hi, "highlights": marks,
                    "cut_before": lo > 0, "cut_after": hi < len(text)})
        if len(out) >= MAX_SNIPPETS:
            break
    return out


def _neg(s: str) -> str:
    """Sort key that orders ISO date strings newest first inside an ascending sort."""
    return "".join(chr(0x10FFFF - ord(c)) for c in s)


def search(store, q: str, limit: int = 20, offset: int = 0, date_from: Optional[str] = None,
           date_to: Optional[str] = None, outlet: Optional[str] = None) -> dict:
    """``{query, words, forms, total, limit, offset, items}``; each item: id, outlet, title, published, url,
    n_matches and up to three snippets of the clean text with highlight offsets. Raises :class:`QueryError`."""
    from .base import article_conditions, like_anywhere

    groups, pattern = compile_query(q)
    w, params = [], []
    for g in groups:  # one of each word's stems must occur
        w.append("(" + " OR ".join("COALESCE(norm_text, '') LIKE ? ESCAPE '!'" for _ in g) + ")")
        params += [like_anywhere(like_key(x)) for x in g]
    more, more_params = article_conditions(date_from, date_to, outlet)
    w, params = w + more, params + more_params
    cands = store.query(f"SELECT id, published, norm_text FROM articles WHERE {' AND '.join(w)}", params)
    scored = []
    for r in cands:
        hits = _matches(pattern, groups, r["norm_text"] or "")
        if hits:
            scored.append((-len(hits), "" if r["published"] is None else str(r["published"]), r["id"]))
    scored.sort(key=lambda t: (t[0], _neg(t[1]), t[2]))  # most matches first, then newest
    page = scored[offset:offset + limit]
    items = []
    if page:
        ids = [t[2] for t in page]
        rows = {r["id"]: r for r in store.query(
            "SELECT id, outlet, title, published, url, clean_text, raw_text FROM articles WHERE id IN (%s)"
            % ", ".join("?" for _ in ids), ids)}
        for n, _pub, aid in page:
            r = rows[aid]
            text = r["clean_text"] if r["clean_text"] is not None else (r["raw_text"] or "")
            norm, omap = normalize_with_map(text)
            spans = [omap.span_to_source(s, e) for s, e in _matches(pattern, groups, norm)]
            items.append({"id": aid, "outlet": r["outlet"], "title": r["title"], "published": r["published"],
                          "url": r["url"], "n_matches": -n, "snippets": _snippets(text, spans)})
    return {"query": q, "words": [g[0] for g in groups], "forms": [list(g) for g in groups],
            "total": len(scored), "limit": limit, "offset": offset, "items": items}
