"""Sessions end when the learner says so: logging out revokes the session and remember-me cookies on the
server (a copied cookie stops working), "log out everywhere" ends every other session and the API
tokens, and a password change does the same."""
import pytest

from tests.helpers import ApiClient, login


def cookie(client, name: str) -> str | None:
    found = client.get_cookie(name)
    return found.value if found else None


@pytest.fixture
def second_browser(app):
    """Another browser (its own cookie jar)."""
    return app.test_client()


def logged_in(client) -> bool:
    return client.get("/decks").status_code == 200


def test_a_copied_session_cookie_stops_working_at_logout(client, auth, make_user, second_browser):
    make_user("qin")
    auth.login()
    second_browser.set_cookie("session", cookie(client, "session"))  # stolen, say, from a shared computer
    assert logged_in(second_browser)
    auth.logout()
    assert not logged_in(client)
    assert not logged_in(second_browser)


def test_a_remember_me_cookie_stops_working_at_logout(client, auth, make_user, second_browser):
    make_user("qin")
    auth.login(remember=True)
    remember = cookie(client, "remember_token")
    assert remember
    second_browser.set_cookie("remember_token", remember)
    assert logged_in(second_browser)  # the remember cookie alone logs in
    auth.logout()
    third = client.application.test_client()
    third.set_cookie("remember_token", remember)
    assert not logged_in(third)


def test_log_out_everywhere_keeps_this_browser_only(client, auth, make_user, second_browser):
    make_user("qin")
    token = login(client, "qin")
    auth.login()
    second_browser.post("/auth/login", data={"username": "qin", "password": "correct horse", "remember": "y"})
    assert logged_in(second_browser)
    page = client.get("/settings").get_data(as_text=True)
    assert "Log out everywhere" in page
    response = client.post("/settings/sessions", follow_redirects=True)
    assert "logged out everywhere else" in response.get_data(as_text=True)
    assert logged_in(client)
    assert not logged_in(second_browser)
    assert ApiClient(client, token).get("/decks").status_code == 401


def test_a_password_change_revokes_every_other_session_and_token(client, auth, make_user, second_browser):
    make_user("qin")
    token = login(client, "qin")
    auth.login()
    second_browser.post("/auth/login", data={"username": "qin", "password": "correct horse"})
    wrong = client.post("/settings/password", data={"current": "not my password", "password": "a new passphrase",
                                                    "confirm": "a new passphrase"})
    assert wrong.status_code == 400 and "current password is wrong" in wrong.get_data(as_text=True)
    assert logged_in(second_browser)
    response = client.post("/settings/password", data={"current": "correct horse", "password": "a new passphrase",
                                                       "confirm": "a new passphrase"}, follow_redirects=True)
    assert "Password changed" in response.get_data(as_text=True)
    assert logged_in(client) and not logged_in(second_browser)
    assert ApiClient(client, token).get("/decks").status_code == 401
    auth.logout()
    assert auth.login("qin", "correct horse").status_code == 401
    assert auth.login("qin", "a new passphrase").status_code == 302
