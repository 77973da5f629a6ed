"""Hostile bytes, one defect each: NUL, lone surrogates, deep JSON, digits int() refuses, ids past 64 bits,
malformed term files, generated values too long for their column. Each gets a clear 4xx, never a 500,
and nothing is half-saved. (tests/test_hostile_input.py throws generated inputs at every form and endpoint.)"""
import base64
import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Role, Term, User
from tests.helpers import confirm, is_problem, make_deck

HUGE = 2**64 + 1  # past any 64-bit integer


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_nul_in_a_form_field_is_refused_with_a_message(client, app, auth):
    response = auth.register("qin\x00", "correct horse")
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    assert count(app, User) == 0
    response = client.post("/auth/login", data={"username": "q\x00in", "password": "correct horse"})
    assert response.status_code == 400


def test_nul_in_a_form_field_of_a_logged_in_page(client, app, auth, make_user):
    make_user("teacher_li", role=Role.INSTRUCTOR)
    auth.login("teacher_li")
    response = client.post("/decks/new", data={"title": "Film\x00words"})
    assert response.status_code == 400
    response = client.post("/classes", data={"name": "Chinese\x00 201"})
    assert response.status_code == 400


def test_nul_in_the_http_basic_user_name(client):
    credentials = base64.b64encode(b"qi\x00n:correct horse").decode()
    response = client.post("/api/v1/tokens", headers={"Authorization": f"Basic {credentials}"})
    assert is_problem(response, 400)
    assert "NUL" in response.json["detail"]


def test_nul_in_a_url_path(client, auth):
    auth.register()
    assert client.get("/classes/join/AB%00CD").status_code == 400


def test_a_lone_surrogate_in_json_is_refused(learner):
    body = b'{"text": "\\u4f60\\ud800"}'
    response = learner.post("/annotate", data=body, headers={"Content-Type": "application/json"})
    assert is_problem(response, 400)
    assert "surrogate" in response.json["detail"]


def test_deeply_nested_json_is_refused_not_a_recursion_error(learner, client, auth):
    deep = b"[" * 100_000 + b"]" * 100_000
    response = learner.post("/reviews", data=deep, headers={"Content-Type": "application/json"})
    assert is_problem(response, 400)
    assert "nested" in response.json["detail"]
    auth.register("yang")
    response = client.post("/review/check", data=deep, headers={"Content-Type": "application/json"})
    assert response.status_code == 400


@pytest.mark.parametrize("digit", ["²", "①", "٣", "１"])
def test_digits_that_int_refuses_are_a_400(client, app, auth, digit):
    auth.register()
    with app.app_context():
        deck_id = make_deck(2).id
    client.post(f"/decks/{deck_id}/study")
    assert client.get(f"/review?deck={digit}").status_code == 400
    assert client.post("/review/grade", data={"card_id": digit, "rating": "3", "client_review_id": "x"}).status_code == 400
    assert client.post("/review/grade", data={"card_id": "1", "rating": digit, "client_review_id": "x"}).status_code == 400


def test_ids_past_64_bits_are_not_found(client, app, auth, learner):
    auth.register("yang")
    for path in (f"/decks/{HUGE}", f"/decks/{HUGE}/export.csv", f"/classes/{HUGE}", f"/classes/join/{HUGE}"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/review/cards/{HUGE}/suspend").status_code == 404
    assert client.post(f"/decks/{HUGE}/study").status_code == 404
    assert client.post("/review/grade", data={"card_id": str(HUGE), "rating": "3",
                                              "client_review_id": "x"}).status_code == 400
    assert client.post("/classes/1/decks", data={"deck_id": str(HUGE)}).status_code in (400, 404)
    assert is_problem(learner.get(f"/cards/{HUGE}"), 404)
    assert is_problem(learner.get(f"/review/next?deck_id={HUGE}"), 400)
    assert is_problem(learner.post("/reviews", {"reviews": [{"card_id": HUGE, "rating": 3,
                                                              "client_review_id": "x"}]}), 400)


@pytest.fixture
def teacher_deck(client, auth, make_user):
    make_user("teacher_li", role=Role.INSTRUCTOR)
    auth.login("teacher_li")
    response = client.post("/decks/new", data={"title": "Film words"})
    return int(re.search(r"/decks/(\d+)/edit", response.headers["Location"])[1])


def preview_file(client, deck_id, data: bytes):
    return client.post(f"/decks/{deck_id}/preview", data={"source": "file", "file": (io.BytesIO(data), "t.txt")},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("data, message", [
    (b"#separator:ab\n#columns:hanzi\tenglish\n\xe8\xbf\x87\xe5\xb9\xb4\tNew Year\n", "separator"),
    (b"#separator:tab\n#deck column:\xc2\xb2\n\xe8\xbf\x87\xe5\xb9\xb4\tNew Year\n", "column"),
    ("hanzi,english\n过年,".encode() + b"x" * 140_000 + b"\n", "Line 2"),
])
def test_malformed_term_files_get_a_clear_message(client, app, teacher_deck, data, message):
    for response in (preview_file(client, teacher_deck, data),):
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert count(app, Term) == 0


def test_a_file_with_old_mac_line_ends_is_read(client, teacher_deck):
    html = preview_file(client, teacher_deck, "hanzi,english\r过年,New Year\r春节,Spring Festival\r".encode())
    assert html.status_code == 200
    page = html.get_data(as_text=True)
    assert "cannot be imported" not in page
    saved = confirm(client, teacher_deck, page)
    assert saved.status_code == 302
    with client.application.app_context():
        assert sorted(db.session.scalars(select(Term.simplified).where(Term.deck_id == teacher_deck))) == ["春节", "过年"]


def test_malformed_term_files_through_the_api(instructor):
    deck_id = instructor.post("/decks", {"title": "Film words"}).json["id"]
    for data in (b"#separator:ab\n\xe8\xbf\x87\xe5\xb9\xb4\tNew Year\n",
                 "hanzi,english\n过年,".encode() + b"x" * 140_000 + b"\n"):
        response = instructor.post(f"/decks/{deck_id}/import", json=None, data={"file": (io.BytesIO(data), "t.txt")},
                                   content_type="multipart/form-data")
        assert is_problem(response, 400)


def test_a_long_term_whose_generated_pinyin_would_not_fit_is_refused_whole(instructor, app):
    deck_id = instructor.post("/decks", {"title": "Long words"}).json["id"]
    response = instructor.post(f"/decks/{deck_id}/terms", {"terms": [{"hanzi": "过年"}, {"hanzi": "装" * 64}]})
    assert is_problem(response, 400)
    [error] = response.json["errors"]
    assert (error["index"], error["field"]) == (1, "pinyin")
    assert "at most 200 characters" in error["detail"]
    assert count(app, Term) == 0  # all or nothing: 过年 was not saved either
