"""ACLED view of marsad events: one row per violent / demonstration / strategic event per place, in ACLED's
columns and order, loadable as ACLED data.

* Types: PLOVER type/mode (and marsad's finer ``attrs["form"]``) -> ACLED event_type / sub_event_type in
  data/events/acled_map.json; kinds ACLED does not code (calls, meetings, statements) and events without a
  place are left out of this view (they stay in the events view).
* Actors: marsad's actor codes -> ACLED's actor names and inter codes in data/events/acled_actors.json
  («قوات النظام», «النظام السوري», «جيش النظام» are all SYR.GOV/SYR.MIL -> "Military Forces of Syria (2000-)"
  in a violent event); interaction is the two inter codes, lower first (a lone actor: its code × 10).
* event_id_cnty: country + a number derived from the report event's id and the place, never from row order.
* Dates: the event's own date, else the report's publication date (time_precision 2, tagged "date of
  report"); a row with neither has no date and no time_precision.
* Fatalities follow ACLED's conservative rule (see :func:`fatalities_of`); given on the first row of an event
  only, so summing rows never multiplies a count.
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections import Counter
from functools import lru_cache
from typing import Iterable, Optional

from ..model import DateRef, Document, Event
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


def classify(ev: Event, entities: Optional[dict] = None, actor: Optional[str] = None) -> tuple[str, str, str]:
    """(disorder_type, event_type, sub_event_type) of an event; (None, None, None) for a kind of event ACLED
    does not code (a phone call, a meeting, an accusation…). ``actor``: the actor to code it to when not the
    event's own (an actor inferred from the article, see :func:`implied_actor`)."""
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
    row = next((table[k] for k in keys if k in table), None)
    if row is None:
        return None, None, None  # a kind of event ACLED does not code (calls, meetings, statements)
    event_type, sub, disorder = row
    if ev.type == "COERCE" and form == "territory":
        ac, asec = actor_code(actor or ev.actor, entities)
        sub = m["territory_by"]["state" if asec in ("GOV", "MIL", "POL") else "non_state"]
    return disorder, event_type, sub


@lru_cache(maxsize=1)
def acled_actors() -> dict:
    return load_json(EVENTS_DATA / "acled_actors.json")


def _credible_min(f) -> Optional[float]:
    """The lowest count a figure asserts (the stories' fusion rule), or its conventional value when vague."""
    from ..stories.fusion import credible_min

    v = credible_min({"value": f.value, "low": f.low, "qualifier": f.qualifier})
    if v is None:
        v = (f.attrs or {}).get("acled_value")
    return float(v) if v is not None else None


def fatalities_of(ev: Event, figures: list, fused: Optional[dict] = None) -> int:
    """ACLED fatalities of a report's event: per group of people killed, the conservative value — the fused
    value over all independent reports of the happening when the event was fused (``fused``: the fused event's
    attrs), else the lowest figure of this report tied to the event (linked by the figures layer or read in
    its sentence; not breakdown children, not running totals over a period); the event's fatalities are the
    largest of those group values (groups may overlap, «4 civilians, among them 2 children», so they are not
    added). 0 when unknown."""
    from ..stories.fusion import figures_of_event

    by_group: dict = {}
    doc = _FigView(figures)
    for f in figures_of_event(doc, ev):
        if f.kind != "killed" or f.parent is not None or f.period is not None or (f.attrs or {}).get("period_text"):
            continue
        v = _credible_min(f)
        if v is not None:
            by_group[f.group] = min(v, by_group.get(f.group, v))
    for ff in (fused or {}).get("fused_figures") or []:
        if ff.get("kind") == "killed" and ff.get("value") is not None:
            by_group[ff.get("group")] = float(ff["value"])
    return int(max(by_group.values())) if by_group else 0


class _FigView:
    """The one attribute of a Document that ``figures_of_event`` reads."""

    def __init__(self, figures):
        self.figures = figures


@lru_cache(maxsize=256)
def _country_name(code: Optional[str]) -> str:
    """A country's name in ACLED's actor names: acled_actors.json's own spelling ("the United States"), else the
    actor base's English name of the country (CHN -> China), else the code."""
    code = code or "SYR"
    names = acled_actors()["country_names"]
    if code in names:
        return names[code]
    from ..entities.kb import get_actor_base

    entry = get_actor_base().actors.get(code) or {}
    return entry.get("name_en") or acled_map()["country"].get(code, code)


def _period(country: str, date: str) -> str:
    periods = acled_actors()["state_periods"]
    rows = periods.get(country) or periods["DEFAULT"]
    if date:
        for lo, hi, label in rows:
            if (lo is None or date >= lo) and (hi is None or date < hi):
                return label
    return next((label for lo, hi, label in rows if hi is None), rows[-1][2])


def _fmt(template: str, country: Optional[str], period: str = "") -> str:
    name = template.replace("{country}", _country_name(country))
    return name.replace("{period}", period) if period else name.replace(" ({period})", "")


def _core(actor_id: str) -> str:
    return actor_id.split(":", 1)[1] if actor_id.startswith(("actor:", "kb:")) else actor_id


def entity_index(entities) -> dict:
    """Entities by id and by their bare code (an event's actor may be either: "actor:SYR.MIL" or "SYR.MIL")."""
    en = {e.id: e for e in entities}
    for e in entities:
        en.setdefault(_core(e.id), e)
    return en


def _naming(actor_id: str, entities: Optional[dict]) -> tuple:
    """(entry of the naming tables, country, sector) of an actor code: 'named' for the code or its longest
    prefix, else its sector's entry (None when neither knows it)."""
    A = acled_actors()
    country, sector = actor_code(actor_id, entities)
    parts = _core(actor_id).split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in A["named"]:
            return A["named"][prefix], country, sector
    return (A["sectors"].get(sector) if sector is not None else None), country, sector


def acled_named(actor_id: Optional[str], entities: Optional[dict] = None) -> bool:
    """Does the ACLED view name this actor code (a state, a named group, civilians…), rather than an actor the
    report leaves unnamed (UAG, PTR) or a name the actor base does not know?"""
    if not actor_id or _core(actor_id) in acled_actors()["unidentified_codes"]:
        return False
    return _naming(actor_id, entities)[0] is not None


def armed_side(actor_id: Optional[str], entities: Optional[dict] = None) -> Optional[str]:
    """'state' (a state's forces, or the state acting by force: النظام، روسيا), 'nonstate' (a rebel group or
    militia) or None (civilians, organisations, media, a person, a ministry, an unknown name) — which kind of
    armed actor a code is, by the ACLED naming tables (inter 1 and external state forces; inter 2–4)."""
    if not actor_id or not acled_named(actor_id, entities):
        return None
    e = (entities or {}).get(actor_id) or (entities or {}).get(_core(actor_id))
    if e is not None and e.label == "PER":
        return None
    hit, _country, sector = _naming(actor_id, entities)
    parts = _core(actor_id).split(".")
    if hit in ("state", "police") or (isinstance(hit, list) and hit[0] == "state"):
        # a named office or person of a government (TUR.GOV.mfa, RUS.GOV.putin) speaks for it; it does not fight
        return None if len(parts) > 2 and sector in acled_actors()["civil_state_sectors"] else "state"
    if isinstance(hit, list):
        name, inter = hit
        if int(inter) in (2, 3, 4):
            return "nonstate"
        if int(inter) in (1, 8) and name.startswith("Military Forces"):
            return "state"
    return None


def implied_actor(ev: Event, entities: Optional[dict] = None) -> tuple[Optional[str], Optional[dict]]:
    """(actor code to code ``ev`` to, the inference record or None): the event's own actor when the ACLED view
    names it, else the actor the article implies (attrs["actor_inferred"], set by the context_actors stage)."""
    how = ev.attrs.get("actor_inferred")
    if how and not acled_named(ev.actor, entities) and not (ev.actor and _core(ev.actor) in acled_actors()["unidentified_codes"]):
        return how["id"], how
    return ev.actor, None


def acled_actor(actor_id: Optional[str], entities: Optional[dict], event_type: str, event_country: str,
                date: str) -> tuple[Optional[str], int, Optional[str]]:
    """(ACLED actor name, inter code, associated actor) of a marsad actor code, or (None, 0, None) when the code
    is not in the actor base's naming (an unknown name read by the NER model)."""
    if not actor_id:
        return None, 0, None
    A = acled_actors()
    hit, country, sector = _naming(actor_id, entities)
    if hit is None:
        return None, 0, None
    violent = event_type in A["violent_event_types"]
    if hit in ("state", "government", "police") or (isinstance(hit, list) and hit[0] == "state"):
        kind = hit if isinstance(hit, str) else "state"
        if kind == "state":
            kind = "military" if violent else "government"
        c = country or event_country
        name = _fmt(A["state"][kind], c, _period(c, date))
        inter = 1 if c == event_country else 8  # state forces outside their own country: external forces
        assoc = None
        e = (entities or {}).get(actor_id)
        if e is not None and e.label == "PER" and e.name_en and not violent:
            assoc = e.name_en  # the person acting for the state (Government of Turkey; Erdogan)
        return name, inter, assoc
    name, inter = hit
    return _fmt(name, country or event_country), int(inter), None


def _unidentified(kind: str, country: str) -> tuple[str, int]:
    name, inter = acled_actors()["unidentified"][kind]
    return _fmt(name, country), int(inter)


def source_scale(outlet: Optional[str]) -> str:
    """ACLED's source_scale of an outlet, from the table in acled_map.json ('Other' when not known)."""
    rules = acled_map()["source_scale"]
    low = f" {(outlet or '').lower()} "
    for scale, words in rules["rules"]:
        if any(w in low for w in words):
            return scale
    return rules["default"]


def acled_event_id(country: str, event_id: str, place_id: Optional[str]) -> str:
    """ACLED's event_id_cnty (country code + number), derived from the report event's id and the place, so
    a row keeps its id whatever else is stored and in whatever order rows are written."""
    h = hashlib.sha1(f"{event_id}|{place_id or ''}".encode("utf-8")).hexdigest()
    return f"{country}{int(h[:12], 16) % 10 ** 9:09d}"


def left_out_reason(ev: Event, classification: tuple, min_confidence: float = 0.0) -> Optional[str]:
    """Why ACLED would not code ``ev`` from this report, or None when it would."""
    if ev.negated:
        return "negated"
    if ev.modality in NOT_CODED:
        return ev.modality
    if ev.confidence < min_confidence:
        return "low confidence"
    if classification[1] is None:
        return f"not an ACLED event type ({ev.type})"
    if not ev.places:
        return "no place"
    return None


def _event_rows(ev: Event, places: dict, entities: dict, figures: list, outlet: Optional[str],
                published: Optional[DateRef], fused: Optional[dict], timestamp: Optional[int],
                classification: tuple) -> list[dict]:
    m = acled_map()
    disorder, event_type, sub = classification
    d = ev.date
    if d is not None and d.value:
        date, tp = d.value[:10], m["time_precision"].get(d.precision, 3)
        date_source = "event"
    elif published is not None and published.value:
        # the report gives no date for the happening: ACLED takes the report's date, within a week
        date, tp, date_source = published.value[:10], max(2, m["time_precision"].get(published.precision, 3)), \
            "published"
    else:
        date, tp, date_source = "", "", None
    if date and len(date) == 7:
        date += "-01"
    elif date and len(date) == 4:
        date += "-01-01"
    place_list = [places.get(pid) for pid in ev.places] or [None]
    event_country = next(((p.country or "SYR") for p in place_list if p is not None), "SYR")
    # the events layer's codes for an actor it read but that has no name (مسلحون مجهولون، المتظاهرون) are ACLED's
    # unidentified actors, not a country's forces
    unnamed = set(acled_actors()["unidentified_codes"])
    actor = None if ev.actor and _core(ev.actor) in unnamed else ev.actor
    recipient = None if ev.recipient and _core(ev.recipient) in unnamed else ev.recipient
    a1, i1, as1 = acled_actor(actor, entities, event_type, event_country, date)
    a2, i2, as2 = acled_actor(recipient, entities, event_type, event_country, date)
    inferred = ""
    if a1 is None:
        implied, how = implied_actor(ev, entities)
        if how is not None:  # the actor the article implies (events.context), marked as inferred
            a1, i1, as1 = acled_actor(implied, entities, event_type, event_country, date)
            inferred = f"{how['basis']}: {how['text']}" if a1 is not None else ""
    named1 = a1 is not None
    if named1:
        kind1 = "named"
    elif (ev.actor and actor is None) or (ev.type == "PROTEST" and not ev.actor):
        kind1 = "unnamed"  # the report names no one (مسلحون مجهولون، متظاهرون): ACLED's generic actor, as ACLED codes it
    else:
        kind1 = "unknown"
    if a1 is None:
        if ev.type == "PROTEST":
            a1, i1 = _unidentified("riot" if event_type == "Riots" else "protest", event_country)
        else:  # ACLED codes an actor1 for every event: the report does not name it
            a1, i1 = _unidentified("armed", event_country)
        as1 = None if ev.actor and actor is None else (ev.actor_text or None)  # an unnamed code: nothing to add
    if a2 is None and ev.recipient:  # a name the actor base does not know: kept as the associated actor
        a2, i2 = _unidentified("armed", event_country)
        as2 = None if recipient is None else (ev.recipient_text or None)
    assoc1 = as1 or ev.attrs.get("assoc_actor_text") or ""
    interaction = int(f"{min(i1, i2)}{max(i1, i2)}") if i1 and i2 else (i1 * 10 if i1 else 0)
    civ = "Civilian targeting" if i2 == 7 and event_type in acled_actors()["civilian_targeting_event_types"] \
        and ev.type == "ASSAULT" else ""
    notes = ev.evidence.text.strip().replace("\n", " ")[:NOTE_CHARS] if ev.evidence is not None else ""
    fatalities = fatalities_of(ev, figures, fused)
    tags = []
    if ev.modality != "asserted":
        tags.append(ev.modality)
    if ev.attrs.get("aggregate"):
        tags.append("aggregate")
    if date_source == "published":
        tags.append("date of report")
    if inferred:
        tags.append("actor inferred")
    base = {
        "event_date": date, "year": int(date[:4]) if date else "", "time_precision": tp,
        "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub,
        "actor1": a1 or "", "assoc_actor_1": assoc1, "inter1": i1 if a1 else "",
        "actor2": a2 or "", "assoc_actor_2": as2 or "", "inter2": i2 if a2 else "",
        "interaction": interaction, "civilian_targeting": civ,
        "source": outlet or "", "source_scale": source_scale(outlet), "notes": notes, "tags": "; ".join(tags),
        "timestamp": timestamp if timestamp is not None else int(time.time()),
    }
    rows = []
    for n, p in enumerate(place_list):
        country = (p.country if p is not None else None) or "SYR"
        row = {c: None for c in COLUMNS}
        row.update(base)
        row.update({
            "event_id_cnty": acled_event_id(country, ev.id, p.id if p is not None else None),
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
        row["marsad_fused_event_id"] = (fused or {}).get("id") or ""
        row["marsad_actor1_named"] = named1
        row["marsad_actor1_kind"] = kind1
        row["marsad_actor1_inferred"] = inferred
        rows.append(row)
    return rows


NOT_CODED = {"denied", "background", "attempted", "hypothetical"}


def coded(ev: Event) -> bool:
    """Is ``ev`` an event this report tells as done (not negated, denied, only attempted, nor background to it)?
    Others are kept in the store with their modality but left out of the ACLED view and of scoring."""
    return not ev.negated and ev.modality not in NOT_CODED


def acled_rows(items: Iterable, places: Optional[dict] = None, entities: Optional[dict] = None,
               figures: Optional[list] = None, include_verbal: bool = True, min_confidence: float = 0.0,
               fused: Optional[dict] = None, timestamps: Optional[dict] = None,
               left_out: Optional[Counter] = None) -> list[dict]:
    """ACLED rows for Documents (their events, places, entities, figures) or for bare Events (pass ``places``
    {id: Place}, ``entities`` {id: Entity} and ``figures`` to resolve them), in ACLED's columns and order
    (plus marsad_event_id, marsad_fused_event_id, marsad_actor1_named, marsad_actor1_kind — named / unnamed as
    the report leaves it / unknown — and marsad_actor1_inferred — the basis and text of an actor inferred from
    the article, empty when the sentence names it).

    Left out, as ACLED would not code them from the report: negated, denied, attempted and background events;
    kinds of event ACLED does not code (calls, meetings, statements); events with no place. ``left_out``, a
    Counter, receives the reasons. ``include_verbal=False`` keeps only violent, demonstration and territory
    events. ``fused`` maps a report event id to its fused event's attrs (with ``id``), so fatalities take the
    conservative value over all reports; ``timestamps`` maps an article id to the Unix time it was stored."""
    rows: list[dict] = []
    for item in items:
        if isinstance(item, Document):
            evs = item.events
            pl = {p.id: p for p in item.places}
            en = entity_index(item.entities)
            fg = item.figures
            outlet = item.article.outlet
            published = item.article.published
            aid = item.article.id
        else:
            evs, pl, en, fg, outlet, published = [item], places or {}, entities or {}, figures or [], None, None
            aid = item.article_id
        for ev in evs:
            cls = classify(ev, en, implied_actor(ev, en)[0])
            why = left_out_reason(ev, cls, min_confidence)
            if why is None and not include_verbal and ev.type not in ("ASSAULT", "PROTEST", "COERCE"):
                why = "verbal"
            if why is not None:
                if left_out is not None:
                    left_out[why] += 1
                continue
            ts = (timestamps or {}).get(aid or ev.article_id)
            rows.extend(_event_rows(ev, pl, en, fg, outlet or ev.attrs.get("outlet"), published,
                                    (fused or {}).get(ev.id), ts, cls))
    return rows


EXTRA_COLUMNS = ["marsad_event_id", "marsad_fused_event_id", "marsad_actor1_named", "marsad_actor1_kind",
                 "marsad_actor1_inferred"]


def write_acled_csv(rows: list[dict], path) -> int:
    """Write rows with the ACLED columns (plus marsad's) to ``path``; returns the number of rows. Cells that a
    spreadsheet would run as a formula are neutralised (see store.export.csv_cell)."""
    from ..store.export import csv_cell

    cols = COLUMNS + EXTRA_COLUMNS
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for r in rows:
            w.writerow([csv_cell(r.get(c, "")) for c in cols])
    return len(rows)


__all__ = ["COLUMNS", "EXTRA_COLUMNS", "acled_rows", "write_acled_csv", "classify", "actor_code", "coded",
           "acled_actor", "acled_event_id", "acled_named", "armed_side", "entity_index", "fatalities_of", "implied_actor",
           "source_scale"]
