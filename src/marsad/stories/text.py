"""Text features for stories: normalised words, word shingles, MinHash signatures, hashing vectors.

Everything compares the match form of the clean text (``marsad.language.normalize.normalize``), so spelling
variants (أ/ا, ة/ه, diacritics, Arabic-Indic digits) do not hide a copy.
"""

from __future__ import annotations

import base64
import re
import zlib
from typing import Iterable, Optional

import numpy as np

from ..language.normalize import normalize

_WORD = re.compile(r"\w+")
# MinHash permutations are fixed by the seed, so signatures stored in the state stay comparable.
MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"  # datasketch >= 2: the permutation scheme must be named to reuse values


def words(text: str) -> list[str]:
    """Normalised word tokens of ``text`` (letters and digits; punctuation dropped)."""
    return _WORD.findall(normalize(text))


def shingles(tokens: list[str], k: int = 3) -> set[bytes]:
    """Distinct word k-shingles as bytes (what MinHash hashes); short texts give one shingle per word."""
    if len(tokens) < k:
        return {t.encode("utf-8") for t in tokens}
    return {" ".join(tokens[i:i + k]).encode("utf-8") for i in range(len(tokens) - k + 1)}


class MinHasher:
    """MinHash signatures of shingle sets, via datasketch (fixed seed and permutation count)."""

    def __init__(self, num_perm: int = 64):
        from datasketch import MinHash

        self.num_perm = num_perm
        self._proto = MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme=MINHASH_SCHEME)

    def signature(self, shingle_set: Iterable[bytes]):
        from datasketch import MinHash

        m = MinHash(num_perm=self.num_perm, seed=MINHASH_SEED, permutations=self._proto.permutations,
                    scheme=MINHASH_SCHEME)
        items = list(shingle_set)
        if items:
            m.update_batch(items)
        return m

    def from_values(self, values: np.ndarray):
        from datasketch import MinHash

        return MinHash(num_perm=self.num_perm, seed=MINHASH_SEED, hashvalues=values,
                       permutations=self._proto.permutations, scheme=MINHASH_SCHEME)


def pack_u32(values: np.ndarray) -> str:
    return base64.b64encode(np.asarray(values, dtype=np.uint32).tobytes()).decode("ascii")


def unpack_u32(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=np.uint32).astype(np.uint64)


def pack_f32(values: np.ndarray) -> str:
    return base64.b64encode(np.asarray(values, dtype=np.float32).tobytes()).decode("ascii")


def unpack_f32(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=np.float32).copy()


def hashing_vector(tokens: list[str], dim: int = 512, min_len: int = 3,
                   stop: Optional[frozenset] = None) -> np.ndarray:
    """Signed feature-hashing bag of words (sublinear tf), L2-normalised. No vocabulary, no fitting."""
    counts: dict[int, float] = {}
    for t in tokens:
        if len(t) < min_len or t.isdigit() or (stop and t in stop):
            continue
        h = zlib.crc32(t.encode("utf-8"))
        idx = h % dim
        sign = 1.0 if (h >> 31) & 1 else -1.0
        counts[idx] = counts.get(idx, 0.0) + sign
    v = np.zeros(dim, dtype=np.float32)
    if counts:
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        val = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        v[idx] = np.sign(val) * (1.0 + np.log(np.maximum(np.abs(val), 1.0)))
        n = float(np.linalg.norm(v))
        if n:
            v /= n
    return v
