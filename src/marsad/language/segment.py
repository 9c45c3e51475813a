"""Sentences and tokens of the clean text.

Sentence ends: . ! ? ؟ … (and runs of them), with closing quotes/brackets kept in the sentence, and every line
break (news paragraphs and headings often have no final punctuation). A dot is not an end after an abbreviation
(د. , م. , ق.م) or inside a number, date or URL (no space follows). A dot glued between two Arabic words
("إدلب.وقال") is an end.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .normalize import normalize, normalize_word
from .resources import load_json

_AR = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3"
_WORD = rf"{_AR}\u0640\u064b-\u065f\u0670"
_DIGITS = r"0-9\u0660-\u0669\u06f0-\u06f9"
# Arabic word (letters, diacritics, tatweel) | number with separators | Latin/ASCII word | any other mark.
# Written as "one non-space character, then the rest of its kind of token" so the engine skips whitespace
# without trying every alternative there; the same tokens as
# [W]+ | [D]+(?:[.,٫٬/:][D]+)* | [A-Za-z0-9_]+(?:['’-][A-Za-z0-9_]+)* | \S
TOKEN_RE = re.compile(
    r"\S"
    rf"(?:(?<=[{_WORD}])[{_WORD}]*"
    rf"|(?<=[{_DIGITS}])[{_DIGITS}]*(?:[.,\u066b\u066c/:][{_DIGITS}]+)*"
    r"|(?<=[A-Za-z0-9_])[A-Za-z0-9_]*(?:['’\-][A-Za-z0-9_]+)*"
    r"|)"
)
_CLOSERS = "\"'”’»)]}›"
_ENDERS = ".!?\u061f\u2026\u06d4"
# Every end begins with an end mark or a line break: sentence_bounds finds those with str.find and matches there.
_END_RE = re.compile(
    rf"[{_ENDERS}\n]"
    r"(?:(?<=\n)"  # a line break
    rf"|(?<=[{_ENDERS}])[{_ENDERS}]*[{re.escape(_CLOSERS)}]*(?=\s|$)"  # end punctuation before a space
    rf"|(?<=[{_AR}]{{2}}\.)(?=[{_AR}]))"  # glued dot between Arabic words
)
# the word before a dot is the trailing run of these characters, [AR\u0640.]+$, in the 12 before it
_PREV_WORD_CHARS = "".join(c for c in map(chr, range(0x700)) if re.match(rf"[{_AR}\u0640.]", c))
_END_CHARS = _ENDERS + "\n"


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset:
    return frozenset(normalize(x) for x in load_json("abbreviations.json")["abbreviations"])


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``[(start, end), …]`` of the sentences of ``text`` (whitespace trimmed, empty ones dropped)."""
    out = []
    start = 0
    match = _END_RE.match
    nxt = 0
    # = _END_RE.finditer(text): every end begins with one of _END_CHARS, found with str.find (a regex scans the
    # text about a hundred times slower), and matched there; finditer's matches do not overlap
    for s in char_positions(text, _END_CHARS):
        if s < nxt:
            continue
        ch = text[s]
        if ch == "\n":  # _END_RE matches a line break alone
            e = nxt = s + 1
            end = s
        else:
            after = text[s + 1 : s + 2]
            if not after or after.isspace():  # end punctuation before a space or the end: _END_RE takes it alone
                e = nxt = s + 1
            else:
                m = match(text, s)
                if m is None:
                    continue
                e = nxt = m.end()
            if ch == "." and (e == s + 1 or text[s:e].rstrip(_CLOSERS) == "."):  # a single dot: abbreviation?
                before = text[max(0, s - 12) : s]
                if before[-1:] == "\n":  # the rule's "$" also matches before a final line break
                    before = before[:-1]
                run = before[len(before.rstrip(_PREV_WORD_CHARS)) :]  # ([AR\u0640.]+)$, without a regex search
                if run and _is_abbreviation(run):
                    continue
            end = e
        _emit(text, start, end, out)
        start = e
    _emit(text, start, len(text), out)
    return out


@lru_cache(maxsize=100_000)
def _is_abbreviation(run: str) -> bool:
    """Does the word before a dot (``run``: letters, tatweel and dots) make the dot an abbreviation's?"""
    w = run.replace("\u0640", "")
    last = w.rsplit(".", 1)[-1]
    abbrevs = _abbreviations()
    return len(last) <= 1 or normalize_word(w) in abbrevs or normalize_word(last) in abbrevs


def char_positions(text: str, chars: str) -> list:
    """Positions in ``text`` of any of ``chars``, in order: ``str.find`` per character, which on a few rare
    characters costs a fraction of a regex scan (the regex engine tries every position)."""
    out = []
    find = text.find
    for ch in chars:
        i = find(ch)
        while i >= 0:
            out.append(i)
            i = find(ch, i + 1)
    out.sort()
    return out


def _emit(text: str, start: int, end: int, out: list) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def token_spans(text: str, start: int = 0, end: int | None = None):
    """``(start, end, token)`` for each token of ``text[start:end]``, offsets into ``text``. (``findall`` and
    ``str.find`` cost less than a match object per token.)"""
    pos = start
    find = text.find
    for w in TOKEN_RE.findall(text, start, len(text) if end is None else end):
        s = find(w, pos)
        pos = s + len(w)
        yield s, pos, w
