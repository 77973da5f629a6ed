"""Everything an instructor form needs to pre-fill one term: forms, reading, gloss, HSK level."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import hsk
from .dictionary import get_dictionary
from .senses import Reading, entry_prior, gloss, senses
from .syllables import char_readings_table, numbers_to_marks, parse_syllable, reading_marks

__all__ = ["Reading", "TermInfo", "lookup_term", "forms", "composed_gloss"]


@dataclass(frozen=True, slots=True)
class TermInfo:
    simplified: str
    traditional: str
    pinyin: str  # marks, per dictionary word: 'guītú lièchē'
    pinyin_numbers: str  # 'gui1 tu2 lie4 che1'
    gloss: str
    hsk: int | None  # HSK 3.0 level (7 = band 7-9), None if not listed
    hsk2: int | None  # old HSK 2.0 level
    readings: tuple[Reading, ...]  # every CC-CEDICT reading of the whole term, the chosen one first; () if composed
    composed: bool  # True if the term is not in CC-CEDICT and reading/gloss come from its parts

    @property
    def ambiguous(self) -> bool:
        """More than one distinct common reading: the UI should ask the instructor to confirm."""
        common = {r.pinyin_numbers.lower() for r in self.readings if r.pinyin_numbers[:1].islower()}
        return len(common) > 1


def _pieces(word: str) -> tuple[str, ...]:
    from .segmentation import _dictionary_split

    d = get_dictionary()
    if word in d or len(word) <= 1:
        return (word,)
    return _dictionary_split(word)


@lru_cache(maxsize=65536)
def forms(word: str, reading: str | None = None) -> tuple[str, str]:
    """(simplified, traditional) of a word given in either script, composed piece by piece. The
    reading chosen for the word picks the entry where simplified forms merge (厂 chǎng 廠, not
    the radical 厂 hǎn)."""
    d = get_dictionary()
    simp, trad = [], []
    pieces = _pieces(word)
    for piece in pieces:
        entries = d.lookup(piece)
        if not entries:
            simp.append(piece)
            trad.append(piece)
            continue
        # A piece written in traditional keeps its own form; otherwise the entry of the reading,
        # or the likeliest entry.
        same = [e for e in entries if reading and len(pieces) == 1 and e.pinyin.lower() == reading.lower()]
        match = next((e for e in entries if e.traditional == piece and e.simplified != piece), None) or \
            max(same or entries, key=entry_prior)
        simp.append(match.simplified)
        trad.append(match.traditional if match.simplified == piece or match.traditional == piece
                    else piece)
    return "".join(simp), "".join(trad)


@lru_cache(maxsize=65536)
def composed_gloss(word: str) -> str:
    """A gloss for a word the dictionary lacks: a registered deck term's own gloss, the word an
    erhua form is built on (早点儿 -> 早点), or its dictionary words' first senses joined with ' + '
    (归途列车 -> 'journey home + train')."""
    from .segmentation import term_gloss

    own = term_gloss(word)
    if own:
        return own
    d = get_dictionary()
    if word.endswith("儿") and word[:-1] in d:
        return gloss(word[:-1])
    pieces = _pieces(word)
    if len(pieces) == 1:
        return gloss(word)
    return " + ".join((senses(p) or (p,))[0] for p in pieces)


def _dictionary_marks(numbers: str, word: str) -> str:
    """A CC-CEDICT reading in marks, one run per word, the term's Latin letters kept ('A A zhi4' -> 'AA zhì')."""
    try:
        return reading_marks(numbers, word, join=True)
    except ValueError:  # a reading with punctuation or other oddities: shown as CC-CEDICT has it
        return numbers_to_marks(numbers, join=True)


def _entry_alone(word: str, entries) -> object | None:
    """The entry of a word read on its own, where the context model has no context to read.

    A single character alone is its most common reading (pypinyin lists it first: 还 hái, not
    huán or the surname Huán); a word spelt with Latin letters (卡拉OK, T恤, AA制) is its likeliest
    dictionary entry, which the segmenter cannot read whole. None: the context model decides.
    """
    common = [e for e in entries if e.pinyin[:1].islower()]
    if len(word) == 1 and common:
        first = (char_readings_table().get(ord(word)) or "").split(",")[0]
        try:
            wanted = parse_syllable(first).numbers.lower() if first else ""
        except ValueError:
            wanted = ""
        match = [e for e in common if e.pinyin.lower() == wanted]
        if match:
            return max(match, key=entry_prior)
    if entries and any(ch.isascii() and ch.isalpha() for ch in word):
        return max(entries, key=entry_prior)
    return None


def lookup_term(hanzi: str) -> TermInfo:
    """Pre-fill data for a term in simplified or traditional characters: its likeliest reading
    (a common word before a surname or place: 还 hái, 大学 dàxué) with that reading's senses, and
    every other reading for the instructor to choose from.

    A term CC-CEDICT lacks (归途列车) gets its reading and gloss from its dictionary parts
    (归途 + 列车 -> guītú lièchē, 'journey home + train').
    """
    from .reading import read

    word = hanzi.strip()
    entries = get_dictionary().lookup(word)
    simplified, traditional = forms(word)
    words = read(word)
    numbers = " ".join(w.numbers for w in words)
    marks = " ".join(w.marks for w in words)
    chosen = words[0].entry if len(words) == 1 else None
    alone = _entry_alone(word, entries)
    if alone is not None:
        chosen, numbers = alone.pinyin, alone.pinyin
        marks = _dictionary_marks(numbers, word)
    by_reading: dict[str, Reading] = {}
    for e in sorted(entries, key=lambda e: (e.pinyin != chosen, -entry_prior(e))):
        if e.pinyin not in by_reading:
            by_reading[e.pinyin] = Reading(_dictionary_marks(e.pinyin, word), e.pinyin,
                                           gloss(word, e.pinyin, as_name=e.pinyin[:1].isupper()),
                                           e.classifiers, e.references)
    meaning = gloss(word, chosen) if chosen else composed_gloss(word)
    return TermInfo(
        simplified=simplified,
        traditional=traditional,
        pinyin=marks,
        pinyin_numbers=numbers,
        gloss=meaning,
        hsk=hsk.word_level(simplified),
        hsk2=hsk.level(simplified, "2.0"),
        readings=tuple(by_reading.values()),
        composed=not entries,
    )
