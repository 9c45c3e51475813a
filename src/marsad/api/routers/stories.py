"""Stories: articles about one happening, and the story view."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Path

from ...errors import Errors, MarsadError
from .. import queries as Q
from ..deps import COMMON, NOT_FOUND, Outlet, Page, Period, get_store

router = APIRouter(prefix="/api/stories", tags=["stories"], responses=COMMON)


@router.get("", summary="Stories (articles about one happening)")
def stories(period: Period = Depends(), page: Page = Depends(), outlet: Optional[str] = Outlet,
            store=Depends(get_store)):
    return Q.list_stories(store, period.lo, period.hi, outlet, page.limit, page.offset)


@router.get("/{story_id}", responses=NOT_FOUND,
            summary="Story view: sources, fused events, per-report events, figures by source, timeline")
def story(story_id: str = Path(..., min_length=1, max_length=200), store=Depends(get_store)):
    row = Q.story_detail(store, story_id)
    if row is None:
        raise MarsadError(Errors.E310, what="story", ident=story_id)
    return row
