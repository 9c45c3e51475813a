"""Figures on hand-written sentences: kinds, groups, breakdowns, qualifiers, reporters, periods, typos."""

import pytest

from marsad.model import Article, DateRef, Document, Entity, Mention, content_id
from marsad.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipe():
    return Pipeline.default(["clean", "language", "events", "figures"])


def run(pipe, text, pub=DateRef("2019-05-30", "day", source="metadata"), ents=()):
    a = Article(id=content_id(text), raw_text=text, published=pub)
    d = Document(a)
    for stage in pipe.stages[:2]:
        d = stage(d)
    for eid, label, phrases in ents:
        e = Entity(id=eid, name=phrases[0], label=label)
        for ph in phrases:
            k = d.text.find(ph)
            if k >= 0:
                e.mentions.append(Mention(span=d.span(k, k + len(ph)), label="ORG", source="kb", entity_id=eid))
        d.entities.append(e)
    for stage in pipe.stages[2:]:
        d = stage(d)
    return d


def test_killed_and_injured_in_one_sentence(pipe):
    d = run(pipe, "وأسفر القصف عن مقتل 12 مدنيًا و30 مصابًا في البلدة.")
    got = [(f.kind, f.group, f.value) for f in d.figures]
    assert got == [("killed", "civilians", 12), ("injured", "persons", 30)]


def test_breakdown_children_point_to_parent(pipe):
    d = run(pipe, "وقتل 20 مدنيًا بينهم 8 أطفال في الغارة.")
    assert [(f.kind, f.group, f.value, f.parent) for f in d.figures] == [
        ("killed", "civilians", 20, None), ("killed", "children", 8, 0)]


def test_breakdown_in_continuing_sentence(pipe):
    d = run(pipe, "ووثق الفريق مقتل 10 مدنيين وإصابة 6 منذ 3 من الشهر الحالي. "
                  "وأكدت الإحصائية أن الضحايا توزعوا بين 4 رجال و6 أطفال، مقابل الجرحى الموزعين على 2 رجلين و4 سيدات.")
    figs = d.figures
    top = [f for f in figs if f.parent is None]
    assert [(f.kind, f.value) for f in top] == [("killed", 10), ("injured", 6)]
    kids = [(f.kind, f.group, f.value, figs[f.parent].kind) for f in figs if f.parent is not None]
    assert ("killed", "men", 4, "killed") in kids and ("killed", "children", 6, "killed") in kids
    assert ("injured", "women", 4, "injured") in kids


@pytest.mark.parametrize("phrase,qual", [("أكثر من", "more_than"), ("نحو", "about"), ("حوالي", "about"),
                                         ("ما لا يقل عن", "at_least")])
def test_qualifiers(pipe, phrase, qual):
    d = run(pipe, f"وقالت المنظمة إن {phrase} 500 شخص نزحوا من القرى.")
    [f] = d.figures
    assert (f.kind, f.group, f.value, f.qualifier) == ("displaced", "persons", 500, qual)


def test_vague_count_stays_a_range(pipe):
    d = run(pipe, "وأدى القصف إلى سقوط عشرات الضحايا في المدينة.")
    [f] = d.figures
    assert f.value is None and (f.low, f.high) == (10, 99) and f.attrs["acled_value"] == 10


def test_reporter_text_and_entity(pipe):
    d = run(pipe, "ونزحت 300 عائلة من المنطقة، بحسب فريق الرصد المحلي.")
    [f] = d.figures
    assert f.kind == "displaced" and f.group == "families" and f.reporter_text == "فريق الرصد المحلي"
    d = run(pipe, "وقتل 7 مدنيين وفق إحصائية الدفاع المدني.", ents=[("SYR.NGO.cd", "NGO", ["الدفاع المدني"])])
    assert d.figures[0].reporter == "SYR.NGO.cd"


def test_reporter_does_not_leak_to_unrelated_sentence(pipe):
    d = run(pipe, "وقتل 7 مدنيين بحسب المرصد المحلي. وفي سياق آخر أصيب 3 أطفال بانفجار لغم.")
    assert d.figures[0].reporter_text == "المرصد المحلي"
    assert d.figures[1].reporter is None and d.figures[1].kind == "injured"


def test_period_since_date(pipe):
    d = run(pipe, "وقتل 40 مدنيًا منذ 19 من الشهر الحالي بحسب المرصد المحلي.")
    [f] = d.figures
    assert f.period is not None and f.period.value.startswith("2019-05-19")


def test_typo_in_kind_word(pipe):
    d = run(pipe, "فيما استشد 4 مدنيين في قصف على القرية.")
    [f] = d.figures
    assert (f.kind, f.group, f.value) == ("killed", "civilians", 4)


def test_soldiers_side_and_others(pipe):
    d = run(pipe, "وقتل 5 عناصر من قوات النظام وثلاثة آخرون في الهجوم.")
    assert d.figures[0].group == "soldiers" and d.figures[0].side == "SYR.MIL"
    assert d.figures[1].value == 3 and d.figures[1].kind == "killed"


def test_numbers_that_are_not_figures(pipe):
    d = run(pipe, "وتمتد المنطقة بعمق 15 كيلومترا في الجولة الـ 12 من المحادثات.")
    assert d.figures == []


def test_figure_linked_to_event_of_sentence(pipe):
    d = run(pipe, "وقتل 4 مدنيين في قصف مدفعي استهدف القرية.")
    assert d.events and d.figures[0].attrs.get("event_id") == d.events[0].id


def test_others_take_the_group_but_their_own_kind_and_a_breakdown_ends_with_its_clause(pipe):
    d = run(pipe, "قتل أربعة مدنيين بينهم طفلان، وأصيب تسعة آخرون بجروح، جراء غارات على البلدة.")
    assert [(f.kind, f.group, f.value, f.parent) for f in d.figures] == [
        ("killed", "civilians", 4, None), ("killed", "children", 2, 0), ("injured", "civilians", 9, None)]


def test_a_singular_noun_after_a_kind_word_counts_one(pipe):
    d = run(pipe, "ما أدى إلى مقتل مدني وإصابة اثنين آخرين.")
    assert [(f.kind, f.group, f.value) for f in d.figures] == [("killed", "civilians", 1), ("injured", "civilians", 2)]
    d = run(pipe, "وأكد الأهالي أن المدني عاد إلى منزله.")  # a singular noun with no kind word before it
    assert d.figures == []


def test_the_team_named_again_is_the_reporter_named_before(pipe):
    text = ("أعلن فريق منسقو استجابة سوريا أن أكثر من 40 ألف شخص نزحوا من القرى. "
            "وقالت الوزارة إن قواتها ردت على القصف. "
            "وأوضح الفريق في بيان أن قرابة 1200 عائلة نزحت إلى المخيمات.")
    d = run(pipe, text)
    assert [f.reporter_text for f in d.figures] == ["فريق منسقو استجابة سوريا"] * 2


def test_young_men_detained(pipe):
    d = run(pipe, "واعتقلت القوات عشرة شبان من القرية.")
    assert [(f.kind, f.group, f.value) for f in d.figures] == [("detained", "men", 10)]
