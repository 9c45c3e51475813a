"""marsad.errors: every message has one stable code, reads as "[CODE] text", and carries how the API answers it."""

from __future__ import annotations

import re

import pytest

from marsad.errors import Errors, MarsadError, Message, Notes, PipelineError, RequestError, Warnings, all_messages


def test_codes_are_unique_and_match_their_prefix():
    msgs = all_messages()
    codes = [m.code for m in msgs]
    assert len(codes) == len(set(codes)) and len(codes) > 20
    for m in msgs:
        assert re.fullmatch(r"[EWN]\d{3}", m.code)
        assert str(m) == f"[{m.code}] {m.text}"
    assert all(m.code.startswith("E") for m in Errors) and all(m.code.startswith("W") for m in Warnings)
    assert all(m.code.startswith("N") for m in Notes)


def test_a_code_cannot_be_defined_twice():
    with pytest.raises(TypeError, match="E001"):
        class Again(Errors):  # noqa: F841
            E001 = "another text"


def test_coded_string_and_message_with_fields_give_the_same_error():
    a = RequestError(Errors.E301, name="from", value="soon")
    b = RequestError(Errors.E301.format(name="from", value="soon"))
    assert str(a) == str(b) == "[E301] from: 'soon' is not a date; use YYYY-MM-DD (or YYYY-MM, YYYY)"
    assert a.code == b.code == "E301" and a.text == b.text and a.status == b.status == 400
    assert a.body() == {"error": "bad_request", "code": "E301", "message": a.text}
    assert isinstance(a, ValueError) and isinstance(PipelineError(Errors.E001.format(name="x", known="y")),
                                                    ValueError)
    busy = MarsadError(Errors.E201)
    assert (busy.status, busy.kind) == (503, "store_busy")
    plain = MarsadError("no code here")
    assert plain.code is None and plain.text == "no code here"


def test_message_call_fills_the_text_without_the_code():
    m = Message("{n} files", code="N999")
    assert m(n=3) == "3 files" and m.format(n=3) == "[N999] 3 files"
