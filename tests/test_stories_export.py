"""Stories reach the store, the articles export and the API: story ids, copies, merged stories deleted."""

from marsad.run import StoryFeed
from marsad.store import open_store
from marsad.store.export import article_rows
from marsad.stories import StoryBuilder
from marsad.stories.synth import make_doc

TEXT = ("قتل عشرة مدنيين وأصيب آخرون في غارات جوية استهدفت بلدة الهبيط في ريف إدلب الجنوبي صباح اليوم، بحسب فرق "
        "الدفاع المدني التي عملت على انتشال الضحايا من تحت الأنقاض وسط تحليق مستمر للطائرات.")
EV = {"type": "ASSAULT", "mode": "aerial", "actor": "SYR.GOV", "places": ["SY-hbeit"], "date": "2019-05-20"}
OTHER = ("افتتح في العاصمة الأردنية معرض سنوي للكتاب بمشاركة مئات دور النشر العربية، ويستمر المعرض عشرة أيام "
         "تتخللها ندوات وأمسيات شعرية وورش للأطفال.")


def _docs():
    a = make_doc(TEXT, aid="a1", outlet="وكالة أ", published="2019-05-20", events=[EV],
                 places=[("SY-hbeit", "SY-khan", "SY07")])
    copy = make_doc(TEXT + "\n\nالمصدر: وكالات", aid="a2", outlet="موقع ب", published="2019-05-20", events=[EV],
                    places=[("SY-hbeit", "SY-khan", "SY07")])
    other = make_doc(OTHER, aid="a3", outlet="موقع ج", published="2019-05-20")
    return a, copy, other


def test_articles_export_has_story_and_duplicate_columns(tmp_path):
    store = open_store(str(tmp_path / "s.duckdb"))
    feed = StoryFeed(store)
    feed.builder = b = StoryBuilder(embedder="hashing")
    for d in _docs():
        store.save_document(d)
        feed.add(d)
    feed.flush()
    rows = {r["id"]: r for r in article_rows(store)}
    store.close()
    assert rows["a2"]["duplicate_of"] == "a1" and rows["a1"]["duplicate_of"] is None
    assert rows["a1"]["story_id"] == rows["a2"]["story_id"] == b.story_of("a1")
    assert rows["a3"]["story_id"] == b.story_of("a3") != rows["a1"]["story_id"]


def test_stories_merged_away_are_deleted_from_the_store(tmp_path):
    store = open_store(str(tmp_path / "s.duckdb"))
    feed = StoryFeed(store)
    feed.builder = b = StoryBuilder(embedder="hashing")
    a, copy, other = _docs()
    for d in (a, other):
        store.save_document(d)
        feed.add(d)
    feed.flush()
    ghost = "story:ghost"
    b._removed.add(ghost)  # as if an arrival had merged this story into another
    store.execute("INSERT INTO stories (id, title, n_articles) VALUES (?, '', 0)", [ghost])
    feed.pending = 1
    feed.flush()
    ids = {r["id"] for r in store.query("SELECT id FROM stories")}
    store.close()
    assert ghost not in ids and ids == {st.id for st in b.stories()}
