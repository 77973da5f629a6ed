"""User names that look alike are one name: they are NFKC-normalised, and a name confusable with an
existing one (Latin, Cyrillic and Greek look-alikes) is refused, on the page and through the API."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User


def registered(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(User.username)))


def test_names_are_nfkc_normalised(client, auth, app):
    assert auth.register("ｑｉｎ").status_code == 302  # fullwidth letters, as a CJK keyboard types them
    assert registered(app) == ["qin"]
    auth.logout()
    assert auth.login("ｑｉｎ").status_code == 302
    assert auth.register("qin").status_code in (302, 409)


@pytest.mark.parametrize("lookalike", [
    "аdmin",  # Cyrillic а
    "ΑDMIN",  # Greek capital alpha
    "admіn",  # Cyrillic і
    "ADMIN",  # case only
    "ａｄｍｉｎ",  # fullwidth
])
def test_a_name_confusable_with_an_existing_one_is_refused(client, auth, app, make_user, lookalike):
    make_user("admin")
    response = auth.register(lookalike)
    assert response.status_code == 409
    assert "already taken or looks like" in response.get_data(as_text=True)
    api = client.post("/api/v1/users", json={"username": lookalike, "password": "correct horse"})
    assert api.status_code == 409
    assert registered(app) == ["admin"]


def test_names_that_only_resemble_each_other_remain_distinct(auth, app, make_user):
    make_user("qin")
    for name in ("qin2", "qiu", "张琴", "小琴"):
        assert auth.register(name).status_code == 302, name
        auth.logout()
    assert len(registered(app)) == 5
