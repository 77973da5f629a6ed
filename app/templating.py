"""Template filters for Chinese text: pinyin and characters coloured by tone (Pleco's convention)."""
from __future__ import annotations

from functools import lru_cache

from flask import Flask
from markupsafe import Markup, escape

from vocab.syllables import split_syllables

_VOWEL_START = tuple("aeoāáǎàēéěèōóǒò")


def _syllables(pinyin: str):
    try:
        return split_syllables(pinyin)
    except ValueError:
        return None


@lru_cache(maxsize=65536)  # pure, and asked for every word of every text the reader shows
def pinyin_tones(pinyin: str) -> Markup:
    """'guītú lièchē' -> each syllable in a span of class t1..t5; words keep their spaces."""
    words = []
    for word in (pinyin or "").split():
        syllables = _syllables(word)
        if not syllables:
            words.append(str(escape(word)))
            continue
        spans = []
        for i, s in enumerate(syllables):
            text = s.marks
            # Keep the apostrophe that separates a vowel-initial syllable inside a word (nǚ'ér).
            if i and text.lower().startswith(_VOWEL_START):
                text = "'" + text
            spans.append(f'<span class="t{s.tone or 5}">{escape(text)}</span>')
        words.append("".join(spans))
    return Markup(" ".join(words))


@lru_cache(maxsize=65536)
def hanzi_tones(hanzi: str, pinyin: str) -> Markup:
    """Each character in a span coloured by its syllable's tone, when the reading lines up one-to-one."""
    syllables = _syllables(pinyin or "")
    chars = list(hanzi or "")
    if not syllables or len(syllables) != len(chars):
        return Markup(escape(hanzi))
    return Markup("".join(f'<span class="t{s.tone or 5}">{escape(c)}</span>' for c, s in zip(chars, syllables)))


def register_template_filters(app: Flask) -> None:
    app.add_template_filter(pinyin_tones)
    app.add_template_filter(hanzi_tones)
