"""Articles: a list, and one article with every layer."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Path, Query

from ...errors import Errors, MarsadError
from .. import queries as Q
from ..deps import COMMON, NOT_FOUND, Outlet, Page, Period, get_store

router = APIRouter(prefix="/api/articles", tags=["articles"], responses=COMMON)


@router.get("", summary="Articles, newest first")
def articles(period: Period = Depends(), page: Page = Depends(), outlet: Optional[str] = Outlet,
             store=Depends(get_store)):
    return Q.list_articles(store, period.lo, period.hi, outlet, page.limit, page.offset)


@router.get("/{article_id}", summary="One article: clean text and every layer", responses=NOT_FOUND)
def article(article_id: str = Path(..., min_length=1, max_length=200),
            tokens: bool = Query(False, description="Include tokens."),
            raw: bool = Query(False, description="Include the raw text."), store=Depends(get_store)):
    row = Q.article_detail(store, article_id, tokens=tokens, raw=raw)
    if row is None:
        raise MarsadError(Errors.E310, what="article", ident=article_id)
    return row
