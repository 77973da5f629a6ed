"""API fixtures: a JSON client that sends bearer tokens, users with tokens, a deck."""
from __future__ import annotations

import base64

import pytest

from app.extensions import db
from app.models import Role
from tests.test_study import make_deck

PASSWORD = "correct horse"


class ApiClient:
    def __init__(self, client, token: str | None = None):
        self.client, self.token = client, token

    def _headers(self, headers):
        out = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        out.update(headers or {})
        return out

    def get(self, path, headers=None, **kw):
        return self.client.get("/api/v1" + path, headers=self._headers(headers), **kw)

    def post(self, path, json=None, headers=None, **kw):
        return self.client.post("/api/v1" + path, json=json, headers=self._headers(headers), **kw)

    def delete(self, path, headers=None, **kw):
        return self.client.delete("/api/v1" + path, headers=self._headers(headers), **kw)

    def as_(self, token):
        return ApiClient(self.client, token)


def basic(username, password=PASSWORD) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def login(client, username, password=PASSWORD) -> str:
    response = client.post("/api/v1/tokens", headers=basic(username, password))
    assert response.status_code == 201, response.json
    return response.json["token"]


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


def is_problem(response, status: int) -> bool:
    body = response.get_json(force=True, silent=True) or {}
    return (response.status_code == status and response.mimetype == "application/problem+json"
            and body.get("status") == status and "title" in body and "detail" in body)


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session
