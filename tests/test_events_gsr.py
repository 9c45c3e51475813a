"""`marsad eval gsr`: loading, folds by document, relevance and role scoring (on a small folder written here)."""

import csv
import json

from marsad.events import gsr

ROWS = [
    ("AAW_ARB_20070101.0001-1", "yes", "قصفت طائرات حربية قرية في شمال البلاد صباح اليوم وقتلت خمسة مدنيين."),
    ("AAW_ARB_20070101.0001-2", "easy no", "افتتح الوزير معرضا للكتاب في العاصمة."),
    ("AAW_ARB_20070101.0002-1", "ambiguous", "تحدث التقرير عن الهجمات في السنوات الماضية."),
    ("AAW_ARB_20070102.0003-4", "difficult no", "دعا الرئيس إلى وقف الهجمات على المدنيين."),
]


def _write(tmp_path):
    for name in ("assault", "protest"):
        with open(tmp_path / f"{name}_sentences.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "event_type", "label", "accept", "reject", "total", "text"])
            for sid, label, text in ROWS:
                w.writerow([sid, name.upper(), label, 0, 0, 3, text])
    spans = [{"source": ROWS[0][0], "text": ROWS[0][2], "spans": [
        {"source_actor": ["طائرات", "حربية"], "verb": ["قصفت"], "target_actor": ["قرية"]}]}]
    (tmp_path / "assault_spans.json").write_text(json.dumps(spans, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_load_folds_dates_and_spans(tmp_path):
    ss = gsr.load(_write(tmp_path), k=5)
    assert len(ss) == 8
    a = [s for s in ss if s.type == "ASSAULT"]
    assert a[0].doc == "AAW_ARB_20070101.0001" and a[0].date == "2007-01-01"
    assert a[0].fold == a[1].fold  # one document, one fold
    assert a[0].spans and gsr.span_words("طائرات حربية") == a[0].source_words
    assert gsr.span_words("قرية") == a[0].target_words
    assert not a[1].spans


def test_score_leaves_ambiguous_out_and_counts_roles(tmp_path):
    from marsad.model import Event, Span

    ss = gsr.load(_write(tmp_path), k=5)
    text0 = ROWS[0][2]
    s0 = text0.index("طائرات")
    ev = Event(id="x", type="ASSAULT", spans={"actor": Span(s0, s0 + len("طائرات حربية"), "طائرات حربية")})
    predicted = {ROWS[0][0], ROWS[2][0], ROWS[3][0]}  # one hit, one ambiguous (left out), one false positive
    rep = gsr.score(ss, lambda s: s.id in predicted and s.type == "ASSAULT",
                    lambda s: [ev] if s.id == ROWS[0][0] and s.type == "ASSAULT" else [])
    r = rep["ASSAULT"]
    assert (r["tp"], r["fp"], r["fn"]) == (1, 1, 0)
    assert r["ambiguous_left_out"] == 1 and r["ambiguous_predicted"] == 1
    assert r["actor_overlap"] == 1.0 and r["actor_n"] == 1
    assert r["target_overlap"] == 0.0 and r["target_n"] == 1  # no recipient coded
    assert rep["PROTEST"]["tp"] == 0 and rep["PROTEST"]["fn"] == 1


def test_evaluate_runs_the_pipeline(tmp_path):
    rep = gsr.evaluate(_write(tmp_path), k=2, learned=False)
    assert rep["sentences"] == 8
    assert rep["ASSAULT"]["tp"] + rep["ASSAULT"]["fn"] == 1
    assert "F1" in gsr.format_report(rep)
