"""A pipeline of small stages over one Document, in the manner of spaCy's components.

A stage is any callable ``stage(doc) -> doc`` with a ``name``; it reads the document, adds spans or records,
and knows nothing of the stages after it. Stage factories are registered with :func:`factory`, which declares
what the stage ``requires`` of the document (attributes an earlier stage assigns), what it ``assigns``, and its
settings (``default_config``, the keyword arguments of the factory). Building a pipeline checks all three: an
unknown stage, a requirement no earlier stage assigns, or an unknown setting is an error naming it.
Corpus-level work (stories, storing) happens after the per-document stages, in the run path (``marsad.ingest``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Optional, Protocol

from .errors import Errors, PipelineError
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


@dataclass(frozen=True)
class StageInfo:
    """What the registry knows of a stage: its factory and its declarations."""

    name: str
    factory: Callable[..., Any]
    requires: tuple = ()
    assigns: tuple = ()
    default_config: Mapping[str, Any] = field(default_factory=dict)


_REGISTRY: dict[str, StageInfo] = {}

# The order of the default pipeline.
DEFAULT_STAGES = ["clean", "language", "entities", "places", "events", "context_actors", "figures"]

# The modules that register the built-in stages (each registers its stages on import).
_BUILTIN_MODULES = (
    "marsad.language.stages",
    "marsad.entities.stages",
    "marsad.places.stages",
    "marsad.events.stages",
    "marsad.events.context",
    "marsad.figures.stages",
)


def factory(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = (),
            default_config: Optional[Mapping[str, Any]] = None):
    """Decorator: register a stage factory under ``name``. ``requires`` / ``assigns`` name Document attributes
    (``clean_text``, ``sentences``, ``tokens``, ``numbers``, ``dates``, ``published``, ``mentions``, ``entities``,
    ``places``, ``events``, ``figures``); ``default_config`` holds the factory's keyword settings and their
    defaults. The factory builds the stage once, loading its data."""

    def deco(fn: Callable[..., Any]):
        if name in _REGISTRY and _REGISTRY[name].factory is not fn:
            raise PipelineError(Errors.E004.format(name=name))
        _REGISTRY[name] = StageInfo(name, fn, tuple(requires), tuple(assigns), dict(default_config or {}))
        return fn

    return deco


def _load_builtin_stages() -> None:
    import importlib

    for module in _BUILTIN_MODULES:
        importlib.import_module(module)


def stage_info(name: str) -> StageInfo:
    if name not in _REGISTRY:
        _load_builtin_stages()
    info = _REGISTRY.get(name)
    if info is None:
        raise PipelineError(Errors.E001.format(name=name, known=", ".join(sorted(_REGISTRY))))
    return info


def make_stage(name: str, config: Optional[Mapping[str, Any]] = None) -> Stage:
    """Build the stage registered as ``name`` with ``config`` (settings of its ``default_config``)."""
    info = stage_info(name)
    settings = dict(info.default_config)
    for key, value in (config or {}).items():
        if key not in info.default_config:
            known = ", ".join(sorted(info.default_config)) or "none"
            raise PipelineError(Errors.E003.format(name=name, key=key, known=known))
        settings[key] = value
    stage = info.factory(**settings)
    if not hasattr(stage, "name"):
        stage = FunctionStage(name, stage)  # type: ignore[arg-type]
    return stage


def check_requirements(names: list[str]) -> None:
    """Every stage's requirements are assigned by a stage before it (raises PipelineError naming the first gap)."""
    have: set = set()
    for name in names:
        info = stage_info(name)
        missing = [r for r in info.requires if r not in have]
        if missing:
            raise PipelineError(Errors.E002.format(name=name, missing=", ".join(missing), names=", ".join(names)))
        have.update(info.assigns)


class Pipeline:
    def __init__(self, stages: Iterable[Stage]):
        self.stages = list(stages)

    @classmethod
    def default(cls, names: Optional[Iterable[str]] = None,
                config: Optional[Mapping[str, Mapping[str, Any]]] = None) -> "Pipeline":
        """The registered stages ``names`` (the default pipeline when None), in order, with per-stage settings
        ``config`` (``{"language": {"splitter": "farahidi"}}``); requirements are checked first."""
        wanted = list(names) if names is not None else list(DEFAULT_STAGES)
        check_requirements(wanted)
        config = dict(config or {})
        extra = [n for n in config if n not in wanted]
        if extra:
            raise PipelineError(Errors.E005.format(names=", ".join(extra), pipeline=", ".join(wanted)))
        return cls(make_stage(n, config.get(n)) for n in wanted)

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


__all__ = ["DEFAULT_STAGES", "FunctionStage", "Pipeline", "Stage", "StageInfo", "check_requirements", "factory",
           "make_stage", "stage_info"]
