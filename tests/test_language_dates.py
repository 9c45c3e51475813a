import datetime as dt

import pytest

from marsad.language.dates import infer_publication_date, resolve, scan_dates, stamp_dates
from marsad.language.stages import LanguageStage
from marsad.model import Article, DateRef, Document

THU = dt.date(2019, 5, 30)  # a Thursday


def one(text, P=THU):
    found = scan_dates(text)
    assert len(found) == 1, found
    return found[0], resolve(found[0], P)


@pytest.mark.parametrize(
    "text,expected,precision",
    [
        ("قال اليوم الأربعاء 29 من أيار إن", "2019-05-29", "day"),
        ("في 26 من نيسان الماضي", "2019-04-26", "day"),
        ("بدأ في 3 كانون الثاني 2020", "2020-01-03", "day"),
        ("بدأ في 3 يناير 2020", "2020-01-03", "day"),
        ("في 12 أيلول/سبتمبر 2018", "2018-09-12", "day"),
        ("في 1.5.2019 وقع", "2019-05-01", "day"),
        ("في حزيران القادم", "2019-06-01", "month"),
        ("منذ أيلول الماضي", "2018-09-01", "month"),
        ("في تشرين الأول 2019", "2019-10-01", "month"),
        ("في الشهر الماضي", "2019-04-01", "month"),
        ("في 19 من الشهر الحالي", "2019-05-19", "day"),
        ("عام 2020", "2020-01-01", "year"),
        ("اليوم", "2019-05-30", "day"),
        ("مساء أمس الأربعاء", "2019-05-29", "day"),
        ("الجمعة المقبل", "2019-05-31", "day"),
        ("الأحد الماضي", "2019-05-26", "day"),
        ("يوم الثلاثاء", "2019-05-28", "day"),
    ],
)
def test_date_forms(text, expected, precision):
    _f, res = one(text)
    assert res and res[0][0] == expected and res[0][1] == precision


def test_two_days_one_month():
    _f, res = one("يومي 28 و29 حزيران القادم")
    assert [r[0] for r in res] == ["2019-06-28", "2019-06-29"]


def test_range_since_until_today():
    f, res = one("القصف منذ 19 من الشهر الحالي وحتى اليوم، أسفر")
    assert f.since and f.text.endswith("اليوم")
    assert res == [("2019-05-19", "day", "2019-05-30")]


def test_relative_dates_need_a_publication_date():
    assert resolve(scan_dates("الأحد الماضي")[0], None) == []
    assert resolve(scan_dates("عام 2018")[0], None) == [("2018-01-01", "year", None)]


def test_no_false_dates():
    assert scan_dates("خلال اليومين الماضيين قتل 5 مدنيين") == []


def test_stamp_dates():
    assert stamp_dates("1452019") == [dt.date(2019, 5, 14)]
    assert stamp_dates("29052019") == [dt.date(2019, 5, 29)]
    assert len(stamp_dates("1112019")) == 2  # 11/1 or 1/11: ambiguous
    assert stamp_dates("123") == []


def doc_of(text, **kw):
    return Document(Article(id="t", raw_text=text, clean_text=text, **kw))


def test_infer_from_today_phrase_with_year():
    ref, ev = infer_publication_date(doc_of("وقال اليوم الأربعاء 29 من أيار 2019 إن المفاوضات مستمرة."))
    assert ref.value == "2019-05-29" and ref.precision == "day" and ref.source.startswith("inferred")


def test_infer_weekday_narrows_years():
    ref, ev = infer_publication_date(doc_of("وقال اليوم الأربعاء 29 من أيار إن المفاوضات مستمرة."))
    assert ref is None and ev["ambiguous"]
    assert "2019-05-29" in ev["candidates"] and all(dt.date.fromisoformat(c).weekday() == 2 for c in ev["candidates"])
    ref, ev = infer_publication_date(doc_of("وقال اليوم الأربعاء 29 من أيار إن"), reference=dt.date(2019, 1, 1))
    assert ref.value == "2019-05-29"
    # a year mentioned in the text bounds the search from below
    ref, ev = infer_publication_date(doc_of("وقال اليوم الأربعاء 29 من أيار إن اتفاق عام 2019 انهار."))
    assert ev["not_before_year"] == 2019 and "2013-05-29" not in ev["candidates"]


def test_infer_from_trailing_stamp_and_weekday():
    text = "عنوان\nوقال الوزير اليوم الثلاثاء إن المحادثات مستمرة.\n1452019"
    ref, ev = infer_publication_date(doc_of(text))
    assert ref.value == "2019-05-14" and ref.source == "inferred:stamp"


def test_infer_from_yesterday_phrase():
    ref, _ = infer_publication_date(doc_of("قال أمس الثلاثاء 28 من أيار 2019 إن"))
    assert ref.value == "2019-05-29"


def test_language_stage_sets_published_and_resolves_relative_dates():
    text = "عنوان الخبر\nقال الوزير اليوم الثلاثاء إن الاتصال جرى مساء أمس الاثنين.\n1452019 3"
    doc = Document(Article(id="t", raw_text=text))
    from marsad.language.clean import Cleaner

    Cleaner()(doc)
    LanguageStage()(doc)
    a = doc.article
    assert a.published.value == "2019-05-14"
    assert a.meta["published_evidence"]["chosen"] == "2019-05-14"
    values = {d.span.text: d.value for d in doc.dates}
    assert values["اليوم الثلاثاء"] == "2019-05-14"
    assert values["مساء أمس الاثنين"] == "2019-05-13"
    for d in doc.dates:
        assert d.source == "text" and doc.text[d.span.start : d.span.end] == d.span.text
        assert a.raw_text[d.span.raw_start : d.span.raw_end] == d.span.text


def test_given_publication_date_is_kept():
    doc = Document(Article(id="t", raw_text="حدث ذلك الأحد الماضي.", published=DateRef("2019-05-30", "day", source="metadata")))
    LanguageStage()(doc)
    assert doc.article.published.source == "metadata"
    assert doc.dates[0].value == "2019-05-26"


def test_weekday_mismatch_warns():
    doc = Document(Article(id="t", raw_text="قال اليوم الأحد 29 من أيار", published=DateRef("2019-05-29", "day")))
    LanguageStage()(doc)
    assert doc.warnings


def test_numbers_inside_dates_are_not_counts():
    doc = Document(Article(id="t", raw_text="قتل 5 مدنيين في 26 من نيسان 2019.", published=DateRef("2019-05-29", "day")))
    LanguageStage()(doc)
    assert [n.value for n in doc.numbers] == [5]


def test_dateline_under_the_title_is_the_publication_date():
    text = ("قصف على أطراف القرية\n\nالأربعاء 29 أيار 2019\n\nقالت مصادر محلية إن القصف استهدف أطراف القرية.\n")
    ref, ev = infer_publication_date(doc_of(text))
    assert (ref.value, ref.precision, ref.source) == ("2019-05-29", "day", "inferred:dateline")
    assert {"kind": "dateline", "text": "الأربعاء 29 أيار 2019"} in ev["clues"]


def test_a_date_inside_a_sentence_or_deep_in_the_text_is_not_a_dateline():
    # not a dateline; only the last resort (the latest date the text states: published on or after it)
    ref = infer_publication_date(doc_of("وقالت المصادر إن الاتفاق وقع في 29 أيار 2019 بعد مفاوضات."))[0]
    assert (ref.value, ref.source) == ("2019-05-29", "inferred:text_date")
    deep = "\n".join(["سطر من النص"] * 6) + "\n29 أيار 2019\n"
    assert infer_publication_date(doc_of(deep))[0].source == "inferred:text_date"
    # a weekday that does not fit the date: not taken (29 May 2019 was a Wednesday)
    assert infer_publication_date(doc_of("عنوان\nالخميس 29 أيار 2019\nنص الخبر."))[0] is None


@pytest.mark.parametrize("text,expected", [
    ("عنوان الخبر\nالخميس 09/مايو/2019 - 02:02 م\nنص الخبر.", "2019-05-09"),  # month name between slashes, time
    ("عنوان الخبر\nالخميس ٠٩ مايو ٢٠١٩ - ١٠:٤٦ بتوقيت غرينتش\nنص الخبر.", "2019-05-09"),  # Arabic-Indic digits
    ("السبت 2019/11/16\nعنوان الخبر\nنص الخبر.", "2019-11-16"),  # year first, weekday before it
    ("عنوان\nDR\nفي 27/10/2019 على الساعة 09:33\nنص الخبر.", "2019-10-27"),  # a lead word and a time
    ("15/01/2020 - 20:34\nقتل 18 مدنيا.", "2020-01-15"),
    ("عنوان\nالأربعاء 26 فبراير 2020 10:22 ص\nنص.", "2020-02-26"),
])
def test_datelines_with_times_and_other_writings(text, expected):
    ref, _ev = infer_publication_date(doc_of(text))
    assert (ref.value, ref.precision, ref.source) == (expected, "day", "inferred:dateline")


def test_a_dateline_whose_weekday_does_not_fit_is_not_taken():
    ref, _ev = infer_publication_date(doc_of("الجمعة 2019/11/16\nعنوان الخبر\nنص الخبر."))  # a Saturday
    assert ref is None or ref.source != "inferred:dateline"


def test_relative_stamp_needs_the_fetch_time():
    text = "عنوان الخبر\nمنذ ساعتين\nقصف على القرية."
    assert infer_publication_date(doc_of(text))[0] is None
    ref, ev = infer_publication_date(doc_of(text, meta={"fetched": "2020-02-10T01:30:00+00:00"}))
    assert (ref.value, ref.source) == ("2020-02-09", "inferred:ago+fetched")  # two hours before 01:30
    vague = doc_of("عنوان الخبر\nمنذ أيام\nقصف.", meta={"fetched": "2020-02-10T12:00:00"})
    assert infer_publication_date(vague)[0] is None


def test_month_in_the_address_gives_a_month_and_the_year_of_a_day_and_month():
    art = dict(url="https://example.org/Web/News/2019/08/1262026.html")
    ref, _ = infer_publication_date(doc_of("قال المتحدث إن القمة ستعقد.", **art))
    assert (ref.value, ref.precision, ref.source) == ("2019-08-01", "month", "inferred:url_month")
    # "today, Wednesday 21 August": the weekday fits several years, the address says which
    ref, _ = infer_publication_date(doc_of("قال اليوم الأربعاء 21 آب إن القمة ستعقد.", **art))
    assert (ref.value, ref.precision) == ("2019-08-21", "day")


def test_latest_stated_date_with_a_weekday_and_a_reference():
    text = "قتل مدنيان في قصف أمس، السبت 23 من تشرين الثاني، على ريف إدلب."
    ref, _ = infer_publication_date(doc_of(text), reference=dt.date(2019, 12, 1), reference_from_run=True)
    assert (ref.value, ref.source) == ("2019-11-23", "inferred:text_date")
    # a date said to come is not read
    assert infer_publication_date(doc_of("تعقد القمة في 16 أيلول المقبل 2019."))[0] is None
