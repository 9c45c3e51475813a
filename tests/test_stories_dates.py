"""Publication dates for undated pages from the page's address (language.dates.url_date)."""

from marsad.language.dates import infer_publication_date, url_date
from marsad.model import Article, Document


def test_dates_in_url_paths():
    assert str(url_date("https://example.org/news/2019/5/8/some-title")) == "2019-05-08"
    assert str(url_date("https://example.org/2019/08/21/title/")) == "2019-08-21"
    assert str(url_date("https://example.org/ar/wires/2019-10-31-title")) == "2019-10-31"
    assert str(url_date("https://example.org/ar/20200209-title")) == "2020-02-09"


def test_numbers_that_are_not_dates_are_ignored():
    assert url_date("https://example.org/world/2020/99724") is None  # year and an article number
    assert url_date("https://example.org/archives/2019133") is None
    assert url_date("https://2019-05-08.example.org/x") is None  # the host is not read
    assert url_date("https://example.org/2019/13/40/x") is None
    assert url_date(None) is None and url_date("") is None


def test_a_page_is_dated_by_its_address_before_its_text():
    text = "قصفت الطائرات الحربية بلدة في ريف إدلب اليوم الأحد."
    doc = Document(article=Article(id="u1", raw_text=text, clean_text=text,
                                   url="https://example.org/2019/11/17/title"))
    ref, ev = infer_publication_date(doc)
    assert ref.value == "2019-11-17" and ref.source == "inferred:url"
    assert ev["clues"][-1]["kind"] == "url" or any(c["kind"] == "url" for c in ev["clues"])
    bare = Document(article=Article(id="u2", raw_text=text, clean_text=text, url="https://example.org/p/123"))
    assert infer_publication_date(bare)[0] is None


def test_timestamp_at_the_end_of_an_archive_number_and_month_only_paths():
    from marsad.language.dates import url_date, url_month

    assert url_date("http://archive.example.sy/_archive.asp?FileName=55007401120200225101422").isoformat() == "2020-02-25"
    assert url_date("https://example.org/Web/News/2019/08/1262026.html") is None
    assert url_month("https://example.org/Web/News/2019/08/1262026.html") == (2019, 8)
    assert url_month("https://example.org/2019/05/08/story") is None  # a full date is url_date's
