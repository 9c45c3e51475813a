"""Event coding across clauses and sentences: which date, place and participants belong to which event, and which
tellings are one event (own sentences; entities and places filled in by the test helper of test_events_extract)."""

from marsad.events.acled import acled_rows, coded
from marsad.model import DateRef

from test_events_extract import ERD, PUT, SYR_MIL, TUR_MIL, checked_stage, lang, make, stage  # noqa: F401 (fixtures)

PUB = DateRef("2021-03-04", "day", source="metadata")
REB = ("SYR.REB", "REB", "SYR", ["فصائل المعارضة", "الفصائل"])
MACRON = ("FRA.GOV.macron", "PER", "FRA", ["الرئيس الفرنسي"])
MERKEL = ("DEU.GOV.merkel", "PER", "DEU", ["المستشارة الألمانية"])
TUR = ("TUR", "GPE", "TUR", ["تركيا"])


def one(d, etype):
    evs = [e for e in d.events if e.type == etype]
    assert len(evs) == 1, [(e.type, e.actor, e.recipient) for e in d.events]
    return evs[0]


# ---------------------------------------------------------------------------------------------- dates


def test_a_date_in_a_relative_clause_dates_that_clause_not_the_main_event(lang, stage):
    text = "وتحاول قوات النظام التقدم نحو البلدة، التي شهدت معارك عنيفة منذ 3 من الشهر الماضي، وقصفت قوات النظام البلدة."
    d = stage(make(lang, text, [SYR_MIL], [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    shelling = next(e for e in d.events if e.attrs.get("trigger") == "وقصفت" or "وقصفت" in e.attrs.get("triggers", []))
    assert shelling.date.value == "2021-03-04" and shelling.date.source == "publication"


def test_the_date_of_what_is_agreed_is_not_the_date_of_the_agreement(lang, stage):
    text = "وأعلنت الرئاسة أن الرئيسين أردوغان وبوتين اتفقا على عقد لقاء في 28 من حزيران القادم."
    d = stage(make(lang, text, [ERD, PUT], pub=PUB))
    agree = one(d, "AGREE")
    assert agree.date.value == "2021-03-04" and agree.date.source == "publication"


def test_an_event_dated_months_before_publication_is_background_and_not_coded(lang, stage):
    text = "وكانت القوات التركية قد قصفت مواقع لقوات النظام في بلدة النيرب في أيلول 2020."
    d = stage(make(lang, text, [TUR_MIL, SYR_MIL], [("g:n", "village", 1, ["النيرب"])], pub=PUB))
    ev = one(d, "ASSAULT")
    assert ev.modality == "background" and ev.date.value.startswith("2020-09")
    assert not coded(ev) and acled_rows([d]) == []
    # the same sentence dated last week is news, not background
    recent = stage(make(lang, text.replace("في أيلول 2020", "يوم 25 شباط 2021"), [TUR_MIL, SYR_MIL],
                        [("g:n", "village", 1, ["النيرب"])], pub=PUB))
    assert one(recent, "ASSAULT").modality == "asserted"


def test_a_failed_advance_is_not_a_seizure_but_a_failed_attack_is_an_attack(lang, stage):
    d = stage(make(lang, "وتحاول قوات النظام السيطرة على البلدة منذ أيام.", [SYR_MIL],
                   [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    seize = one(d, "COERCE")
    assert seize.modality == "attempted" and not coded(seize)
    d = stage(make(lang, "وحاولت قوات النظام قصف البلدة بالمدفعية.", [SYR_MIL], [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    assert coded(one(d, "ASSAULT"))


# ---------------------------------------------------------------------------------------------- participants


def test_a_dual_subject_names_both_parties(lang, stage):
    # الرئيسان is linked to both presidents (as the entity layer does): one is the actor, the other the recipient
    text = "وقال المتحدث إن الرئيسين اتفقا على مواصلة التنسيق."
    d = stage(make(lang, text, [("TUR.GOV.erdogan", "PER", "TUR", ["الرئيسين"]), ("RUS.GOV.putin", "PER", "RUS", ["الرئيسين"])],
                   pub=PUB))
    agree = one(d, "AGREE")
    assert {agree.actor, agree.recipient} == {"TUR.GOV.erdogan", "RUS.GOV.putin"}


def test_both_sides_stressing_a_need_together_agree_on_it(lang, stage):
    text = "وأكد الطرفان ضرورة استمرار الاتصالات بين العسكريين."
    d = stage(make(lang, text, [("TUR.GOV", "GOV", "TUR", ["الطرفان"]), ("RUS.GOV", "GOV", "RUS", ["الطرفان"])], pub=PUB))
    assert [e.type for e in d.events] == ["AGREE"]
    assert {d.events[0].actor, d.events[0].recipient} == {"TUR.GOV", "RUS.GOV"}


def test_coordinated_recipients_make_one_event_per_dyad_and_a_pronoun_object_points_back(lang, stage):
    text = "وتباحث أردوغان هاتفيا مع الرئيس الفرنسي والمستشارة الألمانية بشأن الوضع ودعاهما إلى اتخاذ خطوات ملموسة."
    d = stage(make(lang, text, [ERD, MACRON, MERKEL], pub=PUB))
    consult = [(e.actor, e.recipient) for e in d.events if e.type == "CONSULT"]
    request = [(e.actor, e.recipient) for e in d.events if e.type == "REQUEST"]
    assert sorted(consult) == sorted(request) == [("TUR.GOV.erdogan", "DEU.GOV.merkel"), ("TUR.GOV.erdogan", "FRA.GOV.macron")]
    assert len({e.id for e in d.events}) == 4


def test_who_is_named_in_what_is_said_or_called_for_is_not_the_recipient(lang, stage):
    d = stage(make(lang, "وعقد أردوغان اجتماعا اليوم أكد بعده أن هجمات قوات النظام مستمرة.", [ERD, SYR_MIL], pub=PUB))
    assert one(d, "CONSULT").recipient is None
    d = stage(make(lang, "وشدد أردوغان على ضرورة انسحاب قوات النظام.", [ERD, SYR_MIL], pub=PUB))
    assert one(d, "REQUEST").recipient is None


def test_the_genitive_of_an_attack_noun_acts_and_its_lam_object_is_attacked(lang, stage):
    d = stage(make(lang, "وجاء ذلك بعد ساعات من مهاجمة فصائل المعارضة لقوات النظام في البلدة.", [REB, SYR_MIL],
                   [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    ev = one(d, "ASSAULT")
    assert (ev.actor, ev.recipient) == ("SYR.REB", "SYR.MIL")


def test_what_sources_say_happened_has_its_own_actor(lang, stage):
    d = stage(make(lang, "وأكدت المصادر أن الفصائل دمرت دبابة لقوات النظام في البلدة.", [REB, SYR_MIL],
                   [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    assert one(d, "ASSAULT").actor == "SYR.REB"


def test_a_noun_followed_by_a_nisba_is_an_attack_by_that_side(lang, stage):
    d = stage(make(lang, "وقتل ثلاثة مدنيين في قصف روسي على البلدة.", [], [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    assert one(d, "ASSAULT").actor == "RUS.MIL"


# ---------------------------------------------------------------------------------------------- places


def test_a_country_that_supports_or_is_a_destination_is_not_where_it_happened(lang, stage):
    text = "وقصفت الطائرات الحربية مواقع الفصائل المدعومة من تركيا."
    d = stage(make(lang, text, [REB, TUR], [("c:tur", "country", 4, ["تركيا"])], pub=PUB))
    assert one(d, "ASSAULT").places == []
    d = stage(make(lang, "وقصفت القوات التركية مواقع داخل سوريا.", [TUR_MIL], [("c:syr", "country", 4, ["سوريا"])], pub=PUB))
    assert one(d, "ASSAULT").places == ["c:syr"]


def test_a_place_naming_an_agreement_is_not_where_it_happened(lang, stage):
    d = stage(make(lang, "وقال إن قصف قوات النظام يقوض روح اتفاق أستانا.", [SYR_MIL], [("city:astana", "city", 1, ["أستانا"])],
                   pub=PUB))
    assert all(e.places == [] for e in d.events)


def test_places_belong_to_the_clause_of_their_event(lang, stage):
    text = ("واستهدف الجيش التركي مطار كويرس في ريف حلب، كما استهدفت طائرات مسيرة مواقع تابعة لقوات النظام.")
    d = stage(make(lang, text, [TUR_MIL, SYR_MIL], [("s:kw", "airport", 1, ["مطار كويرس"])], pub=PUB))
    drone = next(e for e in d.events if e.mode == "drone")
    assert drone.places == [] and drone.recipient == "SYR.MIL"
    assert any(e.places == ["s:kw"] for e in d.events if e.mode != "drone")


# ---------------------------------------------------------------------------------------------- one event, many tellings


def test_a_definite_noun_without_actor_tells_again_where_the_attack_struck(lang, stage):
    text = ("وتشهد المنطقة تصعيدا من قبل قوات النظام، وازدادت وتيرة القصف خلال اليومين الماضيين. "
            "وطال القصف كلا من كفرنبل وأريحا.")
    d = stage(make(lang, text, [SYR_MIL], [("g:kn", "town", 1, ["كفرنبل"]), ("g:ar", "city", 1, ["أريحا"])], pub=PUB))
    ev = one(d, "ASSAULT")
    assert ev.actor == "SYR.MIL" and ev.places == ["g:kn", "g:ar"]


def test_a_summary_noun_and_the_detailed_telling_are_one_attack(lang, stage):
    text = ("وقتل عشرات الجنود نتيجة القصف التركي. "
            "واستهدف الجيش التركي مواقع عسكرية تابعة لقوات النظام في مطار كويرس.")
    d = stage(make(lang, text, [("TUR.MIL", "MIL", "TUR", ["القصف التركي", "الجيش التركي"]), SYR_MIL],
                   [("s:kw", "airport", 1, ["مطار كويرس"])], pub=PUB))
    ev = one(d, "ASSAULT")
    assert (ev.actor, ev.recipient, ev.places) == ("TUR.MIL", "SYR.MIL", ["s:kw"])


def test_two_verbs_of_one_side_without_place_stay_two_attacks(lang, stage):
    text = "قصفت القوات التركية مواقع لقوات النظام. وقصفت القوات التركية مواقع أخرى."
    d = stage(make(lang, text, [TUR_MIL, SYR_MIL], pub=PUB))
    assert len([e for e in d.events if e.type == "ASSAULT"]) == 2


def test_talks_of_two_sides_then_of_their_ministers_are_one_event(lang, stage):
    text = ("أجرى الجانبان التركي والروسي مباحثات بشأن الوضع. "
            "وقالت الوزارة إن وزير الدفاع التركي بحث مع نظيره الروسي هاتفيا آخر التطورات.")
    ents = [("TUR", "GPE", "TUR", ["الجانبان التركي والروسي"]), ("RUS", "GPE", "RUS", ["الجانبان التركي والروسي"]),
            ("TUR.GOV.akar", "PER", "TUR", ["وزير الدفاع التركي"]), ("RUS.GOV.shoigu", "PER", "RUS", ["نظيره الروسي"])]
    d = stage(make(lang, text, ents, pub=PUB))
    ev = one(d, "CONSULT")
    assert {ev.actor, ev.recipient} == {"TUR.GOV.akar", "RUS.GOV.shoigu"}
    assert len(ev.attrs.get("mentions", [])) == 1


def test_a_placeless_attack_claimed_inside_a_quotation_is_not_coded(lang, checked_stage):
    stage = checked_stage
    text = "وقال الأمين العام: “شهدنا أعمالا قتالية من قبل قوات النظام مدعومة بغارات روسية”."
    d = stage(make(lang, text, [SYR_MIL], pub=PUB))
    assert [e for e in d.events if e.type == "ASSAULT"] == []


def test_who_is_counted_among_the_dead_is_hit_not_acting(lang, stage):
    text = "وبلغ عدد قتلى قوات النظام خلال المواجهات أكثر من 60 عنصرا."
    d = stage(make(lang, text, [SYR_MIL], pub=PUB))
    assert all(e.actor != "SYR.MIL" for e in d.events)
    assert [e.recipient for e in d.events if e.type == "ASSAULT"] in ([], ["SYR.MIL"])


def test_kama_adds_another_event_of_the_same_type(lang, stage):
    text = "وقصفت القوات التركية مواقع لقوات النظام في البلدة، كما قصفت طائرات حربية قرية مجاورة."
    d = stage(make(lang, text, [TUR_MIL, SYR_MIL], [("g:b", "village", 1, ["البلدة"]), ("g:q", "village", 1, ["قرية مجاورة"])],
                   pub=PUB))
    assert sorted(tuple(e.places) for e in d.events if e.type == "ASSAULT") == [("g:b",), ("g:q",)]


def test_a_body_getting_ready_to_meet_has_a_planned_meeting(lang, stage):
    d = stage(make(lang, "ويستعد مجلس الأمن الدولي لعقد اجتماع طارئ مساء اليوم.",
                   [("IGO.UNSC", "IGO", "IGO", ["مجلس الأمن الدولي"])], pub=PUB))
    assert one(d, "CONSULT").modality == "planned"


def test_talks_named_by_two_adjectives_are_between_the_two_countries_and_retold_talks_are_one(lang, stage):
    text = ("بحث وزير الدفاع التركي مع نظيره الروسي هاتفيا آخر التطورات. "
            "وجاءت المناقشات التركية – الروسية عقب ساعات من هجوم الفصائل.")
    ents = [("TUR.GOV.akar", "PER", "TUR", ["وزير الدفاع التركي"]), ("RUS.GOV.shoigu", "PER", "RUS", ["نظيره الروسي"])]
    d = stage(make(lang, text, ents, pub=PUB))
    ev = one(d, "CONSULT")
    assert {ev.actor, ev.recipient} == {"TUR.GOV.akar", "RUS.GOV.shoigu"} and len(ev.attrs["mentions"]) == 1
    d = stage(make(lang, "وجاءت المناقشات التركية والروسية بعد الهجوم.", pub=PUB))
    assert (one(d, "CONSULT").actor, one(d, "CONSULT").recipient) == ("TUR", "RUS")


def test_a_summit_on_whose_sidelines_leaders_meet_is_not_an_event_itself(lang, stage):
    text = "وقال الرئيس التركي إنه سيستعرض مع نظيره الرئيس الروسي على هامش قمة العشرين ملفات مشتركة."
    d = stage(make(lang, text, [ERD, PUT, ("IGO.G20", "IGO", "IGO", ["قمة العشرين"])], pub=PUB))
    ev = one(d, "CONSULT")
    assert (ev.actor, ev.recipient, ev.modality) == ("TUR.GOV.erdogan", "RUS.GOV.putin", "planned")


def test_allies_back_the_side_named_before_them(lang, stage):
    text = "وتشهد المنطقة حملة واسعة من النظام السوري وحلفائه الروس والإيرانيين، وسط غارات جوية على الأحياء السكنية في البلدة."
    ents = [("SYR.GOV", "GOV", "SYR", ["النظام السوري"]), ("RUS", "GPE", "RUS", ["الروس"]), ("IRN", "GPE", "IRN", ["الإيرانيين"])]
    d = stage(make(lang, text, ents, [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    ev = one(d, "ASSAULT")
    assert (ev.actor, ev.attrs.get("assoc_actor"), ev.recipient) == ("SYR.GOV", "RUS", "CIV")


def test_who_lost_in_battles_is_hit_and_an_event_with_nothing_to_code_is_dropped(lang, stage):
    d = stage(make(lang, "وشهدت المحاور معارك عنيفة أدت لخسارة فصائل المعارضة بلدات في البلدة.", [REB],
                   [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    assert one(d, "ASSAULT").actor != "SYR.REB"
    d = stage(make(lang, "وتتواصل محاولات التسلل على المناطق التي تسيطر عليها.", pub=PUB))
    assert d.events == []


def test_clashes_between_two_sides_and_shelling_from_a_side(lang, stage):
    d = stage(make(lang, "واندلعت اشتباكات عنيفة بين فصائل المعارضة وقوات النظام على محور البلدة.", [REB, SYR_MIL],
                   [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    ev = one(d, "ASSAULT")
    assert (ev.actor, ev.recipient) == ("SYR.REB", "SYR.MIL")
    text = "وتزامنت الغارات مع قصف مدفعي من قوات النظام طال البلدة."
    d = stage(make(lang, text, [SYR_MIL], [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    by_mode = {e.mode: e.actor for e in d.events}
    assert by_mode.get("heavy-weapons") == "SYR.MIL" and by_mode.get("aerial") is None


def test_what_protesters_demand_is_not_an_event(lang, stage):
    d = stage(make(lang, "وتظاهر العشرات في البلدة بعد صلاة الجمعة، مطالبين بالإفراج عن المعتقلين.", [],
                   [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    assert [e.type for e in d.events] == ["PROTEST"]


def test_a_speech_verb_without_subject_has_the_sentences_subject_speak(lang, stage):
    text = "واستهدفت فصائل المعارضة مواقع لقوات النظام في البلدة، وقالت إنها دمرت آلية عسكرية."
    d = stage(make(lang, text, [REB, SYR_MIL], [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    assert [(e.type, e.actor) for e in d.events] == [("ASSAULT", "SYR.REB")]  # the destroyed vehicle is that attack


def test_a_denial_reaches_its_own_clause_and_the_next_verb_shares_its_subject(lang, stage):
    text = "ونفت وزارة الدفاع الروسية أن تكون طائراتها قد قصفت المدنيين، واتهمت الفصائل بخرق الهدنة."
    d = stage(make(lang, text, [("RUS.GOV.mod", "GOV", "RUS", ["وزارة الدفاع الروسية"]), REB], pub=PUB))
    assault = next(e for e in d.events if e.type == "ASSAULT")
    accuse = one(d, "ACCUSE")
    assert assault.negated and assault.modality == "denied"
    assert (accuse.actor, accuse.recipient, accuse.negated, accuse.modality) == ("RUS.GOV.mod", "SYR.REB", False, "asserted")


def test_that_the_two_agreed_points_to_the_call_not_the_speaker(lang, stage):
    text = "وذكرت الرئاسة التركية أن أردوغان أجرى اتصالا اليوم بالرئيس الروسي، وأنهما اتفقا على خطوات إضافية."
    d = stage(make(lang, text, [ERD, PUT, ("TUR.GOV.presidency", "GOV", "TUR", ["الرئاسة التركية"])], pub=PUB))
    agree = one(d, "AGREE")
    assert {agree.actor, agree.recipient} == {"TUR.GOV.erdogan", "RUS.GOV.putin"}


# ---------------------------------------------------------------------------------------------- word order


def test_svo_subject_before_the_verb_makes_the_mention_after_it_the_object(lang, stage):
    text = "وقالت مصادر إن السلطات التركية منعت طائرة نقل عسكرية روسية من عبور الأجواء باتجاه سوريا."
    gov = ("TUR.GOV", "GOV", "TUR", ["السلطات التركية"])
    syr = ("SYR", "GPE", "SYR", ["سوريا"])
    d = stage(make(lang, text, [gov, syr], pub=PUB))
    ban = one(d, "COERCE")
    assert ban.actor.endswith("TUR.GOV")
    assert ban.recipient.endswith("RUS.MIL")  # the aircraft (means noun, modifiers, nisba), not the place cued later


def test_a_means_noun_takes_its_side_from_a_nisba_past_its_modifiers(lang, stage):
    text = "وقصفت مقاتلات حربية روسية مواقع لفصائل المعارضة في البلدة."
    d = stage(make(lang, text, [REB], [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    strike = one(d, "ASSAULT")
    assert strike.actor.endswith("RUS.MIL") and strike.recipient.endswith("SYR.REB")


def test_a_town_taken_from_the_grip_of_a_side_names_that_side_as_recipient(lang, stage):
    text = "وتمكنت فصائل المعارضة من استعادة البلدة من قبضة قوات النظام."
    d = stage(make(lang, text, [REB, SYR_MIL], [("g:b", "village", 1, ["البلدة"])], pub=PUB))
    take = one(d, "COERCE")
    assert take.actor.endswith("SYR.REB") and take.recipient.endswith("SYR.MIL")


def test_who_failed_an_obligation_is_accused_by_who_says_so(lang, stage):
    kremlin = ("RUS.GOV", "GOV", "RUS", ["الكرملين"])
    turkey = ("TUR", "GPE", "TUR", ["تركيا"])
    text = "وقال الكرملين في بيان إن الهدنة صمدت، مشددا على أن تركيا لم تف بالتزاماتها في المنطقة."
    d = stage(make(lang, text, [kremlin, turkey], pub=PUB))
    acc = one(d, "ACCUSE")
    assert acc.actor.endswith("RUS.GOV") and acc.recipient.endswith("TUR")


def test_a_kept_obligation_is_no_accusation(lang, stage):
    turkey = ("TUR", "GPE", "TUR", ["تركيا"])
    text = "وقال المتحدث إن تركيا وفت بالتزاماتها في المنطقة."
    d = stage(make(lang, text, [turkey], pub=PUB))
    assert not [e for e in d.events if e.type == "ACCUSE"]
