"""The compiled gazetteer: size, names, admin hierarchy, supplementary entries, shipped polygons."""

import json

import pytest

from marsad.language.normalize import normalize
from marsad.places.gazetteer import PLACES_DIR, distance_km, get_gazetteer


@pytest.fixture(scope="module")
def gz():
    return get_gazetteer()


def test_size_and_kinds(gz):
    kinds = {}
    for e in gz.entries:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    assert len(gz) > 10_000
    assert kinds["governorate"] == 14
    assert kinds["district"] > 50 and kinds["subdistrict"] > 250
    assert kinds["country"] > 200
    assert kinds.get("village", 0) + kinds.get("town", 0) + kinds.get("city", 0) > 9000


def test_keys_are_normalised(gz):
    for e in gz.entries[:3000]:
        for k in e.keys:
            assert k == normalize(k)
            assert "  " not in k


@pytest.mark.parametrize("spelling", ["كفرنبل", "كفر نبل", "كفر  نبل"])
def test_spacing_variants(gz, spelling):
    hits = [e for e in gz.lookup(spelling) if e.a1 == "SY07"]
    assert hits and hits[0].name_en == "Kafr Nabl"


def test_article_and_hamza_forms(gz):
    assert {e.id for e in gz.lookup("إدلب")} == {e.id for e in gz.lookup("ادلب")}
    assert any(e.name_en == "Arbikh" for e in gz.lookup("الأربيخ"))


def test_admin_hierarchy(gz):
    kn = next(e for e in gz.lookup("كفرنبل") if e.a1 == "SY07")
    assert gz.admin_name(kn.a1) == "Idleb"
    assert kn.a2 == "SY0702"  # Ma'arrat an-Nu'man district
    assert kn.a3 and kn.a3.startswith("SY0702")
    aleppo = [e for e in gz.lookup("النيرب") if e.a1 == "SY02"]
    assert aleppo and aleppo[0].a2 == "SY0200"


def test_supplementary_villages_near_their_neighbours(gz):
    tarnaba = gz.lookup("ترنبة")[0]
    saraqib = next(e for e in gz.lookup("سراقب") if e.a1 == "SY07")
    assert distance_km(tarnaba.lat, tarnaba.lon, saraqib.lat, saraqib.lon) < 8
    harb = gz.lookup("حربنوش")[0]
    idlib = gz.by_id["ocha:SY07"]  # governorate record sits at the capital
    assert 5 < distance_km(harb.lat, harb.lon, idlib.lat, idlib.lon) < 15
    assert gz.lookup("سفوهن")[0].a1 == "SY07"
    assert gz.lookup("بيلون")[0].a1 == "SY07"


def test_world_places_have_arabic_names_and_coordinates(gz):
    for name, lat, lon in [("موسكو", 55.75, 37.6), ("أنقرة", 39.9, 32.9), ("نيويورك", 40.7, -74.0), ("أوساكا", 34.7, 135.5),
                           ("واشنطن", 38.9, -77.0), ("طهران", 35.7, 51.4), ("بيروت", 33.9, 35.5), ("اسطنبول", 41.0, 29.0),
                           ("سوتشي", 43.6, 39.7), ("أضنة", 37.0, 35.3), ("جنيف", 46.2, 6.1)]:
        e = gz.lookup(name)[0]
        assert e.country != "SYR", name
        assert distance_km(e.lat, e.lon, lat, lon) < 30, name
    tr = gz.lookup("تركيا")[0]
    assert tr.kind == "country" and tr.country == "TUR"


def test_regions_have_coordinates_inside_their_governorate(gz):
    south = gz.region("SY07", "S")
    north = gz.region("SY07", "N")
    assert south is not None and north is not None and south.lat < north.lat
    zawiya = gz.lookup("جبل الزاوية")[0]
    assert zawiya.kind == "region" and zawiya.a1 == "SY07"
    assert 35.5 < zawiya.lat < 35.8 and 36.4 < zawiya.lon < 36.7


def test_shipped_polygons_are_small_and_complete():
    path = PLACES_DIR / "admin1.geojson"
    assert path.stat().st_size < 1_000_000
    geo = json.loads(path.read_text(encoding="utf-8"))
    assert {f["properties"]["pcode"] for f in geo["features"]} == {f"SY{i:02d}" for i in range(1, 15)}


def test_attribution_names_every_source():
    text = (PLACES_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for needle in ("Who's On First", "GeoNames", "Open-Syria", "OCHA", "Natural Earth", "CLDR", "ANERcorp"):
        assert needle in text
