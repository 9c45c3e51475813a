"""A pipeline of small stages over one Document, in the manner of spaCy's components.

A stage is any callable ``stage(doc) -> doc`` with a ``name``; it reads the document, adds spans or records,
and knows nothing of the stages after it. Corpus-level work (stories, storing) happens after the per-document
stages, in ``marsad.ingest``.
"""

from __future__ import annotations

import time
from typing import Callable, Iterable, Optional, Protocol

from .model import Document


class Stage(Protocol):
    name: str

    def __call__(self, doc: Document) -> Document: ...


class FunctionStage:
    """Wraps a plain function as a named stage."""

    def __init__(self, name: str, fn: Callable[[Document], Optional[Document]]):
        self.name = name
        self.fn = fn

    def __call__(self, doc: Document) -> Document:
        out = self.fn(doc)
        return doc if out is None else out

    def __repr__(self) -> str:
        return f"Stage({self.name})"


_REGISTRY: dict[str, Callable[[], Stage]] = {}


def register(name: str):
    """Decorator: register a stage factory under ``name`` (the factory builds the stage once, loading data)."""

    def deco(factory: Callable[[], object]):
        _REGISTRY[name] = factory
        return factory

    return deco


def make_stage(name: str) -> Stage:
    if name not in _REGISTRY:
        _load_builtin_stages()
    if name not in _REGISTRY:
        raise KeyError(f"unknown pipeline stage {name!r}; known: {', '.join(sorted(_REGISTRY))}")
    stage = _REGISTRY[name]()
    if not hasattr(stage, "name"):
        stage = FunctionStage(name, stage)  # type: ignore[arg-type]
    return stage


# The order of the default pipeline; a stage missing from the registry is skipped with a note.
DEFAULT_STAGES = ["clean", "language", "entities", "places", "events", "figures"]


def _load_builtin_stages() -> None:
    """Import the modules that register stages (each registers itself on import)."""
    import importlib

    for module in (
        "marsad.language.stages",
        "marsad.entities.stages",
        "marsad.places.stages",
        "marsad.events.stages",
        "marsad.figures.stages",
    ):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:  # a layer not built yet
            if exc.name != module:
                raise


class Pipeline:
    def __init__(self, stages: Iterable[Stage]):
        self.stages = list(stages)

    @classmethod
    def default(cls, names: Optional[Iterable[str]] = None) -> "Pipeline":
        _load_builtin_stages()
        wanted = list(names) if names is not None else DEFAULT_STAGES
        return cls(make_stage(n) for n in wanted if n in _REGISTRY or names is not None)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document) -> Document:
        for stage in self.stages:
            t0 = time.perf_counter()
            doc = stage(doc)
            doc.timings[stage.name] = doc.timings.get(stage.name, 0.0) + time.perf_counter() - t0
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterable[Document]:
        for doc in docs:
            yield self(doc)
