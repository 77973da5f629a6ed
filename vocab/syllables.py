"""Pinyin strings: tone numbers and marks, input normalisation, typed-answer comparison, sandhi, zhuyin."""

from __future__ import annotations

import difflib
import enum
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

__all__ = [
    "Syllable",
    "SyllableVerdict",
    "SyllableResult",
    "PinyinComparison",
    "parse_syllable",
    "split_syllables",
    "syllable_to_marks",
    "syllable_to_numbers",
    "numbers_to_marks",
    "marks_to_numbers",
    "normalize_pinyin",
    "reading_marks",
    "toneless_pinyin",
    "compare_pinyin",
    "sandhi",
    "textbook_tones",
    "to_zhuyin",
]

_MARKS = {
    "a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "ü": "ǖǘǚǜ",
    "A": "ĀÁǍÀ", "E": "ĒÉĚÈ", "I": "ĪÍǏÌ", "O": "ŌÓǑÒ", "U": "ŪÚǓÙ", "Ü": "ǕǗǙǛ",
}
# Marked vowel -> (plain vowel, tone); also covers the marked m/n/ê forms CC-CEDICT uses rarely.
_UNMARK = {m: (v, t + 1) for v, ms in _MARKS.items() for t, m in enumerate(ms)}
_VOWELS = set("aeiouüAEIOUÜ")
_SYLLABLE_RE = re.compile(r"^([A-Za-züÜ]+?)([0-5]?)$")


@dataclass(frozen=True, slots=True)
class Syllable:
    """One pinyin syllable: letters with ü spelled as ü, and tone 1-4, 5 for neutral, 0 if not given."""

    letters: str
    tone: int

    @property
    def numbers(self) -> str:
        return f"{self.letters}{self.tone or ''}"

    @property
    def marks(self) -> str:
        return _mark(self.letters, self.tone)

    @property
    def base(self) -> str:
        """Lower-case letters without tone: what two syllables must share to be 'the same sound'."""
        return self.letters.lower()


def _fix_u(text: str) -> str:
    # Everyone types ü differently: v (IMEs), u: (CC-CEDICT, CPP), ü.
    return text.replace("u:", "ü").replace("U:", "Ü").replace("v", "ü").replace("V", "Ü")


def _mark(letters: str, tone: int) -> str:
    if tone not in (1, 2, 3, 4):
        return letters
    low = letters.lower()
    # Standard placement: a or e take the mark; in 'ou' the o does; otherwise the last vowel.
    if "a" in low:
        i = low.index("a")
    elif "e" in low:
        i = low.index("e")
    elif "ou" in low:
        i = low.index("o")
    else:
        i = max((k for k, ch in enumerate(low) if ch in "aeiouü"), default=-1)
        if i < 0:
            # Syllabic m/n/ng (呣 m2, 嗯 ng4) take a combining mark.
            return letters[0] + "\u0304\u0301\u030c\u0300"[tone - 1] + letters[1:]
    return letters[:i] + _MARKS[letters[i]][tone - 1] + letters[i + 1:]


def parse_syllable(text: str) -> Syllable:
    """Parse one syllable written with a tone number (lv4, lu:4, lü4, le5, le) or tone mark (lǜ)."""
    text = unicodedata.normalize("NFC", _fix_u(text.strip()))
    tone = 0
    letters = []
    for ch in text:
        if ch in _UNMARK:
            v, tone = _UNMARK[ch]
            letters.append(v)
        elif ch in "\u0304\u0301\u030c\u0300":
            tone = "\u0304\u0301\u030c\u0300".index(ch) + 1
        else:
            letters.append(ch)
    plain = "".join(letters)
    if plain and plain[-1].isdigit():
        tone = int(plain[-1])
        plain = plain[:-1]
        if tone == 0:
            tone = 5  # some sources write neutral tone as 0
    if not plain or not _SYLLABLE_RE.match(plain):
        raise ValueError(f"not a pinyin syllable: {text!r}")
    return Syllable(plain, tone)


def syllable_to_marks(syllable: str) -> str:
    """'lv4' / 'lu:4' / 'lü4' -> 'lǜ'; 'le5' -> 'le'; 'Guang3' -> 'Guǎng'."""
    return parse_syllable(syllable).marks


def syllable_to_numbers(syllable: str, neutral: str = "5") -> str:
    """'lǜ' -> 'lü4'; a syllable with no mark is neutral ('le' -> 'le5')."""
    s = parse_syllable(syllable)
    tone = s.tone or (int(neutral) if neutral else 0)
    return f"{s.letters}{tone if tone else ''}"


@lru_cache(maxsize=65536)  # pure, and called for every token of every annotated text
def numbers_to_marks(text: str, join: bool = False) -> str:
    """'gui1 tu2' -> 'guī tú' (or 'guītú' with join=True). Erhua 'r5' attaches to the syllable before it.

    Anything that is not a numbered syllable (punctuation, hanzi, commas in CC-CEDICT readings) is kept.
    """
    out: list[str] = []
    for word in text.split():
        try:
            syl = parse_syllable(word)
        except ValueError:
            out.append(word)
            continue
        if syl.letters.lower() == "r" and out:
            out[-1] += syl.letters  # 一點兒 [yi1 dian3 r5] -> yīdiǎnr
            continue
        marked = syl.marks
        if join and out and marked[0].isupper():
            marked = " " + marked  # name parts stay apart: Shǎnxī Shěng
        elif join and out and marked[0].lower() in "aeoāáǎàēéěèōóǒò":
            marked = "'" + marked  # Xī'ān, not Xiān
        out.append(marked)
    return ("" if join else " ").join(out)


def marks_to_numbers(text: str, neutral: str = "5") -> str:
    """'guī tú' or 'guītú' -> 'gui1 tu2'; unmarked syllables get `neutral` ('5', or '' for none)."""
    return " ".join(
        f"{s.letters}{(s.tone or (int(neutral) if neutral else '')) or ''}"
        for s in split_syllables(text))


@lru_cache(maxsize=1)
def char_readings_table() -> dict[int, str]:
    """pypinyin's table of readings per character (code point -> 'le,liǎo,liào').

    Loaded from its file directly: importing the pypinyin package also loads its phrase
    dictionary, ~57 MB we do not use.
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(list(spec.submodule_search_locations)[0]) / "pinyin_dict.py"
    mod_spec = importlib.util.spec_from_file_location("_guitu_pypinyin_dict", path)
    if mod_spec is None or mod_spec.loader is None:
        return {}
    module = importlib.util.module_from_spec(mod_spec)
    mod_spec.loader.exec_module(module)
    return module.pinyin_dict


@lru_cache(maxsize=1)
def _syllable_inventory() -> frozenset[str]:
    # Toneless syllables, from the readings pypinyin ships for single characters (no hand-made table).
    found = set()
    for readings in char_readings_table().values():
        for r in readings.split(","):
            try:
                found.add(parse_syllable(r).base)
            except ValueError:
                pass
    found.update({"r", "m", "n", "ng", "hm", "hng"})
    return frozenset(s for s in found if s.isalpha() and s.isascii() or "ü" in s)


def _split_run(run: str) -> list[str] | None:
    """Split a run of toneless letters into known syllables.

    Pinyin orthography writes an apostrophe before a syllable starting with a, o or e inside a
    word (Xī'ān, fāng'àn), so without one such a split is least likely (nongmingong is
    nong-min-gong, not nong-ming-ong); among the rest, the fewest syllables wins (xian, not xi-an).
    """
    inv = _syllable_inventory()
    low = run.lower()
    n = len(low)
    # best[j] = (cost, cuts) for low[:j]; cost = (vowel-initial inner syllables, syllables)
    best: list[tuple[tuple[int, int], list[int]] | None] = [None] * (n + 1)
    best[0] = ((0, 0), [])
    for i in range(n):
        if best[i] is None:
            continue
        (bad, count), cuts = best[i]  # type: ignore[misc]
        for j in range(min(n, i + 6), i, -1):
            if low[i:j] in inv:
                cost = (bad + (1 if i > 0 and low[i] in "aoe" else 0), count + 1)
                if best[j] is None or cost < best[j][0]:  # type: ignore[index]
                    best[j] = (cost, cuts + [j])
    if best[n] is None:
        return None
    cuts = [0] + best[n][1]  # type: ignore[index]
    return [run[a:b] for a, b in zip(cuts, cuts[1:])]


def split_syllables(text: str) -> list[Syllable]:
    """Split typed pinyin into syllables: 'gui1tu2', 'gui1 tu2', 'guītú', "xi'an", 'GuiTu', 'lv4 se4'.

    Raises ValueError if some part is not pinyin.
    """
    text = unicodedata.normalize("NFC", _fix_u(text))
    # A tone mark belongs to the syllable it sits in; convert to trailing digits first so one
    # splitter handles both spellings.
    chunks: list[tuple[str, int]] = []  # (letters, tone) pieces delimited by spaces/apostrophes/digits
    for part in re.split(r"[\s'’\-·,]+", text):
        if not part:
            continue
        for letters, digit in re.findall(r"([^\d]*)(\d?)", part):
            if not letters and not digit:
                continue
            if not letters:
                raise ValueError(f"tone number without a syllable in {text!r}")
            chunks.append((letters, int(digit) if digit else -1))
    result: list[Syllable] = []
    for letters, tone in chunks:
        plain = []
        marked_tones: list[tuple[int, int]] = []  # (position in plain, tone)
        for ch in letters:
            if ch in _UNMARK:
                v, t = _UNMARK[ch]
                marked_tones.append((len(plain), t))
                plain.append(v)
            else:
                plain.append(ch)
        run = "".join(plain)
        if not re.fullmatch(r"[A-Za-züÜ]+", run):
            raise ValueError(f"not pinyin: {letters!r}")
        pieces = _split_run(run)
        if pieces is None:
            raise ValueError(f"not pinyin: {letters!r}")
        pos = 0
        for k, piece in enumerate(pieces):
            t = next((t for p, t in marked_tones if pos <= p < pos + len(piece)), 0)
            if k == len(pieces) - 1 and tone >= 0:
                t = tone or 5
            result.append(Syllable(piece, t))
            pos += len(piece)
    return result


def normalize_pinyin(text: str, style: str = "numbers") -> str:
    """Normalise typed pinyin to space-separated lower-case syllables, 'numbers' (lü4 se4) or 'marks' (lǜ sè)."""
    syls = split_syllables(text)
    if style == "marks":
        return " ".join(_mark(s.base, s.tone) for s in syls)
    return " ".join(f"{s.base}{s.tone or ''}" for s in syls)


_LATIN_RUN = re.compile(r"[A-Za-z]+")


def reading_marks(pinyin: str, hanzi: str = "", *, join: bool = False) -> str:
    """A term's reading as it is stored and shown: tone marks, word breaks as given, and the Latin
    letters the term itself is written with kept as letters.

    'gui1tu2 lie4che1' -> 'guītú lièchē'; for 卡拉OK 'ka3 la1 O K' (CC-CEDICT) or 'kǎlā ok' ->
    'kǎlā OK'; for T恤 'T xu4' -> 'T xù'. With join=True consecutive syllables are glued into one
    word, as for a dictionary reading ('ka3 la1' -> 'kǎlā'). Raises ValueError if some part is
    neither pinyin nor letters of the term.
    """
    runs = [run.upper() for run in _LATIN_RUN.findall(hanzi)]
    letters = "".join(runs)
    out: list[str] = []
    latin: list[str] = []  # consecutive letters of the term, joined when they spell one of its runs
    syllables: list[str] = []  # consecutive numbered syllables, glued when join=True

    def flush_latin() -> None:
        if latin:
            joined = "".join(latin).upper()
            out.extend([joined] if joined in letters else [w.upper() for w in latin])
            latin.clear()

    def flush_syllables() -> None:
        if syllables:
            out.append(numbers_to_marks(" ".join(syllables), join=True))
            syllables.clear()

    for word in pinyin.split():
        if letters and word.isascii() and word.isalpha() and word.upper() in letters:
            flush_syllables()
            latin.append(word)
            continue
        flush_latin()
        numbered = [s.numbers for s in split_syllables(word)]
        if join:
            syllables.extend(numbered)
        else:
            out.append(numbers_to_marks(" ".join(numbered), join=True))
    flush_latin()
    flush_syllables()
    return " ".join(out)


def toneless_pinyin(text: str) -> str:
    """'Guònián', 'guo4 nian2', "nǚ'ér" -> 'guonian', 'nver': lower-case letters only, ü as v, no tones,
    spaces or apostrophes. What pinyin typed without tones is searched against."""
    letters = unicodedata.normalize("NFD", _fix_u(text or "").lower()).replace("u\u0308", "v")
    return "".join(ch for ch in letters if "a" <= ch <= "z")


class SyllableVerdict(enum.Enum):
    CORRECT = "correct"
    WRONG_TONE = "wrong_tone"  # right sound, wrong (or missing) tone
    WRONG = "wrong"
    MISSING = "missing"  # expected syllable the learner left out
    EXTRA = "extra"  # typed syllable with no counterpart


@dataclass(frozen=True, slots=True)
class SyllableResult:
    expected: str | None  # numbered, e.g. 'gui1'; None for EXTRA
    typed: str | None  # numbered as typed; None for MISSING
    verdict: SyllableVerdict


@dataclass(frozen=True, slots=True)
class PinyinComparison:
    syllables: tuple[SyllableResult, ...]
    parsed: bool = True  # False when the typed text is not pinyin at all

    @property
    def correct(self) -> bool:
        return self.parsed and all(s.verdict is SyllableVerdict.CORRECT for s in self.syllables)

    @property
    def tones_only(self) -> bool:
        """True if every sound is right and only tones are wrong."""
        return self.parsed and not self.correct and all(
            s.verdict in (SyllableVerdict.CORRECT, SyllableVerdict.WRONG_TONE) for s in self.syllables)


def _judge(e: Syllable, t: Syllable) -> SyllableVerdict:
    if e.base != t.base:
        return SyllableVerdict.WRONG
    # Neutral tone may be typed as 5, 0 or left off; any other missing tone is a tone error.
    et = 5 if e.tone in (0, 5) else e.tone
    tt = 5 if t.tone in (0, 5) else t.tone
    return SyllableVerdict.CORRECT if et == tt else SyllableVerdict.WRONG_TONE


def compare_pinyin(expected: str, typed: str) -> PinyinComparison:
    """Compare a typed answer with the expected reading, syllable by syllable.

    Both may use tone numbers or marks, with or without spaces, in any case. Erhua and
    sandhi are not forgiven: compare against the stored dictionary reading.
    """
    exp = split_syllables(expected)
    try:
        got = split_syllables(typed)
    except ValueError:
        return PinyinComparison(tuple(
            SyllableResult(e.numbers.lower(), None, SyllableVerdict.MISSING) for e in exp), parsed=False)
    results: list[SyllableResult] = []
    if len(exp) == len(got):
        pairs = list(zip(exp, got))
        results = [SyllableResult(e.numbers.lower(), t.numbers.lower(), _judge(e, t)) for e, t in pairs]
        return PinyinComparison(tuple(results))
    # Different counts: align on the sounds so one missing syllable does not mark the rest wrong.
    sm = difflib.SequenceMatcher(a=[s.base for s in exp], b=[s.base for s in got], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            for e, t in zip(exp[i1:i2], got[j1:j2]):
                results.append(SyllableResult(e.numbers.lower(), t.numbers.lower(), _judge(e, t)))
            continue
        es, ts = exp[i1:i2], got[j1:j2]
        for k in range(max(len(es), len(ts))):
            e = es[k] if k < len(es) else None
            t = ts[k] if k < len(ts) else None
            if e and t:
                results.append(SyllableResult(e.numbers.lower(), t.numbers.lower(), _judge(e, t)))
            elif e:
                results.append(SyllableResult(e.numbers.lower(), None, SyllableVerdict.MISSING))
            else:
                results.append(SyllableResult(None, t.numbers.lower(), SyllableVerdict.EXTRA))
    return PinyinComparison(tuple(results))


# 一 keeps its first tone after these (ordinals, and numbers: 第一, 十一) and before these (numbers
# read digit by digit, dates, ranks: 一九八二, 一月, 十月一日, 一号, 一楼, 一等, 一流, 一年级).
_YI_KEEP_AFTER = frozenset("第初十百千万亿零〇一二三四五六七八九两月")
_YI_KEEP_BEFORE = frozenset("零〇一二三四五六七八九月日号楼等流")


def textbook_tones(syllables: Sequence[str | None], hanzi: str,
                   word_final: Sequence[bool] | None = None) -> list[str | None]:
    """一 and 不 with the tone changes textbooks print, from dictionary readings aligned with `hanzi`.

    不 (bù) becomes bú before a fourth tone; 一 (yī) becomes yí before a fourth (or neutral) tone and
    yì before the others, but stays yī at the end of a word (统一, 万一: `word_final`), in ordinals
    and numbers (第一, 十一, 一九八二) and dates (一月, 十月一日). Third-tone sandhi is not printed.
    None marks a character without a reading; the result has the same shape.
    """
    out = list(syllables)
    n = len(out)
    for i, ch in enumerate(hanzi[:n]):
        cur = out[i]
        if ch not in "一不" or cur is None or i + 1 >= n or out[i + 1] is None:
            continue
        s = parse_syllable(cur)
        nxt = parse_syllable(out[i + 1]).tone  # type: ignore[arg-type]
        if ch == "不" and s.base == "bu" and s.tone == 4 and nxt == 4:
            out[i] = s.letters + "2"
        elif ch == "一" and s.base == "yi" and s.tone == 1:
            if (word_final and word_final[i]) or (i > 0 and hanzi[i - 1] in _YI_KEEP_AFTER) \
                    or hanzi[i + 1] in _YI_KEEP_BEFORE or hanzi.startswith("年级", i + 1):
                continue
            if nxt in (4, 5):
                out[i] = s.letters + "2"
            elif nxt in (1, 2, 3):
                out[i] = s.letters + "4"
    return out


def sandhi(syllables: Sequence[str], hanzi: str | None = None) -> list[str]:
    """Spoken tones for display, from dictionary readings: 一/不 changes and third-tone pairs.

    `syllables` are numbered readings aligned with `hanzi` (one per character); without `hanzi`
    only third-tone sandhi is applied, because yi1/bu4 could be other characters (衣, 步).
    Returns new numbered syllables; the input is never modified.
    """
    if hanzi is not None and len(hanzi) == len(syllables):
        syllables = [s for s in textbook_tones(syllables, hanzi) if s is not None]
    out = [parse_syllable(s) for s in syllables]
    n = len(out)
    # Third tone before third tone becomes second; in a run every one but the last changes
    # (the common pedagogical rule; finer prosodic grouping needs syntax we do not have).
    i = 0
    while i < n:
        if out[i].tone == 3:
            j = i
            while j + 1 < n and out[j + 1].tone == 3:
                j += 1
            for k in range(i, j):
                out[k] = Syllable(out[k].letters, 2)
            i = j + 1
        else:
            i += 1
    return [s.numbers if s.tone else s.letters + "5" for s in out]


def to_zhuyin(syllables: str | Iterable[str]) -> str:
    """Numbered or marked pinyin -> zhuyin (bopomofo), syllables separated by spaces: 'lü4' -> 'ㄌㄩˋ'."""
    from pypinyin import Style
    from pypinyin.style import convert

    if isinstance(syllables, str):
        syllables = syllables.split()
    out = []
    for s in syllables:
        syl = parse_syllable(s)
        z = convert(_mark(syl.base, syl.tone) if syl.tone != 5 else syl.base, Style.BOPOMOFO,
                    strict=True, default=None)
        if syl.tone == 5 and z and not z.startswith("˙"):
            z = "˙" + z if not z.endswith("˙") else z
        out.append(z or syl.numbers)
    return " ".join(out)
