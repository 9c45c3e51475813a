"""A BiLSTM-CRF named-entity tagger that runs in numpy (trained with torch by ``scripts/train_ner_nn.py``).

Each word form enters as one vector, computed once and cached: a learnt embedding of its clitic-stripped base
(the training part's words seen at least twice; others share the unknown row), the sum of learnt embeddings of
the CRF's knowledge features of the form (affixes, shape, ordinary-Arabic frequency, subword-embedding clusters,
name lists, trigger words: ``FeatureExtractor.form``), and a projection of its pretrained vectors from the
multilingual Universal Sentence Encoder (``SubwordVectors``: the mean of its SentencePiece pieces' embeddings and
the whole encoder's vector of the word alone; the file says which, ``vector_kinds``). A bidirectional
LSTM reads the sentence; a CRF layer decodes the tags (Viterbi) and gives each tag's marginal probability
(forward-backward). Sentences of a document are packed back to back into rows (the recurrent state starting
again at each one) and run in batches of rows.
The weights file (``data/entities/ner_nn.npz``) holds one network or an ensemble of networks trained from different
seeds (their tag scores and transitions averaged), numbers and the vocabularies (word keys, feature names,
characters, derived from ANERcorp's training part), no text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from ..language.normalize import normalize
from ..paths import DATA_DIR
from .crf import TAG_INDEX, TAGS, length_batches, marginals as crf_marginals, viterbi

NN_PATH = DATA_DIR / "entities" / "ner_nn.npz"
__all__ = ["NN_PATH", "TAGS", "TAG_INDEX", "NeuralTagger", "SubwordVectors", "char_seq", "knowledge_features",
           "subword_vectors"]
LEX_KINDS = ("w=", "b=")  # word identity: the word embedding carries it, not the feature bag


VECTOR_KINDS = ("mean", "encoder")  # what a form's pretrained vector may hold, in this order
ENCODER_SCALE = 10.0  # the encoder's unit vectors, scaled to about the piece means' size (per dimension ~0.4)


class SubwordVectors:
    """A word's pretrained vectors, from the multilingual Universal Sentence Encoder (``language.encoder``):
    ``mean``, the mean of its SentencePiece pieces' rows in the encoder's embedding table (uint8-quantised in
    chunks, dequantised per row on demand), and ``encoder``, the whole encoder's output for the word alone (its
    pieces through the n-gram CNN and the feed-forward layers: a vector of what the word means, which sets names of
    people, places and bodies apart better than the piece mean; issue 20)."""

    def __init__(self):
        from ..language.encoder import sentence_encoder

        self.encoder = sentence_encoder()
        model = self.encoder._model  # its piece table, read in place (not a second copy)
        self.tok, self.table, self.lo, self.scale = model.sp, model.table, model.lo, model.scale
        self.dim = self.table.shape[1]
        self.space = self.tok.encode(["x"], add_bos=False, add_eos=False)[0][0]  # the "▁" piece

    def vector(self, word: str) -> np.ndarray:
        """The mean of the word's pieces' rows."""
        ids = np.array([p for p in self.tok.encode([word], add_bos=False, add_eos=False)[0] if p != self.space]
                       or [self.space])
        chunk = ids % len(self.scale)
        rows = self.table[ids].astype(np.float32) * self.scale[chunk, None] + self.lo[chunk, None]
        return rows.mean(axis=0)

    def vectors(self, words: Sequence[str], kinds: Sequence[str] = ("mean",)) -> np.ndarray:
        """The words' vectors [n, 512 × len(kinds)], the kinds side by side (one encoder call for all words)."""
        parts = []
        for kind in kinds:
            if kind == "mean":
                parts.append(np.stack([self.vector(w) for w in words]) if words else np.zeros((0, self.dim)))
            elif kind == "encoder":
                parts.append(ENCODER_SCALE * np.asarray(self.encoder.encode(list(words)))
                             if words else np.zeros((0, self.dim)))
            else:
                raise ValueError(f"unknown vector kind {kind!r} (one of {', '.join(VECTOR_KINDS)})")
        return np.concatenate(parts, axis=1).astype(np.float32)


@lru_cache(maxsize=1)
def subword_vectors() -> SubwordVectors:
    return SubwordVectors()


MAX_CHARS = 24


def char_seq(word: str) -> str:
    """The characters the character CNN reads: the normalised word, at most ``MAX_CHARS``."""
    return normalize(word)[:MAX_CHARS] or "_"


def knowledge_features(own: Sequence[str]) -> list[str]:
    """The CRF's own-form features the network's feature bag reads (all but the word identity)."""
    return [f for f in own if not f.startswith(LEX_KINDS)]


class _Network:
    """One trained BiLSTM (its embeddings, LSTM and output weights), laid out for numpy inference; the tagger holds
    one or several (an ensemble) over the same vocabularies."""

    def __init__(self, w: dict):
        self.w = w
        self.hidden = w["hh_f"].shape[1]
        self._prepare()

    def _prepare(self) -> None:
        """Both LSTM directions stacked ([2, ...]) with the gates reordered from torch's (i, f, g, o) to
        (i, f, o, g), so one batched product and one activation pass serve both directions."""
        w = self.w
        H = self.hidden
        order = np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]
        # sigmoid(x) = (tanh(x / 2) + 1) / 2: with the three sigmoid gates' weights halved here, one tanh over all
        # four gates serves each step
        half = np.r_[np.full(3 * H, 0.5, np.float32), np.ones(H, np.float32)]
        # [2, H, 4H], C-ordered: a transposed layout sends every step's product down BLAS's slow path (4× slower)
        self.hh = np.ascontiguousarray(np.stack([w["hh_f"][order].T, w["hh_b"][order].T]) * half)
        self.out_wt = np.ascontiguousarray(w["out_w"].T)
        if "char_w" in w:
            k = w["char_w"]  # [F, E, 3] → [3E, F]: left, centre, right
            self.char_kw = np.ascontiguousarray(np.concatenate([k[:, :, 0], k[:, :, 1], k[:, :, 2]], axis=1).T)
        bias = np.stack([(w["bih_f"] + w["bhh_f"])[order], (w["bih_b"] + w["bhh_b"])[order]]) * half
        ih2 = np.ascontiguousarray(np.concatenate([ih[order].T * half for ih in (w["ih_f"], w["ih_b"])], axis=1))
        dd = w["doc_emb"].shape[1] if "doc_emb" in w else 0
        D = ih2.shape[0] - dd
        self.ih_word = np.ascontiguousarray(ih2[:D])  # [D, 8H]: a form's vector → both directions' gates
        # [doc features, 8H]: each evidence feature's embedding already through the input weights (a bag's product
        # is then the sum of its features' rows)
        self.ih_doc = w["doc_emb"] @ ih2[D:] if dd else None
        self.bias2 = bias.reshape(-1)  # [8H]: forward gates, then backward

    def form_vector(self, word: int, feats: list[int], subword: np.ndarray, chars: Optional[list[int]]) -> np.ndarray:
        """A form's input vector from its word-key id, knowledge-feature ids, subword vector and character ids."""
        w = self.w
        bag = w["feat_emb"][feats].sum(axis=0) if feats else np.zeros(w["feat_emb"].shape[1], np.float32)
        use = np.tanh(subword @ w["use_w"] + w["use_b"])
        parts = [w["word_emb"][word], bag, use]
        if chars is not None:
            parts.append(self._char_vector(chars))
        return np.concatenate(parts).astype(np.float32)

    def _char_vector(self, ids: list[int]) -> np.ndarray:
        """Max over positions of a width-3 convolution of the characters' embeddings (zero-padded), tanh."""
        e = self.w["char_emb"][ids]  # [n, E]
        z = np.zeros((1, e.shape[1]), np.float32)
        p = np.concatenate([z, e, z])
        win = np.concatenate([p[:-2], p[1:-1], p[2:]], axis=1)  # [n, 3E]: left, centre, right
        return np.tanh((win @ self.char_kw + self.w["char_b"]).max(axis=0))

    def project(self, x: np.ndarray) -> np.ndarray:
        """The input product (both directions' gates, bias included) [n, 8H] of form vectors ``x`` [n, D]."""
        return x @ self.ih_word + self.bias2

    def bag_table(self, bags: Sequence[list[int]]) -> Optional[np.ndarray]:
        """The input product [V+1, 8H] of each distinct evidence bag (its feature ids; row 0: no evidence), or
        None when the network reads no evidence."""
        if self.ih_doc is None:
            return None
        etab = np.zeros((len(bags) + 1, self.ih_doc.shape[1]), np.float32)
        for i, ids in enumerate(bags, 1):
            if ids:
                etab[i] = self.ih_doc[ids].sum(axis=0)
        return etab

    def inputs(self, fix: np.ndarray, eix: Optional[np.ndarray], rev: np.ndarray, ftab: np.ndarray,
               etab: Optional[np.ndarray], pre: np.ndarray) -> None:
        """Writes each step's input product of a batch into ``pre`` [L, 2, B, 4H], given each token's row in the
        form and bag tables ([B, L] each); the backward direction in reversed order (``rev`` [B, L]: the original
        position of each reversed step)."""
        B, L = fix.shape
        G = ftab.shape[1] // 2
        rows = np.arange(B)[:, None]
        back = fix[rows, rev].T
        pre[:, 0] = ftab[fix.T, :G]
        pre[:, 1] = ftab[back, G:]
        if etab is not None:
            pre[:, 0] += etab[eix.T, :G]
            pre[:, 1] += etab[eix[rows, rev].T, G:]

    def scores(self, fwd: np.ndarray, back: np.ndarray) -> np.ndarray:
        """Tag scores [B, L, tags] from the two directions' states [B, L, H] each."""
        return np.concatenate([fwd, back], axis=2) @ self.out_wt + self.w["out_b"]


CACHE_FORMS = 25_000  # forms whose input products are kept (8 KB a form with two networks: 200 MB at most)
CACHE_VECTORS = 100_000  # forms whose input vectors are kept (about 1 KB a form and network)
ROWS = 128  # packed rows an LSTM batch runs side by side
# a decoding step's fixed cost in sentence-steps (Viterbi and forward-backward: ~35 µs a step, ~2.5 µs a sentence)
DECODE_STEP_COST = 14


def pack_rows(lengths: Sequence[int], capacity: int) -> list[list[int]]:
    """Sentences (indices of ``lengths``, all non-empty and at most ``capacity`` long) packed back to back into
    rows of at most ``capacity`` tokens (best fit, longest first), so one LSTM step serves several short sentences
    and little of a batch is padding."""
    from bisect import bisect_left, insort

    rows: list[list[int]] = []
    free: list[tuple[int, int]] = []  # (room left, row), ascending
    for i in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        n = lengths[i]
        k = bisect_left(free, (n, -1))
        if k < len(free):
            room, r = free.pop(k)
            rows[r].append(i)
            if room - n:
                insort(free, (room - n, r))
        else:
            rows.append([i])
            if capacity - n:
                insort(free, (capacity - n, len(rows) - 1))
    return rows


def _lstm_steps(pre: np.ndarray, hh: np.ndarray, resets: Optional[Sequence[np.ndarray]] = None) -> np.ndarray:
    """Runs stacked LSTMs side by side (both directions of each network: ``pre`` [L, S, B, 4H], ``hh`` [S, H, 4H],
    gates (i, f, o, g) with the sigmoid gates' weights halved); returns the states [L, S, B, H]. A row may hold
    several sentences back to back: ``resets[t]`` are the rows where one begins at step t, whose state starts again
    from zero there (the backward direction comes reversed within each sentence, so both begin at the same step).
    Padding only ever follows a row's last sentence, so it never reaches a real state."""
    L, S, B, G = pre.shape
    H = G // 4
    h = np.zeros((S, B, H), np.float32)
    c = np.zeros((S, B, H), np.float32)
    out = np.empty((L, S, B, H), np.float32)
    for t in range(L):
        if resets is not None and t and len(resets[t]):
            h[:, resets[t]] = 0.0
            c[:, resets[t]] = 0.0
        g = h @ hh
        g += pre[t]
        np.tanh(g, out=g)  # the sigmoid gates' pre-activations come halved: sigmoid(x) = (tanh(x / 2) + 1) / 2
        sg = g[:, :, :3 * H]
        sg += 1.0
        sg *= 0.5
        c = sg[:, :, H:2 * H] * c + sg[:, :, :H] * g[:, :, 3 * H:]
        h = sg[:, :, 2 * H:] * np.tanh(c)
        out[t] = h
    return out


def _padded(per: Sequence[Optional[np.ndarray]], length: int) -> np.ndarray:
    """Per-sentence tag scores ([n, tags] each; None for an empty sentence) as one left-aligned batch
    [B, length, tags], zero past each sentence's end."""
    e = np.zeros((len(per), length, len(TAGS)), np.float32)
    for k, x in enumerate(per):
        if x is not None:
            e[k, :len(x)] = x
    return e


class NeuralTagger:
    """Loads ``ner_nn.npz`` once; ``tag_batch(sentences)`` → per sentence (tags, marginals [L × tags]). The file
    holds one network or an ensemble (keys prefixed ``m0_``, ``m1_`` …, trained from different seeds): their tag
    scores and CRF transitions are averaged (one CRF over the mean potentials)."""

    def __init__(self, path: Optional[Path] = None, features=None, networks: Optional[int] = None):
        """``networks``: how many of the file's networks to run (the first ones; None: all). One network tags
        about 1.3× as fast as two on articles, at some cost in accuracy (README, NER row)."""
        from .ner import FeatureExtractor

        path = Path(path or NN_PATH)
        self.available = path.exists()
        # the CRF tagger passes its own, so a word's features are computed once for both passes (this one reads
        # them before the CRF's pruning: form()[8])
        self.features = features or FeatureExtractor()
        self.networks: list[_Network] = []
        self._cache: dict[str, np.ndarray] = {}  # form -> its input products in every network [N, 8H]
        self._vectors: dict[str, list] = {}  # form -> its input vector in every network
        if not self.available:
            return
        with np.load(path, allow_pickle=False) as z:
            w = {k: z[k] for k in z.files}
        self.words = {k: i + 1 for i, k in enumerate(w.pop("vocab_words").tolist())}  # 0 = unknown
        self.feats = {k: i for i, k in enumerate(w.pop("vocab_feats").tolist())}
        self.doc = {f: i for i, f in enumerate(w.pop("vocab_doc").tolist())} if "vocab_doc" in w else None
        self.chars = {c: i + 2 for i, c in enumerate(w.pop("vocab_chars").tolist())} if "vocab_chars" in w else None
        # what the networks' pretrained word vector holds (files before the encoder's vectors: the piece mean alone)
        self.kinds = tuple(w.pop("vector_kinds").tolist()) if "vector_kinds" in w else ("mean",)
        w = {k: v.astype(np.float32) for k, v in w.items()}
        prefixes = sorted({k.split("_", 1)[0] + "_" for k in w if re.match(r"m\d+_", k)},
                          key=lambda p: int(p[1:-1])) or [""]
        if networks is not None:
            if networks < 1:
                raise ValueError(f"networks must be at least 1, got {networks}")
            prefixes = prefixes[:networks]
        for pre in prefixes:
            self.networks.append(_Network({k[len(pre):]: v for k, v in w.items() if k.startswith(pre)}))
        self.crf = {k: np.mean([n.w[k] for n in self.networks], axis=0) for k in ("trans", "start", "end")}
        # every network's two directions stacked: one product per step runs them all (a step's fixed cost, not its
        # arithmetic, dominates small batches); networks of one size only
        if len({n.hidden for n in self.networks}) != 1:
            raise ValueError(f"{path}: an ensemble's networks must share one hidden size")
        self.hh = np.ascontiguousarray(np.concatenate([n.hh for n in self.networks]))
        self.vectors = subword_vectors()

    def form_vectors(self, word: str, subword: Optional[np.ndarray] = None) -> list[np.ndarray]:
        """The form's input vector in each network (its features and pretrained vector computed once; ``subword``:
        that vector if the caller has it), cached (beyond the forms whose products are kept: a long archive's rarer
        words are then only projected again)."""
        hit = self._vectors.get(word)
        if hit is not None:
            return hit
        own = self.features.form(word)
        fe = [self.feats[f] for f in knowledge_features(own[8]) if f in self.feats]
        sub = subword if subword is not None else self.vectors.vectors([word], self.kinds)[0]
        chars = self.char_ids(word) if self.chars is not None else None
        wid = self.words.get(own[5], 0)
        hit = [net.form_vector(wid, fe, sub, chars) for net in self.networks]
        if len(self._vectors) < CACHE_VECTORS:
            self._vectors[word] = hit
        return hit

    def _tables(self, forms: Sequence[str], bags: Sequence[tuple]) -> list:
        """Per network, its (form table, bag table): each distinct form's input product and each evidence bag's.
        A form's products (all networks', [N, 8H]) are cached across documents, so a frequent word is projected
        once per process, not once per document; new forms are projected together (one matrix product)."""
        cache = self._cache
        got = [cache.get(w) for w in forms]
        new = [i for i, g in enumerate(got) if g is None]
        if new:
            # the pretrained vectors of the forms never seen, in one call (the encoder runs them as one batch)
            unseen = [forms[i] for i in new if forms[i] not in self._vectors]
            subs = dict(zip(unseen, self.vectors.vectors(unseen, self.kinds))) if unseen else {}
            vecs = [self.form_vectors(forms[i], subs.get(forms[i])) for i in new]
            proj = np.stack([net.project(np.stack([v[k] for v in vecs])) for k, net in enumerate(self.networks)],
                            axis=1)  # [new, N, 8H]
            room = CACHE_FORMS - len(cache)
            for j, i in enumerate(new):
                got[i] = proj[j]
                if j < room:
                    cache[forms[i]] = proj[j]
        N, G2 = len(self.networks), 2 * self.hh.shape[2]
        table = np.empty((len(forms) + 1, N, G2), np.float32)  # row 0: padding (it never reaches a real state)
        table[0] = [net.bias2 for net in self.networks]
        if got:
            np.stack(got, out=table[1:])
        doc = self.doc
        bag_ids = [[doc[f] for f in bag if f in doc] for bag in bags] if doc is not None else []  # once for all
        return [(table[:, k], net.bag_table(bag_ids)) for k, net in enumerate(self.networks)]

    def char_ids(self, word: str) -> list[int]:
        return [self.chars.get(c, 1) for c in char_seq(word)]

    def _indexed(self, sentences, evidence):
        """Distinct forms and evidence bags of the sentences, and each token's row in their tables (1-based)."""
        rows: dict[str, int] = {}
        fid = [[rows.setdefault(w, len(rows) + 1) for w in ws] for ws in sentences]
        bags: dict[tuple, int] = {}
        eid = None
        if self.doc is not None:
            eid = [[bags.setdefault(tuple(ev[t]), len(bags) + 1) if ev[t] else 0 for t in range(len(ws))]
                   if ev is not None else [0] * len(ws)
                   for ws, ev in zip(sentences, evidence if evidence is not None else [None] * len(sentences))]
        return list(rows), fid, list(bags), eid

    def _row_emissions(self, rows: list[list[int]], lens: Sequence[int], fid, eid, tabs) -> list:
        """Tag scores [n, tags] of each sentence of a batch of packed rows (the networks' mean), in row order."""
        B = len(rows)
        L = max(sum(lens[i] for i in r) for r in rows)
        rev = np.tile(np.arange(L), (B, 1))  # position of step t of the row's reversed sentences in the row
        fix = np.zeros((B, L), np.int64)
        eix = np.zeros((B, L), np.int64) if eid is not None else None
        resets: list[list[int]] = [[] for _ in range(L)]
        where = []
        for k, r in enumerate(rows):
            o = 0
            for i in r:
                n = lens[i]
                rev[k, o:o + n] = np.arange(o + n - 1, o - 1, -1)
                fix[k, o:o + n] = fid[i]
                if eix is not None:
                    eix[k, o:o + n] = eid[i]
                resets[o].append(k)
                where.append((k, o, n))
                o += n
        G = self.hh.shape[2]
        pre = np.empty((L, 2 * len(self.networks), B, G), np.float32)
        for n, (net, tab) in enumerate(zip(self.networks, tabs)):
            net.inputs(fix, eix, rev, *tab, pre=pre[:, 2 * n:2 * n + 2])
        out = _lstm_steps(pre, self.hh, [np.array(r, np.int64) for r in resets])  # [L, 2N, B, H]
        at = np.arange(B)[:, None]
        es = [net.scores(out[:, 2 * n].transpose(1, 0, 2), out[rev, 2 * n + 1, at])  # reversal: its own inverse
              for n, net in enumerate(self.networks)]
        e = es[0] if len(es) == 1 else np.mean(es, axis=0)
        return [e[k, o:o + n] for k, o, n in where]

    def _sentence_emissions(self, sentences, fid, eid, tabs) -> list:
        """Tag scores [n, tags] of each sentence (None for an empty one): the sentences packed into rows as long
        as the longest, run in batches of at most ``ROWS`` rows."""
        lens = [len(s) for s in sentences]
        live = [i for i, n in enumerate(lens) if n]
        out: list = [None] * len(sentences)
        if not live:
            return out
        rows = [[live[j] for j in r] for r in pack_rows([lens[i] for i in live], max(lens))]
        rows.sort(key=lambda r: -sum(lens[i] for i in r))  # rows of similar fill together
        for b in range(0, len(rows), ROWS):
            part = rows[b:b + ROWS]
            for i, e in zip((i for r in part for i in r), self._row_emissions(part, lens, fid, eid, tabs)):
                out[i] = e
        return out

    def emissions(self, sentences: Sequence[Sequence[str]], evidence=None) -> tuple[np.ndarray, np.ndarray]:
        """Tag scores [B, L, tags] of a padded batch (the networks' mean), and its mask; ``evidence`` (the document
        evidence of each token, as ``ner.document_evidence`` gives it) when the model reads it."""
        lens = np.array([len(s) for s in sentences])
        mask = np.arange(lens.max())[None, :] < lens[:, None]
        forms, fid, bags, eid = self._indexed(sentences, evidence)
        per = self._sentence_emissions(sentences, fid, eid, self._tables(forms, bags))
        return _padded(per, mask.shape[1]), mask

    def tag_batch(self, sentences: Sequence[Sequence[str]], marginals: bool = False, evidence=None,
                  named_only: bool = False):
        """Tags of each sentence (Viterbi), with the tags' marginal probabilities [L × tags] when asked (with
        ``named_only``, only for sentences whose tags hold a name: the others' are None, forward-backward being
        spent only where a span's confidence is wanted); ``evidence``: per sentence, its tokens' document evidence
        (when the model reads it)."""
        out: list = [None] * len(sentences)
        for i, s in enumerate(sentences):
            if not s:
                out[i] = ([], np.zeros((0, len(TAGS)), np.float32)) if marginals else []
        batches = length_batches([len(s) for s in sentences], DECODE_STEP_COST)
        if not batches:
            return out
        forms, fid, bags, eid = self._indexed(sentences, evidence)
        per = self._sentence_emissions(sentences, fid, eid, self._tables(forms, bags))  # forms, bags projected once
        for idx in batches:
            lens = np.array([len(sentences[i]) for i in idx])
            e = _padded([per[i] for i in idx], int(lens.max()))
            crf = self.crf
            paths = viterbi(e, lens, crf["trans"], crf["start"], crf["end"])
            marg = None
            if marginals:
                named = (paths != TAG_INDEX["O"]).any(axis=1) if named_only else np.ones(len(idx), bool)
                marg = [None] * len(idx)
                if named.any():
                    at = np.flatnonzero(named)
                    m = crf_marginals(e[at], lens[at], crf["trans"], crf["start"], crf["end"])
                    for r, k in enumerate(at):
                        marg[k] = m[r]
            for k, i in enumerate(idx):
                n = int(lens[k])
                tags = [TAGS[j] for j in paths[k, :n]]
                out[i] = (tags, None if marg[k] is None else marg[k][:n]) if marginals else tags
        return out
