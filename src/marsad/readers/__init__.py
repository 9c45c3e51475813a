"""Readers turn files into Articles. Each yields Articles, or ReadErrors for bad records it can skip past;
a file that can't be read at all raises ReadError. ``read_paths`` walks files and folders and never stops
at a bad input: every problem comes back as a ReadError with the file and the reason."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator, Union

from ..model import Article
from .base import ReadError
from .feed import read_feed_file
from .html import read_html_file
from .jsonl import read_jsonl_file
from .text import read_text_file

READERS: dict[str, Callable[[Path], Iterator]] = {
    ".txt": read_text_file,
    ".text": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".jsonl": read_jsonl_file,
    ".ndjson": read_jsonl_file,
    ".rss": read_feed_file,
    ".atom": read_feed_file,
    ".xml": read_feed_file,
}

Item = Union[Article, ReadError]


def reader_for(path: Path) -> Callable[[Path], Iterator]:
    return READERS.get(path.suffix.lower(), _sniff_reader(path))


def _sniff_reader(path: Path) -> Callable[[Path], Iterator]:
    """Unknown extension: look at the first bytes."""
    try:
        head = path.open("rb").read(512).lstrip().lower()
    except OSError:
        return read_text_file
    if head.startswith(b"{"):
        return read_jsonl_file
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head:
        return read_feed_file
    if head.startswith((b"<!doctype html", b"<html")):
        return read_html_file
    return read_text_file


def iter_files(paths: Iterable[Union[str, Path]]) -> Iterator[Union[Path, ReadError]]:
    for p in paths:
        path = Path(p)
        if not path.exists():
            yield ReadError(path, "no such file or directory")
        elif path.is_dir():
            found = False
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith("."):
                    found = True
                    yield child
            if not found:
                yield ReadError(path, "folder holds no files")
        else:
            yield path


def read_file(path: Path) -> Iterator[Item]:
    try:
        for item in reader_for(path)(path):
            yield item
    except ReadError as exc:
        yield exc
    except (OSError, UnicodeError) as exc:
        yield ReadError(path, f"{type(exc).__name__}: {exc}")


def read_paths(paths: Iterable[Union[str, Path]]) -> Iterator[Item]:
    for f in iter_files(paths):
        if isinstance(f, ReadError):
            yield f
        else:
            yield from read_file(f)


__all__ = ["ReadError", "read_paths", "read_file", "iter_files", "READERS"]
