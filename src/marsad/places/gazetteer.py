"""The compiled gazetteer (data/places/, built by scripts/build_gazetteer.py), loaded once per process.

Every place name is stored as normalised match keys (``marsad.language.normalize``), with spacing variants
(كفرنبل / كفر نبل) already expanded; the article ال on the first word is handled at lookup time.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..language.forms import either_article
from ..language.normalize import normalize
from ..paths import DATA_DIR

PLACES_DIR = DATA_DIR / "places"

# kind -> ACLED-like precision level
LEVEL = {"village": "village", "town": "village", "city": "village", "neighbourhood": "village", "site": "village",
         "subdistrict": "district", "district": "district", "governorate": "governorate", "region": "region",
         "country": "country"}
LOCALITY_KINDS = frozenset({"village", "town", "city", "neighbourhood"})


@dataclass(slots=True)
class Entry:
    idx: int
    id: str
    kind: str
    name: str
    name_en: str
    lat: float
    lon: float
    country: str
    a1: Optional[str]
    a2: Optional[str]
    a3: Optional[str]
    precision: int
    rank: float
    pop: Optional[int]
    geonames: str
    wikidata: str
    keys: tuple
    extra: dict = field(default_factory=dict)

    @property
    def is_locality(self) -> bool:
        return self.kind in LOCALITY_KINDS

    @property
    def level(self) -> str:
        return LEVEL.get(self.kind, "village")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


class Gazetteer:
    """Entries, the key index and the admin table."""

    def __init__(self, directory=PLACES_DIR):
        self.entries: list[Entry] = []
        self.by_id: dict[str, Entry] = {}
        self.index: dict[str, list[int]] = {}  # normalised key -> entry indices
        self.first_len: dict[str, int] = {}  # first word of a key -> most words of a key starting with it
        self.prefixes: set[str] = set()  # the first words of every multi-word key ("كفر", "دير ال…"): a name goes on
        with gzip.open(directory / "gazetteer.tsv.gz", "rt", encoding="utf-8") as fh:
            header = fh.readline().rstrip("\n").split("\t")
            col = {name: i for i, name in enumerate(header)}
            for line in fh:
                r = line.rstrip("\n").split("\t")
                e = Entry(
                    idx=len(self.entries), id=r[col["id"]], kind=r[col["kind"]], name=r[col["name"]],
                    name_en=r[col["name_en"]], lat=float(r[col["lat"]]), lon=float(r[col["lon"]]),
                    country=r[col["country"]], a1=r[col["a1"]] or None, a2=r[col["a2"]] or None, a3=r[col["a3"]] or None,
                    precision=int(r[col["precision"]]), rank=float(r[col["rank"]]),
                    pop=int(r[col["pop"]]) if r[col["pop"]] else None, geonames=r[col["geonames"]],
                    wikidata=r[col["wikidata"]], keys=tuple(k for k in r[col["keys"]].split("|") if k),
                    extra=json.loads(r[col["extra"]]) if r[col["extra"]] else {},
                )
                self.entries.append(e)
                self.by_id[e.id] = e
                for k in e.keys:
                    self.index.setdefault(k, []).append(e.idx)
                    words = k.split(" ")
                    if len(words) > self.first_len.get(words[0], 0):
                        self.first_len[words[0]] = len(words)
                    for n in range(1, len(words)):
                        self.prefixes.add(" ".join(words[:n]))
        with open(directory / "admin.json", encoding="utf-8") as fh:
            self.admin: dict = json.load(fh)
        with open(directory / "common_names.json", encoding="utf-8") as fh:
            self.common: dict[str, int] = json.load(fh)["names"]
        self._a1_points: dict[str, list] = {}
        # region entries addressed by rule: (base p-code, direction) -> entry
        self.regions: dict[tuple, Entry] = {}
        for e in self.entries:
            if e.kind == "region" and "base" in e.extra:
                self.regions[(e.extra["base"], e.extra.get("dir", ""))] = e

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, name: str) -> list[Entry]:
        """Entries whose key is ``name`` (any spelling; with or without ال), best ranked first."""
        k = " ".join(normalize(name).split())
        hits = [i for form in either_article(k) for i in self.index.get(form, ())]
        out = [self.entries[i] for i in dict.fromkeys(hits)]
        return sorted(out, key=lambda e: -e.rank)

    def near_admin1(self, e: Entry, a1: str, km: float) -> bool:
        """Whether ``e`` lies within ``km`` of some locality of governorate ``a1`` (in it or at its edge)."""
        pts = self._a1_points.get(a1)
        if pts is None:
            pts = [(x.lat, x.lon) for x in self.entries if x.a1 == a1 and x.is_locality]
            self._a1_points[a1] = pts
        box = km / 90.0  # degrees; generous at Syrian latitudes
        return any(abs(lat - e.lat) <= box and abs(lon - e.lon) <= box and distance_km(e.lat, e.lon, lat, lon) <= km
                   for lat, lon in pts)

    def region(self, base: str, direction: str = "") -> Optional[Entry]:
        """The countryside of governorate ``base`` (p-code, or "SY" for Syria) in ``direction`` (N, SW…; "" = all)."""
        return self.regions.get((base, direction))

    def admin_name(self, code: Optional[str], lang: str = "en") -> Optional[str]:
        if not code:
            return None
        a = self.admin.get(code)
        return a[lang] if a else None


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    return Gazetteer()


@lru_cache(maxsize=1)
def lexicon() -> dict:
    with open(PLACES_DIR / "lexicon.json", encoding="utf-8") as fh:
        return json.load(fh)
