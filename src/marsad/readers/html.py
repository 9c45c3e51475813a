"""HTML pages: main text, title and date extracted with trafilatura (site chrome, menus and footers dropped)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..model import Article, content_id
from .base import ReadError, check_arabic, decode_bytes, note_decoding, read_bytes_checked
from .dates import parse_published


def article_from_html(html: str, path: str | Path, url: str | None = None, where: str | None = None,
                      fmt: str = "html") -> Article:
    from trafilatura import bare_extraction

    if "<" not in html:
        raise ReadError(path, "not HTML (no markup)", where)
    try:
        # dates from the page's metadata only (meta tags, JSON-LD, <time>, the URL): the extensive search also
        # reads the body, where "signed in 2018" would become a publication date of 2018-01-01 at day precision
        doc = bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                              include_tables=False, favor_recall=True,
                              date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # trafilatura raises assorted parser errors on broken markup
        raise ReadError(path, f"malformed HTML ({type(exc).__name__}: {exc})", where)
    if doc is None:
        raise ReadError(path, "malformed HTML or no main text found", where)
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (data.get("text") or "").strip()
    if not text:
        raise ReadError(path, "no main text found in the page", where)
    title = (data.get("title") or "").strip() or None
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"  # keep the headline in the text: it often states the event
    check_arabic(text, path, where)
    published = parse_published(str(data["date"])[:10]) if data.get("date") else None
    outlet = data.get("sitename") or data.get("hostname")
    return Article(
        id=content_id(text),
        raw_text=text,
        title=title,
        url=data.get("url") or url,
        outlet=outlet,
        published=published,
        source_path=str(path),
        source_format=fmt,
        meta={"title_span": [0, len(title)]} if title and text.startswith(title) else {},
    )


def read_html_file(path: Path) -> Iterator[Article]:
    decoded = decode_bytes(read_bytes_checked(path), path)
    article = article_from_html(decoded.text, path)
    note_decoding(article.meta, decoded)
    yield article
