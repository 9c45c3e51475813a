"""Publication dates given in metadata (JSONL fields, feed entries) → DateRef with a precision.

A date is checked, not only parsed: the month is 1–12, the day exists in it, and the year is plausible for a
news article (``MIN_YEAR`` to next year). "2019-13" or "0000" is no date."""

from __future__ import annotations

import datetime as dt
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Optional

from ..model import DateRef

MIN_YEAR = 1900

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _check_year(year: int) -> None:
    last = dt.date.today().year + 1
    if not MIN_YEAR <= year <= last:
        raise ValueError(f"year {year:04d} is not a plausible publication year ({MIN_YEAR}–{last})")


def parse_published(value, strict: bool = False) -> Optional[DateRef]:
    """ISO date or datetime, 'YYYY-MM', 'YYYY', or an RFC 822 date as feeds write them. None if there is no
    value; an unreadable or impossible date is None too, or with ``strict`` a ValueError saying why."""
    try:
        return _parse(value)
    except ValueError:
        if strict:
            raise
        return None


def _parse(value) -> Optional[DateRef]:
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    if _YEAR.match(s):
        _check_year(int(s))
        return DateRef(f"{s}-01-01", "year", source="metadata")
    m = _MONTH.match(s)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} is not 1–12")
        _check_year(year)
        return DateRef(f"{year:04d}-{month:02d}-01", "month", source="metadata")
    try:
        day = datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            day = parsedate_to_datetime(s).date()
        except (TypeError, ValueError, IndexError):
            raise ValueError(f"{s[:40]!r} is not a date (expected YYYY-MM-DD, YYYY-MM, YYYY or an RFC 822 date)")
    _check_year(day.year)
    return DateRef(day.isoformat(), "day", source="metadata")


def parse_fetched(value) -> Optional[str]:
    """The time a page or feed was fetched (ISO or RFC 822), as an ISO datetime string, or None. Relative
    stamps on the page ("منذ ساعتين") are counted back from it (language.dates.infer_publication_date)."""
    if value in (None, ""):
        return None
    s = str(value).strip()
    try:
        when = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            return None
    try:
        _check_year(when.year)
    except ValueError:
        return None
    return when.isoformat()
