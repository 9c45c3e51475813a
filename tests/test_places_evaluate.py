"""The places evaluation: labelled names resolved to gazetteer records, recall and event places counted."""

import json

import pytest

from marsad.places.evaluate import evaluate_pages, resolve_label
from marsad.places.gazetteer import get_gazetteer


@pytest.fixture(scope="module")
def gz():
    return get_gazetteer()


def test_spelling_variants_resolve_to_one_record(gz):
    a, _ = resolve_label("كفرنبل", gz)
    b, how = resolve_label("كفر نبل", gz)
    assert a is not None and b is not None and a.id == b.id


def test_countryside_label_is_the_region(gz):
    r, how = resolve_label("ريف إدلب الجنوبي", gz)
    assert r is not None and r.kind == "region" and r.a1 == "SY07"


def test_town_wins_over_its_subdistrict(gz):
    r, _ = resolve_label("دارة عزة", gz)
    assert r is not None and r.kind != "subdistrict"


def test_unknown_name_is_reported_not_guessed(gz):
    r, how = resolve_label("قريةلاوجودلها", gz)
    assert r is None and how


def test_pages_scored(tmp_path, gz):
    pages = [
        {"text": "قصفت الطائرات الحربية بلدة سراقب في ريف إدلب الشرقي صباح اليوم.", "main_places": ["سراقب"]},
        {"text": "عقد الرئيسان اجتماعا في موسكو لبحث الوضع.", "main_places": ["كفرنبل"]},
    ]
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in pages) + "\n", encoding="utf-8")
    rep = evaluate_pages(path, gz=gz)
    assert rep["main_places"] == 2
    assert rep["main_found"] == 1
    assert rep["missed"][0]["name"] == "كفرنبل"
    assert any(g["name"] == "سراقب" for g in rep["geocodes"])
