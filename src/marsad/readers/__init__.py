"""Readers turn files into Articles. Each yields Articles, or ReadErrors for bad records it can skip past;
a file that can't be read at all raises ReadError. ``read_paths`` walks files and folders and never stops
at a bad input: every problem comes back as a ReadError with the file and the reason."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from ..model import Article
from .base import ReadError, open_regular, special_kind
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
    reader = READERS.get(path.suffix.lower())
    return reader if reader is not None else _sniff_reader(path)


def _sniff_reader(path: Path) -> Callable[[Path], Iterator]:
    """Unknown extension: look at the first bytes."""
    try:
        with open_regular(path) as fh:
            head = fh.read(512).lstrip().lower()
    except (OSError, ReadError):
        return read_text_file  # which says what is wrong with the file
    if head.startswith(b"{"):
        return read_jsonl_file
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head:
        return read_feed_file
    if head.startswith((b"<!doctype html", b"<html")):
        return read_html_file
    return read_text_file


def iter_files(paths: Iterable[Union[str, Path]]) -> Iterator[Union[Path, ReadError]]:
    """The files under ``paths``, folders walked in name order. Nothing is passed over in silence: a path that
    does not exist, a dangling symbolic link, a folder that cannot be listed and a special file (FIFO, device,
    socket) are each a ReadError naming it; only hidden entries (a name starting with ".") are left out."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = yield from _walk(path)
            if not found:
                yield ReadError(path, "folder holds no files")
        elif path.exists() or path.is_symlink():
            yield path  # the reader says what is wrong with it, if anything (dangling link, FIFO, unreadable)
        else:
            yield ReadError(path, "no such file or directory")


def _walk(folder: Path, seen: Optional[set] = None) -> Iterator[Union[Path, ReadError]]:
    """Files under ``folder`` in name order, each sub-folder where its name falls (the order of
    ``sorted(folder.rglob("*"))``); a linked folder already walked is not walked again. Returns whether
    anything was found, errors included."""
    seen = set() if seen is None else seen
    try:
        st = os.stat(folder)
        if (st.st_dev, st.st_ino) in seen:
            return False
        seen.add((st.st_dev, st.st_ino))
        with os.scandir(folder) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as exc:
        yield ReadError(folder, f"cannot list folder ({exc.strerror or type(exc).__name__})")
        return True
    found = False
    for entry in entries:
        child = Path(entry.path)
        try:
            if entry.is_dir():
                found = (yield from _walk(child, seen)) or found
                continue
            mode = entry.stat().st_mode
        except FileNotFoundError:
            found = True
            yield ReadError(child, "dangling symbolic link")
            continue
        except OSError as exc:
            found = True
            yield ReadError(child, f"cannot read ({exc.strerror or type(exc).__name__})")
            continue
        found = True
        if stat.S_ISREG(mode):
            yield child
        else:
            yield ReadError(child, f"not a regular file ({special_kind(mode)})")
    return found


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
