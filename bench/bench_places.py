"""Benchmark of the places stage over the shared samples, repeated.

    python bench/bench_places.py [--repeat 200]

The samples are cleaned once (clean stage); the places stage then runs on them repeatedly. Prints load time,
articles per second (cold first pass and warm passes) and the places found per sample.
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
    args = ap.parse_args()
    paths = sorted(samples_dir().glob("*.txt"))
    clean = Pipeline.default(["clean"])
    docs = [clean(Document(article=next(read_text_file(p)))) for p in paths]
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


if __name__ == "__main__":
    main()
