"""Build the word-frequency lexicon the clitic splitter and the de-obfuscator consult.

Sources (read from the shared reference folder, see its README):
  * ner/ANERCorp_train.txt  -- token counts (normalised surface forms)
  * gazetteer/wof_syria_places.csv and opensyria__data_*.json -- Arabic place-name words (counted once each
    unless already seen in the corpus)
Output: src/marsad/data/language/lexicon.tsv.gz  (normalised word <TAB> count), plus ATTRIBUTION.md beside it.

Run:  python scripts/build_language_lexicon.py
"""

from __future__ import annotations

import collections
import csv
import gzip
import json
import re
import sys
from pathlib import Path

from marsad.language.normalize import normalize
from marsad.paths import DATA_DIR, shared_dir

ARABIC_WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3]+")
PLACE_WEIGHT = 3  # a gazetteer name counts as a few corpus sightings


def main() -> int:
    shared = shared_dir() / "data"
    counts: collections.Counter = collections.Counter()
    with open(shared / "ner" / "ANERCorp_train.txt", encoding="utf-8") as fh:
        for line in fh:
            token = line.rsplit(" ", 1)[0].strip()
            for w in ARABIC_WORD.findall(normalize(token)):
                counts[w] += 1

    place_words: set = set()
    with open(shared / "gazetteer" / "wof_syria_places.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = [row.get("name_ar") or ""] + (row.get("name_ar_variants") or "").split("|")
            for name in names:
                place_words.update(ARABIC_WORD.findall(normalize(name)))
    for js in sorted((shared / "gazetteer").glob("opensyria__data_*.json")):
        text = js.read_text(encoding="utf-8")
        for s in re.findall(r'"([^"]*[\u0621-\u064A][^"]*)"', text):
            place_words.update(ARABIC_WORD.findall(normalize(s)))
    for w in place_words:
        if len(w) >= 2:
            counts[w] = max(counts[w], PLACE_WEIGHT)

    out = DATA_DIR / "language" / "lexicon.tsv.gz"
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            fh.write(f"{w}\t{n}\n")
    print(f"wrote {len(counts)} words to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
