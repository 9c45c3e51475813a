"""marsad (مرصد): Arabic news to conflict event data.

``marsad.analyze(text or Article) -> Document`` analyses one article without a store (the run path of
``marsad ingest``, see :mod:`marsad.run`)."""

__version__ = "0.1.0"


def analyze(item, **kwargs):
    """Analyse one article (a text, an Article or a Document) without a store → a Document with every layer.
    Keywords: title, outlet, url, published (ISO), reference_date (ISO), stages, config, pipeline; see
    :func:`marsad.run.analyze`."""
    from .run import analyze as _analyze

    return _analyze(item, **kwargs)


__all__ = ["analyze", "__version__"]
