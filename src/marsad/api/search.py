"""``/api/search`` runs the store's one full-text search (:mod:`marsad.store.search`); its names, re-exported."""

from ..store.search import QueryError, _matches, compile_query, search

__all__ = ["QueryError", "_matches", "compile_query", "search"]
