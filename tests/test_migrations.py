"""`flask db upgrade` builds the whole schema from an empty database, on SQLite and on PostgreSQL."""
import re
import uuid
from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A brand-new empty database on the engine under test."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = f"guitu_mig_{uuid.uuid4().hex[:12]}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def test_upgrade_from_empty_matches_the_models_and_downgrade_removes_everything(empty_database_url, tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url, instance_path=str(tmp_path))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "decks", "terms", "cards", "review_logs", "classrooms", "enrollments",
                "deck_assignments", "api_tokens", "alembic_version"} <= tables
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_the_cli_upgrade_command_works(empty_database_url, tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url, instance_path=str(tmp_path))
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "cards" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_upgrading_removes_leaked_assignments_and_makes_the_cards_reading_used_to(empty_database_url, tmp_path):
    """Before 0004 another instructor's private deck could be assigned, and cards were made when the
    queue was read; the upgrade removes the one and makes the other."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url, instance_path=str(tmp_path))
    with app.app_context():
        upgrade(revision="0003")
        then = datetime(2026, 11, 1, tzinfo=timezone.utc)
        if db.engine.dialect.name == "sqlite":
            then = then.replace(tzinfo=None)  # SQLite keeps naive UTC
        with db.engine.begin() as conn:
            for sql in (
                "INSERT INTO users (id, username, password_hash, role, created_at, desired_retention, new_cards_per_day,"
                " max_reviews_per_day, learning_steps, relearning_steps, timezone, script, tone_colors) VALUES"
                " (1, 'li', 'x', 'instructor', :now, 0.9, 20, 200, '1m', '10m', 'UTC', 'simplified', :yes),"
                " (2, 'wang', 'x', 'instructor', :now, 0.9, 20, 200, '1m', '10m', 'UTC', 'simplified', :yes),"
                " (3, 'qin', 'x', 'learner', :now, 0.9, 20, 200, '1m', '10m', 'UTC', 'simplified', :yes),"
                " (4, 'yang', 'x', 'learner', :now, 0.9, 20, 200, '1m', '10m', 'UTC', 'simplified', :yes)",
                "INSERT INTO decks (id, owner_id, title, description, builtin, created_at) VALUES"
                " (1, 1, 'Li private', '', :no, :now)",
                "INSERT INTO terms (id, deck_id, position, simplified, traditional, pinyin, english, example_zh,"
                " example_pinyin, example_en, note, source) VALUES (1, 1, 0, '过年', '', '', '', '', '', '', '', ''),"
                " (2, 1, 1, '春节', '', '', '', '', '', '', '', '')",
                "INSERT INTO classrooms (id, instructor_id, name, join_code, created_at) VALUES"
                " (1, 1, 'Li class', 'AAAA2222', :now), (2, 2, 'Wang class', 'BBBB3333', :now)",
                # Qin is in Li's class; Yang in Wang's class, to which Wang assigned Li's deck.
                "INSERT INTO enrollments (classroom_id, user_id, joined_at) VALUES (1, 3, :now), (2, 4, :now)",
                "INSERT INTO deck_assignments (classroom_id, deck_id, assigned_at) VALUES (1, 1, :now), (2, 1, :now)",
                "INSERT INTO deck_studies (user_id, deck_id, recognition, recall, listening, started_at)"
                " VALUES (4, 1, :yes, :yes, :no, :now)",
            ):
                conn.execute(text(sql).bindparams(**{k: v for k, v in (("now", then), ("yes", True),
                                                                        ("no", False)) if re.search(rf":{k}\b", sql)}))
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT classroom_id FROM deck_assignments")).scalars().all() == [1]
            assert conn.execute(text("SELECT user_id FROM deck_studies")).scalars().all() == [3]
            cards = conn.execute(text("SELECT user_id, term_id, direction FROM cards ORDER BY term_id, direction"))
            assert cards.all() == [(3, 1, "recall"), (3, 1, "recognition"), (3, 2, "recall"), (3, 2, "recognition")]
        db.engine.dispose()
