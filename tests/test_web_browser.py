"""End-to-end tests of the dashboard in headless Chromium (Debian's /usr/bin/chromium driven by playwright).

A uvicorn server on a free localhost port serves a store filled with the hand-made documents of
marsad.api.fixtures. Screenshots go to artifacts/screenshots/. Install the browser with
scripts/install_browser_deps.sh.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} not found: run scripts/install_browser_deps.sh to install Chromium",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package (test extra) is not installed")


@contextmanager
def _serve(live_server, path: Path, ids: dict):
    from marsad.api.app import create_app

    with live_server(create_app(str(path))) as url:
        yield {"url": url, "ids": ids}


@pytest.fixture(scope="module")
def server(tmp_path_factory, live_server):
    from marsad.api.fixtures import build_store

    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    with _serve(live_server, path, build_store(str(path))) as srv:
        yield srv


@pytest.fixture(scope="module")
def coarse_server(tmp_path_factory, live_server):
    """The same store plus one report placed only at a governorate and one only at a country (no outlet)."""
    from marsad.api.fixtures import build_store

    path = tmp_path_factory.mktemp("web_coarse") / "web.duckdb"
    with _serve(live_server, path, build_store(str(path), precision=True)) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def _new_page(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.external = []  # requests that left localhost
    pg.errors = []
    pg.on("request", lambda r: None if r.url.startswith(server["url"]) or r.url.startswith("data:")
          else pg.external.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    return ctx, pg


@pytest.fixture
def page(browser, server):
    ctx, pg = _new_page(browser, server)
    yield pg
    ctx.close()


@pytest.fixture
def coarse_page(browser, coarse_server):
    ctx, pg = _new_page(browser, coarse_server)
    yield pg
    ctx.close()


def _open(page, server, hash_: str = "#/"):
    page.goto(server["url"] + "/" + hash_)
    page.wait_for_selector("body[data-ready='1']", timeout=20_000)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _markers(page) -> int:
    return page.locator("path.event-marker").count()


# every event marker lies within a tenth of the map's size from its centre
_MARKERS_CENTRED = """() => {
  const m = document.querySelector('#map').getBoundingClientRect();
  const ps = [...document.querySelectorAll('path.event-marker')].map(p => p.getBoundingClientRect());
  return ps.length > 0 && ps.every(r => Math.abs(r.x + r.width / 2 - (m.x + m.width / 2)) < m.width / 10
                                     && Math.abs(r.y + r.height / 2 - (m.y + m.height / 2)) < m.height / 10);
}"""


def _wait_markers(page, n: int) -> None:
    page.wait_for_function(f"() => document.querySelectorAll('path.event-marker').length === {n}", timeout=10_000)


def test_map_shows_every_mapped_event_offline(page, server):
    _open(page, server)
    _wait_markers(page, 6)  # six per-report events, each at one place with coordinates
    assert page.get_attribute("#map-status", "data-count") == "6"
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    # the basemap (Natural Earth + governorates) is drawn from local files
    page.wait_for_function("() => document.querySelectorAll('.leaflet-basemap-pane path').length > 5",
                           timeout=10_000)
    assert page.locator("#event-table tbody tr").count() == 6
    assert page.locator("#chart-events rect.bar").count() >= 4
    # the chart's scale label sits in the margin beside the bars, not over them, in right-to-left too
    assert page.evaluate("document.querySelector('#chart-events svg text').getBBox().x") >= 600 - 28
    _shot(page, "map_ar.png")
    assert page.external == [], f"the dashboard fetched from outside: {page.external}"
    assert page.errors == []


def test_clicking_a_marker_opens_its_evidence(page, server):
    _open(page, server)
    _wait_markers(page, 6)
    page.locator("path.event-marker[data-event-id='ev-strike-a']").click(force=True)
    page.wait_for_selector("#detail-body[data-event-id='ev-strike-a']", timeout=10_000)
    assert page.is_visible("#detail")
    evidence = page.locator("#detail-body mark.evidence").all_text_contents()
    assert any("قرية كفرنبل" in t for t in evidence)
    assert page.locator("#detail-body mark.trigger").first.text_content() == "قصفت"
    assert page.locator("#event-table tr.selected").get_attribute("data-event-id") == "ev-strike-a"
    page.wait_for_selector("path.event-marker.selected[data-event-id='ev-strike-a']")  # outlined on the map
    # the date after the Arabic outlet name is isolated left-to-right (else it shows as 29-05-2019)
    assert "\u20662019-05-29\u2069" in page.text_content("#detail-body .evidence-block .meta")
    assert page.locator("path.event-marker.selected").count() == 1
    _shot(page, "event_evidence_ar.png")


def test_fused_event_shows_evidence_from_each_source(page, server):
    _open(page, server, "#/event/fev-kafranbel")
    page.wait_for_selector("#detail-body[data-event-id='fev-kafranbel']", timeout=10_000)
    blocks = page.locator("#detail-body .evidence-block")
    assert blocks.count() == 2
    assert {blocks.nth(i).get_attribute("data-article-id") for i in range(2)} == {
        server["ids"]["articles"]["strike_a"], server["ids"]["articles"]["strike_b"]}


def test_filters_call_the_api_and_redraw(page, server):
    _open(page, server)
    _wait_markers(page, 6)
    page.select_option("#f-type", "ASSAULT")
    page.click("#f-apply")
    _wait_markers(page, 3)
    assert set(page.locator("#event-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.eventId)")) == {"ev-strike-a", "ev-strike-b", "ev-xss"}
    page.select_option("#f-governorate", "SY07")  # Idleb
    page.click("#f-apply")
    _wait_markers(page, 2)
    page.select_option("#f-type", "")
    page.select_option("#f-governorate", "")
    page.fill("#f-from", "2019-06-01")
    page.fill("#f-to", "2019-06-12")
    page.click("#f-apply")
    _wait_markers(page, 3)  # the protest, the demand and the aid convoy
    page.fill("#f-from", "")
    page.fill("#f-to", "")
    page.select_option("#f-outlet", "عنب بلدي")
    page.click("#f-apply")
    _wait_markers(page, 2)
    page.click("#f-reset")
    _wait_markers(page, 6)


def test_english_toggle(page, server):
    _open(page, server)
    _wait_markers(page, 6)
    assert page.text_content("#nav-map") == "الخريطة"
    page.click("#lang-toggle")
    page.wait_for_function("() => document.documentElement.dir === 'ltr'")
    assert page.get_attribute("html", "lang") == "en"
    assert page.text_content("#nav-map") == "Map"
    assert page.text_content("#lang-toggle") == "العربية"
    _wait_markers(page, 6)
    page.wait_for_function("() => { const td = document.querySelector('#event-table tbody td:nth-child(2)');"
                           " return td !== null && td.textContent === 'Assault'; }")
    assert "events on the map" in page.text_content("#map-status")
    _shot(page, "map_en.png")
    page.reload()  # the choice is remembered
    page.wait_for_selector("body[data-ready='1']")
    assert page.get_attribute("html", "dir") == "ltr"
    page.click("#lang-toggle")
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")


def test_markup_in_articles_is_shown_as_text_and_never_runs(page, server):
    xss_id = server["ids"]["articles"]["xss"]
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open(page, server)
    _wait_markers(page, 6)
    page.locator("path.event-marker[data-event-id='ev-xss']").click(force=True)
    page.wait_for_selector("#detail-body[data-event-id='ev-xss']")
    assert "<script>window.__xss = 1</script>" in page.text_content("#detail-body")
    assert "<b>مدونة</b>" in page.text_content("#event-table")
    page.goto(server["url"] + "/#/article/" + xss_id)
    page.wait_for_selector(f"#view-article[data-article-id='{xss_id}'] .article-text")
    text = page.text_content("#view-article .article-text")
    assert '<img src=x onerror="window.__xss = 2">' in text
    assert page.text_content("#view-article h2").startswith("<img src=x")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("main script, main img, header img").count() == 0
    assert dialogs == []
    _shot(page, "xss_article.png")


def test_story_page_lists_sources_and_compares_figures(page, server):
    ids = server["ids"]["articles"]
    _open(page, server, "#/stories")
    page.wait_for_selector("#story-table tbody tr[data-story-id='story-kafranbel']")
    page.click("#story-table tbody tr[data-story-id='story-kafranbel'] a")
    page.wait_for_selector("#view-story[data-story-id='story-kafranbel'] #story-texts .article-text")
    rows = page.locator("#story-sources tbody tr")
    assert rows.count() == 2
    assert {rows.nth(i).get_attribute("data-article-id") for i in range(2)} == {ids["strike_a"], ids["strike_b"]}
    assert "الجزيرة" in page.text_content("#story-sources") and "عنب بلدي" in page.text_content("#story-sources")
    killed = page.locator("#story-figures tr").first
    values = killed.locator("td .value").all_text_contents()
    assert sorted(values) == ["5", "7"]  # side by side, not averaged
    assert killed.locator(".badge.warn").count() == 1
    page.wait_for_function("() => document.querySelectorAll('#story-texts .article-text').length === 2")
    marks = page.locator("#story-texts mark.evidence").all_text_contents()
    assert any("بلدة كفرنبل" in m for m in marks) and any("قرية كفرنبل" in m for m in marks)
    # a sentence that is an event's evidence and also reports a figure still shows as evidence
    both = page.locator("#story-texts mark.evidence.figure")
    assert both.count() >= 1
    evidence_bg = page.evaluate("getComputedStyle(document.querySelector('#story-texts mark.evidence:not(.figure)'))"
                                ".backgroundColor")
    assert {both.nth(i).evaluate("m => getComputedStyle(m).backgroundColor") for i in range(both.count())} == {
        evidence_bg}
    _shot(page, "story_ar.png")


def test_search_page_highlights_clitic_matches(page, server):
    _open(page, server, "#/search?q=" + "إدلب")
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results > li").count() == 2
    hits = page.locator("#search-results mark.hit").all_text_contents()
    assert "بريف" not in hits and any(h == "إدلب" for h in hits)
    _shot(page, "search_ar.png")


def test_actors_and_governorates_are_named_in_the_pages_language(page, server):
    _open(page, server)
    _wait_markers(page, 6)
    row = page.locator("#event-table tbody tr[data-event-id='ev-strike-a']")
    assert row.locator("td.actors").text_content() == "القوات الروسية"  # the actor's name, not RUS.MIL
    row.click()
    page.wait_for_selector("#detail-body[data-event-id='ev-strike-a']")
    detail = page.text_content("#detail-body")
    assert "كفرنبل (إدلب)" in detail  # the store spells the governorate "Idleb"
    assert "القوات الروسية" in detail and "«طائرات حربية»" in detail  # name, and the words of the article
    assert "RUS.MIL" not in detail and "Idleb" not in detail
    page.click("#lang-toggle")
    page.wait_for_function("() => document.querySelector(\"#event-table tr[data-event-id='ev-strike-a'] td.actors\")"
                           "?.textContent === 'Russian armed forces'")
    page.wait_for_function("() => document.querySelector('#detail-body')?.textContent.includes('Kafr Nabl (Idleb)')")
    assert "Russian armed forces" in page.text_content("#f-actor")
    _shot(page, "event_evidence_en.png")
    page.click("#lang-toggle")
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")


def test_actor_and_place_filters_combine_with_the_others(page, server):
    _open(page, server)
    _wait_markers(page, 6)
    assert "القوات الروسية (1)" in page.text_content("#f-actor")
    page.select_option("#f-actor", "RUS.MIL")
    page.click("#f-apply")
    _wait_markers(page, 1)
    assert page.locator("path.event-marker").get_attribute("data-event-id") == "ev-strike-a"
    page.click("#f-reset")
    _wait_markers(page, 6)
    assert page.get_attribute("#chart-figures svg", "data-bars") == "4"
    page.select_option("#f-place", "test:raqqa")
    page.click("#f-apply")
    _wait_markers(page, 2)
    # the map comes to the place (Raqqa lies north of the country view's centre) …
    page.wait_for_function(_MARKERS_CENTRED, timeout=10_000)
    # … and the figures chart follows the place too: none was read for Raqqa
    assert page.locator("#chart-figures svg").count() == 0
    page.select_option("#f-type", "PROTEST")
    page.click("#f-apply")
    _wait_markers(page, 1)
    page.select_option("#f-governorate", "SY07")  # the Raqqa protest is not in Idleb
    page.click("#f-apply")
    _wait_markers(page, 0)
    page.click("#f-reset")
    _wait_markers(page, 6)
    page.select_option("#f-governorate", "SY07")
    page.click("#f-apply")
    _wait_markers(page, 2)  # the two Kafranbel strike reports
    page.wait_for_function("() => (document.querySelector('#chart-figures svg') || {}).dataset?.bars === '3'",
                           timeout=10_000)  # the Kafranbel figures; the Aleppo one is left out
    page.wait_for_function(_MARKERS_CENTRED, timeout=10_000)
    page.click("#f-reset")
    _wait_markers(page, 6)
    # a period reaching past the last event is applied too (no browser validation against the data's range)
    page.fill("#f-from", "2019-06-01")
    page.fill("#f-to", "2030-12-31")
    page.click("#f-apply")
    _wait_markers(page, 4)
    page.click("#f-reset")
    _wait_markers(page, 6)


def test_coarse_places_are_not_drawn_as_villages(coarse_page, coarse_server):
    page = coarse_page
    _open(page, coarse_server)
    _wait_markers(page, 7)  # six village-level events and one governorate-level ring; no point for the country
    assert page.locator("path.event-marker.exact").count() == 6
    ring = page.locator("path.event-marker.approx")
    assert ring.count() == 1 and ring.get_attribute("data-event-id") == "ev-gov"
    assert page.locator("path.event-marker[data-event-id='ev-country']").count() == 0
    status = page.text_content("#map-status")
    assert page.get_attribute("#map-status", "data-count") == "7"
    assert "1 بموقع تقريبي" in status and "1 على مستوى الدولة فقط" in status
    # a report without an outlet says so instead of leaving the cell empty
    assert page.locator("#event-table tr[data-event-id='ev-country'] td").nth(4).text_content() == "مصدر غير معروف"
    ring.click(force=True)
    page.wait_for_selector("#detail-body[data-event-id='ev-gov']")
    assert "موقع تقريبي" in page.text_content("#detail-body")
    _shot(page, "map_precision_ar.png")


def test_export_links_download_the_events_shown(page, server):
    import csv
    import io
    import json

    _open(page, server)
    _wait_markers(page, 6)
    page.select_option("#f-type", "ASSAULT")
    page.select_option("#f-governorate", "SY07")
    page.click("#f-apply")
    _wait_markers(page, 2)
    shown = {"ev-strike-a", "ev-strike-b"}
    r = page.request.get(server["url"] + page.get_attribute("#export-jsonl", "href"))
    assert r.ok and {json.loads(line)["id"] for line in r.text().splitlines()} == shown
    r = page.request.get(server["url"] + page.get_attribute("#export-geojson", "href"))
    assert r.ok and {f["properties"]["id"] for f in r.json()["features"]} == shown
    r = page.request.get(server["url"] + page.get_attribute("#export-acled", "href"))
    if r.status == 200:  # the events layer provides the ACLED view
        assert {row["marsad_event_id"] for row in csv.DictReader(io.StringIO(r.text()))} == shown



# ---------------------------------------------------------------------------------------- many events, phones

N_BIG = 2500


def _big_store(path: Path, n_events: int = N_BIG) -> None:
    """A store of ``n_events`` per-report events (written directly, no pipeline): 2 or 3 per article, at
    villages spread over the north-west, one in 25 undated, one in 50 without a place."""
    import random

    from marsad.model import Article, DateRef, Document, Event, Figure, Place, Span
    from marsad.store import open_store

    rng = random.Random(7)
    types = ["ASSAULT"] * 6 + ["PROTEST", "COERCE", "CONSULT", "AGREE"]
    text = "خبر تجريبي عن قصف وغارات في ريف المحافظة. وقالت مصادر محلية إن القصف استمر."
    docs, made, k = [], 0, 0
    while made < n_events:
        k += 1
        day = f"2019-{rng.randint(5, 12):02d}-{rng.randint(1, 28):02d}"
        a = Article(id=f"big{k:05d}", raw_text=text, clean_text=text, outlet=f"منفذ {k % 9}", title=f"خبر {k}",
                    published=DateRef(day, "day"))
        d = Document(a)
        d.sentences = [Span(0, 43, text[:43]), Span(44, len(text), text[44:])]
        for j in range(min(rng.choice([2, 3]), n_events - made)):
            pid = f"test:v{rng.randint(0, 400)}"
            if pid not in {p.id for p in d.places}:
                lat, lon = 35.2 + rng.random() * 1.3, 36.2 + rng.random() * 1.4
                d.places.append(Place(id=pid, name=f"قرية {pid[6:]}", lat=lat, lon=lon, kind="village", precision=1,
                                      precision_level="village", admin1="Idleb"))
            undated, placeless = made % 25 == 3, made % 50 == 7
            d.events.append(Event(id=f"{a.id}-e{j}", type=rng.choice(types), places=[] if placeless else [pid],
                                  date=None if undated else DateRef(day, "day"), evidence=d.sentences[0],
                                  article_id=a.id, confidence=0.8))
            made += 1
        d.figures.append(Figure(kind="killed", group="civilians", value=rng.randint(1, 40), reporter_text=f"جهة {k % 4}",
                                evidence=d.sentences[1], article_id=a.id, period=DateRef(day, "day")))
        docs.append(d)
    s = open_store(str(path))
    s.save_documents([(d, None) for d in docs])
    s.close()


@pytest.fixture(scope="module")
def big_server(tmp_path_factory, live_server):
    path = tmp_path_factory.mktemp("web_big") / "big.duckdb"
    _big_store(path)
    with _serve(live_server, path, {}) as srv:
        yield srv


def test_map_counts_every_event_of_a_big_store_and_clusters_them(browser, big_server):
    ctx, page = _new_page(browser, big_server)
    total = page.request.get(big_server["url"] + "/api/events?limit=1").json()["total"]
    assert total == N_BIG
    _open(page, big_server)
    page.wait_for_function(f"() => document.body.dataset.eventsLoaded === '{N_BIG}'", timeout=60_000)
    status = page.locator("#map-status")
    on_map, unplaced = int(status.get_attribute("data-count")), int(status.get_attribute("data-unplaced"))
    assert status.get_attribute("data-total") == str(total)
    assert on_map + unplaced == total and unplaced == N_BIG // 50  # every event counted, placed or not
    assert "2,450" in status.text_content()  # an Arabic page with thousands separators
    # the map shows clusters with their counts, and the drawn events + clustered ones are all the placed points
    clusters = page.locator(".cluster-marker")
    assert clusters.count() > 0
    in_clusters = sum(int(x) for x in clusters.evaluate_all("els => els.map(e => e.dataset.count)"))
    assert in_clusters + page.locator("path.event-marker").count() == on_map
    assert page.get_attribute("#map", "data-clustered") == str(in_clusters)
    # undated events are counted on screen, not silently left out of the timeline
    undated = page.locator("#undated-status")
    assert undated.is_visible() and undated.get_attribute("data-count") == str(N_BIG // 25)
    # a legend names the colours of the types shown
    assert page.locator("#type-legend [data-type='ASSAULT']").count() == 1
    # the figures chart sums the values reported per week, by reporter
    sums = page.locator("#chart-figures rect.bar").evaluate_all("rs => rs.map(r => +r.dataset.value)")
    api_sum = sum(f["value"] for f in page.request.get(big_server["url"] + "/api/figures?limit=1000").json()["items"])
    api_sum += sum(f["value"] for f in page.request.get(
        big_server["url"] + "/api/figures?limit=1000&offset=1000").json()["items"])
    assert sum(sums) == api_sum
    assert page.locator("#chart-figures .legend [data-reporter]").count() == 4
    # clicking a cluster zooms in and splits it
    before = clusters.count()
    page.locator(".cluster-marker").first.click()
    page.wait_for_function(f"() => document.querySelectorAll('path.event-marker').length > "
                           f"{page.locator('path.event-marker').count()}", timeout=10_000)
    _shot(page, "map_big_ar.png")
    assert before > 0 and page.errors == []
    ctx.close()


def test_phone_width_has_no_horizontal_overflow(browser, server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                              has_touch=True)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for lang_click in (False, True):
        _open(page, server)
        if lang_click:
            page.click("#lang-toggle")
            page.wait_for_function("() => document.documentElement.dir === 'ltr'")
        _wait_markers(page, 6)
        width = page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        assert width <= 390, f"the page is {width} px wide at 390 px"
        box = page.locator("#lang-toggle").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390  # the language button is on screen
        # the event panel is as wide as the screen, not a column one word wide
        page.locator("#event-table tbody tr").first.click()
        page.wait_for_selector("#detail-body[data-event-id]")
        panel = page.locator("#detail").bounding_box()
        assert panel["width"] > 300
        width = page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        assert width <= 390
        _shot(page, f"phone_{'en' if lang_click else 'ar'}.png")
    page.click("#lang-toggle")
    assert errors == []
    ctx.close()


def test_arabic_dates_and_text_date_fields(page, server):
    _open(page, server)
    _wait_markers(page, 6)
    cell = page.locator("#event-table tbody tr[data-event-id='ev-strike-a'] td").first
    assert cell.text_content() == "29 أيار 2019" and cell.get_attribute("data-date") == "2019-05-29"
    assert page.get_attribute("#f-from", "type") == "text"  # no browser date picker in the browser's locale
    page.fill("#f-from", "2019-06-01")
    page.click("#f-apply")
    _wait_markers(page, 4)
    assert page.text_content("#f-from-shown") == "1 حزيران 2019"
    page.fill("#f-from", "01/06/2019")
    page.click("#f-apply")
    page.wait_for_selector("#error:not([hidden])")
    assert "سنة-شهر-يوم" in page.text_content("#error")
    page.click("#f-reset")
    _wait_markers(page, 6)
