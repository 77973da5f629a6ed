"""When the database is down: every route answers 503 with a clear message (a page that needs no
database, or problem details for the API), never a 500, and the app recovers by itself."""
import pytest
from sqlalchemy.engine import make_url

from app import create_app
from tests.helpers import TcpProxy, is_problem

UNREACHABLE = {
    "postgresql": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2",  # nothing listens on port 1
    "sqlite": "sqlite:////nonexistent-directory/guitu.sqlite3",  # cannot be opened
}


def every_request(app):
    """(method, path) for every route of the app, with 1 for each path argument."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = rule.build({name: ("ABCD2345" if name == "code" else 1) for name in rule.arguments}
                          | ({"fmt": "csv"} if "fmt" in rule.arguments else {}))[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


@pytest.mark.parametrize("database", sorted(UNREACHABLE))
def test_every_route_answers_503_while_the_database_is_down(tmp_path, database):
    app = create_app("testing", instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=UNREACHABLE[database])
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1.1"  # a learner who was logged in before the outage (user 1, session version 1)
    seen = {}
    for method, path in every_request(app):
        response = client.open(path, method=method, headers={"Authorization": "Bearer some-token"}
                               if path.startswith("/api/") else {})
        seen[(method, path)] = response.status_code
        if path in ("/api/v1/openapi.json", "/api/v1/docs"):
            assert response.status_code == 200  # static documents need no database
            continue
        assert response.status_code == 503, (method, path, response.status_code)
        assert response.headers["Retry-After"]
        if path.startswith("/api/"):
            assert is_problem(response, 503), (method, path)
        elif path == "/healthz":
            assert response.json["database"] == "unreachable"
        else:
            page = response.get_data(as_text=True)
            assert "temporarily unavailable" in page and "<html" in page, (method, path)
    assert len(seen) > 60


@pytest.mark.parametrize("database", sorted(UNREACHABLE))
def test_a_missing_file_or_page_while_the_database_is_down_answers_503_not_500(tmp_path, database):
    """A static file needs no database, but its 404 page shows who is logged in, which does: while the
    database is down that page cannot be drawn, and the learner gets the 503 page instead of a crash."""
    app = create_app("testing", instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=UNREACHABLE[database])
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production, where an error handler's crash is a 500
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1.1"
    for path in ("/static/no-such-file.css", "/no-such-page"):
        response = client.get(path)
        assert response.status_code == 503 and response.headers["Retry-After"], path
        assert "temporarily unavailable" in response.get_data(as_text=True)
    # Asked for JSON, the answer needs no user, so it is still the true one.
    assert client.get("/static/no-such-file.css", headers={"Accept": "application/json"}).status_code == 404


def test_the_app_recovers_by_itself_when_the_database_comes_back(app, database_url, tmp_path, make_user):
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("SQLite is a file in the app's own process: it has no server to lose")
    make_user("qin")
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    proxied = create_app("testing", instance_path=str(tmp_path / "proxied"), SQLALCHEMY_DATABASE_URI=through_proxy)
    client = proxied.test_client()
    try:
        assert client.post("/auth/login", data={"username": "qin", "password": "correct horse"}).status_code == 302
        assert client.get("/decks").status_code == 200
        proxy.stop()
        for path in ("/decks", "/review", "/api/v1/decks", "/healthz"):
            assert client.get(path).status_code == 503, path
        proxy.start()
        assert client.get("/healthz").status_code == 200
        assert client.get("/decks").status_code == 200  # the same session, still logged in
    finally:
        proxy.stop()
        with proxied.app_context():
            from app.extensions import db

            db.engine.dispose()
