"""Shared reader machinery: bytes → text with encoding detection, and one clear error per bad input."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

# A news article is a few KB; anything far larger is almost surely not one article (a dump, a binary).
MAX_FILE_BYTES = int(os.environ.get("MARSAD_MAX_FILE_BYTES", 20 * 1024 * 1024))
# A JSONL or feed file holds many articles, so it may be larger; it is streamed, never read whole.
MAX_STREAM_BYTES = int(os.environ.get("MARSAD_MAX_STREAM_BYTES", 2 * 1024 * 1024 * 1024))
MIN_ARABIC_RATIO = 0.25  # share of letters that must be Arabic for the text to count as Arabic news
# Invalid UTF-8 sequences tolerated (replaced by U+FFFD, with a warning) as a share of the non-ASCII bytes: a
# UTF-8 article with a few broken bytes; text in a legacy code page has invalid sequences nearly everywhere.
MAX_REPLACED_SHARE = 0.02

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
    replaced: int = 0  # invalid byte sequences replaced by U+FFFD


def replaced_note(n: int) -> str:
    """The warning for an article decoded with replacement characters."""
    return f"{n} invalid UTF-8 byte sequence{'s' if n != 1 else ''} replaced by U+FFFD"


def note_decoding(meta: dict, decoded: Decoded) -> dict:
    """Record in an article's meta how its bytes were decoded (the encoding; repaired sequences, if any)."""
    meta["encoding"] = decoded.encoding
    if decoded.replaced:
        meta["replaced_bytes"] = decoded.replaced
    return meta


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
    repaired = _mostly_utf8(data)
    if repaired is not None:
        return repaired
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


def _mostly_utf8(data: bytes) -> Optional[Decoded]:
    """UTF-8 with a few invalid sequences (a truncated character, a stray byte): decoded with U+FFFD in their
    place, or None when too much is invalid for the text to be UTF-8 at all."""
    high = len(data.translate(None, bytes(range(128))))  # the non-ASCII bytes
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    if replaced <= 0 or replaced > MAX_REPLACED_SHARE * high:
        return None
    return Decoded(text, "utf-8", replaced)


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


def open_regular(path: Path):
    """Open ``path`` for reading in binary mode if it is a regular file, else raise ReadError: a FIFO would block
    for ever and a device (/dev/zero) never ends. The file is opened without blocking and checked through its
    descriptor, so what is checked is what is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except PermissionError:
        raise ReadError(path, "permission denied")
    except FileNotFoundError:
        raise ReadError(path, "dangling symbolic link" if os.path.islink(path) else "no such file or directory")
    except OSError as exc:
        raise ReadError(path, f"cannot open ({exc.strerror or exc})")
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ReadError(path, f"not a regular file ({special_kind(mode)})")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def special_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "a special file"


def too_large(path, size: Optional[float], limit: int, where: Optional[str] = None, what: str = "file") -> ReadError:
    """``size`` None: more than ``limit`` bytes came (reading stopped there)."""
    got = f"{size / 1e6:.1f} MB" if size is not None else "more"
    return ReadError(path, f"{what} too large ({got} > {limit / 1e6:.0f} MB limit; "
                           "set MARSAD_MAX_FILE_BYTES to raise it)", where)


def read_bytes_checked(path: Path, limit: Optional[int] = None) -> bytes:
    """The bytes of a regular file, at most ``limit`` (default ``MAX_FILE_BYTES``) of them: the cap holds while
    reading, whatever the file claimed its size was when it was opened."""
    limit = MAX_FILE_BYTES if limit is None else limit
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise too_large(path, size, limit)
        data = fh.read(limit + 1)
    if len(data) > limit:  # it grew, or it is not what its size said
        raise too_large(path, None, limit)
    return data
