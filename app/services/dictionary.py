"""The dictionary as a learner uses it: search results, and one word's page with its readings, the
words built on it and example sentences from the built-in decks and the learner's texts."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import undefer

import vocab
from app.extensions import db
from app.models import Deck, SavedText, Term, User
from app.services import NotFound, ServiceError
from app.services.reading import Knowledge, StudyState, knowledge
from app.services.texts import visible_texts_query

SEARCH_LIMIT_MAX = 100
EXAMPLES = 10  # sentences per source on a word's page


def search(query: str, limit: int = 20) -> list[vocab.Match]:
    """Entries for a query in rank order (see vocab.search); a clear error for a query that is too long."""
    query = (query or "").strip()
    if len(query) > vocab.SEARCH_QUERY_MAX:
        raise ServiceError(f"Search for at most {vocab.SEARCH_QUERY_MAX} characters at a time.", field="q")
    return vocab.search(query, max(1, min(limit, SEARCH_LIMIT_MAX)))


def entry_dict(match: vocab.Match) -> dict:
    """One search result as the API gives it."""
    e = match.entry
    return {"simplified": e.simplified, "traditional": e.traditional, "pinyin": e.pinyin_marks,
            "pinyin_numbers": e.pinyin, "senses": list(e.meanings), "hsk": match.hsk,
            "classifiers": list(e.classifiers), "references": list(e.references),
            "proper_noun": e.is_proper_noun}


@dataclass(frozen=True)
class Example:
    sentence: str
    source: str  # the deck's or text's title
    text_id: int | None = None  # for a sentence from a saved text


@dataclass(frozen=True)
class WordPage:
    word: str  # as asked for
    simplified: str
    traditional: str
    entries: list[vocab.Match]  # every CC-CEDICT entry of the word, the likeliest first; [] if composed
    composed: vocab.TermInfo | None  # reading and gloss from the word's parts when CC-CEDICT lacks it
    hsk: int | None
    containing: list[vocab.Match]
    deck_examples: list[Example]
    text_examples: list[Example]
    state: StudyState


def word_page(user: User, word: str, known: Knowledge | None = None) -> WordPage:
    word = (word or "").strip()
    if not vocab.HAN.search(word) or len(word) > 32:
        raise NotFound("No such word in the dictionary.")
    entries = [m for m in vocab.search(word, 50) if word in (m.entry.simplified, m.entry.traditional)]
    info = vocab.lookup_term(word)
    if not entries and not info.gloss:
        raise NotFound(f"{word} is not in the dictionary.")
    known = known or knowledge(user)
    simplified = entries[0].entry.simplified if entries else info.simplified
    return WordPage(
        word=word, simplified=simplified, traditional=entries[0].entry.traditional if entries else info.traditional,
        entries=entries, composed=None if entries else info, hsk=info.hsk,
        containing=vocab.containing(simplified, 30),
        deck_examples=_deck_examples(simplified, info.traditional),
        text_examples=_text_examples(user, simplified, info.traditional),
        state=known.state(simplified),
    )


def _deck_examples(simplified: str, traditional: str) -> list[Example]:
    rows = db.session.execute(
        select(Term.example_zh, Deck.title).join(Deck, Deck.id == Term.deck_id)
        .where(Deck.builtin.is_(True), Term.example_zh.contains(simplified, autoescape=True))
        .order_by(Term.deck_id, Term.position).limit(EXAMPLES)
    ).all()
    seen: dict[str, Example] = {}
    for sentence, title in rows:
        seen.setdefault(sentence, Example(sentence, title))
    return list(seen.values())


def _text_examples(user: User, simplified: str, traditional: str) -> list[Example]:
    forms = {simplified, traditional} - {""}
    texts = db.session.scalars(
        visible_texts_query(user).where(
            or_(*(SavedText.body.contains(form, autoescape=True) for form in forms)))
        .options(undefer(SavedText.body)).order_by(SavedText.created_at.desc()).limit(EXAMPLES)
    ).all()
    out: list[Example] = []
    for text in texts:
        for sentence in vocab.sentences(text.body):
            sentence = sentence.strip()
            if any(form in sentence for form in forms) and all(e.sentence != sentence for e in out):
                out.append(Example(sentence, text.title, text.id))
                if len(out) >= EXAMPLES:
                    return out
    return out
