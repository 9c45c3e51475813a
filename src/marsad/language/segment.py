"""Sentences and tokens of the clean text.

Sentence ends: . ! ? ؟ … (and runs of them), with closing quotes/brackets kept in the sentence, and every line
break (news paragraphs and headings often have no final punctuation). A dot is not an end after an abbreviation
(د. , م. , ق.م) or inside a number, date or URL (no space follows). A dot glued between two Arabic words
("إدلب.وقال") is an end.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .normalize import normalize
from .resources import load_json

_AR = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3"
# Arabic word (letters, diacritics, tatweel) | number with separators | Latin/ASCII word | any other mark
TOKEN_RE = re.compile(
    rf"[{_AR}\u0640\u064b-\u065f\u0670]+"
    r"|[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,\u066b\u066c/:][0-9\u0660-\u0669\u06f0-\u06f9]+)*"
    r"|[A-Za-z0-9_]+(?:['’\-][A-Za-z0-9_]+)*"
    r"|\S"
)
_CLOSERS = "\"'”’»)]}›"
_END_RE = re.compile(
    rf"(?:[.!?\u061f\u2026\u06d4]+[{re.escape(_CLOSERS)}]*)(?=\s|$)"  # end punctuation before a space
    rf"|(?<=[{_AR}]{{2}})\.(?=[{_AR}])"  # glued dot between Arabic words
    r"|\n"
)
_PREV_WORD = re.compile(rf"([{_AR}\u0640.]+)$")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset:
    return frozenset(normalize(x) for x in load_json("abbreviations.json")["abbreviations"])


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``[(start, end), …]`` of the sentences of ``text`` (whitespace trimmed, empty ones dropped)."""
    abbrevs = _abbreviations()
    out = []
    start = 0
    for m in _END_RE.finditer(text):
        s, e = m.span()
        ch = text[s]
        if ch == "." and text[s:e].rstrip(_CLOSERS) == ".":  # a single dot: abbreviation?
            pw = _PREV_WORD.search(text, max(0, s - 12), s)
            if pw is not None:
                w = pw.group(1).replace("\u0640", "")
                last = w.rsplit(".", 1)[-1]
                if len(last) <= 1 or normalize(w) in abbrevs or normalize(last) in abbrevs:
                    continue
        end = s if ch == "\n" else e
        _emit(text, start, end, out)
        start = e
    _emit(text, start, len(text), out)
    return out


def _emit(text: str, start: int, end: int, out: list) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def token_matches(text: str):
    """Iterator of regex matches, one per token."""
    return TOKEN_RE.finditer(text)
