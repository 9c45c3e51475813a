"""Triggers matched by their verb's inflections, gatherings of protesters, firing, killing (own sentences)."""

import numpy as np
import pytest

from marsad.events import classify
from marsad.events.lexicon import trigger_lexicon
from marsad.language.forms import verb_forms
from marsad.model import Article, DateRef, Document, content_id
from marsad.pipeline import Pipeline
from marsad.view import doc_view

from test_events_extract import lang, stage  # noqa: F401 (fixtures: the rule extractor, classifier off)


def events(lang, stage, text, etype):
    a = Article(id=content_id(text), raw_text=text, published=DateRef("2020-02-20", "day", source="metadata"))
    return [e for e in stage(lang(Document(a))).events if e.type == etype]


def test_a_hollow_verb_gets_its_passive_and_every_verb_its_plural_forms():
    forms = set(verb_forms("اغتال", "يغتال"))
    assert {"اغتيل", "اغتيلت", "اغتالوا", "يغتالون", "يغتالوا"} <= forms
    assert {"اختطفوا", "يختطفون", "اختطفت"} <= set(verb_forms("اختطف", "يختطف"))


def test_one_entry_lists_several_verbs(lang):
    lex = trigger_lexicon()
    for word in ("تجمعوا", "احتشد", "يرددون"):
        toks = doc_view(lang(Document(Article(id=word, raw_text=word)))).toks
        hit = lex.match(toks, 0)
        assert hit is not None and hit[0].id == "gather"


@pytest.mark.parametrize("text", [
    "وتجمع مئات المحتجين أمام مبنى المحافظة صباح اليوم مطالبين بالإفراج عن المعتقلين.",
    "واحتشد آلاف المتظاهرين في الساحة الرئيسية للمدينة أمس.",
    "وخرج مساء أمس عشرات من المتظاهرين في شوارع البلدة رافعين لافتات تندد بالغلاء.",
])
def test_a_crowd_gathering_or_marching_is_a_protest(lang, stage, text):
    assert events(lang, stage, text, "PROTEST")


@pytest.mark.parametrize("text", [
    "وخرج الوزير من الاجتماع دون أن يدلي بأي تصريح.",
    "وتوجه وفد الحكومة إلى جنيف للمطالبة بوقف إطلاق النار.",  # going somewhere to demand is no march
    "وتجمعت مياه الأمطار في الشوارع المنخفضة من المدينة.",
])
def test_the_same_verbs_without_a_crowd_are_not(lang, stage, text):
    assert not events(lang, stage, text, "PROTEST")


def test_something_done_in_protest_is_a_protest(lang, stage):
    assert events(lang, stage, "وأضرم شاب النار في نفسه أمام مبنى البلدية احتجاجا على البطالة.", "PROTEST")


def test_firing_rockets_is_an_attack_and_releasing_prisoners_is_not(lang, stage):
    assert events(lang, stage, "وأطلق مسلحون قذائف هاون على حي سكني في المدينة أمس.", "ASSAULT")
    assert not events(lang, stage, "وأطلقت السلطات سراح عشرة معتقلين أمس.", "ASSAULT")


def test_a_killing_is_an_attack_and_beside_a_strike_it_is_that_strike(lang, stage):
    ev = events(lang, stage, "وقتل مسلحون مجهولون موظفا حكوميا في المدينة أمس.", "ASSAULT")
    assert len(ev) == 1 and ev[0].actor == "UAG"
    ev = events(lang, stage, "وقتل ثلاثة مدنيين في قصف مدفعي على البلدة أمس.", "ASSAULT")
    assert len(ev) == 1 and ev[0].attrs["trigger_id"] == "shell" and ev[0].recipient == "CIV"


def test_abduction_and_assassination_in_their_plural_and_passive_forms(lang, stage):
    assert events(lang, stage, "وقال شهود إن مسلحين اختطفوا ثلاثة تجار في السوق أمس.", "ASSAULT")
    assert events(lang, stage, "واغتيل مسؤول محلي في المدينة مساء أمس.", "ASSAULT")


def test_extra_positives_join_training_but_not_the_threshold():
    rows, y = [], []
    for n in range(120):
        pos = n % 4 == 0
        rows.append(classify.vector(["w:a" if pos else "w:b", f"w:n{n % 7}"], "ASSAULT", None))
        y.append(1.0 if pos else 0.0)
    X, y = classify.matrix(rows), np.array(y)
    types = np.array(["ASSAULT"] * len(y))
    folds, groups = np.arange(len(y)) % 3, np.array([str(k) for k in range(len(y))])
    extra = (classify.matrix([classify.vector(["w:c"], "ASSAULT", None)] * 10), np.array(["ASSAULT"] * 10))
    Xa, ya, ta, fa, ga = classify.with_extra(X, y, types, folds, groups, extra)
    assert Xa.shape[0] == len(ya) == len(ta) == len(fa) == len(ga) == 130 and ya[-10:].sum() == 10
    m = classify.train(Xa, ya, ta, fa, ga, l2=1.0)
    p = classify.probabilities(m, X, types)
    assert p[y == 1].min() > m["thr"]["ASSAULT"] > p[y == 0].max()
    assert classify.probabilities(m, extra[0], extra[1]).min() > 0.5  # what only the extra rows carry is learned
    assert classify.with_extra(X, y, types, folds, groups, None)[0] is X


@pytest.mark.parametrize("text,modality", [
    ("وقال الوزير إنه إذا شنت القوات هجوما على المدينة فإنها سترد بقوة.", "hypothetical"),  # a condition
    ("وأكد الجيش أنه اتخذ إجراءات لتفادي أي ضربة جديدة على مواقعه.", "hypothetical"),  # to be prevented
    ("وندد البيان بما يجري من قتل للمدنيين في البلاد.", "hypothetical"),  # a general statement
    ("وبدأت المحكمة أمس التحقيق في اغتيال الصحفي.", "background"),  # the subject of an inquiry
    ("وتجمع مئات المتظاهرين في ساحة المدينة احتجاجا على القصف.", "background"),  # what a protest is against
])
def test_a_frame_word_before_the_trigger_sets_what_kind_of_telling_it_is(lang, stage, text, modality):
    ev = events(lang, stage, text, "ASSAULT")
    assert ev and ev[0].modality == modality


def test_a_clause_break_ends_the_frame(lang, stage):
    ev = events(lang, stage, "وقال إنه لا يعرف إذا كان سيحضر، وقصفت الطائرات البلدة أمس.", "ASSAULT")
    assert ev and ev[0].modality == "asserted"


def test_a_joint_patrol_is_military_cooperation(lang, stage):
    ev = events(lang, stage, "وسيرت القوات التركية والروسية دورية مشتركة على الطريق الدولي صباح اليوم.", "COOPERATE")
    assert ev and ev[0].attrs["form"] == "joint_patrol" and ev[0].actor == "TUR.MIL"


def test_a_capital_is_a_side_unless_introduced_as_a_location(lang):
    pipe = Pipeline.default()

    def assault(text):
        d = pipe(Document(Article(id=content_id(text), raw_text=text)))
        return next(e for e in d.events if e.type == "ASSAULT")

    assert assault("وقالت دمشق إن القوات التركية قصفت مواقع للجيش.").places == []
    ev = assault("وقصفت القوات الروسية مواقع في دمشق أمس.")
    assert ev.places and ev.recipient != "SYR.GOV"
    # affiliated with the capital: a side, not where it happened
    assert assault("وقالت وكالة الأنباء المقربة من دمشق إن الطائرات قصفت مواقع المسلحين.").places == []
