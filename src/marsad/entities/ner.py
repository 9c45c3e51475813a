"""Statistical NER (PER / ORG / LOC / MISC) with a linear-chain CRF (python-crfsuite).

The model is trained by ``scripts/train_ner.py`` on ANERcorp and shipped in ``data/entities/ner.crfsuite``; tagging
scores it in numpy from per-form weight rows (``crf.FormCrf``: crfsuite's own tags, without a feature list per
token). A second
pass, a BiLSTM-CRF (``neural.py``, ``ner_nn.npz``, trained by ``scripts/train_ner_nn.py``), reads each sentence whole
with pretrained subword vectors and what this first pass said of the same words in the other sentences of the
document (``document_evidence``); it is trained on out-of-fold first-pass tags.
Features are computed once per distinct word form (cached, pre-prefixed for each neighbour role); ``sequence``
concatenates a token's and its neighbours' lists, which is what training and crfsuite read.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence

from ..language.forms import ARTICLE, strip_article as strip_al
from ..language.forms import word_classes, word_frequencies
from ..language.morph import get_splitter
from ..language.normalize import normalize
from ..paths import DATA_DIR
from .crf import TAG_INDEX, FormCrf

ENT_DIR = DATA_DIR / "entities"
MODEL_PATH = ENT_DIR / "ner.crfsuite"
TRIGGERS_PATH = ENT_DIR / "ner_triggers.json"
CLUSTERS_PATH = ENT_DIR / "word_clusters.tsv.gz"
LEXICON_PATH = ENT_DIR / "ner_lexicon.json"

# ANERcorp tag names -> marsad labels
LABEL_MAP = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}


@lru_cache(maxsize=1)
def triggers() -> dict[str, str]:
    """normalised trigger word -> class (PER / ORG / LOC); the first class listed wins."""
    with open(TRIGGERS_PATH, encoding="utf-8") as fh:
        data = json.load(fh)
    out: dict[str, str] = {}
    for cls in ("PER", "ORG", "LOC"):
        for w in data.get(cls, []):
            out.setdefault(normalize(w), cls)
    return out


def _shape(w: str) -> str:
    kinds = []
    for ch in w:
        if "\u0621" <= ch <= "\u06ff":
            k = "A"
        elif ch.isdigit():
            k = "D"
        elif ch.isalpha():
            k = "X" if ch.isupper() else "x"
        else:
            k = "P"
        if not kinds or kinds[-1] != k:
            kinds.append(k)
    return "".join(kinds[:4])


@lru_cache(maxsize=1)
def word_clusters() -> dict[str, tuple[str, str]]:
    """Normalised form -> (fine, coarse) cluster ids of its subword embedding (scripts/build_word_clusters.py)."""
    out: dict[str, tuple[str, str]] = {}
    if not CLUSTERS_PATH.exists():
        return out
    with gzip.open(CLUSTERS_PATH, "rt", encoding="utf-8") as fh:
        for line in fh:
            w, f, c = line.rstrip("\n").split("\t")
            out[w] = (f, c)
    return out


@lru_cache(maxsize=1)
def name_lexicon() -> dict[str, tuple[str, ...]]:
    """Normalised, article-less word -> the name lists it occurs in (PER, PER1 = a first name, ORG, LOC = a whole
    place name, LOCp = a word of one, LOCm = a city, country or governorate), built by ``scripts/train_ner.py --lexicon`` from the actor base, the
    PETRARCH dictionary and the gazetteer."""
    if not LEXICON_PATH.exists():
        return {}
    with open(LEXICON_PATH, encoding="utf-8") as fh:
        data = json.load(fh)
    out: dict[str, list] = {}
    for cls, words in data["lists"].items():
        for w in words:
            out.setdefault(w, []).append(cls)
    return {w: tuple(v) for w, v in out.items()}


CONTEXT_ZIPF = 3.5  # words at least this frequent in ordinary Arabic count as the wider context of a token
WIDE = (3, 4, 5)  # distances of the wider context


def _zipf_bucket(z: float) -> str:
    return "0" if z <= 0 else str(min(int(z * 2) / 2, 6.0))


class FeatureExtractor:
    """Per-form feature lists (own, as previous / next neighbour, as ±2 neighbour), cached.

    Beyond the word and its affixes, each form carries knowledge no small annotated corpus holds: its cluster
    in pretrained subword-embedding space (fine and coarse), its frequency in ordinary Arabic (wordfreq's Zipf
    scale: a frequent word is rarely a name), what the farahidi morphological analyser makes of it (a name of its
    lexicon, an ordinary word, or a word it cannot analyse: ``language.forms.word_classes``), and the name lists it
    occurs in (people, organisations, places)."""

    def __init__(self):
        self.splitter = get_splitter("rules")
        self.zipf = word_frequencies()
        self.morph = word_classes()
        self.clusters = word_clusters()
        self.names = name_lexicon()
        self.trig = triggers()
        self._cache: dict[str, tuple] = {}
        self.known: Optional[set] = None  # attributes the loaded model uses; others are dropped (speed)

    def restrict(self, known: set) -> None:
        """Keep only features the model has weights for (an L1-pruned model knows far fewer)."""
        self.known = known
        self._cache.clear()

    def _cluster(self, n: str, b: str, nb: str) -> tuple:
        cl = self.clusters
        hit = cl.get(n)
        if hit is not None:
            return hit, ""
        for k in (nb, b, ARTICLE + b):
            hit = cl.get(k)
            if hit is not None:
                return hit, "b"
        return ("-", "-"), "-"

    def form(self, w: str) -> tuple:
        hit = self._cache.get(w)
        if hit is not None:
            return hit
        n = normalize(w)
        base, pre, _suf = self.splitter.split(w)
        nb = normalize(base)
        b = strip_al(nb)
        t = self.trig.get(n) or self.trig.get(nb) or self.trig.get(b)
        sh = _shape(w)
        z = self.zipf.get(n, 0.0)
        zb = max(self.zipf.get(nb, 0.0), self.zipf.get(b, 0.0))
        (cf, cc), how = self._cluster(n, b, nb)
        lex = self.names.get(b) or self.names.get(strip_al(n)) or ()
        zk = _zipf_bucket(max(z, zb))
        mo = self.morph
        m = mo.get(n) or mo.get(nb) or mo.get(b) or "-"  # what the morphological analyser makes of the word
        own = [
            "w=" + n, "b=" + b,
            "p1=" + b[:1], "p2=" + b[:2], "p3=" + b[:3], "p4=" + b[:4],
            "s1=" + n[-1:], "s2=" + n[-2:], "s3=" + n[-3:], "s4=" + n[-4:],
            "sh=" + sh, "len=" + str(min(len(b), 8)),
            "z=" + _zipf_bucket(z), "zb=" + _zipf_bucket(zb),
            "c=" + cf, "cc=" + cc, "ch=" + how, "m=" + m,
        ]
        if pre:
            own.append("pre=" + "".join(pre))
        if nb.startswith(ARTICLE):
            own.append("al")
        if t:
            own.append("t=" + t)
        for L in lex:
            own += ["L=" + L, "Lz=" + L + zk]
        prev = ["-1w=" + n, "-1b=" + b, "-1sh=" + sh, "-1c=" + cf, "-1cc=" + cc, "-1z=" + zk, "-1m=" + m]
        nxt = ["+1w=" + n, "+1b=" + b, "+1sh=" + sh, "+1c=" + cf, "+1cc=" + cc, "+1z=" + zk, "+1m=" + m]
        prev2 = ["-2b=" + b, "-2cc=" + cc]
        next2 = ["+2b=" + b, "+2cc=" + cc]
        if t:
            prev.append("-1t=" + t)
            nxt.append("+1t=" + t)
            prev2.append("-2t=" + t)
            next2.append("+2t=" + t)
        for L in lex:
            prev.append("-1L=" + L)
            nxt.append("+1L=" + L)
        if pre:
            prev.append("-1pre=" + "".join(pre))
            nxt.append("+1pre=" + "".join(pre))
        full = tuple(own)  # before pruning: the second pass reads them all
        k = self.known
        if k is not None:
            own, prev, nxt, prev2, next2 = ([f for f in x if f in k] for x in (own, prev, nxt, prev2, next2))
        ctx = ("x=" + b) if zb >= CONTEXT_ZIPF and len(b) > 2 else None  # an ordinary word, seen as the wider context
        if ctx is not None and k is not None and ctx not in k:
            ctx = None
        hit = (own, prev, nxt, prev2, next2, b, cc, ctx, full)
        if len(self._cache) < 300_000:
            self._cache[w] = hit
        return hit

    def key(self, w: str) -> str:
        """The word's normalised, clitic- and article-stripped base (``form``'s ``b``): what the second pass
        compares across sentences."""
        return self.form(w)[5]

    def sequence(self, words: Sequence[str]) -> list[list[str]]:
        forms = [self.form(w) for w in words]
        L = len(forms)
        known = self.known
        out = []
        for i, f in enumerate(forms):
            feats = list(f[0])
            if i > 0:
                p = forms[i - 1]
                feats += p[1]
                for bg in ("bg=" + p[5] + "|" + f[5], "cg=" + p[6] + "|" + f[6]):
                    if known is None or bg in known:
                        feats.append(bg)
                if i > 1:
                    feats += forms[i - 2][3]
            else:
                feats.append("BOS")
            if i + 1 < L:
                nx = forms[i + 1]
                feats += nx[2]
                cg = "cn=" + f[6] + "|" + nx[6]
                if known is None or cg in known:
                    feats.append(cg)
                if i + 2 < L:
                    feats += forms[i + 2][4]
            else:
                feats.append("EOS")
            for d in WIDE:  # the wider context as a bag of ordinary words (مباراة، فاز، الدوري … around a club)
                for j in (i - d, i + d):
                    if 0 <= j < L and forms[j][7] is not None:
                        feats.append(forms[j][7])
            out.append(feats)
        return out


@lru_cache(maxsize=1)
def feature_extractor() -> FeatureExtractor:
    return FeatureExtractor()


DOC_WINDOW = 20  # sentences either side of a sentence that form its document window for the second pass
_LABELS = ("PER", "ORG", "LOC", "MISC")


def _share(k: int, n: int) -> str:
    return "all" if k >= n else "most" if 2 * k > n else "some"


def document_evidence(keys: Sequence[Sequence[str]], tags: Sequence[Sequence[str]], window: int = DOC_WINDOW,
                      own_tag: bool = False) -> list[list[list[str]]]:
    """Second-pass features of each token from the first pass's tags over the other sentences of its window
    (``window`` sentences either side; the sentence itself is left out): the label the first pass gave the same
    word key elsewhere (the majority one, and whether that was all, most or some of its occurrences; ``dt=O`` when
    it occurs elsewhere but never in a name), whether it began or continued a name there, whether it was a name's
    first or last word, the majority label of the same name string elsewhere (for a token of a first-pass name),
    and the majority label of the neighbours' keys. A name recognised in one sentence thus speaks for the same name
    elsewhere in the article (Krishnan & Manning 2006, "non-local features"). ``keys`` are clitic-stripped word keys,
    one list per sentence. Each key's occurrences and name readings are indexed by sentence once; a token's
    window is then counted by bisection."""
    from bisect import bisect_left, bisect_right

    occ: dict[str, list[int]] = {}  # key -> sentence numbers of its occurrences (one per occurrence, ascending)
    read: dict[str, list] = {}  # key -> [(sentence, kind, label)] of its first-pass name readings (ascending)
    names: dict[str, list] = {}  # name string -> [(sentence, label)]
    spans_of = []
    for si, (ks, ts) in enumerate(zip(keys, tags)):
        for k in ks:
            occ.setdefault(k, []).append(si)
        sp = iob_spans(ts)
        spans_of.append(sp)
        for i, j, lab in sp:
            for m in range(i, j):
                r = read.setdefault(ks[m], [])
                r.append((si, "t", lab))
                r.append((si, "p", ("B-" if m == i else "I-") + lab))
            read.setdefault(ks[i], []).append((si, "f", lab))
            read.setdefault(ks[j - 1], []).append((si, "l", lab))
            names.setdefault(" ".join(ks[i:j]), []).append((si, lab))
    read_at = {k: [r[0] for r in rs] for k, rs in read.items()}  # the sentence of each reading, for bisection
    out = []
    for s, ks in enumerate(keys):
        lo, hi = s - window, s + window
        major: list = []
        feats: list[list[str]] = []
        for k in ks:
            f: list[str] = []
            best = None
            if len(k) > 1 and k.isalpha():
                o = occ[k]
                a, b = bisect_left(o, lo), bisect_right(o, hi)
                if b > a and (o[a] != s or o[b - 1] != s):  # it occurs elsewhere in the window
                    rk = read.get(k)
                    if rk:
                        at = read_at[k]
                        rs = [r for r in rk[bisect_left(at, lo):bisect_right(at, hi)] if r[0] != s]
                    else:
                        rs = ()
                    t = [r[2] for r in rs if r[1] == "t"]
                    if t:
                        n = b - a - (bisect_right(o, s) - bisect_left(o, s))
                        best = max(_LABELS, key=lambda lab: (t.count(lab), lab))
                        f += ["dt=" + best, "dts=" + best + _share(len(t), n)]
                        got = {(r[1], r[2]) for r in rs}
                        for lab in _LABELS:
                            for bi in ("B-", "I-"):
                                if ("p", bi + lab) in got:
                                    f.append("dp=" + bi + lab)
                            if ("f", lab) in got:
                                f.append("df=" + lab)
                            if ("l", lab) in got:
                                f.append("dl=" + lab)
                    else:
                        f.append("dt=O")
            major.append(best)
            feats.append(f)
        for i, j, lab in spans_of[s]:
            e = [r[1] for r in names[" ".join(ks[i:j])] if lo <= r[0] <= hi and r[0] != s]
            best = max(_LABELS, key=lambda lb: (e.count(lb), lb)) if e else "-"
            for m in range(i, j):
                feats[m].append("de=" + best)
        for m in range(len(ks)):
            if m > 0 and major[m - 1]:
                feats[m].append("-1dt=" + major[m - 1])
            if m + 1 < len(ks) and major[m + 1]:
                feats[m].append("+1dt=" + major[m + 1])
            if own_tag:
                feats[m].append("p1=" + tags[s][m])
        out.append(feats)
    return out


def iob_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(start_token, end_token_exclusive, label)`` from IOB tags (an I- after O starts one)."""
    out = []
    start, label = None, None
    for i, t in enumerate(list(tags) + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and t[2:] != label):
            if start is not None:
                out.append((start, i, label))
                start, label = None, None
            if t != "O":
                start, label = i, t[2:]
    return out


class NerTagger:
    """Loads the models once. ``tag(words)`` → IOB tags with marsad labels (PER/ORG/LOC/MISC) of one sentence
    (the CRF first pass alone, ``crf.FormCrf``); ``tag_document(sentences)`` tags a document's sentences with both
    passes: the CRF, then, when its model is shipped, the BiLSTM-CRF (``neural.NeuralTagger``), which reads each
    sentence whole and what the CRF said of the same words in the other sentences around (``document_evidence``)."""

    def __init__(self, model_path: Optional[Path] = None, second: bool = True, nn_path: Optional[Path] = None,
                 networks: Optional[int] = None):
        from .neural import NN_PATH, NeuralTagger

        path = Path(model_path or MODEL_PATH)
        self.available = path.exists()
        self.features = FeatureExtractor()
        self._crf = None
        self._nn = None
        if self.available:
            self._crf = FormCrf(path, self.features)  # prunes the form lists to the model's attributes
            npath = Path(nn_path or NN_PATH)
            if second and npath.exists():
                self._nn = NeuralTagger(npath, features=self.features, networks=networks)  # one form cache

    @property
    def two_pass(self) -> bool:
        return self._nn is not None

    def tag(self, words: Sequence[str]) -> list[str]:
        if not words or not self.available:
            return ["O"] * len(words)
        return self._crf.tag_batch([words])[0]

    def entities(self, words: Sequence[str]) -> list[tuple[int, int, str]]:
        return iob_spans(self.tag(words))

    @staticmethod
    def _scored(marg, tags: Sequence[str]) -> list[tuple[int, int, str, float]]:
        """Entity spans of the tags with the model's confidence in context: the lowest marginal probability of
        the span's tags (``marg`` [n × T])."""
        out = []
        for i, j, lab in iob_spans(tags):
            conf = min(float(marg[k, TAG_INDEX[("B-" if k == i else "I-") + lab]]) for k in range(i, j))
            out.append((i, j, lab, conf))
        return out

    def entities_scored(self, words: Sequence[str]) -> list[tuple[int, int, str, float]]:
        """Entity spans of one sentence (the first pass) with their confidence (``_scored``)."""
        if not words or not self.available:
            return []
        tags, marg = self._crf.tag_batch([words], marginals_too=True)[0]
        return self._scored(marg, tags)

    def tag_document(self, sentences: Sequence[Sequence[str]], scored: bool = False, window: int = DOC_WINDOW):
        """Tags of each sentence of a document (in order), both passes. With ``scored``, entity spans with
        their confidence per sentence instead (as ``entities_scored``)."""
        if not self.available:
            return [[] if scored else ["O"] * len(ws) for ws in sentences]
        nn = self._nn
        if nn is None:
            first = self._crf.tag_batch(sentences, marginals_too=scored)
            return [self._scored(m, t) for t, m in first] if scored else first
        first = self._crf.tag_batch(sentences)
        fx = self.features
        keys = [[fx.key(w) for w in ws] for ws in sentences]
        evidence = document_evidence(keys, first, window)
        second = nn.tag_batch(sentences, marginals=scored, evidence=evidence, named_only=True)
        return [self._scored(m, t) for t, m in second] if scored else second


@lru_cache(maxsize=2)
def get_tagger(networks: Optional[int] = None) -> NerTagger:
    """The shared tagger (models loaded once); ``networks``: how many of the second pass's networks run (None:
    all shipped)."""
    return NerTagger(networks=networks)


def read_conll(lines: Iterable[str]) -> list[tuple[str, str]]:
    """ANERcorp lines ``token TAG`` → [(token, tag with marsad label)]."""
    out = []
    for line in lines:
        parts = line.rstrip("\n").rsplit(" ", 1)
        if len(parts) != 2 or not parts[0].strip():
            continue
        tok, tag = parts[0].strip(), parts[1].strip()
        if tag != "O":
            pre, _, lab = tag.partition("-")
            tag = pre + "-" + LABEL_MAP.get(lab, lab)
        out.append((tok, tag))
    return out


SENT_END = {".", "!", "?", "؟"}
AGENCIES = ("اف ب", "أ ف ب", "ا ف ب", "رويترز", "د ب أ", "يو بي آي", "ا ب", "أ ب")
DEV_FROM = 0.85  # the dev block starts at the first agency dateline after this share of the tokens
TUNE_FROM = 0.74  # the tuning block: from the first sentence start after this share up to the dev block


def dateline_starts(tokens: Sequence[str]) -> list[int]:
    """Token indices where an article begins with a dateline: after a sentence end, ``CITY ( AGENCY )``
    (one or two words of city, an optional dash). ANERcorp has no article breaks; these are its clearest."""
    out = []
    n = len(tokens)
    for i in range(1, n - 3):
        if tokens[i - 1] not in SENT_END:
            continue
        j = next((k for k in range(i + 1, min(n, i + 4)) if tokens[k] == "("), None)
        if j is None or any(t != "-" for t in tokens[i + 2:j]) and j > i + 2 and tokens[j - 1] != "-":
            continue
        close = next((m for m in range(j + 1, min(n, j + 6)) if tokens[m] == ")"), None)
        if close is not None and " ".join(tokens[j + 1:close]) in AGENCIES:
            out.append(i)
    return out


def contiguous_split(pairs: list[tuple[str, str]]) -> tuple[int, int]:
    """``(tune_start, dev_start)`` token indices of the evaluation blocks at the end of the corpus.

    dev = from the first agency dateline after ``DEV_FROM`` of the tokens to the end (whole articles, never
    trained on); tune = from the first sentence start after ``TUNE_FROM`` up to dev (for choosing
    hyper-parameters; the shipped model is trained on everything before dev)."""
    tokens = [t for t, _ in pairs]
    n = len(tokens)
    dev = next((i for i in dateline_starts(tokens) if i >= DEV_FROM * n), None)
    if dev is None:
        raise ValueError("no agency dateline after the dev fraction: cannot place the dev block")
    tune = next(i for i in range(int(TUNE_FROM * n), n) if tokens[i - 1] in SENT_END and pairs[i][1] != "I")
    return tune, dev


def entity_names(sents: Iterable[Sequence[tuple[str, str]]]) -> set[str]:
    """Normalised surface strings of the gold entities in ``sents`` (any type)."""
    out = set()
    for s in sents:
        for i, j, _lab in iob_spans([t for _, t in s]):
            out.add(" ".join(normalize(w) for w, _ in s[i:j]))
    return out


def score_entities(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], words=None,
                   seen: Optional[set] = None, labels: Sequence[str] = ("PER", "ORG", "LOC", "MISC")) -> dict:
    """conlleval-style entity scores (exact span and type) per label and overall.

    With ``words`` and ``seen`` (normalised names of the training entities) it adds ``unseen``: the recall
    of gold entities whose name never occurs as an entity in training (and ``seen``, the rest)."""
    from collections import Counter

    tp, fp, fn = Counter(), Counter(), Counter()
    un = Counter()
    for k, (g, p) in enumerate(zip(gold, pred)):
        gs, ps = set(iob_spans(g)), set(iob_spans(p))
        for e in ps & gs:
            tp[e[2]] += 1
        for e in ps - gs:
            fp[e[2]] += 1
        for e in gs - ps:
            fn[e[2]] += 1
        if words is not None and seen is not None:
            for e in gs:
                name = " ".join(normalize(w) for w in words[k][e[0]:e[1]])
                kind = "seen" if name in seen else "unseen"
                un[kind + "_n"] += 1
                un[kind + "_tp"] += e in ps

    def prf(t, p, n):
        prec = t / (t + p) if t + p else 0.0
        rec = t / (t + n) if t + n else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": t + n}

    out = {lab: prf(tp[lab], fp[lab], fn[lab]) for lab in labels}
    out["overall"] = prf(sum(tp[lab] for lab in labels), sum(fp[lab] for lab in labels),
                         sum(fn[lab] for lab in labels))
    if un:
        for kind in ("seen", "unseen"):
            n = un[kind + "_n"]
            out[kind] = {"recall": round(un[kind + "_tp"] / n, 4) if n else 0.0, "support": n}
    return out


def pseudo_sentences(pairs: list[tuple[str, str]], max_len: int = 80) -> list[list[tuple[str, str]]]:
    """Split a token stream at sentence-final marks (never inside an entity); long runs are cut at max_len."""
    out: list = []
    cur: list = []
    for tok, tag in pairs:
        cur.append((tok, tag))
        if tok in SENT_END and tag == "O":
            out.append(cur)
            cur = []
        elif len(cur) >= max_len and tag == "O":
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def _iob(tag: str) -> Optional[str]:
    """The tag with marsad's label (ANERcorp's PERS → PER), or None when it is not an IOB tag."""
    if tag == "O":
        return tag
    pre, sep, lab = tag.partition("-")
    if pre not in ("B", "I") or not sep or not lab:
        return None
    return pre + "-" + LABEL_MAP.get(lab, lab)


def read_conll_file(path, notes: Optional[list] = None) -> tuple[list[list[str]], Optional[list[list[str]]]]:
    """A CoNLL-style file: one token per line, an optional second column holding a gold IOB tag (ANERcorp's PERS
    read as PER), blank lines between sentences. Returns (sentences of tokens, sentences of gold tags or None when
    no line has a tag). A line of three or more columns whose last is a tag is one token with a space inside (as
    ANERcorp writes «. الإصابة O»): it is kept whole, and ``notes`` (when given) gets a line saying so. Raises
    ValueError naming the line on any other line of three or more columns or a bad tag."""
    sents: list[list[str]] = []
    golds: list[list[str]] = []
    cur: list[str] = []
    cur_g: list[str] = []
    tagged = untagged = 0
    with open(path, encoding="utf-8") as fh:
        for no, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                if cur:
                    sents.append(cur)
                    golds.append(cur_g)
                    cur, cur_g = [], []
                continue
            if len(parts) > 2:
                if _iob(parts[-1]) is None:
                    raise ValueError(f"{path}:{no}: expected 'token' or 'token TAG', got {len(parts)} columns")
                parts = [" ".join(parts[:-1]), parts[-1]]
                if notes is not None:
                    notes.append(f"{path}:{no}: a token with a space inside, kept as one: {parts[0]!r}")
            cur.append(parts[0])
            if len(parts) == 2:
                tag = _iob(parts[1])
                if tag is None:
                    raise ValueError(f"{path}:{no}: not an IOB tag: {parts[1]!r}")
                cur_g.append(tag)
                tagged += 1
            else:
                cur_g.append("O")
                untagged += 1
    if cur:
        sents.append(cur)
        golds.append(cur_g)
    return sents, (golds if tagged else None)


def _pieces(words: Sequence[str], max_len: int) -> list[tuple[int, int]]:
    """A run cut after sentence-final marks (or every ``max_len`` tokens when it has none) into pieces of at most
    ``max_len`` tokens."""
    if len(words) <= max_len:
        return [(0, len(words))]
    out, start = [], 0
    for i, w in enumerate(words):
        if w in SENT_END or i + 1 - start >= max_len:
            out.append((start, i + 1))
            start = i + 1
    if start < len(words):
        out.append((start, len(words)))
    return out


def tag_long(tagger: "NerTagger", words: Sequence[str], max_len: int = 200) -> list[str]:
    """Tags for one sentence of any length (``tag_document`` of the sentence alone)."""
    return tag_sentences(tagger, [words], max_len)[0]


def tag_sentences(tagger: "NerTagger", sents: Sequence[Sequence[str]], max_len: int = 200) -> list[list[str]]:
    """Tags of a document's sentences of any length, both passes: a run longer than ``max_len`` is tagged as
    pieces (``_pieces``), each a sentence of the document."""
    flat, where = [], []
    for k, ws in enumerate(sents):
        for a, b in _pieces(ws, max_len):
            flat.append(list(ws[a:b]))
            where.append(k)
    out: list[list[str]] = [[] for _ in sents]
    for k, tags in zip(where, tagger.tag_document(flat)):
        out[k] += tags
    return out
