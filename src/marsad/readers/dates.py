"""Publication dates given in metadata (JSONL fields, feed entries) → DateRef with a precision."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Optional

from ..model import DateRef

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def parse_published(value) -> Optional[DateRef]:
    """ISO date or datetime, 'YYYY-MM', 'YYYY', or an RFC 822 date as feeds write them; None if unreadable."""
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    if _YEAR.match(s):
        return DateRef(f"{s}-01-01", "year", source="metadata")
    if _MONTH.match(s):
        return DateRef(f"{s}-01", "month", source="metadata")
    try:
        return DateRef(datetime.fromisoformat(s.replace("Z", "+00:00")).date().isoformat(), "day", source="metadata")
    except ValueError:
        pass
    try:
        return DateRef(parsedate_to_datetime(s).date().isoformat(), "day", source="metadata")
    except (TypeError, ValueError, IndexError):
        return None
