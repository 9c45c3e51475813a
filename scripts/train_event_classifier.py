"""Train the ASSAULT/PROTEST event classifier (marsad.events.classify) on the events_gsr development part.

    PYTHONPATH=src python scripts/train_event_classifier.py [--data ../shared/data/events_gsr] [--no-cv]

Reads the sentences from /work/shared (never copied), runs the pipeline with the classifier off, trains on every
labelled candidate event, writes data/events/classifier.npz (weights, Platt scaling, thresholds: numbers only).
Then (unless --no-cv) reports the 5-fold cross-validation by document: every sentence scored by a model that
never saw its document, for both decision rules.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402

from marsad.events import classify, gsr  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--l2", type=float, default=3.0)
    ap.add_argument("--no-cv", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    sentences = gsr.load(args.data)
    docs = gsr.run_pipeline(sentences)
    extra = classify.extra_rows(gsr.news_dev_positives())
    X, y, types, folds, keys, ok, _kinds = classify.dataset(sentences, docs)
    groups = np.array([f"{a}|{b}" for a, b in keys])
    idx = np.flatnonzero(ok)
    model = classify.train(*classify.with_extra(X[idx], y[idx], types[idx], folds[idx], groups[idx], extra), args.l2)
    n_extra = 0 if extra is None else len(extra[1])
    model["meta"].update({"rule": classify.RULE, "embedding": False, "rows": int(len(idx)) + n_extra,
                          "positives": int(y[idx].sum()) + n_extra, "news_dev_positives": n_extra,
                          "data": "events_gsr development part + news_dev weak positives"})
    classify.save(model, meta=model["meta"])
    print(f"wrote {classify.MODEL_PATH} ({len(idx)} candidate events, {int(y[idx].sum())} in 'yes' sentences, "
          f"{n_extra} news_dev positives; "
          f"thresholds {model['thr']}; {time.perf_counter() - t0:.0f} s)", flush=True)
    if args.no_cv:
        return 0
    cv = classify.cross_validate(sentences, docs, l2=args.l2, extra=extra)
    for rule in ("all", "unnamed", classify.RULE):
        rep = gsr.evaluate(args.data, rule=rule, docs=docs, sentences=sentences, cv=cv)
        print(gsr.format_report(rep), flush=True)
    print(f"{time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
