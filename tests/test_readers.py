"""Readers: every input format, and every kind of bad input gets one clear error naming the file."""

import json
from pathlib import Path

import pytest

from marsad.model import Article, content_id
from marsad.readers import ReadError, read_paths
from marsad.readers.text import split_header

BODY = ("قصفت طائرات حربية صباح اليوم بلدة في ريف المحافظة الجنوبي، ما أدى إلى سقوط ضحايا بين المدنيين "
        "وفق ما أفاد به ناشطون محليون.\n\nوقال مسؤول في فرق الإسعاف إن الفرق عملت حتى المساء على إخلاء الجرحى.")


def _read(*paths):
    items = list(read_paths(paths))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, ReadError)]


def test_txt_labels_title_and_body(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("أخبار محلية\n\nغارات على قرى الريف الجنوبي ليلة أمس\n\n" + BODY, encoding="utf-8")
    (art,), errs = _read(p)
    assert not errs
    assert art.labels == ["أخبار محلية"]
    assert art.title == "غارات على قرى الريف الجنوبي ليلة أمس"
    assert art.raw_text.endswith("الجرحى.")
    assert art.id == content_id(art.raw_text)
    s, e = art.meta["title_span"]
    assert art.raw_text[s:e] == art.title


def test_txt_without_title_when_first_line_is_body(tmp_path):
    p = tmp_path / "b.txt"
    p.write_text(BODY, encoding="utf-8")
    (art,), _ = _read(p)
    assert art.title is None and art.labels == []


def test_split_header_short_title_before_body():
    text = "قصف على القرى\n\n" + BODY
    labels, title = split_header(text)
    assert labels == [] and text[title[0]:title[1]] == "قصف على القرى"


def test_samples_read_with_titles(sample_paths):
    arts, errs = _read(*sample_paths)
    assert len(arts) == 5 and not errs
    titled = [a for a in arts if a.title]
    assert len(titled) >= 4  # one sample starts straight with its body
    for a in titled:
        assert len(a.title.split()) <= 25 and not a.title.endswith(".")


def test_windows_1256_is_detected_and_decoded(tmp_path):
    p = tmp_path / "legacy.txt"
    p.write_bytes(BODY.encode("cp1256"))
    (art,), errs = _read(p)
    assert not errs
    assert art.meta["encoding"].replace("-", "").replace("_", "").lower() in ("cp1256", "windows1256")
    assert "طائرات حربية" in art.raw_text


def test_utf8_bom_and_crlf(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + BODY.replace("\n", "\r\n").encode("utf-8"))
    (art,), _ = _read(p)
    assert "\r" not in art.raw_text and art.raw_text.startswith("قصفت")


@pytest.mark.parametrize("name,content,reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n ", "empty file"),
    ("binary.txt", bytes(range(256)) * 20, "binary"),
    ("english.txt", b"The quick brown fox jumps over the lazy dog. " * 20, "not Arabic"),
    ("bad.jsonl", b'{"text": "\xd9\x82\xd8\xb5\xd9\x81"\n', "malformed JSON"),
    ("bad.xml", b"<rss><channel><item><title>x</title>", "malformed feed"),
    ("plain.html", b"no markup at all here", "not HTML"),
])
def test_bad_inputs_give_one_clear_error(tmp_path, name, content, reason):
    p = tmp_path / name
    p.write_bytes(content)
    arts, errs = _read(p)
    assert not arts
    assert errs, "a bad input must produce an error"
    assert any(reason in e.message for e in errs), [e.message for e in errs]
    assert all(str(p) in e.message for e in errs)
    assert all("\n" not in e.message for e in errs)


def test_missing_path_and_run_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    arts, errs = _read(tmp_path / "missing.txt", good)
    assert len(arts) == 1
    assert errs[0].message.endswith("no such file or directory")


def test_too_large_file(tmp_path, monkeypatch):
    import marsad.readers.text as text_reader

    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:  # 50 MB, sparse where the filesystem allows
        fh.write(BODY.encode("utf-8"))
        fh.seek(50 * 1024 * 1024)
        fh.write(b"\n")
    arts, errs = _read(p)
    assert not arts and "too large" in errs[0].message


def test_jsonl_records_and_bad_lines(tmp_path):
    p = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": BODY, "url": "https://example.org/1", "outlet": "موقع تجريبي", "title": "عنوان",
                    "published": "2020-02-28"}, ensure_ascii=False),
        "{not json",
        json.dumps({"url": "https://example.org/2"}),
        json.dumps({"text": BODY + " إضافة", "published": "2019-05"}, ensure_ascii=False),
        json.dumps([1, 2]),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    arts, errs = _read(p)
    assert len(arts) == 2
    a = arts[0]
    assert (a.url, a.outlet, a.title) == ("https://example.org/1", "موقع تجريبي", "عنوان")
    assert a.published.value == "2020-02-28" and a.published.precision == "day"
    assert arts[1].published.precision == "month"
    msgs = [e.message for e in errs]
    assert any(":line 2: malformed JSON" in m for m in msgs)
    assert any(":line 3: no article text" in m for m in msgs)
    assert any(":line 5: record is not a JSON object" in m for m in msgs)


def test_html_page_main_text_title_date(tmp_path):
    p = tmp_path / "page.html"
    paras = "".join(f"<p>{para}</p>" for para in BODY.split("\n\n"))
    p.write_text(
        "<html><head><title>غارات على القرى</title>"
        '<meta property="article:published_time" content="2019-05-30T08:00:00+03:00"></head>'
        f"<body><nav>الرئيسية | أخبار | رياضة</nav><article><h1>غارات على القرى</h1>{paras}</article>"
        "<footer>جميع الحقوق محفوظة للموقع</footer></body></html>", encoding="utf-8")
    (art,), errs = _read(p)
    assert not errs
    assert art.title == "غارات على القرى"
    assert art.published.value == "2019-05-30"
    assert "طائرات حربية" in art.raw_text and "جميع الحقوق" not in art.raw_text


def test_rss_and_atom_feeds(tmp_path):
    rss = tmp_path / "feed.rss"
    rss.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>وكالة تجريبية</title>'
        f"<item><title>خبر أول</title><link>https://example.org/a</link>"
        f"<pubDate>Thu, 30 May 2019 10:00:00 +0300</pubDate><description><![CDATA[<p>{BODY}</p>]]></description></item>"
        "<item><title>English only</title><description>Nothing Arabic here at all, sorry.</description></item>"
        "</channel></rss>", encoding="utf-8")
    atom = tmp_path / "feed.atom"
    atom.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>موقع</title>'
        f'<entry><title>خبر ثان</title><link href="https://example.org/b"/><updated>2020-02-21T09:00:00Z</updated>'
        f'<content type="html">&lt;p&gt;{BODY}&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</content></entry></feed>',
        encoding="utf-8")
    arts, errs = _read(rss, atom)
    assert [a.title for a in arts] == ["خبر أول", "خبر ثان"]
    assert arts[0].outlet == "وكالة تجريبية" and arts[0].published.value == "2019-05-30"
    assert arts[1].published.value == "2020-02-21" and arts[1].url == "https://example.org/b"
    assert "<" not in arts[1].raw_text and "alert" not in arts[1].raw_text
    assert len(errs) == 1 and "entry 2" in errs[0].message and "not Arabic" in errs[0].message


def test_jsonl_fetch_time_dates_a_relative_stamp(tmp_path):
    from marsad.pipeline import Pipeline

    p = tmp_path / "fetched.jsonl"
    text = "قصف على بلدة في ريف إدلب\nمنذ 3 ساعات\n" + BODY
    p.write_text(json.dumps({"text": text, "fetched": "2020-02-10T02:00:00Z"}, ensure_ascii=False) + "\n"
                 + json.dumps({"text": BODY, "fetched": "not a time"}, ensure_ascii=False) + "\n", encoding="utf-8")
    arts, errs = _read(p)
    assert not errs and arts[0].meta["fetched"] == "2020-02-10T02:00:00+00:00" and "fetched" not in arts[1].meta
    from marsad.model import Document

    doc = Pipeline.default()(Document(article=arts[0]))
    assert (doc.article.published.value, doc.article.published.source) == ("2020-02-09", "inferred:ago+fetched")
