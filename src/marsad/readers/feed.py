"""RSS / Atom feed files: one article per entry, text from the entry's content or summary."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, Union

from ..model import Article, content_id
from .base import MAX_FILE_BYTES, ReadError, check_arabic, read_bytes_checked
from .dates import parse_fetched, parse_published

_BLOCK_END = re.compile(r"(?i)<\s*(br\s*/?|/p|/div|/li|/h[1-6])\s*>")


def html_fragment_text(fragment: str) -> str:
    """Visible text of an HTML fragment, paragraphs on their own lines; markup never survives."""
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html

    try:
        root = lxml.html.fromstring(_BLOCK_END.sub("\n", fragment))
    except Exception:
        return re.sub(r"<[^>]*>", " ", fragment).strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    lines = [" ".join(l.split()) for l in root.text_content().splitlines()]
    return "\n\n".join(l for l in lines if l)


def read_feed_file(path: Path) -> Iterator[Union[Article, ReadError]]:
    import feedparser

    data = read_bytes_checked(path, MAX_FILE_BYTES * 10)
    if not data.strip():
        raise ReadError(path, "empty file")
    parsed = feedparser.parse(data)
    if parsed.bozo:
        exc = parsed.get("bozo_exception")
        error = ReadError(path, f"malformed feed XML ({type(exc).__name__}: {exc})".replace("\n", " "))
        if not parsed.entries:
            raise error
        yield error  # say so, then keep what the lenient parser could recover: nothing is silently lost
    if not parsed.entries:
        raise ReadError(path, "feed has no entries")
    outlet = parsed.feed.get("title") or None
    # the feed's own time (when it was built, close to when it was fetched): an entry without a date of its own
    # may still say "منذ ساعتين"
    fetched = parse_fetched(parsed.feed.get("updated") or parsed.feed.get("published"))
    for i, entry in enumerate(parsed.entries, 1):
        where = f"entry {i}"
        body = ""
        if entry.get("content"):
            body = entry.content[0].get("value", "")
        body = body or entry.get("summary", "") or entry.get("description", "")
        text = html_fragment_text(body)
        title = (entry.get("title") or "").strip() or None
        if title and text and not text.startswith(title):
            text = f"{title}\n\n{text}"
        try:
            check_arabic(text, path, where)
        except ReadError as exc:
            yield exc
            continue
        meta = {"title_span": [0, len(title)]} if title and text.startswith(title) else {}
        given = entry.get("published") or entry.get("updated")
        try:
            published = parse_published(given, strict=True)
        except ValueError as exc:  # kept, dated from its text; the summary warns
            published = None
            meta["unreadable_published"] = str(given)
            meta["published_problem"] = f"entry date: {exc}"
        if published is None and fetched is not None:
            meta["fetched"] = fetched
        yield Article(
            id=content_id(text), raw_text=text, title=title, url=entry.get("link"), outlet=outlet,
            published=published, source_path=f"{path}:{where}", source_format="feed", meta=meta,
        )
