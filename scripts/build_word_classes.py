"""Build the table of what the farahidi morphological analyser makes of ordinary Arabic words.

For each word of wordfreq's Arabic list down to a Zipf value of ZIPF_FLOOR, farahidi's analyses are reduced to one
letter: P = every analysis is a proper noun (اسم علم: its lexicon of names, many of them foreign), p = a proper noun
among other readings, V = verb readings only, N = other readings (nouns, particles), 0 = no analysis (farahidi
knows neither the word nor its pattern: often a transliterated foreign word). Words that fold together under
marsad's normalisation take the letter of their most frequent spelling. The NER tagger reads the letter as a
feature; looking it up in a table keeps the analyser out of tagging time (it takes ~2 ms a word).

Output: src/marsad/data/language/word_classes.tsv.gz (normalised form <TAB> letter).
Run:  python scripts/build_word_classes.py  (needs the [build] extra: wordfreq; ~5 min on two cores)
"""

from __future__ import annotations

import gzip
import math
import multiprocessing
import re
import sys

from marsad.language.normalize import normalize
from marsad.paths import DATA_DIR

ZIPF_FLOOR = 1.5
ARABIC_WORD = re.compile(r"^[\u0621-\u064A]+$")
PROPER = "اسم علم"
VERB = "فعل"

_analyzer = None


def word_class(word: str) -> str:
    global _analyzer
    if _analyzer is None:
        import farahidi

        _analyzer = farahidi.Analyzer()
    try:
        analyses = _analyzer.analyze(word)
    except Exception:  # the analyser rejects some inputs
        analyses = []
    if not analyses:
        return "0"
    proper = sum(1 for a in analyses if a.type == PROPER)
    if proper == len(analyses):
        return "P"
    if proper:
        return "p"
    if all(a.pos == VERB for a in analyses):
        return "V"
    return "N"


def main() -> int:
    import wordfreq

    words = [(w, f) for w, f in wordfreq.get_frequency_dict("ar", "large").items()
             if ARABIC_WORD.match(w) and math.log10(f * 1e9) >= ZIPF_FLOOR]
    with multiprocessing.Pool() as pool:
        classes = pool.map(word_class, [w for w, _ in words], chunksize=2000)
    best: dict[str, tuple[float, str]] = {}
    for (w, f), c in zip(words, classes):
        n = normalize(w)
        if n not in best or f > best[n][0]:
            best[n] = (f, c)
    out = DATA_DIR / "language" / "word_classes.tsv.gz"
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        for n in sorted(best):
            fh.write(f"{n}\t{best[n][1]}\n")
    counts: dict[str, int] = {}
    for _f, c in best.values():
        counts[c] = counts.get(c, 0) + 1
    print(f"{len(best)} forms -> {out}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
