"""A learner's cards as queries to read in pages: a deck's cards, the card browser's search, and a
card's review history; and a deck's terms."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import fsrs
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import contains_eager

import vocab
from app.models import Card, Deck, Queue, ReviewLog, Term, User
from app.services import ServiceError, study
from app.services.decks import get_visible_deck


def deck_cards(user: User, deck: Deck) -> Select:
    """The user's cards in the deck, in deck order (only the user's: a deck is shared, cards are not),
    as a query to read in pages."""
    return (
        select(Card).join(Card.term).options(contains_eager(Card.term))
        .where(Card.user_id == user.id, Term.deck_id == deck.id)
        .order_by(Term.position, Card.id)
    )


def deck_terms(deck: Deck) -> Select:
    """The deck's terms in deck order, as a query to read in pages."""
    return select(Term).where(Term.deck_id == deck.id).order_by(Term.position, Term.id)


# ---- the card browser ---------------------------------------------------------------------------

class StateFilter(str, enum.Enum):
    """What the browser filters by: a card's queue, with learning and relearning told apart."""

    NEW = "new"
    LEARNING = "learning"
    RELEARNING = "relearning"
    REVIEW = "review"


SORTS = {  # name -> the columns it orders by, Card.id last so pages never overlap
    "due": (Card.due,),
    "added": (Card.created_at,),
    "hanzi": (Term.simplified,),
    "pinyin": (Term.pinyin_plain,),
    "deck": (Deck.title, Term.position),
    "stability": (Card.stability,),
    "difficulty": (Card.difficulty,),
    "lapses": (Card.lapses,),
    "reviews": (Card.reps,),
}


@dataclass(frozen=True)
class CardSearch:
    """The card browser's question. Every field is optional; `q` finds hanzi (simplified or traditional),
    pinyin with or without tones (guònián, guo4nian2, guonian) and English."""

    q: str = ""
    deck_id: int | None = None
    state: StateFilter | None = None
    suspended: bool | None = None
    buried: bool | None = None
    due: bool | None = None
    sort: str = "due"
    descending: bool = False


def _text_match(q: str):
    q = q.strip()
    if not q:
        return None
    if vocab.can_speak(q):  # Chinese characters: the headword in either script
        simplified = vocab.to_script(q, "simplified")
        return or_(Term.simplified.contains(simplified, autoescape=True),
                   Term.traditional.contains(q, autoescape=True))
    matches = [Term.english.icontains(q, autoescape=True)]
    plain = vocab.toneless_pinyin(q)
    has_tones = any(ch.isdigit() for ch in q) or plain != q.lower().replace(" ", "").replace("'", "")
    if has_tones:
        try:
            marked = vocab.normalize_pinyin(q, "marks").replace(" ", "")
        except ValueError:
            marked = None
        if marked:
            spelled = func.replace(func.replace(func.lower(Term.pinyin), " ", ""), "'", "")
            matches.append(spelled.contains(marked, autoescape=True))
    elif plain:
        matches.append(Term.pinyin_plain.contains(plain, autoescape=True))
    return or_(*matches)


def _state_match(state: StateFilter):
    reviewed = Card.queue != Queue.NEW.value
    return {
        StateFilter.NEW: Card.queue == Queue.NEW.value,
        StateFilter.LEARNING: and_(reviewed, Card.state == fsrs.State.Learning.value),
        StateFilter.RELEARNING: and_(reviewed, Card.state == fsrs.State.Relearning.value),
        StateFilter.REVIEW: Card.queue == Queue.REVIEW.value,
    }[state]


def search_cards(user: User, search: CardSearch, now: datetime) -> Select:
    """The learner's cards matching the search, sorted, as a query to read in pages (each Card with
    its term and deck loaded). Raises NotFound for a deck the learner cannot see."""
    if search.sort not in SORTS:
        raise ServiceError(f"Sort by one of: {', '.join(SORTS)}.", field="sort")
    query = (select(Card).join(Card.term).join(Term.deck)
             .options(contains_eager(Card.term).contains_eager(Term.deck))
             .where(Card.user_id == user.id))
    if search.deck_id is not None:
        query = query.where(Term.deck_id == get_visible_deck(user, search.deck_id).id)
    text = _text_match(search.q)
    if text is not None:
        query = query.where(text)
    if search.state is not None:
        query = query.where(_state_match(search.state))
    if search.suspended is not None:
        query = query.where(Card.suspended.is_(search.suspended))
    if search.buried is not None:
        buried = and_(Card.buried_until.is_not(None), Card.buried_until > now)
        query = query.where(buried if search.buried else ~buried)
    if search.due is not None:
        due = and_(study.in_queue(user.id, now), study.due(now, study.today(user, now).review_until))
        query = query.where(due if search.due else ~due)
    columns = SORTS[search.sort]
    order = [column.desc() if search.descending else column for column in columns]
    return query.order_by(*order, Card.id.desc() if search.descending else Card.id)


def card_reviews(user: User, card_id: int) -> Select:
    """A card's review history, newest first, as a query to read in pages (NotFound for another's card)."""
    card = study.get_own_card(user, card_id)
    return (select(ReviewLog).where(ReviewLog.card_id == card.id, ReviewLog.user_id == user.id)
            .order_by(ReviewLog.reviewed_at.desc(), ReviewLog.id.desc()))


@dataclass(frozen=True)
class ReviewRow:
    """One review as the history shows it."""

    reviewed_at: datetime
    rating: int
    interval_days: float | None  # days from this review until the card was due again
    stability: float | None  # days, after the review
    difficulty: float | None  # 1-10, after the review
    duration_ms: int | None  # time taken

    @classmethod
    def of(cls, log: ReviewLog) -> ReviewRow:
        after = study.CardState.from_dict(log.state_after)
        interval = (after.due - log.reviewed_at).total_seconds() / 86400 if after.due else None
        return cls(log.reviewed_at, log.rating, interval, after.stability, after.difficulty, log.duration_ms)
