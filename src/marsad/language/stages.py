"""The language layer's pipeline stages: "clean" (raw → clean text) and "language" (sentences, tokens,
numbers, dates, publication date)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from itertools import accumulate
from typing import Optional

from ..model import NumberRef, Tokens
from ..pipeline import factory
from .clean import Cleaner, RepeatedLineModel
from .dates import date_refs, head_kinds, infer_publication_date, is_anchor, scan_dates
from .morph import get_splitter
from .normalize import normalize_word
from .numbers import classify_form, find_numbers
from .segment import sentence_bounds, token_spans


class LanguageStage:
    """Sentences, tokens (with clitic-split base), numbers, dates; infers the publication date if missing."""

    name = "language"

    def __init__(self, splitter: str = "rules", reference_date: Optional[dt.date] = None):
        self.splitter = get_splitter(splitter)
        self.reference_date = reference_date
        self._forms: dict = {}
        self._chunks: dict = {}
        self._words: dict = {}  # stretch -> token form, for the stretches that are one plain token (most)
        self.analyse_form("الخميس")  # load lexicon, number and calendar tables now

    def analyse_form(self, form: str) -> tuple:
        """``(token form, marks)`` of a surface form, cached: the token form is the ``(text, norm, base, prefixes,
        suffixes)`` tuple :class:`~marsad.model.Tokens` shares among the form's tokens; ``marks`` is None for most
        forms, else (is_number_candidate, is_date_anchor, date heads — see :func:`~marsad.language.dates.head_kinds`)."""
        hit = self._forms.get(form)
        if hit is None:
            base, pre, suf = self.splitter.split(form)
            norm = normalize_word(form)
            num = classify_form(form)
            marks = (num is not None and num[0] != "wa", is_anchor(norm), head_kinds(form))
            hit = ((form, norm, base, list(pre) if pre else [], list(suf) if suf else []), marks if any(marks) else None)
            if len(self._forms) < 500_000:
                self._forms[form] = hit
        return hit

    def _chunk(self, chunk: str) -> tuple:
        """``((start, end, token form, marks), …)`` for the tokens of a stretch of text holding no space, offsets
        relative to it; cached per distinct stretch, like the forms."""
        out = tuple((s, e) + self.analyse_form(w) for s, e, w in token_spans(chunk))
        if len(self._chunks) < 500_000:
            self._chunks[chunk] = out
            if len(out) == 1 and out[0][3] is None and out[0][1] - out[0][0] == len(chunk):
                self._words[chunk] = out[0][2]
        return out

    def tokens(self, text: str, num_idx: Optional[list] = None, date_spots: Optional[list] = None,
               date_heads: Optional[list] = None) -> Tokens:
        """Tokens of ``text``; fills ``num_idx`` (indices of number candidates), ``date_spots`` (date anchor
        spans) and ``date_heads`` (where date expressions may start) if given."""
        # Tokens never hold a space, so the text is cut at spaces (str.split, no regex) and each stretch's tokens
        # come from the cache: most stretches are one word seen before. Offsets follow from the stretch lengths.
        starts: list = []
        ends: list = []
        forms: list = []
        add_start, add_end, add_form = starts.append, ends.append, forms.append
        chunks = self._chunks
        word = self._words.get
        pos = 0
        for chunk in text.split(" "):
            form = word(chunk)
            if form is not None:  # one token, the whole stretch, nothing for numbers or dates
                add_start(pos)
                pos += len(chunk)
                add_end(pos)
                add_form(form)
                pos += 1
                continue
            try:  # a subscript is cheaper than dict.get's call; misses are rare once warm
                toks = chunks[chunk]
            except KeyError:
                toks = self._chunk(chunk)
            for a, b, form, marks in toks:
                add_start(pos + a)
                add_end(pos + b)
                add_form(form)
                if marks is not None:  # one test for the few tokens that matter to numbers or dates
                    num, anchor, heads = marks
                    if num and num_idx is not None:
                        num_idx.append(len(forms) - 1)
                    if anchor and date_spots is not None:
                        date_spots.append((pos + a, pos + b))
                    if heads and date_heads is not None:
                        for q, kinds in heads:
                            date_heads.append((pos + a + q, kinds))
            pos += len(chunk) + 1
        return Tokens(starts, ends, forms)

    def __call__(self, doc):
        text = doc.text
        a = doc.article
        make = doc.span
        doc.sentences = doc.spans(sentence_bounds(text))
        num_idx: list = []
        date_spots: list = []
        date_heads: list = []
        doc.tokens = self.tokens(text, num_idx, date_spots, date_heads)
        found = scan_dates(text, date_spots, date_heads)
        if a.published is None:
            run = doc.run
            reference = self.reference_date or (run.reference_date if run is not None else None)
            from_run = run is not None and run.reference_from_run and self.reference_date is None
            ref, evidence = infer_publication_date(doc, reference=reference, found=found, reference_from_run=from_run)
            if ref is not None and ref.source.endswith("+reference"):  # which reference chose, and whose it was
                evidence["reference"] = {"date": reference.isoformat(), "given_by": "run" if from_run else "caller"}
            a.meta["published_evidence"] = evidence
            if ref is not None:
                a.published = ref
        dates, warnings = date_refs(text, a.published, make, found=found)
        doc.dates = dates
        doc.warnings.extend(warnings)
        # a number inside a date expression (a day, a year) is not a count: a date starting at or before the
        # number reaches past its end. Dates sorted by start with the running maximum of their ends answer that by
        # bisection, so a long article's numbers are not each tested against all its dates.
        spans = sorted((f.start, f.end) for f in found)
        date_starts = [a for a, _ in spans]
        reach = list(accumulate((b for _, b in spans), max))
        numbers = []
        for s, e, v, lo, hi, ac, vg in find_numbers(text, doc.tokens, num_idx):
            k = bisect_right(date_starts, s) - 1
            if k >= 0 and reach[k] >= e:
                continue
            numbers.append(NumberRef(span=make(s, e), value=v, low=lo, high=hi, acled_value=ac, vague=vg))
        doc.numbers = numbers
        return doc


@factory("clean", assigns=["clean_text"])
def make_clean_stage():
    return Cleaner()


@factory("language", requires=["clean_text"], assigns=["sentences", "tokens", "numbers", "dates", "published"],
         default_config={"splitter": "rules"})
def make_language_stage(splitter: str = "rules"):
    return LanguageStage(splitter=splitter)


__all__ = ["Cleaner", "LanguageStage", "RepeatedLineModel", "make_clean_stage", "make_language_stage"]
