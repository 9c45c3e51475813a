"""Data of the language layer, loaded once per process from src/marsad/data/language/."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache

from ..paths import DATA_DIR

LANG_DIR = DATA_DIR / "language"


@lru_cache(maxsize=None)
def load_json(name: str) -> dict:
    with open(LANG_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, int]:
    """Normalised word form -> corpus count (see data/language/ATTRIBUTION.md)."""
    out: dict[str, int] = {}
    with gzip.open(LANG_DIR / "lexicon.tsv.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            w, _, n = line.rstrip("\n").partition("\t")
            if w:
                out[w] = int(n or 1)
    return out
