"""Decks a user may see, and how much of each is due."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select

from app.extensions import db
from app.models import Card, Classroom, Deck, DeckAssignment, Enrollment, Term, User
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
    return select(Deck.id).where(_visible(user_id))


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
    due: int  # reviews due now
    new: int  # cards never reviewed


def deck_summaries(user: User, now: datetime) -> list[DeckSummary]:
    """Every deck the user sees with term count and the user's due and new counts, in two queries."""
    decks = db.session.scalars(visible_decks_query(user).order_by(Deck.builtin.desc(), Deck.title)).all()
    ids = [d.id for d in decks]
    if not ids:
        return []
    term_counts = dict(
        db.session.execute(
            select(Term.deck_id, func.count(Term.id)).where(Term.deck_id.in_(ids)).group_by(Term.deck_id)
        ).all()
    )
    active = and_(
        Card.suspended.is_(False), or_(Card.buried_until.is_(None), Card.buried_until <= now)
    )
    rows = db.session.execute(
        select(
            Term.deck_id,
            func.count(Card.id),
            func.sum(case((and_(active, Card.last_review.is_not(None), Card.due <= now), 1), else_=0)),
            func.sum(case((and_(active, Card.last_review.is_(None)), 1), else_=0)),
        )
        .join(Term, Term.id == Card.term_id)
        .where(Card.user_id == user.id, Term.deck_id.in_(ids))
        .group_by(Term.deck_id)
    ).all()
    counts = {deck_id: (total, due or 0, new or 0) for deck_id, total, due, new in rows}
    return [DeckSummary(d, term_counts.get(d.id, 0), *counts.get(d.id, (0, 0, 0))) for d in decks]
