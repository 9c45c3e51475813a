"""Clitic-aware Arabic full-text search."""

from __future__ import annotations

import pytest

from marsad.store.search import QueryError, _matches, compile_query
from marsad.language.normalize import normalize


def finds(query: str, text: str) -> bool:
    words, pattern = compile_query(query)
    return bool(_matches(pattern, words, normalize(text)))


@pytest.mark.parametrize("text", ["قصف على إدلب", "وإدلب", "بإدلب اليوم", "لإدلب", "وبإدلب", "فإدلب", "ادلب"])
def test_proclitics_match(text):
    assert finds("إدلب", text)


@pytest.mark.parametrize("query", ["وبإدلب", "بإدلب", "لإدلب"])
@pytest.mark.parametrize("text", ["قصف على إدلب", "وإدلب", "بإدلب اليوم"])
def test_proclitics_in_the_query_are_split_off(query, text):
    # a word copied from an article with its clitics finds the other forms of the word
    assert finds(query, text)


def test_query_splitting_keeps_whole_words():
    # the lexicon keeps words whose first letters only look like clitics
    assert not finds("بلدة", "ولده")
    assert finds("بلدة", "في البلدة")
    assert not finds("وبإدلب", "حرقة إدلبي")


@pytest.mark.parametrize("text", ["الرقة", "بالرقة", "وبالرقة", "للرقة", "وللرقة", "رقة", "والرقه"])
def test_article_and_lam_forms(text):
    assert finds("الرقة", text)
    assert finds("رقة", text)


@pytest.mark.parametrize("text", ["حرقة في القلب", "الرقتين", "مرقة", "إدلبي"])
def test_no_match_inside_other_words(text):
    assert not finds("الرقة", text)
    assert not finds("رقة", text)
    assert not finds("إدلب", text)


def test_all_words_are_required():
    assert finds("قصف إدلب", "وقصفت طائرات ... قصف في بإدلب")
    assert not finds("قصف حماة", "قصف في إدلب")


def test_diacritics_and_hamza_are_folded():
    assert finds("مدينة", "المَدِينَة")
    assert finds("أطفال", "والاطفال")


@pytest.mark.parametrize("q", ["", "!", "ا", "a"])
def test_empty_queries_rejected(q):
    with pytest.raises(QueryError):
        compile_query(q)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from marsad.api.app import create_app
    from marsad.api.fixtures import build_store

    path = tmp_path_factory.mktemp("search") / "s.duckdb"
    ids = build_store(str(path))
    return TestClient(create_app(str(path))), ids


def test_search_endpoint(client):
    c, ids = client
    r = c.get("/api/search", params={"q": "الرقة"}).json()
    assert [i["id"] for i in r["items"]] == [ids["articles"]["protest"]]  # not the article with «حرقة»
    item = r["items"][0]
    assert item["n_matches"] == 2
    snip = item["snippets"][0]
    assert all(snip["text"][a:b].endswith("الرقة") for a, b in snip["highlights"])
    r = c.get("/api/search", params={"q": "إدلب"}).json()
    assert {i["id"] for i in r["items"]} == {ids["articles"]["strike_a"], ids["articles"]["strike_b"]}
    for q in ("وبإدلب", "إِدْلِب", "بِإدلب"):  # clitics and diacritics in the query
        assert [i["id"] for i in c.get("/api/search", params={"q": q}).json()["items"]] == [
            i["id"] for i in r["items"]], q
    hits = [s["text"][a:b] for i in r["items"] for s in i["snippets"] for a, b in s["highlights"]]
    assert "بريف" not in " ".join(hits) and all(h.endswith("إدلب") for h in hits)
    # clitic form in the text: «بقصف» is found from «قصف»
    r = c.get("/api/search", params={"q": "قصف"}).json()
    assert ids["articles"]["strike_b"] in {i["id"] for i in r["items"]}
    # the highlight offsets point into the clean text even where normalisation changed it
    r = c.get("/api/search", params={"q": "الكهرباء"}).json()
    assert r["total"] == 1
    s = r["items"][0]["snippets"][0]
    assert [s["text"][a:b] for a, b in s["highlights"]][0] == "الكهرباء"


def test_search_filters_and_paging(client):
    c, ids = client
    assert c.get("/api/search", params={"q": "إدلب", "outlet": "الجزيرة"}).json()["total"] == 1
    assert c.get("/api/search", params={"q": "إدلب", "from": "2019-06-01"}).json()["total"] == 0
    page = c.get("/api/search", params={"q": "إدلب", "limit": 1, "offset": 1}).json()
    assert page["total"] == 2 and len(page["items"]) == 1
