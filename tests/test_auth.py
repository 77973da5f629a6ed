"""Registering, logging in and out, as a visitor would."""
import re

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Role, User


def test_register_logs_the_new_learner_in(client, auth, app):
    response = auth.register("qin", "correct horse", "learner")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert "Welcome back, qin" in client.get("/").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "qin"))
        assert user.role is Role.LEARNER
        assert user.password_hash.startswith("scrypt:")
        assert "correct horse" not in user.password_hash


def test_register_as_instructor(auth, app):
    auth.register("teacher_li", "correct horse", "instructor")
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.username == "teacher_li")) is Role.INSTRUCTOR


def test_nobody_registers_as_admin_through_the_form(auth, app):
    response = auth.register("mallory", "correct horse", "admin")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "mallory")) is None


def test_duplicate_username_ignoring_case_is_refused(auth, make_user):
    make_user("Qin")
    response = auth.register("qin", "another password")
    assert response.status_code == 409
    assert "already taken" in response.get_data(as_text=True)


def test_too_short_password_is_refused_with_the_rule(auth, app):
    response = auth.register("yang", "short")
    assert response.status_code == 400
    assert "at least 8 characters" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "yang")) is None


def test_mismatched_confirmation_is_refused(auth):
    response = auth.register("yang", "correct horse", confirm="correct house")
    assert response.status_code == 400
    assert "The passwords differ." in response.get_data(as_text=True)


def test_bad_username_is_refused(auth):
    response = auth.register("<b>", "correct horse")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Usernames are 2 to 32 characters" in page
    assert "<b>" not in page and 'value="&lt;b&gt;"' in page  # echoed back escaped, never as markup


def test_chinese_usernames_are_welcome(auth, client):
    assert auth.register("张琴", "correct horse").status_code == 302
    assert "张琴" in client.get("/").get_data(as_text=True)


def test_login_with_the_right_password(client, auth, make_user):
    make_user("qin")
    response = auth.login("QIN", "correct horse")  # the name is not case-sensitive
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome back" in client.get("/").get_data(as_text=True)


def test_login_with_a_wrong_password_says_so(client, auth, make_user):
    make_user("qin")
    response = auth.login("qin", "wrong password")
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)
    assert "Welcome back" not in client.get("/").get_data(as_text=True)


def test_login_with_an_unknown_name_gives_the_same_message(auth):
    response = auth.login("nobody", "whatever123")
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_logout(client, auth, make_user):
    make_user("qin")
    auth.login()
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/decks").status_code == 302  # back to the login page


def test_logout_by_get_only_shows_the_button(client, auth, make_user):
    make_user("qin")
    auth.login()
    assert client.get("/auth/logout").status_code == 200
    assert client.get("/decks").status_code == 200  # still logged in


def test_remember_me_sets_a_lasting_cookie(client, auth, make_user):
    make_user("qin")
    response = auth.login(remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=") and "Expires=" in c for c in cookies)
    auth.logout()
    response = auth.login(remember=False)
    assert response.status_code == 302
    assert not any(c.startswith("remember_token=") and "Expires=Thu, 01 Jan 1970" not in c
                   for c in response.headers.getlist("Set-Cookie"))


def test_pages_need_a_login_and_come_back_after_it(client, auth, make_user):
    make_user("qin")
    response = client.get("/decks")
    assert response.status_code == 302
    assert "/auth/login?next=%2Fdecks" in response.headers["Location"]
    response = auth.login(next="/decks")
    assert response.headers["Location"] == "/decks"


@pytest.mark.parametrize("target", [
    "https://evil.example/phish", "//evil.example", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "http:/evil.example", "/%0d%0aLocation:%20https://evil.example",
])
def test_next_redirect_only_goes_to_local_paths(auth, make_user, target):
    make_user("qin")
    response = auth.login(next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_forms_without_a_csrf_token_are_refused(database_url, _schema, tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, instance_path=str(tmp_path),
                     WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/auth/login", data={"username": "qin", "password": "correct horse"})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    response = client.post("/auth/register", data={"username": "qin", "password": "correct horse",
                                                   "confirm": "correct horse", "role": "learner"})
    assert response.status_code == 400


def test_forms_with_a_csrf_token_work(database_url, _schema, tmp_path, app):
    csrf_app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, instance_path=str(tmp_path),
                          WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    page = client.get("/auth/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    response = client.post("/auth/register", data={"username": "qin", "password": "correct horse",
                                                   "confirm": "correct horse", "role": "learner",
                                                   "csrf_token": token})
    assert response.status_code == 302


def test_login_attempts_are_rate_limited(database_url, _schema, tmp_path, make_user):
    make_user("qin")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, instance_path=str(tmp_path),
                     RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    for _ in range(3):
        assert client.post("/auth/login", data={"username": "qin", "password": "wrong password"}).status_code == 401
    response = client.post("/auth/login", data={"username": "qin", "password": "correct horse"})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Reading the form is not an attempt.
    assert client.get("/auth/login").status_code == 200


def test_errors_never_show_a_stack_trace(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert "Something went wrong" in body


def test_unknown_pages_are_404_pages(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Not Found" in response.get_data(as_text=True)
