"""The card browser: a learner finds cards by hanzi, pinyin (with or without tones) or English, filters,
sorts and pages through them, and acts on one: history, suspend, bury, forget, a note; and account basics."""
from __future__ import annotations

import json
import re

from app.extensions import db
from app.models import Deck, Term, User
from tests.helpers import make_deck


def _start(client, app, auth, n=5):
    with app.app_context():
        deck = make_deck(n)
        for term, pinyin in zip(deck.terms, ["guònián", "Chūnjié", "xiàoshùn", "hùkǒu", "chūnyùn"]):
            term.pinyin = pinyin
        deck.terms[3].english = "household registration (hukou)"
        db.session.commit()
        deck_id = deck.id
    auth.register()
    client.post(f"/decks/{deck_id}/study", data={"directions": ["recognition"]})
    return deck_id


def _words(page: str) -> list[str]:
    return re.findall(r'<a href="/cards/\d+" lang="[^"]+">([^<]+)</a>', page)


def test_search_by_hanzi_pinyin_and_english(client, app, auth):
    _start(client, app, auth)
    find = lambda q: _words(client.get("/cards", query_string={"q": q}).get_data(as_text=True))  # noqa: E731
    assert find("过年") == ["过年"]
    assert find("過年") == ["过年"]  # traditional characters find the word too
    assert find("guonian") == ["过年"]  # no tones
    assert find("guo4nian2") == ["过年"]  # tone numbers
    assert find("guònián") == ["过年"]  # tone marks
    assert find("guo3nian2") == []  # a wrong tone is not a match
    assert sorted(find("chun")) == ["春节", "春运"]
    assert find("chun1jie2") == ["春节"]  # capitalised in the dictionary, found all the same
    assert find("household") == ["户口"]
    assert find("%") == []  # LIKE's wildcards are searched as text


def test_filter_sort_and_page(client, app, auth):
    deck_id = _start(client, app, auth, 5)
    with app.app_context():
        other = make_deck(2, "Other")
        other_id = other.id
    client.post(f"/decks/{other_id}/study", data={"directions": ["recognition"]})
    page = client.get("/cards", query_string={"deck": deck_id, "sort": "hanzi"}).get_data(as_text=True)
    assert len(_words(page)) == 5 and 'id="total">5<' in page
    assert _words(client.get("/cards", query_string={"sort": "hanzi", "order": "desc"}).get_data(as_text=True)) == \
        sorted(_words(client.get("/cards", query_string={"sort": "hanzi"}).get_data(as_text=True)), reverse=True)
    assert client.get("/cards", query_string={"state": "bogus"}).status_code == 400
    assert client.get("/cards", query_string={"suspended": "maybe"}).status_code == 400
    assert client.get("/cards", query_string={"deck": "999999"}).status_code == 404
    # 7 cards, 50 to a page: one page; the pager is absent
    assert 'rel="next"' not in client.get("/cards").get_data(as_text=True)


def test_unsuspend_from_the_browser_and_undo_after_suspend(client, app, auth):
    _start(client, app, auth)
    review = client.get("/review").get_data(as_text=True)
    card_id = re.search(r'data-card-id="(\d+)"', review)[1]
    page = client.post(f"/review/cards/{card_id}/suspend", follow_redirects=True).get_data(as_text=True)
    assert "Undo: Suspend 过年" in page
    suspended = client.get("/cards", query_string={"suspended": "yes"}).get_data(as_text=True)
    assert _words(suspended) == ["过年"] and "Unsuspend" in suspended
    page = client.post(f"/cards/{card_id}/action", data={"do": "unsuspend", "next": "/cards?suspended=yes"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Unsuspended 过年" in page and _words(page) == []
    page = client.post("/review/undo", data={"next": "/cards"}, follow_redirects=True).get_data(as_text=True)
    assert "Undone: Unsuspend 过年." in page
    assert _words(client.get("/cards", query_string={"suspended": "yes"}).get_data(as_text=True)) == ["过年"]


def test_a_cards_history_note_and_forget(client, app, auth):
    _start(client, app, auth)
    review = client.get("/review").get_data(as_text=True)
    values = dict(re.findall(r'name="(card_id|version|client_review_id)" value="([^"]*)"', review))
    client.post("/review/grade", data={**values, "rating": "3", "duration_ms": "4200"})
    card_id = values["card_id"]
    page = client.get(f"/cards/{card_id}").get_data(as_text=True)
    history = page[page.index('class="history"'):]
    assert "Good" in history and "4.2s" in history and "10m" in history  # rating, time taken, interval
    client.post(f"/cards/{card_id}/note", data={"note": "家 is home"})
    assert "家 is home" in client.get(f"/cards/{card_id}").get_data(as_text=True)
    page = client.post(f"/cards/{card_id}/action", data={"do": "forget"}, follow_redirects=True).get_data(as_text=True)
    assert "Reset to new" in page and 'id="card-state">new' in page
    assert "Good" in page[page.index('class="history"'):]  # the history stays
    assert client.post(f"/cards/{card_id}/action", data={"do": "explode"}).status_code == 400


def test_delete_my_account_after_downloading_my_data(client, app, auth):
    _start(client, app, auth)
    review = client.get("/review").get_data(as_text=True)
    values = dict(re.findall(r'name="(card_id|version|client_review_id)" value="([^"]*)"', review))
    client.post("/review/grade", data={**values, "rating": "3"})
    page = client.get("/settings/delete").get_data(as_text=True)
    assert page.index("Download my data") < page.index('value="Delete my account"')  # the download is offered first
    data = client.get("/settings/data.json")
    assert data.headers["Content-Disposition"].startswith("attachment")
    document = json.loads(data.get_data(as_text=True))
    assert document["username"] == "qin" and len(document["cards"]) == 5 and len(document["reviews"]) == 1
    assert document["reviews"][0]["rating"] == 3
    wrong = client.post("/settings/delete", data={"password": "not it", "confirm": "y"})
    assert wrong.status_code == 400 and "password is wrong" in wrong.get_data(as_text=True)
    assert client.post("/settings/delete", data={"password": "correct horse"}).status_code == 400  # unconfirmed
    done = client.post("/settings/delete", data={"password": "correct horse", "confirm": "y"}, follow_redirects=True)
    assert "have been deleted" in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.username == "qin")) is None
        assert db.session.scalar(db.select(db.func.count(Deck.id))) == 1  # the built-in deck stays
        assert db.session.scalar(db.select(db.func.count(Term.id))) == 5
    assert client.get("/cards").status_code == 302  # logged out


def test_home_has_a_study_button_and_new_shows_todays_allowance(client, app, auth):
    deck_id = _start(client, app, auth, 5)
    client.post("/settings", data={"desired_retention": "0.9", "new_cards_per_day": "3", "max_reviews_per_day": "200",
                                   "learning_steps": "1m 10m", "relearning_steps": "10m", "timezone": "UTC",
                                   "script": "simplified"})
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'id="study" href="/review">Study: 3 cards today', home)
    row = home[home.index(f'/decks/{deck_id}"'):]
    assert re.search(r'data-col="new">3<', row)  # 5 new cards, today's limit allows 3
