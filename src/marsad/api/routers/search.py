"""Full-text search (the store's one search, :mod:`marsad.store.search`)."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query

from ...store.search import search as run_search
from ..deps import COMMON, Outlet, Period, SearchPage, get_store

router = APIRouter(prefix="/api", tags=["search"], responses=COMMON)


@router.get("/search",
            summary="Full-text search of the Arabic text (normalised, clitic-aware: وبإدلب matches إدلب)")
def search(q: str = Query(..., min_length=1, max_length=200), period: Period = Depends(),
           page: SearchPage = Depends(), outlet: Optional[str] = Outlet, store=Depends(get_store)):
    return run_search(store, q, page.limit, page.offset, period.lo, period.hi, outlet)
