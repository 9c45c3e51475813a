"""The CRF NER model: shipped, loads, tags unseen sentences; the stage adds ner mentions for unknown names."""

import json

import pytest

from marsad.entities.ner import ENT_DIR, MODEL_PATH, get_tagger, iob_spans, pseudo_sentences, read_conll
from marsad.entities.stages import EntityStage
from marsad.model import Article, Document
from marsad.pipeline import Pipeline

_LANG = Pipeline.default(["clean", "language"])  # the entities stage reads the language layer's tokens


@pytest.fixture(scope="module")
def tagger():
    t = get_tagger()
    assert t.available, f"model missing: {MODEL_PATH}"
    return t


def test_model_shipped_small_and_scored():
    assert MODEL_PATH.stat().st_size < 5_000_000
    scores = json.loads((ENT_DIR / "ner_scores.json").read_text(encoding="utf-8"))
    assert scores["scores"]["overall"]["f1"] >= 0.8
    assert set(scores["scores"]) >= {"PER", "ORG", "LOC", "MISC", "overall"}


def test_tags_unseen_sentence(tagger):
    words = "وقال المتحدث باسم الحركة أحمد الخطيب إن القافلة وصلت إلى مدينة حلب أمس .".split()
    spans = {(" ".join(words[i:j]), lab) for i, j, lab in tagger.entities(words)}
    assert ("حلب", "LOC") in spans
    assert ("أحمد الخطيب", "PER") in spans


def test_iob_and_pseudo_sentences():
    assert iob_spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG"]) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG")]
    pairs = read_conll(["زار B-PERS", "علي I-PERS", "بيروت B-LOC", ". O", "ثم O", "عاد O"])
    assert pairs[0] == ("زار", "B-PER")
    assert [len(s) for s in pseudo_sentences(pairs)] == [4, 2]


def test_stage_adds_ner_entities_not_in_kb():
    stage = EntityStage()
    text = "وقال المتحدث باسم الحركة أحمد الخطيب إن القصف طال مدينة حلب. وأضاف الخطيب أن السكان نزحوا."
    doc = stage(_LANG(Document(article=Article(id="n", raw_text=text))))
    per = [e for e in doc.entities if e.id.startswith("ner:PER:")]
    assert per and any("الخطيب" in e.id for e in per)
    for m in doc.mentions:
        assert text[m.span.start:m.span.end] == m.span.text
    assert any(m.label == "LOC" and m.source == "ner" and m.entity_id is None for m in doc.mentions)
    # a KB name is not duplicated by the model
    doc2 = stage(_LANG(Document(article=Article(id="k", raw_text="قال فلاديمير بوتين إن الاتفاق قائم."))))
    assert [m.source for m in doc2.mentions if "بوتين" in m.span.text] == ["kb"]
