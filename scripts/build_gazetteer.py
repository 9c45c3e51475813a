#!/usr/bin/env python
"""Compile the shared gazetteer sources into the places data shipped with marsad.

    python scripts/build_gazetteer.py [--shared /work/shared]

Reads (read-only) from the shared folder:
  data/gazetteer/wof_syria_places.csv                Who's On First Syria (GeoNames-derived) localities
  data/gazetteer/opensyria__data_{governorates,districts,subdistricts}.json   Open-Syria admin units
  data/gazetteer/ocha_syr_admin1_cod_20201217__via_syrianzone.geojson       OCHA governorate polygons
  data/basemap/ne_10m_populated_places_mideast.geojson, ne_50m_admin0_countries_mideast.geojson  Natural Earth
  data/ner/ANERCorp_train.txt                         token counts only (which place names are common words)
and from the package: data/places/supplement.json (hand-written additions) and the installed babel (CLDR Arabic
country and city names) plus the tz database's zone.tab shipped with pytz (city coordinates).

Writes into src/marsad/data/places/:
  gazetteer.tsv.gz   one row per place: id, kind, names, coordinates, admin p-codes, rank, ids
  admin.json         governorates / districts / sub-districts: p-code -> names, centroid, parent
  common_names.json  single-word place names that are frequent non-place words (ANERcorp counts)
  admin1.geojson     simplified OCHA governorate polygons (for the dashboard)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from marsad.language.normalize import normalize  # noqa: E402
from marsad.paths import shared_dir  # noqa: E402

OUT = REPO / "src" / "marsad" / "data" / "places"
ARABIC_RE = re.compile(r"^[\u0621-\u064A\u0660-\u0669\u0670-\u06D3\s\-'ـ\u064B-\u0652]+$")
DIRS = {"N": 0, "NE": 45, "E": 90, "SE": 135, "S": 180, "SW": 225, "W": 270, "NW": 315}
DIR_AR = {"N": "الشمالي", "S": "الجنوبي", "E": "الشرقي", "W": "الغربي", "NW": "الشمالي الغربي",
          "NE": "الشمالي الشرقي", "SW": "الجنوبي الغربي", "SE": "الجنوبي الشرقي"}
DIR_HEAD = {"N": "شمال", "S": "جنوب", "E": "شرق", "W": "غرب", "NW": "شمال غرب", "NE": "شمال شرق",
            "SW": "جنوب غرب", "SE": "جنوب شرق"}
DIR_EN = {"N": "north", "S": "south", "E": "east", "W": "west", "NW": "north-west", "NE": "north-east",
          "SW": "south-west", "SE": "south-east"}


# ------------------------------------------------------------------------------------------ helpers


def norm_key(name: str) -> str:
    n = normalize(name)
    n = re.sub(r"[\-_/،,()\"'«»]", " ", n)
    return " ".join(n.split())


def is_arabic(s: str) -> bool:
    return bool(s) and bool(ARABIC_RE.match(s))


def haversine(lat1, lon1, lat2, lon2) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def bearing(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


def en_key(s: str) -> str:
    return re.sub(r"[^a-z]", "", s.lower().replace("governorate", "").replace("district", ""))


def spacing_variants(key: str, prefixes: list[str]) -> set[str]:
    """كفر نبل <-> كفرنبل: joined and split forms for names that start with a common compound head."""
    out = {key}
    words = key.split()
    if len(words) >= 2 and words[0] in prefixes:
        out.add(words[0] + words[1] + ("" if len(words) == 2 else " " + " ".join(words[2:])))
    if len(words) == 1:
        for p in prefixes:
            rest = key[len(p):]
            if key.startswith(p) and len(rest) >= 3:
                out.add(p + " " + rest)
                break
    return out


# ------------------------------------------------------------------------------------------ geometry


def point_in_ring(x, y, ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def polygons_of(geom) -> list:
    return [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]


class PolygonIndex:
    def __init__(self, features, code_prop):
        self.items = []
        for f in features:
            for poly in polygons_of(f["geometry"]):
                xs = [p[0] for p in poly[0]]
                ys = [p[1] for p in poly[0]]
                self.items.append((f["properties"][code_prop], (min(xs), min(ys), max(xs), max(ys)), poly))

    def locate(self, lon, lat):
        for code, (x0, y0, x1, y1), poly in self.items:
            if x0 <= lon <= x1 and y0 <= lat <= y1 and point_in_ring(lon, lat, poly[0]):
                if not any(point_in_ring(lon, lat, hole) for hole in poly[1:]):
                    return code
        return None


def simplify(points, tol):
    """Douglas-Peucker on a ring (list of [x, y])."""
    if len(points) < 4:
        return points

    def dp(pts):
        if len(pts) < 3:
            return pts
        (x0, y0), (x1, y1) = pts[0][:2], pts[-1][:2]
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy) or 1e-12
        best, idx = -1.0, 0
        for i in range(1, len(pts) - 1):
            d = abs(dy * pts[i][0] - dx * pts[i][1] + x1 * y0 - y1 * x0) / norm
            if d > best:
                best, idx = d, i
        if best <= tol:
            return [pts[0], pts[-1]]
        return dp(pts[: idx + 1])[:-1] + dp(pts[idx:])

    half = len(points) // 2
    out = dp(points[: half + 1])[:-1] + dp(points[half:])
    return out if len(out) >= 4 else points


def simplified_admin1(geo: dict, tol: float = 0.003) -> dict:
    feats = []
    for f in geo["features"]:
        p = f["properties"]
        polys = []
        for poly in polygons_of(f["geometry"]):
            rings = [[[round(x, 4), round(y, 4)] for x, y, *_ in simplify(r, tol)] for r in poly]
            if len(rings[0]) >= 4:
                polys.append(rings)
        geom = {"type": "Polygon", "coordinates": polys[0]} if len(polys) == 1 else {"type": "MultiPolygon", "coordinates": polys}
        feats.append({"type": "Feature", "properties": {"pcode": p["ADM1_PCODE"], "name_ar": p["ADM1_AR"], "name_en": p["ADM1_EN"]},
                      "geometry": geom})
    return {"type": "FeatureCollection", "features": feats}


# ------------------------------------------------------------------------------------------ build


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=None)
    args = ap.parse_args()
    shared = args.shared or shared_dir()
    gz = shared / "data" / "gazetteer"
    supplement = json.loads((OUT / "supplement.json").read_text(encoding="utf-8"))
    lex = json.loads((OUT / "lexicon.json").read_text(encoding="utf-8"))
    prefixes = [normalize(p) for p in lex["join_prefixes"]]

    # ---- admin units (Open-Syria) and OCHA polygons
    govs = json.loads((gz / "opensyria__data_governorates.json").read_text(encoding="utf-8"))
    dists = json.loads((gz / "opensyria__data_districts.json").read_text(encoding="utf-8"))
    subs = json.loads((gz / "opensyria__data_subdistricts.json").read_text(encoding="utf-8"))
    geo = json.loads((gz / "ocha_syr_admin1_cod_20201217__via_syrianzone.geojson").read_text(encoding="utf-8"))
    pindex = PolygonIndex(geo["features"], "ADM1_PCODE")
    ocha_en = {f["properties"]["ADM1_PCODE"]: f["properties"]["ADM1_EN"] for f in geo["features"]}

    admin: dict = {}
    gov_by_id, dist_by_id = {}, {}
    gov_by_ar: dict = {}
    for g in govs:
        pc = g["externalIds"]["ochaPcode"]
        gov_by_id[g["id"]] = pc
        gov_by_ar[norm_key(g["name"]["ar"])] = pc
        admin[pc] = {"level": 1, "ar": g["name"]["ar"], "en": ocha_en.get(pc, g["name"]["en"]), "parent": None,
                     "lat": g["centroid"]["latitude"], "lon": g["centroid"]["longitude"],
                     "pop": (g.get("population") or {}).get("value"),
                     "aliases": [a["value"] for a in g.get("aliases", []) if a["language"] == "ar"]}
    dist_en: dict = defaultdict(dict)  # gov pcode -> en key -> district pcode
    for d in dists:
        pc = d["externalIds"]["ochaPcode"]
        gpc = gov_by_id[d["governorateId"]]
        dist_by_id[d["id"]] = pc
        admin[pc] = {"level": 2, "ar": d["name"]["ar"], "en": d["name"]["en"], "parent": gpc,
                     "lat": d["centroid"]["latitude"], "lon": d["centroid"]["longitude"],
                     "pop": (d.get("population") or {}).get("value"),
                     "aliases": [a["value"] for a in d.get("aliases", []) if a["language"] == "ar" and a["value"].startswith("منطقة")]}
        for v in [d["name"]["en"]] + [a["value"] for a in d.get("aliases", []) if a["language"] == "en"]:
            dist_en[gpc][en_key(v)] = pc
    subs_by_dist: dict = defaultdict(list)
    for s in subs:
        pc = s["externalIds"]["ochaPcode"]
        dpc = dist_by_id[s["districtId"]]
        admin[pc] = {"level": 3, "ar": s["name"]["ar"], "en": s["name"]["en"], "parent": dpc,
                     "lat": s["centroid"]["latitude"], "lon": s["centroid"]["longitude"],
                     "pop": (s.get("population") or {}).get("value"),
                     "aliases": [a["value"] for a in s.get("aliases", []) if a["language"] == "ar" and a["value"].startswith("ناحية")]}
        subs_by_dist[dpc].append(pc)
    dists_by_gov: dict = defaultdict(list)
    for pc, a in admin.items():
        if a["level"] == 2:
            dists_by_gov[a["parent"]].append(pc)

    def nearest(codes, lat, lon):
        return min(codes, key=lambda c: haversine(lat, lon, admin[c]["lat"], admin[c]["lon"])) if codes else None

    # ---- WOF localities
    rows = list(csv.DictReader(open(gz / "wof_syria_places.csv", encoding="utf-8")))
    county_en = {r["wof_id"]: r["name"] for r in rows if r["placetype"] == "county"}
    ne = json.loads((shared / "data" / "basemap" / "ne_10m_populated_places_mideast.geojson").read_text(encoding="utf-8"))
    ne_syr = [f["properties"] for f in ne["features"] if f["properties"]["ADM0_A3"] == "SYR"]

    places: list[dict] = []
    stats = Counter()
    for r in rows:
        if r["placetype"] not in ("locality", "neighbourhood", "campus") or not r["lat"]:
            continue
        if r["deprecated"] or r["is_current"] == "0":
            stats["skipped_not_current"] += 1
            continue
        names = [r["name_ar"]] + r["name_ar_variants"].split("|")
        names = [n.strip() for n in names if is_arabic(n.strip())]
        if not names:
            stats["skipped_no_arabic"] += 1
            continue
        lat, lon = float(r["lat"]), float(r["lon"])
        a1 = pindex.locate(lon, lat) or gov_by_ar.get(norm_key(r["region"]))
        if a1 is None:
            stats["skipped_outside_syria"] += 1
            continue
        a2 = None
        cen = county_en.get(r["parent_id"]) or r["county"]
        if cen:
            a2 = dist_en[a1].get(en_key(cen))
            if a2 is None:  # Arabic county names ("منطقة منبج")
                ck = norm_key(re.sub(r"^منطقة\s+", "", cen))
                a2 = next((pc for pc in dists_by_gov[a1] if norm_key(admin[pc]["ar"]) == ck), None)
        if a2 is None:
            a2 = nearest(dists_by_gov[a1], lat, lon)
            stats["district_by_centroid"] += 1
        a3 = nearest(subs_by_dist[a2], lat, lon)
        kind = {"campus": "site", "neighbourhood": "neighbourhood"}.get(r["placetype"], "village")
        places.append({"id": f"wof:{r['wof_id']}", "kind": kind, "name": names[0], "name_en": r["name"], "lat": lat, "lon": lon,
                       "country": "SYR", "a1": a1, "a2": a2, "a3": a3, "precision": 1, "rank": 0.0, "pop": None,
                       "geonames": r["geonames_id"], "wikidata": r["wd_id"], "names": names, "src": "wof",
                       "current": r["is_current"] == "1"})

    # merge duplicates: same normalised name within 3 km
    by_name: dict = defaultdict(list)
    for p in places:
        by_name[norm_key(p["name"])].append(p)
    dropped = set()
    for group in by_name.values():
        group.sort(key=lambda p: (not p["current"], not p["wikidata"], not p["geonames"]))
        for i, p in enumerate(group):
            if id(p) in dropped:
                continue
            for q in group[i + 1:]:
                if id(q) not in dropped and haversine(p["lat"], p["lon"], q["lat"], q["lon"]) < 3.0:
                    dropped.add(id(q))
                    p["names"] += [n for n in q["names"] if n not in p["names"]]
                    p.setdefault("merged", []).append(q["id"])
    places = [p for p in places if id(p) not in dropped]
    stats["merged_duplicates"] = len(dropped)

    # importance: NE populated places, district / sub-district seats, wikidata
    seat_names: dict = {}
    for pc, a in admin.items():
        if a["level"] in (2, 3):
            nm = norm_key(re.sub(r"^مركز\s+", "", a["ar"]))
            key = (nm, pc if a["level"] == 2 else a["parent"])
            seat_names[key] = min(seat_names.get(key, 9), a["level"])
    for p in places:
        score = 0.0
        if p["wikidata"]:
            score += 1.0
        if p["current"]:
            score += 0.5
        k = norm_key(p["name"])
        if seat_names.get((k, p["a2"])) == 2:
            score += 2.0
            p["kind"] = "town"
        elif seat_names.get((k, p["a2"])) == 3:
            score += 1.0
            p["kind"] = "town"
        for q in ne_syr:
            if haversine(p["lat"], p["lon"], q["LATITUDE"], q["LONGITUDE"]) < 6 and (
                    en_key(q["NAME"])[:4] == en_key(p["name_en"])[:4] or en_key(q["NAMEASCII"])[-4:] == en_key(p["name_en"])[-4:]):
                p["pop"] = int(q["POP_MAX"])
                score += 1.0 + math.log10(max(q["POP_MAX"], 10)) / 2
                p["kind"] = "city" if q["POP_MAX"] >= 100_000 else "town"
        p["rank"] = round(score, 2)

    # governorate capitals (ACLED puts governorate-level events at the capital)
    capital: dict = {}
    for pc, a in admin.items():
        if a["level"] != 1:
            continue
        nm = norm_key(a["ar"])
        cands = [p for p in places if p["a1"] == pc and norm_key(p["name"]) == nm]
        if pc == "SY03":  # Rif Dimashq has no namesake town: the capital is Damascus' neighbour, use Damascus
            cands = [p for p in places if p["a1"] == "SY01" and norm_key(p["name"]) == "دمشق"]
        if cands:
            c = max(cands, key=lambda p: p["rank"])
            c["kind"] = "city"
            c["rank"] = max(c["rank"], 5.0)
            capital[pc] = c

    # ---- supplement: villages, aliases, sites
    by_id = {p["id"]: p for p in places}
    for v in supplement["villages"]:
        lat, lon = v["lat"], v["lon"]
        a1 = pindex.locate(lon, lat) or v["admin1"]
        a2 = nearest(dists_by_gov[a1], lat, lon)
        places.append({"id": v["id"], "kind": "village", "name": v["name"], "name_en": v["name_en"], "lat": lat, "lon": lon,
                       "country": "SYR", "a1": a1, "a2": a2, "a3": nearest(subs_by_dist[a2], lat, lon), "precision": 1,
                       "rank": 0.0, "pop": None, "geonames": "", "wikidata": "", "names": [v["name"]] + v.get("variants", []),
                       "src": "supplement", "note": v["source"]})
    for al in supplement["aliases"]:
        by_id[al["target"]]["names"].append(al["name"])
    for s in supplement["sites"]:
        lat, lon = s["lat"], s["lon"]
        a1 = pindex.locate(lon, lat) or s["admin1"]
        a2 = nearest(dists_by_gov[a1], lat, lon)
        places.append({"id": s["id"], "kind": "site", "name": s["name"], "name_en": s["name_en"], "lat": lat, "lon": lon,
                       "country": "SYR", "a1": a1, "a2": a2, "a3": nearest(subs_by_dist[a2], lat, lon), "precision": 1,
                       "rank": 3.0, "pop": None, "geonames": "", "wikidata": "", "names": [s["name"]] + s.get("variants", []),
                       "src": "supplement", "note": s["source"], "site": s["kind"]})

    # ---- admin units as places
    locality_names_by_gov: dict = defaultdict(set)
    for p in places:
        locality_names_by_gov[p["a1"]].add(norm_key(p["name"]))
    for pc, a in admin.items():
        lvl = a["level"]
        kind = {1: "governorate", 2: "district", 3: "subdistrict"}[lvl]
        bare = re.sub(r"^مركز\s+", "", a["ar"])
        names = list(a["aliases"])
        if lvl == 1:
            names = [a["ar"]] + names + ["محافظة " + a["ar"]]
            cap = capital.get(pc)
            lat, lon = (cap["lat"], cap["lon"]) if cap else (a["lat"], a["lon"])
        else:
            head = "منطقة " if lvl == 2 else "ناحية "
            names = names + [head + bare]
            if lvl == 2 and norm_key(bare) == norm_key(admin[pc[:4]]["ar"]):
                # "منطقة إدلب" in news means the Idlib area, not the capital's district: leave it to the governorate
                names = [n for n in names if norm_key(n) != norm_key(head + bare)]
            if norm_key(bare) not in locality_names_by_gov[pc[:4]]:
                names.append(bare)
            lat, lon = a["lat"], a["lon"]
        places.append({"id": f"ocha:{pc}", "kind": kind, "name": a["ar"] if lvl == 1 else head + bare, "name_en": a["en"],
                       "lat": lat, "lon": lon, "country": "SYR", "a1": pc[:4], "a2": pc[:6] if lvl >= 2 else None,
                       "a3": pc if lvl == 3 else None, "precision": 3 if lvl <= 2 else 2, "rank": 6.0 - lvl, "pop": a["pop"],
                       "geonames": "", "wikidata": "", "names": list(dict.fromkeys(names)), "src": "opensyria",
                       "centroid": [a["lat"], a["lon"]]})

    # ---- regions: countryside of each governorate, by direction; directions of Syria; named regions
    syr_locs = [p for p in places if p["src"] == "wof"]
    for pc, a in admin.items():
        if a["level"] != 1:
            continue
        cap = capital.get(pc)
        clat, clon = (cap["lat"], cap["lon"]) if cap else (a["lat"], a["lon"])
        locs = [p for p in syr_locs if p["a1"] == pc and haversine(clat, clon, p["lat"], p["lon"]) > 5]
        rural = {"id": f"region:{pc}:countryside", "kind": "region", "name": "ريف " + a["ar"], "name_en": f"{a['en']} countryside",
                 "country": "SYR", "a1": pc, "a2": None, "a3": None, "precision": 3, "rank": 4.0, "pop": None,
                 "geonames": "", "wikidata": "", "names": ["ريف " + a["ar"]], "src": "derived", "base": pc, "dir": ""}
        if locs:
            rural["lat"] = round(sum(p["lat"] for p in locs) / len(locs), 4)
            rural["lon"] = round(sum(p["lon"] for p in locs) / len(locs), 4)
        else:
            rural["lat"], rural["lon"] = a["lat"], a["lon"]
        if pc != "SY03":  # ريف دمشق is itself a governorate
            places.append(rural)
        for d, ang in DIRS.items():
            sector = [p for p in locs if abs((bearing(clat, clon, p["lat"], p["lon"]) - ang + 180) % 360 - 180) <= 45]
            if len(sector) < 3:
                continue
            nm = f"ريف {a['ar']} {DIR_AR[d]}"
            places.append({"id": f"region:{pc}:{d}", "kind": "region", "name": nm, "name_en": f"{DIR_EN[d]} {a['en']} countryside",
                           "lat": round(sum(p["lat"] for p in sector) / len(sector), 4),
                           "lon": round(sum(p["lon"] for p in sector) / len(sector), 4), "country": "SYR", "a1": pc,
                           "a2": None, "a3": None, "precision": 2, "rank": 4.0, "pop": None, "geonames": "", "wikidata": "",
                           "names": [nm], "src": "derived", "base": pc, "dir": d})
    slat = sum(p["lat"] for p in syr_locs) / len(syr_locs)
    slon = sum(p["lon"] for p in syr_locs) / len(syr_locs)
    for d, ang in DIRS.items():
        sector = [p for p in syr_locs if abs((bearing(slat, slon, p["lat"], p["lon"]) - ang + 180) % 360 - 180) <= 30
                  and haversine(slat, slon, p["lat"], p["lon"]) > 60]
        lat = sum(p["lat"] for p in sector) / len(sector)
        lon = sum(p["lon"] for p in sector) / len(sector)
        a1 = pindex.locate(lon, lat)
        head = DIR_HEAD[d]
        adj = DIR_AR[d].replace("الشمالي", "الشمال").replace("الجنوبي", "الجنوب").replace("الشرقي", "الشرق").replace("الغربي", "الغرب")
        names = [f"{head} سوريا", f"{head}ي سوريا", f"{head} سورية", f"{adj} السوري", f"{head.split()[0]} {head.split()[1]}ي سوريا"] \
            if " " in head else [f"{head} سوريا", f"{head}ي سوريا", f"{head} سورية", f"{head}ي سورية", f"{adj} السوري"]
        places.append({"id": f"region:SY:{d}", "kind": "region", "name": f"{head} سوريا", "name_en": f"{DIR_EN[d]} Syria",
                       "lat": round(lat, 4), "lon": round(lon, 4), "country": "SYR", "a1": None, "a2": None, "a3": None,
                       "precision": 3, "rank": 3.0, "pop": None, "geonames": "", "wikidata": "",
                       "names": list(dict.fromkeys(names)), "src": "derived", "base": "SY", "dir": d, "hint_a1": a1})
    loc_by_key: dict = defaultdict(list)
    for p in syr_locs:
        for n in p["names"]:
            loc_by_key[(norm_key(n), p["a1"])].append(p)
    for rg in supplement["regions"]:
        mem = []
        for m in rg["members"]:
            hits = loc_by_key.get((norm_key(m), rg["admin1"]))
            if hits:
                mem.append(max(hits, key=lambda p: p["rank"]))
            else:
                print(f"  warning: region {rg['id']}: member {m} not found", file=sys.stderr)
        lat = round(sum(p["lat"] for p in mem) / len(mem), 4)
        lon = round(sum(p["lon"] for p in mem) / len(mem), 4)
        places.append({"id": rg["id"], "kind": "region", "name": rg["name"], "name_en": rg["name_en"], "lat": lat, "lon": lon,
                       "country": "SYR", "a1": rg["admin1"], "a2": None, "a3": None, "precision": rg["precision"], "rank": 4.0,
                       "pop": None, "geonames": "", "wikidata": "", "names": [rg["name"]] + rg["variants"], "src": "supplement",
                       "note": rg["source"]})

    # ---- countries (CLDR Arabic names) and world cities
    from babel import Locale
    from babel.core import get_global
    from babel.dates import get_timezone_location
    import pytz

    ar = Locale("ar")
    iso3 = {}
    for k, v in get_global("territory_aliases").items():
        if len(k) == 3 and k.isalpha() and len(v) == 1 and len(v[0]) == 2:
            iso3.setdefault(v[0], k)
    zone_tab = Path(pytz.__file__).parent / "zoneinfo" / "zone.tab"
    zones = []
    for line in zone_tab.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cc, coord, tz = line.split("\t")[:3]
        m = re.match(r"([+-])(\d{2})(\d{2})(\d{2})?([+-])(\d{3})(\d{2})(\d{2})?", coord)
        sgn = lambda s: 1 if s == "+" else -1  # noqa: E731
        lat = sgn(m.group(1)) * (int(m.group(2)) + int(m.group(3)) / 60 + int(m.group(4) or 0) / 3600)
        lon = sgn(m.group(5)) * (int(m.group(6)) + int(m.group(7)) / 60 + int(m.group(8) or 0) / 3600)
        zones.append((cc, tz, round(lat, 3), round(lon, 3)))
    ne_all = {f["properties"]["NAME"]: f["properties"] for f in ne["features"]}
    ne_capital = {}
    for q in ne_all.values():
        if q["FEATURECLA"] == "Admin-0 capital":
            ne_capital[q["ADM0_A3"]] = q
    caps = {k: v for k, v in supplement["capitals"].items() if not k.startswith("_")}
    cities: dict = {}

    def add_city(cid, names, name_en, cc, lat, lon, rank, pop=None, src="tz"):
        if cid in cities:
            cities[cid]["names"] += [n for n in names if n not in cities[cid]["names"]]
            return
        cities[cid] = {"id": cid, "kind": "city", "name": names[0], "name_en": name_en, "lat": lat, "lon": lon,
                       "country": iso3.get(cc, cc), "a1": None, "a2": None, "a3": None, "precision": 1, "rank": rank,
                       "pop": pop, "geonames": "", "wikidata": "", "names": names, "src": src}

    first_zone = {}
    for cc, tz, lat, lon in zones:
        first_zone.setdefault(cc, (tz, lat, lon))
        if cc == "SY":
            continue
        try:
            city = get_timezone_location(tz, locale="ar", return_city=True)
        except Exception:  # noqa: BLE001
            continue
        if city and is_arabic(city):
            add_city(f"tz:{tz}", [city], tz.split("/")[-1].replace("_", " "), cc, lat, lon, 2.0)
    for names, en, cc, lat, lon, from_ne in supplement["cities"]["list"]:
        if from_ne:
            q = ne_all.get(en)
            if q is None:
                print(f"  warning: Natural Earth city {en} not found", file=sys.stderr)
                continue
            add_city(f"ne:{int(q['GEONAMEID'])}" if q.get("GEONAMEID") else f"ne:{en}", names, en, cc,
                     round(q["LATITUDE"], 3), round(q["LONGITUDE"], 3), 2.0 + (3 - min(q["SCALERANK"], 10) / 5), int(q["POP_MAX"]), "ne")
        else:
            add_city(f"city:{en.lower().replace(' ', '_')}", names, en, cc, lat, lon, 2.0, None, "supplement")
    for cc, (arn, en, lat, lon) in caps.items():
        add_city(f"city:{en.lower().replace(' ', '_')}", [arn], en, cc, lat, lon, 3.0, None, "supplement")
    places.extend(cities.values())
    for w in supplement.get("world_regions", []):
        if "id" not in w:
            continue
        places.append({"id": w["id"], "kind": "region", "name": w["name"], "name_en": w["name_en"], "lat": w["lat"],
                       "lon": w["lon"], "country": "", "a1": None, "a2": None, "a3": None, "precision": 3, "rank": 3.0,
                       "pop": None, "geonames": "", "wikidata": "", "names": [w["name"]] + w["variants"],
                       "src": "supplement"})

    aliases = {k: v for k, v in supplement["country_aliases"].items() if not k.startswith("_")}
    country_coords = {k: v for k, v in supplement["country_coords"].items() if not k.startswith("_")}
    for cc, name in ar.territories.items():
        if not (len(cc) == 2 and cc.isalpha()) or cc in ("ZZ", "EU", "EZ", "UN", "QO"):
            continue
        i3 = iso3.get(cc, cc)
        # coordinates: capital (ACLED places country-level events at the capital), else the first tz city
        lat = lon = None
        capital_src = ""
        if cc in caps:
            lat, lon, capital_src = caps[cc][2], caps[cc][3], "supplement"
        elif cc in country_coords:
            lat, lon, capital_src = country_coords[cc][0], country_coords[cc][1], "supplement"
        elif i3 in ne_capital:
            lat, lon, capital_src = round(ne_capital[i3]["LATITUDE"], 3), round(ne_capital[i3]["LONGITUDE"], 3), "naturalearth"
        elif cc in first_zone:
            lat, lon, capital_src = first_zone[cc][1], first_zone[cc][2], "tz:" + first_zone[cc][0]
        if cc == "SY":
            dam = capital.get("SY01")
            lat, lon, capital_src = dam["lat"], dam["lon"], "gazetteer"
        names = [name] + aliases.get(cc, [])
        places.append({"id": f"iso:{i3}", "kind": "country", "name": name, "name_en": Locale("en").territories.get(cc, cc),
                       "lat": lat, "lon": lon, "country": i3, "a1": None, "a2": None, "a3": None, "precision": 3, "rank": 5.0,
                       "pop": None, "geonames": "", "wikidata": "", "names": names, "src": "cldr", "coord_src": capital_src})

    # ---- keys
    for p in places:
        keys = set()
        for n in p["names"]:
            k = norm_key(n)
            if len(k.replace(" ", "")) < 3:
                continue
            keys |= spacing_variants(k, prefixes)
        p["keys"] = sorted(keys)

    # ---- common words: single-word keys that ANERcorp mostly uses as non-places
    counts_o, counts_loc = Counter(), Counter()
    aner = shared / "data" / "ner" / "ANERCorp_train.txt"
    for line in open(aner, encoding="utf-8"):
        parts = line.rsplit(" ", 1)
        if len(parts) != 2:
            continue
        tok, tag = parts[0], parts[1].strip()
        n = normalize(tok)
        (counts_loc if tag.endswith("LOC") else counts_o)[n] += 1
    # world cities and countries too: CLDR / tz names include ordinary words (ترك Chuuk, مالي Mali, بورصة Bursa)
    single = {k for p in places if p["src"] in ("wof", "supplement") or p["kind"] in ("city", "country")
              for k in p["keys"] if " " not in k}
    common = {}
    for k in single:
        forms = {k, "ال" + k} | ({k[2:]} if k.startswith("ال") and len(k) > 4 else set())
        o = sum(counts_o[f] for f in forms)
        loc = sum(counts_loc[f] for f in forms)
        if o >= lex["common_min_count"] and loc <= lex["common_loc_ratio"] * (o + loc):
            common[k] = o
    (OUT / "common_names.json").write_text(json.dumps(
        {"_doc": "Single-word gazetteer names that ANERcorp (Benajiba et al. 2007) mostly uses as ordinary words: "
                 "normalised name -> non-place token count (counts only). Built by scripts/build_gazetteer.py.",
         "names": dict(sorted(common.items(), key=lambda kv: (-kv[1], kv[0])))}, ensure_ascii=False, indent=0), encoding="utf-8")

    # ---- write
    cols = ["id", "kind", "name", "name_en", "lat", "lon", "country", "a1", "a2", "a3", "precision", "rank", "pop",
            "geonames", "wikidata", "keys", "extra"]
    extra_fields = ("note", "site", "merged", "base", "dir", "centroid", "coord_src", "hint_a1")
    import io

    with gzip.GzipFile(OUT / "gazetteer.tsv.gz", "wb", compresslevel=9, mtime=0) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as fh:  # mtime=0: reproducible bytes
        fh.write("\t".join(cols) + "\n")
        for p in places:
            if p.get("lat") is None:
                continue
            extra = {k: p[k] for k in extra_fields if p.get(k)}
            row = [p["id"], p["kind"], p["name"], p["name_en"] or "", f"{p['lat']:.5f}", f"{p['lon']:.5f}", p["country"],
                   p["a1"] or "", p["a2"] or "", p["a3"] or "", str(p["precision"]), str(p["rank"]), str(p["pop"] or ""),
                   p["geonames"] or "", p["wikidata"] or "", "|".join(p["keys"]),
                   json.dumps(extra, ensure_ascii=False) if extra else ""]
            fh.write("\t".join(x.replace("\t", " ") for x in row) + "\n")
    (OUT / "admin.json").write_text(json.dumps(
        {pc: {k: a[k] for k in ("level", "ar", "en", "parent", "lat", "lon", "pop")} for pc, a in sorted(admin.items())},
        ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    (OUT / "admin1.geojson").write_text(json.dumps(simplified_admin1(geo), ensure_ascii=False, separators=(",", ":")),
                                        encoding="utf-8")
    kinds = Counter(p["kind"] for p in places)
    print(f"places: {len(places)}  {dict(kinds)}")
    print(f"keys: {sum(len(p['keys']) for p in places)}  common single-word names: {len(common)}")
    print(f"stats: {dict(stats)}")
    for f in ("gazetteer.tsv.gz", "admin.json", "admin1.geojson", "common_names.json"):
        print(f"  {f}: {(OUT / f).stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
