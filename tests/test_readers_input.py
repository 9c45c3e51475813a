"""Input nobody should lose (issue 25): typed JSONL records, files that are not regular files, folders and links
that cannot be read, UTF-8 with a few broken bytes, impossible dates, a body sentence's year."""

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from marsad.model import Article
from marsad.readers import ReadError, iter_files, read_paths
from marsad.readers.dates import parse_published

BODY = ("قصفت طائرات حربية صباح اليوم بلدة في ريف المحافظة الجنوبي، ما أدى إلى سقوط ضحايا بين المدنيين "
        "وفق ما أفاد به ناشطون محليون.\n\nوقال مسؤول في فرق الإسعاف إن الفرق عملت حتى المساء على إخلاء الجرحى.")
OTHER = ("اجتمع ممثلو المجالس المحلية في المدينة مساء أمس لبحث إعادة فتح الطريق الواصل إلى القرى الشرقية "
         "بعد أسابيع من إغلاقه.\n\nوقال أحد الحاضرين إن الأهالي ينتظرون قرارا خلال الأيام المقبلة.")


def _read(*paths):
    items = list(read_paths(paths))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, ReadError)]


def _jsonl(path: Path, *records) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


# -- defect 3: typed records ----------------------------------------------------------------------------------

@pytest.mark.parametrize("field,value,kind", [
    ("outlet", {"name": "x"}, "an object"), ("title", 7, "a number"), ("url", ["a"], "a list"),
    ("text", 12, "a number"), ("published", 2019, "a number"),
])
def test_a_field_of_the_wrong_type_refuses_that_record_only(tmp_path, field, value, kind):
    bad = {"text": OTHER, field: value} if field != "text" else {"text": value}
    p = _jsonl(tmp_path / "r.jsonl", {"text": BODY, "outlet": "وكالة"}, bad, {"text": BODY + "\nتحديث"})
    arts, errs = _read(p)
    assert len(arts) == 2  # the good records before and after it are kept
    (err,) = errs
    assert err.message.startswith(f"{p}:line 2: ") and repr(field) in err.message and kind in err.message


def test_run_with_a_bad_record_stores_the_rest_of_its_batch(tmp_path):
    from marsad.ingest import ingest
    from marsad.pipeline import Pipeline
    from marsad.store import open_store

    p = _jsonl(tmp_path / "r.jsonl", {"text": BODY, "url": "u1"}, {"text": OTHER, "outlet": {"a": 1}},
               {"text": OTHER + "\nتحديث", "url": "u3"})
    store = open_store(str(tmp_path / "s.duckdb"))
    summary = ingest([p], store, pipeline=Pipeline.default(["clean", "language"]), stories=False)
    assert summary.stored == 2 and len(summary.errors) == 1
    assert "line 2" in summary.errors[0] and "'outlet'" in summary.errors[0]
    store.close()


# -- defect 5: nothing skipped in silence ------------------------------------------------------------------------

def test_dangling_link_in_a_folder_is_an_error_line(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    os.symlink(tmp_path / "gone.txt", tmp_path / "b.txt")
    arts, errs = _read(tmp_path)
    assert len(arts) == 1
    (err,) = errs
    assert err.path.endswith("b.txt") and "dangling symbolic link" in err.message


def test_dangling_link_named_on_the_command_line(tmp_path):
    os.symlink(tmp_path / "gone.txt", tmp_path / "b.txt")
    arts, (err,) = _read(tmp_path / "b.txt")
    assert not arts and "dangling symbolic link" in err.message


def test_unlistable_subfolder_is_an_error_line(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "c.txt").write_text(OTHER, encoding="utf-8")
    real = os.scandir

    def scandir(path):  # the test runs as root, for whom chmod 000 locks nothing
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    arts, errs = _read(tmp_path)
    assert len(arts) == 1
    (err,) = errs
    assert err.path.endswith("locked") and "cannot list folder (Permission denied)" in err.message


def test_unreadable_file_is_an_error_line(tmp_path, monkeypatch):
    good, locked = tmp_path / "a.txt", tmp_path / "b.txt"
    good.write_text(BODY, encoding="utf-8")
    locked.write_text(OTHER, encoding="utf-8")
    real = os.open

    def fake_open(path, flags, *a, **k):
        if str(path).endswith("b.txt"):
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *a, **k)

    monkeypatch.setattr(os, "open", fake_open)
    arts, errs = _read(good, locked)
    assert len(arts) == 1 and len(errs) == 1 and errs[0].message == f"{locked}: permission denied"


def test_folder_order_is_the_sorted_walk(tmp_path):
    for name in ("b.txt", "a/z.txt", "a/b/y.txt", "c.txt", "a.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(BODY, encoding="utf-8")
    expected = [p for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    assert list(iter_files([tmp_path])) == expected


# -- defect 7: only regular files --------------------------------------------------------------------------------

def test_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    out = []
    t = threading.Thread(target=lambda: out.extend(read_paths([fifo])), daemon=True)
    t.start()
    t.join(30)  # not a timing assertion: a reader that blocks on the FIFO would never come back
    if t.is_alive():  # unblock the reader so the test process can end, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("the reader blocked on a FIFO")
    (err,) = out
    assert isinstance(err, ReadError) and "not a regular file (a FIFO)" in err.message


def test_fifo_in_a_folder_is_an_error_line(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    os.mkfifo(tmp_path / "p.jsonl")
    arts, (err,) = _read(tmp_path)
    assert len(arts) == 1 and "a FIFO" in err.message


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_device_is_refused():
    arts, (err,) = _read("/dev/zero")
    assert not arts and "not a regular file (a character device)" in err.message


def test_read_is_capped_while_reading(tmp_path, monkeypatch):
    import marsad.readers.base as base

    p = tmp_path / "a.txt"
    p.write_text(BODY, encoding="utf-8")
    real_fstat = os.fstat

    class Small:  # a file that says it is small and then is not (it grew, or its size is not what it reads)
        def __init__(self, st):
            self.st_size, self.st_mode = 10, st.st_mode

    monkeypatch.setattr(base.os, "fstat", lambda fd: Small(real_fstat(fd)))
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 100)
    arts, (err,) = _read(p)
    assert not arts and "too large" in err.message


def test_jsonl_line_longer_than_the_limit_is_one_error_and_the_next_line_is_read(tmp_path, monkeypatch):
    import marsad.readers.jsonl as jsonl

    monkeypatch.setattr(jsonl, "MAX_FILE_BYTES", 2000)
    p = _jsonl(tmp_path / "r.jsonl", {"text": BODY * 20}, {"text": OTHER})
    arts, (err,) = _read(p)
    assert len(arts) == 1 and arts[0].raw_text == OTHER
    assert err.where == "line 1" and "record too large" in err.message


# -- defect 6: decoding that repairs -----------------------------------------------------------------------------

def test_one_invalid_byte_is_replaced_not_the_article_refused(tmp_path):
    raw = BODY.encode("utf-8")
    cut = raw.index("المحافظة".encode("utf-8")) + 1  # inside a two-byte letter
    p = tmp_path / "a.txt"
    p.write_bytes(raw[:cut] + b"\xff" + raw[cut:])
    (art,), errs = _read(p)
    assert not errs
    assert "\ufffd" in art.raw_text and art.meta["encoding"] == "utf-8" and art.meta["replaced_bytes"] >= 1


def test_legacy_code_page_is_still_detected_not_replaced(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(BODY.encode("cp1256"))
    (art,), _ = _read(p)
    assert art.raw_text == BODY and "replaced_bytes" not in art.meta


def test_jsonl_line_with_an_invalid_byte_is_kept(tmp_path):
    line = json.dumps({"text": BODY}, ensure_ascii=False).encode("utf-8")
    cut = line.index("المحافظة".encode("utf-8")) + 1
    p = tmp_path / "r.jsonl"
    p.write_bytes(line[:cut] + b"\xfe" + line[cut:] + b"\n")
    (art,), errs = _read(p)
    assert not errs and art.meta["replaced_bytes"] >= 1 and "\ufffd" in art.raw_text


# -- defect 9: dates ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["2019-13", "0000", "2019-00", "1066", "9999-01-01", "2019-02-30"])
def test_impossible_dates_are_no_dates(value):
    assert parse_published(value) is None
    with pytest.raises(ValueError):
        parse_published(value, strict=True)


@pytest.mark.parametrize("value,iso,precision", [
    ("2019", "2019-01-01", "year"), ("2019-05", "2019-05-01", "month"), ("2019-05-30", "2019-05-30", "day"),
    ("2019-05-30T10:00:00Z", "2019-05-30", "day"), ("Thu, 30 May 2019 10:00:00 +0000", "2019-05-30", "day"),
])
def test_real_dates_keep_their_precision(value, iso, precision):
    ref = parse_published(value)
    assert (ref.value, ref.precision) == (iso, precision)


def test_jsonl_impossible_date_is_flagged_and_the_article_kept(tmp_path):
    p = _jsonl(tmp_path / "r.jsonl", {"text": BODY, "published": "2019-13"}, {"text": OTHER, "published": "0000"})
    arts, errs = _read(p)
    assert not errs and len(arts) == 2
    assert all(a.published is None for a in arts)
    assert arts[0].meta["unreadable_published"] == "2019-13" and "month 13" in arts[0].meta["published_problem"]
    assert "0000" in arts[1].meta["published_problem"]


def test_html_body_year_is_not_a_publication_date(tmp_path):
    p = tmp_path / "a.html"
    p.write_text("<html><head><title>اتفاق جديد</title></head><body><article><h1>اتفاق جديد</h1>"
                 f"<p>قال المتحدث إن الاتفاق الذي وقع في عام 2018 لم يطبق بعد. {BODY}</p></article></body></html>",
                 encoding="utf-8")
    (art,), _ = _read(p)
    assert art.published is None


def test_html_metadata_date_is_kept(tmp_path):
    p = tmp_path / "a.html"
    p.write_text('<html><head><title>اتفاق جديد</title>'
                 '<meta property="article:published_time" content="2019-05-30T08:00:00+00:00"></head>'
                 f"<body><article><h1>اتفاق جديد</h1><p>وقع الاتفاق في عام 2018. {BODY}</p></article></body></html>",
                 encoding="utf-8")
    (art,), _ = _read(p)
    assert (art.published.value, art.published.precision) == ("2019-05-30", "day")
