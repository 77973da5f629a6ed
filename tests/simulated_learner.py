"""Test helpers for personal scheduling: a learner whose memory follows known FSRS parameters.

`TRUE_PARAMETERS` describe a learner quite unlike FSRS's average one: first memories half as stable
or less, and each successful review makes them less stable than FSRS expects. On FSRS's default
schedule they forget far more often than it predicts; a fit on their history should find out why.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import fsrs

from app.services.scheduler_fit import DEFAULT_PARAMETERS

TRUE_PARAMETERS = list(DEFAULT_PARAMETERS)
TRUE_PARAMETERS[0:4] = [0.1, 0.6, 1.2, 4.0]  # initial stability after Again, Hard, Good, Easy (days)
TRUE_PARAMETERS[8] = 1.2  # how much a successful review increases stability (default 1.8722)


class Memory:
    """What the learner really remembers: one fsrs.Card per app card, moved by the true parameters."""

    def __init__(self, seed: int, parameters=TRUE_PARAMETERS):
        self.rng = random.Random(seed)
        self.scheduler = fsrs.Scheduler(parameters=parameters, enable_fuzzing=False)
        self.cards: dict[int, fsrs.Card] = {}

    def grade(self, card_id: int, when: datetime) -> int:
        """The grade the learner gives now: Again with probability 1 - R, else mostly Good."""
        card = self.cards.get(card_id)
        if card is None or card.last_review is None:
            rating = self.rng.choices([1, 2, 3, 4], [0.2, 0.1, 0.55, 0.15])[0]
        else:
            recall = self.scheduler.get_card_retrievability(card, when)
            rating = 1 if self.rng.random() > recall else self.rng.choices([2, 3, 4], [0.15, 0.75, 0.1])[0]
        card = card or fsrs.Card(card_id=card_id, due=when)
        self.cards[card_id], _ = self.scheduler.review_card(card, fsrs.Rating(rating), when)
        return rating


def offline_history(card_ids: list[int], start: datetime, days: int, seed: int,
                    parameters=TRUE_PARAMETERS) -> list[dict]:
    """Reviews this learner makes over `days` on FSRS's default schedule (as the app gives before any
    optimisation), often late by up to twice the interval, as a phone syncing later would send them.
    Their grades follow their own memory (`parameters`). Oldest first."""
    rng = random.Random(seed)
    memory = Memory(seed, parameters)
    schedule = fsrs.Scheduler(enable_fuzzing=False)
    end = start + timedelta(days=days)
    history = []
    for card_id in card_ids:
        when = start + timedelta(days=rng.uniform(0, days / 3), minutes=rng.randrange(0, 600))
        card, n = fsrs.Card(card_id=card_id, due=when), 0
        while when < end:
            rating = memory.grade(card_id, when)
            history.append({"card_id": card_id, "rating": rating, "client_review_id": f"{card_id}-{n}",
                            "reviewed_at": when, "duration_ms": rng.randrange(1500, 15000)})
            card, _ = schedule.review_card(card, fsrs.Rating(rating), when)
            n += 1
            gap = card.due - when
            when = (when + gap * rng.uniform(0.7, 2.5)) if gap > timedelta(days=1) \
                else card.due + timedelta(minutes=rng.randrange(0, 30))
    history.sort(key=lambda review: review["reviewed_at"])
    return history


def sync(api, history: list[dict], batch: int = 500) -> None:
    """Send reviews through POST /api/v1/reviews, oldest first."""
    for i in range(0, len(history), batch):
        body = {"reviews": [{**r, "reviewed_at": r["reviewed_at"].isoformat()} for r in history[i:i + batch]]}
        response = api.post("/reviews", body)
        assert response.status_code == 200, response.json


def history_of(reviews: list[dict], zone: str = "UTC"):
    """The same reviews as services.scheduler_fit.load_history would read them from the database."""
    from zoneinfo import ZoneInfo

    from app.services.scheduler_fit import CardHistory, History, study_day_number

    by_card: dict[int, list[dict]] = {}
    for review in sorted(reviews, key=lambda r: r["reviewed_at"]):
        by_card.setdefault(review["card_id"], []).append(review)
    cards = []
    for card_id, card_reviews in by_card.items():
        days = [study_day_number(r["reviewed_at"], ZoneInfo(zone)) for r in card_reviews]
        cards.append(CardHistory(card_id, tuple(r["rating"] for r in card_reviews),
                                 tuple(0 if i == 0 else days[i] - days[i - 1] for i in range(len(days))),
                                 tuple(r["reviewed_at"] for r in card_reviews)))
    return History(cards, len(reviews), None)


def study_through_the_api(api, clock, days: int, memory: Memory, renew_token) -> int:
    """The learner opens the app at 08:00 UTC every day for `days` days and works through the queue:
    GET /review/next, answer from memory, POST /reviews, about 20 seconds a card. Returns the reviews.

    `renew_token()` is called every 25 days (tokens live 30) and returns a fresh bearer token.
    """
    reviews = 0
    first_day = clock.now.replace(hour=8, minute=0, second=0, microsecond=0)
    for day in range(days):
        if day % 25 == 0:
            api.token = renew_token()
        clock.now = first_day + timedelta(days=day)
        while True:
            response = api.get("/review/next")
            if response.status_code == 204:
                break
            assert response.status_code == 200, response.json
            card_id = response.json["card"]["id"]
            rating = memory.grade(card_id, clock.now)
            body = {"reviews": [{"card_id": card_id, "rating": rating, "client_review_id": f"{card_id}-{reviews}",
                                 "duration_ms": 8000}]}
            result = api.post("/reviews", body)
            assert result.status_code == 200 and result.json["results"][0]["applied"], result.json
            reviews += 1
            clock.now += timedelta(seconds=20)
    return reviews


def make_big_deck(app, terms: int) -> int:
    """A built-in deck of `terms` made-up words (词0, 词1, ...); returns its id."""
    from app.extensions import db
    from app.models import Deck, Term

    with app.app_context():
        deck = Deck(title=f"Simulated {terms}", builtin=True)
        deck.terms = [Term(simplified=f"词{i}", english=f"word {i}", position=i) for i in range(terms)]
        db.session.add(deck)
        db.session.commit()
        return deck.id
