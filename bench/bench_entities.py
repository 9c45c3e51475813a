#!/usr/bin/env python
"""Speed of the "entities" stage on the shared samples (clean + language run first, not timed), and of the NER
tagger alone.

    python bench/bench_entities.py [--rounds 200] [--conll FILE]

Prints articles/s for the stage with and without the NER model (one core: BLAS held to one thread; warm
caches), and tokens/s of the tagger (feature extraction + CRF scoring and Viterbi for the first pass alone; then both passes,
the BiLSTM-CRF second pass reading the sentences as one document, with all shipped networks and with one) on the samples' sentences, or on the sentences of
a CoNLL file (``--conll``, e.g. ../shared/data/ner/ANERCorp_train.txt cut into pseudo-sentences) — once cold (empty
per-form cache: every word's features computed) and once warm."""

from __future__ import annotations

import _one_core  # noqa: F401  (first: BLAS to one thread before numpy loads)

import argparse
import copy
import time
from pathlib import Path

from marsad.entities.stages import EntityStage
from marsad.model import Document, Tokens
from marsad.paths import samples_dir
from marsad.pipeline import Pipeline
from marsad.readers.text import read_text_file


def bench_tagger(args) -> None:
    from marsad.entities.ner import NerTagger, pseudo_sentences, read_conll

    if args.conll is not None:
        with open(args.conll, encoding="utf-8") as fh:
            sents = [[w for w, _ in s] for s in pseudo_sentences(read_conll(fh))]
    else:
        pre = Pipeline.default(["clean", "language"])
        sents = []
        for p in sorted(samples_dir().glob("*.txt")):
            d = pre(Document(article=next(read_text_file(p))))
            for sp in d.sentences:
                sents.append([t.text for t in Tokens.of(d.tokens) if sp.start <= t.start < sp.end])
    ntok = sum(map(len, sents))
    t0 = time.perf_counter()
    x = 0
    for _ in range(1_000_000):
        x += 1
    loop = time.perf_counter() - t0
    print(f"machine speed: a loop of 1 M additions takes {loop * 1000:.0f} ms (36-45 ms on a quiet 2-core VM)")
    # the tagger is mostly numpy's small matrix products, which need not follow the Python loop: probe them too
    import numpy as np

    a, b = np.ones((32, 128), np.float32), np.ones((128, 512), np.float32)
    t0 = time.perf_counter()
    for _ in range(2000):
        a @ b
    print(f"BLAS speed: a 32×128 by 128×512 float32 product takes {(time.perf_counter() - t0) / 2000 * 1e6:.0f} µs "
          f"(the LSTM's step; the loop's scaling below assumes the tagger follows the loop)")
    taggers = {"first pass": NerTagger(second=False), "both passes": NerTagger()}
    taggers["both passes, one network"] = NerTagger(networks=1)  # the faster setting (--networks 1)
    for passes, tagger in taggers.items():
        for label in ("cold", "warm"):
            if label == "cold":
                tagger.features._cache.clear()
                if tagger.two_pass:  # the second pass keeps per-form input vectors and features of its own
                    tagger._nn._cache.clear()
                    tagger._nn._vectors.clear()
                    tagger._nn.features._cache.clear()
                tagger._crf._forms.clear()
            t0 = time.perf_counter()
            tagger.tag_document(sents)  # the sentences as one document: the second pass reads each one's window
            dt = time.perf_counter() - t0
            print(f"tagger, {passes} ({label} cache): {ntok} tokens in {dt:.2f}s = {ntok / dt:,.0f} tokens/s"
                  f" (scaled to a 45 ms loop: {ntok / dt * loop / 0.045:,.0f})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--conll", type=Path, default=None, help="tag the sentences of this file (token [TAG] lines)")
    args = ap.parse_args()
    bench_tagger(args)
    pre = Pipeline.default(["clean", "language"])
    base = [pre(Document(article=next(read_text_file(p)))) for p in sorted(samples_dir().glob("*.txt"))]
    ntok = sum(len(d.tokens) for d in base)
    rows = []
    for label, stage in (("kb + coref + ner", EntityStage()), ("ner, one network", EntityStage(ner_networks=1)),
                         ("kb + coref only", EntityStage(use_ner=False))):
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
