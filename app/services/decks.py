"""Decks a user may see, and how much of each is due."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Card, Classroom, Deck, DeckAssignment, DeckStudy, Enrollment, Term, User
from app.services import NotFound


def _visible(user_id):
    """Who sees which deck, in one place: built-in decks, the user's own, decks assigned to the classes
    they are in, and (instructors) decks assigned to the classes they teach."""
    assigned = (
        select(DeckAssignment.deck_id)
        .join(Enrollment, Enrollment.classroom_id == DeckAssignment.classroom_id)
        .where(Enrollment.user_id == user_id)
    )
    taught = (
        select(DeckAssignment.deck_id)
        .join(Classroom, Classroom.id == DeckAssignment.classroom_id)
        .where(Classroom.instructor_id == user_id)
    )
    return or_(Deck.builtin.is_(True), Deck.owner_id == user_id, Deck.id.in_(assigned), Deck.id.in_(taught))


def visible_decks_query(user: User):
    """The decks this user may see and study."""
    return select(Deck).where(_visible(user.id))


def visible_deck_ids(user_id):
    """The ids of the decks this user may see; `user_id` may be a correlated column (DeckStudy.user_id)."""
    return select(Deck.id).where(_visible(user_id)).correlate_except(Deck)


def get_visible_deck(user: User, deck_id: int) -> Deck:
    """The deck, if this user may see it; otherwise NotFound (never reveal that it exists)."""
    deck = db.session.scalar(visible_decks_query(user).where(Deck.id == deck_id))
    if deck is None:
        raise NotFound("No such deck.")
    return deck


@dataclass(frozen=True)
class DeckSummary:
    deck: Deck
    term_count: int
    cards: int  # the user's cards in this deck (0: not started)
    due: int  # learning cards and reviews due now (within today's review limit)
    new: int  # new cards today's limits allow from this deck
    priority: int | None = None  # 1 (first) to 5 (last) among the learner's decks; None: not studied
    new_per_day: int | None = None  # the deck's own new-card limit, if any


def deck_summaries(user: User, now: datetime) -> list[DeckSummary]:
    """Every deck the user sees with term count and the user's due and new counts (the queue's own
    counts, so they agree with the review screen), in a few queries whatever the number of decks."""
    from app.services import study

    decks = db.session.scalars(visible_decks_query(user).order_by(Deck.builtin.desc(), Deck.title)).all()
    ids = [d.id for d in decks]
    if not ids:
        return []
    term_counts = dict(
        db.session.execute(
            select(Term.deck_id, func.count(Term.id)).where(Term.deck_id.in_(ids)).group_by(Term.deck_id)
        ).all()
    )
    cards = dict(db.session.execute(
        select(Term.deck_id, func.count(Card.id)).join(Term, Term.id == Card.term_id)
        .where(Card.user_id == user.id, Term.deck_id.in_(ids)).group_by(Term.deck_id)
    ).all())
    queue = study.counts_by_deck(user, now)
    order = {deck_id: (priority, limit) for deck_id, priority, limit in db.session.execute(
        select(DeckStudy.deck_id, DeckStudy.priority, DeckStudy.new_per_day).where(DeckStudy.user_id == user.id))}
    summaries = []
    for d in decks:
        counts = queue.get(d.id, study.Counts(0, 0, 0))
        summaries.append(DeckSummary(d, term_counts.get(d.id, 0), cards.get(d.id, 0),
                                     counts.learning + counts.review, counts.new, *order.get(d.id, (None, None))))
    return summaries
