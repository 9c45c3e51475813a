"""Hand-built Documents for tests and benchmarks: fill the layers the stories builder reads (published date,
entities, places, events, figures) without running the pipeline."""

from __future__ import annotations

import hashlib
import random
from typing import Optional

from ..model import Article, DateRef, Document, Entity, Event, Figure, Place


def make_doc(text: str, *, aid: Optional[str] = None, title: Optional[str] = None, outlet: Optional[str] = None,
             published: Optional[str] = None, events: Optional[list] = None, entities: Optional[list] = None,
             places: Optional[list] = None, figures: Optional[list] = None) -> Document:
    """A processed Document. ``events``: dicts with type, actor, recipient, places, date (ISO or (ISO,
    precision)), mode, modality, negated, sentence (a substring of ``text`` used as evidence), trigger (a word
    of that sentence).
    ``places``: (id, admin2, admin1) tuples. ``figures``: dicts of Figure fields plus optional
    ``event`` (index into ``events``) linking the figure to that event."""
    aid = aid or hashlib.sha1(((outlet or "") + text).encode()).hexdigest()[:16]
    art = Article(id=aid, raw_text=text, clean_text=text, outlet=outlet, title=title,
                  published=DateRef(published, "day", source="metadata") if published else None)
    doc = Document(article=art)
    doc.entities = [Entity(id=e, name=e.rsplit(".", 1)[-1], label="PER") for e in (entities or [])]
    doc.places = [Place(id=p[0], name=p[0], admin2=p[1] if len(p) > 1 else None,
                        admin1=p[2] if len(p) > 2 else None) for p in (places or [])]
    for i, e in enumerate(events or []):
        date = e.get("date")
        if isinstance(date, (tuple, list)):
            dref = DateRef(date[0], date[1])
        else:
            dref = DateRef(date, "day") if date else None
        ev_span = None
        if e.get("sentence") and e["sentence"] in text:
            start = text.index(e["sentence"])
            ev_span = doc.span(start, start + len(e["sentence"]))
        doc.events.append(Event(id=f"{aid}:ev{i}", type=e["type"], mode=e.get("mode"), actor=e.get("actor"),
                                recipient=e.get("recipient"), places=list(e.get("places", [])), date=dref,
                                negated=e.get("negated", False), modality=e.get("modality", "asserted"),
                                evidence=ev_span, article_id=aid, actor_text=e.get("actor_text"),
                                recipient_text=e.get("recipient_text")))
        if ev_span is not None and e.get("trigger") and e["trigger"] in e["sentence"]:
            t0 = ev_span.start + e["sentence"].index(e["trigger"])
            doc.events[-1].spans["trigger"] = doc.span(t0, t0 + len(e["trigger"]))
    for f in figures or []:
        f = dict(f)
        link = f.pop("event", None)
        fig = Figure(**{k: v for k, v in f.items() if k in Figure.__dataclass_fields__}, article_id=aid)
        if link is not None:
            fig.attrs["event_id"] = doc.events[link].id
        doc.figures.append(fig)
    return doc


# ------------------------------------------------------------------------------------ synthetic corpus
# Templates written for the benchmark: a "happening" (event type, two actors, a village, a day) is reported
# by several outlets with varied wording; some reports are verbatim or lightly edited copies.

_ACTORS = [("SYR.GOV.assad", "النظام السوري"), ("RUS.MIL", "الطيران الروسي"), ("TUR.MIL", "الجيش التركي"),
           ("TUR.GOV.erdogan", "الرئيس التركي"), ("RUS.GOV.putin", "الرئيس الروسي"), ("SYR.REB.nlf", "الجبهة الوطنية"),
           ("SYR.REB.hts", "هيئة تحرير الشام"), ("IRN.MIL", "الميليشيات الإيرانية"), ("USA.GOV", "الإدارة الأمريكية"),
           ("UN.IGO", "الأمم المتحدة"), ("SYR.SDF", "قوات سوريا الديمقراطية"), ("ISIS", "تنظيم الدولة")]
_VILLAGES = ["كفرنبل", "سراقب", "أريحا", "معرة النعمان", "خان شيخون", "كفرنبودة", "جسر الشغور", "الأتارب",
             "دارة عزة", "سرمدا", "بنش", "تفتناز", "حزانو", "كنصفرة", "البارة", "إحسم", "كفرومة", "حيش",
             "التمانعة", "الهبيط", "قلعة المضيق", "اللطامنة", "مورك", "كرناز", "الميادين", "البوكمال", "هجين",
             "الشحيل", "منبج", "الباب", "عفرين", "تل رفعت", "مارع", "اعزاز", "جرابلس", "رأس العين", "تل أبيض",
             "عين عيسى", "الرقة", "الطبقة"]
_TYPES = [("ASSAULT", "aerial", "شن {a} غارات جوية على بلدة {p} ما أدى إلى سقوط ضحايا بين المدنيين"),
          ("ASSAULT", "artillery", "قصف {a} بالمدفعية الثقيلة أحياء {p} السكنية منذ ساعات الصباح"),
          ("FIGHT", None, "اندلعت اشتباكات عنيفة بين {a} و{r} على أطراف {p}"),
          ("CONSULT", "phone", "بحث {a} مع {r} في اتصال هاتفي الأوضاع في محيط {p}"),
          ("ACCUSE", None, "اتهم {a} {r} بخرق اتفاق وقف إطلاق النار في {p}"),
          ("AID", None, "أدخل {a} قافلة مساعدات إنسانية إلى {p} لإغاثة النازحين"),
          ("PROTEST", None, "خرج المئات في مظاهرة في {p} احتجاجا على ممارسات {a}"),
          ("COERCE", None, "اعتقل {a} عددا من الشبان في حملة مداهمات في {p}")]
_FILLER = ["وأفادت مصادر محلية بأن الوضع الإنساني يزداد سوءا", "وقال ناشطون إن حركة نزوح واسعة شهدتها المنطقة",
           "وأكد مراسلون أن فرق الدفاع المدني عملت على انتشال العالقين", "ويأتي ذلك وسط تحذيرات أممية من كارثة",
           "وأشار المصدر إلى أن المنطقة تشهد توترا متصاعدا منذ أسابيع", "ولم يصدر أي تعليق رسمي حتى الآن",
           "وتحدثت تقارير عن تعزيزات عسكرية وصلت إلى خطوط التماس", "وطالبت منظمات حقوقية بفتح تحقيق مستقل",
           "وتواصل الطائرات التحليق في أجواء المنطقة", "في حين أغلقت المدارس أبوابها خوفا من القصف"]
_OUTLETS = ["عنب بلدي", "الجزيرة", "جسر", "الوسيلة", "نداء سوريا", "زمان الوصل", "أورينت", "السورية نت"]


def synthetic_corpus(n: int, seed: int = 7, per_day: float = 40.0, start: str = "2016-01-01"):
    """``n`` synthetic Documents over ``n / per_day`` days, in publication order, with their true happening
    id in ``article.meta['truth']`` (for the bench's quality check). About 10% are copies or light rewrites."""
    import datetime as dt

    rng = random.Random(seed)
    day0 = dt.date.fromisoformat(start).toordinal()
    span = max(1, int(n / per_day))
    docs: list[Document] = []
    hid = 0
    while len(docs) < n:
        hid += 1
        day = day0 + rng.randrange(span)
        etype, mode, tmpl = rng.choice(_TYPES)
        (a_id, a_txt), (r_id, r_txt) = rng.sample(_ACTORS, 2)
        village = rng.choice(_VILLAGES)
        vi = _VILLAGES.index(village)
        vid, district, governorate = f"SY{vi:04d}", f"SYD{vi // 4:02d}", f"SYG{vi // 8}"  # 10 districts, 5 gov.
        killed = rng.randrange(2, 60)
        core = tmpl.format(a=a_txt, r=r_txt, p=village)
        for k in range(rng.randint(1, 6)):
            if len(docs) >= n:
                break
            outlet = rng.choice(_OUTLETS)
            fill = rng.sample(_FILLER, 4)
            title = core.split(" ما ")[0][:60]
            reported = killed + rng.choice([0, 0, 0, 2, -1])
            text = (f"{title}\n\n{core}، وذلك بحسب ما أفاد به مراسل {outlet}. {fill[0]}. وقتل {reported} مدنيا. "
                    f"{fill[1]}. {fill[2]}. {fill[3]}.")
            pub = day + rng.choice([0, 0, 1, 1, 2])
            events = [{"type": etype, "mode": mode, "actor": a_id, "recipient": r_id, "places": [vid],
                       "date": dt.date.fromordinal(day).isoformat(), "sentence": core}]
            figures = [{"kind": "killed", "group": "civilians", "value": float(reported), "event": 0}] \
                if etype == "ASSAULT" else []
            doc = make_doc(text, aid=f"syn{len(docs):07d}", title=title, outlet=outlet,
                           published=dt.date.fromordinal(pub).isoformat(), events=events,
                           entities=[a_id, r_id], places=[(vid, district, governorate)], figures=figures)
            doc.article.meta["truth"] = hid
            docs.append(doc)
            r = rng.random()
            if r < 0.1 and len(docs) < n:  # a copy (verbatim or with an edited first line)
                copy_text = text if r < 0.05 else "نقلا عن وكالات: " + text.replace("مدنيا", "شخصا مدنيا")
                cdoc = make_doc(copy_text, aid=f"syn{len(docs):07d}", title=title, outlet=rng.choice(_OUTLETS),
                                published=dt.date.fromordinal(pub).isoformat(), events=events,
                                entities=[a_id, r_id], places=[(vid, district, governorate)], figures=figures)
                cdoc.article.meta["truth"] = hid
                docs.append(cdoc)
    docs.sort(key=lambda d: (d.article.published.value, d.article.id))
    return docs
