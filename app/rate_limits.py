"""Rate limits against guessing passwords and mass sign-ups, shared by the pages and the API.

Logging in (the form) and getting an API token (HTTP Basic) draw on one budget per client address,
and failed attempts on one account draw on a budget of that account, whatever the address.
Registering (the form or POST /api/v1/users) has its own budget per address. The limits count in
RATELIMIT_STORAGE_URI: with several worker processes that must be shared storage (Redis).
"""
from __future__ import annotations

import unicodedata

from flask import Flask, current_app, request

from app.extensions import limiter


def _attempted_account() -> str:
    """The account a login attempt is for, as the form or the Basic credentials name it."""
    if request.authorization is not None and request.authorization.type == "basic":
        name = request.authorization.username or ""
    else:
        name = request.form.get("username", "")
    return "account:" + unicodedata.normalize("NFKC", name).strip().casefold()


def _failed(response) -> bool:
    return response.status_code == 401


login_per_address = limiter.shared_limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], scope="login",
                                         methods=["POST"])
login_per_account = limiter.shared_limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
                                         scope="login-account", key_func=_attempted_account, methods=["POST"],
                                         deduct_when=_failed)
registration = limiter.shared_limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], scope="register",
                                    methods=["POST"])


def login_limits(view):
    """Both login budgets: per client address, and failed attempts per account."""
    return login_per_address(login_per_account(view))


def warn_if_counted_per_process(app: Flask) -> None:
    """In production every gunicorn worker would count on its own with memory:// storage, multiplying
    each limit by the number of workers: say so loudly at start-up."""
    if app.config["ENV_NAME"] == "production" and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        app.logger.warning(
            "RATELIMIT_STORAGE_URI is memory://: each worker process keeps its own counts, so with N gunicorn "
            "workers the login and registration limits are N times looser. Set RATELIMIT_STORAGE_URI to shared "
            "storage, e.g. redis://127.0.0.1:6379/0."
        )
