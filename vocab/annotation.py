"""Annotate text token by token: forms, pinyin, gloss, HSK level and the kind of each token."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from . import hsk
from .reading import WordReading, read_lines
from .term import forms, gloss_for

__all__ = ["TokenKind", "Token", "annotate", "annotate_lines", "token_kind"]

#: Senses shown per token; common words have dozens (去 has 14) and a reader needs the first few.
GLOSS_SENSES = 4


class TokenKind(enum.Enum):
    WORD = "word"  # Chinese word
    PUNCTUATION = "punctuation"
    NUMBER = "number"
    LATIN = "latin"
    WHITESPACE = "whitespace"
    OTHER = "other"  # symbols, emoji, scripts we do not read


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    kind: TokenKind
    simplified: str = ""
    traditional: str = ""
    pinyin: str = ""  # tone marks, 'yínháng'
    pinyin_numbers: str = ""  # 'yin2 hang2'
    gloss: str = ""
    hsk: int | None = None  # HSK 3.0 level, 7 for the 7-9 band


def _is_han(ch: str) -> bool:
    return ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
            or "\U00020000" <= ch <= "\U0002fa1f" or ch == "〇")


@lru_cache(maxsize=16384)
def token_kind(text: str) -> TokenKind:
    if not text:
        return TokenKind.OTHER
    if all(_is_han(ch) for ch in text):
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


def _token(w: WordReading) -> Token:
    kind = token_kind(w.text)
    if kind is not TokenKind.WORD:
        return Token(w.text, kind)
    simplified, traditional = forms(w.text)
    return Token(
        text=w.text,
        kind=kind,
        simplified=simplified,
        traditional=traditional,
        pinyin=w.marks if w.parts else "",
        pinyin_numbers=w.numbers if w.parts else "",
        gloss=gloss_for(w.text, w.numbers if w.parts else None, max_senses=GLOSS_SENSES),
        hsk=hsk.level(simplified),
    )


def _merge_numbers(tokens: list[Token]) -> list[Token]:
    # jieba splits 3.5 and 1,000 at the separator; a reader sees one number.
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if (t.text in ".," and out and out[-1].kind is TokenKind.NUMBER and i + 1 < len(tokens)
                and tokens[i + 1].kind is TokenKind.NUMBER):
            out[-1] = Token(out[-1].text + t.text + tokens[i + 1].text, TokenKind.NUMBER)
            i += 2
            continue
        out.append(t)
        i += 1
    return out


def annotate_lines(lines: Sequence[str]) -> list[list[Token]]:
    """Annotate many lines at once (the pinyin model runs once for the whole batch)."""
    return [_merge_numbers([_token(w) for w in words]) for words in read_lines(lines)]


def annotate(text: str) -> list[Token]:
    """Split `text` into tokens; the tokens' texts concatenate back to `text`."""
    return annotate_lines([text])[0]
