#!/usr/bin/env python
"""Speed of the "entities" stage on the shared samples (clean + language run first, not timed).

    python bench/bench_entities.py [--rounds 200]

Prints articles/s for the stage with and without the NER model (one core, warm caches)."""

from __future__ import annotations

import argparse
import copy
import time

from marsad.entities.stages import EntityStage
from marsad.model import Document
from marsad.paths import samples_dir
from marsad.pipeline import Pipeline
from marsad.readers.text import read_text_file


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=200)
    args = ap.parse_args()
    pre = Pipeline.default(["clean", "language"])
    base = [pre(Document(article=next(read_text_file(p)))) for p in sorted(samples_dir().glob("*.txt"))]
    ntok = sum(len(d.tokens) for d in base)
    rows = []
    for label, stage in (("kb + coref + ner", EntityStage()), ("kb + coref only", EntityStage(use_ner=False))):
        for d in base:  # warm the per-form caches
            stage(copy.deepcopy(d))
        docs = [copy.deepcopy(d) for _ in range(args.rounds) for d in base]
        t0 = time.perf_counter()
        for d in docs:
            stage(d)
        dt = time.perf_counter() - t0
        rows.append((label, len(docs), dt, len(docs) / dt, ntok * args.rounds / dt))
    print(f"{'stage':20s} {'articles':>9s} {'seconds':>8s} {'art/s':>8s} {'tokens/s':>10s}")
    for r in rows:
        print(f"{r[0]:20s} {r[1]:9d} {r[2]:8.2f} {r[3]:8.0f} {r[4]:10.0f}")


if __name__ == "__main__":
    main()
