"""The data model keeps no orphans and enforces its rules on both engines."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError

from app.extensions import db
from app.models import (
    ApiToken,
    Card,
    Classroom,
    Deck,
    DeckAssignment,
    Direction,
    Enrollment,
    ReviewLog,
    Role,
    Term,
    User,
)
from app.services import accounts
from tests.conftest import FIXED_NOW


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _learner_with_history(username="qin") -> User:
    user = accounts.create_user(username, "correct horse", Role.LEARNER)
    teacher = accounts.create_user(username + "_teacher", "correct horse", Role.INSTRUCTOR)
    deck = Deck(title="归途列车", owner=teacher)
    term = Term(simplified="春节", traditional="春節", pinyin="Chūnjié", english="Spring Festival")
    deck.terms.append(term)
    card = Card(user=user, term=term, direction=Direction.RECOGNITION, due=FIXED_NOW)
    classroom = Classroom(instructor=teacher, name="Chinese 101", join_code="ABC123")
    db.session.add_all([deck, card, classroom])
    db.session.flush()
    db.session.add_all([
        ReviewLog(user_id=user.id, card=card, rating=3, reviewed_at=FIXED_NOW, client_review_id="r1",
                  state_before={}, state_after={}),
        Enrollment(classroom=classroom, user=user),
        DeckAssignment(classroom=classroom, deck=deck),
        ApiToken(user_id=user.id, token_hash="0" * 64, expires_at=FIXED_NOW + timedelta(days=30)),
    ])
    db.session.commit()
    return user


def test_deleting_a_user_removes_their_cards_logs_tokens_and_enrollments(ctx):
    user = _learner_with_history()
    assert (_count(Card), _count(ReviewLog), _count(ApiToken), _count(Enrollment)) == (1, 1, 1, 1)
    accounts.delete_user(user)
    assert (_count(Card), _count(ReviewLog), _count(ApiToken), _count(Enrollment)) == (0, 0, 0, 0)
    assert _count(Deck) == 1  # the instructor's deck stays


def test_deleting_an_instructor_removes_their_decks_classes_and_the_cards_in_them(ctx):
    _learner_with_history()
    teacher = accounts.find_user("qin_teacher")
    accounts.delete_user(teacher)
    for model in (Deck, Term, Card, ReviewLog, Classroom, Enrollment, DeckAssignment):
        assert _count(model) == 0, model.__name__
    assert _count(User) == 1


def test_deleting_a_deck_removes_its_terms_cards_and_logs(ctx):
    _learner_with_history()
    db.session.delete(db.session.scalar(select(Deck)))
    db.session.commit()
    for model in (Term, Card, ReviewLog, DeckAssignment):
        assert _count(model) == 0, model.__name__


def test_deleting_rows_in_sql_cascades_too(ctx):
    """The database itself enforces the cascade, not just the ORM (SQLite needs foreign_keys on)."""
    _learner_with_history()
    db.session.execute(Deck.__table__.delete())
    db.session.commit()
    assert _count(Card) == 0 and _count(ReviewLog) == 0


def test_a_client_review_id_counts_once_per_user(ctx):
    user = _learner_with_history()
    card = db.session.scalar(select(Card))
    db.session.add(ReviewLog(user_id=user.id, card_id=card.id, rating=1, reviewed_at=FIXED_NOW,
                             client_review_id="r1", state_before={}, state_after={}))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_usernames_are_unique_ignoring_case_in_the_database_itself(ctx):
    db.session.add(User(username="Yang", password_hash="x"))
    db.session.commit()
    db.session.add(User(username="yANG", password_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_times_come_back_as_utc_and_naive_times_are_refused(ctx):
    user = _learner_with_history()
    card = db.session.scalar(select(Card))
    db.session.expire_all()
    assert db.session.get(Card, card.id).due == FIXED_NOW
    assert db.session.get(Card, card.id).due.utcoffset() == timedelta(0)
    card = db.session.get(Card, card.id)
    card.due = FIXED_NOW.replace(tzinfo=None)
    with pytest.raises(StatementError, match="naive datetime"):
        db.session.commit()
    db.session.rollback()
    assert user.id


def test_the_due_index_exists(ctx):
    from sqlalchemy import inspect

    indexes = {ix["name"]: ix["column_names"] for ix in inspect(db.engine).get_indexes("cards")}
    assert indexes["ix_cards_user_due"] == ["user_id", "due"]
