"""Health and the values of the filter menus."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from .. import queries as Q
from ..deps import COMMON, get_store
from ..params import PLOVER_TYPES, governorates

router = APIRouter(prefix="/api", tags=["meta"], responses=COMMON)


@router.get("/health", summary="Store kind, database name and statistics (never the store's URL)")
def health(request: Request, store=Depends(get_store)):
    return {"ok": True, "store": request.app.state.provider.describe(), **store.stats()}


@router.get("/facets", summary="Values for filter menus: outlets, types, governorates")
def facets(store=Depends(get_store)):
    out = Q.facets(store)
    out["plover_types"] = list(PLOVER_TYPES)
    out["governorates"] = [{k: g[k] for k in ("pcode", "name_ar", "name_en")} for g in governorates()]
    return out
