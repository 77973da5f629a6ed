"""Making decks and adding terms to them, with readings and glosses filled in from the language core."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import vocab
from app.extensions import db
from app.models import Deck, Term, User
from app.services import Conflict, Forbidden, NotFound, ServiceError
from app.services.decks import get_visible_deck
from vocab import termfile

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
TERMS_PER_REQUEST = 500
# Longest text per term field: the term-file reader's limits, plus the generated example pinyin.
LIMITS = {**termfile.LIMITS, "example_pinyin": 4000}


class InvalidTerms(ServiceError):
    """Some of the terms are wrong; `errors` names each one (index in the request, field, detail)."""

    def __init__(self, errors: list[dict]):
        bad = len({error["index"] for error in errors})
        super().__init__(f"{bad} of the terms could not be added; nothing was saved.", field="terms")
        self.errors = errors


def create_deck(owner: User, title: str, description: str, now: datetime) -> Deck:
    """A new, empty deck owned by an instructor."""
    if not owner.is_instructor:
        raise Forbidden("Only instructors can create decks.")
    title = (title or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise ServiceError(f"A deck needs a title of 1 to {TITLE_MAX} characters.", field="title")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ServiceError(f"Descriptions may have at most {DESCRIPTION_MAX} characters.", field="description")
    deck = Deck(owner_id=owner.id, title=title, description=description, builtin=False, created_at=now)
    db.session.add(deck)
    db.session.commit()
    return deck


# The learner's own decks, made on first use: (title, description, card directions; None: the defaults).
PERSONAL_DECKS = {
    "words": ("My words", "Words you added from the reader and the dictionary.", None),
    "sentences": ("My sentences", "Sentences you saved from the reader, each with one word hidden.", ["cloze"]),
}


def personal_deck(user: User, now: datetime, kind: str = "words") -> Deck:
    """The learner's own "My words" (or "My sentences") deck, made on first use and studied from then on."""
    from app.services import study

    slug = f"my-{kind}-{user.id}"
    deck = db.session.scalar(select(Deck).where(Deck.slug == slug))
    if deck is None:
        title, description, directions = PERSONAL_DECKS[kind]
        deck = Deck(owner_id=user.id, slug=slug, title=title, builtin=False, created_at=now, description=description)
        db.session.add(deck)
        try:
            db.session.commit()
        except IntegrityError:  # another request made it first: use that one
            db.session.rollback()
            return db.session.scalars(select(Deck).where(Deck.slug == slug)).one()
        study.start_deck(user, deck, now, directions)
    return deck


def add_my_word(user: User, word: str, now: datetime, *, pinyin: str = "", english: str = "",
                context: str = "") -> tuple[Term, bool]:
    """Add one word to My words with the sentence it was met in, and make its cards at once (so the
    reader shows it as learning). Returns (term, added): added is False when it was there already."""
    from app.services import study

    deck = personal_deck(user, now)
    item = {"hanzi": word, "pinyin": pinyin, "english": english, "example_zh": context}
    existing = _term_named(deck, (word or "").strip())
    if existing is not None:
        return existing, False
    try:
        term = add_terms(user, deck.id, [item], source="reader")[0]
    except IntegrityError:  # the same word added by a second click or tab at the same moment
        db.session.rollback()
        return _term_named(deck, word.strip()), False
    study.start_deck(user, deck, now)
    return term, True


def save_sentence(user: User, sentence: str, word: str, now: datetime) -> Term:
    """Keep a sentence from the reader as a cloze card in My sentences: the sentence with `word` hidden."""
    from app.services import study

    sentence, word = (sentence or "").strip(), (word or "").strip()
    if not word or word not in sentence:
        raise ServiceError("Choose a word of the sentence to hide.", field="word")
    if len(sentence) > LIMITS["example_zh"]:
        raise ServiceError(f"Sentences may have at most {LIMITS['example_zh']} characters.", field="sentence")
    deck = personal_deck(user, now, "sentences")
    if _term_named(deck, word) is not None:
        raise Conflict(f"My sentences already has a sentence that hides {word}.", field="word")
    item = {"hanzi": word, "example_zh": sentence}
    if vocab.lookup_term(word).simplified != word:
        item["traditional"] = word  # as the sentence writes it, so the card finds the word to hide
    try:
        term = add_terms(user, deck.id, [item], source="reader sentence")[0]
    except IntegrityError:
        db.session.rollback()
        raise Conflict(f"My sentences already has a sentence that hides {word}.", field="word") from None
    study.start_deck(user, deck, now)
    return term


def _term_named(deck: Deck, word: str) -> Term | None:
    """The deck's term for `word`, written in either script."""
    if not word or len(word) > LIMITS["hanzi"]:
        return None  # add_terms refuses it with its reason
    simplified = vocab.lookup_term(word).simplified if vocab.HAN.search(word) else word
    return db.session.scalar(select(Term).where(Term.deck_id == deck.id, Term.simplified == simplified))


def get_own_deck(user: User, deck_id: int) -> Deck:
    """A deck the user owns: NotFound when they cannot see it, Forbidden when they see but do not own it."""
    deck = get_visible_deck(user, deck_id)
    if deck.owner_id != user.id:
        raise Forbidden("Only the deck's owner can change it.")
    return deck


def add_terms(user: User, deck_id: int, items: list[dict], *, source: str = "api",
              limit: int = TERMS_PER_REQUEST) -> list[Term]:
    """Add terms to the user's own deck, all or nothing.

    Each item has `hanzi` and optionally pinyin, english, traditional, example_zh, example_pinyin,
    example_en, note. Missing pinyin, English, traditional form and HSK level come from vocab.
    `source` records where the terms came from (api, typed, file...).
    Raises InvalidTerms listing every bad item; saves nothing then.
    """
    deck = get_own_deck(user, deck_id)
    if not items:
        raise ServiceError("Send at least one term.", field="terms")
    if len(items) > limit:
        raise ServiceError(f"At most {limit:,} terms at a time.", field="terms")
    existing = set(db.session.scalars(select(Term.simplified).where(Term.deck_id == deck.id)))
    errors, terms, seen = [], [], set()
    for index, item in enumerate(items):
        values = {name: (item.get(name) or "").strip() for name in LIMITS}
        problems = [(name, f"at most {limit} characters") for name, limit in LIMITS.items()
                    if len(values[name]) > limit]
        hanzi = values["hanzi"]
        if not hanzi:
            problems.append(("hanzi", "required"))
        elif not termfile.HAN.search(hanzi):
            problems.append(("hanzi", "must contain Chinese characters"))
        info = vocab.lookup_term(hanzi) if hanzi and not problems else None
        simplified = info.simplified if info else hanzi
        if info and (simplified in existing or simplified in seen):
            problems.append(("hanzi", f"{simplified} is already in this deck"))
        errors += [{"index": index, "field": name, "detail": detail} for name, detail in problems]
        if problems:
            continue
        seen.add(simplified)
        terms.append(Term(
            deck_id=deck.id, simplified=simplified,
            traditional=values["traditional"] or info.traditional,
            pinyin=values["pinyin"] or info.pinyin,
            english=values["english"] or info.gloss,
            example_zh=values["example_zh"],
            example_pinyin=values["example_pinyin"] or vocab.sentence_pinyin(values["example_zh"]),
            example_en=values["example_en"], note=values["note"], hsk_level=info.hsk, source=source[:200],
        ))
    if errors:
        raise InvalidTerms(errors)
    position = db.session.scalar(select(func.coalesce(func.max(Term.position), -1)).where(Term.deck_id == deck.id))
    for offset, term in enumerate(terms, start=1):
        term.position = position + offset
    db.session.add_all(terms)
    db.session.commit()
    vocab.add_words(term.simplified for term in terms)  # so segmentation keeps them whole from now on
    return terms


EDITABLE = ("traditional", "pinyin", "english", "example_zh", "example_en", "note")


def _own_term(user: User, deck_id: int, term_id: int) -> Term:
    deck = get_own_deck(user, deck_id)
    term = db.session.get(Term, term_id)
    if term is None or term.deck_id != deck.id:
        raise NotFound("No such term in this deck.")
    return term


def update_term(user: User, deck_id: int, term_id: int, values: dict) -> Term:
    """Change a term's fields in place: its cards, and every learner's history with them, stay."""
    term = _own_term(user, deck_id, term_id)
    clean = {name: (values.get(name) or "").strip() for name in EDITABLE if name in values}
    for name, value in clean.items():
        if len(value) > LIMITS[name]:
            raise ServiceError(f"{name} may have at most {LIMITS[name]} characters.", field=name)
    if "pinyin" in clean and clean["pinyin"]:
        try:
            vocab.normalize_pinyin(clean["pinyin"])
        except ValueError:
            raise ServiceError(f"{clean['pinyin']!r} is not pinyin.", field="pinyin") from None
    for name, value in clean.items():
        setattr(term, name, value)
    if "example_zh" in clean:
        term.example_pinyin = vocab.sentence_pinyin(clean["example_zh"]) if clean["example_zh"] else ""
    db.session.commit()
    return term


def delete_term(user: User, deck_id: int, term_id: int) -> str:
    """Remove one term with its cards and their logs; every other term keeps its history."""
    term = _own_term(user, deck_id, term_id)
    simplified = term.simplified
    db.session.delete(term)
    db.session.commit()
    return simplified
