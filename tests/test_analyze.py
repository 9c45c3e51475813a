"""marsad.analyze (Python) and `marsad analyze IN -o OUT.jsonl`: the run path without a store."""

import json
import subprocess
import sys

import marsad
from marsad.model import Article, Document

TEXT = ("قصفت قوات النظام بالمدفعية الثقيلة بلدة كفرنبل في ريف إدلب الجنوبي صباح اليوم، ما أدى إلى مقتل "
        "ثلاثة مدنيين وإصابة خمسة آخرين، بحسب ما أفاد الدفاع المدني السوري.")


def test_analyze_text_gives_every_layer():
    doc = marsad.analyze(TEXT, published="2019-05-30", outlet="وكالة")
    assert isinstance(doc, Document)
    assert doc.article.published.value == "2019-05-30" and doc.article.outlet == "وكالة"
    assert doc.sentences and doc.places and doc.events
    assert any(p.name and p.lat is not None for p in doc.places)
    assert {f.kind for f in doc.figures} >= {"killed"}


def test_analyze_article_leaves_the_callers_article_alone():
    art = Article(id="a1", raw_text=TEXT)
    doc = marsad.analyze(art)
    assert art.clean_text is None and doc.article.clean_text
    assert marsad.analyze(doc).to_dict()["events"] == doc.to_dict()["events"]


def test_analyze_equals_what_ingest_stores(tmp_path, sample_paths):
    from marsad.ingest import ingest
    from marsad.store import open_store

    store = open_store(str(tmp_path / "s.duckdb"))
    ingest(sample_paths[:1], store, stories=False)
    (stored,) = list(store.load_documents())
    store.close()
    from marsad.readers import read_paths

    (art,) = list(read_paths(sample_paths[:1]))
    doc = marsad.analyze(art)
    a, b = doc.to_dict(), stored.to_dict()
    a.pop("timings"), b.pop("timings")
    assert a == b


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "marsad.cli.main", "analyze", *map(str, args)],
                          capture_output=True, text=True)


def test_cli_analyze_samples(tmp_path, samples_dir):
    out = tmp_path / "out.jsonl"
    r = _cli(samples_dir, "-o", out, "-q")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(list(samples_dir.glob("*.txt")))
    for row in rows:
        assert set(row) >= {"url", "title", "published", "entities", "places", "events", "figures"}
        assert set(row["published"]) == {"date", "precision", "source", "evidence"}
    ents = [e for row in rows for e in row["entities"]]
    assert ents and all({"label", "text", "start", "end", "id"} <= set(e) for e in ents)
    places = [p for row in rows for p in row["places"]]
    assert places and all({"text", "start", "end", "name", "lat", "lon", "geo_precision", "admin1"} <= set(p)
                          for p in places)
    ev = [e for row in rows for e in row["events"]]
    assert ev and all({"type", "actor", "event_date", "date_precision", "places", "evidence"} <= set(e) for e in ev)
    # offsets point into the text as read
    first = next(row for row in rows if row["places"])
    raw = open(first["source_path"], encoding="utf-8").read().replace("\r\n", "\n")
    p = first["places"][0]
    assert raw[p["raw_start"]:p["raw_end"]].replace("\n", " ").strip() != ""


def test_cli_analyze_jsonl_with_a_bad_record(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"text": TEXT, "url": "http://x/1", "title": "قصف", "published": "2019-05-30"}, ensure_ascii=False),
        json.dumps({"text": TEXT + " وتواصل القصف مساء.", "outlet": {"bad": 1}}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = _cli(src, "-o", out, "-q")
    assert r.returncode == 1
    assert f"{src}:line 2: field 'outlet' must be a string" in r.stderr
    (row,) = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert row["url"] == "http://x/1" and row["published"]["date"] == "2019-05-30"
    assert row["published"]["precision"] == "day" and row["events"]
