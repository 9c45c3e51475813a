"""Dates in Arabic news text, resolved against the publication date, and inference of the publication date.

Forms read (names in data/language/calendar.json): "29 من أيار [2019] [الماضي]", "يومي 28 و29 حزيران القادم",
"نيسان الماضي", "أيار 2019", "الشهر الماضي", "19 من الشهر الحالي", "1.5.2019", "2019-05-01", "عام 2020",
"اليوم [الخميس]", "مساء أمس الاثنين", "الجمعة المقبل", "الأحد الماضي", "منذ … وحتى اليوم" (a range).

``scan_dates(text)`` finds the expressions (unresolved); ``resolve(found, published)`` turns one into a DateRef;
``infer_publication_date(doc)`` reads the article's own evidence when no publication date is known.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Optional

from ..model import DateRef
from .normalize import normalize, normalize_word
from .numbers import word_pattern
from .resources import load_json
from .segment import token_spans

_DIG = "[0-9\u0660-\u0669\u06f0-\u06f9]"
_ASCII = str.maketrans({chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)})
YEAR_RANGE = (2000, 2030)
_YR = rf"(?:19|20|\u0661\u0669|\u0662\u0660|\u06f1\u06f9|\u06f2\u06f0){_DIG}{{2}}"  # a year, in any of the three digit scripts


def _alt(words) -> str:
    return "|".join(word_pattern(w) for w in sorted(set(words), key=lambda w: len(normalize(w)), reverse=True))


@dataclass
class _Cal:
    months: dict
    weekdays: dict
    day_words: dict
    rel: dict  # normalised qualifier -> past | future | current
    regexes: list
    since_re: "re.Pattern"
    until_re: "re.Pattern"
    anchors: frozenset  # normalised words every date expression contains one of
    heads: list  # per regex: its leading word(s), a match can only start where one matches (see _head_starts)
    needs_digit: list  # per regex: does every match hold a digit?
    needs_later: list  # per regex: index of the regex whose head every match holds at a later token, or None


@lru_cache(maxsize=1)
def calendar() -> _Cal:
    c = load_json("calendar.json")
    months = {normalize(k): v for k, v in c["months"].items()}
    weekdays = {normalize(k): v for k, v in c["weekdays"].items()}
    day_words = {normalize(k): v for k, v in c["day_words"].items()}
    rel = {normalize(w): "past" for w in c["past"]}
    rel.update({normalize(w): "future" for w in c["future"]})
    rel.update({normalize(w): "current" for w in c["current"]})
    ambiguous = {normalize(x) for x in c["ambiguous_months"]}
    MON = _alt(c["months"])
    MON_SAFE = _alt(k for k in c["months"] if normalize(k) not in ambiguous)
    WD = _alt(c["weekdays"])
    DW = _alt(c["day_words"])
    TOD = _alt(c["times_of_day"])
    REL = _alt(c["past"] + c["future"] + c["current"])
    YEARW = _alt(c["year_word"])
    B = r"(?<![\w.])"  # left boundary
    E = r"(?![\w])"  # right boundary
    month_grp = rf"(?P<m>{MON}){E}(?:\s*[/(]\s*(?:{MON})\s*\)?)?"
    year_tail = rf"(?:\s*[،,/]?\s*(?:من\s+)?(?:(?:{YEARW})\s+)?(?P<y>{_YR}){E})?"
    lead = rf"(?:(?P<tod>{TOD})\s+)?(?:(?P<dw>{DW})\s+)?(?:(?:يوم\s+)?(?P<wd>{WD})\s*[،,]?\s+)?"
    BARE_LEAD = "في|خلال|منذ|حتى|مطلع|أواخر|اواخر|أوائل|اوائل|منتصف|نهاية|بداية|شهر"
    regexes = [
        ("dmy", re.compile(
            rf"{B}{lead}(?P<d>{_DIG}{{1,2}})(?:\s*و\s*(?P<d2>{_DIG}{{1,2}}))?(?:\s+|\s*/\s*)(?:من\s+)?(?:شهر\s+)?{month_grp}{year_tail}(?:\s+(?P<rel>{REL}){E})?")),
        ("d_this_month", re.compile(rf"{B}(?P<d>{_DIG}{{1,2}})\s+(?:من\s+)?الشهر\s+(?P<rel>{REL}){E}")),
        ("numeric", re.compile(
            rf"{B}(?:(?P<d>{_DIG}{{1,2}})[./-](?P<m>{_DIG}{{1,2}})[./-](?P<y>{_YR})|(?P<y2>{_YR})(?P<sep>[-/])(?P<m2>{_DIG}{{1,2}})(?P=sep)(?P<d2>{_DIG}{{1,2}})){E}")),
        ("my", re.compile(rf"{B}(?:شهر\s+)?{month_grp}\s*[،,]?\s*(?:من\s+)?(?:(?:{YEARW})\s+)?(?P<y>{_YR}){E}")),
        ("m_rel", re.compile(rf"{B}(?:شهر\s+)?{month_grp}\s+(?P<rel>{REL}){E}")),
        ("m_bare", re.compile(rf"(?<=\s)(?:(?:{BARE_LEAD})\s+)(?P<m>{MON_SAFE}){E}(?:\s+(?P<rel>{REL}){E})?")),
        ("this_month", re.compile(rf"{B}الشهر\s+(?P<rel>{REL}){E}")),
        ("year", re.compile(rf"{B}(?:{YEARW}|في)\s+(?P<y>{_YR}){E}")),
        ("day", re.compile(rf"{B}(?:و)?(?:(?P<tod>{TOD})\s+)?(?P<dw>{DW}){E}(?:\s+(?P<wd>{WD}){E})?")),
        ("weekday", re.compile(rf"{B}(?:و)?(?:(?P<tod>{TOD})\s+)?(?:يوم\s+)?(?P<wd>{WD}){E}(?:\s+(?P<rel>{REL}){E})?")),
    ]
    # What each regex above can begin with (its optional leading words included; names cut to their first
    # word so a head never runs past a token). Must follow the regexes: tests/test_language_dates.py checks
    # the head-driven scan against a scan at every position.
    TOD1, DW1, WD1, MON1 = (
        _alt(normalize(w).split()[0] for w in c[k]) for k in ("times_of_day", "day_words", "weekdays", "months")
    )
    heads = {
        "dmy": rf"{TOD1}|{DW1}|يوم|{WD1}|{_DIG}",
        "d_this_month": _DIG,
        "numeric": _DIG,
        "my": rf"شهر|{MON1}",
        "m_rel": rf"شهر|{MON1}",
        "m_bare": BARE_LEAD,
        "this_month": "الشهر",
        "year": rf"{YEARW}|في",
        "day": rf"و?(?:{TOD1}|{DW1})",
        "weekday": rf"و?(?:{TOD1}|يوم|{WD1})",
    }
    anchors = set()
    for group in ("months", "weekdays", "day_words"):
        for k in c[group]:
            anchors.add(normalize(k).split()[-1 if group == "day_words" else 0])
    anchors.update(normalize(w) for w in c["year_word"] + c["month_word"])
    since_re = re.compile(rf"(?:{_alt(c['since'])})\s*$")
    until_re = re.compile(rf"^\s*(?:{_alt(c['until'])})\s+(?:(?P<dw>{DW})|الآن|الان){E}")
    needs_digit = {"dmy", "d_this_month", "numeric", "my", "year"}
    kinds = [kind for kind, _ in regexes]
    # a month after whitespace starts a token where the "my" head matches; so does "الشهر" for "this_month"
    needs_later = {"dmy": "my", "m_bare": "my", "d_this_month": "this_month"}
    return _Cal(months, weekdays, day_words, rel, regexes, since_re, until_re, frozenset(anchors),
                [re.compile(heads[kind]) for kind in kinds], [kind in needs_digit for kind in kinds],
                [kinds.index(needs_later[kind]) if kind in needs_later else None for kind in kinds])


@dataclass(slots=True)
class Found:
    """A date expression found in text, before resolution."""

    kind: str
    start: int
    end: int
    text: str
    d: Optional[int] = None
    d2: Optional[int] = None
    m: Optional[int] = None
    y: Optional[int] = None
    wd: Optional[int] = None  # weekday 0=Monday
    day_offset: Optional[int] = None  # اليوم 0, أمس -1 …
    rel: Optional[str] = None  # past | future | current
    since: bool = False
    until_offset: Optional[int] = None  # "وحتى اليوم" → 0
    attrs: dict = field(default_factory=dict)


def _int(s: Optional[str]) -> Optional[int]:
    return int(s.translate(_ASCII)) if s else None


_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+|[0-9\u0660-\u0669]{4}|[0-9\u0660-\u0669]{1,2}[./-][0-9\u0660-\u0669]{1,2}[./-]")
_WINDOW = 48


def is_anchor(norm: str) -> bool:
    """Does a (normalised) token make a date expression possible around it?"""
    anchors = calendar().anchors
    return (
        norm in anchors
        or (norm[:1].isdigit() and (len(norm) == 4 or "." in norm or "/" in norm or "-" in norm))
        or (len(norm) > 3 and norm[0] in "وب" and norm[1:] in anchors)
    )


def _windows(text: str, spots=None) -> list[tuple[int, int]]:
    """Stretches of ``text`` around anchor words (month/weekday/day names, الشهر, عام, years): the date
    regexes only run there, which keeps the layer fast on long texts. ``spots``: anchor (start, end) pairs
    already found by the caller."""
    if spots is None:
        spots = []
        for m in _WORD.finditer(text):
            w = m.group()
            if w[0].isdigit() or _anchor_form(w):
                spots.append(m.span())
    out: list = []
    for s, e in spots:
        s, e = max(0, s - _WINDOW), min(len(text), e + _WINDOW)
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


@lru_cache(maxsize=50_000)
def _anchor_form(w: str) -> bool:
    n = normalize(w)
    anchors = calendar().anchors
    return n in anchors or (len(n) > 3 and n[0] in "وب" and n[1:] in anchors)


_INNER = re.compile(r"(?<=[^\w.]).")  # positions inside a token where a regex's left boundary can hold
_HEADS: dict = {}  # token form -> head_kinds(form)
_DIGIT = re.compile(_DIG)
_SPACES = re.compile(r"\s+")


def head_kinds(form: str) -> tuple:
    """``((offset, regex indices), …)``: where in the token ``form`` a date regex may start (its head matches
    there). Usually ``()``. The language stage collects these with its tokens (see :func:`scan_dates`)."""
    hit = _HEADS.get(form)
    if hit is not None:
        return hit
    heads = calendar().heads
    out = []
    for q in [0] + [m.start() for m in _INNER.finditer(form)]:
        kinds = tuple(k for k, hx in enumerate(heads) if hx.match(form, q))
        if kinds:
            out.append((q, kinds))
    out = tuple(out)
    if len(_HEADS) < 100_000:
        _HEADS[form] = out
    return out


def _head_starts(text: str, ws: int, we: int) -> list:
    """``[(position, regex indices), …]`` in ``text[ws:we]`` where a date regex may start: every match starts
    at a token start, or inside a token after a mark that is no word character (the regexes' left boundary),
    and there its head matches."""
    out = []
    for s, _, w in token_spans(text, ws, we):
        for q, kinds in head_kinds(w):  # cached per form
            out.append((s + q, kinds))
    return out


def _candidates(text: str, spots=None, heads=None) -> list:
    """``[(start, -length, regex index, match), …]``, sorted: the matches of every regex in every window.

    The same as running ``rx.finditer(text, ws, we)`` for each window and regex (tests/test_language_fastpaths.py),
    but each regex is only tried where its head matches, and only if the window holds what it needs further on
    (a digit; a month or "الشهر" after whitespace, which is a token whose head matches): the regexes open with
    optional words, and trying them at every position cost most of the language layer's time.
    ``heads``: ``[(position, regex indices), …]`` over all of ``text``, in order (else found per window)."""
    cal = calendar()
    regexes = cal.regexes
    needs_digit, needs_later = cal.needs_digit, cal.needs_later
    cands = []
    for ws, we in _windows(text, spots):
        if heads is None:
            starts = _head_starts(text, ws, we)
        else:
            starts = heads[bisect_left(heads, (ws,)) : bisect_left(heads, (we,))]
        if not starts:
            continue
        next_digit = -1  # the first digit at or after the current position (found when needed), else we
        last_head = {}  # regex index -> last position in the window where its head matches
        for p, kinds in starts:
            for k in kinds:
                last_head[k] = p
        nxt = [ws] * len(regexes)  # where each regex may match next: finditer's matches do not overlap
        for p, kinds in starts:
            for k in kinds:
                if p < nxt[k]:
                    continue
                if needs_digit[k]:
                    if next_digit < p:
                        m = _DIGIT.search(text, p, we)
                        next_digit = m.start() if m is not None else we
                    if next_digit >= we:
                        continue
                j = needs_later[k]
                if j is not None and last_head.get(j, -1) <= p:
                    continue
                m = regexes[k][1].match(text, p, we)
                if m is not None:
                    e = m.end()
                    cands.append((p, p - e, k, m))
                    nxt[k] = e
    cands.sort(key=_BY_START_LENGTH_REGEX)
    return cands


_BY_START_LENGTH_REGEX = itemgetter(0, 1, 2)


def scan_dates(text: str, spots=None, heads=None) -> list[Found]:
    """Date expressions of ``text`` (``spots``: anchor spans found by the caller, see :func:`is_anchor`;
    ``heads``: ``[(token start + offset, regex indices), …]`` for the tokens of ``text``, see :func:`head_kinds`)."""
    cal = calendar()
    regexes = cal.regexes
    out: list[Found] = []
    last_end = -1
    for s, neg, k, m in _candidates(text, spots, heads):
        kind = regexes[k][0]
        if s < last_end:
            continue
        g = m.groupdict()
        f = Found(kind, s, m.end(), m.group(0))
        if kind == "numeric":
            f.d, f.m, f.y = _int(g["d"] or g["d2"]), _int(g["m"] or g["m2"]), _int(g["y"] or g["y2"])
            if not (1 <= (f.m or 0) <= 12 and 1 <= (f.d or 0) <= 31):
                continue
        else:
            f.d, f.d2, f.y = _int(g.get("d")), _int(g.get("d2")), _int(g.get("y"))
            if g.get("m"):
                f.m = cal.months.get(normalize_word(_SPACES.sub(" ", g["m"])))
            if f.d is not None and not 1 <= f.d <= 31 or f.d2 is not None and not 1 <= f.d2 <= 31:
                continue
        if g.get("wd"):
            f.wd = cal.weekdays.get(normalize_word(g["wd"]))
        if g.get("dw"):
            f.day_offset = cal.day_words.get(normalize_word(_SPACES.sub(" ", g["dw"])))
        if g.get("rel"):
            f.rel = cal.rel.get(normalize_word(g["rel"]))
        if g.get("tod"):
            f.attrs["time_of_day"] = g["tod"]
        # range markers
        if cal.since_re.search(text, max(0, s - 16), s):
            f.since = True
        um = cal.until_re.match(text[f.end : f.end + 30])
        if um and f.since:
            f.until_offset = cal.day_words.get(normalize(um.group("dw"))) if um.group("dw") else 0
            f.end += um.end()
            f.text = text[f.start : f.end]
        out.append(f)
        last_end = f.end
    return out


# ---------------------------------------------------------------------------------------------- resolution


def _safe_date(y: int, m: int, d: int) -> Optional[dt.date]:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _pick_year(m: int, d: Optional[int], rel: Optional[str], P: dt.date) -> Optional[dt.date]:
    """The year of day/month (or month) m/d relative to P: past → latest before P, future → earliest after,
    current → P's year, none → nearest to P."""
    cands = []
    for y in (P.year - 1, P.year, P.year + 1):
        x = _safe_date(y, m, d or 1)
        if x is not None:
            cands.append(x)
    if not cands:
        return None
    if d is None:
        pm = dt.date(P.year, P.month, 1)
        if rel == "past":
            c = [x for x in cands if x < pm]
            return max(c) if c else None
        if rel == "future":
            c = [x for x in cands if x > pm]
            return min(c) if c else None
        if rel == "current":
            return dt.date(P.year, m, 1)
        return min(cands, key=lambda x: (abs((x - pm).days), -x.toordinal()))
    if rel == "past":
        c = [x for x in cands if x < P]
        return max(c) if c else None
    if rel == "future":
        c = [x for x in cands if x > P]
        return min(c) if c else None
    if rel == "current":
        return _safe_date(P.year, m, d)
    return min(cands, key=lambda x: (abs((x - P).days), -x.toordinal()))


def _weekday_near(wd: int, rel: Optional[str], P: dt.date) -> dt.date:
    delta = (P.weekday() - wd) % 7
    if rel == "future":
        ahead = (wd - P.weekday()) % 7 or 7
        return P + dt.timedelta(days=ahead)
    if rel == "past":
        return P - dt.timedelta(days=delta or 7)
    if rel == "current":
        ahead = (wd - P.weekday()) % 7
        return P + dt.timedelta(days=ahead)
    return P - dt.timedelta(days=delta)  # bare weekday in news: the latest one, today included


def resolve(f: Found, P: Optional[dt.date]) -> list[tuple[str, str, Optional[str]]]:
    """``[(iso_value, precision, iso_end_or_None), …]`` for one expression ("يومي 28 و29" gives two)."""
    out: list = []
    end = None
    if f.until_offset is not None and P is not None:
        end = (P + dt.timedelta(days=f.until_offset)).isoformat()
    elif f.since and P is not None:
        end = P.isoformat()
    k = f.kind
    if k in ("dmy", "numeric"):
        days = [f.d] + ([f.d2] if f.d2 else [])
        for d in days:
            if f.y:
                x = _safe_date(f.y, f.m, d)
            elif P is not None:
                x = _pick_year(f.m, d, f.rel, P)
            else:
                x = None
            if x is not None:
                out.append((x.isoformat(), "day", end))
    elif k == "d_this_month" and P is not None:
        base = dt.date(P.year, P.month, 1)
        if f.rel == "past":
            base = (base - dt.timedelta(days=1)).replace(day=1)
        elif f.rel == "future":
            base = (base + dt.timedelta(days=32)).replace(day=1)
        x = _safe_date(base.year, base.month, f.d)
        if x is not None:
            out.append((x.isoformat(), "day", end))
    elif k == "my":
        out.append((dt.date(f.y, f.m, 1).isoformat(), "month", end))
    elif k in ("m_rel", "m_bare") and P is not None and f.m:
        x = _pick_year(f.m, None, f.rel, P)
        if x is not None:
            out.append((x.isoformat(), "month", end))
    elif k == "this_month" and P is not None:
        base = dt.date(P.year, P.month, 1)
        if f.rel == "past":
            base = (base - dt.timedelta(days=1)).replace(day=1)
        elif f.rel == "future":
            base = (base + dt.timedelta(days=32)).replace(day=1)
        out.append((base.isoformat(), "month", end))
    elif k == "year":
        out.append((dt.date(f.y, 1, 1).isoformat(), "year", end))
    elif k == "day" and P is not None and f.day_offset is not None:
        out.append(((P + dt.timedelta(days=f.day_offset)).isoformat(), "day", end))
    elif k == "weekday" and P is not None and f.wd is not None:
        out.append((_weekday_near(f.wd, f.rel, P).isoformat(), "day", end))
    return out


def date_refs(text: str, published: Optional[DateRef], make_span, found: Optional[list] = None) -> tuple[list, list]:
    """DateRefs for ``text`` resolved against ``published`` (day precision needed for relative forms);
    also a list of warnings (weekday that does not match the date it names)."""
    P = None
    if published is not None and published.value and published.precision == "day":
        P = dt.date.fromisoformat(published.value[:10])
    refs, warnings = [], []
    for f in found if found is not None else scan_dates(text):
        for value, precision, end in resolve(f, P):
            if f.wd is not None and precision == "day" and f.kind in ("dmy", "day"):
                if dt.date.fromisoformat(value).weekday() != f.wd:
                    warnings.append(f"date {f.text!r} resolves to {value}, which is not the weekday named")
            refs.append(DateRef(value=value, precision=precision, span=make_span(f.start, f.end), source="text", end=end))
    return refs, warnings


# ---------------------------------------------------------------------------------------------- publication date

_STAMP = re.compile(rf"(?<!{_DIG})({_DIG}{{6,8}})(?:\s+{_DIG}{{1,6}})?\s*$")


def stamp_dates(stamp: str) -> list[dt.date]:
    """Dates a run-together stamp can spell as day, month, yyyy ("1452019" → 2019-05-14)."""
    s = stamp.translate(_ASCII)
    if len(s) < 6 or len(s) > 8:
        return []
    y = int(s[-4:])
    if not YEAR_RANGE[0] - 10 <= y <= YEAR_RANGE[1]:
        return []
    dm = s[:-4]
    out = []
    for k in range(1, len(dm)):
        d, m = dm[:k], dm[k:]
        if len(d) > 2 or len(m) > 2 or d.startswith("0") and len(d) == 1:
            continue
        x = _safe_date(y, int(m), int(d)) if int(m) and int(d) else None
        if x is not None and x not in out:
            out.append(x)
    return out


DATELINE_LINES = 4  # a dateline is one of the first lines of the text (title, label, byline, date)
_EDGE = " \t-–—|/،,:()"
# what may stand beside the date on a dateline: a time ("02:02 م", "على الساعة 09:33", "10:46 بتوقيت غرينتش")
_TIME_TAIL = re.compile(
    rf"^(?:(?:على|في)\s+)?(?:الساعة\s+)?{_DIG}{{1,2}}[:.]{_DIG}{{2}}(?:[:.]{_DIG}{{2}})?"
    r"(?:\s*(?:ص|م|مساء|مساءً|صباحا|صباحاً|am|pm|AM|PM)(?![\w]))?(?:\s*(?:بتوقيت|GMT|UTC|\+|ت\.غ).*)?$")


@lru_cache(maxsize=1)
def _dateline_leads() -> frozenset:
    return frozenset(normalize(w) for w in load_json("calendar.json").get("dateline_lead", []))


def _is_dateline(text: str, f: Found) -> bool:
    """Is ``f`` a full date (day, month, year: "الخميس 09/مايو/2019", "15/01/2020", "السبت 2019/11/16") written
    alone on one of the text's first lines, as pages print it under the title? Beside it may stand a weekday, a
    lead word ("في", "بتاريخ", "نشر في") and a time ("- 02:02 م"); a date tied to "today" is not a dateline."""
    if f.kind not in ("dmy", "numeric") or f.day_offset is not None or not (f.d and f.m and f.y) or f.d2:
        return False
    if not YEAR_RANGE[0] <= f.y <= YEAR_RANGE[1]:
        return False
    ls = text.rfind("\n", 0, f.start) + 1
    le = text.find("\n", f.end)
    le = len(text) if le < 0 else le
    before = text[ls:f.start].strip(_EDGE)
    if before:
        cal = calendar()
        words = normalize(before).split()
        wd = cal.weekdays.get(words[-1]) if words else None
        if wd is not None:
            x = _safe_date(f.y, f.m, f.d)
            if x is None or x.weekday() != wd:
                return False
            words = words[:-1]
        if words and " ".join(words) not in _dateline_leads():
            return False
    after = text[f.end:le].strip(_EDGE + ".")
    if after and not _TIME_TAIL.match(after):
        return False
    return sum(1 for line in text[:ls].split("\n") if line.strip()) < DATELINE_LINES


# URL path dates: /2019/5/8/, /2019/08/21/, 2019-10-31-, /20200209-, …20200225101422 (a timestamp, also at the end
# of a longer run of digits: an archive number and the time it was filed)
_URL_YMD = re.compile(r"(?<![0-9])(20[0-3][0-9])[/_.-](1[0-2]|0?[1-9])[/_.-](3[01]|[12][0-9]|0?[1-9])(?![0-9])")
_URL_COMPACT = re.compile(r"(?<![0-9])(20[0-3][0-9])(1[0-2]|0[1-9])(3[01]|[12][0-9]|0[1-9])(?:[0-9]{6})?(?![0-9])")
_URL_TIMESTAMP = re.compile(r"(20[0-3][0-9])(1[0-2]|0[1-9])(3[01]|[12][0-9]|0[1-9])(?:[01][0-9]|2[0-3])[0-5][0-9][0-5][0-9](?![0-9])")
_URL_MONTH = re.compile(r"/(20[0-3][0-9])/(1[0-2]|0?[1-9])/(?![0-9]{1,2}/)")  # /2019/08/1262026.html


def _url_path(url: str) -> str:
    path = url.split("://", 1)[-1]
    return path[path.find("/"):] if "/" in path else ""


def url_date(url: Optional[str]) -> Optional[dt.date]:
    """The publication date a page's address shows in its path (``/2019/8/21/``, ``2019-10-31-``,
    ``/20200209-``, a ``yyyymmddhhmmss`` timestamp), or None; the host name is not read."""
    if not url:
        return None
    path = _url_path(url)
    for rx in (_URL_YMD, _URL_COMPACT, _URL_TIMESTAMP):
        for m in rx.finditer(path):
            x = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if x is not None and YEAR_RANGE[0] <= x.year <= YEAR_RANGE[1]:
                return x
    return None


def url_month(url: Optional[str]) -> Optional[tuple]:
    """``(year, month)`` when the address shows only the month of publication (``/2019/08/1262026.html``)."""
    if not url:
        return None
    m = _URL_MONTH.search(_url_path(url))
    if m is None:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    return (y, mo) if YEAR_RANGE[0] <= y <= YEAR_RANGE[1] else None


def _latest_stated_date(found: list, not_before: Optional[int], month: Optional[tuple],
                        reference: Optional[dt.date], undecided: Optional[list] = None) -> Optional[dt.date]:
    """The latest day the text dates in full: day and month with a year ("25 شباط/فبراير 2020"), or with a
    weekday that leaves one year (the URL's year, else YEAR_RANGE from the latest year written; several years:
    the one nearest ``reference``, without one they go to ``undecided``). Dates said to come ("المقبل") and
    ranges are not read."""
    out = []
    for f in found:
        if f.kind not in ("dmy", "numeric") or not (f.d and f.m) or f.d2 or f.day_offset is not None:
            continue
        if f.rel == "future" or f.since or f.until_offset is not None:
            continue
        if f.y:
            x = _safe_date(f.y, f.m, f.d)
            if x is not None and YEAR_RANGE[0] <= x.year <= YEAR_RANGE[1] and f.wd in (None, x.weekday()):
                out.append(x)
            continue
        if f.wd is None:
            continue
        lo = max(YEAR_RANGE[0], not_before or YEAR_RANGE[0])
        years = range(lo, YEAR_RANGE[1] + 1) if month is None else (month[0],)
        c = [x for yy in years if (x := _safe_date(yy, f.m, f.d)) is not None and x.weekday() == f.wd]
        if len(c) == 1:
            out.append(c[0])
        elif c and reference is not None:
            out.append(min(c, key=lambda x: abs((x - reference).days)))
        elif c and undecided is not None:
            undecided.extend(c)
    return max(out) if out else None


@lru_cache(maxsize=1)
def _ago_re():
    units = load_json("calendar.json")["ago"]
    alt = _alt(units["units"])
    hours = {normalize(k): v for k, v in units["units"].items()}
    dual = {normalize(k) for k in units["dual"]}
    plural = {normalize(k) for k in units["plural"]}
    return re.compile(rf"(?<![\w])منذ\s+(?:(?P<n>{_DIG}{{1,3}})\s+)?(?P<u>{alt})(?![\w])"), hours, dual, plural


AGO_CHARS = 300  # a relative stamp ("منذ ساعتين") is printed by the title, not in the story


def _ago_date(text: str, fetched) -> Optional[dt.date]:
    """The day a relative stamp on the page's first lines ("منذ ساعتين", "منذ 3 ساعات", "منذ يومين") names,
    counted back from the time the page was fetched (ISO datetime)."""
    try:
        when = dt.datetime.fromisoformat(str(fetched).replace("Z", "+00:00"))
    except ValueError:
        return None
    rx, hours, dual, plural = _ago_re()
    m = rx.search(text, 0, AGO_CHARS)
    if m is None:
        return None
    u = normalize(m.group("u"))
    if m.group("n") is None and u in plural:
        return None  # "منذ أيام": some days
    n = _int(m.group("n")) or (2 if u in dual else 1)
    return (when - dt.timedelta(hours=n * hours.get(u, 0))).date()


def infer_publication_date(doc, reference: Optional[dt.date] = None, found: Optional[list] = None,
                           reference_from_run: bool = False):
    """Infer the publication date from the article's own evidence. Returns ``(DateRef or None, evidence)``.

    Evidence, strongest first: a date in the page's address (``url_date``); a relative stamp ("منذ ساعتين")
    counted back from the fetch time (``meta["fetched"]``, as a feed reader records it); a trailing d-m-yyyy
    stamp ("1452019"); a dateline (a full date — "الخميس 09/مايو/2019 - 02:02 م", "15/01/2020", "السبت
    2019/11/16" — with or without its weekday and time, standing alone on one of the article's first lines, as
    pages print it under the title); "اليوم <weekday> <day> من <month> [year]"
    (day and month, the year from the text, else narrowed by the weekday over YEAR_RANGE); weekdays tied to
    today ("اليوم الخميس", "أمس الاثنين") as constraints; years written in the text as a lower bound; the
    latest full date the text states (``_latest_stated_date``, source ``inferred:text_date``); last, a month
    in the address (``/2019/08/``: precision "month", which also fixes the year of the clues above). When
    several years remain, the one nearest ``reference`` is taken; without a reference nothing is set and the
    candidates are reported. ``reference_from_run``: the reference is the run's median date, not one the
    caller gave (it then never picks the week of a bare "today is <weekday>").
    """
    text = doc.text
    meta = doc.article.meta
    found = found if found is not None else scan_dates(text)
    ev: dict = {"clues": []}
    weekday_today: set = set()
    daymonth = None  # (d, m, y|None, clue)
    dateline = None
    years_mentioned = []
    for f in found:
        if dateline is None and _is_dateline(text, f):
            dateline = f
        if f.kind == "dmy" and f.day_offset is not None:
            daymonth = daymonth or (f.d, f.m, f.y, f.text, f.day_offset, f.wd)
        if f.kind in ("dmy", "day") and f.day_offset is not None and f.wd is not None:
            weekday_today.add((f.wd - f.day_offset) % 7)
            ev["clues"].append({"kind": "weekday_of_today", "text": f.text, "weekday": (f.wd - f.day_offset) % 7})
        if f.y:
            years_mentioned.append(f.y)
    stamp = meta.get("stamp") if isinstance(meta, dict) else None
    stamp_cands: list = []
    for s in [stamp, text[-40:]]:
        if s:
            m = _STAMP.search(s.strip())
            if m:
                stamp_cands = stamp_dates(m.group(1))
                if stamp_cands:
                    ev["clues"].append({"kind": "stamp", "text": m.group(0), "dates": [x.isoformat() for x in stamp_cands]})
                    break
    not_before = max(years_mentioned) if years_mentioned else None
    if not_before:
        ev["not_before_year"] = not_before

    # = all(x.weekday() == w for w in weekday_today), without a generator per candidate date
    only_weekday = next(iter(weekday_today)) if len(weekday_today) == 1 else None

    def fits(x: dt.date) -> bool:
        return not weekday_today or x.weekday() == only_weekday

    chosen, source, precision = None, None, "day"
    from_url = url_date(getattr(doc.article, "url", None))
    if from_url is not None:  # the page's address dates it: the strongest evidence there is
        ev["clues"].append({"kind": "url", "text": doc.article.url, "date": from_url.isoformat()})
        chosen, source = from_url, "inferred:url"
    month = url_month(getattr(doc.article, "url", None)) if from_url is None else None
    if month is not None:
        ev["clues"].append({"kind": "url_month", "text": doc.article.url, "month": "%04d-%02d" % month})
    if chosen is None and meta.get("fetched"):
        x = _ago_date(text, meta["fetched"])
        if x is not None:
            ev["clues"].append({"kind": "ago", "fetched": str(meta["fetched"]), "date": x.isoformat()})
            chosen, source = x, "inferred:ago+fetched"
    if chosen is None and stamp_cands:
        c = [x for x in stamp_cands if fits(x)] or stamp_cands
        if daymonth:
            c = [x for x in c if (x.day, x.month) == (daymonth[0], daymonth[1])] or c
        ev["candidates"] = [x.isoformat() for x in c]
        if len(c) == 1:
            chosen, source = c[0], "inferred:stamp"
    if chosen is None and dateline is not None:
        x = _safe_date(dateline.y, dateline.m, dateline.d)
        if x is not None and fits(x) and dateline.wd in (None, x.weekday()) and (not stamp_cands or x in stamp_cands):
            ev["clues"].append({"kind": "dateline", "text": dateline.text})
            chosen, source = x, "inferred:dateline"
    if chosen is None and daymonth:
        d, m, y, clue, off, wd = daymonth
        ev["clues"].append({"kind": "today_day_month", "text": clue})
        if y:
            x = _safe_date(y, m, d)
            if x is not None:
                chosen, source = x - dt.timedelta(days=off or 0), "inferred:today_date"
        else:
            lo = max(YEAR_RANGE[0], not_before or YEAR_RANGE[0])
            years = range(lo, YEAR_RANGE[1] + 1) if month is None else (month[0],)
            c = [
                x
                for yy in years
                if (x := _safe_date(yy, m, d)) is not None and fits(x - dt.timedelta(days=off or 0))
            ]
            ev["candidates"] = [x.isoformat() for x in c]
            if len(c) == 1:
                chosen, source = c[0], "inferred:weekday"
            elif c and reference is not None:
                chosen = min(c, key=lambda x: abs((x - reference).days))
                source = "inferred:weekday+reference"
            if chosen is not None and off:
                chosen = chosen - dt.timedelta(days=off)
    if chosen is None and weekday_today and not stamp_cands and not daymonth and len(weekday_today) == 1:
        # only "today is <weekday>": the week must come from outside. An explicit reference (the caller's
        # --reference-date or feed metadata) picks the nearest such weekday; the run's median does not
        # (``reference_from_run``), since one run may hold articles from different years.
        ev["weekday_only"] = True
        if reference is not None and not reference_from_run:
            wd = next(iter(weekday_today))
            chosen = min((reference + dt.timedelta(days=k) for k in range(-3, 4)),
                         key=lambda x: (x.weekday() != wd, abs((x - reference).days)))
            source = "inferred:weekday+reference"
            ev["clues"].append({"kind": "reference", "text": reference.isoformat(),
                                "note": "week taken from the reference date: right only if it is within 3 days"})
    if chosen is None and not ev.get("candidates"):
        # last resort: the latest full date the text states for something that happened (a day and month with
        # its year, or with a weekday that fixes the year); the page was published on or after it
        undecided: list = []
        x = _latest_stated_date(found, not_before, month, reference, undecided)
        if x is None and undecided:  # a run decides with its median date (see marsad.run: deferred)
            ev["candidates"] = sorted({d.isoformat() for d in undecided})
        if x is not None:
            ev["clues"].append({"kind": "latest_text_date", "date": x.isoformat(),
                                "note": "publication on or after the latest date the text states"})
            chosen, source = x, "inferred:text_date"
    if chosen is None and month is not None:
        ev["chosen"] = "%04d-%02d" % month
        return DateRef(value="%04d-%02d-01" % month, precision="month", span=None, source="inferred:url_month"), ev
    if chosen is None:
        ev["ambiguous"] = bool(ev.get("candidates"))
        return None, ev
    ev["chosen"] = chosen.isoformat()
    return DateRef(value=chosen.isoformat(), precision=precision, span=None, source=source), ev
