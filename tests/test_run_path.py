"""The one run path (marsad.run): sequential ingest, eval and analyze share it; a run killed part-way resumes to
the state of a clean run (stories, fused events, chrome model); nothing of the run is left in Article.meta."""

import json
from pathlib import Path

import pytest

from marsad.ingest import ingest
from marsad.model import Article, Document
from marsad.run import ChromeModel, RunContext, RunOptions, process_batch
from marsad.scale.corpus import write_corpus
from marsad.store import open_store

STAGES = ("clean", "language", "entities", "places", "events", "figures")


class Crash(Exception):
    pass


def _stories(store) -> set:
    rows = store.query("SELECT story_id, article_id FROM story_articles")
    by: dict = {}
    for r in rows:
        by.setdefault(r["story_id"], set()).add(r["article_id"])
    return {frozenset(v) for v in by.values()}


def _counts(model: dict) -> dict:
    """A saved chrome model's counts, whatever order its outlets were first seen in."""
    return {"articles": dict(model["article_counts"]), "lines": {k: v for k, v in model["line_counts"] if v}}


def _state(store) -> dict:
    return {
        "articles": store.scalar("SELECT COUNT(*) FROM articles"),
        "stories": _stories(store),
        "fused": store.scalar("SELECT COUNT(*) FROM events WHERE fused"),
        "chrome": _counts(json.loads(store.scalar("SELECT value FROM meta WHERE key = 'repeated_lines'"))),
        "clean_texts": {r["id"]: r["clean_text"] for r in store.query("SELECT id, clean_text FROM articles")},
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    write_corpus(60, d, "jsonl", seed=11, per_file=30)
    return d


@pytest.fixture(scope="module")
def clean_run(corpus, tmp_path_factory):
    db = tmp_path_factory.mktemp("clean") / "c.duckdb"
    store = open_store(str(db))
    s = ingest([corpus], store, options=RunOptions(batch_size=8, story_flush=16))
    assert s.errors == [] and s.stored == 60
    state = _state(store)
    store.close()
    return state


@pytest.mark.parametrize("crash_after", [5, 37])
def test_killed_sequential_run_resumes_to_the_clean_run(corpus, clean_run, tmp_path, crash_after):
    db = str(tmp_path / "k.duckdb")
    store = open_store(db)
    stored = []

    def on_item(item, status):  # the process dies here: nothing after this point of the run happens
        if status == "stored":
            stored.append(item)
            if len(stored) == crash_after:
                raise Crash()

    with pytest.raises(Crash):
        ingest([corpus], store, options=RunOptions(batch_size=8, story_flush=16), on_item=on_item)
    n = store.scalar("SELECT COUNT(*) FROM articles")
    assert crash_after <= n < 60
    assert store.scalar("SELECT COUNT(DISTINCT article_id) FROM story_articles") < n  # stories lag behind
    store.close()

    store = open_store(db)
    again = ingest([corpus], store, options=RunOptions(batch_size=8, story_flush=16))
    assert again.errors == [] and (again.stored, again.skipped) == (60 - n, n)
    resumed = _state(store)
    assert store.scalar("SELECT COUNT(DISTINCT article_id) FROM story_articles") == 60
    store.close()
    assert resumed == clean_run


def test_chrome_model_is_rebuilt_from_the_store_when_it_does_not_count_it(corpus, clean_run, tmp_path):
    store = open_store(str(tmp_path / "c.duckdb"))
    ingest([corpus], store, options=RunOptions(stories=False))
    store.execute("DELETE FROM meta WHERE key = 'repeated_lines'")  # as after a kill before the first save
    assert _counts(ChromeModel.load(store).model.to_dict()) == clean_run["chrome"]
    store.close()


def test_run_context_is_passed_not_stored_in_meta(tmp_path):
    text = ("قال مراسلنا اليوم الجمعة إن قصفا مدفعيا استهدف بلدة كفرنبل في ريف إدلب الجنوبي، "
            "وأفاد الدفاع المدني بإصابة ثلاثة مدنيين.")
    from marsad.pipeline import Pipeline

    pipe = Pipeline.default(["clean", "language"])
    art = Article(id="x", raw_text=text, source_path="t")
    import datetime as dt

    (given,) = process_batch([(art, RunContext(reference_date=dt.date(2020, 2, 26)))], pipe)
    assert given.doc.article.published.value == "2020-02-28"  # the caller's reference picks the week
    art2 = Article(id="y", raw_text=text, source_path="t")
    (by_run,) = process_batch([(art2, RunContext(reference_date=dt.date(2020, 2, 26), reference_from_run=True))],
                              pipe)
    assert by_run.doc.article.published is None  # the run's median never dates a bare weekday
    for o in (given, by_run):
        assert not {"reference_date", "run_reference"} & set(o.doc.article.meta)
        assert o.doc.run is None


def test_chrome_lines_come_with_the_article(tmp_path):
    from marsad.pipeline import Pipeline

    pipe = Pipeline.default(["clean"])
    text = "تابعونا على قناتنا في التطبيق\nقصفت طائرات حربية بلدة في ريف المحافظة صباح اليوم."
    from marsad.language.clean import _key

    (o,) = process_batch([(Article(id="z", raw_text=text), RunContext(chrome=frozenset({_key(text.split("\n")[0])})))],
                         pipe)
    assert o.doc.article.clean_text == text.split("\n")[1]
    (p,) = process_batch([(Article(id="z", raw_text=text), RunContext())], pipe)
    assert p.doc.article.clean_text == text


def test_one_failing_article_does_not_stop_its_batch():
    class Boom:
        name = "boom"

        def __call__(self, doc):
            if "٣" in doc.article.raw_text:
                raise RuntimeError("no")
            return doc

    from marsad.pipeline import Pipeline

    items = [(Article(id=str(i), raw_text=f"نص {c}", source_path=f"f:{i}"), RunContext()) for i, c in enumerate("١٢٣٤")]
    out = process_batch(items, Pipeline([Boom()]))
    assert [o.kind for o in out] == ["done", "done", "error", "done"]
    assert out[2].message.startswith("f:2: processing failed (RuntimeError: no")
