"""Guessing passwords and mass sign-ups run into limits: one login budget per address for the form and
the API together, one per account whatever the address, one for registrations; and production warns
when the limits would be counted per worker process."""
import base64
import logging

import pytest

from app import create_app
from tests.helpers import is_problem


@pytest.fixture
def limited(app, database_url, tmp_path):
    """An app with rate limits on (the `app` fixture empties the database afterwards)."""
    def make(**limits):
        return create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, instance_path=str(tmp_path),
                          RATELIMIT_ENABLED=True, **limits)
    return make


def basic(username, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def form_login(client, username, password, address="10.0.0.1"):
    return client.post("/auth/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def token_login(client, username, password, address="10.0.0.1"):
    return client.post("/api/v1/tokens", headers=basic(username, password), environ_base={"REMOTE_ADDR": address})


def test_the_login_form_and_api_tokens_share_one_budget_per_address(limited, make_user):
    make_user("qin")
    client = limited(LOGIN_RATE_LIMIT="3 per minute").test_client()
    assert form_login(client, "qin", "wrong password").status_code == 401
    assert token_login(client, "yang", "wrong password").status_code == 401
    assert form_login(client, "zhao", "wrong password").status_code == 401
    assert is_problem(token_login(client, "qin", "correct horse"), 429)
    assert form_login(client, "qin", "correct horse").status_code == 429
    assert form_login(client, "qin", "correct horse", address="10.0.0.2").status_code == 302  # another address


def test_failed_logins_of_one_account_are_limited_from_any_address(limited, make_user):
    make_user("qin")
    make_user("yang")
    client = limited(LOGIN_ACCOUNT_RATE_LIMIT="3 per hour").test_client()
    for address in ("10.0.0.1", "10.0.0.2"):
        assert form_login(client, "QIN", "wrong password", address).status_code == 401
    assert token_login(client, "qin", "wrong password", "10.0.0.3").status_code == 401
    response = token_login(client, "qin", "correct horse", "10.0.0.4")
    assert is_problem(response, 429)
    assert form_login(client, "qin", "correct horse", "10.0.0.5").status_code == 429
    assert form_login(client, "yang", "correct horse", "10.0.0.5").status_code == 302  # other accounts are fine


def test_successful_logins_do_not_use_up_the_accounts_budget(limited, make_user):
    make_user("qin")
    client = limited(LOGIN_ACCOUNT_RATE_LIMIT="2 per hour").test_client()
    for n in range(4):
        assert token_login(client, "qin", "correct horse", f"10.0.1.{n}").status_code == 201


def test_registration_is_limited_per_address(limited):
    client = limited(REGISTER_RATE_LIMIT="2 per hour").test_client()
    for name in ("qin", "yang"):
        response = client.post("/auth/register", data={"username": name, "password": "correct horse",
                                                       "confirm": "correct horse", "role": "learner"},
                               environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert response.status_code == 302
        client.post("/auth/logout", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    response = client.post("/api/v1/users", json={"username": "zhao", "password": "correct horse"},
                           environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert is_problem(response, 429)
    assert client.get("/auth/register", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200


def test_production_warns_when_limits_are_counted_per_worker(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        create_app("production", instance_path=str(tmp_path), SECRET_KEY="k" * 64,
                   SQLALCHEMY_DATABASE_URI="sqlite://", RATELIMIT_STORAGE_URI="memory://")
    assert any("memory://" in r.getMessage() and "redis://" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        create_app("production", instance_path=str(tmp_path), SECRET_KEY="k" * 64,
                   SQLALCHEMY_DATABASE_URI="sqlite://", RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0")
    assert not any("memory://" in r.getMessage() for r in caplog.records)
