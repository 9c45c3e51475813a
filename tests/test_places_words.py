"""Ordinary words are not places; context that makes a frequent word a place (sentences written for the tests)."""

import pytest

from marsad.places.stages import find_places


def names(text):
    out = {}
    for p in find_places(text):
        for m in p.mentions:
            out[m.span.text] = p
    return out


@pytest.mark.parametrize("text,word", [
    ("نشر ناشطون مقطع فيديو يظهر آثار القصف على الحي", "فيديو"),
    ("وقال مدير المرصد رامي عبد الرحمن إن الاشتباكات مستمرة", "رامي"),
    ("شنت القوات هجوما بريا على مواقع المعارضة", "ريا"),
    ("ولا تزال فرق الإنقاذ تبحث عن عالقين تحت الأنقاض", "عالقين"),
    ("وقالت مديرية الصحة إن عدد الجرحى في حالات حرجة ارتفع", "حالات"),
    ("عقد الاجتماع في العاصمة الروسية موسكو أمس", "الروسية"),
    ("تمكنت القوات من السيطرة على قريتين وتلة استراتيجية", "قريتين"),
    ("أعلن عن مقتل أبو بكر البغدادي في عملية خاصة", "أبو بكر"),
    ("قال شاب وهو مهجر من ريف حمص إن الوضع صعب", "مهجر"),
])
def test_ordinary_word_is_not_a_place(text, word):
    found = names(text)
    assert not any(word in k for k in found), {k: p.id for k, p in found.items()}


def test_capital_is_still_found_beside_an_adjective():
    found = names("عقد الاجتماع في العاصمة الروسية موسكو أمس")
    assert any(p.country == "RUS" for p in found.values())


def test_frequent_word_after_a_place_type_noun_is_a_place():
    found = names("قصفت الطائرات الحربية قرية بليون في جبل الزاوية")
    assert "بليون" in found and found["بليون"].admin1 == "Idleb"


def test_frequent_word_in_a_list_of_villages_is_a_place():
    found = names("وطال القصف بلدات كفرنبل وحاس وكوكبة في ريف إدلب الجنوبي")
    assert "وكوكبة" in found or "كوكبة" in found


def test_a_town_put_in_turkey_is_not_its_syrian_namesake():
    found = names("وصلت التعزيزات إلى مدينة الريحانية في ولاية هاتاي جنوبي تركيا")
    assert all(p.country != "SYR" for p in found.values()), {k: p.id for k, p in found.items()}


def test_adjective_after_a_plural_place_noun_is_not_a_village():
    found = names("وأعلنت القوات أنها سيطرت على قرى جديدة في المنطقة")
    assert not any("جديدة" in k for k in found), {k: p.id for k, p in found.items()}


def test_head_of_a_compound_name_alone_is_not_a_place():
    found = names("تقدمت القوات باتجاه قرى جبل شحشبو")
    assert not any(k.endswith("جبل") for k in found), {k: p.id for k, p in found.items()}
