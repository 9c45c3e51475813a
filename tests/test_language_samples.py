"""The language layer on the shared sample articles (read from the shared folder, never copied)."""

import datetime as dt
import re

import pytest

from marsad.language.clean import Cleaner
from marsad.language.stages import LanguageStage
from marsad.model import Article, DateRef, Document
from marsad.pipeline import Pipeline

CHROME = [
    "زر الذهاب إلى الأعلى", "مقالات ذات صلة", "مقالات متعلقة", "قد يعجبك ايضا", "تشغيل الفيديو", "camera icon",
    "tag icon", "ادعم عنب بلدي", "دولار واحد شهريًا", "اضغط هنا للمساهمة", "متابعة الوسيلة", "جسر: متابعات",
    "المصدر: (وكالات)", "1452019",
]
OBFUSCATED = re.compile(r"[\u0621-\u064a][\u0640.*]+[\u0621-\u064a]")


def run(path, published=None, reference=None):
    doc = Document(Article(id=path.stem, raw_text=path.read_text(encoding="utf-8"), published=published))
    Cleaner()(doc)
    LanguageStage(reference_date=reference)(doc)
    return doc


@pytest.fixture(scope="module")
def docs(sample_paths):
    return {p.name[:3]: run(p) for p in sample_paths}


def test_registered_stages_run(sample_paths):
    pipe = Pipeline.default(["clean", "language"])
    doc = pipe(Document(Article(id="x", raw_text=sample_paths[0].read_text(encoding="utf-8"))))
    assert doc.sentences and doc.tokens and doc.article.clean_text


def test_no_chrome_and_no_obfuscation(docs):
    for key, doc in docs.items():
        text = doc.article.clean_text
        for c in CHROME:
            assert c not in text, (key, c)
        assert not OBFUSCATED.search(text), (key, OBFUSCATED.search(text))
        assert "\u0640" not in re.sub(r"\u0640(?![\u0621-\u064a])", "", text)


def test_spans_map_back_to_raw(docs):
    for doc in docs.values():
        raw = doc.article.raw_text
        for s in doc.sentences + [d.span for d in doc.dates] + [n.span for n in doc.numbers]:
            assert doc.text[s.start : s.end] == s.text
            src = raw[s.raw_start : s.raw_end]
            assert re.sub(r"[\u0640.]", "", src) == re.sub(r"[\u0640.]", "", s.text)


def test_bylines_and_outlets(docs):
    assert docs["000"].article.meta["byline"].startswith("متابعة")
    assert docs["000"].article.outlet == "الوسيلة"
    assert docs["002"].article.outlet == "عنب بلدي"
    assert docs["003"].article.outlet == "الجزيرة"
    assert docs["004"].article.outlet == "جسر"
    assert docs["001"].article.meta["source_line"].startswith("المصدر")


def test_publication_from_stamp_and_relative_dates(docs):
    doc = docs["001"]
    assert doc.article.published.value == "2019-05-14"
    assert doc.article.published.source.startswith("inferred:")
    values = {d.span.text: d.value for d in doc.dates}
    assert values["مساء أمس الاثنين"] == "2019-05-13"


def test_today_weekday_day_month_with_known_year(sample_paths):
    path = next(p for p in sample_paths if p.name.startswith("002"))
    doc = run(path)
    ev = doc.article.meta["published_evidence"]
    assert "2019-05-29" in ev["candidates"]  # year unknown from the text alone: candidates reported
    doc = run(path, reference=dt.date(2019, 6, 1))
    assert doc.article.published.value == "2019-05-29"
    assert any(d.value == "2019-05-31" and "الجمعة" in d.span.text for d in doc.dates)


def test_range_with_given_publication_date(sample_paths):
    path = next(p for p in sample_paths if p.name.startswith("000"))
    doc = run(path, published=DateRef("2019-05-30", "day", source="metadata"))
    ranges = [d for d in doc.dates if d.end]
    assert any(d.value == "2019-05-19" and d.end == "2019-05-30" for d in ranges)
    assert any(d.value == "2019-06-28" for d in doc.dates) and any(d.value == "2019-06-29" for d in doc.dates)


def test_numbers_in_samples(docs):
    values = {n.span.text: n for n in docs["003"].numbers}
    assert values["900 ألف"].value == 900000
    assert values["مليونين و800 ألف"].value == 2800000
    assert any(n.vague and n.acled_value == 10 for n in docs["004"].numbers)
