"""The "places" stage: place mentions in ``doc.text`` resolved to gazetteer ``Place`` records.

Adds one :class:`~marsad.model.Place` per distinct place (its mentions inside) to ``doc.places`` and every
mention (label LOC, source "gazetteer", entity_id = place id) to ``doc.mentions``. Reads the language layer's
tokens (their normalised forms and source offsets); a document without tokens (a bare text) is tokenised the same
way here.
"""

from __future__ import annotations

from typing import Optional

from ..model import Document, Mention, Place
from ..pipeline import factory
from .gazetteer import LEVEL, Gazetteer, get_gazetteer
from .resolve import PlaceFinder


class PlaceStage:
    name = "places"

    def __init__(self, gazetteer: Optional[Gazetteer] = None):
        self.gz = gazetteer or get_gazetteer()
        self.finder = PlaceFinder(self.gz)

    def places(self, doc: Document) -> list[Place]:
        text = doc.text or ""
        matches = self.finder.find(text, doc.tokens)
        gz = self.gz
        out: dict[str, Place] = {}
        spans = doc.spans([(m.start, m.end) for m in matches])  # raw offsets mapped in one pass
        for m, span in zip(matches, spans):
            s, e = m.start, m.end
            mention = Mention(span=span, label="LOC", source="gazetteer", entity_id=m.place_id,
                              score=0.6 if m.cue == "eponym" else 1.0)
            p = out.get(m.place_id)
            ent = m.resolved
            if p is None:
                base = gz.by_id.get(m.place_id.split("#")[0]) if m.kind == "site" and ent.kind != "site" else ent
                p = Place(
                    id=m.place_id, name=m.name, lat=ent.lat, lon=ent.lon, kind=m.kind, precision=m.precision,
                    precision_level=LEVEL.get(m.kind, "village"), country=ent.country or None,
                    admin1=gz.admin_name(ent.a1), admin2=gz.admin_name(ent.a2), admin3=gz.admin_name(ent.a3),
                    name_en=ent.name_en or None,
                    attrs={
                        "admin_pcodes": [c for c in (ent.a1, ent.a2, ent.a3) if c],
                        "admin_ar": [gz.admin_name(c, "ar") for c in (ent.a1, ent.a2, ent.a3) if c],
                        "gazetteer_id": (base or ent).id,
                        "rank": ent.rank,
                    },
                )
                for k in ("geonames", "wikidata"):
                    v = getattr(ent, k)
                    if v:
                        p.attrs[k] = v
                for k in ("note", "site", "coord_src", "centroid"):
                    if k in ent.extra:
                        p.attrs[k] = ent.extra[k]
                out[m.place_id] = p
            p.precision = min(p.precision, m.precision)
            p.mentions.append(mention)
            if m.alternatives and "alternatives" not in p.attrs:
                p.attrs["alternatives"] = m.alternatives[1:]
                p.attrs["resolution_score"] = m.alternatives[0]["chosen_score"]
                p.attrs["resolution_why"] = m.alternatives[0].get("why", [])
                if len(m.alternatives) > 1:  # the runner-up and why it lost
                    p.attrs["runner_up"] = {k: m.alternatives[1][k] for k in ("id", "name", "admin1", "score", "why")
                                            if k in m.alternatives[1]}
            if m.unlocated is not None:  # the name the gazetteer only knows elsewhere
                p.attrs.setdefault("unlocated", []).append({"name": doc.text[s:e], "not": m.unlocated.id,
                                                            "admin1": gz.admin_name(m.unlocated.a1)})
            if m.cue:
                cues = p.attrs.setdefault("cues", [])
                if m.cue_word and m.cue_word not in cues:
                    cues.append(m.cue_word)
        for p in out.values():
            if all(mm.score < 1.0 for mm in p.mentions):
                p.attrs["eponym_only"] = True  # only named in "اتفاق سوتشي", "مسار أستانا"…
        return list(out.values())

    def __call__(self, doc: Document) -> Document:
        places = self.places(doc)
        doc.places.extend(places)
        for p in places:
            doc.mentions.extend(p.mentions)
        return doc


@factory("places", requires=["clean_text", "tokens"], assigns=["places", "mentions"])
def make_places_stage() -> PlaceStage:
    return PlaceStage()


def find_places(text: str) -> list[Place]:
    """Places in a bare text (convenience for tests and notebooks)."""
    from ..model import Article

    doc = Document(article=Article(id="text", raw_text=text))
    return _default_stage().places(doc)


_STAGE: Optional[PlaceStage] = None


def _default_stage() -> PlaceStage:
    global _STAGE
    if _STAGE is None:
        _STAGE = PlaceStage()
    return _STAGE
