#!/usr/bin/env python
"""Events coded on teaser lines ("read also" lines, linked headlines) of real pages: must be none.

    python bench/bench_teasers.py [--pages ../shared/data/news_dev/pages.jsonl] [--json] [--lines]

The pages are read as `marsad ingest` reads them (the JSONL reader, one run, chrome learnt from the pages read).
Two counts, each listing the events it finds with the line their trigger is on:

* ``on_marked``: events whose trigger lies on a line the cleaner marked non-reporting (article.meta
  "non_reporting"); the events stage skips those lines, so this checks the wiring.
* ``on_teaser_looking``: events whose trigger line *looks* like a teaser by a looser test of this script's own,
  independent of the cleaner's data: one of the words readers are sent on with (اقرأ، شاهد، طالع، يهمك) among
  the line's first three words, a media tag in parentheses at its end ((فيديو)، (شاهد)), or a line right after a
  "related articles" heading. Its hits are for a reader to judge: a teaser the cleaner missed, or a real line.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from marsad.language.normalize import normalize  # noqa: E402
from marsad.readers.jsonl import read_jsonl_file  # noqa: E402
from marsad.run import analyze_items  # noqa: E402

_SEND = re.compile(r"^(?:\S+\s+){0,2}(?:اقرا|طالع|شاهد|شاهدوا|يهمك|تهمك)\b")
_TAG = re.compile(r"\((?:شاهد|فيديو|بالفيديو|صور|بالصور|خريطه|انفوغراف)\)\s*$")
_HEADING = re.compile(r"^(?:مقالات|اخبار|مواضيع) (?:ذات صله|متعلقه|مقترحه)\s*$|^اقرا (?:ايضا|كذلك)\s*:?$")


def _line(raw: str, offset: int) -> tuple:
    s = raw.rfind("\n", 0, offset) + 1
    e = raw.find("\n", offset)
    return s, (len(raw) if e < 0 else e)


def _looks_teaser(raw: str, s: int) -> bool:
    line = normalize(raw[s:raw.find("\n", s) if raw.find("\n", s) >= 0 else len(raw)]).strip()
    if _SEND.search(line) or _TAG.search(line):
        return True
    prev = [x.strip() for x in raw[:s].split("\n") if x.strip()]
    return bool(prev) and _HEADING.search(normalize(prev[-1])) is not None


def run(pages: Path) -> dict:
    marked, looking, lines = [], [], []
    n_docs = n_events = n_marks = 0
    for doc in analyze_items(read_jsonl_file(pages)):
        n_docs += 1
        raw = doc.article.raw_text or ""
        marks = doc.article.meta.get("non_reporting") or []
        n_marks += len(marks)
        lines.extend({"url": doc.article.url, "line": raw[m["raw_start"]:m["raw_end"]][:160]} for m in marks)
        for ev in doc.events:
            tr = ev.spans.get("trigger")
            if tr is None or tr.raw_start is None:
                continue
            n_events += 1
            s, e = _line(raw, tr.raw_start)
            row = {"url": doc.article.url, "type": ev.type, "trigger": tr.text, "line": raw[s:e][:160]}
            if any(m["start"] <= tr.start < m["end"] for m in marks):
                marked.append(row)
            if _looks_teaser(raw, s):
                looking.append(row)
    return {"pages": n_docs, "events": n_events, "teaser_lines_marked": n_marks,
            "on_marked": len(marked), "on_teaser_looking": len(looking),
            "marked_list": marked, "teaser_looking_list": looking, "marked_lines": lines}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", default=str(REPO.parent / "shared" / "data" / "news_dev" / "pages.jsonl"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--lines", action="store_true", help="also list the lines marked as teasers")
    args = ap.parse_args(argv)
    rep = run(Path(args.pages))
    if args.json:
        print(json.dumps(rep, ensure_ascii=False, indent=1))
        return 0
    print(f"{rep['pages']} pages, {rep['events']} events, {rep['teaser_lines_marked']} teaser lines marked non-reporting")
    print(f"events on marked teaser lines: {rep['on_marked']}; on teaser-looking lines: {rep['on_teaser_looking']}")
    for r in rep["marked_list"] + rep["teaser_looking_list"]:
        print(f"  {r['type']:<9} {r['trigger']!r:<16} {r['line']}  [{r['url']}]")
    if args.lines:
        for r in rep["marked_lines"]:
            print(f"  teaser: {r['line']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
