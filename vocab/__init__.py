"""Guitu's language core: dictionary, segmentation, pinyin, annotation and term extraction (no Flask)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Public name -> module. Imported on first attribute access (PEP 562) so `import vocab` is cheap
# and a process that only needs, say, pinyin helpers never loads jieba or numpy.
_EXPORTS = {
    "annotate": "annotation", "Token": "annotation", "TokenKind": "annotation",
    "lookup": "dictionary", "Entry": "dictionary",
    "lookup_term": "term", "TermInfo": "term", "Reading": "term", "other_readings": "senses",
    "segment": "segmentation", "sentences": "segmentation", "add_words": "segmentation",
    "pinyin": "reading", "char_pinyin": "reading", "Style": "reading", "Tones": "reading",
    "sentence_pinyin": "reading",
    "numbers_to_marks": "syllables", "marks_to_numbers": "syllables", "normalize_pinyin": "syllables", "toneless_pinyin": "syllables",
    "to_zhuyin": "syllables", "sandhi": "syllables", "compare_pinyin": "syllables",
    "PinyinComparison": "syllables", "SyllableResult": "syllables", "SyllableVerdict": "syllables",
    "extract_terms": "extract", "Candidate": "extract", "extract_bilingual": "extract",
    "BilingualTerm": "extract",
    "to_traditional": "script", "to_simplified": "script", "in_script": "script",
    "synthesize": "speech", "can_speak": "speech", "spoken_pinyin": "speech", "SPEECH_ENGINE": "speech",
}

if TYPE_CHECKING:  # for type checkers and IDEs; at run time these load lazily
    from .annotation import Token, TokenKind, annotate
    from .dictionary import Entry, lookup
    from .extract import BilingualTerm, Candidate, extract_bilingual, extract_terms
    from .hsk import level as hsk_level
    from .reading import Style, Tones, char_pinyin, pinyin, sentence_pinyin
    from .script import in_script, to_simplified, to_traditional
    from .segmentation import add_words, segment, sentences
    from .senses import other_readings
    from .speech import SPEECH_ENGINE, can_speak, spoken_pinyin, synthesize
    from .syllables import (
        PinyinComparison,
        SyllableResult,
        SyllableVerdict,
        compare_pinyin,
        marks_to_numbers,
        normalize_pinyin,
        numbers_to_marks,
        sandhi,
        to_zhuyin,
        toneless_pinyin,
    )
    from .term import Reading, TermInfo, lookup_term


def __getattr__(name: str) -> Any:
    if name == "hsk_level":
        from .hsk import level

        return level
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'vocab' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "annotate", "Token", "TokenKind",
    "lookup", "Entry", "lookup_term", "TermInfo", "Reading", "other_readings", "hsk_level",
    "segment", "sentences", "add_words",
    "pinyin", "char_pinyin", "Style", "Tones", "sentence_pinyin",
    "numbers_to_marks", "marks_to_numbers", "normalize_pinyin", "toneless_pinyin", "to_zhuyin", "sandhi",
    "compare_pinyin", "PinyinComparison", "SyllableResult", "SyllableVerdict",
    "extract_terms", "Candidate", "extract_bilingual", "BilingualTerm",
    "to_traditional", "to_simplified", "in_script",
    "synthesize", "can_speak", "spoken_pinyin", "SPEECH_ENGINE",
    "warm",
]


def warm() -> None:
    """Load the dictionary, segmenter, pinyin model, name model and rule tables now (e.g. before
    gunicorn forks its workers) instead of on the first request. Safe to call from several
    threads; later calls are free."""
    from .annotation import annotate

    annotate("张昌华说银行行长还是长大了，一本书二〇〇八年还给他。")
