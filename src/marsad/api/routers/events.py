"""Events: a filtered list, and one event with its evidence."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Path, Query

from ...errors import Errors, MarsadError
from .. import queries as Q
from ..deps import COMMON, NOT_FOUND, EventQuery, Fused, Ident, Page, get_store

router = APIRouter(prefix="/api/events", tags=["events"], responses=COMMON)


@router.get("", summary="Events with places and sources")
def events(q: EventQuery = Depends(), page: Page = Depends(),
           admin1: Optional[str] = Query(None, max_length=100, description="Same as governorate."),
           fused: str = Fused, story: Optional[str] = Ident("Story"), article: Optional[str] = Ident("Article"),
           store=Depends(get_store)):
    flt = q.filter(store, fused, story, article, governorate=admin1)
    return Q.list_events(store, flt, page.limit, page.offset)


@router.get("/{event_id}", responses=NOT_FOUND,
            summary="One event with its evidence: offsets into the article's clean text and the text around it")
def event(event_id: str = Path(..., min_length=1, max_length=200), store=Depends(get_store)):
    row = Q.event_detail(store, event_id)
    if row is None:
        raise MarsadError(Errors.E310, what="event", ident=event_id)
    return row
