"""The BiLSTM-CRF second pass in numpy: shipped, batch-independent, proper marginals, reads document evidence."""

import numpy as np
import pytest

from marsad.entities.ner import FeatureExtractor, document_evidence, get_tagger
from marsad.entities.neural import ENCODER_SCALE, NN_PATH, TAG_INDEX, TAGS, NeuralTagger, subword_vectors

SENTS = [
    "وقال المتحدث باسم الحركة أحمد الخطيب إن القافلة وصلت إلى مدينة حلب أمس .".split(),
    "وصل الوفد .".split(),
    "وأعلنت منظمة الصحة العالمية في جنيف أن حملة التلقيح ستبدأ في محافظة إدلب الأسبوع المقبل بمشاركة الهلال الأحمر .".split(),
]


@pytest.fixture(scope="module")
def nn():
    t = NeuralTagger()
    assert t.available, f"model missing: {NN_PATH}"
    return t


def test_a_sentence_tags_the_same_alone_and_in_a_padded_batch(nn):
    """Padding and batch-mates never reach a sentence's tags or marginals (both LSTM directions, Viterbi, CRF)."""
    together = nn.tag_batch(SENTS, marginals=True)
    for s, (tags, marg) in zip(SENTS, together):
        alone_tags, alone_marg = nn.tag_batch([s], marginals=True)[0]
        assert tags == alone_tags and len(tags) == len(s)
        assert np.allclose(marg, alone_marg, atol=1e-4)


def test_marginals_are_distributions_and_agree_with_the_path(nn):
    for tags, marg in nn.tag_batch(SENTS, marginals=True):
        assert marg.shape == (len(tags), len(TAGS))
        assert np.allclose(marg.sum(axis=1), 1.0, atol=1e-3)
        for k, t in enumerate(tags):  # the best path's tags are likely ones, never near-impossible
            assert marg[k, TAG_INDEX[t]] > 0.2


def test_reads_names_in_context(nn):
    tags = nn.tag_batch(SENTS)
    words_tags = {(w, t) for s, ts in zip(SENTS, tags) for w, t in zip(s, ts)}
    assert ("حلب", "B-LOC") in words_tags and ("أحمد", "B-PER") in words_tags
    assert ("منظمة", "B-ORG") in words_tags
    assert all(t == "O" for t in tags[1][:1])


def test_evidence_changes_what_it_reads():
    """The same sentence with and without what the first pass said elsewhere: evidence is read, not ignored."""
    tagger = get_tagger()
    assert tagger.two_pass
    fx = FeatureExtractor()
    s = "ويأمل خوليت في الفوز باللقب هذا العام .".split()
    ev = document_evidence([[fx.key(w) for w in s], [fx.key("خوليت")]], [["O"] * len(s), ["B-PER"]], window=1)
    nn = tagger._nn
    e0, _ = nn.emissions([s])
    e1, _ = nn.emissions([s], [ev[0]])
    k = s.index("خوليت")
    assert e1[0, k, TAG_INDEX["B-PER"]] - e1[0, k, TAG_INDEX["O"]] > e0[0, k, TAG_INDEX["B-PER"]] - e0[0, k, TAG_INDEX["O"]]


def test_empty_sentences_keep_their_place(nn):
    out = nn.tag_batch([[], SENTS[1], []])
    assert out[0] == [] and out[2] == [] and len(out[1]) == len(SENTS[1])
    e, mask = nn.emissions([[], SENTS[1]])
    assert e.shape[:2] == (2, len(SENTS[1])) and mask.sum(axis=1).tolist() == [0, len(SENTS[1])]


def test_an_ensemble_averages_its_networks_scores(nn, tmp_path):
    """A file of two networks (m0_, m1_) scores each tag as their mean: here the second network is the shipped
    one with a higher output bias for B-ORG, so the ensemble's B-ORG score sits halfway."""
    with np.load(NN_PATH) as z:
        w = {k: z[k] for k in z.files}
    meta = lambda k: k.startswith("vocab_") or k == "vector_kinds"  # noqa: E731 - the file's, not a network's
    nets = {k: v for k, v in w.items() if not meta(k)}
    if any(k.startswith("m0_") for k in nets):  # the shipped file is an ensemble already: take its first network
        nets = {k[3:]: v for k, v in nets.items() if k.startswith("m0_")}
    out = {k: v for k, v in w.items() if meta(k)}
    shifted = dict(nets)
    shifted["out_b"] = nets["out_b"].copy()
    shifted["out_b"][TAG_INDEX["B-ORG"]] += 2.0
    out.update({"m0_" + k: v for k, v in nets.items()})
    out.update({"m1_" + k: v for k, v in shifted.items()})
    np.savez(tmp_path / "two.npz", **out)
    single = {k: v for k, v in w.items() if meta(k)}
    single.update(nets)
    np.savez(tmp_path / "one.npz", **single)
    two, one = NeuralTagger(tmp_path / "two.npz"), NeuralTagger(tmp_path / "one.npz")
    assert len(two.networks) == 2 and len(one.networks) == 1
    e2, mask = two.emissions(SENTS)
    e1, _ = one.emissions(SENTS)
    diff = (e2 - e1)[mask]  # the sentences' tokens (padding has no scores)
    k = TAG_INDEX["B-ORG"]
    assert np.allclose(diff[..., k], 1.0, atol=1e-4)
    assert np.allclose(np.delete(diff, k, axis=-1), 0.0, atol=1e-4)
    # asked for one network, the two-network file runs its first alone: the shipped network's scores
    first = NeuralTagger(tmp_path / "two.npz", networks=1)
    assert len(first.networks) == 1
    assert np.allclose(first.emissions(SENTS)[0], e1, atol=1e-5)
    with pytest.raises(ValueError):
        NeuralTagger(tmp_path / "two.npz", networks=0)


def test_sentences_pack_into_rows_no_longer_than_the_longest():
    from marsad.entities.neural import pack_rows

    lengths = [40, 3, 7, 30, 10, 5, 38, 2, 1]
    rows = pack_rows(lengths, max(lengths))
    assert sorted(i for r in rows for i in r) == list(range(len(lengths)))
    assert all(sum(lengths[i] for i in r) <= 40 for r in rows)
    assert len(rows) == 4  # 136 tokens: the fewest rows of 40 that hold them (40 | 38+2 | 30+10 | 7+5+3+1)


def test_a_packed_row_scores_each_sentence_as_if_alone(nn):
    """Two short sentences share a row with a reset between them: the second's scores do not hear the first."""
    short = [SENTS[1], "وصل الوفد إلى حلب .".split()]
    together, mask = nn.emissions(short + [SENTS[2]])
    for k, s in enumerate(short):
        alone, _ = nn.emissions([s])
        assert np.allclose(together[k, :len(s)], alone[0, :len(s)], atol=1e-4)


def test_pretrained_vectors_hold_the_piece_mean_and_the_encoders_meaning():
    """``vectors`` puts the kinds side by side: the piece mean as ``vector`` gives it, then the encoder's vector of
    the word alone, which places two cities nearer each other than a city and a first name."""
    sv = subword_vectors()
    words = ["بيروت", "دمشق", "أحمد", "محمد"]
    v = sv.vectors(words, ("mean", "encoder"))
    assert v.shape == (4, 2 * sv.dim)
    assert np.allclose(v[0, :sv.dim], sv.vector("بيروت"))
    enc = v[:, sv.dim:]
    assert np.allclose(np.linalg.norm(enc, axis=1), ENCODER_SCALE, atol=1e-3)
    cos = (enc @ enc.T) / ENCODER_SCALE ** 2
    assert cos[0, 1] > cos[0, 2] and cos[2, 3] > cos[1, 3]
    assert np.allclose(sv.vectors(words[:1], ("encoder",)), enc[:1], atol=1e-5)
    with pytest.raises(ValueError):
        sv.vectors(words, ("glove",))


def test_the_tagger_reads_the_vectors_its_file_names(nn):
    """The shipped networks were trained on the kinds the file lists; a form's input is the same whether its
    pretrained vector comes from a document's batch or is computed alone."""
    assert set(nn.kinds) <= {"mean", "encoder"}
    assert nn.networks[0].w["use_w"].shape[0] == len(nn.kinds) * nn.vectors.dim
    word = "برشلونة"
    nn._vectors.pop(word, None)
    alone = nn.form_vectors(word)
    nn._vectors.pop(word, None)
    batched = nn.form_vectors(word, nn.vectors.vectors([word], nn.kinds)[0])
    assert all(np.allclose(a, b, atol=1e-5) for a, b in zip(alone, batched))
