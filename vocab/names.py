"""Personal names in running text: 张昌华, 陈素琴, 张先生, 小刘 found, kept whole, read and glossed as names.

Segmentation without guessing leaves an unknown name as single characters (张|昌|华), each then
glossed as a word. A name starts with a surname (CC-CEDICT's "surname X" entries, kept when jieba's
part-of-speech model has seen them start names often enough) and is confirmed by that model's HMM
(jieba.posseg, trained on the People's Daily corpus) over the name and its neighbours: the surname
must begin a personal name and the name must end where a token ends. A surname followed by a
title (张先生, 王老师) or 小/老 before a surname (小刘, 老王) are names as well.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from . import cache
from .dictionary import get_dictionary
from .hanzi import all_han

__all__ = ["TITLES", "NameSpan", "find_names", "surname_reading", "is_surname", "name_gloss"]

#: Titles and forms of address that follow a surname, with how an English speaker says them.
#: 张先生 is "Mr Zhang", 王老师 "Teacher Wang", 李阿姨 "Auntie Li".
TITLES = {
    "先生": "Mr", "太太": "Mrs", "女士": "Ms", "小姐": "Miss", "老师": "Teacher", "师傅": "Master",
    "阿姨": "Auntie", "叔叔": "Uncle", "伯伯": "Uncle", "大爷": "Uncle", "大妈": "Auntie",
    "大叔": "Uncle", "大姐": "Big Sister", "大哥": "Big Brother", "奶奶": "Grandma", "爷爷": "Grandpa",
    "医生": "Doctor", "大夫": "Doctor", "教授": "Professor", "博士": "Dr", "经理": "Manager",
    "老板": "Boss", "校长": "Principal", "主任": "Director", "同学": "classmate", "师父": "Master",
    "局长": "Director", "书记": "Secretary", "总": "Boss", "工": "Engineer", "姐": "Sister", "哥": "Brother",
}
#: Familiar forms: 小刘 "young Liu", 老王 "old Wang".
PREFIXES = {"小": "Xiao", "老": "Lao"}

# log P(character | begins a personal name) in jieba's model above which a CC-CEDICT surname
# counts as one that really starts names (张 -3.7, 曾 -6.4, 解 -6.9; 新 -8.0 is mostly "new").
_SURNAME_MIN_LOGP = -7.0
_RARE_SURNAME_MIN_LOGP = -9.0  # 朴 -8.2, 区 -8.6, 翟 -8.8: see is_surname
# log P(character | inside or ending a personal name) above which a character can be part of a
# given name (琴 -7.5, 欣 -7.6; 嘴 -8.4 and 馆 -9.2 are not name characters).
_GIVEN_MIN_LOGP = -8.0
_NAME_TAGS = ("nr", "nrfg", "nrt")
# A character far likelier inside a transliterated foreign name (jieba's 'nrt': 拉, 斯, 尔, 特) than
# inside a Chinese one does not make a given name: 柏培拉 is not 'Bai Peila'.
_FOREIGN_LEAD = 2.0
_SCHEMA = 6


@dataclass(frozen=True, slots=True)
class NameSpan:
    """Tokens [start, end) of a segmented line form one name."""

    start: int
    end: int


def _build_hmm() -> dict:
    # jieba.posseg's tables are Python dicts of ~50 MB; only a compact copy is kept: per character
    # its possible states with their emission log-probabilities, and dense start/transition arrays.
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P

    states = sorted(start_P)
    index = {s: i for i, s in enumerate(states)}
    n = len(states)
    start = np.array([max(start_P[s], -1e30) for s in states], dtype=np.float64)
    trans = np.full((n, n), -1e30, dtype=np.float64)
    for a, row in trans_P.items():
        for b, p in row.items():
            trans[index[a], index[b]] = max(p, -1e30)
    chars: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for ch, allowed in char_state_tab_P.items():
        idx = np.array([index[s] for s in allowed], dtype=np.int16)
        emit = np.array([emit_P[s].get(ch, -1e30) for s in allowed], dtype=np.float64)
        chars[ch] = (idx, emit)
    begin_name = emit_P[("B", "nr")]
    inner = {**emit_P[("M", "nr")]}
    for ch, p in emit_P[("E", "nr")].items():
        inner[ch] = max(p, inner.get(ch, p))
    foreign = {**emit_P[("M", "nrt")]}
    for ch, p in emit_P[("E", "nrt")].items():
        foreign[ch] = max(p, foreign.get(ch, p))
    return {
        "states": states, "start": start, "trans": trans, "chars": chars,
        "foreign": frozenset(ch for ch, p in foreign.items() if p > inner.get(ch, -99.0) + _FOREIGN_LEAD),
        "name_begin": {ch: p for ch, p in begin_name.items() if p > _RARE_SURNAME_MIN_LOGP},
        "name_inner": frozenset(ch for ch, p in inner.items() if p > _GIVEN_MIN_LOGP),
    }


class _Hmm:
    def __init__(self) -> None:
        key = cache.package_versions("jieba")
        data = cache.load_or_build(f"names-hmm-{key}", _build_hmm, schema=_SCHEMA)
        self.states: list[tuple[str, str]] = data["states"]
        self.start: np.ndarray = data["start"]
        self.trans: np.ndarray = data["trans"]
        self.chars: dict[str, tuple[np.ndarray, np.ndarray]] = data["chars"]
        self.name_begin: dict[str, float] = data["name_begin"]
        self.name_inner: frozenset[str] = data["name_inner"]
        self.foreign: frozenset[str] = data["foreign"]
        n = len(self.states)
        self.index = {st: i for i, st in enumerate(self.states)}
        self.all_states = (np.arange(n, dtype=np.int16), np.full(n, math.log(1e-8)))

    def viterbi(self, text: str, force: dict[int, tuple[str, str]] | None = None) -> tuple[float, list[tuple[str, str]]]:
        """The most likely (position, tag) state per character, e.g. ('B', 'nr'), and its log
        probability; `force` fixes the state at some positions."""
        allowed = []
        for t, ch in enumerate(text):
            idx, emit = self.chars.get(ch, self.all_states)
            if force and t in force:
                want = self.index.get(force[t])
                keep = np.nonzero(idx == want)[0]
                if want is None:
                    return -math.inf, []
                if not len(keep):
                    idx, emit = np.array([want], dtype=np.int16), np.array([-20.0])
                else:
                    idx, emit = idx[keep], emit[keep]
            allowed.append((idx, emit))
        idx, emit = allowed[0]
        score = self.start[idx] + emit
        back: list[np.ndarray] = []
        for (prev, _), (idx, emit) in zip(allowed, allowed[1:]):
            cand = score[:, None] + self.trans[np.ix_(prev, idx)]  # [previous state, this state]
            best = cand.argmax(axis=0)
            score = cand[best, np.arange(len(idx))] + emit
            back.append(best)
        k = int(score.argmax())
        total = float(score[k])
        path = [k]
        for best in reversed(back):
            k = int(best[k])
            path.append(k)
        path.reverse()
        return total, [self.states[int(allowed[t][0][k])] for t, k in enumerate(path)]


_lock = threading.Lock()
_hmm: _Hmm | None = None


def _get_hmm() -> _Hmm:
    global _hmm
    if _hmm is None:
        with _lock:
            if _hmm is None:
                _hmm = _Hmm()
    return _hmm


def _name_char(ch: str) -> bool:
    """A character that given names use, and not one that mostly spells foreign names."""
    hmm = _get_hmm()
    return ch in hmm.name_inner and ch not in hmm.foreign


@lru_cache(maxsize=8192)
def surname_reading(surname: str) -> str | None:
    """CC-CEDICT's reading of `surname` as a surname ('Zeng1' for 曾, 'Shan4' for 单), or None if
    the dictionary lists no such surname."""
    for e in get_dictionary().lookup(surname):
        if e.simplified == surname and any(_SURNAME_SENSE.search(m) for m in e.meanings):
            return e.pinyin
    return None


_SURNAME_SENSE = re.compile(r"\bsurname [A-Z]")


@lru_cache(maxsize=8192)
def surname_readings(surname: str) -> tuple[str, ...]:
    """Every reading CC-CEDICT gives `surname` as a surname (翟: 'Zhai2', 'Di2'); the context model
    chooses between them."""
    return tuple(dict.fromkeys(e.pinyin for e in get_dictionary().lookup(surname)
                               if e.simplified == surname and any(_SURNAME_SENSE.search(m) for m in e.meanings)))


def _romanised(numbered: str) -> str:
    """'Chang1 hua2' -> 'Changhua': one word, capitalised, tones dropped, ü as v (as names are
    written in English: Lü -> Lv is the passport spelling)."""
    return "".join(s.rstrip("012345").replace("ü", "v").lower() for s in numbered.split()).capitalize()


@lru_cache(maxsize=8192)
def is_surname(text: str) -> bool:
    """A surname that often starts names (single characters), or any CC-CEDICT compound surname."""
    if surname_reading(text) is None:
        return False
    if len(text) == 2:
        return True
    logp = _get_hmm().name_begin.get(text)
    if logp is None:
        return False
    # Rarer surnames (朴, 区, 翟) count when the character is mostly a noun, not an adjective or
    # verb that merely can be a surname (新, 中).
    from .segmentation import word_class

    return logp > _SURNAME_MIN_LOGP or word_class(text) in ("n", "nr", "ng", "nz")


def _titled_surname(char: str) -> bool:
    """Before a title, any CC-CEDICT surname that is a noun (仇, 区), not an adjective (新老师 is
    'the new teacher')."""
    from .segmentation import word_class

    return surname_reading(char) is not None and (is_surname(char) or word_class(char) in ("n", "nr", "ng"))


def is_person_entry(entry) -> bool:
    """CC-CEDICT writes a person's name with capitalised surname and given name: 'Liu2 De2 hua2'."""
    syl = entry.pinyin.split()
    caps = [i for i, s in enumerate(syl) if s[:1].isupper()]
    return (len(caps) == 2 and caps[0] == 0 and caps[1] in (1, 2) and len(syl) <= 4
            and is_surname(entry.simplified[:caps[1]]))


@dataclass(frozen=True, slots=True)
class _Parts:
    prefix: str  # 小 / 老
    surname: str
    given: str
    title: str


def _parse(text: str, weak: bool = False) -> _Parts | None:
    """Prefix, surname, given name and title of a name-shaped text; with `weak`, any CC-CEDICT
    surname may start it (盖明, where 盖 is mostly the verb 'to cover')."""
    title = next((t for t in TITLES if text.endswith(t) and len(text) > len(t)), "")
    core = text[:len(text) - len(title)]
    if title and len(core) == 1 and _titled_surname(core):
        return _Parts("", core, "", title)  # 仇老师: a rarer surname, but the title says it is one
    if core[:1] in PREFIXES and len(core) == 2 and is_surname(core[1]):
        if title or not any(e.pinyin[:1].islower() for e in get_dictionary().lookup(core)):
            return _Parts(core[0], core[1], "", title)  # 小刘, 老王; not 老师
        return None
    surname = core[:2] if len(core) >= 2 and is_surname(core[:2]) else core[:1]
    if not is_surname(surname) and not (weak and surname_reading(surname)):
        return None
    given = core[len(surname):]
    if len(given) > 2 or (not given and not title):
        return None
    return _Parts("", surname, given, title)


# How much less likely (natural log) the HMM may find "this is one personal name" than its own
# best reading of the same characters; more at the start of a clause, where a sentence's subject
# stands (区伟明在广州开店).
_NAME_MARGIN = 1.0
_SUBJECT_MARGIN = 2.5


def _hmm_name(name: str, right: str, margin: float = _NAME_MARGIN) -> bool:
    """jieba's HMM reads `name` (followed by the text `right`) as one personal name, or nearly so."""
    hmm = _get_hmm()
    text = name + right
    best, _ = hmm.viterbi(text)

    def as_name(tag: str) -> float:
        force = {0: ("B", tag), len(name) - 1: ("E", tag)}
        force.update({k: ("M", tag) for k in range(1, len(name) - 1)})
        return hmm.viterbi(text, force)[0]

    named = as_name("nr")
    if named < best - margin:
        return False
    # A transliterated foreign name (弗缪尔, 柏培拉) reads better as one (jieba's 'nrt').
    return named > as_name("nrt")


# Function words do not make given names: 燕|以|乐 is not a name.
_FUNCTION_TAGS = frozenset("p c u uj ul uz ug uv ud y e o".split())

# After these, what follows is a name even if it is also a word: 我叫林小雨.
_NAMING = frozenset({"叫", "名叫", "叫做", "叫作", "姓名", "名字叫"})
# Before these, a surname-like character is a measure word: 一张先生的照片, 这张.
_COUNTERS = frozenset("一二两三四五六七八九十百千万几这那哪每半整满")


def resplit(tokens: Sequence[str]) -> list[str]:
    """王国|庆 -> 王|国庆 where the HMM itself reads a clause-initial surname + word + character as a
    name (王国庆 'Wang Guoqing', not 王国 'kingdom' + 庆): the dictionary word swallowed the
    surname."""
    d = get_dictionary()
    out = list(tokens)
    for i in range(len(out) - 1):
        tok, nxt = out[i], out[i + 1]
        if (len(tok) == 2 and len(nxt) == 1 and _clause_start(out, i)
                and _get_hmm().name_begin.get(tok[0], -99.0) > _SURNAME_MIN_LOGP and is_surname(tok[0])
                and any(e.pinyin[:1].islower() for e in d.lookup(tok))
                and all(_name_char(ch) for ch in tok[1] + nxt)):
            right = _han_run(out[i + 2:i + 4])[:2]
            if _hmm_name(tok + nxt, right, margin=0.0):
                out[i:i + 2] = [tok + nxt, ""]
    return [t for t in out if t]


def is_name_token(token: str) -> bool:
    """A word jieba's dictionary lists as a person (刘建国) that is shaped like one and that the HMM
    reads as one outright (its dictionary also tags phrases such as 张开嘴 as names)."""
    parts = _parse(token)
    if parts is None or not parts.given or not _allowed([token], parts, get_dictionary(), False):
        return False
    return _hmm_name(parts.surname + parts.given, "", margin=_SUBJECT_MARGIN)


def find_names(tokens: Sequence[str]) -> list[NameSpan]:
    """Spans of `tokens` (a segmented line) that are personal names, left to right, not overlapping.

    A token CC-CEDICT knows as a common word (高明, 陈列, 金子) is never part of a name, unless a
    naming verb comes just before it (我叫林小雨).
    """
    d = get_dictionary()
    spans: list[NameSpan] = []
    n = len(tokens)
    first_chars = _name_starts()
    i = 0
    while i < n:
        found = None
        if tokens[i][:1] not in first_chars and not (len(tokens[i]) == 2 and is_surname(tokens[i])):
            i += 1  # (a compound surname starts names too: 令狐)
            continue
        naming = i > 0 and tokens[i - 1] in _NAMING
        for j in range(min(n, i + 4), i, -1):
            inner = tokens[i:j]
            text = "".join(inner)
            if len(text) > 6 or not all(all_han(t) for t in inner):
                continue
            starts = _clause_start(tokens, i)
            parts = _parse(text)
            weak = parts is None and starts and (parts := _parse(text, weak=True)) is not None
            if parts is None or not _allowed(inner, parts, d, naming):
                continue
            if weak and not (parts.given and _hmm_name(parts.surname + parts.given,
                                                       _han_run(tokens[j:j + 2])[:2], margin=0.0)):
                continue  # a weak surname needs the model's own best reading to be the name
            if not _surname_fits(tokens, i, inner, parts, naming) or not _after_word(tokens, i):
                continue
            if parts.title and not parts.given and not parts.prefix \
                    and i > 0 and tokens[i - 1][-1:] in _COUNTERS:
                continue
            right = _han_run(tokens[j:j + 2])[:2]
            if parts.given and not parts.title and not _known_person(text, d) \
                    and not _hmm_name(parts.surname + parts.given, right,
                                      _SUBJECT_MARGIN if starts else _NAME_MARGIN):
                continue
            if parts.prefix and not parts.title and not _hmm_name(text, right,
                                                                  _SUBJECT_MARGIN if starts else _NAME_MARGIN):
                continue
            found = NameSpan(i, j)
            break
        if found:
            spans.append(found)
            i = found.end
        else:
            i += 1
    return spans


def _clause_start(tokens: Sequence[str], i: int) -> bool:
    """Nothing before the word but punctuation or the start of the text (digits are not a clause
    boundary: 70|余|方 is a count)."""
    prev = tokens[i - 1] if i > 0 else ""
    return not prev or all(unicodedata.category(ch)[0] in "PZ" or ch.isspace() for ch in prev)


def _han_run(tokens: Sequence[str]) -> str:
    """The Chinese text that follows, up to the first punctuation or other script."""
    out = ""
    for tok in tokens:
        if not all_han(tok):
            break
        out += tok
    return out


def _surname_fits(tokens: Sequence[str], i: int, inner: Sequence[str], parts: _Parts, naming: bool) -> bool:
    """A surname that is also a common verb, adverb or conjunction (任, 曾, 和, 于) starts a name
    only where a name can stand: with a title or familiar prefix, after a naming verb, at the
    start of a clause, or after a conjunction or preposition (和曾华, 跟赵丽)."""
    from .segmentation import word_class

    if parts.title or parts.prefix or naming or word_class(parts.surname) in ("n", "nr", "ng", "a"):
        return True
    prev = tokens[i - 1] if i > 0 else ""
    return not prev or not all_han(prev) or word_class(prev) in ("c", "p", "v")


def _after_word(tokens: Sequence[str], i: int) -> bool:
    """A name follows a word, a function word or the start of a clause, not a stray character
    (朗|缪|尔 is a transliteration)."""
    from .segmentation import word_class

    prev = tokens[i - 1] if i > 0 else ""
    return len(prev) != 1 or not all_han(prev) or word_class(prev) not in ("n", "a", "ng", "nz", "ns", "nr")


@lru_cache(maxsize=1)
def _name_starts() -> frozenset[str]:
    """Characters a name can start with (a quick test before the real one): those jieba's model
    sees start names (see is_surname), and 小, 老."""
    return frozenset(_get_hmm().name_begin) | frozenset(PREFIXES)


def _known_person(text: str, d) -> bool:
    return any(is_person_entry(e) for e in d.lookup(text))


def _allowed(inner: Sequence[str], parts: _Parts, d, naming: bool) -> bool:
    """Every token of the span may belong to a name: single characters that names use, the
    title, and given names CC-CEDICT lacks or jieba lists as personal names (王|秀英), unless a
    naming verb comes just before (我叫林小雨)."""
    from .segmentation import proper_tag, word_class

    if not naming and any(not _name_char(ch) or word_class(ch) in _FUNCTION_TAGS for ch in parts.given):
        return False
    for k, tok in enumerate(inner):
        entries = d.lookup(tok)
        if k == 0 and tok == parts.surname and len(tok) > 1 and entries \
                and not any(e.pinyin[:1].islower() for e in entries):
            continue  # a compound surname that is only a surname: 欧阳|明 (not 东方 'east')
        if len(tok) > 1 and proper_tag(tok) == "ns":
            return False  # a place: 解放路
        if len(tok) == 1 or (k == len(inner) - 1 and tok == parts.title) or naming or tok not in d:
            continue
        if any(e.pinyin[:1].islower() for e in entries):
            return False  # a common word: 高明, 文明, 张开
        if k == 0 and not any(is_person_entry(e) for e in entries):
            return False  # a place or other proper noun: 韩国|来 is not a name
        if k > 0 and proper_tag(tok) != "nr":
            return False  # a proper noun that is not a given name: 高达 (Gundam), 武钢
    return True


def name_gloss(text: str, syllables: Sequence[str]) -> str:
    """'Zhang Changhua (name)', 'Mr Zhang', 'Xiao Liu (familiar name)', from the name's reading
    (one numbered syllable per character)."""
    if text[:1] in PREFIXES and len(text) == 2:
        return f"{PREFIXES[text[0]]} {_romanised(syllables[1])} (familiar name)"
    for title, english in TITLES.items():
        if text.endswith(title) and len(text) > len(title):
            person = name_gloss(text[:-len(title)], syllables[:-len(title)]).removesuffix(" (name)")
            return f"{person} ({english})" if english.islower() else f"{english} {person}"
    surname_len = 2 if len(text) > 2 and is_surname(text[:2]) else 1
    out = _romanised(" ".join(syllables[:surname_len]))
    if len(text) > surname_len:
        out += " " + _romanised(" ".join(syllables[surname_len:]))
    return f"{out} (name)"
