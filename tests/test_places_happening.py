"""Where an event happened among the places named around it (places/happening.py, focus.inherit), on sentences
written for these tests, through the whole pipeline."""

import pytest

from marsad.model import Article, Document, Event, Mention, Place, Span
from marsad.pipeline import Pipeline
from marsad.places.focus import inherit
from marsad.places.stages import find_places


@pytest.fixture(scope="module")
def pipe():
    return Pipeline.default()


def places_of(pipe, text, etype):
    d = pipe(Document(article=Article(id="t", raw_text=text)))
    names = {p.id: p.name for p in d.places}
    evs = [e for e in d.events if e.type == etype]
    assert len(evs) == 1, [(e.type, e.places) for e in d.events]
    return [names[i] for i in evs[0].places]


def test_the_origin_of_a_strike_is_not_where_it_struck(pipe):
    assert places_of(pipe, "وقصفت قوات النظام من مواقعها في محيط مدينة حلب بلدة النيرب بالصواريخ.", "ASSAULT") == ["النيرب"]
    assert places_of(pipe, "قصف صاروخي من منطقة جبل عران بريف حلب على مخيمات المدنيين في بلدة قاح.", "ASSAULT") == ["قاح"]


def test_an_origin_alone_is_kept(pipe):
    assert places_of(pipe, "قصفت قوات النظام من مواقعها في محيط مدينة حلب.", "ASSAULT") == ["حلب"]


@pytest.mark.parametrize("text,expected", [
    ("وقع قصف مدفعي عنيف بالقرب من مدينة سراقب.", ["سراقب"]),  # near X
    ("قصفت الطائرات الروسية كلا من أريحا وكفرنبل.", ["أريحا", "كفر نبل"]),  # both X and Y
])
def test_min_that_is_not_an_origin(pipe, text, expected):
    assert places_of(pipe, text, "ASSAULT") == expected


def test_where_a_withdrawal_went_is_not_where_it_happened(pipe):
    assert places_of(pipe, "انسحبت الفصائل من بلدة كفرنبودة إلى بلدة الهبيط.", "RETREAT") == ["كفر نبودة"]


def test_the_place_the_trigger_puts_the_event_in_comes_first(pipe):
    assert places_of(pipe, "قتل مدنيون من أهالي سراقب في قصف على بلدة النيرب.", "ASSAULT")[0] == "النيرب"


def test_a_name_inside_an_outlets_name_is_no_place():
    assert [p.name for p in find_places("نشر مركز إدلب الإعلامي صورا للقصف على سراقب")] == ["سراقب"]


def _doc_with(text, places, events):
    doc = Document(article=Article(id="t", raw_text=text))
    doc.places = places
    doc.events = events
    return doc


def _place(pid, name, text, kind="village"):
    p = Place(id=pid, name=name, kind=kind, precision=1, country="SYR")
    k = 0
    while (k := text.find(name, k)) >= 0:
        p.mentions.append(Mention(span=Span(k, k + len(name), name), label="LOC", source="gazetteer", entity_id=pid))
        k += len(name)
    return p


def _event(eid, text, sentence, places=()):
    s = text.index(sentence)
    return Event(id=eid, type="ASSAULT", places=list(places), evidence=Span(s, s + len(sentence), sentence))


def test_an_event_naming_no_place_is_where_the_paragraph_tells_of():
    text = "قصفت الطائرات بلدة كفرنبل. وأدى القصف إلى دمار كبير.\nوفي حلب قتل مدني. وتواصل القصف."
    knb, alp = _place("knb", "كفرنبل", text), _place("alp", "حلب", text, "city")
    first = _event("a", text, "قصفت الطائرات بلدة كفرنبل.", ["knb"])
    again = _event("b", text, "وأدى القصف إلى دمار كبير.")
    other = _event("c", text, "وفي حلب قتل مدني.", ["alp"])
    later = _event("d", text, "وتواصل القصف.")
    doc = _doc_with(text, [knb, alp], [first, again, other, later])
    inherit(doc, [again, later])
    assert again.places == ["knb"] and again.attrs["place_from"] == {"event": "a"}
    assert later.places == ["alp"]  # the last event told in its own paragraph


def test_no_place_is_inherited_that_the_sentence_itself_names():
    # the events stage judged كفرنبل not where this event happened (an agreement named after it, say)
    text = "قصفت الطائرات بلدة كفرنبل. وقيل إن القصف يقوض تفاهم كفرنبل."
    knb = _place("knb", "كفرنبل", text)
    first = _event("a", text, "قصفت الطائرات بلدة كفرنبل.", ["knb"])
    again = _event("b", text, "وقيل إن القصف يقوض تفاهم كفرنبل.")
    doc = _doc_with(text, [knb], [first, again])
    inherit(doc, [again])
    assert again.places == []
