"""Classes: instructors create them, learners join with a code, decks are assigned, progress is followed."""
from __future__ import annotations

import math
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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


def _check_target(due_on: date | None, daily_new: int | None, now: datetime) -> None:
    if daily_new is not None and not 1 <= daily_new <= limits.DAILY_NEW_TARGET:
        raise ServiceError(f"A daily target is 1 to {limits.DAILY_NEW_TARGET:,} new words.", field="daily_new")
    if due_on is not None and due_on < now.date() - timedelta(days=1):
        raise ServiceError("The due date has passed; choose a later one.", field="due_on")


def assign_deck(instructor: User, class_id: int, deck_id: int, now: datetime, *, due_on: date | None = None,
                daily_new: int | None = None) -> DeckAssignment:
    """Assign a deck to the instructor's class, optionally due by a date and/or with a daily target of
    new words; its learners study it from then on. Only the deck's owner (or an admin) may assign it,
    or anyone a built-in deck: seeing a deck through a class one has joined is no right to hand it on.
    Assigning it again changes nothing but the target, when one is given."""
    classroom = get_own_class(instructor, class_id)
    deck = get_visible_deck(instructor, deck_id) if instructor.role is not Role.ADMIN else db.session.get(Deck, deck_id)
    if deck is None:
        raise NotFound("No such deck.")
    if not (deck.builtin or deck.owner_id == instructor.id or instructor.role is Role.ADMIN):
        raise Forbidden("Only the deck's owner can assign it to a class.", field="deck_id")
    _check_target(due_on, daily_new, now)
    db.session.execute(insert_missing(DeckAssignment).values(classroom_id=classroom.id, deck_id=deck.id,
                                                             assigned_at=now))
    assignment = db.session.scalar(select(DeckAssignment).where(
        DeckAssignment.classroom_id == classroom.id, DeckAssignment.deck_id == deck.id))
    if due_on is not None or daily_new is not None:
        assignment.due_on, assignment.daily_new = due_on, daily_new
    study.study_assigned_decks(classroom.id, now, deck_id=deck.id)
    db.session.commit()
    return assignment


def set_target(instructor: User, class_id: int, deck_id: int, due_on: date | None, daily_new: int | None,
               now: datetime) -> DeckAssignment:
    """Change (or clear, with None and None) an assigned deck's due date and daily target."""
    classroom = get_own_class(instructor, class_id)
    assignment = db.session.scalar(
        select(DeckAssignment).where(DeckAssignment.classroom_id == classroom.id, DeckAssignment.deck_id == deck_id))
    if assignment is None:
        raise NotFound("That deck is not assigned to this class.")
    _check_target(due_on, daily_new, now)
    assignment.due_on, assignment.daily_new = due_on, daily_new
    db.session.commit()
    return assignment


def expected_words(assignment: DeckAssignment, total: int, today: date) -> int | None:
    """Words a learner should have started by the end of `today` (UTC calendar days, the day of
    assignment counting as day one): the daily target times the days so far, or, with only a due
    date, an even share of the deck per day until it; never more than the deck. None: no target."""
    if assignment.daily_new is None and assignment.due_on is None:
        return None
    start = assignment.assigned_at.date()
    end = min(today, assignment.due_on) if assignment.due_on else today
    days = max((end - start).days + 1, 0)
    if assignment.daily_new is not None:
        return min(total, assignment.daily_new * days)
    span = max((assignment.due_on - start).days + 1, 1)
    return min(total, math.ceil(total * days / span))


@dataclass(frozen=True)
class TargetStatus:
    deck_id: int
    title: str
    started: int  # words of the deck with at least one reviewed card
    expected: int  # words due to be started by today
    total: int

    @property
    def on_track(self) -> bool:
        return self.started >= self.expected


@dataclass(frozen=True)
class CardFigures:
    words_started: int = 0  # words with at least one reviewed card
    cards_started: int = 0  # cards out of the new queue
    due: int = 0  # cards due now, by the queue's rule


def _card_figures(user_ids: list[int], deck_ids: list[int], now: datetime) -> dict[tuple[int, int], CardFigures]:
    """Per (learner, deck) of a class, in one query over their cards. "Due" is the queue's rule (due
    now, available, a direction the learner studies); the class's decks are visible to its learners,
    so the queue's visibility test (a subquery per card) is not needed."""
    if not user_ids or not deck_ids:
        return {}
    studying = and_(DeckStudy.user_id == Card.user_id, DeckStudy.deck_id == Term.deck_id)
    due_now = and_(study.due(now, now), study.available(now), study.chosen_direction())
    rows = db.session.execute(
        select(Card.user_id, Term.deck_id,
               func.count(func.distinct(case((Card.last_review.is_not(None), Card.term_id)))),
               func.sum(case((Card.queue != Queue.NEW.value, 1), else_=0)),
               func.sum(case((due_now, 1), else_=0)))
        .join(Term, Term.id == Card.term_id).outerjoin(DeckStudy, studying)
        .where(Card.user_id.in_(user_ids), Term.deck_id.in_(deck_ids))
        .group_by(Card.user_id, Term.deck_id)).all()
    return {(user_id, deck_id): CardFigures(int(words or 0), int(cards or 0), int(due or 0))
            for user_id, deck_id, words, cards, due in rows}


def _targets(classroom: Classroom, user_ids: list[int], now: datetime,
             figures: dict[tuple[int, int], CardFigures]) -> dict[int, list[TargetStatus]]:
    """Per learner, each targeted assignment's status."""
    targeted = [a for a in classroom.assignments if a.daily_new is not None or a.due_on is not None]
    if not targeted or not user_ids:
        return {}
    deck_ids = [a.deck_id for a in targeted]
    totals = dict(db.session.execute(
        select(Term.deck_id, func.count(Term.id)).where(Term.deck_id.in_(deck_ids)).group_by(Term.deck_id)).all())
    empty = CardFigures()
    return {user_id: [TargetStatus(a.deck_id, a.deck.title, figures.get((user_id, a.deck_id), empty).words_started,
                                   expected_words(a, totals.get(a.deck_id, 0), now.date()),
                                   totals.get(a.deck_id, 0)) for a in targeted]
            for user_id in user_ids}


@dataclass(frozen=True)
class LearnerProgress:
    user_id: int
    username: str
    cards_started: int  # cards of the assigned decks the learner has reviewed at least once
    reviews_7d: int  # reviews in the last 7 days
    retention_30d: float | None  # share of review-state cards recalled (not Again), last 30 days; None: none
    due: int  # cards due now (the queue's rule: learning cards by the minute, reviews past their due time)
    last_active: datetime | None  # the learner's latest review, in any deck
    targets: tuple[TargetStatus, ...] = ()  # the class's targeted assignments

    @property
    def on_track(self) -> bool | None:
        """On track with every targeted assignment; None when the class sets no target."""
        return all(t.on_track for t in self.targets) if self.targets else None


def class_progress(instructor: User, class_id: int, now: datetime) -> list[LearnerProgress]:
    """Each enrolled learner's work on the class's assigned decks (and only those; "last active"
    counts every deck), by username, with their status on each targeted assignment.

    A handful of aggregate queries whatever the class size.
    """
    classroom = get_own_class(instructor, class_id)
    # "Last active" counts any deck (a learner busy elsewhere is not "never" active): each learner's
    # latest review, one index lookup each.
    latest_review = (select(func.max(ReviewLog.reviewed_at)).where(ReviewLog.user_id == User.id)
                     .correlate(User).scalar_subquery())
    learners = db.session.execute(
        select(User.id, User.username, latest_review)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.classroom_id == classroom.id)
        .order_by(func.lower(User.username))
    ).all()
    if not learners:
        return []
    ids = [user_id for user_id, _, _ in learners]
    last_active = {user_id: latest for user_id, _, latest in learners}
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
        )
        .join(Card, Card.id == ReviewLog.card_id)
        # Only the last 30 days count (the week is within them): the (user, time) index reads just those.
        .where(ReviewLog.user_id.in_(ids), ReviewLog.reviewed_at >= month_ago, Card.term_id.in_(assigned_terms))
        .group_by(ReviewLog.user_id)
    ).all()
    figures = _card_figures(ids, [a.deck_id for a in classroom.assignments], now)
    targets = _targets(classroom, ids, now, figures)
    due, started = Counter(), Counter()
    for (user_id, _), figure in figures.items():
        due[user_id] += figure.due
        started[user_id] += figure.cards_started
    by_user = {row[0]: row[1:] for row in logs}
    progress = []
    for user_id, username, _ in learners:
        week, judged, recalled = by_user.get(user_id, (0, 0, 0))
        progress.append(LearnerProgress(
            user_id=user_id, username=username, cards_started=started.get(user_id, 0), reviews_7d=int(week or 0),
            retention_30d=(int(recalled) / int(judged)) if judged else None,
            due=due.get(user_id, 0), last_active=last_active.get(user_id),
            targets=tuple(targets.get(user_id, ())),
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


MIN_REVIEWS_TO_RANK = 3  # one unlucky Again is not a hard word


def hardest_terms(instructor: User, class_id: int, now: datetime, limit: int = 20,
                  learner_id: int | None = None) -> list[HardTerm]:
    """The assigned terms the class (or one learner of it) grades Again most often in the last 30
    days, among terms reviewed at least MIN_REVIEWS_TO_RANK times."""
    classroom = get_own_class(instructor, class_id)
    learners = select(Enrollment.user_id).where(Enrollment.classroom_id == classroom.id)
    if learner_id is not None:
        learners = learners.where(Enrollment.user_id == learner_id)
    # The learners as a list, not a subquery: PostgreSQL then reads their last 30 days through the
    # (user, time) index instead of scanning every review.
    ids = list(db.session.scalars(learners))
    if not ids:
        return []
    again = func.sum(case((ReviewLog.rating == 1, 1), else_=0))
    assigned_terms = (select(Term.id).join(DeckAssignment, DeckAssignment.deck_id == Term.deck_id)
                      .where(DeckAssignment.classroom_id == classroom.id))
    # Read from the learners' last 30 days of reviews (the (user, time) index), then the few terms shown.
    ranked = db.session.execute(
        select(Card.term_id, func.count(ReviewLog.id), again)
        .select_from(ReviewLog).join(Card, Card.id == ReviewLog.card_id)
        .where(ReviewLog.user_id.in_(ids), ReviewLog.reviewed_at >= now - timedelta(days=30),
               Card.term_id.in_(assigned_terms))
        .group_by(Card.term_id)
        .having(again > 0, func.count(ReviewLog.id) >= MIN_REVIEWS_TO_RANK)
        .order_by(again.desc(), func.count(ReviewLog.id).desc(), Card.term_id)
        .limit(limit)
    ).all()
    terms = {term.id: term for term in db.session.scalars(
        select(Term).where(Term.id.in_([term_id for term_id, _, _ in ranked])))} if ranked else {}
    return [HardTerm(term_id, terms[term_id].simplified, terms[term_id].pinyin, terms[term_id].english,
                     reviews=int(reviews), again=int(n_again)) for term_id, reviews, n_again in ranked]


@dataclass(frozen=True)
class DeckWork:
    deck: Deck
    terms: int
    started: int  # words with at least one reviewed card
    due: int  # cards due now
    reviews_30d: int
    retention_30d: float | None


@dataclass(frozen=True)
class LearnerDetail:
    learner: User
    last_active: datetime | None  # the latest review in any deck
    decks: list[DeckWork]
    per_day: list[tuple[date, int]]  # reviews of the class's decks on each of the last 30 days (UTC), oldest first
    reviews_30d: int
    retention_30d: float | None
    forgotten: list[HardTerm]  # the words they grade Again most, reviewed at least three times
    targets: list[TargetStatus]


def learner_detail(instructor: User, class_id: int, user_id: int, now: datetime) -> LearnerDetail:
    """One learner's work on the class's decks, for their instructor (only the class's decks: the
    learner's own and other classes' decks stay private, except when they were last active)."""
    classroom = get_own_class(instructor, class_id)
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.classroom_id == classroom.id, Enrollment.user_id == user_id))
    if enrollment is None:
        raise NotFound("That learner is not in this class.")
    month_ago = now - timedelta(days=30)
    review_state = fsrs.State.Review.value
    deck_ids = [a.deck_id for a in classroom.assignments]
    terms = dict(db.session.execute(select(Term.deck_id, func.count(Term.id))
                                    .where(Term.deck_id.in_(deck_ids)).group_by(Term.deck_id)).all())
    figures = _card_figures([user_id], deck_ids, now)
    cards = {deck_id: (figure.words_started, figure.due) for (_, deck_id), figure in figures.items()}
    reviews = db.session.execute(
        select(Term.deck_id, ReviewLog.reviewed_at, ReviewLog.previous_state, ReviewLog.rating)
        .join(Card, Card.id == ReviewLog.card_id).join(Term, Term.id == Card.term_id)
        .where(ReviewLog.user_id == user_id, Term.deck_id.in_(deck_ids), ReviewLog.reviewed_at >= month_ago)
    ).all()
    days = [(now - timedelta(days=back)).date() for back in range(29, -1, -1)]
    per_day = {day: 0 for day in days}
    by_deck: dict[int, list[int]] = {}  # deck -> [reviews, judged, recalled]
    for deck_id, reviewed_at, previous_state, rating in reviews:
        if reviewed_at.date() in per_day:
            per_day[reviewed_at.date()] += 1
        counts = by_deck.setdefault(deck_id, [0, 0, 0])
        counts[0] += 1
        if previous_state == review_state:
            counts[1] += 1
            counts[2] += rating > 1
    work = [DeckWork(a.deck, terms.get(a.deck_id, 0), *cards.get(a.deck_id, (0, 0)),
                     by_deck.get(a.deck_id, [0])[0],
                     (by_deck[a.deck_id][2] / by_deck[a.deck_id][1]) if by_deck.get(a.deck_id, [0, 0])[1] else None)
            for a in classroom.assignments]
    judged = sum(c[1] for c in by_deck.values())
    return LearnerDetail(
        learner=enrollment.user,
        last_active=db.session.scalar(select(func.max(ReviewLog.reviewed_at)).where(ReviewLog.user_id == user_id)),
        decks=work, per_day=list(per_day.items()), reviews_30d=len(reviews),
        retention_30d=sum(c[2] for c in by_deck.values()) / judged if judged else None,
        forgotten=hardest_terms(instructor, class_id, now, limit=10, learner_id=user_id),
        targets=_targets(classroom, [user_id], now, figures).get(user_id, []),
    )


def class_terms(instructor: User, class_id: int, deck_id: int | None = None) -> list[tuple[Deck, list[Term]]]:
    """The words of the class's decks (or one of them), deck by deck, in the decks' order: a worksheet."""
    classroom = get_own_class(instructor, class_id)
    assigned = [a.deck for a in classroom.assignments if deck_id is None or a.deck_id == deck_id]
    if deck_id is not None and not assigned:
        raise NotFound("That deck is not assigned to this class.")
    return [(deck, list(deck.terms)) for deck in assigned]
