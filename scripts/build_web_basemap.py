#!/usr/bin/env python3
"""Build the dashboard's offline basemap from /work/shared/data (run once; the output is committed).

Writes src/marsad/web/static/data/basemap.geojson (Natural Earth countries, land borders, rivers, lakes and
populated places near Syria, public domain) and governorates.geojson (OCHA COD-AB Syria admin-1 polygons,
CC BY-IGO 3.0), both simplified with Douglas-Peucker and rounded to 3 decimals (~100 m) so the files stay
small. If the places layer ships its own simplified governorate polygons (src/marsad/data/places/*.geojson
with ADM1 properties), those are used instead of re-simplifying the OCHA file.

    python scripts/build_web_basemap.py [--shared /work/shared/data]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "marsad" / "web" / "static" / "data"
BBOX = (30.0, 29.0, 46.5, 41.0)  # lon_min, lat_min, lon_max, lat_max kept around Syria


def _dp(points: list, tol: float) -> list:
    """Douglas-Peucker simplification of a polyline (iterative, keeps end points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a][:2], points[b][:2]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            x, y = points[i][:2]
            d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best:
                best, idx = d, i
        if best > tol and idx > 0:
            keep[idx] = True
            stack += [(a, idx), (idx, b)]
    return [p for p, k in zip(points, keep) if k]


def _round(points: list) -> list:
    out = []
    for p in points:
        q = [round(p[0], 3), round(p[1], 3)]
        if not out or out[-1] != q:
            out.append(q)
    return out


def _line(points, tol):
    return _round(_dp(points, tol))


def _ring(points, tol):
    r = _line(points, tol)
    if len(r) < 4:
        return None
    if r[0] != r[-1]:
        r.append(r[0])
    return r


def simplify_geometry(geom: dict, tol: float):
    t = geom["type"]
    c = geom["coordinates"]
    if t == "Point":
        return {"type": t, "coordinates": [round(c[0], 3), round(c[1], 3)]}
    if t == "LineString":
        return {"type": t, "coordinates": _line(c, tol)}
    if t == "MultiLineString":
        return {"type": t, "coordinates": [_line(l, tol) for l in c if len(l) > 1]}
    if t == "Polygon":
        rings = [r for r in (_ring(r, tol) for r in c) if r]
        return {"type": t, "coordinates": rings} if rings else None
    if t == "MultiPolygon":
        polys = []
        for poly in c:
            rings = [r for r in (_ring(r, tol) for r in poly) if r]
            if rings:
                polys.append(rings)
        return {"type": t, "coordinates": polys} if polys else None
    return geom


def _coords(geom):
    c = geom["coordinates"]
    t = geom["type"]
    if t == "Point":
        return [c]
    if t in ("LineString",):
        return c
    if t in ("MultiLineString", "Polygon"):
        return [p for part in c for p in part]
    return [p for poly in c for ring in poly for p in ring]


def _near(geom) -> bool:
    x0, y0, x1, y1 = BBOX
    return any(x0 <= p[0] <= x1 and y0 <= p[1] <= y1 for p in _coords(geom))


def build_basemap(shared: Path) -> dict:
    base = shared / "basemap"
    feats = []
    spec = [  # (file, layer, tolerance, properties kept)
        ("ne_50m_admin0_countries_mideast.geojson", "country", 0.01, {"NAME": "name", "ISO_A3": "iso3"}),
        ("ne_10m_boundary_lines_land_mideast.geojson", "border", 0.01, {}),
        ("ne_10m_lakes_mideast.geojson", "lake", 0.01, {"name": "name"}),
        ("ne_10m_rivers_mideast.geojson", "river", 0.01, {"name": "name"}),
        ("ne_10m_populated_places_mideast.geojson", "city", 0, {"NAME": "name", "ADM0_A3": "iso3",
                                                                "POP_MAX": "pop", "SCALERANK": "rank"}),
    ]
    for fname, layer, tol, keep in spec:
        data = json.loads((base / fname).read_text(encoding="utf-8"))
        for f in data["features"]:
            g = f.get("geometry")
            if not g or not _near(g):
                continue
            props = f.get("properties") or {}
            if layer == "city" and props.get("ADM0_A3") != "SYR" and (props.get("SCALERANK") or 10) > 3:
                continue  # Syrian towns plus the neighbours' big cities
            g = simplify_geometry(g, tol)
            if not g:
                continue
            out = {"layer": layer}
            out.update({new: props.get(old) for old, new in keep.items()})
            feats.append({"type": "Feature", "properties": out, "geometry": g})
    return {"type": "FeatureCollection",
            "attribution": "Made with Natural Earth (public domain), naturalearthdata.com; simplified",
            "features": feats}


def _places_polygons() -> Path | None:
    pdir = ROOT / "src" / "marsad" / "data" / "places"
    for p in sorted(pdir.glob("*.geojson")) if pdir.exists() else []:
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
            props = (d.get("features") or [{}])[0].get("properties") or {}
            if any(k.upper().startswith("ADM1") for k in props) and len(d["features"]) == 14:
                return p
        except Exception:
            continue
    return None


def _aliases(shared: Path) -> dict:
    """p-code -> alternative Arabic/English names (Open-Syria governorates, CC BY 4.0)."""
    path = shared / "gazetteer" / "opensyria__data_governorates.json"
    out: dict = {}
    if not path.exists():
        return out
    for g in json.loads(path.read_text(encoding="utf-8")):
        pcode = (g.get("externalIds") or {}).get("ochaPcode")
        if not pcode:
            continue
        names = [g.get("name", {}).get("en"), g.get("name", {}).get("ar")]
        names += [a.get("value") for a in g.get("aliases") or []]
        out[pcode] = sorted({n for n in names if n})
    return out


def build_governorates(shared: Path) -> tuple[dict, str]:
    src = _places_polygons()
    tol = 0.0 if src else 0.006
    src = src or shared / "gazetteer" / "ocha_syr_admin1_cod_20201217__via_syrianzone.geojson"
    data = json.loads(src.read_text(encoding="utf-8"))
    aliases = _aliases(shared)
    feats = []
    for f in data["features"]:
        p = f["properties"]
        upper = {k.upper(): v for k, v in p.items()}
        g = simplify_geometry(f["geometry"], tol) if tol else f["geometry"]
        feats.append({"type": "Feature", "geometry": g, "properties": {
            "pcode": upper.get("ADM1_PCODE"), "name_ar": upper.get("ADM1_AR"), "name_en": upper.get("ADM1_EN"),
            "aliases": aliases.get(upper.get("ADM1_PCODE"), [])}})
    return ({"type": "FeatureCollection",
             "attribution": "Governorate boundaries: OCHA COD-AB Syria (CC BY-IGO 3.0); simplified. "
                            "Name aliases: Open-Syria data-geography (CC BY 4.0)",
             "features": feats}, str(src))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="/work/shared/data", type=Path)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    bm = build_basemap(args.shared)
    (OUT / "basemap.geojson").write_text(json.dumps(bm, ensure_ascii=False, separators=(",", ":")), "utf-8")
    gov, src = build_governorates(args.shared)
    (OUT / "governorates.geojson").write_text(json.dumps(gov, ensure_ascii=False, separators=(",", ":")), "utf-8")
    for name in ("basemap.geojson", "governorates.geojson"):
        print(f"{name}: {(OUT / name).stat().st_size / 1024:.0f} KB")
    print(f"governorates from {src}")


if __name__ == "__main__":
    main()
