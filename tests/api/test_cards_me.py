"""The API's side of the daily loop: the card browser, changing cards, their history, undo, study more,
every study setting at /me, audio on every card, and the learner's script."""
from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from tests.helpers import is_problem


def _study(learner, deck_id, directions=("recognition",)):
    assert learner.post(f"/decks/{deck_id}/study", {"directions": list(directions)}).status_code == 200


def _patch(api, path, body):
    return api.client.patch("/api/v1" + path, json=body, headers=api._headers(None))


def test_browse_cards_in_pages_and_change_one(learner, deck_id):
    _study(learner, deck_id)
    listing = learner.get("/cards", query_string={"per_page": 2, "sort": "hanzi"})
    assert listing.status_code == 200 and listing.headers["X-Total-Count"] == "5"
    assert len(listing.json["cards"]) == 2 and 'rel="next"' in listing.headers["Link"]
    card = learner.get("/cards", query_string={"q": "过年"}).json["cards"][0]
    assert card["hanzi"] == "过年" and card["queue"] == "new" and card["audio_url"].endswith(".wav")
    assert card["audio_url"].startswith("http")  # absolute, for any client
    changed = _patch(learner, f"/cards/{card['id']}", {"suspended": True})
    assert changed.status_code == 200 and changed.json["suspended"] is True
    assert [c["id"] for c in learner.get("/cards", query_string={"suspended": "true"}).json["cards"]] == [card["id"]]
    undone = learner.post("/review/undo")
    assert undone.status_code == 200 and undone.json == {"undone": "Suspend 过年", "kind": "suspend",
                                                         "card_id": card["id"]}
    assert learner.get(f"/cards/{card['id']}").json["suspended"] is False
    assert _patch(learner, f"/cards/{card['id']}", {"note": "家"}).json["note"] == "家"
    assert is_problem(_patch(learner, f"/cards/{card['id']}", {}), 400)
    assert is_problem(_patch(learner, f"/cards/{card['id']}", {"suspended": "perhaps"}), 400)
    assert is_problem(learner.get("/cards", query_string={"state": "sleeping"}), 400)


def test_a_cards_reviews_forget_and_another_learners_card(learner, other_learner, deck_id, clock):
    _study(learner, deck_id)
    card = learner.get("/review/next").json["card"]
    learner.post("/reviews", {"reviews": [{"card_id": card["id"], "rating": 3, "client_review_id": "r1",
                                           "duration_ms": 3000}]})
    reviews = learner.get(f"/cards/{card['id']}/reviews")
    assert reviews.status_code == 200 and reviews.headers["X-Total-Count"] == "1"
    row = reviews.json["reviews"][0]
    assert row["rating"] == 3 and row["duration_ms"] == 3000 and abs(row["interval_days"] - 10 / 1440) < 1e-6
    forgotten = _patch(learner, f"/cards/{card['id']}", {"forget": True})
    assert forgotten.json["queue"] == "new" and forgotten.json["reps"] == 0
    assert learner.get(f"/cards/{card['id']}/reviews").headers["X-Total-Count"] == "1"  # history kept
    assert is_problem(other_learner.get(f"/cards/{card['id']}/reviews"), 404)
    assert is_problem(_patch(other_learner, f"/cards/{card['id']}", {"suspended": True}), 404)
    assert is_problem(other_learner.post("/review/undo"), 400)


def test_every_card_can_be_heard_but_a_recall_front_is_silent(learner, deck_id, client):
    _study(learner, deck_id, ("recall",))
    card = learner.get("/review/next").json["card"]
    assert card["direction"] == "recall"
    assert card["audio_url"] is None and "audio_url" not in card["front"] and "speak" not in card["front"]
    audio = client.get(card["back"]["audio_url"])
    assert audio.status_code == 200 and audio.mimetype == "audio/wav" and len(audio.data) > 1000
    _study(learner, deck_id, ("listening",))
    listening = learner.get("/review/next").json["card"]
    assert listening["front"]["audio_url"] == listening["audio_url"]
    terms = learner.get(f"/decks/{deck_id}").json["terms"]
    assert all(term["audio_url"] for term in terms)


def test_me_reads_and_changes_every_study_setting(learner):
    me = learner.get("/me").json
    assert me["timezone"] == "UTC" and me["script"] == "simplified" and me["voice"] == "browser"
    assert set(me) >= {"desired_retention", "new_cards_per_day", "max_reviews_per_day", "learning_steps",
                       "relearning_steps", "tone_colors"}
    changed = _patch(learner, "/me", {"timezone": "Asia/Shanghai", "script": "traditional", "voice": "server",
                                      "new_cards_per_day": 7})
    assert changed.status_code == 200
    assert (changed.json["timezone"], changed.json["script"], changed.json["voice"],
            changed.json["new_cards_per_day"]) == ("Asia/Shanghai", "traditional", "server", 7)
    # All or nothing: a bad value changes none of them.
    bad = _patch(learner, "/me", {"new_cards_per_day": 9, "timezone": "Mars/Olympus"})
    assert is_problem(bad, 400) and bad.json["field"] == "timezone"
    assert learner.get("/me").json["new_cards_per_day"] == 7
    assert is_problem(_patch(learner, "/me", {"favourite": "tea"}), 400)


def test_the_api_follows_the_learners_script(learner, deck_id, app):
    from app.models import Term

    with app.app_context():
        term = db.session.scalar(db.select(Term).where(Term.simplified == "过年"))
        term.example_zh, term.note = "过年的时候，他们坐火车回家。", "春节是农历新年。"
        db.session.commit()
    _study(learner, deck_id)
    _patch(learner, "/me", {"script": "traditional"})
    back = learner.get("/review/next").json["card"]["back"]
    assert back["hanzi"] == "過年" and back["simplified"] == "过年"
    assert back["example_zh"] == "過年的時候，他們坐火車回家。" and back["note"] == "春節是農曆新年。"
    assert back["example_audio_url"].endswith(".wav")
    tokens = learner.post("/annotate", {"text": "过年回家"}).json["tokens"]
    assert [t["text"] for t in tokens] == ["過年", "回家"] and tokens[0]["simplified"] == "过年"
    assert learner.get("/decks").json["decks"][0]["title"] == "歸途列車"


def test_study_more_and_learn_ahead_counts(learner, deck_id, clock):
    _study(learner, deck_id)
    _patch(learner, "/me", {"new_cards_per_day": 1})
    card = learner.get("/review/next").json["card"]
    learner.post("/reviews", {"reviews": [{"card_id": card["id"], "rating": 3, "client_review_id": "a"}]})
    clock.now += timedelta(minutes=1)
    ahead = learner.get("/review/next").json
    assert ahead["card"]["id"] == card["id"]  # nothing else: the learning card comes early
    assert ahead["counts"] == {"new": 0, "learning": 0, "review": 0, "learning_ahead": 1,
                               "waiting": "1 learning card in the next 20 minutes"}
    more = learner.post("/review/more", {"new_cards": 2})
    assert more.status_code == 200 and more.json["new"] == 2
    assert is_problem(learner.post("/review/more", {"new_cards": 0, "ahead_days": 0}), 400)


def test_register_with_a_timezone_and_deck_priorities(anon, learner, deck_id):
    created = anon.post("/users", {"username": "mei", "password": "correct horse", "timezone": "Asia/Taipei"})
    assert created.status_code == 201
    assert is_problem(anon.post("/users", {"username": "lan", "password": "correct horse",
                                           "timezone": "Nowhere/Land"}), 400)
    started = learner.post(f"/decks/{deck_id}/study", {"priority": 1, "new_per_day": 2})
    assert started.status_code == 200
    deck = next(d for d in learner.get("/decks").json["decks"] if d["id"] == deck_id)
    assert (deck["priority"], deck["new_per_day"], deck["new"]) == (1, 2, 2)
