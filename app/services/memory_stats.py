"""What the learner's memory model says: how well it predicted their reviews (calibration), how stable
and difficult their cards are, and one card's forgetting curve with its reviews on it.

Predictions use the parameters that schedule the learner now (their own once an optimisation kept
some), through the same code that scores an optimisation (services.scheduler_fit).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import fsrs
from sqlalchemy import case, func, select

from app.extensions import db
from app.models import Card, ReviewLog, Term, User
from app.services import scheduler_fit
from app.services.study import get_own_card, scheduler_for

# Predicted recall bins: most reviews are predicted at 80-100 %, so the top is cut finer.
CALIBRATION_EDGES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0)
STABILITY_BUCKETS = ((0, 1, "< 1 day"), (1, 3, "1–3 days"), (3, 7, "3–7 days"), (7, 21, "1–3 weeks"),
                     (21, 90, "3 weeks – 3 months"), (90, 365, "3–12 months"), (365, None, "> 1 year"))
DIFFICULTY_BUCKETS = tuple((low, low + 1, f"{low}–{low + 1}") for low in range(1, 10))


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    reviews: int
    predicted: float  # mean predicted recall, 0-1
    actual: float  # share recalled (not Again), 0-1


@dataclass(frozen=True)
class Calibration:
    bins: list[CalibrationBin]  # only bins with reviews
    reviews: int
    score: scheduler_fit.Score | None  # log loss and RMSE (bins) of these predictions
    personalised: bool


def calibration(user: User) -> Calibration:
    """Predicted recall against what happened, for every review a day or more after the card's previous one."""
    parameters = user.fsrs_parameters or scheduler_fit.DEFAULT_PARAMETERS
    history = scheduler_fit.load_history(user)
    targets = scheduler_fit.targets(history)
    if not targets:
        return Calibration([], 0, None, user.fsrs_parameters is not None)
    predictions = scheduler_fit.predict(parameters, history, targets)
    sums = [[0, 0.0, 0] for _ in CALIBRATION_EDGES[1:]]
    for target, p in zip(targets, predictions):
        index = next(i for i, high in enumerate(CALIBRATION_EDGES[1:]) if p < high or high == 1.0)
        cell = sums[index]
        cell[0] += 1
        cell[1] += p
        cell[2] += history.cards[target.card].ratings[target.index] > 1
    bins = [CalibrationBin(CALIBRATION_EDGES[i], CALIBRATION_EDGES[i + 1], n, total / n, recalled / n)
            for i, (n, total, recalled) in enumerate(sums) if n]
    return Calibration(bins, len(targets), scheduler_fit.score(history, targets, predictions),
                       user.fsrs_parameters is not None)


@dataclass(frozen=True)
class Bucket:
    label: str
    cards: int


def _buckets(user: User, column, buckets) -> list[Bucket]:
    label = case(*[((column >= low) if high is None else ((column >= low) & (column < high)), name)
                   for low, high, name in buckets], else_=buckets[-1][2])
    counts = dict(db.session.execute(
        select(label, func.count(Card.id))
        .where(Card.user_id == user.id, Card.last_review.is_not(None), Card.suspended.is_(False),
               column.is_not(None))
        .group_by(label)
    ).all())
    return [Bucket(name, counts.get(name, 0)) for _, _, name in buckets]


def stability_distribution(user: User) -> list[Bucket]:
    """Reviewed, unsuspended cards by stability: the days until recall falls to 90 %."""
    return _buckets(user, Card.stability, STABILITY_BUCKETS)


def difficulty_distribution(user: User) -> list[Bucket]:
    """Reviewed, unsuspended cards by FSRS difficulty, 1 (easiest) to 10 (hardest)."""
    return _buckets(user, Card.difficulty, DIFFICULTY_BUCKETS)


# ---- one card's forgetting curve --------------------------------------------------------------

@dataclass(frozen=True)
class CurveReview:
    reviewed_at: datetime
    day: float  # days since the card's first review
    rating: int
    recall_before: float | None  # predicted recall just before this review (None: the first one)
    stability_after: float  # days


@dataclass(frozen=True)
class ForgettingCurve:
    card: Card
    reviews: list[CurveReview]
    points: list[tuple[float, float]]  # (days since the first review, predicted recall 0-1)
    recall_now: float | None


def reviewed_cards(user: User, limit: int = 100) -> list[tuple[int, str]]:
    """The learner's most recently reviewed cards, for choosing one: (card id, "过年 · recognition")."""
    rows = db.session.execute(
        select(Card.id, Term.simplified, Card.direction).join(Term, Term.id == Card.term_id)
        .where(Card.user_id == user.id, Card.last_review.is_not(None))
        .order_by(Card.last_review.desc(), Card.id).limit(limit)
    ).all()
    return [(card_id, f"{word} · {direction.value}") for card_id, word, direction in rows]


def forgetting_curve(user: User, card_id: int, now: datetime, samples: int = 24) -> ForgettingCurve:
    """The card's reviews replayed with the learner's scheduler, and its predicted recall between them
    and on to now. Raises NotFound for another learner's card."""
    card = get_own_card(user, card_id)
    scheduler = scheduler_for(user, fuzz=False)
    logs = db.session.execute(
        select(ReviewLog.rating, ReviewLog.reviewed_at).where(ReviewLog.card_id == card.id)
        .order_by(ReviewLog.reviewed_at, ReviewLog.id)
    ).all()
    if not logs:
        return ForgettingCurve(card, [], [], None)
    first = logs[0].reviewed_at
    state = fsrs.Card(card_id=card.id, due=first)

    def days(moment):
        return (moment - first).total_seconds() / 86400

    def recall(after, moment):  # FSRS's forgetting curve, read at fractional days for a smooth drawing
        return scheduler_fit.retrievability(scheduler.parameters, after.stability, days(moment) - days(after.last_review))

    reviews, points = [], []
    for rating, moment in logs:
        before = recall(state, moment) if state.last_review else None
        if state.last_review is not None:
            points += _segment(state, moment, recall, days, samples)
        state, _ = scheduler.review_card(state, fsrs.Rating(rating), moment)
        reviews.append(CurveReview(moment, days(moment), rating, before, state.stability))
    points += _segment(state, max(now, state.due), recall, days, samples)
    return ForgettingCurve(card, reviews, points, recall(state, now) if now >= state.last_review else None)


def _segment(state, end: datetime, recall, days, samples: int) -> list[tuple[float, float]]:
    """Predicted recall from the card's last review to `end`, at `samples` evenly spaced moments."""
    start = state.last_review
    moments = [start + (end - start) * (i / samples) for i in range(samples + 1)] if end > start else [start]
    return [(days(m), recall(state, m)) for m in moments]
