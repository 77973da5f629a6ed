"""A real-sized review history synced through POST /reviews ends where fsrs.Scheduler says it must."""
import random
from datetime import timedelta

import fsrs
import pytest

from app.services import fit_worker
from tests.conftest import FIXED_NOW
from tests.helpers import make_deck
from tests.simulated_learner import make_big_deck, offline_history, sync

TERMS = 20
CARDS = 2 * TERMS  # recognition and recall
DAYS = 180
BATCH = 75


def simulate(card_ids: list[int], start, seed: int = 6) -> list[dict]:
    """A learner reviewing each card roughly when due for six months, forgetting now and then.

    Reviews happen a little after the card is due (minutes to days late), as on a real phone;
    grades follow the card's recall probability. Returns reviews in the order they happened.
    """
    rng = random.Random(seed)
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    end = start + timedelta(days=DAYS)
    history = []
    for card_id in card_ids:
        card = fsrs.Card(card_id=card_id, due=start)
        when = start + timedelta(minutes=rng.randrange(0, 600))
        n = 0
        while when < end:
            recall = scheduler.get_card_retrievability(card, when) if card.last_review else 0.5
            rating = (fsrs.Rating.Again if rng.random() > recall else
                      rng.choices([fsrs.Rating.Hard, fsrs.Rating.Good, fsrs.Rating.Easy], [2, 7, 1])[0])
            history.append({"card_id": card_id, "rating": rating.value, "client_review_id": f"{card_id}-{n}",
                            "reviewed_at": when, "duration_ms": rng.randrange(1500, 15000)})
            card, _ = scheduler.review_card(card, rating, when)
            n += 1
            late = timedelta(minutes=rng.randrange(0, 90)) if card.due - when < timedelta(days=1) \
                else timedelta(hours=rng.randrange(0, 72))
            when = max(card.due, when + timedelta(seconds=1)) + late
    history.sort(key=lambda review: review["reviewed_at"])
    return history


def replay(history: list[dict], start, parameters=fsrs.scheduler.DEFAULT_PARAMETERS) -> dict[int, fsrs.Card]:
    scheduler = fsrs.Scheduler(parameters=parameters, enable_fuzzing=False)
    cards: dict[int, fsrs.Card] = {}
    for review in history:
        card = cards.get(review["card_id"]) or fsrs.Card(card_id=review["card_id"], due=start)
        cards[review["card_id"]], _ = scheduler.review_card(card, fsrs.Rating(review["rating"]), review["reviewed_at"])
    return cards


@pytest.fixture
def deck_id(app) -> int:
    with app.app_context():
        return make_deck(TERMS).id


def test_six_months_of_offline_reviews_match_fsrs_replaying_them(learner, deck_id, clock):
    start = FIXED_NOW - timedelta(days=DAYS + 1)
    clock.now = start
    learner.post(f"/decks/{deck_id}/study", {"directions": ["recognition", "recall"]})
    card_ids = [c["id"] for c in learner.get(f"/decks/{deck_id}/cards").json["cards"]]
    assert len(card_ids) == CARDS
    history = simulate(card_ids, start)
    assert len(history) >= 300, len(history)

    clock.now = FIXED_NOW
    rng = random.Random(7)
    for i in range(0, len(history), BATCH):
        batch = history[i:i + BATCH]
        rng.shuffle(batch)  # the server puts each batch in order itself
        body = {"reviews": [{**r, "reviewed_at": r["reviewed_at"].isoformat()} for r in batch]}
        response = learner.post("/reviews", body)
        assert response.status_code == 200, response.json
        assert not any(result["duplicate"] for result in response.json["results"])
    # Syncing the first batch again (a lost response, retried) changes nothing.
    first = {"reviews": [{**r, "reviewed_at": r["reviewed_at"].isoformat()} for r in history[:BATCH]]}
    assert all(result["duplicate"] for result in learner.post("/reviews", first).json["results"])

    expected = replay(history, start)
    for card_id in card_ids:
        stored = learner.get(f"/cards/{card_id}").json
        reference = expected[card_id]
        assert stored["stability"] == pytest.approx(reference.stability, rel=1e-9)
        assert stored["difficulty"] == pytest.approx(reference.difficulty, rel=1e-9)
        assert stored["state"] == reference.state.value
        assert stored["reps"] == sum(1 for r in history if r["card_id"] == card_id)



def test_with_fitted_parameters_offline_reviews_still_match_fsrs_replaying_them(app, learner, clock):
    """Qin optimises on six months of one deck; six months of another deck, synced afterwards, end exactly
    where fsrs.Scheduler(parameters=<Qin's fitted parameters>) says."""
    start = FIXED_NOW - timedelta(days=DAYS + 1)
    clock.now = start
    decks = [make_big_deck(app, 200), make_big_deck(app, TERMS)]
    cards = []
    for deck in decks:
        learner.post(f"/decks/{deck}/study", {"directions": ["recognition", "recall"]})
        cards.append([c["id"] for c in learner.get(f"/decks/{deck}/cards").json["cards"]])
    clock.now = FIXED_NOW
    sync(learner, offline_history(cards[0], start, DAYS, seed=5))
    assert learner.post("/me/scheduler/optimize").status_code == 202
    with app.app_context():
        assert fit_worker.run_pending(now=FIXED_NOW) == 1
    scheduler = learner.get("/me/scheduler").json
    assert scheduler["personalised"] is True
    fitted = scheduler["parameters"]
    assert fitted != pytest.approx(list(fsrs.scheduler.DEFAULT_PARAMETERS))

    history = simulate(cards[1], start, seed=8)
    sync(learner, history, batch=BATCH)
    expected = replay(history, start, fitted)
    defaults = replay(history, start)
    differs = 0
    for card_id in cards[1]:
        stored = learner.get(f"/cards/{card_id}").json
        assert stored["stability"] == pytest.approx(expected[card_id].stability, rel=1e-9)
        assert stored["difficulty"] == pytest.approx(expected[card_id].difficulty, rel=1e-9)
        assert stored["state"] == expected[card_id].state.value
        differs += stored["stability"] != pytest.approx(defaults[card_id].stability, rel=1e-3)
    assert differs > len(cards[1]) / 2  # and it is not what the defaults would give
