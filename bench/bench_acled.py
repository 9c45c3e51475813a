#!/usr/bin/env python
"""ACLED view on real pages: share of rows dated, share of actor1 values that are named actors (from the actor
base, not "Unidentified …"), and whether event_id_cnty stays put when more articles arrive.

    python bench/bench_acled.py [--pages ../shared/data/news_dev/pages.jsonl] [--first 0.7]

The pages are ingested with their feed dates only (``published`` as given; null -> no date, so the text's own
evidence decides); labels in the file are not read. The first ``--first`` share of the pages (in file order)
is ingested, the ACLED view taken, then the rest is ingested and the view taken again.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from marsad.ingest import ingest  # noqa: E402
from marsad.pipeline import Pipeline  # noqa: E402
from marsad.store import open_store  # noqa: E402
from marsad.store.export import acled_view  # noqa: E402

FIELDS = ("url", "outlet", "published", "title", "text")


def _write(rows, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({k: r[k] for k in FIELDS if r.get(k) is not None}, ensure_ascii=False) + "\n")


def _summary(rows) -> dict:
    n = len(rows)
    dated = sum(1 for r in rows if r["event_date"])
    named = sum(1 for r in rows if r["marsad_actor1_named"])
    by_date = Counter("event" if r["event_date"] and "date of report" not in r["tags"] else
                      "report" if r["event_date"] else "none" for r in rows)
    return {"rows": n, "dated": dated, "dated_share": round(dated / n, 3) if n else None, "dates_from": dict(by_date),
            "actor1_named": named, "actor1_named_share": round(named / n, 3) if n else None,
            "actor1_top": Counter(r["actor1"] for r in rows).most_common(8)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", default=str(REPO.parent / "shared" / "data" / "news_dev" / "pages.jsonl"))
    ap.add_argument("--first", type=float, default=0.7)
    args = ap.parse_args(argv)
    pages = [json.loads(line) for line in Path(args.pages).read_text(encoding="utf-8").splitlines() if line.strip()]
    cut = int(len(pages) * args.first)
    pipeline = Pipeline.default()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        _write(pages[:cut], tmp / "first.jsonl")
        _write(pages[cut:], tmp / "rest.jsonl")
        store = open_store(str(tmp / "s.duckdb"))
        ingest([tmp / "first.jsonl"], store, pipeline=pipeline)
        before = acled_view(store)
        ingest([tmp / "rest.jsonl"], store, pipeline=pipeline)
        left = Counter()
        after = acled_view(store, not_coded=left)
        store.close()
    ids_before = {(r["marsad_event_id"], r["location"], r["latitude"]): r["event_id_cnty"] for r in before}
    ids_after = {(r["marsad_event_id"], r["location"], r["latitude"]): r["event_id_cnty"] for r in after}
    kept = sum(1 for k, v in ids_before.items() if ids_after.get(k) == v)
    report = {"pages": len(pages), "first": cut, "before": _summary(before), "after": _summary(after),
              "left_out": dict(left),
              "ids": {"rows_before": len(ids_before), "same_id_after": kept,
                      "changed": len(ids_before) - kept, "unique_after": len(set(ids_after.values())),
                      "rows_after": len(ids_after)}}
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
