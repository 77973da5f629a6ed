"""Pick study words out of a text: Chinese words ranked by use, and terms glossed in bilingual text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .annotation import Token, TokenKind, annotate_lines
from .segmentation import sentences
from .term import forms, lookup_term

__all__ = ["Candidate", "BilingualTerm", "TermCounter", "extract_terms", "rank_terms", "extract_bilingual"]

# Structural particles and interjections are grammar, not vocabulary to put on a card.
_GRAMMAR = frozenset("的了吗呢吧啊地得着过么呀嘛哦")


@dataclass(frozen=True, slots=True)
class Candidate:
    simplified: str
    traditional: str
    pinyin: str
    pinyin_numbers: str
    gloss: str
    hsk: int | None
    count: int  # occurrences in the text
    context: str  # the sentence it first appears in


@dataclass(frozen=True, slots=True)
class BilingualTerm:
    hanzi: str
    english: str  # the English phrase the Chinese glosses, e.g. 'New Year holidays'
    sentence: str
    pinyin: str
    gloss: str  # dictionary gloss, for comparison with `english`
    hsk: int | None


class TermCounter:
    """Accumulates candidates sentence by sentence, so a large file never has to be held whole."""

    def __init__(self, known: Iterable[str] = (), names: bool = False) -> None:
        self._names = names
        self._known: set[str] = set()
        for k in known:
            k = k.strip()
            if k:
                self._known.add(k)
                self._known.update(forms(k))
        self._first: dict[str, tuple[int, Token, str]] = {}
        self._count: dict[str, int] = {}
        self._order = 0

    def add_sentences(self, batch: list[str]) -> None:
        for sentence, tokens in zip(batch, annotate_lines(batch)):
            self.add(sentence, tokens)

    def add(self, sentence: str, tokens: Iterable[Token]) -> None:
        """Count the words of one sentence already annotated."""
        for t in tokens:
            wanted = t.kind is TokenKind.WORD or (self._names and t.kind is TokenKind.NAME)
            if not wanted or t.text in _GRAMMAR:
                continue
            if not t.gloss:
                continue  # neither the dictionary nor its parts know it: not a study word
            key = t.simplified
            if key in self._known or t.text in self._known:
                continue
            self._count[key] = self._count.get(key, 0) + 1
            if key not in self._first:
                self._first[key] = (self._order, t, sentence.strip())
                self._order += 1

    def result(self, limit: int | None = None) -> list[Candidate]:
        def rank(key: str) -> tuple:
            order, tok, _ = self._first[key]
            # More frequent first; among equals the easier (lower HSK) word first, unlisted
            # words last, then in order of appearance.
            return (-self._count[key], tok.hsk if tok.hsk is not None else 99, order)

        keys = sorted(self._first, key=rank)
        if limit is not None:
            keys = keys[:limit]
        out = []
        for key in keys:
            _, t, context = self._first[key]
            out.append(Candidate(t.simplified, t.traditional, t.pinyin, t.pinyin_numbers, t.gloss, t.hsk,
                                 self._count[key], context))
        return out


def extract_terms(text: str, known: Iterable[str] = (), limit: int | None = None,
                  names: bool = False) -> list[Candidate]:
    """Candidate study words in `text`: Chinese words only, one entry per word (simplified and
    traditional spellings merged), most frequent first, words in `known` skipped. Names of people
    and places (张昌华, 广州) are proposed only with `names=True`."""
    counter = TermCounter(known, names)
    sents = [s for s in sentences(text) if s.strip()]
    for start in range(0, len(sents), 256):
        counter.add_sentences(sents[start:start + 256])
    return counter.result(limit)


def rank_terms(sentences: Iterable[tuple[str, Iterable[Token]]], known: Iterable[str] = (),
               limit: int | None = None, names: bool = False) -> list[Candidate]:
    """`extract_terms` for a text annotated already: (sentence, its tokens) pairs."""
    counter = TermCounter(known, names)
    for sentence, tokens in sentences:
        counter.add(sentence, tokens)
    return counter.result(limit)


_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff〇]"
# English words, then a parenthesis holding Chinese (with optional pinyin after a comma/semicolon).
_EN_THEN_ZH = re.compile(r"([A-Za-z][A-Za-z'’\- ]*?)\s*[(（]\s*(" + _HAN + r"+)[^)）]*[)）]")
# Chinese, then a parenthesis holding English.
_ZH_THEN_EN = re.compile(r"(" + _HAN + r"+)\s*[(（]\s*([A-Za-z][^)）]*?)\s*[)）]")
# Where an English noun phrase stops when reading leftwards from the parenthesis.
_STOP = frozenset("""a an the is are was were be been being called call calls of in on at to for with and or
as by from that which who whom whose means mean meaning known named during into like about after
before over under than its their his her our your my this these those it they we you he she i
say says said word words term phrase chinese also celebrate celebrates celebrated""".split())
_SENTENCE_RE = re.compile(r"[^.!?。！？\n]*(?:[.!?。！？]+|\n|$)")


def _stem(word: str) -> str:
    w = word.lower().strip("\"'’(),.;:")
    return w[:-1] if w.endswith("s") and len(w) > 3 else w


def _english_phrase(before: str, gloss: str) -> str:
    """The English words the parenthesis glosses: read leftwards up to a function word, then
    trim to the shortest ending that shares as many words with the dictionary gloss as the
    whole does ('ate dumplings (饺子)' -> 'dumplings'). A Title Case run is kept whole."""
    words = before.split()
    kept: list[str] = []
    for w in reversed(words):
        if w.lower().strip("'’") in _STOP or len(kept) >= 6:
            break
        kept.append(w)
    kept.reverse()
    if not kept:
        return ""
    if all(w[:1].isupper() for w in kept):
        return " ".join(kept).strip(" -'’")  # a title or name: Last Train Home
    gloss_words = {_stem(w) for w in re.split(r"[\s/;,]+", gloss) if w}
    overlaps = [sum(_stem(w) in gloss_words for w in kept[i:]) for i in range(len(kept))]
    best = max(overlaps)
    if best > 0:
        start = max(i for i, o in enumerate(overlaps) if o == best)
        kept = kept[start:]
    return " ".join(kept).strip(" -'’")


def _sentence_around(text: str, start: int, end: int) -> str:
    # Sentence boundaries that are not inside the parenthesis we matched.
    left = max(text.rfind(c, 0, start) for c in ".!?。！？\n")
    right_candidates = [i for i in (text.find(c, end) for c in ".!?。！？\n") if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return text[left + 1:right].strip()


def extract_bilingual(text: str) -> list[BilingualTerm]:
    """Chinese terms glossed in English text: 'the New Year holidays (过年)' -> 过年 = 'New Year holidays'.

    Also accepts the reverse, '过年 (New Year holidays)'. Each term is reported once, with the
    sentence it first appears in.
    """
    found: dict[str, tuple[int, str, str]] = {}
    for m in _EN_THEN_ZH.finditer(text):
        hanzi = m.group(2)
        if hanzi in found:
            continue
        phrase = _english_phrase(m.group(1), lookup_term(hanzi).gloss)
        if phrase and hanzi not in found:
            found[hanzi] = (m.start(), phrase, _sentence_around(text, m.start(), m.end()))
    for m in _ZH_THEN_EN.finditer(text):
        hanzi, phrase = m.group(1), m.group(2).strip()
        # Pinyin ('过年 (guònián)', 'guo4nian2') in the parenthesis is not an English gloss.
        if hanzi in found or re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ\d]", phrase):
            continue
        found[hanzi] = (m.start(), phrase, _sentence_around(text, m.start(), m.end()))
    out = []
    for hanzi, (_, phrase, sentence) in sorted(found.items(), key=lambda kv: kv[1][0]):
        info = lookup_term(hanzi)
        out.append(BilingualTerm(hanzi, phrase, sentence, info.pinyin, info.gloss, info.hsk))
    return out
