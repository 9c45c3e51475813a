"""Evaluation of the places stage on labelled pages (news_dev) and on the gold samples.

    marsad eval-places [--pages ../shared/data/news_dev/pages.jsonl] [--gold gold/samples_gold.jsonl] [--list FILE]

news_dev (``main_places`` per page, names as written):
* each labelled name is resolved to one gazetteer record by :func:`resolve_label` (spelling variants, a cue head
  such as معبر/مطار/مخيم, ريف X + direction, then the candidates in the front's governorates — Idlib, Hama, Aleppo,
  Latakia — nearest to the page's other labelled places); the few names the gazetteer spells differently or holds
  twice in the front are settled in :data:`LABEL_RECORDS` with the reason; names with no record are listed;
* recall of main places: a resolved main place is found when a place of the page is that record, or lies within
  5 km of it;
* event places: of the coded events that carry a place, on pages with a resolved main place, the share whose first
  place is (within 5 km of) one of the page's main places;
* every village/town-level geocode (kinds village, town, city, neighbourhood, site) is listed with its surface and
  context (``--list``) for a reader's judgement; the automatic part flags a Syrian geocode lying more than
  ``FAR_KM`` from all of the page's main places and outside the front's governorates.

samples (gold/samples_gold.jsonl): the gold places of material events; places within 5 km: a gold place is found
when a place of the document lies within 5 km of it (recall); a system event place is right when it lies within
5 km of a gold place of the same article (precision); F1 of the two.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Iterable, Optional

from ..language.forms import either_article
from ..language.normalize import normalize
from .gazetteer import Entry, Gazetteer, distance_km, get_gazetteer, lexicon

FRONT_A1 = ("SY07", "SY05", "SY02", "SY06")  # Idlib, Hama, Aleppo, Latakia
FRONT_CENTRE = (35.75, 36.65)
MATCH_KM = 5.0
FAR_KM = 60.0
LOCALITY = frozenset({"village", "town", "city", "neighbourhood", "site"})
HEADS = {"معبر": "crossing", "مطار": "airbase", "مخيم": "camp"}

# labelled names the gazetteer spells otherwise or holds twice inside the front, settled by reading the page and
# the records' coordinates (label -> gazetteer id, reason)
LABEL_RECORDS = {
    "باريشا": ("wof:1310082733", "the Barisha of the al-Baghdadi raid lies in Harim district near the Turkish border "
                                 "(36.17 N 36.64 E); the other record is in Jisr al-Shughur district"),
    "المضيق": ("wof:1276435799", "short for قلعة المضيق on the same page"),
    "حور": ("wof:1343380085", "the page puts it west of Aleppo: WOF Hawr (GeoNames 169764, variant حور), 16 km "
                              "west of Aleppo city, not al-Hur in Latakia"),
}
OTHERS_KM = 40.0  # a namesake farther than this from all the page's other places is not the one it names


def _variants(name: str) -> list[str]:
    """Spelling variants of a labelled name: spacing after a compound head (كفر نبل / كفرنبل), the article on any
    word, final ا / ه (كفروما / كفرومة)."""
    n = " ".join(normalize(name).split())
    prefixes = [normalize(p) for p in lexicon()["join_prefixes"]]
    out = [n]
    words = n.split()
    if len(words) == 1:
        for p in prefixes:
            if n.startswith(p) and len(n) - len(p) >= 3:
                out.append(p + " " + n[len(p):])
    elif words[0] in prefixes:
        out.append(words[0] + words[1] + ("" if len(words) == 2 else " " + " ".join(words[2:])))
    more = []
    for v in out:
        ws = v.split()
        for i, w in enumerate(ws):
            alt = either_article(w)[1]
            more.append(" ".join(ws[:i] + [alt] + ws[i + 1:]))
        if v.endswith("ا"):
            more.append(v[:-1] + "ه")
        elif v.endswith("ه"):
            more.append(v[:-1] + "ا")
    return list(dict.fromkeys(out + more))


def resolve_label(name: str, gz: Gazetteer, others: Iterable[Entry] = ()) -> tuple[Optional[Entry], str]:
    """(gazetteer record, how) for a labelled place name; (None, why) when none is found."""
    if name in LABEL_RECORDS:
        rid, why = LABEL_RECORDS[name]
        return (gz.by_id[rid] if rid else None), "by hand: " + why
    n = " ".join(normalize(name).split())
    words = n.split()
    lx = lexicon()
    dirs = {normalize(k): v for k, v in lx["directions"].items()}
    if words and words[0] == normalize("ريف") and len(words) >= 2:
        gov = [e for e in gz.lookup(words[1]) if e.kind == "governorate"]
        if gov:
            d = dirs.get(" ".join(words[2:]), "") if len(words) > 2 else ""
            r = gz.region(gov[0].a1, d) or gz.region(gov[0].a1)
            if r is not None:
                return r, "countryside region"
    cands: list[Entry] = []
    how = "exact"
    for v in _variants(name):
        cands = gz.lookup(v)
        if cands:
            how = "exact" if v == n else f"variant {v}"
            break
    if not cands and words and words[0] in {normalize(h) for h in HEADS} and len(words) >= 2:
        rest = " ".join(words[1:])
        for v in _variants(rest):
            cands = [e for e in gz.lookup(v) if e.country == "SYR"]
            if cands:
                how = f"the locality {v} of the {HEADS[words[0]]}"
                break
    if not cands:
        return None, "no record"
    front = [e for e in cands if e.a1 in FRONT_A1 and e.kind != "district"]
    foreign = [e for e in cands if e.country != "SYR" and e.rank >= 2]
    if not front:
        if foreign:
            return max(foreign, key=lambda e: e.rank), how + ", foreign city"
        return None, "records only outside the front: " + ", ".join(f"{e.id} {e.a1}" for e in cands[:3])
    gov = [e for e in front if e.kind == "governorate"]
    if gov:
        return gov[0], how + ", governorate"
    # a town and the sub-district named after it: the town
    front = [e for e in front if e.kind != "subdistrict"] or front
    if len(front) == 1:
        return front[0], how
    others = list(others)
    ref = others or []

    def dist(e):
        if ref:
            return min(distance_km(e.lat, e.lon, o.lat, o.lon) for o in ref)
        return distance_km(e.lat, e.lon, *FRONT_CENTRE)

    best = min(front, key=dist)
    if ref and dist(best) > OTHERS_KM:
        return None, f"its records lie > {OTHERS_KM:.0f} km from the page's other places"
    return best, how + f", nearest of {len(front)} front records to the page's other places" if ref else \
        how + f", nearest of {len(front)} front records to the front's centre"


def _doc_places(doc) -> list:
    return [p for p in doc.places if p.lat is not None]


def _found(rec: Entry, doc) -> bool:
    for p in _doc_places(doc):
        if p.id == rec.id or p.attrs.get("gazetteer_id") == rec.id or p.id.split("#")[0] == rec.id:
            return True
        if distance_km(p.lat, p.lon, rec.lat, rec.lon) <= MATCH_KM:
            return True
    return False


def _near_any(p, recs: list) -> bool:
    return any(p.id == r.id or p.attrs.get("gazetteer_id") == r.id or
               distance_km(p.lat, p.lon, r.lat, r.lon) <= MATCH_KM for r in recs)


def _context(doc, m, width: int = 30) -> str:
    t = doc.text
    s, e = m.span.start, m.span.end
    return (t[max(0, s - width):s] + "[" + t[s:e] + "]" + t[e:e + width]).replace("\n", " ")


def run_pipeline(articles: list):
    from ..model import Document
    from ..pipeline import Pipeline

    pipe = Pipeline.default()
    return [pipe(Document(article=a)) for a in articles]


def evaluate_pages(pages_path: Path, docs=None, gz: Optional[Gazetteer] = None) -> dict:
    from ..events.acled import coded
    from ..readers.jsonl import read_jsonl_file

    gz = gz or get_gazetteer()
    labels = [json.loads(line) for line in open(pages_path, encoding="utf-8") if line.strip()]
    if docs is None:
        arts = list(read_jsonl_file(Path(pages_path)))
        docs = run_pipeline(arts)
    if len(docs) != len(labels):
        raise ValueError(f"{pages_path}: {len(labels)} labelled pages but {len(docs)} documents")
    resolutions: dict = {}
    unresolved: dict = {}
    n_main = n_found = 0
    missed = []
    ev_total = ev_ok = ev_any = 0
    wrong_events = []
    geocodes = []
    for k, (lab, doc) in enumerate(zip(labels, docs)):
        names = list(dict.fromkeys(lab.get("main_places") or []))
        first = {}
        for nm in names:  # unambiguous ones first: they settle the ambiguous ones
            rec, how = resolve_label(nm, gz)
            if rec is not None and "nearest" not in how:
                first[nm] = rec
        recs = []
        for nm in names:
            rec, how = resolve_label(nm, gz, [r for x, r in first.items() if x != nm])
            if rec is None:
                unresolved.setdefault(nm, how)
                continue
            resolutions.setdefault(nm, (rec.id, rec.name, gz.admin_name(rec.a1), how))
            recs.append(rec)
            n_main += 1
            if _found(rec, doc):
                n_found += 1
            else:
                missed.append({"page": k, "name": nm, "record": rec.id})
        if recs:
            for ev in doc.events:
                if not coded(ev) or not ev.places:
                    continue
                ev_total += 1
                pmap = {p.id: p for p in doc.places}
                ps = [pmap[i] for i in ev.places if i in pmap]
                if ps and _near_any(ps[0], recs):
                    ev_ok += 1
                else:
                    wrong_events.append({"page": k, "type": ev.type, "place": ps[0].name if ps else ev.places[0],
                                         "main": names})
                if any(_near_any(p, recs) for p in ps):
                    ev_any += 1
        for p in _doc_places(doc):
            if p.kind not in LOCALITY:
                continue
            far = (p.country == "SYR" and bool(recs) and not any(
                distance_km(p.lat, p.lon, r.lat, r.lon) <= FAR_KM for r in recs if r.country == "SYR")
                and not any(a == gz.admin_name(c) for c in FRONT_A1 for a in [p.admin1]))
            geocodes.append({"page": k, "id": p.id, "name": p.name, "kind": p.kind, "admin1": p.admin1,
                             "country": p.country, "main": p.id and any(_near_any(p, [r]) for r in recs),
                             "far": far, "surfaces": sorted({m.span.text for m in p.mentions}),
                             "context": _context(doc, p.mentions[0]) if p.mentions else "",
                             "score": p.attrs.get("resolution_score"),
                             "runner_up": (p.attrs.get("alternatives") or [{}])[0].get("name")})
    return {
        "pages": len(labels),
        "main_places": n_main,
        "main_found": n_found,
        "main_recall": round(n_found / n_main, 3) if n_main else None,
        "missed": missed,
        "unresolved_labels": unresolved,
        "resolutions": resolutions,
        "coded_events_with_place": ev_total,
        "event_place_is_main": round(ev_ok / ev_total, 3) if ev_total else None,
        "event_any_place_is_main": round(ev_any / ev_total, 3) if ev_total else None,
        "wrong_event_places": wrong_events,
        "locality_geocodes": len(geocodes),
        "far_geocodes": [g for g in geocodes if g["far"]],
        "geocodes": geocodes,
    }


def evaluate_samples(gold_path: Path, samples: Optional[Path] = None, gz: Optional[Gazetteer] = None) -> dict:
    from ..events.acled import coded
    from ..events.evaluate import load_gold, process_gold_articles

    gz = gz or get_gazetteer()
    docs = process_gold_articles(gold_path, samples)
    golds = load_gold(gold_path)
    by_id = {d.article.id: d for d in docs}
    tp_r = n_gold = tp_p = n_sys = 0
    dist = []
    rows = []
    for g in golds:
        doc = by_id.get(g.get("article_id"))
        if doc is None:
            continue
        gold_pts = {}
        for ev in g["events"]:
            for pl in ev.get("places") or []:
                e = gz.by_id.get(pl["id"].split("#")[0])
                if e is None:
                    cand = gz.lookup(pl["name"])
                    e = cand[0] if cand else None
                if e is not None:
                    gold_pts[pl["id"]] = (pl["name"], e)
        places = _doc_places(doc)
        for gid, (nm, e) in gold_pts.items():
            n_gold += 1
            ds = [distance_km(p.lat, p.lon, e.lat, e.lon) for p in places]
            d = min(ds) if ds else None
            ok = d is not None and d <= MATCH_KM
            tp_r += ok
            if d is not None and ok:
                dist.append(d)
            rows.append({"sample": g["sample"], "gold": nm, "found": ok, "km": round(d, 1) if d is not None else None})
        pmap = {p.id: p for p in doc.places}
        sys_ids = {pid for ev in doc.events if coded(ev) for pid in ev.places}
        for pid in sys_ids:
            p = pmap.get(pid)
            if p is None or p.lat is None:
                continue
            n_sys += 1
            ok = any(distance_km(p.lat, p.lon, e.lat, e.lon) <= MATCH_KM for _, e in gold_pts.values())
            tp_p += ok
            if not ok:
                rows.append({"sample": g["sample"], "system": p.name, "id": pid, "right": False})
    rec = tp_r / n_gold if n_gold else 0.0
    prec = tp_p / n_sys if n_sys else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    dist.sort()
    return {"gold_places": n_gold, "found_5km": tp_r, "recall": round(rec, 3), "event_places": n_sys,
            "event_places_right": tp_p, "precision": round(prec, 3), "f1": round(f1, 3),
            "median_km": round(dist[len(dist) // 2], 2) if dist else None, "rows": rows}


def format_report(pages: Optional[dict], samples: Optional[dict]) -> str:
    out = []
    if pages:
        out.append(f"news_dev: {pages['pages']} pages, {pages['main_places']} resolved main places")
        out.append(f"  main-place recall (record or ≤5 km): {pages['main_recall']}  ({pages['main_found']}/{pages['main_places']})")
        out.append(f"  coded events with a place: {pages['coded_events_with_place']}; first place is a main place: "
                   f"{pages['event_place_is_main']}; any place is: {pages['event_any_place_is_main']}")
        out.append(f"  village/town-level geocodes: {pages['locality_geocodes']}; far from the page's main places "
                   f"and outside the front: {len(pages['far_geocodes'])}")
        out.append(f"  labels without a record ({len(pages['unresolved_labels'])}): "
                   + "، ".join(sorted(pages["unresolved_labels"])))
        if pages["missed"]:
            out.append("  missed: " + "; ".join(f"p{m['page']} {m['name']}" for m in pages["missed"]))
        for g in pages["far_geocodes"]:
            out.append(f"  far: p{g['page']} {g['name']} ({g['admin1'] or g['country']}) ← {g['context']}")
    if samples:
        out.append(f"samples: gold event places {samples['gold_places']}, found within 5 km {samples['found_5km']} "
                   f"(recall {samples['recall']}); system event places {samples['event_places']}, right "
                   f"{samples['event_places_right']} (precision {samples['precision']}); F1 {samples['f1']}; "
                   f"median distance of found {samples['median_km']} km")
        for r in samples["rows"]:
            if r.get("found") is False or r.get("right") is False:
                out.append(f"  {r}")
    return "\n".join(out)


def main(argv: Optional[list] = None) -> int:
    from ..paths import shared_dir

    ap = argparse.ArgumentParser(prog="marsad eval-places", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", default=None, help="labelled pages (default: the shared news_dev/pages.jsonl)")
    ap.add_argument("--gold", default=None, help="gold samples file (default: gold/samples_gold.jsonl if present)")
    ap.add_argument("--samples", default=None, help="folder of the sample articles")
    ap.add_argument("--list", default=None, help="write every village/town-level geocode (JSON lines) here")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    pages_path = Path(args.pages) if args.pages else shared_dir() / "data" / "news_dev" / "pages.jsonl"
    gold = Path(args.gold) if args.gold else Path("gold/samples_gold.jsonl")
    pages = evaluate_pages(pages_path) if pages_path.exists() else None
    samples = evaluate_samples(gold, Path(args.samples) if args.samples else None) if gold.exists() else None
    if pages is None and samples is None:
        raise FileNotFoundError(f"neither {pages_path} nor {gold} exists")
    if args.list and pages:
        with open(args.list, "w", encoding="utf-8") as fh:
            for g in pages["geocodes"]:
                fh.write(json.dumps(g, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps({"pages": pages and {k: v for k, v in pages.items() if k != "geocodes"}, "samples": samples},
                         ensure_ascii=False, indent=1))
    else:
        print(format_report(pages, samples))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
