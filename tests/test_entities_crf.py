"""The first pass's CRF scored from per-form weight rows: the same tags as crfsuite's own tagger, proper
marginals, and length batches that cover every sentence once."""

import numpy as np
import pytest

from marsad.entities.crf import TAG_INDEX, FormCrf, length_batches, marginals, viterbi
from marsad.entities.ner import MODEL_PATH, FeatureExtractor

SENTS = [
    "وقال المتحدث باسم الحركة أحمد الخطيب إن القافلة وصلت إلى مدينة حلب أمس .".split(),
    "وصل الوفد .".split(),
    "أعلن".split(),
    "وأعلنت منظمة الصحة العالمية في جنيف أن حملة التلقيح ستبدأ في محافظة إدلب الأسبوع المقبل بمشاركة الهلال الأحمر .".split(),
    "التقى الرئيس الفرنسي إيمانويل ماكرون نظيره الألماني في برلين لبحث أزمة الطاقة مع شركة سيمنز .".split(),
]


@pytest.fixture(scope="module")
def crf():
    assert MODEL_PATH.exists(), f"model missing: {MODEL_PATH}"
    return FormCrf(MODEL_PATH, FeatureExtractor())


def test_tags_as_crfsuite_tags_the_feature_lists(crf):
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_PATH))
    ours = crf.tag_batch(SENTS)
    for s, tags in zip(SENTS, ours):
        assert tags == tagger.tag(crf.features.sequence(s))
    assert any(t != "O" for tags in ours for t in tags)  # the check is not only of empty tag paths


def test_scores_are_crfsuites_feature_sums(crf):
    """A token's score for each tag is the sum of its features' weights (crfsuite's own scoring of the list)."""
    s = SENTS[3]
    e, _lens = crf.emissions([s])
    feats = crf.features.sequence(s)
    for i, fs in enumerate(feats):
        want = sum(crf.weights[crf.index[f]] for f in fs if f in crf.index)
        assert np.allclose(e[0, i], want)


def test_a_sentence_scores_the_same_alone_and_in_a_batch(crf):
    together, _ = crf.emissions(SENTS)
    for k, s in enumerate(SENTS):
        alone, _ = crf.emissions([s])
        assert np.allclose(together[k, :len(s)], alone[0])


def test_marginals_are_distributions_and_agree_with_the_path(crf):
    for tags, marg in crf.tag_batch(SENTS, marginals_too=True):
        assert marg.shape == (len(tags), len(TAG_INDEX))
        assert np.allclose(marg.sum(axis=1), 1.0)
        for k, t in enumerate(tags):
            assert marg[k, TAG_INDEX[t]] > 0.2


def test_viterbi_and_marginals_against_enumeration():
    """On a small random chain, Viterbi finds the best of all paths and the marginals are the paths' shares."""
    import itertools

    rng = np.random.default_rng(3)
    T, n = 3, 4
    e = rng.normal(size=(1, n, T))
    tr, st, en = rng.normal(size=(T, T)), rng.normal(size=T), rng.normal(size=T)
    lens = np.array([n])

    def score(p):
        return st[p[0]] + en[p[-1]] + sum(e[0, i, p[i]] for i in range(n)) + sum(tr[a, b] for a, b in zip(p, p[1:]))

    paths = list(itertools.product(range(T), repeat=n))
    best = max(paths, key=score)
    assert tuple(viterbi(e, lens, tr, st, en)[0]) == best
    w = np.array([np.exp(score(p)) for p in paths])
    m = marginals(e, lens, tr, st, en)[0]
    for i in range(n):
        for t in range(T):
            assert m[i, t] == pytest.approx(w[[p[i] == t for p in paths]].sum() / w.sum(), rel=1e-6)


def test_length_batches_cover_each_sentence_once_and_cost_no_more_than_one_batch():
    lengths = [0, 5, 40, 3, 3, 12, 38, 7, 0, 41, 2]
    batches = length_batches(lengths, step_cost=10)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == [i for i, n in enumerate(lengths) if n]

    def cost(bs):
        return sum(max(lengths[i] for i in b) * (10 + len(b)) for b in bs)

    assert cost(batches) <= cost([flat])
    assert len(batches) > 1  # the short sentences are not padded to the longest
    assert all(len(b) <= 4 for b in length_batches([5] * 10, step_cost=0, size=4))
    assert length_batches([0, 0], step_cost=10) == []
