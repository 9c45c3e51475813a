"""Benchmark of the language layer (clean + language stages) over the shared samples, repeated.

    python bench/bench_language.py [--repeat 200] [--splitter rules|fallback|farahidi] [--profile]
    python bench/bench_language.py --instructions      # instructions per set under valgrind: load-independent

Prints characters per second, "sample sets per second" (the five samples = one set) and the time per stage and
per step of the language stage. Next to each round it times a fixed pure-Python loop: on a shared VM that loop
takes up to twice as long in busy minutes, and the layer slows with it; the median round scaled by the loop's
time next to it (to the fastest seen in the run) is the layer's speed with that load taken out. Word analyses
are cached per distinct surface form, as in production, so the first pass (cold) is reported separately from
the warm passes.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from marsad.language.clean import Cleaner
from marsad.language.dates import date_refs, scan_dates
from marsad.language.numbers import find_numbers
from marsad.language.segment import sentence_bounds
from marsad.language.stages import LanguageStage
from marsad.model import Article, Document
from marsad.paths import samples_dir


# (word, expected base, expected proclitics) — written for this benchmark
GOLD = [
    ("وإدلب", "إدلب", "و"), ("بإدلب", "إدلب", "ب"), ("لقوات", "قوات", "ل"), ("والنيرب", "النيرب", "و"),
    ("وبوتين", "بوتين", "و"), ("للنظام", "النظام", "ل"), ("بالقصف", "القصف", "ب"), ("وسراقب", "سراقب", "و"),
    ("وبالتالي", "التالي", "وب"), ("وزير", "وزير", ""), ("بيان", "بيان", ""), ("لبنان", "لبنان", ""),
    ("فصائل", "فصائل", ""), ("كما", "كما", ""), ("وسط", "وسط", ""), ("بلدة", "بلدة", ""), ("وقال", "قال", "و"),
    ("فقال", "قال", "ف"), ("وأكدت", "أكدت", "و"), ("والميليشيات", "الميليشيات", "و"), ("بريف", "ريف", "ب"),
    ("لحلب", "حلب", "ل"), ("وحماة", "حماة", "و"), ("كفرنبل", "كفرنبل", ""), ("ولأن", "أن", "ول"),
    ("بقصف", "قصف", "ب"), ("والأطفال", "الأطفال", "و"), ("لمدينة", "مدينة", "ل"), ("وسائل", "وسائل", ""),
    ("فرنسا", "فرنسا", ""), ("والروسي", "الروسي", "و"), ("بروسيا", "روسيا", "ب"), ("وتركيا", "تركيا", "و"),
    ("الرئيسان", "الرئيسان", ""), ("لتركيا", "تركيا", "ل"), ("وبلدة", "بلدة", "و"), ("فيما", "فيما", ""),
    ("كفرسجنة", "كفرسجنة", ""), ("وأريحا", "أريحا", "و"), ("بمقتل", "مقتل", "ب"),
]


def compare_splitters() -> None:
    from marsad.language.morph import get_splitter

    print(f"{'splitter':<10}{'correct':>9}{'of':>5}{'cold ms/word':>14}{'warm us/word':>14}  errors")
    for mode in ("rules", "fallback", "farahidi"):
        sp = get_splitter(mode)
        t0 = time.perf_counter()
        got = [sp.split(w) for w, _, _ in GOLD]
        cold = (time.perf_counter() - t0) / len(GOLD)
        t0 = time.perf_counter()
        for _ in range(100):
            for w, _, _ in GOLD:
                sp.split(w)
        warm = (time.perf_counter() - t0) / (100 * len(GOLD))
        errors = [f"{w}->{g[0]}+{''.join(g[1])}" for (w, b, p), g in zip(GOLD, got) if (g[0], "".join(g[1])) != (b, p)]
        print(f"{mode:<10}{len(GOLD) - len(errors):>9}{len(GOLD):>5}{cold * 1000:>14.2f}{warm * 1e6:>14.2f}  {' '.join(errors)}")


def run_sets(n: int, splitter: str) -> None:
    """Three warm-up sets, then ``n`` sets: what ``--instructions`` runs under callgrind."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(samples_dir()).glob("*.txt"))]
    clean, lang = Cleaner(), LanguageStage(splitter=splitter)
    for _ in range(3 + n):
        for i, t in enumerate(texts):
            doc = Document(Article(id=str(i), raw_text=t))
            clean(doc)
            lang(doc)


def count_instructions(splitter: str) -> None:
    """Instructions per warm sample set, counted by valgrind's callgrind: the difference between a run of 12 sets
    and one of 2, over 10. Unlike time, the count does not move with the load of a shared machine, so two
    versions of the code can be compared in one run each."""
    if shutil.which("valgrind") is None:
        sys.exit("--instructions needs valgrind (Debian package valgrind)")
    counts = []
    for n in (2, 12):
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
               "--run-sets", str(n), "--splitter", splitter]
        out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        found = re.search(r"Collected : (\d+)", out.stderr)
        if out.returncode != 0 or found is None:
            sys.exit(f"valgrind failed: {out.stderr[-500:]}")
        counts.append(int(found.group(1)))
    per_set = (counts[1] - counts[0]) / 10
    print(f"instructions per sample set (clean + language, warm): {per_set / 1e6:.2f} M")


def reference_seconds() -> float:
    """Seconds for a fixed pure-Python workload: how fast the machine runs Python right now (on a shared VM the
    same work takes up to twice as long in busy minutes)."""
    t0 = time.perf_counter()
    x = 0
    for i in range(1_000_000):
        x += i
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=10, help="warm passes are timed in this many rounds")
    ap.add_argument("--splitter", default="rules")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--splitters", action="store_true", help="compare the clitic splitters (accuracy + speed)")
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions per sample set with valgrind (load-independent, for comparing versions)")
    ap.add_argument("--run-sets", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.splitters:
        compare_splitters()
        return
    if args.run_sets is not None:
        run_sets(args.run_sets, args.splitter)
        return
    if args.instructions:
        count_instructions(args.splitter)
        return

    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(samples_dir()).glob("*.txt"))]
    chars = sum(len(t) for t in texts)
    utf8 = sum(len(t.encode("utf-8")) for t in texts)  # the issue's "5 MB/s" is of UTF-8 text
    t0 = time.perf_counter()
    clean, lang = Cleaner(), LanguageStage(splitter=args.splitter)
    t_init = time.perf_counter() - t0

    def run_once(timings):
        for i, t in enumerate(texts):
            doc = Document(Article(id=str(i), raw_text=t))
            a = time.perf_counter()
            clean(doc)
            b = time.perf_counter()
            lang(doc)
            c = time.perf_counter()
            timings["clean"] += b - a
            timings["language"] += c - b

    cold = {"clean": 0.0, "language": 0.0}
    t0 = time.perf_counter()
    run_once(cold)
    t_cold = time.perf_counter() - t0

    warm = {"clean": 0.0, "language": 0.0}
    prof = cProfile.Profile() if args.profile else None
    if prof:
        prof.enable()
    # the warm passes run in rounds; the machine's noise (a shared VM) shows as the spread between rounds, and
    # the best round is the layer's own speed (as timeit reports the minimum)
    rounds = max(1, min(args.rounds, args.repeat))
    per_round = args.repeat // rounds
    round_times = []
    machine = []  # the reference workload's time next to each round
    for _ in range(rounds):
        before = reference_seconds()
        t0 = time.perf_counter()
        for _ in range(per_round):
            run_once(warm)
        round_times.append((time.perf_counter() - t0) / per_round)
        machine.append(min(before, reference_seconds()))
    t_warm = sum(round_times) * per_round
    args.repeat = per_round * rounds
    if prof:
        prof.disable()

    # steps of the language stage, on clean texts
    docs = []
    for i, t in enumerate(texts):
        d = Document(Article(id=str(i), raw_text=t))
        clean(d)
        docs.append(d)
    steps = {}
    n = max(1, args.repeat // 4)
    prepared = []
    for d in docs:
        idx, spots, heads = [], [], []  # number candidates, date anchors and date heads, as the stage collects them
        toks = lang.tokens(d.text, idx, spots, heads)
        prepared.append((d, toks, idx, spots, heads))
    for name, fn in [
        ("sentences", lambda d, toks, idx, spots, heads: sentence_bounds(d.text)),
        ("tokens", lambda d, toks, idx, spots, heads: lang.tokens(d.text, [], [], [])),
        ("dates", lambda d, toks, idx, spots, heads: date_refs(d.text, None, d.span, found=scan_dates(d.text, spots, heads))),
        ("numbers", lambda d, toks, idx, spots, heads: find_numbers(d.text, toks, idx)),
    ]:
        a = time.perf_counter()
        for _ in range(n):
            for item in prepared:
                fn(*item)
        steps[name] = (time.perf_counter() - a) / n

    sets_per_s = args.repeat / t_warm
    print(f"samples: {len(texts)} articles, {chars} characters, {utf8} bytes UTF-8; splitter={args.splitter}; "
          f"init {t_init*1000:.0f} ms")
    def row(label: str, seconds: float, per_set: float) -> None:
        rate = 1 / per_set  # sample sets per second
        print(f"{label:<28}{seconds:>10.4f}{rate:>10.1f}{len(texts) * rate:>12.0f}{chars * rate / 1e6:>11.2f}"
              f"{utf8 * rate / 1e6:>7.2f}")

    print(f"{'pass':<28}{'seconds':>10}{'sets/s':>10}{'articles/s':>12}{'M chars/s':>11}{'MB/s':>7}")
    row("cold (first pass)", t_cold, t_cold)
    row(f"warm x{args.repeat}", t_warm, t_warm / args.repeat)
    # a round's time scaled by how slow the machine ran the reference next to it (fastest reference = 1)
    quiet = min(machine)
    adjusted = sorted(t * quiet / m for t, m in zip(round_times, machine))
    order = sorted(range(rounds), key=round_times.__getitem__)
    round_times.sort()
    best, median = round_times[0], round_times[len(round_times) // 2]
    row(f"best of {rounds} rounds", best, best)
    row(f"median of {rounds} rounds", median, median)
    per_set = t_warm / args.repeat * 1000
    print(f"\nper sample set (ms): total {per_set:.2f} = clean {warm['clean']/args.repeat*1000:.2f} + language {warm['language']/args.repeat*1000:.2f}")
    print("language stage steps per sample set (ms): " + ", ".join(f"{k} {v*1000:.2f}" for k, v in steps.items()))
    verdict = lambda rate: "met" if rate >= 200 else "not met"  # noqa: E731
    print(f"target 200 sets/s: best round {1 / best:.0f} ({verdict(1 / best)}), median round {1 / median:.0f} "
          f"({verdict(1 / median)}), all passes {sets_per_s:.0f} ({verdict(sets_per_s)}); every round does the same "
          f"work, so the spread between rounds is the load of the machine (gc off changes nothing)")
    ms = lambda i: f"{machine[i] * 1000:.0f}"  # noqa: E731
    adj = adjusted[len(adjusted) // 2]
    print(f"machine: the reference workload (1 M additions in a Python loop) took {min(machine)*1000:.0f}–"
          f"{max(machine)*1000:.0f} ms next to the rounds ({ms(order[0])} by the best, {ms(order[len(order) // 2])} "
          f"by the median); median round scaled to the fastest reference: {1 / adj:.0f} sets/s "
          f"({verdict(1 / adj)} at the machine's fastest in this run)")
    if prof:
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
