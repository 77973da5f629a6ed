"""What standard HTTP clients and generated tests expect of the API: Allow on 405, a Basic challenge on
POST /tokens, 415 for a body that is not JSON, pages with Link headers, and an OpenAPI document that
states the real limits and every status an operation answers (no catch-all)."""
import io
import re

import pytest
import requests

from app.extensions import db
from app.models import Deck, Term
from tests.helpers import is_problem


def test_405_says_which_methods_are_allowed(learner, client, auth):
    response = learner.delete("/stats")
    assert is_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}
    auth.register("yang")
    page = client.delete("/decks")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]


def test_post_tokens_challenges_with_basic(anon, learner):
    response = anon.post("/tokens")
    assert is_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert re.search(r'realm="?guitu"?', response.headers["WWW-Authenticate"])
    assert anon.get("/stats").headers["WWW-Authenticate"].startswith("Bearer")


def test_a_standard_client_logs_in_after_the_challenge(live_server, make_user):
    make_user("qin")
    # requests only sends Basic credentials as told; the challenge names the scheme it needs.
    challenge = requests.post(f"{live_server}/api/v1/tokens")
    assert challenge.status_code == 401 and challenge.headers["WWW-Authenticate"].startswith("Basic")
    response = requests.post(f"{live_server}/api/v1/tokens", auth=("qin", "correct horse"))
    assert response.status_code == 201 and response.json()["token"]


@pytest.mark.parametrize("body, content_type", [
    (b"title=Film+words", "application/x-www-form-urlencoded"),
    (b'{"title": "Film words"}', "text/plain"),
    (b"<deck/>", "application/xml"),
])
def test_a_body_that_is_not_json_is_415(instructor, body, content_type):
    response = instructor.post("/decks", data=body, headers={"Content-Type": content_type})
    assert is_problem(response, 415)
    assert "application/json" in response.json["detail"]


def test_a_deck_file_must_be_multipart(instructor):
    deck_id = instructor.post("/decks", {"title": "Film words"}).json["id"]
    response = instructor.post(f"/decks/{deck_id}/import", {"file": "hanzi\n过年\n"})
    assert is_problem(response, 415)
    files = {"file": (io.BytesIO("hanzi\n过年\n".encode()), "t.csv")}
    assert instructor.post(f"/decks/{deck_id}/import", json=None, data=files,
                           content_type="multipart/form-data").status_code == 201


def test_an_optional_body_may_be_left_out(learner, deck_id):
    assert learner.post(f"/decks/{deck_id}/study").status_code == 200


@pytest.fixture
def big_deck(app) -> int:
    """A built-in deck of 5,000 terms."""
    with app.app_context():
        deck = Deck(title="5000 words", builtin=True)
        db.session.add(deck)
        db.session.flush()
        db.session.execute(db.insert(Term), [
            {"deck_id": deck.id, "position": i, "simplified": f"词{i}", "pinyin": "cí", "english": f"word {i}"}
            for i in range(5000)])
        db.session.commit()
        return deck.id


def links(response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="([a-z]+)"', response.headers.get("Link", ""))}


def test_lists_come_in_pages_with_link_headers(learner, big_deck):
    first = learner.get(f"/decks/{big_deck}?per_page=1000")
    assert first.status_code == 200
    assert len(first.json["terms"]) == 1000 and first.json["term_count"] == 5000
    assert first.headers["X-Total-Count"] == "5000"
    assert set(links(first)) == {"first", "next", "last"}
    assert links(first)["last"].endswith("page=5&per_page=1000") or "page=5" in links(first)["last"]
    seen = [t["hanzi"] for t in first.json["terms"]]
    url = links(first)["next"]
    while url:
        response = learner.client.get(url, headers={"Authorization": f"Bearer {learner.token}"})
        seen += [t["hanzi"] for t in response.json["terms"]]
        url = links(response).get("next")
    assert seen == [f"词{i}" for i in range(5000)]
    default = learner.get(f"/decks/{big_deck}")
    assert len(default.json["terms"]) == 100  # the default page size
    assert is_problem(learner.get(f"/decks/{big_deck}?per_page=100000"), 400)
    assert is_problem(learner.get(f"/decks/{big_deck}?page=0"), 400)
    assert learner.get(f"/decks/{big_deck}?page=99").json["terms"] == []

    learner.post(f"/decks/{big_deck}/study", {"directions": ["recognition"]})
    cards = learner.get(f"/decks/{big_deck}/cards?per_page=500&page=3")
    assert len(cards.json["cards"]) == 500 and cards.headers["X-Total-Count"] == "5000"
    assert set(links(cards)) == {"first", "prev", "next", "last"}
    decks = learner.get("/decks?per_page=1")
    assert len(decks.json["decks"]) == 1 and decks.headers["X-Total-Count"] == "1"


def test_the_openapi_document_states_the_real_limits_and_every_status(client):
    spec = client.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    term = schemas["TermIn"]["properties"]
    assert (term["hanzi"]["minLength"], term["hanzi"]["maxLength"]) == (1, 64)
    assert term["pinyin"]["maxLength"] == 200 and term["english"]["maxLength"] == 2000
    user = schemas["UserIn"]["properties"]
    assert (user["username"]["minLength"], user["username"]["maxLength"]) == (2, 32)
    assert (user["password"]["minLength"], user["password"]["maxLength"]) == (8, 256)
    assert (schemas["DeckIn"]["properties"]["title"]["minLength"], schemas["DeckIn"]["properties"]["title"]["maxLength"]) == (1, 200)
    assert schemas["ClassIn"]["properties"]["name"]["maxLength"] == 200
    for name, schema in schemas.items():
        for field, prop in schema.get("properties", {}).items():
            if prop.get("type") == "string" and not ({"enum", "format"} & set(prop)) and name.endswith("In"):
                assert "maxLength" in prop and "\\x00" in prop.get("pattern", ""), (name, field)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue  # the path's own parameters, not an operation
            responses = operation["responses"]
            assert "default" not in responses, (method, path)
            assert {"400", "503"} <= set(responses), (method, path)
            if "requestBody" in operation:
                assert {"413", "415"} <= set(responses), (method, path)
