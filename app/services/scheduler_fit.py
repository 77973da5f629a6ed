"""Fitting FSRS-6 parameters to one learner's review history, and scoring them as the FSRS benchmark does.

The fit is fsrs-rs's optimizer (the Rust one Anki uses, through fsrs-rs-python). The score is the
benchmark's: the history's FSRS items in time order are cut into six segments; for each of the last
five, parameters are fitted on the segments before it and the segment is predicted with them, so no
review is ever scored by parameters trained on it. All predictions are then pooled into log loss and
RMSE (bins), and FSRS's default parameters are scored on exactly the same reviews. The parameters
kept are those fitted on the whole history, and only when they scored better than the defaults.

Nothing here touches the database except `load_history`; time is always an argument.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import fsrs_rs_python as fsrs_rs
from sqlalchemy import func, select

from app.extensions import db
from app.models import ReviewLog, User
from app.services.study import DAY_STARTS_AT

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)
MIN_REVIEWS = 400  # a fit on less is mostly noise
MIN_DAYS = 14  # ... and so is one on a history shorter than two weeks: few reviews a day or more apart
SPLITS = 5  # fsrs-rs's evaluate_with_time_series_splits: six segments, the last five scored


class NotEnoughData(Exception):
    """The history cannot be fitted or scored (too few reviews a day or more apart)."""


# ---- the history ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CardHistory:
    """One card's reviews, oldest first: the grade (1-4), the whole study days since the card's previous
    review (0 for the first review and for reviews the same study day), and when each happened."""

    card_id: int
    ratings: tuple[int, ...]
    delta_days: tuple[int, ...]
    reviewed_at: tuple[datetime, ...]


@dataclass(frozen=True)
class History:
    cards: list[CardHistory]
    reviews: int  # every review read
    last_review_id: int | None  # the newest review's id: the same (reviews, last id) is the same history

    @property
    def first_review(self) -> datetime | None:
        return min((c.reviewed_at[0] for c in self.cards), default=None)


def study_day_number(moment: datetime, zone: ZoneInfo) -> int:
    """The learner's study day (it turns over at 4 a.m. local time) as a day count: FSRS's unit of time."""
    local = moment.astimezone(zone) - timedelta(hours=DAY_STARTS_AT.hour, minutes=DAY_STARTS_AT.minute)
    return local.date().toordinal()


def load_history(user: User, until: datetime | None = None) -> History:
    """The learner's reviews, card by card, as FSRS counts time (whole study days in their timezone)."""
    query = (select(ReviewLog.id, ReviewLog.card_id, ReviewLog.rating, ReviewLog.reviewed_at)
             .where(ReviewLog.user_id == user.id)
             .order_by(ReviewLog.card_id, ReviewLog.reviewed_at, ReviewLog.id))
    if until is not None:
        query = query.where(ReviewLog.reviewed_at <= until)
    zone = ZoneInfo(user.timezone)
    by_card: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    count, last_id = 0, None
    for review_id, card_id, rating, reviewed_at in db.session.execute(query):
        by_card[card_id].append((rating, reviewed_at))
        count += 1
        last_id = review_id if last_id is None else max(last_id, review_id)
    cards = []
    for card_id, reviews in by_card.items():
        days = [study_day_number(moment, zone) for _, moment in reviews]
        cards.append(CardHistory(
            card_id=card_id, ratings=tuple(rating for rating, _ in reviews),
            delta_days=tuple(0 if i == 0 else days[i] - days[i - 1] for i in range(len(days))),
            reviewed_at=tuple(moment for _, moment in reviews),
        ))
    return History(cards=cards, reviews=count, last_review_id=last_id)


@dataclass(frozen=True)
class Readiness:
    reviews: int
    days: float  # from the first review to now
    ready: bool
    reviews_needed: int
    days_needed: int

    @property
    def message(self) -> str:
        if self.ready:
            return f"{self.reviews} reviews over {int(self.days)} days: enough to fit your own parameters."
        missing = []
        if self.reviews_needed:
            missing.append(f"{self.reviews_needed} more review{'s' if self.reviews_needed != 1 else ''}")
        if self.days_needed:
            missing.append(f"{self.days_needed} more day{'s' if self.days_needed != 1 else ''}")
        return (f"Optimising needs at least {MIN_REVIEWS} reviews over at least {MIN_DAYS} days. You have "
                f"{self.reviews} review{'s' if self.reviews != 1 else ''} over {int(self.days)} "
                f"day{'s' if int(self.days) != 1 else ''}: {' and '.join(missing)} to go.")


def readiness(user: User, now: datetime) -> Readiness:
    """Whether the learner's history is long enough to optimise, and what is missing otherwise."""
    count, first = db.session.execute(
        select(func.count(ReviewLog.id), func.min(ReviewLog.reviewed_at)).where(ReviewLog.user_id == user.id)
    ).one()
    if first is not None and first.tzinfo is None:  # an aggregate skips the column type on SQLite
        first = first.replace(tzinfo=now.tzinfo)
    days = max(0.0, (now - first).total_seconds() / 86400) if first is not None else 0.0
    reviews_needed = max(0, MIN_REVIEWS - count)
    days_needed = max(0, math.ceil(MIN_DAYS - days))
    return Readiness(count, days, reviews_needed == 0 and days_needed == 0, reviews_needed, days_needed)


# ---- FSRS items -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """One review to predict: the `index`-th review of card number `card` (in History.cards), made
    `delta_days` whole days after the one before. FSRS learns from and scores only such reviews."""

    when: datetime
    card: int
    index: int


def targets(history: History) -> list[Target]:
    """Every review a day or more after its card's previous one, in the order they happened."""
    found = [Target(card.reviewed_at[i], c, i)
             for c, card in enumerate(history.cards)
             for i in range(1, len(card.ratings)) if card.delta_days[i] > 0]
    found.sort(key=lambda t: (t.when, t.card, t.index))
    return found


def _item(card: CardHistory, upto: int) -> fsrs_rs.FSRSItem:
    return fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(card.ratings[i], card.delta_days[i]) for i in range(upto + 1)])


def compute_parameters(history: History, chosen: list[Target]) -> list[float]:
    """fsrs-rs's optimizer on these reviews (each with its card's earlier reviews as context)."""
    items = [_item(history.cards[t.card], t.index) for t in chosen]
    try:
        parameters = fsrs_rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(items)
    except Exception as error:  # fsrs-rs raises on data it cannot train on (too little, degenerate)
        raise NotEnoughData(f"fsrs-rs could not fit these reviews ({error}).") from error
    if len(parameters) != len(DEFAULT_PARAMETERS) or not all(math.isfinite(w) for w in parameters):
        raise NotEnoughData("fsrs-rs returned no parameters for these reviews.")
    return [float(w) for w in parameters]


def retrievability(parameters, stability: float, days: float) -> float:
    """FSRS-6's forgetting curve: the probability of recall `days` after a review that left `stability`."""
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    return (1 + factor * days / stability) ** decay


def predict(parameters, history: History, chosen: list[Target]) -> list[float]:
    """The recall probability these parameters gave each chosen review, from its card's earlier reviews."""
    cards = sorted({t.card for t in chosen})
    items = [_item(history.cards[c], len(history.cards[c].ratings) - 1) for c in cards]
    states = dict(zip(cards, fsrs_rs.FSRS(list(parameters)).historical_memory_state_batch(items)))
    return [retrievability(parameters, states[t.card][t.index - 1].stability, history.cards[t.card].delta_days[t.index])
            for t in chosen]


# ---- scoring ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Score:
    log_loss: float
    rmse_bins: float  # 0-1
    reviews: int  # reviews scored


def _bin(delta: int, long_term_reviews: int, lapses: int) -> tuple[int, int, int]:
    """The FSRS benchmark's RMSE bins: by interval, by number of reviews a day or more apart (this one
    included), and by lapses before it."""
    interval_bin = round(2.48 * 3.62 ** math.floor(math.log(delta, 3.62)) * 100)
    length_bin = round(1.99 * 1.89 ** math.floor(math.log(long_term_reviews + 1, 1.89)))
    lapse_bin = 0 if lapses == 0 else round(1.65 * 1.73 ** math.floor(math.log(lapses, 1.73)))
    return interval_bin, length_bin, lapse_bin


def _running_counts(card: CardHistory) -> tuple[list[int], list[int]]:
    """For each review: reviews a day or more apart up to it, and lapses (Again a day or more on) before it."""
    long_term, lapses, n, lapsed = [], [], 0, 0
    for rating, delta in zip(card.ratings, card.delta_days):
        lapses.append(lapsed)
        n += delta > 0
        lapsed += rating == 1 and delta > 0
        long_term.append(n)
    return long_term, lapses


def score(history: History, chosen: list[Target], predictions: list[float]) -> Score:
    """Log loss and RMSE (bins) of predictions against what happened (recalled: any grade but Again)."""
    if not chosen:
        raise NotEnoughData("There are no reviews to score.")
    counts: dict[int, tuple[list[int], list[int]]] = {}
    loss = 0.0
    bins: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for target, p in zip(chosen, predictions):
        card = history.cards[target.card]
        if target.card not in counts:
            counts[target.card] = _running_counts(card)
        long_term, lapses = counts[target.card]
        recalled = card.ratings[target.index] > 1
        p = min(max(p, 1e-7), 1 - 1e-7)
        loss -= math.log(p) if recalled else math.log(1 - p)
        cell = bins[_bin(card.delta_days[target.index], long_term[target.index], lapses[target.index])]
        cell[0] += p
        cell[1] += recalled
        cell[2] += 1
    rmse = math.sqrt(sum((pred / n - real / n) ** 2 * n for pred, real, n in bins.values()) / len(chosen))
    return Score(loss / len(chosen), rmse, len(chosen))


@dataclass(frozen=True)
class FitResult:
    parameters: list[float]  # fitted on the whole history
    default: Score  # FSRS's defaults on the scored reviews
    fitted: Score  # parameters fitted on earlier reviews, on the same scored reviews

    @property
    def better(self) -> bool:
        """Keep the fitted parameters only when they predict the learner better by both measures."""
        return (self.fitted.log_loss < self.default.log_loss and self.fitted.rmse_bins <= self.default.rmse_bins
                and self.parameters != list(DEFAULT_PARAMETERS))


def time_series_folds(chosen: list[Target], splits: int = SPLITS) -> list[tuple[list[Target], list[Target]]]:
    """(train, test) pairs in time order: segment k+1 is scored by parameters fitted on segments 0..k."""
    size = len(chosen) // (splits + 1)
    if size == 0:
        raise NotEnoughData(f"Fewer than {splits + 1} reviews a day or more apart.")
    return [(chosen[:(k + 1) * size], chosen[(k + 1) * size:(k + 2) * size if k < splits - 1 else len(chosen)])
            for k in range(splits)]


def fit(history: History) -> FitResult:
    """Fit the learner's parameters and score them against the defaults on later reviews (see the module)."""
    chosen = targets(history)
    folds = time_series_folds(chosen)
    scored, fitted_predictions = [], []
    for train, test in folds:
        fitted_predictions += predict(compute_parameters(history, train), history, test)
        scored += test
    default = score(history, scored, predict(DEFAULT_PARAMETERS, history, scored))
    fitted = score(history, scored, fitted_predictions)
    parameters = compute_parameters(history, chosen)
    fsrs.Scheduler(parameters=parameters)  # py-fsrs must accept them: it is what schedules the cards
    return FitResult(parameters, default, fitted)
