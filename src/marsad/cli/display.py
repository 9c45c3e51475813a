"""Arabic in the terminal. Most terminals neither join Arabic letters nor lay out right-to-left text, so
when writing to one we shape and reorder each cell (arabic-reshaper + python-bidi). Pipes and files get the
logical text unchanged. MARSAD_BIDI=1/0 forces it on or off (for terminals that do their own bidi)."""

from __future__ import annotations

import os
import sys
from functools import lru_cache


def bidi_wanted() -> bool:
    env = os.environ.get("MARSAD_BIDI")
    if env is not None:
        return env not in ("0", "false", "no", "")
    return sys.stdout.isatty()


@lru_cache(maxsize=4096)
def visual(text: str) -> str:
    """Shaped, visually ordered form of ``text`` for terminals without bidi support."""
    if not text:
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


def show(text, enabled: bool) -> str:
    if text is None:
        return ""
    text = str(text)
    return visual(text) if enabled else text
