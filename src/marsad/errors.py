"""The messages marsad shows its users, each with a stable code (in the manner of spaCy's ``errors.py``).

``Errors.E001`` reads as ``"[E001] unknown pipeline stage …"``: the code stays when the wording changes, so a
script, a log search or an API client can rely on it. Codes are never reused. Ranges: E0xx pipeline and
stages, E1xx input and readers, E2xx store, E3xx API, E4xx command line; W… warnings likewise.
"""

from __future__ import annotations


class _Coded(type):
    """Class attributes named E### / W### read as their message prefixed with the code."""

    def __getattribute__(cls, name):
        message = super().__getattribute__(name)
        if len(name) == 4 and name[0] in "EW" and name[1:].isdigit():
            return f"[{name}] {message}"
        return message


class Errors(metaclass=_Coded):
    # pipeline and stages
    E001 = "unknown pipeline stage {name!r}; known stages: {known}"
    E002 = "stage {name!r} requires {missing}, which no stage before it assigns (pipeline: {names})"
    E003 = "stage {name!r} has no setting {key!r}; its settings: {known}"
    E004 = "a stage named {name!r} is registered already"
    E005 = "settings were given for {names}, which the pipeline does not run (pipeline: {pipeline})"


class Warnings(metaclass=_Coded):
    pass


class MarsadError(Exception):
    """An error whose message starts with its code (``[E001] …``); ``code`` holds the code alone."""

    def __init__(self, message: str):
        super().__init__(message)
        self.code = message[1:5] if message.startswith("[") and message[5:6] == "]" else None


class PipelineError(MarsadError, ValueError):
    """A pipeline that cannot be built: an unknown stage, a missing requirement, an unknown setting."""


__all__ = ["Errors", "MarsadError", "PipelineError", "Warnings"]
