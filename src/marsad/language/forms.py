"""The one word-form model of marsad: letter folds, the article, proclitics, enclitics, and when a prefix is a clitic.

Every stage, the API search and the store search read Arabic word forms through this module; no other module strips
clitics or folds letters on its own. Forms here are *normalised* (``fold``: hamza forms → ا, ى → ي, ة → ه, marks
dropped) unless a function says otherwise.

* ``fold`` / ``fold_word`` — the letter folds (see :mod:`marsad.language.normalize`).
* ``strip_article`` — النيرب → نيرب.
* ``word_frequencies`` / ``word_classes`` — ordinary-Arabic frequencies (wordfreq) and what the farahidi analyser
  makes of each word (built into tables: the analyser never runs at tagging time).
* ``proclitic_readings`` — every reading of a word's proclitics (و/ف, then ب/ل/ك; لل = ل + ال), as
  :class:`Reading` records (stem, prefix letters, letters of the prefix left out of a mention's span).
* ``lookup_keys`` — the keys under which a token is looked up in a lexicon of words (triggers, cues): all readings,
  because a lexicon of verbs and nouns is not mistaken for a name.
* ``verb_forms`` / ``past_forms`` — a listed verb's inflections, for lexicons of triggers and role cues.
* :class:`WordForms` — the rule for *names* (actor base, gazetteer): a prefix is a clitic only when the rest is a
  known name and the whole word is neither a known name nor an ordinary word in its own right (كدور، فرقه، بكور are
  words, not ك + الدور، ف + الرقة، ب + الكور); an article the text does not write is never added after a clitic
  (ب + الكور would be written بالكور), nor to an ordinary word (على is not العلي).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from typing import Container, Optional

from .normalize import DIACRITICS, TATWEEL, normalize, normalize_word
from .resources import LANG_DIR

fold = normalize
fold_word = normalize_word

ARTICLE = "ال"
CONJ = ("و", "ف")
PREP = ("ب", "ل", "ك")
# attached pronouns, longest first (ي is left alone: it is far more often the nisba ending سوري/تركي)
PRONOUNS = ("هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا", "ه")
MIN_STEM = 3  # letters a stem keeps after its proclitics are split off

# A whole word is a word of its own, not clitic + rest, when it is about as frequent as the rest: a clitic
# compound (بإدلب، والرقة) is typically ten times rarer than its stem (one unit on the Zipf scale); a word
# within half a unit of its stem's frequency is taken as a word of its own.
CLITIC_GAP = 0.5
# Zipf value from which a word is an ordinary word of the language (names of places and people are rarer).
ORDINARY_ZIPF = 4.0

_MARKS = DIACRITICS | {TATWEEL}
_STRIP_MARKS = {ord(c): None for c in _MARKS}
_SKIP = _MARKS | {"\u200c", "\u200d", "\u200e", "\u200f", "\u061c"}


def strip_marks(word: str) -> str:
    """The word without diacritics and tatweel, its letters (hamza forms) as written."""
    return word.translate(_STRIP_MARKS)


def strip_article(word: str) -> str:
    """The word without the article: النيرب → نيرب (only when ≥2 letters remain; any alef form)."""
    if len(word) >= 4 and word[0] in "اأإآ" and word[1] == "ل":
        return word[2:]
    return word


def has_article(n: str) -> bool:
    return len(n) >= 4 and n.startswith(ARTICLE)


def article_forms(n: str) -> tuple[str, ...]:
    """A normalised form with and without its article (the article is never added)."""
    bare = strip_article(n)
    return (n,) if bare == n else (n, bare)


def either_article(n: str) -> tuple[str, ...]:
    """A normalised name with and without the article, whichever it has (for looking up a name typed or listed on
    its own, where no clitic is involved: الرقة / رقة)."""
    return (n, n[2:]) if has_article(n) else (n, ARTICLE + n)


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of a word's proclitics: ``stem`` (normalised; لل gives back ال), the ``prefix`` letters, and
    ``outside`` — how many letters of the prefix stand outside a mention of the stem (لل keeps its ل inside,
    since the article's alef is not written: للرئيس is a mention of الرئيس as a whole)."""

    stem: str
    prefix: str
    outside: int


@lru_cache(maxsize=200_000)
def proclitic_readings(n: str, min_stem: int = MIN_STEM) -> tuple[Reading, ...]:
    """Every reading of the proclitics of normalised ``n``, in the order conjunction, preposition, conjunction +
    preposition (وبإدلب → بإدلب, إدلب). A preposition leaves a stem of at least ``min_stem`` letters; the
    conjunction alone may leave one letter fewer (وحض → حض, a verb of two letters and a doubled one)."""
    out: list[Reading] = []
    conj = n[0] if len(n) - 1 >= min_stem - 1 and n[0] in CONJ else ""
    bases = [("", n)] + ([(conj, n[1:])] if conj else [])
    if conj:
        out.append(Reading(n[1:], conj, 1))
    for c, b in bases:
        if len(b) - 1 < min_stem or b[0] not in PREP:
            continue
        if b[0] == "ل" and b[1] == "ل":  # لل = ل + (ا)ل
            out.append(Reading("ا" + b[1:], c + "ل", len(c)))
        else:
            out.append(Reading(b[1:], c + b[0], len(c) + 1))
    return tuple(out)


def stem(n: str) -> str:
    """Normalised ``n`` with every proclitic split off (والرئيس → الرئيس، للقوات → القوات), or ``n``."""
    readings = proclitic_readings(n)
    return readings[-1].stem if readings else n


def without_pronoun(n: str, ta_marbuta: bool = False) -> Optional[str]:
    """``n`` without an attached pronoun (قواته → قوات), or None; ``ta_marbuta``: the word ends in ة, whose ه
    (normalised) is not a pronoun."""
    for suf in PRONOUNS:
        if ta_marbuta and suf == "ه":
            continue
        if n.endswith(suf) and len(n) - len(suf) >= 3:
            return n[: -len(suf)]
    return None


@lru_cache(maxsize=200_000)
def lookup_keys(surface: str, base: str = "") -> tuple[str, ...]:
    """Keys of a token for a lexicon of words (triggers, cues, counted nouns), most specific first: the
    normalised form (from the language layer's clitic-split ``base`` first, when given), without the article,
    every proclitic reading, and then each of those without an attached pronoun. وقصفت, بقصف, الغارات and
    واستهدفت reach the entries قصفت, قصف, غارات, استهدفت."""
    out: dict[str, None] = {}
    starts = [normalize(base)] if base else []
    starts.append(normalize(surface))
    for n in starts:
        out[n] = None
        out[strip_article(n)] = None
        for r in proclitic_readings(n):
            out[r.stem] = None
            out[strip_article(r.stem)] = None
    out.pop("", None)
    ta = surface.endswith("ة") or surface.endswith("ةً")
    for c in list(out):
        bare = without_pronoun(c, ta)
        if bare:
            out[bare] = None
    return tuple(out)


def skip_letters(text: str, k: int) -> int:
    """Character offset in ``text`` after its first ``k`` letters (diacritics, tatweel, joiners not counted):
    where a mention starts once ``k`` letters of proclitics are left out of it."""
    if k <= 0:
        return 0
    seen = 0
    for i, ch in enumerate(text):
        if ch in _SKIP:
            continue
        seen += 1
        if seen == k:
            j = i + 1
            while j < len(text) and text[j] in _SKIP:
                j += 1
            return j
    return len(text)


def query_stems(word: str, min_len: int = 2) -> tuple[str, ...]:
    """The stems a search for ``word`` looks for (each is then matched with any clitics): the word without its
    article and any proclitics before it (وبالرقة → رقه), and without the proclitics the language layer's splitter
    finds (وبإدلب → إدلب)."""
    from .morph import get_splitter

    n = fold(word)
    core = strip_article(n)
    for r in proclitic_readings(n, min_stem=min_len):
        if has_article(r.stem):
            core = strip_article(r.stem)
    out = [core]
    base = fold(get_splitter().split(word)[0])
    if base and base != n:
        out.append(strip_article(base))
    return tuple(f for f in dict.fromkeys(out) if len(f) >= min_len)


def _word_table(name: str, value, missing_ok: bool = False) -> dict:
    """A shipped table of data/language (normalised form <TAB> value per line, gzip), values through ``value``;
    empty when ``missing_ok`` and the file is not built."""
    out: dict = {}
    path = LANG_DIR / name
    if missing_ok and not path.exists():
        return out
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            w, _, v = line.rstrip("\n").partition("\t")
            if w:
                out[w] = value(v)
    return out


@lru_cache(maxsize=1)
def word_frequencies() -> dict[str, float]:
    """Normalised form -> Zipf frequency in ordinary Arabic (data/language/frequency.tsv.gz, from wordfreq)."""
    return _word_table("frequency.tsv.gz", float)


@lru_cache(maxsize=1)
def word_classes() -> dict[str, str]:
    """Normalised form -> one letter for what the farahidi analyser makes of it (P every reading a proper noun,
    p one among others, V verbs only, N other readings, 0 none), for wordfreq's words
    (data/language/word_classes.tsv.gz, scripts/build_word_classes.py); empty when the table is not built."""
    return _word_table("word_classes.tsv.gz", str, missing_ok=True)


def zipf(n: str) -> float:
    """Zipf frequency of a normalised form in ordinary Arabic (0 when unseen)."""
    return word_frequencies().get(n, 0.0)


def is_ordinary(n: str, threshold: float = ORDINARY_ZIPF) -> bool:
    """Is normalised ``n`` an ordinary word of the language (frequent enough that a name reading needs context)?"""
    return zipf(n) >= threshold


class WordForms:
    """The word-form rule for names. ``names`` is any container of normalised names (a set, a dict, a trie's first
    level); ``frequency`` a Zipf look-up (the shipped ordinary-Arabic table by default)."""

    def __init__(self, frequency=None):
        self._zipf = frequency or zipf

    def is_word(self, whole: str, rest: str) -> bool:
        """Is ``whole`` a word in its own right rather than clitic + ``rest``? True when it is about as frequent
        as ``rest`` is (a compound is rarer by about CLITIC_GAP)."""
        z = self._zipf(whole)
        return z > 0 and z >= self._zipf(rest) - CLITIC_GAP

    def name_readings(self, n: str, names: Container[str], drop_article: bool = True,
                      add_article: bool = False) -> tuple:
        """``(form, reading)`` pairs under which normalised ``n`` may be a name of ``names``, best first: the word
        itself, without its article (``drop_article``: for name lists that match either way, as the gazetteer),
        and its proclitic readings — each only when it is in ``names``. A proclitic reading counts only when the
        whole word is not itself a name or a word of its own (see :meth:`is_word`). With ``add_article`` an
        unprefixed word that is not an ordinary word may also match a name written with the article (نيرب →
        النيرب); an article is never added after a clitic. ``reading`` is None for the whole word."""
        out: list = []
        if n in names:
            out.append((n, None))
        if drop_article:
            bare = strip_article(n)
            if bare != n and bare in names:
                out.append((bare, None))
            elif bare == n and add_article and ARTICLE + n in names and not is_ordinary(n):
                out.append((ARTICLE + n, None))
        if n not in names:
            for r in proclitic_readings(n):
                s = r.stem
                for f in (article_forms(s) if drop_article else (s,)):
                    if f in names and not self.is_word(n, s):
                        out.append((f, r))
        return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1)
def word_forms() -> WordForms:
    return WordForms()


# ---------------------------------------------------------------------------------------------- verb inflections


def verb_forms(past: str, present: str = "") -> list[str]:
    """The folded inflections of a verb given its past and present 3rd-person stems (قتل، يقتل): past with the
    feminine, dual and plural endings, a hollow verb's passive (اغتال → اغتيل), present with its persons, dual,
    plural and subjunctive plural. Lexicons list a verb once; every inflection matches."""
    p = fold(past)
    forms = [p]
    if p[-1] in "اي":
        forms += [p[:-1] + "ت", p[:-1] + "وا", p[:-1] + "تا", p + "ا"]
    else:
        forms += [p + "ت", p + "وا", p + "ا", p + "تا"]
    if len(p) >= 4 and p[-2] == "ا" and p[-1] not in "اي":  # hollow verb: اغتال → passive اغتيل (also أُغير)
        forms += [p[:-2] + "ي" + p[-1], p[:-2] + "ي" + p[-1] + "ت"]
    q = fold(present) if present else ""
    if q:
        rest = q[1:]
        forms += [q, "ت" + rest, "ن" + rest, "ا" + rest, q + "ون", q + "ان", "ت" + rest + "ان", q + "وا"]
        if q.endswith(("و", "ي")):
            forms += [q[:-1] + "ون", "ت" + rest[:-1] + "ون"]
    return forms


def past_forms(key: str) -> set[str]:
    """A folded past-tense key with the feminine, dual and plural endings (قتل → قتلت، قتلا، قتلتا، قتلوا); a key
    listed with an ending keeps it."""
    out = {key}
    if len(key) >= 3 and not key.endswith(("ت", "وا", "ا")):
        out.update((key + "ت", key + "ا", key + "تا", key + "وا"))
    return out


__all__ = [
    "ARTICLE", "CONJ", "PREP", "PRONOUNS", "Reading", "WordForms", "article_forms", "either_article", "fold", "fold_word",
    "has_article", "is_ordinary", "lookup_keys", "proclitic_readings", "query_stems", "skip_letters", "stem", "strip_article",
    "strip_marks", "past_forms", "verb_forms", "without_pronoun", "word_forms", "zipf",
]
