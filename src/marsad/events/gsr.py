"""Evaluation on the development part of openeventdata's Arabic event gold standard (../shared/data/events_gsr).

Each sentence is read as one tiny article (its Gigaword date, when the id carries one, is the publication
date) through the whole pipeline. Two measures, for ASSAULT and PROTEST:

- relevance: the sentence is predicted to report an event of the type when the pipeline codes one that
  happened (not negated, denied, planned, called for or threatened); label "yes" (every annotator accepted)
  is positive; "easy no" and "difficult no" are negative; "ambiguous" (too few labels to be sure) is left out
  of the score (its count is reported).
- roles, on the spans sentences: among those where the pipeline codes the event, how often the actor span
  overlaps a word of the annotated source actors and the recipient span a word of the annotated targets
  (sentences without an annotated source / target are not counted for that role).

Scores are cross-validated by document (the Gigaword document id before the dash; k folds by a stable hash of
it): the learned parts (:mod:`.classify`) are trained on the other folds only, so every sentence is scored by a
model that never saw its document.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from .classify import NOT_HAPPENED, TYPES  # the modalities that tell no done event; the types judged
_DATE_RE = re.compile(r"_(\d{4})(\d{2})(\d{2})\.")
_WORD_RE = re.compile(r"[\u0621-\u064A\u0671-\u06D3]+")


@dataclass
class Sentence:
    id: str
    doc: str
    type: str
    label: str
    text: str
    date: Optional[str]
    fold: int = 0
    source_words: set = field(default_factory=set)  # from the spans file (empty: not annotated)
    target_words: set = field(default_factory=set)
    spans: bool = False  # the sentence is in the spans file


def default_dir() -> Path:
    from ..paths import shared_dir

    return shared_dir() / "data" / "events_gsr"


def fold_of(doc_id: str, k: int = 5) -> int:
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % k


def _words(tokens) -> set:
    """Normalised content words of an annotated span (token list), clitics and article split off."""
    from ..language.forms import lookup_keys

    out = set()
    for t in tokens:
        for w in _WORD_RE.findall(t):
            ks = lookup_keys(w)
            if ks and len(ks[-1]) >= 2:
                out.add(ks[-1])
    return out


def span_words(text: str) -> set:
    return _words(text.split())


def load(data_dir: Optional[Path] = None, k: int = 5) -> list[Sentence]:
    """Both types' sentences with labels, folds and (where annotated) role words."""
    d = Path(data_dir) if data_dir else default_dir()
    if not (d / "assault_sentences.csv").is_file():
        raise FileNotFoundError(f"no events_gsr data in {d} (expected assault_sentences.csv)")
    out: list[Sentence] = []
    for etype in TYPES:
        name = etype.lower()
        by_text: dict = {}
        with open(d / f"{name}_sentences.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                sid = row["id"]
                doc = sid.rsplit("-", 1)[0]
                m = _DATE_RE.search(sid)
                s = Sentence(sid, doc, etype, row["label"].strip(), row["text"].strip(),
                             f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None, fold_of(doc, k))
                out.append(s)
                by_text.setdefault(s.text, s)
        spans_path = d / f"{name}_spans.json"
        if spans_path.is_file():
            for item in json.loads(spans_path.read_text(encoding="utf-8")):
                s = by_text.get(item["text"].strip())
                if s is None:
                    continue  # not among the labelled sentences of this part
                s.spans = True
                for sp in item.get("spans", []):
                    s.source_words |= _words(sp.get("source_actor") or [])
                    s.target_words |= _words(sp.get("target_actor") or [])
    return out


def happened(ev) -> bool:
    return not ev.negated and ev.modality not in NOT_HAPPENED


def without_classifier(pipe):
    """The pipeline with the learned event check off (the shipped classifier saw this data: the CV applies fold
    models instead)."""
    for st in pipe.stages:
        if hasattr(st, "extractor"):
            st.extractor.use_classifier = False
    return pipe


def news_dev_positives(pipeline=None, path: Optional[Path] = None) -> list:
    """In-domain positives for the classifier from ../shared/data/news_dev (weak labels): on a page whose main
    happening is an ASSAULT or PROTEST, the candidate events of that type told as done in a sentence that names one
    of the page's main places. Returns (document, events) pairs; [] when the data is not there. The gsr sentences
    are newswire from other regions: without these, attacks told in Syrian front-line style score low."""
    from ..language.forms import fold
    from ..model import Article, DateRef, Document, content_id
    from ..paths import shared_dir
    from ..pipeline import Pipeline
    from .classify import candidates

    f = Path(path) if path else shared_dir() / "data" / "news_dev" / "pages.jsonl"
    if not f.is_file():
        return []
    pipe = without_classifier(pipeline or Pipeline.default())
    out = []
    with open(f, encoding="utf-8") as fh:
        for line in fh:
            page = json.loads(line)
            etype = page.get("event_type")
            places = [fold(x) for x in page.get("main_places") or [] if x]
            if etype not in TYPES or not places:
                continue
            art = Article(id=content_id(page["text"]), raw_text=page["text"])
            if page.get("published"):
                art.published = DateRef(page["published"], "day", source="metadata")
            doc = pipe(Document(art))
            evs = [e for e in candidates(doc) if e.type == etype and e.modality == "asserted" and e.evidence is not None
                   and any(p in fold(e.evidence.text) for p in places)]
            if evs:
                out.append((doc, evs))
    return out


def run_pipeline(sentences: list, pipeline=None, progress: Optional[Callable] = None) -> dict:
    """text -> Document, each distinct sentence read once as an article dated by its id."""
    from ..model import Article, DateRef, Document, content_id
    from ..pipeline import Pipeline

    pipe = without_classifier(pipeline or Pipeline.default())
    docs: dict = {}
    for n, s in enumerate(sentences):
        if s.text in docs:
            continue
        art = Article(id=content_id(s.text), raw_text=s.text)
        if s.date:
            art.published = DateRef(s.date, "day", source="metadata")
        docs[s.text] = pipe(Document(art))
        if progress and n % 200 == 0:
            progress(n, len(sentences))
    return docs


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def score(sentences: list, predict: Callable, events_of: Callable) -> dict:
    """Relevance and role overlap. ``predict(s)`` -> bool (the sentence reports an event of s.type);
    ``events_of(s)`` -> the coded events of s.type that happened (for roles)."""
    rep: dict = {}
    for etype in TYPES:
        ss = [s for s in sentences if s.type == etype]
        tp = fp = fn = 0
        amb = amb_pos = 0
        per_fold: dict = {}
        for s in ss:
            pred = bool(predict(s))
            if s.label == "ambiguous":
                amb += 1
                amb_pos += pred
                continue
            gold = s.label == "yes"
            c = per_fold.setdefault(s.fold, [0, 0, 0])
            if pred and gold:
                tp += 1
                c[0] += 1
            elif pred:
                fp += 1
                c[1] += 1
            elif gold:
                fn += 1
                c[2] += 1
        r = prf(tp, fp, fn)
        r["folds"] = [prf(*per_fold[f])["f1"] for f in sorted(per_fold)]
        r["ambiguous_left_out"] = amb
        r["ambiguous_predicted"] = amb_pos
        roles = {"actor": [0, 0], "target": [0, 0]}
        coded = annotated = 0
        for s in ss:
            if not s.spans:
                continue
            annotated += 1
            evs = events_of(s)
            if not evs:
                continue
            coded += 1
            for role, gold_words, key in (("actor", s.source_words, "actor"), ("target", s.target_words, "recipient")):
                if not gold_words:
                    continue
                roles[role][1] += 1
                got = set()
                for ev in evs:
                    sp = ev.spans.get(key)
                    if sp is not None:
                        got |= span_words(sp.text)
                if got & gold_words:
                    roles[role][0] += 1
        r["spans_sentences"] = annotated
        r["spans_coded"] = coded
        for role, (hit, n) in roles.items():
            r[f"{role}_overlap"] = round(hit / n, 3) if n else 0.0
            r[f"{role}_n"] = n
        rep[etype] = r
    return rep


def evaluate(data_dir: Optional[Path] = None, k: int = 5, learned: bool = True, progress: Optional[Callable] = None,
             rule: Optional[str] = None, docs: Optional[dict] = None, sentences: Optional[list] = None,
             cv: Optional[dict] = None) -> dict:
    """The report of `marsad eval gsr` (see the module doc)."""
    sentences = sentences if sentences is not None else load(data_dir, k)
    docs = docs if docs is not None else run_pipeline(sentences, progress=progress)

    def coded(s):
        return [e for e in docs[s.text].events if e.type == s.type and happened(e)]

    predict: Callable = lambda s: bool(coded(s))
    method = "pipeline"
    if learned:
        from . import classify

        rule = rule or classify.RULE
        if cv is None:
            extra = classify.extra_rows(news_dev_positives())
            cv = classify.cross_validate(sentences, docs, k=k, extra=extra)
        kept = classify.sentence_predictions(cv, rule)
        predict = lambda s: kept.get((s.type, s.id), False)
        method = f"pipeline + event classifier, rule {rule!r} (each fold scored by a model trained on the other folds)"
    rep = score(sentences, predict, lambda s: coded(s) if predict(s) else [])
    rep["method"] = method
    rep["folds"] = k
    rep["sentences"] = len(sentences)
    return rep


def format_report(rep: dict) -> str:
    lines = [f"events_gsr development part, {rep['sentences']} sentences, {rep['folds']}-fold CV by document; "
             f"{rep['method']}", 'positive = "yes"; "easy no"/"difficult no" negative; "ambiguous" left out']
    for etype in TYPES:
        r = rep[etype]
        lines.append(f"{etype:8s} P {r['p']:.3f}  R {r['r']:.3f}  F1 {r['f1']:.3f}  (tp {r['tp']} fp {r['fp']} fn {r['fn']}; "
                     f"per fold F1 {', '.join(f'{x:.2f}' for x in r['folds'])}; ambiguous left out {r['ambiguous_left_out']}, "
                     f"{r['ambiguous_predicted']} predicted)")
        lines.append(f"         roles on {r['spans_coded']}/{r['spans_sentences']} spans sentences coded: actor overlap "
                     f"{r['actor_overlap']:.3f} (n {r['actor_n']}), target overlap {r['target_overlap']:.3f} (n {r['target_n']})")
    return "\n".join(lines)
