import re

import pytest

from marsad.language.clean import Cleaner, RepeatedLineModel, detect_outlet, repair, repair_pieces
from marsad.model import Article, Document


def clean(raw, **kw):
    doc = Document(Article(id="t", raw_text=raw, **kw))
    Cleaner()(doc)
    return doc


ARTICLE = """أخبار سوريا

عنوان تجريبي عن قصف في ريف المدينة

متابعة الوسيلة:

قال مصدر محلي إن القصف استهدف البلدة صباح اليوم.

تفاصيل الهجوم

وأضاف المصدر أن الأهالي نزحوا نحو الحدود.

المصدر: (وكالات)

مقالات ذات صلة

رابط إلى خبر آخر

زر الذهاب إلى الأعلى
"""


def test_chrome_labels_bylines_removed_title_and_subheading_kept():
    doc = clean(ARTICLE, labels=["أخبار سوريا"], title="عنوان تجريبي عن قصف في ريف المدينة")
    t = doc.article.clean_text
    assert t.startswith("عنوان تجريبي")
    assert "تفاصيل الهجوم" in t  # a sub-heading stays
    for gone in ("أخبار سوريا", "متابعة الوسيلة", "المصدر:", "مقالات ذات صلة", "زر الذهاب", "رابط إلى خبر آخر"):
        assert gone not in t
    meta = doc.article.meta
    assert meta["byline"] == "متابعة الوسيلة:"
    assert meta["source_line"] == "المصدر: (وكالات)"
    kinds = {c["text"]: c["kind"] for c in meta["chrome"]}
    assert kinds["زر الذهاب إلى الأعلى"] == "after_related"
    assert kinds["أخبار سوريا"] == "label"


def test_label_guess_without_reader_labels():
    doc = clean("أخبار سوريا\n\nعنوان الخبر هنا\n\nنص الخبر.")
    assert "أخبار سوريا" not in doc.article.clean_text
    assert doc.article.clean_text.startswith("عنوان الخبر هنا")


@pytest.mark.parametrize(
    "line",
    [
        "camera iconصورة لجنود في موقع عسكري (رويترز)",
        "tag icon ع ع ع",
        "ادعم عنب بلدي",
        "دولار واحد شهريًا يصنع الفرق",
        "اضغط هنا للمساهمة",
        "قد يعجبك ايضا",
        "تشغيل الفيديو",
        "مقالات متعلقة",
    ],
)
def test_fixed_chrome_lines(line):
    doc = clean(f"عنوان\n\nنص أول للخبر.\n\n{line}\n\nنص ثان للخبر.")
    assert line not in doc.article.clean_text
    assert any(c["text"] == line for c in doc.article.meta["chrome"])


def test_byline_jisr_style_kept_as_meta():
    doc = clean("عنوان الخبر\n\nجسر: متابعات\n\nنص الخبر هنا.")
    assert doc.article.meta["byline"] == "جسر: متابعات"
    assert "متابعات" not in doc.article.clean_text
    assert doc.article.outlet == "جسر"


@pytest.mark.parametrize(
    "broken,fixed",
    [
        ("وقف إطـ.لاق الـ.نار", "وقف إطلاق النار"),
        ("سقط عدد من الضـ.حايا", "سقط عدد من الضحايا"),
        ("تواصلت هجـ.مات الطيران", "تواصلت هجمات الطيران"),
        ("القصـــف العنيف", "القصف العنيف"),
        ("هجـ*مات", "هجمات"),
        ("إط.لاق النار", "إطلاق النار"),
    ],
)
def test_repair_obfuscation(broken, fixed):
    assert repair(broken) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "قال د. محمد إن",
        "التقى د.محمد بالوفد",
        "م. أحمد",
        "عام 300 ق.م",
        "نسبة 2.5 في المئة",
        "نسبة ٢٫٥ في المئة",
        "في 1.5.2019 وقع",
        "الموقع www.example.net",
        "وصل إلى إدلب.وقال المراسل",
        "الجولة الـ 12",
        "بحسب “الدفاع المدني”، قتل",
        "التعاون التركي- الروسي",
    ],
)
def test_repair_leaves_real_punctuation(text):
    assert repair(text) == text


def test_repaired_text_maps_back_to_raw():
    raw = "عنوان\n\nتحقيق وقف إطـ.لاق الـ.نار في المنطقة.\n"
    doc = clean(raw)
    t = doc.article.clean_text
    i = t.index("إطلاق")
    rs, re_ = doc.article.clean_map.span_to_source(i, i + len("إطلاق"))
    assert raw[rs:re_] == "إطـ.لاق"
    j = t.index("المنطقة")
    span = doc.span(j, j + len("المنطقة"))
    assert raw[span.raw_start : span.raw_end] == "المنطقة"
    assert not re.search(r"[\u0621-\u064a][\u0640.]+[\u0621-\u064a]", t)


def test_repair_pieces_is_identity_without_marks():
    assert repair_pieces("نص عادي بلا علامات") == [(0, len("نص عادي بلا علامات"))]


@pytest.mark.parametrize(
    "text,outlet",
    [
        ("وقال الناشط لعنب بلدي إن الوضع صعب.", "عنب بلدي"),
        ("وأفاد مراسل الجزيرة بأن الغارات تواصلت.", "الجزيرة"),
        ("وقال مصدر للجزيرة نت إن", "الجزيرة"),
        ("عنوان\nمتابعة الوسيلة:\nنص", "الوسيلة"),
        ("نص لا يذكر أي وسيلة إعلامية.", None),
        ("وصلت التعزيزات لجسر الشغور أمس.", None),
    ],
)
def test_detect_outlet(text, outlet):
    found, evidence = detect_outlet(text)
    assert found == outlet
    assert bool(evidence) == (outlet is not None)


def test_outlet_set_with_evidence_only_when_unknown():
    doc = clean("عنوان\n\nوأضاف مراسل الجزيرة أن القصف مستمر.")
    assert doc.article.outlet == "الجزيرة"
    assert doc.article.meta["outlet_evidence"]
    doc = clean("عنوان\n\nوأضاف مراسل الجزيرة أن القصف مستمر.", outlet="موقع آخر")
    assert doc.article.outlet == "موقع آخر"
    assert "outlet_evidence" not in doc.article.meta


def _articles(n, outlet, boiler):
    return [
        Article(id=str(i), outlet=outlet, raw_text=f"عنوان رقم {i}\n\nنص الخبر رقم {i} عن حدث مختلف.\n\n{boiler}\n")
        for i in range(n)
    ]


def test_repeated_line_model_learns_outlet_boilerplate():
    arts = _articles(6, "موقع أ", "تابعوا قناتنا الجديدة الآن") + _articles(6, "موقع ب", "نص ختامي خاص بالموقع ب")
    model = RepeatedLineModel(min_articles=3, min_share=0.5).fit(arts)
    assert model.is_chrome("موقع أ", "تابعوا قناتنا الجديدة الآن")
    assert not model.is_chrome("موقع ب", "تابعوا قناتنا الجديدة الآن")  # per outlet
    assert not model.is_chrome("موقع أ", "نص الخبر رقم 1 عن حدث مختلف.")
    assert model.repeated_lines("موقع أ") == ["تابعوا قناتنا الجديده الان"]  # normalised keys
    again = RepeatedLineModel.from_dict(model.to_dict())
    assert again.is_chrome("موقع أ", "تابعوا قناتنا الجديدة الآن")

    doc = Document(Article(id="x", outlet="موقع أ", raw_text="عنوان جديد\n\nخبر جديد.\n\nتابعوا قناتنا الجديدة الآن\n"))
    Cleaner(repeated=model)(doc)
    assert "تابعوا" not in doc.article.clean_text
    assert doc.article.meta["chrome"][0]["kind"] == "repeated"


def test_repeated_line_model_needs_enough_articles():
    model = RepeatedLineModel(min_articles=3, min_share=0.3).fit(_articles(2, "موقع أ", "سطر مكرر"))
    assert not model.is_chrome("موقع أ", "سطر مكرر")


TEASED = """عنوان تجريبي عن غارات على ريف المدينة

قال الدفاع المدني إن طائرات حربية روسية قصفت السوق الشعبي في مدينة سراقب صباح اليوم.

اقرأ أيضاً.. مقتل خمسة مدنيين بقصف مدفعي على قرية مجاورة

وأضاف أن فرق الإسعاف نقلت الجرحى إلى مستشفى قريب.

طائرات تقصف مدرسة في الريف الشمالي (فيديو)
مجلس المدينة يعلن حظر التجول
وأوردت وكالة محلية
أن الطرق أغلقت حتى المساء.

موضوع يهمك ? هاجم مسلحون حاجزا عسكريا على طريق المطار وقتلوا ثلاثة جنود، بحسب مصادر متطابقة
"""


def test_teaser_lines_are_kept_in_the_text_and_marked_non_reporting():
    doc = clean(TEASED, title="عنوان تجريبي عن غارات على ريف المدينة")
    t = doc.article.clean_text
    marks = doc.article.meta["non_reporting"]
    marked = [t[m["start"]:m["end"]] for m in marks]
    assert marked == ["اقرأ أيضاً.. مقتل خمسة مدنيين بقصف مدفعي على قرية مجاورة",
                      "طائرات تقصف مدرسة في الريف الشمالي (فيديو)",
                      "مجلس المدينة يعلن حظر التجول",  # a headline right after a linked one
                      "موضوع يهمك ? هاجم مسلحون حاجزا عسكريا على طريق المطار وقتلوا ثلاثة جنود، بحسب مصادر متطابقة"]
    for m in marks:  # offsets kept: the raw text holds the same line
        assert TEASED[m["raw_start"]:m["raw_end"]] == t[m["start"]:m["end"]]
    # a sentence broken over two lines (a conjunction opens it) and the title are no teasers
    assert "وأوردت وكالة محلية" in t and not any("وأوردت" in x for x in marked)
    assert doc.reporting(t.index("قال الدفاع")) and not doc.reporting(t.index("اقرأ"))


def test_a_title_with_a_media_tag_is_no_teaser():
    doc = clean("قصف يدمر مستشفى البلدة (صور)\n\nاستهدفت غارة المستشفى الوحيد في البلدة فجر اليوم.\n",
                title="قصف يدمر مستشفى البلدة (صور)")
    assert not doc.article.meta.get("non_reporting")
    doc = clean("قصف يدمر مستشفى البلدة (صور)\n\nاستهدفت غارة المستشفى الوحيد في البلدة فجر اليوم.\n")
    assert not doc.article.meta.get("non_reporting")  # the first line stands where the headline does


def test_no_event_is_coded_on_a_teaser_line():
    from marsad import analyze

    doc = analyze(TEASED, title="عنوان تجريبي عن غارات على ريف المدينة", published="2021-03-04")
    marks = doc.article.meta["non_reporting"]
    assert doc.events, "the body's strike is coded"
    for ev in doc.events:
        tr = ev.spans["trigger"]
        assert not any(m["start"] <= tr.start < m["end"] for m in marks), (ev.type, tr.text)
    assert "هاجم مسلحون حاجزا" in doc.text  # the teaser's text is not lost
