"""JSONL: one article per line — {"text": …} or {"html": …}, with optional url / outlet / title / published."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator, Union

from ..model import Article, content_id
from .base import MAX_FILE_BYTES, MAX_STREAM_BYTES, ReadError, check_arabic, decode_bytes
from .dates import parse_published
from .html import article_from_html

TEXT_FIELDS = ("text", "raw_text", "content", "body")


def read_jsonl_file(path: Path) -> Iterator[Union[Article, ReadError]]:
    size = path.stat().st_size
    if size == 0:
        raise ReadError(path, "empty file")
    if size > MAX_STREAM_BYTES:
        raise ReadError(path, f"file too large ({size / 1e9:.1f} GB)")
    records = 0
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"line {lineno}"
            if not raw.strip():
                continue
            if len(raw) > MAX_FILE_BYTES:
                yield ReadError(path, f"record too large ({len(raw) / 1e6:.1f} MB)", where)
                continue
            try:
                line = decode_bytes(raw, path).text
                rec = json.loads(line)
            except ReadError as exc:
                yield ReadError(path, exc.reason, where)
                continue
            except json.JSONDecodeError as exc:
                yield ReadError(path, f"malformed JSON ({exc.msg} at column {exc.colno})", where)
                continue
            if not isinstance(rec, dict):
                yield ReadError(path, "record is not a JSON object", where)
                continue
            try:
                yield _article_from_record(rec, path, where)
                records += 1
            except ReadError as exc:
                yield exc
    if records == 0:
        raise ReadError(path, "no readable article records")


def _article_from_record(rec: dict, path: Path, where: str) -> Article:
    text = next((rec[f] for f in TEXT_FIELDS if isinstance(rec.get(f), str) and rec[f].strip()), None)
    if text is None and isinstance(rec.get("html"), str):
        art = article_from_html(rec["html"], path, url=rec.get("url"), where=where, fmt="jsonl")
    elif text is None:
        raise ReadError(path, f"no article text (expected one of: {', '.join(TEXT_FIELDS)}, html)", where)
    else:
        text = text.replace("\r\n", "\n")
        check_arabic(text, path, where)
        art = Article(id=content_id(text), raw_text=text, source_format="jsonl")
    art.source_path = f"{path}:{where}"
    art.url = rec.get("url") or art.url
    art.outlet = rec.get("outlet") or rec.get("source") or art.outlet
    art.title = rec.get("title") or art.title
    if rec.get("published") or rec.get("date"):
        pub = parse_published(rec.get("published") or rec.get("date"))
        if pub is None:
            art.meta["unreadable_published"] = str(rec.get("published") or rec.get("date"))
        else:
            art.published = pub
    return art
