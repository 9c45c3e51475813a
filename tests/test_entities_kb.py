"""Actor-base linking, clitics, date ranges and in-document coreference (own sentences)."""

import pytest

from marsad.entities.kb import get_actor_base
from marsad.entities.stages import EntityStage
from marsad.model import Article, DateRef, Document
from marsad.pipeline import Pipeline

_LANG = Pipeline.default(["clean", "language"])  # the entities stage reads the language layer's tokens


@pytest.fixture(scope="module")
def stage():
    return EntityStage(use_ner=False)


def run(stage, text, date=None):
    art = Article(id="t", raw_text=text, published=DateRef(date, "day") if date else None)
    return stage(_LANG(Document(article=art)))


def ids(doc, source=None):
    return {m.entity_id for m in doc.mentions if m.entity_id and (source is None or m.source == source)}


def test_kb_size_and_required_actors():
    kb = get_actor_base()
    assert len(kb) > 300
    for aid in ("TUR.GOV.erdogan", "RUS.GOV.putin", "RUS.GOV", "SYR.GOV", "SYR.REB", "SYR.REB.nlf", "IGO.UN",
                "IGO.UN.guterres", "SYR.NGO.civil_defence", "SYR.NGO.response_coordinators", "NGO.uossm",
                "SYR.REB.hts", "SYR.REB.sdf", "SYR.REB.sna", "TUR.MIL", "RUS.MIL", "TUR.GOV.mod", "TUR.GOV.akar",
                "USA.GOV.trump", "TUR.GOV.presidency", "TUR.GOV.mfa", "RUS.GOV.rosgvardia", "SYR.NGO.sohr",
                "IRN.MIL.militias"):
        assert aid in kb.actors, aid


def test_three_erdogan_forms_one_entity(stage):
    doc = run(stage, "التقى الرئيس التركي رجب طيب أردوغان وفدا من رجال الأعمال، وقال أردوغان إن الاقتصاد قوي.",
              "2019-06-01")
    erd = [e for e in doc.entities if e.id == "TUR.GOV.erdogan"]
    assert len(erd) == 1
    texts = {m.span.text for m in erd[0].mentions}
    assert {"الرئيس التركي", "رجب طيب أردوغان", "أردوغان"} <= texts
    assert erd[0].country == "TUR" and erd[0].sector == "GOV" and erd[0].label == "PER"


def test_clitics_and_offsets(stage):
    text = "اجتمع الوزير مع الوفد وبوتين في القاعة، ثم اتصل بالكرملين وللأمم المتحدة."
    doc = run(stage, text, "2019-06-01")
    got = {m.entity_id: m.span.text for m in doc.mentions}
    assert got["RUS.GOV.putin"] == "بوتين"  # و left out of the span
    assert got["RUS.GOV"] == "الكرملين"
    assert "IGO.UN" in got
    for m in doc.mentions:
        assert text[m.span.start:m.span.end] == m.span.text


def test_longest_match_and_nationality_phrases(stage):
    doc = run(stage, "قصفت القوات التركية مواقع لقوات النظام، بينما شنت طائرات روسية غارات، وقال الجانب التركي إن "
                     "مجلس الأمن القومي التركي اجتمع.", "2020-02-28")
    got = ids(doc)
    assert {"TUR.MIL", "SYR.GOV", "RUS.MIL", "TUR", "TUR.GOV.nsc"} <= got
    assert "IGO.UNSC" not in got  # the longer phrase wins over مجلس الأمن


def test_date_range_rule(stage):
    text = "أعلنت هيئة تحرير الشام سيطرتها على القرية، وقال الرئيس الأمريكي إن بلاده تراقب."
    late = ids(run(stage, text, "2019-05-01"))
    early = ids(run(stage, text, "2015-05-01"))
    assert "SYR.REB.hts" in late and "SYR.REB.hts" not in early
    assert "USA.GOV.trump" in late and "USA.GOV.obama" in early and "USA.GOV.trump" not in early


def test_role_blocker(stage):
    doc = run(stage, "قال نائب وزير الخارجية الروسي إن المحادثات مستمرة.", "2019-05-01")
    got = ids(doc)
    assert "RUS.GOV.lavrov" not in got and "RUS.GOV.mfa" in got


def test_coref_counterpart(stage):
    doc = run(stage, "بحث أردوغان هاتفيا مع نظيره الروسي الوضع في المنطقة. وقال وزير الدفاع التركي خلوصي أكار لنظيره "
                     "الروسي إن التهدئة ضرورية.", "2019-05-14")
    coref = [m for m in doc.mentions if m.source == "coref"]
    got = [(m.span.text, m.entity_id) for m in coref]
    assert ("نظيره الروسي", "RUS.GOV.putin") in got
    assert any(t.endswith("نظيره الروسي") and e == "RUS.GOV.shoigu" for t, e in got)


def test_coref_duals(stage):
    doc = run(stage, "اتصل بوتين بأردوغان، وناقش الرئيسان الوضع. ثم أجرى الجانبان التركي والروسي محادثات، "
                     "واتفق الرئيسين التركي والروسي على لقاء.", "2019-05-14")
    by_text: dict = {}
    for m in doc.mentions:
        if m.source == "coref":
            by_text.setdefault(m.span.text, set()).add(m.entity_id)
    assert by_text["الرئيسان"] == {"TUR.GOV.erdogan", "RUS.GOV.putin"}
    assert by_text["الجانبان التركي والروسي"] == {"TUR", "RUS"}
    assert by_text["الرئيسين التركي والروسي"] == {"TUR.GOV.erdogan", "RUS.GOV.putin"}


def test_no_actor_no_mention(stage):
    doc = run(stage, "هطلت أمطار غزيرة على المدينة أمس.")
    assert not [m for m in doc.mentions if m.source in ("kb", "coref")]


def test_proclitic_readings_reach_actor_names():
    kb = get_actor_base()
    assert "القوات" in {v[0] for v in kb.variants("وبالقوات")}
    assert "الامم" in {v[0] for v in kb.variants("للامم")}


def test_empty_document(stage):
    doc = run(stage, "")
    assert doc.entities == [] and doc.mentions == []


def test_petrarch_people_coded_by_their_organisation_are_people():
    """The PETRARCH dictionary codes bin Laden (IMG), Kofi Annan and Solana (IGO) by their organisation; the actor
    base types such dated name entries as persons, and named bodies (صندوق، جماعة …) as organisations."""
    import json

    from marsad.entities.kb import ENT_DIR
    from marsad.language.normalize import normalize

    actors = json.loads((ENT_DIR / "actors.json").read_text(encoding="utf-8"))["actors"]
    by_name = {normalize(a["name"]): a for a in actors.values() if a.get("source") == "petrarch"}
    for name in ("كوفي أنان", "خافيير سولانا", "أسامة بن لادن", "أيمن الظواهري"):
        a = by_name[normalize(name)]
        assert a["type"] == "person" and a["label"] == "PER", a
    for name in ("صندوق نقد دولي", "برنامج غذاء عالمي"):
        assert by_name[normalize(name)]["type"] == "org"
