"""World regions and seas, foreign place names that are ordinary words, localities the text puts in another
governorate, named border crossings (sentences written for these tests)."""

import pytest

from marsad.places.gazetteer import distance_km, get_gazetteer
from marsad.places.stages import find_places


def by_text(text):
    out = {}
    for p in find_places(text):
        for m in p.mentions:
            out[m.span.text] = p
    return out


def test_continents_and_seas_are_region_level_world_places():
    ps = by_text("يحاول اللاجئون الوصول إلى أوروبا عبر بحر إيجة، وحلقت الطائرات فوق بحر قزوين والبحر الأسود.")
    assert {ps[n].id for n in ("أوروبا", "بحر إيجة", "بحر قزوين", "البحر الأسود")} == {
        "world:europe", "world:aegean", "world:caspian", "world:black_sea"}
    for n in ("أوروبا", "بحر قزوين"):
        assert ps[n].precision_level == "region" and ps[n].precision == 3 and ps[n].country is None
    assert distance_km(ps["بحر قزوين"].lat, ps["بحر قزوين"].lon, 42.0, 50.5) < 300


@pytest.mark.parametrize("sentence", [
    "قدمت المنظمة دعم مالي للمشاريع الزراعية",  # مالي: financial, not Mali
    "قال إن من ترك منزله لن يعود",  # ترك: left, not Chuuk
    "وقالت صوفيا إن العائلة نزحت",  # a woman's name
    "ارتفعت أسعار الأسهم وأغلقت بورصة المدينة",  # stock exchange, not Bursa
])
def test_foreign_names_that_are_ordinary_words(sentence):
    assert [p for p in find_places(sentence) if p.country != "SYR"] == []


def test_those_names_with_a_locative_preposition_are_places():
    ps = by_text("سافر الوفد إلى مالي ثم عقد اجتماعا في صوفيا")
    assert ps["مالي"].id == "iso:MLI" and ps["صوفيا"].country == "BGR"


def test_locality_the_text_puts_elsewhere_falls_back_to_that_area():
    # the gazetteer knows عابدين only in Daraa; the text puts it in southern Idlib
    ps = by_text("سيطرت قوات النظام على بلدة الهبيط وقرية عابدين بريف إدلب الجنوبي")
    ab = ps["عابدين"]
    assert ab.id == "region:SY07:S" and ab.precision == 2
    assert ab.attrs["unlocated"][0]["name"] == "عابدين" and ab.attrs["unlocated"][0]["admin1"] == "Dar'a"
    assert ps["الهبيط"].admin1 == "Idleb" and ps["الهبيط"].precision == 1


def test_locality_at_the_edge_of_the_named_governorate_is_kept():
    # كفرنبودة is in Hama, a few km from Idlib's villages: written "بريف إدلب" it stays the village
    ps = by_text("قصف على قرية كفرنبودة بريف إدلب الجنوبي")
    assert ps["كفرنبودة"].admin1 == "Hama" and ps["كفرنبودة"].precision == 1


def test_a_direction_of_movement_does_not_place_a_locality():
    ps = by_text("نزح الأهالي من ابطع باتجاه ريف إدلب")
    assert ps["ابطع"].admin1 == "Dar'a"


def test_named_border_crossings():
    ps = by_text("أغلقت السلطات معبر باب الهوى ومعبر باب السلامة، ووصلت قافلة إلى باب الهوى")
    hawa = ps["معبر باب الهوى"]
    assert hawa.kind == "site" and hawa.admin1 == "Idleb" and distance_km(hawa.lat, hawa.lon, 36.23, 36.67) < 5
    assert ps["باب الهوى"].id == hawa.id
    assert ps["معبر باب السلامة"].admin1 == "Aleppo"
    # with a village cue it is the village of that name, not the crossing
    village = by_text("قصفت المدفعية قرية باب الهوى قرب جسر الشغور")["باب الهوى"]
    assert village.kind == "village"


def test_around_a_site_is_precision_2():
    ps = by_text("اشتباكات عنيفة في محيط مطار أبو الظهور")
    assert ps["مطار أبو الظهور"].precision == 2


def test_common_names_cover_world_places():
    common = get_gazetteer().common
    assert "مالي" in common and "بورصه" in common
    assert "اوروبا" not in common
