"""Cost linear in article length (issue 25): no stage compares every pair of mentions in an article. Counted in
operations, not timed: the place disambiguation's distance computations for an article twice as long."""

import pytest

import marsad.places.resolve as resolve
from marsad.model import Article, Document
from marsad.pipeline import Pipeline

# sentences written for this test: unambiguous villages (anchors) beside names with namesakes elsewhere
LINES = [
    "قصفت قوات النظام بلدة كفرنبل وقرية حاس في ريف إدلب الجنوبي صباح اليوم ({k}).",
    "وسقطت قذائف على قرية الصالحية وبلدة الحامدية قرب سراقب ({k}).",
    "وتعرضت بلدة معرة حرمة وقرية الشيخ منصور لغارات جوية ({k}).",
]


def _text(n: int) -> str:
    return "\n".join(LINES[k % len(LINES)].format(k=k) for k in range(n))


@pytest.fixture(scope="module")
def pipe():
    return Pipeline.default(["clean", "language", "places"])


def _distance_calls(pipe, monkeypatch, n: int) -> int:
    calls = 0
    real = resolve.distance_km

    def counted(*args):
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(resolve, "distance_km", counted)
    text = _text(n)
    pipe(Document(article=Article(id=f"t{n}", raw_text=text)))
    monkeypatch.setattr(resolve, "distance_km", real)
    return calls


def test_place_disambiguation_grows_linearly(pipe, monkeypatch):
    small = _distance_calls(pipe, monkeypatch, 60)
    large = _distance_calls(pipe, monkeypatch, 240)
    assert small > 0
    assert large <= 4 * small * 1.25, (small, large)  # 4× the text: about 4× the work, not 16×
