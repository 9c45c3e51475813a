"""The language layer's fast paths give what the plain forms they replace give.

Each fast path (str methods instead of regex scans, head-driven date matching, cached stretches of tokens…) is
checked against a straightforward reference written here, on the shared samples and on random text built from
the characters that matter to it.
"""

import random
import re

import pytest

from marsad.language import clean as C
from marsad.language import dates as D
from marsad.language import segment as S
from marsad.language.normalize import _TABLE, normalize
from marsad.language.resources import load_json
from marsad.language.stages import LanguageStage
from marsad.model import Token
from marsad.paths import samples_dir

AR = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3"


@pytest.fixture(scope="module")
def samples():
    return [p.read_text(encoding="utf-8") for p in sorted(samples_dir().glob("*.txt"))]


@pytest.fixture(scope="module")
def lang():
    return LanguageStage()


def randoms(alphabet, n, longest, seed):
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(n)]


# ---------------------------------------------------------------------------------------------- normalize


def test_normalize_matches_the_full_table():
    full = lambda t: t.translate(_TABLE).lower()  # noqa: E731
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000] + ["\U0001d400", "\U00010400"]
    for c in chars:
        for t in (c, "أ" + c + "ة", "\u064e" + c + "ى", "İΣ" + c):
            assert normalize(t) == full(t), hex(ord(c))
    alphabet = [chr(k) for k in _TABLE] + list("أإآىةابتAZİΣς ")
    for t in randoms(alphabet, 3000, 20, 1):
        assert normalize(t) == full(t)


# ---------------------------------------------------------------------------------------------- clean


def test_key_matches_the_regex_form(samples):
    space, trail = re.compile(r"\s+"), re.compile(r"[\s.:،,!؟?…\-–]+$")
    ref = lambda line: trail.sub("", space.sub(" ", normalize(line)).strip())  # noqa: E731
    lines = [line for t in samples for line in t.split("\n")]
    alphabet = list(" \t\r\x0b\x0c\x1c\u00a0\u2003\u3000.:،,!؟?…-–—ـًأةabcA1٢")
    for line in lines + randoms(alphabet, 5000, 12, 2):
        assert C._key(line) == ref(line), repr(line)


def test_any_search_matches_searching_each_pattern(samples):
    chrome = load_json("chrome.json")
    keys = [C._key(line) for t in samples for line in t.split("\n")] + [C._key(x) for x in chrome["exact"]]
    keys += ["camera icon x", "ع ع ع", "foo icon", "ادعم عنب", "المصدر : انترنت", "تابعونا على", "اضغط هنا",
             "متابعه الوسيله:", "اعداد: فلان", "فلان - وكالات", "اخبار سوريا", "عاجل", "سلايد رئيسي"]
    for name in ("regex", "byline", "source_line", "section_labels"):
        fast = C._any_search(chrome[name])
        for k in keys:
            assert fast(k) == any(re.search(p, k) for p in chrome[name]), (name, k)
    # a shared group name, top-level |, a class, plain phrases (substring tests), phrases at the end (endswith)
    mixed = ["^(?P<x>a)b", "^(?P<x>c)", "z$", "^q|r", "^[|]s", "مم ن", "يصنع الفرق$", "و$", "k.l", "t$u"]
    fast = C._any_search(mixed)
    for k in ["ab", "cx", "az", "xr", "qq", "|s", "s", "no", "امم نب", "مم", "هذا يصنع الفرق", "يصنع الفرق.",
              "و", "وا", "kxl", "kl", "t", "tu"]:
        assert fast(k) == any(re.search(p, k) for p in mixed), k


def test_obfuscation_pattern_matches_the_plain_form():
    marks = C._MARKS
    ref = re.compile(rf"(?<=[{AR}])[{marks}\u064b-\u0652]*[{marks}][{marks}\u064b-\u0652]*(?=[{AR}])")
    alphabet = list("بتثاأ") + list(marks) + ["\u064b", "\u064e", "\u0651", "\u0652", "\u0653", " ", "1", "a"]
    for t in randoms(alphabet, 20000, 14, 3):
        assert [m.span() for m in C._OBFUSCATION.finditer(t)] == [m.span() for m in ref.finditer(t)], t


def test_obfuscation_runs_are_the_pattern_matches(samples):
    alphabet = list("بتثاأخ ،5a") + list(C._MARKS) + ["\u064b", "\u064e", "\u0651", "\u0652", "\u0653", "ـ.", ".."]
    for t in samples + randoms(alphabet, 20000, 30, 13):
        assert [m.span() for m in C.obfuscation_runs(t)] == [m.span() for m in C._OBFUSCATION.finditer(t)], t


# ---------------------------------------------------------------------------------------------- sentences, tokens

_REF_TOKEN = re.compile(
    rf"[{AR}\u0640\u064b-\u065f\u0670]+"
    r"|[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,\u066b\u066c/:][0-9\u0660-\u0669\u06f0-\u06f9]+)*"
    r"|[A-Za-z0-9_]+(?:['’\-][A-Za-z0-9_]+)*"
    r"|\S"
)
_REF_END = re.compile(
    rf"(?:[.!?\u061f\u2026\u06d4]+[{re.escape(S._CLOSERS)}]*)(?=\s|$)" rf"|(?<=[{AR}]{{2}})\.(?=[{AR}])" r"|\n"
)
_REF_PREV_WORD = re.compile(rf"([{AR}\u0640.]+)$")


def ref_sentence_bounds(text):
    """sentence_bounds as a regex scan (the form the fast one replaces)."""
    abbrevs = S._abbreviations()
    out, start = [], 0
    for m in _REF_END.finditer(text):
        s, e = m.span()
        if text[s] == "." and text[s:e].rstrip(S._CLOSERS) == ".":
            pw = _REF_PREV_WORD.search(text, max(0, s - 12), s)
            if pw is not None:
                w = pw.group(1).replace("\u0640", "")
                last = w.rsplit(".", 1)[-1]
                if len(last) <= 1 or normalize(w) in abbrevs or normalize(last) in abbrevs:
                    continue
        S._emit(text, start, s if text[s] == "\n" else e, out)  # trimming: not a fast path
        start = e
    S._emit(text, start, len(text), out)
    return out


SENTENCE_ALPHABET = list("بتاببب.!?\u061f\u2026\u06d4\n \t\"'”’»)]}›ـ1٢a") + ["\u064e", "\r", ". ", ".\n", "د. ", "ق.م. "]


def test_sentences_and_token_pattern_match_the_regex_scan(samples):
    for t in samples + randoms(SENTENCE_ALPHABET, 20000, 25, 4):
        assert S.sentence_bounds(t) == ref_sentence_bounds(t), repr(t)
        assert S.TOKEN_RE.findall(t) == _REF_TOKEN.findall(t), repr(t)


def ref_tokens(lang, text):
    out, num, spots, heads = [], [], [], []
    pos = 0
    for w in _REF_TOKEN.findall(text):
        s = text.find(w, pos)
        pos = s + len(w)
        (w2, norm, base, pre, suf), marks = lang.analyse_form(w)
        assert w2 == w
        if marks is not None:
            if marks[0]:
                num.append(len(out))
            if marks[1]:
                spots.append((s, pos))
            heads.extend((s + q, kinds) for q, kinds in marks[2])
        out.append(Token(s, pos, w, norm, base, pre, suf))
    return out, num, spots, heads


def test_tokens_match_a_plain_scan(samples, lang):
    alphabet = list("بتا ـً٣3a_'’-.,/:٫٬  \n\t\u00a0x!؟") + [" ", "  ", "\u2003", "اليوم", "29", "أيار", "في"]
    texts = samples + randoms(alphabet, 3000, 20, 5)
    for t in texts + texts:  # the second time every stretch is cached (a plain word is one lookup)
        num, spots, heads = [], [], []
        got = lang.tokens(t, num, spots, heads)
        assert (list(got), num, spots, heads) == ref_tokens(lang, t), repr(t)
        assert len(got) == len(got.starts) == len(got.ends) == len(got.forms)
        assert all(type(x) is Token for x in got)


# ---------------------------------------------------------------------------------------------- dates


def candidates_full(text, spots=None):
    """Reference for D._candidates: every regex at every position of every window."""
    cands = []
    for ws, we in D._windows(text, spots):
        for k, (kind, rx) in enumerate(D.calendar().regexes):
            for m in rx.finditer(text, ws, we):
                cands.append((m.start(), -(m.end() - m.start()), k, m))
    cands.sort(key=lambda c: (c[0], c[1]))
    return cands


def _key(cands):
    return [(s, neg, k, m.span(), m.groupdict()) for s, neg, k, m in cands]


def date_phrases(n, seed):
    c = load_json("calendar.json")
    words = list(c["months"]) + list(c["weekdays"]) + list(c["day_words"]) + c["times_of_day"] + c["past"]
    words += c["future"] + c["current"] + c["year_word"] + c["since"] + c["until"] + c["month_word"]
    words += ["يوم", "شهر", "من", "في", "خلال", "أواخر", "و", "1", "12", "29", "2019", "1.5.2019", "2019-05-01",
              "3/4/2020", "الآن", "قصف", "COVID19"]
    seps = [" ", "  ", "\n", "، ", ",", "/", "(", ")", "-", ".", "", "\u064e", "\u0640", " و", "و", ":", "\u0651 "]
    rng = random.Random(seed)

    def mutate(w):
        r = rng.random()
        if r < 0.1:
            return w.replace("ا", "أ")
        if r < 0.2 and len(w) > 2:
            i = rng.randrange(1, len(w))
            return w[:i] + rng.choice(["\u064e", "\u0640", "\u0651"]) + w[i:]
        if r < 0.3:
            return rng.choice("وب") + w
        return w

    return ["".join(mutate(rng.choice(words)) + rng.choice(seps) for _ in range(rng.randint(1, 9))) for _ in range(n)]


def test_head_driven_date_scan_matches_a_scan_at_every_position(samples, lang):
    for t in samples + date_phrases(4000, 7):
        assert _key(D._candidates(t)) == _key(candidates_full(t)), t
        spots, heads = [], []
        lang.tokens(t, [], spots, heads)
        assert _key(D._candidates(t, spots, heads)) == _key(candidates_full(t, spots)), t
