"""The study day: when it starts in the learner's timezone, and what today's limits still allow.

Days turn over at 4 a.m. local time (Anki's rule). The limits are the learner's new cards and
reviews per day, each deck's own new-card limit under the global one, and whatever "study more
today" added for the current day.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import fsrs
from sqlalchemy import bindparam, func, select

from app.extensions import rows
from app.models import Card, Deck, DeckStudy, ReviewLog, Term, User

DAY_STARTS_AT = time(4)  # the study day turns over at 4 a.m. in the learner's timezone
NEW = 0  # ReviewLog.previous_state for a card never reviewed before


def study_day(user: User, now: datetime) -> tuple[datetime, datetime]:
    """The learner's current study day as a UTC [start, end) pair; days turn over at 4 a.m. local time."""
    zone = ZoneInfo(user.timezone)
    local = now.astimezone(zone)
    start_date = local.date() if local.time() >= DAY_STARTS_AT else local.date() - timedelta(days=1)
    start = datetime.combine(start_date, DAY_STARTS_AT, tzinfo=zone)
    end = datetime.combine(start_date + timedelta(days=1), DAY_STARTS_AT, tzinfo=zone)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


@dataclass(frozen=True)
class Today:
    """What the learner may still study in the current study day."""

    start: datetime
    end: datetime
    new_left: int  # new cards still allowed today, all decks together
    reviews_left: int  # review-state cards still allowed today
    review_until: datetime  # reviews due before this are due today (later than `end` when reviewing ahead)
    deck_new_left: dict[int, int] = field(default_factory=dict)  # decks with their own limit: new cards left
    new_card_order: tuple[int, ...] = ()  # the decks studied, in the order their new cards come

    def new_left_in(self, deck_id: int) -> int:
        return min(self.new_left, self.deck_new_left.get(deck_id, self.new_left))

    @property
    def exhausted_decks(self) -> list[int]:
        """Decks whose own new-card limit is used up today."""
        return [deck_id for deck_id, left in self.deck_new_left.items() if left <= 0]


def extras_active(user: User, now: datetime) -> bool:
    """Whether "study more today" extras apply now (they end with the study day they were asked in)."""
    return user.more_until is not None and now < user.more_until


# Built once: today() runs with every card shown.
_DONE_TODAY = (select(ReviewLog.previous_state, func.count(ReviewLog.id))
               .where(ReviewLog.user_id == bindparam("user_id"), ReviewLog.reviewed_at >= bindparam("start"))
               .group_by(ReviewLog.previous_state))
_DECKS_STUDIED = (select(DeckStudy.deck_id, DeckStudy.new_per_day, DeckStudy.priority, DeckStudy.started_at,
                         Deck.owner_id)
                  .join(Deck, Deck.id == DeckStudy.deck_id).where(DeckStudy.user_id == bindparam("user_id")))
_INTRODUCED_BY_DECK = (
    select(Term.deck_id, func.count(ReviewLog.id))
    .join(Card, Card.id == ReviewLog.card_id).join(Term, Term.id == Card.term_id)
    .where(ReviewLog.user_id == bindparam("user_id"), ReviewLog.reviewed_at >= bindparam("start"),
           ReviewLog.previous_state == NEW, Term.deck_id.in_(bindparam("decks", expanding=True)))
    .group_by(Term.deck_id))


def today(user: User, now: datetime) -> Today:
    """Today's allowance, in two queries: cards introduced and reviewed today, and the decks studied
    (a third, new cards introduced per deck, only for decks with their own limit)."""
    start, end = study_day(user, now)
    params = {"user_id": user.id, "start": start}
    done = dict(rows(_DONE_TODAY, params).all())
    more = extras_active(user, now)
    extra_new = user.more_new_cards if more else 0
    extra_reviews = user.more_reviews if more else 0
    ahead = timedelta(days=user.review_ahead_days if more else 0)
    studied = rows(_DECKS_STUDIED, params).all()
    limits = {row.deck_id: row.new_per_day for row in studied if row.new_per_day is not None}
    # New cards: the learner's own decks ("My words") first, then decks by the priority they set (1
    # first), then in the order they were started.
    order = sorted(studied, key=lambda row: (row.owner_id != user.id, row.priority, row.started_at, row.deck_id))
    deck_left = {}
    if limits:
        introduced = dict(rows(_INTRODUCED_BY_DECK, {**params, "decks": list(limits)}).all())
        deck_left = {deck_id: max(0, limit + extra_new - introduced.get(deck_id, 0))
                     for deck_id, limit in limits.items()}
    return Today(
        start=start, end=end,
        new_left=max(0, user.new_cards_per_day + extra_new - done.get(NEW, 0)),
        reviews_left=max(0, user.max_reviews_per_day + extra_reviews - done.get(fsrs.State.Review.value, 0)),
        review_until=end + ahead, deck_new_left=deck_left, new_card_order=tuple(row.deck_id for row in order),
    )
