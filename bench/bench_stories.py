"""Benchmark: online story clustering throughput and its growth with the archive size (one core).

Synthetic Documents come from marsad.stories.synth (templates over 8 event types, 12 actors, 40 villages,
8 outlets; ~40 articles a day, so larger runs cover more years; ~10% copies or light rewrites). Each row adds
N articles one at a time to a fresh StoryBuilder and reports articles/s, µs per article, the growth of the
per-article cost against the smallest run (near 1.0 = linear total cost), clustering quality against the
generator's truth (B-cubed precision/recall over happenings), copy recall and the state size.

    python bench/bench_stories.py                         # default: hashing 1k/10k/100k, USE encoder 1k (< 5 min)
    python bench/bench_stories.py --sizes 1000,10000 --use-sizes 1000,5000
    python bench/bench_stories.py --sizes 200000 --use-sizes 0

Single core: set OMP/OPENBLAS threads to 1 before numpy loads.
"""

from __future__ import annotations

import _one_core  # noqa: F401  (first: BLAS to one thread before numpy loads)

import argparse
import json
import time
from collections import defaultdict

from marsad.stories import StoryBuilder
from marsad.stories.synth import synthetic_corpus


def bcubed(docs, builder) -> tuple[float, float]:
    truth = {d.article.id: d.article.meta["truth"] for d in docs}
    pred = {d.article.id: builder.story_of(d.article.id) for d in docs}
    by_t, by_p = defaultdict(set), defaultdict(set)
    for a in truth:
        by_t[truth[a]].add(a)
        by_p[pred[a]].add(a)
    prec = rec = 0.0
    for a in truth:
        inter = len(by_t[truth[a]] & by_p[pred[a]])
        prec += inter / len(by_p[pred[a]])
        rec += inter / len(by_t[truth[a]])
    n = len(truth)
    return prec / n, rec / n


def copy_recall(docs, builder) -> float:
    # a copy in the generator is a document whose text repeats an earlier one of the same happening
    n = found = 0
    seen = {}
    for d in docs:
        key = (d.article.meta["truth"], d.article.title, d.article.published.value)
        body = d.text.replace("نقلا عن وكالات: ", "").replace("شخصا مدنيا", "مدنيا")
        if (key, body) in seen:
            n += 1
            found += builder.copy_of(d.article.id) is not None
        else:
            seen[(key, body)] = d.article.id
    return found / n if n else float("nan")


def run(n: int, embedder: str, seed: int = 7) -> dict:
    t0 = time.perf_counter()
    docs = synthetic_corpus(n, seed=seed)
    gen = time.perf_counter() - t0
    b = StoryBuilder(embedder=embedder)
    t0 = time.perf_counter()
    for d in docs:
        b.add(d)
    secs = time.perf_counter() - t0
    p, r = bcubed(docs, b)
    t1 = time.perf_counter()
    state = json.dumps(b.state(), ensure_ascii=False)
    state_s = time.perf_counter() - t1
    t1 = time.perf_counter()
    StoryBuilder(state=json.loads(state))
    restore_s = time.perf_counter() - t1
    return {"n": n, "embedder": embedder, "secs": secs, "per_s": n / secs, "us": secs / n * 1e6,
            "stories": len(b.stories()), "truth": len({d.article.meta["truth"] for d in docs}),
            "prec": p, "rec": r, "copies": copy_recall(docs, b), "dups": len(b.duplicates()),
            "days": len({d.article.published.value for d in docs}), "gen": gen,
            "state_mb": len(state.encode()) / 1e6, "state_s": state_s, "restore_s": restore_s}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="hashing-vector run sizes")
    ap.add_argument("--use-sizes", default="1000", help="USE-encoder run sizes (0 to skip)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rows = []
    for emb, sizes in (("use", args.use_sizes), ("hashing", args.sizes)):
        for s in [int(x) for x in sizes.split(",") if x.strip() and int(x) > 0]:
            rows.append(run(s, emb, args.seed))
            print(f"  done {emb} {s}: {rows[-1]['per_s']:.0f} articles/s", flush=True)
    base = {}
    hdr = (f"{'embedder':8} {'articles':>9} {'days':>5} {'secs':>8} {'art/s':>7} {'µs/art':>8} {'growth':>6} "
           f"{'stories':>8} {'truth':>7} {'B3-P':>5} {'B3-R':>5} {'copyR':>5} {'state MB':>8} {'save s':>6} "
           f"{'load s':>6}")
    print()
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        b0 = base.setdefault(r["embedder"], r["us"])
        print(f"{r['embedder']:8} {r['n']:>9} {r['days']:>5} {r['secs']:>8.1f} {r['per_s']:>7.0f} {r['us']:>8.0f} "
              f"{r['us'] / b0:>6.2f} {r['stories']:>8} {r['truth']:>7} {r['prec']:>5.2f} {r['rec']:>5.2f} "
              f"{r['copies']:>5.2f} {r['state_mb']:>8.1f} {r['state_s']:>6.1f} {r['restore_s']:>6.1f}")
    print("\ngrowth = µs per article relative to the smallest run of the same embedder (1.0 = linear total cost);"
          "\ntruth = synthetic happenings; B3-P/R = B-cubed precision/recall of stories vs happenings"
          " (a story may rightly hold several happenings of one period, so precision is a lower bound);"
          "\ncopyR = share of generated copies/rewrites linked as copies.")


if __name__ == "__main__":
    main()
