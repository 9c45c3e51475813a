import pytest

from marsad.language.numbers import digits_value, find_numbers, parse_number


def nums(text):
    return [(text[s:e], v) for s, e, v, *_ in find_numbers(text)]


@pytest.mark.parametrize(
    "text,value",
    [
        ("1,200", 1200),
        ("1.200", 1200),
        ("١٬٢٠٠", 1200),
        ("١٢٠٠", 1200),
        ("2.5", 2.5),
        ("٢٫٥", 2.5),
        ("1,200,000", 1200000),
        ("ثلاثة", 3),
        ("خمسة عشر", 15),
        ("خمسة وعشرون", 25),
        ("تسعمائة ألف", 900000),
        ("900 ألف", 900000),
        ("2.5 مليون", 2500000),
        ("مليونين و800 ألف", 2800000),
        ("ثلاثة آلاف", 3000),
        ("ألف وخمسمائة", 1500),
        ("مئتي", 200),
    ],
)
def test_exact_numbers(text, value):
    ref = parse_number(f"قال إن {text} شخص")
    assert ref is not None and not ref.vague
    assert ref.value == value
    assert ref.span.text == text


@pytest.mark.parametrize(
    "word,low,acled",
    [("عشرات", 10, 10), ("العشرات", 10, 10), ("مئات", 100, 100), ("آلاف", 1000, 1000), ("الآلاف", 1000, 1000),
     ("عشرات الآلاف", 10000, 10000), ("مئات الآلاف", 100000, 100000)],
)
def test_vague_counts(word, low, acled):
    ref = parse_number(f"نزح {word} من المدنيين")
    assert ref.vague and ref.value is None
    assert ref.low == low and ref.acled_value == acled and ref.high > ref.low
    assert ref.span.text == word


def test_clitic_before_number_is_outside_span():
    assert nums("وثلاثة آخرون") == [("ثلاثة", 3)]
    assert nums("ومئات المدنيين")[0][0] == "مئات"
    assert nums("بثلاثة صواريخ") == [("ثلاثة", 3)]


def test_separate_numbers_stay_apart():
    assert nums("قتل 48 مدنيًا و132 مصابًا") == [("48", 48), ("132", 132)]
    assert nums("يومي 28 و29") == [("28", 28), ("29", 29)]
    assert nums("نزوح 65452 عائلة (425438 نسمة)") == [("65452", 65452), ("425438", 425438)]


@pytest.mark.parametrize("text", ["في 1.5.2019", "في 29/5/2019", "قمة العشرين", "الساعة الحادية عشرة", "مستشفى ميداني"])
def test_not_numbers(text):
    assert find_numbers(text) == []


def test_digits_value_rejects_dates():
    assert digits_value("1.5.2019") is None
    assert digits_value("12") == 12


def test_parse_number_none():
    assert parse_number("لا أرقام هنا") is None
