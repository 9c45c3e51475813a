"""Throughput of the events and figures stages on the shared samples (articles/s, one core).

The upstream stages (clean, language, entities, places) run once per article outside the timed region; the
events+figures stages then run ``--repeat`` times on fresh copies of the prepared documents.

    python bench/bench_events.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import copy
import time

from marsad.model import Article, Document, content_id
from marsad.paths import samples_dir
from marsad.pipeline import Pipeline, make_stage


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    upstream = Pipeline.default(["clean", "language", "entities", "places"])
    prepared = []
    for p in sorted(samples_dir().glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        prepared.append(upstream(Document(Article(id=content_id(text), raw_text=text))))
    stages = {"events": make_stage("events"), "figures": make_stage("figures")}
    totals = {k: 0.0 for k in stages}
    n = 0
    counts = [0, 0]
    for _ in range(args.repeat):
        for doc in prepared:
            d = copy.deepcopy(doc)
            for name, st in stages.items():
                t0 = time.perf_counter()
                d = st(d)
                totals[name] += time.perf_counter() - t0
            n += 1
            counts[0] += len(d.events)
            counts[1] += len(d.figures)
    both = sum(totals.values())
    print(f"{'stage':<16}{'articles':>10}{'seconds':>10}{'articles/s':>12}")
    for name, t in totals.items():
        print(f"{name:<16}{n:>10}{t:>10.3f}{n / t:>12.1f}")
    print(f"{'events+figures':<16}{n:>10}{both:>10.3f}{n / both:>12.1f}")
    print(f"per article: {counts[0] / n:.1f} events, {counts[1] / n:.1f} figures")


if __name__ == "__main__":
    main()
