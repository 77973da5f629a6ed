"""The queue: which cards are studied, which are due, in what order they come, and how many are left.

`studied` and `due` are the one definition of "in the queue" and "due": the review screen, the deck
table, statistics, progress, class progress and the API all count with them, class-deck visibility
included. A query using them selects from Card joined to Term.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db, rows
from app.models import Card, DeckStudy, Direction, Queue, Term, User
from app.services import ServiceError
from app.services.decks import visible_deck_ids
from app.services.study.day import Today, study_day, today

LEARN_AHEAD = timedelta(minutes=20)  # when nothing else is due, learning cards this close come early


def chosen_direction():
    """SQL over Card and the DeckStudy of its learner and deck: the card's direction is one they chose."""
    return or_(*(and_(Card.direction == direction, getattr(DeckStudy, direction.value).is_(True))
                 for direction in Direction))


def studied(user_id):
    """SQL: the card is one its learner studies: a deck they study and can see (their own, built-in, or
    assigned to a class they are in or teach), in a direction they chose for it. `user_id` is the
    learner's id, or Card.user_id for queries over many learners."""
    deck_studied = (select(DeckStudy.id)
                    .where(DeckStudy.user_id == Card.user_id, DeckStudy.deck_id == Term.deck_id, chosen_direction())
                    .correlate_except(DeckStudy).exists())
    return and_(Card.user_id == user_id, Term.deck_id.in_(visible_deck_ids(user_id)), deck_studied)


def available(now: datetime):
    """SQL: not suspended, and not buried (or buried until a moment now past)."""
    return and_(Card.suspended.is_(False), or_(Card.buried_until.is_(None), Card.buried_until <= now))


def in_queue(user_id, now: datetime):
    """SQL: studied and available now: the cards any count of "due" or "new" starts from."""
    return and_(studied(user_id), available(now))


def due(now: datetime, review_until: datetime):
    """SQL: due now: learning cards by the minute, review cards by the day (before `review_until`)."""
    return or_(and_(Card.queue == Queue.LEARNING.value, Card.due <= now),
               and_(Card.queue == Queue.REVIEW.value, Card.due < review_until))


# Within a deck, new cards come in deck order, recognition before recall before listening before cloze
# (the order of decks is Today.new_card_order).
_DIRECTION_ORDER = case({Direction.RECOGNITION: 0, Direction.RECALL: 1, Direction.LISTENING: 2, Direction.CLOZE: 3},
                        value=Card.direction, else_=4)

# The queue's statements are built once, over these parameters (`_params` gives their values): building a
# statement costs more than running it, and the review loop runs them on every card shown.
_USER, _NOW = bindparam("user_id"), bindparam("now")
_DAY_START, _REVIEW_UNTIL, _AHEAD_UNTIL = bindparam("day_start"), bindparam("review_until"), bindparam("ahead_until")
_EXHAUSTED, _DECK = bindparam("exhausted_decks", expanding=True), bindparam("deck_id")
_NEW_DECK = bindparam("new_deck")  # the deck whose first new card is asked for


def _params(user: User, now: datetime, day: Today, deck_id: int | None = None) -> dict:
    return {"user_id": user.id, "now": now, "day_start": day.start, "review_until": day.review_until,
            "ahead_until": now + LEARN_AHEAD, "exhausted_decks": day.exhausted_decks, "deck_id": deck_id}


def _conditions() -> dict:
    """Each queue's condition. A new card waits for tomorrow when another card of its term was studied
    today (Anki's sibling burying): seeing 过年 -> meaning, then meaning -> 过年 a minute later, tests nothing.
    A deck whose own new-card limit is used up today gives no new cards."""
    sibling = db.aliased(Card)
    sibling_studied_today = (
        select(sibling.id)
        .where(sibling.user_id == Card.user_id, sibling.term_id == Card.term_id, sibling.id != Card.id,
               sibling.last_review >= _DAY_START)
        .exists()
    )
    learning = Card.queue == Queue.LEARNING.value
    return {
        Queue.LEARNING: and_(learning, Card.due <= _NOW),
        Queue.REVIEW: and_(Card.queue == Queue.REVIEW.value, Card.due < _REVIEW_UNTIL),
        Queue.NEW: and_(Card.queue == Queue.NEW.value, ~sibling_studied_today, Term.deck_id.not_in(_EXHAUSTED)),
        "ahead": and_(learning, Card.due > _NOW, Card.due <= _AHEAD_UNTIL),
    }


def _queue_query(deck: bool = False):
    """The learner's cards in the queue now (in one deck with `deck`), joined to their terms."""
    query = select(Card).join(Term, Term.id == Card.term_id).where(in_queue(_USER, _NOW))
    return query.where(Term.deck_id == _DECK) if deck else query


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


@functools.cache
def _statements(deck: bool) -> dict:
    """The counts per deck and each queue's first card, in the whole collection or in one deck."""
    due_now = _conditions()
    counts = (select(Term.deck_id, *(_count(due_now[q]) for q in (Queue.NEW, Queue.LEARNING, Queue.REVIEW, "ahead")))
              .select_from(Card).join(Term, Term.id == Card.term_id)
              .where(in_queue(_USER, _NOW)).group_by(Term.deck_id))
    active = _queue_query(deck).options(joinedload(Card.term))
    by_due = (Card.due, Card.id)
    return {
        "counts": counts,
        Queue.LEARNING: active.where(due_now[Queue.LEARNING]).order_by(*by_due).limit(1),
        Queue.REVIEW: active.where(due_now[Queue.REVIEW]).order_by(*by_due).limit(1),
        # Decks come in Today.new_card_order; within one, in deck order.
        Queue.NEW: (active.where(due_now[Queue.NEW], Term.deck_id == _NEW_DECK)
                    .order_by(Term.position, _DIRECTION_ORDER, Card.id).limit(1)),
        "ahead": active.where(due_now["ahead"]).order_by(*by_due).limit(1),
    }


@dataclass(frozen=True)
class Counts:
    new: int
    learning: int
    review: int
    learning_ahead: int = 0  # learning cards due within LEARN_AHEAD, not due yet

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review

    @property
    def waiting(self) -> str | None:
        """During learn-ahead: what is coming ("3 learning cards in the next 20 minutes")."""
        if self.total or not self.learning_ahead:
            return None
        cards = "1 learning card" if self.learning_ahead == 1 else f"{self.learning_ahead} learning cards"
        return f"{cards} in the next {int(LEARN_AHEAD.total_seconds() // 60)} minutes"


def counts_by_deck(user: User, now: datetime, day: Today | None = None) -> dict[int, Counts]:
    """Per deck the learner studies: the new cards today's limits allow from it (its own limit and the
    global one), learning cards due, reviews due, in one query. Each deck's figures are what it would
    give if studied alone, so new and review counts are capped by the shared limits, not shared out."""
    day = day or today(user, now)
    return {
        deck_id: Counts(new=min(int(new or 0), day.new_left_in(deck_id)), learning=int(learning or 0),
                        review=min(int(review or 0), day.reviews_left), learning_ahead=int(ahead or 0))
        for deck_id, new, learning, review, ahead in rows(_statements(False)["counts"], _params(user, now, day))
    }


def counts(user: User, now: datetime, deck_id: int | None = None, day: Today | None = None) -> Counts:
    """What is left today: new cards (within the global and each deck's limit), learning cards due,
    reviews due (within the limit), and learning cards coming within LEARN_AHEAD."""
    day = day or today(user, now)
    return _total(counts_by_deck(user, now, day), day, deck_id)


def _total(per_deck: dict[int, Counts], day: Today, deck_id: int | None) -> Counts:
    if deck_id is not None:
        return per_deck.get(deck_id, Counts(0, 0, 0))
    return Counts(
        new=min(sum(c.new for c in per_deck.values()), day.new_left),
        learning=sum(c.learning for c in per_deck.values()),
        review=min(sum(c.review for c in per_deck.values()), day.reviews_left),
        learning_ahead=sum(c.learning_ahead for c in per_deck.values()),
    )


def next_card(user: User, now: datetime, deck_id: int | None = None) -> tuple[Card | None, Counts]:
    """The card to show now, and what is left today.

    Order: learning cards that are due, then reviews (earliest first), then new cards (own words
    first, then by deck priority), then learning cards due within LEARN_AHEAD when nothing else is left.
    """
    day = today(user, now)
    per_deck = counts_by_deck(user, now, day)
    remaining = _total(per_deck, day, deck_id)
    statements, params = _statements(deck_id is not None), _params(user, now, day, deck_id)
    for allowed, queue in ((remaining.learning, Queue.LEARNING), (remaining.review, Queue.REVIEW),
                           (remaining.new, Queue.NEW), (remaining.learning_ahead, "ahead")):
        if allowed <= 0:
            continue
        if queue is Queue.NEW:  # the first deck, in the learner's order, that has a new card for today
            decks = [d for d in day.new_card_order if (deck_id is None or d == deck_id)
                     and per_deck.get(d, Counts(0, 0, 0)).new > 0]
            for new_deck in decks:
                card = db.session.scalar(statements[queue], {**params, "new_deck": new_deck})
                if card is not None:
                    return card, remaining
            continue
        card = db.session.scalar(statements[queue], params)
        if card is not None:
            return card, remaining
    return None, remaining


def next_learning_due(user: User, now: datetime, deck_id: int | None = None) -> datetime | None:
    """When the next learning card falls due (for "come back in 45 minutes"), or None."""
    query = _queue_query(deck_id is not None).where(Card.queue == Queue.LEARNING.value, Card.due > _NOW)
    return db.session.scalar(query.with_only_columns(func.min(Card.due)), _params(user, now, today(user, now), deck_id))


def new_cards_today(user: User, now: datetime, term_ids: list[int]) -> int:
    """How many of these terms' new cards come up today (the learner's own words come first, so all
    of them unless today's new-card limit is reached)."""
    day = today(user, now)
    waiting = db.session.scalar(
        _queue_query().where(_conditions()[Queue.NEW], Card.term_id.in_(term_ids))
        .with_only_columns(func.count(Card.id)), _params(user, now, day))
    return min(waiting or 0, counts(user, now, day=day).new)


# ---- study more today ------------------------------------------------------------------------

MORE_NEW_MAX = 1000
AHEAD_DAYS_MAX = 30


def study_more(user: User, now: datetime, *, new_cards: int = 0, ahead_days: int = 0) -> None:
    """Anki's custom study for the current study day: `new_cards` more new cards than today's limits
    allow (globally and in each deck with its own limit), and/or the review cards due within
    `ahead_days` days after today brought forward into today (the review limit grows by as many).
    Both end when the study day does. Commits."""
    if not 0 <= new_cards <= MORE_NEW_MAX:
        raise ServiceError(f"Choose 0 to {MORE_NEW_MAX} more new cards.", field="new_cards")
    if not 0 <= ahead_days <= AHEAD_DAYS_MAX:
        raise ServiceError(f"Review ahead 0 to {AHEAD_DAYS_MAX} days.", field="ahead_days")
    if not new_cards and not ahead_days:
        raise ServiceError("Choose more new cards or days to review ahead.", field="new_cards")
    _, end = study_day(user, now)
    if user.more_until is None or user.more_until != end:  # a new day: yesterday's extras are gone
        user.more_new_cards, user.more_reviews, user.review_ahead_days = 0, 0, 0
    user.more_until = end
    user.more_new_cards += new_cards
    if ahead_days > user.review_ahead_days:
        newly_due = db.session.scalar(
            _queue_query()
            .where(Card.queue == Queue.REVIEW.value, Card.due >= end + timedelta(days=user.review_ahead_days),
                   Card.due < end + timedelta(days=ahead_days))
            .with_only_columns(func.count(Card.id)), {"user_id": user.id, "now": now})
        user.more_reviews += newly_due or 0
        user.review_ahead_days = ahead_days
    db.session.commit()
