"""Configuration classes: everything an operator may change comes from the environment."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from app import limits


class Config:
    """Defaults for one machine. Subclasses below adjust them per environment."""

    ENV_NAME = "base"
    # Whether the environment variables in ENVIRONMENT may override these defaults.
    READS_ENVIRONMENT = True
    SQLALCHEMY_DATABASE_URI: str | None = None  # default: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY: str | None = None
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"  # login form and API tokens together, per client address
    LOGIN_ACCOUNT_RATE_LIMIT = "20 per hour"  # failed logins of one account, from any address
    REGISTER_RATE_LIMIT = "10 per hour"  # new accounts per client address
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_COUNT = 0
    MAX_CONTENT_LENGTH = limits.FORM_BODY_BYTES
    # Werkzeug's scrypt with its default cost (N=2**15, r=8, p=1).
    PASSWORD_HASH_METHOD = "scrypt"
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Strict-Transport-Security on HTTPS responses (behind a TLS proxy: PROXY_COUNT and X-Forwarded-Proto).
    HSTS = False
    DEMO_USERS = False
    # Where optimisations of learners' FSRS parameters run (app/services/fit_worker.py): "thread" (a
    # worker thread in each app process), "external" (only `flask scheduler work`) or "inline".
    FSRS_OPTIMIZER = "thread"
    # Where spoken audio is kept (one WAV file per text); default: the instance folder's audio/.
    AUDIO_CACHE_DIR: str | None = None

    # Environment variable -> (config key, type).
    ENVIRONMENT = {
        "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
        "SECRET_KEY": ("SECRET_KEY", str),
        "RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
        "LOGIN_RATE_LIMIT": ("LOGIN_RATE_LIMIT", str),
        "LOGIN_ACCOUNT_RATE_LIMIT": ("LOGIN_ACCOUNT_RATE_LIMIT", str),
        "REGISTER_RATE_LIMIT": ("REGISTER_RATE_LIMIT", str),
        "PROXY_COUNT": ("PROXY_COUNT", int),
        "SESSION_COOKIE_SECURE": ("SESSION_COOKIE_SECURE", bool),
        "FSRS_OPTIMIZER": ("FSRS_OPTIMIZER", str),
        "AUDIO_CACHE_DIR": ("AUDIO_CACHE_DIR", str),
    }

    @classmethod
    def read_environment(cls, config: dict, environ: dict = os.environ) -> None:
        """Let the operator's environment variables override the defaults."""
        if not cls.READS_ENVIRONMENT:
            return
        for variable, (key, kind) in cls.ENVIRONMENT.items():
            value = environ.get(variable)
            if value is None or value == "":
                continue
            if kind is bool:
                config[key] = value.strip().lower() in {"1", "true", "yes", "on"}
            else:
                config[key] = kind(value)
        if "SESSION_COOKIE_SECURE" in config:
            config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]

    @classmethod
    def finalise(cls, config: dict, instance_path: Path) -> None:
        """Fill in values that depend on the instance folder."""
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance_path / 'guitu.sqlite3'}"
        config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
        if not config.get("AUDIO_CACHE_DIR"):
            config["AUDIO_CACHE_DIR"] = str(instance_path / "audio")
        if config.get("FSRS_OPTIMIZER") not in ("thread", "external", "inline"):
            raise RuntimeError("FSRS_OPTIMIZER must be thread, external or inline")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEMO_USERS = True

    @classmethod
    def finalise(cls, config: dict, instance_path: Path) -> None:
        super().finalise(config, instance_path)
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = _instance_secret_key(instance_path)


class ProductionConfig(Config):
    ENV_NAME = "production"
    # Behind a TLS-terminating proxy; set SESSION_COOKIE_SECURE=0 only for a plain-HTTP trial.
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True

    @classmethod
    def finalise(cls, config: dict, instance_path: Path) -> None:
        super().finalise(config, instance_path)
        if not config.get("SECRET_KEY"):
            raise RuntimeError(
                "SECRET_KEY must be set in production: export SECRET_KEY=$(python -c "
                "'import secrets; print(secrets.token_hex(32))')"
            )


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    READS_ENVIRONMENT = False  # a test run must never touch the operator's database
    SECRET_KEY = "testing-secret-key"
    WTF_CSRF_ENABLED = False  # tests that check CSRF turn it back on
    RATELIMIT_ENABLED = False  # tests that check the limit turn it back on
    FSRS_OPTIMIZER = "external"  # tests run queued optimisations themselves, or start a worker
    RATELIMIT_STORAGE_URI = "memory://"
    # Cheap hashing keeps the suite fast; the algorithm is the same as production's.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def normalise_database_url(url: str) -> str:
    """Accept the URLs operators paste (postgres://, postgresql://) and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret_key(instance_path: Path) -> str:
    """A random development key, made once and kept in the instance folder so sessions survive restarts."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(key)
    tmp.chmod(0o600)
    try:
        os.link(tmp, path)  # atomic create: the first writer wins if two processes race
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()
