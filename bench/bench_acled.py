#!/usr/bin/env python
"""ACLED view on real pages: share of rows dated, share of actor1 values that are named actors, and whether
event_id_cnty stays put when more articles arrive.

    python bench/bench_acled.py [--pages ../shared/data/news_dev/pages.jsonl] [--first 0.7] [--feed given|fallback|both]

Two ways of giving the pages their feed dates (the page's labels are not read otherwise):

* ``given``: ``published`` as the file gives it (45 of the 120 news_dev pages); a null stays null, so the text's
  own evidence decides.
* ``fallback``: issue 23's convention for "with feed dates": a page whose ``published`` is null gets its
  ``date_of_event`` as the feed date (113 of 120 pages then have one).

For each, the first ``--first`` share of the pages (in file order) is ingested, the ACLED view taken, then the rest
is ingested and the view taken again. Reported: rows dated over all rows and over the rows of pages with a feed
date (every such row must carry event_date); actor1 in three classes: ``named`` (an actor of the actor base,
read in the sentence or inferred from the article, ``inferred`` counts the latter), ``unnamed as reported`` (the
report itself names no one: «مسلحون مجهولون», «متظاهرون» -> ACLED's "Unidentified Armed Group (Syria)",
"Protesters (Syria)", which is how ACLED codes such reports) and ``unknown`` (no actor found; the row falls back
to "Unidentified Armed Group"). ``named_share`` counts only the first class; ``acled_convention_share`` the first
two.
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


def _feed(page: dict, mode: str) -> dict:
    row = {k: page[k] for k in FIELDS if page.get(k) is not None}
    if mode == "fallback" and not page.get("published") and page.get("date_of_event"):
        row["published"] = page["date_of_event"]
    return row


def _write(rows, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _share(k: int, n: int):
    return round(k / n, 3) if n else None


def _summary(rows, fed: set) -> dict:
    """``fed``: marsad event ids of the events of pages that came with a feed date."""
    n = len(rows)
    dated = sum(1 for r in rows if r["event_date"])
    of_fed = [r for r in rows if r["marsad_event_id"] in fed]
    fed_dated = sum(1 for r in of_fed if r["event_date"])
    by_date = Counter("event" if r["event_date"] and "date of report" not in r["tags"] else
                      "report" if r["event_date"] else "none" for r in rows)
    kinds = Counter(r["marsad_actor1_kind"] for r in rows)
    named = kinds["named"]
    inferred = sum(1 for r in rows if r["marsad_actor1_kind"] == "named" and r["marsad_actor1_inferred"])
    no_actor = Counter(r["sub_event_type"] for r in rows if r["marsad_actor1_kind"] == "unknown")
    return {"rows": n, "dated": dated, "dated_share": _share(dated, n), "dates_from": dict(by_date),
            "rows_of_pages_with_feed_date": len(of_fed), "of_those_dated": fed_dated,
            "of_those_dated_share": _share(fed_dated, len(of_fed)),
            "actor1": {"named": named, "of_which_inferred": inferred, "unnamed_as_reported": kinds["unnamed"],
                       "unknown": kinds["unknown"], "named_share": _share(named, n),
                       "acled_convention_share": _share(named + kinds["unnamed"], n),
                       "unknown_by_sub_event_type": dict(no_actor.most_common())},
            "actor1_top": Counter(r["actor1"] for r in rows).most_common(8)}


def run(pages: list, mode: str, first: float, pipeline) -> dict:
    cut = int(len(pages) * first)
    feeds = [_feed(p, mode) for p in pages]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        _write(feeds[:cut], tmp / "first.jsonl")
        _write(feeds[cut:], tmp / "rest.jsonl")
        store = open_store(str(tmp / "s.duckdb"))
        ingest([tmp / "first.jsonl"], store, pipeline=pipeline)
        before = acled_view(store)
        ingest([tmp / "rest.jsonl"], store, pipeline=pipeline)
        left = Counter()
        after = acled_view(store, not_coded=left)
        fed_urls = {f["url"] for f in feeds if f.get("published")}
        fed = {r["id"] for r in store.query(
            "SELECT e.id, a.url FROM events e JOIN articles a ON a.id = e.article_id WHERE NOT e.fused")
            if r["url"] in fed_urls}
        store.close()
    ids_before = {(r["marsad_event_id"], r["location"], r["latitude"]): r["event_id_cnty"] for r in before}
    ids_after = {(r["marsad_event_id"], r["location"], r["latitude"]): r["event_id_cnty"] for r in after}
    kept = sum(1 for k, v in ids_before.items() if ids_after.get(k) == v)
    return {"feed_dates": mode, "pages_with_feed_date": len(fed_urls), "first": cut,
            "before": _summary(before, fed), "after": _summary(after, fed), "left_out": dict(left),
            "ids": {"rows_before": len(ids_before), "same_id_after": kept, "changed": len(ids_before) - kept,
                    "unique_after": len(set(ids_after.values())), "rows_after": len(ids_after)}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", default=str(REPO.parent / "shared" / "data" / "news_dev" / "pages.jsonl"))
    ap.add_argument("--first", type=float, default=0.7)
    ap.add_argument("--feed", choices=["given", "fallback", "both"], default="both")
    args = ap.parse_args(argv)
    pages = [json.loads(line) for line in Path(args.pages).read_text(encoding="utf-8").splitlines() if line.strip()]
    pipeline = Pipeline.default()
    modes = ["given", "fallback"] if args.feed == "both" else [args.feed]
    report = {"pages": len(pages), "runs": [run(pages, m, args.first, pipeline) for m in modes]}
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
