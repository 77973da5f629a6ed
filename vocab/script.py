"""The learner's script: text converted to simplified or traditional characters with OpenCC.

Traditional is OpenCC's Taiwan standard character set (s2tw: 麵, 裡, 吃), what most learners of
traditional characters read, converted character by character with OpenCC's phrase tables so
one-to-many characters come out right (头发 頭髮, 发展 發展); word choices are left as written
(軟件 stays, not 軟體), so a converted text has exactly as many characters as the original.
"""

from __future__ import annotations

import threading
from functools import lru_cache

__all__ = ["SCRIPTS", "to_script"]

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
    if not text:
        return text
    with _lock:  # one converter per process; OpenCC's objects are not documented as thread-safe
        return _converter(script).convert(text)
