"""The story as the API and dashboard serve it: a plain JSON-ready dict built from the stored records only
(the Story record, whose attrs carry its articles and figures, and the story's fused events)."""

from __future__ import annotations

from typing import Iterable, Optional

from ..model import Event, Story


def _event_label(ev: Event) -> str:
    who = " ↔ ".join(x for x in (ev.actor_text or ev.actor, ev.recipient_text or ev.recipient) if x)
    where = ", ".join(ev.places[:3]) if ev.places else ""
    parts = [ev.type + (f"/{ev.mode}" if ev.mode else "")]
    if who:
        parts.append(who)
    if where:
        parts.append(f"@ {where}")
    if ev.negated:
        parts.append("(negated)")
    if ev.attrs.get("modality_class") not in (None, "factual"):
        parts.append(f"({ev.modality})")
    return " ".join(parts)


def event_view(ev: Event) -> dict:
    a = ev.attrs
    return {
        "id": ev.id, "type": ev.type, "mode": ev.mode, "label": _event_label(ev),
        "actor": ev.actor, "recipient": ev.recipient, "actor_text": ev.actor_text,
        "recipient_text": ev.recipient_text, "places": list(ev.places),
        "date": ev.date.value if ev.date else None, "date_precision": ev.date.precision if ev.date else None,
        "modality": ev.modality, "negated": ev.negated,
        "sources": list(ev.sources), "independent_sources": a.get("independent_sources", len(ev.sources)),
        "outlets": a.get("outlets", []), "dates_by_source": a.get("dates_by_source", {}),
        "figures_by_source": a.get("figures_by_source", {}), "fused_figures": a.get("fused_figures", []),
        "disagreements": a.get("disagreements", []), "copies": a.get("copies", {}),
        "evidence": ev.evidence.text if ev.evidence else None, "evidence_article": a.get("evidence_article"),
    }


def figures_by_source(story: Story) -> list[dict]:
    """Every figure the story's articles report, grouped by (kind, group), sources side by side."""
    groups: dict = {}
    for f in story.attrs.get("figures", []):
        groups.setdefault((f.get("kind"), f.get("group")), []).append(f)
    out = []
    for (kind, group), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), str(kv[0]))):
        out.append({"kind": kind, "group": group, "reports": [
            {k: f.get(k) for k in ("article_id", "outlet", "value", "low", "high", "qualifier", "reporter_text",
                                   "period", "period_end", "place", "copy_of", "text")} for f in items]})
    return out


def timeline(story: Story, events: Iterable[Event]) -> list[dict]:
    """Dated items (articles and fused events) in order; undated items last."""
    items = []
    for a in story.attrs.get("articles", []):
        items.append({"date": a.get("date"), "kind": "article", "id": a["id"], "label": a.get("title") or "",
                      "outlet": a.get("outlet"), "copy_of": a.get("copy_of")})
    for ev in events:
        items.append({"date": ev.date.value if ev.date else None, "kind": "event", "id": ev.id,
                      "label": _event_label(ev), "sources": len(ev.sources),
                      "disagreements": [d["field"] for d in ev.attrs.get("disagreements", [])]})
    items.sort(key=lambda it: (it["date"] is None, it["date"] or "", it["kind"] != "event", it["label"]))
    return items


def story_view(story: Story, events: Optional[Iterable[Event]] = None) -> dict:
    """The dict the API/dashboard serves for one story."""
    evs = [e for e in (events or []) if e.attrs.get("story_id", story.id) == story.id]
    evs.sort(key=lambda e: (e.date is None, e.date.value if e.date else "", e.type))
    return {
        "id": story.id,
        "title": story.title,
        "span": {"start": story.start, "end": story.end},
        "outlets": list(story.outlets),
        "n_articles": story.attrs.get("n_articles", len(story.article_ids)),
        "n_unique_articles": story.attrs.get("n_unique", len(story.article_ids)),
        "articles": story.attrs.get("articles", [{"id": a} for a in story.article_ids]),
        "duplicates": [{"article_id": d[0], "copy_of": d[1], "similarity": d[2],
                        "kind": d[3] if len(d) > 3 else None} for d in story.duplicates],
        "actors": story.attrs.get("actors", []),
        "places": story.attrs.get("places", []),
        "event_types": story.attrs.get("event_types", {}),
        "fused_events": [event_view(e) for e in evs],
        "figures_by_source": figures_by_source(story),
        "timeline": timeline(story, evs),
    }
