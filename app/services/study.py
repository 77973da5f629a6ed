"""Spaced-repetition study: starting decks, the daily queue, grading with FSRS, undo, suspend and bury.

Every scheduling decision is fsrs.Scheduler's; this module stores its Card state, applies the
learner's daily limits, and keeps reviews idempotent. Time is always an argument (`now`, aware UTC).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import fsrs
from sqlalchemy import and_, case, func, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app import limits
from app.extensions import db
from app.models import (
    Card,
    Deck,
    DeckAssignment,
    DeckStudy,
    Direction,
    Enrollment,
    ReviewLog,
    Term,
    User,
    UTCDateTime,
    insert_missing,
)
from app.services import Conflict, NotFound, ServiceError
from app.services.accounts import parse_steps
from app.services.decks import visible_deck_ids

DAY_STARTS_AT = time(4)  # the study day turns over at 4 a.m. in the learner's timezone
LEARN_AHEAD = timedelta(minutes=20)  # when nothing else is due, learning cards this close come early
NEW = 0  # ReviewLog.previous_state for a card never reviewed before


# ---- scheduling state -------------------------------------------------------------------------

def scheduler_for(user: User, *, fuzz: bool = True) -> fsrs.Scheduler:
    """The learner's FSRS-6 scheduler: their own parameters once an optimisation kept some (FSRS's
    defaults until then), their retention and learning steps. Every page, API call, preview and sync
    schedules through this one function."""
    return fsrs.Scheduler(
        parameters=user.fsrs_parameters or fsrs.scheduler.DEFAULT_PARAMETERS,
        desired_retention=user.desired_retention,
        learning_steps=tuple(timedelta(seconds=s) for s in parse_steps(user.learning_steps)),
        relearning_steps=tuple(timedelta(seconds=s) for s in parse_steps(user.relearning_steps)),
        enable_fuzzing=fuzz,
    )


def to_fsrs(card: Card) -> fsrs.Card:
    return fsrs.Card(
        card_id=card.id, state=fsrs.State(card.state), step=card.step, stability=card.stability,
        difficulty=card.difficulty, due=card.due, last_review=card.last_review,
    )


def snapshot(card: Card) -> dict:
    """Everything needed to put a card back exactly as it was (stored in ReviewLog for undo)."""
    return {
        "state": card.state, "step": card.step, "stability": card.stability, "difficulty": card.difficulty,
        "due": card.due.isoformat(), "last_review": card.last_review.isoformat() if card.last_review else None,
        "reps": card.reps, "lapses": card.lapses,
    }


def restore(card: Card, state: dict) -> None:
    card.state, card.step = state["state"], state["step"]
    card.stability, card.difficulty = state["stability"], state["difficulty"]
    card.due = datetime.fromisoformat(state["due"])
    card.last_review = datetime.fromisoformat(state["last_review"]) if state["last_review"] else None
    card.reps, card.lapses = state["reps"], state["lapses"]


def retrievability(user: User, card: Card, now: datetime) -> float | None:
    """Probability (0-1) of recalling the card now, or None for a card never reviewed."""
    if card.last_review is None:
        return None
    return scheduler_for(user, fuzz=False).get_card_retrievability(to_fsrs(card), now)


# ---- the study day ----------------------------------------------------------------------------

def study_day(user: User, now: datetime) -> tuple[datetime, datetime]:
    """The learner's current study day as a UTC [start, end) pair; days turn over at 4 a.m. local time."""
    zone = ZoneInfo(user.timezone)
    local = now.astimezone(zone)
    start_date = local.date() if local.time() >= DAY_STARTS_AT else local.date() - timedelta(days=1)
    start = datetime.combine(start_date, DAY_STARTS_AT, tzinfo=zone)
    end = datetime.combine(start_date + timedelta(days=1), DAY_STARTS_AT, tzinfo=zone)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


# ---- starting decks ---------------------------------------------------------------------------
#
# Cards are made when a deck is started or assigned and when terms are added, never while the queue is
# read: a GET changes nothing. Every insert here skips rows that exist, so racing requests agree.

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


# ---- the queue --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Counts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


def _active_cards(user: User, now: datetime, deck_id: int | None):
    """The learner's cards that may be shown: in a studied deck they can see, in a studied direction,
    not suspended or buried."""
    query = (
        select(Card)
        .join(Term, Term.id == Card.term_id)
        .join(DeckStudy, and_(DeckStudy.user_id == Card.user_id, DeckStudy.deck_id == Term.deck_id))
        .where(
            Card.user_id == user.id,
            Term.deck_id.in_(visible_deck_ids(user.id)),
            Card.suspended.is_(False),
            or_(Card.buried_until.is_(None), Card.buried_until <= now),
            or_(
                and_(Card.direction == Direction.RECOGNITION, DeckStudy.recognition.is_(True)),
                and_(Card.direction == Direction.RECALL, DeckStudy.recall.is_(True)),
                and_(Card.direction == Direction.LISTENING, DeckStudy.listening.is_(True)),
                and_(Card.direction == Direction.CLOZE, DeckStudy.cloze.is_(True)),
            ),
        )
    )
    if deck_id is not None:
        query = query.where(Term.deck_id == deck_id)
    return query


def _done_today(user: User, now: datetime) -> tuple[int, int]:
    """(new cards introduced, review-state cards reviewed) in the current study day."""
    start, _ = study_day(user, now)
    rows = db.session.execute(
        select(ReviewLog.previous_state, func.count(ReviewLog.id))
        .where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= start)
        .group_by(ReviewLog.previous_state)
    ).all()
    by_state = dict(rows)
    return by_state.get(NEW, 0), by_state.get(fsrs.State.Review.value, 0)


def _conditions(now: datetime, day_start: datetime, day_end: datetime) -> dict:
    """Which cards are due, by queue. Review cards are due by day (Anki's rule); learning cards by the minute.

    A new card waits for tomorrow when another card of its term was studied today (Anki's sibling
    burying): seeing 过年 -> meaning, then meaning -> 过年 a minute later, tests nothing.
    """
    learning = and_(Card.last_review.is_not(None), Card.state != fsrs.State.Review.value)
    sibling = db.aliased(Card)
    sibling_studied_today = (
        select(sibling.id)
        .where(sibling.user_id == Card.user_id, sibling.term_id == Card.term_id, sibling.id != Card.id,
               sibling.last_review >= day_start)
        .exists()
    )
    return {
        "learning": and_(learning, Card.due <= now),
        "learning_ahead": and_(learning, Card.due <= now + LEARN_AHEAD),
        "review": and_(Card.last_review.is_not(None), Card.state == fsrs.State.Review.value, Card.due < day_end),
        "new": and_(Card.last_review.is_(None), ~sibling_studied_today),
    }


# New cards come in deck order, recognition before recall before listening before cloze.
_DIRECTION_ORDER = case({Direction.RECOGNITION: 0, Direction.RECALL: 1, Direction.LISTENING: 2, Direction.CLOZE: 3},
                        value=Card.direction, else_=4)


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def counts(user: User, now: datetime, deck_id: int | None = None) -> Counts:
    """What is left today: new cards (within the daily limit), learning cards due, reviews due (within the limit)."""
    day_start, day_end = study_day(user, now)
    new_done, reviews_done = _done_today(user, now)
    active = _active_cards(user, now, deck_id)
    due = _conditions(now, day_start, day_end)
    return Counts(
        new=max(0, min(_count(active.where(due["new"])), user.new_cards_per_day - new_done)),
        learning=_count(active.where(due["learning"])),
        review=max(0, min(_count(active.where(due["review"])), user.max_reviews_per_day - reviews_done)),
    )


def next_card(user: User, now: datetime, deck_id: int | None = None) -> tuple[Card | None, Counts]:
    """The card to show now, and what is left today.

    Order: learning cards that are due, then reviews (earliest first), then new cards in deck order
    (recognition first), then learning cards due within LEARN_AHEAD when nothing else is left.
    """
    remaining = counts(user, now, deck_id)
    day_start, day_end = study_day(user, now)
    active = _active_cards(user, now, deck_id).options(joinedload(Card.term))
    due = _conditions(now, day_start, day_end)
    queues = [
        (remaining.learning, active.where(due["learning"]).order_by(Card.due, Card.id)),
        (remaining.review, active.where(due["review"]).order_by(Card.due, Card.id)),
        (remaining.new, active.where(due["new"]).order_by(Term.deck_id, Term.position, _DIRECTION_ORDER, Card.id)),
        (1, active.where(due["learning_ahead"]).order_by(Card.due, Card.id)),
    ]
    for allowed, query in queues:
        if allowed > 0:
            card = db.session.scalar(query.limit(1))
            if card is not None:
                return card, remaining
    return None, remaining


# ---- grading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class GradeResult:
    card: Card
    log: ReviewLog
    duplicate: bool  # True when this client_review_id was already recorded: nothing changed


def get_own_card(user: User, card_id: int) -> Card:
    card = db.session.get(Card, card_id)
    if card is None or card.user_id != user.id:
        raise NotFound("No such card.")
    return card


def preview_intervals(user: User, card: Card, now: datetime) -> dict[int, timedelta]:
    """For each rating (1-4), how long until the card would be due again (without fuzz, as Anki shows)."""
    scheduler = scheduler_for(user, fuzz=False)
    return {
        rating.value: scheduler.review_card(to_fsrs(card), rating, now)[0].due - now
        for rating in fsrs.Rating
    }


def grade(user: User, card_id: int, rating: int, client_review_id: str, now: datetime, *,
          duration_ms: int | None = None, expected_version: int | None = None) -> GradeResult:
    """Record one review and reschedule the card with FSRS, and commit.

    Idempotent: the same client_review_id returns the first result and changes nothing. When the
    card changed since the client saw it (expected_version) or another request graded it at the
    same moment, raises Conflict and records nothing.
    """
    result = record_review(user, card_id, rating, client_review_id, now,
                           duration_ms=duration_ms, expected_version=expected_version)
    if result.duplicate:
        return result
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError):
        # Another request won the race: the same review submitted twice, or the card graded elsewhere.
        db.session.rollback()
        previous = _find_review(user, result.log.client_review_id)
        if previous is not None:
            return _duplicate(previous, card_id)
        raise Conflict("This card was already graded, in another tab or window. Showing the next card.") from None
    return result


def record_review(user: User, card_id: int, rating: int, client_review_id: str, now: datetime, *,
                  duration_ms: int | None = None, expected_version: int | None = None) -> GradeResult:
    """grade() without the commit: checks, reschedules and adds the log in the current transaction.

    Nothing changes when it raises, so a caller may apply several reviews and commit (or roll back)
    them together, as the API's offline sync does. `now` is when the review happened.
    """
    client_review_id = (client_review_id or "").strip()
    if not client_review_id or len(client_review_id) > limits.CLIENT_REVIEW_ID:
        raise ServiceError(f"Each review needs a client_review_id of 1 to {limits.CLIENT_REVIEW_ID} characters.",
                           field="client_review_id")
    if rating not in (1, 2, 3, 4):
        raise ServiceError("Rating must be 1 (again), 2 (hard), 3 (good) or 4 (easy).", field="rating")
    if duration_ms is not None and not 0 <= duration_ms <= 24 * 3600 * 1000:
        raise ServiceError("duration_ms must be between 0 and one day.", field="duration_ms")
    previous = _find_review(user, client_review_id)
    if previous is not None:
        return _duplicate(previous, card_id)

    card = get_own_card(user, card_id)
    if expected_version is not None and card.version != expected_version:
        raise Conflict("This card was already graded, in another tab or window. Showing the next card.")
    if card.last_review is not None and now < card.last_review:
        raise ServiceError("This review is older than the card's last review.", field="reviewed_at")
    if card.last_review is not None and now == card.last_review:
        # Two devices grading one card at the same instant: the first one counts.
        raise Conflict("This card was already reviewed at that moment.", field="reviewed_at")

    before = snapshot(card)
    updated, _ = scheduler_for(user).review_card(to_fsrs(card), fsrs.Rating(rating), now, duration_ms)
    previous_state = NEW if card.last_review is None else card.state
    card.state, card.step = updated.state.value, updated.step
    card.stability, card.difficulty = updated.stability, updated.difficulty
    card.due, card.last_review = updated.due, updated.last_review
    card.reps += 1
    if previous_state == fsrs.State.Review.value and rating == fsrs.Rating.Again:
        card.lapses += 1
    card.buried_until = None
    log = ReviewLog(
        user_id=user.id, card_id=card.id, rating=rating, reviewed_at=now, duration_ms=duration_ms,
        client_review_id=client_review_id, previous_state=previous_state, previous_stability=before["stability"],
        state_before=before, state_after=snapshot(card),
    )
    db.session.add(log)
    return GradeResult(card, log, duplicate=False)


def _find_review(user: User, client_review_id: str) -> ReviewLog | None:
    return db.session.scalar(
        select(ReviewLog).where(ReviewLog.user_id == user.id, ReviewLog.client_review_id == client_review_id)
    )


def _duplicate(log: ReviewLog, card_id: int) -> GradeResult:
    if log.card_id != card_id:
        raise Conflict("This client_review_id was already used for another card.", field="client_review_id")
    return GradeResult(log.card, log, duplicate=True)


# ---- undo, suspend, bury ----------------------------------------------------------------------

def undo_last(user: User) -> Card:
    """Take back the learner's most recent review: the card returns to exactly its previous state."""
    log = db.session.scalar(
        select(ReviewLog).where(ReviewLog.user_id == user.id).order_by(ReviewLog.id.desc()).limit(1)
    )
    if log is None:
        raise ServiceError("There is no review to undo.")
    card = log.card
    restore(card, log.state_before)
    db.session.delete(log)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict("The card changed meanwhile; undo again to retry.") from None
    return card


def suspend(user: User, card_id: int, suspended: bool = True) -> Card:
    """Suspended cards never come up until unsuspended; their schedule is kept."""
    card = get_own_card(user, card_id)
    card.suspended = suspended
    db.session.commit()
    return card


def bury(user: User, card_id: int, now: datetime) -> Card:
    """Hide the card until the next study day (4 a.m. local time)."""
    card = get_own_card(user, card_id)
    card.buried_until = study_day(user, now)[1]
    db.session.commit()
    return card


def session_summary(user: User, since: datetime) -> dict:
    """Reviews since `since`: how many, by rating, and the time spent (for the end-of-session screen)."""
    rows = db.session.execute(
        select(ReviewLog.rating, func.count(ReviewLog.id), func.coalesce(func.sum(ReviewLog.duration_ms), 0))
        .where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= since)
        .group_by(ReviewLog.rating)
    ).all()
    by_rating = {rating: count for rating, count, _ in rows}
    total = sum(by_rating.values())
    return {
        "reviews": total,
        "by_rating": {r: by_rating.get(r, 0) for r in (1, 2, 3, 4)},
        "correct_share": (total - by_rating.get(1, 0)) / total if total else None,
        "duration_ms": sum(ms for _, _, ms in rows),
    }


def format_interval(delta: timedelta) -> str:
    """Anki-style short intervals: 45s, 10m, 3h, 4d, 2.1mo, 1.5y."""
    seconds = max(0, delta.total_seconds())
    if seconds < 60:
        return f"{round(seconds)}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
