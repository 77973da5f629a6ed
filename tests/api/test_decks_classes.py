"""Decks and classes through the API: who sees what, who may change what."""
from app.models import Deck
from tests.helpers import is_problem


def test_a_learner_lists_built_in_decks_and_opens_one(learner, deck_id):
    decks = learner.get("/decks").json["decks"]
    assert [(d["id"], d["term_count"], d["builtin"]) for d in decks] == [(deck_id, 5, True)]
    deck = learner.get(f"/decks/{deck_id}").json
    assert deck["builtin"] is True and len(deck["terms"]) == 5
    assert set(deck["terms"][0]) >= {"id", "hanzi", "traditional", "pinyin", "english", "example_zh",
                                     "example_pinyin", "example_en", "hsk", "note"}
    assert deck["terms"][0]["hanzi"] == "过年"


def test_an_instructor_makes_a_deck_and_adds_terms_filled_from_the_dictionary(instructor, learner):
    response = instructor.post("/decks", {"title": "春运", "description": "Spring travel"})
    assert response.status_code == 201 and response.json["title"] == "春运"
    deck_id = response.json["id"]
    response = instructor.post(f"/decks/{deck_id}/terms", {"terms": [
        {"hanzi": "火车票"}, {"hanzi": "回家", "english": "go home (our gloss)", "example_zh": "我要回家。"},
    ]})
    assert response.status_code == 201
    ticket, home = response.json["terms"]
    assert ticket["pinyin"] == "huǒchēpiào" and "ticket" in ticket["english"]
    assert home["english"] == "go home (our gloss)" and home["example_pinyin"]
    assert [t["hanzi"] for t in instructor.get(f"/decks/{deck_id}").json["terms"]] == ["火车票", "回家"]
    # The deck is the instructor's own: a learner neither sees it nor learns that it exists.
    assert is_problem(learner.get(f"/decks/{deck_id}"), 404)
    assert is_problem(learner.post(f"/decks/{deck_id}/terms", {"terms": [{"hanzi": "春节"}]}), 404)


def test_adding_terms_is_all_or_nothing_with_per_item_errors(instructor):
    deck_id = instructor.post("/decks", {"title": "T"}).json["id"]
    instructor.post(f"/decks/{deck_id}/terms", {"terms": [{"hanzi": "春节"}]})
    response = instructor.post(f"/decks/{deck_id}/terms", {"terms": [
        {"hanzi": "团圆"}, {"hanzi": "hello"}, {"hanzi": "春节"}, {"hanzi": "团圆"}, {"hanzi": " "},
    ]})
    assert is_problem(response, 400)
    assert sorted(e["index"] for e in response.json["errors"]) == [1, 2, 3, 4]
    assert [t["hanzi"] for t in instructor.get(f"/decks/{deck_id}").json["terms"]] == ["春节"]
    assert is_problem(instructor.post(f"/decks/{deck_id}/terms", {"terms": []}), 400)
    assert is_problem(instructor.post(f"/decks/{deck_id}/terms", {"terms": [{"pinyin": "x"}]}), 400)


def test_learners_cannot_create_decks_or_change_built_in_ones(learner, instructor, deck_id):
    assert is_problem(learner.post("/decks", {"title": "Mine"}), 403)
    assert is_problem(instructor.post(f"/decks/{deck_id}/terms", {"terms": [{"hanzi": "春节"}]}), 403)
    assert is_problem(instructor.post("/decks", {"title": "  "}), 400)


def test_studying_a_deck_creates_the_callers_cards(learner, other_learner, deck_id):
    assert learner.get(f"/decks/{deck_id}/cards").json == {"cards": []}
    assert learner.post(f"/decks/{deck_id}/study").json == {"cards": 10}
    cards = learner.get(f"/decks/{deck_id}/cards").json["cards"]
    assert len(cards) == 10 and cards[0]["state"] == 0
    assert set(cards[0]) >= {"id", "term_id", "direction", "due", "state", "stability", "difficulty"}
    assert learner.post(f"/decks/{deck_id}/study", {"directions": ["recognition", "recall", "listening"]}).json == {
        "cards": 15}
    assert is_problem(learner.post(f"/decks/{deck_id}/study", {"directions": ["sideways"]}), 400)
    assert other_learner.get(f"/decks/{deck_id}/cards").json == {"cards": []}
    assert is_problem(learner.post("/decks/999999/study"), 404)


def test_a_class_from_creation_to_progress(instructor, learner, other_learner, session, clock):
    created = instructor.post("/classes", {"name": "Chinese 101"})
    assert created.status_code == 201
    class_id, code = created.json["id"], created.json["join_code"]
    assert len(code) == 8 and not set(code) & set("01OIL")
    deck_id = instructor.post("/decks", {"title": "Week 1"}).json["id"]
    instructor.post(f"/decks/{deck_id}/terms", {"terms": [{"hanzi": "春节"}, {"hanzi": "回家"}]})
    assert instructor.post(f"/classes/{class_id}/decks", {"deck_id": deck_id}).status_code == 201

    # The learner joins with the code as typed from a whiteboard, and the class deck appears.
    joined = learner.post("/classes/join", {"code": code[:4].lower() + "-" + code[4:]})
    assert joined.status_code == 200 and joined.json["id"] == class_id
    assert deck_id in [d["id"] for d in learner.get("/decks").json["decks"]]
    card = learner.get("/review/next").json["card"]
    learner.post("/reviews", {"reviews": [{"card_id": card["id"], "rating": 3, "client_review_id": "a"}]})

    learners = instructor.get(f"/classes/{class_id}/progress").json["learners"]
    assert learners == [{"username": "qin", "reviews_7d": 1, "retention_30d": None, "due": 0,
                         "last_active": clock.now.isoformat(), "on_track": None}]
    # Other people's classes do not exist as far as the caller can tell.
    assert is_problem(other_learner.get(f"/classes/{class_id}/progress"), 404)
    assert is_problem(other_learner.post(f"/classes/{class_id}/decks", {"deck_id": deck_id}), 404)
    assert is_problem(learner.post("/classes", {"name": "Mine"}), 403)
    assert is_problem(learner.post("/classes/join", {"code": "ZZZZZZZZ"}), 404)


def test_an_instructor_cannot_assign_a_deck_they_cannot_see(instructor, make_user, client, session):
    from app.models import Role
    from tests.helpers import ApiClient, login

    make_user("other-teacher", role=Role.INSTRUCTOR)
    other = ApiClient(client, login(client, "other-teacher"))
    private = other.post("/decks", {"title": "Private"}).json["id"]
    class_id = instructor.post("/classes", {"name": "C"}).json["id"]
    assert is_problem(instructor.post(f"/classes/{class_id}/decks", {"deck_id": private}), 404)
    assert session.get(Deck, private) is not None
