"""A synthetic Arabic news corpus for benchmarks and scale tests, deterministic by seed.

    python -m marsad.scale.corpus --n 1000 --out DIR --format jsonl|txt --seed 1

Articles are composed from the templates in ``marsad/data/corpus/templates.json`` (written for marsad; the
outlets are fictitious and every story is invented): air strikes, shelling, clashes, displacement, phone
calls between leaders and protests in real Syrian towns and villages, dated 2019–2021, with casualty figures
("مقتل 5 مدنيين بينهم طفلان"), outlet chrome (section labels, bylines, date lines, related-links footers),
anti-censorship spellings (إطـ.لاق) and near-duplicates: the same happening re-reported by another outlet
with light rewrites. Every generated article has a distinct text, so N articles are N store rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterator, Optional

from ..model import content_id

START = dt.date(2019, 1, 1)
END = dt.date(2021, 12, 31)
DUPLICATE_SHARE = 0.12  # share of articles that re-report a recent happening in another outlet's words
OBFUSCATED_SHARE = 0.25  # share of articles with anti-censorship spellings
FORMATS = ("jsonl", "txt")


@lru_cache(maxsize=1)
def templates() -> dict:
    path = resources.files("marsad") / "data" / "corpus" / "templates.json"
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------- phrases


def count_phrase(n: int, group: str, digits: bool = False) -> str:
    """"خمسة مدنيين", "طفلان", "12 مدنياً": a number and its counted noun with Arabic agreement."""
    g = templates()["groups"][group]
    nums = templates()["numbers"][g["gender"]]
    if n == 1:
        return g["one"]
    if n == 2:
        return g["two"]
    if n <= 10:
        return f"{n if digits else nums[n]} {g['few']}"
    return f"{n} {g['many']}"


def victims_phrase(rng: random.Random, digits: bool = False) -> tuple[str, int]:
    """"مقتل خمسة مدنيين بينهم طفلان" and the total."""
    n = rng.choice([1, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 11, 12, 14, 17, 23])
    text = "مقتل " + count_phrase(n, "civilians", digits)
    if n >= 3 and rng.random() < 0.6:
        k = rng.randint(1, min(n - 1, 6))
        text += " بينهم " + count_phrase(k, rng.choice(["children", "children", "women"]), digits)
    return text, n


def _date_line(style: str, day: dt.date, t: dict, rng: random.Random) -> Optional[str]:
    if style == "stamp":
        return f"{day:%Y%m%d} {rng.randint(1, 9999)}"
    if style == "levant":
        return f"{t['weekdays'][day.weekday()]} {day.day} {t['months_levant'][day.month - 1]} {day.year}"
    if style == "gregorian":
        return f"{day.day} {t['months_gregorian'][day.month - 1]} {day.year}"
    if style == "iso":
        return day.isoformat()
    return None


def obfuscate(text: str, rng: random.Random, words: list[str], k: int = 2) -> str:
    """Break up to ``k`` sensitive words with a tatweel and a dot, as outlets do to dodge filters: إطـ.لاق."""
    present = [w for w in words if w in text]
    rng.shuffle(present)
    for w in present[:k]:
        cut = 2 if len(w) < 5 else 3
        text = text.replace(w, w[:cut] + "ـ." + w[cut:], 1)
    return text


# ---------------------------------------------------------------------------------------------- events


class _Happening:
    """The facts of one invented happening; several outlets may report it."""

    def __init__(self, rng: random.Random, places: list[dict]):
        t = templates()
        kinds = list(t["kinds"])
        self.kind = rng.choices(kinds, weights=[t["kinds"][k]["weight"] for k in kinds])[0]
        self.day = START + dt.timedelta(days=rng.randrange((END - START).days + 1))
        self.place = rng.choice(places)
        same_area = [p for p in places if p["area"] == self.place["area"] and p is not self.place]
        self.place2 = rng.choice(same_area or places)
        self.actor_air = rng.choice(t["actors"]["air"])
        self.actor_ground = rng.choice(t["actors"]["ground"])
        self.actor_rebel = rng.choice([a for a in t["actors"]["rebel"] if a != self.actor_ground])
        self.leaders = rng.sample(t["actors"]["leaders"], 2)
        self.reporter = rng.choice(t["reporters"])
        self.weapon = rng.choice(t["weapons"])
        self.time = rng.choice(t["times"])
        self.victims, self.n_killed = victims_phrase(rng)
        self.victims_title = "مقتل " + count_phrase(self.n_killed, "civilians", digits=True)
        self.injured = count_phrase(rng.randint(3, 25), "civilians")
        self.fighters = count_phrase(rng.randint(2, 16), "fighters")
        self.n_fam = rng.randrange(40, 900, 10)
        self.n_people = rng.randrange(1000, 40000, 500)

    def slots(self, outlet: dict, pub: dt.date) -> dict:
        t = templates()
        wd = t["weekdays"]
        l1, l2 = self.leaders
        time = self.time.format(weekday=wd[(pub - dt.timedelta(days=1 if "أمس" in self.time else 0)).weekday()])
        return {
            "place": self.place["name"], "place2": self.place2["name"], "area": self.place["area"],
            "gov": self.place["gov"], "actor_air": self.actor_air, "actor_ground": self.actor_ground,
            "actor_rebel": self.actor_rebel, "reporter": self.reporter, "weapon": self.weapon, "time": time,
            "victims": self.victims, "victims_title": self.victims_title,
            "victims_short": "جثث " + count_phrase(self.n_killed, "civilians"), "injured": self.injured,
            "fighters": self.fighters, "n_fam": self.n_fam, "n_people": self.n_people,
            "leader1": l1[0], "leader1_short": l1[1], "leader1_role": l1[2],
            "leader2": l2[0], "leader2_short": l2[1], "credit": outlet["credit"],
        }


def _compose(h: _Happening, outlet: dict, rng: random.Random, pub: dt.date, rewrite: bool) -> dict:
    t = templates()
    k = t["kinds"][h.kind]
    slots = h.slots(outlet, pub)
    title = rng.choice(k["titles"]).format(**slots)
    paras = [rng.choice(k["lede"]).format(**slots)]
    body = list(k["body"])
    rng.shuffle(body)
    paras += [s.format(**slots) for s in body[:rng.randint(2, len(body))]]
    if rng.random() < 0.6:
        paras.append(rng.choice(t["background"]))
    if rewrite:  # another outlet's wording of the same facts
        for a, b in t["rewrites"]:
            if rng.random() < 0.5:
                paras = [p.replace(a, b) for p in paras]
        if len(paras) > 3 and rng.random() < 0.5:
            paras.pop(rng.randrange(1, len(paras)))
    if rng.random() < OBFUSCATED_SHARE:
        paras = [obfuscate(p, rng, t["obfuscate"], k=1) for p in paras]
    head = [outlet["byline"]]
    date_line = _date_line(outlet["date_line"], pub, t, rng)
    if date_line and outlet["date_line"] != "stamp":
        head.insert(0, date_line)
    foot = list(outlet["footer"])
    if outlet["date_line"] == "stamp" and date_line:
        foot.append(date_line)
    body_text = "\n\n".join(head + paras + foot)
    return {"title": title, "labels": list(outlet["labels"]), "body": body_text, "outlet": outlet["name"],
            "published": pub.isoformat(), "kind": h.kind, "place": h.place["name"], "killed": h.n_killed
            if h.kind in ("airstrike", "shelling") else None}


def _places() -> list[dict]:
    return templates()["places"]


def generate(n: int, seed: int = 1) -> Iterator[dict]:
    """``n`` article records, each with ``text`` (the whole file as an outlet would publish it), ``body``,
    ``title``, ``outlet``, ``url``, ``published``, and what was invented (``kind``, ``place``, ``killed``,
    ``copy_of`` for re-reports). Streams: memory does not grow with ``n`` beyond a set of 16-byte ids."""
    rng = random.Random(seed)
    t = templates()
    places = _places()
    recent: list[tuple[_Happening, int]] = []  # happenings other outlets may still re-report
    seen: set[str] = set()
    i = 0
    while i < n:
        copy_of = None
        if recent and rng.random() < DUPLICATE_SHARE:
            h, copy_of = rng.choice(recent)
            pub = h.day + dt.timedelta(days=rng.choice([0, 0, 0, 1]))
            rewrite = True
        else:
            h = _Happening(rng, places)
            pub = h.day
            rewrite = False
        outlet = rng.choice(t["outlets"])
        rec = _compose(h, outlet, rng, pub, rewrite)
        text = "\n\n".join(rec["labels"] + [rec["title"], rec["body"]]) + "\n"
        cid = content_id(text)
        if cid in seen:  # vanishingly rare; keeps "N articles → N rows" exact
            continue
        seen.add(cid)
        if copy_of is None:
            recent.append((h, i))
            if len(recent) > 40:
                recent.pop(0)
        slug = f"{pub:%Y/%m}/{i:07d}"
        rec.update(text=text, url=f"https://{outlet['domain']}/{slug}", copy_of=copy_of, index=i)
        yield rec
        i += 1


def write_corpus(n: int, out: Path, fmt: str = "jsonl", seed: int = 1, per_file: int = 10_000) -> list[Path]:
    """Write ``n`` articles under ``out``: JSONL files of ``per_file`` records, or one .txt per article in
    folders of 1000. Returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    fh = None
    try:
        for rec in generate(n, seed):
            i = rec["index"]
            if fmt == "txt":
                path = out / f"{i // 1000:04d}" / f"{i:07d}.txt"
                path.parent.mkdir(exist_ok=True)
                path.write_text(rec["text"], encoding="utf-8")
                written.append(path)
                continue
            if i % per_file == 0:
                if fh:
                    fh.close()
                path = out / f"corpus_{seed}_{i // per_file:04d}.jsonl"
                fh = path.open("w", encoding="utf-8")
                written.append(path)
            fh.write(json.dumps({"text": rec["text"], "title": rec["title"], "outlet": rec["outlet"],
                                 "url": rec["url"], "published": rec["published"]}, ensure_ascii=False) + "\n")
    finally:
        if fh:
            fh.close()
    return written


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m marsad.scale.corpus", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of articles")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--format", choices=FORMATS, default="jsonl")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    files = write_corpus(args.n, args.out, args.format, args.seed)
    print(f"wrote {args.n} articles to {args.out} ({len(files)} files)", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
