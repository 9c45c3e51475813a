"""Near-duplicate detection: verbatim copies and light rewrites are linked, not double-counted."""

import pytest

from marsad.stories import StoryBuilder
from marsad.stories.synth import make_doc

BODY = (
    "بحث الرئيس التركي رجب طيب أردوغان مع نظيره الروسي فلاديمير بوتين في اتصال هاتفي مساء أمس الاثنين "
    "التصعيد العسكري في ريف إدلب الجنوبي. وقالت الرئاسة التركية في بيان إن أردوغان حذر من أن الهجمات على "
    "المدنيين تهدد مسار الحل السياسي. وأضاف البيان أن الرئيسين اتفقا على مواصلة التنسيق بين وزارتي الدفاع "
    "في البلدين. من جهته ذكر الكرملين أن الجانبين ناقشا الوضع في منطقة خفض التصعيد وضرورة الالتزام "
    "بالتفاهمات السابقة. ويأتي الاتصال بعد أسبوعين من بدء حملة قصف مكثفة على بلدات ريفي حماة وإدلب أدت إلى "
    "نزوح آلاف العائلات نحو الحدود التركية."
)
TITLE = "أردوغان يبحث مع بوتين هاتفياً التصعيد في إدلب"
REWRITE = (
    "أجرى الرئيس التركي رجب طيب أردوغان اتصالا هاتفيا مع نظيره الروسي فلاديمير بوتين مساء الاثنين بحثا "
    "خلاله التصعيد العسكري في ريف إدلب الجنوبي. وقالت الرئاسة التركية في بيان إن أردوغان حذر من أن الهجمات "
    "على المدنيين تهدد مسار الحل السياسي. وأضاف البيان أن الرئيسين اتفقا على مواصلة التنسيق بين وزارتي "
    "الدفاع في البلدين. من جهته ذكر الكرملين أن الجانبين ناقشا الوضع في منطقة خفض التصعيد وضرورة الالتزام "
    "بالتفاهمات السابقة."
)
CALL = {"type": "CONSULT", "mode": "phone", "actor": "TUR.GOV.erdogan", "recipient": "RUS.GOV.putin",
        "date": "2019-05-13", "places": ["SY-idlib"]}
ENTS = ["TUR.GOV.erdogan", "RUS.GOV.putin"]


def original():
    return make_doc(TITLE + "\n\n" + BODY, title=TITLE, outlet="وكالة أ", published="2019-05-14",
                    events=[CALL], entities=ENTS, places=[("SY-idlib",)])


def verbatim():
    return make_doc(TITLE + "\n\n" + BODY + "\n\nالمصدر: وكالات", title=TITLE, outlet="موقع ب",
                    published="2019-05-14", events=[dict(CALL)], entities=ENTS, places=[("SY-idlib",)])


def rewrite():
    t = "اتصال بين أردوغان وبوتين حول إدلب"
    return make_doc(t + "\n\n" + REWRITE, title=t, outlet="صحيفة ج", published="2019-05-14",
                    events=[dict(CALL, date="2019-05-13")], entities=ENTS, places=[("SY-idlib",)])


@pytest.fixture(scope="module")
def builder_cls():
    return lambda: StoryBuilder(embedder="hashing")


def test_verbatim_copy_is_linked_and_events_fused(builder_cls):
    b = builder_cls()
    o, c = original(), verbatim()
    u1, u2 = b.add(o), b.add(c)
    assert u1.created and u1.copy_of is None
    assert u2.copy_of == o.article.id and u2.copy_kind == "copy" and u2.copy_similarity >= 0.8
    assert u2.story_id == u1.story_id and not u2.created
    assert c.article.meta["copy_of"] == o.article.id
    [ev] = b.fused_events()
    assert sorted(ev.sources) == sorted([o.article.id, c.article.id])
    assert ev.attrs["independent_sources"] == 1
    [st] = b.stories()
    assert st.attrs["n_articles"] == 2 and st.attrs["n_unique"] == 1
    assert st.duplicates[0][:2] == [c.article.id, o.article.id]
    assert b.duplicates() == st.duplicates


def test_light_rewrite_is_linked_and_events_fused(builder_cls):
    b = builder_cls()
    o, r = original(), rewrite()
    b.add(o)
    u = b.add(r)
    assert u.copy_of == o.article.id and u.copy_kind == "rewrite"
    [ev] = b.fused_events()
    assert len(ev.sources) == 2 and ev.attrs["independent_sources"] == 1
    assert ev.date.value == "2019-05-13"


def test_copy_of_a_copy_points_to_the_original(builder_cls):
    b = builder_cls()
    o, c, r = original(), verbatim(), rewrite()
    for d in (o, c, r):
        b.add(d)
    assert b.copy_of(c.article.id) == o.article.id
    assert b.copy_of(r.article.id) == o.article.id
    [ev] = b.fused_events()
    assert len(ev.sources) == 3 and ev.attrs["independent_sources"] == 1


def test_spelling_variants_do_not_hide_a_copy(builder_cls):
    b = builder_cls()
    o = original()
    varied = BODY.replace("إدلب", "ادلب").replace("الرئاسة", "الرئاسه").replace("أردوغان", "اردوغان")
    v = make_doc(TITLE + "\n\n" + varied, title=TITLE, outlet="موقع د", published="2019-05-14")
    b.add(o)
    assert b.add(v).copy_of == o.article.id


def test_same_template_other_day_is_not_a_rewrite(builder_cls):
    b = builder_cls()
    o = original()
    later = make_doc(TITLE + "\n\n" + REWRITE.replace("مساء الاثنين", "مساء الجمعة"), title=TITLE,
                     outlet="وكالة أ", published="2019-06-21", events=[dict(CALL, date="2019-06-21")],
                     entities=ENTS)
    b.add(o)
    u = b.add(later)
    assert u.copy_of is None
    assert len(b.fused_events()) == 2  # a later call is another event


def test_unrelated_article_is_not_a_copy(builder_cls):
    b = builder_cls()
    b.add(original())
    other = make_doc("افتتحت البلدية حديقة عامة جديدة في وسط المدينة بحضور عدد من الأهالي والمسؤولين المحليين، "
                     "وتضم الحديقة ملاعب للأطفال وممرات للمشي ومساحات خضراء واسعة.", outlet="موقع ه",
                     published="2019-05-14")
    u = b.add(other)
    assert u.copy_of is None and u.created


def test_re_adding_an_article_changes_nothing(builder_cls):
    b = builder_cls()
    o = original()
    b.add(o)
    u = b.add(o)
    assert u.reason == "already added" and len(b) == 1 and len(b.stories()) == 1
