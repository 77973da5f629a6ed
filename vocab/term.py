"""Everything an instructor form needs to pre-fill one term: forms, reading, gloss, HSK level."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import hsk
from .dictionary import Entry, get_dictionary
from .reading import read
from .syllables import numbers_to_marks

__all__ = ["Reading", "TermInfo", "lookup_term", "forms", "gloss_for"]


@dataclass(frozen=True, slots=True)
class Reading:
    """One dictionary reading of a term, with its senses (CC-CEDICT groups senses by reading)."""

    pinyin: str  # tone marks, 'yínháng'
    pinyin_numbers: str  # 'yin2 hang2'
    gloss: str
    classifiers: tuple[str, ...]
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TermInfo:
    simplified: str
    traditional: str
    pinyin: str  # marks, per dictionary word: 'guītú lièchē'
    pinyin_numbers: str  # 'gui1 tu2 lie4 che1'
    gloss: str
    hsk: int | None  # HSK 3.0 level (7 = band 7-9), None if not listed
    hsk2: int | None  # old HSK 2.0 level
    readings: tuple[Reading, ...]  # every CC-CEDICT reading of the whole term; () if composed
    composed: bool  # True if the term is not in CC-CEDICT and reading/gloss come from its parts

    @property
    def ambiguous(self) -> bool:
        """More than one distinct reading: the UI should ask the instructor to confirm."""
        return len({r.pinyin_numbers.lower() for r in self.readings}) > 1


def _pieces(word: str) -> list[str]:
    d = get_dictionary()
    if word in d or len(word) <= 1:
        return [word]
    out, i = [], 0
    while i < len(word):
        for j in range(min(len(word), i + 8), i, -1):
            if j - i == 1 or word[i:j] in d:
                out.append(word[i:j])
                i = j
                break
    return out


@lru_cache(maxsize=65536)
def forms(word: str) -> tuple[str, str]:
    """(simplified, traditional) of a word given in either script, composed piece by piece."""
    d = get_dictionary()
    simp, trad = [], []
    for piece in _pieces(word):
        entries = d.lookup(piece)
        if not entries:
            simp.append(piece)
            trad.append(piece)
            continue
        # A piece written in traditional keeps its own form; otherwise prefer the first entry.
        match = next((e for e in entries if e.traditional == piece), None) or entries[0]
        simp.append(match.simplified)
        trad.append(match.traditional if match.simplified == piece or match.traditional == piece
                    else piece)
    return "".join(simp), "".join(trad)


def _best_entry(entries: tuple[Entry, ...], reading: str | None) -> Entry | None:
    with_meaning = [e for e in entries if e.meanings]
    if reading:
        # Exact case first: 'yuan2' is the currency 元, 'Yuan2' the surname and dynasty.
        for e in with_meaning:
            if e.pinyin == reading:
                return e
        low = reading.lower()
        for e in with_meaning:
            if e.pinyin.lower() == low:
                return e
    return with_meaning[0] if with_meaning else (entries[0] if entries else None)


def _referenced_gloss(entry: Entry) -> str:
    # 'erhua variant of 一点 (yīdiǎn)' has no meaning of its own: borrow the target's.
    import re

    for ref in entry.references:
        m = re.search(r"of (\S+) \(", ref)
        if m:
            target = _best_entry(get_dictionary().lookup(m.group(1)), None)
            if target is not None and target.meanings:
                return target.gloss
    return ""


@lru_cache(maxsize=65536)
def gloss_for(word: str, reading: str | None = None, max_senses: int | None = None) -> str:
    """Display gloss of `word` for the given numbered reading (or its first sense),
    composed from its parts ('return journey + train') if the dictionary lacks the word."""
    d = get_dictionary()
    entry = _best_entry(d.lookup(word), reading)
    if entry is not None:
        if entry.meanings:
            return "; ".join(entry.meanings[:max_senses])
        return _referenced_gloss(entry)
    pieces = _pieces(word)
    if len(pieces) == 1:
        return ""
    glosses = []
    for p in pieces:
        e = _best_entry(d.lookup(p), None)
        g = e.meanings[0] if e and e.meanings else ""
        glosses.append(g or p)
    return " + ".join(glosses)


def lookup_term(hanzi: str) -> TermInfo:
    """Pre-fill data for a term in simplified or traditional characters.

    A term CC-CEDICT lacks (归途列车) gets its reading and gloss from its dictionary parts
    (归途 + 列车 -> guītú lièchē, 'journey home + train').
    """
    word = hanzi.strip()
    d = get_dictionary()
    entries = d.lookup(word)
    simplified, traditional = forms(word)
    readings = tuple(
        Reading(numbers_to_marks(e.pinyin, join=True), e.pinyin, e.gloss or _referenced_gloss(e),
                e.classifiers, e.references)
        for e in entries)
    words = read(word)
    numbers = " ".join(w.numbers for w in words)
    marks = " ".join(w.marks for w in words)
    if entries:
        gloss = gloss_for(word, numbers)
    else:
        gloss = gloss_for(word)
    return TermInfo(
        simplified=simplified,
        traditional=traditional,
        pinyin=marks,
        pinyin_numbers=numbers,
        gloss=gloss,
        hsk=hsk.level(simplified),
        hsk2=hsk.level(simplified, "2.0"),
        readings=readings,
        composed=not entries,
    )
