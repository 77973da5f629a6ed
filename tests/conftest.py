"""Fixtures: an app on a real database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set),
a client, a CLI runner, `auth` for registering and logging in as a user would, and API clients with tokens."""
from __future__ import annotations

import os
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import MetaData, create_engine
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.models import Role, User
from app.services import accounts
from tests.helpers import PASSWORD, ApiClient, login, make_deck

FIXED_NOW = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)


class Clock:
    """The app's clock, moved by the test: every view reads the time through app.clock."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Every request of every test happens at FIXED_NOW (a Saturday noon UTC) unless the test moves
    `clock.now`: no test's outcome may depend on the hour it runs (study days turn at 4 a.m.)."""
    clock = Clock(FIXED_NOW)
    monkeypatch.setattr("app.clock.utcnow", clock)
    return clock


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'guitu-test.sqlite3'}"


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """Build the schema once per run through the migrations, exactly as an operator would."""
    from flask_migrate import upgrade

    drop_everything(database_url)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url,
                     instance_path=str(tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield
    drop_everything(database_url)


def drop_everything(url: str) -> None:
    """Drop every table, the migration bookkeeping included, so each run starts from nothing."""
    from app import config

    engine = create_engine(config.normalise_database_url(url))
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _no_optimiser_thread_outlives_the_tests():
    """A test that lets an app start its optimiser thread must stop it (the `app` fixture does): a
    thread left running polls a database other tests are using, and one that is dropped at the end."""
    yield
    alive = [t for t in threading.enumerate() if t.name == "guitu-fit-worker" and t.is_alive()]
    assert not alive, f"{len(alive)} optimiser thread(s) outlived their test"


@pytest.fixture
def app(database_url, _schema, tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, instance_path=str(tmp_path / "instance"))
    yield app
    worker = app.extensions.get("guitu_fit_worker")  # a test that served fits on a thread: stop it here, so
    if worker is not None:                           # it never polls another test's (or a dropped) database
        worker.stop()
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()


@pytest.fixture
def live_server(app):
    """The test app served on a free localhost port by a threaded server, for browsers and concurrent clients."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An application context, for tests that call services directly."""
    with app.app_context():
        yield


class AuthActions:
    """Register, log in and log out through the real pages."""

    def __init__(self, client):
        self.client = client

    def register(self, username="qin", password="correct horse", role="learner", confirm=None):
        return self.client.post("/auth/register", data={
            "username": username, "password": password,
            "confirm": password if confirm is None else confirm, "role": role,
        })

    def login(self, username="qin", password="correct horse", remember=False, next=None):
        url = "/auth/login" + (f"?next={next}" if next else "")
        data = {"username": username, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.post(url, data=data)

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def make_user(app):
    """Create a user through the accounts service; returns its id."""

    def make(username="qin", password="correct horse", role=Role.LEARNER) -> int:
        with app.app_context():
            return accounts.create_user(username, password, role).id

    return make


def get_user(user_id: int) -> User:
    return db.session.get(User, user_id)


# ---- the JSON API: users with tokens, and a deck ----

@pytest.fixture
def anon(client, clock):
    return ApiClient(client)


@pytest.fixture
def learner(client, make_user, clock):
    make_user("qin", PASSWORD, Role.LEARNER)
    return ApiClient(client, login(client, "qin"))


@pytest.fixture
def other_learner(client, make_user, clock):
    make_user("yang", PASSWORD, Role.LEARNER)
    return ApiClient(client, login(client, "yang"))


@pytest.fixture
def instructor(client, make_user, clock):
    make_user("teacher", PASSWORD, Role.INSTRUCTOR)
    return ApiClient(client, login(client, "teacher"))


@pytest.fixture
def deck_id(app) -> int:
    """A built-in deck of five terms."""
    with app.app_context():
        return make_deck(5).id


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session
