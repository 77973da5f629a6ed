"""Reading Chinese: a text's annotation in the form the reader, saved texts and the API share, and
what the learner already knows of it, from their own cards.

The stored form of an annotation lists each distinct word once (its forms, reading in context,
senses, other readings, measure words, HSK level) and the tokens as [text, word number] pairs, or
[text, kind] for punctuation, Latin, digits and spaces: a 5,000-character text has ~3,000 tokens
but ~1,000 distinct words.
"""
from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from sqlalchemy import and_, case, func, select

import vocab
from app import limits
from app.extensions import db
from app.models import Card, Script, Term, User
from app.services import ServiceError

TEXT_MAX = limits.READER_TEXT  # characters per text: a chapter, not a book
WORD_KINDS = frozenset({"word", "name", "number"})  # vocab.TokenKind values a learner can tap


class TextTooLong(ServiceError):
    status = 413

    def __init__(self, length: int):
        super().__init__(f"Texts may have at most {TEXT_MAX:,} characters; this one has {length:,}. "
                         "Split it into parts and read them one by one.", field="text")


def check_length(text: str) -> None:
    if len(text) > TEXT_MAX:
        raise TextTooLong(len(text))


def other_reading_dicts(readings) -> list[dict]:
    """A word's other dictionary readings as the API and the reader give them (tokens and card backs)."""
    return [{"pinyin": r.pinyin, "pinyin_numbers": r.pinyin_numbers, "english": r.gloss} for r in readings]


# ---- what the learner knows -------------------------------------------------------------------

class StudyState(str, enum.Enum):
    NEW = "new"  # no card for the word
    LEARNING = "learning"  # cards, none of them out of the learning steps yet (or lapsed back into them)
    KNOWN = "known"  # a card for the word in review: the learner has recalled it over days


@dataclass(frozen=True)
class Knowledge:
    """The learner's words by state, and the characters of the words they know."""

    known: frozenset[str]
    learning: frozenset[str]

    @property
    def known_characters(self) -> frozenset[str]:
        return frozenset("".join(self.known))

    def state(self, word: str) -> StudyState:
        if word in self.known:
            return StudyState.KNOWN
        return StudyState.LEARNING if word in self.learning else StudyState.NEW


def knowledge(user: User) -> Knowledge:
    """Every word the learner has cards for, in one query: known when any of its cards (any deck,
    any direction) is in review state, learning otherwise."""
    in_review = and_(Card.last_review.is_not(None), Card.state == 2)
    rows = db.session.execute(
        select(Term.simplified, func.max(case((in_review, 1), else_=0)))
        .join(Card, Card.term_id == Term.id)
        .where(Card.user_id == user.id)
        .group_by(Term.simplified)
    ).all()
    return Knowledge(known=frozenset(w for w, k in rows if k), learning=frozenset(w for w, k in rows if not k))


@dataclass(frozen=True)
class Coverage:
    """How much of a text the learner knows: its running words (names and numbers aside), and the
    characters of those words, where a character counts as known when a known word has it."""

    words: int
    known_words: int
    characters: int
    known_characters: int

    @property
    def words_percent(self) -> float | None:
        return round(100 * self.known_words / self.words, 1) if self.words else None

    @property
    def characters_percent(self) -> float | None:
        return round(100 * self.known_characters / self.characters, 1) if self.characters else None

    def to_dict(self) -> dict:
        return {"words": self.words, "known_words": self.known_words, "words_percent": self.words_percent,
                "characters": self.characters, "known_characters": self.known_characters,
                "characters_percent": self.characters_percent}


def coverage(word_counts: dict[str, int], known: Knowledge) -> Coverage:
    """Coverage of a text summarised as word -> occurrences (see `summary`)."""
    chars = known.known_characters
    words = known_words = characters = known_characters = 0
    for word, count in word_counts.items():
        words += count
        characters += len(word) * count
        if word in known.known:
            known_words += count
        known_characters += sum(1 for ch in word if ch in chars) * count
    return Coverage(words, known_words, characters, known_characters)


# ---- the annotation -----------------------------------------------------------------------------

def annotate(text: str) -> dict:
    """The stored form of `text`'s annotation (see the module docstring)."""
    check_length(text)
    words: list[dict] = []
    numbers: dict[tuple, int] = {}
    tokens: list[list] = []
    for t in vocab.annotate(text):
        if t.kind.value not in WORD_KINDS or not t.simplified:
            tokens.append([t.text, t.kind.value])
            continue
        key = (t.simplified, t.traditional, t.pinyin, t.senses, t.kind.value)
        if key not in numbers:
            numbers[key] = len(words)
            words.append({
                "simplified": t.simplified, "traditional": t.traditional, "kind": t.kind.value,
                "pinyin": t.pinyin, "pinyin_numbers": t.pinyin_numbers, "english": t.gloss,
                "senses": list(t.senses), "hsk": t.hsk, "classifiers": list(t.classifiers),
                "other_readings": other_reading_dicts(t.other_readings),
            })
        tokens.append([t.text, numbers[key]])
    return {"tokens": tokens, "words": words}


def summary(annotation: dict) -> tuple[dict[str, int], dict[str, int]]:
    """(word -> occurrences, HSK level -> running words) of an annotation's words, names and numbers
    aside. Levels are '1' … '6', '7' for the 7-9 band, and 'none' for unlisted words."""
    words = annotation["words"]
    counts: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    for _, ref in annotation["tokens"]:
        if isinstance(ref, int) and words[ref]["kind"] == "word":
            word = words[ref]
            counts[word["simplified"]] += 1
            levels[str(word["hsk"]) if word["hsk"] else "none"] += 1
    return dict(counts), dict(levels)


# ---- the reading view -----------------------------------------------------------------------------

# Typesetting (kinsoku): a line never starts with closing punctuation nor ends with opening punctuation.
_CLOSING = frozenset("，。！？、；：”’」』）》〉】…—·!?,.;:)]}%")
_OPENING = frozenset("“‘「『（《〈【([{")


@dataclass
class Sentence:
    number: int
    tokens: list[tuple[str, int | None]] = field(default_factory=list)  # (text as shown, word number)
    original: list[str] = field(default_factory=list)  # the tokens as written in the text

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.tokens)

    @property
    def groups(self) -> list[list[tuple[str, int | None]]]:
        """The tokens in runs that must stay on one line: a word with the punctuation closing it, and
        opening punctuation with the word after it."""
        out: list[list[tuple[str, int | None]]] = []
        for text, word in self.tokens:
            closing = word is None and set(text.strip() or " ") <= _CLOSING
            after_opening = out and out[-1][-1][1] is None and set(out[-1][-1][0].strip() or " ") <= _OPENING
            if out and (closing or after_opening):
                out[-1].append((text, word))
            else:
                out.append([(text, word)])
        return out


@dataclass
class Reading:
    """A text as one learner reads it: in their script, each word with its study state."""

    paragraphs: list[list[Sentence]]
    words: list[dict]  # the annotation's words, with 'hanzi' (as shown), 'state' and glosses in the script
    coverage: Coverage
    script: str

    @property
    def sentences(self) -> list[str]:
        return [s.text.strip() for paragraph in self.paragraphs for s in paragraph]

    def state_counts(self) -> dict[str, int]:
        """Different words (names and numbers aside) by study state."""
        states = {w["simplified"]: w["state"] for w in self.words if w["kind"] == "word"}
        return dict(Counter(states.values()))


def _shown_tokens(tokens: list[list], script: str) -> list[str]:
    """Each token's text in the learner's script. OpenCC converts the whole text at once (its phrase
    tables need the context) and keeps its length, so the tokens are cut back out of it."""
    texts = [t for t, _ in tokens]
    whole = vocab.to_script("".join(texts), script)
    if len(whole) != sum(len(t) for t in texts):
        return [vocab.to_script(t, script) for t in texts]
    out, pos = [], 0
    for t in texts:
        out.append(whole[pos:pos + len(t)])
        pos += len(t)
    return out


def _in_script(words: list[dict], script: str) -> list[dict]:
    """Glosses name related words in simplified characters ('个 (gè)'): a traditional reader sees them
    in traditional. One OpenCC call for all of them."""
    if script != Script.TRADITIONAL.value:
        return [dict(w) for w in words]
    strings = []
    for w in words:
        strings += [w["english"], *w["senses"], *w["classifiers"], *(r["english"] for r in w["other_readings"])]
    lines = vocab.to_script("\n".join(strings), script).split("\n")
    if len(lines) != len(strings):  # a gloss with a line break of its own: convert them one by one
        lines = [vocab.to_script(text, script) for text in strings]
    converted = iter(lines)
    out = []
    for w in words:
        w = dict(w)
        w["english"] = next(converted)
        w["senses"] = [next(converted) for _ in w["senses"]]
        w["classifiers"] = [next(converted) for _ in w["classifiers"]]
        w["other_readings"] = [{**r, "english": next(converted)} for r in w["other_readings"]]
        out.append(w)
    return out


def reading(annotation: dict, user: User, known: Knowledge | None = None) -> Reading:
    """The annotation laid out in paragraphs and sentences (vocab.sentences' rule), in `user`'s
    script, with what they know."""
    script = user.script.value
    known = known or knowledge(user)
    tokens = annotation["tokens"]
    words = _in_script(annotation["words"], script)
    for w in words:
        w["state"] = known.state(w["simplified"]).value
        w["hanzi"] = ""
    raw = vocab.sentences("".join(text for text, _ in tokens))
    ends = list(accumulate(len(s) for s in raw))
    paragraphs: list[list[Sentence]] = [[]]
    sentence, k, pos = Sentence(0), 0, 0
    for (text, ref), shown in zip(tokens, _shown_tokens(tokens, script)):
        while k < len(ends) and pos >= ends[k]:  # this token starts the next sentence
            if sentence.tokens:
                paragraphs[-1].append(sentence)
                sentence = Sentence(sentence.number + 1)
            if raw[k].endswith("\n") and paragraphs[-1]:
                paragraphs.append([])
            k += 1
        pos += len(text)
        word = ref if isinstance(ref, int) else None
        if word is None:
            shown = shown.replace("\r", "").replace("\n", "")  # paragraphs are drawn, not written
            if not shown:
                continue
        elif not words[word]["hanzi"]:
            words[word]["hanzi"] = shown
        sentence.tokens.append((shown, word))
        sentence.original.append(text)
    if sentence.tokens:
        paragraphs[-1].append(sentence)
    counts, _ = summary(annotation)
    return Reading([p for p in paragraphs if p], words, coverage(counts, known), script)


def study_words(annotation: dict, layout: Reading, limit: int = 300) -> list[vocab.Candidate]:
    """The text's words worth learning, as vocab.extract_terms ranks them, each with the sentence it
    first appears in (as written), without annotating the text again."""
    words = annotation["words"]

    def tokens(sentence: Sentence):
        for (_, number), text in zip(sentence.tokens, sentence.original):
            if number is not None:
                w = words[number]
                yield vocab.Token(text, vocab.TokenKind(w["kind"]), w["simplified"], w["traditional"], w["pinyin"],
                                  w["pinyin_numbers"], w["english"], tuple(w["senses"]), w["hsk"])

    sentences = [s for paragraph in layout.paragraphs for s in paragraph]
    return vocab.rank_terms((("".join(s.original), tokens(s)) for s in sentences), limit=limit)


def token_dicts(annotation: dict, known: Knowledge) -> list[dict]:
    """The annotation as the API's token list: every token with its word's details and study state."""
    words = annotation["words"]
    out = []
    for text, ref in annotation["tokens"]:
        if isinstance(ref, int):
            w = words[ref]
            out.append({"text": text, "kind": w["kind"], "pinyin": w["pinyin"], "pinyin_numbers": w["pinyin_numbers"],
                        "english": w["english"], "senses": w["senses"], "other_readings": w["other_readings"],
                        "hsk": w["hsk"], "simplified": w["simplified"], "traditional": w["traditional"],
                        "classifiers": w["classifiers"], "study_state": known.state(w["simplified"]).value})
        else:
            out.append({"text": text, "kind": ref, "pinyin": "", "pinyin_numbers": "", "english": "", "senses": [],
                        "other_readings": [], "hsk": None, "simplified": "", "traditional": "", "classifiers": [],
                        "study_state": None})
    return out
