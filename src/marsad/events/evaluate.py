"""Precision / recall / F1 of events and figures against a gold JSONL file (format: gold/README.md).

``evaluate(gold_path, docs)`` matches each gold article to a processed Document (by article id, else by the
sample file name in ``Article.source_path``), then matches records one-to-one, greedily, at several levels:

events  — ``full`` (type+actor+recipient+place+date), ``no_date`` (type+actor+recipient+place),
          ``type_actor_recipient``, ``type_actor``, ``type``;
figures — ``full`` (kind+group+value+reporter), ``kind_group_value``, ``kind_value``, ``value``.

Actors compare by canonical id, or by country + coarse sector (state / rebel / civilian / IGO / NGO …), so a
gold "TUR.GOV" matches "TUR.GOV.erdogan" and "TUR.MIL". Places compare by place id or normalised name
(material events only; verbal events carry no place in gold). A gold date of null is not scored; otherwise
the system date must agree at the gold precision. Gold fields may hold a list of acceptable values.

``main(argv)`` runs the default pipeline over the articles a gold file names (``--samples DIR``) and prints
the table; ``--json`` prints the report dict.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterable, Optional

from ..language.normalize import normalize
from ..model import Document
from .acled import actor_code, coded
from ..language.forms import strip_article

EVENT_LEVELS = {
    "full": ("type", "actor", "recipient", "place", "date"),
    "no_date": ("type", "actor", "recipient", "place"),
    "type_actor_recipient": ("type", "actor", "recipient"),
    "type_actor": ("type", "actor"),
    "type": ("type",),
}
FIGURE_LEVELS = {
    "full": ("kind", "group", "value", "reporter"),
    "kind_group_value": ("kind", "group", "value"),
    "kind_value": ("kind", "value"),
    "value": ("value",),
}
STATE = {"GOV", "MIL", "POL", "GPE", "PER", "SPY", "LEG", "JUD"}


def _coarse(sector: Optional[str]) -> Optional[str]:
    if sector is None:
        return None
    s = sector.upper()
    if s in STATE:
        return "STATE"
    if s in ("CIV", "REF"):
        return "CIV"
    return s


def _alts(v) -> list:
    return v if isinstance(v, list) else [v]


def _norm_name(s: str) -> str:
    return strip_article(normalize(s or "").replace(" ", ""))


# ---------------------------------------------------------------------------------------------- events


def actor_matches(gold, sys_id: Optional[str], entities: dict) -> bool:
    if gold is None or gold == []:
        return sys_id is None
    if sys_id is None:
        return False
    for g in _alts(gold):
        if g is None:
            continue
        gid = g.get("id") if isinstance(g, dict) else None
        code = g.get("code") if isinstance(g, dict) else g
        if gid and sys_id.split(":", 1)[-1] == gid:
            return True
        gc, gs = actor_code(code, {})
        sc, ss = actor_code(sys_id, entities)
        if (gc == sc or (gc is None and _coarse(gs) != "STATE")) and _coarse(gs) == _coarse(ss):
            return True
    return False


def _place_names(doc: Document) -> dict:
    out: dict = {}
    for p in doc.places:
        names = {_norm_name(p.name)} | {_norm_name(m.span.text) for m in p.mentions}
        if p.name_en:
            names.add(p.name_en.lower())
        out[p.id] = names
    return out


def place_matches(gold: list, sys_ids: list, names: dict) -> bool:
    if not gold:
        return not sys_ids
    if not sys_ids:
        return False
    for g in gold:
        gid = g.get("id") if isinstance(g, dict) else None
        gname = _norm_name(g.get("name") if isinstance(g, dict) else g)
        for sid in sys_ids:
            if gid and sid == gid:
                return True
            if gname in names.get(sid, set()):
                return True
    return False


def date_matches(gold, sys_date) -> bool:
    if gold is None:
        return True
    if sys_date is None:
        return False
    n = {"day": 10, "week": 7, "month": 7, "year": 4}.get(gold.get("precision", "day"), 10)
    return sys_date.value[:n] == gold["value"][:n]


def _event_fields(g: dict, e, entities: dict, names: dict) -> dict:
    return {
        "type": e.type in _alts(g["type"]),
        "actor": actor_matches(g.get("actor"), e.actor, entities),
        "recipient": actor_matches(g.get("recipient"), e.recipient, entities),
        "place": place_matches(g.get("places") or [], e.places, names),
        "date": date_matches(g.get("date"), e.date),
    }


# ---------------------------------------------------------------------------------------------- figures


def _value_matches(g: dict, f) -> bool:
    gv = g.get("value")
    if gv is not None:
        return f.value is not None and abs(f.value - gv) < 0.5
    if f.value is not None:
        return False
    return (g.get("low") is None or f.low == g.get("low")) and (g.get("high") is None or f.high == g.get("high"))


def _reporter_matches(g: dict, f) -> bool:
    gold = g.get("reporter")
    if gold is None:
        return f.reporter is None
    if f.reporter is None and f.reporter_text is None:
        return False
    sys_vals = {x for x in (f.reporter, f.reporter_text) if x}
    for alt in _alts(gold):
        gid = alt.get("id") if isinstance(alt, dict) else None
        gtext = alt.get("text") if isinstance(alt, dict) else alt
        if gid and gid in sys_vals:
            return True
        if gtext:
            gn = _norm_name(gtext)
            for s in sys_vals:
                sn = _norm_name(s)
                if sn and (sn in gn or gn in sn):
                    return True
    return False


def _figure_fields(g: dict, f) -> dict:
    return {
        "kind": f.kind in _alts(g["kind"]),
        "group": f.group in _alts(g["group"]),
        "value": _value_matches(g, f),
        "reporter": _reporter_matches(g, f),
    }


# ---------------------------------------------------------------------------------------------- scoring


def _greedy(pairs_ok: list[list[bool]]) -> int:
    """Size of a one-to-one matching (greedy over gold items with fewest options first)."""
    used: set = set()
    n = 0
    order = sorted(range(len(pairs_ok)), key=lambda i: sum(pairs_ok[i]))
    for i in order:
        for j, ok in enumerate(pairs_ok[i]):
            if ok and j not in used:
                used.add(j)
                n += 1
                break
    return n


def _prf(tp: int, n_sys: int, n_gold: int) -> dict:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "system": n_sys, "gold": n_gold, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def load_gold(path) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(json.loads(line))
    return out


def _find_doc(g: dict, docs: list[Document]) -> Optional[Document]:
    for d in docs:
        if d.article.id == g.get("article_id"):
            return d
    for d in docs:
        sp = d.article.source_path
        if sp and g.get("sample") and Path(sp).name == g["sample"]:
            return d
    return None


def evaluate(gold_path, docs: Iterable[Document]) -> dict:
    gold = load_gold(gold_path)
    docs = list(docs)
    ev_tp = {k: 0 for k in EVENT_LEVELS}
    fg_tp = {k: 0 for k in FIGURE_LEVELS}
    n_ev_sys = n_ev_gold = n_fg_sys = n_fg_gold = 0
    per_article = []
    missing = []
    for g in gold:
        doc = _find_doc(g, docs)
        gev, gfg = g.get("events", []), g.get("figures", [])
        n_ev_gold += len(gev)
        n_fg_gold += len(gfg)
        if doc is None:
            missing.append(g.get("sample") or g.get("article_id"))
            continue
        entities = {e.id: e for e in doc.entities}
        names = _place_names(doc)
        sev = [e for e in doc.events if coded(e)]
        n_ev_sys += len(sev)
        n_fg_sys += len(doc.figures)
        ev_fields = [[_event_fields(x, e, entities, names) for e in sev] for x in gev]
        fg_fields = [[_figure_fields(x, f) for f in doc.figures] for x in gfg]
        art = {"sample": g.get("sample"), "article_id": doc.article.id, "events": {}, "figures": {}}
        for lvl, keys in EVENT_LEVELS.items():
            tp = _greedy([[all(c[k] for k in keys) for c in row] for row in ev_fields])
            ev_tp[lvl] += tp
            art["events"][lvl] = tp
        for lvl, keys in FIGURE_LEVELS.items():
            tp = _greedy([[all(c[k] for k in keys) for c in row] for row in fg_fields])
            fg_tp[lvl] += tp
            art["figures"][lvl] = tp
        art["n_gold"] = [len(gev), len(gfg)]
        art["n_system"] = [len(sev), len(doc.figures)]
        per_article.append(art)
    return {
        "gold": str(gold_path),
        "articles": len(gold),
        "missing_articles": missing,
        "events": {lvl: _prf(tp, n_ev_sys, n_ev_gold) for lvl, tp in ev_tp.items()},
        "figures": {lvl: _prf(tp, n_fg_sys, n_fg_gold) for lvl, tp in fg_tp.items()},
        "per_article": per_article,
    }


def format_report(rep: dict) -> str:
    lines = [f"gold: {rep['gold']}  articles: {rep['articles']}"]
    if rep["missing_articles"]:
        lines.append(f"not found among the documents: {', '.join(map(str, rep['missing_articles']))}")
    for part in ("events", "figures"):
        lines.append(f"\n{part:<8} {'level':<22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'sys':>4} {'gold':>4}")
        for lvl, r in rep[part].items():
            lines.append(f"{'':<8} {lvl:<22} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f} "
                         f"{r['tp']:>4} {r['system']:>4} {r['gold']:>4}")
    return "\n".join(lines)


def process_gold_articles(gold_path, samples_dir=None, pipeline=None, published_from_gold: bool = False) -> list[Document]:
    """Read the sample files a gold file names and run them through the run path ``marsad ingest`` takes, without
    a store (:func:`marsad.run.analyze_items`: repeated lines learnt across the articles, ambiguous dates read
    against the run's median date). With ``published_from_gold`` the gold publication date is given as article
    metadata (as an outlet page would)."""
    from ..model import DateRef
    from ..paths import samples_dir as default_samples
    from ..readers import ReadError, read_file
    from ..run import analyze_items

    sdir = Path(samples_dir) if samples_dir else default_samples()

    def articles():
        for g in load_gold(gold_path):
            path = sdir / g["sample"] if g.get("sample") else None
            if path is None or not path.exists():
                continue
            for art in read_file(path):
                if isinstance(art, ReadError):
                    continue  # the gold article is then reported missing
                if published_from_gold and g.get("published"):
                    art.published = DateRef(g["published"], "day", source="metadata")
                yield art

    return list(analyze_items(articles(), pipeline=pipeline))


def main(argv: Optional[list] = None) -> int:
    ap = argparse.ArgumentParser(prog="marsad-eval", description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", help="gold JSONL file")
    ap.add_argument("--samples", default=None, help="folder holding the articles the gold names")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--published-from-gold", action="store_true",
                    help="give each article the gold publication date as metadata (isolates date inference)")
    args = ap.parse_args(argv)
    docs = process_gold_articles(args.gold, args.samples, published_from_gold=args.published_from_gold)
    rep = evaluate(args.gold, docs)
    print(json.dumps(rep, ensure_ascii=False, indent=1) if args.json else format_report(rep))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
