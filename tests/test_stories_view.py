"""The story view served to the API/dashboard, figure fusion rules and the ingest/store contract."""

import json

from marsad.model import Event, Story
from marsad.stories import FIGURE_RULE, StoryBuilder, fuse_figures, story_view
from marsad.stories.synth import make_doc

ERD, PUT = "TUR.GOV.erdogan", "RUS.GOV.putin"


def build():
    b = StoryBuilder(embedder="use")  # the sentence encoder sees two tellings of one strike as alike
    text = ("قصف جوي على بلدة الهبيط\n\nقتل عشرة مدنيين وأصيب آخرون في غارات جوية استهدفت بلدة الهبيط في ريف "
            "إدلب الجنوبي صباح اليوم، بحسب فرق الدفاع المدني التي عملت على انتشال الضحايا من تحت الأنقاض.")
    ev = {"type": "ASSAULT", "mode": "aerial", "actor": "SYR.GOV", "places": ["SY-hbeit"], "date": "2019-05-20",
          "sentence": "قتل عشرة مدنيين وأصيب آخرون في غارات جوية استهدفت بلدة الهبيط"}
    a = make_doc(text, title="قصف جوي على بلدة الهبيط", outlet="وكالة أ", published="2019-05-20", events=[ev],
                 places=[("SY-hbeit", "SY-khan", "SY07")],
                 figures=[{"kind": "killed", "group": "civilians", "value": 10.0, "event": 0},
                          {"kind": "injured", "group": "civilians", "low": 3.0, "high": 9.0, "event": 0}])
    text2 = ("ضحايا بغارات على الهبيط\n\nارتفع إلى أربعة عشر عدد القتلى المدنيين في غارات جوية على بلدة الهبيط "
             "جنوبي إدلب، وقال مسعفون إن بين الضحايا أطفالا ونساء، فيما تواصل الطائرات التحليق في أجواء المنطقة.")
    b2 = make_doc(text2, title="ضحايا بغارات على الهبيط", outlet="موقع ب", published="2019-05-21",
                  events=[dict(ev, date="2019-05-21")], places=[("SY-hbeit", "SY-khan", "SY07")],
                  figures=[{"kind": "killed", "group": "civilians", "value": 14.0, "event": 0}])
    copy = make_doc(text + "\n\nالمصدر: وكالات", title="قصف جوي على بلدة الهبيط", outlet="موقع ج",
                    published="2019-05-20", events=[ev], places=[("SY-hbeit", "SY-khan", "SY07")],
                    figures=[{"kind": "killed", "group": "civilians", "value": 10.0, "event": 0}])
    for d in (a, b2, copy):
        b.add(d)
    return b, a, b2, copy


def test_view_has_everything_the_dashboard_needs():
    b, a, b2, copy = build()
    [st] = b.stories()
    v = b.view(st.id)
    json.dumps(v, ensure_ascii=False)  # JSON-ready
    assert v["title"] == "قصف جوي على بلدة الهبيط"
    assert v["span"] == {"start": "2019-05-20", "end": "2019-05-21"}
    assert v["outlets"] == sorted(["وكالة أ", "موقع ب", "موقع ج"])
    assert v["n_articles"] == 3 and v["n_unique_articles"] == 2
    assert v["duplicates"][0]["article_id"] == copy.article.id and v["duplicates"][0]["copy_of"] == a.article.id
    [ev] = v["fused_events"]
    assert sorted(ev["sources"]) == sorted([a.article.id, b2.article.id, copy.article.id])
    assert ev["independent_sources"] == 2 and ev["copies"] == {copy.article.id: a.article.id}
    assert "date" in [d["field"] for d in ev["disagreements"]]
    killed = next(f for f in ev["fused_figures"] if f["kind"] == "killed")
    assert killed["value"] == 10.0 and killed["max_reported"] == 14.0 and killed["n_sources"] == 2
    injured = next(f for f in ev["fused_figures"] if f["kind"] == "injured")
    assert injured["value"] == 3.0  # the low end of a range is its credible minimum
    groups = {(g["kind"], g["group"]): g for g in v["figures_by_source"]}
    reports = groups[("killed", "civilians")]["reports"]
    assert sorted(r["value"] for r in reports) == [10.0, 10.0, 14.0]
    assert [r["copy_of"] for r in reports if r["article_id"] == copy.article.id] == [a.article.id]
    dates = [it["date"] for it in v["timeline"]]
    assert dates == sorted(dates)
    assert {it["kind"] for it in v["timeline"]} == {"article", "event"}


def test_view_rebuilds_from_stored_records_only():
    b, *_ = build()
    [st] = b.stories()
    evs = b.fused_events(st.id)
    st2 = Story.from_dict(json.loads(st.to_json()))
    evs2 = [Event.from_dict(json.loads(e.to_json())) for e in evs]
    assert story_view(st2, evs2) == b.view(st.id)


def test_fused_event_ids_do_not_collide_with_article_events():
    b, a, *_ = build()
    fused = b.fused_events()
    assert all(e.id.startswith("fev:") and e.attrs["story_id"] for e in fused)
    assert not {e.id for e in fused} & {e.id for e in a.events}
    assert all("_days" not in e.attrs for e in fused)


def test_figure_rule_min_of_source_minimums():
    figs = [
        {"article_id": "a", "kind": "killed", "group": "civilians", "value": 20.0, "qualifier": "more_than"},
        {"article_id": "b", "kind": "killed", "group": "civilians", "value": 25.0, "qualifier": "up_to"},
        {"article_id": "c", "kind": "killed", "group": "civilians", "value": 17.0},
        {"article_id": "d", "kind": "killed", "group": "civilians", "value": 99.0, "copy_of": "c"},
    ]
    [f] = fuse_figures(figs)
    assert f["value"] == 17.0 and f["max_reported"] == 20.0
    assert f["by_source"] == {"a": 20.0, "c": 17.0}  # 'up to' is no minimum; copies are no witness
    assert f["rule"] == FIGURE_RULE


def test_negated_and_planned_events_are_not_fused_with_asserted_ones():
    b = StoryBuilder(embedder="hashing")
    call = {"type": "CONSULT", "actor": ERD, "recipient": PUT, "date": "2019-05-13", "places": ["SY-idlib"]}
    d1 = make_doc("اتصال هاتفي بين الرئيسين التركي والروسي بشأن إدلب والتصعيد الأخير في المحافظة.",
                  outlet="أ", published="2019-05-13", events=[call], entities=[ERD, PUT])
    d2 = make_doc("نفت الرئاسة أن يكون اتصال قد جرى بين الرئيسين التركي والروسي بشأن إدلب والتصعيد الأخير.",
                  outlet="ب", published="2019-05-13", events=[dict(call, negated=True)], entities=[ERD, PUT])
    d3 = make_doc("من المقرر أن يجري الرئيسان التركي والروسي اتصالا هاتفيا لبحث الأوضاع في إدلب والتصعيد.",
                  outlet="ج", published="2019-05-13", events=[dict(call, modality="planned")], entities=[ERD, PUT])
    for d in (d1, d2, d3):
        b.add(d)
    assert len(b.fused_events()) == 3


def test_ingest_contract_attributes():
    b, *_ = build()
    state = b.state()
    json.dumps(state, ensure_ascii=False)
    u = StoryBuilder(state=state).add(make_doc("خبر آخر لا علاقة له بما سبق عن افتتاح مكتبة عامة جديدة في المدينة.",
                                               published="2019-05-21"))
    assert isinstance(u.story_ids, list) and u.story_ids == [u.story_id]
    for ev in b.fused_events():
        assert ev.attrs["story_id"] and set(ev.attrs["outlets_by_article"]) <= set(ev.sources)
