"""Places and entities across articles."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query

from .. import queries as Q
from ..deps import COMMON, Governorate, Ident, Page, get_store, governorate_values

router = APIRouter(prefix="/api", responses=COMMON)


@router.get("/entities", tags=["entities"], summary="Actors, people and organisations across articles")
def entities(page: Page = Depends(), q: Optional[str] = Query(None, max_length=200),
             label: Optional[str] = Query(None, max_length=20), article: Optional[str] = Ident("Article"),
             store=Depends(get_store)):
    return Q.list_entities(store, q, label, article, page.limit, page.offset)


@router.get("/places", tags=["places"], summary="Resolved places across articles")
def places(page: Page = Depends(), q: Optional[str] = Query(None, max_length=200),
           governorate: Optional[str] = Governorate, article: Optional[str] = Ident("Article"),
           store=Depends(get_store)):
    return Q.list_places(store, q, governorate_values(store, governorate), article, page.limit, page.offset)
