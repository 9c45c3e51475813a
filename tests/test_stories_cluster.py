"""Online story clustering and event fusion on articles written for these tests.

Two real-world periods: an escalation in Idlib in May 2019 (two Erdogan–Putin calls, on 13 and 30 May; and
shelling of a village on 15 May) and one in February 2020 (calls on 21 and 28 February, and a Erdogan–Trump call on
the 28th). A story is one happening: the 13 May call told by two outlets is one story, each other call its own,
the shelling its own. Same leaders, same place: the calls must stay four events.
"""

import json

import pytest

from marsad.stories import StoryBuilder
from marsad.stories.builder import StoryParams
from marsad.stories.synth import make_doc

ERD, PUT, TRUMP = "TUR.GOV.erdogan", "RUS.GOV.putin", "USA.GOV.trump"
IDLIB, KNB = "SY-idlib", "SY-kafrnabuda"
PLACES = [(IDLIB, None, "SY07"), (KNB, "SY-hama-sqb", "SY05")]


def call(date, other=PUT, **kw):
    return dict({"type": "CONSULT", "mode": "phone", "actor": ERD, "recipient": other, "date": date,
                 "places": [IDLIB]}, **kw)


def corpus():
    docs = {}
    docs["may13_a"] = make_doc(
        "أردوغان يبحث مع بوتين هاتفيا التصعيد في إدلب\n\nبحث الرئيس التركي رجب طيب أردوغان مع نظيره الروسي "
        "فلاديمير بوتين في اتصال هاتفي مساء أمس الاثنين التصعيد العسكري في ريف إدلب الجنوبي، وحذر من أن "
        "الهجمات على المدنيين تهدد مسار الحل السياسي. واتفق الرئيسان على مواصلة التنسيق بين وزارتي الدفاع.",
        title="أردوغان يبحث مع بوتين هاتفيا التصعيد في إدلب", outlet="وكالة أ", published="2019-05-14",
        events=[call("2019-05-13")], entities=[ERD, PUT], places=[PLACES[0]])
    docs["may13_c"] = make_doc(
        "الكرملين: بوتين وأردوغان يناقشان الوضع في إدلب\n\nأعلن الكرملين أن الرئيس فلاديمير بوتين تلقى "
        "اتصالا من الرئيس التركي جرى خلاله تبادل الآراء حول الأزمة السورية، وركز الحديث على منطقة إدلب حيث "
        "تصاعدت الخروقات في الأسابيع الأخيرة بحسب البيان الروسي.",
        title="الكرملين: بوتين وأردوغان يناقشان الوضع في إدلب", outlet="صحيفة ج", published="2019-05-14",
        events=[call("2019-05-14", actor=PUT, recipient=ERD)], entities=[PUT, ERD], places=[PLACES[0]])
    docs["may15_shell_a"] = make_doc(
        "مقتل مدنيين بقصف جوي على كفرنبودة\n\nقتل اثنا عشر مدنيا بينهم أطفال في غارات جوية استهدفت بلدة "
        "كفرنبودة في ريف حماة الشمالي، وسط استمرار الحملة العسكرية على ريفي إدلب وحماة.",
        title="مقتل مدنيين بقصف جوي على كفرنبودة", outlet="وكالة أ", published="2019-05-15",
        events=[{"type": "ASSAULT", "mode": "aerial", "actor": "RUS.MIL", "places": [KNB], "date": "2019-05-15"}],
        entities=["RUS.MIL"], places=PLACES,
        figures=[{"kind": "killed", "group": "civilians", "value": 12.0, "event": 0}])
    docs["may15_shell_d"] = make_doc(
        "غارات على ريف حماة\n\nارتفع عدد ضحايا الغارات الجوية على كفرنبودة إلى أكثر من خمسة عشر مدنيا، "
        "بحسب الدفاع المدني الذي قال إن فرقه ما زالت تبحث عن مفقودين تحت الأنقاض في ريف إدلب وحماة.",
        title="غارات على ريف حماة", outlet="موقع د", published="2019-05-15",
        events=[{"type": "ASSAULT", "mode": "aerial", "actor": "RUS.MIL", "places": [KNB], "date": "2019-05-15"}],
        entities=["RUS.MIL"], places=PLACES,
        figures=[{"kind": "killed", "group": "civilians", "value": 15.0, "qualifier": "more_than", "event": 0}])
    docs["may30"] = make_doc(
        "أردوغان وبوتين يتفقان على لقاء في أوساكا\n\nأكد الرئيس التركي لنظيره الروسي خلال اتصال هاتفي مساء "
        "اليوم الخميس ضرورة وقف إطلاق النار في إدلب بأسرع وقت، واتفق الجانبان على لقاء ثنائي على هامش قمة "
        "العشرين المقبلة.",
        title="أردوغان وبوتين يتفقان على لقاء في أوساكا", outlet="موقع ب", published="2019-05-30",
        events=[call("2019-05-30")], entities=[ERD, PUT], places=[PLACES[0]])
    docs["feb21"] = make_doc(
        "بوتين وأردوغان يتفقان على تكثيف المشاورات بشأن إدلب\n\nاتفق الرئيسان الروسي والتركي خلال اتصال "
        "هاتفي اليوم على تكثيف التشاور للوصول إلى وقف لإطلاق النار في محافظة إدلب، فيما دعا الرئيس التركي إلى "
        "كبح هجوم قوات النظام على المحافظة.",
        title="بوتين وأردوغان يتفقان على تكثيف المشاورات بشأن إدلب", outlet="صحيفة ج", published="2020-02-21",
        events=[call("2020-02-21")], entities=[ERD, PUT], places=[PLACES[0]])
    docs["feb28"] = make_doc(
        "تصعيد تركي بعد مقتل جنود أتراك في إدلب\n\nشدد الرئيسان التركي والروسي في اتصال بينهما اليوم الجمعة "
        "على الحاجة إلى تدابير إضافية لتهدئة الوضع في إدلب، كما أجرى الرئيس التركي اتصالا بالرئيس الأمريكي "
        "اتفقا فيه على خطوات عاجلة لمنع مأساة إنسانية.",
        title="تصعيد تركي بعد مقتل جنود أتراك في إدلب", outlet="موقع ه", published="2020-02-28",
        events=[call("2020-02-28"), call("2020-02-28", other=TRUMP)], entities=[ERD, PUT, TRUMP],
        places=[PLACES[0]])
    docs["noise"] = make_doc(
        "افتتاح معرض للكتاب في عمّان\n\nافتتح في العاصمة الأردنية معرض سنوي للكتاب بمشاركة مئات دور النشر "
        "العربية، ويستمر المعرض عشرة أيام تتخللها ندوات وأمسيات شعرية وورش للأطفال.",
        title="افتتاح معرض للكتاب في عمّان", outlet="موقع و", published="2019-05-15")
    return docs


MAY = ["may13_a", "may13_c"]  # the 13 May call, told by two outlets: one story
SHELL = ["may15_shell_a", "may15_shell_d"]  # a strike on a village in the same weeks: its own story
FEB = ["feb21", "feb28"]  # two calls a week apart: two stories


def groups(builder, docs):
    sid = {k: builder.story_of(d.article.id) for k, d in docs.items()}
    return sid


def erdogan_putin_calls(builder):
    return sorted((e for e in builder.fused_events()
                   if e.type == "CONSULT" and set(e.attrs["actor_set"]) == {ERD, PUT}),
                  key=lambda e: e.date.value)


@pytest.fixture(scope="module", params=["use", "hashing"])
def built(request):
    docs = corpus()
    b = StoryBuilder(embedder=request.param)
    for d in docs.values():
        b.add(d)
    return b, docs


def test_each_happening_is_one_story(built):
    b, docs = built
    sid = groups(b, docs)
    assert len({sid[k] for k in MAY}) == 1
    assert len({sid[k] for k in SHELL}) == 1
    others = [sid[MAY[0]], sid[SHELL[0]], sid["may30"], sid["feb21"], sid["feb28"], sid["noise"]]
    assert len(set(others)) == 6, sid
    assert len(b.stories()) == 6


def test_four_distinct_erdogan_putin_calls(built):
    b, _ = built
    calls = erdogan_putin_calls(b)
    assert [e.date.value for e in calls] == ["2019-05-13", "2019-05-30", "2020-02-21", "2020-02-28"]
    may13 = calls[0]
    assert len(may13.sources) == 2 and may13.attrs["independent_sources"] == 2  # A→B and B→A reports fused
    assert any(d["field"] == "date" for d in may13.attrs["disagreements"])  # one outlet dated it a day later
    assert sorted(may13.attrs["outlets"]) == ["صحيفة ج", "وكالة أ"]
    # the Erdogan–Trump call on the same day is another event
    trump = [e for e in b.fused_events() if set(e.attrs["actor_set"]) == {ERD, TRUMP}]
    assert len(trump) == 1 and trump[0].date.value == "2020-02-28"


def test_shelling_reports_fused_with_conservative_figure(built):
    b, docs = built
    [ev] = [e for e in b.fused_events() if e.type == "ASSAULT"]
    assert len(ev.sources) == 2
    [ff] = ev.attrs["fused_figures"]
    assert (ff["kind"], ff["group"]) == ("killed", "civilians")
    assert ff["value"] == 12.0 and ff["max_reported"] == 15.0 and ff["disagreement"]
    assert ff["by_source"] == {docs["may15_shell_a"].article.id: 12.0, docs["may15_shell_d"].article.id: 15.0}
    assert any(d["field"] == "figure:killed/civilians" for d in ev.attrs["disagreements"])
    assert "min" in ff["rule"]


def test_same_call_nine_months_later_is_a_new_story_and_event():
    docs = corpus()
    b = StoryBuilder(embedder="hashing")
    b.add(docs["may13_a"])
    later = make_doc(docs["may13_a"].text.replace("الاثنين", "الخميس") + " وأكد الجانبان أهمية الحوار.",
                     title=docs["may13_a"].article.title, outlet="وكالة أ", published="2020-02-14",
                     events=[call("2020-02-13")], entities=[ERD, PUT], places=[PLACES[0]])
    u = b.add(later)
    assert u.created and u.copy_of is None
    assert len(erdogan_putin_calls(b)) == 2


def test_calls_two_weeks_apart_are_two_stories_and_two_events():
    docs = corpus()
    b = StoryBuilder(embedder="hashing")
    for k in ("may13_a", "may15_shell_a", "may30"):
        b.add(docs[k])
    assert b.story_of(docs["may13_a"].article.id) != b.story_of(docs["may30"].article.id)
    assert [e.date.value for e in erdogan_putin_calls(b)] == ["2019-05-13", "2019-05-30"]


def test_a_follow_up_days_later_is_a_related_story():
    docs = corpus()
    b = StoryBuilder(embedder="hashing")
    b.add(docs["may15_shell_a"])
    text = ("عاد الطيران الحربي لقصف بلدة كفرنبودة في ريف حماة الشمالي بعد أسبوع من الغارات التي أودت بحياة "
            "مدنيين، وأفاد الدفاع المدني بدمار واسع في الأحياء السكنية.")
    later = make_doc(text, outlet="موقع ك", published="2019-05-22",
                     events=[{"type": "ASSAULT", "mode": "aerial", "actor": "RUS.MIL", "places": [KNB],
                              "date": "2019-05-22", "sentence": text}], entities=["RUS.MIL"], places=PLACES)
    u = b.add(later)
    first = b.story_of(docs["may15_shell_a"].article.id)
    assert u.created and u.story_id != first
    assert b.story(first).attrs["related"] == [u.story_id]
    assert b.story(u.story_id).attrs["related"] == [first]


def _partition(builder, docs) -> set:
    by: dict = {}
    for k, d in docs.items():
        by.setdefault(builder.story_of(d.article.id), set()).add(k)
    return {frozenset(v) for v in by.values()}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_grouping_does_not_depend_on_order(seed):
    import random

    docs = corpus()
    ref = StoryBuilder(embedder="use")
    for d in docs.values():
        ref.add(d)
    keys = list(docs)
    random.Random(seed).shuffle(keys)
    b = StoryBuilder(embedder="use")
    for k in keys:
        b.add(docs[k])
    assert _partition(b, docs) == _partition(ref, docs)
    assert len(erdogan_putin_calls(b)) == 4


def test_synthetic_stories_do_not_depend_on_order():
    """Many happenings of one area and period (the generated corpus), added in three orders: the same stories."""
    import random

    from marsad.stories.synth import synthetic_corpus

    docs = {d.article.id: d for d in synthetic_corpus(300, seed=5)}
    parts = []
    for seed in (0, 1, 2):
        keys = sorted(docs)
        random.Random(seed).shuffle(keys)
        b = StoryBuilder(embedder="hashing")
        for k in keys:
            b.add(docs[k])
        parts.append({k: b.story_of(k) for k in docs})
    # copies link to whichever telling came first, so a few articles may move: B-cubed agreement >= 0.98
    for other in parts[1:]:
        assert _bcubed_f1(parts[0], other) >= 0.98


def _bcubed_f1(a: dict, b: dict) -> float:
    ga, gb = {}, {}
    for k in a:
        ga.setdefault(a[k], set()).add(k)
        gb.setdefault(b[k], set()).add(k)
    p = sum(len(ga[a[k]] & gb[b[k]]) / len(gb[b[k]]) for k in a) / len(a)
    r = sum(len(ga[a[k]] & gb[b[k]]) / len(ga[a[k]]) for k in a) / len(a)
    return 2 * p * r / (p + r)


def test_a_bridging_article_merges_two_stories_and_reports_the_removed_one():
    docs = corpus()
    b = StoryBuilder(embedder="hashing", params=StoryParams(threshold=0.3, pair_floor=-0.5))
    u1 = b.add(docs["may15_shell_a"])
    b.add(docs["may15_shell_d"])
    assert b.story_of(docs["may15_shell_d"].article.id) == u1.story_id or True
    seen = {u1.story_id}
    removed = []
    for k in ("may13_a", "may13_c"):
        u = b.add(docs[k])
        seen.add(u.story_id)
        removed += u.removed_story_ids
    live = {st.id for st in b.stories()}
    assert not set(removed) & live
    assert set(b.pop_removed()) == set(removed) and b.pop_removed() == []


def test_state_round_trip_resumes_without_reclustering():
    docs = corpus()
    keys = list(docs)
    full = StoryBuilder(embedder="hashing")
    for k in keys:
        full.add(docs[k])
    half = StoryBuilder(embedder="hashing")
    for k in keys[:4]:
        half.add(docs[k])
    state = json.loads(json.dumps(half.state(), ensure_ascii=False))
    resumed = StoryBuilder(state=state)
    for k in keys[4:]:
        resumed.add(docs[k])
    assert groups(resumed, docs) == groups(full, docs)
    assert [e.to_dict() for e in resumed.fused_events()] == [e.to_dict() for e in full.fused_events()]
    # a copy of an article added before the save is still recognised after it
    copy = make_doc(docs["may13_a"].text + "\n\nالمصدر: وكالات", outlet="موقع ز", published="2019-05-14")
    assert resumed.add(copy).copy_of == docs["may13_a"].article.id


def test_only_articles_of_the_days_around_are_candidates():
    b = StoryBuilder(embedder="hashing")
    docs = corpus()
    for d in docs.values():
        b.add(d)
    probe = b.add(make_doc("نص قصير عن إدلب والقصف على ريفها الجنوبي", published="2021-07-01"))
    assert b._candidates(b._arts[probe.article_id]) == []  # nothing within max_gap days: no comparison at all
    probe = b.add(make_doc("نص قصير آخر عن إدلب والقصف على ريفها الجنوبي", published="2020-02-27"))
    assert set(b._candidates(b._arts[probe.article_id])) == {docs["feb28"].article.id}


def test_undated_article_needs_a_stronger_match():
    docs = corpus()
    b = StoryBuilder(embedder="hashing")
    for d in docs.values():
        b.add(d)
    undated = make_doc("خبر عام عن الطقس: أمطار غزيرة متوقعة نهاية الأسبوع في المناطق الساحلية.")
    u = b.add(undated)
    assert u.created


def test_update_reports_changes():
    docs = corpus()
    b = StoryBuilder(embedder="hashing")
    u1 = b.add(docs["may13_a"])
    u2 = b.add(docs["may13_c"])
    assert u1.created and not u2.created and u2.story_ids == [u1.story_id]
    assert len(u2.fused_event_ids) == len(u1.fused_event_ids) == 1  # one call, fused again from both reports
    assert u2.score is not None and u2.score >= b.params.threshold and "joined" in u2.reason


def test_retiring_old_stories_changes_no_assignment_and_bounds_memory():
    from marsad.stories import StoryBuilder
    from marsad.stories.builder import StoryParams
    from marsad.stories.synth import synthetic_corpus

    docs = synthetic_corpus(1200, seed=3, per_day=4.0)  # ~300 days, in publication order
    keep, retiring = StoryBuilder(embedder="hashing"), StoryBuilder(params=StoryParams(retire_days=60, retire_idle_after=200),
                                                                    embedder="hashing")
    a, b, most = [], [], 0
    for n, d in enumerate(docs, 1):
        a.append((keep.add(d).story_id, keep.copy_of(d.article.id)))
        u = retiring.add(d)
        b.append((u.story_id, u.copy_of))
        if n % 100 == 0:
            retiring.retire()
            most = max(most, len(retiring._arts))
    assert a == b  # nothing a new article could still join was forgotten
    assert retiring.retired > 0 and len(retiring._stories) < len(keep._stories)
    assert most < 0.6 * len(docs)  # ~60 + 90 days of articles at most, not the whole run
    assert len(retiring.state()["articles"]) < len(keep.state()["articles"])


def test_a_late_article_of_a_retired_story_opens_a_new_one():
    from marsad.stories import StoryBuilder
    from marsad.stories.builder import StoryParams

    b = StoryBuilder(params=StoryParams(retire_days=30, retire_idle_after=0), embedder="hashing")
    text = ("قصفت قوات النظام بالمدفعية بلدة كفرنبل في ريف إدلب الجنوبي، وأفاد الدفاع المدني بسقوط ضحايا مدنيين "
            "ودمار واسع في المنازل والأسواق وسط نزوح عشرات العائلات.")
    ev = [{"type": "ASSAULT", "actor": "SYR.MIL", "recipient": "SYR.CIV", "places": ["kn"], "date": "2019-05-01",
           "sentence": text}]
    first = b.add(make_doc(text, aid="a1", outlet="أ", published="2019-05-01", events=ev, places=[("kn", "d", "g")]))
    b.add(make_doc("تقرير عن أحوال الطقس في الساحل هذا الأسبوع مع توقعات بأمطار غزيرة ورياح قوية على المرتفعات.",
                   aid="w1", outlet="ب", published="2019-09-01"))
    assert b.retire() == [first.story_id] and b.story_of("a1") is None
    late = b.add(make_doc(text + " ", aid="a2", outlet="ج", published="2019-05-02", events=ev,
                          places=[("kn", "d", "g")]))
    assert late.created and late.copy_of is None and late.story_id != first.story_id


def test_sketches_made_elsewhere_cluster_as_the_builder_would():
    """Dask workers sketch articles (signature + vector); the builder must then cluster exactly as alone, and
    redo a sketch made with another embedder rather than compare vectors of different spaces."""
    from marsad.stories import sketch_article

    docs = corpus()
    alone, fed, mixed = (StoryBuilder(embedder="hashing") for _ in range(3))
    for d in docs.values():
        alone.add(d)
        fed.add(d, sketch_article(d, "hashing", fed.params.num_perm, fed.params.shingle))
        mixed.add(d, sketch_article(d, "use"))  # wrong space: must be ignored
    for b in (fed, mixed):
        assert groups(b, docs) == groups(alone, docs)
        assert [e.to_dict() for e in b.fused_events()] == [e.to_dict() for e in alone.fused_events()]
    sk = sketch_article(docs["may13_a"], "use")
    assert sk.vector.shape == (512,) and abs(float((sk.vector ** 2).sum()) - 1) < 1e-4
    assert not sk.fits(fed.params, "hashing") and sk.fits(StoryBuilder(embedder="use").params, "use")


def _strike(text, village, published=None, actor="RUS.MIL", admin2="SY-idlib-mrn"):
    return make_doc(text, published=published, outlet=text[:12],
                    events=[{"type": "ASSAULT", "mode": "aerial", "actor": actor, "places": [village],
                             "sentence": text.split("\n")[0]}],
                    entities=[actor], places=[(village, admin2, "SY07")])


STRIKE = ("قصفت طائرات حربية روسية {when} سوقا شعبية في {v} بريف إدلب الجنوبي، ما أدى إلى مقتل مدنيين "
          "وإصابة آخرين بجروح، وفق ما أفاد الدفاع المدني الذي قال إن فرقه ما زالت تبحث عن عالقين تحت الأنقاض.")


def test_another_day_in_another_village_of_the_district_is_another_happening():
    b = StoryBuilder(embedder="hashing")
    mon = b.add(_strike(STRIKE.format(when="صباح اليوم", v="معرة النعمان"), "SY-mrn", "2019-07-22"))
    sun = b.add(_strike(STRIKE.format(when="صباح اليوم", v="كفر روما"), "SY-kfrrouma", "2019-07-21"))
    later = b.add(_strike(STRIKE.format(when="صباح أمس", v="معرة النعمان") + " وارتفعت الحصيلة.", "SY-mrn",
                          "2019-07-23"))
    assert sun.story_id != mon.story_id  # a day apart, other villages of one district: the next strike
    assert later.story_id == mon.story_id  # a day later, the same town: a later report of it


def test_undated_reports_group_on_place_action_and_weekday():
    b = StoryBuilder(embedder="hashing")
    mrn = "معرة النعمان"
    a = b.add(_strike(STRIKE.format(when="صباح اليوم الاثنين", v=mrn), "SY-mrn"))
    same = b.add(_strike(f"غارات روسية على سوق شعبية في {mrn} اليوم الاثنين\nقتل مدنيون وأصيب آخرون في قصف "
                         f"جوي روسي استهدف سوقا شعبية في مدينة {mrn}، بحسب الدفاع المدني والناشطين.", "SY-mrn"))
    other_day = b.add(_strike(f"غارات روسية على سوق في {mrn} اليوم الأحد\nقتل مدنيون وأصيب آخرون في قصف جوي "
                              f"روسي استهدف سوقا شعبية في مدينة {mrn}، بحسب الدفاع المدني.", "SY-mrn"))
    no_day = b.add(_strike(f"ضحايا مدنيون في {mrn}\nسقط ضحايا بين المدنيين جراء غارة نفذها الطيران الروسي على "
                           f"أحد أسواق {mrn} في ريف إدلب، وتحدث ناشطون عن دمار كبير في المحال.", "SY-mrn"))
    other_side = b.add(_strike(f"هجوم على سوق شعبية في {mrn} اليوم الاثنين\nقتل مدنيون وأصيب آخرون في قصف "
                               f"استهدف سوقا شعبية في مدينة {mrn}، بحسب الدفاع المدني والناشطين.", "SY-mrn",
                               actor="SYR.REB.hts"))
    assert [u.copy_of for u in (same, other_day, no_day, other_side)] == [None] * 4
    assert same.story_id == a.story_id  # same town, same action, same weekday
    assert other_day.story_id != a.story_id  # another weekday: another day
    assert no_day.story_id != a.story_id  # an undated page naming no day is grouped by nothing but copies
    assert other_side.story_id != a.story_id  # participants that cannot be the same


def test_weekdays_of_a_lead_are_read():
    from marsad.stories.happening import read_happening

    d = _strike(STRIKE.format(when="فجر اليوم الخميس", v="سراقب"), "SY-srqb")
    assert read_happening(d).weekdays == {3}


def _report(text, published, evs, village="SY-hbt", outlet=None):
    """A report whose events are (type, trigger word, sentence index) over the lines of ``text``."""
    lines = text.split("\n")
    return make_doc(text, published=published, outlet=outlet or text[:10],
                    events=[{"type": t, "actor": "SYR.GOV", "places": [village], "sentence": lines[i],
                             "trigger": w} for t, w, i in evs],
                    entities=["SYR.GOV"], places=[(village, "SY-idlib-mrn", "SY07")])


CAPTURE = ("سيطرت قوات النظام اليوم على بلدة التمانعة في ريف إدلب الجنوبي بعد اشتباكات عنيفة مع الفصائل\n"
           "وقالت مصادر محلية إن الفصائل انسحبت من البلدة بعد قصف مكثف استمر طوال الليل.")


def test_a_visit_hours_after_a_capture_is_not_the_capture():
    from marsad.stories.happening import read_happening

    b = StoryBuilder(embedder="hashing")
    cap = b.add(_report(CAPTURE, "2019-08-11", [("COERCE", "سيطرت", 0), ("ASSAULT", "قصف", 1)]))
    again = b.add(_report("قوات النظام تسيطر على بلدة التمانعة في ريف إدلب الجنوبي اليوم بعد اشتباكات مع "
                          "الفصائل\nوأفادت مصادر بأن الفصائل انسحبت من البلدة إثر قصف مكثف طوال الليل.",
                          "2019-08-11", [("COERCE", "تسيطر", 0), ("ASSAULT", "قصف", 1)]))
    visit_doc = _report("زار وزير الدفاع اليوم بلدة التمانعة في ريف إدلب الجنوبي بعد ساعات من السيطرة عليها\n"
                        "والتقى الوزير الجنود في البلدة وهنأهم بالعيد.", "2019-08-11",
                        [("COERCE", "السيطرة", 0)])
    assert read_happening(visit_doc).main == ""  # the capture is told as background to the visit
    visit = b.add(visit_doc)
    assert again.story_id == cap.story_id
    assert visit.story_id != cap.story_id  # same town, same day, but no event of its own


def test_a_protest_is_not_the_shelling_it_protests():
    b = StoryBuilder(embedder="hashing")
    shell = b.add(_report("قصفت هيئة تحرير الشام اليوم بلدة التمانعة بالرشاشات الثقيلة بعد مظاهرات ضدها\n"
                          "وتدور اشتباكات عنيفة على أطراف البلدة.", "2019-11-07",
                          [("ASSAULT", "قصفت", 0), ("PROTEST", "مظاهرات", 0), ("ASSAULT", "اشتباكات", 1)]))
    protest = b.add(_report("تظاهر المئات اليوم في بلدة التمانعة ضد هيئة تحرير الشام وقصفها للبلدة\n"
                            "وردد المتظاهرون هتافات ضد الهيئة وسط اشتباكات على أطراف البلدة.", "2019-11-07",
                            [("PROTEST", "تظاهر", 0), ("ASSAULT", "قصفها", 0), ("ASSAULT", "اشتباكات", 1)]))
    assert protest.story_id != shell.story_id  # main happenings of other families


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_undated_reports_do_not_depend_on_order(seed):
    import random

    mrn = "معرة النعمان"
    docs = [_strike(STRIKE.format(when="صباح اليوم الاثنين", v=mrn), "SY-mrn"),
            _strike(f"غارات روسية على سوق شعبية في {mrn} اليوم الاثنين\nقتل مدنيون وأصيب آخرون في قصف "
                    f"جوي روسي استهدف سوقا شعبية في مدينة {mrn}، بحسب الدفاع المدني والناشطين.", "SY-mrn"),
            _strike(STRIKE.format(when="صباح الاثنين", v=mrn), "SY-mrn", "2019-07-22"),
            _strike(STRIKE.format(when="صباح اليوم الأحد", v="كفر روما"), "SY-kfrrouma"),
            _strike(f"غارات روسية على سوق في {mrn} اليوم الأحد\nقتل مدنيون وأصيب آخرون في قصف جوي "
                    f"روسي استهدف سوقا شعبية في مدينة {mrn}، بحسب الدفاع المدني.", "SY-mrn")]
    docs = {i: d for i, d in enumerate(docs)}
    given = StoryBuilder(embedder="hashing")
    for d in docs.values():
        given.add(d)
    order = list(docs.values())
    random.Random(seed).shuffle(order)
    shuffled = StoryBuilder(embedder="hashing")
    for d in order:
        shuffled.add(d)
    assert _partition(given, docs) == _partition(shuffled, docs)
