import pytest
"""The document model's offset maps and JSON round trip, and the stage pipeline."""

import random

from marsad.language.normalize import normalize_with_map
from marsad.model import Article, Document, Mention, OffsetMap, Span, Token, Tokens, content_id
from marsad.pipeline import FunctionStage, Pipeline, factory, make_stage


def test_offset_map_runs_and_insertions():
    # derived "abXYcd" from source "ab--cd" where X,Y replaced "--" with nothing mapped
    m = OffsetMap()
    m.add(0, 0, 2)
    m.add(4, 4, 2)
    assert m.to_source(1) == 1 and m.to_source(4) == 4 and m.to_source(5) == 5
    assert m.to_source(2) == 2  # an end offset maps just past the run's last character
    assert m.to_source(3) == 4  # an inserted character maps to the next run
    assert m.span_to_source(0, 6) == (0, 6)
    assert m.runs == [[0, 0, 2], [4, 4, 2]]
    m2 = OffsetMap()
    m2.add(0, 0, 3)
    m2.add(3, 3, 2)
    assert m2.runs == [[0, 0, 5]]  # contiguous runs merge


def _random_map(rng):
    """An OffsetMap with gaps in the source, inserted text in the derived text and empty adds."""
    m = OffsetMap()
    pos = src = 0
    for _ in range(rng.randint(0, 8)):
        src += rng.randint(0, 3)
        if rng.random() < 0.3:
            pos += rng.randint(1, 2)
        n = rng.randint(0, 6)
        m.add(pos, src, n)
        pos += n
        src += n
    return m, pos


def test_to_sources_is_to_source_for_every_offset():
    rng = random.Random(11)
    for _ in range(3000):
        m, length = _random_map(rng)
        offsets = [rng.randint(-1, length + 3) for _ in range(rng.randint(0, 12))]
        if rng.random() < 0.5:  # in order (the fast walk) or not (searches)
            offsets.sort()
        assert m.to_sources(offsets) == [m.to_source(o) for o in offsets], (m.runs, offsets)


def test_document_spans_are_spans_made_one_by_one():
    rng = random.Random(12)
    for _ in range(500):
        m, length = _random_map(rng)
        doc = Document(Article(id="a", raw_text="ب" * (length + 20), clean_text="ت" * length,
                               clean_map=m if rng.random() < 0.8 else None))
        pairs = []
        for _ in range(rng.randint(0, 8)):
            s = rng.randint(0, length)
            pairs.append((s, rng.randint(s - 1 if rng.random() < 0.2 else s, length)))  # some empty spans
        if rng.random() < 0.5:
            pairs.sort()
        assert doc.spans(pairs) == [doc.span(s, e) for s, e in pairs]


def test_normalized_span_maps_back_to_original():
    raw = "قال إنّ إطـلاق النار توقّف"
    norm, omap = normalize_with_map(raw)
    i = norm.index("اطلاق")
    s, e = omap.span_to_source(i, i + len("اطلاق"))
    assert raw[s:e] == "إطـلاق"


def test_compose_maps():
    outer = OffsetMap([[0, 2, 3]])  # C[0:3] = B[2:5]
    inner = OffsetMap([[0, 10, 5]])  # B[0:5] = A[10:15]
    assert outer.compose(inner).to_source(1) == 13


def test_document_span_uses_clean_map_and_round_trips():
    raw = "عنوان\n\nزر الذهاب إلى الأعلى\nنص الخبر هنا"
    clean = "عنوان\n\nنص الخبر هنا"
    cmap = OffsetMap()
    cmap.add(0, 0, 7)
    cmap.add(7, raw.index("نص"), len("نص الخبر هنا"))
    doc = Document(article=Article(id=content_id(raw), raw_text=raw, clean_text=clean, clean_map=cmap))
    sp = doc.span(clean.index("الخبر"), clean.index("الخبر") + 5)
    assert raw[sp.raw_start:sp.raw_end] == "الخبر" == sp.text
    doc.mentions.append(Mention(span=sp, label="MISC"))
    again = Document.from_dict(doc.to_dict())
    assert isinstance(again.mentions[0], Mention) and isinstance(again.mentions[0].span, Span)
    assert isinstance(again.article.clean_map, OffsetMap)
    assert again.to_dict() == doc.to_dict()


def test_tokens_are_columns_that_read_as_token_objects_and_round_trip():
    from marsad.language.stages import LanguageStage

    doc = Document(Article(id="t", raw_text="وبإدلب قصفت الطائرات وبإدلب"))
    LanguageStage()(doc)
    toks = doc.tokens
    assert isinstance(toks, Tokens) and len(toks) == 4 and toks
    first = toks[0]
    assert isinstance(first, Token) and first.text == "وبإدلب" and first.prefixes == ["و", "ب"]
    assert (first.start, first.end) == (0, 6) and (toks[-1].start, toks[-1].end) == (21, 27)
    assert toks.forms[0] is toks.forms[3]  # one shared record per surface form
    assert [t.text for t in toks[1:3]] == ["قصفت", "الطائرات"] == toks.texts()[1:3]
    assert toks.norms()[0] == "وبادلب" and list(toks) == [toks[i] for i in range(4)]
    # JSON: the same Token dicts as a list of Token objects gives, and back to equal columns
    plain = doc.to_dict()["tokens"]
    assert plain == [t.to_dict() for t in toks]
    again = Document.from_dict(doc.to_dict())
    assert isinstance(again.tokens, Tokens) and again.tokens == toks and again.to_dict() == doc.to_dict()
    # a list of Token objects (a caller's own) becomes Tokens; an empty document has none
    assert Document(Article(id="u", raw_text="x"), tokens=list(toks)).tokens == toks
    assert not Document(Article(id="v", raw_text="")).tokens and Tokens.of([]) == []
    assert toks != Tokens.of(list(toks)[:3])


def test_content_id_ignores_whitespace_only_changes():
    assert content_id("نص  الخبر\n") == content_id("نص الخبر")
    assert content_id("نص الخبر") != content_id("نص آخر")


def test_pipeline_runs_stages_in_order_and_times_them():
    seen = []

    @factory("test-a")
    def make_a():
        return FunctionStage("test-a", lambda d: seen.append("a"))

    @factory("test-b")
    def make_b():
        return FunctionStage("test-b", lambda d: seen.append("b"))

    pipe = Pipeline([make_stage("test-a"), make_stage("test-b")])
    doc = pipe(Document(article=Article(id="x", raw_text="نص")))
    assert seen == ["a", "b"] and set(doc.timings) == {"test-a", "test-b"}


def test_default_pipeline_has_the_built_layers():
    names = Pipeline.default().names
    assert names[:1] == ["clean"] or not names  # the language layer comes first when present
    assert names == sorted(names, key=["clean", "language", "entities", "places", "events", "context_actors", "figures"].index)


def test_unknown_stage_is_an_error_naming_it():
    from marsad.errors import PipelineError

    with pytest.raises(PipelineError) as err:
        Pipeline.default(["clean", "langauge"])
    assert err.value.code == "E001" and "'langauge'" in str(err.value) and "language" in str(err.value)


def test_missing_requirement_names_the_stage_and_what_it_needs():
    from marsad.errors import PipelineError

    with pytest.raises(PipelineError, match=r"\[E002\] stage 'figures' requires sentences, tokens, numbers"):
        Pipeline.default(["clean", "figures"])
    with pytest.raises(PipelineError, match=r"\[E002\] stage 'language' requires clean_text"):
        Pipeline.default(["language", "clean"])  # order matters


def test_stage_settings_are_declared_and_checked():
    from marsad.errors import PipelineError
    from marsad.pipeline import stage_info

    assert stage_info("entities").default_config == {"use_ner": True, "ner_networks": None}
    assert "tokens" in stage_info("language").assigns and "tokens" in stage_info("events").requires
    with pytest.raises(PipelineError, match=r"\[E003\] stage 'entities' has no setting 'use_crf'"):
        Pipeline.default(["clean", "language", "entities"], config={"entities": {"use_crf": False}})
    with pytest.raises(PipelineError, match=r"\[E005\]"):
        Pipeline.default(["clean", "language"], config={"entities": {"use_ner": False}})
    text = "قال المحلل سمير خوري إن الوضع هادئ."
    with_ner = Pipeline.default(["clean", "language", "entities"])
    without = Pipeline.default(["clean", "language", "entities"], config={"entities": {"use_ner": False}})
    sources = lambda p: {m.source for m in p(Document(article=Article(id="x", raw_text=text))).mentions}  # noqa: E731
    assert "ner" not in sources(without)
    assert without.stages[2].tagger is None and with_ner.stages[2].tagger is not None
    one = Pipeline.default(["clean", "language", "entities"], config={"entities": {"ner_networks": 1}})
    assert len(one.stages[2].tagger._nn.networks) == 1 < len(with_ner.stages[2].tagger._nn.networks)


def test_a_second_factory_under_a_taken_name_is_refused():
    from marsad.errors import PipelineError

    with pytest.raises(PipelineError, match=r"\[E004\]"):
        factory("clean")(lambda: None)
