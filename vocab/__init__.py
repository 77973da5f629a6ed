"""Guitu's language core: dictionary, segmentation, pinyin, annotation and term extraction (no Flask)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Public name -> module. Imported on first attribute access (PEP 562) so `import vocab` is cheap
# and a process that only needs, say, pinyin helpers never loads jieba or numpy.
_EXPORTS = {
    "HAN": "hanzi",
    "annotate": "annotation", "Token": "annotation", "TokenKind": "annotation",
    "lookup": "dictionary", "Entry": "dictionary",
    "lookup_term": "term", "TermInfo": "term", "Reading": "term", "other_readings": "senses",
    "segment": "segmentation", "sentences": "segmentation", "add_words": "segmentation",
    "set_word_source": "segmentation", "words_may_have_changed": "segmentation",
    "pinyin": "reading", "char_pinyin": "reading", "Style": "reading", "Tones": "reading",
    "sentence_pinyin": "reading",
    "numbers_to_marks": "syllables", "marks_to_numbers": "syllables", "normalize_pinyin": "syllables",
    "reading_marks": "syllables", "toneless_pinyin": "syllables",
    "to_zhuyin": "syllables", "sandhi": "syllables", "compare_pinyin": "syllables",
    "PinyinComparison": "syllables", "SyllableResult": "syllables", "SyllableVerdict": "syllables",
    "extract_terms": "extract", "rank_terms": "extract", "Candidate": "extract", "extract_bilingual": "extract",
    "BilingualTerm": "extract",
    "search": "dictionary_search", "Match": "dictionary_search", "containing": "dictionary_search",
    "SEARCH_QUERY_MAX": "dictionary_search",
    "to_script": "script", "SCRIPTS": "script",
    "fingerprint": "cache",
    "synthesize": "speech", "can_speak": "speech", "spoken_pinyin": "speech", "SPEECH_ENGINE": "speech",
}

if TYPE_CHECKING:  # for type checkers and IDEs; at run time these load lazily
    from .annotation import Token, TokenKind, annotate
    from .cache import fingerprint
    from .dictionary import Entry, lookup
    from .dictionary_search import SEARCH_QUERY_MAX, Match, containing, search
    from .extract import BilingualTerm, Candidate, extract_bilingual, extract_terms, rank_terms
    from .hanzi import HAN
    from .hsk import level as hsk_level
    from .reading import Style, Tones, char_pinyin, pinyin, sentence_pinyin
    from .script import SCRIPTS, to_script
    from .segmentation import add_words, segment, sentences, set_word_source, words_may_have_changed
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
        reading_marks,
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
    "HAN",
    "annotate", "Token", "TokenKind",
    "lookup", "Entry", "lookup_term", "TermInfo", "Reading", "other_readings", "hsk_level",
    "segment", "sentences", "add_words", "set_word_source", "words_may_have_changed",
    "pinyin", "char_pinyin", "Style", "Tones", "sentence_pinyin",
    "numbers_to_marks", "marks_to_numbers", "normalize_pinyin", "reading_marks", "toneless_pinyin", "to_zhuyin",
    "sandhi", "compare_pinyin", "PinyinComparison", "SyllableResult", "SyllableVerdict",
    "extract_terms", "rank_terms", "Candidate", "extract_bilingual", "BilingualTerm",
    "search", "Match", "containing", "SEARCH_QUERY_MAX", "to_script", "SCRIPTS", "fingerprint",
    "synthesize", "can_speak", "spoken_pinyin", "SPEECH_ENGINE",
    "warm",
]


def warm() -> None:
    """Load the dictionary, segmenter, pinyin model, name model and rule tables now (e.g. before
    gunicorn forks its workers) instead of on the first request. Safe to call from several
    threads; later calls are free."""
    from .annotation import annotate

    annotate("张昌华说银行行长还是长大了，一本书二〇〇八年还给他。")
