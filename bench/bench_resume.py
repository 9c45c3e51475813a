"""kill -9 probe: ingest killed at random moments and re-run ends equal to a clean run.

    python bench/bench_resume.py [--n 400] [--kills 3] [--modes sequential,workers2] [--seed 1]

For each mode (`marsad ingest` sequential, and `--workers 2`), a clean run stores a generated corpus of --n
articles with stories; then, --kills times, a fresh store is ingested, the process group is killed with SIGKILL
at a random moment (uniform between 30 % and 95 % of the clean run's wall time, so kills land in reading,
processing, storing or story flushing), and the same command is re-run to completion. The end state is compared
with the clean run's: the stored article ids, the story partition (which articles share a story), the fused
events (type and their source articles), and the saved repeated-line (chrome) model.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus(work: Path, n: int, seed: int) -> Path:
    from marsad.scale.corpus import write_corpus

    out = work / f"resume-corpus-{n}-{seed}"
    if not out.exists():
        write_corpus(n, out, fmt="jsonl", seed=seed)
    return out


def command(src: Path, store: str, mode: str) -> list:
    cmd = [sys.executable, "-m", "marsad.cli.main", "ingest", str(src), "--store", store]
    if mode == "workers2":
        cmd += ["--workers", "2"]
    return cmd


def run(cmd: list, kill_after: float | None = None) -> tuple[float, bool]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    try:
        proc.wait(timeout=kill_after)
        return time.perf_counter() - t, False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return time.perf_counter() - t, True


def canonical(value):
    """The saved model with its (key, value) pair lists read as mappings: the order they were saved in (the order
    outlets were first seen) is not part of the model."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list) and value and all(isinstance(x, list) and len(x) == 2 and isinstance(x[0], str)
                                                 for x in value):
        return {k: canonical(v) for k, v in value}
    return value


def state(store_url: str) -> dict:
    from marsad.store import open_store

    s = open_store(store_url)
    try:
        ids = sorted(r["id"] for r in s.query("SELECT id FROM articles"))
        groups: dict = {}
        for r in s.query("SELECT story_id, article_id FROM story_articles"):
            groups.setdefault(r["story_id"], set()).add(r["article_id"])
        stories = sorted(sorted(g) for g in groups.values())
        sources: dict = {}
        for r in s.query("SELECT event_id, article_id FROM event_sources"):
            sources.setdefault(r["event_id"], set()).add(r["article_id"])
        fused = sorted((r["type"] or "", sorted(sources.get(r["id"], ()))) for r in
                       s.query("SELECT id, type FROM events WHERE fused"))
        chrome = s.scalar("SELECT value FROM meta WHERE key = 'repeated_lines'")
        chrome = json.dumps(canonical(json.loads(chrome)), sort_keys=True) if chrome else None
    finally:
        s.close()
    return {"articles": ids, "stories": stories, "fused events": fused, "chrome model": chrome}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--kills", type=int, default=3)
    ap.add_argument("--modes", default="sequential,workers2")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    rng = random.Random(args.seed)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="marsad-resume-") as tmp:
        work = Path(tmp)
        src = corpus(work, args.n, args.seed)
        for mode in args.modes.split(","):
            clean_url = str(work / f"clean-{mode}.duckdb")
            wall, _ = run(command(src, clean_url, mode))
            ref = state(clean_url)
            print(f"{mode}: clean run {wall:.1f} s, {len(ref['articles'])} articles, {len(ref['stories'])} stories, "
                  f"{len(ref['fused events'])} fused events")
            for k in range(args.kills):
                url = str(work / f"killed-{mode}-{k}.duckdb")
                at = rng.uniform(0.3, 0.95) * wall
                _, killed = run(command(src, url, mode), kill_after=at)
                mid = len(state(url)["articles"]) if Path(url).exists() else 0
                run(command(src, url, mode))
                got = state(url)
                diffs = [key for key in ref if got[key] != ref[key]]
                failed += bool(diffs)
                print(f"  kill at {at:.1f} s ({'killed' if killed else 'finished first'}; {mid} stored) → re-run: "
                      + ("equal to the clean run" if not diffs else "DIFFERS in " + ", ".join(diffs)))
    print("OK" if not failed else f"FAILED: {failed} re-runs differ")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
