"""A small hand-made store for the API and dashboard tests (and for trying the dashboard without ingesting).

Five short articles written for this project, with every layer filled by hand: entities, places with
coordinates and governorates, PLOVER events with evidence spans, sourced figures, and one story that fuses two
reports of the same air strike. One article carries HTML/script markup in its title and text, to check the
dashboard shows it as text and never runs it.

    python -m marsad.api.fixtures /tmp/demo.duckdb      # then: marsad serve --store /tmp/demo.duckdb
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..model import (Article, DateRef, Document, Entity, Event, Figure, Mention, OffsetMap, Place, Span, Story,
                     content_id)

XSS_MARKUP = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'

# (key, outlet, date, title, sentences)
_ARTICLES = [
    ("strike_a", "عنب بلدي", "2019-05-29", "غارات جوية على كفرنبل",
     ["قصفت طائرات حربية قرية كفرنبل في ريف إدلب الجنوبي صباح الأربعاء.",
      "وقال الدفاع المدني إن خمسة مدنيين قتلوا وأصيب عشرة آخرون.",
      "ونزحت عشرات العائلات نحو الحدود التركية."]),
    ("strike_b", "الجزيرة", "2019-05-29", "مقتل مدنيين بقصف على ريف إدلب",
     ["أفاد المرصد السوري لحقوق الإنسان بمقتل سبعة مدنيين في غارات على بلدة كفرنبل بريف إدلب.",
      "واستهدفت الغارات سوقا شعبيا وسط البلدة."]),
    ("protest", "سانا", "2019-06-02", "احتجاج على انقطاع الكهرباء في الرقة",
     ["تظاهر مئات من أهالي مدينة الرقة احتجاجا على انقطاع الكهرباء.",
      "وطالب المتظاهرون بإعادة الخدمات إلى الأحياء الشرقية."]),
    ("aid", "عنب بلدي", "2019-06-10", "قافلة مساعدات تصل إلى تل رفعت",
     ["وصلت قافلة مساعدات إنسانية إلى بلدة تل رفعت في ريف حلب الشمالي.",
      "وتضم القافلة مواد غذائية وطبية لنحو ألفي عائلة.",
      "وتحدث الأهالي عن حرقة في القلوب بعد سنوات الحصار."]),
    ("xss", "<b>مدونة</b>", "2019-06-15", '<img src=x onerror="window.__xss = 3">خبر عن درعا',
     ["نشر موقع مجهول خبرا عن اشتباكات في مدينة درعا " + XSS_MARKUP + " صباح السبت.",
      "وذكر الموقع أن الاشتباكات استمرت ساعتين."]),
]

PLACES = {
    "kafranbel": dict(id="test:kafranbel", name="كفرنبل", name_en="Kafr Nabl", lat=35.6133, lon=36.5617,
                      kind="town", precision=1, precision_level="village", admin1="Idleb", admin2="معرة النعمان"),
    "raqqa": dict(id="test:raqqa", name="الرقة", name_en="Ar-Raqqa", lat=35.9528, lon=39.0079, kind="city",
                  precision=1, precision_level="village", admin1="الرقة", admin2="الرقة"),
    "tell_rifaat": dict(id="test:tell_rifaat", name="تل رفعت", name_en="Tell Rifaat", lat=36.4733, lon=37.0972,
                        kind="town", precision=1, precision_level="village", admin1="Aleppo", admin2="أعزاز"),
    "daraa": dict(id="test:daraa", name="درعا", name_en="Daraa", lat=32.6189, lon=36.1021, kind="city",
                  precision=1, precision_level="village", admin1="درعا", admin2="درعا"),
    # coarse places, used by precision_documents()
    "idlib_gov": dict(id="test:idlib_gov", name="إدلب", name_en="Idleb", lat=35.93, lon=36.63, kind="governorate",
                      precision=3, precision_level="governorate", admin1="Idleb"),
    "syria": dict(id="test:syria", name="سوريا", name_en="Syria", lat=33.51, lon=36.28, kind="country", precision=3,
                  precision_level="country"),
}


def _doc(key, outlet, date, title, sentences) -> Document:
    text = title + "\n" + " ".join(sentences)
    art = Article(id=content_id((outlet or "") + text), raw_text=text, outlet=outlet, title=title,
                  published=DateRef(date, "day", source="metadata"), clean_text=text,
                  clean_map=OffsetMap.identity(len(text)), source_format="txt", source_path=f"fixture/{key}.txt")
    doc = Document(article=art)
    pos = len(title) + 1
    doc.sentences.append(doc.span(0, len(title)))
    for s in sentences:
        doc.sentences.append(doc.span(pos, pos + len(s)))
        pos += len(s) + 1
    return doc


def _find(doc: Document, needle: str, after: int = 0) -> Span:
    i = doc.text.index(needle, after)
    return doc.span(i, i + len(needle))


def _place(doc: Document, key: str, surface: str) -> Place:
    p = Place(**PLACES[key])
    p.mentions = [Mention(_find(doc, surface, len(doc.article.title or "")), "LOC", "gazetteer", p.id)]
    doc.places.append(p)
    doc.mentions.extend(p.mentions)
    return p


def _entity(doc: Document, eid: str, name: str, label: str, surface: str, name_en: str | None = None,
            country: str = "SYR") -> Entity:
    e = Entity(eid, name, label, country=country, name_en=name_en)
    e.mentions = [Mention(_find(doc, surface), "ORG" if label != "PER" else "PER", "kb", eid)]
    doc.entities.append(e)
    doc.mentions.extend(e.mentions)
    return e


def _event(doc: Document, eid: str, type_: str, sentence_no: int, trigger: str, places: list, mode=None,
           actor=None, actor_text=None) -> Event:
    sent = doc.sentences[sentence_no]
    ev = Event(id=eid, type=type_, mode=mode, places=[p.id for p in places], actor=actor, actor_text=actor_text,
               date=DateRef(doc.article.published.value, "day", source="publication"), evidence=sent,
               spans={"trigger": _find(doc, trigger, sent.start)}, confidence=0.8, article_id=doc.article.id)
    doc.events.append(ev)
    return ev


def _figure(doc: Document, kind: str, group: str, value: float, reporter: str, sentence_no: int) -> Figure:
    f = Figure(kind=kind, group=group, value=value, reporter=reporter, reporter_text=reporter,
               period=DateRef(doc.article.published.value, "day"), evidence=doc.sentences[sentence_no],
               article_id=doc.article.id, place=doc.places[0].id if doc.places else None)
    doc.figures.append(f)
    return f


def sample_documents() -> tuple[list[Document], list[Story], list[Event]]:
    """The hand-made documents, the story over the two strike reports, and its fused event."""
    docs = {key: _doc(key, *rest) for key, *rest in _ARTICLES}

    a = docs["strike_a"]
    ka = _place(a, "kafranbel", "كفرنبل")
    _entity(a, "actor:SYR.CIV.white_helmets", "الدفاع المدني", "NGO", "الدفاع المدني", "Civil Defence")
    _entity(a, "RUS.MIL", "القوات الروسية", "MIL", "طائرات حربية", "Russian armed forces", country="RUS")
    _event(a, "ev-strike-a", "ASSAULT", 1, "قصفت", [ka], mode="aerial", actor="RUS.MIL", actor_text="طائرات حربية")
    _figure(a, "killed", "civilians", 5, "الدفاع المدني", 2)
    _figure(a, "injured", "civilians", 10, "الدفاع المدني", 2)

    b = docs["strike_b"]
    kb = _place(b, "kafranbel", "كفرنبل")
    _entity(b, "actor:SYR.NGO.sohr", "المرصد السوري لحقوق الإنسان", "NGO", "المرصد السوري", "SOHR")
    _event(b, "ev-strike-b", "ASSAULT", 1, "غارات", [kb], mode="aerial")
    _figure(b, "killed", "civilians", 7, "المرصد السوري لحقوق الإنسان", 1)

    c = docs["protest"]
    rq = _place(c, "raqqa", "الرقة")
    _event(c, "ev-protest", "PROTEST", 1, "تظاهر", [rq], actor_text="أهالي مدينة الرقة")
    _event(c, "ev-demand", "REQUEST", 2, "وطالب", [rq], actor_text="المتظاهرون")

    d = docs["aid"]
    tr = _place(d, "tell_rifaat", "تل رفعت")
    _event(d, "ev-aid", "AID", 1, "قافلة مساعدات", [tr])
    _figure(d, "in_need", "families", 2000, "", 2)

    x = docs["xss"]
    dr = _place(x, "daraa", "درعا")
    _event(x, "ev-xss", "ASSAULT", 1, "اشتباكات", [dr], mode="firearms")

    story = Story(id="story-kafranbel", title=a.article.title or "",
                  article_ids=[a.article.id, b.article.id], outlets=[a.article.outlet, b.article.outlet],
                  start="2019-05-29", end="2019-05-29", event_ids=["fev-kafranbel"])
    fused = Event(id="fev-kafranbel", type="ASSAULT", mode="aerial", places=[ka.id],
                  date=DateRef("2019-05-29", "day", source="publication"), confidence=0.9,
                  evidence=a.events[0].evidence, sources=[a.article.id, b.article.id],
                  attrs={"story_id": story.id, "members": ["ev-strike-a", "ev-strike-b"],
                         "outlets_by_article": {a.article.id: a.article.outlet, b.article.id: b.article.outlet}})
    return list(docs.values()), [story], [fused]


def precision_documents() -> list[Document]:
    """Two reports whose places are too coarse for a point: one names only the governorate, one only the
    country; the second has no outlet (as a bare text file has none)."""
    gov = _doc("gov", "عنب بلدي", "2019-07-01", "قصف في محافظة إدلب",
               ["قصفت قوات النظام مناطق في محافظة إدلب."])
    _event(gov, "ev-gov", "ASSAULT", 1, "قصفت", [_place(gov, "idlib_gov", "إدلب")])
    country = _doc("country", None, "2019-07-02", "اشتباكات في سوريا", ["اندلعت اشتباكات في سوريا."])
    _event(country, "ev-country", "ASSAULT", 1, "اشتباكات", [_place(country, "syria", "سوريا")])
    return [gov, country]


def build_store(url: str, precision: bool = False) -> dict:
    """Fill the store at ``url`` with the sample documents and story (and, with ``precision``, the
    coarse-place documents); returns their ids by key."""
    from ..ingest import norm_text_of
    from ..store import open_store

    docs, stories, fused = sample_documents()
    if precision:
        docs = docs + precision_documents()
    store = open_store(url)
    try:
        for doc in docs:
            store.save_document(doc, norm_text_of(doc))
        store.save_stories(stories, fused)
    finally:
        store.close()
    keys = [k for k, *_ in _ARTICLES] + (["gov", "country"] if precision else [])
    return {"articles": {k: d.article.id for k, d in zip(keys, docs)},
            "events": [e.id for d in docs for e in d.events] + [e.id for e in fused],
            "stories": [s.id for s in stories]}


if __name__ == "__main__":  # pragma: no cover
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "marsad_demo.duckdb")
    print(build_store(str(out)))
