"""Build the ordinary-Arabic word-frequency table the word-form model consults.

Source: the wordfreq package's Arabic list (``pip install -e ".[build]"``; only this script needs it).
Each word is folded with marsad's normalisation (hamza forms, ى/ي, ة/ه, marks dropped) and the frequencies of
the words that fold together are summed; the table keeps forms down to a Zipf value of ZIPF_FLOOR.
Output: src/marsad/data/language/frequency.tsv.gz (normalised form <TAB> Zipf value, two decimals).

Run:  python scripts/build_word_frequency.py
"""

from __future__ import annotations

import collections
import gzip
import math
import re
import sys

from marsad.language.normalize import normalize
from marsad.paths import DATA_DIR

ZIPF_FLOOR = 1.0  # below this wordfreq's Arabic list is mostly noise and typos
ARABIC_WORD = re.compile(r"^[\u0621-\u064A]+$")


def main() -> int:
    import wordfreq

    folded: collections.Counter = collections.Counter()
    for word, freq in wordfreq.get_frequency_dict("ar").items():
        n = normalize(word)
        if ARABIC_WORD.match(n):
            folded[n] += freq
    out = DATA_DIR / "language" / "frequency.tsv.gz"
    kept = 0
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        for w, f in sorted(folded.items(), key=lambda kv: (-kv[1], kv[0])):
            zipf = math.log10(f * 1e9)
            if zipf < ZIPF_FLOOR:
                break
            fh.write(f"{w}\t{zipf:.2f}\n")
            kept += 1
    print(f"wrote {kept} forms to {out} (wordfreq {wordfreq.__version__ if hasattr(wordfreq, '__version__') else ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
