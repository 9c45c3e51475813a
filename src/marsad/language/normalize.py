"""Normalisation for matching, with a map back to the original offsets.

Folds the spelling variation that does not change meaning for lookup: alef forms (أ إ آ ٱ → ا),
alef maqsura (ى → ي), ta marbuta (ة → ه), tatweel and diacritics (dropped), Arabic-Indic and Persian digits
(→ ASCII), Latin case. Everything that matches Arabic text (gazetteer, actor base, triggers) should compare
``normalize(x)`` forms; spans found in normalised text go back to the source through the returned map.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import OffsetMap

TATWEEL = "\u0640"
# harakat, tanwin, shadda, sukun, dagger alef, Quranic marks
DIACRITICS = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670"} | {chr(c) for c in range(0x06D6, 0x06EE)}
_DROP = DIACRITICS | {TATWEEL, "\u200c", "\u200d", "\u200e", "\u200f", "\u061c"}

_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ة": "ه",
    "ک": "ك", "ی": "ي", "ھ": "ه",
}
for _i in range(10):
    _FOLD[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _FOLD[chr(0x06F0 + _i)] = str(_i)  # Persian digits

_TABLE = {ord(k): v for k, v in _FOLD.items()}
_DROP_RE = re.compile("[" + "".join(sorted(_DROP)) + "]")
_TABLE.update({ord(c): None for c in _DROP})
# The same table as a list over the BMP: str.translate with a dict raises and clears a KeyError for every
# unmapped character, a list lookup does not (about twice as fast on Arabic text).
_LIST_TABLE: list = list(range(0x10000))
for _k, _v in _TABLE.items():
    _LIST_TABLE[_k] = _v
# The common folds (hamza alefs, alef maqsura, ta marbuta) are done with str.replace, which is far faster
# than translate; texts holding any other character of the table (rare: diacritics, tatweel, Indic digits,
# Persian letters, direction marks) take the full table.
_COMMON = ("أ", "إ", "آ", "ى", "ة")
_COMMON_FOLDS = tuple((k, _FOLD[k]) for k in _COMMON)
_RARE_RE = re.compile("[" + re.escape("".join(sorted(chr(k) for k in _TABLE if chr(k) not in _COMMON))) + "]")
_RARE_FOLD_RE = re.compile("[" + re.escape("".join(sorted(k for k in _FOLD if k not in _COMMON))) + "]")
# Characters str.lower() changes (Latin capitals…; any character beyond the BMP is counted in): Arabic text has
# none, and lower() walks the whole text through the Unicode tables, so it is skipped when this finds nothing.
_CASED_RE = re.compile(
    "[" + re.escape("".join(c for c in map(chr, range(0x10000)) if c.lower() != c)) + "\U00010000-\U0010ffff]"
)
_RARE_OR_CASED_RE = re.compile(_RARE_RE.pattern[:-1] + _CASED_RE.pattern[1:])
# Characters that are in neither class above and make up nearly all news text: Arabic letters, ASCII but the
# capitals, common punctuation. The cased class holds thousands of characters, so searching it costs a slow set
# test per character; a text made only of these characters (a negated class of a few ranges, about 4x faster
# to scan) needs no such search. tests/test_language_fastpaths.py checks normalize on every character.
PLAIN_CHARS = "\u0621-\u063a\u0641-\u064a\t\n\r -@\\[-~\u00a0\u00ab\u00bb\u060c\u061b\u061f\u066a\u2013\u2014\u2018\u2019\u201c\u201d\u2026"
_NOT_PLAIN_RE = re.compile(f"[^{PLAIN_CHARS}]")


def _fold_common(text: str) -> str:
    for k, v in _COMMON_FOLDS:
        text = text.replace(k, v)
    return text


def normalize(text: str) -> str:
    """The match form of ``text`` (no offset map): use for lexicon keys and lookups."""
    if _NOT_PLAIN_RE.search(text) is None or _RARE_OR_CASED_RE.search(text) is None:  # only the common folds apply
        return _fold_common(text)
    if _RARE_RE.search(text) is not None:
        dropped = _DROP_RE.sub("", text)  # marks to drop (diacritics, tatweel…), the usual rare characters
        if _NOT_PLAIN_RE.search(dropped) is None:  # nothing else to fold, nothing lower() changes
            return _fold_common(dropped)
        if _RARE_FOLD_RE.search(text) is not None:
            return text.translate(_LIST_TABLE).lower()
        text = dropped  # only marks to drop: no other fold applies
    return _fold_common(text).lower()


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    return normalize(word)


def normalize_with_map(text: str) -> tuple[str, OffsetMap]:
    """The match form of ``text`` and an OffsetMap from normalised offsets back to ``text`` offsets."""
    if not _DROP_RE.search(text):  # fast path: every fold is one character for one character
        return normalize(text), OffsetMap.identity(len(text))
    # every fold is one character for one character and only the marks in _DROP go: the map is one run per
    # stretch between dropped marks, and the text is normalize's (the same folds, drops and lower())
    omap = OffsetMap()
    pos = prev = 0
    for m in _DROP_RE.finditer(text):
        a = m.start()
        if a > prev:
            omap.add(pos, prev, a - prev)
            pos += a - prev
        prev = m.end()
    if prev < len(text):
        omap.add(pos, prev, len(text) - prev)
    return normalize(text), omap
