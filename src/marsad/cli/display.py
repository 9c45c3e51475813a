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


def column_widths(total: int, fixed: dict, flexible: dict) -> dict:
    """Widths for a rich table ``total`` columns wide: ``fixed`` {name: width} as given, the rest shared among
    ``flexible`` {name: weight} (at least 6 each). Borders and padding take 3 columns per column + 1."""
    n = len(fixed) + len(flexible)
    room = max(6 * len(flexible), total - (3 * n + 1) - sum(fixed.values()))
    weights = sum(flexible.values()) or 1
    widths = dict(fixed)
    for name, w in flexible.items():
        widths[name] = max(6, room * w // weights)
    return widths


def events_table(rows: list[dict], title: str, bidi: bool, width: Optional[int] = None):
    """A rich Table of event rows (from the events query), each cell wrapped to its column before shaping."""
    from rich.console import Console
    from rich.table import Table

    total = width or Console().width
    mode_of = {}
    for r in rows:
        mode = r.get("mode") or ""
        if r.get("modality") and r["modality"] != "asserted":
            mode = f"{mode} ({r['modality']})".strip()
        mode_of[r["id"]] = mode
    fixed = {"date": 10, "type": max([4] + [len(r["type"] or "") for r in rows]),
             "mode": min(16, max([4] + [len(m) for m in mode_of.values()]))}
    widths = column_widths(total, fixed, {"actor": 2, "recipient": 2, "places": 2, "outlet": 2, "evidence": 4})
    table = Table(title=title, show_lines=False)
    for col in ("date", "type", "mode", "actor", "recipient", "places", "outlet", "evidence"):
        table.add_column(col, overflow="fold", width=widths[col], no_wrap=False)
    for r in rows:
        ev = r.get("evidence_text") or ""
        ev = ev if len(ev) <= 90 else ev[:87] + "…"
        table.add_row(r.get("event_date") or "", r["type"], show(mode_of[r["id"]], False, widths["mode"]),
                      show(r.get("actor_text") or r.get("actor"), bidi, widths["actor"]),
                      show(r.get("recipient_text") or r.get("recipient"), bidi, widths["recipient"]),
                      show("، ".join(map(str, r.get("place_names") or [])), bidi, widths["places"]),
                      show(r.get("outlet"), bidi, widths["outlet"]), show(ev, bidi, widths["evidence"]))
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
