"""The places stage on the shared sample articles (read at test time, never copied).

Expected coordinates are the true positions of the villages, taken independently of the stage from the obviously
right gazetteer record of each (GeoNames-derived WOF entries; the marsad supplement for names the source lacks).
"""

import pytest

from marsad.language.normalize import normalize
from marsad.model import Document
from marsad.pipeline import Pipeline
from marsad.places.gazetteer import distance_km
from marsad.readers.text import read_text_file

# name as written in the article -> (lat, lon) of the real place
TRUE_002 = {
    "أريحا": (35.8137, 36.6096),  # Ariha town, GeoNames 172994
    "كفرنبل": (35.6138, 36.5645),  # Kafr Nabl, GeoNames 168661
    "كفرسجنة": (35.5279, 36.5897),  # Kafr Sajnah, GeoNames 168639
    "كفرعويد": (35.6311, 36.4599),  # Kafr Uwayd, GeoNames 168624
    "سفوهن": (35.6067, 36.4635),  # Sufuhun, GeoNames 164662
    "إبلين": (35.7135, 36.5293),  # Iblin, GeoNames 174626
    "البارة": (35.6860, 36.5424),  # al-Bara, GeoNames 173999
    "معبر أطمة": (36.3095, 36.6884),  # at Atmeh, GeoNames 172370
}
TRUE_004 = {
    "سراقب": (35.8645, 36.8059),  # Saraqib, GeoNames 164816
    "الطلحية": (35.9664, 36.8357),  # Talhiyah, GeoNames 8182153
    "الأربيخ": (36.0040, 36.8483),  # Arbikh, GeoNames 11554265
    "كراتين": (35.9387, 36.8459),  # Karratin east of Idlib, GeoNames 163527
    "مطاري كويرس": (36.187, 37.583),  # Kuweires airbase
    "النيرب": (36.181, 37.224),  # Nayrab airbase at Aleppo airport ("مطاري كويرس والنيرب في حلب")
    "معسكر جورين": (35.6198, 36.2397),  # Jurin camp, al-Ghab, GeoNames 168820
    "بيلون": (35.6957, 36.5084),  # Baylun, Jabal al-Zawiya, GeoNames 171857
}
TRUE_003 = {"النيرب": (35.8696, 36.7187)}  # the Nayrab by Saraqib (GeoNames 166357), not the Aleppo one

# surface words that must never become a place in the samples
NOT_PLACES = {"مدينة", "المدينة", "الجزيرة", "الصدد", "قرى", "بلدة", "التركية", "الروسية", "السورية", "التركي",
              "معسكر", "الأناضول", "بلدي", "طلحة", "فخر", "دي", "و"}


@pytest.fixture(scope="module")
def docs(sample_paths):
    pipe = Pipeline.default(["clean", "language", "places"])
    out = {}
    for path in sample_paths:
        art = next(read_text_file(path))
        out[path.name[:3]] = pipe(Document(article=art))
    return out


def located(doc, written):
    """The place with a mention written ``written`` (the mention may carry its cue word: "معبر أطمة")."""
    target = normalize(written)
    for p in doc.places:
        for m in p.mentions:
            words = normalize(doc.text[max(0, m.span.start - 15):m.span.end]).split()
            if normalize(m.span.text) == target or " ".join(words[-2:]) == target:
                return p
    return None


@pytest.mark.parametrize("sample,truth", [("002", TRUE_002), ("004", TRUE_004), ("003", TRUE_003)])
def test_sample_villages_resolve_within_5km(docs, sample, truth):
    if sample not in docs:
        pytest.skip("sample missing")
    doc = docs[sample]
    misses = []
    for written, (lat, lon) in truth.items():
        p = located(doc, written)
        if p is None:
            misses.append(f"{written}: not found")
            continue
        d = distance_km(p.lat, p.lon, lat, lon)
        if d > 5:
            misses.append(f"{written}: {p.id} {p.name} is {d:.1f} km away")
    assert not misses, misses


def test_no_ordinary_words_become_places(docs):
    bad = []
    for key, doc in docs.items():
        for p in doc.places:
            for m in p.mentions:
                if normalize(m.span.text) in {normalize(w) for w in NOT_PLACES}:
                    bad.append(f"{key}: {m.span.text} -> {p.id}")
    assert not bad, bad


def test_sample_localities_stay_in_the_northwest(docs):
    """The articles are about Idlib, Hama and Aleppo: a village elsewhere in Syria is a false place."""
    bad = []
    for key, doc in docs.items():
        for p in doc.places:
            if p.country == "SYR" and p.precision_level == "village" and p.admin1 not in ("Idleb", "Hama", "Aleppo"):
                bad.append(f"{key}: {[m.span.text for m in p.mentions]} -> {p.id} {p.admin1}")
    assert not bad, bad


def test_sample_region_mentions(docs):
    ids = {p.id for d in docs.values() for p in d.places}
    for expected in ("region:SY07:S", "region:SY05:N", "region:jabal_al_zawiya", "region:al_ghab_plain",
                     "region:idlib_deescalation_zone", "ocha:SY07", "iso:TUR", "iso:RUS", "world:europe", "world:caspian",
                     "city:ankara", "tz:Europe/Moscow", "city:osaka", "iso:JPN", "tz:America/New_York"):
        assert expected in ids, expected
