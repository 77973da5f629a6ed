"""The review screen as a learner uses it: start a deck, reveal, grade, undo, suspend, bury."""
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Card, ReviewLog
from tests.helpers import make_deck


def _start(client, app, auth, n=3, directions=("recognition",)):
    auth.register()
    with app.app_context():
        deck_id = make_deck(n).id
    response = client.post(f"/decks/{deck_id}/study", data={"directions": list(directions)})
    assert response.status_code == 302
    return deck_id


def _form_values(page: str) -> dict:
    return dict(re.findall(r'name="(card_id|version|client_review_id)" value="([^"]*)"', page))


def test_starting_a_deck_then_reviewing_its_first_card(client, app, auth):
    deck_id = _start(client, app, auth)
    page = client.get(f"/review?deck={deck_id}").get_data(as_text=True)
    assert "过年" in page  # the first term, in deck order
    assert 'data-count="new"><span class="num">3</span>' in page
    # Each grade button shows the interval it would give.
    assert re.search(r'data-rating="1">\s*<span class="interval">1m</span>', page)
    assert re.search(r'data-rating="3">\s*<span class="interval">10m</span>', page)


def test_grading_moves_to_the_next_card_and_a_double_submit_counts_once(client, app, auth):
    _start(client, app, auth)
    page = client.get("/review").get_data(as_text=True)
    values = _form_values(page)
    for _ in range(2):  # a double click sends the same form twice
        response = client.post("/review/grade", data={**values, "rating": "3", "duration_ms": "4200"})
        assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewLog.id))) == 1
        assert db.session.scalar(select(ReviewLog.duration_ms)) == 4200
    page = client.get("/review").get_data(as_text=True)
    assert "That grade was already recorded." in page
    assert "春节" in page  # the second term


def test_a_second_tab_grading_the_same_card_gets_a_clear_answer(client, app, auth):
    _start(client, app, auth)
    tab_one = _form_values(client.get("/review").get_data(as_text=True))
    tab_two = _form_values(client.get("/review").get_data(as_text=True))
    assert tab_one["card_id"] == tab_two["card_id"] and tab_one["client_review_id"] != tab_two["client_review_id"]
    client.post("/review/grade", data={**tab_one, "rating": "3"})
    response = client.post("/review/grade", data={**tab_two, "rating": "1"}, follow_redirects=True)
    assert "already graded, in another tab" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewLog.id))) == 1


def test_undo_brings_the_card_back(client, app, auth):
    _start(client, app, auth)
    values = _form_values(client.get("/review").get_data(as_text=True))
    client.post("/review/grade", data={**values, "rating": "4"})
    response = client.post("/review/undo", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Undone: Easy on 过年." in page
    assert _form_values(page)["card_id"] == values["card_id"]


def test_suspend_and_bury_take_the_card_out_of_today(client, app, auth):
    _start(client, app, auth, n=2)
    first = _form_values(client.get("/review").get_data(as_text=True))["card_id"]
    page = client.post(f"/review/cards/{first}/suspend", follow_redirects=True).get_data(as_text=True)
    second = _form_values(page)["card_id"]
    assert second != first
    page = client.post(f"/review/cards/{second}/bury", follow_redirects=True).get_data(as_text=True)
    assert "Done for now" in page


def test_the_end_of_session_summary(client, app, auth):
    _start(client, app, auth, n=2)
    for rating in ("4", "1"):
        values = _form_values(client.get("/review").get_data(as_text=True))
        client.post("/review/grade", data={**values, "rating": rating, "duration_ms": "3000"})
    with app.app_context():
        card = db.session.scalar(select(Card).where(Card.reps == 1, Card.state == 1))
        card_id = card.id
    # The Again card is in learning for a minute; bury it to end the session.
    page = client.post(f"/review/cards/{card_id}/bury", follow_redirects=True).get_data(as_text=True)
    assert "Done for now" in page
    assert 'data-summary="reviews">2</strong>' in page
    assert "50% remembered" in page


def test_another_learners_card_cannot_be_graded_or_suspended(client, app, auth):
    _start(client, app, auth)
    values = _form_values(client.get("/review").get_data(as_text=True))
    auth.logout()
    auth.register("yang", "correct horse")
    assert client.post("/review/grade", data={**values, "rating": "3"}).status_code == 404
    assert client.post(f"/review/cards/{values['card_id']}/suspend").status_code == 404
    assert client.post("/review/check", json={"card_id": int(values["card_id"]), "typed": "x"}).status_code == 404


def test_malformed_grades_are_400_not_500(client, app, auth):
    _start(client, app, auth)
    values = _form_values(client.get("/review").get_data(as_text=True))
    for bad in ({"rating": "seven"}, {"rating": "9"}, {"card_id": "abc", "rating": "3"},
                {"rating": "3", "client_review_id": ""}):
        response = client.post("/review/grade", data={**values, **bad})
        assert response.status_code == 400, bad
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewLog.id))) == 0


def test_typed_pinyin_shows_which_syllables_and_tones_were_wrong(client, app, auth):
    auth.register()
    with app.app_context():
        deck = make_deck(1)
        deck.terms[0].pinyin = "guònián"
        db.session.commit()
        deck_id = deck.id
    client.post(f"/decks/{deck_id}/study", data={"directions": ["recognition"]})
    card_id = int(_form_values(client.get("/review").get_data(as_text=True))["card_id"])
    ok = client.post("/review/check", json={"card_id": card_id, "typed": "guo4nian2"}).json
    assert ok["correct"] is True
    tone = client.post("/review/check", json={"card_id": card_id, "typed": "guo3 nian2"}).json
    assert tone["correct"] is False and tone["tones_only"] is True
    assert [s["verdict"] for s in tone["syllables"]] == ["wrong_tone", "correct"]
    wrong = client.post("/review/check", json={"card_id": card_id, "typed": "gong1nian2"}).json
    assert [s["verdict"] for s in wrong["syllables"]] == ["wrong", "correct"]
    assert client.post("/review/check", json={"typed": 5}).status_code == 400
