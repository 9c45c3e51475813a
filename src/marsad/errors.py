"""The messages marsad shows its users, each with a stable code (in the manner of spaCy's ``errors.py``).

``Errors.E001`` reads as ``"[E001] unknown pipeline stage …"``: the code stays when the wording changes, so a
script, a log search or an API client can rely on it. Codes are never reused. Ranges: E0xx pipeline and
stages, E1xx input and readers, E2xx store, E3xx API, E4xx command line; W… warnings and N… notes (summary and
status lines) likewise.

Each message is a :class:`Message`: a ``str`` (``"[E301] {name}: {value!r} is not a date…"``, so
``Errors.E301.format(...)`` gives the coded line) that also knows its ``code``, its ``text`` without the code,
and how the HTTP API answers it (``kind`` and ``status``)::

    raise MarsadError(Errors.E301, name="from", value="yesterday")
    # str(exc) == "[E301] from: 'yesterday' is not a date; …" (what the CLI prints);
    # the API answers 400 {"error": "bad_request", "code": "E301", "message": "from: 'yesterday' is not a date; …"}
    print(Notes.N401.format(store="duckdb file marsad.duckdb", url="http://127.0.0.1:8765/"))
"""

from __future__ import annotations

from typing import Any, Optional


class Message(str):
    """A coded message template: the ``str`` is ``[CODE] text``."""

    code: str
    text: str
    kind: str
    status: int

    def __new__(cls, text: str, kind: str = "error", status: int = 400, code: str = ""):
        self = super().__new__(cls, f"[{code}] {text}" if code else text)
        self.code, self.text, self.kind, self.status = code, text, kind, status
        return self

    def __call__(self, **fields: Any) -> str:
        """The text with its fields filled in, without the code (as the API's ``message`` gives it)."""
        return self.text.format(**fields) if fields else self.text


class _Coded(type):
    """Class attributes named E### / W### / N### become :class:`Message` s carrying that code; a code defined
    twice is refused."""

    _seen: dict[str, str] = {}

    def __new__(mcs, name, bases, ns):
        for attr, value in list(ns.items()):
            if len(attr) == 4 and attr[0] in "EWN" and attr[1:].isdigit() and isinstance(value, str):
                if attr in mcs._seen:
                    raise TypeError(f"message code {attr} defined twice ({mcs._seen[attr]} and {name})")
                mcs._seen[attr] = name
                m = value if isinstance(value, Message) else Message(value)
                ns[attr] = Message(m.text, m.kind, m.status, attr)
        return super().__new__(mcs, name, bases, ns)

    def __iter__(cls):
        return (v for v in vars(cls).values() if isinstance(v, Message))


class Errors(metaclass=_Coded):
    # pipeline and stages
    E001 = "unknown pipeline stage {name!r}; known stages: {known}"
    E002 = "stage {name!r} requires {missing}, which no stage before it assigns (pipeline: {names})"
    E003 = "stage {name!r} has no setting {key!r}; its settings: {known}"
    E004 = "a stage named {name!r} is registered already"
    E005 = "settings were given for {names}, which the pipeline does not run (pipeline: {pipeline})"
    # store
    E201 = Message("store busy: an ingest is writing to it; retry in a few seconds", "store_busy", 503)
    E202 = Message("cannot open the store ({store}): {reason}", "store_error", 503)
    # API (and the request checks the CLI may share: dates, types, governorates)
    E300 = Message("{detail}", "bad_request")  # a parameter outside its type or range, in the validator's words
    E301 = Message("{name}: {value!r} is not a date; use YYYY-MM-DD (or YYYY-MM, YYYY)", "bad_request")
    E302 = Message("{name}: {value!r} is not a valid calendar date", "bad_request")
    E303 = Message("from ({lo}) is after to ({hi})", "bad_request")
    E304 = Message("type: {value!r} is not a PLOVER event type; use one of {allowed}", "bad_request")
    E305 = Message("governorate: {value!r} is not a Syrian governorate; use an Arabic or English name or a p-code "
                   "(e.g. {examples})", "bad_request")
    E306 = Message("q: give at least one word of two letters or more", "bad_request")
    E307 = Message("q: at most {n} words", "bad_request")
    E308 = Message("Host header {host!r} is not a name of this server; allowed: {allowed} (add names with "
                   "marsad serve --allow-host)", "bad_host")
    E309 = Message("{detail}", "method_not_allowed", 405)
    E310 = Message("no {what} with id {ident!r}", "not_found", 404)
    E311 = Message("no API endpoint /api/{rest}; see /api/openapi.json", "not_found", 404)
    E312 = Message("{detail}", "not_found", 404)  # a path outside the API (a missing static file)
    E313 = Message("{detail}", "unavailable", 503)  # a view the store cannot give now
    E390 = Message("{exc} while serving {path}", "internal_error", 500)


class Warnings(metaclass=_Coded):
    W201 = Message("store {store} is in use by another process; waiting for it…", "warning", 200)


class Notes(metaclass=_Coded):
    N401 = Message("serving {store} at {url}  (API: /api/openapi.json, docs: /docs)", "note", 200)
    N402 = Message("listening on every address of this machine; requests must name it as one of: {allowed}",
                   "note", 200)


class MarsadError(Exception):
    """An error whose message starts with its code (``[E001] …``); ``code`` holds the code alone.

    Raised with a coded string (``MarsadError(Errors.E001.format(...))``) or with a :class:`Message` and its fields
    (``MarsadError(Errors.E301, name=…, value=…)``); ``text`` is the message without its code, ``kind`` and
    ``status`` how the API answers it."""

    def __init__(self, message: str, **fields: Any):
        spec: Optional[Message] = message if isinstance(message, Message) and message.code else None
        if spec is not None:
            self.code, self.text = spec.code, spec(**fields)
            self.kind, self.status = spec.kind, spec.status
            message = f"[{spec.code}] {self.text}"
        else:
            coded = message.startswith("[") and message[5:6] == "]"
            self.code = message[1:5] if coded else None
            self.text = message[7:] if coded else message
            found = next((m for m in all_messages() if m.code == self.code), None)
            self.kind, self.status = (found.kind, found.status) if found else ("error", 400)
        self.fields = fields
        super().__init__(message)

    def body(self) -> dict:
        """The API's error body."""
        return {"error": self.kind, "code": self.code, "message": self.text}


class PipelineError(MarsadError, ValueError):
    """A pipeline that cannot be built: an unknown stage, a missing requirement, an unknown setting."""


class RequestError(MarsadError, ValueError):
    """A request or argument the user can fix: a bad date, an unknown type or governorate (the API's 400)."""


def all_messages() -> list[Message]:
    return [*Errors, *Warnings, *Notes]


__all__ = ["Errors", "MarsadError", "Message", "Notes", "PipelineError", "RequestError", "Warnings",
           "all_messages"]
