"""Plain-text articles: one file, one article. The first non-empty lines may hold section labels and a title."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ..model import Article, content_id
from .base import check_arabic, decode_bytes, note_decoding, read_bytes_checked

MAX_LABEL_WORDS = 4  # "أخبار سوريا", "الشأن السوري سلايد رئيسي"
MAX_TITLE_WORDS = 25
_SENTENCE_END = re.compile(r"[.:؛]\s*$")  # a title may end with ! or ؟ or "..", not with a full stop or colon


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(words) > MAX_TITLE_WORDS:
        return False
    stripped = line.rstrip()
    if _SENTENCE_END.search(stripped) and not stripped.endswith(".."):
        return False
    return True


def split_header(text: str) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
    """Find section-label lines and the title line at the top of a news text file.

    Returns (label line spans, title line span) as character offsets into ``text``. The title is the first
    heading-like line longer than a label; short lines before it are labels. A file whose first line is
    body text (long, ending in a full stop) has no title.
    """
    lines: list[tuple[int, int]] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        if body.strip():
            lead = len(body) - len(body.lstrip())
            lines.append((pos + lead, pos + len(body.rstrip())))
        pos += len(raw)
        if len(lines) >= 6:
            break
    labels: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(lines[:-1]):  # the last line read can't be a title: something must follow it
        line = text[s:e]
        if not _is_heading(line):
            return labels, None
        if len(line.split()) > MAX_LABEL_WORDS:
            return labels, (s, e)
        nxt = text[lines[i + 1][0]:lines[i + 1][1]]
        if not _is_heading(nxt):  # a short line right before body text is the title itself
            return labels, (s, e)
        labels.append((s, e))
        if len(labels) >= 3:
            break
    return labels, None


def read_text_file(path: Path) -> Iterator[Article]:
    decoded = decode_bytes(read_bytes_checked(path), path)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    check_arabic(text, path)
    labels, title = split_header(text)
    meta = note_decoding({}, decoded)
    if title:
        meta["title_span"] = list(title)
    if labels:
        meta["label_spans"] = [list(l) for l in labels]
    yield Article(
        id=content_id(text),
        raw_text=text,
        title=text[title[0]:title[1]] if title else None,
        labels=[text[s:e] for s, e in labels],
        source_path=str(path),
        source_format="txt",
        meta=meta,
    )
