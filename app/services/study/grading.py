"""Grading: the learner's FSRS scheduler, interval previews, and recording a review idempotently.

Every scheduling decision is fsrs.Scheduler's; this module stores its Card state and keeps reviews
idempotent. Time is always an argument (`now`, aware UTC).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import fsrs
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import limits
from app.extensions import db, insert_row, rows
from app.models import ActionKind, Card, Queue, ReviewLog, User
from app.services import Conflict, NotFound, ServiceError
from app.services.accounts import parse_steps
from app.services.study.day import NEW
from app.services.study.state import CardState
from app.services.study.undo import prune_actions, record_action


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
    return CardState.of(card).to_fsrs(card.id)


def retrievability(user: User, card: Card, now: datetime) -> float | None:
    """Probability (0-1) of recalling the card now, or None for a card never reviewed."""
    if card.last_review is None:
        return None
    return scheduler_for(user, fuzz=False).get_card_retrievability(to_fsrs(card), now)


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


@dataclass(frozen=True)
class GradeResult:
    card: Card
    log_id: int  # the review's ReviewLog
    duplicate: bool  # True when this client_review_id was already recorded: nothing changed


CONFLICT = "This card was already graded, in another tab or window. Showing the next card."


def grade(user: User, card_id: int, rating: int, client_review_id: str, now: datetime, *,
          duration_ms: int | None = None, expected_version: int | None = None) -> GradeResult:
    """Record one review and reschedule the card with FSRS, and commit.

    Idempotent: the same client_review_id returns the first result and changes nothing. When the
    card changed since the client saw it (expected_version) or another request graded it at the
    same moment, raises Conflict and records nothing.
    """
    try:
        result = record_review(user, card_id, rating, client_review_id, now,
                               duration_ms=duration_ms, expected_version=expected_version)
        if result.duplicate:
            return result
        prune_actions(user)  # its DELETE flushes the card first, so a lost race shows here too
        db.session.commit()
    except (IntegrityError, StaleDataError):
        # Another request won the race: the same review submitted twice, or the card graded elsewhere.
        db.session.rollback()
        previous = _find_review(user, (client_review_id or "").strip())
        if previous is not None:
            return _duplicate(previous, card_id)
        raise Conflict(CONFLICT) from None
    return result


def record_review(user: User, card_id: int, rating: int, client_review_id: str, now: datetime, *,
                  duration_ms: int | None = None, expected_version: int | None = None) -> GradeResult:
    """grade() without the commit: checks, reschedules and adds the log (and the undo record) in the
    current transaction.

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
        raise Conflict(CONFLICT)
    if card.last_review is not None and now < card.last_review:
        raise ServiceError("This review is older than the card's last review.", field="reviewed_at")
    if card.last_review is not None and now == card.last_review:
        # Two devices grading one card at the same instant: the first one counts.
        raise Conflict("This card was already reviewed at that moment.", field="reviewed_at")

    before = CardState.of(card)
    updated, _ = scheduler_for(user).review_card(before.to_fsrs(card.id), fsrs.Rating(rating), now, duration_ms)
    lapsed = card.queue is Queue.REVIEW and rating == fsrs.Rating.Again
    after = CardState(state=updated.state.value, step=updated.step, stability=updated.stability,
                      difficulty=updated.difficulty, due=updated.due, last_review=updated.last_review,
                      reps=card.reps + 1, lapses=card.lapses + lapsed, suspended=card.suspended, buried_until=None)
    after.apply_to(card)
    log_id = insert_row(_INSERT_REVIEW, {
        "user_id": user.id, "card_id": card.id, "rating": rating, "reviewed_at": now, "duration_ms": duration_ms,
        "client_review_id": client_review_id, "previous_state": NEW if before.last_review is None else before.state,
        "previous_stability": before.stability, "state_before": before.to_dict(), "state_after": after.to_dict(),
    })
    record_action(user, card, ActionKind.GRADE, before, now, rating=rating, review_log_id=log_id)
    return GradeResult(card, log_id, duplicate=False)


# The log and the undo record are written with Core (see insert_row); the card itself, with its
# version check, by the session when it flushes.
_INSERT_REVIEW = insert(ReviewLog.__table__)


_FIND_REVIEW = select(ReviewLog.id).where(ReviewLog.user_id == bindparam("user_id"),
                                          ReviewLog.client_review_id == bindparam("client_review_id"))


def _find_review(user: User, client_review_id: str) -> ReviewLog | None:
    found = rows(_FIND_REVIEW, {"user_id": user.id, "client_review_id": client_review_id}).scalar()
    return None if found is None else db.session.get(ReviewLog, found)


def _duplicate(log: ReviewLog, card_id: int) -> GradeResult:
    if log.card_id != card_id:
        raise Conflict("This client_review_id was already used for another card.", field="client_review_id")
    return GradeResult(log.card, log.id, duplicate=True)


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
