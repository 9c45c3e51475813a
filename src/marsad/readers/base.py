"""Shared reader machinery: bytes → text with encoding detection, and one clear error per bad input."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

# A news article is a few KB; anything far larger is almost surely not one article (a dump, a binary).
MAX_FILE_BYTES = int(os.environ.get("MARSAD_MAX_FILE_BYTES", 20 * 1024 * 1024))
# A JSONL or feed file holds many articles, so it may be larger; it is streamed, never read whole.
MAX_STREAM_BYTES = int(os.environ.get("MARSAD_MAX_STREAM_BYTES", 2 * 1024 * 1024 * 1024))
MIN_ARABIC_RATIO = 0.25  # share of letters that must be Arabic for the text to count as Arabic news

_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF]")
_LETTER = re.compile(r"[^\W\d_]")


class ReadError(Exception):
    """A file (or one record in it) that cannot be read as an article; ``str()`` is the one-line message."""

    def __init__(self, path: str | Path, reason: str, where: Optional[str] = None):
        self.path = str(path)
        self.reason = reason
        self.where = where
        super().__init__(self.message)

    @property
    def message(self) -> str:
        loc = f"{self.path}:{self.where}" if self.where else self.path
        return f"{loc}: {self.reason}"


@dataclass
class Decoded:
    text: str
    encoding: str


def decode_bytes(data: bytes, path: str | Path) -> Decoded:
    """Decode article bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else detect (windows-1256 is common
    on Arabic sites). Binary data is refused rather than decoded into noise."""
    if not data.strip():
        raise ReadError(path, "empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16"), "utf-16")
    if b"\x00" in data[:8192]:
        raise ReadError(path, "binary file (NUL bytes), not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Arabic legacy code pages first, then whatever the detector finds.
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=["cp1256", "iso8859_6", "cp720", "utf_16"]).best()
    if best is None or best.encoding is None:
        best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise ReadError(path, "binary file or unknown text encoding")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise ReadError(path, f"cannot decode as {best.encoding}")
    if _control_ratio(text) > 0.05:
        raise ReadError(path, "binary file, not text")
    return Decoded(text, best.encoding)


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return bad / len(sample)


def arabic_ratio(text: str) -> float:
    sample = text[:50000]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return 0.0
    return len(_ARABIC_LETTER.findall(sample)) / letters


def check_arabic(text: str, path: str | Path, where: Optional[str] = None) -> None:
    if not text.strip():
        raise ReadError(path, "no text", where)
    ratio = arabic_ratio(text)
    if ratio < MIN_ARABIC_RATIO:
        raise ReadError(path, f"not Arabic text ({ratio:.0%} of letters are Arabic)", where)


def read_bytes_checked(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    size = path.stat().st_size
    if size > limit:
        raise ReadError(path, f"file too large ({size / 1e6:.1f} MB > {limit / 1e6:.0f} MB limit; "
                              "set MARSAD_MAX_FILE_BYTES to raise it)")
    return path.read_bytes()
