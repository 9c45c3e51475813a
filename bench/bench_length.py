"""Cost against article length: the whole pipeline and each stage on one long article of 50 KB – 2 MB.

    python bench/bench_length.py [--sizes 50,100,200,400,800,1600] [--stages clean,language,...]

The long article is the lines of the five real samples (../shared/samples), repeated until it reaches the size
(UTF-8 kilobytes) with each copy numbered, so it has the density of names, numbers and dates of real reports. Each size runs in this one
process after a warm-up; the table gives seconds per stage and the ratio to the first size, beside the ratio of
the sizes (linear cost: the two ratios match). Issue 25's target: the 800 KB article at most 12× the 100 KB one.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def long_text(kb: int) -> str:
    from marsad.paths import samples_dir

    parts = [p.read_text(encoding="utf-8") for p in sorted(Path(samples_dir()).glob("*.txt"))]
    lines = [ln for p in parts for ln in p.splitlines() if ln.strip()]
    out, size, k = [], 0, 0
    while size < kb * 1024:
        k += 1  # each copy of a line is told apart, else the cleaner drops it as repeated site furniture
        line = f"{lines[(k - 1) % len(lines)]} ({k})"
        out.append(line)
        size += len(line.encode("utf-8")) + 2
    text = "\n\n".join(out)
    return text.encode("utf-8")[: kb * 1024].decode("utf-8", "ignore")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="50,100,200,400,800")
    ap.add_argument("--stages", default=None, help="comma-separated stages (default: the default pipeline)")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from marsad.model import Article, Document, content_id
    from marsad.pipeline import Pipeline

    pipe = Pipeline.default(args.stages.split(",") if args.stages else None)
    warm = long_text(10)
    pipe(Document(article=Article(id=content_id(warm), raw_text=warm)))
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for kb in sizes:
        text = long_text(kb)
        doc = Document(article=Article(id=content_id(text), raw_text=text))
        t0 = time.perf_counter()
        pipe(doc)
        total = time.perf_counter() - t0
        rows.append((kb, total, dict(doc.timings), len(doc.tokens), len(doc.events), len(doc.figures)))
    names = pipe.names
    print(f"{'KB':>6} {'tokens':>8} {'events':>7} {'figures':>7} {'total s':>8} {'×size':>6} {'×time':>6}  " +
          " ".join(f"{n:>9}" for n in names))
    kb0, t0 = rows[0][0], rows[0][1]
    for kb, total, timings, ntok, nev, nfig in rows:
        print(f"{kb:>6} {ntok:>8} {nev:>7} {nfig:>7} {total:>8.2f} {kb / kb0:>6.1f} {total / t0:>6.1f}  " +
              " ".join(f"{timings.get(n, 0):>9.2f}" for n in names))
    by = {kb: total for kb, total, *_ in rows}
    if 100 in by and 800 in by:
        r = by[800] / by[100]
        print(f"800 KB / 100 KB: {r:.1f}× (linear 8×; target ≤ 12×): {'ok' if r <= 12 else 'MISSED'}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
