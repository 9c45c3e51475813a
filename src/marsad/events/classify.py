"""A learned check of ASSAULT and PROTEST events: does the sentence that carries the trigger report one?

Each candidate event (a trigger the extractor coded, with or without a named actor) is described by
- lexical features: the sentence's word stems (the lexicon keys with clitics and article split off) and their
  bigrams, the stems around the trigger (±3), hashed into ``DIM`` slots;
- morphological features: the trigger's stem, its character 3-grams, verb or verbal noun, its proclitics and
  attached pronoun, and the stems' 3-grams (root-like pieces shared by inflections);
- what the extractor found: trigger entry, modality, negation, actor/recipient/place present and where they
  came from, unnamed, headline, definite;
- the sentence's embedding (the Universal Sentence Encoder that stories use, 512 dimensions).
Every feature is emitted once plain and once joined to the event type, so the two types share evidence.

Model: one L2-regularised logistic regression per type (scipy L-BFGS), each trained on its type's rows (the
events_gsr sentences plus weak in-domain positives from news_dev, see :func:`.gsr.news_dev_positives`), then Platt scaling fitted on out-of-fold scores of
the training data (inner cross-validation by document), so the exported confidence is a calibrated probability;
the decision threshold maximises F1 on those out-of-fold probabilities. The shipped weights
(data/events/classifier.npz, built by scripts/train_event_classifier.py) hold numbers only, no text.
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from typing import Optional

import numpy as np

from ..paths import DATA_DIR
from .lexicon import event_cues, has_key

TYPES = ("ASSAULT", "PROTEST")
DIM = 1 << 13
EMB = 512
MODEL_PATH = DATA_DIR / "events" / "classifier.npz"
NOT_HAPPENED = {"planned", "called_for", "threatened", "denied", "hypothetical"}  # modalities of no done event


def _h(s: str) -> int:
    return zlib.crc32(s.encode("utf-8")) & (DIM - 1)


def _stem(tok) -> str:
    return tok.keys[-1] if tok.keys else tok.text


def _grams(w: str, n: int = 3) -> list:
    w = f"<{w}>"
    return [w[k:k + n] for k in range(len(w) - n + 1)] if len(w) > n else [w]


def symbolic(doc, ev, toks, idx) -> list[str]:
    """The named (non-embedding) features of one candidate event."""
    sent = ev.evidence
    i0, i1 = idx.covering(sent.start, sent.end) if sent is not None else (0, len(toks))
    trig = ev.spans.get("trigger")
    ti = idx.covering(trig.start, trig.end)[0] if trig is not None else i0
    out: list[str] = []
    stems = [_stem(toks[k]) for k in range(i0, i1) if toks[k].text.isalnum() or len(toks[k].text) > 1]
    for k, w in enumerate(stems):
        out.append("w:" + w)
        if k:
            out.append("b:" + stems[k - 1] + "_" + w)
        for g in _grams(w):
            out.append("g:" + g)
    for off in range(-3, 4):
        k = ti + off
        if off and i0 <= k < i1:
            out.append(f"c{off}:" + _stem(toks[k]))
    if i0 <= ti < i1:
        t = toks[ti]
        out.append("t:" + _stem(t))
        out += ["tg:" + g for g in _grams(_stem(t))]
        out.append("tp:" + (t.procl or "-"))
        out.append("te:" + (t.encl or "-"))
    out += _frame(doc, ev, toks, idx, i0, i1, ti)
    a = ev.attrs
    out += ["id:" + str(a.get("trigger_id")), "form:" + str(a.get("form")), "mod:" + ev.modality,
            "neg:" + str(ev.negated), "actor:" + str(a.get("actor_source", "-")),
            "recip:" + str(a.get("recipient_source", "-")), "place:" + str(bool(ev.places)),
            "unnamed:" + str(bool(a.get("unnamed"))), "quoted:" + str(bool(a.get("quoted_unnamed"))), "head:" + str(bool(a.get("headline"))),
            "def:" + str(bool(a.get("definite"))), "ntrig:" + str(min(3, len(a.get("triggers", [])))),
            "mode:" + str(ev.mode), "len:" + str(min(6, (i1 - i0) // 10))]
    return out


@lru_cache(maxsize=1)
def _crowd() -> frozenset:
    from .roles import role_structure

    rs = role_structure()
    return rs.crowd | rs.openers


def _frame(doc, ev, toks, idx, i0: int, i1: int, ti: int) -> list[str]:
    """How the sentence frames the trigger, in features that carry across outlets and regions: where the trigger
    stands, whether the sentence dates and counts, whether it is reported speech, which roles are only phrases."""
    c = event_cues()
    sent = ev.evidence
    r = ti - i0
    dated = sent is not None and any(d.span is not None and sent.start <= d.span.start < sent.end for d in doc.dates)
    counted = sent is not None and any(n.span is not None and sent.start <= n.span.start < sent.end for n in doc.numbers)
    a = ev.attrs
    actor = ev.spans.get("actor")
    ak = idx.covering(actor.start, actor.end) if actor is not None else None
    who = "-" if ak is None else "count" if any(
        toks[k].text[:1].isdigit() or has_key(toks[k], _crowd()) for k in range(*ak)) else \
        "def" if toks[ak[0]].keys and toks[ak[0]].prefixed else "bare"  # آلاف المتظاهرين / المتظاهرون (told before)
    return ["who:" + who, "pos:" + ("0" if r < 3 else "1" if r < 7 else "2" if r < 16 else "3"), "dated:" + str(dated),
            "counted:" + str(counted),
            "speech:" + str(any(has_key(toks[k], c["speech_verbs"]) for k in range(i0, ti))),
            "comp:" + str(any(has_key(toks[k], c["complementizers"]) for k in range(max(i0, ti - 6), ti))),
            "aphr:" + str(bool(a.get("actor_phrase"))), "rphr:" + str(bool(a.get("recipient_phrase"))),
            "roles:" + "|".join((ev.modality, str(bool(ev.actor)), str(bool(ev.recipient)), str(bool(ev.places))))]


WIDTH = 2 * DIM + EMB + len(TYPES)


def vector(feats: list[str], etype: str, emb: Optional[np.ndarray]) -> dict:
    """Sparse feature vector (column -> value)."""
    x: dict = {}
    for f in feats:
        x[_h(f)] = 1.0
        x[DIM + _h(etype + "|" + f)] = 1.0
    if emb is not None:
        for k, v in enumerate(emb):
            x[2 * DIM + k] = float(v)
    x[2 * DIM + EMB + TYPES.index(etype)] = 1.0
    return x


def matrix(rows: list):
    from scipy.sparse import csr_matrix

    data, ind, ptr = [], [], [0]
    for r in rows:
        ind.extend(r.keys())
        data.extend(r.values())
        ptr.append(len(ind))
    return csr_matrix((np.array(data, dtype=np.float64), np.array(ind, dtype=np.int64), np.array(ptr)),
                      shape=(len(rows), WIDTH))


_ENC: dict = {}


def encoder():
    """The sentence encoder (None when it cannot load: the embedding features are then zero)."""
    if "use" not in _ENC:
        try:
            from ..language.encoder import sentence_encoder

            _ENC["use"] = sentence_encoder()
        except Exception:  # pragma: no cover - package missing
            _ENC["use"] = None
    return _ENC["use"]


def embed(texts: list) -> list:
    enc = encoder()
    if enc is None or not texts:
        return [None] * len(texts)
    out = []
    for v in np.asarray(enc.encode(texts), dtype=np.float32):
        n = float(np.linalg.norm(v))
        out.append(v / n if n else v)
    return out


def candidates(doc) -> list:
    """The events the classifier judges: ASSAULT and PROTEST events that would be coded as having happened."""
    return [e for e in doc.events if e.type in TYPES and not e.negated and e.modality not in NOT_HAPPENED]


def doc_vectors(doc, evs: list, use_embedding: bool = False) -> list:
    from ..view import doc_view

    view = doc_view(doc)
    toks, idx = view.toks, view.index
    texts = [e.evidence.text if e.evidence is not None else doc.text for e in evs]
    uniq = list(dict.fromkeys(texts))
    embs = dict(zip(uniq, embed(uniq) if use_embedding else [None] * len(uniq)))
    return [vector(symbolic(doc, e, toks, idx), e.type, embs[t]) for e, t in zip(evs, texts)]


# ---------------------------------------------------------------------------------------------- model


def _fit_lr(X: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    from scipy.optimize import minimize

    from scipy.sparse import csr_matrix, hstack

    Xb = hstack([X, csr_matrix(np.ones((X.shape[0], 1)))]).tocsr()
    pos = max(1.0, float(y.sum()))
    w_s = np.where(y > 0, (len(y) - pos) / pos, 1.0) ** 0.5  # partial re-weighting of the rare positives
    w_s = w_s / w_s.mean()

    def f(w):
        z = Xb @ w
        p = 1.0 / (1.0 + np.exp(-z))
        loss = np.sum(w_s * (np.logaddexp(0, z) - y * z)) + 0.5 * l2 * np.dot(w[:-1], w[:-1])
        g = Xb.T @ (w_s * (p - y))
        g[:-1] += l2 * w[:-1]
        return loss, g

    res = minimize(f, np.zeros(Xb.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 120})
    return res.x


def _scores(w: np.ndarray, X: np.ndarray) -> np.ndarray:
    return X @ w[:-1] + w[-1]


def _platt(s: np.ndarray, y: np.ndarray) -> tuple:
    from scipy.optimize import minimize

    def f(ab):
        z = ab[0] * s + ab[1]
        p = 1.0 / (1.0 + np.exp(-z))
        return np.sum(np.logaddexp(0, z) - y * z), np.array([np.sum((p - y) * s), np.sum(p - y)])

    return tuple(minimize(f, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B").x)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


SMOOTH = 2  # the threshold's F1 is averaged with its neighbours ±0.02: a flat top, not a lucky spike


def best_threshold(p: np.ndarray, y: np.ndarray, groups: Optional[np.ndarray] = None) -> float:
    """The probability threshold with the best F1 (sentence-level when ``groups`` names each row's sentence),
    F1 averaged over neighbouring thresholds so that a few rows moving do not move the threshold far."""
    ts = np.arange(0.05, 0.95, 0.01)
    f1s = []
    for t in ts:
        pred = p >= t
        if groups is not None:
            gp, gy = {}, {}
            for g, a, b in zip(groups, pred, y):
                gp[g] = gp.get(g, False) or bool(a)
                gy[g] = bool(b)
            pred = np.array([gp[g] for g in gp])
            yy = np.array([gy[g] for g in gp])
        else:
            yy = y > 0
        tp = float(np.sum(pred & yy))
        f1s.append(2 * tp / (pred.sum() + yy.sum()) if pred.sum() + yy.sum() else 0.0)
    f1s = np.array(f1s)
    smooth = np.array([f1s[max(0, k - SMOOTH):k + SMOOTH + 1].mean() for k in range(len(f1s))])
    return round(float(ts[int(np.argmax(smooth))]), 2)


def _train_one(X, y: np.ndarray, folds: np.ndarray, groups: np.ndarray, l2: float) -> dict:
    """One type's weights, Platt scaling and threshold, from inner CV on the given rows' folds."""
    s_oof = np.zeros(len(y))
    folds = folds % 3  # three inner folds (documents stay together: the outer folds are by document)
    for f in np.unique(folds):
        tr = folds != f
        if tr.all() or not tr.any() or y[tr].min() == y[tr].max():
            continue
        tr, te = np.flatnonzero(tr), np.flatnonzero(~tr)
        s_oof[te] = _scores(_fit_lr(X[tr], y[tr], l2), X[te])
    a, b = _platt(s_oof, y)
    p_oof = _sigmoid(a * s_oof + b)
    own = np.array([not str(g).startswith("extra|") for g in groups])  # the threshold on labelled sentences only
    thr = best_threshold(p_oof[own], y[own], groups[own]) if own.any() else 0.5
    return {"w": _fit_lr(X, y, l2), "a": a, "b": b, "thr": thr}


def train(X: np.ndarray, y: np.ndarray, types: np.ndarray, folds: np.ndarray, groups: np.ndarray,
          l2: float = 3.0) -> dict:
    """One model per type, each on that type's rows only (a protest is told unlike an attack; shared weights let
    the four times commoner attacks drown protest evidence): {"types": {type: {w, a, b}}, "thr": {type: t}}."""
    per: dict = {}
    for t in TYPES:
        sel = np.flatnonzero(types == t)
        if len(sel) and y[sel].min() != y[sel].max():
            per[t] = _train_one(X[sel], y[sel], folds[sel], groups[sel], l2)
    return {"types": per, "thr": {t: per[t]["thr"] if t in per else 0.5 for t in TYPES}, "meta": {"l2": l2}}


def probabilities(model: dict, X, types) -> np.ndarray:
    """Calibrated probability of each row under its type's model (0 for a type without one)."""
    types = np.asarray(types)
    out = np.zeros(X.shape[0])
    for t, m in model["types"].items():
        sel = np.flatnonzero(types == t)
        if len(sel):
            out[sel] = _sigmoid(m["a"] * _scores(m["w"], X[sel]) + m["b"])
    return out


def save(model: dict, path=MODEL_PATH, meta: Optional[dict] = None) -> None:
    ts = [t for t in TYPES if t in model["types"]]
    np.savez_compressed(path, w=np.stack([model["types"][t]["w"] for t in ts]).astype(np.float32),
                        ab=np.array([[model["types"][t]["a"], model["types"][t]["b"]] for t in ts]),
                        meta=np.array(json.dumps({"thr": model["thr"], "types": ts, "dim": DIM, "emb": EMB,
                                                  **(meta or {})})))


@lru_cache(maxsize=1)
def load_model(path=MODEL_PATH) -> Optional[dict]:
    try:
        z = np.load(path)
    except OSError:
        return None
    meta = json.loads(str(z["meta"]))
    if meta.get("dim") != DIM or "types" not in meta:
        return None
    per = {t: {"w": z["w"][k].astype(np.float64), "a": float(z["ab"][k][0]), "b": float(z["ab"][k][1])}
           for k, t in enumerate(meta["types"])}
    return {"types": per, "thr": meta["thr"], "meta": meta}


def threshold(model: Optional[dict] = None) -> dict:
    m = model or load_model()
    return dict(m["thr"]) if m else {t: 0.5 for t in TYPES}


# per type, chosen on the CV by document of events_gsr (scripts/train_event_classifier.py prints both):
# "all": every candidate below the threshold is dropped; "unnamed": only those naming no one and no place
RULES = {"ASSAULT": "all", "PROTEST": "all"}  # with news_dev positives in training "all" keeps the samples' events
RULE = "by_type"


QUOTED_BAR = 0.5  # a placeless attack or protest told inside a quotation is a claim: coded only when likelier than not


def decide(kind: str, p: float, thr: float, rule: str = RULE) -> bool:
    """Keep the event? ``kind`` is :func:`evidence` of it. Its confidence becomes the calibrated probability either
    way. Under the "all" rule it needs a probability at or above the threshold (a quoted claim at least QUOTED_BAR);
    under the "unnamed" rule an event that names who acts or where stays whatever its probability."""
    bar = max(thr, QUOTED_BAR) if kind == "quoted" else thr
    return p >= bar or (rule == "unnamed" and kind == "named")


def rule_of(etype: str, rule: str = RULE) -> str:
    return RULES.get(etype, "unnamed") if rule == "by_type" else rule


def evidence(ev) -> str:
    """"quoted" (a claim inside a quotation naming no one or no place), "unnamed" (naming no one and no place) or
    "named"."""
    return "quoted" if ev.attrs.get("quoted_unnamed") else "unnamed" if ev.attrs.get("unnamed") else "named"


def apply(doc, model: Optional[dict] = None) -> None:
    """Score the document's candidate events; set their confidence; drop those below the threshold."""
    m = model if model is not None else load_model()
    if m is None:
        return
    evs = candidates(doc)
    if not evs:
        return
    p = []
    for e, x in zip(evs, doc_vectors(doc, evs, m["meta"].get("embedding", False))):  # a few sparse dot products
        t = m["types"].get(e.type)
        p.append(float(_sigmoid(t["a"] * (sum(t["w"][k] * v for k, v in x.items()) + t["w"][-1]) + t["b"]))
                 if t else 1.0)
    drop = set()
    for e, pe in zip(evs, p):
        e.confidence = round(float(pe), 3)
        e.attrs["classifier"] = round(float(pe), 3)
        if not decide(evidence(e), float(pe), m["thr"][e.type], rule_of(e.type)):
            drop.add(id(e))
    if drop:
        doc.events[:] = [e for e in doc.events if id(e) not in drop]


# ---------------------------------------------------------------------------------------------- CV on events_gsr


def dataset(sentences: list, docs: dict, use_embedding: bool = False):
    """Rows for every candidate event of a labelled sentence of its type (ambiguous sentences excluded from
    training but scored): X, y, type, fold, sentence key, a mask of trainable rows and each row's evidence kind."""
    rows, keys, ys, ts, fs, train_ok, kinds = [], [], [], [], [], [], []
    for s in sentences:
        doc = docs[s.text]
        evs = [e for e in candidates(doc) if e.type == s.type]
        if not evs:
            continue
        for e, x in zip(evs, doc_vectors(doc, evs, use_embedding)):
            kinds.append(evidence(e))
            rows.append(x)
            keys.append((s.type, s.id))
            ys.append(1.0 if s.label == "yes" else 0.0)
            ts.append(s.type)
            fs.append(s.fold)
            train_ok.append(s.label != "ambiguous")
    X = matrix(rows)
    return X, np.array(ys), np.array(ts), np.array(fs), keys, np.array(train_ok, dtype=bool), np.array(kinds)


def extra_rows(pairs: list, use_embedding: bool = False) -> Optional[tuple]:
    """(document, events) pairs of positives from elsewhere (:func:`.gsr.news_dev_positives`) -> (X, types)."""
    rows, types = [], []
    for doc, evs in pairs:
        rows += doc_vectors(doc, evs, use_embedding)
        types += [e.type for e in evs]
    return (matrix(rows), np.array(types)) if rows else None


def with_extra(X, y, types, folds, groups, extra: Optional[tuple]):
    """Training rows plus the extra positives (each its own group, spread over the inner folds)."""
    if extra is None:
        return X, y, types, folds, groups
    from scipy.sparse import vstack

    Xe, te = extra
    n = len(te)
    return (vstack([X, Xe]).tocsr(), np.concatenate([y, np.ones(n)]), np.concatenate([types, te]),
            np.concatenate([folds, np.arange(n) % 3]), np.concatenate([groups, np.array([f"extra|{i}" for i in range(n)])]))


def cross_validate(sentences: list, docs: dict, k: int = 5, l2: float = 3.0, use_embedding: bool = False,
                   extra: Optional[tuple] = None) -> dict:
    """Out-of-fold probability of every candidate event, each scored by a model trained (with its own inner CV for
    calibration and threshold) on the other folds only (plus ``extra`` positives from other data):
    {"keys", "p", "thr", "evidence", "y", "ok"} per row."""
    X, y, types, folds, keys, ok, kinds = dataset(sentences, docs, use_embedding)
    groups = np.array([f"{a}|{b}" for a, b in keys])
    p_all = np.zeros(len(y))
    thr = np.full(len(y), 2.0)
    for f in range(k):
        tr = np.flatnonzero((folds != f) & ok)
        te = np.flatnonzero(folds == f)
        if not len(te):
            continue
        m = train(*with_extra(X[tr], y[tr], types[tr], folds[tr], groups[tr], extra), l2)
        p_all[te] = probabilities(m, X[te], types[te])
        thr[te] = [m["thr"][t] for t in types[te]]
    return {"keys": keys, "p": p_all, "thr": thr, "evidence": kinds, "y": y, "ok": ok}


def sentence_predictions(cv: dict, rule: str = RULE) -> dict:
    """(type, sentence id) -> does any of its candidates survive the decision rule."""
    out: dict = {}
    for key, p, t, u in zip(cv["keys"], cv["p"], cv["thr"], cv["evidence"]):
        out[key] = out.get(key, False) or decide(str(u), float(p), float(t), rule_of(key[0], rule))
    return out
