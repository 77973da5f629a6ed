"""Who may hand a deck on: only its owner (or an admin) assigns it to a class; leaving a class ends what
it granted; an unassigned deck leaves its learners' queues at once."""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import DeckAssignment, Role
from app.services import accounts, authoring, classes, imports
from tests.conftest import FIXED_NOW
from tests.helpers import ApiClient, is_problem, login


@pytest.fixture
def world(app, make_user):
    """Li owns a private deck assigned to her class, which Qin (a learner) and Wang (another instructor,
    with a class and a learner of his own) have joined."""
    li = make_user("teacher_li", role=Role.INSTRUCTOR)
    make_user("teacher_wang", role=Role.INSTRUCTOR)
    make_user("qin")
    make_user("yang")
    with app.app_context():
        li = accounts.find_user("teacher_li")
        deck = authoring.create_deck(li, "Li's private words", "", FIXED_NOW)
        imports.import_terms(li, deck.id, [{"hanzi": "过年"}, {"hanzi": "春节"}], FIXED_NOW)
        li_class = classes.create_class(li, "Chinese 201", FIXED_NOW)
        classes.assign_deck(li, li_class.id, deck.id, FIXED_NOW)
        wang = accounts.find_user("teacher_wang")
        wang_class = classes.create_class(wang, "Wang's class", FIXED_NOW)
        classes.join_class(accounts.find_user("yang"), wang_class.join_code, FIXED_NOW)
        for name in ("qin", "teacher_wang"):
            classes.join_class(accounts.find_user(name), li_class.join_code, FIXED_NOW)
        return {"deck": deck.id, "li_class": li_class.id, "wang_class": wang_class.id}


def test_an_instructor_who_joined_a_class_cannot_hand_its_deck_on(client, auth, world):
    auth.login("teacher_wang")
    assert client.get(f"/decks/{world['deck']}").status_code == 200  # he sees it, as a member of Li's class
    response = client.post(f"/classes/{world['wang_class']}/decks", data={"deck_id": str(world["deck"])})
    assert response.status_code == 403
    assert "Only the deck&#39;s owner" in response.get_data(as_text=True)
    wang = ApiClient(client, login(client, "teacher_wang"))
    response = wang.post(f"/classes/{world['wang_class']}/decks", {"deck_id": world["deck"]})
    assert is_problem(response, 403)
    auth.logout()
    auth.login("yang")  # Wang's learner never gets Li's deck
    assert client.get(f"/decks/{world['deck']}").status_code == 404
    assert client.get(f"/decks/{world['deck']}/export.csv").status_code == 404


def test_leaving_a_class_ends_what_it_granted(client, auth, world):
    auth.login("teacher_wang")
    client.post(f"/classes/{world['li_class']}/leave")
    assert client.get(f"/decks/{world['deck']}").status_code == 404
    assert client.get(f"/decks/{world['deck']}/export.csv").status_code == 404
    assert client.post(f"/classes/{world['wang_class']}/decks", data={"deck_id": str(world["deck"])}).status_code == 404


def test_the_owner_and_an_admin_may_assign(app, client, world, make_user):
    make_user("root", role=Role.ADMIN)
    admin = ApiClient(client, login(client, "root"))
    admin_class = admin.post("/classes", {"name": "Admin's class"}).json["id"]
    assert admin.post(f"/classes/{admin_class}/decks", {"deck_id": world["deck"]}).status_code == 201
    li = ApiClient(client, login(client, "teacher_li"))
    other = li.post("/classes", {"name": "Chinese 202"}).json["id"]
    assert li.post(f"/classes/{other}/decks", {"deck_id": world["deck"]}).status_code == 201


def test_an_unassigned_deck_leaves_the_learners_queue(client, auth, world):
    auth.login("qin")
    page = client.get("/review").get_data(as_text=True)
    assert "过年" in page
    qin = ApiClient(client, login(client, "qin"))
    assert qin.get("/review/next").status_code == 200
    auth.logout()
    auth.login("teacher_li")
    client.post(f"/classes/{world['li_class']}/decks/{world['deck']}/remove")
    auth.logout()
    auth.login("qin")
    assert client.get(f"/decks/{world['deck']}").status_code == 404
    assert "Done for now" in client.get("/review").get_data(as_text=True)
    assert qin.get("/review/next").status_code == 204
    assert client.get(f"/review?deck={world['deck']}").status_code == 404


def test_a_deck_still_assigned_through_another_class_stays(client, app, auth, world):
    with app.app_context():
        li = accounts.find_user("teacher_li")
        second = classes.create_class(li, "Chinese 202", FIXED_NOW)
        classes.assign_deck(li, second.id, world["deck"], FIXED_NOW)
        classes.join_class(accounts.find_user("qin"), second.join_code, FIXED_NOW)
        classes.unassign_deck(li, world["li_class"], world["deck"])
        assert db.session.scalar(select(DeckAssignment.id).where(DeckAssignment.classroom_id == second.id))
    auth.login("qin")
    assert re.search("过年|春节", client.get("/review").get_data(as_text=True))
