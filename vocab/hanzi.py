"""What counts as a Chinese character, for every part of the language core and the app."""

from __future__ import annotations

import re

__all__ = ["HAN", "is_han", "all_han"]

#: The CJK blocks (basic, extension A, extensions B-G), the compatibility ideographs, and 〇, the
#: Han zero of written years (二〇〇八).
_RANGES = (("\u4e00", "\u9fff"), ("\u3400", "\u4dbf"), ("\uf900", "\ufaff"),
           ("\U00020000", "\U0003134f"), ("〇", "〇"))

#: One Han character, as a pattern (for `search` over free text).
HAN = re.compile("[" + "".join(f"{lo}-{hi}" if lo != hi else lo for lo, hi in _RANGES) + "]")


_ALL_HAN = re.compile(HAN.pattern + "+")


def is_han(ch: str) -> bool:
    """True for one Han character."""
    return "\u4e00" <= ch <= "\u9fff" or any(lo <= ch <= hi for lo, hi in _RANGES[1:])


def all_han(text: str) -> bool:
    """True for a non-empty string of Han characters only."""
    return _ALL_HAN.fullmatch(text) is not None
