"""The one word-form model (marsad.language.forms): clitics split only where the rest is a known form and the
whole word is not a word of its own; no article added after a clitic or to an ordinary word."""

import pytest

from marsad.language.forms import (
    WordForms,
    either_article,
    fold,
    lookup_keys,
    proclitic_readings,
    query_stems,
    stem,
    strip_article,
    word_classes,
    zipf,
)
from marsad.model import Article, Document
from marsad.pipeline import Pipeline


@pytest.fixture(scope="module")
def forms():
    return WordForms()


def test_proclitic_readings_in_order():
    readings = proclitic_readings(fold("وبإدلب"))
    assert [(r.stem, r.prefix) for r in readings] == [("بادلب", "و"), ("ادلب", "وب")]
    lil = proclitic_readings(fold("للرئيس"))
    assert [(r.stem, r.prefix, r.outside) for r in lil] == [("الرئيس", "ل", 0)]  # لل = ل + ال, ل kept in the span
    assert stem(fold("والقوات")) == "القوات"
    assert stem(fold("قوات")) == "قوات"


def test_ordinary_word_frequencies_are_folded():
    assert zipf(fold("فرقة")) > 4  # فرقة and فرقه counted as one form
    assert zipf(fold("المدينة")) > zipf(fold("سراقب")) > 0
    assert zipf("ققققق") == 0


def test_word_classes_tell_proper_nouns_from_ordinary_words():
    classes = word_classes()
    assert len(classes) > 100_000
    assert classes[fold("مايكروسوفت")] == "P"  # the analyser's lexicon of names
    assert classes[fold("كتب")] in ("V", "N")
    assert classes[fold("المدرسة")] == "N"
    assert set(classes.values()) <= {"P", "p", "V", "N", "0"}


@pytest.mark.parametrize("word, names, wrong", [
    ("كدور", {"الدور", "دور"}, "الدور"),  # "as a role": never ك + الدور (that would be written كالدور)
    ("فرقه", {"الرقه", "رقه"}, "رقه"),  # "its team" is a word of its own, not ف + Raqqa
    ("بكور", {"الكور"}, "الكور"),  # ب + الكور would be written بالكور
])
def test_words_are_not_split_into_a_clitic_and_a_name(forms, word, names, wrong):
    got = [f for f, _ in forms.name_readings(fold(word), names)]
    assert wrong not in got


@pytest.mark.parametrize("word, names, right", [
    ("وبإدلب", {"ادلب"}, "ادلب"),
    ("بالرقة", {"الرقه"}, "الرقه"),
    ("والرقة", {"الرقه"}, "الرقه"),
    ("للنظام", {"النظام"}, "النظام"),
    ("لبوتين", {"بوتين"}, "بوتين"),
    ("وسراقب", {"سراقب"}, "سراقب"),
])
def test_real_clitics_reach_the_name(forms, word, names, right):
    got = [f for f, r in forms.name_readings(fold(word), names) if r is not None]
    assert right in got


def test_a_whole_name_is_not_split(forms):
    # بنش is a town; ب + نش must not be tried when the whole word is a known name
    assert forms.name_readings("بنش", {"بنش", "نش"}) == (("بنش", None),)


def test_article_dropped_but_never_added_to_an_ordinary_word(forms):
    assert ("نيرب", None) in forms.name_readings("النيرب", {"نيرب"})
    assert ("النيرب", None) in forms.name_readings("نيرب", {"النيرب"}, add_article=True)
    assert not forms.name_readings(fold("على"), {"العلي"}, add_article=True)  # على is not العلي
    assert not forms.name_readings("النيرب", {"نيرب"}, drop_article=False)


def test_lexicon_keys_keep_every_reading():
    keys = lookup_keys("وبالغارات")
    assert "غارات" in keys and "بالغارات" in keys
    assert "قوات" in lookup_keys("قواته")
    assert "وزار" not in lookup_keys("وزارة")


def test_article_helpers_and_query_stems():
    assert strip_article("النيرب") == "نيرب" and strip_article("نيرب") == "نيرب"
    assert either_article("الرقه") == ("الرقه", "رقه") and either_article("رقه") == ("رقه", "الرقه")
    assert query_stems("وبالرقة") == ("رقه",)
    assert "ادلب" in query_stems("وبإدلب")


@pytest.fixture(scope="module")
def places_pipe():
    return Pipeline.default(["clean", "language", "places"])


def _placed(pipe, text):
    d = pipe(Document(article=Article(id="t", raw_text=text)))
    return {(m.span.text, p.name) for p in d.places for m in p.mentions}


@pytest.mark.parametrize("text, word", [
    ("قال الدفاع المدني إن فرقه عملت لساعات على انتشال الضحايا.", "فرقه"),
    ("شنت قوات النظام هجوما بريا جديدا على مواقع الفصائل.", "بريا"),
    ("قال الناطق إن الجنيد وحمود الجنيد وصلا إلى المدينة.", "حمود"),
])
def test_ordinary_words_with_clitic_look_alike_are_not_places(places_pipe, text, word):
    # written for this test in the form of real reports: a word that looks like clitic + a village name
    placed = _placed(places_pipe, text)
    assert not any(word.endswith(t) or t.endswith(word[1:]) for t, _ in placed), placed


def test_clitic_places_still_resolve(places_pipe):
    placed = _placed(places_pipe, "قصفت الطائرات بلدة وسراقب وبإدلب ومدينة بالرقة أمس.")
    names = {n for _, n in placed}
    assert {"سراقب", "إدلب"} <= names, placed
    assert any("رق" in n for n in names), placed
