"""One search: the store's ``search`` and ``/api/search`` are the same engine (marsad.store.search)."""

from __future__ import annotations

import pytest

pytest.importorskip("httpx", reason="the FastAPI test client needs httpx (test extra)")
from fastapi.testclient import TestClient  # noqa: E402

from marsad.api.app import create_app  # noqa: E402
from marsad.api.fixtures import build_store  # noqa: E402
from marsad.store import open_store  # noqa: E402
from marsad.store.search import _matches, compile_query  # noqa: E402
from marsad.language.normalize import normalize  # noqa: E402


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("one_search") / "s.duckdb")
    build_store(path)
    return TestClient(create_app(path)), path


@pytest.mark.parametrize("q", ["إدلب", "وبإدلب", "الرقة", "قصف", "مدنيين", "الكهرباء", "قصف إدلب", "حلب"])
def test_store_and_api_find_the_same_articles_in_the_same_order(both, q):
    client, path = both
    api = [i["id"] for i in client.get("/api/search", params={"q": q, "limit": 100}).json()["items"]]
    store = open_store(path, read_only=True)
    try:
        hits = store.search(q, limit=100)
    finally:
        store.close()
    assert [h["id"] for h in hits] == api
    for h in hits:
        assert h["score"] >= 1 and h["snippet"]


def finds(q: str, text: str) -> bool:
    groups, pattern = compile_query(q)
    return bool(_matches(pattern, groups, normalize(text)))


def test_pronouns_and_ta_marbuta_before_them():
    assert finds("المدينة", "في مدينتها") and finds("قوات", "وقواته") and finds("الرقة", "رقتهم")
    # endings that make another word are not clitics
    assert not finds("الرقة", "الرقتين") and not finds("إدلب", "إدلبي") and not finds("عائلة", "العائلات")
