"""The ACLED view as ACLED data (columns, actor names, inter codes, stable ids, fatalities, what is left out),
every export format for every view, CSV formula neutralisation, and the CLI's filters, stats and tables."""

import csv
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from marsad.cli.main import app
from marsad.events.acled import COLUMNS, EXTRA_COLUMNS, acled_event_id, acled_rows, fatalities_of, source_scale
from marsad.ingest import ingest
from marsad.model import Article, DateRef, Document, Entity, Event, Figure, Place, Span
from marsad.pipeline import Pipeline
from marsad.store import open_store
from marsad.store.export import csv_cell, csv_text, event_filter, export

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"
runner = CliRunner()

# ACLED's export columns, in ACLED's order (ACLED codebook, "ACLED data columns at a glance")
ACLED_ORDER = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
               "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
               "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
               "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
               "fatalities", "tags", "timestamp"]


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline.default()


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory, pipeline):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    s = open_store(str(path))
    ingest([EXAMPLES], s, pipeline=pipeline)
    s.close()
    return str(path)


def _place(pid="p1", name="كفرنبل", country="SYR", lat=35.6, lon=36.5):
    return Place(id=pid, name=name, name_en="Kafr Nabl", lat=lat, lon=lon, kind="town", precision=1,
                 admin1="Idleb", country=country)


def _doc(events, figures=(), published="2020-01-14", outlet="عنب بلدي (Enab Baladi)"):
    a = Article(id="a1", raw_text="x", outlet=outlet, published=DateRef(published, "day") if published else None)
    d = Document(a)
    d.places = [_place()]
    d.events = list(events)
    d.figures = list(figures)
    return d


def _ev(eid="E1", type_="ASSAULT", mode="aerial", actor=None, recipient=None, date="2020-01-13", places=("p1",),
        **kw):
    return Event(id=eid, type=type_, mode=mode, actor=actor, recipient=recipient, places=list(places),
                 date=DateRef(date, "day") if date else None, evidence=Span(0, 8, "نص الحدث"), article_id="a1", **kw)


def test_columns_in_acleds_order():
    assert COLUMNS == ACLED_ORDER
    [row] = acled_rows([_doc([_ev(actor="RUS.MIL")])])
    assert list(row)[:len(ACLED_ORDER)] == ACLED_ORDER


@pytest.mark.parametrize("actor,type_,mode,name,inter", [
    ("SYR.GOV", "ASSAULT", "heavy-weapons", "Military Forces of Syria (2000-)", 1),  # النظام السوري, قوات النظام
    ("SYR.MIL", "ASSAULT", "heavy-weapons", "Military Forces of Syria (2000-)", 1),
    ("RUS.MIL", "ASSAULT", "aerial", "Military Forces of Russia (2000-)", 8),  # a state outside its country
    ("TUR.GOV.erdogan", "ASSAULT", "heavy-weapons", "Military Forces of Turkey (2002-)", 8),
    ("SYR.REB.hts", "ASSAULT", None, "Hayat Tahrir al-Sham", 2),
    ("SYR.REB.nlf", "ASSAULT", None, "NLF: National Liberation Front", 2),
    ("SYR.REB", "ASSAULT", None, "Opposition Rebels (Syria)", 2),
    (None, "ASSAULT", "aerial", "Unidentified Armed Group (Syria)", 3),
    (None, "PROTEST", "demo", "Protesters (Syria)", 6),
])
def test_actor_names_and_inter_codes(actor, type_, mode, name, inter):
    [row] = acled_rows([_doc([_ev(actor=actor, type_=type_, mode=mode)])])
    assert (row["actor1"], row["inter1"], row["interaction"]) == (name, inter, inter * 10)
    assert row["marsad_actor1_named"] is (actor is not None)


@pytest.mark.parametrize("code,type_,mode,name,inter", [
    ("UAG", "ASSAULT", None, "Unidentified Armed Group (Syria)", 3),  # مسلحون مجهولون: read, but with no name
    ("PTR", "PROTEST", "demo", "Protesters (Syria)", 6),  # آلاف المتظاهرين
])
def test_the_events_layers_unnamed_actors_are_acleds_unidentified_actors(code, type_, mode, name, inter):
    [row] = acled_rows([_doc([_ev(actor=code, type_=type_, mode=mode, actor_text="مسلحون مجهولون")])])
    assert (row["actor1"], row["inter1"], row["assoc_actor_1"]) == (name, inter, "")
    assert row["marsad_actor1_named"] is False
    [row] = acled_rows([_doc([_ev(actor="SYR.MIL", recipient="UAG", recipient_text="مسلحين مجهولين")])])
    assert (row["actor2"], row["inter2"], row["assoc_actor_2"]) == ("Unidentified Armed Group (Syria)", 3, "")


def test_government_in_non_violent_events_and_periods_by_date():
    [row] = acled_rows([_doc([_ev(actor="SYR.GOV", type_="AGREE", mode=None)])])
    assert row["actor1"] == "Government of Syria (2000-)" and row["event_type"] == "Strategic developments"
    [row] = acled_rows([_doc([_ev(actor="USA.MIL", date="2019-10-27")])])
    assert row["actor1"] == "Military Forces of the United States (2017-2021)" and row["inter1"] == 8


def test_civilians_targeted_and_interaction():
    [row] = acled_rows([_doc([_ev(actor="RUS.MIL", recipient="SYR.CIV")])])
    assert (row["actor2"], row["inter2"], row["interaction"]) == ("Civilians (Syria)", 7, 78)
    assert row["civilian_targeting"] == "Civilian targeting"
    [row] = acled_rows([_doc([_ev(actor="SYR.REB", recipient="SYR.MIL", mode=None)])])
    assert (row["interaction"], row["civilian_targeting"]) == (12, "")


def test_recipient_the_base_does_not_name_is_kept_as_associated_actor():
    [row] = acled_rows([_doc([_ev(actor="SYR.MIL", recipient="ner:ORG:كتيبة", recipient_text="كتيبة الفرسان")])])
    assert row["actor2"] == "Unidentified Armed Group (Syria)" and row["assoc_actor_2"] == "كتيبة الفرسان"


def test_event_id_from_identity_not_order():
    d = _doc([_ev("E1", actor="RUS.MIL"), _ev("E2", actor="SYR.MIL", mode="heavy-weapons")])
    ids = {r["marsad_event_id"]: r["event_id_cnty"] for r in acled_rows([d])}
    d.events.reverse()
    assert {r["marsad_event_id"]: r["event_id_cnty"] for r in acled_rows([d])} == ids
    assert ids["E1"] == acled_event_id("SYR", "E1", "p1") and ids["E1"].startswith("SYR") and ids["E1"] != ids["E2"]


def test_event_ids_unchanged_when_more_articles_arrive(tmp_path, pipeline):
    first = tmp_path / "first"
    first.mkdir()
    for name in ("01_rasd_airstrike.txt", "03_bosla_clashes.txt", "06_shamal_shelling.html"):
        shutil.copy(EXAMPLES / name, first / name)
    s = open_store(str(tmp_path / "s.duckdb"))
    ingest([first], s, pipeline=pipeline)
    from marsad.store.export import acled_view

    before = {(r["marsad_event_id"], r["location"]): r["event_id_cnty"] for r in acled_view(s)}
    assert before
    ingest([EXAMPLES], s, pipeline=pipeline)  # the other demo articles arrive
    after = {(r["marsad_event_id"], r["location"]): r["event_id_cnty"] for r in acled_view(s)}
    s.close()
    assert len(after) > len(before)
    assert {k: after.get(k) for k in before} == before
    assert len(set(after.values())) == len(after)  # one id per row


def test_fatalities_conservative_and_fused():
    ev = _ev(actor="RUS.MIL")
    figs = [Figure(kind="killed", group="civilians", value=12, attrs={"event_id": "E1"}),
            Figure(kind="killed", group="civilians", low=9, high=11, attrs={"event_id": "E1"}),
            Figure(kind="killed", group="children", value=4, parent=0, attrs={"event_id": "E1"}),
            Figure(kind="killed", group="civilians", value=300, attrs={"event_id": "E1", "period_text": "منذ شهر"}),
            Figure(kind="injured", group="civilians", value=40, attrs={"event_id": "E1"})]
    assert fatalities_of(ev, figs) == 9
    # the event was fused with other reports: their conservative value is the event's
    fused = {"id": "fev:1", "fused_figures": [{"kind": "killed", "group": "civilians", "value": 7.0}]}
    assert fatalities_of(ev, figs, fused) == 7
    # a figure read in the event's sentence counts even when the figures layer linked none
    f = Figure(kind="killed", group="persons", value=3, evidence=Span(0, 8, "نص الحدث"))
    assert fatalities_of(ev, [f]) == 3
    [row] = acled_rows([_doc([ev], figs)], fused={"E1": fused})
    assert row["fatalities"] == 7 and row["marsad_fused_event_id"] == "fev:1"


def test_what_acled_would_not_code_is_left_out_and_counted():
    call = _ev("C1", type_="CONSULT", mode="phone", actor="TUR.GOV", recipient="RUS.GOV", places=())
    claim = _ev("G1", actor="SYR.MIL", places=())
    strike = _ev("S1", actor="RUS.MIL")
    left = Counter()
    rows = acled_rows([_doc([call, claim, strike])], left_out=left)
    assert [r["marsad_event_id"] for r in rows] == ["S1"]
    assert left == {"not an ACLED event type (CONSULT)": 1, "no place": 1}


def test_dates_precision_and_filled_columns():
    undated = _ev("U1", actor="RUS.MIL", date=None)
    [row] = acled_rows([_doc([undated])])
    assert (row["event_date"], row["time_precision"], row["year"]) == ("2020-01-14", 2, 2020)
    assert "date of report" in row["tags"]
    [row] = acled_rows([_doc([undated], published=None)])
    assert (row["event_date"], row["time_precision"], row["year"]) == ("", "", "")
    [row] = acled_rows([_doc([_ev(actor="RUS.MIL")])], timestamps={"a1": 1579000000})
    assert (row["event_date"], row["time_precision"]) == ("2020-01-13", 1)
    assert row["timestamp"] == 1579000000 and row["source_scale"] == "National"
    assert source_scale("Reuters") == "International" and source_scale("موقع محلي") == "Other"


# ------------------------------------------------------------------------------------------ exports


@pytest.mark.parametrize("view", ["acled", "events", "figures", "articles"])
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson", "parquet"])
def test_every_format_for_every_view(demo_store, tmp_path, view, fmt):
    out = tmp_path / f"{view}.{fmt}"
    r = runner.invoke(app, ["export", "-s", demo_store, "--view", view, "-f", fmt, "-o", str(out)])
    assert r.exit_code == 0, r.output
    if fmt == "parquet":
        table = pq.read_table(out)
        assert table.num_rows > 0
        if view == "acled":
            assert table.column_names[:len(ACLED_ORDER)] == ACLED_ORDER
            assert str(table.schema.field("fatalities").type) == "int64"
    elif fmt == "geojson":
        gj = json.loads(out.read_text(encoding="utf-8"))
        assert gj["features"], f"{view} GeoJSON wrote no rows"
        for f in gj["features"]:
            lon, lat = f["geometry"]["coordinates"]
            assert 30 < lon < 45 and 30 < lat < 40
    elif fmt == "csv":
        with out.open(encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        if view == "acled":
            assert header == ACLED_ORDER + EXTRA_COLUMNS
    else:
        assert out.read_text(encoding="utf-8").strip()


def test_geojson_counts_rows_left_out(demo_store, tmp_path):
    s = open_store(demo_store, read_only=True)
    res = export(s, "events", "geojson", tmp_path / "e.geojson")
    total = export(s, "events", "jsonl", tmp_path / "e.jsonl").rows
    s.close()
    assert res.left_out > 0 and res.rows + res.left_out == total
    r = runner.invoke(app, ["export", "-s", demo_store, "--view", "events", "-f", "geojson", "-o",
                            str(tmp_path / "x.geojson")])
    assert f"{res.left_out} rows without coordinates left out" in r.output


def test_parquet_with_empty_strings_and_mixed_columns(tmp_path):
    from marsad.store.export import write_rows

    rows = [{"a": "", "b": 1, "c": [1], "d": True}, {"a": 2.5, "b": "", "c": None, "d": None}]
    write_rows(rows, "parquet", tmp_path / "x.parquet")
    t = pq.read_table(tmp_path / "x.parquet").to_pylist()
    assert t == [{"a": None, "b": 1, "c": "[1]", "d": True}, {"a": 2.5, "b": None, "c": None, "d": None}]


@pytest.mark.parametrize("payload", ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3",
                                     "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_formula_cells_neutralised(payload):
    assert csv_cell(payload) == "'" + payload
    assert csv_cell(-3) == -3 and csv_cell("عنب بلدي") == "عنب بلدي"
    text = csv_text([{"title": payload}])
    assert list(csv.reader(io.StringIO(text)))[1] == ["'" + payload]


def test_csv_exports_neutralise_titles_and_outlets(tmp_path, pipeline):
    bad = "=HYPERLINK(\"http://example.invalid\",\"اضغط\")"
    line = {"text": "قصفت قوات النظام بلدة كفرنبل في ريف إدلب الجنوبي صباح اليوم.", "title": bad,
            "outlet": "=cmd|' /C calc'!A0", "published": "2019-05-29"}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    s = open_store(str(tmp_path / "s.duckdb"))
    ingest([src], s, pipeline=pipeline)
    s.close()
    for view in ("articles", "acled", "events"):
        out = tmp_path / f"{view}.csv"
        r = runner.invoke(app, ["export", "-s", str(tmp_path / "s.duckdb"), "--view", view, "-o", str(out)])
        assert r.exit_code == 0, r.output
        cells = [c for row in csv.reader(out.open(encoding="utf-8")) for c in row]
        assert not any(c.startswith(("=", "+", "@")) for c in cells), view
    from fastapi.testclient import TestClient

    from marsad.api.app import create_app

    with TestClient(create_app(str(tmp_path / "s.duckdb"))) as client:
        body = client.get("/api/export/acled.csv").text
    cells = [c for row in csv.reader(io.StringIO(body)) for c in row]
    assert "'=cmd|' /C calc'!A0" in cells and not any(c.startswith("=") for c in cells)


# ------------------------------------------------------------------------------------------ CLI


def _json_events(store, *args):
    r = runner.invoke(app, ["events", "-s", store, "--json", "-n", "1000", *args])
    assert r.exit_code == 0, r.output
    return [json.loads(line) for line in r.output.splitlines() if line.strip()]


def test_cli_filters_in_the_store(demo_store):
    every = _json_events(demo_store)
    assert len(every) > 5
    assaults = _json_events(demo_store, "--type", "assault")
    assert assaults and {e["type"] for e in assaults} == {"ASSAULT"} and len(assaults) < len(every)
    dated = _json_events(demo_store, "--from", "2020-01-16", "--to", "2020-01-18")
    assert dated and all("2020-01-16" <= e["date"]["value"] <= "2020-01-18" for e in dated)
    idleb = _json_events(demo_store, "--governorate", "إدلب")
    raqqa = _json_events(demo_store, "--governorate", "Ar-Raqqa")
    assert idleb and raqqa and not {e["id"] for e in idleb} & {e["id"] for e in raqqa}
    russia = _json_events(demo_store, "--actor", "RUS")
    assert russia and all("RUS" in (e.get("actor") or "") + (e.get("recipient") or "") for e in russia)
    place = _json_events(demo_store, "--place", "Barah")
    assert place and all(any("1343945057" in p for p in e["places"]) for e in place)


def test_cli_export_filters_match_events(demo_store, tmp_path):
    out = tmp_path / "a.jsonl"
    r = runner.invoke(app, ["export", "-s", demo_store, "--view", "events", "-f", "jsonl", "-o", str(out),
                            "--type", "PROTEST"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and {x["type"] for x in rows} == {"PROTEST"}
    s = open_store(demo_store, read_only=True)
    flt = event_filter(s, types="ASSAULT", governorate="Idleb")
    ids = {r["marsad_event_id"] for r in __import__("marsad.store.export", fromlist=["x"]).acled_view(s, flt)}
    s.close()
    assert ids and all(i in {e["id"] for e in _json_events(demo_store, "--type", "ASSAULT")} for i in ids)


@pytest.mark.parametrize("args,needle", [
    (["events", "--type", "BOGUS"], "not a PLOVER event type"),
    (["events", "--governorate", "Narnia"], "not a Syrian governorate"),
    (["events", "--from", "2020-13"], "not a valid calendar date"),
    (["export", "--view", "acled", "--type", "BOGUS", "-o", "/tmp/never-written.csv"], "not a PLOVER event type"),
    (["export", "--view", "figures", "--type", "ASSAULT", "-o", "/tmp/never-written.csv"], "select events"),
])
def test_cli_errors_for_bad_filters(demo_store, args, needle):
    r = runner.invoke(app, [*args, "-s", demo_store])
    assert r.exit_code == 2 and needle in r.output


def test_stats_counts_add_up(demo_store):
    r = runner.invoke(app, ["stats", "-s", demo_store, "--json"])
    st = json.loads(r.output)
    c = st["counts"]
    assert sum(x["n"] for x in st["event_types"]) == c["report_events"]
    assert sum(x["n"] for x in st["fused_event_types"]) == c["fused_events"]
    assert c["events"] == c["report_events"] + c["fused_events"]
    table = runner.invoke(app, ["stats", "-s", demo_store]).output
    assert "events, one per report" in table and "total" in table


def test_events_table_wraps_arabic_by_words_in_reading_order(demo_store, monkeypatch):
    from marsad.cli.display import events_table, show, visual, wrap_lines

    text = "قصفت الطائرات الحربية أطراف البلدة الجنوبية صباح اليوم"
    lines = wrap_lines(text, 14)
    assert " ".join(lines) == text and all(len(x) <= 14 for x in lines)
    assert show(text, True, 14).split("\n") == [visual(x) for x in lines]  # first line on top, each reordered
    monkeypatch.setenv("MARSAD_BIDI", "0")

    def words(columns):
        r = runner.invoke(app, ["events", "-s", demo_store, "-n", "8"], env={"COLUMNS": str(columns)})
        assert r.exit_code == 0
        return r.output, Counter(w for line in r.output.splitlines() for cell in line.split("│")
                                 for w in cell.split() if any("\u0600" <= ch <= "\u06ff" for ch in w))

    wide_out, wide = words(400)
    narrow_out, narrow = words(80)
    # wrapped at 80 columns (the outlet column left out), yet no word is split: no fragment appears that the
    # unwrapped table does not print
    assert narrow and not (narrow - wide) and sum(narrow.values()) > 0.8 * sum(wide.values())
    r = type("R", (), {"output": narrow_out})
    assert max(len(line) for line in r.output.splitlines()) <= 80


def test_progress_total_from_input_size(tmp_path):
    from marsad.cli.display import count_inputs, make_progress
    from rich.console import Console

    assert count_inputs([EXAMPLES]) == 9  # 4 text files, 2 JSONL lines, 2 feed entries, 1 HTML page
    console = Console(file=io.StringIO(), width=100, force_terminal=True)
    with make_progress(console, 9) as p:
        t = p.add_task("ingesting", total=9, status="")
        p.advance(t, 3)
        p.refresh()
    out = console.file.getvalue()
    assert "3/9" in out and "left" in out


def test_every_row_of_an_article_with_a_feed_date_is_dated(tmp_path, pipeline):
    feed = tmp_path / "feed.jsonl"
    text = "قصفت قوات النظام بلدة كفرنبل بريف إدلب الجنوبي، وشنت الطائرات الروسية غارات على مدينة معرة النعمان."
    feed.write_text(json.dumps({"url": "https://example.org/a", "published": "2019-06-01", "text": text},
                               ensure_ascii=False) + "\n" +
                    json.dumps({"url": "https://example.org/b", "text": text.replace("كفرنبل", "كنصفرة")},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    s = open_store(str(tmp_path / "s.duckdb"))
    ingest([feed], s, pipeline=pipeline)
    from marsad.store.export import acled_view

    rows = acled_view(s)
    fed = {r["id"] for r in s.query("SELECT e.id FROM events e JOIN articles a ON a.id = e.article_id"
                                    " WHERE a.url = 'https://example.org/a'")}
    s.close()
    mine = [r for r in rows if r["marsad_event_id"] in fed]
    assert mine and all(r["event_date"] == "2019-06-01" and r["year"] == 2019 and r["time_precision"] for r in mine)


def test_an_inferred_actor_codes_the_row_and_is_marked():
    seize = _ev("T1", type_="COERCE", mode="seize", attrs={"form": "territory", "actor_inferred": {
        "id": "SYR.MIL", "text": "قوات النظام", "basis": "paragraph", "via": "mention", "start": 0, "end": 11}})
    [row] = acled_rows([_doc([seize])])
    assert row["actor1"] == "Military Forces of Syria (2000-)" and row["sub_event_type"] == "Government regains territory"
    assert row["marsad_actor1_inferred"] == "paragraph: قوات النظام" and "actor inferred" in row["tags"]
    seize.attrs.pop("actor_inferred")
    [row] = acled_rows([_doc([seize])])
    assert row["actor1"] == "Unidentified Armed Group (Syria)" and row["marsad_actor1_kind"] == "unknown"
    assert row["sub_event_type"] == "Non-state actor overtakes territory" and "actor inferred" not in row["tags"]
    seize.actor, seize.attrs["actor_inferred"] = "UAG", {"id": "SYR.MIL", "text": "x", "basis": "article"}
    [row] = acled_rows([_doc([seize])])  # the report says no one knows who: never overridden
    assert row["actor1"] == "Unidentified Armed Group (Syria)" and row["marsad_actor1_kind"] == "unnamed"
