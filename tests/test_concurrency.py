"""Races between requests, as a crowd makes them: threads against a real server (werkzeug, threaded) on
SQLite and PostgreSQL. The racers' answers agree with each other, none is a 5xx, and the database
holds each thing once. Run with -s to see how many requests each race made."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select

from app.extensions import db
from app.models import Card, Classroom, Deck, DeckStudy, Enrollment, ReviewLog, Role, Term, User
from app.services import accounts, authoring, classes, imports
from tests.conftest import FIXED_NOW
from tests.helpers import PASSWORD, make_deck

RACERS = 6
ROUNDS = 3


def race(action, n: int = RACERS) -> list:
    """Run action(i) in n threads released at the same instant; their results in order."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        return action(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def tally(name: str, statuses: list[int]) -> None:
    server_errors = [s for s in statuses if s >= 500]
    print(f"race {name}: {len(statuses)} requests, {len(server_errors)} 5xx")
    assert not server_errors, f"{name}: {statuses}"


def browser(base: str, username: str | None = None) -> requests.Session:
    """A browser session, logged in when given a username (the password is PASSWORD)."""
    session = requests.Session()
    session.base = base
    if username:
        response = session.post(f"{base}/auth/login", data={"username": username, "password": PASSWORD},
                                allow_redirects=False)
        assert response.status_code == 302, response.text
    return session


def clone(session: requests.Session) -> requests.Session:
    """Another connection with the same cookies: the same learner in another tab."""
    other = requests.Session()
    other.base = session.base
    other.cookies.update(session.cookies)
    return other


def token(base: str, username: str) -> dict:
    response = requests.post(f"{base}/api/v1/tokens", auth=(username, PASSWORD))
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def rows(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_simultaneous_registrations_of_one_name(app, live_server):
    for round_ in range(ROUNDS):
        name = f"qin{round_}"
        responses = race(lambda i: requests.post(f"{live_server}/auth/register", allow_redirects=False, data={
            "username": name, "password": PASSWORD, "confirm": PASSWORD, "role": "learner"}))
        statuses = [r.status_code for r in responses]
        tally("register one name", statuses)
        assert sorted(statuses) == [302] + [409] * (RACERS - 1)
        assert rows(app, User, func.lower(User.username) == name) == 1


def test_simultaneous_starts_of_one_deck(app, live_server, make_user):
    make_user("qin")
    with app.app_context():
        deck_ids = [make_deck(5, title=f"deck {i}").id for i in range(ROUNDS)]
    tab = browser(live_server, "qin")
    for deck_id in deck_ids:
        tabs = [clone(tab) for _ in range(RACERS)]
        statuses = [r.status_code for r in race(
            lambda i: tabs[i].post(f"{live_server}/decks/{deck_id}/study", allow_redirects=False))]
        tally("start one deck", statuses)
        assert statuses == [302] * RACERS
        with app.app_context():
            assert db.session.scalar(select(func.count(Card.id)).join(Term).where(Term.deck_id == deck_id)) == 10
            assert rows(app, DeckStudy, DeckStudy.deck_id == deck_id) == 1


@pytest.fixture
def teacher_and_learner(app, live_server, make_user):
    """An instructor with a class and a deck of their own; a learner in the class studying nothing yet."""
    teacher_id = make_user("teacher_li", role=Role.INSTRUCTOR)
    make_user("qin")
    with app.app_context():
        teacher = db.session.get(User, teacher_id)
        deck = authoring.create_deck(teacher, "Film words", "", FIXED_NOW)
        imports.import_terms(teacher, deck.id, [{"hanzi": w} for w in ("过年", "春节")], FIXED_NOW)
        classroom = classes.create_class(teacher, "Chinese 201", FIXED_NOW)
        classes.join_class(accounts.find_user("qin"), classroom.join_code, FIXED_NOW)
        return deck.id, classroom.id


def first_looks(base: str, tab: requests.Session, headers: dict):
    """Half the racers open the review page, half ask the API for the next card."""
    def look(i):
        if i % 2:
            return requests.get(f"{base}/api/v1/review/next", headers=headers).status_code
        return clone(tab).get(f"{base}/review").status_code
    return race(look)


def test_the_first_looks_after_an_assignment_and_after_new_terms(app, live_server, teacher_and_learner):
    deck_id, class_id = teacher_and_learner
    tab, headers = browser(live_server, "qin"), token(live_server, "qin")
    teacher = token(live_server, "teacher_li")
    response = requests.post(f"{live_server}/api/v1/classes/{class_id}/decks", json={"deck_id": deck_id},
                             headers=teacher)
    assert response.status_code == 201
    # The cards exist as soon as the deck is assigned: looking at the queue creates nothing.
    with app.app_context():
        learner_id = accounts.find_user("qin").id
    cards = rows(app, Card, Card.user_id == learner_id)
    assert cards == 4
    statuses = first_looks(live_server, tab, headers)
    tally("first look after an assignment", statuses)
    assert set(statuses) == {200}
    assert rows(app, Card, Card.user_id == learner_id) == cards
    for round_ in range(ROUNDS):
        word = ("团圆", "火车票", "打工")[round_]
        response = requests.post(f"{live_server}/api/v1/decks/{deck_id}/terms", json={"terms": [{"hanzi": word}]},
                                 headers=teacher)
        assert response.status_code == 201
        assert rows(app, Card, Card.user_id == learner_id) == cards + 2 * (round_ + 1)
        statuses = first_looks(live_server, tab, headers)
        tally("first look after new terms", statuses)
        assert set(statuses) == {200}
        assert rows(app, Card, Card.user_id == learner_id) == cards + 2 * (round_ + 1)


def test_simultaneous_joins_and_assignments(app, live_server, teacher_and_learner, make_user):
    deck_id, class_id = teacher_and_learner
    with app.app_context():
        code = db.session.get(Classroom, class_id).join_code
    for round_ in range(ROUNDS):
        make_user(f"yang{round_}")
        tab = browser(live_server, f"yang{round_}")
        statuses = [r.status_code for r in race(
            lambda i: clone(tab).post(f"{live_server}/classes/join", data={"code": code}, allow_redirects=False))]
        tally("join one class", statuses)
        assert statuses == [302] * RACERS
    assert rows(app, Enrollment, Enrollment.classroom_id == class_id) == 1 + ROUNDS
    teacher = browser(live_server, "teacher_li")
    statuses = [r.status_code for r in race(lambda i: clone(teacher).post(
        f"{live_server}/classes/{class_id}/decks", data={"deck_id": str(deck_id)}, allow_redirects=False))]
    tally("assign one deck", statuses)
    assert statuses == [302] * RACERS
    with app.app_context():
        for round_ in range(ROUNDS):
            user_id = accounts.find_user(f"yang{round_}").id
            assert rows(app, DeckStudy, DeckStudy.user_id == user_id) == 1
            assert rows(app, Card, Card.user_id == user_id) == 4


def test_the_first_my_words_from_the_reader(app, live_server, make_user):
    for round_ in range(ROUNDS):
        make_user(f"qin{round_}")
        tab = browser(live_server, f"qin{round_}")
        form = {"word": ["农民工", "火车票"], "context": ["", ""], "add": ["农民工", "火车票"]}
        statuses = [r.status_code for r in race(
            lambda i: clone(tab).post(f"{live_server}/reader/add", data=form, allow_redirects=False))]
        tally("first My words", statuses)
        assert statuses == [302] * RACERS
        with app.app_context():
            user_id = accounts.find_user(f"qin{round_}").id
            deck_id = db.session.scalar(select(Deck.id).where(Deck.owner_id == user_id))
            assert rows(app, Deck, Deck.owner_id == user_id) == 1
            assert rows(app, Term, Term.deck_id == deck_id) == 2
            assert rows(app, Card, Card.user_id == user_id) == 4


def test_simultaneous_api_reviews_of_one_card(app, live_server, make_user, deck_id):
    make_user("qin")
    headers = token(live_server, "qin")
    requests.post(f"{live_server}/api/v1/decks/{deck_id}/study", json={"directions": ["recognition"]},
                  headers=headers)
    cards = requests.get(f"{live_server}/api/v1/decks/{deck_id}/cards", headers=headers).json()["cards"]
    for round_, card in enumerate(cards[:ROUNDS]):
        at = (FIXED_NOW - timedelta(minutes=10 - round_)).isoformat()
        version = 1 if round_ % 2 else None  # with the version the client saw, and without it

        def review(i):
            item = {"card_id": card["id"], "rating": 1 + i % 4, "client_review_id": f"{round_}-{i}",
                    "reviewed_at": at}
            if version:
                item["version"] = version
            return requests.post(f"{live_server}/api/v1/reviews", json={"reviews": [item]}, headers=headers)

        responses = race(review)
        statuses = [r.status_code for r in responses]
        tally("review one card at one instant", statuses)
        assert statuses.count(200) == 1 and set(statuses) <= {200, 400, 409}
        assert rows(app, ReviewLog, ReviewLog.card_id == card["id"]) == 1
