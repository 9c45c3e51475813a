"""The learned check of ASSAULT/PROTEST events (marsad.events.classify): features, training with calibration and
threshold, the decision rule, and events that name no one being coded for it to judge (own sentences)."""

import numpy as np
import pytest

from marsad.events import classify
from marsad.events.acled import coded
from marsad.events.stages import EventStage
from marsad.model import Article, DateRef, Document, content_id
from marsad.pipeline import Pipeline


@pytest.fixture(scope="module")
def lang():
    return Pipeline.default(["clean", "language"])


def _doc(lang, text):
    return lang(Document(Article(id=content_id(text), raw_text=text)))


def test_an_explosion_naming_no_one_is_coded_for_the_classifier(lang):
    st = EventStage()
    st.extractor.use_classifier = False
    d = st(_doc(lang, "وانفجرت سيارة مفخخة صباح اليوم وأسفر الانفجار عن سقوط ضحايا."))
    evs = [e for e in d.events if e.type == "ASSAULT"]
    assert evs and evs[0].attrs.get("unnamed")


def test_features_are_sparse_and_typed(lang):
    st = EventStage()
    st.extractor.use_classifier = False
    d = st(_doc(lang, "قصفت الطائرات الحربية مواقع المسلحين في الجبال أمس."))
    evs = classify.candidates(d)
    assert evs
    rows = classify.doc_vectors(d, evs)
    x = rows[0]
    assert all(0 <= k < classify.WIDTH for k in x)
    assert x[2 * classify.DIM + classify.EMB + classify.TYPES.index(evs[0].type)] == 1.0
    assert classify.matrix(rows).shape == (len(rows), classify.WIDTH)


def test_training_separates_and_calibrates():
    rng = np.random.default_rng(0)
    rows, y = [], []
    for n in range(200):
        pos = n % 3 == 0
        feats = ["w:a" if pos else "w:b"] + [f"w:noise{rng.integers(20)}"]
        rows.append(classify.vector(feats, "ASSAULT", None))
        y.append(1.0 if pos else 0.0)
    X, y = classify.matrix(rows), np.array(y)
    types = np.array(["ASSAULT"] * len(y))
    folds = np.arange(len(y)) % 4
    m = classify.train(X, y, types, folds, np.array([str(k) for k in range(len(y))]), l2=1.0)
    p = classify.probabilities(m, X, types)
    assert p[y == 1].min() > m["thr"]["ASSAULT"] > p[y == 0].max()
    assert 0.0 < p.min() and p.max() < 1.0


def test_decision_rule():
    assert classify.decide("named", 0.1, 0.5, "unnamed")  # names someone: coded as before
    assert not classify.decide("unnamed", 0.1, 0.5, "unnamed")  # names no one: needs the classifier
    assert not classify.decide("named", 0.1, 0.5, "all")
    assert classify.decide("unnamed", 0.6, 0.5, "all")
    assert classify.decide("named", 0.4, 0.3, "all") and not classify.decide("quoted", 0.4, 0.3, "all")  # a claim


def test_shipped_model_sets_confidence(lang):
    if classify.load_model() is None:
        pytest.skip("no shipped classifier")
    d = EventStage()(_doc(lang, "قصفت الطائرات الحربية مواقع المسلحين في الجبال أمس."))
    for e in classify.candidates(d):
        assert e.attrs["classifier"] == e.confidence and 0.0 <= e.confidence <= 1.0


def test_dawn_before_a_time_word_is_not_an_explosion(lang):
    st = EventStage()
    st.extractor.use_classifier = False
    d = st(_doc(lang, "وصل الوفد إلى المطار فجر اليوم قادما من العاصمة."))
    assert not [e for e in d.events if e.type == "ASSAULT"]
    d = st(_doc(lang, "وفجر انتحاري نفسه وسط سوق شعبي في المدينة صباح اليوم."))
    assert [e for e in d.events if e.type == "ASSAULT"]


def test_unnamed_actors_are_kept_as_acled_keeps_them(lang):
    st = EventStage()
    st.extractor.use_classifier = False
    d = st(_doc(lang, "وهاجم مسلحون مجهولون حاجزا للشرطة في المدينة صباح اليوم."))
    ev = [e for e in d.events if e.type == "ASSAULT"]
    assert ev and ev[0].actor == "UAG"
    d = st(_doc(lang, "وتظاهر آلاف المحتجين أمام مبنى البرلمان صباح اليوم."))
    ev = [e for e in d.events if e.type == "PROTEST"]
    assert ev and ev[0].actor == "PTR"


@pytest.mark.parametrize("text,etype,kept", [
    ("قصفت قوات النظام بالمدفعية الثقيلة بلدة كفرنبل جنوبي إدلب صباح اليوم.", "ASSAULT", True),
    ("وقتل خمسة جنود في هجوم شنه مسلحون على نقطة تفتيش شمال بغداد أمس.", "ASSAULT", True),
    ("وتظاهر آلاف المحتجين في وسط العاصمة أمس للمطالبة برحيل الحكومة.", "PROTEST", True),
    ("وقال الوزير إن الهجمات على المدنيين جريمة لا يمكن السكوت عنها.", "ASSAULT", False),  # a judgement
    ("ويحاكم المتهمون بتهمة التخطيط لاغتيال مسؤولين في الحكومة.", "ASSAULT", False),  # a trial
    ("وإذا شنت إسرائيل هجوما على إيران فإن المنطقة ستشتعل.", "ASSAULT", False),  # a conditional
])
def test_the_shipped_model_keeps_reported_events_and_drops_talk_about_them(lang, text, etype, kept):
    if classify.load_model() is None:
        pytest.skip("no shipped classifier")
    a = Article(id=content_id(text), raw_text=text, published=DateRef("2020-02-20", "day", source="metadata"))
    d = EventStage()(lang(Document(a)))
    assert bool([e for e in d.events if e.type == etype and coded(e)]) == kept
