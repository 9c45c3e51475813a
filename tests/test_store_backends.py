"""The same storage tests against DuckDB and PostgreSQL.

The PostgreSQL variant needs a server: ``eval "$(bash scripts/ci_postgres.sh)"`` starts a throwaway one and
exports MARSAD_TEST_PG_URL (scripts/test.sh does this). Each PostgreSQL test works in its own schema.
"""

import multiprocessing
import os
import uuid
from urllib.parse import quote

import pytest

from marsad.ingest import norm_text_of
from marsad.model import (Article, DateRef, Document, Entity, Event, Figure, Mention, Place, Span, Story,
                          content_id)
from marsad.store import open_store

PG_URL = os.environ.get("MARSAD_TEST_PG_URL")


def _pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema},public')}"


@pytest.fixture(params=["duckdb", "postgres"])
def store_url(request, tmp_path):
    if request.param == "duckdb":
        yield str(tmp_path / "store.duckdb")
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need MARSAD_TEST_PG_URL (run: eval \"$(bash scripts/ci_postgres.sh)\")")
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _pg_schema_url(PG_URL, schema)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    yield s
    s.close()


TEXTS = [
    "قصفت طائرات حربية أطراف بلدة كفرنبل في ريف إدلب الجنوبي صباح اليوم، ما أدى إلى مقتل ثلاثة مدنيين.",
    "نزحت عشرات العائلات من قرى سهل الغاب باتجاه الحدود التركية هرباً من القصف المدفعي المتواصل.",
    "وبإدلب عقد المجلس المحلي اجتماعاً لبحث أوضاع المخيمات مع اقتراب فصل الشتاء.",
    "أعلنت الدفاع المدني أن فرقه انتشلت جثتين من تحت أنقاض مبنى في مدينتها بعد الغارة الأخيرة.",
    "جرى اتصال هاتفي بين الرئيسين ناقشا فيه التطورات الميدانية في الشمال السوري.",
]


def make_doc(text: str, day: int = 1, outlet: str = "منفذ تجريبي") -> Document:
    aid = content_id(text)
    doc = Document(article=Article(id=aid, raw_text=text, clean_text=text, outlet=outlet, title=text[:20],
                                   published=DateRef(f"2020-03-{day:02d}", "day", source="metadata")))
    doc.sentences = [Span(0, len(text), text)]
    m = Mention(span=Span(0, 4, text[:4]), label="ORG", source="kb", entity_id="actor:TEST")
    doc.mentions = [m]
    doc.entities = [Entity(id="actor:TEST", name="جهة", label="MIL", mentions=[m])]
    doc.places = [Place(id="syr:1", name="مكان", lat=35.6, lon=36.6, kind="village", precision=1,
                        mentions=[Mention(span=Span(5, 9, text[5:9]), label="LOC", source="gazetteer")])]
    doc.events = [Event(id=f"{aid}:e0", type="ASSAULT", mode="aerial", actor="actor:TEST", places=["syr:1"],
                        date=DateRef(f"2020-03-{day:02d}", "day"), evidence=Span(0, len(text), text),
                        article_id=aid)]
    doc.figures = [Figure(kind="killed", group="civilians", value=3, evidence=Span(0, 10, text[:10]),
                          article_id=aid)]
    doc.timings = {"clean": 0.001}
    return doc


def save(store, doc) -> bool:
    return store.save_document(doc, norm_text_of(doc))


def test_save_load_round_trip(store):
    docs = [make_doc(t, day=i + 1) for i, t in enumerate(TEXTS)]
    assert all(save(store, d) for d in docs)
    loaded = {d.article.id: d for d in store.load_documents()}
    assert set(loaded) == {d.article.id for d in docs}
    for d in docs:
        assert loaded[d.article.id].to_dict() == d.to_dict()
    some = list(store.load_documents([docs[1].article.id, docs[3].article.id]))
    assert {d.article.id for d in some} == {docs[1].article.id, docs[3].article.id}
    row = store.query("SELECT * FROM events WHERE article_id = ?", [docs[0].article.id])[0]
    assert row["type"] == "ASSAULT" and row["fused"] is False and row["event_date"] == "2020-03-01"
    assert store.scalar("SELECT COUNT(*) FROM figures") == 5


def test_resave_is_a_no_op(store):
    doc = make_doc(TEXTS[0])
    assert save(store, doc) is True
    before = store.stats()["counts"]
    assert save(store, make_doc(TEXTS[0])) is False
    assert store.stats()["counts"] == before
    assert store.has_article(doc.article.id) and not store.has_article("nope")
    assert store.article_ids() == {doc.article.id}


def test_failed_write_leaves_nothing(store, monkeypatch):
    doc = make_doc(TEXTS[1])

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_write_events", boom)
    with pytest.raises(RuntimeError):
        save(store, doc)
    monkeypatch.undo()
    assert store.scalar("SELECT COUNT(*) FROM articles") == 0
    assert store.scalar("SELECT COUNT(*) FROM mentions") == 0
    # an explicit transaction that fails half-way also leaves nothing
    with pytest.raises(ValueError):
        with store.transaction():
            store.execute("INSERT INTO meta VALUES (?, ?)", ["half", "written"])
            raise ValueError("stop")
    assert store.scalar("SELECT COUNT(*) FROM meta WHERE key = 'half'") == 0
    # and the store still works afterwards
    assert save(store, doc) is True
    assert store.scalar("SELECT COUNT(*) FROM events") == 1


def test_save_stories_replaces(store):
    a, b, c = (make_doc(t, day=i + 1) for i, t in enumerate(TEXTS[:3]))
    for d in (a, b, c):
        save(store, d)
    ids = [d.article.id for d in (a, b, c)]

    def fused(eid, sources):
        return Event(id=eid, type="ASSAULT", sources=sources,
                     attrs={"story_id": "s1", "outlets_by_article": {s: "منفذ" for s in sources}})

    store.save_stories([Story(id="s1", title="قصة", article_ids=ids[:2], outlets=["منفذ"])],
                       [fused("f1", ids[:2])])
    assert store.scalar("SELECT COUNT(*) FROM story_articles") == 2
    store.save_stories([Story(id="s1", title="قصة معدلة", article_ids=[ids[0], ids[2]], outlets=["منفذ"]),
                        Story(id="s2", title="أخرى", article_ids=[ids[1]])],
                       [fused("f2", [ids[0], ids[2]])])
    assert store.scalar("SELECT title FROM stories WHERE id = 's1'") == "قصة معدلة"
    assert {r["article_id"] for r in store.query("SELECT article_id FROM story_articles WHERE story_id = 's1'")} \
        == {ids[0], ids[2]}
    assert [r["id"] for r in store.query("SELECT id FROM events WHERE fused")] == ["f2"]
    assert store.scalar("SELECT COUNT(*) FROM event_sources WHERE event_id = 'f1'") == 0
    assert store.scalar("SELECT COUNT(*) FROM event_sources WHERE event_id = 'f2'") == 2
    assert store.scalar("SELECT COUNT(*) FROM stories") == 2


def test_stats(store):
    for i, t in enumerate(TEXTS[:3]):
        save(store, make_doc(t, day=i + 5, outlet="أ" if i else "ب"))
    st = store.stats()
    assert st["counts"]["articles"] == 3 and st["counts"]["events"] == 3 and st["counts"]["fused_events"] == 0
    assert {r["outlet"]: r["n"] for r in st["outlets"]} == {"أ": 2, "ب": 1}
    assert st["event_types"] == [{"type": "ASSAULT", "n": 3}]
    assert st["date_range"] == {"first": "2020-03-05", "last": "2020-03-07"}


def test_search_sees_through_clitics(store):
    docs = [make_doc(t, day=i + 1) for i, t in enumerate(TEXTS)]
    for d in docs:
        save(store, d)
    ids = [d.article.id for d in docs]
    hits = store.search("إدلب")
    assert {h["id"] for h in hits} == {ids[0], ids[2]}  # "ريف إدلب" and "وبإدلب"
    assert all("إدلب" in h["snippet"] for h in hits)
    assert {h["id"] for h in store.search("المدينة")} == {ids[3]}  # مدينتها: ة → ت before a suffix
    assert {h["id"] for h in store.search("عائلة")} == set()  # العائلات is a plural, not a clitic
    assert {h["id"] for h in store.search("القصف")} == {ids[1]}
    assert {h["id"] for h in store.search("قصف إدلب")} == set()  # every word must match
    assert {h["id"] for h in store.search("مدنيين إدلب")} == {ids[0]}
    assert store.search("") == [] and store.search("حلب") == []
    assert store.search("غاب")[0]["id"] == ids[1]  # "سهل الغاب"
    page1, page2 = store.search("إدلب", limit=1), store.search("إدلب", limit=1, offset=1)
    assert len(page1) == len(page2) == 1 and page1[0]["id"] != page2[0]["id"]


def _writer(url: str, texts: list, q) -> None:
    s = open_store(url)
    n = sum(save(s, make_doc(t)) for t in texts)
    s.close()
    q.put(n)


def test_concurrent_writers_store_the_union(store_url):
    open_store(store_url).close()  # schema first
    texts = [f"تقرير رقم {i} عن قصف استهدف بلدة في ريف المحافظة وأدى إلى أضرار مادية." for i in range(40)]
    a, b = texts[:28], texts[12:]  # 16 overlapping articles
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(store_url, part, q)) for part in (a, b)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    stored = q.get(timeout=5) + q.get(timeout=5)
    assert stored == 40  # each article stored by exactly one writer
    s = open_store(store_url)
    assert s.scalar("SELECT COUNT(*) FROM articles") == 40
    assert s.scalar("SELECT COUNT(DISTINCT id) FROM articles") == 40
    assert s.scalar("SELECT COUNT(*) FROM events") == 40
    assert s.article_ids() == {content_id(t) for t in texts}
    s.close()


def test_save_documents_batch_matches_single_saves(store, tmp_path):
    docs = [make_doc(t, day=i + 1) for i, t in enumerate(TEXTS)]
    assert save(store, docs[0]) is True
    items = [(d, norm_text_of(d)) for d in docs] + [(docs[2], norm_text_of(docs[2]))]  # a repeat in the batch
    assert store.save_documents(items) == [False, True, True, True, True, False]
    assert store.save_documents(items) == [False] * 6
    single = open_store(str(tmp_path / "single.duckdb"))
    for d in docs:
        save(single, d)
    for table in ("mentions", "entities", "places", "events", "event_sources", "figures"):
        assert store.scalar(f"SELECT COUNT(*) FROM {table}") == single.scalar(f"SELECT COUNT(*) FROM {table}")
    single.close()
    assert {d.article.id: d.to_dict() for d in store.load_documents()} == {d.article.id: d.to_dict() for d in docs}
    assert {h["id"] for h in store.search("وبإدلب")} == {docs[0].article.id, docs[2].article.id}


def test_save_documents_is_all_or_nothing(store, monkeypatch):
    docs = [make_doc(t) for t in TEXTS[:3]]
    calls = []

    def fail_on_third(doc):
        calls.append(doc.article.id)
        if len(calls) == 3:
            raise RuntimeError("crash mid-batch")
        return original(doc)

    original = store._write_layers
    monkeypatch.setattr(store, "_write_layers", fail_on_third)
    with pytest.raises(RuntimeError):
        store.save_documents([(d, None) for d in docs])
    monkeypatch.undo()
    assert store.scalar("SELECT COUNT(*) FROM articles") == 0
    assert store.scalar("SELECT COUNT(*) FROM events") == 0
    assert store.save_documents([(d, None) for d in docs]) == [True, True, True]
