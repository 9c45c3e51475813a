"""Linear-chain CRF decoding in numpy (Viterbi, forward-backward) over padded batches, shared by both NER passes,
and the first pass's CRF scored from per-form weight rows.

The first pass is a python-crfsuite model (``ner.crfsuite``, trained by ``scripts/train_ner.py``). Its score of a
tag at a token is the sum of the weights of the token's features, and almost all of those features belong to one
word form (its own, or its neighbours' seen from it: ``FeatureExtractor.form``). So each form's weights are summed
once into six rows (own, as previous, as next, as ±2 neighbour, as wider context) and cached; a sentence's scores
are then its forms' rows shifted into place, plus the few features of a pair of neighbours (``bg=``, ``cg=``,
``cn=``). The result is what crfsuite computes from the feature strings (to the six decimals its model dump keeps),
without building a feature list per token.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Sequence

import numpy as np

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
TAG_INDEX = {t: i for i, t in enumerate(TAGS)}
MAX_BATCH = 128


def length_batches(lengths: Sequence[int], step_cost: float, size: int = MAX_BATCH) -> list[list[int]]:
    """Indices of the non-empty sequences in batches (shortest first) that minimise the padded work: a batch of
    ``b`` sequences, the longest ``L`` long, costs ``L × (step_cost + b)``, ``step_cost`` being a step's fixed cost
    in sequence-steps (numpy's per-call overhead, which makes small batches dear). Found exactly by dynamic
    programming over the sorted lengths (at most ``size`` to a batch)."""
    order = sorted((i for i, n in enumerate(lengths) if n), key=lambda i: lengths[i])
    if not order:
        return []
    ls = np.array([lengths[i] for i in order], np.float64)
    n = len(ls)
    best = np.zeros(n + 1)  # best[j]: the cheapest batching of the j shortest
    cut = np.zeros(n + 1, np.int64)
    for j in range(1, n + 1):
        lo = max(0, j - size)
        starts = np.arange(lo, j)  # the batch holds sequences starts..j-1
        cost = best[lo:j] + ls[j - 1] * (step_cost + (j - starts))
        k = int(cost.argmin())
        best[j], cut[j] = cost[k], lo + k
    batches: list[list[int]] = []
    j = n
    while j > 0:
        batches.append(order[cut[j]:j])
        j = int(cut[j])
    return batches[::-1]


def logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    m = a.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(a - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def viterbi(e: np.ndarray, lens: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Best tag paths [B, L] of a batch of left-aligned emissions [B, L, T]; past a sentence's end the score is
    carried unchanged (identity step), so its end transition applies at its own last token."""
    B, L, T = e.shape
    score = start + e[:, 0]
    back = np.zeros((B, L, T), np.int64)
    keep = np.arange(T)
    for t in range(1, L):
        sc = score[:, :, None] + trans  # [B, from, to]
        bp = sc.argmax(axis=1)
        new = sc.max(axis=1) + e[:, t]
        live = (t < lens)[:, None]
        score = np.where(live, new, score)
        back[:, t] = np.where(live, bp, keep)
    best = (score + end).argmax(axis=1)
    path = np.zeros((B, L), np.int64)
    path[:, L - 1] = best
    rows = np.arange(B)
    for t in range(L - 1, 0, -1):
        path[:, t - 1] = back[rows, t, path[:, t]]
    return path


def marginals(e: np.ndarray, lens: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Each tag's marginal probability [B, L, T] (forward-backward in log space)."""
    B, L, T = e.shape
    alpha = np.zeros((B, L, T), e.dtype)
    beta = np.zeros((B, L, T), e.dtype)
    alpha[:, 0] = start + e[:, 0]
    for t in range(1, L):
        alpha[:, t] = logsumexp(alpha[:, t - 1][:, :, None] + trans, axis=1) + e[:, t]
    last = lens - 1
    beta[np.arange(B), last] = end
    for t in range(L - 2, -1, -1):
        step = logsumexp(trans[None] + (e[:, t + 1] + beta[:, t + 1])[:, None, :], axis=2)
        beta[:, t] = np.where((t < last)[:, None], step, beta[:, t])
    z = logsumexp(alpha[np.arange(B), last] + end, axis=1)
    return np.exp(np.minimum(alpha + beta - z[:, None, None], 0.0))  # past a sentence's end: unused, kept finite


STEP_COST = 40  # a decoding step's fixed cost in sentence-steps (measured: ~12 µs a step, ~0.3-0.8 µs a sentence)


class FormCrf:
    """The first-pass CRF: crfsuite's weights laid out by attribute ([A + 1, T], row 0 empty), each form's six
    summed rows cached, sentences scored and decoded in padded batches."""

    ROWS = 6  # own, as previous, as next, as -2, as +2 neighbour, as wider context

    def __init__(self, path: Path, features):
        import pycrfsuite

        from .ner import WIDE

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        info = tagger.info()
        attrs = sorted({a for a, _label in info.state_features})
        self.index = {a: i + 1 for i, a in enumerate(attrs)}
        T = len(TAGS)
        self.weights = np.zeros((len(attrs) + 1, T))
        for (a, label), v in info.state_features.items():
            self.weights[self.index[a], TAG_INDEX[label]] = v
        self.trans = np.zeros((T, T))
        for (a, b), v in info.transitions.items():
            self.trans[TAG_INDEX[a], TAG_INDEX[b]] = v
        self.zero = np.zeros(T)  # crfsuite's chains have no start or end weights
        self.bos = self.weights[self.index.get("BOS", 0)]
        self.eos = self.weights[self.index.get("EOS", 0)]
        self.features = features
        features.restrict(set(self.index) | {"BOS", "EOS"})  # the form lists keep only weighted attributes
        self.wide = WIDE
        # features of a pair of neighbours: their keys' bigram (bg=, the later token's) and their coarse clusters'
        # bigram (cg= the later token's, cn= the earlier one's); the clusters' as dense [C + 1, C + 1, T] tables
        self.bigrams: dict[tuple[str, str], int] = {}
        coarse: set[str] = set()
        for a in attrs:
            kind, _, rest = a.partition("=")
            if kind == "bg":
                for pos in (p for p, ch in enumerate(rest) if ch == "|"):  # every split: a key may hold a "|"
                    self.bigrams[rest[:pos], rest[pos + 1:]] = self.index[a]
            elif kind in ("cg", "cn", "cc"):
                coarse.update(rest.split("|"))
        self.coarse = {c: i + 1 for i, c in enumerate(sorted(coarse))}  # 0: padding or a cluster never weighted
        C = len(self.coarse) + 1
        self.cg = np.zeros((C, C, T))
        self.cn = np.zeros((C, C, T))
        for c1, i1 in self.coarse.items():
            for c2, i2 in self.coarse.items():
                self.cg[i1, i2] = self.weights[self.index.get("cg=" + c1 + "|" + c2, 0)]
                self.cn[i1, i2] = self.weights[self.index.get("cn=" + c1 + "|" + c2, 0)]
        self._forms: dict[str, tuple] = {}

    def form_rows(self, word: str) -> tuple[np.ndarray, int, str]:
        """The form's six rows [6, T] (the summed weights of its features in each role), its coarse cluster's
        number and its key, cached."""
        hit = self._forms.get(word)
        if hit is not None:
            return hit
        f = self.features.form(word)
        W, ix = self.weights, self.index
        rows = np.zeros((self.ROWS, W.shape[1]))
        for r, feats in enumerate(f[:5]):
            if feats:
                rows[r] = W[[ix[a] for a in feats]].sum(axis=0)
        if f[7] is not None:
            rows[5] = W[ix[f[7]]]
        hit = (rows, self.coarse.get(f[6], 0), f[5])
        if len(self._forms) < 300_000:
            self._forms[word] = hit
        return hit

    def emissions(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Tag scores [B, L, T] of a padded batch of non-empty sentences, and their lengths."""
        lens = np.array([len(s) for s in sentences])
        B, L = len(sentences), int(lens.max())
        forms: dict[str, int] = {}
        fix = np.zeros((B, L), np.int64)
        for k, ws in enumerate(sentences):
            fix[k, :len(ws)] = [forms.setdefault(w, len(forms) + 1) for w in ws]
        table = np.zeros((len(forms) + 1, self.ROWS, len(TAGS)))
        coarse = np.zeros(len(forms) + 1, np.int64)
        keys = [""]
        for w, i in forms.items():
            table[i], coarse[i], key = self.form_rows(w)
            keys.append(key)
        g = table[fix]  # [B, L, 6, T]; padding rows are zero, so shifts never cross a sentence's end
        e = g[:, :, 0].copy()
        e[:, 1:] += g[:, :-1, 1]
        e[:, :-1] += g[:, 1:, 2]
        e[:, 2:] += g[:, :-2, 3]
        e[:, :-2] += g[:, 2:, 4]
        for d in self.wide:
            if d < L:
                e[:, d:] += g[:, :-d, 5]
                e[:, :-d] += g[:, d:, 5]
        e[:, 0] += self.bos
        e[np.arange(B), lens - 1] += self.eos
        c = coarse[fix]  # padding: 0, whose rows are zero
        e[:, 1:] += self.cg[c[:, :-1], c[:, 1:]]
        e[:, :-1] += self.cn[c[:, :-1], c[:, 1:]]
        at_k, at_i, rows = [], [], []
        bigrams = self.bigrams
        for k, ws in enumerate(sentences):
            ks = [keys[j] for j in fix[k, :len(ws)].tolist()]
            for i, pair in enumerate(pairwise(ks), 1):
                r = bigrams.get(pair)
                if r is not None:
                    at_k.append(k)
                    at_i.append(i)
                    rows.append(r)
        if rows:
            np.add.at(e, (np.array(at_k), np.array(at_i)), self.weights[rows])
        return e, lens

    def tag_batch(self, sentences: Sequence[Sequence[str]], marginals_too: bool = False) -> list:
        """Tags of each sentence (Viterbi), with the tags' marginal probabilities [n × T] when asked."""
        out: list = [([], np.zeros((0, len(TAGS)))) if marginals_too else [] for _ in sentences]
        for idx in length_batches([len(s) for s in sentences], STEP_COST):
            e, lens = self.emissions([sentences[i] for i in idx])
            paths = viterbi(e, lens, self.trans, self.zero, self.zero)
            marg = marginals(e, lens, self.trans, self.zero, self.zero) if marginals_too else None
            for k, i in enumerate(idx):
                n = int(lens[k])
                tags = [TAGS[j] for j in paths[k, :n]]
                out[i] = (tags, marg[k, :n]) if marginals_too else tags
        return out
