"""Event extraction on hand-built documents (own sentences; entities and places filled in by the test)."""

import pytest

from marsad.model import Article, DateRef, Document, Entity, Mention, Place, content_id
from marsad.pipeline import Pipeline
from marsad.events.stages import EventStage
from marsad.events.lexicon import trigger_lexicon
from marsad.language.forms import lookup_keys
from marsad.view import doc_view


@pytest.fixture(scope="module")
def lang():
    return Pipeline.default(["clean", "language"])


@pytest.fixture(scope="module")
def stage():
    # the rule extractor: what the learned check keeps of its events is tested in test_events_classify
    st = EventStage()
    st.extractor.use_classifier = False
    return st


@pytest.fixture(scope="module")
def checked_stage():
    # with the shipped learned check (events/classify.py): what is coded in the end
    return EventStage()


def make(lang, text, ents=(), places=(), pub=None, use_language=True):
    a = Article(id=content_id(text), raw_text=text, published=pub)
    d = lang(Document(a)) if use_language else Document(a)
    for eid, label, country, phrases in ents:
        e = Entity(id=eid, name=phrases[0], label=label, country=country)
        for ph in phrases:
            k = d.text.find(ph)
            while k >= 0:
                e.mentions.append(Mention(span=d.span(k, k + len(ph)), label="ACTOR", source="kb", entity_id=eid))
                k = d.text.find(ph, k + len(ph))
        d.entities.append(e)
    for pid, kind, prec, phrases in places:
        p = Place(id=pid, name=phrases[0], kind=kind, precision=prec)
        for ph in phrases:
            k = d.text.find(ph)
            if k >= 0:
                p.mentions.append(Mention(span=d.span(k, k + len(ph)), label="LOC", source="gazetteer"))
        d.places.append(p)
    return d


TUR_MIL = ("TUR.MIL", "MIL", "TUR", ["القوات التركية"])
SYR_MIL = ("SYR.MIL", "MIL", "SYR", ["قوات النظام"])
ERD = ("TUR.GOV.erdogan", "PER", "TUR", ["أردوغان", "الرئيس التركي"])
PUT = ("RUS.GOV.putin", "PER", "RUS", ["بوتين", "الرئيس الروسي"])


@pytest.mark.parametrize("word", ["وقصفت", "بقصف", "الغارات", "واستهدفت", "للتظاهر", "وبغارة", "فاشتبكت"])
def test_clitic_forms_reach_the_lexicon(lang, word):
    d = make(lang, f"قال مصدر إن {word} شيء.")
    toks = doc_view(d).toks
    lex = trigger_lexicon()
    assert any(lex.match(toks, i) for i in range(len(toks))), word


def test_keys_strip_clitics_without_language_layer():
    assert "قصفت" in lookup_keys("وقصفت")
    assert "غارات" in lookup_keys("بالغارات")
    assert "حض" in lookup_keys("وحض")  # a two-letter verb after the conjunction
    assert "زار" not in lookup_keys("وزارة")  # ta marbuta is not a pronoun


def test_shelling_actor_recipient_place(lang, stage):
    d = stage(make(lang, "قصفت القوات التركية بكثافة مواقع لقوات النظام في بلدة النيرب.", [TUR_MIL, SYR_MIL],
                   [("g:nayrab", "village", 1, ["النيرب"])]))
    [ev] = d.events
    assert (ev.type, ev.mode, ev.actor, ev.recipient, ev.places) == ("ASSAULT", "heavy-weapons", "TUR.MIL", "SYR.MIL", ["g:nayrab"])
    assert ev.spans["trigger"].text == "قصفت" and ev.spans["actor"].text == "القوات التركية"
    assert ev.evidence.start == 0 and ev.modality == "asserted" and not ev.negated


def test_phone_call_both_presidents(lang, stage):
    d = stage(make(lang, "جاء ذلك خلال اتصال هاتفي أجراه الرئيسان أردوغان وبوتين مساء اليوم.", [ERD, PUT]))
    [ev] = d.events
    assert (ev.type, ev.mode) == ("CONSULT", "phone")
    assert {ev.actor, ev.recipient} == {"TUR.GOV.erdogan", "RUS.GOV.putin"}


def test_airstrikes_on_each_village_with_nisba_actor(lang, stage):
    d = stage(make(lang, "وأفاد ناشطون بأن غارات روسية استهدفت مدينتي كفرنبل وأريحا بريف إدلب.", [],
                   [("g:kn", "town", 1, ["كفرنبل"]), ("g:ar", "city", 1, ["أريحا"]), ("g:idl", "governorate", 3, ["إدلب"])]))
    [ev] = d.events
    assert ev.type == "ASSAULT" and ev.mode == "aerial"
    assert ev.actor == "RUS.MIL"
    assert ev.places == ["g:kn", "g:ar"]  # the governorate is dropped when villages are named


def test_call_to_protest_is_planned_protest(lang, stage):
    d = stage(make(lang, "وتتصاعد دعوات من قبل نازحين للتظاهر قرب الحدود، يوم الجمعة المقبل."))
    types = [(e.type, e.modality) for e in d.events]
    assert types == [("PROTEST", "planned")]


def test_call_for_ceasefire_is_request_not_agree(lang, stage):
    d = stage(make(lang, "ودعا الرئيس التركي إلى وقف إطلاق النار في المنطقة فورا.", [ERD]))
    [ev] = d.events
    assert (ev.type, ev.mode, ev.actor) == ("REQUEST", "yield", "TUR.GOV.erdogan")


def test_denial_marks_embedded_event(lang, stage):
    d = stage(make(lang, "ونفت روسيا قصف المدنيين في المدينة.", [("RUS", "GPE", "RUS", ["روسيا"])]))
    [ev] = d.events
    assert ev.type == "ASSAULT" and ev.modality == "denied" and ev.negated
    assert ev.actor == "RUS"


def test_negation_particle(lang, stage):
    d = stage(make(lang, "وقال المصدر إن القوات التركية لم تقصف أي موقع في البلدة.", [TUR_MIL]))
    [ev] = d.events
    assert ev.negated


def test_future_prefix_makes_planned(lang, stage):
    d = stage(make(lang, "وقال الرئيس التركي إنه سيلتقي نظيره الروسي الأسبوع المقبل.", [ERD, PUT]))
    [ev] = d.events
    assert ev.type == "CONSULT" and ev.modality == "planned"


def test_speaker_is_not_actor(lang, stage):
    d = stage(make(lang, "وأعلن الرئيس التركي أن قوات النظام قصفت القرية صباحا.", [ERD, SYR_MIL]))
    [ev] = d.events
    assert ev.actor == "SYR.MIL"


def test_goal_of_a_call_is_not_an_event(lang, stage):
    d = stage(make(lang, "وطالب الرئيس التركي بوقف الهجمات على المدنيين.", [ERD]))
    assert [e.type for e in d.events] == ["REQUEST"]


def test_date_from_sentence_else_publication(lang, stage):
    pub = DateRef("2019-05-30", "day", source="metadata")
    d = stage(make(lang, "واشتبكت قوات النظام مع الفصائل في القرية.", [SYR_MIL], pub=pub))
    [ev] = d.events
    assert ev.date.value == "2019-05-30" and ev.date.source == "publication" and ev.date.precision == "day"
    assert ev.type == "ASSAULT" and ev.attrs["form"] == "clash"


def test_ids_stable_and_distinct(lang, stage):
    text = "قصفت القوات التركية مواقع لقوات النظام. وقصفت القوات التركية مواقع أخرى."
    a = stage(make(lang, text, [TUR_MIL, SYR_MIL]))
    b = stage(make(lang, text, [TUR_MIL, SYR_MIL]))
    assert [e.id for e in a.events] == [e.id for e in b.events]
    assert len({e.id for e in a.events}) == 2


def test_needs_the_language_layer():
    from marsad.errors import PipelineError

    with pytest.raises(PipelineError, match=r"\[E002\] stage 'events' requires sentences, tokens, dates"):
        Pipeline.default(["clean", "events"])


def test_empty_document(stage):
    d = stage(Document(Article(id="x", raw_text="")))
    assert d.events == []


# ---------------------------------------------------------------------------------------------- article level
PUB = DateRef("2021-03-04", "day", source="metadata")


def test_a_call_told_twice_is_one_event_and_the_pair_is_its_parties(lang, stage):
    text = ("أجرى الرئيس التركي أردوغان اتصالا هاتفيا مع الرئيس الروسي بوتين مساء اليوم. "
            "وبحث الرئيسان خلال الاتصال ملفات عديدة، واتفقا على مواصلة التنسيق بين البلدين.")
    d = stage(make(lang, text, [ERD, PUT], pub=PUB))
    consult = [e for e in d.events if e.type == "CONSULT"]
    agree = [e for e in d.events if e.type == "AGREE"]
    assert len(consult) == 1 and {consult[0].actor, consult[0].recipient} == {"TUR.GOV.erdogan", "RUS.GOV.putin"}
    assert len(agree) == 1 and {agree[0].actor, agree[0].recipient} == {"TUR.GOV.erdogan", "RUS.GOV.putin"}


def test_two_calls_on_different_days_stay_two_events(lang, stage):
    text = ("أجرى أردوغان اتصالا هاتفيا مع بوتين أمس الأربعاء. "
            "وفي 12 من الشهر الماضي أجرى أردوغان اتصالا هاتفيا آخر مع بوتين.")
    d = stage(make(lang, text, [ERD, PUT], pub=PUB))
    assert len([e for e in d.events if e.type == "CONSULT"]) == 2


def test_own_country_is_not_the_recipient(lang, stage):
    d = stage(make(lang, "وطالب أردوغان بإبعاد خطر موجات النزوح عن حدود تركيا.", [ERD, ("TUR", "GPE", "TUR", ["تركيا"])],
                   pub=PUB))
    assert all(e.recipient != "TUR" for e in d.events)


def test_actorless_claims_inside_quotes_and_period_tolls_are_not_events(lang, checked_stage):
    stage = checked_stage
    text = ("وقال المتحدث في مؤتمر صحفي: “القصف يجب أن يتوقف، وقد شهدنا غارات على الأحياء”. "
            "وأسفر القصف منذ 3 من الشهر الماضي عن مقتل 40 مدنيا بحسب فرق الإسعاف.")
    d = stage(make(lang, text, pub=PUB))
    assert [e for e in d.events if e.actor is None and e.type in ("ASSAULT", "REQUEST")] == []
    # the same words outside quotes and with a place are an event
    d = stage(make(lang, "وشنت طائرات حربية غارات على الأحياء السكنية في بلدة قميناس.", [],
                   [("g:qm", "town", 1, ["قميناس"])], pub=PUB))
    assert [e.type for e in d.events] == ["ASSAULT"]


def test_actor_and_recipient_texts_read_as_names(lang, stage):
    # the mention spans start at the word (بالرئيس، وقوات); the texts drop its proclitics, not its letters
    d = make(lang, "وقصفت وقوات النظام مواقع للقوات التركية. واتصل أردوغان بالرئيس الروسي.",
             ents=[SYR_MIL, ERD, ("TUR.MIL", "MIL", "TUR", ["للقوات التركية"]), ("RUS.GOV.putin", "PER", "RUS", ["بالرئيس الروسي"])])
    stage(d)
    texts = {(ev.actor_text, ev.recipient_text) for ev in d.events}
    assert ("قوات النظام", "القوات التركية") in texts, texts
    assert ("أردوغان", "الرئيس الروسي") in texts, texts
    spans = {m.span.text for e in d.entities for m in e.mentions}
    assert "للقوات التركية" in spans and "بالرئيس الروسي" in spans  # the evidence keeps the text as written


def test_doc_view_is_made_once_per_document_and_tokens(lang):
    from marsad.model import Tokens

    d = make(lang, "قصفت قوات النظام مدينة إدلب.")
    first = doc_view(d).toks
    assert doc_view(d).toks is first  # the figures stage gets what the events stage made
    other = make(lang, "قصفت قوات النظام مدينة إدلب.")  # the same text in another document
    assert doc_view(other).toks is not first
    d.tokens = Tokens.of(list(d.tokens))  # new tokens for the document: made again
    again = doc_view(d).toks
    assert again is not first and [(t.start, t.end, t.keys) for t in again] == [(t.start, t.end, t.keys) for t in first]


def test_a_sentence_setting_the_context_tells_background_not_news():
    from marsad.events.acled import coded
    from marsad.pipeline import Pipeline
    from marsad.model import Article, DateRef, Document

    nlp = Pipeline.default()
    text = ("قصفت طائرات حربية بلدة كفرنبل صباح اليوم.\n\n"
            "ويأتي ذلك في ظل حملة عسكرية تشنها قوات النظام على ريف إدلب منذ أشهر.\n\n"
            "والجدير بالذكر أن الطائرات قصفت مدينة أريحا الأسبوع الماضي.\n\n"
            "وتأتي هذه الغارات بعد يومين من هجوم شنته الفصائل على مواقع النظام.\n\n"
            "وسبق أن قصفت الطائرات بلدة حاس بالصواريخ.")
    doc = nlp(Document(article=Article(id="ctx", raw_text=text, published=DateRef("2020-01-15", "day"))))
    told = [e for e in doc.events if e.type == "ASSAULT"]
    first = [e for e in told if e.evidence.start < text.index("ويأتي")]
    later = [e for e in told if e.evidence.start >= text.index("ويأتي")]
    assert first and all(coded(e) for e in first)
    assert later and not any(coded(e) for e in later)
    assert {e.modality for e in later} == {"background"}
