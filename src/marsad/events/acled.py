"""ACLED view of marsad events: one row per violent / demonstration / strategic event per place.

Mapping PLOVER type/mode (and marsad's finer ``attrs["form"]``) to ACLED event_type / sub_event_type lives in
data/events/acled_map.json. Fatalities follow ACLED's conservative rule: the lowest reported killed figure
tied to the event (figures of the same sentence, not aggregate statistics over a period, not breakdown
children); a vague count uses its conventional value (عشرات → 10); 0 when unknown. Fatalities are given on
the first row of an event only, so summing rows never multiplies a count.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from typing import Iterable, Optional

from ..model import Document, Event
from .lexicon import EVENTS_DATA, load_json

COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
NOTE_CHARS = 240


@lru_cache(maxsize=1)
def acled_map() -> dict:
    return load_json(EVENTS_DATA / "acled_map.json")


def actor_code(actor_id: Optional[str], entities: Optional[dict] = None) -> tuple[Optional[str], Optional[str]]:
    """(country, sector) of an actor id: from its Entity when known, else parsed from "TUR.MIL…"."""
    if not actor_id:
        return None, None
    core = actor_id.split(":", 1)[-1] if actor_id.startswith(("actor:", "kb:")) else actor_id
    parts = core.split(".")
    if parts and len(parts[0]) == 3 and parts[0].isupper():
        if parts[0] in ("CIV", "REB", "IGO", "NGO", "GOV", "MIL", "MED"):
            return None, parts[0]
        sector = parts[1].upper() if len(parts) > 1 and parts[1].isupper() else "GOV"  # a bare country acts as its state
        return parts[0], sector
    e = (entities or {}).get(actor_id)
    if e is not None:
        label = (e.sector or e.label or "").split(".")[0].upper() or None
        return (e.country if e.country and len(e.country) == 3 and e.country not in ("IGO", "NGO") else None), label
    return None, None


def _inter(country, sector) -> int:
    if sector is None:
        return 0
    return int(acled_map()["inter_codes"].get(sector, 0))


def classify(ev: Event, entities: Optional[dict] = None) -> tuple[str, str, str]:
    """(disorder_type, event_type, sub_event_type) of an event."""
    m = acled_map()
    table = m["map"]
    form = ev.attrs.get("form")
    rc, rs = actor_code(ev.recipient, entities)
    keys = []
    if ev.type == "ASSAULT" and rs in m["civilian_codes"] and ev.mode not in ("aerial", "drone", "heavy-weapons", "explosives"):
        keys.append("ASSAULT/civilians")
    if form:
        keys.append(f"{ev.type}/{form}")
    if ev.mode:
        keys.append(f"{ev.type}/{ev.mode}")
    keys.append(ev.type)
    row = next((table[k] for k in keys if k in table), table["DEFAULT"])
    event_type, sub, disorder = row
    if ev.type == "COERCE" and form == "territory":
        ac, asec = actor_code(ev.actor, entities)
        sub = m["territory_by"]["state" if asec in ("GOV", "MIL", "POL") else "non_state"]
    return disorder, event_type, sub


def _fatalities(ev: Event, figures: list) -> int:
    best = None
    for f in figures:
        if f.attrs.get("event_id") != ev.id or f.kind != "killed" or f.parent is not None:
            continue
        if f.period is not None or f.attrs.get("period_text"):
            continue  # a running total over a period, not this event's toll
        v = f.value if f.value is not None else f.attrs.get("acled_value", f.low)
        if v is None:
            continue
        best = v if best is None else min(best, v)
    return int(best) if best is not None else 0


def _event_rows(ev: Event, places: dict, entities: dict, figures: list, outlet: Optional[str], seq: int) -> list[dict]:
    m = acled_map()
    disorder, event_type, sub = classify(ev, entities)
    d = ev.date
    date = d.value if d else ""
    tp = m["time_precision"].get(d.precision, 3) if d else 3
    a1c, a1s = actor_code(ev.actor, entities)
    a2c, a2s = actor_code(ev.recipient, entities)
    i1, i2 = _inter(a1c, a1s), _inter(a2c, a2s)
    interaction = int(f"{min(i1, i2)}{max(i1, i2)}") if i1 and i2 else (i1 * 10 if i1 else 0)
    civ = "civilian targeting" if a2s in m["civilian_codes"] and ev.type == "ASSAULT" else ""
    notes = ev.evidence.text.strip().replace("\n", " ")[:NOTE_CHARS] if ev.evidence is not None else ""
    fatalities = _fatalities(ev, figures)
    tags = []
    if ev.modality != "asserted":
        tags.append(ev.modality)
    if ev.negated:
        tags.append("negated")
    if ev.attrs.get("aggregate"):
        tags.append("aggregate")
    base = {
        "event_date": date, "year": int(date[:4]) if date else "", "time_precision": tp,
        "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub,
        "actor1": ev.actor_text or ev.actor or "", "assoc_actor_1": ev.attrs.get("assoc_actor_text") or "", "inter1": i1,
        "actor2": ev.recipient_text or ev.recipient or "", "assoc_actor_2": "", "inter2": i2,
        "interaction": interaction, "civilian_targeting": civ,
        "source": outlet or "", "source_scale": "", "notes": notes, "tags": "; ".join(tags), "timestamp": "",
    }
    rows = []
    place_list = [places.get(pid) for pid in ev.places] or [None]
    for n, p in enumerate(place_list):
        country = (p.country if p is not None else None) or "SYR"
        row = dict(base)
        row.update({
            "event_id_cnty": f"{country}{seq}" + (f"-{n + 1}" if len(place_list) > 1 else ""),
            "iso": m["iso_numeric"].get(country, ""), "region": m["region"].get(country, ""),
            "country": m["country"].get(country, country),
            "admin1": (p.admin1 or "") if p is not None else "", "admin2": (p.admin2 or "") if p is not None else "",
            "admin3": (p.admin3 or "") if p is not None else "",
            "location": ((p.name_en or p.name) if p is not None else ""),
            "latitude": p.lat if p is not None and p.lat is not None else "",
            "longitude": p.lon if p is not None and p.lon is not None else "",
            "geo_precision": p.precision if p is not None else 3,
            "fatalities": fatalities if n == 0 else 0,
        })
        row["marsad_event_id"] = ev.id
        rows.append(row)
    return rows


NOT_CODED = {"denied", "background", "attempted"}


def coded(ev: Event) -> bool:
    """Is ``ev`` an event this report tells as done (not negated, denied, only attempted, nor background to it)?
    Others are kept in the store with their modality but left out of the ACLED view and of scoring."""
    return not ev.negated and ev.modality not in NOT_CODED


def acled_rows(items: Iterable, places: Optional[dict] = None, entities: Optional[dict] = None,
               figures: Optional[list] = None, include_verbal: bool = True, min_confidence: float = 0.0) -> list[dict]:
    """ACLED rows for Documents (their events, places, entities, figures) or for bare Events (pass ``places``
    {id: Place}, ``entities`` {id: Entity} and ``figures`` to resolve them). Negated, denied and background
    events are left out; ``include_verbal=False`` keeps only violent, demonstration and territory events."""
    rows: list[dict] = []
    seq = 0
    for item in items:
        if isinstance(item, Document):
            evs = item.events
            pl = {p.id: p for p in item.places}
            en = {e.id: e for e in item.entities}
            fg = item.figures
            outlet = item.article.outlet
        else:
            evs, pl, en, fg, outlet = [item], places or {}, entities or {}, figures or [], None
        for ev in evs:
            if not coded(ev) or ev.confidence < min_confidence:
                continue
            if not include_verbal and ev.type not in ("ASSAULT", "PROTEST", "COERCE"):
                continue
            seq += 1
            rows.extend(_event_rows(ev, pl, en, fg, outlet or ev.attrs.get("outlet"), seq))
    return rows


def write_acled_csv(rows: list[dict], path) -> int:
    """Write rows with the ACLED columns (plus marsad_event_id) to ``path``; returns the number of rows."""
    cols = COLUMNS + ["marsad_event_id"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in cols})
    return len(rows)


__all__ = ["COLUMNS", "acled_rows", "write_acled_csv", "classify", "actor_code", "coded"]
