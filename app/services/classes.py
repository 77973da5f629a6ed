"""Classes: instructors create them, learners join with a code, decks are assigned, progress is followed."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import fsrs
from sqlalchemy import and_, case, delete, func, select
from sqlalchemy.exc import IntegrityError

from app import limits
from app.extensions import db
from app.models import (
    Card,
    Classroom,
    Deck,
    DeckAssignment,
    DeckStudy,
    Enrollment,
    Queue,
    ReviewLog,
    Role,
    Term,
    User,
    insert_missing,
)
from app.services import Conflict, Forbidden, NotFound, ServiceError, study
from app.services.decks import get_visible_deck, visible_deck_ids

# No 0/O, 1/I/L: a code read aloud in class or copied from a whiteboard must survive.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(code: str) -> str:
    """What a learner types: any case, spaces or dashes ('abcd-efgh' is ABCDEFGH)."""
    return "".join(ch for ch in (code or "").upper() if ch not in " -")


def create_class(instructor: User, name: str, now: datetime) -> Classroom:
    """A new class owned by the instructor, with a fresh random join code."""
    if not instructor.is_instructor:
        raise Forbidden("Only instructors can create classes.")
    name = (name or "").strip()
    if not name or len(name) > limits.CLASS_NAME:
        raise ServiceError(f"A class needs a name of 1 to {limits.CLASS_NAME} characters.", field="name")
    for _ in range(5):  # 31**8 codes: a collision is rare, two in a row rarer still
        classroom = Classroom(instructor_id=instructor.id, name=name, join_code=new_join_code(), created_at=now)
        db.session.add(classroom)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        return classroom
    raise Conflict("Could not find a free join code; try again.")


def get_own_class(instructor: User, class_id: int) -> Classroom:
    """The class if this instructor teaches it; otherwise NotFound (never reveal that it exists)."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or classroom.instructor_id != instructor.id:
        raise NotFound("No such class.")
    return classroom


def classes_taught(instructor: User) -> list[Classroom]:
    return list(db.session.scalars(
        select(Classroom).where(Classroom.instructor_id == instructor.id).order_by(Classroom.created_at, Classroom.id)
    ))


def join_class(learner: User, code: str, now: datetime) -> Classroom:
    """Enrol the learner in the class with this join code. Joining again changes nothing."""
    code = normalise_join_code(code)
    classroom = db.session.scalar(select(Classroom).where(Classroom.join_code == code)) if code else None
    if classroom is None:
        raise NotFound("No class has that join code.", field="code")
    if classroom.instructor_id == learner.id:
        raise ServiceError("You teach this class; learners join it with the code.", field="code")
    db.session.execute(insert_missing(Enrollment).values(classroom_id=classroom.id, user_id=learner.id, joined_at=now))
    study.study_assigned_decks(classroom.id, now, user_id=learner.id)
    db.session.commit()
    return classroom


def assign_deck(instructor: User, class_id: int, deck_id: int, now: datetime) -> DeckAssignment:
    """Assign a deck to the instructor's class; its learners study it from then on. Only the deck's
    owner (or an admin) may assign it, or anyone a built-in deck: seeing a deck through a class one
    has joined is no right to hand it on. Assigning it again changes nothing."""
    classroom = get_own_class(instructor, class_id)
    deck = get_visible_deck(instructor, deck_id) if instructor.role is not Role.ADMIN else db.session.get(Deck, deck_id)
    if deck is None:
        raise NotFound("No such deck.")
    if not (deck.builtin or deck.owner_id == instructor.id or instructor.role is Role.ADMIN):
        raise Forbidden("Only the deck's owner can assign it to a class.", field="deck_id")
    db.session.execute(insert_missing(DeckAssignment).values(classroom_id=classroom.id, deck_id=deck.id,
                                                             assigned_at=now))
    study.study_assigned_decks(classroom.id, now, deck_id=deck.id)
    db.session.commit()
    return db.session.scalar(select(DeckAssignment).where(
        DeckAssignment.classroom_id == classroom.id, DeckAssignment.deck_id == deck.id))


@dataclass(frozen=True)
class LearnerProgress:
    user_id: int
    username: str
    cards_started: int  # cards of the assigned decks the learner has reviewed at least once
    reviews_7d: int  # reviews in the last 7 days
    retention_30d: float | None  # share of review-state cards recalled (not Again), last 30 days; None: none
    due: int  # cards due now (the queue's rule: learning cards by the minute, reviews past their due time)
    last_active: datetime | None  # the learner's latest review


def class_progress(instructor: User, class_id: int, now: datetime) -> list[LearnerProgress]:
    """Each enrolled learner's work on the class's assigned decks (and only those), by username.

    Three aggregate queries whatever the class size.
    """
    classroom = get_own_class(instructor, class_id)
    learners = db.session.execute(
        select(User.id, User.username)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.classroom_id == classroom.id)
        .order_by(func.lower(User.username))
    ).all()
    if not learners:
        return []
    ids = [user_id for user_id, _ in learners]
    assigned_terms = (
        select(Term.id)
        .join(DeckAssignment, DeckAssignment.deck_id == Term.deck_id)
        .where(DeckAssignment.classroom_id == classroom.id)
    )
    week_ago, month_ago = now - timedelta(days=7), now - timedelta(days=30)
    review_state = fsrs.State.Review.value
    logs = db.session.execute(
        select(
            ReviewLog.user_id,
            func.sum(case((ReviewLog.reviewed_at >= week_ago, 1), else_=0)),
            func.sum(case((and_(ReviewLog.reviewed_at >= month_ago, ReviewLog.previous_state == review_state), 1),
                          else_=0)),
            func.sum(case((and_(ReviewLog.reviewed_at >= month_ago, ReviewLog.previous_state == review_state,
                                ReviewLog.rating > 1), 1), else_=0)),
            func.max(ReviewLog.reviewed_at),
        )
        .join(Card, Card.id == ReviewLog.card_id)
        .where(ReviewLog.user_id.in_(ids), Card.term_id.in_(assigned_terms))
        .group_by(ReviewLog.user_id)
    ).all()
    cards = db.session.execute(
        select(
            Card.user_id,
            func.sum(case((and_(study.in_queue(Card.user_id, now), study.due(now, now)), 1), else_=0)),
            func.sum(case((Card.queue != Queue.NEW.value, 1), else_=0)),
        )
        .join(Term, Term.id == Card.term_id)
        .where(Card.user_id.in_(ids), Card.term_id.in_(assigned_terms))
        .group_by(Card.user_id)
    ).all()
    due = {user_id: int(n or 0) for user_id, n, _ in cards}
    started = {user_id: int(n or 0) for user_id, _, n in cards}
    by_user = {row[0]: row[1:] for row in logs}
    progress = []
    for user_id, username in learners:
        week, judged, recalled, last = by_user.get(user_id, (0, 0, 0, None))
        progress.append(LearnerProgress(
            user_id=user_id, username=username, cards_started=started.get(user_id, 0), reviews_7d=int(week or 0),
            retention_30d=(int(recalled) / int(judged)) if judged else None,
            due=due.get(user_id, 0), last_active=last,
        ))
    return progress


def learner_classes(learner: User) -> list[Classroom]:
    """The classes a learner is enrolled in."""
    return list(db.session.scalars(
        select(Classroom).join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .where(Enrollment.user_id == learner.id).order_by(Classroom.name)
    ))


def leave_class(learner: User, class_id: int) -> Classroom:
    """The learner leaves; the class's decks leave their study list (their review history stays)."""
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.classroom_id == class_id, Enrollment.user_id == learner.id))
    if enrollment is None:
        raise NotFound("You are not in that class.")
    classroom = enrollment.classroom
    _unenroll(enrollment)
    return classroom


def remove_learner(instructor: User, class_id: int, user_id: int) -> User:
    """The instructor takes a learner out of their class."""
    classroom = get_own_class(instructor, class_id)
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.classroom_id == classroom.id, Enrollment.user_id == user_id))
    if enrollment is None:
        raise NotFound("That learner is not in this class.")
    learner = enrollment.user
    _unenroll(enrollment)
    return learner


def _unenroll(enrollment: Enrollment) -> None:
    """Delete the enrollment, and stop studying the decks the learner only had through this class."""
    learner_id = enrollment.user_id
    db.session.delete(enrollment)
    db.session.flush()
    forget_invisible_decks([learner_id])
    db.session.commit()


def unassign_deck(instructor: User, class_id: int, deck_id: int) -> None:
    """The deck leaves the class: its learners stop studying it unless they still see it another way
    (their review history stays)."""
    classroom = get_own_class(instructor, class_id)
    assignment = db.session.scalar(
        select(DeckAssignment).where(DeckAssignment.classroom_id == classroom.id, DeckAssignment.deck_id == deck_id))
    if assignment is None:
        raise NotFound("That deck is not assigned to this class.")
    db.session.delete(assignment)
    db.session.flush()
    forget_invisible_decks(db.session.scalars(
        select(Enrollment.user_id).where(Enrollment.classroom_id == classroom.id)).all())
    db.session.commit()


def forget_invisible_decks(user_ids) -> None:
    """Stop these users studying every deck they can no longer see (cards and history stay). Does not commit."""
    for user_id in user_ids:
        db.session.execute(delete(DeckStudy).where(
            DeckStudy.user_id == user_id, DeckStudy.deck_id.not_in(visible_deck_ids(user_id))))


@dataclass(frozen=True)
class HardTerm:
    term_id: int
    simplified: str
    pinyin: str
    english: str
    reviews: int
    again: int

    @property
    def again_share(self) -> float:
        return self.again / self.reviews if self.reviews else 0.0


def hardest_terms(instructor: User, class_id: int, now: datetime, limit: int = 20) -> list[HardTerm]:
    """The assigned terms the class grades Again most often in the last 30 days (one query)."""
    classroom = get_own_class(instructor, class_id)
    learners = select(Enrollment.user_id).where(Enrollment.classroom_id == classroom.id)
    again = func.sum(case((ReviewLog.rating == 1, 1), else_=0))
    rows = db.session.execute(
        select(Term.id, Term.simplified, Term.pinyin, Term.english, func.count(ReviewLog.id), again)
        .join(Card, Card.term_id == Term.id)
        .join(ReviewLog, ReviewLog.card_id == Card.id)
        .join(DeckAssignment, DeckAssignment.deck_id == Term.deck_id)
        .where(DeckAssignment.classroom_id == classroom.id, ReviewLog.user_id.in_(learners),
               ReviewLog.reviewed_at >= now - timedelta(days=30))
        .group_by(Term.id, Term.simplified, Term.pinyin, Term.english)
        .having(again > 0)
        .order_by(again.desc(), func.count(ReviewLog.id).desc(), Term.id)
        .limit(limit)
    ).all()
    return [HardTerm(*row[:4], reviews=int(row[4]), again=int(row[5])) for row in rows]
