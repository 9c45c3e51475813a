"""The language layer's pipeline stages: "clean" (raw → clean text) and "language" (sentences, tokens,
numbers, dates, publication date)."""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Optional

from ..model import Span, Token
from ..pipeline import register
from .clean import Cleaner, RepeatedLineModel
from .dates import date_refs, infer_publication_date, is_anchor, scan_dates
from .morph import get_splitter
from .normalize import normalize_word
from .numbers import classify_form, find_numbers
from .segment import TOKEN_RE, sentence_bounds
from ..model import NumberRef


def span_maker(doc):
    """A fast equivalent of ``doc.span`` for many spans over one text (the run starts are bisected once)."""
    a = doc.article
    text = doc.text
    omap = a.clean_map
    if omap is None or not omap.runs:
        return lambda s, e: Span(s, e, text[s:e], s, e) if omap is None else doc.span(s, e)
    runs = omap.runs
    starts = [r[0] for r in runs]

    def to_source(offset: int) -> int:
        k = bisect.bisect_right(starts, offset) - 1
        if k < 0:
            return runs[0][1]
        d, s, n = runs[k]
        if offset <= d + n:
            return s + (offset - d)
        return runs[k + 1][1] if k + 1 < len(runs) else s + n

    def make(s: int, e: int) -> Span:
        if e <= s:
            p = to_source(s)
            return Span(s, e, text[s:e], p, p)
        return Span(s, e, text[s:e], to_source(s), to_source(e - 1) + 1)

    return make


class LanguageStage:
    """Sentences, tokens (with clitic-split base), numbers, dates; infers the publication date if missing."""

    name = "language"

    def __init__(self, splitter: str = "rules", reference_date: Optional[dt.date] = None):
        self.splitter = get_splitter(splitter)
        self.reference_date = reference_date
        self._forms: dict = {}
        self.analyse_form("الخميس")  # load lexicon, number and calendar tables now

    def analyse_form(self, form: str) -> tuple:
        """(norm, base, prefixes, suffixes, is_number_candidate, is_date_anchor) of a surface form, cached."""
        hit = self._forms.get(form)
        if hit is None:
            base, pre, suf = self.splitter.split(form)
            norm = normalize_word(form)
            num = classify_form(form)
            # clitic lists are shared by every token of this form: tokens are read, never edited in place
            hit = (norm, base, list(pre) if pre else [], list(suf) if suf else [],
                   num is not None and num[0] != "wa", is_anchor(norm))
            if len(self._forms) < 500_000:
                self._forms[form] = hit
        return hit

    def tokens(self, text: str, num_idx: Optional[list] = None, date_spots: Optional[list] = None) -> list:
        """Tokens of ``text``; fills ``num_idx`` (indices of number candidates) and ``date_spots`` if given."""
        out: list = []
        append = out.append
        get = self._forms.get
        analyse = self.analyse_form
        find = text.find
        pos = 0
        for w in TOKEN_RE.findall(text):
            s = find(w, pos)
            pos = s + len(w)
            h = get(w) or analyse(w)
            if h[4] and num_idx is not None:
                num_idx.append(len(out))
            if h[5] and date_spots is not None:
                date_spots.append((s, pos))
            append(Token(s, pos, w, h[0], h[1], h[2], h[3]))
        return out

    def __call__(self, doc):
        text = doc.text
        a = doc.article
        make = span_maker(doc)
        doc.sentences = [make(s, e) for s, e in sentence_bounds(text)]
        num_idx: list = []
        date_spots: list = []
        doc.tokens = self.tokens(text, num_idx, date_spots)
        found = scan_dates(text, date_spots)
        if a.published is None:
            reference = self.reference_date or _as_date(a.meta.get("reference_date"))
            ref, evidence = infer_publication_date(doc, reference=reference, found=found)
            a.meta["published_evidence"] = evidence
            if ref is not None:
                a.published = ref
        dates, warnings = date_refs(text, a.published, make, found=found)
        doc.dates = dates
        doc.warnings.extend(warnings)
        date_spans = [(f.start, f.end) for f in found]
        numbers = []
        for s, e, v, lo, hi, ac, vg in find_numbers(text, doc.tokens, num_idx):
            if any(ds <= s and e <= de for ds, de in date_spans):
                continue  # a day or year inside a date expression
            numbers.append(NumberRef(span=make(s, e), value=v, low=lo, high=hi, acled_value=ac, vague=vg))
        doc.numbers = numbers
        return doc


def _as_date(value) -> Optional[dt.date]:
    """A reference date given by the caller (ingest: --reference-date, or the run's known dates)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


@register("clean")
def make_clean_stage():
    return Cleaner()


@register("language")
def make_language_stage():
    return LanguageStage()


__all__ = ["Cleaner", "LanguageStage", "RepeatedLineModel", "make_clean_stage", "make_language_stage", "span_maker"]
