"""Which surfaces are ordinary Arabic words, for the place finder: the frequency of a name as written.

Frequencies come from the word-form model (``marsad.language.forms.zipf``: wordfreq's Arabic list folded into
data/language/frequency.tsv.gz; Zipf scale, 3 = once per million words). A gazetteer name whose surface is that
frequent in ordinary text (فيديو, المدينة, الروسية, خطاب) is an ordinary word unless the text's context makes it a
place. Thresholds live in data/places/lexicon.json.
"""

from __future__ import annotations

from functools import lru_cache

from ..language import forms
from ..language.normalize import normalize
from .gazetteer import lexicon


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """Zipf frequency of ``word`` (as written, normalised here) in ordinary Arabic; 0 for unseen words."""
    return forms.zipf(normalize(word)) if word else 0.0


@lru_cache(maxsize=1)
def thresholds() -> tuple[float, float]:
    lx = lexicon()
    return float(lx.get("ordinary_zipf", 2.7)), float(lx.get("clitic_whole_zipf", 3.0))


def is_ordinary(word: str) -> bool:
    """Is ``word`` (as written, with any clitics) an ordinary word of Arabic text?"""
    return zipf(word) >= thresholds()[0]


def whole_word(word: str) -> bool:
    """Is ``word`` frequent enough as written that no clitic should be split off it?"""
    return zipf(word) >= thresholds()[1]
