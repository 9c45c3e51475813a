import pytest

from marsad.language.forms import article_forms, strip_article
from marsad.language.morph import CliticSplitter, get_splitter
from marsad.language.segment import sentence_bounds
from marsad.language.stages import LanguageStage
from marsad.model import Article, Document


def sents(text):
    return [text[a:b] for a, b in sentence_bounds(text)]


def test_sentences_basic_punctuation():
    assert sents("قصفت الطائرات البلدة. وقال مصدر إن القصف استمر! هل انتهى؟ نعم") == [
        "قصفت الطائرات البلدة.",
        "وقال مصدر إن القصف استمر!",
        "هل انتهى؟",
        "نعم",
    ]


def test_sentences_abbreviations_decimals_dates_urls_are_not_ends():
    text = "قال د. سامر إن 2.5 مليون شخص نزحوا منذ 1.5.2019 بحسب الموقع www.example.org وفق م. خالد."
    assert sents(text) == [text]


def test_sentences_line_breaks_and_quotes():
    text = "عنوان بلا نقطة\nقال الوزير: “انتهت الجولة.” ثم غادر.\nوأضاف «لن نتراجع.» في بيانه"
    assert sents(text) == ["عنوان بلا نقطة", "قال الوزير: “انتهت الجولة.”", "ثم غادر.", "وأضاف «لن نتراجع.»", "في بيانه"]


def test_sentences_glued_dot_and_commas():
    assert sents("وصلت القوات إلى البلدة.وقال المراسل، إن الاشتباكات؛ مستمرة") == [
        "وصلت القوات إلى البلدة.",
        "وقال المراسل، إن الاشتباكات؛ مستمرة",
    ]


@pytest.fixture(scope="module")
def splitter():
    return CliticSplitter()


@pytest.mark.parametrize(
    "word,base,prefixes",
    [
        ("وإدلب", "إدلب", ("و",)),
        ("بإدلب", "إدلب", ("ب",)),
        ("لقوات", "قوات", ("ل",)),
        ("والنيرب", "النيرب", ("و",)),
        ("وبوتين", "بوتين", ("و",)),
        ("للنظام", "النظام", ("ل",)),
        ("بالقصف", "القصف", ("ب",)),
        ("وسراقب", "سراقب", ("و",)),
        ("وبالتالي", "التالي", ("و", "ب")),
        # words whose first letter only looks like a clitic
        ("وزير", "وزير", ()),
        ("بيان", "بيان", ()),
        ("لبنان", "لبنان", ()),
        ("فصائل", "فصائل", ()),
        ("ولاية", "ولاية", ()),
        ("كما", "كما", ()),
        ("وسط", "وسط", ()),
        ("بلدة", "بلدة", ()),
    ],
)
def test_clitic_splitting(splitter, word, base, prefixes):
    b, pre, _ = splitter.split(word)
    assert (b, pre) == (base, prefixes)


def test_pronoun_suffix_and_ta_marbuta(splitter):
    assert splitter.split("قواته") == ("قوات", (), ("ه",))
    assert splitter.split("حكومته") == ("حكومة", (), ("ه",))


def test_strip_article_and_article_forms():
    assert strip_article("النيرب") == "نيرب"
    assert strip_article("إدلب") == "إدلب"
    assert strip_article("ال") == "ال"
    assert article_forms("النيرب") == ("النيرب", "نيرب")
    assert article_forms("اريحا") == ("اريحا",)


def test_tokens_from_stage():
    doc = Document(Article(id="t", raw_text="وقصفت الطائرات والنيرب وبإدلب، ثم انسحبت لقوات 12."))
    LanguageStage()(doc)
    toks = {t.text: t for t in doc.tokens}
    assert toks["والنيرب"].base == "النيرب" and toks["والنيرب"].prefixes == ["و"]
    assert toks["وبإدلب"].base == "إدلب" and toks["وبإدلب"].prefixes == ["و", "ب"]
    assert toks["وبإدلب"].norm == "وبادلب"
    assert toks["12"].base == "12"
    assert toks["،"].text == "،"
    for t in doc.tokens:
        assert doc.text[t.start : t.end] == t.text


def test_farahidi_splitter_agrees_on_easy_words():
    f = get_splitter("farahidi")
    assert f.split("بإدلب") == ("إدلب", ("ب",), ())
    assert f.split("للنظام")[0] == "النظام"
    assert f.split("والنيرب")[0] == "النيرب"  # no analysis: falls back to the rules
