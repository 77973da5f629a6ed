"""A learner's statistics: today's work, what is due, retention and streak, counted in SQL."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import fsrs
from sqlalchemy import and_, case, func, select

from app.extensions import db
from app.models import Card, Queue, ReviewLog, Term, User
from app.services import progress, study
from app.services.study import study_day

STATE_NAMES = {fsrs.State.Learning.value: "learning", fsrs.State.Review.value: "review",
               fsrs.State.Relearning.value: "relearning"}


@dataclass(frozen=True)
class LearnerStats:
    reviews_today: int  # reviews since the study day began (4 a.m. local time)
    due_today: int  # reviewed cards in the queue (studied, not suspended or buried) due before the study day ends
    retention_30d: float | None  # share of review-state cards recalled (not Again) in 30 days; None: none
    streak_days: int  # consecutive study days with a review, ending today (or yesterday, if none yet today)
    cards_by_state: dict[str, int]  # new, learning, review, relearning, and suspended (also counted by state)


def retention(user_id: int, since: datetime) -> float | None:
    review_state = fsrs.State.Review.value
    judged, recalled = db.session.execute(
        select(func.count(ReviewLog.id), func.sum(case((ReviewLog.rating > 1, 1), else_=0)))
        .where(ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= since,
               ReviewLog.previous_state == review_state)
    ).one()
    return int(recalled) / judged if judged else None


def streak_days(user: User, now: datetime) -> int:
    """Study days in a row with a review, in the learner's own days: the dashboard's current streak."""
    today, days = progress.study_days(user, now)
    return progress.current_streak(days, today)


def learner_stats(user: User, now: datetime) -> LearnerStats:
    day_start, day_end = study_day(user, now)
    reviews_today = db.session.scalar(
        select(func.count(ReviewLog.id)).where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= day_start,
                                               ReviewLog.reviewed_at < now + timedelta(seconds=1))
    )
    due_today = db.session.scalar(
        select(func.count(Card.id)).join(Term, Term.id == Card.term_id)
        .where(study.in_queue(user.id, now), Card.queue != Queue.NEW.value, Card.due < day_end)
    )
    state = case((Card.last_review.is_(None), "new"),
                 *[(Card.state == number, name) for number, name in STATE_NAMES.items()], else_="other")
    by_state = {name: 0 for name in ("new", "learning", "review", "relearning")}
    for name, count in db.session.execute(
        select(state, func.count(Card.id)).where(Card.user_id == user.id).group_by(state)
    ).all():
        by_state[name] = by_state.get(name, 0) + count
    by_state["suspended"] = db.session.scalar(
        select(func.count(Card.id)).where(and_(Card.user_id == user.id, Card.suspended.is_(True)))
    )
    return LearnerStats(
        reviews_today=reviews_today, due_today=due_today,
        retention_30d=retention(user.id, now - timedelta(days=30)),
        streak_days=streak_days(user, now), cards_by_state=by_state,
    )
