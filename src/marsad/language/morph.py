"""Clitic splitting: وبإدلب → (و, ب) + إدلب; لقواته → ل + قوات + ه.

Two splitters share one interface, ``split(word) -> (base, prefixes, suffixes)``:

* :class:`CliticSplitter` (default) — enumerates the proclitic sequences (و/ف) (ب/ل/ك) (ال) and the attached
  pronouns, and keeps the reading whose stem is best attested in a word-count lexicon (ANERcorp counts plus
  gazetteer names, data/language/lexicon.tsv.gz). A stem reading wins over the whole word when
  ``count(stem) * STRIP_BONUS >= count(word)``, so وزير (زير unseen) stays whole while وقال splits.
  Unknown words fall back to two safe rules: و/ف + ال… and ب/ك/ل + ال… split; و/ف before a ≥3-letter stem splits.
* :class:`FarahidiSplitter` — the farahidi morphological analyser (AlKhalil port, lexicon in the package), top
  analysis per distinct surface form, cached. Slow on first sight of a word (up to ~0.4 s), so it is optional:
  ``mode="farahidi"`` uses it first, ``mode="fallback"`` only for words the lexicon does not know.

The clitics themselves (which letters, which pronouns) are the word-form model's (:mod:`marsad.language.forms`).
``base`` keeps the article ال (place names are stored with it: النيرب); ``forms.strip_article`` gives the bare form.
The base keeps the word's own letters (hamza forms) with diacritics and tatweel removed; ``لل`` restores ال.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from .forms import CONJ, PREP, PRONOUNS, strip_marks
from .normalize import normalize
from .resources import lexicon, load_json

STRIP_BONUS = 3

Analysis = tuple  # (base, prefixes tuple, suffixes tuple)


class CliticSplitter:
    def __init__(self, counts: Optional[dict] = None):
        self.counts = counts if counts is not None else lexicon()
        self.keep_whole = {normalize(x) for x in load_json("clitics.json")["keep_whole"]}
        self._cache: dict[str, Analysis] = {}

    # count of a normalised form, with and without the article
    def attested(self, n: str) -> int:
        c = self.counts
        if n.startswith("ال") and len(n) > 3:
            return c.get(n, 0) + c.get(n[2:], 0)
        return c.get(n, 0) + c.get("ال" + n, 0)

    def known(self, word: str) -> bool:
        """Is ``word`` (any form) attested, as a whole or after clitic splitting?"""
        n = normalize(word)
        if self.attested(n):
            return True
        base, pre, _ = self.split(word)
        return bool(pre) and self.attested(normalize(base)) > 0

    def split(self, word: str) -> Analysis:
        hit = self._cache.get(word)
        if hit is None:
            hit = self._split(word)
            if len(self._cache) < 500_000:
                self._cache[word] = hit
        return hit

    def _candidates(self, w: str, n: str):
        """(stem_start, restore_al, prefixes) readings of the proclitics; n is the normalised w."""
        out = []
        L = len(n)
        for ci in ("", *CONJ):
            if ci and not n.startswith(ci):
                continue
            i = len(ci)
            for pi in ("", *PREP):
                if pi and not n.startswith(pi, i):
                    continue
                j = i + len(pi)
                pre = tuple(p for p in (ci, pi) if p)
                if not pre:
                    continue
                if pi == "ل" and n.startswith("ل", j) and L - j - 1 >= 2:  # لل = ل + (ا)ل
                    out.append((j, True, pre))
                if n.startswith("ال", j):
                    if L - j - 2 >= 2:
                        out.append((j, False, pre))
                    continue
                min_len = 2 if not pi else 3
                if L - j >= min_len:
                    out.append((j, False, pre))
        return out

    def _split(self, word: str) -> Analysis:
        w = strip_marks(word)
        n = normalize(w)
        if len(n) != len(w) or len(n) < 3 or not ("\u0621" <= n[0] <= "\u064a") or n in self.keep_whole:
            return (w, (), ())
        attested = self.attested
        best = (attested(n), 0, w, (), ())  # score, -pieces, base, prefixes, suffixes
        for j, restore, pre in self._candidates(w, n):
            stem_n = ("ا" + n[j:]) if restore else n[j:]
            stem_w = ("ا" + w[j:]) if restore else w[j:]
            sc = attested(stem_n) * STRIP_BONUS
            cand = (sc, -len(pre), stem_w, pre, ())
            if sc and cand[:2] > best[:2]:
                best = cand
        # attached pronouns on the whole word or on the chosen proclitic reading
        for base_n_w in {(normalize(best[2]), best[2], best[3]), (n, w, ())}:
            bn, bw, pre = base_n_w
            if len(bn) < 5:
                continue
            for suf in PRONOUNS:
                if not bn.endswith(suf) or len(bn) - len(suf) < 3:
                    continue
                sn, sw = bn[: -len(suf)], bw[: -len(suf)]
                if sn.endswith("ت") and attested(sn[:-1] + "ه") > attested(sn):
                    sn, sw = sn[:-1] + "ه", sw[:-1] + "ة"
                sc = attested(sn) * STRIP_BONUS
                cand = (sc, -(len(pre) + 1), sw, pre, (suf,))
                if sc and cand[:2] > best[:2] and sc > attested(bn) * STRIP_BONUS:
                    best = cand
                break
        if best[0] == 0 and not best[3]:  # unknown word: conservative rules
            for j, restore, pre in self._candidates(w, n):
                stem_n = n[j:]
                if restore or stem_n.startswith("ال") or (len(pre) == 1 and pre[0] in CONJ and len(stem_n) >= 3):
                    return (("ا" + w[j:]) if restore else w[j:], pre, ())
            return (w, (), ())
        return (best[2], best[3], best[4])


class FarahidiSplitter:
    """farahidi's best analysis per surface form (cached); falls back to ``fallback`` when it finds none."""

    def __init__(self, fallback: Optional[CliticSplitter] = None, only_unknown: bool = False):
        import farahidi  # noqa: F401  (installed dependency; imported lazily because loading takes ~0.2 s)

        self._analyzer = farahidi.Analyzer()
        self.fallback = fallback or CliticSplitter()
        self.only_unknown = only_unknown
        self._cache: dict[str, Analysis] = {}

    def split(self, word: str) -> Analysis:
        hit = self._cache.get(word)
        if hit is None:
            hit = self._split(word)
            self._cache[word] = hit
        return hit

    def _split(self, word: str) -> Analysis:
        w = strip_marks(word)
        if self.only_unknown and self.fallback.attested(normalize(w)):
            return self.fallback.split(word)
        try:
            analyses = self._analyzer.analyze(w)
        except Exception:  # the analyser rejects some inputs (Latin, digits)
            analyses = []
        if not analyses:
            return self.fallback.split(word)
        a = analyses[0]
        pre: list[str] = []
        has_al = False
        for affix in a.proclitics:
            form = strip_marks(affix.form)
            if form == "ال":
                has_al = True
                continue
            if form.endswith("ال") or form.endswith("لل"):  # وال / بال / لل (= ل + ال)
                has_al = True
                form = form[:-2] if form.endswith("ال") else form[:-1]
            pre.extend(form)
        suf = tuple(strip_marks(x.form) for x in a.enclitics if strip_marks(x.form))
        # cut the base out of the surface word so hamza spelling is the author's
        k = len("".join(pre))
        end = len(w) - len("".join(suf))
        base = w[k:end] if end > k else strip_marks(a.stem)
        if suf and base.endswith("ت") and strip_marks(a.stem).endswith("ة"):
            base = base[:-1] + "ة"
        if has_al and not base.startswith("ال"):
            base = "ال" + base[1:] if base.startswith("ل") and pre and pre[-1] == "ل" else "ال" + base
        return (base, tuple(pre), suf)


@lru_cache(maxsize=4)
def get_splitter(mode: str = "rules"):
    """``rules`` (default, fast) | ``farahidi`` (analyser first) | ``fallback`` (analyser for unknown words)."""
    rules = CliticSplitter()
    if mode == "rules":
        return rules
    if mode == "farahidi":
        return FarahidiSplitter(rules)
    if mode == "fallback":
        return FarahidiSplitter(rules, only_unknown=True)
    raise ValueError(f"unknown splitter mode {mode!r}")
