"""Benchmark of the places stage over the shared samples, repeated.

    python bench/bench_places.py [--repeat 200] [--rounds 3]

The samples are cleaned and tokenised once (clean and language stages: the places stage reads the tokens); the
places stage then runs on them repeatedly. Prints load time,
articles per second (cold first pass and warm passes) and the places found per sample. Then the whole default
pipeline runs ``--rounds`` times over the samples and the news_dev pages (warm, after one pass to load every
model): each stage's share of the pipeline's time, from ``Document.timings`` — the share of "places" is what place
resolution adds to the pipeline (issue 22 asks for ≤ 10%).
"""

from __future__ import annotations

import argparse
import time

from marsad.model import Document
from marsad.paths import samples_dir
from marsad.pipeline import Pipeline, make_stage
from marsad.readers.text import read_text_file


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3, help="warm rounds of the whole pipeline (0 to skip)")
    args = ap.parse_args()
    paths = sorted(samples_dir().glob("*.txt"))
    upstream = Pipeline.default(["clean", "language"])
    docs = [upstream(Document(article=next(read_text_file(p)))) for p in paths]
    t0 = time.perf_counter()
    stage = make_stage("places")
    load = time.perf_counter() - t0

    def run_once() -> list:
        out = []
        for d in docs:
            d.places, d.mentions = [], []
            out.append(stage(d))
        return out

    t0 = time.perf_counter()
    run_once()
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        run_once()
    warm = time.perf_counter() - t0
    n = len(docs) * args.repeat
    chars = sum(len(d.text) for d in docs) * args.repeat
    print(f"{'measure':<28}{'value':>14}")
    print(f"{'gazetteer load (s)':<28}{load:>14.2f}")
    print(f"{'cold pass (articles/s)':<28}{len(docs) / cold:>14.0f}")
    print(f"{'warm (articles/s)':<28}{n / warm:>14.0f}")
    print(f"{'warm (chars/s)':<28}{chars / warm:>14.0f}")
    print(f"{'warm (ms/article)':<28}{1000 * warm / n:>14.2f}")
    print()
    print(f"{'sample':<26}{'places':>7}{'mentions':>9}{'villages':>9}")
    for p, d in zip(paths, docs):
        vil = sum(1 for x in d.places if x.precision_level == "village" and x.country == "SYR")
        print(f"{p.name:<26}{len(d.places):>7}{sum(len(x.mentions) for x in d.places):>9}{vil:>9}")

    if args.rounds > 0:
        pipeline_share(paths, args.rounds)


def pipeline_share(paths, rounds: int) -> None:
    from collections import Counter

    from marsad.paths import shared_dir
    from marsad.readers.jsonl import read_jsonl_file

    arts = [next(read_text_file(p)) for p in paths]
    dev = shared_dir() / "data" / "news_dev" / "pages.jsonl"
    if dev.exists():
        arts += [a for a in read_jsonl_file(dev) if not isinstance(a, Exception)]
    pipe = Pipeline.default()
    for a in arts:  # load every model once
        pipe(Document(article=a))
    per_round = []
    t0 = time.perf_counter()
    for _ in range(rounds):
        spent: Counter = Counter()
        for a in arts:
            d = pipe(Document(article=a))
            spent.update(d.timings)
        per_round.append(spent)
    wall = time.perf_counter() - t0
    # the shared machine slows whole rounds down: each stage's fastest round, and the share from those
    best = {name: min(r[name] for r in per_round) for name in pipe.names}
    total = sum(best.values())
    print()
    print(f"whole pipeline, {len(arts)} articles x {rounds} rounds: {len(arts) * rounds / wall:.0f} articles/s")
    print(f"{'stage':<12}{'ms/article':>12}{'share':>9}   (fastest round per stage)")
    for name in pipe.names:
        print(f"{name:<12}{1000 * best[name] / len(arts):>12.2f}{best[name] / total:>9.1%}")
    print(f"places adds {best.get('places', 0) / (total - best.get('places', 0)):.1%} to the other stages' time")


if __name__ == "__main__":
    main()