"""Starting to study: the decks a learner studies, in which directions and order, and their cards.

Cards are made when a deck is started or assigned and when terms are added, never while the queue is
read: a GET changes nothing. Every insert here skips rows that exist, so racing requests agree.
"""
from __future__ import annotations

from datetime import datetime

import fsrs
from sqlalchemy import and_, func, literal, or_, select, update

from app.extensions import db
from app.models import (
    Card,
    Deck,
    DeckAssignment,
    DeckStudy,
    Direction,
    Enrollment,
    Term,
    User,
    UTCDateTime,
    insert_missing,
)
from app.services import NotFound, ServiceError


def start_deck(user: User, deck: Deck, now: datetime, directions: list[str] | None = None) -> int:
    """The learner starts studying a deck: record the directions and create the missing cards.

    Returns how many cards the learner has in the deck afterwards. Safe to call again, and at once.
    """
    flags = direction_flags(directions) if directions is not None else {}
    db.session.execute(insert_missing(DeckStudy).values(
        user_id=user.id, deck_id=deck.id, started_at=now, **(flags or direction_flags(DEFAULT_DIRECTIONS))))
    if flags:
        db.session.execute(
            update(DeckStudy).where(DeckStudy.user_id == user.id, DeckStudy.deck_id == deck.id).values(**flags))
    create_missing_cards(now, user_ids=[user.id], deck_ids=[deck.id])
    db.session.commit()
    return db.session.scalar(
        select(func.count(Card.id)).join(Term).where(Card.user_id == user.id, Term.deck_id == deck.id)
    )


DEFAULT_DIRECTIONS = ("recognition", "recall")


def direction_flags(directions) -> dict[str, bool]:
    """{"recognition": True, "recall": False, ...} for DeckStudy; ServiceError unless one or more known names."""
    chosen = set(directions)
    unknown = chosen - {d.value for d in Direction}
    if unknown or not chosen:
        raise ServiceError("Choose at least one of recognition, recall, listening and cloze.", field="directions")
    return {direction.value: direction.value in chosen for direction in Direction}


def study_assigned_decks(classroom_id: int, now: datetime, *, user_id: int | None = None,
                         deck_id: int | None = None) -> None:
    """The class's learners study the decks assigned to it (recognition and recall) and get their cards:
    narrowed to one learner when they join, or to one deck when it is assigned. Does not commit."""
    pairs = (
        select(Enrollment.user_id, DeckAssignment.deck_id)
        .join(DeckAssignment, DeckAssignment.classroom_id == Enrollment.classroom_id)
        .where(Enrollment.classroom_id == classroom_id)
    )
    if user_id is not None:
        pairs = pairs.where(Enrollment.user_id == user_id)
    if deck_id is not None:
        pairs = pairs.where(DeckAssignment.deck_id == deck_id)
    flags = direction_flags(DEFAULT_DIRECTIONS)
    studies = pairs.add_columns(*(literal(flags[d.value]) for d in Direction), literal(now, UTCDateTime()))
    db.session.execute(insert_missing(DeckStudy).from_select(
        ["user_id", "deck_id", *(d.value for d in Direction), "started_at"], studies, include_defaults=False))
    learners = pairs.with_only_columns(Enrollment.user_id)
    decks = pairs.with_only_columns(DeckAssignment.deck_id)
    create_missing_cards(now, user_ids=learners, deck_ids=decks)


def create_missing_cards(now: datetime, *, user_ids=None, deck_ids=None) -> None:
    """A card for every term and chosen direction of every deck studied, where there is none yet.

    Narrowed to some learners and/or decks (lists or SELECTs of ids). One INSERT ... SELECT per
    direction, however many terms; does not commit.
    """
    columns = ["user_id", "term_id", "direction", "state", "step", "due", "reps", "lapses", "suspended",
               "created_at", "version"]
    for direction in Direction:
        have = select(Card.id).where(Card.user_id == DeckStudy.user_id, Card.term_id == Term.id,
                                     Card.direction == direction)
        rows = (
            select(DeckStudy.user_id, Term.id, literal(direction, Card.__table__.c.direction.type),
                   literal(fsrs.State.Learning.value), literal(0), literal(now, UTCDateTime()), literal(0),
                   literal(0), literal(False), literal(now, UTCDateTime()), literal(1))
            .join(Term, Term.deck_id == DeckStudy.deck_id)
            .where(getattr(DeckStudy, direction.value).is_(True), ~have.exists())
        )
        if direction is Direction.CLOZE:  # a cloze card hides the word in its example sentence
            rows = rows.where(or_(Term.example_zh.contains(Term.simplified),
                                  and_(Term.traditional != "", Term.example_zh.contains(Term.traditional))))
        if user_ids is not None:
            rows = rows.where(DeckStudy.user_id.in_(user_ids))
        if deck_ids is not None:
            rows = rows.where(DeckStudy.deck_id.in_(deck_ids))
        db.session.execute(insert_missing(Card).from_select(columns, rows, include_defaults=False))


PRIORITIES = {1: "first", 2: "early", 3: "normal", 4: "late", 5: "last"}
NEW_PER_DAY_MAX = 1000


def deck_order(user: User, deck_id: int, *, priority: int | None = None, new_per_day: int | None | str = "keep"
               ) -> DeckStudy:
    """Set where a deck's new cards come among the learner's decks (priority 1 first .. 5 last; the
    learner's own words come before all) and its own new cards per day (None: only the global limit).
    Commits. NotFound unless the learner studies the deck."""
    study = db.session.scalar(select(DeckStudy).where(DeckStudy.user_id == user.id, DeckStudy.deck_id == deck_id))
    if study is None:
        raise NotFound("You do not study that deck.")
    if priority is not None:
        if priority not in PRIORITIES:
            raise ServiceError("Priority is 1 (first) to 5 (last).", field="priority")
        study.priority = priority
    if new_per_day != "keep":
        if new_per_day is not None and not 0 <= new_per_day <= NEW_PER_DAY_MAX:
            raise ServiceError(f"New cards per day for a deck are 0 to {NEW_PER_DAY_MAX}, or empty.",
                               field="new_per_day")
        study.new_per_day = new_per_day
    db.session.commit()
    return study


def deck_study(user: User, deck_id: int) -> DeckStudy | None:
    return db.session.scalar(select(DeckStudy).where(DeckStudy.user_id == user.id, DeckStudy.deck_id == deck_id))
