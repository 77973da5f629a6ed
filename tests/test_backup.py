"""`flask --app wsgi backup FILE` and `restore FILE`: SQLite's online backup API takes a consistent copy
while reviews keep coming in, and a restore brings back users, decks, cards, review logs and API tokens
exactly. On PostgreSQL the commands point to pg_dump and pg_restore. (Each test makes its own SQLite
database, so they run the same in the PostgreSQL pass.)"""
import sqlite3
import threading
import uuid
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Card, ReviewLog, Role
from app.services import accounts, authoring, classes, imports, study, tokens
from tests.conftest import FIXED_NOW

TABLES = ("users", "decks", "terms", "deck_studies", "cards", "review_logs", "classrooms", "enrollments",
          "deck_assignments", "api_tokens")


@pytest.fixture
def sqlite_app(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite3'}",
                     instance_path=str(tmp_path / "instance"))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def fill(app) -> str:
    """A teacher, a class, a learner with 40 cards and some reviews, and an API token; returns the token."""
    with app.app_context():
        teacher = accounts.create_user("teacher_li", "correct horse", Role.INSTRUCTOR)
        deck = authoring.create_deck(teacher, "Film words", "", FIXED_NOW)
        words = ["过年", "春节", "孝顺", "户口", "春运", "打工", "回家", "团圆", "家乡", "火车票",
                 "排队", "工厂", "宿舍", "工资", "奶奶", "女儿", "儿子", "父母", "吵架", "原谅"]
        imports.import_terms(teacher, deck.id, [{"hanzi": w} for w in words], FIXED_NOW)
        classroom = classes.create_class(teacher, "Chinese 201", FIXED_NOW)
        classes.assign_deck(teacher, classroom.id, deck.id, FIXED_NOW)
        learner = accounts.create_user("qin", "correct horse")
        classes.join_class(learner, classroom.join_code, FIXED_NOW)
        for _ in range(5):
            card, _ = study.next_card(learner, FIXED_NOW)
            study.grade(learner, card.id, 3, uuid.uuid4().hex, FIXED_NOW)
        token, _ = tokens.issue_token(learner, FIXED_NOW)
        return token


def rows(path) -> dict[str, list]:
    with sqlite3.connect(path) as connection:
        return {table: connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in TABLES}


def test_a_backup_taken_under_load_restores_everything(sqlite_app, tmp_path):
    token = fill(sqlite_app)
    runner = sqlite_app.test_cli_runner()
    stop = threading.Event()

    def keep_reviewing():  # another process's worth of writes while the backup runs
        with sqlite_app.app_context():
            learner = accounts.find_user("qin")
            moment = FIXED_NOW
            while not stop.is_set():
                moment += timedelta(minutes=1)
                card, _ = study.next_card(learner, moment)
                if card is None:
                    break
                study.grade(learner, card.id, 1 + card.reps % 4, uuid.uuid4().hex, moment)

    writer = threading.Thread(target=keep_reviewing)
    writer.start()
    try:
        result = runner.invoke(args=["backup", str(tmp_path / "guitu-backup.sqlite3")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "Backed up the database" in result.output
    saved = rows(tmp_path / "guitu-backup.sqlite3")
    # A consistent snapshot: every card's review count matches its logs, whatever was being written.
    with sqlite3.connect(tmp_path / "guitu-backup.sqlite3") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        mismatched = copy.execute("SELECT count(*) FROM cards WHERE reps != "
                                  "(SELECT count(*) FROM review_logs WHERE review_logs.card_id = cards.id)").fetchone()
        assert mismatched == (0,)
    assert len(saved["review_logs"]) >= 5 and len(saved["api_tokens"]) == 1 and len(saved["users"]) == 2

    with sqlite_app.app_context():  # life goes on, then something goes wrong
        accounts.delete_user(accounts.find_user("qin"))
        accounts.create_user("yang", "correct horse")
    result = runner.invoke(args=["restore", str(tmp_path / "guitu-backup.sqlite3"), "--yes"])
    assert result.exit_code == 0, result.output
    assert rows(tmp_path / "live.sqlite3") == saved
    with sqlite_app.app_context():
        qin = accounts.find_user("qin")
        assert db.session.scalar(select(func.count(ReviewLog.id)).where(ReviewLog.user_id == qin.id)) == len(
            saved["review_logs"])
        assert db.session.scalar(select(func.count(Card.id)).where(Card.user_id == qin.id)) == 40
        assert accounts.find_user("yang") is None
    client = sqlite_app.test_client()
    assert client.get("/api/v1/stats", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.post("/auth/login", data={"username": "qin", "password": "correct horse"}).status_code == 302


def test_restore_refuses_a_file_that_is_not_a_guitu_backup(sqlite_app, tmp_path):
    fill(sqlite_app)
    before = rows(tmp_path / "live.sqlite3")
    junk = tmp_path / "notes.sqlite3"
    with sqlite3.connect(junk) as other:
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    runner = sqlite_app.test_cli_runner()
    for path in (junk, text):
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code != 0 and "not a Guitu backup" in result.output
    assert rows(tmp_path / "live.sqlite3") == before


def test_restore_asks_first(sqlite_app, tmp_path):
    fill(sqlite_app)
    runner = sqlite_app.test_cli_runner()
    runner.invoke(args=["backup", str(tmp_path / "b.sqlite3")])
    result = runner.invoke(args=["restore", str(tmp_path / "b.sqlite3")], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output


def test_on_postgresql_the_commands_name_pg_dump_and_pg_restore(tmp_path):
    app = create_app("testing", instance_path=str(tmp_path),
                     SQLALCHEMY_DATABASE_URI="postgresql+psycopg://guitu@127.0.0.1:1/guitu")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(tmp_path / "x.dump")])
    assert result.exit_code != 0 and "pg_dump" in result.output
    (tmp_path / "x.dump").write_bytes(b"PGDMP")
    result = runner.invoke(args=["restore", str(tmp_path / "x.dump"), "--yes"])
    assert result.exit_code != 0 and "pg_restore" in result.output
