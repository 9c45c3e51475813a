"""The HTTP API over a store filled with hand-made documents (marsad.api.fixtures): lists, details, filters,
story view, exports, headers."""

from __future__ import annotations

import csv
import io
import json

import pytest

pytest.importorskip("httpx", reason="the FastAPI test client needs httpx (test extra)")
from fastapi.testclient import TestClient  # noqa: E402

from marsad.api.app import create_app  # noqa: E402
from marsad.api.fixtures import build_store  # noqa: E402


@pytest.fixture(scope="module")
def fx(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "api.duckdb"
    ids = build_store(str(path))
    client = TestClient(create_app(str(path)))
    return client, ids


def ev_ids(resp) -> set:
    assert resp.status_code == 200, resp.text
    return {e["id"] for e in resp.json()["items"]}


def test_openapi_lists_every_endpoint(fx):
    client, _ = fx
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/events", "/api/events/{event_id}",
                 "/api/figures", "/api/stories", "/api/stories/{story_id}", "/api/entities", "/api/places",
                 "/api/search", "/api/export/acled.csv", "/api/export/events.geojson", "/api/export/events.jsonl"):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"from", "to", "type", "actor", "governorate", "outlet", "limit", "offset"} <= params


def test_events_default_to_one_per_report_with_places_and_sources(fx):
    client, ids = fx
    body = client.get("/api/events").json()
    assert body["total"] == 6 and body["offset"] == 0 and body["limit"] == 100
    ev = next(e for e in body["items"] if e["id"] == "ev-strike-a")
    assert ev["places"][0]["name"] == "كفرنبل" and ev["places"][0]["lat"] == pytest.approx(35.6133)
    # the store keeps the gazetteer's spelling; the API adds the governorate's p-code and names in both languages
    assert ev["places"][0]["admin1"] == "Idleb"
    assert (ev["places"][0]["admin1_pcode"], ev["places"][0]["admin1_ar"], ev["places"][0]["admin1_en"]) == (
        "SY07", "إدلب", "Idleb")
    # actors come with their canonical names, not only their codes
    assert (ev["actor"], ev["actor_name"], ev["actor_name_en"]) == ("RUS.MIL", "القوات الروسية", "Russian armed forces")
    assert [s["article_id"] for s in ev["sources"]] == [ids["articles"]["strike_a"]]
    assert ev["outlet"] == "عنب بلدي"
    fused = client.get("/api/events", params={"fused": "fused"}).json()
    assert [e["id"] for e in fused["items"]] == ["fev-kafranbel"]
    assert len(fused["items"][0]["sources"]) == 2
    assert client.get("/api/events", params={"fused": "all"}).json()["total"] == 7


def test_event_filters(fx):
    client, ids = fx
    g = lambda **p: ev_ids(client.get("/api/events", params=p))  # noqa: E731
    assert g(type="ASSAULT") == {"ev-strike-a", "ev-strike-b", "ev-xss"}
    assert g(type="protest,aid") == {"ev-protest", "ev-aid"}  # case-insensitive, comma list
    assert g(type="THREATEN") == set()
    assert g(**{"from": "2019-06-01", "to": "2019-06-10"}) == {"ev-protest", "ev-demand", "ev-aid"}
    assert g(**{"from": "2019-06"}) == {"ev-protest", "ev-demand", "ev-aid", "ev-xss"}
    assert g(to="2019-05") == {"ev-strike-a", "ev-strike-b"}  # a month as "to" means its last day
    for name in ("Idlib", "Idleb", "إدلب", "ادلب", "SY07", "محافظة إدلب"):
        assert g(governorate=name) == {"ev-strike-a", "ev-strike-b"}, name
    assert g(admin1="Aleppo") == {"ev-aid"}
    assert g(governorate="Hama") == set()  # a real governorate with no events
    assert g(outlet="سانا") == {"ev-protest", "ev-demand"}
    assert g(outlet="nobody") == set()
    assert g(actor="طائرات") == {"ev-strike-a"}  # the words read in the article
    assert g(actor="RUS.MIL") == g(actor="rus.mil") == {"ev-strike-a"}  # the code
    assert g(actor="RUS") == {"ev-strike-a"}  # a code selects the codes under it
    assert g(actor="RUS.MI") == set()  # … but not codes that merely start with the same letters
    assert g(actor="Russian armed") == g(actor="القوات الروسية") == {"ev-strike-a"}  # the actor's canonical names
    assert g(actor="%") == g(actor="_") == set()  # LIKE wildcards are taken literally
    assert g(actor="RUS", type="ASSAULT", governorate="Idlib", outlet="عنب بلدي") == {"ev-strike-a"}
    assert g(actor="RUS", outlet="الجزيرة") == set()
    assert g(place="الرقة") == {"ev-protest", "ev-demand"}
    assert g(place="test:tell_rifaat") == {"ev-aid"}
    assert g(place="Daraa") == {"ev-xss"}
    assert g(article=ids["articles"]["protest"]) == {"ev-protest", "ev-demand"}
    assert g(type="ASSAULT", governorate="Idlib", outlet="الجزيرة") == {"ev-strike-b"}
    assert ev_ids(client.get("/api/events", params={"fused": "fused", "outlet": "الجزيرة"})) == {"fev-kafranbel"}
    assert ev_ids(client.get("/api/events", params={"fused": "fused", "governorate": "Idlib"})) == {"fev-kafranbel"}


def test_event_pagination(fx):
    client, _ = fx
    pages = [client.get("/api/events", params={"limit": 4, "offset": o}).json() for o in (0, 4, 8)]
    assert [len(p["items"]) for p in pages] == [4, 2, 0]
    assert all(p["total"] == 6 for p in pages)
    seen = [e["id"] for p in pages for e in p["items"]]
    assert len(seen) == len(set(seen)) == 6
    dates = [e["event_date"] for e in pages[0]["items"] + pages[1]["items"]]
    assert dates == sorted(dates)


def test_event_detail_has_evidence_offsets_into_the_clean_text(fx):
    client, ids = fx
    ev = client.get("/api/events/ev-strike-b").json()
    art = client.get(f"/api/articles/{ids['articles']['strike_b']}").json()
    (e,) = ev["evidence"]
    assert e["article_id"] == ids["articles"]["strike_b"] and e["offsets_valid"]
    assert art["clean_text"][e["start"]:e["end"]] == e["text"]
    assert "كفرنبل" in e["text"]
    assert e["before"] + e["text"] + e["after"] == art["clean_text"][e["context_start"]:e["context_end"]]
    trig = e["spans"]["trigger"]
    assert art["clean_text"][trig["start"]:trig["end"]] == "غارات"
    assert ev["record"]["type"] == "ASSAULT"


def test_fused_event_detail_gathers_each_sources_evidence(fx):
    client, ids = fx
    ev = client.get("/api/events/fev-kafranbel").json()
    assert ev["fused"] and set(ev["members"]) == {"ev-strike-a", "ev-strike-b"}
    assert {e["article_id"] for e in ev["evidence"]} == {ids["articles"]["strike_a"], ids["articles"]["strike_b"]}
    assert {e["outlet"] for e in ev["evidence"]} == {"عنب بلدي", "الجزيرة"}


def test_articles_list_and_detail(fx):
    client, ids = fx
    body = client.get("/api/articles").json()
    assert body["total"] == 5
    assert [a["published"] for a in body["items"]] == sorted((a["published"] for a in body["items"]), reverse=True)
    counts = {a["id"]: (a["n_events"], a["n_figures"]) for a in body["items"]}
    assert counts[ids["articles"]["strike_a"]] == (1, 2)
    only = client.get("/api/articles", params={"outlet": "عنب بلدي", "from": "2019-06-01"}).json()
    assert [a["id"] for a in only["items"]] == [ids["articles"]["aid"]]
    art = client.get(f"/api/articles/{ids['articles']['strike_a']}").json()
    assert art["clean_text"].startswith("غارات جوية على كفرنبل")
    assert {k for k, v in art["layers"].items() if v} >= {"sentences", "mentions", "entities", "places", "events",
                                                          "figures"}
    assert "tokens" not in art["layers"] and "raw_text" not in art
    assert art["stories"] == ["story-kafranbel"]
    full = client.get(f"/api/articles/{ids['articles']['strike_a']}", params={"tokens": "true", "raw": "1"}).json()
    assert "tokens" in full["layers"] and full["raw_text"]


def test_figures(fx):
    client, ids = fx
    body = client.get("/api/figures").json()
    assert body["total"] == 4
    killed = client.get("/api/figures", params={"kind": "killed"}).json()["items"]
    assert sorted(f["value"] for f in killed) == [5, 7]
    assert {f["group"] for f in killed} == {"civilians"}
    sohr = client.get("/api/figures", params={"reporter": "المرصد"}).json()["items"]
    assert [f["value"] for f in sohr] == [7] and sohr[0]["outlet"] == "الجزيرة"
    assert client.get("/api/figures", params={"story": "story-kafranbel"}).json()["total"] == 3
    assert client.get("/api/figures", params={"from": "2019-06-01"}).json()["total"] == 1
    # by the place a figure was read for: the Kafranbel strike reports (Idleb), the aid figure (Aleppo)
    idleb = client.get("/api/figures", params={"governorate": "إدلب"}).json()["items"]
    assert sorted(f["value"] for f in idleb) == [5, 7, 10]
    assert [f["value"] for f in client.get("/api/figures", params={"governorate": "SY02"}).json()["items"]] == [2000]
    assert client.get("/api/figures", params={"place": "test:kafranbel", "kind": "killed"}).json()["total"] == 2
    assert client.get("/api/figures", params={"place": "كفرنبل", "governorate": "Aleppo"}).json()["total"] == 0
    assert client.get("/api/figures", params={"place": "test:raqqa"}).json()["total"] == 0  # events, no figures
    assert client.get("/api/figures", params={"governorate": "Atlantis"}).status_code == 400


def test_story_view(fx):
    client, ids = fx
    lst = client.get("/api/stories").json()
    assert lst["total"] == 1 and lst["items"][0]["n_events"] == 1
    assert lst["items"][0]["outlets"] == ["عنب بلدي", "الجزيرة"]
    st = client.get("/api/stories/story-kafranbel").json()
    assert {s["id"] for s in st["sources"]} == {ids["articles"]["strike_a"], ids["articles"]["strike_b"]}
    assert {s["outlet"] for s in st["sources"]} == {"عنب بلدي", "الجزيرة"}
    assert [e["id"] for e in st["events"]] == ["fev-kafranbel"]
    assert {e["id"] for e in st["report_events"]} == {"ev-strike-a", "ev-strike-b"}
    killed = next(g for g in st["figures_by_source"] if g["kind"] == "killed")
    assert sorted(c["value"] for c in killed["claims"]) == [5, 7]  # both claims kept, never averaged
    assert killed["agree"] is False
    assert {c["outlet"] for c in killed["claims"]} == {"عنب بلدي", "الجزيرة"}
    kinds = [t["kind"] for t in st["timeline"]]
    assert kinds.count("article") == 2 and kinds.count("event") == 1
    assert client.get("/api/stories", params={"from": "2019-06-01"}).json()["total"] == 0
    assert client.get("/api/stories", params={"outlet": "الجزيرة"}).json()["total"] == 1


def test_entities_and_places(fx):
    client, ids = fx
    ents = client.get("/api/entities").json()
    assert {e["id"] for e in ents["items"]} == {"actor:SYR.CIV.white_helmets", "actor:SYR.NGO.sohr", "RUS.MIL"}
    assert client.get("/api/entities", params={"q": "sohr"}).json()["total"] == 1
    assert client.get("/api/entities", params={"q": "%"}).json()["total"] == 0  # not a wildcard
    assert client.get("/api/entities", params={"q": "_"}).json()["total"] == 1  # white_helmets: a real underscore
    places = client.get("/api/places").json()["items"]
    kaf = next(p for p in places if p["id"] == "test:kafranbel")
    assert kaf["n_articles"] == 2 and kaf["lat"] == pytest.approx(35.6133)
    assert (kaf["admin1_ar"], kaf["admin1_en"]) == ("إدلب", "Idleb")
    assert [p["id"] for p in client.get("/api/places", params={"governorate": "Raqqa"}).json()["items"]] == [
        "test:raqqa"]
    assert client.get("/api/places", params={"q": "%"}).json()["total"] == 0
    art = client.get(f"/api/articles/{ids['articles']['aid']}").json()
    (pl,) = art["layers"]["places"]
    assert (pl["admin1"], pl["admin1_ar"], pl["admin1_en"], pl["admin1_pcode"]) == ("Aleppo", "حلب", "Aleppo", "SY02")


def test_facets_and_health(fx):
    client, _ = fx
    f = client.get("/api/facets").json()
    assert len(f["plover_types"]) == 16 and len(f["governorates"]) == 14
    assert {o["outlet"] for o in f["outlets"]} >= {"سانا", "الجزيرة"}
    # menus for the actor and place filters: ids with readable names and event counts
    assert f["actors"] == [{"id": "RUS.MIL", "n": 1, "name": "القوات الروسية", "name_en": "Russian armed forces"}]
    places = {p["id"]: p for p in f["places"]}
    assert places["test:raqqa"]["n"] == 2 and places["test:raqqa"]["name"] == "الرقة"
    assert places["test:kafranbel"]["name_en"] == "Kafr Nabl" and places["test:kafranbel"]["n"] == 2
    assert client.get("/api/health").json()["counts"]["events"] == 7


def test_exports(fx):
    client, _ = fx
    r = client.get("/api/export/events.jsonl", params={"type": "ASSAULT"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert {x["id"] for x in rows} == {"ev-strike-a", "ev-strike-b", "ev-xss"}
    gj = client.get("/api/export/events.geojson", params={"governorate": "Aleppo"}).json()
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 1
    assert gj["features"][0]["geometry"]["coordinates"] == pytest.approx([37.0972, 36.4733])
    r = client.get("/api/export/acled.csv")
    if r.status_code == 200:  # the events layer provides the ACLED view
        assert r.headers["content-type"].startswith("text/csv")
        assert list(csv.reader(io.StringIO(r.text)))

        def acled(**params):
            r = client.get("/api/export/acled.csv", params=params)
            assert r.status_code == 200, r.text
            return {row["marsad_event_id"] for row in csv.DictReader(io.StringIO(r.text))}

        # the ACLED export takes the filters of /api/events, with the same meaning
        # (a demand and an aid convoy are not events ACLED codes: they stay in the events export only)
        assert acled() == {"ev-strike-a", "ev-strike-b", "ev-protest", "ev-xss"}
        assert acled(type="PROTEST") == {"ev-protest"}
        assert acled(type="AID,REQUEST") == set()
        assert acled(outlet="سانا") == {"ev-protest"}
        assert acled(outlet="سا") == set()  # an outlet is matched exactly, as everywhere else
        assert acled(governorate="Idleb") == {"ev-strike-a", "ev-strike-b"}
        assert acled(governorate="Aleppo") == set()
        assert acled(actor="RUS", **{"from": "2019-05"}) == {"ev-strike-a"}
        assert acled(place="test:raqqa", type="PROTEST") == {"ev-protest"}
        assert client.get("/api/export/acled.csv", params={"governorate": "Narnia"}).status_code == 400
    else:  # without it: a clear 503, not a crash
        assert r.status_code == 503 and "ACLED" in r.json()["message"]


def test_dashboard_is_served_with_a_strict_csp(fx):
    client, _ = fx
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe" not in csp
    assert "http" not in r.text.replace('href="/', "").split("<body")[0]  # nothing from elsewhere
    for asset in ("/static/app.js", "/static/style.css", "/static/i18n.json", "/static/vendor/leaflet/leaflet.js",
                  "/static/data/basemap.geojson", "/static/data/governorates.geojson"):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/api/events").headers["content-security-policy"] == csp
    i18n = client.get("/static/i18n.json").json()
    assert set(i18n["ar"]) == set(i18n["en"]) and i18n["ar"]["dir"] == "rtl"
