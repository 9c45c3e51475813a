"""Which surfaces are ordinary Arabic words: the frequency of a word as written in ordinary Arabic text.

Frequencies are wordfreq's Arabic list (Zipf scale: 3 = once per million words; wordfreq's data ships in the
package, nothing is downloaded). A gazetteer name whose surface is that frequent in ordinary text (فيديو, المدينة,
الروسية, خطاب) is an ordinary word unless the text's context makes it a place; a clitic is not split off a word
that is itself that frequent (بريا "by land" is not ب + a village ريا). Thresholds live in data/places/lexicon.json.
"""

from __future__ import annotations

from functools import lru_cache

from .gazetteer import lexicon

try:  # pragma: no cover - exercised whenever wordfreq is installed (a declared dependency)
    from wordfreq import zipf_frequency as _zipf
except ImportError:  # pragma: no cover
    _zipf = None


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """Zipf frequency of ``word`` (as written) in ordinary Arabic; 0 for unseen words or without wordfreq."""
    if _zipf is None or not word:
        return 0.0
    return _zipf(word, "ar")


def thresholds() -> tuple[float, float]:
    lx = lexicon()
    return float(lx.get("ordinary_zipf", 2.7)), float(lx.get("clitic_whole_zipf", 3.0))


def is_ordinary(word: str) -> bool:
    """Is ``word`` (as written, with any clitics) an ordinary word of Arabic text?"""
    return zipf(word) >= thresholds()[0]


def whole_word(word: str) -> bool:
    """Is ``word`` frequent enough as written that no clitic should be split off it?"""
    return zipf(word) >= thresholds()[1]
