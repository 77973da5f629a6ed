"""Reviewing through the API, online and synced from an offline device, with a fixed clock."""
from datetime import timedelta

from app.extensions import db
from app.models import ReviewLog, User
from tests.conftest import FIXED_NOW
from tests.helpers import is_problem


def started(api, deck_id):
    api.post(f"/decks/{deck_id}/study", {"directions": ["recognition"]})
    return [c["id"] for c in api.get(f"/decks/{deck_id}/cards").json["cards"]]


def review(card_id, rating=3, rid=None, at=None, **extra):
    item = {"card_id": card_id, "rating": rating, "client_review_id": f"r-{card_id}-{rating}-{at}" if rid is None else rid}
    if at is not None:
        item["reviewed_at"] = at.isoformat()
    return {**item, **extra}


def test_the_next_card_shows_front_back_and_counts(learner, deck_id):
    started(learner, deck_id)
    body = learner.get("/review/next").json
    assert body["counts"] == {"new": 5, "learning": 0, "review": 0, "learning_ahead": 0, "waiting": None}
    card = body["card"]
    assert card["direction"] == "recognition" and card["front"]["hanzi"] == "过年"
    assert card["back"]["english"] == "word 0" and set(card["intervals"]) == {"1", "2", "3", "4"}
    assert learner.get(f"/review/next?deck_id={deck_id}").json["card"]["id"] == card["id"]
    assert is_problem(learner.get("/review/next?deck_id=424242"), 404)
    assert is_problem(learner.get("/review/next?deck_id=abc"), 400)


def test_nothing_due_is_204(learner):
    response = learner.get("/review/next")
    assert response.status_code == 204 and response.data == b""


def test_grading_online_moves_the_card_and_a_retry_is_a_duplicate(learner, deck_id, clock):
    card_id = started(learner, deck_id)[0]
    batch = {"reviews": [review(card_id, 3, "abc", duration_ms=4000)]}
    first = learner.post("/reviews", batch).json["results"][0]
    assert first["duplicate"] is False and first["card"]["reps"] == 1 and first["card"]["state"] == 1
    again = learner.post("/reviews", batch).json["results"][0]
    assert again["duplicate"] is True and again["card"] == first["card"]
    assert learner.get(f"/cards/{card_id}").json["reps"] == 1


def test_an_offline_batch_is_applied_in_chronological_order(learner, deck_id, session, clock):
    card_id = started(learner, deck_id)[0]
    day = timedelta(days=1)
    t0 = FIXED_NOW - 10 * day
    # Sent out of order: the server sorts by reviewed_at, so all three apply.
    batch = [review(card_id, 3, "c", t0 + 4 * day), review(card_id, 3, "a", t0), review(card_id, 1, "b", t0 + day)]
    results = learner.post("/reviews", {"reviews": batch}).json["results"]
    assert [r["client_review_id"] for r in results] == ["c", "a", "b"]  # answered in request order
    logs = session.scalars(db.select(ReviewLog).order_by(ReviewLog.reviewed_at)).all()
    assert [(log.client_review_id, log.reviewed_at) for log in logs] == [
        ("a", t0), ("b", t0 + day), ("c", t0 + 4 * day)]
    assert results[0]["card"]["reps"] == 3


def test_reviews_of_new_cards_are_accepted_past_the_daily_new_card_limit(learner, deck_id, session, clock):
    cards = started(learner, deck_id)
    user = session.scalars(db.select(User)).first()
    user.new_cards_per_day = 1
    session.commit()
    batch = [review(card_id, 3, at=FIXED_NOW - timedelta(hours=1)) for card_id in cards]
    results = learner.post("/reviews", {"reviews": batch}).json["results"]
    assert all(not r["duplicate"] and r["card"]["reps"] == 1 for r in results) and len(results) == 5


def test_one_bad_review_refuses_the_whole_batch_with_reasons(learner, other_learner, deck_id, clock):
    card_id, second = started(learner, deck_id)[:2]
    theirs = started(other_learner, deck_id)[0]
    learner.post("/reviews", {"reviews": [review(card_id, 3, "first", FIXED_NOW - timedelta(hours=1))]})
    batch = [
        review(second, 3, "ok", FIXED_NOW - timedelta(hours=3)),
        review(card_id, 3, "older", FIXED_NOW - timedelta(hours=2)),  # before the card's last review
        review(second, 3, "future", FIXED_NOW + timedelta(hours=1)),
        review(424242, 3, "unknown"),
        review(theirs, 3, "theirs"),
    ]
    response = learner.post("/reviews", {"reviews": batch})
    assert is_problem(response, 400)
    reasons = {e["client_review_id"]: (e["status"], e["field"]) for e in response.json["errors"]}
    assert reasons == {"older": (400, "reviewed_at"), "future": (400, "reviewed_at"),
                       "unknown": (404, None), "theirs": (404, None)}
    assert learner.get(f"/cards/{second}").json["reps"] == 0  # "ok" was not applied either

    # Asked for partial application, the good review goes through and the others say why not.
    results = learner.post("/reviews", {"reviews": batch, "partial": True}).json["results"]
    assert [r["applied"] for r in results] == [True, False, False, False, False]
    assert results[3]["error"]["status"] == 404 and results[3]["card"] is None
    assert learner.get(f"/cards/{second}").json["reps"] == 1
    assert other_learner.get(f"/cards/{theirs}").json["reps"] == 0


def test_review_input_is_checked(learner, deck_id):
    card_id = started(learner, deck_id)[0]
    naive = {"reviews": [{"card_id": card_id, "rating": 3, "client_review_id": "n",
                          "reviewed_at": "2026-11-20T10:00:00"}]}
    response = learner.post("/reviews", naive)
    assert is_problem(response, 400) and "reviewed_at" in str(response.json["errors"])
    assert is_problem(learner.post("/reviews", {"reviews": [review(card_id, 5)]}), 400)
    assert is_problem(learner.post("/reviews", {"reviews": [review(card_id, 3, rid="")]}), 400)
    assert is_problem(learner.post("/reviews", {"reviews": []}), 400)
    assert is_problem(learner.post("/reviews", {"reviews": "lots"}), 400)
    assert is_problem(learner.post("/reviews", {"reviews": [{"card_id": "x", "rating": 3}]}), 400)
    # A client_review_id already used for another card is refused, not silently merged.
    learner.post("/reviews", {"reviews": [review(card_id, 3, "same")]})
    other_card = started(learner, deck_id)[1]
    assert is_problem(learner.post("/reviews", {"reviews": [review(other_card, 3, "same")]}), 400)


def test_a_card_shows_its_schedule_and_retrievability(learner, other_learner, deck_id, clock):
    card_id = started(learner, deck_id)[0]
    fresh = learner.get(f"/cards/{card_id}").json
    assert fresh["retrievability"] is None and fresh["state"] == 0
    learner.post("/reviews", {"reviews": [review(card_id, 4, "easy")]})
    clock.now += timedelta(days=3)
    card = learner.get(f"/cards/{card_id}").json
    assert set(card) >= {"id", "term_id", "due", "stability", "difficulty", "state", "reps", "lapses", "retrievability"}
    assert card["state"] == 2 and 0 < card["retrievability"] < 1
    assert is_problem(other_learner.get(f"/cards/{card_id}"), 404)
    assert is_problem(learner.get("/cards/99999999"), 404)


def test_a_review_with_a_non_utc_offset_is_scheduled_in_utc(learner, deck_id, session):
    card_id = started(learner, deck_id)[0]
    shanghai = "2026-11-21T19:30:00+08:00"  # 11:30 UTC, half an hour before the clock's noon
    response = learner.post("/reviews", {"reviews": [{"card_id": card_id, "rating": 3, "client_review_id": "sh",
                                                      "reviewed_at": shanghai}]})
    assert response.status_code == 200, response.json
    log = session.scalars(db.select(ReviewLog)).one()
    assert log.reviewed_at == FIXED_NOW - timedelta(minutes=30)
    assert learner.get(f"/cards/{card_id}").json["last_review"].startswith("2026-11-21T11:30:00")


def test_two_reviews_of_one_card_at_the_same_instant_record_one(learner, deck_id, session):
    card_id = started(learner, deck_id)[0]
    at = FIXED_NOW - timedelta(minutes=5)
    first = learner.post("/reviews", {"reviews": [review(card_id, 3, "phone", at)]})
    assert first.status_code == 200
    second = learner.post("/reviews", {"reviews": [review(card_id, 1, "tablet", at)]})
    assert is_problem(second, 400)
    assert second.json["errors"][0]["status"] == 409 and second.json["errors"][0]["field"] == "reviewed_at"
    assert session.scalar(db.select(db.func.count(ReviewLog.id))) == 1


def test_the_api_checks_the_card_version_it_showed(learner, deck_id, session, clock):
    started(learner, deck_id)
    shown = learner.get("/review/next").json["card"]
    stale = dict(card_id=shown["id"], version=shown["version"])
    assert learner.post("/reviews", {"reviews": [review(**stale, rating=3, rid="tab-1")]}).status_code == 200
    clock.now += timedelta(seconds=30)
    response = learner.post("/reviews", {"reviews": [review(**stale, rating=1, rid="tab-2")]})
    assert is_problem(response, 400) and response.json["errors"][0]["status"] == 409
    assert "already graded" in response.json["errors"][0]["detail"]
    assert session.scalar(db.select(db.func.count(ReviewLog.id))) == 1
    # The version the server answers with is the one to send next.
    current = learner.get(f"/cards/{shown['id']}").json
    assert current["version"] == shown["version"] + 1
