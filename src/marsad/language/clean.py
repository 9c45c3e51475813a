"""Raw article text → clean text with an OffsetMap back to raw.

* Line classification: site chrome (fixed patterns in data/language/chrome.json, section labels, lines a
  :class:`RepeatedLineModel` learned to be boilerplate for the outlet, everything after a "related articles"
  marker), bylines and source lines (kept as ``article.meta``), trailing digit stamps.
* Teasers: lines pointing to another article ("read also", a linked headline tagged (فيديو), the headlines after
  one) stay in the clean text but are listed in ``article.meta["non_reporting"]`` (clean and raw offsets); the
  events stage codes nothing from them (:meth:`marsad.model.Document.reporting`).
* Anti-censorship repair: marks inserted inside a word (إطـ.لاق, الضـ.حايا) are removed; abbreviations,
  decimals, dates, URLs and punctuation between real words are left alone.
* Outlet detection from the article's own words (data/language/outlets.json).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, NamedTuple, Optional

from ..model import Article, OffsetMap
from .morph import CliticSplitter, get_splitter
from .normalize import normalize
from .resources import load_json
from .segment import char_positions

AR = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3"  # Arabic letters (no tatweel, no diacritics)
TATWEEL = "\u0640"
# marks used to break a word for filters: tatweel, dots, stars, middle dots, bullets, zero-width/soft hyphens
_MARKS = "\u0640.*·•_\u00ad\u200b\u200c\u200d\u2027"
_DIAC = "".join(map(chr, range(0x064B, 0x0653)))  # the harakat, tanwin, shadda and sukun (U+064B–U+0652)
_MARKS_DIAC = _MARKS + _DIAC
# A run of marks and diacritics holding at least one mark, between two letters. Written to begin with a character
# class so the engine skips straight to candidate characters (a leading look-behind is tried at every position);
# same matches as (?<=[AR])[MD]*[M][MD]*(?=[AR]).
_OBFUSCATION = re.compile(
    rf"[{_MARKS_DIAC}](?<=[{AR}][{_MARKS_DIAC}])"  # first mark or diacritic, after a letter
    rf"(?:(?<=[{_MARKS}])|[{_DIAC}]*[{_MARKS}])"  # a mark: that one, or one after diacritics
    rf"[{_MARKS_DIAC}]*(?=[{AR}])"  # the rest of the run, before a letter
)
_MARKS_DIAC_CHARS = frozenset(_MARKS_DIAC)
_INVISIBLE = set("\u200b\u200c\u200d\u00ad")
_WORD_LEFT = re.compile(rf"[{AR}\u064b-\u0652\u0640]+$")
_WORD_RIGHT = re.compile(rf"^[{AR}\u064b-\u0652\u0640]+")
_LINE = re.compile(r"[^\n]+")
MAX_CHROME_CHARS = 160  # longer lines are article text
_SENTENCE_END = ".!؟?:…،,;؛"  # a line ending so is a sentence, not a headline
_TRAIL_CHARS = " .:،,!؟?…-–"  # trailing punctuation dropped from keys (with the space left by folding)


class _TextLine(NamedTuple):
    """A line kept in the clean text, as the teaser pass reads it."""

    start: int  # clean offsets
    end: int
    raw_start: int
    raw_end: int
    key: str  # folded key of the line (of its first 80 characters when long)
    after_heading: bool  # right after a teaser heading line ("اقرأ أيضا")
    long: bool  # too long for a headline, or ending a sentence


def _key(line: str) -> str:
    """Comparison form of a line: normalised, whitespace folded, trailing punctuation dropped."""
    # str.split() splits on exactly the characters \s matches; split/join and rstrip give what the regexes
    # \s+ -> " " and [\s.:،,!؟?…\-–]+$ -> "" give, without a regex attempt at every position of the line
    n = normalize(line)
    # every whitespace character but the space is unprintable, so a printable line without a double space or a
    # leading one is already folded (the test costs a fraction of the split and join)
    if "  " in n or n[:1] == " " or not n.isprintable():
        n = " ".join(n.split())
    return n.rstrip(_TRAIL_CHARS)


def _top_level_alternation(pattern: str) -> bool:
    """Does ``pattern`` hold a ``|`` outside any group or character class?"""
    depth, i, n = 0, 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":  # skip the class; a "]" right after "[" or "[^" is a literal
            i += 2 if pattern.startswith("[^", i) else 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


_REGEX_META = frozenset(".^$*+?{}[]\\|()")
_UNJOINABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]+\)")  # back-references, global inline flags


def _any_search(patterns: list) -> Callable[[str], bool]:
    """``s -> any(re.search(p, s) for p in patterns)``, faster: the patterns anchored with a leading ``^`` (most
    chrome patterns) are joined into one ``^(?:…|…)`` regex, which the engine tries at position 0 only; a
    plain alternation of all of them would be tried at every position and is slower than separate searches.
    Patterns that are plain phrases (or a phrase and ``$``) become substring (or ``endswith``) tests."""
    anchored, other, literals, endings = [], [], [], []
    for p in patterns:
        if p.startswith("^") and not _top_level_alternation(p) and not _UNJOINABLE.search(p):
            anchored.append(p[1:])
        elif not _REGEX_META.intersection(p):  # a plain phrase: a substring test
            literals.append(p)
        elif p.endswith("$") and not _REGEX_META.intersection(p[:-1]):  # a phrase at the end (keys hold no \n)
            endings.append(p[:-1])
        else:
            other.append(re.compile(p))
    try:
        joined = [re.compile("^(?:" + "|".join(f"(?:{p})" for p in anchored) + ")")] if anchored else []
    except re.error:  # e.g. a group name used by two patterns
        joined = [re.compile("^" + p) for p in anchored]
    other[:0] = joined
    searches = tuple(rx.search for rx in other)
    ends = tuple(endings)

    def found(s: str) -> bool:
        for phrase in literals:
            if phrase in s:
                return True
        if ends and s.endswith(ends):
            return True
        for search in searches:
            if search(s) is not None:
                return True
        return False

    return found


@dataclass
class _Patterns:
    exact: set
    regex: list
    terminal: set
    byline: list
    source_line: list
    section_labels: list
    stamp: "re.Pattern"
    repeated: dict
    abbreviations: set
    outlets: list = field(default_factory=list)
    # the lists above as one test each (see _any_search)
    any_regex: Callable[[str], bool] = bool
    any_byline: Callable[[str], bool] = bool
    any_source_line: Callable[[str], bool] = bool
    any_section_label: Callable[[str], bool] = bool
    # teasers (chrome.json 'teaser'): lines pointing to another article, kept in the text but marked non-reporting
    any_teaser: Callable[[str], bool] = bool
    teaser_headings: set = field(default_factory=set)
    media_tag: Optional["re.Pattern"] = None
    headline_max_words: int = 16


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    c = load_json("chrome.json")
    o = load_json("outlets.json")
    a = load_json("abbreviations.json")
    outlets = [(e["outlet"], tuple(e["keys"]), [(re.compile(p), w) for p, w in e["patterns"]]) for e in o["outlets"]]
    return _Patterns(
        exact={_key(x) for x in c["exact"]},
        regex=[re.compile(x) for x in c["regex"]],
        terminal={_key(x) for x in c["terminal"]},
        byline=[re.compile(x) for x in c["byline"]],
        source_line=[re.compile(x) for x in c["source_line"]],
        section_labels=[re.compile(x) for x in c["section_labels"]],
        stamp=re.compile(c["stamp"]),
        repeated=c["repeated_line"],
        abbreviations={normalize(x) for x in a["abbreviations"]},
        outlets=outlets,
        any_regex=_any_search(c["regex"]),
        any_byline=_any_search(c["byline"]),
        any_source_line=_any_search(c["source_line"]),
        any_section_label=_any_search(c["section_labels"]),
        any_teaser=_any_search(c["teaser"]["lines"]),
        teaser_headings={_key(x) for x in c["teaser"]["headings"]},
        media_tag=re.compile(c["teaser"]["media_tag"]),
        headline_max_words=int(c["teaser"]["headline_max_words"]),
    )


# ---------------------------------------------------------------------------------------------- outlet


def _lines_with(text: str, key: str) -> list[str]:
    """The lines of ``text`` that contain ``key`` (plain substring search)."""
    out = []
    i = text.find(key)
    while i >= 0:
        s = text.rfind("\n", 0, i) + 1
        e = text.find("\n", i)
        e = len(text) if e < 0 else e
        out.append(text[s:e])
        i = text.find(key, e)
    return out


def detect_outlet(text: str) -> tuple[Optional[str], list]:
    """The outlet an article names itself by (byline, "ادعم عنب بلدي", "مراسل الجزيرة"…) and the evidence."""
    scores: dict = {}
    evidence: list = []
    for outlet, keys, pats in patterns().outlets:
        lines = [line for k in keys if k in text for line in _lines_with(text, k)]  # most keys are absent
        if not lines:
            continue
        n = normalize("\n".join(lines))
        for rx, weight in pats:
            m = rx.search(n)
            if m:
                scores[outlet] = scores.get(outlet, 0) + weight
                evidence.append({"outlet": outlet, "pattern": rx.pattern, "match": m.group(0).strip(), "weight": weight})
    if not scores:
        return None, []
    best, _ = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
    return best, [e for e in evidence if e["outlet"] == best]


# ---------------------------------------------------------------------------------------------- repeated lines


class RepeatedLineModel:
    """Per-outlet line frequencies over a batch: a short line found in many articles of one outlet is chrome.

    ``fit(articles)`` counts each distinct line once per article; ``is_chrome(outlet, line)`` is true when the
    line was seen in at least ``min_articles`` articles and in at least ``min_share`` of that outlet's articles.
    Articles without an outlet are grouped under the outlet :func:`detect_outlet` finds, else under ``None``.
    """

    def __init__(self, min_articles: Optional[int] = None, min_share: Optional[float] = None, max_words: Optional[int] = None):
        conf = patterns().repeated
        self.min_articles = min_articles if min_articles is not None else conf["min_articles"]
        self.min_share = min_share if min_share is not None else conf["min_share"]
        self.max_words = max_words if max_words is not None else conf["max_words"]
        self.line_counts: dict = defaultdict(Counter)
        self.article_counts: Counter = Counter()

    def add(self, outlet: Optional[str], text: str) -> None:
        self.article_counts[outlet] += 1
        seen = set()
        for m in _LINE.finditer(text):
            k = _key(m.group(0))
            if k and len(k.split()) <= self.max_words:
                seen.add(k)
        self.line_counts[outlet].update(seen)

    def remove(self, outlet: Optional[str], text: str) -> None:
        """Undo :meth:`add` of the same article (one the run learnt, then could not store)."""
        if self.article_counts.get(outlet, 0) <= 0:
            return
        self.article_counts[outlet] -= 1
        counts = self.line_counts[outlet]
        for k in {_key(m.group(0)) for m in _LINE.finditer(text)}:
            if counts.get(k, 0) > 0:
                counts[k] -= 1
                if not counts[k]:
                    del counts[k]
        if not self.article_counts[outlet]:
            del self.article_counts[outlet]

    def fit(self, articles: Iterable[Article]) -> "RepeatedLineModel":
        for a in articles:
            outlet = a.outlet if a.outlet is not None else detect_outlet(a.raw_text)[0]
            self.add(outlet, a.raw_text)
        return self

    def is_chrome(self, outlet: Optional[str], line: str) -> bool:
        total = self.article_counts.get(outlet, 0)
        if not total:
            return False
        k = _key(line)
        n = self.line_counts[outlet].get(k, 0)
        return n >= self.min_articles and n / total >= self.min_share and len(k.split()) <= self.max_words

    def repeated_lines(self, outlet: Optional[str]) -> list[str]:
        total = self.article_counts.get(outlet, 0)
        return sorted(
            k for k, n in self.line_counts[outlet].items() if total and n >= self.min_articles and n / total >= self.min_share
        )

    def to_dict(self) -> dict:
        return {
            "min_articles": self.min_articles,
            "min_share": self.min_share,
            "max_words": self.max_words,
            "article_counts": [[k, v] for k, v in self.article_counts.items()],
            "line_counts": [[k, dict(v)] for k, v in self.line_counts.items()],
        }

    @classmethod
    def from_dict(cls, d: dict) -> "RepeatedLineModel":
        m = cls(d["min_articles"], d["min_share"], d["max_words"])
        m.article_counts = Counter({k: v for k, v in d["article_counts"]})
        for k, v in d["line_counts"]:
            m.line_counts[k] = Counter(v)
        return m


# ---------------------------------------------------------------------------------------------- repair


def obfuscation_runs(text: str) -> list:
    """The matches of ``_OBFUSCATION.finditer(text)``, found from the marks: every run holds one (str.find
    finds them; the regex's scan tries every position of the text), and starts after the letter before it."""
    marks = char_positions(text, _MARKS)
    if not marks:
        return marks
    out = []
    match = _OBFUSCATION.match
    nxt = 0  # end of the last run: finditer's matches do not overlap
    for i in marks:
        if i < nxt:
            continue
        j = i
        while j > nxt and text[j - 1] in _MARKS_DIAC_CHARS:  # back to the run's first mark or diacritic
            j -= 1
        m = match(text, j)
        if m is not None:
            out.append(m)
            nxt = m.end()
    return out


def _is_abbrev(left: str, abbreviations: set) -> bool:
    n = normalize(left)
    return len(n) <= 1 or n in abbreviations


def repair_pieces(text: str, splitter: Optional[CliticSplitter] = None) -> list[tuple[int, int]]:
    """Segments ``[(start, end), …]`` of ``text`` to keep so that words broken by inserted marks are whole again.

    A mark run containing tatweel is always removed (tatweel never separates words). A run of dots/stars only
    is removed when the left part is not an abbreviation (د. , ق.م) and the joined word is attested while its
    parts are not both words — so "إدلب.وقال" (a missing space) is left alone.
    """
    pieces = []
    pos = 0
    abbreviations = patterns().abbreviations
    for m in obfuscation_runs(text):
        s, e = m.span()
        run = m.group(0)
        if TATWEEL not in run and not set(run) <= _INVISIBLE:
            # dots/stars only: a word broken for filters, or punctuation between two words?
            left_m = _WORD_LEFT.search(text[max(0, s - 40) : s])
            left = left_m.group(0) if left_m else ""
            if _is_abbrev(left, abbreviations):
                continue
            right_m = _WORD_RIGHT.match(text[e : e + 40])
            right = right_m.group(0) if right_m else ""
            sp = splitter or get_splitter("rules")
            if not sp.known(left + right) or (sp.known(left) and sp.known(right)):
                continue
        if s > pos:
            pieces.append((pos, s))
        pos = e
    if pos < len(text):
        pieces.append((pos, len(text)))
    return pieces


def repair(text: str) -> str:
    """``text`` with obfuscated words repaired (no offset map; see :func:`repair_pieces`)."""
    return "".join(text[s:e] for s, e in repair_pieces(text))


# ---------------------------------------------------------------------------------------------- cleaner


class Cleaner:
    """The "clean" stage: sets ``article.clean_text``, ``clean_map`` (clean → raw) and meta (chrome, byline…)."""

    name = "clean"

    def __init__(self, repeated: Optional[RepeatedLineModel] = None, detect_outlets: bool = True):
        self.p = patterns()
        self.repeated = repeated
        self.detect_outlets = detect_outlets
        self.splitter = get_splitter("rules")

    def classify(self, line: str, index: int, labels: set, outlet: Optional[str], k: Optional[str] = None,
                 repeated: Optional[frozenset] = None) -> Optional[str]:
        """The kind of a non-text line (label, chrome, byline, source_line, stamp, repeated) or None for text.
        ``repeated``: the keys of the article's lines that repeat across its outlet (the run's chrome model, given
        per article in ``doc.run.chrome``); without it, the cleaner's own model if it was given one."""
        p = self.p
        k = _key(line) if k is None else k
        if k in labels:
            return "label"
        if index < 2 and not labels and p.any_section_label(k):
            return "label"
        if k in p.exact or p.any_regex(k):
            return "chrome"
        if k.count(" ") <= 5:  # at most six words (a key's words are one space apart)
            if p.any_byline(k):
                return "byline"
            if p.any_source_line(k):
                return "source_line"
            if p.stamp.match(k):
                return "stamp"
        if repeated is not None:
            if k in repeated:
                return "repeated"
        elif self.repeated is not None and self.repeated.is_chrome(outlet, line):
            return "repeated"
        return None

    def __call__(self, doc):
        a = doc.article
        raw = a.raw_text or ""
        meta = a.meta
        if a.outlet is None and self.detect_outlets:
            outlet, evidence = detect_outlet(raw)
            if outlet is not None:
                a.outlet = outlet
                meta["outlet_evidence"] = evidence
        labels = {_key(x) for x in (a.labels or [])}
        repeated = doc.run.chrome if doc.run is not None else None
        title_key = _key(a.title) if a.title else None
        chrome: list = []
        out: list[str] = []
        runs: list = []  # the OffsetMap's runs; lines and repair pieces are never adjacent in both texts, so
        # each is a run of its own (what OffsetMap.add would make, without a call per line)
        pos = 0
        terminal = False
        index = 0
        kept: list[_TextLine] = []  # the text lines (for teasers)
        after_heading = False
        # where obfuscation runs start: a run never reaches past a line's first or last letter (it lies between
        # two letters), so a line needs repair_pieces only if one starts inside it; most articles have none
        mark_starts = [m.start() for m in obfuscation_runs(raw)]
        line_start = 0
        for line in raw.split("\n"):  # the lines _LINE finds, and empty ones (skipped below)
            start = line_start
            line_start += len(line) + 1
            stripped = line.strip()
            if not stripped:
                continue
            ls = start + (len(line) - len(line.lstrip()))
            le = ls + len(stripped)
            kind = None
            k = None
            if terminal:
                kind = "after_related"
            elif len(stripped) <= MAX_CHROME_CHARS:  # chrome, labels and bylines are short lines
                k = _key(stripped)
                if k != title_key:
                    kind = self.classify(stripped, index, labels, a.outlet, k, repeated)
            index += 1
            if kind is not None:
                rec = {"kind": kind, "text": stripped, "raw_start": ls, "raw_end": le}
                chrome.append(rec)
                if kind == "byline" and "byline" not in meta:
                    meta["byline"] = stripped
                elif kind == "source_line" and "source_line" not in meta:
                    meta["source_line"] = stripped
                elif kind == "stamp":
                    meta["stamp"] = stripped
                if kind == "chrome" and k in self.p.terminal:
                    terminal = True
                after_heading = kind == "chrome" and k in self.p.teaser_headings
                continue
            if out:
                out.append("\n")
                pos += 1
            cs = pos
            if not mark_starts or bisect_left(mark_starts, ls) == bisect_left(mark_starts, le):
                out.append(stripped)
                runs.append([pos, ls, le - ls])
                pos += le - ls
            else:
                for s, e in repair_pieces(stripped, self.splitter):
                    out.append(stripped[s:e])
                    runs.append([pos, ls + s, e - s])
                    pos += e - s
            # a long line or one ending a sentence is no headline; its opening words may still be a teaser's mark
            kept.append(_TextLine(cs, pos, ls, le, k if k is not None else _key(stripped[:80]), after_heading,
                                  len(stripped) > MAX_CHROME_CHARS or stripped[-1] in _SENTENCE_END))
            after_heading = False
        a.clean_text = "".join(out)
        a.clean_map = OffsetMap(runs)
        meta["chrome"] = chrome
        teasers = self.teasers(kept, title_key)
        if teasers:
            meta["non_reporting"] = teasers
        elif "non_reporting" in meta:
            del meta["non_reporting"]
        return doc

    def _headline(self, k: str) -> bool:
        """A line (not ending a sentence) that reads as a headline: a few words, no conjunction opening it
        (وأوردت صحيفة …: a sentence broken over lines)."""
        if not k or k.count(" ") >= self.p.headline_max_words:
            return False
        first = k.split(" ", 1)[0]
        return not (len(first) > 2 and "و" in self.splitter.split(first)[1])

    def teasers(self, kept: list, title_key: Optional[str]) -> list:
        """The text lines that point to another article (chrome.json 'teaser'): a "read also" line, a linked headline
        tagged (شاهد)/(فيديو), and the headline lines right after one of them or after a teaser heading. ``kept``:
        the text lines in order (:class:`_TextLine`)."""
        p = self.p
        out: list = []
        run = False  # inside a block of linked headlines
        for n, ln in enumerate(kept):
            if ln.key == title_key:
                run = False
                continue
            headline = not ln.long and self._headline(ln.key)
            teaser = p.any_teaser(ln.key) or (n > 0 and headline and p.media_tag.search(ln.key) is not None) \
                or ((run or ln.after_heading) and headline)
            if teaser:
                out.append({"kind": "teaser", "start": ln.start, "end": ln.end, "raw_start": ln.raw_start,
                            "raw_end": ln.raw_end})
            run = teaser
        return out
