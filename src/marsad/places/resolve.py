"""Find place names in a text and resolve them to gazetteer entries.

Matching runs on the document's tokens (the language layer's one tokenisation, their normalised forms; offsets
are source offsets), word by word: a word may carry proclitics
(و ف ب ل ك and their pairs: وبإدلب, لإدلب, للنيرب) and the first word of a name may differ in the article ال
(البارة / بارة). Multi-word names need the words to be separated by spaces only.

Then, per match:
* cues before it — بلدة/قرية/مدينة (locality), مطار/معبر/معسكر (site), ريف/أرياف (countryside), شمالي/جنوب
  (direction), محافظة (governorate), اتفاق/مؤتمر (an agreement named after a city) — and direction adjectives
  after it (ريف إدلب الجنوبي); a cue carries over along a coordinated list (قرى الطلحية والأربيخ وكراتين);
* names that are ordinary words (stoplist, ANERcorp-frequent names) need a cue or a neighbouring place;
* several entries for one name are decided by a governorate named nearby, then by nearness to the article's
  other places and its majority governorate, then by importance; the losers are kept as alternatives.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from ..language import forms as word_model
from ..language.forms import either_article, has_article, proclitic_readings, skip_letters, strip_article, word_forms
from ..language.normalize import normalize, normalize_word
from ..language.resources import lexicon as word_counts
from ..language.segment import token_spans
from ..model import Tokens
from .gazetteer import Entry, Gazetteer, distance_km, get_gazetteer, lexicon

WORD_RE = re.compile(r"[0-9a-z\u0621-\u064a\u0671-\u06d3]+")
# the first letter of a token that is a word (not punctuation), normalised: the class of WORD_RE
WORD_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyz" + "".join(map(chr, range(0x0621, 0x064B)))
                       + "".join(map(chr, range(0x0671, 0x06D4))))
LIST_GAP_RE = re.compile(r"^[\s،,؛;\-–\"“”«»'()]*$")
STRONG_CUES = ("locality", "site", "countryside", "direction", "governorate", "city")
ATTACHING_CUES = ("countryside", "governorate", "direction", "locality", "city")


@dataclass
class Match:
    """One name found in the text (offsets into the normalised text until mapped)."""

    start: int  # source offsets of the name (after proclitics)
    end: int
    w0: int  # word indices [w0, w1)
    w1: int
    key: str
    candidates: list  # list[Entry]
    cue: Optional[str] = None  # locality | site | countryside | direction | governorate | city | eponym | weak
    cue_word: str = ""
    cue_start: Optional[int] = None  # start of a cue phrase that belongs to the mention (ريف …)
    direction: str = ""
    dir_end: Optional[int] = None  # end of a following direction adjective
    inherited: bool = False
    proclitic: str = ""
    resolved: Optional[Entry] = None
    place_id: str = ""
    precision: int = 3
    kind: str = ""
    name: str = ""
    alternatives: list = field(default_factory=list)
    drop: bool = False
    reason: str = ""
    unlocated: Optional[Entry] = None  # the entry given up for the area the text puts the name in
    surface: tuple = ()  # the name's words as written in the source text (the first without its proclitic)
    nsurface: tuple = ()  # the same words normalised
    whole: str = ""  # the first word as written, proclitic included
    article_added: bool = False  # matched only by giving the word the article its name has (مهجر → المهجر)


class PlaceFinder:
    """Compiled matcher over one gazetteer; :meth:`find` returns resolved matches for a text."""

    def __init__(self, gazetteer: Optional[Gazetteer] = None):
        self.gz = gazetteer or get_gazetteer()
        lx = lexicon()
        n = normalize
        self.proclitics = sorted((n(p) for p in lx["proclitics"]), key=len, reverse=True)
        self.cue_of: dict[str, str] = {}
        for w in lx["locality_cues"]:
            self.cue_of[n(w)] = "locality"
        for w in lx["city_cues"]:
            self.cue_of[n(w)] = "city"
        for w in lx["governorate_cues"]:
            self.cue_of[n(w)] = "governorate"
        for w in lx["countryside_words"]:
            self.cue_of[n(w)] = "countryside"
        for w in lx["eponym_heads"]:
            self.cue_of[n(w)] = "eponym"
        for w in lx["weak_cues"]:
            self.cue_of.setdefault(n(w), "weak")
        self.site_cues = {n(k): v for k, v in lx["site_cues"].items()}
        for w in self.site_cues:
            self.cue_of[w] = "site"
        self.site_singular = {n("مطاري"): n("مطار"), n("معابر"): n("معبر")}
        self.dir_heads = {n(k): v for k, v in lx["direction_heads"].items()}
        for w in self.dir_heads:
            if " " not in w:
                self.cue_of.setdefault(w, "direction")
        self.dir_adj = {n(k): v for k, v in lx["directions"].items()}
        self.dir_names = lx["direction_names"]
        self.plural_countryside = {n(w) for w, k in lx["countryside_words"].items() if k == 2}
        self.stop = {n(w) for w in lx["stoplist"]}
        self.near_cues = {n(w) for w in lx["near_cues"]}
        self.locative = {n(w) for w in lx.get("locative_cues", ["في", "إلى"])}
        self.cue_words = {w for w, c in self.cue_of.items() if c != "weak"} | set(self.dir_adj) | {n(w) for w in lx["directions"]}
        self.strong_heads = {n(w) for w in lx["strong_heads"]}
        self.name_followers = {n(w) for w in lx["name_followers"]}
        self.org_followers = {n(w) for w in lx.get("org_followers", ())}
        self.window = int(lx.get("window_chars", 120))
        self.attach_km = float(lx.get("attach_km", 20))
        self.counts = word_counts()
        self.important_rank = float(lx.get("important_rank", 2.0))
        self.very_ordinary = float(lx.get("very_ordinary_zipf", 4.0))
        self.added_article_zipf = float(lx.get("added_article_zipf", 2.0))
        self.join_prefixes = {n(w) for w in lx["join_prefixes"]}
        self.compound_heads = self.join_prefixes | {n(w) for w in lx.get("compound_heads", ())}
        self.plural_heads = {n(w) for w in lx.get("plural_heads", ())}
        self.list_outlier_km = float(lx.get("list_outlier_km", 40))
        self._word_cache: dict[str, tuple] = {}
        self._no_start: set[str] = set()  # the cached words that start no name
        self._cue_cache: dict[str, tuple] = {}
        self._bare_cache: dict[str, tuple] = {}
        # a name whose surface is this frequent in ordinary Arabic (forms.zipf: wordfreq's list, Zipf scale) is an
        # ordinary word unless the context makes it a place (فيديو، المدينة، الروسية); from the second value on, no
        # clitic is split off the whole word (بيان is not ب + يان)
        self.ordinary_zipf = float(lx.get("ordinary_zipf", 2.7))
        self.whole_zipf = float(lx.get("clitic_whole_zipf", 3.0))
        self.forms = word_forms()

    # ------------------------------------------------------------------ word forms

    def first_forms(self, word: str) -> tuple:
        """(form, proclitic, article changed) under which ``word`` may start a gazetteer key, best first (the
        word-form model's rule for names: no clitic split off a word of its own, no article added after one)."""
        hit = self._word_cache.get(word)
        if hit is not None:
            return hit
        out = []
        for form, r in self.forms.name_readings(word, self.gz.first_len, add_article=True):
            out.append((form, r.prefix if r else "", form != (r.stem if r else word)))
        hit = tuple(out)
        if len(self._word_cache) < 300_000:
            self._word_cache[word] = hit
            if not hit:
                self._no_start.add(word)
        return hit

    def bare(self, word: str) -> tuple:
        """``word`` and its proclitic readings, longest proclitic first (for cue lookup)."""
        hit = self._bare_cache.get(word)
        if hit is None:
            readings = sorted(proclitic_readings(word, min_stem=2), key=lambda r: -len(r.prefix))
            hit = (word,) + tuple(r.stem for r in readings)
            if len(self._bare_cache) < 100_000:
                self._bare_cache[word] = hit
        return hit

    @staticmethod
    def stem_start(word: tuple, stem: str, text: str) -> int:
        """Source offset of ``stem`` inside the (start, end, normalised form) word of ``text``, past its
        proclitics."""
        s, e, w = word
        if not w.endswith(stem):
            return s
        k = len(w) - len(stem)
        return s + k if e - s == len(w) else s + skip_letters(text[s:e], k)

    def cue_for(self, word: str) -> tuple:
        hit = self._cue_cache.get(word)
        if hit is None:
            hit = None, ""
            for f in self.bare(word):
                c = self.cue_of.get(f)
                if c:
                    hit = c, f
                    break
            if len(self._cue_cache) < 100_000:
                self._cue_cache[word] = hit
        return hit

    @staticmethod
    def gap(text: str, a: int, b: int) -> str:
        """The text between two source offsets, normalised (what lies between names is read as words)."""
        return normalize(text[a:b]) if b > a else ""

    # ------------------------------------------------------------------ matching

    def scan(self, text: str, words: list) -> list:
        """Name matches among ``words`` ((start, end, normalised form) of the word tokens of ``text``)."""
        index = self.gz.index
        prefixes = self.gz.prefixes
        entries = self.gz.entries
        matches: list[Match] = []
        nw = len(words)
        cache = self._word_cache
        whole_zipf = self.whole_zipf
        # most words start no name: the set of words known to start none leaves the few that may, in one pass
        no_start = self._no_start
        i = 0
        for i0 in [k for k, w in enumerate(words) if w[2] not in no_start]:
            if i0 < i:
                continue  # inside the previous match
            i = i0
            s0, e0, w = words[i]
            forms = cache.get(w)
            if forms is None:
                forms = self.first_forms(w)
            if not forms:
                continue
            best = None
            for form, pro, changed in forms:
                # the longest key from here: extend word by word while the words so far begin some key and the
                # next word follows after spaces only
                key, n, hit = form, 1, None
                while True:
                    ids = index.get(key)
                    if ids and changed:  # only Syrian localities drop or add the article (البارة / بارة)
                        ids = [k for k in ids if entries[k].country == "SYR" and (entries[k].is_locality or entries[k].kind == "site")]
                    if ids:
                        hit = (n, key, ids)
                    j = i + n
                    if j >= nw or key not in prefixes or text[words[j - 1][1]:words[j][0]].strip(" -"):
                        break
                    key, n = key + " " + words[j][2], n + 1
                if hit is not None:
                    n, key, ids = hit
                    if best is None or n > best[0] or (n == best[0] and len(pro) < len(best[2])):
                        best = (n, key, pro, ids, changed)
            if best is None:
                continue
            n, key, pro, ids, changed = best
            if pro and n == 1 and (self.counts.get(w, 0) >= 3 or word_model.zipf(w) >= whole_zipf):
                cands = [entries[k] for k in ids]
                if not any(e.rank >= 2 or not e.is_locality for e in cands):
                    continue  # a frequent whole word (بيان، بريا), not ب + a village
            start = s0
            if pro:  # past the proclitic letters (and any marks on them) in the source
                start += len(pro) if e0 - s0 == len(w) else skip_letters(text[s0:e0], len(pro))
            matches.append(Match(start=start, end=words[i + n - 1][1], w0=i, w1=i + n, key=key,
                                 candidates=[entries[k] for k in ids], proclitic=pro,
                                 article_added=changed and has_article(key)))
            i += n
        return matches

    def attach_cues(self, text: str, words: list, matches: list) -> None:
        prev: Optional[Match] = None
        for m in matches:
            i = m.w0
            if i >= 1:
                c, f = self.cue_for(words[i - 1][2])
                # "الريف الجنوبي لإدلب": direction adjective between the countryside word and the name
                if c is None and i >= 2 and words[i - 1][2] in self.dir_adj:
                    c2, f2 = self.cue_for(words[i - 2][2])
                    if c2 == "countryside":
                        c, f = "countryside", f2
                        m.direction = self.dir_adj[words[i - 1][2]]
                        m.cue_start = self.stem_start(words[i - 2], f2, text)
                # two-word direction heads: "شمال غربي حماة"
                if i >= 2:
                    for b in self.bare(words[i - 2][2]):
                        t = b + " " + words[i - 1][2]
                        if t in self.dir_heads:
                            c, f = "direction", t
                            m.direction = self.dir_heads[t]
                            m.cue_start = self.stem_start(words[i - 2], b, text)
                            break
                if c == "direction" and not m.direction:
                    m.direction = self.dir_heads.get(f, "")
                    m.cue_start = self.stem_start(words[i - 1], f, text)
                if c in ("countryside", "site") and m.cue_start is None:
                    m.cue_start = self.stem_start(words[i - 1], f, text)
                # the cue word must be right before the name (only separators between)
                if c is not None and not LIST_GAP_RE.match(self.gap(text, words[i - 1][1], words[m.w0][0])):
                    c = None
                m.cue, m.cue_word = c, f
            # inherit along coordinated lists: "قرى الطلحية والأربيخ وكراتين", "أرياف إدلب وحماة"
            if prev is not None and m.cue in (None, "weak") and prev.cue not in (None, "weak", "eponym", "direction"):
                gap = self.gap(text, prev.end if prev.dir_end is None else prev.dir_end, m.start)
                if prev.w1 == m.w0 and LIST_GAP_RE.match(gap.replace("و", "")) and (m.proclitic.startswith("و") or "،" in gap or "," in gap):
                    if prev.cue != "countryside" or prev.cue_word in self.plural_countryside:
                        m.cue, m.cue_word, m.inherited = prev.cue, prev.cue_word, True
            # a direction adjective right after: "ريف إدلب الجنوبي", "ريف حلب الشمالي الغربي"
            j = m.w1
            if j < len(words) and not text[words[j - 1][1]:words[j][0]].strip():
                two = words[j][2] + " " + words[j + 1][2] if j + 1 < len(words) else ""
                if two in self.dir_adj and not text[words[j][1]:words[j + 1][0]].strip(" -"):
                    m.direction, m.dir_end = self.dir_adj[two], words[j + 1][1]
                elif words[j][2] in self.dir_adj:
                    m.direction, m.dir_end = self.dir_adj[words[j][2]], words[j][1]
            prev = m

    # ------------------------------------------------------------------ filtering and resolving

    def trusted(self, m: Match) -> bool:
        """A match that needs no support (for the neighbour rule)."""
        if self.ordinary_name(m):
            return m.cue_word in self.strong_heads or m.cue == "site"
        if m.w1 - m.w0 > 1 or m.cue in STRONG_CUES:
            return True
        return self.gz.common.get(m.key, 0) == 0 and m.key not in self.stop

    def important(self, e: Entry) -> bool:
        """Cities, towns that seat a district, governorates, countries, regions: named as such in the news."""
        return e.rank >= self.important_rank and e.kind not in ("district", "subdistrict")

    def ordinary_name(self, m: Match) -> bool:
        """Is the name as written an ordinary word (every word of a multi-word name), and none of its candidates
        an important place?"""
        if not m.nsurface or any(self.important(e) for e in m.candidates):
            return False
        zipf = word_model.zipf
        if len(m.nsurface) == 1:
            # a word that is a name only with an article the text does not write needs to be rarer still
            z = zipf(m.nsurface[0])
            return z >= self.ordinary_zipf or (m.article_added and z >= self.added_article_zipf)
        return all(zipf(w) >= self.very_ordinary for w in m.nsurface)  # أبو بكر, تل النمر: a phrase of common words

    def neighbour(self, m: Match, matches: list, k: int, text: str, same_a1: bool = False, conj: bool = False) -> bool:
        """A trusted place right beside ``m`` in a coordinated list ("كفرنبل وحاس", "حاس، كفرنبل"); with
        ``same_a1`` only one in the governorate of one of ``m``'s candidates."""
        a1 = {e.a1 for e in m.candidates if e.a1}
        for o in (matches[k - 1] if k > 0 else None, matches[k + 1] if k + 1 < len(matches) else None):
            if o is None or o.drop or not self.trusted(o):
                continue
            if same_a1 and not any(e.a1 in a1 for e in o.candidates):
                continue
            a, b = (o, m) if o.start < m.start else (m, o)
            gap = self.gap(text, a.end, b.start)
            if len(gap) <= 3 and LIST_GAP_RE.match(gap.replace("و", "")) and any(c in gap for c in ("و" if conj else "و،,")):
                return True
        return False

    def put_in_area(self, m: Match, matches: list, k: int, text: str) -> bool:
        """The text puts ``m`` in an area right after it: "X بريف إدلب", "X في ريف حماة", "X جنوب إدلب"."""
        end = m.end if m.dir_end is None else m.dir_end
        for o in matches[k + 1:k + 3]:
            gap = self.gap(text, end, o.start)
            if len(gap) > 25 or not all(self.attaching(w) for w in WORD_RE.findall(gap)):
                return False
            if o.cue in ("countryside", "direction", "governorate") or any(e.kind == "governorate" for e in o.candidates):
                return True
            end = o.end
        return False

    def same_district_nearby(self, m: Match, matches: list, k: int, text: str, words: list) -> bool:
        """After في/على/إلى/من (or ب), with a trusted place of the same district within the sentence around it."""
        if m.cue != "weak" and not m.proclitic.endswith("ب") and not m.proclitic.startswith("و"):
            return False
        a2 = {e.a2 for e in m.candidates if e.a2}
        if not a2:
            return False
        lo, hi = m.start - self.window, m.end + self.window
        for o in matches:
            if o is m or o.drop or not (lo <= o.start <= hi) or not self.trusted(o):
                continue
            if "." in text[min(o.end, m.end):max(o.start, m.start)]:
                continue
            if any(e.a2 in a2 for e in o.candidates):
                return True
        return False

    def supported(self, m: Match, matches: list, k: int, text: str, words: list) -> bool:
        """Context that makes an ordinary word a place: a place-type noun before it (قرية، بلدة، مدينة), a site
        word (مطار، معبر), a trusted place beside it in a list; for words not among the most frequent, also ريف/جنوب
        before it, an area after it (بريف إدلب) or في/على + a place of the same district nearby."""
        very = min(word_model.zipf(w) for w in m.nsurface) >= self.very_ordinary
        if m.cue_word in self.strong_heads and (not m.inherited or m.proclitic.startswith("و")) \
                and not (very and m.cue_word in self.plural_heads):
            return True  # "قرية X", "قرى X وY" (not "مدينة دارة عزة، سعيد أبو صبيح", nor "قرى جديدة")
        if m.cue == "site":  # مطار، معبر، معسكر X; a hospital is named after anything (مشفى الفردوس)
            return self.site_cues.get(self.site_singular.get(m.cue_word, m.cue_word)) != "hospital"
        if self.neighbour(m, matches, k, text, same_a1=True, conj=very):
            return True
        if very:
            return False
        if m.cue in ("countryside", "direction") and not m.inherited:
            return True
        return self.put_in_area(m, matches, k, text) or self.same_district_nearby(m, matches, k, text, words)

    def keep(self, m: Match, matches: list, k: int, text: str, words: list) -> bool:
        """Names that are ordinary words need a cue or a neighbouring place; a name inside an outlet's name is none."""
        if m.w1 < len(words) and words[m.w1][2] in self.org_followers and not text[words[m.w1 - 1][1]:words[m.w1][0]].strip():
            return False  # مركز إدلب الإعلامي
        if self.ordinary_name(m) and not self.supported(m, matches, k, text, words):
            return False
        single = m.w1 - m.w0 == 1
        dual = m.nsurface[0] if m.nsurface else m.key
        if single and dual.endswith(("تين", "تان")) and self.cue_of.get(dual[:-3] + "ه") in ("locality", "city"):
            return False  # قريتين، بلدتين: "two villages", not al-Qaryatayn
        head = strip_article(m.nsurface[0]) if m.nsurface else m.key
        if single and (m.key in self.join_prefixes or head in self.compound_heads) and m.w1 < len(words) \
                and not text[words[m.w1 - 1][1]:words[m.w1][0]].strip():
            return False  # "خربة الويبدة", "تل كرسيان": the head of a compound name the gazetteer lacks
        if not single:
            return True
        key = m.key
        if not self.cue_words.isdisjoint(either_article(key)):
            return False
        if m.w1 < len(words) and words[m.w1][2] in self.name_followers:
            return False  # فخر الدين: part of a person's name
        if not self.stop.isdisjoint(either_article(key)):
            return m.cue_word in self.strong_heads and not m.inherited
        cnt = self.gz.common.get(key, 0)
        if cnt == 0 or any(e.kind == "governorate" for e in m.candidates):
            return True
        # a country whose name is also an ordinary word (مالي "financial") needs the support a village needs,
        # but any preposition is enough for it ("إلى مالي")
        country = any(e.kind == "country" for e in m.candidates)
        strong = m.cue in STRONG_CUES
        neighbour = self.neighbour(m, matches, k, text)
        if strong or neighbour:
            return True
        if m.cue != "weak":
            return False
        if all(e.kind == "city" and e.country != "SYR" for e in m.candidates):
            # "من ترك" (who left), not Chuuk: a foreign city that is an ordinary word needs في / إلى
            return m.cue_word in self.locative and cnt < 20
        return cnt < 20 or country

    def choose(self, m: Match) -> list:
        """Candidates allowed by the cue, best kind first."""
        cands = m.candidates
        if self.cue_of.get(m.key.split(" ")[0]) == "governorate":
            # a name written with its head ("محافظة إدلب") is the governorate, whatever cue precedes it
            gov = [e for e in cands if e.kind == "governorate"]
            if gov:
                return gov
        if m.cue == "site":
            # "مطار كويرس", "مطاري كويرس والنيرب": a site entry named with the cue word
            head = self.site_singular.get(m.cue_word, m.cue_word)
            for k in (head + " " + m.key, head + " ال" + m.key, head + " " + m.key[2:]):
                ids = self.gz.index.get(k)
                if ids:
                    return [self.gz.entries[i] for i in ids]
            sites = [e for e in cands if e.kind == "site"]
            return sites or cands
        if m.cue == "city" or m.cue == "locality":
            # "قرية باب الهوى" is the village, not the crossing of that name
            loc = [e for e in cands if e.is_locality] or [e for e in cands if e.kind == "site"]
            return loc or cands
        # a bare governorate name means the governorate (ACLED: precision 3 at the capital)
        gov = [e for e in cands if e.kind == "governorate"]
        if gov:
            return gov
        # admin units named without their head word lose to a town of that name
        loc = [e for e in cands if e.kind not in ("district", "subdistrict")]
        return loc or cands

    def resolve(self, text: str, matches: list) -> None:
        gz = self.gz
        # pass 1: unambiguous
        for m in matches:
            cands = self.choose(m)
            m.candidates = cands
            if len(cands) == 1:
                m.resolved = cands[0]
        resolved = sorted((m for m in matches if m.resolved is not None), key=lambda m: m.start)
        a1_votes = Counter(m.resolved.a1 for m in resolved if m.resolved.a1)
        anchors = [m.resolved for m in resolved if m.resolved.is_locality or m.resolved.kind == "site"]
        majority = a1_votes.most_common(1)[0][0] if a1_votes else None
        centre = None
        if anchors:  # the article's geographic centre: the median of its unambiguous localities
            lats, lons = sorted(e.lat for e in anchors), sorted(e.lon for e in anchors)
            centre = (lats[len(lats) // 2], lons[len(lons) // 2])
        areas_a1 = {m.resolved.a1 for m in resolved if m.resolved.kind in ("governorate", "region") and m.resolved.a1}
        districts = {m.resolved.id.split(":")[-1] for m in resolved if m.resolved.kind in ("district", "subdistrict")}
        # nearness is measured to each distinct anchor once, and the names beside a match are found by bisection
        # over the resolved matches' starts: a long article's cost stays linear in its matches
        distinct = list({e.id: e for e in anchors}.values())
        starts = [o.start for o in resolved]
        for m in matches:
            if m.resolved is not None:
                continue
            lo, hi = bisect_left(starts, m.start - self.window), bisect_right(starts, m.start + self.window)
            near_a1 = {o.resolved.a1 for o in resolved[lo:hi] if o.resolved.a1 and o is not m
                       and o.resolved.kind in ("governorate", "region", "district")}
            lo, hi = bisect_left(starts, m.end), bisect_right(starts, m.end + 40)
            near_a1 |= {o.resolved.a1 for o in resolved[lo:hi] if o.resolved.a1 and o is not m}
            scored = sorted(((self.evidence(e, near_a1, areas_a1, districts, distinct, centre, majority), e)
                             for e in m.candidates), key=lambda x: -x[0][0])
            (best, why), e0 = scored[0]
            m.resolved = e0
            m.alternatives = [{"id": e.id, "name": e.name, "admin1": gz.admin_name(e.a1), "lat": e.lat, "lon": e.lon,
                               "score": round(sc, 2), "why": w} for (sc, w), e in scored[1:6]]
            m.alternatives.insert(0, {"chosen_score": round(best, 2), "why": why})

    def evidence(self, e: Entry, near_a1: set, areas_a1: set, districts: set, anchors: list, centre, majority) -> tuple:
        """(score, reasons) of candidate ``e``: the governorate named beside the name or in the article, a district
        named in it, nearness to the article's other places and its centre, the article's main governorate, and the
        place's size (rank: seat, population, Wikidata; population where the gazetteer has it)."""
        s, why = 0.0, []
        if e.a1 and e.a1 in near_a1:
            s += 3.0
            why.append("its governorate named beside it")
        elif e.a1 and e.a1 in areas_a1:
            s += 1.0
            why.append("its governorate named in the article")
        if districts and (e.a2 in districts or e.a3 in districts):
            s += 2.0
            why.append("its district named in the article")
        if anchors:
            d = min(distance_km(e.lat, e.lon, a.lat, a.lon) for a in anchors)
            if d < 25:
                s += 2.0
            elif d < 60:
                s += 1.0
            why.append(f"{d:.0f} km from the article's nearest place")
        if centre is not None:
            dc = distance_km(e.lat, e.lon, centre[0], centre[1])
            s += 1.5 * max(0.0, 1.0 - dc / 150.0)
            why.append(f"{dc:.0f} km from the article's centre")
        if majority and e.a1 == majority:
            s += 1.0
            why.append("in the article's main governorate")
        size = 0.4 * e.rank + (0.25 * math.log10(e.pop) if e.pop else 0.0)
        if size:
            s += size
            why.append(f"size {size:.1f} ({e.kind}, rank {e.rank:g}{', pop ' + str(e.pop) if e.pop else ''})")
        return s, why

    def attaching(self, word: str) -> bool:
        """A word that may stand between a locality and the area it is put in: في, a proclitic, ريف, محافظة…
        (not a direction of movement: نحو, باتجاه)."""
        if word == "في" or word in self.proclitics:
            return True
        cue, form = self.cue_for(word)
        return cue in ATTACHING_CUES and form not in self.near_cues

    def misplaced(self, text: str, k: int, matches: list) -> Optional[Match]:
        """The governorate or region the text puts a locality in ("عابدين بريف إدلب الجنوبي"), when the chosen
        entry lies outside it and away from it: the gazetteer knows the name only elsewhere."""
        m = matches[k]
        e = m.resolved
        if e is None or e.country != "SYR" or not (e.is_locality or e.kind == "site"):
            return None
        prev_end = m.end
        for o in matches[k + 1:]:
            gap = self.gap(text, prev_end, o.start)
            if len(gap) > 40 or "." in gap or not all(self.attaching(w) for w in WORD_RE.findall(gap)):
                return None
            r = o.resolved
            if r is not None and r.country and r.country != "SYR" and r.kind in ("city", "country"):
                return o  # "مدينة الريحانية في ولاية هاتاي": the Turkish town, not a Syrian namesake
            if r is not None and r.kind in ("governorate", "region", "district") and r.a1:
                if r.a1 == e.a1 or self.gz.near_admin1(e, r.a1, self.attach_km):
                    return None
                return o
            if r is None or not (r.is_locality or r.kind == "site"):
                return None
            prev_end = o.end  # "قرى الطلحية والأربيخ وكراتين بريف إدلب": the list runs on
        return None

    def list_gap(self, gap: str) -> bool:
        """Between two members of a list, other members the gazetteer lacks: "ومعرة المخص و", "، كرسعة و"."""
        if len(gap) > 30 or any(c in gap for c in ".:؛\n"):
            return False
        ws = WORD_RE.findall(gap)
        if not ws or not ("و" in ws or any(w.startswith("و") for w in ws) or "،" in gap):
            return False
        return all(w not in self.cue_of for w in ws) and len(ws) <= 4

    def list_outliers(self, text: str, matches: list) -> dict:
        """Members of a coordinated list of Syrian localities ("شنشراح وترملا ودير سنبل والبريج") that lie more than
        ``list_outlier_km`` from every other member while at least two others lie together: index -> the
        governorate the rest of the list is in."""
        out: dict = {}
        runs, run = [], []
        for k, m in enumerate(matches):
            e = m.resolved
            ok = e is not None and e.country == "SYR" and (e.is_locality or e.kind == "site") and not m.cue == "site"
            if ok and run:
                gap = self.gap(text, matches[run[-1]].end, m.start)
                if not (len(gap) <= 3 and LIST_GAP_RE.match(gap.replace("و", ""))) and not self.list_gap(gap):
                    runs.append(run)
                    run = []
            if ok:
                run.append(k)
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        syr = [m.resolved for m in matches if m.resolved is not None and m.resolved.country == "SYR"
               and (m.resolved.is_locality or m.resolved.kind == "region")]
        for k, m in enumerate(matches):
            # a village named in a list ("وتل الصخر") hundreds of km from all the article's other places
            e = m.resolved
            if e is None or e.kind != "village" or e.rank > 0 or e.country != "SYR" or k in out:
                continue
            if not (m.proclitic.startswith("و") or m.inherited) or self.put_in_area(m, matches, k, text):
                continue
            others = [x for x in syr if x is not e]
            if len(others) >= 2 and min(distance_km(e.lat, e.lon, x.lat, x.lon) for x in others) > 2.5 * self.list_outlier_km:
                a1 = Counter(x.a1 for x in others if x.a1).most_common(1)
                gov = self.gz.by_id.get("ocha:" + a1[0][0]) if a1 else None
                if gov is not None and gov.a1 != e.a1:
                    out[k] = gov
        for run in runs:
            if len(run) < 3:
                continue
            ents = [matches[k].resolved for k in run]
            for i, k in enumerate(run):
                others = [x for j, x in enumerate(ents) if j != i]
                e = ents[i]
                if min(distance_km(e.lat, e.lon, x.lat, x.lon) for x in others) <= self.list_outlier_km:
                    continue
                a1 = Counter(x.a1 for x in others if x.a1).most_common(1)
                close = sum(1 for x in others for y in others if x is not y and distance_km(x.lat, x.lon, y.lat, y.lon) <= 30)
                gov = self.gz.by_id.get("ocha:" + a1[0][0]) if a1 else None
                if gov is not None and close >= 2 and gov.a1 != e.a1:
                    out[k] = gov
        return out

    def finalise(self, m: Match) -> None:
        """Place id, kind, precision of a resolved match (regions built from ريف/direction cues)."""
        e = m.resolved
        gz = self.gz
        if m.cue == "site" and m.cue_start is not None and not m.inherited:
            m.start = m.cue_start  # the mention is "مطار كويرس", "معبر أطمة"
        m.place_id, m.kind, m.name, m.precision = e.id, e.kind, e.name, e.precision
        base = e.a1 if e.kind == "governorate" else None
        if base is None and e.kind == "city" and e.country == "SYR":
            g = gz.by_id.get("ocha:" + (e.a1 or ""))
            if g is not None and normalize_word(g.name) == normalize_word(e.name):
                base = e.a1
        if e.kind == "country" and e.country == "SYR":
            base = "SY"
        region = None
        if base and m.cue == "countryside":
            region = gz.region(base, m.direction) or gz.region(base)
        elif base and m.cue == "direction" and m.direction:
            region = gz.region(base, m.direction)
        elif base and m.direction and m.cue_start is not None:
            region = gz.region(base, m.direction)
        if region is not None:
            m.resolved = region
            m.place_id, m.kind, m.name, m.precision = region.id, "region", region.name, region.precision
            if m.cue_start is not None and not m.inherited:
                m.start = min(m.start, m.cue_start)
            if m.dir_end is not None:
                m.end = max(m.end, m.dir_end)
            return
        if e.is_locality and m.cue in ("countryside", "direction"):
            m.precision = 2  # near / around a town
        elif (e.is_locality or e.kind == "site") and m.cue_word in self.near_cues:
            m.precision = 2  # "محيط النيرب", "محيط مطار أبو الظهور": around it
        if m.cue == "site" and e.kind != "site" and e.is_locality:
            site = self.site_cues.get(self.site_singular.get(m.cue_word, m.cue_word), "site")
            word = self.site_singular.get(m.cue_word, m.cue_word)
            m.place_id, m.kind, m.name, m.precision = f"{e.id}#{site}", "site", f"{word} {e.name}", 2

    def words(self, text: str, tokens=None) -> list:
        """(start, end, normalised form) of the word tokens of ``text``: the document's tokens when given (the
        language layer's), else the same tokenisation made here (a bare text)."""
        if tokens is not None and len(tokens):
            toks = Tokens.of(tokens)
            return [(s, e, n) for s, e, n in zip(toks.starts, toks.ends, toks.norms()) if n and n[0] in WORD_CHARS]
        return [(s, e, n) for s, e, w in token_spans(text) if (n := normalize_word(w)) and n[0] in WORD_CHARS]

    def find(self, text: str, tokens=None) -> list:
        """The kept and resolved matches of ``text`` (source offsets); ``tokens`` its tokens, if made."""
        words = self.words(text, tokens)
        matches = self.scan(text, words)
        for m in matches:
            s0, e0, w = words[m.w0]
            m.whole = text[s0:e0]
            m.surface = (text[m.start:e0],) + tuple(text[words[j][0]:words[j][1]] for j in range(m.w0 + 1, m.w1))
            m.nsurface = (w[len(m.proclitic):],) + tuple(words[j][2] for j in range(m.w0 + 1, m.w1))
        self.attach_cues(text, words, matches)
        for k, m in enumerate(matches):
            if not self.keep(m, matches, k, text, words):
                m.drop = True
        kept = [m for m in matches if not m.drop]
        self.resolve(text, kept)
        moved = {k: o for k in range(len(kept)) if (o := self.misplaced(text, k, kept)) is not None}
        outliers = self.list_outliers(text, kept)
        for m in kept:
            self.finalise(m)
        for k, o in moved.items():
            m = kept[k]  # ACLED: a place not found is coded at the area it is said to lie in, precision 2+
            m.unlocated, m.resolved, m.alternatives = m.resolved, o.resolved, []
            m.place_id, m.kind, m.name, m.precision = o.place_id, o.kind, o.name, max(2, o.precision)
        for k, area in outliers.items():
            m = kept[k]  # a village the gazetteer knows only far from the rest of its list: coded at the list's area
            if k in moved:
                continue
            m.unlocated, m.resolved, m.alternatives = m.resolved, area, []
            m.place_id, m.kind, m.name, m.precision = area.id, area.kind, area.name, 2
        return kept
