"""The Arabic language layer: normalisation, cleaning, sentences, tokens, numbers and dates.

Stages (registered in :mod:`marsad.language.stages`): ``clean`` and ``language``.
Public helpers: :func:`normalize`, :func:`parse_number`, :func:`infer_publication_date`, :func:`strip_al`.
"""

from .normalize import normalize, normalize_with_map, normalize_word  # noqa: F401


def __getattr__(name):  # lazy: keep ``import marsad.language`` cheap
    if name == "parse_number":
        from .numbers import parse_number

        return parse_number
    if name == "infer_publication_date":
        from .dates import infer_publication_date

        return infer_publication_date
    if name == "strip_al":
        from .forms import strip_article

        return strip_article
    if name == "RepeatedLineModel":
        from .clean import RepeatedLineModel

        return RepeatedLineModel
    raise AttributeError(name)
