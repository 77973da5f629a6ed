"""Annotate text token by token: forms, pinyin, gloss, HSK level and the kind of each token."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from . import hsk
from .hanzi import all_han
from .reading import WordReading, read_lines
from .rules import sense_rule
from .segmentation import WordKind, number_value
from .senses import GLOSS_SENSES, Reading, classifiers, ordered, other_readings
from .term import composed_gloss, forms

__all__ = ["TokenKind", "Token", "annotate", "annotate_lines", "token_kind", "GLOSS_SENSES"]


class TokenKind(enum.Enum):
    WORD = "word"  # Chinese word
    NAME = "name"  # a person's or place's name: 张昌华, 张先生, 广州
    PUNCTUATION = "punctuation"
    NUMBER = "number"  # digits, and Chinese numerals, years and dates (二十八, 二〇〇八年)
    LATIN = "latin"
    WHITESPACE = "whitespace"
    OTHER = "other"  # symbols, emoji, scripts we do not read


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    kind: TokenKind
    simplified: str = ""
    traditional: str = ""
    pinyin: str = ""  # tone marks as a learner sees them in this context, 'yínháng', 'yìqǐ'
    pinyin_numbers: str = ""  # the same numbered, one syllable per character: 'yin2 hang2'
    gloss: str = ""  # the first GLOSS_SENSES senses separated by '; ', the sense for this context first
    senses: tuple[str, ...] = ()  # every sense of the chosen entry, the sense for this context first
    hsk: int | None = None  # HSK 3.0 level, 7 for the 7-9 band
    other_readings: tuple[Reading, ...] = ()  # the word's other dictionary readings, with their senses
    classifiers: tuple[str, ...] = ()  # measure words of the chosen reading, '列 (liè)'


@lru_cache(maxsize=16384)
def token_kind(text: str) -> TokenKind:
    if not text:
        return TokenKind.OTHER
    if all_han(text):
        return TokenKind.WORD
    if text.isspace():
        return TokenKind.WHITESPACE
    if all(unicodedata.category(ch).startswith("N") or ch in ".," for ch in text) and \
            any(unicodedata.category(ch).startswith("N") for ch in text):
        return TokenKind.NUMBER
    if all(unicodedata.category(ch).startswith("P") for ch in text):
        return TokenKind.PUNCTUATION
    if any(unicodedata.category(ch).startswith("L") for ch in text) and all(
            unicodedata.category(ch)[0] in "LMN" or ch in "-'_.&+#%" for ch in text):
        return TokenKind.LATIN
    return TokenKind.OTHER


_KIND = {WordKind.WORD: TokenKind.WORD, WordKind.NAME: TokenKind.NAME, WordKind.NUMBER: TokenKind.NUMBER}
_COUNTERS = frozenset("一二两三四五六七八九十百千万几这那哪每某各半")


def _token(words: list[WordReading], i: int, texts: list[str]) -> Token:
    w = words[i]
    kind = token_kind(w.text)
    if kind is not TokenKind.WORD:
        return Token(w.text, kind)
    kind = _KIND[w.kind]
    simplified, traditional = forms(w.text, w.entry)
    counted = i > 0 and words[i - 1].text[-1:] in _COUNTERS
    if w.entry is not None:
        rule = sense_rule(texts, i)
        meanings = ordered(w.text, w.entry, counted=counted, as_name=kind is TokenKind.NAME,
                           first=rule.result if rule else "")
    elif kind is TokenKind.NAME and w.parts:
        from .names import name_gloss

        meanings = (name_gloss(w.text, " ".join(w.parts).split()),)
    elif kind is TokenKind.NAME:
        meanings = (_place_gloss(w),)
    elif kind is TokenKind.NUMBER:
        meanings = (_number_gloss(simplified),)
    else:
        meanings = (composed_gloss(w.text),)
    meanings = tuple(m for m in meanings if m)
    return Token(
        text=w.text,
        kind=kind,
        simplified=simplified,
        traditional=traditional,
        pinyin=w.shown_marks if w.parts else "",
        pinyin_numbers=w.shown_numbers if w.parts else "",
        gloss="; ".join(meanings[:GLOSS_SENSES]),
        senses=meanings,
        hsk=hsk.word_level(simplified) if kind is TokenKind.WORD else hsk.level(simplified),
        other_readings=other_readings(w.text, w.entry) if w.entry is not None else (),
        classifiers=classifiers(w.text, w.entry, kind is TokenKind.NAME) if w.entry is not None else (),
    )


def _place_gloss(w: WordReading) -> str:
    """解放路 'Jiefang Road (place name)': the name romanised, the kind of place in English."""
    from .segmentation import PLACE_SUFFIXES

    suffix = next(sfx for sfx in sorted(PLACE_SUFFIXES, key=len, reverse=True) if w.text.endswith(sfx))
    syllables = [s for s in w.syllables if s]
    name = "".join(s[:-1] for s in syllables[:len(w.text) - len(suffix)]).capitalize()
    return f"{name} {PLACE_SUFFIXES[suffix]} (place name)"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _number_gloss(text: str) -> str:
    """二十八 '28', 二〇〇八年 'the year 2008', 十月一日 'October 1'."""
    if text.endswith("年") and number_value(text[:-1]) is not None:
        return f"the year {number_value(text[:-1])}"
    if text.endswith(("日", "号")) and "月" in text:
        month, _, day = text[:-1].partition("月")
        m, dd = number_value(month), number_value(day)
        if m and dd and 1 <= m <= 12:
            return f"{_MONTHS[m - 1]} {dd}"
    value = number_value(text)
    return f"{value:,}" if value is not None else ""


def _merge_numbers(tokens: list[Token]) -> list[Token]:
    # jieba splits 3.5 and 1,000 at the separator; a reader sees one number.
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if (t.text in ".," and out and out[-1].kind is TokenKind.NUMBER and not out[-1].pinyin
                and i + 1 < len(tokens) and tokens[i + 1].kind is TokenKind.NUMBER and not tokens[i + 1].pinyin):
            out[-1] = Token(out[-1].text + t.text + tokens[i + 1].text, TokenKind.NUMBER)
            i += 2
            continue
        out.append(t)
        i += 1
    return out


def annotate_lines(lines: Sequence[str]) -> list[list[Token]]:
    """Annotate many lines at once (the pinyin model runs once for the whole batch)."""
    out = []
    for words in read_lines(lines):
        texts = [w.text for w in words]
        tokens = [_token(words, i, texts) for i in range(len(words))]
        out.append(_merge_numbers(tokens))
    return out


def annotate(text: str) -> list[Token]:
    """Split `text` into tokens; the tokens' texts concatenate back to `text`."""
    return annotate_lines([text])[0]
