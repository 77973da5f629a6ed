"""The headers of a trusted service on every response, and pages that need no inline script or style
outside the Content-Security-Policy's nonce. (tests/browser/test_csp_browser.py checks that a real
browser reports no violation.)"""
import re

import pytest

from app import create_app
from tests.helpers import inline_code_outside_the_nonce, make_deck


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def assert_trusted_headers(response) -> None:
    csp = policy(response)
    assert "'none'" in csp["frame-ancestors"]
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in csp.get(directive, "") and "'unsafe-eval'" not in csp.get(directive, "")
    assert csp["object-src"].endswith("'none'")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.fixture
def pages(app, client, auth):
    """Every kind of page a learner and an instructor see, with their responses."""
    with app.app_context():
        deck_id = make_deck(3).id
    auth.register("qin")
    client.post(f"/decks/{deck_id}/study")
    seen = {path: client.get(path) for path in ("/", "/decks", f"/decks/{deck_id}", "/review", "/reader",
                                                "/settings", "/classes", "/auth/logout")}
    card = re.search(r'name="card_id" value="(\d+)"', seen["/review"].get_data(as_text=True))[1]
    client.post("/review/grade", data={"card_id": card, "rating": "3", "client_review_id": "r1"})
    seen["/progress"] = client.get("/progress")
    seen["/reader (POST)"] = client.post("/reader", data={"text": "春运的时候，农民工排队买火车票。"})
    auth.logout()
    auth.register("teacher_li", role="instructor")
    new = client.post("/decks/new", data={"title": "Film words"})
    own = int(re.search(r"/decks/(\d+)/edit", new.headers["Location"])[1])
    seen["edit"] = client.get(f"/decks/{own}/edit")
    seen["preview"] = client.post(f"/decks/{own}/preview", data={"source": "text", "text": "春运的时候，农民工排队买火车票。"})
    seen["/api/v1/docs"] = client.get("/api/v1/docs")
    seen["404"] = client.get("/no/such/page")
    auth.logout()
    seen["/auth/login"] = client.get("/auth/login")
    return seen


def test_every_page_has_the_headers_and_no_inline_code_outside_the_nonce(pages):
    for name, response in pages.items():
        assert_trusted_headers(response)
        assert inline_code_outside_the_nonce(response) == [], name
    assert "<svg" in pages["/progress"].get_data(as_text=True)


def test_api_files_and_errors_have_the_headers_too(client, learner):
    for response in (learner.get("/decks"), learner.get("/no/such/thing"), client.get("/static/css/app.css"),
                     client.get("/healthz"), client.get("/api/v1/openapi.json")):
        assert_trusted_headers(response)


def test_hsts_in_production_behind_a_tls_proxy_only(tmp_path, database_url, _schema):
    # No optimiser thread (these configurations' default): one would outlive the test, polling its database.
    production = create_app("production", instance_path=str(tmp_path), SECRET_KEY="k" * 64, PROXY_COUNT=1,
                            SQLALCHEMY_DATABASE_URI=database_url, FSRS_OPTIMIZER="external").test_client()
    # Made after the production app: each app keeps its own header settings.
    development = create_app("development", instance_path=str(tmp_path), SECRET_KEY="k" * 64,
                             SQLALCHEMY_DATABASE_URI=database_url, FSRS_OPTIMIZER="external").test_client()
    response = production.get("/healthz", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.1"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert_trusted_headers(response)
    response = development.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
    # Development over plain HTTP keeps working: no redirect, no Secure-only session cookie.
    page = development.get("/auth/login")
    assert page.status_code == 200 and "Secure" not in page.headers.get("Set-Cookie", "")
