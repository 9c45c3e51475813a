"""Figures: reported counts with their reporter and evidence."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query

from .. import queries as Q
from ..deps import COMMON, Governorate, Ident, Outlet, Page, Period, get_store, governorate_values

router = APIRouter(prefix="/api/figures", tags=["figures"], responses=COMMON)


@router.get("", summary="Reported counts with their reporter and evidence")
def figures(period: Period = Depends(), page: Page = Depends(),
            kind: Optional[str] = Query(None, max_length=50, description="killed, injured, displaced…"),
            reporter: Optional[str] = Query(None, max_length=200,
                                            description="Words of the reporter's code or name (% and _ literal)."),
            outlet: Optional[str] = Outlet, article: Optional[str] = Ident("Article"),
            story: Optional[str] = Ident("Story"),
            place: Optional[str] = Query(None, max_length=200, description="Place id or name the figure is for."),
            governorate: Optional[str] = Governorate, store=Depends(get_store)):
    return Q.list_figures(store, period.lo, period.hi, kind, reporter, outlet, article, story, page.limit,
                          page.offset, place=place or None, admin1=governorate_values(store, governorate))
