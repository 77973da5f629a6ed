"""Classes as instructors and learners use them: codes and links, assigned decks, progress, privacy."""
import re
import uuid

import pytest

from app.extensions import db
from app.models import Role
from app.services import accounts, study
from tests.conftest import FIXED_NOW
from tests.helpers import make_deck


@pytest.fixture
def classroom(client, app, auth, make_user):
    """Teacher Li's class with the 归途列车 deck assigned; returns (class id, join code, deck id)."""
    teacher_id = make_user("teacher_li", role=Role.INSTRUCTOR)
    with app.app_context():
        deck = make_deck(3, title="Teacher Li's 归途列车 words")
        deck.builtin, deck.owner_id = False, teacher_id
        db.session.commit()
        deck_id = deck.id
    auth.login("teacher_li")
    response = client.post("/classes", data={"name": "Chinese 201"})
    class_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/classes/{class_id}/decks", data={"deck_id": str(deck_id)})
    page = client.get(f"/classes/{class_id}").get_data(as_text=True)
    code = re.search(r'<code class="join-code">([A-Z0-9]+)</code>', page)[1]
    auth.logout()
    return class_id, code, deck_id


def test_a_learner_joins_with_the_code_and_sees_the_assigned_deck(client, auth, classroom):
    class_id, code, deck_id = classroom
    auth.register("qin")
    spaced = code[:4].lower() + "-" + code[4:].lower()  # read off a whiteboard
    assert client.post("/classes/join", data={"code": spaced}).status_code == 302
    assert "Chinese 201" in client.get("/classes").get_data(as_text=True)
    review = client.get("/review").get_data(as_text=True)
    assert "过年" in review  # the assigned deck's first card, without starting it by hand
    assert f'href="/decks/{deck_id}"' in client.get("/decks").get_data(as_text=True)


def test_the_join_link_asks_before_joining(client, auth, classroom):
    class_id, code, _ = classroom
    auth.register("qin")
    page = client.get(f"/classes/join/{code}").get_data(as_text=True)
    assert "Join Chinese 201" in page
    assert "You are not in a class yet." in client.get("/classes").get_data(as_text=True)
    assert client.get("/classes/join/NOPE1234").status_code == 404


def test_a_wrong_code_says_so(client, auth, classroom):
    auth.register("qin")
    response = client.post("/classes/join", data={"code": "ZZZZZZZZ"}, follow_redirects=True)
    assert "No class has that join code." in response.get_data(as_text=True)


def test_leaving_takes_the_class_deck_out_of_the_study_list(client, auth, classroom):
    _, code, deck_id = classroom
    auth.register("qin")
    client.post("/classes/join", data={"code": code})
    client.get("/review")
    class_id = classroom[0]
    page = client.post(f"/classes/{class_id}/leave", follow_redirects=True).get_data(as_text=True)
    assert "You left Chinese 201" in page
    assert "Done for now" in client.get("/review").get_data(as_text=True)
    assert client.get(f"/decks/{deck_id}").status_code == 404


def test_the_instructor_sees_progress_sorts_it_and_exports_csv(client, app, auth, classroom):
    class_id, code, deck_id = classroom
    with app.app_context():
        for name, grades in (("qin", [3, 1]), ("yang", [4])):
            learner = accounts.create_user(name, "correct horse")
            from app.services import classes

            classes.join_class(learner, code, FIXED_NOW)
            for rating in grades:
                card, _ = study.next_card(learner, FIXED_NOW)
                study.grade(learner, card.id, rating, uuid.uuid4().hex, FIXED_NOW)
    auth.login("teacher_li")
    page = client.get(f"/classes/{class_id}?sort=cards_started&dir=desc").get_data(as_text=True)
    assert page.index('>qin</a></th>') < page.index('>yang</a></th>')
    assert 'aria-sort="descending"' in page
    page = client.get(f"/classes/{class_id}?sort=cards_started").get_data(as_text=True)
    assert page.index('>yang</a></th>') < page.index('>qin</a></th>')
    csv_text = client.get(f"/classes/{class_id}/progress.csv").get_data(as_text=True)
    lines = csv_text.strip().splitlines()
    assert lines[0] == "username,cards_started,reviews_7d,retention_30d,due,last_active,on_track"
    assert lines[1].startswith("qin,2,") and lines[2].startswith("yang,1,")


def test_the_term_view_ranks_terms_reviewed_at_least_three_times(client, app, auth, classroom):
    class_id, code, _ = classroom
    with app.app_context():
        from datetime import timedelta

        from app.models import Card, Term
        from app.services import classes

        now = FIXED_NOW  # the page looks back 30 days from the (fixed) clock
        learner = accounts.create_user("qin", "correct horse")
        classes.join_class(learner, code, now)
        study.next_card(learner, now)
        cards = {c.term.simplified: c.id for c in db.session.scalars(
            db.select(Card).join(Term).where(Card.user_id == learner.id, Card.direction == "recognition"))}
        for minutes, (word, rating) in enumerate([("过年", 1), ("过年", 3), ("过年", 1), ("春节", 1), ("孝顺", 3)]):
            study.grade(learner, cards[word], rating, uuid.uuid4().hex, now - timedelta(minutes=30 - minutes))
    auth.login("teacher_li")
    section = client.get(f"/classes/{class_id}").get_data(as_text=True).split("Terms the class finds hardest")[1]
    assert '<span lang="zh-Hans">过年</span>' in section  # Again twice in three reviews
    assert '<span lang="zh-Hans">春节</span>' not in section  # one Again in one review: not ranked yet
    assert '<span lang="zh-Hans">孝顺</span>' not in section


def test_the_instructor_is_asked_before_removing_a_learner(client, app, auth, classroom):
    class_id, code, _ = classroom
    with app.app_context():
        from app.services import classes

        learner_id = accounts.create_user("qin", "correct horse").id
        classes.join_class(accounts.find_user("qin"), code, FIXED_NOW)
    auth.login("teacher_li")
    ask = client.get(f"/classes/{class_id}/learners/{learner_id}/remove").get_data(as_text=True)
    assert "Remove qin from Chinese 201?" in ask and "Their review history is kept" in ask
    assert ">qin</a></th>" in client.get(f"/classes/{class_id}").get_data(as_text=True)  # asking removed nobody
    page = client.post(f"/classes/{class_id}/learners/{learner_id}/remove", follow_redirects=True).get_data(as_text=True)
    assert "Removed qin from the class." in page
    assert "No learners yet" in page


def test_another_instructor_cannot_see_the_class(client, auth, make_user, classroom):
    class_id, _, _ = classroom
    make_user("teacher_wang", role=Role.INSTRUCTOR)
    auth.login("teacher_wang")
    assert client.get(f"/classes/{class_id}").status_code == 404
    assert client.get(f"/classes/{class_id}/progress.csv").status_code == 404
    assert client.post(f"/classes/{class_id}/decks", data={"deck_id": "1"}).status_code == 404
    assert "Chinese 201" not in client.get("/classes").get_data(as_text=True)


def test_learners_cannot_create_classes(client, auth):
    auth.register("qin")
    response = client.post("/classes", data={"name": "Mine"}, follow_redirects=True)
    assert "Only instructors can create classes." in response.get_data(as_text=True)
