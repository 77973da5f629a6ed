"""Context rules, kept as data: the reading of a polyphone and the sense of a word, by the words
around it.

The context model (trained on encyclopedia text) is right about most polyphones but misses
everyday grammar: 还 as 'give back' (他还了钱), 得 as 'must' (还得), 为 as 'for' (为孩子). A reading
rule (data/polyphones.tsv) names a character, a reading and conditions on the words around it; a
sense rule (data/sense_rules.tsv) names a word, a sense and conditions (在 before a verb is the
progressive 'in the middle of', before a place 'at'). The tables' headers explain the conditions.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from .hanzi import all_han
from .segmentation import NUMERALS, is_predicate, word_class

__all__ = ["Rule", "rules", "sense_rules", "sense_rule", "apply_rules", "matching_rule", "context", "Context",
           "READING_RULES", "SENSE_RULES"]

READING_RULES = Path(__file__).parent / "data" / "polyphones.tsv"
SENSE_RULES = Path(__file__).parent / "data" / "sense_rules.tsv"

_CLAUSE_END = frozenset("，。！？；：、,.!?;:\n…—")
_FINAL = frozenset("吗吧呢啊呀嘛啦哦")  # particles that end a sentence
_PREFIX_RULED = frozenset("不")  # a word starting with one is read as if it stood alone before the rest
# Before a measure word as well as numerals: 这种, 每只, 该种, 此种.
_DEMONSTRATIVES = "几这那哪每某各半该此本另"


@dataclass(frozen=True, slots=True)
class Context:
    """The words around a single-character word: the previous and next word of its line, and
    the words earlier in its clause."""

    prev: str
    next: str
    before: tuple[str, ...]
    after: tuple[str, ...] = ()
    word: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    word: str
    result: str  # a numbered reading, or a part of the sense to put first
    when: str
    example: str
    test: Callable[[Context], bool]
    line: int


def _values(arg: str) -> frozenset[str]:
    return frozenset(v for v in arg.split(",") if v)


def _condition(text: str) -> Callable[[Context], bool]:
    if text.startswith("!"):
        test = _condition(text[1:])
        return lambda c: not test(c)
    name, _, arg = text.partition("=")
    values = _values(arg)
    if name == "*":
        return lambda c: True
    if name == "next":
        return lambda c: c.next in values
    if name == "prev":
        return lambda c: c.prev in values
    if name == "next^":
        return lambda c: c.next.startswith(tuple(values))
    if name == "prev$":
        return lambda c: c.prev.endswith(tuple(values))
    if name == "nextclass":
        return lambda c: bool(c.next) and all_han(c.next) and word_class(c.next) in values
    if name == "next2":
        return lambda c: len(c.after) >= 2 and c.after[1] in values
    if name == "prevclass":
        return lambda c: bool(c.prev) and all_han(c.prev) and word_class(c.prev) in values
    if name == "selfclass":
        return lambda c: word_class(c.word) in values
    if name == "prevpred":
        return lambda c: bool(c.prev) and all_han(c.prev) and is_predicate(c.prev)
    if name == "nextpred":
        return lambda c: bool(c.next) and all_han(c.next) and is_predicate(c.next)
    if name == "prev2pred":
        return lambda c: len(c.before) >= 2 and all_han(c.before[-2]) and is_predicate(c.before[-2])
    if name == "prevlong":
        return lambda c: len(c.prev) >= 2 and all_han(c.prev)
    if name == "laterpred":
        return lambda c: any(all_han(w) and is_predicate(w) for w in c.after[1:])
    if name == "clause$":
        return lambda c: any(w.startswith(tuple(values)) for w in c.after)
    if name == "end":  # a clause with something before the word ends after it (a word alone is no clause)
        return lambda c: bool(c.before) and (not c.next or c.next[0] in _CLAUSE_END or not all_han(c.next[:1]))
    if name == "nextend":  # the clause ends after the next word, or only a final particle follows it
        return lambda c: bool(c.after) and (len(c.after) == 1 or (len(c.after) == 2 and c.after[1] in _FINAL))
    if name == "start":
        return lambda c: not c.before
    if name == "counted":
        return lambda c: bool(c.prev) and (c.prev[-1] in NUMERALS or c.prev[-1] in _DEMONSTRATIVES)
    if name == "clause~":
        return lambda c: any(v in w for w in c.before for v in values)
    if name == "clause^":
        return lambda c: any(w.startswith(tuple(values)) for w in c.before)
    raise ValueError(f"unknown condition {text!r}")


def _all(tests: list[Callable[[Context], bool]]) -> Callable[[Context], bool]:
    return lambda c: all(t(c) for t in tests)


def _load(path: Path, header: list[str]) -> dict[str, tuple[Rule, ...]]:
    out: dict[str, list[Rule]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [(n, line) for n, line in enumerate(fh, 1) if line.strip() and not line.startswith("#")]
    reader = csv.reader((line for _, line in rows), delimiter="\t", quoting=csv.QUOTE_NONE)
    if next(reader) != header:
        raise ValueError(f"{path.name}: the header must be {' / '.join(header)}")
    for (n, _), row in zip(rows[1:], reader):
        word, result, when, example = row
        test = _all([_condition(part) for part in when.split()])
        out.setdefault(word, []).append(Rule(word, result, when, example, test, n))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def rules() -> dict[str, tuple[Rule, ...]]:
    """The reading rules by character, in file order."""
    return _load(READING_RULES, ["char", "reading", "when", "example"])


@lru_cache(maxsize=1)
def sense_rules() -> dict[str, tuple[Rule, ...]]:
    """The sense rules by word, in file order."""
    return _load(SENSE_RULES, ["word", "sense", "when", "example"])


def context(texts: Sequence[str], i: int) -> Context:
    # Index loops, not slices: this runs for every word of a text, and slicing made it quadratic.
    before: list[str] = []
    for k in range(i - 1, -1, -1):
        w = texts[k]
        if w and w[-1] in _CLAUSE_END:
            break
        if w.strip():
            before.append(w)
    before.reverse()
    after: list[str] = []
    for k in range(i + 1, len(texts)):
        w = texts[k]
        if w and w[-1] in _CLAUSE_END:
            break
        if w.strip():
            after.append(w)
    prev = next((texts[k] for k in range(i - 1, -1, -1) if texts[k].strip()), "")
    nxt = next((texts[k] for k in range(i + 1, len(texts)) if texts[k].strip()), "")
    return Context(prev, nxt, tuple(before), tuple(after), texts[i])


def matching_rule(texts: Sequence[str], i: int, table: dict[str, tuple[Rule, ...]] | None = None) -> Rule | None:
    """The first rule for the word texts[i] whose conditions hold, if any (reading rules unless
    another table is given)."""
    for rule in (rules() if table is None else table).get(texts[i], ()):
        if rule.test(context(texts, i)):
            return rule
    return None


def sense_rule(texts: Sequence[str], i: int) -> Rule | None:
    """The sense rule for the word texts[i] (its own rules first, then those for any word)."""
    table = sense_rules()
    return matching_rule(texts, i, table) or next(
        (r for r in table.get("*", ()) if r.test(context(texts, i))), None)


def apply_rules(line: str, plan) -> None:
    """Set the reading of each single-character polyphone word of a read line: a measure word
    agrees with its noun (一场雪: 雪 is counted with 场 cháng), then the table's rules.
    `plan` is reading.py's list of (word, pieces)."""
    from .reading import set_reading

    table = rules()
    texts = [w.text for w, _ in plan]
    for i, (w, pieces) in enumerate(plan):
        if len(pieces) != 1:
            continue
        place = _place_reading(texts, i, pieces[0]) if len(w.text) > 1 else None
        if place:
            set_reading(pieces[0], place)
            continue
        if len(pieces[0].options) < 2 and w.text not in table and w.text[0] not in _PREFIX_RULED:
            continue
        reading = _classifier_reading(texts, i) if len(w.text) == 1 else None
        if reading and set_reading(pieces[0], reading):
            continue
        if i >= 2 and texts[i - 1] == "一" and texts[i - 2] == w.text and plan[i - 2][1] \
                and plan[i - 2][1][0].chosen is not None:
            # V一V (数一数, 凉一凉): the second verb is read as the first.
            set_reading(pieces[0], plan[i - 2][1][0].chosen.display.lower())
            continue
        if w.text in table:
            rule = matching_rule(texts, i)
            if rule is not None:
                set_reading(pieces[0], rule.result)
        elif len(w.text) > 1 and w.text[0] in _PREFIX_RULED and pieces[0].chosen is not None:
            # A word that is 不 and a complement (不动, 不清楚: words of their own in the dictionary)
            # is read as 不 before that complement would be: 抬不动 tái bu dòng.
            rule = matching_rule([*texts[:i], w.text[0], w.text[1:], *texts[i + 1:]], i)
            first, *rest = pieces[0].chosen.display.split()
            if rule is not None and len(rule.result.split()) == 1:
                set_reading(pieces[0], " ".join([rule.result, *rest]))


# Where a place name stands: 在东北, 去东北, 回到东北, 送上火星.
_LOCATIVE = ("在", "去", "到", "回", "从", "住", "往", "上", "来", "于")


def _place_reading(texts: Sequence[str], i: int, piece) -> str | None:
    """After a locative verb or preposition, a word that is also a place's name (东北 'northeast'
    and Dōngběi 'Northeast China') is the place."""
    from .segmentation import proper_tag

    if proper_tag(texts[i]) != "ns":
        return None
    prev = context(texts, i).prev
    if not prev or not prev.endswith(_LOCATIVE):
        return None
    from .dictionary import get_dictionary

    proper = next((e.pinyin for e in get_dictionary().lookup(texts[i]) if e.pinyin[:1].isupper()), None)
    if proper is None or piece.chosen is None or piece.chosen.display.lower() != proper.lower():
        return None
    return proper


def _classifier_reading(texts: Sequence[str], i: int) -> str | None:
    """After a numeral or demonstrative, the reading a noun's dictionary entry gives this measure
    word ('CL:場|场[chang2]' on 雪), looking at the next word or two and their last character."""
    from .dictionary import get_dictionary
    from .syllables import marks_to_numbers

    ctx = context(texts, i)
    if not _condition("counted")(ctx):
        return None
    d = get_dictionary()
    cl = texts[i]
    for noun in texts[i + 1:i + 3]:
        if not all_han(noun):
            break
        for form in (noun, noun[-1]):
            for e in d.lookup(form):
                for c in e.classifiers:
                    word, _, marks = c.partition(" ")
                    if word == cl and marks.startswith("("):
                        return marks_to_numbers(marks.strip("()")).lower()
    return None
