"""Roles read from structure (events/roles.py): passives, agent phrases, relative clauses, objects and the phrases
that fill a role no entity names (own sentences, written in the forms news use; coded actors come from the test's
entities and data/events/actor_fallback.json)."""

import pytest

from marsad.model import DateRef
from marsad.events.roles import role_structure

from test_events_extract import SYR_MIL, TUR_MIL, lang, make, stage  # noqa: F401 (fixtures)

PUB = DateRef("2021-03-04", "day", source="metadata")


def assault(lang, stage, text, ents=()):
    d = stage(make(lang, text, ents, pub=PUB))
    evs = [e for e in d.events if e.type == "ASSAULT"]
    assert len(evs) == 1, [(e.type, e.actor, e.recipient) for e in d.events]
    return evs[0]


def code(x):
    return (x or "").split(".")[0]


def test_a_passive_victim_is_the_recipient_and_the_agent_of_the_relative_verb_acts(lang, stage):
    # the victims (a nisba that is also a country's name) come first; the aircraft that carried out the strike act
    ev = assault(lang, stage, "قُتل 33 جنديا تركيا في غارة شنتها طائرات النظام على مواقعهم في ريف إدلب.")
    assert code(ev.actor) == "SYR" and code(ev.recipient) == "TUR"
    assert "طائرات" in ev.spans["actor"].text


def test_a_passive_verb_with_a_count_after_it_names_the_victims_and_an_agent_phrase_the_actor(lang, stage):
    ev = assault(lang, stage, "اختطف ثلاثة مدنيين على يد مسلحين مجهولين في ريف درعا.")
    assert (ev.actor, ev.recipient) == ("UAG", "CIV")
    ev = assault(lang, stage, "وقتل قيادي في الفصائل برصاص قناص من قوات النظام.", [SYR_MIL])
    assert ev.actor == "SYR.MIL" and ev.recipient is None and ev.spans["recipient"].text == "قيادي"


def test_the_wounded_before_an_attack_carried_out_by_someone_are_its_target(lang, stage):
    ev = assault(lang, stage, "وأصيب خمسة عناصر من قوات النظام في هجوم نفذه مسلحون مجهولون على حاجز قرب المدينة.", [SYR_MIL])
    assert (ev.actor, ev.recipient) == ("UAG", "SYR.MIL")


def test_the_subject_of_an_exposure_verb_is_attacked(lang, stage):
    ev = assault(lang, stage, "وتعرضت دورية للقوات التركية لهجوم بعبوة ناسفة على طريق حلب.", [TUR_MIL])
    assert ev.actor is None and ev.recipient == "TUR.MIL"


def test_a_relative_clause_after_the_attack_noun_tells_who_carried_it_out(lang, stage):
    ev = assault(lang, stage, "وقتل مدنيان في القصف الذي نفذته طائرات روسية على بلدة كفرنبل.")
    assert ev.actor == "RUS.MIL" and ev.spans["recipient"].text == "مدنيان"


def test_svo_subject_acts_and_the_object_after_the_verb_is_hit(lang, stage):
    ev = assault(lang, stage, "مسلحون مجهولون هاجموا حاجزا لقوات النظام قرب المدينة.", [SYR_MIL])
    assert (ev.actor, ev.recipient) == ("UAG", "SYR.MIL")


def test_a_verbal_noun_with_a_lam_object_and_a_masdar_with_agent_and_object(lang, stage):
    ev = assault(lang, stage, "وجاء ذلك بعد مهاجمة مسلحين مجهولين لقوات النظام في البلدة.", [SYR_MIL])
    assert (ev.actor, ev.recipient) == ("UAG", "SYR.MIL")
    ev = assault(lang, stage, "وأدان البيان استهداف قوات النظام المدنيين في المدينة.", [SYR_MIL])
    assert (ev.actor, ev.recipient) == ("SYR.MIL", "CIV")


def test_an_unnamed_target_is_kept_as_a_phrase_without_an_entity_id(lang, stage):
    ev = assault(lang, stage, "وهاجمت قوات النظام دورية للشرطة المحلية في المدينة.", [SYR_MIL])
    assert ev.actor == "SYR.MIL" and ev.recipient is None
    assert ev.recipient_text == "دورية للشرطة المحلية" and ev.attrs.get("recipient_phrase")
    assert "recipient_source" not in ev.attrs  # the classifier's features see no named recipient


def test_the_crowd_protests(lang, stage):
    d = stage(make(lang, "وتظاهر آلاف المتظاهرين في مدينة إدلب ضد قوات النظام.", [SYR_MIL], pub=PUB))
    ev = next(e for e in d.events if e.type == "PROTEST")
    assert (ev.actor, ev.recipient) == ("PTR", "SYR.MIL")
    assert "آلاف" in ev.spans["actor"].text or ev.spans["actor"].text == "المتظاهرين"


@pytest.mark.parametrize("text,phrase", [
    ("قتل 18 شخصا في انفجار", "18 شخصا"),
    ("أصيب ثلاثة من عناصر الشرطة العراقية أمس", "ثلاثة من عناصر الشرطة العراقية"),
    ("استهدف مركزا للتدريب في المدينة", "مركزا للتدريب"),
])
def test_noun_phrases_run_over_counts_partitives_and_lam_genitives(lang, text, phrase):
    from test_events_extract import make as mk
    from marsad.view import doc_view

    d = mk(lang, text)
    view = doc_view(d)
    toks = view.toks
    rs = role_structure()
    starts = {t.text: k for k, t in enumerate(toks)}
    k = starts[phrase.split()[0]]
    nums = {n for x in d.numbers for n in range(*view.index.covering(x.span.start, x.span.end))}
    j = rs.np_at(toks, k, len(toks), lambda x: False, nums)
    assert " ".join(t.text for t in toks[k:j]) == phrase


def protest(lang, stage, text, ents=()):
    d = stage(make(lang, text, ents, pub=PUB))
    evs = [e for e in d.events if e.type == "PROTEST"]
    assert evs, [(e.type, e.actor, e.recipient) for e in d.events]
    return evs[0]


@pytest.mark.parametrize("text,target", [
    # a protest verb takes no object: what follows it is who protests; the target comes with a cue
    ("تظاهر أمس مئات من طلاب الجامعة أمام مقر الوزارة في العاصمة.", "مقر الوزارة"),
    # the protesters themselves (after نحو) are never the target; the cue after the trigger is
    ("وتظاهر في مدينة حلب نحو ألف متظاهر احتجاجا على ارتفاع الأسعار.", "ارتفاع الأسعار"),
    # a demonstrative opens the phrase the cue introduces
    ("وتظاهر آلاف الطلاب في مدينة حمص تنديدا بتلك القرارات.", "بتلك القرارات"),
    # the side the protesters threw stones at, or clashed with
    ("ورشق عشرات المحتجين عناصر الشرطة بالحجارة خلال المظاهرة.", "عناصر الشرطة"),
    ("واشتبك المتظاهرون مع الجنود عند مدخل البلدة خلال الاحتجاجات.", "الجنود"),
    # the one a demand is addressed to, anywhere in the sentence
    ("واعتصم عشرات العمال في مدينة حماة، ورفعوا لافتات تدعو الإدارة الى صرف الأجور.", "الإدارة"),
])
def test_what_a_protest_is_against(lang, stage, text, target):
    ev = protest(lang, stage, text)
    assert ev.spans["recipient"].text == target


def test_a_cue_passes_over_its_own_preposition_only(lang, stage):
    # «مضادة في الصحف»: في is no preposition of a protest cue, the newspapers are not the target
    ev = protest(lang, stage, "وشارك المئات في مظاهرة بالعاصمة، ونشرت إعلانات مضادة في الصحف.")
    assert "الصحف" not in (ev.spans.get("recipient").text if ev.spans.get("recipient") else "")


def test_the_antecedent_of_a_relative_verb_with_an_object_pronoun_was_hit(lang, stage):
    # الذين استهدفهم: the pronoun on the verb is the antecedent, so the antecedent is the target, not the actor
    ev = assault(lang, stage, "وتظهر الصور جثث المدنيين الذين استهدفتهم قوات النظام في البلدة.", [SYR_MIL])
    assert ev.actor == "SYR.MIL" and ev.spans["recipient"].text == "المدنيين"
    ev = assault(lang, stage, "وأسرت الفصائل عناصر النظام الذين هاجموا مواقعها في الريف.", [SYR_MIL])
    assert code(ev.actor) == "SYR" and ev.spans["actor"].text in ("عناصر النظام", "النظام")  # no pronoun: it acts
