"""ACLED view mapping and the gold evaluation (perfect system = 1.0, empty system = 0 recall)."""

import csv
import json

import pytest

from marsad.model import Article, DateRef, Document, Entity, Event, Figure, Place, Span
from marsad.events.acled import COLUMNS, acled_rows, actor_code, classify, write_acled_csv
from marsad.events.evaluate import evaluate, main


def ev(type_, mode=None, form=None, actor=None, recipient=None, places=(), date=None, **kw):
    return Event(id=kw.pop("id", "e1"), type=type_, mode=mode, actor=actor, recipient=recipient, places=list(places),
                 date=date, evidence=Span(0, 10, "نص الحدث"), attrs={"form": form} if form else {}, **kw)


@pytest.mark.parametrize("type_,mode,form,expected", [
    ("ASSAULT", "aerial", "airstrike", ("Explosions/Remote violence", "Air/drone strike")),
    ("ASSAULT", "drone", "drone_strike", ("Explosions/Remote violence", "Air/drone strike")),
    ("ASSAULT", "heavy-weapons", "shelling", ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    ("ASSAULT", None, "clash", ("Battles", "Armed clash")),
    ("PROTEST", "demo", "protest", ("Protests", "Peaceful protest")),
    ("CONSULT", "phone", "phone_call", (None, None)),  # ACLED does not code calls
    ("AGREE", None, "agreement", ("Strategic developments", "Agreement")),
])
def test_acled_types(type_, mode, form, expected):
    assert classify(ev(type_, mode, form))[1:] == expected


def test_territory_depends_on_who_takes_it():
    assert classify(ev("COERCE", "seize", "territory", actor="SYR.MIL"))[2] == "Government regains territory"
    assert classify(ev("COERCE", "seize", "territory", actor="SYR.REB"))[2] == "Non-state actor overtakes territory"


def test_actor_codes():
    assert actor_code("TUR.GOV.erdogan") == ("TUR", "GOV")
    assert actor_code("actor:SYR.MIL") == ("SYR", "MIL")
    assert actor_code("TUR") == ("TUR", "GOV")
    assert actor_code(None) == (None, None)


def _doc():
    a = Article(id="a1", raw_text="x", outlet="عنب بلدي")
    d = Document(a)
    d.places = [Place(id="p1", name="كفر نبل", lat=35.6, lon=36.5, kind="town", precision=1, admin1="إدلب", admin2="معرة النعمان"),
                Place(id="p2", name="أريحا", lat=35.8, lon=36.6, kind="town", precision=1, admin1="إدلب")]
    d.events = [ev("ASSAULT", "aerial", "airstrike", actor="RUS.MIL", recipient="SYR.CIV", places=["p1", "p2"],
                   date=DateRef("2019-05-29", "day"), id="E1"),
                ev("ASSAULT", "heavy-weapons", "shelling", actor="SYR.MIL", date=DateRef("2019-05", "month"), id="E2",
                   negated=True, modality="denied")]
    d.figures = [Figure(kind="killed", group="civilians", value=12, attrs={"event_id": "E1"}),
                 Figure(kind="killed", group="civilians", value=9, attrs={"event_id": "E1"}),
                 Figure(kind="killed", group="children", value=4, parent=0, attrs={"event_id": "E1"}),
                 Figure(kind="killed", group="civilians", value=300, attrs={"event_id": "E1", "period_text": "منذ شهر"})]
    return d


def test_rows_per_place_fatalities_conservative(tmp_path):
    rows = acled_rows([_doc()])
    assert len(rows) == 2  # one per place; the denied event is left out
    assert set(COLUMNS) <= set(rows[0])
    r = rows[0]
    assert (r["event_type"], r["sub_event_type"], r["time_precision"], r["geo_precision"]) == (
        "Explosions/Remote violence", "Air/drone strike", 1, 1)
    assert r["fatalities"] == 9 and rows[1]["fatalities"] == 0  # lowest report; not repeated per place
    assert r["admin1"] == "إدلب" and r["latitude"] == 35.6 and r["country"] == "Syria" and r["source"] == "عنب بلدي"
    assert r["civilian_targeting"] == "Civilian targeting" and r["year"] == 2019
    out = tmp_path / "acled.csv"
    assert write_acled_csv(rows, out) == 2
    with open(out, encoding="utf-8") as fh:
        assert next(csv.reader(fh))[: len(COLUMNS)] == COLUMNS


def test_vague_fatalities_use_convention_and_unknown_is_zero():
    d = _doc()
    d.figures = [Figure(kind="killed", group="civilians", low=10, high=99, attrs={"event_id": "E1", "acled_value": 10})]
    assert acled_rows([d])[0]["fatalities"] == 10
    d.figures = []
    assert acled_rows([d])[0]["fatalities"] == 0


def test_month_precision_and_bare_events():
    e = ev("PROTEST", "demo", "protest", date=DateRef("2019-05-01", "month"), places=["p9"])
    [r] = acled_rows([e], places={"p9": Place(id="p9", name="إدلب", kind="governorate", precision=3)})
    assert r["time_precision"] == 3 and r["event_type"] == "Protests" and r["geo_precision"] == 3
    assert acled_rows([ev("PROTEST", "demo", "protest")]) == []  # no place: ACLED would not code it


# ---------------------------------------------------------------------------------------------- evaluation

GOLD = {
    "sample": "s.txt", "article_id": "a1", "published": "2019-05-29",
    "events": [
        {"type": "ASSAULT", "actor": {"code": "RUS.MIL"}, "recipient": {"code": "CIV"},
         "places": [{"name": "كفرنبل", "id": "p1"}], "date": {"value": "2019-05-29", "precision": "day"}},
        {"type": "CONSULT", "actor": {"code": "TUR.GOV", "id": "TUR.GOV.erdogan"}, "recipient": {"code": "RUS.GOV"},
         "places": [], "date": None},
    ],
    "figures": [{"kind": "killed", "group": "civilians", "value": 12, "reporter": {"text": "الدفاع المدني"}}],
}


def _gold_file(tmp_path):
    p = tmp_path / "gold.jsonl"
    p.write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    return p


def _perfect_doc():
    d = _doc()
    d.events = [ev("ASSAULT", "aerial", "airstrike", actor="RUS.MIL", recipient="SYR.CIV", places=["p1"],
                   date=DateRef("2019-05-29", "day"), id="E1"),
                ev("CONSULT", "phone", actor="TUR.GOV.erdogan", recipient="RUS.GOV.putin", id="E2")]
    d.figures = [Figure(kind="killed", group="civilians", value=12, reporter="SYR.NGO.cd", reporter_text="الدفاع المدني")]
    return d


def test_perfect_system_scores_one(tmp_path):
    rep = evaluate(_gold_file(tmp_path), [_perfect_doc()])
    for part in ("events", "figures"):
        for lvl, r in rep[part].items():
            assert (r["precision"], r["recall"], r["f1"]) == (1.0, 1.0, 1.0), (part, lvl)


def test_empty_system_has_zero_recall(tmp_path):
    d = Document(Article(id="a1", raw_text="x"))
    rep = evaluate(_gold_file(tmp_path), [d])
    assert rep["events"]["type"]["recall"] == 0 and rep["figures"]["value"]["recall"] == 0


def test_wrong_fields_lower_strict_levels_only(tmp_path):
    d = _perfect_doc()
    d.events[0].actor = "TUR.MIL"
    d.events[0].date = DateRef("2019-05-20", "day")
    d.figures[0].reporter, d.figures[0].reporter_text = None, None
    rep = evaluate(_gold_file(tmp_path), [d])
    assert rep["events"]["full"]["tp"] == 1 and rep["events"]["type"]["tp"] == 2
    assert rep["figures"]["full"]["tp"] == 0 and rep["figures"]["kind_group_value"]["tp"] == 1


def test_missing_article_is_reported(tmp_path):
    rep = evaluate(_gold_file(tmp_path), [])
    assert rep["missing_articles"] == ["s.txt"] and rep["events"]["type"]["recall"] == 0


def test_shipped_gold_names_the_samples(sample_paths):
    from pathlib import Path
    from marsad.events.evaluate import load_gold
    from marsad.model import content_id

    gold = load_gold(Path(__file__).resolve().parent.parent / "gold" / "samples_gold.jsonl")
    by_name = {p.name: p for p in sample_paths}
    assert len(gold) == 5
    for g in gold:
        raw = by_name[g["sample"]].read_text(encoding="utf-8")
        assert g["article_id"] == content_id(raw)
        for e in g["events"]:
            assert raw[e["trigger_offset"]:].startswith(e["trigger"])


def test_main_prints_table(tmp_path, capsys, sample_paths):
    from pathlib import Path

    gold = Path(__file__).resolve().parent.parent / "gold" / "samples_gold.jsonl"
    assert main([str(gold), "--samples", str(sample_paths[0].parent)]) == 0
    out = capsys.readouterr().out
    assert "events" in out and "figures" in out and "type_actor" in out
