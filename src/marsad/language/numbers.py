"""Numbers in Arabic news text: digits (1,200 / 1.200 / ١٬٢٠٠ / 2.5), number words (تسعمائة ألف, خمسة عشر),
mixed forms (مليونين و800 ألف, 900 ألف, 2.5 مليون) and vague counts (عشرات, مئات الآلاف) as ranges with the
ACLED conventional value. Word lists live in data/language/numbers.json.

``find_numbers(text)`` returns plain tuples with offsets into ``text``; ``parse_number(text)`` returns a
:class:`~marsad.model.NumberRef` for the first number in ``text`` (or None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..model import NumberRef, Span, Tokens
from .normalize import normalize, normalize_word
from .resources import load_json

_D = "[\u064b-\u0652\u0640]*"  # optional diacritics / tatweel between letters
_LETTER_CLASS = {"ا": "[اأإآ]", "ه": "[هة]", "ي": "[يى]"}
_DIGIT = "[0-9\u0660-\u0669\u06f0-\u06f9]"
DIGITS = rf"{_DIGIT}+(?:[.,\u066b\u066c]{_DIGIT}+)*"
_NUMERIC = re.compile(r"[0-9]+(?:[.,\u066b\u066c][0-9]+)*")
_ASCII = str.maketrans({chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)})


def word_pattern(word: str) -> str:
    """A regex for ``word`` that accepts alef/ya/ta-marbuta variants and diacritics between letters."""
    n = normalize(word)
    parts = []
    for ch in n:
        parts.append(r"\s+" if ch == " " else _LETTER_CLASS.get(ch, re.escape(ch)))
    return _D.join(parts) + _D


@dataclass
class _Tables:
    words: dict  # normalised word -> (kind, value): kind unit | scale | dual
    vague: dict  # normalised phrase -> dict(low, high, acled_value)
    ordinals: frozenset  # words after which a number word is part of an ordinal (الحادية عشرة)


@lru_cache(maxsize=1)
def tables() -> _Tables:
    d = load_json("numbers.json")
    words: dict = {}
    for w, v in d["units"].items():
        words[normalize(w)] = ("unit", v)
    for w, v in d["scales"].items():
        words[normalize(w)] = ("scale", v)
    for w, v in d["dual_scales"].items():
        words[normalize(w)] = ("dual", v)
    vague = {normalize(k): v for k, v in d["vague"].items()}
    return _Tables(words, vague, frozenset(normalize(w) for w in d["ordinals_before"]))


def digits_value(s: str) -> Optional[float]:
    """Value of a digit string with separators; None for things that are not one number (1.5.2019)."""
    s = s.translate(_ASCII)
    if not _NUMERIC.fullmatch(s):
        return None
    if "\u066b" in s or "\u066c" in s:
        s = s.replace("\u066c", "").replace("\u066b", ".")
        try:
            return float(s)
        except ValueError:
            return None
    for sep in (",", "."):
        if sep in s:
            groups = s.split(sep)
            other = "." if sep == "," else ","
            if other in s:  # 1,200.5 or 1.200,5
                head, _, frac = s.rpartition(other if s.rfind(other) > s.rfind(sep) else sep)
                try:
                    return float(head.replace(",", "").replace(".", "") + "." + frac)
                except ValueError:
                    return None
            if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
                return float("".join(groups))  # thousands separators (1,200 / 1.200 / 1.200.000)
            if len(groups) == 2:
                return float(groups[0] + "." + groups[1])  # decimal (2.5, 2,5)
            return None
    return float(s)


def _groups(atoms):
    """Fold atoms into groups [value, start, end, has_scale, joined_by_wa, is_word_unit, bare_scale_word]."""
    groups = []
    for kind, v, s, e, wa, is_digit, word in atoms:
        g = groups[-1] if groups else None
        if kind == "scale" and g is not None and not wa and not g[3]:
            g[0] *= v
            g[2] = e
            g[3] = True
            g[6] = None
        elif kind == "scale" and g is not None and not wa and g[3] and v > g[0]:
            g[0] *= v  # "مئات الآلاف" style stacking of scales (e.g. 2 مليون ألف is rare): multiply
            g[2] = e
        elif kind == "num" and g is not None and not wa and not is_digit and not g[3] and g[5] and v == 10 and g[0] < 10:
            g[0] += 10  # teens: خمسة عشر
            g[2] = e
        elif kind == "dual":
            groups.append([v, s, e, True, wa, False, None])
        elif kind == "scale":
            groups.append([v, s, e, True, wa, False, word])
        else:
            groups.append([v, s, e, False, wa, not is_digit, None])
    return groups


def _combine(groups):
    """Join groups linked by و into one number when Arabic counts that way; else keep them apart."""
    out = []
    for g in groups:
        if out and g[4]:
            p = out[-1]
            if p[3] and p[0] > g[0]:  # مليونين و800 ألف, ألف وخمسمائة
                p[0] += g[0]
                p[2] = g[2]
                continue
            if p[5] and 1 <= p[0] <= 9 and g[5] and 20 <= g[0] <= 90 and g[0] % 10 == 0:  # خمسة وعشرون
                p[0] += g[0]
                p[2] = g[2]
                continue
        out.append(list(g))
    return out


_TOKEN = re.compile(rf"{DIGITS}|[\u0621-\u064a\u0640\u064b-\u0652\u0670-\u06d3]+|\S")
_SEP_TAIL = re.compile(rf"[.,\u066b\u066c/:]{_DIGIT}")


@lru_cache(maxsize=100_000)
def classify_form(form: str):
    """How a token takes part in a number: None, or (kind, value, prefix_len, word) where kind is
    num | scale | dual | vague | wa (the bare conjunction)."""
    t = tables()
    c = form[0]
    if "0" <= c <= "9" or "\u0660" <= c <= "\u0669" or "\u06f0" <= c <= "\u06f9":
        v = digits_value(form)
        return None if v is None else ("num", v, 0, None)
    n = normalize(form)
    if n == "و":
        return ("wa", 0, 0, None)
    for k in (0, 1):
        if k and (len(n) < 3 or n[0] not in "وبل"):
            break
        w = n[k:]
        hit = t.words.get(w)
        if hit is not None:
            kind, v = hit
            return ("num" if kind == "unit" else kind, v, k, w)
        if w in t.vague:
            return ("vague", 0, k, w)
    return None


def find_numbers(text: str, tokens: Optional[Tokens] = None, candidates=None) -> list[tuple]:
    """``[(start, end, value, low, high, acled_value, vague), …]`` for every number in ``text``, in order.

    ``tokens`` (the language stage's) and ``candidates`` (indices of tokens :func:`classify_form` accepts) let the
    language stage skip re-tokenising."""
    if tokens is None:
        ms = list(_TOKEN.finditer(text))
        starts, ends, forms = [m.start() for m in ms], [m.end() for m in ms], [(m.group(),) for m in ms]
    else:
        starts, ends, forms = tokens.starts, tokens.ends, tokens.forms
    if candidates is None:
        candidates = [i for i, f in enumerate(forms) if (c := classify_form(f[0])) is not None and c[0] != "wa"]
    found: list = []
    nxt = 0
    for i in candidates:
        if i >= nxt:
            nxt = _number_at(text, starts, ends, forms, i, found)
    return found


def _number_at(text: str, starts: list, ends: list, forms: list, i: int, found: list) -> int:
    """Read the number starting at token ``i`` into ``found``; return the index after it. The tokens are given
    as columns: ``starts``, ``ends`` and ``forms`` (tuples whose first item is the token's text)."""
    t = tables()
    n = len(forms)
    s, e, form = starts[i], ends[i], forms[i][0]
    cls = classify_form(form)
    if cls is None or cls[0] == "wa":
        return i + 1
    if cls[0] == "vague":
        vs = s + cls[2]
        key, ve, j = cls[3], e, i + 1
        if j < n:  # two-word vague phrases: عشرات الآلاف
            nxt = normalize_word(forms[j][0])
            if key + " " + nxt in t.vague and text[e : starts[j]].isspace():
                key, ve, j = key + " " + nxt, ends[j], j + 1
        if not (s > 0 and text[s - 1].isalnum()):
            info = t.vague[key]
            found.append((vs, ve, None, float(info["low"]), float(info["high"]), float(info["acled_value"]), True))
        return j
    if s > 0 and (text[s - 1].isalnum() and not (cls[2] == 0 and text[s - 1] == "و" and (s < 2 or not text[s - 2].isalnum()))):
        return i + 1
    if _SEP_TAIL.match(text, e) or (s > 1 and text[s - 1] in ".,\u066b\u066c/:" and text[s - 2].isdigit()):
        return i + 1  # part of a date or version (1.5.2019) that the digit pattern did not take whole
    if i > 0 and normalize_word(forms[i - 1][0]) in t.ordinals:
        return i + 1
    atoms = []
    wa = False
    j = i
    while j < n:
        s2, e2, f2 = starts[j], ends[j], forms[j][0]
        c2 = cls if j == i else classify_form(f2)
        if c2 is None or c2[0] == "vague":
            break
        gap = text[ends[j - 1] : s2] if j > i else ""
        if j > i and gap and not gap.isspace():
            break
        if c2[0] == "wa":
            if wa or j + 1 >= n:
                break
            wa = True
            j += 1
            continue
        if j > i and len(gap) > 3:
            break
        wa = wa or (c2[2] == 1 and f2[0] == "و")
        atoms.append([c2[0], c2[1], s2 + c2[2], e2, wa, c2[3] is None, c2[3]])
        wa = False
        j += 1
    for v, gs, ge, _scale, _wa, _unit, bare in _combine(_groups(atoms)):
        if bare is not None and bare in t.vague:  # "آلاف" with no count before it: vague
            info = t.vague[bare]
            found.append((gs, ge, None, float(info["low"]), float(info["high"]), float(info["acled_value"]), True))
            continue
        found.append((gs, ge, float(v), float(v), float(v), float(v), False))
    return max(j, i + 1)


_WS = re.compile(r"\s+")


def parse_number(text: str) -> Optional[NumberRef]:
    """The first number written in ``text`` ("تسعمائة ألف" → 900000, "عشرات" → 10..99 vague), or None."""
    hits = find_numbers(text)
    if not hits:
        return None
    s, e, v, lo, hi, ac, vg = hits[0]
    return NumberRef(span=Span(s, e, text[s:e]), value=v, low=lo, high=hi, acled_value=ac, vague=vg)
