"""Running a class: targets and who is on track, a learner's page, worksheets, deck changes asked first."""
import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Card, Deck, Direction, Role, Term
from app.services import accounts, authoring, classes, imports, study
from tests.conftest import FIXED_NOW

WORDS = ["过年", "春节", "孝顺", "户口", "春运", "打工", "回家", "团圆", "家乡", "火车票"]


@pytest.fixture
def course(app, ctx):
    """Teacher Li's class with a ten-word deck assigned on FIXED_NOW, 2 words a day until 5 days later,
    and two learners: qin learns 4 words on the first day, yang 1."""
    teacher = accounts.create_user("teacher_li", "correct horse", Role.INSTRUCTOR)
    deck = authoring.create_deck(teacher, "归途 words", "", FIXED_NOW)
    imports.import_terms(teacher, deck.id, [{"hanzi": w} for w in WORDS], FIXED_NOW)
    classroom = classes.create_class(teacher, "Chinese 201", FIXED_NOW)
    classes.assign_deck(teacher, classroom.id, deck.id, FIXED_NOW, daily_new=2, due_on=date(2026, 11, 25))
    learners = {}
    for name, words in (("qin", 4), ("yang", 1)):
        learner = accounts.create_user(name, "correct horse")
        classes.join_class(learner, classroom.join_code, FIXED_NOW)
        study.start_deck(learner, db.session.get(Deck, deck.id), FIXED_NOW, ["recognition"])
        for word in WORDS[:words]:
            card = db.session.scalar(select(Card).join(Term).where(  # the direction studied (ids differ by database)
                Card.user_id == learner.id, Term.simplified == word, Card.direction == Direction.RECOGNITION))
            study.grade(learner, card.id, 3, uuid.uuid4().hex, FIXED_NOW)
        learners[name] = learner
    return teacher, classroom, deck, learners


def test_who_is_on_track_with_a_daily_target(course):
    teacher, classroom, deck, _ = course
    day1 = {r.username: r for r in classes.class_progress(teacher, classroom.id, FIXED_NOW)}
    assert (day1["qin"].on_track, day1["yang"].on_track) == (True, False)  # 2 expected on day one
    assert day1["yang"].targets[0].expected == 2 and day1["yang"].targets[0].started == 1
    day2 = {r.username: r for r in classes.class_progress(teacher, classroom.id, FIXED_NOW + timedelta(days=1))}
    assert day2["qin"].on_track and day2["qin"].targets[0].expected == 4
    later = classes.class_progress(teacher, classroom.id, FIXED_NOW + timedelta(days=30))
    assert later[0].targets[0].expected == 10  # 2 a day for the 5 days to the due date


def test_a_due_date_alone_spreads_the_deck_evenly(course):
    teacher, classroom, deck, _ = course
    classes.set_target(teacher, classroom.id, deck.id, date(2026, 11, 30), None, FIXED_NOW)  # 10 days
    rows = classes.class_progress(teacher, classroom.id, FIXED_NOW + timedelta(days=2))
    assert rows[0].targets[0].expected == 3  # ceil(10 words × 3 of 10 days)
    classes.set_target(teacher, classroom.id, deck.id, None, None, FIXED_NOW)
    assert classes.class_progress(teacher, classroom.id, FIXED_NOW)[0].on_track is None


def test_last_active_counts_every_deck(course):
    teacher, classroom, _, learners = course
    own = authoring.create_deck(teacher, "Other words", "", FIXED_NOW)
    imports.import_terms(teacher, own.id, [{"hanzi": "银行"}], FIXED_NOW)
    other_class = classes.create_class(teacher, "Evening class", FIXED_NOW)
    classes.assign_deck(teacher, other_class.id, own.id, FIXED_NOW)
    qin = learners["qin"]
    classes.join_class(qin, other_class.join_code, FIXED_NOW)
    study.start_deck(qin, db.session.get(Deck, own.id), FIXED_NOW, ["recognition"])
    card = db.session.scalar(select(Card).join(Term).where(Card.user_id == qin.id, Term.simplified == "银行",
                                                       Card.direction == Direction.RECOGNITION))
    later = FIXED_NOW + timedelta(days=3)
    study.grade(qin, card.id, 3, uuid.uuid4().hex, later)
    row = next(r for r in classes.class_progress(teacher, classroom.id, later) if r.username == "qin")
    assert row.last_active == later and row.reviews_7d == 4  # reviews stay the class's own decks


def test_the_learner_page_for_their_instructor(course, client, auth):
    teacher, classroom, deck, learners = course
    qin = learners["qin"]
    card = db.session.scalar(select(Card).join(Term).where(Card.user_id == qin.id, Term.simplified == "过年",
                                                       Card.direction == Direction.RECOGNITION))
    for minutes, rating in enumerate((1, 1, 3)):
        study.grade(qin, card.id, rating, uuid.uuid4().hex, FIXED_NOW + timedelta(minutes=10 + minutes))
    detail = classes.learner_detail(teacher, classroom.id, qin.id, FIXED_NOW + timedelta(hours=1))
    assert [(d.deck.title, d.terms, d.started) for d in detail.decks] == [("归途 words", 10, 4)]
    assert detail.reviews_30d == 7 and detail.per_day[-1] == (FIXED_NOW.date(), 7)
    assert [t.simplified for t in detail.forgotten] == ["过年"]
    assert detail.targets[0].on_track
    auth.login("teacher_li")
    page = client.get(f"/classes/{classroom.id}/learners/{qin.id}").get_data(as_text=True)
    assert "<h1>qin</h1>" in page and "4 of 10" in page and "Words qin forgets most" in page
    auth.logout()
    auth.login("yang")
    assert client.get(f"/classes/{classroom.id}/learners/{qin.id}").status_code == 404


def test_the_class_page_shows_targets_and_links_each_learner(course, client, auth):
    teacher, classroom, deck, learners = course
    auth.login("teacher_li")
    page = client.get(f"/classes/{classroom.id}").get_data(as_text=True)
    assert "2 new words a day until 25 November 2026" in page
    assert f'href="/classes/{classroom.id}/learners/{learners["qin"].id}">qin</a>' in page
    response = client.post(f"/classes/{classroom.id}/decks/{deck.id}/target", data={"daily_new": "abc"})
    assert response.status_code == 400 and "whole number" in response.get_data(as_text=True)


def test_a_printable_worksheet_of_the_class_words(course, client, auth):
    teacher, classroom, deck, _ = course
    auth.login("teacher_li")
    page = client.get(f"/classes/{classroom.id}/worksheet").get_data(as_text=True)
    assert page.count('<td lang="zh-Hans" class="ws-hanzi">') == 10
    assert "guònián" in page and "Print or save as PDF" in page and "worksheet.css" in page
    practice = client.get(f"/classes/{classroom.id}/worksheet?deck={deck.id}&blank=pinyin").get_data(as_text=True)
    assert "guònián" not in practice and "过年" in practice
    assert client.get(f"/classes/{classroom.id}/worksheet?deck=999999").status_code == 404


def test_renaming_and_deleting_a_deck_says_what_learners_lose(course, client, auth):
    teacher, classroom, deck, _ = course
    auth.login("teacher_li")
    client.post(f"/decks/{deck.id}/settings", data={"title": "Last Train Home words", "description": "Episode 1"})
    assert db.session.get(Deck, deck.id).title == "Last Train Home words"
    ask = client.get(f"/decks/{deck.id}/delete").get_data(as_text=True)
    assert "Delete Last Train Home words?" in ask, ask
    assert "2 learners lose 40 cards and the history of 5 reviews with this deck." in ask  # both directions: joining made them, ask[ask.find("<main"):ask.find("</main")]
    assert "It leaves the 1 class it is assigned to." in ask
    assert db.session.get(Deck, deck.id) is not None  # asking deleted nothing
    assert client.post(f"/decks/{deck.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Deck, deck.id) is None
    assert re.search("No deck assigned yet", client.get(f"/classes/{classroom.id}").get_data(as_text=True))


def test_due_for_the_instructor_is_what_the_learners_queue_would_show(course):
    """A suspended card and a card buried until tomorrow are not due, on the class page and the learner's
    page alike, and both agree with the learner's own review queue."""
    teacher, classroom, deck, learners = course
    qin = learners["qin"]
    later = FIXED_NOW + timedelta(hours=1)  # qin's 4 cards, graded Good once, are due again (learning)
    cards = db.session.scalars(select(Card).join(Term).where(
        Card.user_id == qin.id, Term.simplified.in_(WORDS[:4]), Card.direction == Direction.RECOGNITION)
        .order_by(Card.id)).all()
    assert classes.learner_detail(teacher, classroom.id, qin.id, later).decks[0].due == 4
    study.suspend(qin, cards[0].id, later)
    study.bury(qin, cards[1].id, later)
    db.session.commit()
    row = next(r for r in classes.class_progress(teacher, classroom.id, later) if r.username == "qin")
    detail = classes.learner_detail(teacher, classroom.id, qin.id, later)
    queue = study.counts(qin, later)
    assert row.due == detail.decks[0].due == queue.learning + queue.review == 2
