"""Simplified and traditional characters: OpenCC's conversions, for text that has no stored form in the
script a reader wants (example sentences, notes, titles, annotated text)."""

from __future__ import annotations

import threading
from functools import lru_cache

__all__ = ["to_traditional", "to_simplified", "in_script"]

_lock = threading.Lock()


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc  # OpenCC's own package, with its dictionaries (nothing downloads)

    return opencc.OpenCC(config)


def _convert(text: str, config: str) -> str:
    if not text or text.isascii():
        return text
    with _lock:  # one OpenCC object per conversion, shared by threads
        return _converter(config).convert(text)


def to_traditional(text: str) -> str:
    """'归途列车' -> '歸途列車' (OpenCC s2t: standard traditional characters, as CC-CEDICT writes them)."""
    return _convert(text, "s2t")


def to_simplified(text: str) -> str:
    """'歸途列車' -> '归途列车' (OpenCC t2s)."""
    return _convert(text, "t2s")


def in_script(text: str, script: str) -> str:
    """The text in 'traditional' or 'simplified' characters; anything that is not Chinese stays as it is."""
    return to_traditional(text) if script == "traditional" else to_simplified(text)
