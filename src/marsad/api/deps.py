"""What the API's routers share: the store dependency, the query parameters every list takes (as class
dependencies: :class:`Period`, :class:`Page`, :class:`EventQuery`) and the error responses the spec lists.

A class dependency validates when FastAPI builds it: a bad date or type raises a coded
:class:`marsad.errors.MarsadError`, which the app answers with its status (400) and ``{error, code, message}``.
"""

from __future__ import annotations

from typing import Iterator, Optional

from fastapi import Depends, Query, Request
from pydantic import BaseModel

from ..errors import Errors, MarsadError
from ..store.base import SQLStore
from . import queries as Q
from .db import StoreBusy
from .params import MAX_LIMIT, PLOVER_TYPES, admin1_aliases, date_range, event_types


class ErrorBody(BaseModel):
    error: str
    code: str
    message: str


def _resp(text: str) -> dict:
    return {"model": ErrorBody, "description": text}


BAD_REQUEST = {400: _resp("A parameter is missing, malformed or out of range; the message says what to send.")}
NOT_FOUND = {404: _resp("No record with that id.")}
UNAVAILABLE = {503: _resp("The store is held by a running ingest (store_busy, with Retry-After) or cannot "
                          "serve this view.")}
COMMON = {**BAD_REQUEST, **UNAVAILABLE}  # every route over the store


def get_store(request: Request) -> Iterator[SQLStore]:
    """A store for one request: its own read connection (see :mod:`marsad.api.db`)."""
    try:
        with request.app.state.provider.open() as store:
            yield store
    except StoreBusy:
        raise MarsadError(Errors.E201) from None


# shared query parameters -------------------------------------------------------------------------------------
ACTOR_HELP = ("Actor or recipient: a code (RUS also selects RUS.MIL, RUS.GOV.putin…), a canonical name (Putin, "
              "بوتين) or words read in the article.")
FUSED_HELP = ("report: one event per article (default); fused: events fused across outlets by story; all: both.")


def Limit(default: int = 100):
    return Query(default, ge=1, le=MAX_LIMIT, description=f"Page size, 1–{MAX_LIMIT}.")


Offset = Query(0, ge=0, le=10_000_000, description="Rows to skip.")
Outlet = Query(None, description="Outlet name exactly as stored (see /api/facets).", max_length=200)
Governorate = Query(None, description="Governorate (admin1): Arabic or English name, alias or OCHA p-code.",
                    max_length=100)


def Ident(what: str):
    return Query(None, max_length=200, description=f"{what} id.")


class Period:
    """``from`` / ``to``: a day, month or year each (a month or year as ``to`` means its last day)."""

    def __init__(self,
                 date_from: Optional[str] = Query(None, alias="from", max_length=10,
                                                  description="First day, YYYY-MM-DD (YYYY-MM and YYYY also "
                                                              "accepted)."),
                 date_to: Optional[str] = Query(None, alias="to", max_length=10,
                                                description="Last day (inclusive), YYYY-MM-DD.")):
        self.lo, self.hi = date_range(date_from, date_to)


class Page:
    """``limit`` / ``offset`` of a list."""

    def __init__(self, limit: int = Limit(), offset: int = Offset):
        self.limit, self.offset = limit, offset


class SearchPage(Page):
    def __init__(self, limit: int = Limit(20), offset: int = Offset):
        super().__init__(limit, offset)


class EventQuery:
    """The event filters of ``/api/events`` and the exports: period, type, actor, place, governorate, outlet."""

    def __init__(self,
                 period: Period = Depends(),
                 type: Optional[str] = Query(None, max_length=300,
                                             description="PLOVER event type(s), comma-separated: "
                                                         + ", ".join(PLOVER_TYPES) + "."),
                 actor: Optional[str] = Query(None, max_length=200, description=ACTOR_HELP),
                 place: Optional[str] = Query(None, max_length=200, description="Place id or name."),
                 governorate: Optional[str] = Governorate,
                 outlet: Optional[str] = Outlet):
        self.lo, self.hi = period.lo, period.hi
        self.types = event_types(type)
        self.actor, self.place, self.outlet = actor or None, place or None, outlet or None
        self.governorate = governorate

    def filter(self, store: SQLStore, fused: str = "report", story: Optional[str] = None,
               article: Optional[str] = None, governorate: Optional[str] = None) -> Q.EventFilter:
        f = Q.EventFilter(date_from=self.lo, date_to=self.hi, types=self.types, actor=self.actor, place=self.place,
                          outlet=self.outlet, story_id=story, article_id=article)
        f.fused = {"report": False, "fused": True, "all": None}[fused]
        gov = self.governorate or governorate
        if gov:
            f.admin1 = admin1_aliases(gov, Q.known_admin1(store))
        return f


Fused = Query("report", pattern="^(report|fused|all)$", description=FUSED_HELP)


def governorate_values(store: SQLStore, governorate: Optional[str]) -> list[str]:
    return admin1_aliases(governorate, Q.known_admin1(store)) if governorate else []
