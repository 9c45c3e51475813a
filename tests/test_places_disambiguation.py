"""Namesakes decided by evidence, kept with the score and the runner-up (sentences written for the tests)."""

from marsad.places.stages import find_places


def names(text):
    return {m.span.text: p for p in find_places(text) for m in p.mentions}


def test_namesake_nearest_the_articles_places_with_runner_up():
    found = names("قصفت الطائرات قرية النيرب وبلدة سراقب في ريف إدلب الشرقي")
    p = found["النيرب"]
    assert p.admin1 == "Idleb"
    assert p.attrs["resolution_score"] > p.attrs["runner_up"]["score"]
    assert p.attrs["runner_up"]["admin1"] == "Aleppo"
    assert any("km" in w for w in p.attrs["resolution_why"])


def test_list_member_known_only_far_away_falls_back_to_the_lists_governorate():
    # ترملا، دير سنبل، كفرعويد lie together in southern Idlib; the gazetteer knows البريج only in other governorates
    found = names("وسيطرت القوات على قرى ترملا ودير سنبل وكفرعويد والبريج")
    p = next(v for k, v in found.items() if k.endswith("البريج"))
    assert p.kind == "governorate" and p.admin1 == "Idleb" and p.precision == 2
    assert found["ترملا"].kind == "village"


def test_a_governorate_written_with_its_head_is_the_governorate():
    found = names("سيطرت القوات على بلدة استراتيجية قرب محافظة إدلب")
    p = next(v for k, v in found.items() if "إدلب" in k)
    assert p.kind == "governorate"
