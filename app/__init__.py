"""Guitu's web application: the factory that builds a configured Flask app."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from flask import Flask, request
from flask_talisman import Talisman
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import CONFIGS, Config
from app.edge import check_request, init_edge
from app.extensions import commit_keeping_loaded, csrf, db, limiter, login_manager, migrate
from app.rate_limits import warn_if_counted_per_process

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# Served without the database: files, the health check (which tests it itself) and the API's documents.
# Every other request takes its connection before anything else, so that while the database is down it
# answers 503 (app.errors), not a verdict on its input that the database could not have confirmed.
NEEDS_NO_DATABASE = frozenset({"static", "main.healthz", "api-docs.openapi_json", "api_docs.page"})


def create_app(config: str | type[Config] | None = None, *, instance_path: str | None = None,
               **settings) -> Flask:
    """Build the application.

    `config` names a configuration ("development", "production", "testing") or is a Config class;
    without it, GUITU_CONFIG from the environment decides, and development is the default.
    Keyword settings override single values (tests pass SQLALCHEMY_DATABASE_URI this way);
    `instance_path` moves the instance folder (the default SQLite file and the development key).
    """
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    config_class = _config_class(config)
    app.config.from_object(config_class)
    config_class.read_environment(app.config)
    app.config.update(settings)
    config_class.finalise(app.config, Path(app.instance_path))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)

    init_edge(app)  # first: the id converter must be in place before any route is added
    db.init_app(app)
    _end_reads_with_commit(app)  # registered after Flask-SQLAlchemy's teardown, so it runs before it
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    warn_if_counted_per_process(app)
    init_security_headers(app)

    from app import models  # noqa: F401  (registers the tables with SQLAlchemy)
    from app.api import init_api
    from app.audio import bp as audio_bp
    from app.auth import bp as auth_bp
    from app.authoring import bp as authoring_bp
    from app.cards import bp as cards_bp
    from app.classes import bp as classes_bp
    from app.cli import register_cli
    from app.decks import bp as decks_bp
    from app.dictionary import bp as dictionary_bp
    from app.errors import register_error_handlers
    from app.main import bp as main_bp
    from app.progress import bp as progress_bp
    from app.reader import bp as reader_bp
    from app.services import fit_worker, vocabulary
    from app.settings import bp as settings_bp
    from app.study import bp as study_bp
    from app.templating import register_template_filters

    app.register_blueprint(main_bp)
    app.register_blueprint(audio_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(decks_bp, url_prefix="/decks")
    app.register_blueprint(authoring_bp, url_prefix="/decks")
    app.register_blueprint(settings_bp, url_prefix="/settings")
    app.register_blueprint(study_bp)
    app.register_blueprint(cards_bp)
    app.register_blueprint(progress_bp)
    app.register_blueprint(reader_bp)
    app.register_blueprint(dictionary_bp)
    app.register_blueprint(classes_bp)
    register_error_handlers(app)
    register_template_filters(app)
    register_cli(app)
    init_api(app)
    fit_worker.init_app(app)
    vocabulary.init_app(app)

    @app.before_request
    def _connect():
        if request.endpoint not in NEEDS_NO_DATABASE:
            db.session.connection()  # the request's first statement would take it anyway

    # Last, so the body size limits (the API's 1 MB) are set before the body is read.
    app.before_request(check_request)
    return app


# Everything from this site, nothing inline without the request's nonce, never framed.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_security_headers(app: Flask) -> None:
    """Flask-Talisman's headers on every response. TLS ends at the reverse proxy, which redirects plain
    HTTP itself, so Talisman neither redirects nor changes the session cookie settings of the config."""
    app.extensions["talisman"] = Talisman(
        app,
        force_https=False,
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        strict_transport_security=app.config["HSTS"],
        strict_transport_security_max_age=365 * 24 * 3600,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src", "style-src"],
    )


def _config_class(config: str | type[Config] | None) -> type[Config]:
    if config is None:
        config = os.environ.get("GUITU_CONFIG", "development")
    if isinstance(config, str):
        try:
            return CONFIGS[config]
        except KeyError:
            raise ValueError(f"unknown configuration {config!r}; choose one of {', '.join(CONFIGS)}") from None
    return config


def _end_reads_with_commit(app: Flask) -> None:
    """On PostgreSQL a request that wrote nothing ends its transaction with COMMIT instead of ROLLBACK.

    For a transaction that wrote nothing the two are the same, but psycopg forgets its prepared
    statements on every rollback, and without them PostgreSQL plans the review queue's queries afresh
    on every request, which costs more than running them. A transaction that sent anything but a
    SELECT (see _note_writes), has changes not yet flushed, or ended in an error still ends in a
    rollback, as before.
    """
    @app.teardown_appcontext
    def _commit_if_read_only(error):
        session = db.session()  # this request's Session
        if error is not None or not session.in_transaction() or session.new or session.dirty or session.deleted:
            return
        try:
            if session.get_bind().dialect.name != "postgresql":
                return  # SQLite begins a transaction only to write: a read-only request has none to end
            if not session.connection().info.get(_WROTE, True):
                commit_keeping_loaded()  # a streamed response may still read what it loaded
        except Exception:  # noqa: BLE001 (teardown must not fail; Flask-SQLAlchemy's rolls back next)
            session.rollback()


_WROTE = "guitu_wrote"  # in a connection's info: its transaction sent a statement that may write


@event.listens_for(Engine, "begin")
def _transaction_begins(conn) -> None:
    conn.info[_WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    """Anything but a SELECT may write (INSERT, UPDATE, DELETE, a WITH that hides one): only a
    transaction of SELECTs counts as read-only. Erring this way costs a rollback, never a write."""
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info[_WROTE] = True


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite defaults are wrong for a web app: turn on foreign keys, WAL and a busy timeout."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.close()
