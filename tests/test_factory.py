"""The application factory builds a working app from each configuration."""
import pytest

from app import create_app


def test_testing_config(app):
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"]


def test_development_config_defaults_to_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app("development", instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=None,
                     SECRET_KEY=None)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'guitu.sqlite3'}"
    # A development key is generated once and kept, so sessions survive a restart.
    key = app.config["SECRET_KEY"]
    assert len(key) >= 32
    again = create_app("development", instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=None,
                       SECRET_KEY=None)
    assert again.config["SECRET_KEY"] == key


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", instance_path=str(tmp_path), SECRET_KEY=None,
                   SQLALCHEMY_DATABASE_URI="sqlite://")


def test_production_with_secret_key_and_postgres_url(tmp_path):
    app = create_app("production", instance_path=str(tmp_path), SECRET_KEY="s" * 64,
                     SQLALCHEMY_DATABASE_URI="postgres://guitu@db.example/guitu")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://guitu@db.example/guitu"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not app.testing


def test_config_is_chosen_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GUITU_CONFIG", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("DATABASE_URL", "postgresql://guitu@db.example/guitu")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("PROXY_COUNT", "1")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["ENV_NAME"] == "production"
    assert app.config["SECRET_KEY"] == "k" * 64
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://guitu@db.example/guitu"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert app.config["PROXY_COUNT"] == 1


def test_tests_never_read_the_operators_database_url(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://prod@db.example/guitu")
    app = create_app("testing", instance_path=str(tmp_path))
    assert "db.example" not in app.config["SQLALCHEMY_DATABASE_URI"]


def test_unknown_config_name_is_refused():
    with pytest.raises(ValueError, match="unknown configuration"):
        create_app("staging")


def test_sqlite_runs_with_foreign_keys_wal_and_busy_timeout(app):
    from sqlalchemy import text

    from app.extensions import db

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite pragmas only apply to SQLite")
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_healthz_answers_200_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "ok"


def test_healthz_answers_503_without_the_database(tmp_path):
    app = create_app("testing", instance_path=str(tmp_path),
                     SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
