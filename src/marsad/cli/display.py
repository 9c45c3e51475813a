"""Arabic in the terminal, tables and progress.

Most terminals neither join Arabic letters nor lay out right-to-left text, so when writing to one we shape and
reorder each cell (arabic-reshaper + python-bidi). Pipes and files get the logical text unchanged.
``MARSAD_BIDI=1`` forces shaping on, ``MARSAD_BIDI=0`` off (for terminals that do their own bidi, such as
mlterm, Konsole with bidi enabled, or GNOME Terminal ≥ 3.34 / VTE).

Wrapping happens BEFORE reordering: a cell is broken into lines at word boundaries in logical order, then each
line is reordered on its own. Reordering a whole cell and letting the table wrap it would print its lines
bottom-up and split words in the middle.
"""

from __future__ import annotations

import os
import sys
import textwrap
from functools import lru_cache
from typing import Optional


def bidi_wanted() -> bool:
    env = os.environ.get("MARSAD_BIDI")
    if env is not None:
        return env.strip().lower() not in ("0", "false", "no", "off", "")
    return sys.stdout.isatty()


@lru_cache(maxsize=4096)
def visual(text: str) -> str:
    """Shaped, visually ordered form of one line of ``text`` for terminals without bidi support."""
    if not text:
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


def wrap_lines(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` characters at spaces (a word longer than the width is
    the only thing ever split)."""
    out: list[str] = []
    for para in str(text).split("\n"):
        out += textwrap.wrap(para, width=max(1, width), break_long_words=True, break_on_hyphens=False) or [""]
    return out


def show(text, enabled: bool, width: Optional[int] = None) -> str:
    """A cell's text for the terminal: wrapped to ``width`` (when given) in logical order, then each line
    shaped and reordered when ``enabled``."""
    if text is None:
        return ""
    text = str(text)
    if width is None:
        return visual(text) if enabled else text
    lines = wrap_lines(text, width)
    return "\n".join(visual(line) if enabled else line for line in lines)


MIN_WIDTH = 6
LONGEST_WORD = 16  # a word longer than this is the only thing ever split


def column_widths(total: int, fixed: dict, flexible: dict, minimum: Optional[dict] = None) -> dict:
    """Widths that fit a rich table (one-character borders, one space of padding each side) into ``total``
    columns: ``fixed`` {name: width}; the rest shared among ``flexible`` {name: weight}, each at least its
    ``minimum`` (its longest word, so that words are never split). Cells wrapped to these widths are not
    re-wrapped by the table."""
    minimum = minimum or {}
    n = len(fixed) + len(flexible)
    inner = total - (3 * n + 1)
    widths = dict(fixed)
    mins = {k: max(MIN_WIDTH, minimum.get(k, MIN_WIDTH)) for k in flexible}
    room = max(0, inner - sum(widths.values()) - sum(mins.values()))
    weights = sum(flexible.values()) or 1
    for name, w in flexible.items():
        widths[name] = mins[name] + room * w // weights
    return widths


def _longest_word(texts, cap: int = LONGEST_WORD) -> int:
    return min(cap, max([0] + [len(w) for t in texts if t for w in str(t).split()]))


def events_table(rows: list[dict], title: str, bidi: bool, width: Optional[int] = None):
    """A rich Table of event rows (from the events query), each cell wrapped to its column at word
    boundaries before shaping. Below 100 columns the outlet is left out to leave room for the words."""
    from rich.console import Console
    from rich.table import Table

    total = width or Console().width
    cells = []
    for r in rows:
        kind = r["type"] or ""
        mode = r.get("mode") or ""
        if r.get("modality") and r["modality"] != "asserted":
            mode = f"{mode} ({r['modality']})".strip()
        ev = r.get("evidence_text") or ""
        ev = ev if len(ev) <= 90 else ev[:87] + "…"
        cells.append({"date": r.get("event_date") or "", "type": f"{kind}\n{mode}" if mode else kind,
                      "actor": r.get("actor_text") or r.get("actor") or "",
                      "recipient": r.get("recipient_text") or r.get("recipient") or "",
                      "places": "، ".join(map(str, r.get("place_names") or [])), "outlet": r.get("outlet") or "",
                      "evidence": ev})
    flexible = {"actor": 2, "recipient": 2, "places": 2, "outlet": 2, "evidence": 4}
    if total < 100:
        del flexible["outlet"]
    cols = ["date", "type"] + list(flexible)
    fixed = {"date": 10, "type": max([4] + [len(line) for c in cells for line in c["type"].split("\n")])}
    minimum = {k: max(len(k), _longest_word(c[k] for c in cells)) for k in flexible}
    widths = column_widths(total, fixed, flexible, minimum)
    table = Table(title=title, show_lines=False)
    for col in cols:
        table.add_column(col, overflow="fold", width=widths[col], no_wrap=False)
    for c in cells:
        table.add_row(*[show(c[col], bidi and col not in ("date", "type"), widths[col]) for col in cols])
    return table


def progress_columns(total_known: bool):
    """The columns of a rich Progress: with a known total, the bar, done/total, percentage and time left;
    without one, a spinner, the count and the time elapsed (never "1500/?")."""
    from rich.progress import (BarColumn, MofNCompleteColumn, SpinnerColumn, TaskProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    head = TextColumn("[bold]{task.description}")
    status = TextColumn("{task.fields[status]}")
    if total_known:
        return (head, BarColumn(), MofNCompleteColumn(), TaskProgressColumn(), TextColumn("left"),
                TimeRemainingColumn(), status)
    return (head, SpinnerColumn(), TextColumn("{task.completed} done"), TimeElapsedColumn(), status)


def make_progress(console, total: Optional[int], disable: bool = False):
    """A rich Progress whose columns fit whether ``total`` (the input size) is known; use ``progress.update(task,
    total=…)`` once it is, and the bar with time left appears."""
    from rich.progress import Progress

    class _Adaptive(Progress):
        def get_renderables(self):
            known = all(t.total is not None for t in self.tasks) and bool(self.tasks)
            self.columns = progress_columns(known)
            yield from super().get_renderables()

    return _Adaptive(*progress_columns(total is not None), console=console, disable=disable)


def count_inputs(paths, limit_bytes: int = 2_000_000_000) -> Optional[int]:
    """How many articles ``paths`` hold, counted cheaply for the progress bar: one per text or HTML file, one
    per non-empty line of a JSONL file, one per <item>/<entry> of a feed. None when it cannot be told (an
    unreadable path, or more than ``limit_bytes`` to scan)."""
    from ..readers import iter_files, reader_for
    from ..readers.feed import read_feed_file
    from ..readers.jsonl import read_jsonl_file

    n, scanned = 0, 0
    for f in iter_files(paths):
        if not isinstance(f, os.PathLike):
            n += 1  # an error line is one item of progress too
            continue
        reader = reader_for(f)
        if reader is read_jsonl_file or reader is read_feed_file:
            from ..readers.base import ReadError, read_bytes_checked

            try:
                size = f.stat().st_size
                scanned += size
                if scanned > limit_bytes:
                    return None
                data = read_bytes_checked(f, limit_bytes)  # a FIFO or a device is refused, not read
            except ReadError:
                n += 1  # it will be an error line
                continue
            except OSError:
                return None
            if reader is read_jsonl_file:
                n += sum(1 for line in data.splitlines() if line.strip())
            else:
                low = data.lower()
                n += max(1, low.count(b"<item") + low.count(b"<entry"))
        else:
            n += 1
    return n
