"""Making decks and adding terms to them, with readings and glosses filled in from the language core."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.exc import IntegrityError

import vocab
from app import limits
from app.extensions import db
from app.models import Card, Deck, DeckAssignment, ReviewLog, Term, User, insert_missing
from app.services import Conflict, Forbidden, NotFound, ServiceError, study, vocabulary
from app.services.decks import get_visible_deck


def _title_and_description(title: str, description: str) -> tuple[str, str]:
    title = (title or "").strip()
    if not title or len(title) > limits.DECK_TITLE:
        raise ServiceError(f"A deck needs a title of 1 to {limits.DECK_TITLE} characters.", field="title")
    description = (description or "").strip()
    if len(description) > limits.DECK_DESCRIPTION:
        raise ServiceError(f"Descriptions may have at most {limits.DECK_DESCRIPTION:,} characters.",
                           field="description")
    return title, description


def create_deck(owner: User, title: str, description: str, now: datetime) -> Deck:
    """A new, empty deck owned by an instructor."""
    if not owner.is_instructor:
        raise Forbidden("Only instructors can create decks.")
    title, description = _title_and_description(title, description)
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
    """The learner's own "My words" (or "My sentences") deck, made on first use (once, however many
    requests race) and studied from then on."""
    slug = f"my-{kind}-{user.id}"
    deck = db.session.scalar(select(Deck).where(Deck.slug == slug))
    if deck is None:
        title, description, directions = PERSONAL_DECKS[kind]
        db.session.execute(insert_missing(Deck).values(
            owner_id=user.id, slug=slug, title=title, builtin=False, created_at=now, description=description))
        deck = db.session.scalar(select(Deck).where(Deck.slug == slug))
        study.start_deck(user, deck, now, directions)
    return deck


def add_my_word(user: User, word: str, now: datetime, *, pinyin: str = "", english: str = "",
                context: str = "") -> tuple[Term, bool]:
    """Add one word to My words with the sentence it was met in, its cards made at once (so the
    reader shows it as learning). With `pinyin`, that reading of the word (行 háng beside 行 xíng
    already there). Returns (term, added): added is False when it was there already."""
    from app.services import imports

    deck = personal_deck(user, now)
    item = {"hanzi": word, "pinyin": pinyin, "english": english, "example_zh": context}
    # A second click or tab adding the same word at the same moment is skipped, not an error.
    result = imports.import_terms(user, deck.id, [item], now, source="reader",
                                  duplicates=imports.Duplicates.KEEP_BOTH if pinyin.strip() else imports.Duplicates.SKIP)
    if result.added:
        return result.added[0], True
    return _term_named(deck, word.strip(), pinyin), False


def save_sentence(user: User, sentence: str, word: str, now: datetime) -> Term:
    """Keep a sentence from the reader as a cloze card in My sentences: the sentence with `word` hidden."""
    from app.services import imports

    sentence, word = (sentence or "").strip(), (word or "").strip()
    if not word or word not in sentence:
        raise ServiceError("Choose a word of the sentence to hide.", field="word")
    if len(sentence) > limits.TERM_FIELDS["example_zh"]:
        raise ServiceError(f"Sentences may have at most {limits.TERM_FIELDS['example_zh']:,} characters.",
                           field="sentence")
    deck = personal_deck(user, now, "sentences")
    taken = Conflict(f"My sentences already has a sentence that hides {word}.", field="word")
    if _term_named(deck, word) is not None:
        raise taken
    item = {"hanzi": word, "example_zh": sentence}
    if vocab.lookup_term(word).simplified != word:
        item["traditional"] = word  # as the sentence writes it, so the card finds the word to hide
    try:
        return imports.import_terms(user, deck.id, [item], now, source="reader sentence").added[0]
    except Conflict:  # the same sentence saved twice at once
        raise taken from None


def _term_named(deck: Deck, word: str, pinyin: str = "") -> Term | None:
    """The deck's term for `word` (written in either script), in the reading `pinyin` if given."""
    from app.services.imports import reading_key

    if not word or len(word) > limits.TERM_FIELDS["hanzi"] or not vocab.HAN.search(word):
        return None  # the import refuses it with its reason
    simplified = vocab.lookup_term(word).simplified
    terms = db.session.scalars(select(Term).where(Term.deck_id == deck.id, Term.simplified == simplified)).all()
    if pinyin.strip():
        try:
            key = reading_key(vocab.reading_marks(pinyin, simplified))
        except ValueError:
            key = reading_key(pinyin)
        terms = [t for t in terms if reading_key(t.pinyin) == key] or terms
    return terms[0] if terms else None


def added_message(user: User, terms: list[Term], now: datetime) -> str:
    """What adding words to "My words" means for today: own words come first among new cards, so they
    are studied today unless today's new-card limit is used up (then first tomorrow, or "study more")."""
    words = f"{len(terms)} word{'s' if len(terms) != 1 else ''}"
    today = study.new_cards_today(user, now, [term.id for term in terms])
    if today == 0:
        return (f"Added {words} to My words. Today's new-card limit is reached: they come first tomorrow, "
                "or choose Study more today on the review page.")
    return f"Added {words} to My words: they come first in your reviews now ({today} new cards today)."


def get_own_deck(user: User, deck_id: int) -> Deck:
    """A deck the user owns: NotFound when they cannot see it, Forbidden when they see but do not own it."""
    deck = get_visible_deck(user, deck_id)
    if deck.owner_id != user.id:
        raise Forbidden("Only the deck's owner can change it.")
    return deck


def update_deck(user: User, deck_id: int, title: str, description: str) -> Deck:
    """Rename and describe one's own deck; its terms, cards and every learner's history stay."""
    deck = get_own_deck(user, deck_id)
    deck.title, deck.description = _title_and_description(title, description)
    db.session.commit()
    return deck


@dataclass(frozen=True)
class AtStake:
    """What learners lose if a deck or term goes: their cards in it and the reviews of those cards."""

    learners: int
    cards: int
    reviews: int
    classes: int = 0  # classes the deck is assigned to

    @property
    def anything(self) -> bool:
        return bool(self.learners or self.cards or self.classes)


def _at_stake(term_ids, deck_id: int | None = None) -> AtStake:
    learners, cards = db.session.execute(
        select(func.count(distinct(Card.user_id)), func.count(Card.id)).where(Card.term_id.in_(term_ids))).one()
    reviews = db.session.scalar(
        select(func.count(ReviewLog.id)).join(Card, Card.id == ReviewLog.card_id).where(Card.term_id.in_(term_ids)))
    classes = db.session.scalar(select(func.count(DeckAssignment.id)).where(DeckAssignment.deck_id == deck_id)) \
        if deck_id is not None else 0
    return AtStake(int(learners), int(cards), int(reviews or 0), int(classes or 0))


def deck_at_stake(user: User, deck_id: int) -> AtStake:
    deck = get_own_deck(user, deck_id)
    return _at_stake(select(Term.id).where(Term.deck_id == deck.id), deck.id)


def term_at_stake(user: User, deck_id: int, term_id: int) -> AtStake:
    term = _own_term(user, deck_id, term_id)
    return _at_stake([term.id])


def delete_deck(user: User, deck_id: int) -> str:
    """Delete one's own deck with its terms, every learner's cards and reviews of them, and its class
    assignments. Built-in decks have no owner, so nobody deletes them here."""
    deck = get_own_deck(user, deck_id)
    title = deck.title
    db.session.delete(deck)
    db.session.commit()
    return title


EDITABLE = ("traditional", "pinyin", "english", "example_zh", "example_en", "note")


def _own_term(user: User, deck_id: int, term_id: int) -> Term:
    deck = get_own_deck(user, deck_id)
    term = db.session.get(Term, term_id)
    if term is None or term.deck_id != deck.id:
        raise NotFound("No such term in this deck.")
    return term


def term_changes(user: User, deck_id: int, term_id: int, values: dict) -> tuple[Term, dict[str, tuple[str, str]]]:
    """The term and what an edit would change ({field: (now, then)}), checked as an import checks a
    row; nothing is saved. Raises ServiceError for a value the deck cannot take."""
    from app.services.imports import check_row, deck_readings, reading_key

    term = _own_term(user, deck_id, term_id)
    given = {name: values[name] for name in EDITABLE if name in values}
    clean, problems = check_row({"hanzi": term.simplified, **given})
    problems = [(name, detail) for name, detail in problems if name in given]
    if problems:
        name, detail = problems[0]
        raise ServiceError(f"{name}: {detail}.", field=name)
    changes = {name: (getattr(term, name), clean[name]) for name in given if clean[name] != getattr(term, name)}
    if "pinyin" in changes and not clean["pinyin"]:
        del changes["pinyin"]  # a term always has a reading
    if "pinyin" in changes:
        key = reading_key(clean["pinyin"])
        twin = next((t for t in deck_readings(term.deck)[term.simplified] if t.id != term.id
                     and reading_key(t.pinyin) == key), None)
        if twin is not None:
            raise ServiceError(f"{term.simplified} {twin.pinyin} is already in this deck; change or delete that "
                               "term instead.", field="pinyin")
    return term, changes


def update_term(user: User, deck_id: int, term_id: int, values: dict) -> Term:
    """Change a term's fields in place: its cards, and every learner's history with them, stay."""
    term, changes = term_changes(user, deck_id, term_id, values)
    for name, (_, value) in changes.items():
        setattr(term, name, value)
    if "example_zh" in changes:
        term.example_pinyin = vocab.sentence_pinyin(term.example_zh) if term.example_zh else ""
    if "traditional" in changes:
        vocabulary.terms_changed()  # the traditional form is a word every worker's segmenter keeps whole
    try:
        db.session.commit()
    except IntegrityError:  # another request gave a term of this word the same reading meanwhile
        db.session.rollback()
        raise Conflict(f"{term.simplified} changed in another request meanwhile; nothing was saved. "
                       "Try again.", field="pinyin") from None
    return term


def delete_term(user: User, deck_id: int, term_id: int) -> str:
    """Remove one term with its cards and their logs; every other term keeps its history."""
    term = _own_term(user, deck_id, term_id)
    simplified = term.simplified
    db.session.delete(term)
    db.session.commit()
    return simplified
