"""How a request's transaction ends (app/__init__.py, _end_reads_with_commit): whatever a request wrote
without committing is gone; what it only read stays readable after it ends; and on PostgreSQL a
read-only request ends with COMMIT, so psycopg keeps its prepared statements from request to request."""
import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Deck


def test_a_request_that_wrote_without_committing_leaves_nothing(app):
    with app.app_context():
        db.session.add(Deck(title="flushed, never committed"))
        db.session.flush()
    with app.app_context():
        assert db.session.scalar(select(func.count(Deck.id)).where(Deck.title == "flushed, never committed")) == 0


def test_a_request_that_wrote_with_sql_of_its_own_without_committing_leaves_nothing(app):
    """A write the session's unit of work never saw (a bulk UPDATE, a CTE that hides an UPDATE)."""
    with app.app_context():
        db.session.add(Deck(title="as committed"))
        db.session.commit()
    statements = ["UPDATE decks SET title = 'changed' WHERE title = 'as committed'"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):  # SQLite has no UPDATE inside WITH
        statements.append("WITH moved AS (UPDATE decks SET title = 'changed' WHERE title = 'as committed' "
                          "RETURNING id) SELECT count(*) FROM moved")
    for statement in statements:
        with app.app_context():
            db.session.execute(select(Deck.id)).all()  # a read first: the transaction begins with a SELECT
            db.session.execute(text(statement))
        with app.app_context():
            assert db.session.scalar(select(func.count(Deck.id)).where(Deck.title == "changed")) == 0, statement


def test_what_a_read_only_request_loaded_stays_readable_after_it_ends(app):
    """A streamed response (the account download) reads its objects after the request's teardown."""
    with app.app_context():
        db.session.add(Deck(title="read after the end"))
        db.session.commit()
    with app.app_context():
        deck = db.session.scalar(select(Deck).where(Deck.title == "read after the end"))
    assert deck.title == "read after the end"


def test_read_only_requests_keep_postgresqls_prepared_statements(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("prepared statements are psycopg's, on PostgreSQL")
    for _ in range(8):  # psycopg prepares a statement on its 5th use on a connection
        with app.app_context():
            db.session.execute(select(Deck.id).where(Deck.title == "prepared?")).all()
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar() >= 1
