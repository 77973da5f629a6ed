"""Measure what learners see against hand-labelled sentences: shown pinyin, senses and names.

Two files (tests/vocab/data/ holds Guitu's own):
- readings: `category, sentence, pinyin, names`: one numbered syllable per Han character as a
  textbook prints it (neutral tones, 一/不 changes, erhua r5), '/' between equally standard
  readings; names that must stay one token, comma-separated.
- senses: `sentence, word, pinyin, sense`: a word of the sentence, its reading, and a phrase
  that must be in the first sense shown for it ('|' between synonyms CC-CEDICT lists as
  separate senses: 'university|college').
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from .annotation import Token, TokenKind, annotate_lines
from .hanzi import is_han

__all__ = ["ReadingCase", "SenseCase", "load_readings", "load_senses", "shown_syllables",
           "ReadingScore", "score_readings", "SenseScore", "score_senses", "is_polyphone"]


@dataclass(frozen=True, slots=True)
class ReadingCase:
    category: str
    sentence: str
    labels: tuple[frozenset[str], ...]  # per Han character, the accepted syllables
    names: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class SenseCase:
    sentence: str
    word: str
    pinyin: str
    sense: str
    line: int


def _rows(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [(n, line) for n, line in enumerate(fh, 1) if line.strip() and not line.startswith("#")]
    reader = csv.DictReader((line for _, line in lines), delimiter="\t", quoting=csv.QUOTE_NONE)
    for (n, _), row in zip(lines[1:], reader):
        yield n, row


def load_readings(path: Path) -> list[ReadingCase]:
    cases = []
    for n, row in _rows(path):
        sentence = row["sentence"]
        labels = tuple(frozenset(s.lower() for s in syl.split("/")) for syl in row["pinyin"].split())
        if len(labels) != sum(is_han(ch) for ch in sentence):
            raise ValueError(f"{path.name}:{n}: {len(labels)} syllables for "
                             f"{sum(is_han(ch) for ch in sentence)} Han characters")
        names = tuple(x for x in (row.get("names") or "").split(",") if x)
        cases.append(ReadingCase(row["category"], sentence, labels, names, n))
    return cases


def load_senses(path: Path) -> list[SenseCase]:
    return [SenseCase(r["sentence"], r["word"], r["pinyin"].lower(), r["sense"], n) for n, r in _rows(path)]


def shown_syllables(tokens: Sequence[Token]) -> list[str | None]:
    """One shown syllable per Han character of the tokens (None where nothing is shown)."""
    out: list[str | None] = []
    for t in tokens:
        han = [ch for ch in t.text if is_han(ch)]
        syl = t.pinyin_numbers.lower().split() if t.pinyin_numbers else []
        out.extend(syl if len(syl) == len(han) else [None] * len(han))
    return out


def is_polyphone(ch: str) -> bool:
    """A character with more than one reading (in any tone), or 一/不 with their tone changes."""
    from .reading import _char_readings

    return ch in "一不" or len(set(_char_readings(ch))) > 1


@dataclass
class ReadingScore:
    chars: int = 0
    chars_right: int = 0
    polyphones: int = 0
    polyphones_right: int = 0
    names: int = 0
    names_whole: int = 0
    names_marked: int = 0
    errors: list[tuple[ReadingCase, int, str | None]] = field(default_factory=list)  # case, char index, shown
    split_names: list[tuple[ReadingCase, str]] = field(default_factory=list)

    @property
    def polyphone_accuracy(self) -> float:
        return self.polyphones_right / self.polyphones if self.polyphones else 1.0

    @property
    def char_accuracy(self) -> float:
        return self.chars_right / self.chars if self.chars else 1.0

    @property
    def names_accuracy(self) -> float:
        return self.names_whole / self.names if self.names else 1.0


def _name_whole(tokens: Sequence[Token], name: str) -> tuple[bool, bool]:
    """(the name lies inside one token, that token is marked as a name)."""
    start = 0
    text = "".join(t.text for t in tokens)
    pos = text.find(name)
    if pos < 0:
        return False, False
    for t in tokens:
        end = start + len(t.text)
        if start <= pos and pos + len(name) <= end:
            return True, t.kind is TokenKind.NAME
        start = end
    return False, False


def score_readings(cases: Sequence[ReadingCase]) -> ReadingScore:
    score = ReadingScore()
    annotated = annotate_lines([c.sentence for c in cases])
    for case, tokens in zip(cases, annotated):
        shown = shown_syllables(tokens)
        han = [ch for ch in case.sentence if is_han(ch)]
        for k, (ch, want, got) in enumerate(zip(han, case.labels, shown)):
            right = got in want
            score.chars += 1
            score.chars_right += right
            if is_polyphone(ch):
                score.polyphones += 1
                score.polyphones_right += right
                if not right:
                    score.errors.append((case, k, got))
        for name in case.names:
            whole, marked = _name_whole(tokens, name)
            score.names += 1
            score.names_whole += whole
            score.names_marked += marked
            if not whole:
                score.split_names.append((case, name))
    return score


@dataclass
class SenseScore:
    cases: int = 0  # cases where the word is a token of its own
    right: int = 0
    reading_right: int = 0
    inside: int = 0  # cases where the dictionary reads the word as part of a longer word (生日快乐)
    errors: list[tuple[SenseCase, str, str]] = field(default_factory=list)  # case, shown reading, shown first sense
    longer: list[tuple[SenseCase, str]] = field(default_factory=list)  # case, the token holding the word

    @property
    def accuracy(self) -> float:
        return self.right / self.cases if self.cases else 1.0


def score_senses(cases: Sequence[SenseCase]) -> SenseScore:
    """A case is right when the word is one token whose first sense (one CC-CEDICT sense, which
    may list synonyms: 'university; college') contains the phrase, or one of its '|' synonyms.
    Where the dictionary reads the word as part of a longer word (祝你生日快乐: 生日快乐 'Happy
    birthday'), the case is counted apart."""
    score = SenseScore()
    annotated = annotate_lines([c.sentence for c in cases])
    for case, tokens in zip(cases, annotated):
        token = next((t for t in tokens if t.text == case.word or t.simplified == case.word), None)
        if token is None:
            holder = next((t.text for t in tokens if case.word in t.text), "")
            if len(holder) > len(case.word):
                score.inside += 1
                score.longer.append((case, holder))
                continue
        first = token.senses[0] if token and token.senses else ""
        reading = _dictionary_reading(token) if token else ""
        score.cases += 1
        ok = any(alt.lower() in first.lower() for alt in case.sense.split("|"))
        score.right += ok
        score.reading_right += reading == case.pinyin
        if not ok:
            score.errors.append((case, reading, first))
    return score


def _dictionary_reading(token: Token) -> str:
    """The token's shown reading without the 一/不 tone changes, as a dictionary writes it."""
    syllables = token.pinyin_numbers.lower().split()
    if len(syllables) != len(token.text):
        return " ".join(syllables)
    return " ".join({"一": "yi1", "不": "bu4"}.get(ch, s) if s[:-1] in ("yi", "bu") else s
                    for ch, s in zip(token.text, syllables))
