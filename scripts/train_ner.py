#!/usr/bin/env python
"""Train marsad's CRF NER model on ANERcorp and report entity-level F1 on a fixed held-out part.

    python scripts/train_ner.py                      # train, evaluate, save model + scores
    python scripts/train_ner.py --eval-only          # re-score the shipped model on the held-out part
    python scripts/train_ner.py --final              # after scoring, retrain on ALL data for the shipped model

Split: the corpus (no sentence breaks) is cut into pseudo-sentences at . ! ? ؟; every 10th pseudo-sentence
(index % 10 == 9) is held out. Deterministic: no randomness beyond crfsuite's own (which is deterministic).
Outputs: src/marsad/data/entities/ner.crfsuite and ner_scores.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from marsad.entities.ner import (  # noqa: E402
    ENT_DIR,
    MODEL_PATH,
    feature_extractor,
    iob_spans,
    pseudo_sentences,
    read_conll,
)
from marsad.paths import shared_dir  # noqa: E402

LABELS = ("PER", "ORG", "LOC", "MISC")


def split(sents, every=10):
    train = [s for i, s in enumerate(sents) if i % every != every - 1]
    held = [s for i, s in enumerate(sents) if i % every == every - 1]
    return train, held


def evaluate(tagger, sents, fx) -> dict:
    tp, fp, fn = Counter(), Counter(), Counter()
    for s in sents:
        words = [w for w, _ in s]
        gold = set(iob_spans([t for _, t in s]))
        pred = set(iob_spans(tagger.tag(fx.sequence(words))))
        for e in pred & gold:
            tp[e[2]] += 1
        for e in pred - gold:
            fp[e[2]] += 1
        for e in gold - pred:
            fn[e[2]] += 1

    def prf(t, p, n):
        prec = t / (t + p) if t + p else 0.0
        rec = t / (t + n) if t + n else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": t + n}

    out = {lab: prf(tp[lab], fp[lab], fn[lab]) for lab in LABELS}
    out["overall"] = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return out


def train(sents, fx, path: Path, c1: float, c2: float, iters: int) -> float:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for s in sents:
        trainer.append(fx.sequence([w for w, _ in s]), [t for _, t in s])
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iters,
            "feature.possible_transitions": True,
            "feature.minfreq": 1,
        }
    )
    t0 = time.time()
    trainer.train(str(path))
    return time.time() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=shared_dir() / "data" / "ner" / "ANERCorp_train.txt")
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("--scores", type=Path, default=ENT_DIR / "ner_scores.json")
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--eval-only", action="store_true")
    ap.add_argument("--final", action="store_true", help="retrain on all data after scoring (ships that model)")
    args = ap.parse_args()

    import pycrfsuite

    with open(args.data, encoding="utf-8") as fh:
        pairs = read_conll(fh)
    sents = pseudo_sentences(pairs)
    tr, held = split(sents)
    fx = feature_extractor()
    print(f"{len(pairs)} tokens, {len(sents)} pseudo-sentences: {len(tr)} train / {len(held)} held out")

    secs = 0.0
    if not args.eval_only:
        secs = train(tr, fx, args.model, args.c1, args.c2, args.iters)
        print(f"trained in {secs:.1f}s")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(args.model))
    scores = evaluate(tagger, held, fx)
    info = tagger.info()
    n_feats = len(info.state_features)
    tagger.close()
    for lab in (*LABELS, "overall"):
        s = scores[lab]
        print(f"{lab:8s} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} (n={s['support']})")
    result = {
        "metric": "entity-level exact span+type, held-out = every 10th pseudo-sentence of ANERCorp_train.txt",
        "command": "python scripts/train_ner.py" + (" --final" if args.final else ""),
        "params": {"c1": args.c1, "c2": args.c2, "max_iterations": args.iters},
        "train_sentences": len(tr),
        "heldout_sentences": len(held),
        "state_features": n_feats,
        "train_seconds": round(secs, 1),
        "scores": scores,
    }
    if args.final and not args.eval_only:
        secs2 = train(sents, fx, args.model, args.c1, args.c2, args.iters)
        result["shipped_model"] = "retrained on all pseudo-sentences after scoring (scores above are held-out)"
        print(f"final model on all data trained in {secs2:.1f}s")
    else:
        result["shipped_model"] = "the scored model (trained on the 90% train part)"
    if not args.eval_only:
        args.scores.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"model: {args.model} ({args.model.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
