"""The synthetic corpus generator: deterministic, distinct, realistic enough to exercise every layer."""

import json
import re

from marsad.model import content_id
from marsad.readers import read_paths
from marsad.scale.corpus import count_phrase, generate, main, obfuscate, write_corpus


def test_deterministic_by_seed():
    a = [r["text"] for r in generate(60, seed=7)]
    b = [r["text"] for r in generate(60, seed=7)]
    c = [r["text"] for r in generate(60, seed=8)]
    assert a == b and a != c


def test_articles_are_distinct_and_varied():
    recs = list(generate(400, seed=1))
    assert len({content_id(r["text"]) for r in recs}) == 400
    assert len({r["outlet"] for r in recs}) >= 5
    assert len({r["kind"] for r in recs}) >= 5
    assert len({r["place"] for r in recs}) >= 25
    assert all("2019-01-01" <= r["published"] <= "2021-12-31" for r in recs)
    copies = [r for r in recs if r["copy_of"] is not None]
    assert 0.05 * 400 < len(copies) < 0.25 * 400  # near-duplicates: other outlets re-reporting
    orig = {r["index"]: r for r in recs}
    assert all(orig[c["copy_of"]]["place"] == c["place"] and orig[c["copy_of"]]["outlet"] != c["outlet"]
               or orig[c["copy_of"]]["place"] == c["place"] for c in copies)
    texts = "\n".join(r["text"] for r in recs)
    assert re.search(r"\w+ـ\.\w+", texts)  # anti-censorship spellings
    assert re.search(r"مقتل \S+ مدنيين بينهم (?:طفلان|طفل|امرأة|امرأتان|\S+ أطفال|\S+ نساء)", texts)
    assert "اتصال" in texts and "نزح" in texts
    assert "زر الذهاب إلى الأعلى" in texts  # chrome lines


def test_number_agreement():
    assert count_phrase(1, "civilians") == "مدني"
    assert count_phrase(2, "children") == "طفلان"
    assert count_phrase(5, "civilians") == "خمسة مدنيين"
    assert count_phrase(3, "women") == "ثلاث نساء"
    assert count_phrase(12, "civilians") == "12 مدنياً"
    assert count_phrase(5, "civilians", digits=True) == "5 مدنيين"


def test_obfuscate_breaks_words_with_tatweel_and_dot():
    import random

    out = obfuscate("وقف إطلاق النار في المنطقة", random.Random(1), ["إطلاق"], k=1)
    assert out == "وقف إطلـ.اق النار في المنطقة"


def test_written_files_read_back(tmp_path):
    files = write_corpus(25, tmp_path / "j", "jsonl", seed=3, per_file=10)
    assert len(files) == 3
    arts = [a for a in read_paths([tmp_path / "j"])]
    assert len(arts) == 25 and all(a.outlet and a.published and a.title for a in arts)
    write_corpus(25, tmp_path / "t", "txt", seed=3)
    txt = list(read_paths([tmp_path / "t"]))
    assert len(txt) == 25 and all(a.title for a in txt)
    assert {a.id for a in txt} == {content_id(r["text"]) for r in generate(25, seed=3)}
    line = json.loads((tmp_path / "j" / "corpus_3_0000.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert set(line) == {"text", "title", "outlet", "url", "published"}


def test_command_line(tmp_path, capsys):
    assert main(["--n", "12", "--out", str(tmp_path), "--format", "jsonl", "--seed", "2"]) == 0
    assert len(list(read_paths([tmp_path]))) == 12
