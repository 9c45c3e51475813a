"""Validation of query parameters: every bad value raises a coded :class:`marsad.errors.RequestError` (the API's
400) with a message that says what to send; the CLI can use the same checks."""

from __future__ import annotations

import calendar
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..errors import Errors, RequestError
from ..language.normalize import normalize

# PLOVER's 16 event types (PLOVER manual, openeventdata/PLOVER).
PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")

MAX_LIMIT = 1000
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
GOVERNORATES_FILE = Path(__file__).resolve().parents[1] / "web" / "static" / "data" / "governorates.geojson"


def parse_date(value: Optional[str], name: str, end: bool = False) -> Optional[str]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` → an ISO day; a period's last day when ``end`` (for ``to``)."""
    if value is None or value == "":
        return None
    m = _DATE_RE.match(value.strip())
    if not m:
        raise RequestError(Errors.E301, name=name, value=value)
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        month = int(mo) if mo else (12 if end else 1)
        if not 1 <= month <= 12:
            raise ValueError
        last = calendar.monthrange(y, month)[1]
        day = int(d) if d else (last if end else 1)
        if not 1 <= day <= last or y < 1:
            raise ValueError
    except ValueError:
        raise RequestError(Errors.E302, name=name, value=value) from None
    return f"{y:04d}-{month:02d}-{day:02d}"


def date_range(date_from: Optional[str], date_to: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    lo = parse_date(date_from, "from")
    hi = parse_date(date_to, "to", end=True)
    if lo and hi and lo > hi:
        raise RequestError(Errors.E303, lo=lo, hi=hi)
    return lo, hi


def event_types(value: Optional[str]) -> list[str]:
    """A comma-separated list of PLOVER types, case-insensitive."""
    if not value:
        return []
    out = []
    for part in value.split(","):
        t = part.strip().upper()
        if not t:
            continue
        if t not in PLOVER_TYPES:
            raise RequestError(Errors.E304, value=part.strip(), allowed=", ".join(PLOVER_TYPES))
        out.append(t)
    return out


@lru_cache(maxsize=1)
def governorates() -> list[dict]:
    """Each governorate's p-code, names and aliases (from the dashboard's governorate layer)."""
    try:
        data = json.loads(GOVERNORATES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for f in data.get("features", []):
        p = f.get("properties") or {}
        names = {p.get("pcode"), p.get("name_ar"), p.get("name_en"), *(p.get("aliases") or [])}
        names.discard(None)
        out.append({"pcode": p.get("pcode"), "name_ar": p.get("name_ar"), "name_en": p.get("name_en"),
                    "keys": {_key(n) for n in names}})
    return out


def _key(name: str) -> str:
    k = normalize(str(name)).strip()
    k = re.sub(r"^محافظه\s+|\s+governorate$", "", k)
    k = re.sub(r"[\s'’`_-]+", "", k)
    for prefix in ("al", "ar", "as", "ad", "ال"):
        if k.startswith(prefix) and len(k) > len(prefix) + 2:
            k = k[len(prefix):]
            break
    return k


@lru_cache(maxsize=4096)
def admin1_names(admin1: Optional[str]) -> dict:
    """A stored ``admin1`` value (the gazetteer's spelling, e.g. "Idleb" or "إدلب") as the governorate's p-code
    and Arabic and English names, so clients can show it in either language."""
    key = _key(admin1) if admin1 else None
    gov = next((g for g in governorates() if key in g["keys"]), None) if key else None
    if gov is None:
        return {"admin1_pcode": None, "admin1_ar": admin1, "admin1_en": admin1}
    return {"admin1_pcode": gov["pcode"], "admin1_ar": gov["name_ar"], "admin1_en": gov["name_en"]}


def admin1_aliases(value: Optional[str], known_values: list[str]) -> list[str]:
    """The stored ``places.admin1`` values that mean the governorate ``value`` (name in Arabic or English,
    alias or OCHA p-code). An unknown governorate is a 400."""
    if not value:
        return []
    key = _key(value)
    gov = next((g for g in governorates() if key in g["keys"]), None)
    if gov is not None:
        hits = [v for v in known_values if v is not None and _key(v) in gov["keys"]]
        return hits or [gov["name_ar"]]
    direct = [v for v in known_values if v is not None and _key(v) == key]
    if direct:
        return direct
    names = ", ".join(g["name_en"] for g in governorates() if g["name_en"])
    raise RequestError(Errors.E305, value=value, examples=names)
