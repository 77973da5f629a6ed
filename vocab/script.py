"""The learner's script: text converted to simplified or traditional characters with OpenCC.

Traditional is OpenCC's Taiwan standard character set (s2tw: 麵, 裡, 吃), what most learners of
traditional characters read, converted character by character with OpenCC's phrase tables so
one-to-many characters come out right (头发 頭髮, 发展 發展); word choices are left as written
(軟件 stays, not 軟體), so a converted text has exactly as many characters as the original.
"""

from __future__ import annotations

import threading
from functools import lru_cache

__all__ = ["SCRIPTS", "to_script", "traditional_chars"]

SCRIPTS = ("simplified", "traditional")
_CONFIGS = {"simplified": "t2s", "traditional": "s2tw"}
_lock = threading.Lock()


@lru_cache(maxsize=2)
def _converter(script: str):
    import opencc

    return opencc.OpenCC(_CONFIGS[script])


def to_script(text: str, script: str) -> str:
    """`text` written in `script` ('simplified' or 'traditional'); anything that is not Chinese is kept."""
    if script not in _CONFIGS:
        raise ValueError(f"script must be one of {', '.join(SCRIPTS)}, not {script!r}")
    if not text or text.isascii():
        return text
    with _lock:  # one converter per process; OpenCC's objects are not documented as thread-safe
        return _converter(script).convert(text)


@lru_cache(maxsize=1)
def traditional_chars() -> frozenset[str]:
    """The characters OpenCC writes differently in simplified script (還, 東, 閤 …): a quick test of
    whether a text needs converting at all."""
    chars = [chr(c) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for c in range(*r)]
    simple = to_script("\n".join(chars), "simplified").split("\n")
    if len(simple) != len(chars):  # never seen; one by one then
        simple = [to_script(c, "simplified") for c in chars]
    return frozenset(c for c, s in zip(chars, simple) if s != c)
