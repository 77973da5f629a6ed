"""Signing up, getting a token with a password, using it, and losing it."""
from datetime import timedelta

from app.extensions import db
from app.models import ApiToken
from app.services.tokens import token_hash
from tests.helpers import basic, is_problem


def test_a_new_learner_signs_up_gets_a_token_and_uses_it(anon):
    response = anon.post("/users", {"username": "lin", "password": "correct horse", "role": "learner"})
    assert response.status_code == 201
    assert response.json == {"id": response.json["id"], "username": "lin", "role": "learner"}
    response = anon.post("/tokens", headers=basic("lin"))
    assert response.status_code == 201 and set(response.json) == {"token", "expires_at"}
    assert anon.as_(response.json["token"]).get("/decks").status_code == 200


def test_signing_up_with_a_taken_name_or_bad_input_fails_clearly(anon):
    assert anon.post("/users", {"username": "lin", "password": "correct horse"}).status_code == 201
    assert is_problem(anon.post("/users", {"username": "LIN", "password": "correct horse"}), 409)
    assert is_problem(anon.post("/users", {"username": "x", "password": "correct horse"}), 400)
    assert is_problem(anon.post("/users", {"username": "ok-name", "password": "short"}), 400)
    assert is_problem(anon.post("/users", {"username": "ok-name", "password": "correct horse", "role": "admin"}), 400)
    response = anon.post("/users", {"password": "correct horse"})
    assert is_problem(response, 400) and "username" in response.json["errors"]["json"]
    assert is_problem(anon.post("/users", [1, 2]), 400)
    assert is_problem(anon.post("/users", {"username": 5, "password": "correct horse"}), 400)
    bad_json = anon.client.post("/api/v1/users", data="{nope", content_type="application/json")
    assert is_problem(bad_json, 400)


def test_wrong_credentials_get_401_and_no_token(anon, make_user):
    make_user("lin")
    assert is_problem(anon.post("/tokens", headers=basic("lin", "wrong password")), 401)
    assert is_problem(anon.post("/tokens", headers=basic("nobody")), 401)
    assert is_problem(anon.post("/tokens"), 401)


def test_tokens_are_stored_hashed_and_expire(anon, make_user, session, clock):
    make_user("lin")
    token = anon.post("/tokens", headers=basic("lin")).json["token"]
    stored = session.scalars(db.select(ApiToken)).one()
    assert stored.token_hash == token_hash(token) and token not in stored.token_hash
    assert stored.expires_at == clock.now + timedelta(days=30)
    clock.now += timedelta(days=30)
    assert is_problem(anon.as_(token).get("/decks"), 401)


def test_a_tokens_last_use_is_recorded_to_within_five_minutes(anon, make_user, session, clock):
    """Operators see stale tokens by their last use: written on first use and when 5 minutes or more
    have passed, not on every request; the request is answered as its user either way."""
    make_user("lin")
    token = anon.post("/tokens", headers=basic("lin")).json["token"]

    def last_used():
        session.expire_all()
        return session.scalars(db.select(ApiToken.last_used_at)).one()

    assert last_used() is None
    start = clock.now
    assert anon.as_(token).get("/me").json["username"] == "lin"
    assert last_used() == start
    clock.now = start + timedelta(minutes=4)
    assert anon.as_(token).get("/me").json["username"] == "lin"
    assert last_used() == start
    clock.now = start + timedelta(minutes=5)
    assert anon.as_(token).get("/me").json["username"] == "lin"
    assert last_used() == start + timedelta(minutes=5)


def test_deleting_the_token_revokes_it(learner):
    assert learner.delete("/tokens").status_code == 204
    assert is_problem(learner.get("/decks"), 401)
    assert is_problem(learner.delete("/tokens"), 401)


def test_a_session_cookie_does_not_authenticate_the_api(client, auth, clock):
    auth.register("lin", "correct horse")
    auth.login("lin", "correct horse")
    assert client.get("/decks").status_code == 200  # the HTML pages know the session
    response = client.get("/api/v1/decks")
    assert is_problem(response, 401) and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_requests_are_rate_limited_like_the_login_form(app, anon, make_user):
    app.config.update(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    from app.extensions import limiter

    limiter.init_app(app)
    make_user("lin")
    statuses = [anon.post("/tokens", headers=basic("lin", "guess")).status_code for _ in range(5)]
    assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]
    assert is_problem(anon.post("/tokens", headers=basic("lin")), 429)


def test_the_api_needs_no_csrf_token(app, anon):
    app.config["WTF_CSRF_ENABLED"] = True
    assert anon.post("/users", {"username": "lin", "password": "correct horse"}).status_code == 201


def test_openapi_document_and_docs_page_are_served(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200 and spec.json["openapi"].startswith("3.")
    assert "/api/v1/reviews" in spec.json["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and b"/api/v1/reviews" in page.data
    assert b"cdn" not in page.data.lower() and b"<script" not in page.data


def test_huge_bodies_and_unknown_urls_are_problems(app, learner):
    app.config["API_MAX_BODY"] = 1000
    assert is_problem(learner.post("/annotate", {"text": "好" * 2000}), 413)
    assert is_problem(learner.get("/nowhere"), 404)
