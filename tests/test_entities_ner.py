"""The CRF NER model: shipped, loads, tags unseen sentences; the stage adds ner mentions for unknown names."""

import json

import pytest

from marsad.entities.neural import NN_PATH
from marsad.entities.ner import (ENT_DIR, MODEL_PATH, contiguous_split, get_tagger, iob_spans, pseudo_sentences,
                                 read_conll, score_entities)
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
    assert MODEL_PATH.stat().st_size + NN_PATH.stat().st_size < 50_000_000  # the bound for all model files
    scores = json.loads((ENT_DIR / "ner_scores.json").read_text(encoding="utf-8"))
    assert "contiguous" in scores["metric"] and scores["split"]["dev_start_token"] > 0.8 * scores["split"]["tokens"]
    assert scores["scores"]["overall"]["f1"] >= 0.6
    assert set(scores["scores"]) >= {"PER", "ORG", "LOC", "MISC", "overall", "unseen"}


def test_tags_unseen_sentence(tagger):
    words = "وقال المتحدث باسم الحركة أحمد الخطيب إن القافلة وصلت إلى مدينة حلب أمس .".split()
    spans = {(" ".join(words[i:j]), lab) for i, j, lab in tagger.entities(words)}
    assert ("حلب", "LOC") in spans
    assert ("أحمد الخطيب", "PER") in spans


def test_dev_block_is_contiguous_whole_articles_at_the_end(shared_dir):
    path = shared_dir / "data" / "ner" / "ANERCorp_train.txt"
    if not path.exists():
        pytest.skip("ANERcorp not available")
    with open(path, encoding="utf-8") as fh:
        pairs = read_conll(fh)
    tune, dev = contiguous_split(pairs)
    assert 0.80 * len(pairs) < dev < 0.90 * len(pairs) and tune < dev
    assert pairs[dev - 1][0] in (".", "!", "?", "؟") and pairs[dev][1] != "I"  # starts an article's first sentence
    assert pairs[dev + 1][0] == "(" or pairs[dev + 2][0] == "("  # with its dateline


def test_score_entities_exact_spans_and_unseen():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    pred = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "O"]]
    words = [["علي", "حسن", "في", "حلب"], ["الأمم", "قال"]]
    sc = score_entities(gold, pred, words, seen={"حلب"})
    assert sc["LOC"]["f1"] == 1.0 and sc["PER"]["recall"] == 0.0 and sc["PER"]["precision"] == 0.0
    assert sc["overall"]["precision"] == round(2 / 3, 4) and sc["overall"]["recall"] == round(2 / 3, 4)
    assert sc["seen"] == {"recall": 1.0, "support": 1} and sc["unseen"] == {"recall": 0.5, "support": 2}


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


def test_document_evidence_reads_the_other_sentences_of_the_window():
    from marsad.entities.ner import document_evidence

    keys = [["قال", "سامي", "نوفل", "."], ["ثم", "زار", "نوفل", "حمص"], ["وصل", "نوفل"], ["نوفل"]]
    tags = [["O", "B-PER", "I-PER", "O"], ["O", "O", "O", "B-LOC"], ["O", "O"], ["O"]]
    ev = document_evidence(keys, tags, window=1)
    # sentence 1: نوفل was the last word of a person's name in sentence 0, once of its two other occurrences
    assert ev[1][2] == ["dt=PER", "dts=PERsome", "dp=I-PER", "dl=PER"]
    assert ev[1][1] == ["+1dt=PER"]  # the word before it hears of its neighbour
    assert ev[0][2] == ["dt=O", "de=-"]  # its own sentence is not evidence; elsewhere it is no name
    assert ev[3][0] == ["dt=O"]  # sentence 0 is outside the window of sentence 3 (one sentence either side)
    assert document_evidence(keys, tags, window=3)[3][0] == ["dt=PER", "dts=PERsome", "dp=I-PER", "dl=PER"]


def test_second_pass_a_name_found_once_helps_it_elsewhere(tagger):
    """The same name, clear in one sentence (a title before it), is found again where its own sentence says less."""
    assert tagger.two_pass
    docs = [
        (["قال المدرب الهولندي رود خوليت إن فريقه جاهز .", "ويأمل خوليت في الفوز باللقب هذا العام ."], "خوليت", "PER"),
        (["قال وزير المالية الهولندي جيريت زالم إن الميزانية جاهزة .",
          "ويأمل زالم في خفض العجز هذا العام ."], "زالم", "PER"),
    ]
    for doc, name, lab in docs:
        sents = [s.split() for s in doc]
        alone = sents[1]
        k = alone.index(name)
        assert tagger.tag(alone)[k] == "O"  # the sentence by itself
        assert tagger.tag_document(sents)[1][k] == "B-" + lab  # with the document around it
        assert tagger.tag_document([alone])[0][k] == "O"  # a document of that sentence alone: nothing speaks for it


def test_stage_reads_the_document_for_the_tagger():
    text = "قال المدرب الهولندي رود خوليت إن فريقه جاهز. ويأمل خوليت في الفوز باللقب هذا العام."
    doc = EntityStage()(_LANG(Document(article=Article(id="d", raw_text=text))))
    second = text.index("ويأمل")
    assert any(m.label == "PER" and m.span.start > second and m.span.text.endswith("خوليت") for m in doc.mentions)
