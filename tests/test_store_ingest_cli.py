"""The embedded store, ingest and the CLI, end to end on the real samples and on bad inputs."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.cli.main import app
from marsad.ingest import ingest
from marsad.model import Article, Document, Event, Span, content_id
from marsad.pipeline import Pipeline
from marsad.store import open_store

runner = CliRunner()


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline.default()


def test_ingest_samples_twice_stores_five_then_nothing(tmp_path, samples_dir, pipeline):
    store = open_store(str(tmp_path / "m.duckdb"))
    first = ingest([samples_dir], store, pipeline=pipeline)
    assert (first.read, first.stored, first.skipped, first.errors) == (5, 5, 0, [])
    second = ingest([samples_dir], store, pipeline=pipeline)
    assert (second.read, second.stored, second.skipped) == (5, 0, 5)
    assert store.scalar("SELECT COUNT(*) FROM articles") == 5
    docs = list(store.load_documents())
    assert {d.article.id for d in docs} == {content_id(p.read_text(encoding="utf-8")) for p in samples_dir.glob("*.txt")}
    store.close()


def test_bad_file_does_not_stop_the_run(tmp_path, pipeline):
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text("تقرير عن قصف مدفعي استهدف أطراف بلدة في الريف الغربي للمحافظة صباح اليوم.", encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    store = open_store(str(tmp_path / "m.duckdb"))
    s = ingest([tmp_path / "in", tmp_path / "nope.txt"], store, pipeline=pipeline)
    assert s.stored == 1 and len(s.errors) == 2 and not s.ok
    store.close()


def test_failed_write_leaves_nothing_half_written(tmp_path, monkeypatch):
    store = open_store(str(tmp_path / "m.duckdb"))
    text = "نص تجريبي عن اشتباكات عنيفة دارت في محيط البلدة بين الطرفين طوال الليل."
    doc = Document(article=Article(id=content_id(text), raw_text=text))
    doc.events.append(Event(id="e1", type="ASSAULT", article_id=doc.article.id, evidence=Span(0, 10, text[:10])))

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_write_events", boom)
    with pytest.raises(RuntimeError):
        store.save_document(doc)
    assert store.scalar("SELECT COUNT(*) FROM articles") == 0
    monkeypatch.undo()
    assert store.save_document(doc) is True
    assert store.scalar("SELECT COUNT(*) FROM events") == 1
    store.close()


def test_document_json_round_trip(tmp_path, sample_paths, pipeline):
    text = sample_paths[0].read_text(encoding="utf-8")
    doc = pipeline(Document(article=Article(id=content_id(text), raw_text=text)))
    again = Document.from_dict(json.loads(doc.to_json()))
    assert again.to_dict() == doc.to_dict()


def test_two_parallel_ingests_lose_and_duplicate_nothing(tmp_path, sample_paths):
    # two processes over overlapping inputs into one DuckDB file: the second waits for the file lock
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for i, p in enumerate(sample_paths):
        (a if i < 3 else b).joinpath(p.name).write_bytes(p.read_bytes())
    b.joinpath(sample_paths[0].name).write_bytes(sample_paths[0].read_bytes())  # overlap
    db = tmp_path / "m.duckdb"
    cmd = [sys.executable, "-m", "marsad.cli.main", "ingest", "--quiet", "--no-stories", "--store", str(db)]
    procs = [subprocess.Popen(cmd + [str(d)], stdout=subprocess.PIPE, stderr=subprocess.PIPE) for d in (a, b)]
    for p in procs:
        out, errout = p.communicate(timeout=300)
        assert p.returncode == 0, errout.decode()
    store = open_store(str(db))
    assert store.scalar("SELECT COUNT(*) FROM articles") == 5
    assert store.scalar("SELECT COUNT(DISTINCT id) FROM articles") == 5
    store.close()


def test_cli_ingest_events_stats_export(tmp_path, samples_dir):
    db = str(tmp_path / "cli.duckdb")
    r = runner.invoke(app, ["ingest", str(samples_dir), "--store", db, "--quiet"])
    assert r.exit_code == 0, r.output
    assert "5 new" in r.output
    r = runner.invoke(app, ["ingest", str(samples_dir), "--store", db, "--quiet"])
    assert r.exit_code == 0 and "0 new, 5 already stored" in r.output
    r = runner.invoke(app, ["stats", "--store", db, "--json"])
    assert json.loads(r.stdout)["counts"]["articles"] == 5
    r = runner.invoke(app, ["events", "--store", db])
    assert r.exit_code == 0 and "events" in r.output
    for fmt in ("csv", "jsonl", "geojson", "parquet"):
        out = tmp_path / f"articles.{fmt}"
        r = runner.invoke(app, ["export", "--view", "articles", "--format", fmt, "--output", str(out), "--store", db])
        assert r.exit_code == 0, r.output
        assert out.exists() and out.stat().st_size > 0
    r = runner.invoke(app, ["export", "--format", "xls", "--output", str(tmp_path / "x"), "--store", db])
    assert r.exit_code == 2 and "unknown format" in r.output


def test_cli_bad_inputs_exit_nonzero_with_summary(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    r = runner.invoke(app, ["ingest", str(tmp_path / "bin.txt"), str(tmp_path / "missing"), "--quiet",
                            "--store", str(tmp_path / "m.duckdb")])
    assert r.exit_code == 1
    assert "binary" in r.output and "no such file" in r.output and "2 errors" in r.output


def test_bidi_display_reorders_for_terminals():
    from marsad.cli.display import show

    assert show("إدلب", False) == "إدلب"
    shaped = show("إدلب", True)
    assert shaped != "إدلب" and len(shaped) == len("إدلب")


def _write_dated_companion(path: Path) -> None:
    """An article whose feed gives its date (2019-05-20): the run's one known date."""
    path.write_text(json.dumps({"text": "أعلنت فرق الإسعاف أن طواقمها نقلت عددا من الجرحى إلى المشافي الميدانية "
                                        "بعد غارات جوية استهدفت الأسواق الشعبية في المدينة.",
                                "published": "2019-05-20"}, ensure_ascii=False), encoding="utf-8")


def _ingest_beside_a_dated_article(tmp_path, pipeline, text: str):
    """Ingest ``text`` as a .txt in one run with a feed-dated article; returns (txt path, its stored row)."""
    d = tmp_path / "in"
    d.mkdir()
    txt = d / "a.txt"
    txt.write_text(text, encoding="utf-8")
    _write_dated_companion(d / "c.jsonl")
    store = open_store(str(tmp_path / "run.duckdb"))
    assert ingest([d], store, pipeline=pipeline).stored == 2
    row = store.query("SELECT published, published_source, meta FROM articles WHERE source_format = 'txt'")[0]
    store.close()
    return txt, row


def test_ambiguous_publication_date_resolved_against_the_run(tmp_path, pipeline):
    # the text's own evidence ("اليوم الأربعاء 29 من أيار") fits several years; the other article is dated
    txt, row = _ingest_beside_a_dated_article(
        tmp_path, pipeline, "قال ناشطون اليوم الأربعاء 29 من أيار إن القصف المدفعي تجدد على قرى في ريف المحافظة "
                            "الجنوبي وأدى إلى نزوح عشرات العائلات نحو المخيمات الحدودية.")
    assert (row["published"], row["published_source"]) == ("2019-05-29", "inferred:weekday+reference")
    # with an explicit reference far away, the nearest candidate year to it is taken instead
    store = open_store(str(tmp_path / "m2.duckdb"))
    ingest([txt], store, pipeline=pipeline, reference_date="2024-06-01")
    assert store.scalar("SELECT published FROM articles") == "2024-05-29"
    store.close()


def test_lines_repeating_across_an_outlet_become_chrome(tmp_path, pipeline):
    footer = "تابعوا آخر الأخبار عبر قناتنا على تلغرام"
    bodies = ["شهدت القرى الواقعة في الريف الشرقي قصفا مدفعيا متقطعا منذ ساعات الصباح الأولى.",
              "أفادت مصادر محلية بانقطاع الكهرباء عن أحياء واسعة في المدينة بعد استهداف محطة التحويل.",
              "عقد المجلس المحلي اجتماعا طارئا لبحث أوضاع العائلات النازحة في المخيمات القريبة.",
              "قالت منظمة إغاثية إن قوافل المساعدات دخلت إلى المنطقة بعد توقف دام أسبوعين."]
    p = tmp_path / "outlet.jsonl"
    p.write_text("\n".join(json.dumps({"text": f"{b}\n\n{footer}", "outlet": "موقع المثال"}, ensure_ascii=False)
                           for b in bodies), encoding="utf-8")
    store = open_store(str(tmp_path / "m.duckdb"))
    ingest([p], store, pipeline=pipeline, stories=False)
    rows = store.query("SELECT clean_text FROM articles ORDER BY source_path")
    assert footer in rows[0]["clean_text"]  # one article alone can't tell boilerplate from text
    assert all(footer not in r["clean_text"] for r in rows[2:])
    assert all(b.split()[0] in r["clean_text"] for b, r in zip(bodies, rows))
    store.close()


def test_cli_eval_scores_a_gold_file_and_rejects_bad_ones(tmp_path, samples_dir):
    gold = Path(__file__).resolve().parents[1] / "gold" / "samples_gold.jsonl"
    r = runner.invoke(app, ["eval", str(gold), "--samples", str(samples_dir), "--json"])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout)
    assert rep["articles"] == 5 and not rep["missing_articles"]
    full = rep["events"]["full"]
    assert full["gold"] > 0 and 0.0 <= full["precision"] <= 1.0 and rep["figures"]["full"]["gold"] > 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    r = runner.invoke(app, ["eval", str(bad), "--samples", str(samples_dir)])
    assert r.exit_code == 2 and "bad.jsonl" in r.output
    r = runner.invoke(app, ["eval", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 2 and "not found" in r.output


def test_weekday_only_article_is_dated_by_an_explicit_reference_never_by_the_run(tmp_path, pipeline):
    # "اليوم الجمعة" alone names no week: a run of articles from other years must not lend it theirs
    txt, row = _ingest_beside_a_dated_article(
        tmp_path, pipeline, "تجددت اليوم الجمعة الاشتباكات بين الفصائل وقوات النظام على أطراف بلدة في ريف "
                            "المحافظة الشرقي، وسط قصف مدفعي متبادل.")
    assert row["published"] is None and json.loads(row["meta"])["published_evidence"]["weekday_only"]
    store = open_store(str(tmp_path / "b.duckdb"))
    ingest([txt], store, pipeline=pipeline, reference_date="2020-02-26")  # a Wednesday
    row = store.query("SELECT published, published_source FROM articles")[0]
    assert row == {"published": "2020-02-28", "published_source": "inferred:weekday+reference"}
    store.close()


def test_batched_writes_store_each_article_once_and_cluster_every_one(tmp_path, pipeline, monkeypatch):
    from marsad.run import RunOptions

    d = tmp_path / "in"
    d.mkdir()
    villages = ["كفرنبل", "أريحا", "سراقب", "معرة النعمان", "خان شيخون", "جسر الشغور"]
    for i, v in enumerate(villages):
        (d / f"{i}.txt").write_text(f"قصفت قوات النظام بالمدفعية الثقيلة بلدة {v} في ريف إدلب صباح اليوم، "
                                    f"وأفاد الدفاع المدني بأن القصف أدى إلى دمار في المنازل والمحال التجارية.",
                                    encoding="utf-8")
    (d / "copy.txt").write_text((d / "2.txt").read_text(encoding="utf-8"), encoding="utf-8")  # same content id
    store = open_store(str(tmp_path / "b.duckdb"))
    statuses = []
    s = ingest([d], store, pipeline=pipeline, on_item=lambda item, st: statuses.append(st),
               options=RunOptions(batch_size=3, story_flush=2))
    assert (s.read, s.stored, s.skipped) == (7, 6, 1)
    assert statuses.count("stored") == 6 and statuses.count("skipped") == 1
    assert store.scalar("SELECT COUNT(*) FROM articles") == 6
    assert store.scalar("SELECT COUNT(DISTINCT article_id) FROM story_articles") == 6
    store.close()
