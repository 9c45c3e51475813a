"""`marsad ner --conll IN -o OUT`: tags a CoNLL file, keeps its sentence breaks, scores against gold tags."""

from typer.testing import CliRunner

from marsad.cli.main import app
from marsad.entities.ner import read_conll_file, tag_long, get_tagger

GOLD = """وصل B-PERS
علي I-PERS
الحسن I-PERS
إلى O
بيروت B-LOC
. O

وقال O
المتحدث O
باسم O
الأمم B-ORG
المتحدة I-ORG
إن O
الوضع O
هادئ O
. O
"""


def _run(tmp_path, text):
    src = tmp_path / "in.conll"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.tsv"
    res = CliRunner().invoke(app, ["ner", "--conll", str(src), "-o", str(out)])
    return res, out


def test_ner_conll_keeps_sentences_and_prints_scores(tmp_path):
    res, out = _run(tmp_path, GOLD)
    assert res.exit_code == 0, res.output
    lines = out.read_text(encoding="utf-8").split("\n")
    blocks = out.read_text(encoding="utf-8").strip("\n").split("\n\n")
    assert [len(b.split("\n")) for b in blocks] == [6, 9]
    rows = [ln.split("\t") for ln in lines if ln]
    assert [r[0] for r in rows][:3] == ["وصل", "علي", "الحسن"]
    assert all(len(r) == 2 and (r[1] == "O" or r[1][:2] in ("B-", "I-")) for r in rows)
    assert dict((r[0], r[1]) for r in rows)["بيروت"] == "B-LOC"
    for lab in ("PER", "ORG", "LOC", "MISC", "overall"):
        assert any(line.startswith(lab) for line in res.output.splitlines()), res.output


def test_ner_conll_without_gold_prints_no_scores(tmp_path):
    res, out = _run(tmp_path, "".join(line.split()[0] + "\n" if line else "\n" for line in GOLD.split("\n")[:-1]))
    assert res.exit_code == 0, res.output
    assert "overall" not in res.output
    assert len([ln for ln in out.read_text(encoding="utf-8").split("\n") if ln]) == 15


def test_ner_conll_bad_input_is_a_clear_error(tmp_path):
    res, _ = _run(tmp_path, "كلمة B-PER زائد\n")
    assert res.exit_code == 2 and "1" in res.output and "columns" in res.output
    res, _ = _run(tmp_path, "كلمة X-PER\n")
    assert res.exit_code == 2 and "IOB" in res.output
    res = CliRunner().invoke(app, ["ner", "--conll", str(tmp_path / "missing.conll"), "-o", str(tmp_path / "o")])
    assert res.exit_code == 2


def test_read_conll_file_and_long_runs(tmp_path):
    p = tmp_path / "a.conll"
    p.write_text("زار B-PERS\nعلي I-PERS\n\nثم O\n", encoding="utf-8")
    sents, golds = read_conll_file(p)
    assert sents == [["زار", "علي"], ["ثم"]] and golds == [["B-PER", "I-PER"], ["O"]]
    words = ("وصل الوفد إلى حلب أمس . " * 60).split()
    tags = tag_long(get_tagger(), words)
    assert len(tags) == len(words) and tags == get_tagger().tag(words[:6]) * 60


def test_ner_conll_keeps_a_token_with_a_space_inside(tmp_path):
    """ANERcorp itself has a line «. الإصابة O»: the last column is the tag, the rest one token; nothing is lost."""
    res, out = _run(tmp_path, "وصل O\n. الإصابة O\nعلي B-PERS\n")
    assert res.exit_code == 0, res.output
    rows = [ln.split("\t") for ln in out.read_text(encoding="utf-8").split("\n") if ln]
    assert [r[0] for r in rows] == ["وصل", ". الإصابة", "علي"]
    assert "space inside" in res.output


def test_ner_conll_runs_fewer_networks_when_asked(tmp_path):
    src = tmp_path / "in.conll"
    src.write_text(GOLD, encoding="utf-8")
    out = tmp_path / "out.tsv"
    res = CliRunner().invoke(app, ["ner", "--conll", str(src), "-o", str(out), "--networks", "1"])
    assert res.exit_code == 0, res.output
    assert len(get_tagger(1)._nn.networks) == 1
    assert len(out.read_text(encoding="utf-8").strip("\n").split("\n\n")) == 2
    bad = CliRunner().invoke(app, ["ner", "--conll", str(src), "-o", str(out), "--networks", "0"])
    assert bad.exit_code == 2
