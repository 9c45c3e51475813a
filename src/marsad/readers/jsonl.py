"""JSONL: one article per line — {"text": …} or {"html": …}, with optional url / outlet / title / published /
fetched (when the page was fetched: relative stamps such as "منذ ساعتين" are counted back from it)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator, Optional, Union

from ..model import Article, content_id
from .base import MAX_FILE_BYTES, MAX_STREAM_BYTES, ReadError, check_arabic, decode_bytes, open_regular, too_large
from .dates import parse_fetched, parse_published
from .html import article_from_html

TEXT_FIELDS = ("text", "raw_text", "content", "body")


def read_jsonl_file(path: Path) -> Iterator[Union[Article, ReadError]]:
    records = 0
    with open_regular(path) as fh:
        if os.fstat(fh.fileno()).st_size > MAX_STREAM_BYTES:
            raise ReadError(path, f"file too large ({os.fstat(fh.fileno()).st_size / 1e9:.1f} GB)")
        total = 0
        lineno = 0
        while True:
            raw = fh.readline(MAX_FILE_BYTES + 1)  # a line is read at most this far (the cap holds while reading)
            if not raw:
                break
            lineno += 1
            where = f"line {lineno}"
            total += len(raw)
            if len(raw) > MAX_FILE_BYTES and not raw.endswith(b"\n"):
                total += _skip_line(fh)
                yield too_large(path, None, MAX_FILE_BYTES, where, what="record")
                continue
            if total > MAX_STREAM_BYTES:
                raise ReadError(path, f"file too large (more than {MAX_STREAM_BYTES / 1e9:.1f} GB read)")
            if not raw.strip():
                continue
            try:
                decoded = decode_bytes(raw, path)
                rec = json.loads(decoded.text)
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
                art = _article_from_record(rec, path, where)
            except ReadError as exc:
                yield exc
                continue
            if decoded.replaced:
                art.meta["replaced_bytes"] = decoded.replaced
            records += 1
            yield art
    if records == 0 and lineno == 0:
        raise ReadError(path, "empty file")
    if records == 0:
        raise ReadError(path, "no readable article records")


def _skip_line(fh) -> int:
    """Read past the rest of an over-long line, a block at a time; returns the bytes skipped."""
    n = 0
    while True:
        block = fh.readline(1 << 20)
        n += len(block)
        if not block or block.endswith(b"\n"):
            return n


# The record's fields, and the type each must have: a record with a field of another type is refused with an
# error naming the field (never stored half-read, never passed on to fail in a stage).
STRING_FIELDS = ("url", "outlet", "source", "title")


def _field(rec: dict, name: str, path: Path, where: str) -> Optional[str]:
    value = rec.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReadError(path, f"field {name!r} must be a string, not {_json_type(value)}", where)
    return value


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {dict: "an object", list: "a list"}.get(type(value), type(value).__name__)


def _article_from_record(rec: dict, path: Path, where: str) -> Article:
    for name in TEXT_FIELDS + ("html",) + STRING_FIELDS:
        _field(rec, name, path, where)
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
    fetched = parse_fetched(rec.get("fetched"))
    if fetched is not None:  # when the page was fetched: "منذ ساعتين" on it is counted back from this
        art.meta["fetched"] = fetched
    given = next((n for n in ("published", "date") if rec.get(n) not in (None, "")), None)
    if given is not None:
        value = rec[given]
        if not isinstance(value, str):
            raise ReadError(path, f"field {given!r} must be a date string (YYYY-MM-DD), not {_json_type(value)}",
                            where)
        try:
            art.published = parse_published(value, strict=True)
        except ValueError as exc:  # the article is kept, dated from its text; the summary warns
            art.meta["unreadable_published"] = value
            art.meta["published_problem"] = f"field {given!r}: {exc}"
    return art
