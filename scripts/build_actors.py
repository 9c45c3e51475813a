#!/usr/bin/env python
"""Compile marsad's actor base: src/marsad/data/entities/actors.json.

Inputs
  * src/marsad/data/entities/actors_seed.json   hand-written actors (ids, names, aliases, offices, dates)
  * src/marsad/data/entities/nationalities.json hand-written country names, nationality adjectives, phrase
    templates ("القوات {F}" -> {C}.MIL) and office role phrases ("الرئيس {M}" -> head of state of C)
  * /work/shared/data/actors/UP_arabic__actor_dict_ar_v4.txt  (UniversalPetrarch Arabic dictionary, MIT):
    multi-word person names with CAMEO codes and date ranges, added where the seed does not know them.

    python scripts/build_actors.py [--no-petrarch]

Output: actors.json with "actors" (id -> record) and "aliases" (normalised phrase -> ordered candidates
[id, from, to, kind, score]); the matcher takes the first candidate whose date range holds the article date.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from marsad.language.normalize import normalize  # noqa: E402
from marsad.paths import shared_dir  # noqa: E402

ENT = REPO / "src" / "marsad" / "data" / "entities"
PETRARCH = shared_dir() / "data" / "actors" / "UP_arabic__actor_dict_ar_v4.txt"

TYPE_LABEL = {"person": "PER", "org": "ORG", "group": "ACTOR", "country": "GPE"}
SECTORS = {
    "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM", "CVL", "LEG", "ELI",
    "HLH", "REF", "AGR", "IGO", "NGO", "IMG", "INS", "UAF", "LAB", "REL", "ENV", "MOD", "RAD", "HRI", "UNO",
    "MUS", "CHR", "JEW", "SUN", "SHI", "INT", "NGM", "IRC", "SEP", "LEF", "RGT", "CIV",
}
# first words that mark a PETRARCH entry as a (lemmatised) office or institution, not a personal name
INSTITUTION_WORDS = {
    normalize(w)
    for w in (
        "وزارة وزير رئيس مجلس حكومة قوة قوات جيش شرطة حزب منظمة سفارة مسؤول هيئة اتحاد جبهة حركة لجنة جامعة "
        "محكمة مكتب قائد أمين عام نائب سفير مدير إدارة دائرة بنك شركة وكالة مؤتمر برلمان حرس نظام سلطة مؤسسة "
        "مركز قاعدة كتيبة لواء فرقة رابطة جمعية نقابة ائتلاف تحالف مجموعة منطقة إقليم ولاية مدينة محافظة دولة "
        "بابا ملك أمير مستشار ناطق متحدث زعيم عضو ممثل مبعوث مراسل صحيفة قناة طالب مقاتل مسلح عنصر جنود جندي "
        "ضابط متمرد انفصالي لاجئ مهاجر سجين معتقل رهبان أرض غرب شرق شمال جنوب وسط مخيم عاصمة جولان حدود جهاز "
        "فصيلة فصيل ميليشيا مليشيا قبيلة عشيرة حاكم وزيرة شعب سجن"
    ).split()
}
ORG_SECTORS = {"BUS", "MED", "IGO", "NGO", "IMG", "EDU", "REL", "UAF"}
# sectors whose dictionary entries are mostly outlets and companies: an entry coded so is an organisation
OUTLET_SECTORS = {"BUS", "MED"}
# words that head an organisation's name in the dictionary's lemmatised entries (صندوق نقد دولي، صليب أحمر)
ORG_HEAD_WORDS = {normalize(w) for w in "برنامج صندوق إذاعة تلفزيون جريدة صحيفة بورصة سوق بعثة جماعة تنظيم تيار "
                  "صليب هلال حلف شبكة سرية مصرف".split()}


def person_marked(name: str, codes: list) -> bool:
    """The dictionary's marks of a person: a term (a code with a date range: a post held, a leader's years) on a
    name, not a description — no organisation head word, and not ending in a lemmatised (article-less) nisba
    adjective as described bodies do (جهاد إسلامي، حلف أطلسي); bin Laden, Kofi Annan, Solana carry their
    organisation's code (IMG, IGO) but are people."""
    toks = [normalize(t) for t in name.split()]
    if any(t in ORG_HEAD_WORDS for t in toks):
        return False
    last = toks[-1]
    if last.endswith("ي") and not last.startswith("ال") and len(last) > 3:
        return False
    return any(frm or to for _c, frm, to in codes)


def actor_kind(name: str, codes: list, sector) -> str:
    """person or org for a PETRARCH name entry (already filtered to personal-name shapes)."""
    if any(normalize(t) in ORG_HEAD_WORDS for t in name.split()):
        return "org"
    if sector in OUTLET_SECTORS:
        return "org"
    if sector in ORG_SECTORS and not person_marked(name, codes):
        return "org"
    return "person"


def nz(x):
    return x or None


def parse_date(s: str):
    s = s.strip()
    if not re.fullmatch(r"\d{8}", s):
        return None
    y = int(s[:4])
    if y <= 1800 or y >= 2100:
        return None
    return f"{s[:4]}-{s[4:6]}-{s[6:]}"


def parse_code(code: str):
    code = code.strip().rstrip("?")
    if len(code) < 3:
        return None, None
    first = code[:3]
    if first in SECTORS:
        return (first if first in ("IGO", "NGO", "IMG") else None), first
    return first, (code[3:6] or None)


def read_petrarch(path: Path) -> list[dict]:
    """Entries of the PETRARCH actor dictionary: {name, codes: [(code, from, to)]}."""
    out: list[dict] = []
    cur = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw[0] in " \t" and raw.strip().startswith("[") and cur is not None:
            body = raw.strip().strip("[]").strip()
            parts = body.split(None, 1)
            code = parts[0] if parts and not parts[0][0] in "<>0123456789" else ""
            dates = parts[1] if len(parts) > 1 else (parts[0] if parts and not code else "")
            frm = to = None
            d = dates.replace(" ", "")
            if d.startswith(">"):
                frm = parse_date(d[1:])
            elif d.startswith("<"):
                to = parse_date(d[1:])
            elif "-" in d:
                a, b = d.split("-", 1)
                frm, to = parse_date(a), parse_date(b)
                if frm and to and to < frm:
                    to = None
            cur["codes"].append((code, frm, to))
            continue
        m = re.match(r"^\s*(\S+)\s*(?:\[([^\]]*)\])?", raw)
        if not m:
            continue
        cur = {"name": m.group(1), "codes": []}
        if m.group(2):
            cur["codes"].append((m.group(2).strip(), None, None))
        out.append(cur)
    return out


def petrarch_persons(entries: list[dict], known: set) -> dict:
    """Multi-word personal names (not lemmatised institution phrases) with a country code, merged by name."""
    merged: dict = {}
    adjectives = set()
    for c in json.loads((ENT / "nationalities.json").read_text(encoding="utf-8"))["countries"].values():
        for form in ("m", "f", "p"):
            adjectives |= {normalize(x) for x in c[form]} | {normalize("ال" + x) for x in c[form]}
    for e in entries:
        toks = [t for t in e["name"].split("_") if t]
        if len(toks) < 2 or len(toks) > 5 or any(len(t) < 2 for t in toks):
            continue
        if any(normalize(t) in INSTITUTION_WORDS or normalize(t).removeprefix("ال") in INSTITUTION_WORDS for t in toks):
            continue
        if not all(re.fullmatch(r"[\u0621-\u064a]+", t) for t in toks):
            continue
        if normalize(toks[-1]) in adjectives:  # "جهاز أمني إسرائيلي": a described group, not a name
            continue
        phrase = " ".join(toks)
        key = normalize(phrase)
        if key in known:
            continue
        codes = []
        for code, frm, to in e["codes"]:
            country, sector = parse_code(code)
            if country and sector:
                codes.append([country + (sector or ""), frm, to])
        if not codes:
            continue
        rec = merged.setdefault(key, {"name": phrase, "codes": []})
        for c in codes:
            if c not in rec["codes"]:
                rec["codes"].append(c)
    return merged


class Builder:
    def __init__(self, seed: dict, nat: dict):
        self.nat = nat
        self.actors: dict[str, dict] = {}
        self.aliases: dict[str, list] = {}
        self.seed = seed

    # -- helpers
    def add_actor(self, rec: dict) -> dict:
        if rec["id"] in self.actors:
            return self.actors[rec["id"]]
        valid = rec.get("valid") or [None, None]
        out = {
            "id": rec["id"],
            "type": rec.get("type", "org"),
            "label": TYPE_LABEL.get(rec.get("type", "org"), "ORG"),
            "name": rec["name"],
            "name_en": rec.get("name_en"),
            "country": rec.get("country"),
            "sector": rec.get("sector"),
            "parent": rec.get("parent"),
            "valid": [nz(valid[0]), nz(valid[1])],
            "offices": rec.get("offices", []),
            "attrs": rec.get("attrs", {}),
            "source": rec.get("source", "seed"),
        }
        self.actors[out["id"]] = out
        return out

    def add_alias(self, phrase: str, cand: list, override: bool = False) -> None:
        key = " ".join(normalize(phrase).split())
        if not key:
            return
        lst = self.aliases.setdefault(key, [])
        if any(c[:4] == cand[:4] for c in lst):
            return
        if lst and not override:
            # a hand-written name beats a generated phrase for the same words
            if cand[3] in ("template", "petrarch") and any(c[3] in ("name",) for c in lst):
                return
        lst.append(cand)

    def adjectives(self, code: str) -> dict:
        c = self.nat["countries"][code]
        return {
            "m": c["m"], "f": c["f"], "p": c["p"],
            "M": ["ال" + x for x in c["m"]], "F": ["ال" + x for x in c["f"]], "P": ["ال" + x for x in c["p"]],
        }

    def expand(self, phrase: str, code: str) -> list[str]:
        adj = self.adjectives(code)
        slots = re.findall(r"\{([mfpMFPC])\}", phrase)
        choices = [adj[s] if s != "C" else [code] for s in slots]
        out = []
        for combo in itertools.product(*choices):
            p = phrase
            for s, v in zip(slots, combo):
                p = p.replace("{" + s + "}", v, 1)
            out.append(p)
        return out

    # -- stages
    def seed_actors(self) -> None:
        for rec in self.seed["actors"]:
            a = self.add_actor(rec)
            v = a["valid"]
            for al in [rec["name"], *rec.get("aliases", [])]:
                self.add_alias(al, [a["id"], v[0], v[1], "name", 1.0])

    def countries(self) -> None:
        for code, c in self.nat["countries"].items():
            a = self.add_actor({"id": code, "type": "country", "name": c["name"], "name_en": c["name_en"],
                                "country": code, "sector": None})
            for n in c["names"]:
                self.add_alias(n, [a["id"], None, None, "name", 1.0])

    def templates(self) -> None:
        for code, c in self.nat["countries"].items():
            for t in self.nat["templates"]:
                aid = t["id"].replace("{C}", code)
                parts = aid.split(".")
                phrases = [p for ph in t["phrases"] for p in self.expand(ph, code)]
                if aid not in self.actors:
                    self.add_actor({
                        "id": aid, "type": "group" if t["label"] == "ACTOR" else ("country" if t["label"] == "GPE" else "org"),
                        "name": phrases[0], "name_en": None, "country": code,
                        "sector": parts[1] if len(parts) > 1 else None,
                        "parent": t.get("parent", "").replace("{C}", code) or None, "source": "template",
                    })
                for p in phrases:
                    self.add_alias(p, [aid, None, None, "template", 0.9])

    def offices(self) -> None:
        holders: dict = {}
        for a in self.actors.values():
            for o in a.get("offices", []):
                holders.setdefault(o["office"], []).append([a["id"], o.get("country") or a["country"], o.get("from"), o.get("to")])
        for office, phrases in self.nat["offices"].items():
            fb_tpl = self.nat["office_fallback"].get(office)
            templated = any("{" in p for p in phrases)
            codes = list(self.nat["countries"]) if templated else [None]
            for code in codes:
                hs = [h for h in holders.get(office, []) if code is None or h[1] == code]
                hs.sort(key=lambda h: h[2] or "", reverse=True)
                cands = [[h[0], h[2], h[3], "role", 0.95] for h in hs]
                if fb_tpl:
                    fb = fb_tpl.replace("{C}", code or "")
                    if fb not in self.actors and code:
                        cc = self.nat["countries"][code]
                        self.add_actor({"id": fb, "type": "org", "name": fb, "country": code,
                                        "sector": fb.split(".")[1] if "." in fb else None, "source": "template",
                                        "parent": f"{code}.GOV" if fb != f"{code}.GOV" else None})
                        if fb == f"{code}.GOV":
                            self.actors[fb]["name"] = "حكومة " + cc["name"]
                    cands.append([fb, None, None, "role_fallback", 0.8])
                for ph in phrases:
                    for p in (self.expand(ph, code) if code else [ph]):
                        for c in cands:
                            self.add_alias(p, c, override=True)
        # "وزير الدفاع" with no country: a pseudo-candidate that links only to a holder named right after it
        for office, phrases in self.nat.get("bare_offices", {}).items():
            for ph in phrases:
                self.add_alias(ph, ["office:" + office, None, None, "bare_role", 0.9])

    def petrarch(self, path: Path) -> int:
        known = set(self.aliases)
        persons = petrarch_persons(read_petrarch(path), known)
        n = 0
        for key, rec in sorted(persons.items()):
            codes = sorted(rec["codes"], key=lambda c: c[1] or "")
            latest = codes[-1][0]
            country, sector = latest[:3], (latest[3:6] or None)
            aid = f"{country}.{sector or 'X'}.petrarch:" + key.replace(" ", "_")
            kind = actor_kind(rec["name"], codes, sector)
            self.add_actor({"id": aid, "type": kind, "name": rec["name"], "country": country, "sector": sector,
                            "attrs": {"cameo_codes": codes}, "source": "petrarch"})
            self.add_alias(rec["name"], [aid, None, None, "petrarch", 0.85])
            n += 1
        return n

    def office_holders(self) -> dict:
        out: dict = {}
        for a in self.actors.values():
            for o in a.get("offices", []):
                out.setdefault(o["office"], []).append([a["id"], o.get("country") or a["country"], o.get("from"), o.get("to")])
        return out

    def output(self) -> dict:
        nat = self.nat
        adj = {}
        for code, c in nat["countries"].items():
            for form in ("m", "f", "p"):
                for x in c[form]:
                    adj[normalize(x)] = code
                    adj[normalize("ال" + x)] = code
        return {
            "_doc": "Compiled by scripts/build_actors.py; do not edit by hand (edit actors_seed.json / nationalities.json).",
            "actors": self.actors,
            "aliases": dict(sorted(self.aliases.items())),
            "nationality_adjectives": adj,
            "office_holders": self.office_holders(),
            "office_fallback": nat.get("office_fallback", {}),
            "role_blockers": sorted({normalize(x) for x in nat.get("role_blockers", [])}),
            "role_blockers_after": sorted({normalize(x) for x in nat.get("role_blockers_after", [])}),
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-petrarch", action="store_true")
    ap.add_argument("--petrarch", type=Path, default=PETRARCH)
    ap.add_argument("--out", type=Path, default=ENT / "actors.json")
    args = ap.parse_args()
    seed = json.loads((ENT / "actors_seed.json").read_text(encoding="utf-8"))
    nat = json.loads((ENT / "nationalities.json").read_text(encoding="utf-8"))
    b = Builder(seed, nat)
    b.seed_actors()
    b.countries()
    b.offices()
    b.templates()
    n_p = 0
    if not args.no_petrarch and args.petrarch.exists():
        n_p = b.petrarch(args.petrarch)
    out = b.output()
    args.out.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    by_src: dict = {}
    for a in b.actors.values():
        by_src[a["source"]] = by_src.get(a["source"], 0) + 1
    print(f"{len(b.actors)} actors ({by_src}), {len(b.aliases)} alias phrases, {n_p} from PETRARCH -> {args.out}"
          f" ({args.out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
