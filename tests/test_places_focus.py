"""An event whose clause names only an area is placed at the article's locality inside it (sentences written for
the tests)."""

from marsad.model import Article, Document
from marsad.pipeline import Pipeline
from marsad.places.focus import focus_place, inside
from marsad.places.stages import find_places


def run(text):
    return Pipeline.default()(Document(article=Article(id="t", raw_text=text)))


def test_area_only_event_takes_the_articles_village():
    doc = run("قصفت الطائرات الحربية بلدة كفرنبل صباح اليوم. وتتعرض كفرنبل لقصف يومي منذ أسابيع. "
              "وشنت الطائرات الروسية غارات على ريف إدلب الجنوبي أمس.")
    by_id = {p.id: p for p in doc.places}
    focus = focus_place(doc)
    assert focus is not None and focus.name.replace(" ", "") == "كفرنبل"
    area_events = [e for e in doc.events if e.places and any(by_id[i].kind == "region" for i in e.places)]
    assert area_events, [(e.type, e.places) for e in doc.events]
    assert all(e.places[0] == focus.id for e in area_events)


def test_area_elsewhere_keeps_its_own_place():
    doc = run("قصفت الطائرات الحربية بلدة كفرنبل صباح اليوم. وتتعرض كفرنبل لقصف يومي منذ أسابيع. "
              "وشنت الطائرات غارات على ريف حلب الغربي أمس.")
    by_id = {p.id: p for p in doc.places}
    aleppo = [e for e in doc.events if any(by_id[i].kind == "region" and by_id[i].admin1 == "Aleppo" for i in e.places)]
    assert aleppo, [(e.type, e.places) for e in doc.events]
    assert all(by_id[e.places[0]].kind == "region" for e in aleppo)


def test_inside():
    ps = {p.name: p for p in find_places("قرية حاس في محافظة إدلب وريف حلب")}
    has = next(p for p in ps.values() if p.kind == "village")
    idlib = next(p for p in ps.values() if p.kind == "governorate")
    aleppo = next(p for p in ps.values() if p.kind == "region")
    assert inside(has, idlib) and not inside(has, aleppo)
