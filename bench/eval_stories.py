"""Evaluation: story clustering on ../shared/data/news_dev (real pages, labelled happenings).

Every page goes through the default pipeline once per setting and is then clustered by a fresh StoryBuilder:

* feed dates: the page's ``published`` as the feed's date, and for a page whose ``published`` is null its
  ``date_of_event`` (a feed always carries a date; the day of the happening is the closest stand-in);
* no feed dates: no ``published`` at all; whatever date the article gets comes from its URL and text (as in a
  run: an article whose text leaves several dates is processed again against the run's median known date).

For each setting: B-cubed precision/recall/F1 of the stories against ``story_id`` in the given order and in
three shuffles (seeds 1, 2, 3), the spread of F1 over the shuffles, the hard negatives merged into the story they
resemble (``hard_negative_of``), and the same-publication-day baseline on the same pages (one group per
publication day the article ends up with; an undated article alone), plus the all-singletons baseline.

    PYTHONPATH=src python bench/eval_stories.py                 # both settings, USE encoder
    PYTHONPATH=src python bench/eval_stories.py --embedder hashing --settings feed
    PYTHONPATH=src python bench/eval_stories.py --details       # the predicted stories, page by page

news_dev is a development set: it is read here only to measure; nothing is fitted to particular pages.
Processed pages are cached under --cache (keyed by the source tree's hash), so reruns cluster only.
"""

from __future__ import annotations

import _one_core  # noqa: F401  (first: BLAS to one thread before numpy loads)

import argparse
import hashlib
import json
import os
import pickle
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news_dev" / "pages.jsonl"
SHUFFLE_SEEDS = (1, 2, 3)


def load_pages(path: Path) -> list[dict]:
    pages = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not pages:
        raise SystemExit(f"{path}: no pages")
    for i, p in enumerate(pages):
        missing = [k for k in ("text", "story_id") if not p.get(k)]
        if missing:
            raise SystemExit(f"{path}: line {i + 1} has no {', '.join(missing)}")
    return pages


def bcubed(truth: dict, pred: dict) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of the clustering ``pred`` (item -> cluster) against ``truth``."""
    by_t, by_p = defaultdict(set), defaultdict(set)
    for a, t in truth.items():
        by_t[t].add(a)
        by_p[pred[a]].add(a)
    p = r = 0.0
    for a in truth:
        inter = len(by_t[truth[a]] & by_p[pred[a]])
        p += inter / len(by_p[pred[a]])
        r += inter / len(by_t[truth[a]])
    n = len(truth)
    p, r = p / n, r / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def hard_negatives_merged(pages: list[dict], ids: list[str], pred: dict) -> list[str]:
    """Hard-negative pages whose predicted story also holds a page of the story they resemble."""
    story_of = {aid: pg["story_id"] for aid, pg in zip(ids, pages)}
    members = defaultdict(set)
    for aid, sid in pred.items():
        members[sid].add(story_of[aid])
    return [aid for aid, pg in zip(ids, pages)
            if pg.get("hard_negative_of") and pg["hard_negative_of"] in members[pred[aid]]]


def _tree_hash() -> str:
    h = hashlib.sha1()
    for f in sorted((ROOT / "src" / "marsad").rglob("*")):
        rel = f.relative_to(ROOT)
        if f.is_file() and f.suffix in (".py", ".json", ".txt", ".tsv", ".csv") and "stories" not in rel.parts:
            h.update(str(rel).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def make_article(page: dict, feed_dates: bool):
    from marsad.model import Article, DateRef, content_id

    text = page["text"]
    art = Article(id=content_id((page.get("url") or "") + "\n" + text), raw_text=text, outlet=page.get("outlet"),
                  url=page.get("url"), title=page.get("title"), source_format="jsonl")
    if feed_dates:
        day = page.get("published") or page.get("date_of_event")
        if day:
            art.published = DateRef(day, "day", source="metadata")
    return art


def process(pages: list[dict], feed_dates: bool, cache: Path | None, data_path: Path) -> list:
    key = hashlib.sha1(f"{_tree_hash()}|{feed_dates}|{data_path.stat().st_mtime}|{len(pages)}".encode()).hexdigest()[:16]
    cf = cache / f"news_dev_{'feed' if feed_dates else 'nofeed'}_{key}.pkl" if cache else None
    if cf is not None and cf.exists():
        return pickle.loads(cf.read_bytes())
    from marsad.pipeline import Pipeline
    from marsad.run import RunContext, process_batch, reference_from

    # as the one run path does it: an article whose own evidence leaves several publication dates is processed
    # again against the run's median known date (marsad.run: deferred articles)
    pipe = Pipeline.default()
    arts = [make_article(p, feed_dates) for p in pages]
    docs, pending = [None] * len(arts), []
    for i, art in enumerate(arts):
        (o,) = process_batch([(art, RunContext())], pipe, defer=True)
        if o.kind == "error":
            raise SystemExit(o.message)
        if o.kind == "deferred":
            pending.append((i, o.article))
        else:
            docs[i] = o.doc
    reference = reference_from([d.article.published.value for d in docs if d is not None and d.article.published])
    for i, art in pending:
        (o,) = process_batch([(art, RunContext(reference_date=RunContext.given(reference).reference_date,
                                               reference_from_run=reference is not None))], pipe)
        docs[i] = o.doc
    if cf is not None:
        cf.parent.mkdir(parents=True, exist_ok=True)
        cf.write_bytes(pickle.dumps(docs))
    return docs


def cluster(docs: list, order: list[int], embedder: str, batch: bool = False) -> dict:
    """article id -> story id, the articles added in ``order``."""
    import copy

    from marsad.stories import StoryBuilder

    b = StoryBuilder(embedder=embedder)
    fresh = [copy.deepcopy(docs[i]) for i in order]
    for d in fresh:
        b.add(d)
    return {d.article.id: b.story_of(d.article.id) for d in fresh}, b


def same_day_baseline(docs: list) -> dict:
    out = {}
    for d in docs:
        p = d.article.published
        day = p.value[:10] if p is not None and p.value and p.precision == "day" else None
        out[d.article.id] = "day:" + day if day else "alone:" + d.article.id
    return out


def evaluate(pages: list[dict], docs: list, embedder: str) -> dict:
    ids = [d.article.id for d in docs]
    truth = {aid: pg["story_id"] for aid, pg in zip(ids, pages)}
    runs = []
    orders = [("given", list(range(len(docs))))]
    for seed in SHUFFLE_SEEDS:
        o = list(range(len(docs)))
        random.Random(seed).shuffle(o)
        orders.append((f"shuffle {seed}", o))
    builder = None
    for name, order in orders:
        t0 = time.perf_counter()
        pred, b = cluster(docs, order, embedder)
        secs = time.perf_counter() - t0
        p, r, f = bcubed(truth, pred)
        hn = hard_negatives_merged(pages, ids, pred)
        runs.append({"order": name, "P": p, "R": r, "F1": f, "hard_neg_merged": len(hn),
                     "stories": len(set(pred.values())), "secs": secs, "pred": pred})
        builder = builder or b
    day = same_day_baseline(docs)
    single = {aid: aid for aid in ids}
    dated = sum(1 for d in docs if d.article.published is not None and d.article.published.precision == "day")
    f1s = [r["F1"] for r in runs[1:]]
    return {"runs": runs, "day": bcubed(truth, day), "day_hn": len(hard_negatives_merged(pages, ids, day)),
            "single": bcubed(truth, single), "dated": dated, "n": len(docs),
            "hard_negatives": sum(1 for pg in pages if pg.get("hard_negative_of")),
            "truth_stories": len(set(truth.values())), "spread": max(f1s) - min(f1s),
            "mean_shuffled_F1": sum(f1s) / len(f1s), "builder": builder}


def print_details(pages: list[dict], docs: list, pred: dict) -> None:
    by = defaultdict(list)
    for d, pg in zip(docs, pages):
        by[pred[d.article.id]].append((pg, d))
    for sid, items in sorted(by.items(), key=lambda kv: min(pg["story_id"] for pg, _ in kv[1])):
        labels = sorted({pg["story_id"] for pg, _ in items})
        mark = "" if len(labels) == 1 else "   <-- mixes " + " ".join(labels)
        print(f"{sid[:28]:28} {len(items)} pages{mark}")
        for pg, d in items:
            pub = d.article.published.value if d.article.published else "-"
            evs = ",".join(sorted({e.type for e in d.events}))[:40]
            pls = ",".join(sorted({p.name for p in d.places}))[:50]
            hn = f" HN of {pg['hard_negative_of']}" if pg.get("hard_negative_of") else ""
            print(f"    {pg['story_id']}{hn:12} pub {pub:10} ev {pg.get('date_of_event') or '-':10} "
                  f"[{evs}] [{pls}] {(pg.get('title') or pg['text'])[:50]!r}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--embedder", default="use", choices=["use", "hashing"])
    ap.add_argument("--settings", default="feed,nofeed", help="feed, nofeed or both (comma-separated)")
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "marsad_eval_stories")
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--details", action="store_true", help="print the predicted stories of the given order")
    ap.add_argument("--json", type=Path, help="write the scores here")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"eval_stories: {args.data} not found (news_dev lives in ../shared/data/news_dev)", file=sys.stderr)
        return 2
    pages = load_pages(args.data)
    out = {}
    for setting in [s.strip() for s in args.settings.split(",") if s.strip()]:
        if setting not in ("feed", "nofeed"):
            raise SystemExit(f"unknown setting {setting!r} (feed | nofeed)")
        docs = process(pages, setting == "feed", None if args.no_cache else args.cache, args.data)
        res = evaluate(pages, docs, args.embedder)
        title = "with feed dates" if setting == "feed" else "without feed dates"
        print(f"\n== news_dev {title}: {res['n']} pages, {res['truth_stories']} labelled happenings, "
              f"{res['hard_negatives']} hard negatives; {res['dated']} articles dated to the day; "
              f"embedder {res['builder'].embedder.name}")
        print(f"{'order':12} {'P':>5} {'R':>5} {'F1':>5} {'stories':>7} {'HN merged':>9} {'secs':>5}")
        for r in res["runs"]:
            print(f"{r['order']:12} {r['P']:5.3f} {r['R']:5.3f} {r['F1']:5.3f} {r['stories']:7d} "
                  f"{r['hard_neg_merged']:9d} {r['secs']:5.1f}")
        dp, dr, df = res["day"]
        sp, sr, sf = res["single"]
        print(f"{'same day':12} {dp:5.3f} {dr:5.3f} {df:5.3f} {'':7} {res['day_hn']:9d}")
        print(f"{'singletons':12} {sp:5.3f} {sr:5.3f} {sf:5.3f}")
        print(f"shuffled: mean F1 {res['mean_shuffled_F1']:.3f}, spread {res['spread']:.3f}; "
              f"mean shuffled F1 - same-day F1 = {res['mean_shuffled_F1'] - df:+.3f}")
        if args.details:
            print_details(pages, docs, res["runs"][0]["pred"])
        out[setting] = {"runs": [{k: v for k, v in r.items() if k != "pred"} for r in res["runs"]],
                        "same_day": dict(zip("PRF", res["day"])), "singletons": dict(zip("PRF", res["single"])),
                        "spread": res["spread"], "mean_shuffled_F1": res["mean_shuffled_F1"], "dated": res["dated"]}
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
