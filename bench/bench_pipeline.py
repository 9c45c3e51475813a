"""Pipeline throughput: articles per second per core, whole pipeline and per stage, and peak memory.

    python bench/bench_pipeline.py [--n 500] [--repeat 20] [--seed 1]

Runs Pipeline.default() in this one process (= one core) over three inputs: the real samples
(/work/shared/samples, repeated --repeat times), the demo articles in examples/articles, and a generated
corpus of --n articles (marsad.scale.corpus). Stage times come from Document.timings, which the pipeline
fills. Peak memory is the process's maximum resident set size (getrusage), after loading and after the run.
"""

from __future__ import annotations

import _one_core  # noqa: F401  (first: BLAS to one thread before numpy loads)

import argparse
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def run(pipeline, articles) -> dict:
    from marsad.model import Article, Document

    per_stage: Counter = Counter()
    t0 = time.perf_counter()
    chars = 0
    for art in articles:
        doc = pipeline(Document(article=Article.from_dict(art.to_dict())))
        chars += len(doc.text or "")
        for k, v in doc.timings.items():
            per_stage[k] += v
    wall = time.perf_counter() - t0
    return {"n": len(articles), "wall": wall, "stages": per_stage, "chars": chars}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=500, help="generated articles")
    ap.add_argument("--repeat", type=int, default=20, help="passes over the real samples")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    from marsad.paths import samples_dir
    from marsad.pipeline import Pipeline
    from marsad.readers import read_paths
    from marsad.scale.corpus import write_corpus

    base_rss = maxrss_mb()
    t = time.perf_counter()
    pipeline = Pipeline.default()
    load_s = time.perf_counter() - t
    loaded_rss = maxrss_mb()

    inputs = {}
    sd = samples_dir()
    if sd.exists():
        samples = [a for a in read_paths([sd]) if not hasattr(a, "reason")]
        inputs[f"samples ×{args.repeat}"] = samples * args.repeat
    ex = ROOT / "examples" / "articles"
    if ex.exists():
        inputs["examples ×10"] = [a for a in read_paths([ex]) if not hasattr(a, "reason")] * 10
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(args.n, Path(tmp), "jsonl", seed=args.seed)
        inputs[f"generated {args.n}"] = [a for a in read_paths([tmp]) if not hasattr(a, "reason")]

    # warm the per-word caches the way a long run has them warm
    run(pipeline, next(iter(inputs.values()))[:5])
    results = {name: run(pipeline, arts) for name, arts in inputs.items()}

    stages = pipeline.names
    print(f"marsad pipeline benchmark — one process (one core), Python {sys.version.split()[0]}")
    print(f"stages: {', '.join(stages)}; pipeline load {load_s:.2f} s")
    head = f"{'input':<16}{'articles':>9}{'art/s':>9}{'ms/art':>8}  " + "".join(f"{s[:9]:>10}" for s in stages)
    print()
    print("articles per second (whole pipeline, then each stage alone)")
    print(head)
    print("-" * len(head))
    for name, r in results.items():
        rate = r["n"] / r["wall"]
        cells = "".join(f"{(r['n'] / r['stages'][s]) if r['stages'][s] else float('inf'):>10.0f}" for s in stages)
        print(f"{name:<16}{r['n']:>9}{rate:>9.1f}{1000 / rate:>8.2f}  {cells}")
    print()
    print("share of pipeline time per stage")
    print(f"{'input':<16}" + "".join(f"{s[:9]:>10}" for s in stages))
    for name, r in results.items():
        total = sum(r["stages"].values()) or 1
        print(f"{name:<16}" + "".join(f"{100 * r['stages'][s] / total:>9.1f}%" for s in stages))
    print()
    print(f"peak RSS: {base_rss:.0f} MB at start, {loaded_rss:.0f} MB with the pipeline loaded, "
          f"{maxrss_mb():.0f} MB after the runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
