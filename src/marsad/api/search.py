"""Clitic-aware full-text search over the stored articles' normalised text.

The query is normalised like the stored ``norm_text`` (``marsad.language.normalize.normalize``); each query
word must occur as a whole word, optionally preceded by Arabic proclitics (و ف, then ب ك ل, then the article
ال or the ل of لل), so «إدلب» finds «وبإدلب» and «الرقة» finds «بالرقة», «للرقة» and «رقة», but not «حرقة».
Query words are clitic-aware too: the lexicon-backed splitter of ``marsad.language.morph`` gives «وبإدلب» the
alternative «إدلب», so a word copied from an article finds the other forms of it (either form may match).
A portable SQL ``LIKE`` on ``norm_text`` narrows the candidates (DuckDB and PostgreSQL alike, no extension to
download), then the word regex decides and yields the match offsets, mapped back to the clean text for
highlighting.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..language.normalize import normalize, normalize_with_map
from ..store.base import SQLStore

PROCLITICS = r"(?:[وف])?(?:[بكل])?(?:ال|ل)?"
_WORD = re.compile(r"\w+", re.UNICODE)
SNIPPET_CHARS = 90
MAX_SNIPPETS = 3
MIN_WORD = 2


class QueryError(ValueError):
    pass


def _core(word: str) -> str:
    """A query word without its own proclitic article: الرقه → رقه (the pattern adds ال back optionally)."""
    for pre in ("وال", "بال", "فال", "كال", "لل", "ال"):
        if word.startswith(pre) and len(word) - len(pre) >= 2:
            return word[len(pre):]
    return word


def _splitter():
    try:
        from ..language.morph import get_splitter

        return get_splitter()
    except Exception:  # no lexicon: query words are used as typed
        return None


def _forms(word: str) -> tuple[str, ...]:
    """A normalised query word's match forms: as typed, and without the proclitics the splitter finds."""
    forms = [_core(word)]
    sp = _splitter()
    try:
        base, pre, _suf = sp.split(word) if sp is not None else (word, (), ())
    except Exception:  # a splitter failure must not fail the search
        base, pre = word, ()
    if pre:
        rest = word[len("".join(pre)):]
        if normalize(base).startswith("ال") and not rest.startswith("ال"):
            rest = "ا" + rest  # لل → ل + ال
        forms.append(_core(rest))
    return tuple(f for f in dict.fromkeys(forms) if len(f) >= MIN_WORD)


@lru_cache(maxsize=512)
def compile_query(q: str) -> tuple[list[tuple[str, ...]], re.Pattern]:
    """The query's words (each a tuple of alternative forms) and one regex matching any form with proclitics,
    as whole words."""
    words = [w for w in _WORD.findall(normalize(q or "")) if w != "_"]
    groups = [f for f in dict.fromkeys(_forms(w) for w in dict.fromkeys(words)) if f]
    if not groups:
        raise QueryError("q: give at least one word of two letters or more")
    if len(groups) > 12:
        raise QueryError("q: at most 12 words")
    alts = "|".join(sorted({re.escape(f) for g in groups for f in g}, key=len, reverse=True))
    return groups, re.compile(rf"(?<!\w){PROCLITICS}(?:{alts})(?!\w)")


def _matches(pattern: re.Pattern, groups: list[tuple[str, ...]], norm: str) -> list[tuple[int, int]]:
    hits = [m.span() for m in pattern.finditer(norm)]
    if not hits:
        return []
    tails = {norm[s:e] for s, e in hits}
    ok = all(any(t.endswith(f) for t in tails for f in g) for g in groups)
    return hits if ok else []  # every word must occur (AND)


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


def search(store: SQLStore, q: str, limit: int, offset: int, date_from: Optional[str] = None,
           date_to: Optional[str] = None, outlet: Optional[str] = None) -> dict:
    words, pattern = compile_query(q)
    w, params = [], []
    for g in words:  # one of each word's forms must occur
        w.append("(" + " OR ".join("COALESCE(norm_text, '') LIKE ?" for _ in g) + ")")
        params += [f"%{x}%" for x in g]
    if date_from:
        w.append("published >= ?")
        params.append(date_from)
    if date_to:
        w.append("published <= ?")
        params.append(date_to)
    if outlet:
        w.append("outlet = ?")
        params.append(outlet)
    cands = store.query(f"SELECT id, published, norm_text FROM articles WHERE {' AND '.join(w)}", params)
    scored = []
    for r in cands:
        hits = _matches(pattern, words, r["norm_text"] or "")
        if hits:
            scored.append((-len(hits), "" if r["published"] is None else r["published"], r["id"]))
    # most matches first, then newest
    scored.sort(key=lambda t: (t[0], _neg(t[1]), t[2]))
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
            spans = [omap.span_to_source(s, e) for s, e in _matches(pattern, words, norm)]
            items.append({"id": aid, "outlet": r["outlet"], "title": r["title"], "published": r["published"],
                          "url": r["url"], "n_matches": -n, "snippets": _snippets(text, spans)})
    return {"query": q, "words": [g[0] for g in words], "forms": [list(g) for g in words], "total": len(scored),
            "limit": limit, "offset": offset, "items": items}


def _neg(s: str) -> str:
    """Sort key that orders ISO date strings newest first inside an ascending sort."""
    return "".join(chr(0x10FFFF - ord(c)) for c in s)
