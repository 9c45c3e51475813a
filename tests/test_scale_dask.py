"""Parallel ingestion with Dask: the same result as the sequential ingest, idempotent, on DuckDB and PostgreSQL."""

import json
import os
import uuid
from urllib.parse import quote

import pytest

from marsad.ingest import ingest
from marsad.pipeline import Pipeline
from marsad.scale.corpus import write_corpus
from marsad.scale.dask_ingest import ingest_parallel
from marsad.store import open_store


def _layer_counts(store) -> dict:
    return {t: store.scalar(f"SELECT COUNT(*) FROM {t}")
            for t in ("articles", "mentions", "entities", "places", "events", "figures")}


def _consistent(store) -> None:
    """Every stored article has all its layer rows: nothing half-written."""
    events = places = 0
    for doc in store.load_documents():
        events += len(doc.events)
        places += len(doc.places)
    assert store.scalar("SELECT COUNT(*) FROM events WHERE NOT fused") == events
    assert store.scalar("SELECT COUNT(*) FROM places") == places


@pytest.fixture(scope="module")
def scheduler():
    """One local Dask cluster for the module (its workers keep their pipelines between runs)."""
    from dask.distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    yield cluster.scheduler_address
    cluster.close()


def test_parallel_equals_sequential_and_is_idempotent(tmp_path, scheduler):
    write_corpus(120, tmp_path / "in", "jsonl", seed=11)
    par, seq = str(tmp_path / "par.duckdb"), str(tmp_path / "seq.duckdb")
    s1 = ingest_parallel([tmp_path / "in"], par, scheduler=scheduler, stories=False, progress=False,
                         partition_size=16)
    assert (s1.read, s1.stored, s1.skipped, s1.errors) == (120, 120, 0, [])
    st = open_store(seq)
    s2 = ingest([tmp_path / "in"], st, pipeline=Pipeline.default(), stories=False)
    assert s2.stored == 120
    p = open_store(par)
    assert _layer_counts(p) == _layer_counts(st)
    assert p.article_ids() == st.article_ids()
    assert s1.events == s2.events and s1.figures == s2.figures
    _consistent(p)
    p.close(), st.close()
    again = ingest_parallel([tmp_path / "in"], par, scheduler=scheduler, stories=False, progress=False)
    assert (again.read, again.stored, again.skipped) == (120, 0, 120)


@pytest.mark.skipif(not os.environ.get("MARSAD_TEST_PG_URL"),
                    reason="PostgreSQL tests need MARSAD_TEST_PG_URL (run: eval \"$(bash scripts/ci_postgres.sh)\")")
def test_parallel_into_postgres_workers_write_directly(tmp_path, scheduler):
    import psycopg

    base = os.environ["MARSAD_TEST_PG_URL"]
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={schema},public')}"
    try:
        write_corpus(80, tmp_path / "in", "jsonl", seed=9)
        s = ingest_parallel([tmp_path / "in"], url, scheduler=scheduler, stories=False, progress=False,
                            partition_size=8)
        assert (s.stored, s.skipped, s.errors) == (80, 0, [])
        again = ingest_parallel([tmp_path / "in"], url, scheduler=scheduler, stories=False, progress=False)
        assert (again.stored, again.skipped) == (0, 80)
        store = open_store(url)
        assert store.scalar("SELECT COUNT(DISTINCT id) FROM articles") == 80
        _consistent(store)
        assert store.search("قصف")  # the generated corpus is full of shelling
        store.close()
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_parallel_with_stories_workers_sketch_and_copies_are_linked(tmp_path, scheduler, monkeypatch):
    """With stories on, the workers make the articles' sketches (the client only clusters); every article lands
    in one story and the generator's near-duplicates are linked to their originals, as in the sequential ingest."""
    from marsad.stories import StoryBuilder

    given = []
    add = StoryBuilder.add

    def spy(self, doc, sketch=None):
        given.append(sketch is not None and sketch.fits(self.params, self.embedder.name))
        return add(self, doc, sketch)

    monkeypatch.setattr(StoryBuilder, "add", spy)
    write_corpus(150, tmp_path / "in", "jsonl", seed=5)
    par, seq = str(tmp_path / "par.duckdb"), str(tmp_path / "seq.duckdb")
    s1 = ingest_parallel([tmp_path / "in"], par, scheduler=scheduler, progress=False, partition_size=16)
    assert (s1.stored, s1.errors) == (150, []) and s1.stories > 0
    assert len(given) == 150 and all(given)
    monkeypatch.undo()
    st = open_store(seq)
    ingest([tmp_path / "in"], st, pipeline=Pipeline.default())
    p = open_store(par)
    for store in (p, st):
        assert store.scalar("SELECT COUNT(DISTINCT article_id) FROM story_articles") == 150
    def copies(store):  # (number of copy links, articles in copy families): the same whatever the order
        links = [d for (rec,) in store.execute("SELECT record FROM stories").fetchall()
                 for d in json.loads(rec)["duplicates"]]
        return len(links), {a for d in links for a in d[:2]}

    assert copies(st)[0] and copies(p) == copies(st)
    p.close(), st.close()


def test_parallel_run_names_every_bad_input_and_its_reason(tmp_path, scheduler):
    """`marsad ingest --workers 2` (here: --scheduler) prints one line per input not read, naming it."""
    from typer.testing import CliRunner

    from marsad.cli.main import app

    d = tmp_path / "in"
    write_corpus(10, d, "jsonl", seed=3)
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "bad.jsonl").write_text('{"text": 5}\n', encoding="utf-8")
    os.symlink(tmp_path / "gone.txt", d / "link.txt")
    r = CliRunner().invoke(app, ["ingest", str(d), "--scheduler", scheduler, "--store", str(tmp_path / "p.duckdb"),
                                 "--no-stories", "-q"])
    assert r.exit_code == 1
    out = r.output
    assert f"error: {d / 'empty.txt'}: empty file" in out
    assert f"error: {d / 'bad.jsonl'}:line 1: field 'text' must be a string, not a number" in out
    assert f"error: {d / 'link.txt'}: dangling symbolic link" in out
    n_lines = sum(1 for line in out.splitlines() if line.startswith("error: "))
    assert "read 10 articles: 10 new" in out and f"{n_lines} errors" in out.replace("\n", " ")


def test_parallel_and_sequential_agree_on_dates_left_to_the_run(tmp_path, scheduler):
    """An article dated only by "today is <weekday>" is never dated by the run's median, on either path (the
    parallel path used to give it the median's week)."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.jsonl").write_text(json.dumps({"text": "أعلن المجلس المحلي في المدينة اليوم الجمعة عن افتتاح مدرسة جديدة "
                                                   "في الحي الشرقي بعد انتهاء أعمال الترميم.", "published": "2020-02-20"},
                                          ensure_ascii=False) + "\n", encoding="utf-8")
    (d / "b.txt").write_text("قال ناشطون اليوم الجمعة إن قصفا مدفعيا استهدف أطراف البلدة دون أن يسفر عن إصابات، "
                             "فيما تواصل التحليق في أجواء المنطقة.", encoding="utf-8")
    par, seq = str(tmp_path / "par.duckdb"), str(tmp_path / "seq.duckdb")
    ingest_parallel([d], par, scheduler=scheduler, stories=False, progress=False)
    st = open_store(seq)
    ingest([d], st, stories=False)
    q = "SELECT source_format, published, published_source FROM articles ORDER BY source_format"
    p = open_store(par)
    assert p.query(q) == st.query(q)
    assert [r["published"] for r in st.query(q) if r["source_format"] == "txt"] == [None]
    p.close(), st.close()
