"""The context_actors stage: the actor a report implies for an event its sentence names no actor for, kept as
an inference with its evidence (the event's own actor is never changed), and how the ACLED view shows it.
Sentences written for these tests."""

import pytest

from marsad.events.acled import acled_rows, armed_side
from marsad.events.context import ContextActors, event_family
from marsad.model import Article, Document, Event
from marsad.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline.default()


def _doc(pipeline, text):
    return pipeline(Document(article=Article(id="ctx", raw_text=text)))


def _airstrikes(doc):
    return [e for e in doc.events if e.type == "ASSAULT" and e.mode == "aerial" and e.actor is None]


def test_the_stage_runs_after_the_events_stage_in_the_default_pipeline(pipeline):
    names = pipeline.names
    assert names.index("context_actors") == names.index("events") + 1


def test_an_air_strike_takes_the_aircraft_named_earlier_in_the_article(pipeline):
    doc = _doc(pipeline, "كثف الطيران الروسي هجماته على ريف إدلب الجنوبي منذ أسبوع.\n"
                         "وقتل ثلاثة مدنيين اليوم في غارات جوية استهدفت بلدة كفرنبل.")
    strike = _airstrikes(doc)
    assert len(strike) == 1 and strike[0].actor is None  # the event keeps what its sentence says
    how = strike[0].attrs["actor_inferred"]
    assert how["id"] == "RUS.MIL" and how["basis"] == "article" and how["text"] == "الطيران الروسي"
    assert doc.text[how["start"]:how["end"]] == "الطيران الروسي"  # the evidence points at the mention
    rows = [r for r in acled_rows([doc]) if r["marsad_event_id"] == strike[0].id]
    assert rows and all(r["actor1"] == "Military Forces of Russia (2000-)" for r in rows)
    assert all(r["marsad_actor1_inferred"] == "article: الطيران الروسي" and "actor inferred" in r["tags"]
               and r["marsad_actor1_kind"] == "named" and r["inter1"] == 8 for r in rows)


def test_shelling_after_regime_forces_in_the_same_paragraph_is_coded_to_them(pipeline):
    doc = _doc(pipeline, "تقدمت قوات النظام على محور كفرنبودة في ريف حماة الشمالي. "
                         "وتعرضت بلدة الهبيط لقصف مدفعي عنيف صباح اليوم.")
    shelling = [e for e in doc.events if e.mode == "heavy-weapons"]
    assert len(shelling) == 1 and shelling[0].actor is None
    how = shelling[0].attrs["actor_inferred"]
    assert how["basis"] == "paragraph" and how["text"] == "قوات النظام" and how["via"] == "mention"
    row = next(r for r in acled_rows([doc]) if r["marsad_event_id"] == shelling[0].id)
    assert row["actor1"] == "Military Forces of Syria (2000-)" and row["inter1"] == 1


def test_an_actor_named_in_the_sentence_but_missed_by_the_roles_is_taken(pipeline):
    doc = _doc(pipeline, "وقتل مدنيان في غارات جوية على مدينة الأتارب، وقالت مراصد إن القصف نفذته طائرات حربية روسية.")
    strikes = [e for e in doc.events if e.type == "ASSAULT" and e.mode == "aerial"]
    assert strikes
    for e in strikes:
        how = e.attrs.get("actor_inferred")
        assert e.actor == "RUS.MIL" or (how and how["id"] == "RUS.MIL" and how["basis"] == "sentence")


def test_unknown_gunmen_stay_an_unidentified_armed_group(pipeline):
    doc = _doc(pipeline, "كثفت قوات النظام قصفها على ريف إدلب. واغتال مسلحون مجهولون قياديا في مدينة إدلب مساء أمس.")
    killing = [e for e in doc.events if e.actor == "UAG"]
    assert killing and "actor_inferred" not in killing[0].attrs
    row = next(r for r in acled_rows([doc]) if r["marsad_event_id"] == killing[0].id)
    assert row["actor1"] == "Unidentified Armed Group (Syria)" and row["marsad_actor1_kind"] == "unnamed"
    assert row["marsad_actor1_named"] is False and row["marsad_actor1_inferred"] == ""


def test_an_air_strike_is_never_given_to_a_group_that_has_no_aircraft(pipeline):
    doc = _doc(pipeline, "سيطرت هيئة تحرير الشام على قرية في ريف حلب الغربي بعد معارك.\n"
                         "وقتل مدنيان في غارات جوية على مدينة الأتارب.")
    strike = _airstrikes(doc)
    assert strike and "actor_inferred" not in strike[0].attrs
    row = next(r for r in acled_rows([doc]) if r["marsad_event_id"] == strike[0].id)
    assert row["actor1"] == "Unidentified Armed Group (Syria)" and row["marsad_actor1_kind"] == "unknown"


def test_a_minister_or_an_office_is_not_an_attacker(pipeline):
    doc = _doc(pipeline, "قالت وزارة الخارجية التركية إن الوضع خطير.\nوقتل مدنيان في غارات جوية على مدينة الأتارب.")
    assert all("actor_inferred" not in e.attrs for e in doc.events)
    assert armed_side("TUR.GOV.mfa") is None and armed_side("TUR.MIL") == "state"
    assert armed_side("SYR.REB.hts") == "nonstate" and armed_side("SYR.CIV") is None and armed_side("IGO.UN") is None


def test_an_unclaimed_bomb_keeps_no_actor(pipeline):
    doc = _doc(pipeline, "كثفت قوات النظام قصفها على ريف إدلب. وانفجرت عبوة ناسفة في سوق مدينة الباب وقتل أربعة مدنيين.")
    bomb = [e for e in doc.events if e.mode == "explosives"]
    assert bomb and event_family(bomb[0]) is None and "actor_inferred" not in bomb[0].attrs


def test_the_targets_own_side_is_not_its_attacker(pipeline):
    doc = _doc(pipeline, "تقدمت قوات النظام على محور كفرنبودة في ريف حماة الشمالي. "
                         "وتعرضت بلدة الهبيط لقصف مدفعي عنيف صباح اليوم.")
    shelling = next(e for e in doc.events if e.mode == "heavy-weapons")
    shelling.attrs.pop("actor_inferred")
    shelling.recipient, shelling.recipient_text = "SYR.MIL", "قوات النظام"  # as if the town's defenders were hit
    ContextActors()(doc)
    assert "actor_inferred" not in shelling.attrs


def test_the_stage_reads_documents_back_from_the_store(pipeline):
    doc = _doc(pipeline, "تقدمت قوات النظام على محور كفرنبودة في ريف حماة الشمالي. "
                         "وتعرضت بلدة الهبيط لقصف مدفعي عنيف صباح اليوم.")
    back = Document.from_dict(doc.to_dict())
    for e in back.events:
        e.attrs.pop("actor_inferred", None)
    ContextActors()(back)
    assert [e.attrs.get("actor_inferred") for e in back.events] == [e.attrs.get("actor_inferred") for e in doc.events]


def test_a_bare_event_without_context_is_left_alone():
    doc = Document(article=Article(id="x", raw_text=""))
    doc.events.append(Event(id="e", type="ASSAULT", mode="aerial"))
    assert ContextActors()(doc).events[0].attrs == {}


def test_barrel_bombs_in_syria_are_the_governments_whatever_aircraft_the_article_names(pipeline):
    doc = _doc(pipeline, "كثف الطيران الروسي غاراته على ريف إدلب.\n"
                         "وأصيب ثلاثة مدنيين في قصف بالبراميل المتفجرة على بلدة كفرنبل.")
    barrels = [e for e in doc.events if e.mode == "aerial" and e.actor is None]
    assert barrels
    how = barrels[0].attrs["actor_inferred"]
    assert how["id"] == "SYR.MIL" and how["via"] == "weapon" and doc.text[how["start"]:how["end"]] == "بالبراميل"


def test_a_backer_is_not_the_attacker(pipeline):
    doc = _doc(pipeline, "تقدمت فصائل المعارضة في ريف حلب الجنوبي. وقتل جنديان في قصف مدفعي على بلدة الحاضر التي "
                         "تنتشر فيها ميليشيات مدعومة من القوات الروسية.")
    shelling = next(e for e in doc.events if e.mode == "heavy-weapons")
    assert shelling.actor is None and shelling.attrs["actor_inferred"]["id"] == "SYR.REB"


def test_a_conjunct_shares_the_role_of_the_first_member(pipeline):
    # «ضد هيئة تحرير الشام والفصائل»: the factions are fought against, as HTS is; nobody else is named
    doc = _doc(pipeline, "دارت معارك عنيفة في ريف إدلب الجنوبي ضد هيئة تحرير الشام والفصائل المسلحة.")
    clash = next(e for e in doc.events if e.type == "ASSAULT")
    assert clash.actor is None and "actor_inferred" not in clash.attrs
