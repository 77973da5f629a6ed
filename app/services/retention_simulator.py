"""Choosing a desired retention with numbers: FSRS's own simulator (fsrs-rs) run with the learner's
parameters, card count, daily limits and, where their history is long enough, their own grades and
answer times, for retentions from 0.70 to 0.97.

Each run simulates a year of studying the learner's cards from scratch and reports the daily workload
(reviews and minutes) and the knowledge at the end (cards the model expects them to recall).
"""
from __future__ import annotations

from dataclasses import dataclass

import fsrs_rs_python as fsrs_rs
from sqlalchemy import func, select

from app.extensions import db
from app.models import Card, ReviewLog, User
from app.services.accounts import parse_steps
from app.services.scheduler_fit import DEFAULT_PARAMETERS

RETENTIONS = (0.70, 0.73, 0.76, 0.79, 0.82, 0.85, 0.88, 0.91, 0.94, 0.97)
DAYS = 365
EXAMPLE_CARDS = 1000  # simulated when the learner has no cards yet
MIN_SAMPLES = 30  # reviews needed before the learner's own grades or times replace FSRS's averages
SEED = 2026  # every retention sees the same simulated learner, so differences come from retention alone


@dataclass(frozen=True)
class WorkloadPoint:
    retention: float
    reviews_per_day: float  # reviews and new cards, averaged over the year
    minutes_per_day: float
    remembered: float  # cards expected to be recalled at the end of the year

    @property
    def remembered_per_minute(self) -> float:
        minutes = self.minutes_per_day * DAYS
        return self.remembered / minutes if minutes else 0.0


@dataclass(frozen=True)
class Simulation:
    cards: int
    new_per_day: int
    max_reviews_per_day: int
    personal_grades: bool  # grade shares from the learner's history (else FSRS's averages)
    personal_times: bool  # answer times from the learner's history (else FSRS's averages)
    personalised: bool  # the learner's own parameters (else FSRS's defaults)
    points: list[WorkloadPoint]

    def nearest(self, retention: float) -> WorkloadPoint:
        return min(self.points, key=lambda p: abs(p.retention - retention))

    @property
    def most_efficient(self) -> WorkloadPoint:
        return max(self.points, key=lambda p: p.remembered_per_minute)


def _state_row(previous_state: int) -> int:
    """fsrs-rs's cost table rows: 0 learning (and new), 1 review, 2 relearning."""
    return {0: 0, 1: 0, 2: 1, 3: 2}[previous_state]


def simulator_config(user: User, cards: int) -> tuple[fsrs_rs.SimulatorConfig, bool, bool]:
    config = fsrs_rs.default_simulator_config()
    config.deck_size = cards
    config.learn_span = DAYS
    config.learn_limit = user.new_cards_per_day
    config.review_limit = user.max_reviews_per_day
    config.max_cost_perday = 24 * 3600.0  # the learner's own limits bound the day, not a time budget
    config.learning_step_count = len(parse_steps(user.learning_steps))
    config.relearning_step_count = len(parse_steps(user.relearning_steps))

    rows = db.session.execute(
        select(ReviewLog.previous_state, ReviewLog.rating, func.count(ReviewLog.id), func.avg(ReviewLog.duration_ms))
        .where(ReviewLog.user_id == user.id).group_by(ReviewLog.previous_state, ReviewLog.rating)
    ).all()
    first = {rating: n for state, rating, n, _ in rows if state == 0}
    passed = {rating: n for state, rating, n, _ in rows if state == 2 and rating > 1}
    personal_grades = sum(first.values()) >= MIN_SAMPLES and sum(passed.values()) >= MIN_SAMPLES
    if personal_grades:
        config.first_rating_prob = [first.get(r, 0) / sum(first.values()) for r in (1, 2, 3, 4)]
        config.review_rating_prob = [passed.get(r, 0) / sum(passed.values()) for r in (2, 3, 4)]
    costs = [list(row) for row in config.state_rating_costs]
    timed = 0
    for state, rating, n, average_ms in rows:
        if average_ms is not None and n >= MIN_SAMPLES // 3:
            costs[_state_row(state)][rating - 1] = min(max(float(average_ms) / 1000, 1.0), 120.0)
            timed += n
    personal_times = timed >= MIN_SAMPLES
    if personal_times:
        config.state_rating_costs = costs
    return config, personal_grades, personal_times


def simulate(user: User, retentions=RETENTIONS) -> Simulation:
    cards = db.session.scalar(select(func.count(Card.id))
                              .where(Card.user_id == user.id, Card.suspended.is_(False))) or EXAMPLE_CARDS
    config, personal_grades, personal_times = simulator_config(user, cards)
    parameters = list(user.fsrs_parameters or DEFAULT_PARAMETERS)
    points = []
    for retention in sorted(set(retentions) | {round(user.desired_retention, 2)}):
        result = fsrs_rs.simulate(parameters, retention, config, SEED)
        reviews = [r + n for r, n in zip(result.review_cnt_per_day, result.learn_cnt_per_day)]
        points.append(WorkloadPoint(retention, sum(reviews) / DAYS, sum(result.cost_per_day) / DAYS / 60,
                                    result.memorized_cnt_per_day[-1]))
    return Simulation(cards, user.new_cards_per_day, user.max_reviews_per_day, personal_grades, personal_times,
                      user.fsrs_parameters is not None, points)
